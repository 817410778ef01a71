"""Tiny hand-made cases as real files: a parcel GeoPackage, a register CSV, sheet frames.

Parcels are rectangles laid out on a row per sheet, so a test states only what
matters (sheet, number, area, land use) and the geometry follows.
"""
import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from osgeo import ogr, osr

X0, Y0 = 450_000.0, 2_420_000.0     # somewhere in Lạng Sơn, EPSG:9215
SHEET_SIZE = 500.0                    # a 1:1000 frame

REGISTER_HEADER = ["STT", "Mã xã", "Số tờ", "Số thửa", "Diện tích (m²)", "Mục đích sử dụng",
                   "Tên chủ sử dụng", "Loại đối tượng", "Số CCCD", "Số tờ cũ", "Số thửa cũ"]


@dataclass
class P:
    """A map parcel: sheet, number, area (a 10 m deep rectangle), land use."""
    sheet: str
    parcel: object
    area: float = 100.0
    landuse: str = "ONT"
    commune: str = "06073"
    at_sheet: str | None = None      # lay it out inside another sheet's frame (wrong sheet number)
    geometry: str | None = None      # explicit WKT instead of the laid-out rectangle


@dataclass
class R:
    """A register row."""
    sheet: object
    parcel: object
    area: object = 100.0
    landuse: str = "ONT"
    commune: str = "06073"
    owner: str = "Nguyễn Văn An"
    kind: str = "GDC"
    cid: str = "020090123456"
    old_sheet: str = ""
    old_parcel: str = ""


@dataclass
class Case:
    parcels: Path
    register: Path
    sheets: Path | None
    fids: list = field(default_factory=list)


def sheet_origin(sheet: str) -> tuple[float, float]:
    k = int("".join(ch for ch in str(sheet) if ch.isdigit()) or 0)
    return X0 + k * SHEET_SIZE, Y0


def write_case(tmp: Path, parcels: list[P], register: list[R], sheets: list[str] | None = None,
               map_fields=("MAXA", "SHBANDO", "SHTHUA", "DIENTICH", "KHLOAIDAT"),
               register_header=REGISTER_HEADER) -> Case:
    tmp.mkdir(parents=True, exist_ok=True)
    gpkg = tmp / "map.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    types = {"SHTHUA": ogr.OFTString, "DIENTICH": ogr.OFTReal}
    for name in map_fields:
        layer.CreateField(ogr.FieldDefn(name, types.get(name, ogr.OFTString)))
    cursor: dict[str, float] = {}
    fids = []
    for p in parcels:
        host = p.at_sheet or p.sheet
        x0, y0 = sheet_origin(host)
        x = cursor.get(host, 5.0)
        width = p.area / 10.0
        cursor[host] = x + width + 5.0
        wkt = p.geometry or (f"POLYGON(({x0 + x} {y0 + 5},{x0 + x + width} {y0 + 5},"
                             f"{x0 + x + width} {y0 + 15},{x0 + x} {y0 + 15},{x0 + x} {y0 + 5}))")
        feat = ogr.Feature(layer.GetLayerDefn())
        values = {"MAXA": p.commune, "SHBANDO": p.sheet, "SHTHUA": p.parcel,
                  "DIENTICH": round(p.area, 1), "KHLOAIDAT": p.landuse}
        for name in map_fields:
            if values.get(name) is not None:
                feat.SetField(name, values[name] if name == "DIENTICH" else str(values[name]))
        feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt) if wkt != "EMPTY" else None)
        layer.CreateFeature(feat)
        fids.append(feat.GetFID())
    sheets_path = None
    if sheets:
        sheets_path = tmp / "sheets.gpkg"
        sds = ogr.GetDriverByName("GPKG").CreateDataSource(str(sheets_path))
        sl = sds.CreateLayer("sheets", srs, ogr.wkbPolygon)
        for name in ("SHBANDO", "TYLE"):
            sl.CreateField(ogr.FieldDefn(name, ogr.OFTString if name == "SHBANDO" else ogr.OFTInteger))
        for s in sheets:
            x0, y0 = sheet_origin(s)
            feat = ogr.Feature(sl.GetLayerDefn())
            feat.SetField("SHBANDO", s)
            feat.SetField("TYLE", 1000)
            feat.SetGeometry(ogr.CreateGeometryFromWkt(
                f"POLYGON(({x0} {y0},{x0 + SHEET_SIZE} {y0},{x0 + SHEET_SIZE} {y0 + SHEET_SIZE},"
                f"{x0} {y0 + SHEET_SIZE},{x0} {y0}))"))
            sl.CreateFeature(feat)
        sds = None
    ds = None
    reg = tmp / "register.csv"
    with open(reg, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(register_header)
        for i, r in enumerate(register, start=1):
            w.writerow([i, r.commune, r.sheet, r.parcel, r.area, r.landuse, r.owner, r.kind, r.cid,
                        r.old_sheet, r.old_parcel][:len(register_header)])
    return Case(parcels=gpkg, register=reg, sheets=sheets_path, fids=fids)


def tol_1000(area: float) -> float:
    """The default area tolerance at 1:1000, for choosing test areas."""
    return 0.0004 * 1000 * math.sqrt(area)


def write_wkt_sheet(path, parcels_wkt, frames=(), sheet="7", epsg=3405) -> str:
    """A GeoPackage with `parcels` (SHBANDO = sheet, SHTHUA = 1, 2, … in order) from WKT,
    and `sheets` (SHBANDO, TYLE 1:1000) from (sheet, WKT) frames: for topology cases."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name, kind in (("SHBANDO", ogr.OFTString), ("SHTHUA", ogr.OFTInteger)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for number, wkt in enumerate(parcels_wkt, start=1):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("SHBANDO", sheet)
        f.SetField("SHTHUA", number)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(f)
    if frames:
        sl = ds.CreateLayer("sheets", srs, ogr.wkbPolygon)
        sl.CreateField(ogr.FieldDefn("SHBANDO", ogr.OFTString))
        sl.CreateField(ogr.FieldDefn("TYLE", ogr.OFTInteger))
        for name, wkt in frames:
            f = ogr.Feature(sl.GetLayerDefn())
            f.SetField("SHBANDO", name)
            f.SetField("TYLE", 1000)
            f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            sl.CreateFeature(f)
    ds = None
    return str(path)
