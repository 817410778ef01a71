"""Writing what `load` produced: one GeoPackage with the layers parcels, sheets and
load_report, and the load flags in the standard flags layout (flags, runs,
sheet_summary; core.flags.store) so the review dock opens the same file.

The flags go first: write_flags replaces the whole file atomically (keeping the
reviewers' decisions of an earlier load), then the data layers are added to it.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import shapely

from ..flags.store import FLAG_FIELDS, write_flags
from ..register.fields import MAP_ROLES, SYNONYMS, fold
from ..errors import InputError

PARCELS_LAYER, SHEETS_LAYER, REPORT_LAYER = "parcels", "sheets", "load_report"

# The parcels layer's own fields, in order (name, OGR type); source attributes follow.
PARCEL_FIELDS = [("sheet", "String"), ("commune", "String"), ("parcel", "String"),
                 ("landuse", "String"), ("area", "Real"), ("note", "String"),
                 ("source_file", "String"), ("source_fid", "Integer64")]
SHEET_FIELDS = [("SHBANDO", "String"), ("MAXA", "String"), ("TYLE", "Integer"), ("MAHIEU", "String"),
                ("frame_from", "String"), ("parcels", "Integer64"), ("source_file", "String")]
REPORT_FIELDS = [("file", "String"), ("format", "String"), ("status", "String"), ("layers", "String"),
                 ("features", "Integer64"), ("parcels", "Integer64"), ("sheets", "String"),
                 ("sheet_from", "String"), ("commune", "String"), ("scale", "String"),
                 ("crs_declared", "String"), ("crs_used", "String"), ("encoding", "String"),
                 ("converted", "Integer64"), ("labels", "Integer64"), ("flags", "Integer64"),
                 ("warnings", "String"), ("notes", "String"), ("errors", "String"), ("seconds", "Real")]


def source_field_name(name: str, taken: set) -> str:
    """A source attribute's name in the parcels layer. Names `check` would map to a map
    role (SHBANDO, SHTHUA, DIENTICH, …) get a 'src_' prefix, so `check` finds the loader's
    resolved sheet/parcel/area fields and the raw values stay for the record."""
    folded = fold(name)
    competes = any(folded == syn or (len(syn) >= 4 and folded.startswith(syn))
                   for role in MAP_ROLES for syn in SYNONYMS[role])
    reserved = {f for f, _ in PARCEL_FIELDS} | {"fid", "geom", "geometry"}
    out = f"src_{name}" if competes or name.lower() in reserved else name
    base, k = out, 2
    while out.lower() in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out.lower())
    return out


def check_target(path: str) -> None:
    """Refuse to replace a GeoPackage that `load` did not write (it would be lost)."""
    if not os.path.exists(path):
        return
    from osgeo import gdal
    gdal.UseExceptions()
    try:
        ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
        names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    except RuntimeError:
        names = set()
    if REPORT_LAYER not in names and "flags" not in names:
        raise InputError("exists and was not written by `load`: it would be replaced", path,
                         fix="choose a new file name for --out, or delete that file first")


def write_output(path: str, parcels: pd.DataFrame, parcel_geom: np.ndarray, sheets: pd.DataFrame,
                 sheet_geom: np.ndarray, report: pd.DataFrame, flags: pd.DataFrame,
                 flag_geom: np.ndarray, crs_wkt: str, run: dict, codes: set) -> dict:
    """Flags (merged with an earlier load's reviews) then the data layers. Returns the
    flags store's counts."""
    check_target(path)
    store = write_flags(path, _flag_rows(flags), flag_geom, crs_wkt, run,
                        pd.DataFrame(columns=["commune", "sheet"]), checked=codes)
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ds = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    try:
        srs = None
        if crs_wkt:
            srs = osr.SpatialReference()
            srs.ImportFromWkt(crs_wkt)
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        fields = _parcel_field_types(parcels)
        _write_layer(ds, PARCELS_LAYER, srs, ogr.wkbMultiPolygon, fields, parcels,
                     _as_multipolygons(parcel_geom))
        _write_layer(ds, SHEETS_LAYER, srs, ogr.wkbPolygon, SHEET_FIELDS, sheets, sheet_geom)
        _write_layer(ds, REPORT_LAYER, None, ogr.wkbNone, REPORT_FIELDS, report, None)
    finally:
        ds = None
    return store


def _flag_rows(flags: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({name: flags[name] if name in flags else None for name, _ in FLAG_FIELDS},
                       index=flags.index)
    return out.reset_index(drop=True)


def _as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Parcels are written as MultiPolygon (a source may mix both); None stays None."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    if len(geoms):
        poly = shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON
        if poly.any():
            out[poly] = shapely.multipolygons(geoms[poly].reshape(-1, 1))
    return out


def _parcel_field_types(parcels: pd.DataFrame) -> list:
    fixed = dict(PARCEL_FIELDS)
    out = []
    for col in parcels.columns:
        if col in fixed:
            out.append((col, fixed[col]))
            continue
        kind = parcels[col].dtype.kind
        if kind in "iu":
            out.append((col, "Integer64"))
        elif kind == "b":
            out.append((col, "Integer"))
        elif kind == "f":
            values = parcels[col].to_numpy(float)
            whole = np.isnan(values) | (np.floor(values) == values)
            big = np.nanmax(np.abs(values)) if np.isfinite(values).any() else 0
            out.append((col, "Integer64" if whole.all() and big < 2 ** 53 and np.isfinite(values).any()
                        else "Real"))
        else:
            out.append((col, "String"))
    return out


def _column(values: pd.Series, type_name: str) -> list:
    if type_name in ("Integer", "Integer64", "Real"):
        num = pd.to_numeric(values, errors="coerce").to_numpy(float)
        if type_name == "Real":
            return [None if np.isnan(v) else float(v) for v in num]
        return [None if np.isnan(v) else int(v) for v in num]
    return [None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v)
            for v in values.to_numpy(object)]


def _write_layer(ds, name, srs, geom_type, fields, frame: pd.DataFrame, geometry) -> None:
    from osgeo import ogr
    if ds.GetLayerByName(name) is not None:
        ds.DeleteLayer(name)
    options = ["FID=fid"] + (["GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"] if geometry is not None else [])
    layer = ds.CreateLayer(name, srs, geom_type, options=options)
    for fname, type_name in fields:
        layer.CreateField(ogr.FieldDefn(fname, getattr(ogr, f"OFT{type_name}")))
    defn = layer.GetLayerDefn()
    cols = [_column(frame[f] if f in frame else pd.Series([None] * len(frame)), t) for f, t in fields]
    wkb = shapely.to_wkb(geometry) if geometry is not None else None
    layer.StartTransaction()
    feature = ogr.Feature(defn)
    for i in range(len(frame)):
        for k in range(len(fields)):
            v = cols[k][i]
            if v is None:
                feature.SetFieldNull(k)
            else:
                feature.SetField(k, v)
        if wkb is not None:
            feature.SetGeometryDirectly(None if wkb[i] is None else ogr.CreateGeometryFromWkb(wkb[i]))
        feature.SetFID(i + 1)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
