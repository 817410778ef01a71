"""Processing algorithm "Load cadastral sheets" (cadastre_cleaner:load_sheets).

A thin front end over `core.loading.load.load_sheets`: the same engine, output and flags
as the command `load`. The parcels layer and the flags are loaded into the project
when it runs from the GUI.
"""
from qgis.core import (
    Qgis,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.flags.catalogue import CATALOGUE, codes
from ..core.errors import InputError
from ..core.loading.crs import province_names, province_table
from ..core.loading.load import LoadRequest, load_sheets
from ..core.loading.text import ENCODING_CHOICES
from ..core.progress import Cancelled, FeedbackProgress
from ..ui.compat import FILE_BEHAVIOR_FILE, PARAMETER_FLAG_ADVANCED
from .flags_algorithm import FlagsAlgorithm

LOAD = tuple(codes("load"))
SCALES = (None, 200, 500, 1000, 2000, 5000, 10000)

# Folder behaviour and the "any file" layer type moved in QGIS 3.36 (gone in QGIS 4).
if hasattr(Qgis, "ProcessingFileParameterBehavior"):
    FILE_BEHAVIOR_FOLDER = Qgis.ProcessingFileParameterBehavior.Folder
else:
    FILE_BEHAVIOR_FOLDER = QgsProcessingParameterFile.Behavior.Folder
if hasattr(Qgis, "ProcessingSourceType"):
    SOURCE_FILE = Qgis.ProcessingSourceType.File
else:
    SOURCE_FILE = QgsProcessing.SourceType.TypeFile


def province_choices() -> tuple[list, list]:
    """([None, code…], [label…]): every province with its central meridian and EPSG code,
    and, for a code closed in 2025, the province it became part of."""
    codes, labels = [None], []
    successors = province_names()
    for code, name, meridian, epsg in province_table():
        succ = successors.get(code, ("", ""))[1]
        now = f" → {succ} (2025)" if succ and succ != code else ""
        codes.append(code)
        labels.append(f"{code} {name} — {meridian} (EPSG:{epsg}){now}")
    return codes, labels


class LoadSheetsAlgorithm(FlagsAlgorithm):
    """Per-sheet shapefiles, GeoPackages, MapInfo, GML, DXF and DGN files into one GeoPackage."""

    FOLDER = "FOLDER"
    FILES = "FILES"
    COMMUNE = "COMMUNE"
    CRS = "CRS"
    PROVINCE = "PROVINCE"
    ENCODING = "ENCODING"
    SCALE = "SCALE"
    LEVELS = "LEVELS"
    REPROJECT = "REPROJECT"
    OUTPUT = "OUTPUT"
    FILE_COUNT = "FILE_COUNT"
    UNREADABLE = "UNREADABLE"
    PARCELS = "PARCELS"
    SHEETS = "SHEETS"
    CONVERTED = "CONVERTED"
    FLAGS = "FLAGS"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("LoadSheetsAlgorithm", text)

    def name(self) -> str:
        return "load_sheets"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Load cadastral sheets")

    def group(self) -> str:
        return self.tr("Data preparation")

    def groupId(self) -> str:  # noqa: N802
        return "preparation"

    def tags(self):
        return ["cadastre", "sheet", "dgn", "dxf", "shapefile", "tcvn3", "vni", "polygonize", "label",
                "tờ bản đồ", "địa chính", "tạo vùng"]

    def shortHelpString(self) -> str:  # noqa: N802
        items = "".join(f"<li><b>{c}</b> ({CATALOGUE[c].severity}): {CATALOGUE[c].title_tr()}</li>"
                        for c in LOAD)
        return self.tr(
            "<p>Reads a commune's map sheets — one file per sheet: shapefile, GeoPackage, MapInfo, "
            "GML, or DXF / DGN v7 drawings — and writes one GeoPackage whose <b>parcels</b> layer "
            "goes straight into the checks. Sources are only read.</p>"
            "<p><b>Drawings</b>: parcels are built from the boundary lines (level 10) and take their "
            "number, land use and area from the text labels inside them (levels 13, 2, 4); give a "
            "JSON level mapping for other levels or DXF layer names.</p>"
            "<p><b>Sheet number</b>: from a sheet field, else the file name (To_12, T12, BD12, 12, "
            "Tờ 12, TĐ03-2014, a Circular 25 code). <b>Commune</b>: a field, else the commune "
            "given here, else a 5-digit folder name.</p>"
            "<p><b>Output</b>: layers parcels, sheets (frames), load_report (one row per file) and "
            "the flags below, in the same file.</p><ul>") + items + "</ul>"

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Folder of sheet files (searched with its subfolders)"),
            behavior=FILE_BEHAVIOR_FOLDER, optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.FILES, self.tr("Sheet files"), SOURCE_FILE, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.COMMUNE, self.tr("Commune code (when neither a field nor the folder name says)"),
            optional=True))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("Output CRS (empty: the province's, else what the files declare)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PROVINCE, self.tr("Province (its VN-2000 TM-3 zone; old codes, with the 2025 successor)"),
            options=[self.tr("None: the CRS above, else what the files declare")] + province_choices()[1],
            defaultValue=0, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.ENCODING, self.tr("Text encoding"), options=list(ENCODING_CHOICES), defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Map scale (when the files do not say)"),
            options=[self.tr("From the files")] + [f"1:{s}" for s in SCALES[1:]], defaultValue=0))
        levels = QgsProcessingParameterFile(
            self.LEVELS, self.tr("Level mapping of drawings (JSON)"), behavior=FILE_BEHAVIOR_FILE,
            extension="json", optional=True)
        levels.setFlags(levels.flags() | PARAMETER_FLAG_ADVANCED)
        self.addParameter(levels)
        self.addParameter(QgsProcessingParameterBoolean(
            self.REPROJECT, self.tr("Reproject files that declare another CRS"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Loaded sheets"), self.tr("GeoPackage (*.gpkg)")))
        for name, description in ((self.FILE_COUNT, self.tr("Files")),
                                  (self.UNREADABLE, self.tr("Unreadable files")),
                                  (self.PARCELS, self.tr("Parcels")), (self.SHEETS, self.tr("Sheets")),
                                  (self.CONVERTED, self.tr("Legacy text values converted")),
                                  (self.FLAGS, self.tr("Flags"))):
            self.addOutput(QgsProcessingOutputNumber(name, description))
        for code in LOAD:
            self.addOutput(QgsProcessingOutputNumber(code, CATALOGUE[code].title_tr()))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        inputs = [p for p in [self.parameterAsFile(parameters, self.FOLDER, context)] if p]
        inputs += [p for p in self.parameterAsFileList(parameters, self.FILES, context) if p]
        if not inputs:
            raise QgsProcessingException(self.tr("Give a folder of sheet files, or the files."))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        request = LoadRequest(
            inputs=inputs, out=self.parameterAsFileOutput(parameters, self.OUTPUT, context),
            commune=self.parameterAsString(parameters, self.COMMUNE, context) or None,
            crs=(crs.authid() or crs.toWkt()) if crs.isValid() else None,
            province=province_choices()[0][self.parameterAsEnum(parameters, self.PROVINCE, context)],
            encoding=ENCODING_CHOICES[self.parameterAsEnum(parameters, self.ENCODING, context)],
            scale=SCALES[self.parameterAsEnum(parameters, self.SCALE, context)],
            levels=self.parameterAsFile(parameters, self.LEVELS, context) or None,
            reproject=self.parameterAsBoolean(parameters, self.REPROJECT, context))
        try:
            summary = load_sheets(request, FeedbackProgress(feedback))
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        except Cancelled:
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}
        for row in summary.report.itertuples():
            if row.status != "ok":
                feedback.pushWarning(f"{row.file}: {row.errors or row.warnings or row.status}")
        self._load_on_completion(summary.out, context)
        results = {self.OUTPUT: summary.out, self.FILE_COUNT: summary.files,
                   self.UNREADABLE: summary.unreadable, self.PARCELS: summary.parcels,
                   self.SHEETS: summary.sheets, self.CONVERTED: summary.converted,
                   self.FLAGS: sum(summary.flags_by_code.values())}
        results.update({code: summary.flags_by_code.get(code, 0) for code in LOAD})
        return results

    def _load_on_completion(self, out: str, context) -> None:
        """The loaded parcels and the flags (ignored by processing.run and qgis_process)."""
        self._load_flags_on_completion(out, context)
        context.addLayerToLoadOnCompletion(
            f"{out}|layername=parcels",
            QgsProcessingContext.LayerDetails(self.tr("Parcels (loaded)"), context.project(), self.OUTPUT))
