"""Reviewing a flags file: load it for browsing, record decisions in place.

The flags GeoPackage (core/flags/store.py) is the truth: a decision is written to
it at once, in one transaction, and a re-run of the check keeps it (merge_reviews
carries status and comment by ident). Nothing here knows about widgets.
"""
import re
import unicodedata

import numpy as np
import pandas as pd
import shapely

from . import catalogue as cat
from ..errors import InputError
from .store import FLAG_FIELDS, FLAGS_LAYER, RUNS_TABLE, now_iso

BBOX_COLUMNS = ("xmin", "ymin", "xmax", "ymax")
ID_COLUMNS = ("map_fid", "other_map_fid", "register_row")   # nullable integers
DECISION_COLUMNS = ("status", "comment", "resolved_by", "resolved_at")

# "map.sheet ← SHBANDO (auto)"; a field name may itself hold spaces and brackets.
_MAPPING_ITEM = re.compile(r"(\w+)\.(\w+) ← (.*?) \((?:auto|override)\)(?:; |$)")
_COMBINING = re.compile("[\u0300-\u036f]")


def _open(path: str, update: bool = False):
    import os

    from osgeo import gdal
    gdal.UseExceptions()
    if not os.path.exists(path):
        raise InputError("flags file not found", path, fix="run the check first, or choose the file it wrote")
    flags = gdal.OF_VECTOR | (gdal.OF_UPDATE if update else gdal.OF_READONLY)
    try:
        ds = gdal.OpenEx(path, flags)
    except RuntimeError as err:
        raise InputError(f"cannot open the flags file ({str(err).strip()})", path,
                         fix="close other programs writing to it, or check that it is a GeoPackage") from None
    if ds.GetLayerByName(FLAGS_LAYER) is None:
        raise InputError(f"has no layer '{FLAGS_LAYER}': not a Cadastre Cleaner flags file", path,
                         fix="choose the flags file a check wrote")
    return ds


def load_flags(path: str) -> pd.DataFrame:
    """Every flag of the file: `fid`, all attributes of layer `flags`, and the bbox of
    its geometry (xmin, ymin, xmax, ymax; NaN without geometry).

    Text columns hold "" for null, map_fid / other_map_fid / register_row / run_id are
    nullable Int64. `frame.attrs` carries "source" (the path) and "crs_wkt" (the flags'
    CRS), so a filtered copy can still be exported with its geometries.
    """
    raw, fids, wkb, crs_wkt = _read_flags_layer(path)
    n = len(fids)
    columns = {"fid": fids}
    for name, type_name in FLAG_FIELDS:
        values = raw.get(name)
        if values is None:
            values = np.full(n, None, dtype=object)
        if type_name in ("Integer", "Integer64"):
            columns[name] = pd.array(pd.to_numeric(pd.Series(values), errors="coerce"), dtype="Int64")
        elif type_name == "Real":
            columns[name] = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(float)
        else:
            columns[name] = values
    bounds = shapely.bounds(shapely.from_wkb(wkb, on_invalid="ignore")) if n else np.empty((0, 4))
    for k, name in enumerate(BBOX_COLUMNS):
        columns[name] = bounds[:, k]
    frame = pd.DataFrame(columns)
    frame.attrs["source"] = str(path)
    frame.attrs["crs_wkt"] = crs_wkt
    return frame


