"""The headless "fix topology": read a layer, fix it, write a corrected copy and a change log.

The source is only read. The copy keeps every attribute and adds `source_fid` and
`fix` (what was done to the parcel); parcels merged away are left out, gaps made
parcels are added without numbers. The table `changes` lists every change with the
area before and after.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import FlagSet
from ..loading.vector import read_vector
from ..reference.admin_units import AdminUnits
from ..reference.landuse import LandUseCodes
from ..register.fields import parse_overrides
from ..register.prepare import prepare_map, prepare_sheets
from ..topology.checks import TopologyOptions
from ..errors import InputError
from ..progress import Progress
from .bulk import FixOptions, FixResult, fix_topology


@dataclass
class FixRequest:
    parcels: str
    out: str                                  # corrected copy (GeoPackage), replaced if it exists
    sheets: str | None = None
    scale: int | None = None
    tolerance_m: float | None = None
    overlap: str = "longest_edge"
    gap: str = "merge_longest_edge"
    codes: tuple | None = None
    field_overrides: dict = field(default_factory=dict)
    register: str | None = None               # for overlap="register_area": areas from the register


def run_fix(request: FixRequest, progress: Progress | None = None) -> FixResult:
    progress = progress or Progress()
    if os.path.abspath(request.out) == os.path.abspath(request.parcels.split("|")[0]):
        raise InputError("the corrected copy would replace the source", request.out,
                         fix="write the corrected copy to a new file")
    frame = read_vector(request.parcels, role="parcels")
    overrides = parse_overrides(request.field_overrides)
    units = AdminUnits.load()
    sheets = sheet_geom = None
    if request.sheets:
        sheets, sheet_geom, _ = prepare_sheets(read_vector(request.sheets, role="sheets"),
                                               overrides.get("sheets"), "", units)
    m, geom, _ = prepare_map(frame, overrides.get("map"), "", request.scale, sheets, sheet_geom, units,
                             LandUseCodes.load(), FlagSet(), [])
    opts = FixOptions(overlap=request.overlap, gap=request.gap,
                      topology=TopologyOptions(tolerance_m=request.tolerance_m,
                                               default_scale=int(request.scale or 1000)))
    if request.codes:
        opts.codes = tuple(request.codes)
    register_area = None
    if request.overlap == "register_area":
        register_area = _register_areas(request, len(m), progress)
    progress.info("fixing topology")
    result = fix_topology(geom, m, opts, register_area=register_area, progress=progress.step(0, 90),
                          sheets=sheets, sheet_geom=sheet_geom)
    progress.info("writing the corrected copy")
    write_fixed(request.out, frame, m, result)
    progress.set_progress(100)
    return result


def _register_areas(request: FixRequest, n: int, progress: Progress) -> np.ndarray:
    """Each parcel's register area (NaN where it has no register row), by the register check's matching."""
    if not request.register:
        raise InputError("the register-area rule needs the register", fix="give the register table, "
                         "or choose the longest-edge rule")
    from ..pipeline import CheckRequest, compute
    progress.info("matching parcels with the register for their areas")
    res, _ = compute(CheckRequest(parcels=request.parcels, register=request.register, sheets=request.sheets,
                                  out="", scale=request.scale, field_overrides=request.field_overrides,
                                  checks=["AREA_MISMATCH"]))
    areas = np.full(n, np.nan)
    pairs = res.pairs
    areas[pairs["map_idx"].to_numpy()] = res.r["area"].to_numpy(float)[pairs["reg_idx"].to_numpy()]
    return areas


def write_fixed(path: str, frame, m: pd.DataFrame, result: FixResult) -> None:
    """The corrected copy: a new file, swapped in at once (an interrupted run leaves none)."""
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".fixed-", suffix=".gpkg", dir=directory)
    os.close(fd)
    os.remove(tmp)
    log = result.log
    actions = log[log["index"] >= 0].groupby("index")["action"].agg(lambda s: ",".join(dict.fromkeys(s)))
    fix = pd.Series("", index=range(len(frame))).add(actions.reindex(range(len(frame))).fillna(""))
    ds = None
    try:
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        srs = None
        if frame.crs_wkt:
            srs = osr.SpatialReference()
            srs.ImportFromWkt(frame.crs_wkt)
        layer = ds.CreateLayer("parcels", srs, ogr.wkbMultiPolygon, options=["FID=fid"])
        attrs = frame.attrs
        kinds = []
        for name in attrs.columns:
            dtype = attrs[name].dtype
            kind = ogr.OFTInteger64 if pd.api.types.is_integer_dtype(dtype) else \
                ogr.OFTReal if pd.api.types.is_float_dtype(dtype) else ogr.OFTString
            layer.CreateField(ogr.FieldDefn(str(name), kind))
            kinds.append(kind)
        layer.CreateField(ogr.FieldDefn("source_fid", ogr.OFTInteger64))
        layer.CreateField(ogr.FieldDefn("fix", ogr.OFTString))
        defn = layer.GetLayerDefn()
        n_attr = len(attrs.columns)
        keep = np.flatnonzero(~result.removed)
        geoms = _multi(result.geometry[keep])
        wkb = shapely.to_wkb(geoms)
        values = attrs.to_numpy(object)
        fids = np.asarray(frame.fids, dtype=np.int64)
        layer.StartTransaction()
        for k, i in enumerate(keep):
            f = ogr.Feature(defn)
            for c in range(n_attr):
                v = values[i, c]
                if v is not None and not (isinstance(v, float) and np.isnan(v)):
                    f.SetField(c, v if kinds[c] != ogr.OFTString else str(v))
            f.SetField(n_attr, int(fids[i]))
            f.SetField(n_attr + 1, fix.iloc[i])
            if wkb[k] is not None:
                f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb[k]))
            layer.CreateFeature(f)
        for g in _multi(np.array(result.added, dtype=object)):
            f = ogr.Feature(defn)
            f.SetField(n_attr + 1, "gap_new_parcel")
            f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
            layer.CreateFeature(f)
        layer.CommitTransaction()
        changes = ds.CreateLayer("changes", None, ogr.wkbNone)
        for name, kind in (("source_fid", ogr.OFTInteger64), ("sheet", ogr.OFTString), ("parcel", ogr.OFTString),
                           ("action", ogr.OFTString), ("area_before", ogr.OFTReal), ("area_after", ogr.OFTReal),
                           ("note", ogr.OFTString)):
            changes.CreateField(ogr.FieldDefn(name, kind))
        cdefn = changes.GetLayerDefn()
        changes.StartTransaction()
        for r in log.itertuples():
            f = ogr.Feature(cdefn)
            if r.index >= 0:
                f.SetField("source_fid", int(fids[r.index]))
                f.SetField("sheet", str(m["sheet"].iloc[r.index]))
                f.SetField("parcel", str(m["parcel"].iloc[r.index]))
            f.SetField("action", r.action)
            f.SetField("area_before", round(r.area_before, 3))
            f.SetField("area_after", round(r.area_after, 3))
            f.SetField("note", r.note)
            changes.CreateFeature(f)
        changes.CommitTransaction()
        ds = None
        os.replace(tmp, path)
    except BaseException:
        ds = None
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _multi(geoms: np.ndarray) -> np.ndarray:
    out = np.asarray(geoms, dtype=object).copy()
    if not len(out):
        return out
    poly = np.array([g is not None and g.geom_type == "Polygon" for g in out], dtype=bool)
    if poly.any():
        out[poly] = shapely.multipolygons(out[poly].reshape(-1, 1))
    return out
