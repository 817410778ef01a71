"""Finding sheet files and reading them with OGR, read-only, in bulk.

Each file is opened with GDAL's read-only flag and read through the Arrow stream
(one batch of NumPy arrays per 10 000 features); text comes back as bytes and is
decoded here (loader_text), so a DGN's 8-bit legacy text survives. A file OGR cannot
open, or a shapefile shorter than its header says, raises UnreadableFile with a
reason and a fix the report shows.
"""
from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from .text import decode_column

# suffix -> (kind, OGR driver) ; "drawing": lines + text labels, "vector": polygons
FORMATS = {
    ".shp": ("vector", "ESRI Shapefile"), ".gpkg": ("vector", "GPKG"),
    ".tab": ("vector", "MapInfo File"), ".mif": ("vector", "MapInfo File"),
    ".gml": ("vector", "GML"), ".dxf": ("drawing", "DXF"), ".dgn": ("drawing", "DGN"),
}
# Only the layer roles these names suggest are taken from a multi-layer GeoPackage/GML.
_PARCEL_LAYER_NAMES = ("parcels", "thuadat", "thua", "thua_dat", "parcel")


class NotASheetFile(Exception):
    """A file to leave out: an output of `load` or `check` lying among the sheets."""


class UnreadableFile(Exception):
    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


@dataclass
class SourceFile:
    path: Path
    root: Path | None          # the input folder it was found under (None: given as a file)
    kind: str                  # "vector" | "drawing"
    driver: str

    @property
    def display(self) -> str:
        """The path as the user knows it: relative to the input folder."""
        if self.root is not None:
            try:
                return str(self.path.relative_to(self.root))
            except ValueError:
                pass
        return str(self.path)


@dataclass
class RawLayer:
    attrs: pd.DataFrame
    geometry: np.ndarray
    fids: np.ndarray
    srs: object = None         # osr.SpatialReference or None
    layer_name: str = ""
    notes: list = field(default_factory=list)


def find_files(inputs) -> tuple[list[SourceFile], list[str]]:
    """Sheet files under the given folders (recursively) and the given files, in a stable
    order; and the inputs that are neither (for the report)."""
    found, skipped, seen = [], [], set()
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p):
                dirnames.sort()
                for name in sorted(filenames):
                    _add(Path(dirpath) / name, p, found, seen)
        elif p.is_file() and p.suffix.lower() in FORMATS:
            _add(p, None, found, seen)
        else:
            skipped.append(str(item))
    return found, skipped


def _add(path: Path, root, found, seen):
    suffix = path.suffix.lower()
    if suffix not in FORMATS or path.name.startswith("."):
        return
    if suffix == ".mif" and path.with_suffix(".tab").exists():
        return
    key = path.resolve()
    if key in seen:
        return
    seen.add(key)
    kind, driver = FORMATS[suffix]
    found.append(SourceFile(path, root, kind, driver))


def _gdal():
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr


def open_readonly(src: SourceFile):
    """The OGR dataset, opened read-only with the driver its suffix names."""
    gdal, _ = _gdal()
    _precheck(src)
    try:
        ds = gdal.OpenEx(str(src.path), gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=[src.driver])
    except RuntimeError as err:
        reason = (gdal_message(err) or "not recognised").replace(str(src.path), src.path.name)
        raise UnreadableFile(f"GDAL cannot open it as {src.driver} ({reason})",
                             _fix_for(src)) from None
    if ds is None or ds.GetLayerCount() == 0:
        raise UnreadableFile(f"GDAL finds no layer in it as {src.driver}", _fix_for(src))
    return ds


def gdal_message(err) -> str:
    """GDAL's error text without its source-file prefix ('./ogr/…/x.cpp, 3367: ')."""
    text = str(err).strip()
    return re.sub(r"^\S+\.cpp, \d+: ", "", text)


