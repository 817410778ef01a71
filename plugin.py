"""The QGIS plugin shell: Processing provider, menu, toolbar, dialogs, dock, translations, logging.

`initProcessing()` is all qgis_process calls (there is no iface then);
`initGui()` adds the desktop parts; `unload()` removes everything either added.
"""
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, Qt, QTranslator, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QMenu

from .core.errors import InputError
from .processing_provider.provider import CadastreCleanerProvider
from .ui import log_handler
from .ui.compat import QAction

PLUGIN_DIR = Path(__file__).resolve().parent
ICON_PATH = str(PLUGIN_DIR / "resources" / "icon.svg")
RECONCILE_ALGORITHM = "cadastre_cleaner:reconcile_register"
LOAD_SHEETS_ALGORITHM = "cadastre_cleaner:load_sheets"
MENU_OBJECT_NAME = "CadastreCleanerMenu"
TOOLBAR_OBJECT_NAME = "CadastreCleanerToolbar"  # QGIS saves toolbar state under this name
REVIEW_DOCK_OBJECT_NAME = "CadastreCleanerReviewDock"

# Object names of the actions (stable: tests and users' shortcuts refer to them).
LOAD_SHEETS_ACTION = "CadastreCleanerLoadSheets"
RUN_CHECKS_ACTION = "CadastreCleanerRunChecks"
REVIEW_FLAGS_ACTION = "CadastreCleanerReviewFlags"
CORRECT_GEOMETRY_ACTION = "CadastreCleanerCorrectGeometry"
PARCEL_CODES_ACTION = "CadastreCleanerParcelCodes"
SETTINGS_ACTION = "CadastreCleanerSettings"
HELP_ACTION = "CadastreCleanerHelp"


