"""The parcel codes dock (issue #6): numbering preview and apply in the edit buffer, the
renumbering CSV, identification codes, and the progress tab.

One generated 2 000-parcel commune per module, copied per test.
"""
import csv
import shutil

import pytest
from osgeo import ogr
from qgis.core import QgsProject, QgsVectorLayer

from cadastre_cleaner.core.codes.identification import CODE_LENGTH
from cadastre_cleaner.core.sample import SampleSpec, generate_sample
from cadastre_cleaner.ui.codes_dock import DEFAULT_OLD_NUMBER_FIELD, CodesDock


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    folder = tmp_path_factory.mktemp("codes_commune")
    generate_sample(folder, SampleSpec(parcels=2000, write_xlsx=False))
    return folder


@pytest.fixture
def parcels_layer(commune, tmp_path):
    folder = tmp_path / "commune"
    shutil.copytree(commune, folder)
    layer = QgsVectorLayer(f"{folder / 'commune.gpkg'}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def dock(qgis_iface, qgis_new_project, parcels_layer):
    QgsProject.instance().addMapLayer(parcels_layer, False)
    widget = CodesDock(qgis_iface)
    widget.set_layer(parcels_layer)
    yield widget
    widget.unload()
    widget.deleteLater()


def values(layer, field) -> dict:
    idx = layer.fields().indexOf(field)
    out = {}
    for f in layer.getFeatures():
        v = f.attributes()[idx] if idx >= 0 else None
        out[f.id()] = None if v is None or (hasattr(v, "isNull") and v.isNull()) else v
    return out


def renumber_all(dock):
    dock.set_mode("renumber_all")
    dock.band_spin.setValue(37.0)           # not the sample's bands: many numbers change
    dock.start_spin.setValue(1)


def test_fields_found_and_sheets_listed(dock, parcels_layer):
    assert dock.objectName() == "CadastreCleanerCodesDock"
    assert dock.sheet_field.currentField() == "SHBANDO"
    assert dock.number_field.currentField() == "SHTHUA"
    sheets = {str(v) for v in parcels_layer.uniqueValues(parcels_layer.fields().indexOf("SHBANDO"))}
    assert set(dock.checked_sheets()) == sheets
    assert dock.band_height() == 50.0       # 1:1000 by default: a tenth of 500 m


def test_preview_changes_nothing(dock, parcels_layer):
    before = values(parcels_layer, "SHTHUA")
    renumber_all(dock)
    result = dock.preview()
    assert result is not None and result.counts["changed"] > 0
    assert not parcels_layer.isEditable() and not parcels_layer.isModified()
    assert values(parcels_layer, "SHTHUA") == before
    assert parcels_layer.fields().indexOf(DEFAULT_OLD_NUMBER_FIELD) < 0
    # labels on the map: one point per changed parcel, labelled with its new number
    preview = dock.preview_layer
    assert preview is not None and QgsProject.instance().mapLayer(preview.id()) is not None
    assert preview.featureCount() == result.counts["changed"]
    assert preview.labelsEnabled() and preview.labeling().settings().fieldName == "new"
    new_by_fid = {f["fid"]: f["new"] for f in preview.getFeatures()}
    assert all(int(result.numbers[i]) == new_by_fid[int(dock.last_fids[i])]
               for i in result.changed.nonzero()[0])
    assert dock.changes_table.rowCount() == min(result.counts["changed"], 5000)
    preview_id = preview.id()
    dock.clear_preview()
    assert QgsProject.instance().mapLayer(preview_id) is None
    assert dock.changes_table.rowCount() == 0


def test_preview_only_checked_sheets(dock, parcels_layer):
    renumber_all(dock)
    first = dock.checked_sheets()[0]
    dock.check_sheets([first])
    result = dock.preview()
    assert set(result.table["sheet"]) == {first}


def test_apply_renumber_all_one_undo_step(dock, parcels_layer, tmp_path):
    before = values(parcels_layer, "SHTHUA")
    renumber_all(dock)
    preview = dock.preview()
    expected = {int(dock.last_fids[i]): int(preview.numbers[i]) for i in preview.changed.nonzero()[0]}
    assert expected
    out = tmp_path / "renumbering.csv"
    n = dock.apply(str(out))
    assert n == len(expected)
    assert dock.preview_layer is None       # the preview is gone after apply
    stack = parcels_layer.undoStack()
    assert parcels_layer.isEditable() and stack.count() == 1
    after = values(parcels_layer, "SHTHUA")
    assert {fid for fid in after if after[fid] != before[fid]} == set(expected)
    assert all(after[fid] == new for fid, new in expected.items())
    old = values(parcels_layer, DEFAULT_OLD_NUMBER_FIELD)
    assert all(str(old[fid]) == str(before[fid]) for fid in expected if before[fid] is not None)
    assert all(old[fid] is None for fid in after if fid not in expected)

    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {int(r["fid"]): int(r["new_number"]) for r in rows} == expected
    assert all(r["old_number"] == str(before[int(r["fid"])] or "") for r in rows)
    assert dock.last_csv == str(out)

    stack.undo()
    assert values(parcels_layer, "SHTHUA") == before
    assert parcels_layer.fields().indexOf(DEFAULT_OLD_NUMBER_FIELD) < 0
    parcels_layer.rollBack()


def test_apply_twice_second_is_noop(dock, parcels_layer, tmp_path):
    renumber_all(dock)
    assert dock.apply(str(tmp_path / "a.csv")) > 0
    assert dock.apply(str(tmp_path / "b.csv")) == 0     # numbers already in zig-zag order
    assert parcels_layer.undoStack().count() == 1
    parcels_layer.rollBack()


def test_fill_missing_numbers(dock, parcels_layer, tmp_path):
    idx = parcels_layer.fields().indexOf("SHTHUA")
    parcels_layer.startEditing()
    cleared = [f.id() for f in parcels_layer.getFeatures()][:5]
    for fid in cleared:
        parcels_layer.changeAttributeValue(fid, idx, None)
    dock.set_mode("fill_missing")
    assert dock.apply(str(tmp_path / "fill.csv")) == len(cleared)
    after = values(parcels_layer, "SHTHUA")
    assert all(after[fid] is not None for fid in cleared)
    parcels_layer.rollBack()


def test_assign_codes_unique_one_undo_step(dock, parcels_layer):
    assert parcels_layer.fields().indexOf("MADINHDANH") < 0
    n = dock.assign()
    assert n == parcels_layer.featureCount()
    assert parcels_layer.undoStack().count() == 1
    codes = values(parcels_layer, "MADINHDANH")
    assert all(isinstance(c, str) and len(c) == CODE_LENGTH for c in codes.values())
    assert len(set(codes.values())) == len(codes)
    report = dock.check()
    assert report["duplicate"] == 0 and report["stale"] == 0 and report["missing"] == 0
    assert "0" in dock.codes_summary.text()
    assert dock.assign() == 0                       # nothing changes, no new undo step
    assert parcels_layer.undoStack().count() == 1
    parcels_layer.undoStack().undo()
    assert parcels_layer.fields().indexOf("MADINHDANH") < 0
    parcels_layer.rollBack()


def test_check_reports_stale_and_duplicate_codes(dock, parcels_layer):
    dock.assign()
    idx = parcels_layer.fields().indexOf("MADINHDANH")
    fids = [f.id() for f in parcels_layer.getFeatures()][:3]
    code0 = parcels_layer.getFeature(fids[0])["MADINHDANH"]
    parcels_layer.changeAttributeValue(fids[1], idx, code0)       # a duplicate (and stale)
    report = dock.check()
    assert report["duplicate"] == 2 and report["stale"] == 1
    parcels_layer.rollBack()


# -- progress -----------------------------------------------------------------------------

SUMMARY = [  # run_id, taken_at, commune, sheet, parcels, matched, flagged, clean, clean_pct,
    #          open_errors, reviewed
    (1, "2025-01-01T10:00:00+07:00", "06115", "1", 100, 90, 20, 80, 80.0, 20, 0),
    (1, "2025-01-01T10:00:00+07:00", "06115", "2", 50, 50, 10, 40, 80.0, 10, 0),
    (2, "2025-02-01T10:00:00+07:00", "06115", "1", 100, 95, 5, 95, 95.0, 4, 3),
    (2, "2025-02-01T10:00:00+07:00", "06115", "2", 50, 50, 2, 48, 96.0, 2, 1),
    (2, "2025-02-01T10:00:00+07:00", "06118", "7", 10, 10, 0, 10, 100.0, 0, 0),
]


def write_summary(path, review=True):
    """A sheet_summary table; review=False: a file from before open_errors/reviewed."""
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    t = ds.CreateLayer("sheet_summary", None, ogr.wkbNone)
    kinds = [("run_id", ogr.OFTInteger), ("taken_at", ogr.OFTString), ("commune", ogr.OFTString),
             ("sheet", ogr.OFTString), ("parcels", ogr.OFTInteger64), ("matched", ogr.OFTInteger64),
             ("flagged", ogr.OFTInteger64), ("clean", ogr.OFTInteger64), ("clean_pct", ogr.OFTReal),
             ("open_errors", ogr.OFTInteger64), ("reviewed", ogr.OFTInteger64)]
    kinds = kinds if review else kinds[:9]
    for name, kind in kinds:
        t.CreateField(ogr.FieldDefn(name, kind))
    for row in SUMMARY:
        f = ogr.Feature(t.GetLayerDefn())
        for k, v in enumerate(row[:len(kinds)]):
            f.SetField(k, v)
        t.CreateFeature(f)
    ds = None


def table_rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_progress_table_and_chart(dock, tmp_path):
    path = tmp_path / "flags.gpkg"
    write_summary(path)
    assert dock.load_progress(str(path))
    rows = table_rows(dock.progress_table)
    headers = [dock.progress_table.horizontalHeaderItem(c).text()
               for c in range(dock.progress_table.columnCount())]
    assert headers[4:7] == ["Flagged", "Open errors", "Reviewed"]
    assert rows == [
        ["06115", "(all sheets)", "150", "145", "7", "6", "4", "143", "95.3"],
        ["06115", "1", "100", "95", "5", "4", "3", "95", "95.0"],
        ["06115", "2", "50", "50", "2", "2", "1", "48", "96.0"],
        ["06118", "(all sheets)", "10", "10", "0", "0", "0", "10", "100.0"],
        ["06118", "7", "10", "10", "0", "0", "0", "10", "100.0"],
    ]
    assert dock.chart.points == [(1, 80.0), (2, round(100 * 153 / 160, 1))]
    dock.chart.resize(300, 150)
    dock.chart.grab()                   # paints without error


# -- merger tab: sheet renumbering after the 2025 commune merger (00706 Xã Phú Linh formed
# with 00703 and 00709, as in tests/test_merger.py) ------------------------------------------

def _merger_rows():
    rows = [("00706", str(s)) for s in range(1, 13)] + [("00706", "TĐ03-2014")]
    rows += [("00703", str(s)) for s in range(1, 9)] + [("00709", str(s)) for s in range(1, 6)]
    return [(c, s, n) for c, s in rows for n in (1, 2)]          # two parcels per sheet


@pytest.fixture
def merger_layer(tmp_path):
    from osgeo import osr
    path = tmp_path / "merger.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3405)
    lyr = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name, kind in (("MAXA", ogr.OFTString), ("SHBANDO", ogr.OFTString), ("SHTHUA", ogr.OFTInteger)):
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for k, (commune, sheet, number) in enumerate(_merger_rows()):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("MAXA", commune)
        f.SetField("SHBANDO", sheet)
        f.SetField("SHTHUA", number)
        x, y = 585000 + 20 * k, 2325000
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON (({x} {y}, {x + 10} {y}, {x + 10} {y + 10}, {x} {y + 10}, {x} {y}))"))
        lyr.CreateFeature(f)
    ds = None
    layer = QgsVectorLayer(f"{path}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def merger_dock(qgis_iface, qgis_new_project, merger_layer):
    QgsProject.instance().addMapLayer(merger_layer, False)
    widget = CodesDock(qgis_iface)
    widget.set_layer(merger_layer)
    widget._confirm = lambda text: True          # the user says yes (the question is tested apart)
    yield widget
    widget.unload()
    widget.deleteLater()


def _layer_frame(layer):
    import pandas as pd
    rows = [(f.id(), f["MAXA"], f["SHBANDO"]) for f in layer.getFeatures()]
    return pd.DataFrame(rows, columns=["fid", "commune", "sheet"], dtype=object)


def test_merger_tab_widgets(merger_dock):
    from qgis.PyQt.QtWidgets import QPushButton, QTableWidget, QWidget
    assert merger_dock.findChild(QWidget, "codesMergerPage") is not None
    for name in ("codesMergerBuild", "codesMergerImport", "codesMergerPreview", "codesMergerApply"):
        assert merger_dock.findChild(QPushButton, name) is not None
    assert merger_dock.findChild(QTableWidget, "codesMergerTable") is merger_dock.merger_table


def test_merger_build_shows_the_sheet_reference(merger_dock, merger_layer):
    import pandas as pd
    from cadastre_cleaner.core.codes.merger import REFERENCE_COLUMNS, sheet_reference
    expected = sheet_reference(_layer_frame(merger_layer)[["commune", "sheet"]])
    built = merger_dock.build_reference()
    pd.testing.assert_frame_equal(built, expected)
    table = merger_dock.merger_table
    assert table.rowCount() == len(expected) == 26
    shown = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert shown == expected[REFERENCE_COLUMNS].astype(str).values.tolist()
    assert not merger_layer.isEditable()


def test_merger_apply_one_undo_step_and_undo(merger_dock, merger_layer):
    from cadastre_cleaner.core.codes.merger import apply_merger, sheet_reference
    before = _layer_frame(merger_layer)
    reference = sheet_reference(before[["commune", "sheet"]])
    expected, report = apply_merger(before[["commune", "sheet"]], reference, parcel_field=None)
    numbers = values(merger_layer, "SHTHUA")
    merger_dock.build_reference()
    changed = merger_dock.apply_merger()
    assert changed == len(report) == 2 * (8 + 5)
    stack = merger_layer.undoStack()
    assert stack.count() == 1
    after = _layer_frame(merger_layer)
    assert after["fid"].tolist() == before["fid"].tolist()
    assert after["commune"].tolist() == expected["commune"].tolist()
    assert after["sheet"].tolist() == expected["sheet"].tolist()
    assert set(after["commune"]) == {"00706"}
    assert values(merger_layer, "SHTHUA") == numbers           # parcel numbers never change
    old_c, old_s = values(merger_layer, "MAXA_CU"), values(merger_layer, "SHBANDO_CU")
    rows = set(report["row"])
    for i, row in enumerate(before.itertuples()):
        if i in rows:
            assert (old_c[row.fid], old_s[row.fid]) == (row.commune, row.sheet)
        else:
            assert (old_c[row.fid], old_s[row.fid]) == (None, None)
    assert merger_dock.apply_merger() == 0 and stack.count() == 1     # nothing left to do
    stack.undo()
    assert merger_layer.fields().indexOf("MAXA_CU") < 0 and merger_layer.fields().indexOf("SHBANDO_CU") < 0
    restored = _layer_frame(merger_layer)
    assert restored.values.tolist() == before.values.tolist()


def test_merger_import_with_a_duplicate_row_is_refused(merger_dock, merger_layer, tmp_path):
    built = merger_dock.build_reference()
    path = tmp_path / "reference.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["old_commune", "old_sheet", "new_commune", "new_sheet", "rule"])
        writer.writerow(["00703", "1", "00706", "13", "renumbered"])
        writer.writerow(["00703", "1", "00706", "14", "renumbered"])
    bar = merger_dock.iface.messageBar()
    messages = []
    original = bar.pushMessage
    bar.pushMessage = lambda *args, **kw: messages.append(args)
    try:
        assert merger_dock.import_reference(str(path)) is False
    finally:
        bar.pushMessage = original
    assert messages and "more than once" in str(messages[-1][1]) and "\n" not in str(messages[-1][1])
    assert merger_dock.merger_reference is built
    assert merger_dock.merger_table.rowCount() == len(built)
    assert not merger_layer.isEditable() and merger_layer.undoStack().count() == 0


def test_progress_of_a_file_from_before_review_figures(dock, tmp_path):
    path = tmp_path / "flags.gpkg"
    write_summary(path, review=False)
    assert dock.load_progress(str(path))
    rows = table_rows(dock.progress_table)
    assert rows[1] == ["06115", "1", "100", "95", "5", "", "", "95", "95.0"]
