"""The flags GeoPackage: flags that last across runs, with reviewers' decisions kept.

A run writes a complete new file next to the old one and swaps it in with one
atomic rename, so an interrupted run leaves the previous file intact. Flags of the
new run take over the status, comment and first_seen of the same flag (same `ident`)
from the old file; old flags that no longer apply are kept, and those still open are
marked fixed by the re-check.
"""
import json
import os
import tempfile
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import shapely

from . import catalogue as cat
from ..errors import InputError

FLAGS_LAYER = "flags"
RUNS_TABLE = "runs"
SHEETS_TABLE = "sheet_summary"
RECHECK = "re-check"

# (name, OGR type name) in file order; geometry is MultiPolygon in the parcels' CRS.
FLAG_FIELDS = [
    ("ident", "String"), ("code", "String"), ("severity", "String"), ("status", "String"),
    ("commune", "String"), ("sheet", "String"), ("parcel", "String"),
    ("map_fid", "Integer64"), ("other_map_fid", "Integer64"), ("register_row", "Integer64"),
    ("message", "String"), ("suggestion", "String"), ("suggestion_target", "String"),
    ("suggested_commune", "String"), ("suggested_sheet", "String"), ("suggested_parcel", "String"),
    ("suggested_value", "String"), ("confidence", "Real"),
    ("map_value", "String"), ("register_value", "String"),
    ("comment", "String"), ("first_seen", "String"), ("last_seen", "String"),
    ("resolved_by", "String"), ("resolved_at", "String"), ("run_id", "Integer"),
]
REVIEW_FIELDS = ("status", "comment", "resolved_by", "resolved_at", "first_seen")

RUN_FIELDS = [("run_id", "Integer"), ("started_at", "String"), ("finished_at", "String"),
              ("user", "String"), ("parcels_source", "String"), ("register_source", "String"),
              ("sheets_source", "String"), ("parcels", "Integer64"), ("register_rows", "Integer64"),
              ("matched", "Integer64"), ("flags", "Integer64"), ("open_flags", "Integer64"),
              ("settings", "String"), ("field_mapping", "String"), ("notes", "String")]
SHEET_FIELDS = [("run_id", "Integer"), ("taken_at", "String"), ("commune", "String"),
                ("sheet", "String"), ("parcels", "Integer64"), ("matched", "Integer64"),
                ("flagged", "Integer64"), ("clean", "Integer64"), ("clean_pct", "Real"),
                ("open_errors", "Integer64"), ("reviewed", "Integer64")]


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def read_flags(path: str) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Existing flags (attributes + geometry), runs and sheet summaries; empty when no file."""
    if not os.path.exists(path):
        return (pd.DataFrame(columns=[f for f, _ in FLAG_FIELDS]), np.array([], dtype=object),
                pd.DataFrame(columns=[f for f, _ in RUN_FIELDS]),
                pd.DataFrame(columns=[f for f, _ in SHEET_FIELDS]))
    from ..loading.vector import read_vector
    try:
        flags = read_vector(f"{path}|layername={FLAGS_LAYER}", role="flags")
        runs = read_vector(f"{path}|layername={RUNS_TABLE}", role="runs", with_geometry=False)
        sheets = read_vector(f"{path}|layername={SHEETS_TABLE}", role="sheets", with_geometry=False)
    except InputError as err:
        raise InputError(f"is not a Cadastre Cleaner flags file ({err.problem})", path,
                         fix="choose a new file name for the flags, or the file a previous run wrote") from None
    attrs = flags.attrs
    for name, _ in FLAG_FIELDS:
        if name not in attrs:
            attrs[name] = None
    return attrs, flags.geometry, runs.attrs, sheets.attrs


def merge_reviews(new: pd.DataFrame, old: pd.DataFrame, when: str,
                  checked: set | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Carry review decisions from `old` onto `new` (by ident); return (new, old flags kept).

    Still found: status and comment kept (exception, obsolete, open), except that a flag
    marked fixed comes back open: the fault is still in the data. Gone: open -> fixed by re-check, but only for codes this run
    looked for (`checked`; None = all): a topology-only run leaves register flags open.
    Reviewers' states are untouched.
    """
    new = new.copy()
    new["status"], new["comment"] = cat.OPEN, ""
    new["first_seen"], new["last_seen"] = when, when
    new["resolved_by"], new["resolved_at"] = "", ""
    if len(old) == 0:
        return new, old.iloc[0:0]
    old = old.copy()
    for col in ("ident", "status", "comment", "resolved_by", "resolved_at", "first_seen"):
        old[col] = old[col].astype(object).where(old[col].notna(), "").astype(str)
    prev = old.drop_duplicates("ident", keep="last").set_index("ident")
    hit = new["ident"].isin(prev.index).to_numpy()
    if hit.any():
        got = prev.loc[new.loc[hit, "ident"]]
        for col in REVIEW_FIELDS:
            new.loc[hit, col] = got[col].to_numpy()
        # found again although marked fixed (by the re-check, or by a person whose edit did
        # not reach the data, e.g. never saved): the fault is still there, so it is open again
        again = hit.copy()
        again[hit] = (got["status"] == cat.FIXED).to_numpy()
        new.loc[again, "status"] = cat.OPEN
        new.loc[again, ["resolved_by", "resolved_at"]] = ""
    gone = old[~old["ident"].isin(new["ident"])].copy()
    closing = gone["status"] == cat.OPEN
    if checked is not None:
        closing &= gone["code"].isin(checked)
    gone.loc[closing, "status"] = cat.FIXED
    gone.loc[closing, "resolved_by"] = RECHECK
    gone.loc[closing, "resolved_at"] = when
    return new, gone


