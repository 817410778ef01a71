"""`load`: per-sheet files (shapefile, DXF, DGN v7 …) into one GeoPackage that `check` reads.

A generated commune written as per-sheet files must come back parcel for parcel, with
exactly the label and line defects put into its drawings flagged; small hand-made files
show each rule: file-name patterns, sheet-number conflicts, commune from the folder,
damaged files, CRS mistakes, legacy text, level mappings, snapping.
"""
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from osgeo import gdal, ogr, osr

from cadastre_cleaner.core.loading import vn_encodings
from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.loading.load import LoadRequest, load_sheets
from cadastre_cleaner.core.loading.crs import PROVINCE_MERIDIANS, province_epsg, province_table
from cadastre_cleaner.core.loading.linework import LevelMapping, polygonize
from cadastre_cleaner.core.loading.names import commune_from_folders, compile_patterns, sheet_from_name
from cadastre_cleaner.core.loading.vector import read_vector
from cadastre_cleaner.core.sample import SampleSpec
from cadastre_cleaner.core.sample.sheet_files import SheetFilesSpec, generate_sheet_files, legacy_form

ogr.UseExceptions()
X0, Y0 = 431_000.0, 2_438_200.0          # inside EPSG:9215 (Lạng Sơn), as the sample is


# ----------------------------------------------------------------------------- helpers

def _box(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


def _grid(nx=3, ny=2, size=20.0, x0=X0, y0=Y0):
    return [_box(x0 + i * size, y0 + j * size, x0 + (i + 1) * size, y0 + (j + 1) * size)
            for j in range(ny) for i in range(nx)]


def write_shapefile(path, polygons, fields: dict, epsg=9215, srs_wkt=None, legacy=False, cpg=None):
    """A shapefile with text fields (str values) and numbers; legacy=True writes the
    text's cp1252 characters as bytes (the way old software stored TCVN3/VNI)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    srs = None
    if srs_wkt or epsg:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(srs_wkt) if srs_wkt else srs.ImportFromEPSG(epsg)
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    layer = ds.CreateLayer(path.stem, srs, ogr.wkbPolygon,
                           options=["ENCODING=CP1252" if legacy else "ENCODING=UTF-8"])
    for name, values in fields.items():
        kind = ogr.OFTString if isinstance(values[0], str) else (
            ogr.OFTInteger if isinstance(values[0], int) else ogr.OFTReal)
        layer.CreateField(ogr.FieldDefn(name, kind))
    for i, poly in enumerate(polygons):
        f = ogr.Feature(layer.GetLayerDefn())
        for name, values in fields.items():
            f.SetField(name, values[i])
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(poly)))
        layer.CreateFeature(f)
    ds = None
    if cpg is not None:
        path.with_suffix(".cpg").write_text(cpg)
    return path


def write_dxf(path, lines, labels):
    """labels: (x, y, layer, text)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds = ogr.GetDriverByName("DXF").CreateDataSource(str(path))
    layer = ds.CreateLayer("entities", None, ogr.wkbUnknown)
    for line, name in lines:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("Layer", name)
        f.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(line)))
        layer.CreateFeature(f)
    for x, y, name, text in labels:
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("Layer", name)
        f.SetStyleString(f'LABEL(f:"Arial",t:"{text}",s:1g)')
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        layer.CreateFeature(f)
    ds = None
    return path


def load(tmp_path, inputs, **kw):
    out = tmp_path / kw.pop("out_name", "loaded.gpkg")
    summary = load_sheets(LoadRequest(inputs=[str(i) for i in inputs], out=str(out), **kw))
    return summary, out


def layer(out, name):
    return read_vector(f"{out}|layername={name}", role=name)


def flags_of(out) -> pd.DataFrame:
    f = layer(out, "flags")
    return f.attrs.assign(geometry=f.geometry)


def hashes(folder) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}


# ----------------------------------------------------------------------------- names

@pytest.mark.parametrize("stem, sheet", [
    ("To_12", "12"), ("T12", "12"), ("BD12", "12"), ("12", "12"), ("TĐ03-2014", "TĐ03-2014"),
    ("To 12", "12"), ("Tờ 12", "12"), ("Tờ số 05", "5"), ("to-12a", "12A"), ("BĐ 7", "7"),
    ("xa Hong Phong - To 3", "3"), ("12_ONT", "12"), ("ban do", ""),
])
def test_sheet_number_from_the_file_name(stem, sheet):
    assert sheet_from_name(stem).sheet == sheet


