"""The review dock: a land officer browses the flags, sees each on the map, decides, applies
suggestions in the edit buffer and exports the list; decisions live in the flags file.

Most tests run on one generated 3 000-parcel commune (checked once per module, copied per
test); the speed test builds a flags file of 100 000 flags.
"""
import csv
import shutil
import time
import unicodedata

import numpy as np
import pandas as pd
import pytest
from osgeo import ogr, osr
from qgis.core import (Qgis, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject,
                       QgsRectangle, QgsVectorLayer)
from pytest_qgis.utils import process_events
from qgis.PyQt.QtCore import Qt

from cadastre_cleaner.core.flags import catalogue as cat
from cadastre_cleaner.core.flags import review as review_store
from cadastre_cleaner.core.errors import InputError
from cadastre_cleaner.core.flags.export import export_flags
from cadastre_cleaner.core.flags.store import write_flags
from cadastre_cleaner.core.pipeline import CheckRequest, run_check
from cadastre_cleaner.core.sample import SampleSpec, generate_sample
from cadastre_cleaner.ui import review_dock as review_dock_module
from cadastre_cleaner.ui.flags_model import (COLUMNS, FID_ROLE, SEARCH_COLUMNS, FlagsFilterProxy,
                                             FlagsTableModel)
from cadastre_cleaner.ui.review_dock import ReviewDock

# -- the commune ----------------------------------------------------------------------------


def _check(folder, out=None):
    return run_check(CheckRequest(parcels=str(folder / "commune.gpkg"),
                                  sheets=f"{folder / 'commune.gpkg'}|layername=sheets",
                                  register=str(folder / "register.csv"),
                                  out=str(out or folder / "flags.gpkg"), user="tester"))


@pytest.fixture(scope="module")
def checked_commune(tmp_path_factory):
    """A 3 000-parcel commune with register and geometry defects, checked once."""
    folder = tmp_path_factory.mktemp("commune")
    generate_sample(folder, SampleSpec(parcels=3000, geometry_defect_rate=0.01, write_xlsx=False))
    _check(folder)
    return folder


@pytest.fixture
def case(checked_commune, tmp_path):
    """This test's own copy of the commune and its flags file."""
    folder = tmp_path / "commune"
    shutil.copytree(checked_commune, folder)
    return folder


@pytest.fixture
def flags_path(case):
    return str(case / "flags.gpkg")


@pytest.fixture
def parcels_layer(case):
    layer = QgsVectorLayer(f"{case / 'commune.gpkg'}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    return layer        # pytest-qgis deletes it after the test, unsaved edits with it


@pytest.fixture
def canvas(qgis_canvas, qgis_new_project):
    """The map canvas in the commune's CRS (restored after the test)."""
    crs, extent = qgis_canvas.mapSettings().destinationCrs(), qgis_canvas.extent()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:9215"))
    yield qgis_canvas
    qgis_canvas.setDestinationCrs(crs)
    qgis_canvas.setExtent(extent)


@pytest.fixture
def dock(qgis_iface, canvas, flags_path, parcels_layer):
    qgis_iface.messageBar().clear_messages()
    widget = ReviewDock(qgis_iface)
    widget.resize(500, 700)
    widget.load(flags_path, parcels_layer)
    yield widget
    widget.unload()
    widget.deleteLater()


def shown_fids(proxy) -> list[int]:
    return [proxy.data(proxy.index(r, 0), FID_ROLE) for r in range(proxy.rowCount())]


def read_file(path) -> pd.DataFrame:
    return review_store.load_flags(path).set_index("fid")


def warnings(qgis_iface) -> list[str]:
    return qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)


def first_fid(path, **where) -> int:
    frame = review_store.load_flags(path)
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert len(frame), f"no flag with {where}"
    return int(frame["fid"].iloc[0])


def go_to(dock, fid) -> dict:
    """Show every flag and make `fid` the current one."""
    dock.set_filter("status", None)
    row = dock._proxy_row_of_fid(fid)
    assert dock.select_row(row)
    flag = dock.current_flag()
    assert flag["fid"] == fid
    return flag


# -- the flags file ---------------------------------------------------------------------------


