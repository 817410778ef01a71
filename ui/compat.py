"""The few differences between QGIS 3 (Qt 5) and QGIS 4 (Qt 6), in one place.

Everything else in the plugin is written once, with scoped enums and `exec()`.
"""
from qgis.core import Qgis, QgsMapLayerProxyModel, QgsProcessing

try:  # Qt 6: QAction lives in QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt 5
    from qgis.PyQt.QtWidgets import QAction

# Processing source types moved to Qgis.ProcessingSourceType in QGIS 3.36; the old
# QgsProcessing.SourceType names are gone in QGIS 4.
if hasattr(Qgis, "ProcessingSourceType"):
    VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
    VECTOR_ANY = Qgis.ProcessingSourceType.Vector  # incl. tables without geometry
else:
    VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
    VECTOR_ANY = QgsProcessing.SourceType.TypeVector

if hasattr(Qgis, "ProcessingFileParameterBehavior"):  # QGIS >= 3.36
    FILE_BEHAVIOR_FILE = Qgis.ProcessingFileParameterBehavior.File
else:
    from qgis.core import QgsProcessingParameterFile

    FILE_BEHAVIOR_FILE = QgsProcessingParameterFile.Behavior.File

if hasattr(Qgis, "ProcessingParameterFlag"):  # QGIS >= 3.36
    PARAMETER_FLAG_ADVANCED = Qgis.ProcessingParameterFlag.Advanced
else:
    from qgis.core import QgsProcessingParameterDefinition

    PARAMETER_FLAG_ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced

# Layer filters of QgsMapLayerComboBox moved to Qgis.LayerFilter in QGIS 3.34.
if hasattr(Qgis, "LayerFilter"):
    POLYGON_LAYERS = Qgis.LayerFilter.PolygonLayer
    NO_GEOMETRY_LAYERS = Qgis.LayerFilter.NoGeometry
else:
    POLYGON_LAYERS = QgsMapLayerProxyModel.Filter.PolygonLayer
    NO_GEOMETRY_LAYERS = QgsMapLayerProxyModel.Filter.NoGeometry

# Geometry types moved to Qgis.GeometryType in QGIS 3.30.
if hasattr(Qgis, "GeometryType"):
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
else:
    from qgis.core import QgsWkbTypes

    POLYGON_GEOMETRY = QgsWkbTypes.GeometryType.PolygonGeometry

# Render units moved to Qgis.RenderUnit in QGIS 3.30.
if hasattr(Qgis, "RenderUnit"):
    RENDER_POINTS, RENDER_MILLIMETERS = Qgis.RenderUnit.Points, Qgis.RenderUnit.Millimeters
else:
    from qgis.core import QgsUnitTypes

    RENDER_POINTS = QgsUnitTypes.RenderUnit.RenderPoints
    RENDER_MILLIMETERS = QgsUnitTypes.RenderUnit.RenderMillimeters

__all__ = ["QAction", "VECTOR_POLYGON", "VECTOR_ANY", "FILE_BEHAVIOR_FILE",
           "PARAMETER_FLAG_ADVANCED", "POLYGON_LAYERS", "NO_GEOMETRY_LAYERS",
           "POLYGON_GEOMETRY", "RENDER_POINTS", "RENDER_MILLIMETERS"]

# Label placement and symbol-layer data-defined properties: scoped enums in QGIS 4.
if hasattr(Qgis, "LabelPlacement"):   # QGIS >= 3.26
    LABEL_AROUND_POINT = Qgis.LabelPlacement.AroundPoint
else:
    from qgis.core import QgsPalLayerSettings

    LABEL_AROUND_POINT = QgsPalLayerSettings.AroundPoint

from qgis.core import QgsSymbolLayer  # noqa: E402 — grouped with the enum it serves

PROPERTY_FILL_COLOR = (QgsSymbolLayer.Property.FillColor if hasattr(QgsSymbolLayer, "Property")
                       and hasattr(QgsSymbolLayer.Property, "FillColor") else QgsSymbolLayer.PropertyFillColor)
