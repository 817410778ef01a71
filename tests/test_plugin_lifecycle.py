"""The plugin shell: what initProcessing/initGui add, unload removes; the package
imports once, without Qt, and runs as `python -m cadastre_cleaner` from anywhere; without
its engine's packages it says what to install instead of failing."""
import logging
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from pytest_qgis.utils import process_events
from qgis.core import Qgis, QgsApplication, QgsProcessingAlgorithm, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt import sip
from qgis.PyQt.QtWidgets import QAction, QDialog, QDockWidget, QMenu, QToolBar

import cadastre_cleaner
from cadastre_cleaner import classFactory
from cadastre_cleaner.core import progress
from cadastre_cleaner.plugin import (
    LOAD_SHEETS_ALGORITHM,
    MENU_OBJECT_NAME,
    RECONCILE_ALGORITHM,
    REVIEW_DOCK_OBJECT_NAME,
    TOOLBAR_OBJECT_NAME,
)
from cadastre_cleaner.processing_provider import provider as provider_module
from cadastre_cleaner.processing_provider import reconcile_register
from cadastre_cleaner.ui.log_handler import QgsMessageLogHandler
from cadastre_cleaner.ui.missing_dependencies import MissingDependenciesPlugin

REPO_ROOT = Path(__file__).resolve().parents[1]
PROVIDER_ID = "cadastre_cleaner"


@pytest.fixture
def vector_menu(qgis_iface, monkeypatch):
    """A real Vector menu: pytest-qgis's stub iface answers vectorMenu() with a MagicMock."""
    menu = QMenu("&Vector", qgis_iface.mainWindow())
    monkeypatch.setattr(qgis_iface, "vectorMenu", lambda: menu, raising=False)
    yield menu
    menu.deleteLater()


def _our_submenu(vector_menu: QMenu) -> QMenu | None:
    for action in vector_menu.actions():
        menu = action.menu()
        if menu is not None and menu.objectName() == MENU_OBJECT_NAME:
            return menu
    return None


def _our_toolbar(qgis_iface) -> QToolBar | None:
    process_events()  # let deleteLater() happen
    return qgis_iface.mainWindow().findChild(QToolBar, TOOLBAR_OBJECT_NAME)


def _registered_provider():
    return QgsApplication.processingRegistry().providerById(PROVIDER_ID)


MENU_TEXTS = ["Load sheets…", "Run checks…", "Review flags", "Correct geometry…", "Parcel codes…",
              "Settings…", "Help"]
TOOLBAR_TEXTS = MENU_TEXTS[:5]


def _action(vector_menu: QMenu, text: str) -> QAction:
    return next(a for a in _our_submenu(vector_menu).actions() if a.text() == text)


def _ours(objects) -> list:
    return [o for o in objects if o.objectName().startswith("CadastreCleaner")]


@pytest.fixture
def main_window_docks(qgis_iface, monkeypatch):
    """Docks really go into the main window (the stub iface's addDockWidget does nothing)."""
    window = qgis_iface.mainWindow()
    monkeypatch.setattr(qgis_iface, "addDockWidget", lambda area, dock: window.addDockWidget(area, dock),
                        raising=False)
    monkeypatch.setattr(qgis_iface, "removeDockWidget", lambda dock: window.removeDockWidget(dock),
                        raising=False)
    return window


class FakeReviewDock(QgsDockWidget):
    """Stands for ui.review_dock.ReviewDock: records what it is asked to load."""

    def __init__(self, iface, parent=None):
        super().__init__("Review flags", parent)
        self.iface = iface
        self.loads = []

    def load(self, flags_path, parcels_layer=None):
        self.loads.append((flags_path, parcels_layer))

    def unload(self):
        self.unloaded = True


@pytest.fixture
def fake_review_dock(monkeypatch):
    module = types.ModuleType("cadastre_cleaner.ui.review_dock")
    module.ReviewDock = FakeReviewDock
    monkeypatch.setitem(sys.modules, "cadastre_cleaner.ui.review_dock", module)
    return FakeReviewDock