def test_load_flags_has_every_flag_with_fid_and_bbox(flags_path):
    frame = review_store.load_flags(flags_path)
    ds = ogr.Open(flags_path)
    layer = ds.GetLayerByName("flags")
    expected = {}
    for feat in layer:
        geom = feat.GetGeometryRef()
        expected[feat.GetFID()] = (feat.GetField("code"), geom.GetEnvelope() if geom else None)
    assert len(frame) == len(expected) > 50
    assert {"fid", "xmin", "ymin", "xmax", "ymax", "ident", "suggested_value", "run_id"} <= set(frame.columns)
    for row in frame.itertuples():
        code, env = expected[row.fid]
        assert row.code == code
        if env is None:
            assert np.isnan(row.xmin)
        else:   # OGR envelope: minx, maxx, miny, maxy
            assert (row.xmin, row.xmax, row.ymin, row.ymax) == pytest.approx(env)
    assert frame.attrs["source"] == flags_path and "9215" in frame.attrs["crs_wkt"]


def test_last_field_mapping_reads_the_newest_run(flags_path):
    mapping = review_store.last_field_mapping(flags_path)
    assert mapping["map.sheet"] == "SHBANDO" and mapping["map.parcel"] == "SHTHUA"
    assert mapping["map.landuse"] == "KHLOAIDAT"
    assert mapping["register.area"] == "Diện tích (m²)"    # a name with spaces and brackets


def test_a_decision_is_in_the_file_at_once(flags_path):
    fid = first_fid(flags_path, code="MAP_ONLY")
    review_store.record_decision(flags_path, [fid], cat.FIXED, "đã đo lại", user="Hà")
    row = read_file(flags_path).loc[fid]
    assert (row.status, row.comment, row.resolved_by) == ("fixed", "đã đo lại", "Hà")
    assert row.resolved_at.startswith("20")


def test_reopening_clears_the_resolution(flags_path):
    fid = first_fid(flags_path, code="MAP_ONLY")
    review_store.record_decision(flags_path, [fid], cat.FIXED, user="Hà")
    review_store.record_decision(flags_path, [fid], cat.OPEN)
    row = read_file(flags_path).loc[fid]
    assert (row.status, row.resolved_by, row.resolved_at) == ("open", "", "")


@pytest.mark.parametrize("status, comment, problem", [
    ("done", "", "not a review status"),
    (cat.EXCEPTION, "  ", "needs a comment"),
])
def test_a_bad_decision_is_refused_with_a_fix(flags_path, status, comment, problem):
    fid = first_fid(flags_path, code="MAP_ONLY")
    with pytest.raises(InputError) as err:
        review_store.record_decision(flags_path, [fid], status, comment)
    assert problem in err.value.problem and err.value.fix
    assert read_file(flags_path).loc[fid].status == "open"


def test_a_decision_on_unknown_flags_changes_nothing(flags_path):
    fid = first_fid(flags_path, code="MAP_ONLY")
    with pytest.raises(InputError, match="not in the file"):
        review_store.record_decision(flags_path, [fid, 999_999], cat.FIXED)
    assert read_file(flags_path).loc[fid].status == "open"     # one transaction, rolled back


def test_decisions_survive_a_rerun_of_the_check(case, flags_path):
    frame = review_store.load_flags(flags_path)
    accepted = frame[frame["code"] == "MAP_ONLY"]["ident"].iloc[0]
    fid = int(frame.loc[frame["ident"] == accepted, "fid"].iloc[0])
    review_store.record_decision(flags_path, [fid], cat.EXCEPTION, "đất công, chưa đăng ký", user="Hà")
    _check(case)
    again = review_store.load_flags(flags_path)
    row = again[again["ident"] == accepted].iloc[0]
    assert (row.status, row.comment, row.resolved_by) == ("exception", "đất công, chưa đăng ký", "Hà")
    assert row.run_id == 2


# -- the model and its filters ----------------------------------------------------------------


@pytest.fixture
def frame(flags_path):
    return review_store.load_flags(flags_path)


@pytest.fixture
def proxy(frame):
    model = FlagsTableModel(frame)
    proxy = FlagsFilterProxy()
    proxy.setSourceModel(model)
    proxy.model_ref = model         # keep the model alive with the proxy
    return proxy


