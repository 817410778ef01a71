"""Processing algorithm "Fix topology" (cadastre_cleaner:fix_topology).

Writes a corrected copy of the parcel layer and a change log; the source is only read.
A thin front end over `core.fixes.run.run_fix`, the same engine as the command `fix`.
"""
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.flags.catalogue import CATALOGUE
from ..core.errors import InputError
from ..core.fixes.run import FixRequest, run_fix
from ..core.fixes.bulk import FIXABLE
from ..core.progress import Cancelled, FeedbackProgress
from ..ui.compat import FILE_BEHAVIOR_FILE, VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm
from .reconcile_register import SCALES

OVERLAP_RULES = ("longest_edge", "register_area")
GAP_RULES = ("merge_longest_edge", "split", "new_parcel")


class FixTopologyAlgorithm(FlagsAlgorithm):
    PARCELS = "PARCELS"
    SHEETS = "SHEETS"
    REGISTER = "REGISTER"
    FIX = "FIX"
    OVERLAP = "OVERLAP_RULE"
    GAP = "GAP_RULE"
    SCALE = "SCALE"
    TOLERANCE = "TOLERANCE"
    OUTPUT = "OUTPUT"
    CHANGES = "CHANGES"
    REMAINING = "REMAINING"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FixTopologyAlgorithm", text)

    def name(self) -> str:
        return "fix_topology"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Fix topology")

    def group(self) -> str:
        return self.tr("Fixes")

    def groupId(self) -> str:  # noqa: N802
        return "fixes"

    def tags(self):
        return ["cadastre", "topology", "overlap", "gap", "snap", "fix", "sửa lỗi", "địa chính"]

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Fixes the topology faults of a parcel layer into a <b>corrected copy</b> "
            "(GeoPackage: layer <code>parcels</code> with every attribute plus <code>source_fid</code> "
            "and <code>fix</code>, and table <code>changes</code> with the area of each changed parcel "
            "before and after). The source layer is never modified.</p>"
            "<p>In order: invalid polygons made valid without losing area; repeated vertices and "
            "spikes removed; boundaries within the tolerance snapped so shared edges become "
            "identical; duplicates deleted; each overlap given to one parcel (the one bordering "
            "it along more length, or the one whose register area it brings closer); each gap "
            "merged into the neighbour with the longest shared edge, split between its "
            "neighbours, or made a new parcel without a number; slivers merged into a "
            "neighbour. The result is re-checked: the counts left are in the log and outputs.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(self.PARCELS, self.tr("Parcel layer"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SHEETS, self.tr("Sheet frames (scale per sheet)"), [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.FIX, self.tr("Faults to fix"), options=[f"{c}: {CATALOGUE[c].title_tr()}" for c in FIXABLE],
            allowMultiple=True, defaultValue=list(range(len(FIXABLE)))))
        self.addParameter(QgsProcessingParameterEnum(
            self.OVERLAP, self.tr("Who keeps an overlap"),
            options=[self.tr("The parcel bordering it along more length"),
                     self.tr("The parcel whose register area it brings closer (needs the register)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(
            self.REGISTER, self.tr("Register (for the register-area rule)"), behavior=FILE_BEHAVIOR_FILE,
            fileFilter=self.tr("Registers (*.xlsx *.xlsm *.csv *.txt);;All files (*.*)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.GAP, self.tr("How a gap is closed"),
            options=[self.tr("Merge into the neighbour with the longest shared edge"),
                     self.tr("Split between the neighbours"), self.tr("New parcel without a number")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Map scale (when the sheets do not say)"),
            options=[self.tr("From the sheet layer, else 1:1000")] + [f"1:{s}" for s in SCALES[1:]],
            defaultValue=0, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TOLERANCE, self.tr("Snapping tolerance in metres (0: by scale)"),
            type=QgsProcessingParameterNumber.Double, minValue=0.0, defaultValue=0.0, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Corrected copy"), self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputNumber(self.CHANGES, self.tr("Changes made")))
        self.addOutput(QgsProcessingOutputNumber(self.REMAINING, self.tr("Faults left after the fixes")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        codes = [FIXABLE[i] for i in self.parameterAsEnums(parameters, self.FIX, context)]
        if not codes:
            raise QgsProcessingException(self.tr("No fault chosen: choose at least one in Faults to fix."))
        request = FixRequest(
            parcels=self._source(parameters, self.PARCELS, context, feedback),
            out=self.parameterAsFileOutput(parameters, self.OUTPUT, context),
            sheets=self._source(parameters, self.SHEETS, context, feedback),
            register=self.parameterAsFile(parameters, self.REGISTER, context) or None,
            scale=SCALES[self.parameterAsEnum(parameters, self.SCALE, context)],
            tolerance_m=self.parameterAsDouble(parameters, self.TOLERANCE, context) or None,
            overlap=OVERLAP_RULES[self.parameterAsEnum(parameters, self.OVERLAP, context)],
            gap=GAP_RULES[self.parameterAsEnum(parameters, self.GAP, context)], codes=tuple(codes))
        try:
            result = run_fix(request, FeedbackProgress(feedback))
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        except Cancelled:
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}
        for action, n in result.log["action"].value_counts().items():
            feedback.pushInfo(f"{action}: {n}")
        feedback.pushInfo(self.tr("Faults before: {0}").format(result.before))
        feedback.pushInfo(self.tr("Faults after: {0}").format(result.after or "none"))
        layers = context.layersToLoadOnCompletion()
        layers.pop(request.out, None)
        context.setLayersToLoadOnCompletion(layers)
        context.addLayerToLoadOnCompletion(f"{request.out}|layername=parcels", QgsProcessingContext.LayerDetails(
            self.tr("Parcels (fixed)"), context.project(), self.OUTPUT))
        return {self.OUTPUT: request.out, self.CHANGES: len(result.log),
                self.REMAINING: int(sum(result.after.values()))}