class LoadSheetsStandIn(QgsProcessingAlgorithm):
    """An algorithm named like the coming loader, to see the menu use it when it exists."""

    def name(self):
        return "load_sheets"

    def displayName(self):  # noqa: N802
        return "Load sheets"

    def createInstance(self):  # noqa: N802
        return LoadSheetsStandIn()

    def initAlgorithm(self, config=None):  # noqa: N802
        pass

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        return {}


# -- imports ----------------------------------------------------------------------


def test_package_is_the_repository_imported_once():
    assert Path(cadastre_cleaner.__file__).resolve().parent == REPO_ROOT
    assert sys.modules["cadastre_cleaner.core.progress"] is progress
    # The algorithm catches the very Cancelled class the engine raises.
    assert reconcile_register.Cancelled is progress.Cancelled
    venv, tests = REPO_ROOT / ".venv", REPO_ROOT / "tests"
    strays = []
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or name.startswith("cadastre_cleaner"):
            continue
        path = Path(file).resolve()
        if path.is_relative_to(REPO_ROOT) and not path.is_relative_to(venv) \
                and not path.is_relative_to(tests):
            strays.append(f"{name} ({path})")
    assert not strays, f"repository modules imported under another name: {strays}"


def test_import_pulls_in_neither_qt_nor_qgis(tmp_path):
    code = ("import sys, cadastre_cleaner; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('qgis', 'PyQt5', 'PyQt6')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_module_runs_from_another_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "cadastre_cleaner", "--help"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "sample" in result.stdout and "check" in result.stdout


# -- lifecycle --------------------------------------------------------------------


def test_init_processing_alone_registers_the_provider(qgis_app):
    plugin = classFactory(None)  # qgis_process passes no iface
    plugin.initProcessing()
    try:
        assert _registered_provider() is not None
        assert QgsApplication.processingRegistry().algorithmById(RECONCILE_ALGORITHM) is not None
    finally:
        plugin.unload()
    assert _registered_provider() is None


def test_init_gui_adds_menu_toolbar_and_provider_and_unload_removes_them(qgis_iface, vector_menu):
    plugin = classFactory(qgis_iface)
    for _ in range(2):  # a plugin reload is unload + initGui again
        plugin.initGui()
        submenu = _our_submenu(vector_menu)
        assert submenu is not None
        assert [a.text() for a in submenu.actions() if not a.isSeparator()] == MENU_TEXTS
        toolbar = _our_toolbar(qgis_iface)
        assert toolbar is not None
        assert [a.text() for a in toolbar.actions()] == TOOLBAR_TEXTS
        assert _registered_provider() is not None

        plugin.unload()
        assert _our_submenu(vector_menu) is None
        assert _our_toolbar(qgis_iface) is None
        assert _registered_provider() is None
        assert plugin.actions == []


def test_every_action_is_available(qgis_iface, vector_menu):
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        for text in MENU_TEXTS:
            assert _action(vector_menu, text).isEnabled(), text
    finally:
        plugin.unload()


def test_the_docks_open_from_the_menu_and_go_with_unload(qgis_iface, vector_menu, qgis_new_project):
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        _action(vector_menu, "Correct geometry…").trigger()
        _action(vector_menu, "Parcel codes…").trigger()
        assert plugin.geometry_dock.objectName() == "CadastreCleanerGeometryDock"
        assert plugin.codes_dock.objectName() == "CadastreCleanerCodesDock"
        geometry, codes = plugin.geometry_dock, plugin.codes_dock
    finally:
        plugin.unload()
    assert plugin.geometry_dock is None and plugin.codes_dock is None
    docked = [d for d in qgis_iface.mainWindow().findChildren(type(geometry)) if d.isVisible()]
    assert geometry not in docked and codes not in docked


def test_init_gui_twice_adds_one_menu(qgis_iface, vector_menu):
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    plugin.initGui()
    try:
        assert sum(1 for a in vector_menu.actions() if a.menu() is not None) == 1
    finally:
        plugin.unload()
    plugin.unload()  # a second unload is harmless
    assert _registered_provider() is None


def test_processing_actions_open_their_algorithm_dialogs(qgis_iface, vector_menu, monkeypatch):
    import processing

    opened = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg_id, *a, **k: opened.append(alg_id))
    monkeypatch.setattr(provider_module, "ALGORITHMS", provider_module.ALGORITHMS + (LoadSheetsStandIn,))
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        load_sheets = _action(vector_menu, "Load sheets…")
        assert load_sheets.isEnabled()
        load_sheets.trigger()
    finally:
        plugin.unload()
    assert opened == [LOAD_SHEETS_ALGORITHM]