def test_the_model_shows_every_flag_with_its_columns(frame, qgis_app):
    model = FlagsTableModel(frame)
    assert model.rowCount() == len(frame) and model.columnCount() == len(COLUMNS)
    for row in (0, len(frame) // 2, len(frame) - 1):
        for col, name in enumerate(COLUMNS):
            value = model.data(model.index(row, col))
            expected = frame[name].iloc[row]
            assert value == expected        # untranslated here: English words
        assert model.data(model.index(row, 0), FID_ROLE) == frame["fid"].iloc[row]
        tip = model.data(model.index(row, 5), Qt.ItemDataRole.ToolTipRole)
        assert frame["message"].iloc[row] in tip
        if frame["suggestion"].iloc[row]:
            assert frame["suggestion"].iloc[row] in tip
    icon = model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert icon is not None and not icon.isNull()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Severity"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _pandas_text_filter(frame, text):
    """The oracle: every word in one of the searched columns or the code's title."""
    keep = pd.Series(True, index=frame.index)
    for word in _fold(text).split():
        hit = frame["code"].map(lambda c: word in _fold(f"{c} {cat.CATALOGUE[c].title}"))
        for name in SEARCH_COLUMNS:
            hit |= frame[name].map(lambda v: word in _fold(str(v)))
        keep &= hit
    return keep


@pytest.mark.parametrize("filters", [
    {"code": {"NUMBER_MISMATCH", "OVERLAP"}},
    {"severity": {"warning"}},
    {"status": {"exception"}},
    {"sheet": {"3", "5"}},
    {"text": "OVERLAP"},
    {"text": "dat cong"},                       # accents and case ignored: "Đất công"
    {"text": "register row"},                   # every word
    {"code": {"MAP_ONLY", "REGISTER_ONLY"}, "severity": {"error"}, "sheet": {"3", "7"}, "text": "parcel"},
])
def test_filters_show_the_same_rows_as_pandas(flags_path, filters, qgis_app):
    frame = review_store.load_flags(flags_path)
    some = frame[frame["code"] == "MAP_ONLY"]["fid"].iloc[:3].tolist()
    review_store.record_decision(flags_path, some, cat.EXCEPTION, "Đất công, chưa đăng ký", user="Hà")
    frame = review_store.load_flags(flags_path)
    model = FlagsTableModel(frame)
    proxy = FlagsFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(**filters)
    keep = pd.Series(True, index=frame.index)
    for key, values in filters.items():
        keep &= _pandas_text_filter(frame, values) if key == "text" else frame[key].isin(values)
    expected = frame.loc[keep, "fid"].tolist()
    assert shown_fids(proxy) == expected and len(expected) > 0
    assert proxy.filtered_frame()["fid"].tolist() == expected


def test_clearing_the_filters_shows_everything_again(proxy, frame):
    proxy.set_filters(code={"OVERLAP"}, text="overlap")
    proxy.clear_filters()
    assert shown_fids(proxy) == frame["fid"].tolist()


@pytest.mark.parametrize("by", ["code", "sheet"])
def test_group_counts_match_pandas_and_ignore_their_own_filter(proxy, frame, by):
    proxy.set_filters(severity={"error", "warning"}, **{by: {frame[by].iloc[0]}})
    counts = proxy.group_counts(by).set_index("group")
    rows = frame[frame["severity"].isin(["error", "warning"])]
    expected = rows.groupby(by).agg(total=("status", "size"),
                                    open=("status", lambda s: int((s == "open").sum())))
    assert counts["total"].to_dict() == expected["total"].to_dict()
    assert counts["open"].to_dict() == expected["open"].to_dict()
    if by == "sheet":   # sheets in natural order
        numbers = [int(s) for s in counts.index]
        assert numbers == sorted(numbers)


def test_sorting_orders_the_rows_and_keeps_the_filter(proxy, frame):
    proxy.set_filters(severity={"error"})
    proxy.sort(COLUMNS.index("parcel"), Qt.SortOrder.DescendingOrder)
    errors = frame[frame["severity"] == "error"]
    shown = proxy.filtered_frame()
    assert sorted(shown["fid"]) == sorted(errors["fid"])
    parcels = pd.to_numeric(shown["parcel"], errors="coerce").dropna().tolist()
    assert parcels == sorted(parcels, reverse=True)


# -- the dock: finding flags -------------------------------------------------------------------------


def test_the_dock_lists_the_open_flags_worst_first(dock, frame):
    assert dock.status_filter.checkedItemsData() == ["open"]
    assert sorted(shown_fids(dock.proxy)) == sorted(frame.loc[frame["status"] == "open", "fid"])
    severities = dock.proxy.filtered_frame()["severity"].tolist()
    rank = {s: i for i, s in enumerate(cat.SEVERITIES)}
    assert [rank[s] for s in severities] == sorted(rank[s] for s in severities)
    assert dock.current_flag()["fid"] == shown_fids(dock.proxy)[0]
    assert "of" in dock.count_label.text()


def test_the_filter_bar_drives_the_proxy(dock, frame):
    dock.set_filter("code", {"OVERLAP"})
    assert dock.code_filter.checkedItemsData() == ["OVERLAP"]
    assert set(dock.proxy.filtered_frame()["code"]) == {"OVERLAP"}
    dock.set_search("GAP")       # code OVERLAP and the word "gap": none
    assert dock.proxy.rowCount() == 0
    dock.set_search("")
    dock.set_filter("code", None)
    assert dock.proxy.rowCount() == (frame["status"] == "open").sum()


def test_clicking_a_group_filters_the_list(dock, frame):
    dock.group_by.setCurrentIndex(dock.group_by.findData("sheet"))
    assert dock.group_list.isVisibleTo(dock)
    groups = [dock.group_list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
              for i in range(dock.group_list.topLevelItemCount())]
    assert groups[0] is None and "2" in groups          # (all), then the sheets
    item = dock.group_list.topLevelItem(groups.index("2"))
    dock.group_list.itemClicked.emit(item, 0)
    process_events()
    assert set(dock.proxy.filtered_frame()["sheet"]) == {"2"}
    assert dock.sheet_filter.checkedItemsData() == ["2"]
    dock.choose_group(None)
    assert dock.sheet_filter.checkedItemsData() == []
    assert dock.proxy.rowCount() == (frame["status"] == "open").sum()


def test_selecting_a_flag_zooms_to_it_flashes_it_and_selects_its_parcels(
        dock, canvas, parcels_layer, flags_path, monkeypatch):
    flashed = []
    monkeypatch.setattr(canvas, "flashGeometries", lambda geoms, crs=None, *a, **k: flashed.append(geoms),
                        raising=False)
    fid = first_fid(flags_path, code="OVERLAP")
    flag = go_to(dock, fid)
    box = QgsRectangle(flag["xmin"], flag["ymin"], flag["xmax"], flag["ymax"])
    assert canvas.extent().contains(box)
    assert canvas.extent().width() < 10 * max(box.width(), box.height()) + 100   # zoomed in, not out
    assert set(parcels_layer.selectedFeatureIds()) == {flag["map_fid"], flag["other_map_fid"]}
    assert flashed and flashed[-1][0].boundingBox().contains(box.center())


def test_the_zoom_follows_the_canvas_crs(dock, canvas, flags_path):
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    flag = go_to(dock, first_fid(flags_path, code="MAP_ONLY"))
    box = QgsRectangle(flag["xmin"], flag["ymin"], flag["xmax"], flag["ymax"])
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:9215"),
                                       QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance())
    in_3857 = transform.transformBoundingBox(box)
    assert canvas.extent().contains(in_3857)
    assert not canvas.extent().contains(box)          # not read as web-mercator metres