def test_a_circular_25_code_in_the_name_gives_code_and_scale_and_is_the_number_only_alone():
    alone = sheet_from_name("725500-6-d")
    assert (alone.sheet, alone.code, alone.scale, alone.pattern) == ("725500-6-d", "725500-6-d", 1000, "code")
    both = sheet_from_name("To_7_725500-6-(11)")
    assert (both.sheet, both.code, both.scale) == ("7", "725500-6-(11)", 500)


def test_user_patterns_are_tried_before_the_defaults():
    patterns = compile_patterns([r"manh(?P<sheet>\d+)"])
    assert sheet_from_name("manh5_T3", patterns).sheet == "5"
    with pytest.raises(ValueError):
        compile_patterns([r"manh(\d+)"])


def test_commune_code_from_the_nearest_folder_name_within_the_input(tmp_path):
    f = tmp_path / "06235 Hong Phong" / "sheets" / "To_1.shp"
    assert commune_from_folders(f, tmp_path) == ("06235", "06235 Hong Phong")
    assert commune_from_folders(f, tmp_path / "06235 Hong Phong" / "sheets") == ("", "")


# ----------------------------------------------------------------------------- sheets and communes

def test_commune_from_folder_name_option_and_field(tmp_path):
    grid = _grid()
    write_shapefile(tmp_path / "xa_06235" / "To_1.shp", grid, {"SHTHUA": list(range(1, 7))})
    write_shapefile(tmp_path / "xa_06235" / "To_2.shp", [shapely.affinity.translate(g, 0, 100) for g in grid],
                    {"SHTHUA": list(range(1, 7)), "MAXA": ["06238"] * 6})
    summary, out = load(tmp_path, [tmp_path])
    p = layer(out, "parcels").attrs
    assert set(zip(p["sheet"], p["commune"])) == {("1", "06235"), ("2", "06238")}
    report = summary.report.set_index("file")
    assert "folder xa_06235" in report.loc[str(Path("xa_06235") / "To_1.shp"), "commune"]
    assert "field MAXA" in report.loc[str(Path("xa_06235") / "To_2.shp"), "warnings"]
    _, out2 = load(tmp_path, [tmp_path], commune="6240", out_name="option.gpkg")
    p2 = layer(out2, "parcels").attrs
    assert set(zip(p2["sheet"], p2["commune"])) == {("1", "06240"), ("2", "06238")}


def test_field_and_file_name_disagree_the_field_is_used_and_the_conflict_flagged(tmp_path):
    write_shapefile(tmp_path / "To_13.shp", _grid(), {"SHBANDO": ["12"] * 4 + ["13"] * 2,
                                                      "SHTHUA": list(range(1, 7))})
    summary, out = load(tmp_path, [tmp_path], commune="06235")
    p = layer(out, "parcels").attrs
    assert list(p["sheet"]) == ["12"] * 4 + ["13"] * 2
    flags = flags_of(out)
    assert list(flags["code"]) == ["SHEET_NUMBER_CONFLICT"]
    message = flags["message"].iloc[0]
    assert "To_13.shp" in message and "file name says sheet 13" in message
    assert "SHBANDO says 12 on 4 parcel(s)" in message and "sheet 12 was used (field SHBANDO)" in message
    assert flags["geometry"].iloc[0] is not None


def test_the_same_sheet_from_two_files_is_flagged_on_each(tmp_path):
    write_shapefile(tmp_path / "xa_06235" / "To_4.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    write_dxf(tmp_path / "xa_06235" / "T4.dxf",
              [(shapely.linestrings([[X0, Y0 + 300], [X0 + 10, Y0 + 300], [X0 + 10, Y0 + 310],
                                     [X0, Y0 + 310], [X0, Y0 + 300]]), "10")],
              [(X0 + 5, Y0 + 305, "13", "1")])
    _, out = load(tmp_path, [tmp_path])
    flags = flags_of(out)
    assert (flags["code"] == "SHEET_NUMBER_CONFLICT").sum() == 2
    assert flags["message"].str.contains("sheet 4 of commune 06235 also comes from 1 other file").all()


