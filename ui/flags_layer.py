"""The "Flags" layer: a flags GeoPackage's `flags` layer added to the project, styled.

Categorized by severity (error red, warning orange, info blue; see-through fill,
solid outline) and labelled with the check code. A later run's layer replaces the
earlier one from the same file, in the same place of the layer tree.
"""
import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsProperty,
    QgsProviderRegistry,
    QgsRendererCategory,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..core.flags import catalogue as cat
from ..core.i18n import QT_TRANSLATE_NOOP
from .compat import LABEL_AROUND_POINT, PROPERTY_FILL_COLOR, RENDER_MILLIMETERS, RENDER_POINTS

FLAGS_LAYER = "flags"   # layer name inside the flags GeoPackage (core/flags/store.py)
FILL_ALPHA = 70         # of 255: the parcel stays visible under its flag

_CTX = "FlagsLayer"
# severity -> (outline colour, legend label); the colours of the review dock's flag list
SEVERITY_STYLE = {
    cat.ERROR: ("#d7301f", QT_TRANSLATE_NOOP(_CTX, "Error")),
    cat.WARNING: ("#f59e0b", QT_TRANSLATE_NOOP(_CTX, "Warning")),
    cat.INFO: ("#3b82c4", QT_TRANSLATE_NOOP(_CTX, "Info")),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("FlagsLayer", text)


def add_flags_layer(path: str, project: QgsProject | None = None) -> QgsVectorLayer:
    """Load `path|layername=flags` as "Flags", styled; replaces an earlier Flags layer
    of the same file. Returns the layer (invalid when the file cannot be read; then it
    is not added)."""
    project = project or QgsProject.instance()
    layer = QgsVectorLayer(f"{path}|layername={FLAGS_LAYER}", tr("Flags"), "ogr")
    if not layer.isValid():
        return layer
    style_flags_layer(layer)

    old = flags_layers_of(path, project)
    root = project.layerTreeRoot()
    group, index = root, 0
    if old:
        node = root.findLayer(old[0].id())
        if node is not None and node.parent() is not None:
            group = node.parent()
            index = group.children().index(node)
        project.removeMapLayers([lyr.id() for lyr in old])
    project.addMapLayer(layer, False)
    group.insertLayer(min(index, len(group.children())), layer)
    return layer


def flags_layers_of(path: str, project: QgsProject | None = None) -> list:
    """The project's layers that show the `flags` layer of the GeoPackage at `path`."""
    project = project or QgsProject.instance()
    wanted = _same_file_key(path)
    found = []
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
            continue
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        if parts.get("layerName") == FLAGS_LAYER and _same_file_key(parts.get("path") or "") == wanted:
            found.append(layer)
    return found


def flags_file_of(layer) -> str | None:
    """The GeoPackage behind a flags layer, or None when `layer` is not one."""
    if not isinstance(layer, QgsVectorLayer) or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    if parts.get("layerName") != FLAGS_LAYER or not parts.get("path"):
        return None
    return parts["path"]


def style_flags_layer(layer: QgsVectorLayer) -> None:
    categories = []
    for severity, (colour, label) in SEVERITY_STYLE.items():
        categories.append(QgsRendererCategory(severity, _fill_symbol(colour),
                                              QCoreApplication.translate(_CTX, label)))
    layer.setRenderer(QgsCategorizedSymbolRenderer("severity", categories))

    text = QgsTextFormat()
    text.setSize(7)
    text.setSizeUnit(RENDER_POINTS)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setSizeUnit(RENDER_MILLIMETERS)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    labels = QgsPalLayerSettings()
    labels.fieldName = "code"
    labels.setFormat(text)
    # around the centroid: two flags on one parcel get two positions, not one on the other
    labels.placement = LABEL_AROUND_POINT
    labels.dist = 2.0            # mm from the centroid, so two codes side by side stay apart
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)


def _fill_symbol(colour: str) -> QgsFillSymbol:
    fill = QColor(colour)
    fill.setAlpha(FILL_ALPHA)
    rgba = f"{fill.red()},{fill.green()},{fill.blue()},{fill.alpha()}"
    symbol = QgsFillSymbol.createSimple({
        "color": rgba,
        "outline_color": colour,
        "outline_width": "0.5",
        "outline_width_unit": "MM",
    })
    # a flag about a register row or a whole sheet is drawn as the sheet frame: outline
    # only, or every such flag would tint whole sheets
    symbol.symbolLayer(0).setDataDefinedProperty(PROPERTY_FILL_COLOR, QgsProperty.fromExpression(
        f"CASE WHEN \"map_fid\" IS NULL THEN '0,0,0,0' ELSE '{rgba}' END"))
    return symbol


def _same_file_key(path: str) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(path))) if path else ""
