"""Processing algorithm "Assign identification codes" (cadastre_cleaner:assign_codes).

Writes a copy of the parcel layer with each parcel's 12-character GeoHash code and
reports the stored codes that are duplicated or out of date; the source is only read.
A thin front end over `core.codes.identification`.
"""
import numpy as np
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError
from ..core.register.fields import MAP_ROLES, map_fields
from ..core.flags.flagset import FlagSet
from ..core.codes.numbering import write_copy
from ..core.codes.identification import DEFAULT_CODE_FIELD, RULES, assign_codes, check_codes
from ..core.loading.vector import read_vector
from ..ui.compat import VECTOR_POLYGON
from .flags_algorithm import FlagsAlgorithm

FLAGS_TABLE = "code_flags"


class AssignCodesAlgorithm(FlagsAlgorithm):
    PARCELS = "PARCELS"
    CODE_FIELD = "CODE_FIELD"
    RULE = "RULE"
    OUTPUT = "OUTPUT"
    ASSIGNED = "ASSIGNED"
    DUPLICATES = "DUPLICATES"
    STALE = "STALE"

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("AssignCodesAlgorithm", text)

    def name(self) -> str:
        return "assign_codes"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Assign identification codes")

    def group(self) -> str:
        return self.tr("Fixes")

    def groupId(self) -> str:  # noqa: N802
        return "fixes"

    def tags(self):
        return ["cadastre", "geohash", "identification code", "mã định danh", "địa chính"]

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Gives every parcel its identification code: the 12-character GeoHash of the WGS84 "
            "position (VN-2000 → WGS84 with EPSG's 7 parameters) of a point of the parcel. The "
            "point rule is a setting: a point guaranteed inside the parcel (default), or the "
            "centroid when it lies inside, else a point inside.</p><p>Codes already in the code "
            "field are checked first: a code used by two parcels (PARCEL_CODE_DUPLICATE) or a "
            "code that is not the code of the parcel's current geometry (PARCEL_CODE_STALE) is "
            "reported and listed in table <code>code_flags</code>.</p><p>Writes a <b>copy</b> "
            "(GeoPackage, layer <code>parcels</code>); the source layer is never modified.</p>")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterVectorLayer(self.PARCELS, self.tr("Parcel layer"), [VECTOR_POLYGON]))
        self.addParameter(QgsProcessingParameterString(
            self.CODE_FIELD, self.tr("Code field"), defaultValue=DEFAULT_CODE_FIELD))
        self.addParameter(QgsProcessingParameterEnum(
            self.RULE, self.tr("Point of the parcel"),
            options=[self.tr("A point guaranteed inside (point on surface)"),
                     self.tr("The centroid when inside, else a point inside")], defaultValue=0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Copy with codes"), self.tr("GeoPackage (*.gpkg)")))
        self.addOutput(QgsProcessingOutputNumber(self.ASSIGNED, self.tr("Codes assigned")))
        self.addOutput(QgsProcessingOutputNumber(self.DUPLICATES, self.tr("Parcels with a duplicated code")))
        self.addOutput(QgsProcessingOutputNumber(self.STALE, self.tr("Parcels with an out-of-date code")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self._source(parameters, self.PARCELS, context, feedback)
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        field = (self.parameterAsString(parameters, self.CODE_FIELD, context) or DEFAULT_CODE_FIELD).strip()
        rule = RULES[self.parameterAsEnum(parameters, self.RULE, context)]
        try:
            frame = read_vector(source, role="parcels")
            fields = map_fields(frame.attrs.columns, "map", MAP_ROLES, None, source, required=())
            col = lambda role: (frame.attrs[fields.get(role)].to_numpy(object)  # noqa: E731
                                if fields.get(role) else None)
            codes = assign_codes(frame.geometry, frame.crs_wkt or frame.crs_authid, rule)
            flags = FlagSet()
            stored = (frame.attrs[field].to_numpy(object) if field in frame.attrs.columns
                      else np.full(len(frame), "", dtype=object))
            res = check_codes(frame.geometry, None, stored, flags, rule=rule, sheet=col("sheet"),
                              parcel=col("parcel"), commune=col("commune"), codes=codes)
            if feedback.isCanceled():
                feedback.pushInfo(self.tr("Cancelled: nothing was written."))
                return {}
            attrs = frame.attrs.copy()
            attrs[field] = np.where(codes == "", None, codes).astype(object)
            table = flags.frame()[["code", "severity", "commune", "sheet", "parcel", "map_idx",
                                   "other_idx", "message", "map_value", "suggested_value"]]
            fids = np.asarray(frame.fids, dtype=np.int64)
            table.insert(5, "source_fid", fids[table["map_idx"].to_numpy(np.int64)] if len(table) else [])
            write_copy(out, frame, attrs, {FLAGS_TABLE: table.drop(columns=["map_idx", "other_idx"])})
        except InputError as err:
            raise QgsProcessingException(err.one_line()) from None
        assigned = int((codes != "").sum())
        feedback.pushInfo(self.tr("Codes assigned: {0}").format(assigned))
        feedback.pushInfo(self.tr("Duplicated codes: {0}").format(res["duplicate"]))
        feedback.pushInfo(self.tr("Out-of-date codes: {0}").format(res["stale"]))
        layers = context.layersToLoadOnCompletion()
        layers.pop(out, None)
        context.setLayersToLoadOnCompletion(layers)
        context.addLayerToLoadOnCompletion(f"{out}|layername=parcels", QgsProcessingContext.LayerDetails(
            self.tr("Parcels (codes)"), context.project(), self.OUTPUT))
        return {self.OUTPUT: out, self.ASSIGNED: assigned, self.DUPLICATES: res["duplicate"],
                self.STALE: res["stale"]}