def test_geopackage_mapinfo_and_gml_sheets_load_like_shapefiles(tmp_path):
    source = write_shapefile(tmp_path / "src" / "x.shp", _grid(), {"SHTHUA": list(range(1, 7)),
                                                                   "KHLOAIDAT": ["ONT"] * 6})
    for k, (driver, name) in enumerate((("GPKG", "To_1.gpkg"), ("MapInfo File", "To_2.tab"),
                                        ("GML", "To_3.gml"))):
        moved = write_shapefile(tmp_path / "src" / f"m{k}.shp",
                                [shapely.affinity.translate(g, 0, 100 * k) for g in _grid()],
                                {"SHTHUA": list(range(1, 7)), "KHLOAIDAT": ["ONT"] * 6})
        (tmp_path / "xa_06235").mkdir(exist_ok=True)
        gdal.VectorTranslate(str(tmp_path / "xa_06235" / name), str(moved), format=driver).FlushCache()
    summary, out = load(tmp_path, [tmp_path / "xa_06235"], province="20")
    p = layer(out, "parcels").attrs
    assert summary.files == 3 and summary.unreadable == 0
    assert p.groupby("sheet")["parcel"].apply(lambda s: sorted(s.astype(int))).to_dict() == \
        {s: list(range(1, 7)) for s in ("1", "2", "3")}
    assert set(p["landuse"]) == {"ONT"} and set(p["commune"]) == {"06235"}
    assert source.exists()


def test_curved_boundaries_are_made_linear(tmp_path):
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "To_1.gpkg"))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    lyr = ds.CreateLayer("parcels", srs, ogr.wkbCurvePolygon)
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        f"CURVEPOLYGON(CIRCULARSTRING({X0} {Y0}, {X0 + 10} {Y0 + 10}, {X0 + 20} {Y0}, {X0 + 10} {Y0 - 10}, {X0} {Y0}))"))
    lyr.CreateFeature(f)
    ds = None
    summary, out = load(tmp_path, [tmp_path], commune="06235")
    assert summary.parcels == 1 and summary.unreadable == 0
    assert abs(shapely.area(layer(out, "parcels").geometry[0]) - np.pi * 100) < 1.0


# ----------------------------------------------------------------------------- damaged files

def test_unreadable_files_are_reported_with_the_fix_and_the_rest_load(tmp_path):
    good = write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    cut = write_shapefile(tmp_path / "To_2.shp", _grid(30, 30), {"SHTHUA": list(range(1, 901))})
    cut.write_bytes(cut.read_bytes()[:5000])
    (tmp_path / "T3.dxf").write_bytes(b"0\nSECTION\n2\nENTITIES\n" + np.random.default_rng(1).bytes(500))
    (tmp_path / "4.dgn").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (tmp_path / "To_5.shp").write_bytes(b"")
    summary, out = load(tmp_path, [tmp_path], commune="06235")
    assert summary.parcels == 6 and summary.files == 5 and summary.unreadable == 4
    flags = flags_of(out)
    unreadable = flags[flags["code"] == "FILE_UNREADABLE"].set_index("sheet")["message"]
    assert "To_2.shp is truncated" in unreadable["2"]
    assert "T3.dxf cannot be read" in unreadable["3"]
    assert "MicroStation V8 DGN" in unreadable["4"]
    assert "empty (0 bytes)" in unreadable["5"]
    fixes = flags.set_index("sheet")["suggestion"]
    assert "save it as V7" in fixes["4"] and "copy the shapefile again" in fixes["2"]
    assert good.exists()


# ----------------------------------------------------------------------------- CRS

def test_a_missing_prj_is_flagged_naming_the_crs_assigned(tmp_path):
    path = write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    path.with_suffix(".prj").unlink()
    summary, out = load(tmp_path, [tmp_path], province="20", commune="06235")
    flags = flags_of(out)
    assert list(flags["code"]) == ["CRS_SUSPECT"]
    assert "no CRS (.prj missing): assigned EPSG:9215" in flags["message"].iloc[0]
    assert "province 20" in flags["message"].iloc[0]
    assert "9215" in layer(out, "parcels").crs_authid


def test_metres_declared_as_degrees_are_detected(tmp_path):
    wgs84 = osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))}, srs_wkt=wgs84.ExportToWkt())
    _, out = load(tmp_path, [tmp_path], province="20", commune="06235")
    flags = flags_of(out)
    assert list(flags["code"]) == ["CRS_SUSPECT"]
    assert "in degrees but its coordinates are metres" in flags["message"].iloc[0]
    got = layer(out, "parcels").geometry
    assert shapely.equals(got[0], shapely.multipolygons([_grid()[0]]))      # kept, not reprojected


