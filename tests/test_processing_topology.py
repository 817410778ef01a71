"""cadastre_cleaner:check_topology through Processing, on a hand-made sheet of six parcels.

A 3 × 2 grid of 10 m squares; the first parcel has a vertex pushed 2 m into its east
neighbour (an OVERLAP of 10 m²) and the middle of the second row is missing, closed
to the north by a long parcel: a GAP of 100 m².
"""
import processing
import pytest
from osgeo import ogr
from casebuilder import write_wkt_sheet
from qgis.core import QgsProcessingException, QgsProcessingFeedback

ALGORITHM = "cadastre_cleaner:check_topology"


def _write(path, rects, sheets=None):
    return write_wkt_sheet(path, rects, frames=sheets or ())


def _box(x0, y0, x1, y1):
    return f"POLYGON (({x0} {y0}, {x1} {y0}, {x1} {y1}, {x0} {y1}, {x0} {y0}))"


@pytest.fixture
def sheet_gpkg(tmp_path):
    x, y = 585000, 2325000
    rects = [
        f"POLYGON (({x} {y}, {x + 10} {y}, {x + 12} {y + 5}, {x + 10} {y + 10}, {x} {y + 10}, {x} {y}))",
        _box(x + 10, y, x + 20, y + 10), _box(x + 20, y, x + 30, y + 10),
        _box(x, y + 10, x + 10, y + 20), _box(x + 20, y + 10, x + 30, y + 20),
        # closes the missing middle cell: a gap (noded where parcels 4 and 5 meet it)
        f"POLYGON (({x} {y + 20}, {x + 10} {y + 20}, {x + 20} {y + 20}, {x + 30} {y + 20}, "
        f"{x + 30} {y + 30}, {x} {y + 30}, {x} {y + 20}))",
    ]
    return _write(tmp_path / "map.gpkg", rects, sheets=[("7", _box(x - 100, y - 100, x + 400, y + 400))])


def _flags(out):
    ds = ogr.Open(out)
    layer = ds.GetLayerByName("flags")
    rows = [(f.GetField("code"), f.GetField("status"), round(f.GetGeometryRef().GetArea(), 3)) for f in layer]
    ds = None
    return sorted(rows)


def test_overlap_and_gap_are_flagged_with_their_areas(provider, sheet_gpkg, tmp_path):
    out = str(tmp_path / "flags.gpkg")
    result = processing.run(ALGORITHM, {
        "PARCELS": f"{sheet_gpkg}|layername=parcels", "SHEETS": f"{sheet_gpkg}|layername=sheets",
        "OUTPUT": out}, feedback=QgsProcessingFeedback())
    assert result["OVERLAP"] == 1 and result["GAP"] == 1 and result["FLAGS"] == 2
    assert _flags(out) == [("GAP", "open", 100.0), ("OVERLAP", "open", 10.0)]


def test_chosen_checks_only_and_register_flags_are_left_alone(provider, sheet_gpkg, tmp_path):
    out = str(tmp_path / "flags.gpkg")
    processing.run(ALGORITHM, {"PARCELS": f"{sheet_gpkg}|layername=parcels", "OUTPUT": out})
    codes = list(provider.algorithm("check_topology").parameterDefinition("CHECKS").options())
    # a second run of only GEOM_INVALID must not close the OVERLAP and GAP flags as fixed
    result = processing.run(ALGORITHM, {"PARCELS": f"{sheet_gpkg}|layername=parcels", "OUTPUT": out,
                                        "CHECKS": [codes.index("GEOM_INVALID")]})
    assert result["FLAGS"] == 0
    assert _flags(out) == [("GAP", "open", 100.0), ("OVERLAP", "open", 10.0)]