def _fix_for(src: SourceFile) -> str:
    return {
        ".dgn": "only MicroStation DGN v7 is read: save it as V7 in MicroStation (or convert a V8 "
                "file with ODA File Converter), or copy it again if it is damaged",
        ".dxf": "open it in AutoCAD/MicroStation and save it again as DXF (R12–2018), or copy it again",
        ".shp": "copy the shapefile again with all its parts (.shp, .shx, .dbf, .prj), or restore it "
                "from a backup",
    }.get(src.path.suffix.lower(), "open it in QGIS to see what is wrong, or copy it again")


def _precheck(src: SourceFile) -> None:
    """Damage OGR reads past silently: a shapefile cut short, a DGN v8 file."""
    path = src.path
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile("the file is empty (0 bytes)", _fix_for(src))
    suffix = path.suffix.lower()
    if suffix == ".dgn":
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableFile("it is a MicroStation V8 DGN (GDAL reads only V7)", _fix_for(src))
    if suffix != ".shp":
        return
    for part, header_len in ((path, "shp"), (path.with_suffix(".shx"), "shx")):
        if not part.exists():
            alt = part.with_suffix(part.suffix.upper())
            if not alt.exists():
                raise UnreadableFile(f"{part.name} is missing", _fix_for(src))
            part = alt
        with open(part, "rb") as fh:
            head = fh.read(28)
        if len(head) < 28 or struct.unpack(">i", head[:4])[0] != 9994:
            raise UnreadableFile(f"{part.name} is not a shapefile {header_len} (bad header)", _fix_for(src))
        expected = struct.unpack(">i", head[24:28])[0] * 2
        actual = part.stat().st_size
        if actual < expected:
            raise UnreadableFile(f"{part.name} is truncated: {actual} of the {expected} bytes its header "
                                 "announces", _fix_for(src))
    dbf = path.with_suffix(".dbf")
    if dbf.exists():
        with open(dbf, "rb") as fh:
            head = fh.read(12)
        if len(head) == 12:
            records, header_size, record_size = struct.unpack("<IHH", head[4:12])
            expected = header_size + records * record_size
            if dbf.stat().st_size < expected:
                raise UnreadableFile(f"{dbf.name} is truncated: {dbf.stat().st_size} of the {expected} "
                                     "bytes its header announces", _fix_for(src))


def pick_layers(ds, src: SourceFile) -> list:
    """The layers to read: all of a drawing's; of a vector file the parcel-named layer, else
    every layer with polygons."""
    from osgeo import ogr
    layers = [ds.GetLayer(i) for i in range(ds.GetLayerCount())]
    if src.kind == "drawing":
        return layers
    named = [lyr for lyr in layers if lyr.GetName().lower() in _PARCEL_LAYER_NAMES]
    if named:
        return named[:1]
    polygonal = [lyr for lyr in layers
                 if ogr.GT_Flatten(lyr.GetGeomType()) in (ogr.wkbPolygon, ogr.wkbMultiPolygon,
                                                          ogr.wkbUnknown, ogr.wkbCurvePolygon,
                                                          ogr.wkbMultiSurface)]
    return polygonal or layers[:1]


def read_layer(layer) -> RawLayer:
    """Attributes (text decoded), shapely geometries, FIDs and CRS of a whole layer."""
    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    try:
        attrs, geoms, fids, unparsed = _read_arrow(layer, names)
    except (AttributeError, RuntimeError, KeyError, ValueError):
        # old GDAL, or a driver whose Arrow stream fails: the slow path
        attrs, geoms, fids, unparsed = _read_features(layer, names)
    notes = [f"{unparsed} geometries could not be read (damaged): loaded without geometry — "
             "look at them in QGIS"] if unparsed else []
    srs = layer.GetSpatialRef()
    if srs is not None:
        from osgeo import osr
        srs = srs.Clone()
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return RawLayer(attrs=attrs, geometry=geoms, fids=fids, srs=srs, layer_name=layer.GetName(), notes=notes)