def test_eastings_a_tm3_zone_cannot_reach_are_a_wrong_zone(tmp_path):
    far = _grid(x0=760_000.0)                  # UTM 48N coordinates of Lạng Sơn look like this
    write_shapefile(tmp_path / "To_1.shp", far, {"SHTHUA": list(range(1, 7))})
    _, out = load(tmp_path, [tmp_path], commune="06235")
    flags = flags_of(out)
    assert list(flags["code"]) == ["CRS_SUSPECT"]
    assert "wrong zone" in flags["message"].iloc[0]


def test_another_declared_crs_is_kept_and_flagged_or_reprojected_on_request(tmp_path):
    write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))}, epsg=9209)
    _, kept = load(tmp_path, [tmp_path], province="20", commune="06235")
    flags = flags_of(kept)
    assert list(flags["code"]) == ["CRS_SUSPECT"] and "--reproject" in flags["message"].iloc[0]
    _, moved = load(tmp_path, [tmp_path], province="20", commune="06235", reproject=True, out_name="r.gpkg")
    assert len(flags_of(moved)) == 0
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(9209)
    dst.ImportFromEPSG(9215)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(src, dst).TransformPoint(X0, Y0)
    got = layer(moved, "parcels").geometry[0]
    assert shapely.distance(got, shapely.points(x, y)) < 0.01


def test_true_degrees_are_reprojected_to_the_output_crs_without_a_flag(tmp_path):
    vn2000 = osr.SpatialReference()
    vn2000.ImportFromEPSG(4756)
    lonlat = [_box(107.0 + i * 0.001, 22.0, 107.001 + i * 0.001, 22.001) for i in range(3)]
    write_shapefile(tmp_path / "To_1.shp", lonlat, {"SHTHUA": [1, 2, 3]}, srs_wkt=vn2000.ExportToWkt())
    summary, out = load(tmp_path, [tmp_path], province="20", commune="06235")
    assert len(flags_of(out)) == 0 and "reprojected from EPSG:4756" in summary.report["notes"].iloc[0]
    x0, y0, x1, y1 = shapely.total_bounds(layer(out, "parcels").geometry)
    assert 400_000 < x0 < x1 < 500_000 and 2_400_000 < y0 < y1 < 2_500_000


def test_source_fields_that_check_would_map_or_that_clash_keep_a_src_prefix(tmp_path):
    write_shapefile(tmp_path / "To_1.shp", _grid(), {"SO_TO": ["1"] * 6, "SHTHUA": list(range(1, 7)),
                                                     "DTICH": ["1 234,5"] * 6, "FID": list(range(6)),
                                                     "GHICHU": ["x"] * 6})
    _, out = load(tmp_path, [tmp_path], province="20", commune="06235")
    p = layer(out, "parcels").attrs
    assert list(p.columns) == ["sheet", "commune", "parcel", "landuse", "area", "note", "source_file",
                               "source_fid", "src_SO_TO", "src_SHTHUA", "src_DTICH", "src_FID", "GHICHU"]
    assert (p["area"] == 1234.5).all() and (p["sheet"] == "1").all()


def test_the_province_picker_lists_every_province_with_its_zone_and_successor():
    from cadastre_cleaner.processing_provider.load_sheets import province_choices
    codes, labels = province_choices()
    assert codes[0] is None and len(labels) == len(codes) - 1 == 63
    lang_son = labels[codes.index("20") - 1]
    assert "Lạng Sơn" in lang_son and "107°15′" in lang_son and "EPSG:9215" in lang_son
    assert any("→" in label and "(2025)" in label for label in labels)    # closed codes name their successor


def test_province_zones_come_from_the_old_province_codes():
    assert province_epsg("20")[0] == 9215           # Lạng Sơn 107°15′ (DOMAIN.md)
    assert province_epsg("22")[0] == 5899           # Quảng Ninh 107°45′ (DOMAIN.md)
    assert province_epsg("27")[0] == 9209           # Bắc Ninh (old) 105°30′
    with pytest.raises(InputError, match="different central meridians"):
        province_epsg("24")                         # Bắc Giang + Bắc Ninh since 2025
    table = province_table()
    assert len(table) == 63 == len(PROVINCE_MERIDIANS)
    assert all(name for _, name, _, _ in table)


# ----------------------------------------------------------------------------- encodings