def _read_flags_layer(path: str):
    """(columns {name: array}, fids, WKB array, CRS WKT) of layer `flags`.

    GDAL's Arrow stream, with text decoded by a plain list comprehension: numpy's
    char.decode (used by core.loading.vector) takes ten times as long on 100 000 messages.
    """
    ds = _open(path)
    layer = ds.GetLayerByName(FLAGS_LAYER)
    srs = layer.GetSpatialRef()
    crs_wkt = srs.ExportToWkt() if srs is not None else ""
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    fid_col, geom_col = _fid_column(layer), layer.GetGeometryColumn() or "geom"
    parts: dict[str, list] = {name: [] for name in names}
    fids, wkbs = [], []
    try:
        for batch in layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES"]):
            fids.append(np.asarray(batch[fid_col], dtype=np.int64))
            for name in names:
                parts[name].append(_decode_column(batch[name]))
            g = batch.get(geom_col)
            wkbs.append(np.array([None] * len(fids[-1]), dtype=object) if g is None
                        else np.ma.filled(g, None).astype(object))
    except (AttributeError, RuntimeError, KeyError):     # GDAL < 3.6: feature by feature
        from ..loading.vector import read_vector
        ds = None
        frame = read_vector(f"{path}|layername={FLAGS_LAYER}", role="flags")
        n = len(frame.attrs)
        raw = {name: _text_or_value(frame.attrs[name].to_numpy(object)) for name in frame.attrs}
        geometry = frame.geometry if frame.geometry is not None else np.full(n, None, dtype=object)
        return raw, np.asarray(frame.fids, dtype=np.int64), shapely.to_wkb(geometry), frame.crs_wkt
    ds = None
    raw = {name: (np.concatenate(chunks) if chunks else np.array([], dtype=object))
           for name, chunks in parts.items()}
    fid_arr = np.concatenate(fids) if fids else np.array([], dtype=np.int64)
    wkb = np.concatenate(wkbs) if wkbs else np.array([], dtype=object)
    return raw, fid_arr, wkb, crs_wkt