def _unique_idents(idents: pd.Series) -> pd.Series:
    n = idents.groupby(idents).cumcount()
    return idents.where(n == 0, idents + "#" + (n + 1).astype(str))


def write_flags(path: str, flags: pd.DataFrame, geometry: np.ndarray, crs_wkt: str, run: dict,
                sheet_summary: pd.DataFrame, checked: set | None = None) -> dict:
    """Merge with the file at `path` (if any) and replace it atomically. Returns counts."""
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    when = run.get("finished_at") or now_iso()
    old, old_geom, old_runs, old_sheets = read_flags(path)
    flags = flags.copy()
    flags["ident"] = _unique_idents(flags["ident"].astype(str))
    merged, gone = merge_reviews(flags, old, when, checked)
    run_id = int(pd.to_numeric(old_runs.get("run_id"), errors="coerce").max()) + 1 \
        if len(old_runs) else 1
    merged["run_id"] = run_id
    gone_geom = old_geom[gone.index.to_numpy()] if len(gone) else np.array([], dtype=object)
    all_flags = pd.concat([merged, gone], ignore_index=True) if len(gone) else merged
    all_geom = np.concatenate([np.asarray(geometry, dtype=object), gone_geom]) if len(gone) else geometry
    all_geom = _as_multipolygons(all_geom)

    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".flags-", suffix=".gpkg", dir=directory)
    os.close(fd)
    os.remove(tmp)
    ds = None
    try:
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        srs = None
        if crs_wkt:
            srs = osr.SpatialReference()
            srs.ImportFromWkt(crs_wkt)
        layer = ds.CreateLayer(FLAGS_LAYER, srs, ogr.wkbMultiPolygon, options=["FID=fid"])
        _write_rows(layer, FLAG_FIELDS, all_flags, all_geom)
        new_run = pd.DataFrame([{**run, "run_id": run_id}])
        runs = pd.concat([old_runs, new_run], ignore_index=True) if len(old_runs) else new_run
        _write_rows(ds.CreateLayer(RUNS_TABLE, None, ogr.wkbNone), RUN_FIELDS, runs, None)
        summary = review_figures(sheet_summary, all_flags, run_id).assign(run_id=run_id, taken_at=when)
        sheets = pd.concat([old_sheets, summary], ignore_index=True) if len(old_sheets) else summary
        _write_rows(ds.CreateLayer(SHEETS_TABLE, None, ogr.wkbNone), SHEET_FIELDS, sheets, None)
        ds = None
        os.replace(tmp, path)
    except BaseException:
        ds = None       # close the half-written file before removing it
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    status = all_flags["status"].value_counts().to_dict()
    return {"run_id": run_id, "written": len(all_flags),
            "still_found": int(merged["first_seen"].ne(when).sum()),
            "closed_by_recheck": int((gone["resolved_at"] == when).sum()), "status": status}


