"""Parcel identification codes (mã định danh thửa đất): a 12-character GeoHash.

The code (Circular 09/2024/TT-BTNMT as reported, DOMAIN.md) is the GeoHash of the
WGS84 position of a characteristic point of the parcel, the map's VN-2000 coordinates
transformed to WGS84 first.

Which point (unconfirmed in DOMAIN.md, hence a setting, `rule`):
  "inner"               (default) shapely.point_on_surface: a point guaranteed inside
                        the parcel, also for L-shaped, ring-like or multi-part parcels;
  "centroid_if_inside"  the centroid when it lies strictly inside the parcel, else the
                        point_on_surface (the centroid of a concave parcel may fall in
                        its neighbour, whose code it would then share).
Either rule depends on the geometry only: a parcel whose geometry changed gets a new
code, which is what PARCEL_CODE_STALE reports.

VN-2000 → WGS84: the EPSG 7-parameter (position-vector) shift of DOMAIN.md,
+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278.
A VN-2000 CRS (any TM-3 / UTM zone, by WKT or "EPSG:nnnn") is rebuilt from its PROJ
string with exactly that +towgs84, whatever shift its WKT carries (many copies flip the
rotation signs) and whatever operation PROJ would pick. A 12-character GeoHash cell is
about 3.7 cm × 1.9 cm.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 12
RULES = ("inner", "centroid_if_inside")
VN2000_TOWGS84 = ("-191.90441429,-39.30318279,-111.45032835,"
                  "0.00928836,-0.01975479,0.00427372,0.252906278")
DEFAULT_CODE_FIELD = "MADINHDANH"
_ALPHABET = np.frombuffer(BASE32.encode("ascii"), dtype=np.uint8)


def geohash(lat, lon, precision: int = CODE_LENGTH) -> np.ndarray:
    """GeoHash of each (lat, lon) in degrees, as a numpy str array (scalar in → 0-d array).

    The classic bisection (longitude first, a bit is 1 when the value is above the
    middle), done bit by bit over whole arrays. NaN positions give ""."""
    if not 1 <= int(precision) <= 12:
        raise ValueError("precision must be 1…12 (60 bits)")
    precision = int(precision)
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    shape = np.broadcast_shapes(lat.shape, lon.shape)
    lat = np.broadcast_to(lat, shape).ravel()
    lon = np.broadcast_to(lon, shape).ravel()
    n = lat.size
    bad = ~(np.isfinite(lat) & np.isfinite(lon))
    lat_lo, lat_hi = np.full(n, -90.0), np.full(n, 90.0)
    lon_lo, lon_hi = np.full(n, -180.0), np.full(n, 180.0)
    code = np.zeros(n, dtype=np.uint64)
    for b in range(5 * precision):
        if b % 2 == 0:
            mid = (lon_lo + lon_hi) / 2
            bit = lon > mid
            lon_lo = np.where(bit, mid, lon_lo)
            lon_hi = np.where(bit, lon_hi, mid)
        else:
            mid = (lat_lo + lat_hi) / 2
            bit = lat > mid
            lat_lo = np.where(bit, mid, lat_lo)
            lat_hi = np.where(bit, lat_hi, mid)
        code = (code << np.uint64(1)) | bit.astype(np.uint64)
    chars = np.empty((n, precision), dtype=np.uint8)
    for k in range(precision):
        shift = np.uint64(5 * (precision - 1 - k))
        chars[:, k] = _ALPHABET[((code >> shift) & np.uint64(31)).astype(np.intp)]
    out = chars.view(f"S{precision}").ravel().astype(f"U{precision}")
    out[bad] = ""
    return out.reshape(shape)


# ---- VN-2000 → WGS84 ------------------------------------------------------------------


def _srs(crs):
    from osgeo import osr
    srs = osr.SpatialReference()
    text = str(crs or "").strip()
    if not text:
        raise InputError("the parcel layer has no coordinate system",
                         fix="set the layer's CRS (VN-2000 TM-3 of the province) first")
    if srs.SetFromUserInput(text) != 0:
        raise InputError(f"coordinate system not understood: {text[:60]}")
    return srs


def is_vn2000(srs) -> bool:
    """True for a CRS on the VN-2000 datum (EPSG:4756 and its projected CRSs)."""
    geog = srs.CloneGeogCS()
    if geog.GetAuthorityName(None) == "EPSG" and geog.GetAuthorityCode(None) == "4756":
        return True
    datum = (srs.GetAttrValue("DATUM") or "").lower().replace("_", "-").replace(" ", "-")
    return "vn-2000" in datum or "vietnam-2000" in datum


def source_srs(crs):
    """The source CRS to transform from: a VN-2000 CRS rebuilt with EPSG's +towgs84."""
    from osgeo import osr
    srs = _srs(crs)
    if not is_vn2000(srs):
        return srs
    proj4 = srs.ExportToProj4()
    proj4 = re.sub(r"\+(towgs84|datum|nadgrids|ellps|a|b|rf|f)=\S+\s*", "", proj4)
    proj4 = proj4.replace("+no_defs", "").strip()
    proj4 += f" +ellps=WGS84 +towgs84={VN2000_TOWGS84} +no_defs"
    out = osr.SpatialReference()
    if out.ImportFromProj4(proj4) != 0:
        raise InputError(f"cannot rebuild the VN-2000 CRS from '{proj4}'")
    return out


