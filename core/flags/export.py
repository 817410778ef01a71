"""Export a list of flags (usually the filtered one) so staff can split the work.

XLSX for Excel users, CSV in UTF-8 with a byte-order mark (so Excel shows Vietnamese
correctly), or a GeoPackage with the flags' geometries, taken from the flags file by
fid. Each format keeps `fid`, the flag's id in the flags file.
"""
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .store import FLAG_FIELDS, FLAGS_LAYER

EXPORT_COLUMNS = ["fid"] + [name for name, _ in FLAG_FIELDS]
FORMATS = (".xlsx", ".csv", ".gpkg")
XLSX_MAX_ROWS = 1_048_575            # one row for the header
# Control characters openpyxl refuses in a cell.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def export_flags(frame: pd.DataFrame, path: str, source: str | None = None) -> int:
    """Write the rows of `frame` (a load_flags frame or a filtered part of it) to `path`.

    The format follows the extension: .xlsx, .csv or .gpkg. A GeoPackage needs the
    flags file the rows came from (`source`, else frame.attrs["source"]) for the
    geometries. The file is written next to `path` and moved into place, so a failed
    export leaves no half file. Returns the number of flags written.
    """
    path = str(path)
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"cannot export flags to a '{ext or Path(path).name}' file", path,
                         fix="choose a name ending in .xlsx, .csv or .gpkg")
    table = _table(frame)
    if ext == ".xlsx" and len(table) > XLSX_MAX_ROWS:
        raise InputError(f"{len(table)} flags do not fit on one Excel sheet ({XLSX_MAX_ROWS} rows)", path,
                         fix="filter the list further, or export to .csv or .gpkg")
    source = source or frame.attrs.get("source")
    if ext == ".gpkg" and not (source and os.path.exists(source)):
        raise InputError("the flags file the rows came from is needed for their geometries", path,
                         fix="export the list the review dock shows, or pass source=FLAGS.gpkg")
    directory = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=ext, dir=directory)
    os.close(fd)
    try:
        if ext == ".csv":
            table.to_csv(tmp, index=False, encoding="utf-8-sig")
        elif ext == ".xlsx":
            _write_xlsx(table, tmp)
        else:
            os.remove(tmp)      # the GPKG driver makes its own file
            _write_gpkg(table, tmp, source, frame.attrs.get("crs_wkt", ""))
        os.replace(tmp, path)
    except PermissionError:
        _remove(tmp)
        raise InputError("cannot write the export", path,
                         fix="close the file if Excel or QGIS has it open, or choose another name") from None
    except BaseException:
        _remove(tmp)
        raise
    return len(table)


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    table = frame[[c for c in EXPORT_COLUMNS if c in frame.columns]].copy()
    table.attrs = {}
    return table.reset_index(drop=True)


def _write_xlsx(table: pd.DataFrame, path: str) -> None:
    table = table.copy()
    for name in table.columns:
        if table[name].dtype == object:
            table[name] = table[name].map(lambda v: _ILLEGAL_XLSX.sub("", v) if isinstance(v, str) else v)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="flags", index=False)
        sheet = writer.sheets["flags"]
        sheet.freeze_panes = "A2"
        if len(table.columns):
            sheet.auto_filter.ref = sheet.dimensions
        widths = {"message": 70, "suggestion": 40, "comment": 30, "ident": 30}
        for k, name in enumerate(table.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=k).column_letter].width = widths.get(name, 12)


def _write_gpkg(table: pd.DataFrame, path: str, source: str, crs_wkt: str) -> None:
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    fids = table["fid"].to_numpy(np.int64) if "fid" in table else np.array([], dtype=np.int64)
    geometries, source_srs = _geometries(source, fids)
    srs = source_srs
    if srs is None and crs_wkt:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(crs_wkt)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    try:
        layer = ds.CreateLayer(FLAGS_LAYER, srs, ogr.wkbMultiPolygon, options=["FID=fid"])
        fields = [(name, type_name) for name, type_name in FLAG_FIELDS if name in table.columns]
        for name, type_name in fields:
            layer.CreateField(ogr.FieldDefn(name, getattr(ogr, f"OFT{type_name}")))
        defn = layer.GetLayerDefn()
        columns = [(name, type_name, table[name].to_numpy(object)) for name, type_name in fields]
        layer.StartTransaction()
        for i, fid in enumerate(fids):
            feat = ogr.Feature(defn)
            feat.SetFID(int(fid))        # the same fid as in the flags file
            for name, type_name, values in columns:
                v = values[i]
                if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                    continue
                feat.SetField(name, float(v) if type_name == "Real" else
                              int(v) if type_name.startswith("Integer") else str(v))
            wkb = geometries.get(int(fid))
            if wkb is not None:
                feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
            layer.CreateFeature(feat)
        layer.CommitTransaction()
    finally:
        ds = None


def _geometries(source: str, fids: np.ndarray) -> tuple[dict, object]:
    """{fid: WKB} for the given flags of the flags file, and its spatial reference."""
    from osgeo import gdal
    gdal.UseExceptions()
    ds = gdal.OpenEx(source, gdal.OF_VECTOR | gdal.OF_READONLY)
    layer = ds.GetLayerByName(FLAGS_LAYER)
    if layer is None:
        raise InputError(f"has no layer '{FLAGS_LAYER}'", source, fix="choose the flags file a check wrote")
    srs = layer.GetSpatialRef()
    srs = srs.Clone() if srs is not None else None
    fid_col = layer.GetFIDColumn() or "fid"
    out = {}
    ids = sorted(set(int(f) for f in fids))
    for start in range(0, len(ids), 20000):
        chunk = ids[start:start + 20000]
        layer.SetAttributeFilter(f'"{fid_col}" IN ({",".join(map(str, chunk))})')
        for feat in layer:
            geom = feat.GetGeometryRef()
            out[feat.GetFID()] = bytes(geom.ExportToIsoWkb()) if geom is not None else None
    ds = None
    return out, srs


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
