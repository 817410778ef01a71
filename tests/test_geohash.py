"""Identification codes (core/codes/identification.py): GeoHash, VN-2000 → WGS84, the point rule,
PARCEL_CODE_DUPLICATE / PARCEL_CODE_STALE and cadastre_cleaner:assign_codes."""
import math
import re
import time

import numpy as np
import pytest
import shapely
from osgeo import ogr, osr

from cadastre_cleaner.core.flags import catalogue
from cadastre_cleaner.core.flags.flagset import FlagSet
from cadastre_cleaner.core.codes.identification import (VN2000_TOWGS84, assign_codes, check_codes, code_points,
                                                geohash, to_wgs84)
from cadastre_cleaner.core.loading.vector import read_vector
from cadastre_cleaner.core.sample import SampleSpec, generate_sample

B32 = "0123456789bcdefghjkmnpqrstuvwxyz"


def scalar_geohash(lat, lon, precision=12):
    """The textbook encoder, one point at a time."""
    lat_i, lon_i = [-90.0, 90.0], [-180.0, 180.0]
    out, bits, ch, even = [], 0, 0, True
    while len(out) < precision:
        if even:
            mid = (lon_i[0] + lon_i[1]) / 2
            if lon > mid:
                ch |= 16 >> bits
                lon_i[0] = mid
            else:
                lon_i[1] = mid
        else:
            mid = (lat_i[0] + lat_i[1]) / 2
            if lat > mid:
                ch |= 16 >> bits
                lat_i[0] = mid
            else:
                lat_i[1] = mid
        even = not even
        if bits < 4:
            bits += 1
        else:
            out.append(B32[ch])
            bits, ch = 0, 0
    return "".join(out)


def test_known_reference_values():
    assert str(geohash(57.64911, 10.40744, 11)) == "u4pruydqqvj"
    assert str(geohash(42.605, -5.603, 5)) == "ezs42"
    assert scalar_geohash(57.64911, 10.40744, 11) == "u4pruydqqvj"
    assert scalar_geohash(42.605, -5.603, 5) == "ezs42"
    assert str(geohash(0.0, 0.0, 12)).startswith("7zzzzz")       # lon/lat 0 is not above the middle
    assert len(str(geohash(21.0285, 105.8542))) == 12


def test_vectorised_matches_scalar():
    rng = np.random.default_rng(7)
    lat = np.concatenate([rng.uniform(-90, 90, 300), rng.uniform(8, 23.5, 300), [21.0285, -33.8688, 89.9, -89.9]])
    lon = np.concatenate([rng.uniform(-180, 180, 300), rng.uniform(102, 110, 300), [105.8542, 151.2093, 179.9, -179.9]])
    got = geohash(lat, lon)
    want = [scalar_geohash(a, b) for a, b in zip(lat, lon)]
    assert got.tolist() == want
    assert geohash([np.nan], [1.0]).tolist() == [""]


def _helmert_reference(x, y, lon0):
    """VN-2000 TM-3 → WGS84 without PROJ's Helmert: inverse TM on the VN-2000 ellipsoid
    (WGS84 ellipsoid, no datum shift) by OSR, then the EPSG 7-parameter position-vector
    transformation written out in numpy."""
    src = osr.SpatialReference()
    src.ImportFromProj4(f"+proj=tmerc +lat_0=0 +lon_0={lon0} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +no_defs")
    geo = osr.SpatialReference()
    geo.ImportFromProj4("+proj=longlat +ellps=WGS84 +no_defs")
    for s in (src, geo):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _ = osr.CoordinateTransformation(src, geo).TransformPoint(x, y)
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi, lam = math.radians(lat), math.radians(lon)
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    p = np.array([n * math.cos(phi) * math.cos(lam), n * math.cos(phi) * math.sin(lam), n * (1 - e2) * math.sin(phi)])
    tx, ty, tz, rx, ry, rz, ds = [float(v) for v in VN2000_TOWGS84.split(",")]
    sec = math.radians(1 / 3600)
    rx, ry, rz = rx * sec, ry * sec, rz * sec
    r = np.array([[1, -rz, ry], [rz, 1, -rx], [-ry, rx, 1]])    # position vector convention
    q = np.array([tx, ty, tz]) + (1 + ds * 1e-6) * r @ p
    lam2 = math.atan2(q[1], q[0])
    pr = math.hypot(q[0], q[1])
    phi2 = math.atan2(q[2], pr * (1 - e2))
    for _ in range(10):
        n2 = a / math.sqrt(1 - e2 * math.sin(phi2) ** 2)
        phi2 = math.atan2(q[2] + e2 * n2 * math.sin(phi2), pr)
    return math.degrees(lam2), math.degrees(phi2)


