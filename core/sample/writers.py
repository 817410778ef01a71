"""Writing a sample: the GeoPackage (parcels and sheets), the register as CSV and XLSX, the key.

The GeoPackage is written with OGR feature by feature inside one transaction (GDAL 3.6
has no bulk Arrow writer); codes, sheet numbers and IDs are text everywhere so their
leading zeros survive.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..progress import Progress

CRS_EPSG = 9215                 # VN-2000 / TM-3 107-15 (Lạng Sơn)

REGISTER_HEADERS = ["STT", "Mã xã", "Số tờ", "Số thửa", "Diện tích (m²)", "Mục đích sử dụng",
                    "Tên chủ sử dụng", "Loại đối tượng", "Số CCCD", "Địa chỉ", "Số tờ cũ",
                    "Số thửa cũ"]
_TEXT_HEADERS = {"Mã xã", "Số tờ", "Mục đích sử dụng", "Tên chủ sử dụng", "Loại đối tượng",
                 "Số CCCD", "Địa chỉ", "Số tờ cũ"}


def _ogr():
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ogr.UseExceptions()
    return ogr, osr


def write_gpkg(path: Path, parcels: dict, sheets: dict, progress: Progress) -> None:
    """parcels: MAXA, SHBANDO, SHTHUA, DIENTICH, KHLOAIDAT lists and `geometry` (shapely);
    sheets: SHBANDO, MAXA, TYLE, MAHIEU and `geometry`. FIDs are 1…n in the given order."""
    ogr, osr = _ogr()
    path = Path(path)
    if path.exists():
        path.unlink()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(CRS_EPSG)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    # a MultiPolygon parcel (a sample's MULTIPART defect) in the Polygon layer is written
    # as it is, without GDAL's warning about it
    from osgeo import gdal
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds.StartTransaction()
        specs = [("parcels", [("MAXA", ogr.OFTString, 5), ("SHBANDO", ogr.OFTString, 20),
                              ("SHTHUA", ogr.OFTInteger, 0), ("DIENTICH", ogr.OFTReal, 0),
                              ("KHLOAIDAT", ogr.OFTString, 10)], parcels),
                 ("sheets", [("SHBANDO", ogr.OFTString, 20), ("MAXA", ogr.OFTString, 5),
                             ("TYLE", ogr.OFTInteger, 0), ("MAHIEU", ogr.OFTString, 20)], sheets)]
        for name, fields, data in specs:
            layer = ds.CreateLayer(name, srs, ogr.wkbPolygon,
                                   options=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
            for fname, ftype, width in fields:
                defn = ogr.FieldDefn(fname, ftype)
                if width:
                    defn.SetWidth(width)
                layer.CreateField(defn)
            _write_features(ogr, layer, fields, data, progress if name == "parcels" else None)
        ds.CommitTransaction()
    finally:
        gdal.PopErrorHandler()
        ds = None


def _write_features(ogr, layer, fields, data: dict, progress: Progress | None) -> None:
    feature = ogr.Feature(layer.GetLayerDefn())
    setters = {ogr.OFTString: feature.SetFieldString, ogr.OFTInteger: feature.SetFieldInteger64,
               ogr.OFTReal: feature.SetField}
    columns = [(k, setters[ftype], list(data[fname])) for k, (fname, ftype, _) in enumerate(fields)]
    wkb = shapely.to_wkb(data["geometry"])
    n = len(wkb)
    step = 50_000
    for start in range(0, n, step):
        if progress is not None:
            progress.check()
            progress.set_progress(100.0 * start / max(n, 1))
        for i in range(start, min(n, start + step)):
            for k, setter, values in columns:
                setter(k, values[i])
            # a null geometry (a sample's GEOM_EMPTY defect) stays null
            feature.SetGeometryDirectly(None if wkb[i] is None else ogr.CreateGeometryFromWkb(wkb[i]))
            feature.SetFID(i + 1)
            layer.CreateFeature(feature)


def register_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The register as the text a spreadsheet shows: areas with one decimal, blanks empty."""
    out = frame.copy()
    out["Diện tích (m²)"] = [f"{a:.1f}" for a in frame["Diện tích (m²)"]]
    return out


def write_register_csv(path: Path, frame: pd.DataFrame) -> None:
    """UTF-8 with BOM (Excel opens it with the accents right), comma separated."""
    register_text(frame).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")


def write_register_xlsx(path: Path, frame: pd.DataFrame, progress: Progress | None = None) -> None:
    """openpyxl write-only: codes and IDs as text cells, numbers as numbers."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sổ địa chính")
    widths = {"A": 7, "B": 8, "C": 7, "D": 8, "E": 13, "F": 10, "G": 24, "H": 9, "I": 15,
              "J": 44, "K": 8, "L": 9}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws.append(REGISTER_HEADERS)
    text = [h in _TEXT_HEADERS for h in REGISTER_HEADERS]
    columns = [frame[h].tolist() for h in REGISTER_HEADERS]
    stt, old_number, area = 0, REGISTER_HEADERS.index("Số thửa cũ"), REGISTER_HEADERS.index("Diện tích (m²)")
    n = len(frame)
    for i in range(n):
        if progress is not None and i % 20_000 == 0:
            progress.check()
            progress.set_progress(100.0 * i / max(n, 1))
        row = [c[i] for c in columns]
        row[stt] = int(row[stt])
        row[area] = float(row[area])
        row[old_number] = int(row[old_number]) if row[old_number] != "" else None
        for k, is_text in enumerate(text):
            if is_text and row[k] == "":
                row[k] = None
        ws.append(row)
    wb.save(path)


def write_key_csv(path: Path, frame: pd.DataFrame) -> None:
    """Plain UTF-8 (no BOM): a file for programs and tests."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def sheet_frames(left_m: np.ndarray, bottom_m: np.ndarray, size_m: np.ndarray) -> np.ndarray:
    return shapely.box(left_m, bottom_m, left_m + size_m, bottom_m + size_m)