NAMES = ["Nguyễn Văn Hùng", "Hoàng Thị Lan", "Lê Văn Tài", "Đặng Thị Thu Hà", "Vi Văn Thắng", "Nông Thị Mai"]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_attribute_text_is_converted_and_counted(tmp_path, encoding):
    written = [vn_encodings.from_unicode(n, encoding, vn3_only=True) for n in NAMES]
    write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7)), "TENCHU": written,
                                                     "MDSD": ["ONT"] * 6}, legacy=True, cpg="1252")
    summary, out = load(tmp_path, [tmp_path], commune="06235")
    p = layer(out, "parcels").attrs
    assert list(p["TENCHU"]) == NAMES
    assert summary.converted == 6
    assert summary.report["encoding"].iloc[0] == f"TENCHU: {encoding} 6"


def test_encoding_option_utf8_converts_nothing(tmp_path):
    written = [vn_encodings.from_unicode(n, "tcvn3", vn3_only=True) for n in NAMES]
    write_shapefile(tmp_path / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7)), "TENCHU": written},
                    legacy=True, cpg="1252")
    summary, out = load(tmp_path, [tmp_path], commune="06235", encoding="utf-8")
    assert summary.converted == 0
    assert list(layer(out, "parcels").attrs["TENCHU"]) == written


# ----------------------------------------------------------------------------- drawings

def _drawing_of(grid, labels_per_cell=True, boundary="10", number="13"):
    lines = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(np.array(grid)))))
    labels = []
    for k, cell in enumerate(grid):
        c = shapely.centroid(cell)
        labels.append((c.x, c.y, number, str(k + 1)))
        labels.append((c.x, c.y - 2, "2", "LUC"))
        labels.append((c.x, c.y - 4, "4", f"{cell.area:.1f}".replace(".", ",")))
    return [(g, boundary) for g in lines], labels


def test_level_mapping_saves_and_loads_as_json_and_reads_dxf_layer_names(tmp_path):
    mapping = LevelMapping(boundary=("RANH_THUA",), parcel_number=("SO_THUA", 13), note=())
    mapping.save(tmp_path / "levels.json")
    data = json.loads((tmp_path / "levels.json").read_text())
    assert data == {"boundary": ["ranh_thua"], "parcel_number": ["so_thua", "13"], "landuse": ["2"],
                    "area": ["4"], "note": []}
    assert LevelMapping.load(tmp_path / "levels.json") == mapping
    grid = _grid()
    lines, labels = _drawing_of(grid, boundary="Ranh_Thua", number="SO_THUA")
    write_dxf(tmp_path / "sheets" / "To_3.dxf", lines, labels)
    summary, out = load(tmp_path, [tmp_path / "sheets"], commune="06235", province="20",
                        levels=str(tmp_path / "levels.json"))
    p = layer(out, "parcels")
    assert sorted(p.attrs["parcel"].astype(int)) == list(range(1, 7))
    assert set(p.attrs["landuse"]) == {"LUC"} and np.allclose(p.attrs["area"], 400.0)
    assert len(flags_of(out)) == 0
    with pytest.raises(InputError, match="unknown meaning"):
        LevelMapping.from_dict({"boundry": [10]})
    inline = json.dumps(mapping.to_dict())
    summary2, _ = load(tmp_path, [tmp_path / "sheets"], commune="06235", province="20", levels=inline,
                       out_name="inline.gpkg")
    assert summary2.parcels == 6


def test_parcels_drawn_as_closed_outlines_each_boundary_twice_build_the_same_parcels(tmp_path):
    grid = _grid()
    _, labels = _drawing_of(grid)
    write_dxf(tmp_path / "s" / "To_1.dxf", [(shapely.boundary(g), "10") for g in grid], labels)
    summary, out = load(tmp_path, [tmp_path / "s"], commune="06235", province="20")
    got = layer(out, "parcels")
    assert summary.parcels == 6 and len(flags_of(out)) == 0
    order = np.argsort(got.attrs["parcel"].astype(int).to_numpy())
    assert all(shapely.equals(shapely.get_geometry(g, 0), cell) for g, cell in zip(got.geometry[order], grid))


