"""The Run checks dialog and its background task: fields found by themselves, choices kept
in the project, a run that adds a styled Flags layer, cancel that writes nothing, and bad
input told in one line."""
import threading
import time
from pathlib import Path

import pytest
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsProject,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop
from qgis.PyQt.QtWidgets import QComboBox

from cadastre_cleaner.core import pipeline
from cadastre_cleaner.core.pipeline import CheckRequest
from cadastre_cleaner.core.sample import SampleSpec, generate_sample
from cadastre_cleaner.ui import settings
from cadastre_cleaner.ui.check_task import CheckTask
from cadastre_cleaner.ui.flags_layer import add_flags_layer, flags_layers_of
from cadastre_cleaner.ui.run_checks_dialog import KEYS, SCOPE, RunChecksDialog

pytestmark = pytest.mark.needs_engine


# -- helpers ------------------------------------------------------------------------


def wait_until(condition, timeout: float = 120.0) -> None:
    """Run the Qt event loop (the task manager reports through it) until `condition()`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def messages(iface, level) -> list[str]:
    return iface.messageBar().get_messages(level)


def flags_layers(project: QgsProject) -> list:
    return [lyr for lyr in project.mapLayers().values() if lyr.name() == "Flags"]


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    """`python -m cadastre_cleaner sample --parcels 2000` (with a few topology defects)."""
    out = tmp_path_factory.mktemp("sample_2000")
    generate_sample(out, SampleSpec(parcels=2000, seed=3, geometry_defect_rate=0.01))
    return out


@pytest.fixture
def parcels_layer(sample_dir, qgis_new_project) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{sample_dir / 'commune.gpkg'}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    qgis_new_project.addMapLayer(layer)
    return layer


@pytest.fixture
def sheets_layer(sample_dir, qgis_new_project) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{sample_dir / 'commune.gpkg'}|layername=sheets", "sheets", "ogr")
    assert layer.isValid()
    qgis_new_project.addMapLayer(layer)
    return layer


@pytest.fixture
def register_layer(sample_dir, qgis_new_project) -> QgsVectorLayer:
    layer = QgsVectorLayer(str(sample_dir / "register.csv"), "register", "ogr")
    assert layer.isValid()
    qgis_new_project.addMapLayer(layer)
    return layer


@pytest.fixture
def clean_settings():
    """No user-level defaults left over from another test."""
    from qgis.core import QgsSettings
    for key in (settings.TOLERANCE_FACTOR_KEY, settings.DEFAULT_SCALE_KEY):
        QgsSettings().remove(key)
    yield
    for key in (settings.TOLERANCE_FACTOR_KEY, settings.DEFAULT_SCALE_KEY):
        QgsSettings().remove(key)


@pytest.fixture
def make_dialog(qgis_iface, qgis_new_project, clean_settings):
    made = []
    qgis_iface.messageBar().clear_messages()

    def make() -> RunChecksDialog:
        dialog = RunChecksDialog(qgis_iface)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        task = dialog.task
        dialog.shutdown()
        if task is not None:
            wait_until(lambda: task.status() in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated)
                       if not _deleted(task) else True)
        dialog.deleteLater()


def _deleted(obj) -> bool:
    from qgis.PyQt import sip
    return sip.isdeleted(obj)


@pytest.fixture
def ready_dialog(make_dialog, parcels_layer, sheets_layer, sample_dir, tmp_path):
    """A dialog on the sample's parcels, sheets and register.xlsx, writing into tmp_path."""
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    dialog.sheets_layer.setLayer(sheets_layer)
    dialog.register_file.setFilePath(str(sample_dir / "register.xlsx"))
    dialog.flags_file.setFilePath(str(tmp_path / "flags.gpkg"))
    return dialog


# -- fields -------------------------------------------------------------------------


def test_fields_of_the_parcel_layer_and_register_file_are_found_by_themselves(
        make_dialog, parcels_layer, sample_dir):
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    dialog.register_file.setFilePath(str(sample_dir / "register.xlsx"))
    table = dialog.field_mapping
    assert [table.current("map", r) for r in ("commune", "sheet", "parcel", "area", "landuse")] == \
        ["MAXA", "SHBANDO", "SHTHUA", "DIENTICH", "KHLOAIDAT"]
    assert [table.current("register", r) for r in ("sheet", "parcel", "area", "owner_id")] == \
        ["Số tờ", "Số thửa", "Diện tích (m²)", "Số CCCD"]
    combo = dialog.findChild(QComboBox, "field_map_sheet")
    assert combo.currentData() == "SHBANDO"
    assert [combo.itemData(i) for i in range(combo.count())] == [f.name() for f in parcels_layer.fields()]
    assert table.overrides() == {}
    assert not dialog.field_problems.text()


def test_a_register_table_of_the_project_replaces_the_register_file(
        make_dialog, parcels_layer, register_layer, sample_dir):
    dialog = make_dialog()
    dialog.register_file.setFilePath(str(sample_dir / "register.xlsx"))
    dialog.register_layer.setLayer(register_layer)
    assert dialog.register_file.filePath() == ""
    assert dialog.field_mapping.current("register", "parcel") == "Số thửa"
    assert dialog.field_mapping.columns("register") == [f.name() for f in register_layer.fields()]