def test_next_and_previous_stop_at_the_ends(dock):
    rows = dock.proxy.rowCount()
    dock.select_row(0)
    assert dock.previous_flag() is False and dock.table.currentIndex().row() == 0
    assert dock.next_flag() is True and dock.table.currentIndex().row() == 1
    assert dock.previous_flag() is True and dock.table.currentIndex().row() == 0
    dock.select_row(rows - 1)
    assert dock.next_flag() is False and dock.table.currentIndex().row() == rows - 1
    assert not dock.next_button.isEnabled() and dock.previous_button.isEnabled()


def test_the_keyboard_shortcuts_are_on_the_dock_and_in_the_tooltips(dock):
    for key in ("Ctrl+Down", "Ctrl+Up", "Ctrl+Return", "Ctrl+Shift+Return", "Ctrl+Shift+E",
                "Ctrl+Shift+Backspace"):
        shortcut = dock.shortcuts[key]
        assert shortcut.context() == Qt.ShortcutContext.WidgetWithChildrenShortcut
        assert shortcut.parent() is dock
    assert "Ctrl+Down" in dock.next_button.toolTip()
    dock.select_row(0)
    dock.shortcuts["Ctrl+Down"].activated.emit()
    assert dock.table.currentIndex().row() == 1


# -- the dock: decisions ---------------------------------------------------------------------------


