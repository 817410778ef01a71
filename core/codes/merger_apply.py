"""Applying a national sheet reference table (merger_table.MergerTable) to parcels, sheets, register.

A record's sheet key is (commune, sheet, scale). Its scale comes, in this order, from its own
scale field, from the table when the table has that (commune, sheet) at one scale only, from
the sheet frame that holds it (parcels), or from the map parcel with the same number
(register rows). A record whose scale stays unknown while the table has its sheet at several
scales is left unchanged and listed (MERGER_SCALE_AMBIGUOUS); a sheet the table does not
cover is left unchanged and listed (MERGER_SHEET_UNCOVERED); a table row renumbering a
parcel that is not there is listed (MERGER_PARCEL_UNCOVERED). Nothing is dropped silently.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..i18n import phrase
from ..reference.admin_units import normalise_commune_code, normalise_commune_codes
from ..register.keys import normalise_key
from .merger_findings import Findings
from .merger_table import MergerTable, parse_scales, scale_text

OLD_PARCEL_FIELD = "SHTHUA_CU"
CHANGE_COLUMNS = ["row", "old_commune", "old_sheet", "scale", "old_parcel", "new_commune", "new_sheet",
                  "new_parcel", "table_row"]


@dataclass
class Applied:
    frame: pd.DataFrame          # a copy: new values in place, the old ones in the *_CU fields
    changes: pd.DataFrame        # CHANGE_COLUMNS, one row per changed record (row: position in frame)
    scale: np.ndarray            # the scale each record was matched at (0: unknown)
    findings: pd.DataFrame
    covered: int = 0             # records whose sheet the table covers
    uncovered: np.ndarray | None = None   # per record: not covered (or scale ambiguous), left as it is
    communes: np.ndarray | None = None    # per record: its (old) commune code, 5 digits
    table_rows: np.ndarray | None = None  # per record: the table row it was matched by (-1: none)


def layer_label(layer: str) -> str:
    return {"parcels": phrase("Parcels"), "sheets": phrase("Sheet frames"),
            "register": phrase("Register")}.get(layer, layer)


def record_scales(frame: pd.DataFrame, scale_field: str | None) -> np.ndarray:
    """The scale each record states (0 where it states none or an unreadable one)."""
    if not scale_field or scale_field not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    return np.maximum(parse_scales(frame[scale_field].reset_index(drop=True)).to_numpy(np.int64), 0)


def scales_from_frames(points: np.ndarray, commune: np.ndarray, sheet: np.ndarray, frame_geom: np.ndarray,
                       frame_commune: np.ndarray, frame_sheet: np.ndarray, frame_scale: np.ndarray) -> np.ndarray:
    """The scale of the frame of the record's own (commune, sheet) that holds its point; 0 if none
    or if frames of two scales do."""
    out = np.zeros(len(points), dtype=np.int64)
    ok = ~shapely.is_missing(points)
    idx = np.flatnonzero(ok)
    if not len(idx) or not len(frame_geom):
        return out
    pi, fi = shapely.STRtree(frame_geom).query(points[idx], predicate="intersects")
    pi = idx[pi]
    own = (frame_sheet[fi] == sheet[pi]) & (frame_commune[fi] == commune[pi]) & (frame_scale[fi] > 0)
    hits = pd.DataFrame({"p": pi[own], "scale": frame_scale[fi][own]}).drop_duplicates()
    single = hits[~hits.duplicated("p", keep=False)]
    out[single["p"].to_numpy()] = single["scale"].to_numpy(np.int64)
    return out


def apply_table(frame: pd.DataFrame, table: MergerTable, commune_field: str | None, sheet_field: str,
                parcel_field: str | None, scale: np.ndarray | None = None, layer: str = "parcels",
                idents: np.ndarray | None = None, commune: str | None = None,
                old_fields=("MAXA_CU", "SHBANDO_CU", OLD_PARCEL_FIELD)) -> Applied:
    """New commune codes, sheet numbers (and parcel numbers where the table gives them) for `frame`.

    `scale` is each record's scale where known (0 unknown); `idents` the fid / row number a
    user sees (default: position). The old values go to `old_fields` on every record (the
    parcel one only when the table renumbers parcels)."""
    n = len(frame)
    out = frame.copy()
    idents = np.arange(n) if idents is None else np.asarray(idents)
    renumbers = parcel_field is not None and parcel_field in frame.columns and len(table.parcels) > 0
    for name in old_fields[:3 if renumbers else 2]:
        if name in frame.columns:
            raise InputError(f"already has a field '{name}': it looks renumbered already",
                             fix="renumber the original data, or rename that field")
    if sheet_field not in frame.columns:
        raise InputError(f"no field '{sheet_field}' for the sheet number")
    if commune_field and commune_field in frame.columns:
        old_commune = frame[commune_field]
    elif commune:
        old_commune = pd.Series([normalise_commune_code(commune)] * n, index=frame.index, dtype=object)
    else:
        raise InputError(f"no field '{commune_field}' for the commune code",
                         fix="name the commune field, or give the commune code of the whole layer")
    c = normalise_commune_codes(old_commune).to_numpy(object)
    s = normalise_key(frame[sheet_field].reset_index(drop=True)).to_numpy(object)
    p = (normalise_key(frame[parcel_field].reset_index(drop=True)).to_numpy(object)
         if parcel_field and parcel_field in frame.columns else np.full(n, "", dtype=object))
    k = np.zeros(n, dtype=np.int64) if scale is None else np.asarray(scale, dtype=np.int64).copy()

    sheets = table.sheets
    # scales the table knows per (commune, sheet); a record of unknown scale takes the only one
    per_key = sheets.groupby(["old_commune", "old_sheet"])["scale"].agg(["nunique", "first"])
    key_index = pd.MultiIndex.from_arrays([c, s])
    n_scales = per_key["nunique"].reindex(key_index).fillna(0).to_numpy(np.int64)
    only = per_key["first"].reindex(key_index).fillna(0).to_numpy(np.int64)
    k = np.where((k == 0) & (n_scales == 1), only, k)
    ambiguous = (k == 0) & (n_scales > 1)

    def lookup(columns, keys):
        index = pd.MultiIndex.from_frame(sheets[columns]) if columns == ["old_commune", "old_sheet", "scale"] \
            else pd.MultiIndex.from_frame(table.parcels[columns])
        return index.get_indexer(pd.MultiIndex.from_arrays(keys)) if n else np.array([], dtype=np.int64)

    pos = lookup(["old_commune", "old_sheet", "scale"], [c, s, k])
    if (sheets["scale"] == 0).any():          # a table row without a scale holds for any scale
        pos0 = lookup(["old_commune", "old_sheet", "scale"], [c, s, np.zeros(n, dtype=np.int64)])
        pos = np.where((pos < 0) & ~ambiguous, pos0, pos)
    found = pos >= 0
    take = lambda frame_, col, at: frame_[col].to_numpy(object)[np.where(at >= 0, at, 0)] if len(frame_) \
        else np.full(n, "", dtype=object)  # noqa: E731
    new_c = np.where(found, take(sheets, "new_commune", pos), c).astype(object)
    new_s = np.where(found, take(sheets, "new_sheet", pos), s).astype(object)
    table_row = np.where(found, sheets["row"].to_numpy()[np.where(found, pos, 0)] if len(sheets) else -1, -1)
    new_p = p.copy()
    ppos = np.full(n, -1, dtype=np.int64)
    if renumbers:
        ppos = lookup(["old_commune", "old_sheet", "scale", "old_parcel"], [c, s, k, p])
        hit = ppos >= 0
        parcels = table.parcels
        new_c = np.where(hit, take(parcels, "new_commune", ppos), new_c).astype(object)
        new_s = np.where(hit, take(parcels, "new_sheet", ppos), new_s).astype(object)
        new_p = np.where(hit, take(parcels, "new_parcel", ppos), p).astype(object)
        table_row = np.where(hit, parcels["row"].to_numpy()[np.where(hit, ppos, 0)], table_row)
        found = found | hit
    changed = found & ((new_c != c) | (new_s != s) | (new_p != p))

    from .merger import _put
    if commune_field and commune_field in frame.columns:
        out[commune_field] = _put(old_commune, new_c, changed)
    else:
        out[commune_field or "MAXA"] = new_c
    out[sheet_field] = _put(frame[sheet_field], new_s, changed)
    out[old_fields[0]] = old_commune.to_numpy() if commune_field in frame.columns else c
    out[old_fields[1]] = frame[sheet_field].to_numpy()
    if renumbers:
        out[parcel_field] = _put(frame[parcel_field], new_p, changed)
        out[old_fields[2]] = frame[parcel_field].to_numpy()

    rows = np.flatnonzero(changed)
    changes = pd.DataFrame({
        "row": rows, "old_commune": c[rows], "old_sheet": s[rows], "scale": k[rows], "old_parcel": p[rows],
        "new_commune": new_c[rows], "new_sheet": new_s[rows], "new_parcel": new_p[rows],
        "table_row": table_row[rows].astype(np.int64)})
    findings = _record_findings(layer, c, s, k, p, idents, found, ambiguous, per_key, table,
                                ppos if renumbers else None, parcel_field is not None)
    return Applied(out, changes, k, findings, int(found.sum()), ~found & ~((c == "") & (s == "")), c,
                   np.where(found, table_row, -1).astype(np.int64))


def _record_findings(layer, c, s, k, p, idents, found, ambiguous, per_key, table, ppos, has_parcels):
    findings = Findings()
    label = layer_label(layer)
    blank = (c == "") & (s == "")
    for mask, code in ((ambiguous, "MERGER_SCALE_AMBIGUOUS"), (~found & ~ambiguous & ~blank, "MERGER_SHEET_UNCOVERED")):
        idx = np.flatnonzero(mask)
        if not len(idx):
            continue
        g = pd.DataFrame({"c": c[idx], "s": s[idx], "k": k[idx], "i": idents[idx]})
        groups = g.groupby(["c", "s", "k"], sort=True)["i"].agg(["count", "first"]).reset_index()
        one = groups["count"].to_numpy() == 1
        if code == "MERGER_SCALE_AMBIGUOUS":
            scales = table.sheets.groupby(["old_commune", "old_sheet"])["scale"].agg(
                lambda v: ", ".join(scale_text(x) for x in sorted(set(v))))
            listed = pd.MultiIndex.from_arrays([groups["c"], groups["s"]]).map(scales)
            ident = [str(f) if o else phrase("{0} records, e.g. {1}").format(n_, f)
                     for o, n_, f in zip(one, groups["count"], groups["first"])]
            findings.add_records(code, layer, np.where(one, groups["first"], -1), groups["c"], groups["s"],
                                 groups["k"], "", dict(layer=label, ident=ident, sheet=groups["s"].to_numpy(object),
                                 commune=groups["c"].to_numpy(object), scales=np.asarray(listed, dtype=object)))
        else:
            findings.add_records(code, layer, np.where(one, groups["first"], -1), groups["c"], groups["s"],
                                 groups["k"], "", dict(layer=label, sheet=groups["s"].to_numpy(object),
                                 commune=groups["c"].to_numpy(object), count=groups["count"].to_numpy(),
                                 scale=[scale_text(x) if x else phrase("scale unknown") for x in groups["k"]]))
    if has_parcels and len(table.parcels) and layer != "sheets":
        used = np.zeros(len(table.parcels), dtype=bool)
        if ppos is not None:
            used[ppos[ppos >= 0]] = True
        # only the parcel rows of sheets this layer has: the table covers a whole province
        present = pd.MultiIndex.from_frame(table.parcels[["old_commune", "old_sheet", "scale"]]).isin(
            pd.MultiIndex.from_arrays([c, s, k]))
        missing = table.parcels[~used & present]
        where = phrase("parcel layer") if layer == "parcels" else phrase("register")
        findings.add_records("MERGER_PARCEL_UNCOVERED", layer, missing["row"], missing["old_commune"],
                             missing["old_sheet"], missing["scale"], missing["old_parcel"],
                             dict(row=missing["row"].to_numpy(), parcel=missing["old_parcel"].to_numpy(object),
                                  sheet=missing["old_sheet"].to_numpy(object),
                                  commune=missing["old_commune"].to_numpy(object),
                                  scale=[scale_text(x) for x in missing["scale"]], layer=where))
    return findings.frame()