def _metres(lon1, lat1, lon2, lat2):
    return math.hypot((lon1 - lon2) * 111320 * math.cos(math.radians(lat1)), (lat1 - lat2) * 110574)


@pytest.mark.parametrize("crs", ["EPSG:9215", "wkt", "flipped"])
def test_vn2000_to_wgs84_uses_epsg_parameters(crs):
    x, y = 450000.0, 2420000.0
    ref_lon, ref_lat = _helmert_reference(x, y, 107.25)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    if crs == "wkt":
        crs = srs.ExportToWkt()
    elif crs == "flipped":
        # a copy with the rotation signs flipped (wrong, DOMAIN.md): its shift is replaced
        wrong = "-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278"
        srs.AddGuessedTOWGS84()
        crs = re.sub(r',AUTHORITY\["EPSG","\d+"\]', "", srs.ExportToWkt()).replace(
            VN2000_TOWGS84, wrong)
        assert wrong in crs and "EPSG" not in crs
        # taken at its word, that copy lands metres away
        bad = osr.SpatialReference()
        bad.ImportFromWkt(crs)
        wgs = osr.SpatialReference()
        wgs.ImportFromEPSG(4326)
        for s_ in (bad, wgs):
            s_.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        w_lon, w_lat, _ = osr.CoordinateTransformation(bad, wgs).TransformPoint(x, y)
        assert _metres(w_lon, w_lat, ref_lon, ref_lat) > 0.5      # flipped rotations: ~0.8 m off
        assert "Vietnam_2000" in crs
    lon, lat = to_wgs84([x], [y], crs)
    assert _metres(lon[0], lat[0], ref_lon, ref_lat) < 0.01     # well within 1 m
    # and an explicit PROJ pipeline agrees too
    pipe = ("+proj=pipeline +step +inv +proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 "
            "+ellps=WGS84 +step +proj=push +v_3 +step +proj=cart +ellps=WGS84 +step +proj=helmert "
            "+x=-191.90441429 +y=-39.30318279 +z=-111.45032835 +rx=0.00928836 +ry=-0.01975479 "
            "+rz=0.00427372 +s=0.252906278 +convention=position_vector +step +inv +proj=cart +ellps=WGS84 "
            "+step +proj=pop +v_3 +step +proj=unitconvert +xy_in=rad +xy_out=deg")
    opts = osr.CoordinateTransformationOptions()
    opts.SetOperation(pipe)
    s1 = osr.SpatialReference()
    s1.ImportFromEPSG(9215)
    s2 = osr.SpatialReference()
    s2.ImportFromEPSG(4326)
    out = osr.CreateCoordinateTransformation(s1, s2, opts).TransformPoint(x, y)
    p_lon, p_lat = (out[0], out[1]) if out[0] > 90 else (out[1], out[0])
    assert _metres(lon[0], lat[0], p_lon, p_lat) < 0.01


def test_point_rules():
    ell = shapely.Polygon([(0, 0), (30, 0), (30, 2), (2, 2), (2, 30), (0, 30)])
    square = shapely.box(0, 0, 10, 10)
    inner = code_points([ell, square, None], "inner")
    assert ell.contains(inner[0]) and inner[2] is None
    cen = code_points([ell, square], "centroid_if_inside")
    assert ell.contains(cen[0]) and not ell.contains(ell.centroid)
    assert cen[1].equals(square.centroid)
    with pytest.raises(Exception):
        code_points([square], "nowhere")


X0, Y0 = 450000.0, 2420000.0


def _grid(n=3):
    return np.array([shapely.box(X0 + c * 10, Y0 - (r + 1) * 10, X0 + (c + 1) * 10, Y0 - r * 10)
                     for r in range(n) for c in range(n)], dtype=object)


