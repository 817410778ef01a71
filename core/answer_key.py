"""Scoring flags against a generated commune's answer key: recall, right suggestions, false flags.

A key row names a defect by code and by the record it touches (map_fid and/or
register_row). It is found when a flag of the same code touches the same record:
register-side codes by register row, all others by map feature id. A flag is false
when neither its parcel nor its register row is touched by any defect.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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


def score(flags: pd.DataFrame, key: pd.DataFrame, map_fids: np.ndarray, register_rows: np.ndarray) -> Score:
    """flags: stored-flag rows (code, map_fid, register_row, suggested_*); key: answer_key.csv."""
    key = key.copy()
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

    touched_m = set(key["map_fid"].dropna().astype(int))
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
