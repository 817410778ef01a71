"""Processing algorithm "Number parcels" (cadastre_cleaner:number_parcels).

Writes a numbered copy of the parcel layer (old numbers kept in an old-number field,
table `renumbering` old → new); the source is only read. A thin front end over
`core.codes.numbering`.
"""
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError
from ..core.register.fields import MAP_ROLES, map_fields
from ..core.codes.numbering import MODES, number_parcels, write_numbered
from ..core.loading.vector import read_vector
from ..ui.compat import VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm

BAND_SCALES = (1000, 200, 500, 2000, 5000, 10000)


def frame_tops_and_bands(sheets_source: str, parcel_sheets, geoms):
    """Per parcel: the north edge of its sheet's frame and a tenth of that sheet's side as
    band height (the circular's bands), where the frame is known; else the parcels' own
    north edge per sheet and the default band."""
    import numpy as np
    import pandas as pd
    import shapely

    from ..core.reference.admin_units import AdminUnits
    from ..core.register.keys import normalise_key
    from ..core.register.prepare import prepare_sheets
    from ..core.reference.sheet_grid import SHEET_SIZE_M
    sheets, frames, _ = prepare_sheets(read_vector(sheets_source, role="sheets"), None, "", AdminUnits.load())
    table = pd.DataFrame({"sheet": sheets["sheet"].to_numpy(object), "top": shapely.bounds(frames)[:, 3],
                          "band": [SHEET_SIZE_M.get(int(s), np.nan) / 10 if s == s else np.nan
                                   for s in sheets["scale"]]}).groupby("sheet").agg({"top": "max", "band": "max"})
    keys = normalise_key(pd.Series(parcel_sheets))
    top = keys.map(table["top"]).to_numpy(float)
    band = keys.map(table["band"]).to_numpy(float)
    own = pd.Series(shapely.bounds(geoms)[:, 3]).groupby(keys.to_numpy()).transform("max").to_numpy(float)
    top = np.where(np.isnan(top), own, top)
    band = np.where(np.isnan(band), np.nanmedian(band) if np.isfinite(band).any() else 50.0, band)
    return top, band


