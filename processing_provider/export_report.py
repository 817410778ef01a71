"""Processing algorithm "Export report" (cadastre_cleaner:export_report): flags file → XLSX."""
from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError
from ..core.flags.report import export_report
from ..ui.compat import FILE_BEHAVIOR_FILE


class ExportReportAlgorithm(QgsProcessingAlgorithm):
    FLAGS = "FLAGS"
    OUTPUT = "OUTPUT"
    COUNT = "FLAG_COUNT"
    OPEN = "OPEN_FLAGS"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ExportReportAlgorithm", text)

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def name(self) -> str:
        return "export_report"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Export report")

    def group(self) -> str:
        return self.tr("Reports")

    def groupId(self) -> str:  # noqa: N802
        return "reports"

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr("<p>Writes the Excel report of a flags file: every flag with its review "
                       "status and comment, the newest run's figures per sheet (parcels, matched, "
                       "flagged, clean, clean %), counts per code, and the run's settings. Use it "
                       "after reviewers have worked in the flags file.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FLAGS, self.tr("Flags file"), behavior=FILE_BEHAVIOR_FILE,
            fileFilter=self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Report"), self.tr("Excel workbook (*.xlsx)")))
        self.addOutput(QgsProcessingOutputNumber(self.COUNT, self.tr("Flags")))
        self.addOutput(QgsProcessingOutputNumber(self.OPEN, self.tr("Open flags")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            counts = export_report(self.parameterAsFile(parameters, self.FLAGS, context), out)
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        return {self.OUTPUT: out, self.COUNT: counts["flags"], self.OPEN: counts["open"]}
