"""Parcel numbering of a sheet: 1…n in zig-zag bands, and the numbers after a split or merge.

The rule (Circular 25/2014, DOMAIN.md): parcels are numbered 1…n on each sheet from
the north-west, in bands of a set height laid from the north; the first band runs
west → east, the next east → west, alternating (serpentine). A parcel belongs to the
band holding its inner point (shapely.point_on_surface, always inside the parcel).
After a split or merge the old number is cancelled and the new parcels take the
sheet's max + 1, max + 2…; registers keep the old numbers (soThuTuThuaCu).

Modes of `number_parcels`:
  "fill_missing"      only parcels without a number get one, after the sheet's max,
                      in zig-zag order; every other number is kept;
  "renumber_all"      every parcel of the sheet gets start…start+n-1 in zig-zag order;
  "after_split_merge" parcels whose number is missing or used more than once on the
                      sheet (the pieces of a split keep the old number) take max + 1…
                      in zig-zag order; the cancelled numbers are never reused.

Band height: given, else a tenth of the sheet's side (sheet_grid.SHEET_SIZE_M by scale,
as the sample generator does), else 50 m (a tenth of a 1:1000 sheet).
Bands start at `top` (e.g. the sheet frame's north edge), else at the northern edge of
the sheet's northernmost parcel.

No widgets here: Processing (processing_provider/number_parcels.py) is a thin front end.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..reference.sheet_grid import SHEET_SIZE_M, zigzag_order

MODES = ("fill_missing", "renumber_all", "after_split_merge")
BAND_SHARE = 0.1                # band height = a tenth of the sheet's side
DEFAULT_BAND_M = 50.0           # a tenth of a 1:1000 sheet (500 m)
RENUMBERING_TABLE = "renumbering"
TABLE_COLUMNS = ["sheet", "old_number", "new_number", "fid"]


@dataclass
class NumberingResult:
    numbers: np.ndarray             # int64 per parcel, the number after this run (0: none)
    old_numbers: np.ndarray         # object per parcel, the number before as text ("" none)
    changed: np.ndarray             # bool per parcel: got a new number
    table: pd.DataFrame             # renumbering table: changed parcels only (TABLE_COLUMNS)
    counts: dict = field(default_factory=dict)


def parse_numbers(values) -> np.ndarray:
    """Parcel numbers as float (NaN where missing or not a whole positive number)."""
    num = pd.to_numeric(pd.Series(_text(values)), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(num) | (num <= 0) | (num != np.floor(num))
    num[bad] = np.nan
    return num


def default_band_height(scale=None) -> np.ndarray | float:
    """A tenth of the sheet side per scale (scalar or per parcel); 50 m when unknown."""
    if scale is None:
        return DEFAULT_BAND_M
    sc = np.asarray(scale, dtype=float)
    lookup = np.vectorize(lambda s: SHEET_SIZE_M.get(int(s), DEFAULT_BAND_M / BAND_SHARE)
                          if np.isfinite(s) else DEFAULT_BAND_M / BAND_SHARE, otypes=[float])
    out = lookup(sc) * BAND_SHARE
    return float(out) if out.ndim == 0 else out


def _text(values) -> np.ndarray:
    out = pd.Series(np.asarray(values, dtype=object)).astype(object)
    out = out.where(out.notna(), "").astype(str).str.strip()
    # 12.0 read from a float column is number 12
    out = out.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    return out.to_numpy(dtype=object)


def number_parcels(geoms, sheet, current_numbers, mode: str, band_height=None, start: int = 1,
                   top=None, *, scale=None, fids=None, sheets_to_number=None) -> NumberingResult:
    """Numbers for the parcels `geoms` (shapely array) on sheets `sheet` (text per parcel).

    current_numbers: the numbers now (int / text / None per parcel). band_height: metres,
    scalar or per parcel (None: by `scale`, see module doc). top: the northing where the
    bands start, scalar or per parcel (None: per sheet, the north edge of its parcels).
    sheets_to_number: sheet values to work on (None: all); the others are left as they are.
    Parcels without geometry keep their number (counted in counts["no_geometry"]).
    """
    if mode not in MODES:
        raise InputError(f"unknown numbering mode '{mode}'", fix=f"modes are: {', '.join(MODES)}")
    if int(start) < 1:
        raise InputError(f"start number {start} is below 1", fix="start at 1 or more")
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    sheet_txt = _text(sheet) if n else np.zeros(0, dtype=object)
    old_txt = _text(current_numbers) if n else np.zeros(0, dtype=object)
    old = parse_numbers(old_txt) if n else np.zeros(0)
    if len(sheet_txt) != n or len(old) != n:
        raise ValueError("geoms, sheet and current_numbers must have the same length")
    fids = np.arange(n, dtype=np.int64) if fids is None else np.asarray(fids, dtype=np.int64)

    has_geom = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if n else np.zeros(0, bool)
    in_scope = np.ones(n, dtype=bool)
    if sheets_to_number is not None:
        wanted = set(_text(list(sheets_to_number)))
        in_scope = np.isin(sheet_txt, list(wanted))

    _, gid = np.unique(sheet_txt, return_inverse=True) if n else (None, np.zeros(0, np.int64))
    gid = gid.reshape(-1).astype(np.int64)
    n_groups = int(gid.max()) + 1 if n else 0

    # per-sheet max of the numbers in use (over every parcel of the sheet)
    max_used = np.zeros(n_groups)
    ok = np.isfinite(old)
    if ok.any():
        np.maximum.at(max_used, gid[ok], old[ok])

    if mode == "renumber_all":
        target = in_scope & has_geom
    elif mode == "fill_missing":
        target = in_scope & has_geom & ~ok
    else:
        dup = np.zeros(n, dtype=bool)
        if ok.any():
            key = pd.DataFrame({"g": gid[ok], "v": old[ok]})
            dup[np.flatnonzero(ok)] = key.duplicated(keep=False).to_numpy()
        target = in_scope & has_geom & (~ok | dup)

    new = np.where(ok, old, 0).astype(np.int64)
    idx = np.flatnonzero(target)
    if len(idx):
        g = geoms[idx]
        pts = shapely.point_on_surface(g)
        x, y = shapely.get_x(pts), shapely.get_y(pts)
        if top is None:
            # bands start at the north edge of the sheet's parcels (all parcels of the sheet)
            tops = np.full(n_groups, -np.inf)
            ymax = shapely.bounds(geoms[has_geom])[:, 3]
            np.maximum.at(tops, gid[has_geom], ymax)
            top_pt = tops[gid[idx]]
        else:
            top_pt = np.broadcast_to(np.asarray(top, dtype=float), (n,))[idx]
        if band_height is None:
            band_height = default_band_height(scale)
        band = np.broadcast_to(np.asarray(band_height, dtype=float), (n,))[idx]
        if not np.all(band > 0):
            raise InputError("the band height must be positive", fix="give a height in metres, or 0 for "
                             "a tenth of the sheet side")
        rank = zigzag_order(x, y, band, top=top_pt, groups=gid[idx])
        if mode == "renumber_all":
            new[idx] = int(start) - 1 + rank
        else:
            base = np.maximum(max_used, int(start) - 1).astype(np.int64)
            new[idx] = base[gid[idx]] + rank

    old_int = np.where(ok, old, 0).astype(np.int64)
    changed = target & ((new != old_int) | ~ok)
    ch = np.flatnonzero(changed)
    table = pd.DataFrame({"sheet": sheet_txt[ch], "old_number": old_txt[ch],
                          "new_number": new[ch], "fid": fids[ch]}, columns=TABLE_COLUMNS)
    table = table.sort_values(["sheet", "new_number"], kind="stable").reset_index(drop=True)
    counts = {"parcels": n, "in_scope": int(in_scope.sum()), "numbered": int(target.sum()),
              "changed": int(changed.sum()), "no_geometry": int((in_scope & ~has_geom).sum()),
              "sheets": int(len(np.unique(sheet_txt[in_scope]))) if n else 0}
    return NumberingResult(numbers=new, old_numbers=old_txt, changed=changed, table=table, counts=counts)


# ---- writing a corrected copy ------------------------------------------------------------


def _ogr_kind(series: pd.Series):
    from osgeo import ogr
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return ogr.OFTInteger64
    if pd.api.types.is_float_dtype(dtype):
        return ogr.OFTReal
    if dtype == object and series.notna().any():
        kind = pd.api.types.infer_dtype(series, skipna=True)
        if kind == "integer":
            return ogr.OFTInteger64
        if kind in ("floating", "mixed-integer-float"):
            return ogr.OFTReal
    return ogr.OFTString


def write_copy(path: str, frame, attrs: pd.DataFrame, tables: dict | None = None,
               layer_name: str = "parcels") -> None:
    """A new GeoPackage: `attrs` (aligned with frame's rows) + frame's geometries, CRS and
    FIDs (in `source_fid`), and attribute-only `tables` {name: DataFrame}. Written to a
    temporary file and swapped in at once; the source is never touched."""
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    src = str(getattr(frame, "source", "") or "").split("|")[0]
    if src and os.path.abspath(path) == os.path.abspath(src):
        raise InputError("the corrected copy would replace the source", path,
                         fix="write the corrected copy to a new file")
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".copy-", suffix=".gpkg", dir=directory)
    os.close(fd)
    os.remove(tmp)
    ds = None
    try:
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        srs = None
        if frame.crs_wkt:
            srs = osr.SpatialReference()
            srs.ImportFromWkt(frame.crs_wkt)
        layer = ds.CreateLayer(layer_name, srs, ogr.wkbMultiPolygon, options=["FID=fid"])
        cols = [c for c in attrs.columns if str(c) != "source_fid"]
        kinds = []
        for name in cols:
            kind = _ogr_kind(attrs[name])
            layer.CreateField(ogr.FieldDefn(str(name), kind))
            kinds.append(kind)
        layer.CreateField(ogr.FieldDefn("source_fid", ogr.OFTInteger64))
        defn = layer.GetLayerDefn()
        geoms = np.asarray(frame.geometry if frame.geometry is not None else
                           np.full(len(attrs), None, dtype=object), dtype=object)
        poly = shapely.get_type_id(geoms) == 3
        if poly.any():
            geoms = geoms.copy()
            geoms[poly] = shapely.multipolygons(geoms[poly].reshape(-1, 1))
        wkb = shapely.to_wkb(geoms)
        values = attrs[cols].to_numpy(object)
        fids = np.asarray(frame.fids if frame.fids is not None else np.arange(len(attrs)), dtype=np.int64)
        layer.StartTransaction()
        for i in range(len(attrs)):
            f = ogr.Feature(defn)
            for c, kind in enumerate(kinds):
                v = values[i, c]
                if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                    continue
                f.SetField(c, str(v) if kind == ogr.OFTString else
                           int(v) if kind == ogr.OFTInteger64 else float(v))
            f.SetField(len(kinds), int(fids[i]))
            if wkb[i] is not None:
                f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb[i]))
            layer.CreateFeature(f)
        layer.CommitTransaction()
        for name, table in (tables or {}).items():
            t = ds.CreateLayer(name, None, ogr.wkbNone)
            tkinds = []
            for col in table.columns:
                kind = _ogr_kind(table[col])
                t.CreateField(ogr.FieldDefn(str(col), kind))
                tkinds.append(kind)
            tdefn = t.GetLayerDefn()
            t.StartTransaction()
            for row in table.itertuples(index=False):
                f = ogr.Feature(tdefn)
                for c, (v, kind) in enumerate(zip(row, tkinds)):
                    if v is None or (isinstance(v, float) and np.isnan(v)):
                        continue
                    f.SetField(c, str(v) if kind == ogr.OFTString else
                               int(v) if kind == ogr.OFTInteger64 else float(v))
                t.CreateFeature(f)
            t.CommitTransaction()
        ds = None
        os.replace(tmp, path)
    except BaseException:
        ds = None
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_numbered(path: str, frame, result: NumberingResult, number_field: str,
                   old_number_field: str) -> None:
    """The numbered copy: `number_field` holds the new numbers; a changed parcel that had a
    number keeps it in `old_number_field` (created if missing; other parcels keep what
    they had there); table `renumbering` lists old → new for the changed parcels (sheet,
    old_number, new_number, source_fid: the parcel's FID in the source)."""
    attrs = frame.attrs.copy()
    as_text = False
    if number_field in attrs.columns and not (pd.api.types.is_integer_dtype(attrs[number_field]) or
                                              pd.api.types.is_float_dtype(attrs[number_field])):
        # a text field stays text when it holds values that are not whole numbers
        prev = _text(attrs[number_field].to_numpy(dtype=object))
        as_text = bool(((prev != "") & np.isnan(parse_numbers(prev))).any())
    if as_text:
        numbers = pd.Series(np.where(result.numbers > 0, result.numbers.astype(str), None),
                            dtype=object, index=attrs.index)
    else:
        numbers = pd.Series(np.where(result.numbers > 0, result.numbers, None), dtype=object,
                            index=attrs.index)
        if (result.numbers > 0).all():
            numbers = numbers.astype(np.int64)
    attrs[number_field] = numbers
    if old_number_field in attrs.columns:
        prev = _text(attrs[old_number_field].to_numpy(dtype=object))
    else:
        prev = np.full(len(attrs), "", dtype=object)
    had = result.changed & (result.old_numbers != "")
    old_col = np.where(had, result.old_numbers, prev)
    attrs[old_number_field] = pd.Series(np.where(old_col == "", None, old_col), dtype=object,
                                        index=attrs.index)
    table = result.table.copy()
    table["old_number"] = table["old_number"].astype(str)
    table["sheet"] = table["sheet"].astype(str)
    # "fid" is the GeoPackage's own id column: the source feature id goes to source_fid
    table = table.rename(columns={"fid": "source_fid"})
    write_copy(path, frame, attrs, {RENUMBERING_TABLE: table})