class NumberParcelsAlgorithm(FlagsAlgorithm):
    PARCELS = "PARCELS"
    SHEETS = "SHEETS"
    SHEET_FIELD = "SHEET_FIELD"
    NUMBER_FIELD = "NUMBER_FIELD"
    OLD_NUMBER_FIELD = "OLD_NUMBER_FIELD"
    SHEETS_TO_NUMBER = "SHEETS_TO_NUMBER"
    MODE = "MODE"
    SCALE = "SCALE"
    BAND_HEIGHT = "BAND_HEIGHT"
    START = "START"
    OUTPUT = "OUTPUT"
    NUMBERED = "NUMBERED"
    CHANGED = "CHANGED"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("NumberParcelsAlgorithm", text)

    def name(self) -> str:
        return "number_parcels"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Number parcels")

    def group(self) -> str:
        return self.tr("Fixes")

    def groupId(self) -> str:  # noqa: N802
        return "fixes"

    def tags(self):
        return ["cadastre", "parcel number", "zig-zag", "renumber", "đánh số thửa", "địa chính"]

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Numbers parcels 1…n on each sheet from the north-west in zig-zag bands: the first "
            "band west → east, the next east → west. A parcel belongs to the band holding a point "
            "inside it.</p><p>Modes: <b>fill missing</b> numbers only parcels without one, after the "
            "sheet's largest number; <b>renumber all</b> numbers every parcel again; <b>after a "
            "split or merge</b> gives the parcels whose number is missing or used twice on the "
            "sheet the sheet's max + 1, max + 2… and keeps the others.</p><p>Writes a <b>copy</b> "
            "(GeoPackage: layer <code>parcels</code>, the previous numbers of renumbered parcels in "
            "the old-number field, table <code>renumbering</code> old → new). The source layer is "
            "never modified.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(self.PARCELS, self.tr("Parcel layer"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.SHEETS, self.tr("Sheet frames (bands start at the frame's north edge, height by its scale)"),
            [VECTOR_POLYGON], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.SHEET_FIELD, self.tr("Sheet number field (empty: found by name)"),
            parentLayerParameterName=self.PARCELS, optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.NUMBER_FIELD, self.tr("Parcel number field (empty: found by name)"),
            parentLayerParameterName=self.PARCELS, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.OLD_NUMBER_FIELD, self.tr("Old-number field"), defaultValue="SHTHUA_CU"))
        self.addParameter(QgsProcessingParameterString(
            self.SHEETS_TO_NUMBER, self.tr("Sheets to number (comma-separated; empty: all)"),
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.MODE, self.tr("Mode"),
            options=[self.tr("Fill missing numbers"), self.tr("Renumber all"),
                     self.tr("After a split or merge (missing or duplicated numbers take max + 1)")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Map scale (for the default band height)"),
            options=[f"1:{s}" for s in BAND_SCALES], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.BAND_HEIGHT, self.tr("Band height in metres (0: a tenth of the sheet side)"),
            type=QgsProcessingParameterNumber.Double, minValue=0.0, defaultValue=0.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.START, self.tr("First number"), type=QgsProcessingParameterNumber.Integer,
            minValue=1, defaultValue=1))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Numbered copy"), self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputNumber(self.NUMBERED, self.tr("Parcels numbered")))
        self.addOutput(QgsProcessingOutputNumber(self.CHANGED, self.tr("Numbers changed")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self._source(parameters, self.PARCELS, context, feedback)
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        mode = MODES[self.parameterAsEnum(parameters, self.MODE, context)]
        scale = BAND_SCALES[self.parameterAsEnum(parameters, self.SCALE, context)]
        band = self.parameterAsDouble(parameters, self.BAND_HEIGHT, context) or None
        start = self.parameterAsInt(parameters, self.START, context) or 1
        old_field = self.parameterAsString(parameters, self.OLD_NUMBER_FIELD, context) or "SHTHUA_CU"
        wanted = self.parameterAsString(parameters, self.SHEETS_TO_NUMBER, context) or ""
        wanted = [s.strip() for s in wanted.split(",") if s.strip()] or None
        overrides = {"sheet": self.parameterAsString(parameters, self.SHEET_FIELD, context),
                     "parcel": self.parameterAsString(parameters, self.NUMBER_FIELD, context)}
        try:
            frame = read_vector(source, role="parcels")
            fields = map_fields(frame.attrs.columns, "map", MAP_ROLES, overrides, source)
            sheet_f, number_f = fields.get("sheet"), fields.get("parcel")
            feedback.pushInfo(self.tr("Sheet field {0}, number field {1}").format(sheet_f, number_f))
            top = None
            sheets_src = self._source(parameters, self.SHEETS, context, feedback)
            if sheets_src:
                top, frame_band = frame_tops_and_bands(sheets_src, frame.attrs[sheet_f], frame.geometry)
                band = band or frame_band
            result = number_parcels(frame.geometry, frame.attrs[sheet_f].to_numpy(object),
                                    frame.attrs[number_f].to_numpy(object), mode, band_height=band,
                                    start=start, scale=scale, fids=frame.fids, sheets_to_number=wanted,
                                    top=top)
            if feedback.isCanceled():
                feedback.pushInfo(self.tr("Cancelled: nothing was written."))
                return {}
            write_numbered(out, frame, result, number_f, old_field)
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        for key, n in result.counts.items():
            feedback.pushInfo(f"{key}: {n}")
        layers = context.layersToLoadOnCompletion()
        layers.pop(out, None)
        context.setLayersToLoadOnCompletion(layers)
        context.addLayerToLoadOnCompletion(f"{out}|layername=parcels", QgsProcessingContext.LayerDetails(
            self.tr("Parcels (numbered)"), context.project(), self.OUTPUT))
        return {self.OUTPUT: out, self.NUMBERED: result.counts["numbered"],
                self.CHANGED: result.counts["changed"]}
