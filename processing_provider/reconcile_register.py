"""Processing algorithm "Reconcile map and register" (cadastre_cleaner:reconcile_register).

A thin front end over `core.pipeline.run_check`: it turns Processing parameters
into a `CheckRequest`, and the `CheckSummary` back into outputs.
"""
from qgis.core import (
    QgsApplication,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.flags.catalogue import CATALOGUE
from ..core.errors import InputError
from ..core.pipeline import CheckRequest, run_check
from ..core.progress import Cancelled, FeedbackProgress
from ..ui.compat import FILE_BEHAVIOR_FILE, PARAMETER_FLAG_ADVANCED, VECTOR_ANY, VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm

# Scale choices; None lets the engine take the scale from the sheet layer (else 1:2000).
SCALES = (None, 200, 500, 1000, 2000, 5000, 10000)
OVERRIDE_SIDES = ("map", "register", "sheets")


def parse_field_overrides(text: str) -> dict:
    """'map.sheet=SOTO;register.area=DT' -> {'map.sheet': 'SOTO', 'register.area': 'DT'}.

    Raises ValueError with a message naming the bad item.
    """
    overrides = {}
    for item in (text or "").replace("\n", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        key, sep, field = item.partition("=")
        side, dot, role = key.strip().partition(".")
        if not sep or not dot or not role.strip() or not field.strip():
            raise ValueError(f"Field override '{item}' is not of the form side.role=FIELD "
                             f"(e.g. map.sheet=SOTO)")
        if side.strip() not in OVERRIDE_SIDES:
            raise ValueError(f"Field override '{item}': side must be one of "
                             f"{', '.join(OVERRIDE_SIDES)}")
        overrides[f"{side.strip()}.{role.strip()}"] = field.strip()
    return overrides


class ReconcileRegisterAlgorithm(FlagsAlgorithm):
    """Matches map parcels with register rows and writes the disagreements as flags."""

    PARCELS = "PARCELS"
    REGISTER_FILE = "REGISTER_FILE"
    REGISTER_LAYER = "REGISTER_LAYER"
    SHEETS = "SHEETS"
    COMMUNE = "COMMUNE"
    SCALE = "SCALE"
    FIELD_OVERRIDES = "FIELD_OVERRIDES"
    MERGER_TABLE = "MERGER_TABLE"
    OUTPUT = "OUTPUT"
    REPORT = "REPORT"
    # Numeric results (besides one per check code).
    FLAGS = "FLAGS"
    OPEN_FLAGS = "OPEN_FLAGS"
    MATCHED = "MATCHED"
    PARCEL_COUNT = "PARCELS"  # same name as the input on purpose: "how many parcels"
    REGISTER_ROWS = "REGISTER_ROWS"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ReconcileRegisterAlgorithm", text)

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def name(self) -> str:
        return "reconcile_register"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Reconcile map and register")

    def group(self) -> str:
        return self.tr("Checks")

    def groupId(self) -> str:  # noqa: N802
        return "checks"

    def tags(self):
        return ["cadastre", "register", "parcel", "land", "check", "quality", "vietnam",
                "sổ mục kê", "địa chính"]

    def shortHelpString(self) -> str:  # noqa: N802
        codes = "".join(f"<li><b>{check.code}</b> ({check.severity}): {check.title_tr()}</li>"
                        for check in CATALOGUE.values() if check.group == "register")
        return self.tr(
            "<p>Matches the parcels of a cadastral map with the rows of its land register "
            "by sheet and parcel number, and writes every disagreement as a flag.</p>"
            "<p><b>Inputs</b>: the parcel layer (polygons); the register, either as a file "
            "(XLSX or CSV) <i>or</i> as a table layer already loaded (exactly one of the two); "
            "optionally the sheet frames (for the scale and the sheet a parcel lies on), the "
            "commune code when the map has no commune field, the map scale (sets the area "
            "tolerance; by default taken from the sheet layer, else 1:2000) and field overrides.</p>"
            "<p><b>Fields</b> are found automatically from the names offices use "
            "(SHBANDO, Số tờ, so_to → sheet; SHTHUA, Số thửa → parcel; DIENTICH, DT → area; "
            "KHLOAIDAT, Loại đất → land use …). When a name is not recognised, override it as "
            "<code>map.sheet=SOTO;register.area=DT</code> (sides: map, register, sheets). "
            "The log lists the field chosen for each role.</p>"
            "<p><b>Outputs</b>: a GeoPackage with a <code>flags</code> layer (code, severity, "
            "commune, sheet, parcel, map_fid, register_row, message, suggestion, status, comment), "
            "loaded as \"Flags\"; optionally an XLSX report; counts of parcels, register rows, "
            "matched parcels and flags, in total and per code.</p>"
            "<p><b>Codes</b>:</p><ul>") + codes + "</ul>"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.PARCELS, self.tr("Parcel layer (map)"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterFile(
            self.REGISTER_FILE, self.tr("Register file (XLSX or CSV)"),
            behavior=FILE_BEHAVIOR_FILE,
            fileFilter=self.tr("Registers (*.xlsx *.xlsm *.csv *.txt);;All files (*.*)"),
            optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.REGISTER_LAYER, self.tr("…or register table layer"), [VECTOR_ANY],
            optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SHEETS, self.tr("Sheet frames"), [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.COMMUNE, self.tr("Commune code (when the map has no commune field)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Map scale (area tolerance)"),
            options=[self.tr("From the sheet layer, else 1:2000")]
            + [f"1:{scale}" for scale in SCALES[1:]],
            defaultValue=0, optional=True))
        merger = QgsProcessingParameterFile(
            self.MERGER_TABLE, self.tr("Sheet reference table of the 2025 merger (old keys follow it)"),
            behavior=FILE_BEHAVIOR_FILE, fileFilter=self.tr("Tables (*.xlsx *.csv);;All files (*.*)"),
            optional=True)
        merger.setFlags(merger.flags() | PARAMETER_FLAG_ADVANCED)
        self.addParameter(merger)
        overrides = QgsProcessingParameterString(
            self.FIELD_OVERRIDES, self.tr("Field overrides (e.g. map.sheet=SOTO;register.area=DT)"),
            optional=True)
        overrides.setFlags(overrides.flags() | PARAMETER_FLAG_ADVANCED)
        self.addParameter(overrides)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Flags"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REPORT, self.tr("Report"), self.tr("Excel workbook (*.xlsx)"),
            optional=True, createByDefault=False))
        for name, description in (
                (self.PARCEL_COUNT, self.tr("Parcels on the map")),
                (self.REGISTER_ROWS, self.tr("Register rows")),
                (self.MATCHED, self.tr("Parcels matched with a register row")),
                (self.FLAGS, self.tr("Flags")),
                (self.OPEN_FLAGS, self.tr("Open flags"))):
            self.addOutput(QgsProcessingOutputNumber(name, description))
        for check in CATALOGUE.values():
            if check.group == "register":
                self.addOutput(QgsProcessingOutputNumber(check.code, check.title_tr()))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        problem = self._register_problem(parameters, context)
        if problem:
            return False, problem
        try:
            parse_field_overrides(self.parameterAsString(parameters, self.FIELD_OVERRIDES, context))
        except ValueError as err:
            return False, str(err)
        return True, ""

    def _register_problem(self, parameters, context) -> str | None:
        """Why the register choice is unusable (none or both given), else None."""
        has_file = bool(self.parameterAsFile(parameters, self.REGISTER_FILE, context))
        has_layer = self.parameterAsVectorLayer(parameters, self.REGISTER_LAYER, context) is not None
        if has_file and has_layer:
            return self.tr("Two registers given: choose either a register file (REGISTER_FILE) "
                           "or a register table layer (REGISTER_LAYER), not both.")
        if not has_file and not has_layer:
            return self.tr("No register given: choose a register file (REGISTER_FILE, .xlsx or "
                           ".csv) or a register table layer (REGISTER_LAYER).")
        return None

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        # Processing re-checks parameters before running; qgis_process and models too,
        # but a direct processAlgorithm() call (tests, scripts) does not.
        problem = self._register_problem(parameters, context)
        if problem:
            raise QgsProcessingException(problem)
        try:
            overrides = parse_field_overrides(
                self.parameterAsString(parameters, self.FIELD_OVERRIDES, context))
        except ValueError as err:
            raise QgsProcessingException(str(err)) from None

        request = CheckRequest(
            parcels=self._source(parameters, self.PARCELS, context, feedback),
            out=self.parameterAsFileOutput(parameters, self.OUTPUT, context),
            register=(self.parameterAsFile(parameters, self.REGISTER_FILE, context)
                      or self._source(parameters, self.REGISTER_LAYER, context, feedback)),
            sheets=self._source(parameters, self.SHEETS, context, feedback),
            report=self.parameterAsFileOutput(parameters, self.REPORT, context) or None,
            field_overrides=overrides,
            commune=self.parameterAsString(parameters, self.COMMUNE, context).strip() or None,
            scale=SCALES[self.parameterAsEnum(parameters, self.SCALE, context)],
            user=QgsApplication.userFullName() or QgsApplication.userLoginName(),
            merger_table=self.parameterAsFile(parameters, self.MERGER_TABLE, context) or None,
        )
        try:
            summary = run_check(request, FeedbackProgress(feedback))
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        except Cancelled:
            # A cancel is the user's choice, not an error: say so and stop quietly.
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}

        for line in summary.field_choices:
            feedback.pushInfo(line)
        out = summary.out or request.out
        self._load_flags_on_completion(out, context)

        results = {
            self.OUTPUT: out,
            self.REPORT: summary.report or request.report,
            self.PARCEL_COUNT: summary.parcels,
            self.REGISTER_ROWS: summary.register_rows,
            self.MATCHED: summary.matched,
            self.FLAGS: sum(summary.flags_by_code.values()),
            self.OPEN_FLAGS: summary.open_flags,
        }
        for code in CATALOGUE:
            if CATALOGUE[code].group == "register":
                results[code] = 0
        results.update(summary.flags_by_code)
        return results
