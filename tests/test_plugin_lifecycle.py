"""The plugin shell: what initProcessing/initGui add, unload removes; the package
imports once, without Qt, and runs as `python -m cadastre_cleaner` from anywhere."""
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_qgis.utils import process_events
from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QMenu, QToolBar

import cadastre_cleaner
from cadastre_cleaner import classFactory
from cadastre_cleaner.core import progress
from cadastre_cleaner.plugin import MENU_OBJECT_NAME, RECONCILE_ALGORITHM, TOOLBAR_OBJECT_NAME
from cadastre_cleaner.processing_provider import reconcile_register
from cadastre_cleaner.ui.log_handler import QgsMessageLogHandler

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
        assert "Reconcile map and register…" in [a.text() for a in submenu.actions()]
        assert "Help" in [a.text() for a in submenu.actions()]
        toolbar = _our_toolbar(qgis_iface)
        assert toolbar is not None
        assert [a.text() for a in toolbar.actions()] == ["Reconcile map and register…"]
        assert _registered_provider() is not None

        plugin.unload()
        assert _our_submenu(vector_menu) is None
        assert _our_toolbar(qgis_iface) is None
        assert _registered_provider() is None
        assert plugin.actions == []


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


def test_reconcile_action_opens_the_algorithm_dialog(qgis_iface, vector_menu, monkeypatch):
    import processing

    opened = []
    monkeypatch.setattr(processing, "execAlgorithmDialog", lambda alg_id, *a, **k: opened.append(alg_id))
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        reconcile = next(a for a in _our_submenu(vector_menu).actions()
                         if a.text().startswith("Reconcile"))
        reconcile.trigger()
    finally:
        plugin.unload()
    assert opened == [RECONCILE_ALGORITHM]


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