def test_choosing_another_field_makes_an_override(make_dialog, parcels_layer):
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    combo = dialog.field_mapping.combo("map", "area")
    combo.setCurrentIndex(combo.findData("SHTHUA"))
    assert dialog.field_mapping.overrides() == {"map.area": "SHTHUA"}
    combo.setCurrentIndex(combo.findData("DIENTICH"))   # back to the automatic choice
    assert dialog.field_mapping.overrides() == {}


def test_without_a_register_the_register_only_checks_are_greyed_out(make_dialog, parcels_layer):
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    selected = dialog.checks_tree.selected()
    assert "MAP_ONLY" not in selected and "OVERLAP" in selected and "SHEET_MISMATCH" in selected
    assert dialog.checks_tree.request_checks() is None   # everything the inputs allow


def test_the_flags_file_defaults_to_the_layer_name_next_to_its_file(make_dialog, parcels_layer, sample_dir):
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    assert Path(dialog.flags_file.filePath()) == sample_dir / "parcels_flags.gpkg"


# -- per-project memory ---------------------------------------------------------------


def test_choices_are_written_to_the_project_and_restored_by_a_new_dialog(
        make_dialog, parcels_layer, sheets_layer, register_layer, qgis_new_project, tmp_path):
    dialog = make_dialog()
    dialog.parcels_layer.setLayer(parcels_layer)
    dialog.sheets_layer.setLayer(sheets_layer)
    dialog.register_layer.setLayer(register_layer)
    owner = dialog.field_mapping.combo("register", "owner")
    owner.setCurrentIndex(owner.findData("Địa chỉ"))
    dialog.checks_tree.set_checked("topology", False)
    dialog.checks_tree.set_checked("NUMBERING_GAP", False)
    dialog.tolerance.setValue(0.25)
    dialog.scale.setCurrentIndex(dialog.scale.findData(1000))
    dialog.flags_file.setFilePath(str(tmp_path / "mine.gpkg"))
    dialog.report_file.setFilePath(str(tmp_path / "report.xlsx"))
    dialog.close_button.click()     # closing remembers the choices

    assert qgis_new_project.readEntry(SCOPE, KEYS["parcels"], "")[0] == parcels_layer.id()
    assert qgis_new_project.readListEntry(SCOPE, KEYS["fields"], [])[0] == ["register.owner=Địa chỉ"]

    again = make_dialog()
    assert again.parcels_layer.currentLayer() is parcels_layer
    assert again.sheets_layer.currentLayer() is sheets_layer
    assert again.register_layer.currentLayer() is register_layer
    assert again.field_mapping.overrides() == {"register.owner": "Địa chỉ"}
    assert not again.checks_tree.is_checked("OVERLAP") and not again.checks_tree.is_checked("NUMBERING_GAP")
    assert again.checks_tree.is_checked("MAP_ONLY")
    assert again.tolerance.value() == pytest.approx(0.25)
    assert again.scale.currentData() == 1000
    assert Path(again.flags_file.filePath()) == tmp_path / "mine.gpkg"
    assert Path(again.report_file.filePath()) == tmp_path / "report.xlsx"


def test_user_defaults_come_from_the_settings(make_dialog, parcels_layer):
    from qgis.core import QgsSettings
    QgsSettings().setValue(settings.DEFAULT_SCALE_KEY, 500)
    QgsSettings().setValue(settings.TOLERANCE_FACTOR_KEY, 0.0006)
    dialog = make_dialog()
    assert dialog.scale.currentData() == 500
    dialog.parcels_layer.setLayer(parcels_layer)
    assert dialog.build_request().tolerance_factor == pytest.approx(0.0006)


# -- running ------------------------------------------------------------------------


def test_a_run_writes_the_flags_adds_the_styled_layer_and_says_so(
        ready_dialog, parcels_layer, qgis_iface, qgis_new_project, tmp_path):
    finished = []
    ready_dialog.checksFinished.connect(lambda path, layer_id: finished.append((path, layer_id)))
    task = ready_dialog.run_checks()
    assert task is not None and ready_dialog.is_running()
    assert not ready_dialog.run_button.isEnabled() and ready_dialog.cancel_button.isEnabled()
    wait_until(lambda: finished or not ready_dialog.is_running())

    out = tmp_path / "flags.gpkg"
    assert finished == [(str(out), parcels_layer.id())]
    assert out.is_file()
    [layer] = flags_layers(qgis_new_project)
    assert layer.source().endswith("flags.gpkg|layername=flags") and layer.featureCount() > 0
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert renderer.classAttribute() == "severity"
    assert {c.value() for c in renderer.categories()} == {"error", "warning", "info"}
    assert layer.labelsEnabled() and layer.labeling().settings().fieldName == "code"
    [summary] = [m for m in messages(qgis_iface, Qgis.MessageLevel.Info)
                 + messages(qgis_iface, Qgis.MessageLevel.Success) if m.startswith("Checks finished")]
    assert " errors, " in summary and " warnings, " in summary and str(out) in summary
    assert ready_dialog.run_button.isEnabled() and ready_dialog.progress_bar.value() == 100


