"""The QGIS plugin shell: Processing provider, menu, toolbar, translations, logging.

`initProcessing()` is all qgis_process calls (there is no iface then);
`initGui()` adds the desktop parts; `unload()` removes everything either added.
"""
from pathlib import Path

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QMenu

from .processing_provider.provider import CadastreCleanerProvider
from .ui import log_handler
from .ui.compat import QAction

PLUGIN_DIR = Path(__file__).resolve().parent
ICON_PATH = str(PLUGIN_DIR / "resources" / "icon.svg")
RECONCILE_ALGORITHM = "cadastre_cleaner:reconcile_register"
MENU_OBJECT_NAME = "CadastreCleanerMenu"
TOOLBAR_OBJECT_NAME = "CadastreCleanerToolbar"  # QGIS saves toolbar state under this name


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
        icon = QIcon(ICON_PATH)

        reconcile = QAction(icon, self.tr("Reconcile map and register…"), main_window)
        reconcile.setObjectName("CadastreCleanerReconcile")
        reconcile.setToolTip(self.tr("Match the parcel map with the land register and flag "
                                     "every disagreement"))
        self._connect(reconcile.triggered, self.open_reconcile_dialog)

        help_action = QAction(self.tr("Help"), main_window)
        help_action.setObjectName("CadastreCleanerHelp")
        self._connect(help_action.triggered, self.open_help)
        self.actions = [reconcile, help_action]

        self.menu = QMenu(self.tr("&Cadastre Cleaner"), main_window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        self.menu.setIcon(icon)
        self.menu.addAction(reconcile)
        self.menu.addSeparator()
        self.menu.addAction(help_action)
        self.iface.vectorMenu().addMenu(self.menu)

        self.toolbar = self.iface.addToolBar(self.tr("Cadastre Cleaner"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.toolbar.addAction(reconcile)

    def unload(self) -> None:
        """Remove every action, menu, toolbar, provider, connection, handler and translator."""
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):  # already gone with its object
                pass
        self._connections = []
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

    def open_reconcile_dialog(self) -> None:
        import processing  # QGIS's own Processing plugin: loaded whenever the GUI is

        processing.execAlgorithmDialog(RECONCILE_ALGORITHM)

    def open_help(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(PLUGIN_DIR / "README.md")))

    # -- helpers -----------------------------------------------------------------

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