def test_mark_fixed_records_the_user_and_moves_to_the_next_flag(dock, flags_path):
    recorded = []
    dock.decisionRecorded.connect(lambda fids, status: recorded.append((fids, status)))
    dock.select_row(2)
    fid = dock.current_flag()["fid"]
    following = shown_fids(dock.proxy)[3]
    assert dock.mark(cat.FIXED)
    row = read_file(flags_path).loc[fid]
    assert (row.status, row.resolved_by) == ("fixed", dock.user)
    assert recorded == [([fid], "fixed")]
    assert fid not in shown_fids(dock.proxy)            # the list shows open flags
    assert dock.current_flag()["fid"] == following       # and goes on with the next one
    assert dock.model.flag(dock.model.row_of_fid(fid))["status"] == "fixed"   # model updated in place


def test_an_exception_needs_a_comment(dock, flags_path, qgis_iface, monkeypatch):
    fid = dock.current_flag()["fid"]
    monkeypatch.setattr(review_dock_module.QInputDialog, "getText", lambda *a, **k: ("  ", True))
    assert dock.ask_exception() is False
    assert any("comment" in m for m in warnings(qgis_iface))
    assert read_file(flags_path).loc[fid].status == "open"
    assert dock.mark(cat.EXCEPTION, "") is False         # the API refuses it too
    monkeypatch.setattr(review_dock_module.QInputDialog, "getText",
                        lambda *a, **k: ("đất công, chưa đăng ký", True))
    assert dock.ask_exception() is True
    row = read_file(flags_path).loc[fid]
    assert (row.status, row.comment) == ("exception", "đất công, chưa đăng ký")


def test_reopen_brings_a_decided_flag_back(dock, flags_path):
    fid = dock.current_flag()["fid"]
    dock.mark(cat.FIXED)
    go_to(dock, fid)
    assert "fixed" in dock.details.toPlainText()
    assert dock.mark(cat.OPEN)
    row = read_file(flags_path).loc[fid]
    assert (row.status, row.resolved_by, row.resolved_at) == ("open", "", "")


def test_the_details_show_title_values_suggestion_and_history(dock, flags_path):
    flag = go_to(dock, first_fid(flags_path, code="NUMBER_MISMATCH", suggestion_target="map"))
    text = dock.details.toPlainText()
    assert cat.check("NUMBER_MISMATCH").title in text
    assert flag["map_value"] in text and flag["register_value"] in text
    assert flag["suggestion"] in text and "confidence" in text
    assert "First seen" in text


# -- the dock: apply suggestion --------------------------------------------------------------------


def _source_value(case, fid, field):
    ds = ogr.Open(str(case / "commune.gpkg"))
    return ds.GetLayerByName("parcels").GetFeature(fid).GetField(field)


def test_apply_suggestion_changes_one_attribute_in_the_edit_buffer(dock, case, flags_path, parcels_layer):
    flag = go_to(dock, first_fid(flags_path, code="SHEET_MISMATCH"))
    parcel = flag["map_fid"]
    index = parcels_layer.fields().lookupField("SHBANDO")
    before = parcels_layer.getFeature(parcel).attributes()
    on_disk = _source_value(case, parcel, "SHBANDO")
    assert dock.apply_button.isEnabled()
    assert dock.apply_suggestion()
    assert parcels_layer.isEditable() and parcels_layer.isModified()
    stack = parcels_layer.undoStack()
    assert stack.count() == 1 and "SHEET_MISMATCH" in stack.text(0)
    after = parcels_layer.getFeature(parcel).attributes()
    assert after[index] == flag["suggested_sheet"] != before[index]
    assert [a for i, a in enumerate(after) if i != index] == [b for i, b in enumerate(before) if i != index]
    assert parcels_layer.editBuffer().changedAttributeValues() == {parcel: {index: flag["suggested_sheet"]}}
    assert _source_value(case, parcel, "SHBANDO") == on_disk            # nothing saved
    row = read_file(flags_path).loc[flag["fid"]]
    assert (row.status, row.resolved_by) == ("fixed", dock.user) and "SHBANDO" in row.comment

    stack.undo()            # Ctrl+Z: the old value, and the flag open again
    assert parcels_layer.getFeature(parcel).attributes()[index] == before[index]
    assert read_file(flags_path).loc[flag["fid"]].status == "open"
    stack.redo()
    assert read_file(flags_path).loc[flag["fid"]].status == "fixed"