def test_stale_and_duplicate_flags():
    geoms = _grid()
    codes = assign_codes(geoms, "EPSG:9215")
    assert len(set(codes)) == 9 and all(len(c) == 12 for c in codes)
    flags = FlagSet()
    assert check_codes(geoms, "EPSG:9215", codes, flags)["stale"] == 0
    assert flags.frame().empty
    # a parcel moved 0.5 m east after its code was given: its code is stale
    moved = geoms.copy()
    moved[4] = shapely.affinity.translate(moved[4], 0.5, 0)
    flags = FlagSet()
    res = check_codes(moved, "EPSG:9215", codes, flags, sheet=["7"] * 9, parcel=[str(i) for i in range(1, 10)])
    f = flags.frame()
    assert res["stale"] == 1 and f["code"].tolist() == ["PARCEL_CODE_STALE"]
    assert f["map_idx"].tolist() == [4] and f["parcel"].tolist() == ["5"]
    assert f["suggested_value"].iloc[0] == res["codes"][4] != codes[4]
    assert codes[4] in f["message"].iloc[0]
    # a parcel copied (same geometry, same stored code): both copies flagged duplicate
    dup = np.concatenate([geoms, geoms[2:3]])
    flags = FlagSet()
    res = check_codes(dup, "EPSG:9215", list(codes) + [codes[2]], flags)
    f = flags.frame()
    assert set(f["code"]) == {"PARCEL_CODE_DUPLICATE"}
    assert sorted(f["map_idx"].tolist()) == [2, 9]
    assert f.set_index("map_idx").loc[2, "other_idx"] == 9
    # with no stored codes the computed codes are compared
    flags = FlagSet()
    assert check_codes(dup, "EPSG:9215", [None] * 10, flags)["duplicate"] == 2
    assert catalogue.codes("codes") == ["PARCEL_CODE_DUPLICATE", "PARCEL_CODE_STALE"]


@pytest.mark.slow
def test_unique_on_generated_commune(tmp_path):
    res = generate_sample(tmp_path, SampleSpec(parcels=100_000, write_xlsx=False))
    frame = read_vector(f"{res.gpkg}|layername=parcels")
    for rule in ("inner", "centroid_if_inside"):
        t = time.perf_counter()
        codes = assign_codes(frame.geometry, frame.crs_wkt, rule)
        took = time.perf_counter() - t
        print(f"\n{rule}: {len(codes)} codes in {took:.2f} s")
        assert len(codes) == res.n_parcels
        assert (np.char.str_len(codes.astype(str)) == 12).all()
        assert len(set(codes)) == len(codes)
        # Lạng Sơn: in Vietnam's north-east, GeoHash cell "w7"
        assert all(c.startswith("w7") for c in codes[:100])
    flags = FlagSet()
    res = check_codes(frame.geometry, frame.crs_wkt, codes, flags, rule="centroid_if_inside", codes=codes)
    assert res["duplicate"] == 0 and res["stale"] == 0
    assert flags.frame().empty


def test_processing_assign_codes(provider, tmp_path):
    import processing
    path = tmp_path / "map.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name in ("SHBANDO", "SHTHUA", "MADINHDANH"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    geoms = _grid()
    codes = assign_codes(geoms, "EPSG:9215")
    stored = list(codes)
    stored[1] = stored[0]          # duplicated
    stored[4] = "w7zzzzzzzzzz"     # stale
    for i, g in enumerate(geoms):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("SHBANDO", "7")
        f.SetField("SHTHUA", str(i + 1))
        f.SetField("MADINHDANH", stored[i])
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(g)))
        layer.CreateFeature(f)
    ds = None
    out = str(tmp_path / "codes.gpkg")
    res = processing.run("cadastre_cleaner:assign_codes", {"PARCELS": str(path), "OUTPUT": out})
    assert res["ASSIGNED"] == 9 and res["DUPLICATES"] == 2 and res["STALE"] == 2   # 1 and 4
    copy = read_vector(f"{out}|layername=parcels")
    assert copy.attrs["MADINHDANH"].tolist() == list(codes)
    table = read_vector(f"{out}|layername=code_flags", with_geometry=False).attrs
    assert sorted(table["code"]) == ["PARCEL_CODE_DUPLICATE"] * 2 + ["PARCEL_CODE_STALE"] * 2