def test_tolerance_turns_a_thin_overlap_into_a_noding_warning(provider, sheet_gpkg, tmp_path):
    out = str(tmp_path / "flags.gpkg")
    result = processing.run(ALGORITHM, {"PARCELS": f"{sheet_gpkg}|layername=parcels", "OUTPUT": out,
                                        "TOLERANCE": 3.0})
    assert result["OVERLAP"] == 0 and result["NOT_NODED"] == 1 and result["GAP"] == 1


def test_no_check_chosen_is_refused(provider, sheet_gpkg, tmp_path):
    with pytest.raises(QgsProcessingException, match="No check chosen|CHECKS"):
        processing.run(ALGORITHM, {"PARCELS": f"{sheet_gpkg}|layername=parcels", "CHECKS": [],
                                   "OUTPUT": str(tmp_path / "f.gpkg")})


def test_help_lists_every_topology_code(provider):
    text = provider.algorithm("check_topology").shortHelpString()
    for code in ("OVERLAP", "GAP", "NOT_NODED", "SLIVER", "CROSSES_SHEET"):
        assert code in text


def test_fix_topology_writes_a_corrected_copy_and_leaves_the_source(provider, sheet_gpkg, tmp_path):
    import hashlib
    before = hashlib.sha256(open(sheet_gpkg, "rb").read()).hexdigest()
    out = str(tmp_path / "fixed.gpkg")
    result = processing.run("cadastre_cleaner:fix_topology", {
        "PARCELS": f"{sheet_gpkg}|layername=parcels", "SHEETS": f"{sheet_gpkg}|layername=sheets",
        "OUTPUT": out}, feedback=QgsProcessingFeedback())
    assert result["REMAINING"] == 0 and result["CHANGES"] >= 3
    assert hashlib.sha256(open(sheet_gpkg, "rb").read()).hexdigest() == before
    ds = ogr.Open(out)
    parcels = ds.GetLayerByName("parcels")
    total = sum(f.GetGeometryRef().GetArea() for f in parcels)
    assert total == pytest.approx(900.0)            # the 30 × 30 block, overlap and gap resolved
    actions = sorted({f.GetField("action") for f in ds.GetLayerByName("changes")})
    ds = None
    assert "give_overlap" in actions and any(a.startswith("gap_") for a in actions)
    checked = processing.run(ALGORITHM, {"PARCELS": f"{out}|layername=parcels", "OUTPUT": str(tmp_path / "f.gpkg"),
                                         "SHEETS": f"{sheet_gpkg}|layername=sheets"})
    assert checked["OVERLAP"] == 0 and checked["GAP"] == 0


def test_register_area_rule_without_register_is_a_clear_error(provider, sheet_gpkg, tmp_path):
    with pytest.raises(QgsProcessingException, match="needs the register"):
        processing.run("cadastre_cleaner:fix_topology", {"PARCELS": f"{sheet_gpkg}|layername=parcels",
                                                          "OVERLAP_RULE": 1, "OUTPUT": str(tmp_path / "x.gpkg")})


def test_export_report_from_a_flags_file(provider, sheet_gpkg, tmp_path):
    import openpyxl
    out = str(tmp_path / "flags.gpkg")
    processing.run(ALGORITHM, {"PARCELS": f"{sheet_gpkg}|layername=parcels", "OUTPUT": out,
                               "SHEETS": f"{sheet_gpkg}|layername=sheets"})
    report = str(tmp_path / "report.xlsx")
    result = processing.run("cadastre_cleaner:export_report", {"FLAGS": out, "OUTPUT": report})
    assert result["FLAG_COUNT"] == 2 and result["OPEN_FLAGS"] == 2
    book = openpyxl.load_workbook(report, read_only=True)
    assert book.sheetnames == ["flags", "sheets", "communes", "codes", "run"]
    codes = [row[0] for row in book["flags"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["GAP", "OVERLAP"]
    with pytest.raises(QgsProcessingException, match="no flags file"):
        processing.run("cadastre_cleaner:export_report", {"FLAGS": str(tmp_path / "none.gpkg"),
                                                          "OUTPUT": str(tmp_path / "r.xlsx")})