def _decode_column(values) -> np.ndarray:
    """An Arrow-stream column as numpy: text as str ("" for null), numbers as they are."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if data.dtype.kind in "SO":
        out = np.array([v.decode("utf-8", "replace") if isinstance(v, bytes) else ("" if v is None else str(v))
                        for v in data.tolist()], dtype=object)
        if mask is not None and mask.any():
            out[mask] = ""
        return out
    if mask is not None and mask.any():
        out = data.astype(float)
        out[mask] = np.nan
        return out
    return data


def _text_or_value(values: np.ndarray) -> np.ndarray:
    if any(isinstance(v, str) for v in values[:100]):
        return np.where(pd.isna(values), "", values).astype(object)
    return values


def read_rows(path: str, fids, columns=DECISION_COLUMNS) -> pd.DataFrame:
    """Some columns of some flags, read again from the file (after a decision), indexed by fid."""
    fids = _fid_list(fids)
    out = pd.DataFrame(columns=list(columns), index=pd.Index([], dtype=np.int64, name="fid"))
    if not fids:
        return out
    ds = _open(path)
    layer = ds.GetLayerByName(FLAGS_LAYER)
    rows, index = [], []
    for chunk in _chunks(fids):
        layer.SetAttributeFilter(f"{_fid_column(layer)} IN ({','.join(map(str, chunk))})")
        for feat in layer:
            index.append(feat.GetFID())
            rows.append([_text(feat.GetField(c)) for c in columns])
    ds = None
    return pd.DataFrame(rows, columns=list(columns),
                        index=pd.Index(index, dtype=np.int64, name="fid")).reindex(fids)


def flag_geometry_wkb(path: str, fid: int) -> bytes | None:
    """The geometry of one flag as WKB (for flashing it on the map), None without one."""
    ds = _open(path)
    feat = ds.GetLayerByName(FLAGS_LAYER).GetFeature(int(fid))
    geom = feat.GetGeometryRef() if feat is not None else None
    wkb = bytes(geom.ExportToIsoWkb()) if geom is not None and not geom.IsEmpty() else None
    ds = None
    return wkb


def last_run(path: str) -> dict:
    """The newest row of the `runs` table ({} when there is none)."""
    from ..loading.vector import read_vector
    _open(path)
    runs = read_vector(f"{path}|layername={RUNS_TABLE}", role="runs", with_geometry=False).attrs
    if not len(runs):
        return {}
    order = pd.to_numeric(runs.get("run_id"), errors="coerce").fillna(-1)
    row = runs.loc[order.idxmax()]
    return {k: (None if (isinstance(v, float) and np.isnan(v)) else v) for k, v in row.items()}


def parse_field_mapping(text: str) -> dict:
    """'map.sheet ← SHBANDO (auto); ...' -> {"map.sheet": "SHBANDO", ...}."""
    return {f"{side}.{role}": field for side, role, field in _MAPPING_ITEM.findall(text or "")}


def last_field_mapping(path: str) -> dict:
    """Which source field played which role in the newest run: {"map.sheet": "SHBANDO", ...}."""
    return parse_field_mapping(last_run(path).get("field_mapping") or "")


def record_decision(path: str, fids, status: str, comment: str = "", user: str = "") -> None:
    """Write a reviewer's decision on flags `fids` into the file, in one transaction.

    The comment is part of the decision and replaces the stored one. "exception"
    needs a comment (why the flag is accepted as it is). Reopening ("open") clears
    resolved_by and resolved_at; any other status records `user` and the time.
    """
    if status not in cat.STATUSES:
        raise InputError(f"'{status}' is not a review status", path,
                         fix=f"use one of: {', '.join(cat.STATUSES)}")
    comment = (comment or "").strip()
    if status == cat.EXCEPTION and not comment:
        raise InputError("an exception needs a comment", path,
                         fix="write why the flag is accepted as it is (e.g. 'public land, not registered')")
    fids = _fid_list(fids)
    if not fids:
        return
    resolved_by, resolved_at = ("", "") if status == cat.OPEN else ((user or "").strip(), now_iso())
    values = {"status": status, "comment": comment, "resolved_by": resolved_by, "resolved_at": resolved_at}
    assignments = ", ".join(f'"{k}" = {_sql_text(v)}' for k, v in values.items())
    ds = _open(path, update=True)
    layer = ds.GetLayerByName(FLAGS_LAYER)
    fid_col = _fid_column(layer)
    ds.StartTransaction()
    try:
        found = 0
        for chunk in _chunks(fids):
            where = f'"{fid_col}" IN ({",".join(map(str, chunk))})'
            count = ds.ExecuteSQL(f'SELECT COUNT(*) FROM "{FLAGS_LAYER}" WHERE {where}')
            found += count.GetNextFeature().GetField(0)
            ds.ReleaseResultSet(count)
            ds.ExecuteSQL(f'UPDATE "{FLAGS_LAYER}" SET {assignments} WHERE {where}')
        if found != len(fids):
            raise InputError(f"{len(fids) - found} of the {len(fids)} flags are not in the file", path,
                             fix="reload the flags file: a new check run may have replaced it")
        ds.CommitTransaction()
    except BaseException:
        ds.RollbackTransaction()
        raise
    finally:
        ds = None


# -- text search ----------------------------------------------------------------------

def fold_text(values) -> np.ndarray:
    """Lower-case, accent-free copies of many strings at once ('Thửa Đất' -> 'thua dat').

    Joined into one string, folded with one normalize call, split again: far faster
    than folding a hundred thousand strings one by one. Spaces and punctuation stay.
    """
    values = np.asarray(values, dtype=object)
    if not len(values):
        return np.array([], dtype=object)
    text = "\n".join("" if v is None else str(v).replace("\n", " ") for v in values)
    return np.array(fold_query(text, keep_newlines=True).split("\n"), dtype=object)


def fold_query(text: str, keep_newlines: bool = False) -> str:
    """The same folding for one string (what the user typed)."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = _COMBINING.sub("", text).lower()
    return text if keep_newlines else text.replace("\n", " ")


# -- helpers ----------------------------------------------------------------------------

def _fid_list(fids) -> list[int]:
    arr = np.atleast_1d(np.asarray(fids if fids is not None else [], dtype=object))
    return sorted({int(f) for f in arr if f is not None and not pd.isna(f)})


def _chunks(items: list, size: int = 20000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _fid_column(layer) -> str:
    return layer.GetFIDColumn() or "fid"


def _sql_text(value: str) -> str:
    return "'" + str(value).replace("\x00", "").replace("'", "''") + "'"


def _text(value) -> str:
    return "" if value is None else str(value)
