"""Processing algorithm "Renumber after the commune merger" (cadastre_cleaner:renumber_merger).

Writes corrected copies with the post-2025 commune codes and sheet numbers, the old
values kept in MAXA_CU / SHBANDO_CU; the sources are only read. A thin front end over
`core.codes.merger.run_merger`.
"""
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError
from ..core.codes.merger import run_merger
from ..ui.compat import FILE_BEHAVIOR_FILE, VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm


class RenumberMergerAlgorithm(FlagsAlgorithm):
    PARCELS = "PARCELS"
    SHEETS = "SHEETS"
    REGISTER = "REGISTER"
    REFERENCE = "REFERENCE"
    COMMUNE = "COMMUNE"
    OUTPUT = "OUTPUT"
    REGISTER_OUTPUT = "REGISTER_OUTPUT"
    REFERENCE_OUTPUT = "REFERENCE_OUTPUT"
    CHANGES = "CHANGES"
    FINDINGS = "FINDINGS"
    ROWS_READ = "ROWS_READ"
    ROWS_APPLIED = "ROWS_APPLIED"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("RenumberMergerAlgorithm", text)

    def name(self) -> str:
        return "renumber_merger"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Renumber after the commune merger")

    def group(self) -> str:
        return self.tr("Fixes")

    def groupId(self) -> str:  # noqa: N802
        return "fixes"

    def tags(self):
        return ["cadastre", "merger", "sáp nhập", "commune", "sheet", "tờ bản đồ", "renumber", "2025"]

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Gives parcels, sheet frames and the register the commune codes and sheet numbers "
            "in force after the 2025 merger, in <b>corrected copies</b>; the sources are never "
            "modified. The old code and sheet number are kept in <code>MAXA_CU</code> and "
            "<code>SHBANDO_CU</code>; parcel numbers do not change.</p>"
            "<p>Sheet reference table: the commune whose code is kept keeps its sheet numbers; the "
            "sheets of the other communes merged into it are numbered on above its highest sheet "
            "number, commune by commune in order of old code. Non-numeric sheets (e.g. TĐ03-2014) "
            "of those communes keep their text with the old commune code in front "
            "(00703_TĐ03-2014). Give the official table (CSV or XLSX with columns old_commune, "
            "old_sheet, new_commune, new_sheet) to use it instead; it is checked first.</p>"
            "<p>The national land system's table (<i>bảng tham chiếu bản đồ địa chính 2 cấp</i>: "
            "xaIdCu, soHieuToBanDoCu, xaId, soHieuToBanDo, tyLe, soThuTuThuaCu, soThuTuThua …) is "
            "read as it comes: codes padded to their official width, the scale part of the sheet key "
            "(sheets matched by commune, sheet number and scale), parcels renumbered where it gives "
            "new parcel numbers (SHTHUA_CU keeps the old ones). Rows with a code that is not "
            "official, a new commune that is not the old one's successor or an old key sent to two "
            "targets are not applied and are listed by code in the table <code>findings</code>, "
            "with the sheets and parcels the table does not cover.</p>"
            "<p>The GeoPackage holds <code>parcels</code>, <code>sheets</code>, the table "
            "<code>changes</code> (every changed row) and the table <code>reference</code> used.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(self.PARCELS, self.tr("Parcel layer"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SHEETS, self.tr("Sheet frames"), [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.REGISTER, self.tr("Register"), behavior=FILE_BEHAVIOR_FILE,
            fileFilter=self.tr("Registers (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf);;All files (*.*)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.REFERENCE, self.tr("Official sheet reference table (else built)"), behavior=FILE_BEHAVIOR_FILE,
            fileFilter=self.tr("Tables (*.xlsx *.csv);;All files (*.*)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.COMMUNE, self.tr("Commune code of layers without a commune field"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Corrected copy"), self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REGISTER_OUTPUT, self.tr("Corrected register"), self.tr("Excel (*.xlsx);;CSV (*.csv)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.REFERENCE_OUTPUT, self.tr("Sheet reference table used"), self.tr("CSV (*.csv);;Excel (*.xlsx)"),
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(self.CHANGES, self.tr("Rows changed")))
        self.addOutput(QgsProcessingOutputNumber(self.FINDINGS, self.tr("Findings")))
        self.addOutput(QgsProcessingOutputNumber(self.ROWS_READ, self.tr("Reference table rows read")))
        self.addOutput(QgsProcessingOutputNumber(self.ROWS_APPLIED, self.tr("Reference table rows applied")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        register_out = self.parameterAsFileOutput(parameters, self.REGISTER_OUTPUT, context) or None
        reference_out = self.parameterAsFileOutput(parameters, self.REFERENCE_OUTPUT, context) or None
        try:
            result = run_merger(
                self._source(parameters, self.PARCELS, context, feedback), out,
                sheets_source=self._source(parameters, self.SHEETS, context, feedback),
                register_source=self.parameterAsFile(parameters, self.REGISTER, context) or None,
                reference=self.parameterAsFile(parameters, self.REFERENCE, context) or None,
                register_out=register_out, reference_out=reference_out,
                commune=self.parameterAsString(parameters, self.COMMUNE, context).strip() or None)
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        for layer, (rows, changed) in result.counts.items():
            feedback.pushInfo(self.tr("{0}: {1} rows, {2} changed").format(layer, rows, changed))
        for rule, n in result.reference["rule"].value_counts().items():
            feedback.pushInfo(self.tr("reference table, {0}: {1} sheets").format(rule, n))
        table, findings = result.table, result.findings
        if table is not None:
            feedback.pushInfo(self.tr("reference table: {0} rows read, {1} applied").format(
                table.rows_read, table.rows_applied))
            for code, n in findings["code"].value_counts().items():
                feedback.pushWarning(self.tr("{0}: {1} finding(s), e.g. {2}").format(
                    code, n, findings.loc[findings["code"] == code, "message"].iloc[0]))
        if result.register_out:
            feedback.pushInfo(self.tr("Corrected register: {0}").format(result.register_out))
        layers = context.layersToLoadOnCompletion()
        layers.pop(out, None)
        context.setLayersToLoadOnCompletion(layers)
        context.addLayerToLoadOnCompletion(f"{out}|layername=parcels", QgsProcessingContext.LayerDetails(
            self.tr("Parcels (renumbered)"), context.project(), self.OUTPUT))
        return {self.OUTPUT: out, self.REGISTER_OUTPUT: result.register_out,
                self.REFERENCE_OUTPUT: result.reference_out, self.CHANGES: len(result.changes),
                self.FINDINGS: 0 if result.findings is None else len(result.findings),
                self.ROWS_READ: len(result.reference) if result.table is None else result.table.rows_read,
                self.ROWS_APPLIED: len(result.reference) if result.table is None else result.table.rows_applied}