class CadastreCleanerPlugin:
    """What QGIS's `classFactory` returns."""

    def __init__(self, iface):
        self.iface = iface  # None under qgis_process
        self.provider: CadastreCleanerProvider | None = None
        self.translator: QTranslator | None = None
        self.log_handler: log_handler.QgsMessageLogHandler | None = None
        self.menu: QMenu | None = None
        self.toolbar = None
        self.actions: list = []
        self.run_checks_dialog = None
        self.review_dock = None
        self.geometry_dock = None
        self.codes_dock = None
        self._connections: list = []  # (signal, slot) pairs to disconnect on unload

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("CadastreCleanerPlugin", text)

    # -- lifecycle ---------------------------------------------------------------

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API)
        """Register the Processing provider (and translations, logging). Idempotent."""
        self._install_translator()
        if self.log_handler is None:
            self.log_handler = log_handler.install()
        if self.provider is None:
            provider = CadastreCleanerProvider()
            # False when another instance already registered the id: then it is not ours
            # to remove on unload.
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        """Add the provider, the Vector > Cadastre Cleaner menu and the toolbar."""
        self.initProcessing()
        if self.menu is not None:
            return
        main_window = self.iface.mainWindow()
        self.menu = QMenu(self.tr("&Cadastre Cleaner"), main_window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.menu.setIcon(QIcon(ICON_PATH))
        self.toolbar = self.iface.addToolBar(self.tr("Cadastre Cleaner"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)

        has_loader = QgsApplication.processingRegistry().algorithmById(LOAD_SHEETS_ALGORITHM) is not None
        self._add_action(LOAD_SHEETS_ACTION, _theme_icon("mActionAddOgrLayer.svg"),
                         self.tr("Load sheets…"),
                         self.tr("Load the sheet files of a commune into one parcel layer")
                         if has_loader else self.tr("Load sheets: arrives with the loader"),
                         self.open_load_sheets, enabled=has_loader)
        self._add_action(RUN_CHECKS_ACTION, QIcon(ICON_PATH), self.tr("Run checks…"),
                         self.tr("Check the parcel map's topology and match it with the land register"),
                         self.open_run_checks)
        self._add_action(REVIEW_FLAGS_ACTION, _theme_icon("mIconWarning.svg"), self.tr("Review flags"),
                         self.tr("Go through the flags, one by one, and mark them fixed or exceptions"),
                         self.open_review)
        self._add_action(CORRECT_GEOMETRY_ACTION, _theme_icon("mActionVertexTool.svg"),
                         self.tr("Correct geometry…"),
                         self.tr("Fix overlaps, gaps, slivers and invalid polygons with a preview, "
                                 "in the layer's edit buffer"),
                         self.open_correct_geometry)
        self._add_action(PARCEL_CODES_ACTION, _theme_icon("mIconFieldInteger.svg"),
                         self.tr("Parcel codes…"),
                         self.tr("Number parcels in zig-zag bands, assign identification codes, "
                                 "follow the progress"),
                         self.open_parcel_codes)
        self.menu.addSeparator()
        self._add_action(SETTINGS_ACTION, _theme_icon("mActionOptions.svg"), self.tr("Settings…"),
                         self.tr("Default area tolerance factor and map scale"),
                         self.open_settings, toolbar=False)
        self._add_action(HELP_ACTION, _theme_icon("mActionHelpContents.svg"), self.tr("Help"),
                         self.tr("Open the Cadastre Cleaner manual"), self.open_help, toolbar=False)
        self.iface.vectorMenu().addMenu(self.menu)

    def unload(self) -> None:
        """Remove every action, menu, toolbar, dialog, dock, provider, connection, handler
        and translator."""
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # already gone with its object
                pass
        self._connections = []
        if self.run_checks_dialog is not None:
            self._drop_run_checks_dialog()
        for name in ("review_dock", "geometry_dock", "codes_dock"):
            dock = getattr(self, name)
            if dock is not None:
                setattr(self, name, None)
                dock.unload()   # lets go of the parcel layers' signals, rubber bands, previews
                self.iface.removeDockWidget(dock)
                dock.deleteLater()
        if self.menu is not None:
            self.iface.vectorMenu().removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        for action in self.actions:
            action.deleteLater()
        self.actions = []
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        log_handler.uninstall(self.log_handler)
        self.log_handler = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

    # -- actions -----------------------------------------------------------------

    def open_load_sheets(self) -> None:
        self._open_algorithm_dialog(LOAD_SHEETS_ALGORITHM)

    def open_correct_geometry(self) -> None:
        """The correct-geometry dock on the project's flags and parcel layer."""
        from .ui.geometry_dock import GeometryDock

        if self.geometry_dock is None:
            self.geometry_dock = GeometryDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.geometry_dock)
        self.geometry_dock.show()
        self.geometry_dock.raise_()
        flags_path, layer = self._project_flags_file(), self._project_parcels_layer()
        if flags_path and layer is not None:
            try:
                self.geometry_dock.load(flags_path, layer)
            except InputError as err:
                self.iface.messageBar().pushMessage(self.tr("Cadastre Cleaner"), err.one_line(),
                                                    Qgis.MessageLevel.Critical, 0)
        else:
            self.iface.messageBar().pushMessage(
                self.tr("Cadastre Cleaner"),
                self.tr("Run the checks first: the dock lists the geometry flags of the project's "
                        "Flags layer (Fix topology in Processing writes a corrected copy instead)."),
                Qgis.MessageLevel.Info, 8)

    def open_parcel_codes(self) -> None:
        """The parcel codes dock on the active (or the project's parcel) layer."""
        from .ui.codes_dock import CodesDock

        if self.codes_dock is None:
            self.codes_dock = CodesDock(self.iface, self.iface.mainWindow())
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.codes_dock)
        self.codes_dock.show()
        self.codes_dock.raise_()
        layer = self._project_parcels_layer() or self.iface.activeLayer()
        if layer is not None:
            self.codes_dock.set_layer(layer)
        flags_path = self._project_flags_file()
        if flags_path:
            self.codes_dock.load_progress(flags_path)

    def open_run_checks(self) -> None:
        """Show the Run checks dialog (non-modal), fresh from the project's saved choices
        unless it is open or still running a check."""
        dialog = self.run_checks_dialog
        if dialog is not None and not (dialog.isVisible() or dialog.is_running()):
            self._drop_run_checks_dialog()
            dialog = None
        if dialog is None:
            from .ui.run_checks_dialog import RunChecksDialog

            dialog = RunChecksDialog(self.iface, self.iface.mainWindow())
            # Disconnected when the dialog is dropped (not in self._connections: it comes and goes).
            dialog.checksFinished.connect(self.on_checks_finished)
            self.run_checks_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def on_checks_finished(self, flags_path: str, parcels_layer_id: str) -> None:
        self.open_review(flags_path, QgsProject.instance().mapLayer(parcels_layer_id))

    def open_review(self, flags_path: str | None = None, parcels_layer=None) -> None:
        """Show the review dock (made on first use) and load a flags file into it: the one
        given, else the file of the project's Flags layer, if there is one."""
        from .ui.review_dock import ReviewDock

        if self.review_dock is None:
            dock = ReviewDock(self.iface, self.iface.mainWindow())
            if not dock.objectName():
                dock.setObjectName(REVIEW_DOCK_OBJECT_NAME)
            self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            self.review_dock = dock
        if not flags_path:
            flags_path = self._project_flags_file()
            if flags_path and parcels_layer is None:
                parcels_layer = self._project_parcels_layer()
        self.review_dock.show()
        self.review_dock.raise_()
        if flags_path:
            try:
                self.review_dock.load(flags_path, parcels_layer)
            except InputError as err:   # not a flags file, or a damaged one: say so in one line
                self.iface.messageBar().pushMessage(self.tr("Cadastre Cleaner"), err.one_line(),
                                                    Qgis.MessageLevel.Critical, 0)

    def open_settings(self) -> None:
        from .ui.settings import SettingsDialog

        dialog = SettingsDialog(self.iface.mainWindow())
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def open_help(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(PLUGIN_DIR / "README.md")))

    # -- helpers -----------------------------------------------------------------

    def _add_action(self, name: str, icon: QIcon, text: str, tip: str, slot, enabled: bool = True,
                    toolbar: bool = True) -> QAction:
        action = QAction(icon, text, self.iface.mainWindow())
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setEnabled(enabled)
        if slot is not None:
            self._connect(action.triggered, slot)
        self.menu.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def _open_algorithm_dialog(self, algorithm_id: str) -> None:
        import processing  # QGIS's own Processing plugin: loaded whenever the GUI is

        processing.execAlgorithmDialog(algorithm_id)

    def _drop_run_checks_dialog(self) -> None:
        dialog, self.run_checks_dialog = self.run_checks_dialog, None
        dialog.shutdown()
        try:
            dialog.checksFinished.disconnect(self.on_checks_finished)
        except (TypeError, RuntimeError):
            pass
        dialog.close()
        dialog.deleteLater()

    def _project_flags_file(self) -> str | None:
        """The flags file of the active layer when it is a Flags layer, else of the first
        Flags layer in the project."""
        from .ui.flags_layer import flags_file_of

        active = self.iface.activeLayer()
        candidates = [active] + list(QgsProject.instance().mapLayers().values())
        for layer in candidates:
            path = flags_file_of(layer)
            if path:
                return path
        return None

    @staticmethod
    def _project_parcels_layer():
        """The parcel layer the project's last check ran on, if it is still there."""
        from .ui.run_checks_dialog import KEYS, SCOPE

        layer_id, ok = QgsProject.instance().readEntry(SCOPE, KEYS["parcels"], "")
        return QgsProject.instance().mapLayer(layer_id) if ok and layer_id else None

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def _install_translator(self) -> None:
        """Load i18n/cadastre_cleaner_<xx>.qm for the user's QGIS locale, when there is one."""
        if self.translator is not None:
            return
        locale = str(QgsSettings().value("locale/userLocale", "") or QLocale.system().name())[:2]
        qm_path = PLUGIN_DIR / "i18n" / f"cadastre_cleaner_{locale}.qm"
        if not locale or not qm_path.is_file():
            return
        translator = QTranslator()
        if translator.load(str(qm_path)):
            QCoreApplication.installTranslator(translator)
            self.translator = translator


def _theme_icon(name: str) -> QIcon:
    return QgsApplication.getThemeIcon(f"/{name}")
