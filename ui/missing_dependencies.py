"""The stand-in plugin QGIS gets when Shapely 2 or pandas cannot be imported.

It adds nothing but a message: what is missing, and the one command that
installs it. Nothing here imports the engine.
"""
from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication

TAG = "Cadastre Cleaner"


class MissingDependenciesPlugin:
    """Says which packages are missing; unload removes the message it showed."""

    def __init__(self, iface, missing: list):
        self.iface = iface
        self.missing = list(missing)        # [(requirement, why)]
        self.message_item = None

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("MissingDependenciesPlugin", text)

    def summary(self) -> str:
        names = ", ".join(req for req, _ in self.missing)
        return self.tr("Cadastre Cleaner cannot start: the Python that QGIS uses lacks {packages}. "
                       "Install them, then restart QGIS.").format(packages=names)

    def instructions(self) -> str:
        reasons = "\n".join(f"  {req}: {why}" for req, why in self.missing)
        return self.tr(
            "Missing:\n{reasons}\n\n"
            "Windows: open the OSGeo4W Shell (Start menu, as administrator) and run\n"
            "  python -m pip install \"shapely>=2\" pandas\n\n"
            "Debian / Ubuntu: run\n"
            "  python3 -m pip install --user \"shapely>=2\" pandas\n"
            "(keep numpy at the system's version), or start QGIS from a virtual environment "
            "made with --system-site-packages that has them.\n\n"
            "macOS and others: install them into the Python that QGIS runs "
            "(Python console: import sys; sys.executable).").format(reasons=reasons)

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API)
        QgsMessageLog.logMessage(self.summary() + "\n" + self.instructions(), TAG,
                                 Qgis.MessageLevel.Critical)

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        self.initProcessing()
        bar = self.iface.messageBar()
        bar.pushMessage(self.tr("Cadastre Cleaner"), self.summary(), self.instructions(),
                        Qgis.MessageLevel.Critical, 0)
        self.message_item = bar.currentItem()

    def unload(self) -> None:
        item, self.message_item = self.message_item, None
        if item is not None and not sip.isdeleted(item):
            self.iface.messageBar().popWidget(item)