def test_a_short_line_is_snapped_a_gap_is_a_dangle_and_its_merged_parcel_has_two_numbers(tmp_path):
    grid = _grid()
    _, labels = _drawing_of(grid)
    xs, ys = X0 + np.array([0, 20, 40, 60]), Y0 + np.array([0, 20, 40])
    geoms = [shapely.linestrings([[a, y], [b, y]]) for y in ys for a, b in zip(xs[:-1], xs[1:])]
    geoms += [shapely.linestrings([[x, a], [x, b]]) for x in xs for a, b in zip(ys[:-1], ys[1:])]
    # the line between cells 1 and 2 stops 5 cm short of the sheet edge (1:1000 tolerance 0.15 m):
    # snapped; the one between cells 5 and 6 stops 1 m short of the top edge: it closes nothing
    def shorten(x, y_from, y_to, by):
        k = next(k for k, g in enumerate(geoms) if np.allclose(
            sorted(map(tuple, shapely.get_coordinates(g))), sorted([(x, y_from), (x, y_to)]), rtol=0))
        c = shapely.get_coordinates(geoms[k])
        c[np.argmin(np.abs(c[:, 1] - y_from))] = (x, y_from + by)
        geoms[k] = shapely.linestrings(c)
    shorten(X0 + 20, Y0, Y0 + 20, 0.05)
    shorten(X0 + 40, Y0 + 40, Y0 + 20, -1.0)
    faces = polygonize(np.array(geoms), 0.15)
    assert faces.snapped == 1 and len(faces.polygons) == 5 and len(faces.dangles) == 1
    write_dxf(tmp_path / "s" / "To_1.dxf", [(g, "10") for g in geoms], labels)
    summary, out = load(tmp_path, [tmp_path / "s"], commune="06235", province="20", scale=1000)
    flags = flags_of(out)
    assert sorted(flags["code"]) == ["LABEL_MULTIPLE", "LINE_DANGLE"]
    multiple = flags[flags["code"] == "LABEL_MULTIPLE"]["message"].iloc[0]
    assert "2 parcel numbers (5, 6)" in multiple and "5 was used" in multiple
    assert "snapped" in summary.report["notes"].iloc[0]


# ----------------------------------------------------------------------------- a generated commune

class Loaded:
    def __init__(self, root):
        self.sample, self.files = generate_sheet_files(
            root, SampleSpec(parcels=2500, seed=3),
            SheetFilesSpec(corrupt=("truncated_shp", "garbage_dxf"), seed=2))
        self.before = hashes(self.files.folder)
        self.out = root / "loaded.gpkg"
        self.summary = load_sheets(LoadRequest(inputs=[str(self.files.folder)], out=str(self.out)))
        self.after = hashes(self.files.folder)
        self.key = self.files.key
        ref = layer(self.sample.gpkg, "parcels")
        self.ref, self.ref_geom = ref.attrs, ref.geometry
        got = layer(self.out, "parcels")
        self.got, self.got_geom = got.attrs, got.geometry


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return Loaded(tmp_path_factory.mktemp("commune"))


def test_the_sample_files_mix_formats_encodings_and_defects(loaded):
    suffixes = {p.suffix for p in loaded.files.files}
    assert suffixes == {".shp", ".dxf", ".dgn"}
    key = loaded.key
    assert set(key["code"]) == {"LABEL_MISSING", "LABEL_MULTIPLE", "LINE_DANGLE", "SNAPPED", "CRS_SUSPECT",
                                "FILE_UNREADABLE", "ENCODING"}
    enc = key[key["code"] == "ENCODING"]
    assert set(enc["detail"]) == {"tcvn3", "vni"}
    assert {Path(f).suffix for f in enc["file"]} == {".shp", ".dxf", ".dgn"}