def test_discarding_the_edits_reopens_the_flag(dock, flags_path, parcels_layer):
    flag = go_to(dock, first_fid(flags_path, code="NUMBER_MISMATCH", suggestion_target="map"))
    assert dock.apply_suggestion()
    index = parcels_layer.fields().lookupField("SHTHUA")
    value = parcels_layer.getFeature(flag["map_fid"]).attributes()[index]
    assert value == int(flag["suggested_parcel"])        # an integer field gets an integer
    parcels_layer.rollBack()
    assert read_file(flags_path).loc[flag["fid"]].status == "open"


@pytest.mark.parametrize("where, reason", [
    ({"code": "AREA_MISMATCH"}, "register"),
    ({"code": "OVERLAP"}, "Fix topology"),
    ({"code": "MAP_ONLY"}, "no value"),
])
def test_apply_is_disabled_with_the_reason_when_nothing_applies(dock, flags_path, parcels_layer, where, reason):
    go_to(dock, first_fid(flags_path, **where))
    assert not dock.apply_button.isEnabled()
    assert reason in dock.apply_button.toolTip()
    assert dock.apply_suggestion() is False
    assert not parcels_layer.isEditable()


def test_apply_needs_the_parcel_layer(qgis_iface, canvas, flags_path):
    widget = ReviewDock(qgis_iface)
    widget.load(flags_path)                       # the parcel layer is not in the project
    go_to(widget, first_fid(flags_path, code="SHEET_MISMATCH"))
    assert not widget.apply_button.isEnabled() and "parcel layer" in widget.apply_button.toolTip()
    widget.deleteLater()


def test_the_parcel_layer_is_found_in_the_project(qgis_iface, canvas, case, flags_path):
    _check(case)                                   # the newest run read this copy
    layer = QgsVectorLayer(f"{case / 'commune.gpkg'}|layername=parcels", "parcels", "ogr")
    QgsProject.instance().addMapLayer(layer)
    run = review_store.last_run(flags_path)
    assert run["parcels_source"] == str(case / "commune.gpkg")
    widget = ReviewDock(qgis_iface)
    widget.load(flags_path)
    assert widget.parcels_layer is layer
    widget.unload()
    widget.deleteLater()


# -- export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", [".xlsx", ".csv", ".gpkg"])
def test_export_writes_the_rows_shown_only(dock, tmp_path, ext):
    dock.set_filter("code", {"NUMBER_MISMATCH", "SHEET_MISMATCH"})
    expected = shown_fids(dock.proxy)
    out = tmp_path / f"work{ext}"
    assert dock.export(str(out)) == len(expected)
    if ext == ".xlsx":
        back = pd.read_excel(out, sheet_name="flags")
    elif ext == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")          # Excel reads it as UTF-8
        back = pd.read_csv(out, encoding="utf-8-sig", dtype={"sheet": str, "parcel": str})
    else:
        ds = ogr.Open(str(out))
        layer = ds.GetLayerByName("flags")
        back = pd.DataFrame([{"fid": f.GetFID(), "code": f.GetField("code"),
                              "has_geometry": f.GetGeometryRef() is not None} for f in layer])
        assert back["has_geometry"].all()
    assert sorted(back["fid"]) == sorted(expected)
    assert set(back["code"]) == {"NUMBER_MISMATCH", "SHEET_MISMATCH"}


def test_export_keeps_vietnamese_text(frame, tmp_path, flags_path):
    fid = int(frame["fid"].iloc[0])
    review_store.record_decision(flags_path, [fid], cat.EXCEPTION, "Đất công, chưa đăng ký", "Hà")
    rows = review_store.load_flags(flags_path).iloc[:1]
    export_flags(rows, str(tmp_path / "a.csv"))
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as fh:
        record = next(csv.DictReader(fh))
    assert record["comment"] == "Đất công, chưa đăng ký"


