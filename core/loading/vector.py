"""Vector layers in: OGR layers -> LayerFrame, read-only and in bulk.

Sources are opened read-only. Layers are read through GDAL's Arrow stream (GDAL >= 3.6)
with a feature-by-feature fallback; "file.gpkg|layername=NAME" names a layer.
"""
import logging
import os

import numpy as np
import pandas as pd

from ..register.fields import fold
from ..errors import InputError
from ..frames import LayerFrame

log = logging.getLogger("cadastre_cleaner")



def split_source(source: str) -> tuple[str, str | None]:
    """'file.gpkg|layername=parcels' -> ('file.gpkg', 'parcels') (QGIS's own notation)."""
    path, _, rest = str(source).partition("|")
    layer = None
    for part in rest.split("|"):
        key, _, value = part.partition("=")
        if key.strip().lower() == "layername" and value:
            layer = value
    return path, layer


def _gdal():
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return gdal, ogr


def _open_vector(path: str, role: str):
    gdal, _ = _gdal()
    if not path.upper().startswith(("PG:", "MSSQL:", "OCI:")) and not os.path.exists(path):
        raise InputError(f"{role} file not found", path, fix="check the path")
    try:
        return gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    except RuntimeError as err:
        raise InputError(f"cannot open as a {role} layer ({str(err).strip()})", path,
                         fix="is it a vector file (GeoPackage, shapefile, …) and not damaged?") from None


def _pick_layer(ds, path: str, layer_name: str | None, role: str):
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    if not names:
        raise InputError(f"contains no layer to read as {role}", path)
    if layer_name:
        if layer_name not in names:
            raise InputError(f"has no layer '{layer_name}'", path, fix=f"layers are: {', '.join(names)}")
        return ds.GetLayerByName(layer_name)
    wanted = {"parcels": ("parcels", "thuadat", "thua"), "sheets": ("sheets", "tobando", "khung")}
    for name in names:
        if fold(name) in wanted.get(role, ()):
            return ds.GetLayerByName(name)
    return ds.GetLayer(0)


def _decode(values) -> np.ndarray:
    """Arrow-stream column -> numpy object/number array with None for nulls."""
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    data = np.ma.getdata(values)
    if data.dtype.kind == "S":
        out = np.char.decode(data, "utf-8", errors="replace").astype(object)
    elif data.dtype.kind == "O":
        out = np.array([v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in data],
                       dtype=object)
    else:
        out = data
    if mask is not None and mask.any():
        out = out.astype(object) if out.dtype.kind not in "fO" else out.copy()
        out[mask] = None if out.dtype.kind == "O" else np.nan
    return out


def read_vector(source: str, role: str = "parcels", with_geometry: bool = True) -> LayerFrame:
    """Read a whole OGR layer: attributes, shapely geometries (None for null), FIDs."""
    import shapely

    path, layer_name = split_source(source)
    ds = _open_vector(path, role)
    layer = _pick_layer(ds, path, layer_name, role)
    defn = layer.GetLayerDefn()
    field_names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    geom_col = layer.GetGeometryColumn() or "wkb_geometry"
    fid_col = layer.GetFIDColumn() or "OGC_FID"
    has_geom = defn.GetGeomType() != 0 and with_geometry
    columns: dict[str, list] = {name: [] for name in field_names}
    fids, geoms = [], []
    try:
        # Batches of 10 000 and geometries decoded batch by batch: each step holds the GIL
        # briefly, so a UI thread running beside this reader (QgsTask) stays responsive.
        stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=YES", "MAX_FEATURES_IN_BATCH=10000"])
        for batch in stream:
            fids.append(np.asarray(batch[fid_col]) if fid_col in batch else
                        np.arange(len(next(iter(batch.values())))))
            for name in field_names:
                columns[name].append(_decode(batch[name]))
            if has_geom:
                g = batch.get(geom_col)
                if g is not None:
                    geoms.append(shapely.from_wkb(np.ma.filled(g, None), on_invalid="ignore"))
        arrow_ok = True
    except (AttributeError, RuntimeError, KeyError) as err:  # old GDAL or a driver without it
        log.debug("arrow stream unavailable for %s: %s", path, err)
        arrow_ok = False
    if arrow_ok:
        attrs = pd.DataFrame({n: (np.concatenate(v) if v else np.array([], dtype=object))
                              for n, v in columns.items()}, columns=field_names)
        fid_arr = np.concatenate(fids).astype(np.int64) if fids else np.array([], dtype=np.int64)
        geometry = None
        if has_geom:
            geometry = np.concatenate(geoms) if geoms else np.array([], dtype=object)
    else:
        attrs, fid_arr, geometry = _read_features(layer, field_names, has_geom)
    srs = layer.GetSpatialRef()
    crs_wkt = srs.ExportToWkt() if srs is not None else ""
    authid = ""
    if srs is not None and srs.GetAuthorityName(None) and srs.GetAuthorityCode(None):
        authid = f"{srs.GetAuthorityName(None)}:{srs.GetAuthorityCode(None)}"
    return LayerFrame(attrs=attrs.reset_index(drop=True), source=source, geometry=geometry,
                      fids=fid_arr, rows=fid_arr, crs_wkt=crs_wkt, crs_authid=authid)


def _read_features(layer, field_names, has_geom):
    import shapely
    rows, fids, wkbs = [], [], []
    layer.ResetReading()
    for feat in layer:
        rows.append([feat.GetField(i) for i in range(len(field_names))])
        fids.append(feat.GetFID())
        if has_geom:
            g = feat.GetGeometryRef()
            wkbs.append(bytes(g.ExportToIsoWkb()) if g is not None else None)
    attrs = pd.DataFrame(rows, columns=field_names)
    geometry = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore") if has_geom else None
    return attrs, np.array(fids, dtype=np.int64), geometry