@pytest.mark.slow
def test_every_parcel_of_the_commune_is_rebuilt(loaded):
    ref, got = loaded.ref, loaded.got
    assert len(got) == len(ref) == loaded.sample.n_parcels
    # pair each generated parcel with the loaded one holding its inside point
    inside = shapely.point_on_surface(loaded.ref_geom)
    r, g = shapely.STRtree(loaded.got_geom).query(inside, predicate="within")
    assert len(r) == len(ref) and len(set(g)) == len(got)
    order = np.empty(len(ref), dtype=np.int64)
    order[r] = g
    got = got.iloc[order].reset_index(drop=True)
    geom = loaded.got_geom[order]
    missing = set(loaded.key.loc[loaded.key["code"] == "LABEL_MISSING", "parcel"].astype(str))
    unlabelled = got["parcel"] == ""
    assert set(ref.loc[unlabelled, "SHTHUA"].astype(str)) == missing and unlabelled.sum() == len(missing)
    same = ~unlabelled
    assert (got["sheet"] == ref["SHBANDO"]).all() and (got["commune"] == ref["MAXA"]).all()
    assert (got.loc[same, "parcel"] == ref.loc[same, "SHTHUA"].astype(str)).all()
    assert (got["landuse"] == ref["KHLOAIDAT"]).all()
    area_diff = np.abs(got["area"].to_numpy(float) - ref["DIENTICH"].to_numpy(float))
    assert (area_diff <= np.maximum(0.1, 0.001 * ref["DIENTICH"].to_numpy(float))).all()
    # shapefiles and DXF keep every coordinate; DGN v7 stores 2 mm units
    distance = shapely.hausdorff_distance(geom, loaded.ref_geom)
    dgn = got["source_file"].str.endswith(".dgn").to_numpy()
    assert distance[~dgn].max() < 1e-6 and distance[dgn].max() < 0.003
    sym = shapely.area(shapely.symmetric_difference(geom, loaded.ref_geom))
    area = shapely.area(loaded.ref_geom)
    assert (sym <= 1e-3 * area).all() and sym.sum() <= 1e-4 * area.sum()


def test_exactly_the_injected_defects_are_flagged(loaded):
    flags = flags_of(loaded.out)
    key = loaded.key[loaded.key["code"] != "ENCODING"]
    expected = key[key["code"] != "SNAPPED"]["code"].value_counts().to_dict()
    assert flags["code"].value_counts().to_dict() == expected
    for row in key[key["code"].isin(["LABEL_MISSING", "LABEL_MULTIPLE", "LINE_DANGLE"])].itertuples():
        mine = flags[flags["code"] == row.code]
        point = shapely.points(row.x, row.y)
        assert shapely.contains(np.array(list(mine["geometry"])), point).sum() == 1, row
    for row in key[key["code"].isin(["CRS_SUSPECT", "FILE_UNREADABLE"])].itertuples():
        mine = flags[flags["code"] == row.code]
        assert mine["message"].str.contains(row.file, regex=False).sum() == 1, row
    multiple = flags[flags["code"] == "LABEL_MULTIPLE"]
    assert multiple["map_fid"].notna().all() and multiple["parcel"].ne("").all()