def test_run_checks_opens_one_non_modal_dialog(qgis_iface, vector_menu, qgis_new_project):
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        _action(vector_menu, "Run checks…").trigger()
        dialog = plugin.run_checks_dialog
        assert dialog.isVisible() and not dialog.isModal()
        _action(vector_menu, "Run checks…").trigger()
        assert plugin.run_checks_dialog is dialog      # open: raised, not made again
    finally:
        plugin.unload()
    process_events()
    assert sip.isdeleted(dialog)


def test_review_flags_loads_the_file_of_the_projects_flags_layer(
        qgis_iface, vector_menu, qgis_new_project, fake_review_dock, main_window_docks, tmp_path):
    flags_layer = _flags_file_layer(tmp_path)
    qgis_new_project.addMapLayer(flags_layer)
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        _action(vector_menu, "Review flags").trigger()
        dock = plugin.review_dock
        assert isinstance(dock, FakeReviewDock) and dock.objectName() == REVIEW_DOCK_OBJECT_NAME
        assert dock.loads == [(str(tmp_path / "flags.gpkg"), None)]
        assert main_window_docks.findChild(QDockWidget, REVIEW_DOCK_OBJECT_NAME) is dock
        _action(vector_menu, "Review flags").trigger()
        assert plugin.review_dock is dock               # one dock, shown again
    finally:
        plugin.unload()


def test_finished_checks_open_the_review_with_the_flags_and_the_parcel_layer(
        qgis_iface, vector_menu, qgis_new_project, fake_review_dock, main_window_docks, tmp_path):
    parcels = QgsVectorLayer("Polygon?crs=EPSG:9215", "parcels", "memory")
    qgis_new_project.addMapLayer(parcels)
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        _action(vector_menu, "Run checks…").trigger()
        plugin.run_checks_dialog.checksFinished.emit(str(tmp_path / "flags.gpkg"), parcels.id())
        assert plugin.review_dock.loads == [(str(tmp_path / "flags.gpkg"), parcels)]
    finally:
        plugin.unload()