def to_wgs84(x, y, crs) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) in WGS84 degrees for map coordinates x (easting), y (northing)."""
    from osgeo import osr
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    src = source_srs(crs)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon = np.full(x.shape, np.nan)
    lat = np.full(x.shape, np.nan)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return lon, lat
    ct = osr.CoordinateTransformation(src, dst)
    pts = np.column_stack([x[ok], y[ok]])
    res = np.asarray(ct.TransformPoints(pts), dtype=float)
    lon[ok], lat[ok] = res[:, 0], res[:, 1]
    return lon, lat


# ---- codes -------------------------------------------------------------------------------


def code_points(geoms, rule: str = "inner") -> np.ndarray:
    """The characteristic point of each parcel by `rule` (None for a missing geometry)."""
    if rule not in RULES:
        raise InputError(f"unknown point rule '{rule}'", fix=f"rules are: {', '.join(RULES)}")
    geoms = np.asarray(geoms, dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    pts = np.full(len(geoms), None, dtype=object)
    if not usable.any():
        return pts
    g = geoms[usable]
    inner = shapely.point_on_surface(g)
    if rule == "centroid_if_inside":
        c = shapely.centroid(g)
        inside = shapely.contains_properly(g, c)
        inner = np.where(inside, c, inner)
    pts[usable] = inner
    return pts


def assign_codes(geoms, crs_wkt, rule: str = "inner", precision: int = CODE_LENGTH) -> np.ndarray:
    """The identification code of each parcel ("" for a parcel without geometry)."""
    pts = code_points(geoms, rule)
    have = np.array([p is not None for p in pts], dtype=bool) if len(pts) else np.zeros(0, bool)
    codes = np.full(len(pts), "", dtype=f"U{precision}")
    if have.any():
        p = pts[have]
        lon, lat = to_wgs84(shapely.get_x(p), shapely.get_y(p), crs_wkt)
        codes[have] = geohash(lat, lon, precision)
    return codes.astype(object)


def check_codes(geoms, crs_wkt, stored_codes, flags, *, rule: str = "inner", sheet=None, parcel=None,
                commune=None, codes=None) -> dict:
    """Adds PARCEL_CODE_DUPLICATE and PARCEL_CODE_STALE flags to `flags` (a FlagSet).

    DUPLICATE: two or more parcels share a code (the stored one, or the computed one
    where none is stored), one flag per parcel. STALE: the stored code differs from the
    code of the parcel's current geometry. A parcel without a stored code is not stale.
    Returns {"codes": computed codes, "duplicate": n flags, "stale": n flags}.
    """
    from ..flags.flagset import render
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    current = np.asarray(codes, dtype=object) if codes is not None else assign_codes(geoms, crs_wkt, rule)
    stored = pd.Series(np.asarray(stored_codes, dtype=object)).astype(object)
    stored = stored.where(stored.notna(), "").astype(str).str.strip().to_numpy(dtype=object)
    sheet = np.asarray(sheet if sheet is not None else np.full(n, ""), dtype=object).astype(str)
    parcel = np.asarray(parcel if parcel is not None else np.arange(n).astype(str), dtype=object).astype(str)
    commune = np.asarray(commune if commune is not None else np.full(n, ""), dtype=object).astype(str)
    idx_all = np.arange(n, dtype=np.int64)

    effective = np.where(stored != "", stored, current).astype(str)
    has = effective != ""
    frame = pd.DataFrame({"code": effective[has], "i": idx_all[has]})
    dup = frame[frame["code"].duplicated(keep=False)].sort_values(["code", "i"], kind="stable")
    n_dup = len(dup)
    if n_dup:
        grp = dup.groupby("code")["i"]
        first = grp.transform("first").to_numpy()
        second = grp.transform(lambda s: s.iloc[1]).to_numpy()
        count = grp.transform("size").to_numpy()
        i = dup["i"].to_numpy()
        other = np.where(first == i, second, first)
        others = np.char.add(np.char.add(sheet[other].astype(str), "/"), parcel[other].astype(str))
        val = dup["code"].to_numpy(dtype=object)
        flags.add("PARCEL_CODE_DUPLICATE", n_dup,
                  messages=render("PARCEL_CODE_DUPLICATE", sheet=sheet[i], parcel=parcel[i], value=val,
                                  count=count - 1, other=others),
                  commune=commune[i], sheet=sheet[i], parcel=parcel[i], map_idx=i, other_idx=other,
                  ident_extra=val, map_value=val, geom_ref=i)
    stale = (stored != "") & (current != "") & (stored != current)
    s = np.flatnonzero(stale)
    if len(s):
        flags.add("PARCEL_CODE_STALE", len(s),
                  messages=render("PARCEL_CODE_STALE", sheet=sheet[s], parcel=parcel[s],
                                  stored=stored[s], current=current[s]),
                  commune=commune[s], sheet=sheet[s], parcel=parcel[s], map_idx=s,
                  ident_extra=stored[s], map_value=stored[s], s_value=current[s].astype(str),
                  suggestion="assign_code", target="map", geom_ref=s)
    return {"codes": current, "duplicate": int(n_dup), "stale": int(len(s))}