def review_figures(summary: pd.DataFrame, flags: pd.DataFrame, run_id=None) -> pd.DataFrame:
    """Per sheet figures after the review decisions are known (flags carry their status).

    open_errors = parcels with at least one open error/warning flag; reviewed = parcels with
    error/warning flags none of which is open; clean = matched and no open error/warning flag,
    recomputed from the run's own count (`flagged`, before review, is kept). Flags of run
    `run_id` (None: the newest in `flags`) are this run's; older rows are carried-over ones.
    Parcels are told apart by map_fid; flags without one do not count.
    """
    out = summary.copy()
    if not len(out):      # no per-sheet figures given (e.g. a flags file written by a tool)
        return out.assign(open_errors=pd.Series(dtype="int64"), reviewed=pd.Series(dtype="int64"))
    keys = ["commune", "sheet"]
    for k in keys:
        out[k] = out[k].astype(object).where(out[k].notna(), "").astype(str)
    f = flags[["commune", "sheet", "map_fid", "severity", "status", "code", "run_id"]].copy() \
        if len(flags) else pd.DataFrame(columns=["commune", "sheet", "map_fid", "severity", "status",
                                                 "code", "run_id"])
    f["map_fid"] = pd.to_numeric(f["map_fid"], errors="coerce")
    f = f[f["map_fid"].notna() & (f["severity"].astype(str) != cat.INFO)].copy()
    for k in keys:
        f[k] = f[k].astype(object).where(f[k].notna(), "").astype(str)
    runs = pd.to_numeric(f["run_id"], errors="coerce")
    current = runs == (runs.max() if run_id is None else run_id)
    f["open"] = (f["status"].astype(str) == cat.OPEN).astype(int)
    f["current"] = current.astype(int)
    f["unmatched"] = (current & (f["code"].astype(str) == "MAP_ONLY")).astype(int)
    per = f.groupby([*keys, "map_fid"], sort=False)[["open", "current", "unmatched"]].max().reset_index()
    has_open, was_flagged = per["open"] > 0, per["current"] > 0
    per["open_errors"] = has_open.astype(int)
    per["reviewed"] = (~has_open).astype(int)
    per["gained"] = (was_flagged & ~has_open & (per["unmatched"] == 0)).astype(int)
    per["lost"] = (~was_flagged & has_open).astype(int)
    sums = per.groupby(keys, sort=False)[["open_errors", "reviewed", "gained", "lost"]].sum()
    out = out.drop(columns=["open_errors", "reviewed"], errors="ignore") \
        .merge(sums, how="left", left_on=keys, right_index=True)
    for col in ("open_errors", "reviewed", "gained", "lost"):
        out[col] = out[col].fillna(0).astype(np.int64)
    parcels = pd.to_numeric(out["parcels"], errors="coerce").fillna(0)
    clean = pd.to_numeric(out["clean"], errors="coerce").fillna(0) + out["gained"] - out["lost"]
    out["clean"] = clean.clip(lower=0, upper=parcels).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["clean_pct"] = (100.0 * out["clean"] / parcels.where(parcels > 0)).round(1)
    return out.drop(columns=["gained", "lost"]).reset_index(drop=True)


def _as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Flags are stored as MultiPolygon: polygons promoted, other types dropped to None."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    if not len(geoms):
        return out
    types = shapely.get_type_id(geoms)
    poly = types == shapely.GeometryType.POLYGON
    out[poly] = shapely.multipolygons(geoms[poly].reshape(-1, 1)) if poly.any() else out[poly]
    multi = types == shapely.GeometryType.MULTIPOLYGON
    out[multi] = geoms[multi]
    return out


def _write_rows(layer, fields, frame: pd.DataFrame, geometry):
    from osgeo import ogr
    for name, type_name in fields:
        layer.CreateField(ogr.FieldDefn(name, getattr(ogr, f"OFT{type_name}")))
    defn = layer.GetLayerDefn()
    names = [n for n, _ in fields]
    cols = []
    for name, type_name in fields:
        values = frame[name] if name in frame else pd.Series([None] * len(frame))
        values = values.to_numpy(object)
        if type_name in ("Integer", "Integer64", "Real"):
            num = pd.to_numeric(pd.Series(values), errors="coerce")
            values = [None if pd.isna(v) else (float(v) if type_name == "Real" else int(v)) for v in num]
        else:
            values = [None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v)
                      for v in values]
        cols.append(values)
    wkb = shapely.to_wkb(geometry) if geometry is not None else None
    layer.StartTransaction()
    for i in range(len(frame)):
        feat = ogr.Feature(defn)
        for k in range(len(names)):
            v = cols[k][i]
            if v is not None:
                feat.SetField(k, v)
        if wkb is not None and wkb[i] is not None:
            feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb[i]))
        layer.CreateFeature(feat)
    layer.CommitTransaction()


def settings_json(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)