def test_a_second_run_replaces_the_flags_layer_of_the_same_file(ready_dialog, qgis_new_project):
    for _ in range(2):
        ready_dialog.run_checks()
        wait_until(lambda: not ready_dialog.is_running())
    assert len(flags_layers(qgis_new_project)) == 1


def test_cancel_right_after_the_start_writes_nothing(ready_dialog, qgis_iface, monkeypatch, tmp_path):
    started, release = threading.Event(), threading.Event()
    real_read = pipeline.read_vector

    def slow_read(*args, **kwargs):   # holds the engine in its first step until cancelled
        started.set()
        release.wait(60)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(pipeline, "read_vector", slow_read)
    cancelled = []
    task = ready_dialog.run_checks()
    task.checkCancelled.connect(lambda: cancelled.append(True))
    wait_until(started.is_set)
    ready_dialog.cancel_button.click()
    release.set()
    wait_until(lambda: not ready_dialog.is_running())

    assert cancelled == [True]
    assert not (tmp_path / "flags.gpkg").exists()
    assert "Cadastre Cleaner:Cancelled: nothing was written" in messages(qgis_iface, Qgis.MessageLevel.Info)
    assert ready_dialog.status_label.text() == "Cancelled: nothing was written"


def test_a_register_without_usable_columns_is_told_in_one_line(ready_dialog, qgis_iface, tmp_path):
    bad = tmp_path / "register.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    ready_dialog.register_file.setFilePath(str(bad))
    assert "no field for" in ready_dialog.field_problems.text()

    assert ready_dialog.run_checks() is None
    [message] = messages(qgis_iface, Qgis.MessageLevel.Critical)
    assert "\n" not in message and "Traceback" not in message and "no field for" in message
    assert not (tmp_path / "flags.gpkg").exists()


def test_the_task_reports_bad_input_from_the_engine_in_one_line(sample_dir, tmp_path, qgis_app):
    bad = tmp_path / "register.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    task = CheckTask(CheckRequest(parcels=str(sample_dir / "commune.gpkg"), register=str(bad),
                                  out=str(tmp_path / "flags.gpkg")))
    failed = []
    task.checkFailed.connect(failed.append)
    QgsApplication.taskManager().addTask(task)
    wait_until(lambda: failed)
    [message] = failed
    assert "\n" not in message and "no field found for register.sheet" in message
    assert not (tmp_path / "flags.gpkg").exists()


def test_the_task_cancelled_before_it_runs_ends_cancelled(sample_dir, tmp_path, qgis_app):
    task = CheckTask(CheckRequest(parcels=str(sample_dir / "commune.gpkg"), out=str(tmp_path / "f.gpkg")))
    cancelled = []
    task.checkCancelled.connect(lambda: cancelled.append(True))
    task.hold()        # queued, not started
    QgsApplication.taskManager().addTask(task)
    task.cancel()
    wait_until(lambda: cancelled)
    assert not (tmp_path / "f.gpkg").exists()


# -- the flags layer ------------------------------------------------------------------


def test_add_flags_layer_keeps_the_place_of_the_layer_it_replaces(ready_dialog, qgis_new_project):
    ready_dialog.run_checks()
    wait_until(lambda: not ready_dialog.is_running())
    path = ready_dialog.last_summary.out
    root = qgis_new_project.layerTreeRoot()
    group = root.addGroup("review")
    [first] = flags_layers_of(path, qgis_new_project)
    node = root.findLayer(first.id())
    group.addChildNode(node.clone())
    node.parent().removeChildNode(node)

    second = add_flags_layer(path, qgis_new_project)
    assert flags_layers_of(path, qgis_new_project) == [second]
    assert root.findLayer(second.id()).parent() is group


# -- with the plugin ----------------------------------------------------------------------


def test_a_finished_run_opens_the_review_dock_on_its_flags_and_parcels(
        qgis_iface, qgis_new_project, parcels_layer, sheets_layer, sample_dir, tmp_path, clean_settings):
    from cadastre_cleaner import classFactory
    from cadastre_cleaner.ui.review_dock import ReviewDock

    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        plugin.open_run_checks()
        dialog = plugin.run_checks_dialog
        dialog.parcels_layer.setLayer(parcels_layer)
        dialog.register_file.setFilePath(str(sample_dir / "register.xlsx"))
        dialog.flags_file.setFilePath(str(tmp_path / "flags.gpkg"))
        dialog.run_button.click()
        wait_until(lambda: not dialog.is_running())
        dock = plugin.review_dock
        assert isinstance(dock, ReviewDock)
        assert dock.flags_path == str(tmp_path / "flags.gpkg") and dock.parcels_layer is parcels_layer
        assert dock.model.rowCount() > 0
    finally:
        plugin.unload()