def test_legacy_text_of_shapefiles_and_drawings_is_converted_and_counted(loaded):
    report = loaded.summary.report.set_index("file")
    enc = loaded.key[loaded.key["code"] == "ENCODING"].set_index("file")
    for file, row in report.iterrows():
        expected = int(enc.loc[file, "count"]) if file in enc.index else 0
        assert row["converted"] == expected, file
    register = pd.read_csv(loaded.sample.register_csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    owner = dict(zip(zip(register["Số tờ"], register["Số thửa"]), register["Tên chủ sử dụng"]))
    got = loaded.got
    for file, row in enc.iterrows():
        mine = got[got["source_file"] == file]
        column = "TENCHU" if file.endswith(".shp") else "note"
        labelled = mine[mine["parcel"] != ""]
        wanted = np.array([owner[(s, p)] for s, p in zip(labelled["sheet"], labelled["parcel"])], dtype=object)
        _, meant, _ = legacy_form(wanted, row["detail"])
        assert list(labelled[column]) == list(meant), file


def test_sheet_frames_and_scales_are_the_generated_ones(loaded):
    ref = layer(loaded.sample.gpkg, "sheets")
    got = layer(loaded.out, "sheets")
    ref_key = ref.attrs["MAXA"] + "|" + ref.attrs["SHBANDO"]
    got_key = got.attrs["MAXA"] + "|" + got.attrs["SHBANDO"]
    assert sorted(ref_key) == sorted(got_key)
    at = {k: i for i, k in enumerate(got_key)}
    idx = np.array([at[k] for k in ref_key])
    assert (got.attrs["TYLE"].to_numpy()[idx] == ref.attrs["TYLE"].to_numpy()).all()
    assert (got.attrs["MAHIEU"].to_numpy()[idx] == ref.attrs["MAHIEU"].to_numpy()).all()
    assert shapely.area(shapely.symmetric_difference(got.geometry[idx], ref.geometry)).max() < 1e-6


def test_sources_are_not_changed(loaded):
    assert loaded.before == loaded.after


@pytest.mark.needs_engine
def test_check_runs_on_the_loaded_layer_and_maps_its_fields(loaded, tmp_path):
    from cadastre_cleaner.core.pipeline import CheckRequest, run_check
    s = run_check(CheckRequest(parcels=f"{loaded.out}|layername=parcels",
                               sheets=f"{loaded.out}|layername=sheets",
                               register=str(loaded.sample.register_csv), out=str(tmp_path / "flags.gpkg")))
    for line in ("map.commune ← commune", "map.sheet ← sheet", "map.parcel ← parcel", "map.area ← area",
                 "map.landuse ← landuse", "sheets.sheet ← SHBANDO", "sheets.commune ← MAXA",
                 "sheets.scale ← TYLE"):
        assert any(c.startswith(line) for c in s.field_choices), (line, s.field_choices)
    assert s.parcels == loaded.sample.n_parcels
    missing = (loaded.key["code"] == "LABEL_MISSING").sum()
    assert s.matched == s.parcels - missing
    assert s.flags_by_code.get("KEY_MISSING", 0) == missing


# ----------------------------------------------------------------------------- front ends

def test_a_second_load_replaces_its_own_output_but_not_a_foreign_geopackage(tmp_path):
    write_shapefile(tmp_path / "s" / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    load(tmp_path, [tmp_path / "s"], commune="06235")
    summary, _ = load(tmp_path, [tmp_path / "s"], commune="06235")
    assert summary.parcels == 6
    foreign = write_shapefile(tmp_path / "other" / "x.shp", _grid(), {"A": [1] * 6})
    gdal.VectorTranslate(str(tmp_path / "mine.gpkg"), str(foreign), format="GPKG").FlushCache()
    with pytest.raises(InputError, match="not written by `load`"):
        load(tmp_path, [tmp_path / "s"], out_name="mine.gpkg")


def test_cli_load_prints_the_summary(tmp_path, capsys):
    from cadastre_cleaner.core.cli import main
    write_shapefile(tmp_path / "xa_06235" / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    (tmp_path / "xa_06235" / "T2.dxf").write_bytes(b"garbage")
    assert main(["load", str(tmp_path / "xa_06235"), "--out", str(tmp_path / "c.gpkg"), "--province", "20",
                 "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "files 2: loaded 1, unreadable 1" in text and "parcels 6 on 1 sheets" in text
    assert "FILE_UNREADABLE" in text and "parcels/s" in text
    assert main(["load", "--provinces"]) == 0
    assert "107°15′  EPSG:9215" in capsys.readouterr().out
    assert main(["load", str(tmp_path / "xa_06235"), "--out", str(tmp_path / "d.gpkg"), "--province", "24"]) == 2


def test_cli_sample_writes_sheet_files(tmp_path, capsys):
    from cadastre_cleaner.core.cli import main
    assert main(["sample", "--parcels", "600", "--defect-rate", "0", "--out", str(tmp_path / "s"),
                 "--sheet-files", str(tmp_path / "files"), "--quiet"]) == 0
    assert "sheet files:" in capsys.readouterr().out
    assert (tmp_path / "files" / "sheet_key.csv").exists()
    assert main(["sample", "--parcels", "600", "--out", str(tmp_path / "t"),
                 "--sheet-files", str(tmp_path / "f2"), "--quiet"]) == 2


def test_processing_algorithm_loads_a_folder(provider, tmp_path):
    import processing
    from cadastre_cleaner.processing_provider.load_sheets import province_choices
    write_shapefile(tmp_path / "xa_06235" / "To_1.shp", _grid(), {"SHTHUA": list(range(1, 7))})
    lines, labels = _drawing_of(_grid(y0=Y0 + 200))
    write_dxf(tmp_path / "xa_06235" / "T2.dxf", lines, labels)
    out = str(tmp_path / "loaded.gpkg")
    result = processing.run("cadastre_cleaner:load_sheets", {
        "FOLDER": str(tmp_path), "PROVINCE": province_choices()[0].index("20"), "ENCODING": 0, "SCALE": 3,
        "OUTPUT": out})
    assert result["PARCELS"] == 12 and result["SHEETS"] == 2 and result["FILE_COUNT"] == 2
    assert result["UNREADABLE"] == 0 and result["FLAGS"] == 0 and result["OUTPUT"] == out
    p = layer(out, "parcels").attrs
    assert set(p["commune"]) == {"06235"} and set(p["sheet"]) == {"1", "2"}