def _read_arrow(layer, names):
    geom_col = layer.GetGeometryColumn() or "wkb_geometry"
    fid_col = layer.GetFIDColumn() or "OGC_FID"
    cols = {n: [] for n in names}
    fids, geoms, unparsed = [], [], 0
    stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES", "MAX_FEATURES_IN_BATCH=10000"])
    for batch in stream:
        n = len(next(iter(batch.values()))) if batch else 0
        done = sum(len(f) for f in fids)
        fids.append(np.asarray(batch[fid_col], dtype=np.int64) if fid_col in batch else np.arange(done, done + n))
        for name in names:
            cols[name].append(decode_column(batch[name]))
        g = batch.get(geom_col)
        parsed, bad = _from_wkb(np.ma.filled(g, None)) if g is not None else (np.full(n, None, dtype=object), 0)
        geoms.append(parsed)
        unparsed += bad
    geometry = np.concatenate(geoms) if geoms else np.array([], dtype=object)
    fid_arr = np.concatenate(fids) if fids else np.array([], dtype=np.int64)
    # the index is given: a layer without fields still has its rows
    attrs = pd.DataFrame({n: (np.concatenate(v) if v else np.array([], dtype=object))
                          for n, v in cols.items()}, columns=names, index=pd.RangeIndex(len(fid_arr)))
    return attrs, geometry, fid_arr, unparsed


def _from_wkb(wkb: np.ndarray) -> tuple[np.ndarray, int]:
    """Geometries, and how many could not be read (damaged): those come back null.
    Curves (MapInfo arcs, GeoPackage curve polygons) GEOS does not take are made linear
    by OGR first; that is rare, so feature by feature."""
    try:
        out = shapely.from_wkb(wkb, on_invalid="ignore")
    except (NotImplementedError, shapely.errors.GEOSException):   # shapely: "Nonlinear geometry types…"
        out = shapely.from_wkb(np.array([_linear(w) for w in wkb], dtype=object), on_invalid="ignore")
    given = pd.notna(pd.Series(wkb, dtype=object)).to_numpy(bool)
    return out, int((given & shapely.is_missing(out)).sum())


def _linear(wkb):
    from osgeo import ogr
    if wkb is None:
        return None
    try:
        return bytes(ogr.CreateGeometryFromWkb(bytes(wkb)).GetLinearGeometry().ExportToIsoWkb())
    except RuntimeError:
        return None


def _read_features(layer, names):
    rows, fids, wkbs = [], [], []
    layer.ResetReading()
    for feat in layer:
        rows.append([feat.GetField(i) for i in range(len(names))])
        fids.append(feat.GetFID())
        g = feat.GetGeometryRef()
        wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None else None)
    raw = pd.DataFrame(rows, columns=names)
    attrs = pd.DataFrame({n: decode_column(raw[n].to_numpy()) for n in names}, columns=names,
                         index=pd.RangeIndex(len(fids)))
    geometry, unparsed = _from_wkb(np.array(wkbs, dtype=object))
    return attrs, geometry, np.array(fids, dtype=np.int64), unparsed


def read_source(src: SourceFile) -> list[RawLayer]:
    """Every layer of the file that matters, read whole. Raises UnreadableFile."""
    gdal, _ = _gdal()
    ds = open_readonly(src)
    try:
        names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
        if src.driver == "GPKG" and ("load_report" in names or {"flags", "runs"} <= names):
            raise NotASheetFile("a Cadastre Cleaner output (load or flags file)")
        layers = pick_layers(ds, src)
        out = []
        for layer in layers:
            try:
                out.append(read_layer(layer))
            except RuntimeError as err:
                reason = gdal_message(err) or gdal_message(gdal.GetLastErrorMsg()) or "damaged data"
                raise UnreadableFile(f"the data is damaged ({reason.replace(str(src.path), src.path.name)})",
                                     _fix_for(src)) from None
        return out
    finally:
        ds = None
