"""Scoring flags against a generated commune's answer key: recall, right suggestions, false flags.

A key row names a defect by code and by the record it touches (map_fid and/or
register_row). It is found when a flag of the same code touches the same record:
register-side codes by register row, all others by map feature id. A flag is false
when neither its parcel nor its register row is touched by any defect.

The key's rows come in two groups (column `group`): "register" (map ↔ register
defects, scored by `score`) and "topology" (geometry defects, scored by
`score_topology`, which also uses the key's x, y: a point at the defect).
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.catalogue import codes as _catalogue_codes

TOPOLOGY_CODES = frozenset(_catalogue_codes("topology"))
LOCATED = ("GAP", "OVERLAP")          # judged by where the flag lies, too
FOUND_WITHIN_M = 1.0                  # a flag without the key's parcel counts when this near its point
FALSE_BEYOND_M = 2.0                  # a GAP/OVERLAP flag this far from every key point of its code is false

REGISTER_SIDE = {"REGISTER_ONLY", "DUPLICATE_KEY_REGISTER", "LANDUSE_INVALID", "COMMUNE_CODE_OBSOLETE",
                 "COMMUNE_CODE_INVALID", "OWNER_ID_INVALID", "OWNER_MISSING", "VALUE_INVALID"}
SUGGESTED = {"NUMBER_MISMATCH": ("expected_parcel", "suggested_parcel"),
             "SHEET_MISMATCH": ("expected_sheet", "suggested_sheet"),
             "DUPLICATE_KEY_MAP": ("expected_parcel", "suggested_parcel"),
             "COMMUNE_CODE_OBSOLETE": ("expected_commune", "suggested_commune")}


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    by_code: pd.DataFrame = None          # code, expected, found, recall, suggestion_right
    suggestions_checked: int = 0
    suggestions_right: int = 0
    clean_parcels: int = 0
    clean_parcels_flagged: int = 0
    clean_rows: int = 0
    clean_rows_flagged: int = 0
    missed: pd.DataFrame = field(default_factory=pd.DataFrame)
    false_flags: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def false_parcel_rate(self) -> float:
        return self.clean_parcels_flagged / self.clean_parcels if self.clean_parcels else 0.0

    @property
    def false_row_rate(self) -> float:
        return self.clean_rows_flagged / self.clean_rows if self.clean_rows else 0.0

    def lines(self) -> list[str]:
        out = [f"recall {self.recall:.2%} ({self.found}/{self.expected}); suggestions right "
               f"{self.suggestions_right}/{self.suggestions_checked}; clean parcels flagged "
               f"{self.clean_parcels_flagged}/{self.clean_parcels} ({self.false_parcel_rate:.3%}); "
               f"clean register rows flagged {self.clean_rows_flagged}/{self.clean_rows} "
               f"({self.false_row_rate:.3%})"]
        for row in self.by_code.itertuples():
            out.append(f"  {row.code:24} {row.found:6}/{row.expected:<6} suggestion right {row.suggestion_right}")
        return out


def _int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("Int64")


def _is_topology_row(key: pd.DataFrame) -> pd.Series:
    if "group" in key.columns:
        return key["group"].astype(str) == "topology"
    return pd.Series(False, index=key.index)


def score(flags: pd.DataFrame, key: pd.DataFrame, map_fids: np.ndarray, register_rows: np.ndarray) -> Score:
    """flags: stored-flag rows (code, map_fid, register_row, suggested_*); key: answer_key.csv.

    Only the register group of the key is scored; parcels a topology row names are not
    counted as clean (a register flag there, e.g. MAP_ONLY on a sliver, is no false flag)."""
    topology = _is_topology_row(key)
    topology_fids = set(_int(key.loc[topology, "map_fid"]).dropna().astype(int)) if "map_fid" in key else set()
    key = key[~topology].reset_index(drop=True).copy()
    key["map_fid"], key["register_row"] = _int(key["map_fid"]), _int(key["register_row"])
    f = flags.copy()
    f["map_fid"], f["register_row"] = _int(f["map_fid"]), _int(f["register_row"])
    key["by_row"] = key["code"].isin(REGISTER_SIDE) & key["register_row"].notna()
    key["ref"] = np.where(key["by_row"], "r" + key["register_row"].astype(str), "m" + key["map_fid"].astype(str))
    f_r = f[f["register_row"].notna()].assign(ref="r" + f["register_row"].astype(str))
    f_m = f[f["map_fid"].notna()].assign(ref="m" + f["map_fid"].astype(str))
    cols = ["code", "ref", "suggested_parcel", "suggested_sheet", "suggested_commune"]
    fl = pd.concat([f_r[cols], f_m[cols]], ignore_index=True).drop_duplicates(["code", "ref"])
    hit = key.merge(fl, on=["code", "ref"], how="left", indicator=True)
    hit["found"] = hit["_merge"] == "both"
    hit["suggestion_ok"] = pd.NA
    for code, (want, got) in SUGGESTED.items():
        sel = (hit["code"] == code) & hit[want].notna() & (hit[want].astype(str) != "")
        hit.loc[sel, "suggestion_ok"] = (hit.loc[sel, want].astype(str) == hit.loc[sel, got].astype(str))
    by_code = hit.groupby("code").agg(expected=("found", "size"), found=("found", "sum"),
                                      suggestion_right=("suggestion_ok", lambda s: f"{int(s.dropna().sum())}/{int(s.notna().sum())}"))
    by_code["recall"] = by_code["found"] / by_code["expected"]
    checked = hit["suggestion_ok"].notna()

    touched_m = set(key["map_fid"].dropna().astype(int)) | topology_fids
    touched_r = set(key["register_row"].dropna().astype(int))
    clean_m = np.setdiff1d(np.asarray(map_fids, dtype=np.int64), np.fromiter(touched_m, np.int64, len(touched_m)))
    clean_r = np.setdiff1d(np.asarray(register_rows, dtype=np.int64), np.fromiter(touched_r, np.int64, len(touched_r)))
    about_clean = ~f["map_fid"].isin(touched_m) & ~f["register_row"].isin(touched_r) \
        & (f["map_fid"].notna() | f["register_row"].notna())
    false_flags = f[about_clean]
    return Score(
        expected=len(key), found=int(hit["found"].sum()), by_code=by_code.reset_index(),
        suggestions_checked=int(checked.sum()),
        suggestions_right=int(hit.loc[checked, "suggestion_ok"].astype(bool).sum()),
        clean_parcels=len(clean_m),
        clean_parcels_flagged=int(false_flags["map_fid"].dropna().astype(int).isin(clean_m).sum()
                                  and false_flags["map_fid"].dropna().astype(int).nunique()),
        clean_rows=len(clean_r),
        clean_rows_flagged=int(false_flags.loc[false_flags["map_fid"].isna(), "register_row"].dropna().nunique()),
        missed=hit[~hit["found"]].drop(columns=["_merge"]), false_flags=false_flags)


def _touches(flags: pd.DataFrame) -> pd.DataFrame:
    """One row per (flag, parcel it names): map_fid, and other_map_fid when the flag has one."""
    out = flags.assign(_fid=_int(flags["map_fid"]) if "map_fid" in flags else pd.NA)
    if "other_map_fid" in flags:
        other = flags.assign(_fid=_int(flags["other_map_fid"]))
        out = pd.concat([out, other[other["_fid"].notna()]])
    return out


def score_topology(flags: pd.DataFrame, flag_geometries, key: pd.DataFrame, map_fids: np.ndarray) -> Score:
    """Score topology flags against the key's topology rows.

    flags: one row per flag with `code` and `map_fid` (a flag naming a second parcel may
    give it in `other_map_fid`; `suggested_sheet` is compared with CROSSES_SHEET's
    expected_sheet); flag_geometries: a shapely geometry (or None) per flag row, where
    the flag lies; key: answer_key.csv; map_fids: every fid of the parcels layer.

    A key row is found when a flag of its code names its map_fid or, for a row without
    one (a GAP), lies within FOUND_WITHIN_M of its x, y. Clean parcels are the fids no
    topology row names. A topology flag is false when it names a clean parcel (unless it
    is a GAP/OVERLAP flag lying at a key point of its code), or when it is a GAP/OVERLAP
    flag farther than FALSE_BEYOND_M from every key point of its code (unless it names a
    DUPLICATE_GEOMETRY parcel: a copy overlaps its original wholly). Flags of other
    groups are ignored."""
    rows = _is_topology_row(key) if "group" in key.columns else key["code"].isin(TOPOLOGY_CODES)
    key = key[rows].reset_index(drop=True).copy()
    key["map_fid"] = _int(key["map_fid"])
    for c in ("x", "y"):
        key[c] = pd.to_numeric(key[c], errors="coerce")
    f = flags.reset_index(drop=True).copy()
    geoms = np.empty(len(f), dtype=object)
    if flag_geometries is not None:
        flag_geometries = list(flag_geometries)
        if len(flag_geometries) != len(f):
            raise ValueError("flag_geometries must have one geometry per flag row")
        geoms[:] = flag_geometries
    f["geometry"] = geoms
    f = f[f["code"].isin(TOPOLOGY_CODES)].reset_index(drop=True)
    f["_row"] = np.arange(len(f))
    touches = _touches(f)

    # found: by parcel, or (rows without one) by place
    t = touches[touches["_fid"].notna()]
    named = set(zip(t["code"], t["_fid"].astype(int)))
    key["found"] = [pd.notna(fid) and (code, int(fid)) in named
                    for code, fid in zip(key["code"], key["map_fid"])]
    by_place = key["map_fid"].isna() & key["x"].notna()
    for code, rows in key[by_place].groupby("code"):
        g = f.loc[(f["code"] == code) & f["geometry"].notna(), "geometry"].to_numpy()
        if not len(g):
            continue
        hit, _ = shapely.STRtree(g).query(shapely.points(rows["x"], rows["y"]), predicate="dwithin",
                                          distance=FOUND_WITHIN_M)
        key.loc[rows.index[np.unique(hit)], "found"] = True

    # suggestions: the sheet a CROSSES_SHEET parcel belongs on
    key["suggestion_ok"] = pd.NA
    if {"suggested_sheet", "map_fid"} <= set(f.columns) and "expected_sheet" in key.columns:
        crossing = f[(f["code"] == "CROSSES_SHEET") & f["map_fid"].notna()]
        suggested = dict(zip(_int(crossing["map_fid"]).astype(int), crossing["suggested_sheet"].astype(str)))
        sel = (key["code"] == "CROSSES_SHEET") & key["found"] & key["expected_sheet"].notna() \
            & (key["expected_sheet"].astype(str) != "")
        key.loc[sel, "suggestion_ok"] = [suggested.get(int(fid)) == str(want) for fid, want in
                                         zip(key.loc[sel, "map_fid"], key.loc[sel, "expected_sheet"])]

    # false flags
    keyed = set(key["map_fid"].dropna().astype(int))
    duplicates = set(key.loc[key["code"] == "DUPLICATE_GEOMETRY", "map_fid"].dropna().astype(int))
    clean = np.setdiff1d(np.asarray(map_fids, dtype=np.int64), np.fromiter(keyed, np.int64, len(keyed)))
    clean_set = set(clean.tolist())
    near = np.zeros(len(f), dtype=bool)
    located = f["code"].isin(LOCATED).to_numpy() & f["geometry"].notna().to_numpy()
    for code in LOCATED:
        points = key.loc[(key["code"] == code) & key["x"].notna()]
        sel = np.flatnonzero(located & (f["code"] == code).to_numpy())
        if not len(points) or not len(sel):
            continue
        tree = shapely.STRtree(shapely.points(points["x"], points["y"]))
        hit, _ = tree.query(f["geometry"].to_numpy()[sel], predicate="dwithin", distance=FALSE_BEYOND_M)
        near[sel[np.unique(hit)]] = True
    fids_of = touches.groupby("_row")["_fid"].agg(lambda s: set(s.dropna().astype(int)))
    fids = [fids_of.get(r, set()) for r in f["_row"]]
    on_clean = np.array([bool(x & clean_set) for x in fids], dtype=bool)
    on_duplicate = np.array([bool(x & duplicates) for x in fids], dtype=bool)
    false = (on_clean & ~near) | (located & ~near & ~on_duplicate)
    false_flags = f[false].drop(columns=["_row"])
    flagged_clean = set().union(*[x & clean_set for x, bad in zip(fids, false) if bad])

    by_code = key.groupby("code").agg(
        expected=("found", "size"), found=("found", "sum"),
        suggestion_right=("suggestion_ok", lambda s: f"{int(s.dropna().sum())}/{int(s.notna().sum())}"))
    by_code["recall"] = by_code["found"] / by_code["expected"]
    checked = key["suggestion_ok"].notna()
    return Score(
        expected=len(key), found=int(key["found"].sum()), by_code=by_code.reset_index(),
        suggestions_checked=int(checked.sum()),
        suggestions_right=int(key.loc[checked, "suggestion_ok"].astype(bool).sum()),
        clean_parcels=len(clean), clean_parcels_flagged=len(flagged_clean),
        missed=key[~key["found"]], false_flags=false_flags)
