"""Processing algorithm "Check topology" (cadastre_cleaner:check_topology).

A thin front end over `core.pipeline.run_check` with the topology checks chosen and
no register: the same engine and flags file as the command `check`.
"""
from qgis.core import (
    QgsApplication,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.flags.catalogue import CATALOGUE, codes
from ..core.errors import InputError
from ..core.pipeline import CheckRequest, run_check
from ..core.progress import Cancelled, FeedbackProgress
from ..ui.compat import VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm
from .reconcile_register import SCALES

TOPOLOGY = tuple(codes("topology"))


class CheckTopologyAlgorithm(FlagsAlgorithm):
    """Finds invalid, overlapping, gapped, unnoded and misplaced parcels."""

    PARCELS = "PARCELS"
    SHEETS = "SHEETS"
    CHECKS = "CHECKS"
    SCALE = "SCALE"
    TOLERANCE = "TOLERANCE"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"
    FLAGS = "FLAGS"
    OPEN_FLAGS = "OPEN_FLAGS"
    PARCEL_COUNT = "PARCELS"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CheckTopologyAlgorithm", text)

    def name(self) -> str:
        return "check_topology"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Check topology")

    def group(self) -> str:
        return self.tr("Checks")

    def groupId(self) -> str:  # noqa: N802
        return "checks"

    def tags(self):
        return ["cadastre", "topology", "overlap", "gap", "sliver", "invalid", "parcel",
                "chồng đè", "hở", "địa chính"]

    def shortHelpString(self) -> str:  # noqa: N802
        items = "".join(f"<li><b>{c}</b> ({CATALOGUE[c].severity}): {CATALOGUE[c].title_tr()}</li>"
                        for c in TOPOLOGY)
        return self.tr(
            "<p>Checks that the parcels tile the land: valid and non-empty polygons, no "
            "overlaps, no gaps inside the sheets, shared boundaries with matching vertices, "
            "no slivers, spikes or repeated vertices, every parcel inside a sheet frame.</p>"
            "<p><b>Tolerance</b>: by default the positional accuracy of each parcel's map scale "
            "(from the sheet layer, else the scale chosen here): 0.07 m at 1:500, 0.15 m at "
            "1:1000, 0.30 m at 1:2000. An overlap or gap thinner than that is reported as "
            "NOT_NODED (snap it), a thicker one as OVERLAP or GAP.</p>"
            "<p><b>Output</b>: the flags GeoPackage (the same file the register check writes; "
            "reviewers' decisions are kept, and only the checks run here are re-checked), "
            "loaded as \"Flags\"; each flag's geometry is the overlap, the gap or a mark at "
            "the faulty vertex.</p><ul>") + items + "</ul>"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.PARCELS, self.tr("Parcel layer"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SHEETS, self.tr("Sheet frames (scale, OUTSIDE_SHEET, CROSSES_SHEET)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.CHECKS, self.tr("Checks"), options=list(TOPOLOGY), allowMultiple=True,
            defaultValue=list(range(len(TOPOLOGY)))))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Map scale (when the sheets do not say)"),
            options=[self.tr("From the sheet layer, else 1:1000")] + [f"1:{s}" for s in SCALES[1:]],
            defaultValue=0, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE, self.tr("Tolerance in metres (0: by scale)"),
            type=QgsProcessingParameterNumber.Double, minValue=0.0, defaultValue=0.0, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Flags"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Report"), self.tr("Excel workbook (*.xlsx)"),
            optional=True, createByDefault=False))
        for name, description in ((self.PARCEL_COUNT, self.tr("Parcels")), (self.FLAGS, self.tr("Flags")),
                                  (self.OPEN_FLAGS, self.tr("Open flags"))):
            self.addOutput(QgsProcessingOutputNumber(name, description))
        for code in TOPOLOGY:
            self.addOutput(QgsProcessingOutputNumber(code, CATALOGUE[code].title_tr()))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        chosen = [TOPOLOGY[i] for i in self.parameterAsEnums(parameters, self.CHECKS, context)]
        if not chosen:
            raise QgsProcessingException(self.tr("No check chosen: choose at least one in Checks."))
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        request = CheckRequest(
            parcels=self._source(parameters, self.PARCELS, context, feedback),
            out=self.parameterAsFileOutput(parameters, self.OUTPUT, context),
            sheets=self._source(parameters, self.SHEETS, context, feedback),
            report=self.parameterAsFileOutput(parameters, self.REPORT, context) or None,
            scale=SCALES[self.parameterAsEnum(parameters, self.SCALE, context)],
            user=QgsApplication.userFullName() or QgsApplication.userLoginName(),
            checks=chosen, tolerance_m=tolerance or None)
        try:
            summary = run_check(request, FeedbackProgress(feedback))
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        except Cancelled:
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}
        for note in summary.notes:
            feedback.pushInfo(note)
        out = summary.out or request.out
        self._load_flags_on_completion(out, context)
        results = {self.OUTPUT: out, self.REPORT: summary.report or request.report,
                   self.PARCEL_COUNT: summary.parcels, self.FLAGS: sum(summary.flags_by_code.values()),
                   self.OPEN_FLAGS: summary.open_flags}
        results.update({code: summary.flags_by_code.get(code, 0) for code in TOPOLOGY})
        return results