def test_export_refuses_an_unknown_format(frame, tmp_path):
    with pytest.raises(InputError, match=r"'\.docx'") as err:
        export_flags(frame, str(tmp_path / "flags.docx"))
    assert ".xlsx, .csv or .gpkg" in err.value.fix


# -- 100 000 flags ---------------------------------------------------------------------------------


def _many_flags(n: int, seed: int = 5) -> tuple[pd.DataFrame, np.ndarray]:
    import shapely
    rng = np.random.default_rng(seed)
    codes = np.array(cat.codes(), dtype=object)
    code = codes[rng.integers(0, len(codes), n)]
    severity = pd.Series(code).map({c: cat.check(c).severity for c in codes}).to_numpy(object)
    sheet = rng.integers(1, 80, n).astype(str).astype(object)
    parcel = rng.integers(1, 1500, n).astype(str).astype(object)
    owners = np.array(["Nguyễn Văn An", "Trần Thị Bích", "Lê Đức Thọ", "Hoàng Thị Hoa"], dtype=object)
    message = np.array([f"Thửa {s}/{p} của {o}: diện tích lệch {a} m²" for s, p, o, a in
                        zip(sheet, parcel, owners[rng.integers(0, 4, n)], rng.integers(1, 500, n))],
                       dtype=object)
    x, y = 450_000 + rng.random(n) * 30_000, 2_420_000 + rng.random(n) * 30_000
    frame = pd.DataFrame({
        "ident": [f"{c}|06073|{s}|{p}|{i}" for i, (c, s, p) in enumerate(zip(code, sheet, parcel))],
        "code": code, "severity": severity, "commune": "06073", "sheet": sheet, "parcel": parcel,
        "map_fid": np.arange(n), "other_map_fid": None, "register_row": None, "message": message,
        "suggestion": "set sheet 3", "suggestion_target": "map", "suggested_commune": "",
        "suggested_sheet": "3", "suggested_parcel": "", "suggested_value": "", "confidence": 0.8,
        "map_value": "", "register_value": ""})
    return frame, shapely.box(x, y, x + 12, y + 9)


@pytest.fixture(scope="module")
def many_flags_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("many") / "flags.gpkg"
    frame, geometry = _many_flags(100_000)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9215)
    write_flags(str(path), frame, geometry, srs.ExportToWkt(),
                {"field_mapping": "map.sheet ← SHBANDO (auto); map.parcel ← SHTHUA (auto)"}, pd.DataFrame())
    return str(path)


@pytest.mark.slow
def test_100k_flags_load_and_filter_quickly(qgis_iface, canvas, many_flags_path, capsys):
    times = {}
    t = time.perf_counter()
    frame = review_store.load_flags(many_flags_path)
    times["load_flags"] = time.perf_counter() - t
    dock = ReviewDock(qgis_iface)
    t = time.perf_counter()
    dock.load(many_flags_path)
    times["dock.load (read, model, open-only filter, sort, first flag)"] = time.perf_counter() - t
    t = time.perf_counter()
    dock.set_filter("code", {"OVERLAP", "GAP", "SPIKE"})
    times["first filter (code)"] = time.perf_counter() - t
    t = time.perf_counter()
    dock.set_search("nguyen van")
    times["text filter, first (builds the search index)"] = time.perf_counter() - t
    t = time.perf_counter()
    dock.set_search("nguyen van an")
    times["text filter, next"] = time.perf_counter() - t
    t = time.perf_counter()
    dock.set_filter("code", None)
    times["clear code filter (text kept)"] = time.perf_counter() - t
    t = time.perf_counter()
    dock.table.sortByColumn(COLUMNS.index("parcel"), Qt.SortOrder.AscendingOrder)
    times["sort by parcel"] = time.perf_counter() - t
    t = time.perf_counter()
    assert dock.mark(cat.FIXED)
    times["mark fixed (write, read back one row, refilter)"] = time.perf_counter() - t
    with capsys.disabled():
        print()
        for name, seconds in times.items():
            print(f"  100 000 flags — {name}: {seconds:.3f} s")
    assert len(frame) == 100_000 and dock.model.rowCount() == 100_000
    expected = frame["message"].map(_fold).str.contains("nguyen van an", regex=False)
    assert dock.proxy.rowCount() == int(expected.sum()) - 1     # less the one just fixed
    dock.deleteLater()