def test_unload_leaves_no_dock_dialog_action_or_connection_and_loads_again(
        qgis_iface, vector_menu, qgis_new_project, main_window_docks, monkeypatch):
    from cadastre_cleaner.ui.review_dock import ReviewDock
    from cadastre_cleaner.ui.settings import SettingsDialog

    monkeypatch.setattr(SettingsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window = main_window_docks
    before_actions = len(window.findChildren(QAction))
    project_receivers = _project_receivers(qgis_new_project)
    plugin = classFactory(qgis_iface)
    for _ in range(2):  # load -> unload -> load works
        plugin.initGui()
        for text in ("Run checks…", "Review flags", "Settings…"):
            _action(vector_menu, text).trigger()
        dialog, dock, actions = plugin.run_checks_dialog, plugin.review_dock, list(plugin.actions)
        assert isinstance(dock, ReviewDock)
        assert dialog.receivers(dialog.checksFinished) == 1
        assert _project_receivers(qgis_new_project) != project_receivers  # the dialog listens
        assert _ours(window.findChildren(QDockWidget)) == [dock]

        plugin.unload()
        process_events()
        assert plugin.run_checks_dialog is None and plugin.review_dock is None
        assert plugin._connections == []
        assert sip.isdeleted(dialog) and sip.isdeleted(dock)
        assert all(sip.isdeleted(a) for a in actions)
        assert _ours(window.findChildren(QDockWidget)) == []
        assert _ours(window.findChildren(QDialog)) == []
        assert _ours(window.findChildren(QAction)) == []
        assert len(window.findChildren(QAction)) == before_actions
        assert _project_receivers(qgis_new_project) == project_receivers
        assert _our_submenu(vector_menu) is None and _our_toolbar(qgis_iface) is None


def _project_receivers(project) -> dict:
    """How many slots listen to the project's layer signals (ours must all go on unload)."""
    signals = {"layersAdded": project.layersAdded, "layersWillBeRemoved": project.layersWillBeRemoved,
               "layerWillBeRemoved": project.layerWillBeRemoved, "readProject": project.readProject,
               "cleared": project.cleared}
    return {name: project.receivers(signal) for name, signal in signals.items()}


def _flags_file_layer(tmp_path) -> QgsVectorLayer:
    """A one-feature flags GeoPackage (layer `flags`), loaded as QGIS would."""
    from osgeo import ogr
    path = tmp_path / "flags.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("flags", None, ogr.wkbMultiPolygon)
    layer.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("code", "GAP")
    layer.CreateFeature(feature)
    ds = None
    flags = QgsVectorLayer(f"{path}|layername=flags", "Flags", "ogr")
    assert flags.isValid()
    return flags


def test_package_log_goes_to_the_qgis_message_log_until_unload(qgis_app):
    received = []

    def on_message(message, tag, level):
        received.append((message, tag))

    message_log = QgsApplication.messageLog()
    message_log.messageReceived.connect(on_message)
    plugin = classFactory(None)
    plugin.initProcessing()
    try:
        logging.getLogger("cadastre_cleaner.core").info("read 4 parcels")
        process_events()
        assert ("read 4 parcels", "Cadastre Cleaner") in received
    finally:
        plugin.unload()
        message_log.messageReceived.disconnect(on_message)
    assert not any(isinstance(h, QgsMessageLogHandler)
                   for h in logging.getLogger("cadastre_cleaner").handlers)


# -- missing dependencies ---------------------------------------------------------


def test_without_pandas_the_plugin_says_what_to_install(qgis_iface, vector_menu, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)   # import pandas -> ImportError
    qgis_iface.messageBar().clear_messages()
    plugin = classFactory(qgis_iface)
    assert isinstance(plugin, MissingDependenciesPlugin)
    plugin.initProcessing()    # what qgis_process calls: no provider, no traceback
    plugin.initGui()
    [message] = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical)
    assert "pandas" in message and "shapely" not in message and "restart QGIS" in message
    assert 'python -m pip install "shapely>=2" pandas' in plugin.instructions()
    assert "OSGeo4W Shell" in plugin.instructions() and "--user" in plugin.instructions()
    assert _our_submenu(vector_menu) is None and _registered_provider() is None
    plugin.unload()
    assert plugin.message_item is None


def test_shapely_1_counts_as_missing(qgis_iface, monkeypatch):
    monkeypatch.setitem(sys.modules, "shapely", types.SimpleNamespace(__version__="1.8.5"))
    plugin = classFactory(qgis_iface)
    assert isinstance(plugin, MissingDependenciesPlugin)
    [(requirement, why)] = plugin.missing
    assert requirement == "shapely>=2" and "1.8.5" in why


def test_the_stand_in_removes_its_message_on_unload(qgis_iface):
    from qgis.gui import QgsMessageBar
    bar = QgsMessageBar()    # a real bar (the stub's keeps no items)
    stand_in = MissingDependenciesPlugin(types.SimpleNamespace(messageBar=lambda: bar),
                                         [("pandas", "ImportError: No module named 'pandas'")])
    QgsMessageBar.pushMessage(bar, "x", "y", Qgis.MessageLevel.Info, 0)   # someone else's message
    stand_in.initGui()
    assert bar.currentItem() is stand_in.message_item
    stand_in.unload()
    assert bar.currentItem() is not None and bar.currentItem().text() == "y"
