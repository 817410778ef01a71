"""Turns a QGIS layer into a source string the core readers can open with OGR.

The engine reads files through GDAL/OGR ("path" or "path|layername=name"). A
file-based OGR layer is passed as is; anything else (memory, PostGIS,
delimited text, a filtered or edited layer) is first copied to a temporary
GeoPackage, so the engine sees exactly what QGIS shows.
"""
import os
import re

from qgis.core import (
    QgsProcessingException,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsVectorFileWriter,
)

# Database connection strings OGR opens directly; anything else must be a file.
_OGR_DATABASE_PREFIXES = ("PG:", "MSSQL:", "OCI:")


def ogr_source_for(layer, context, feedback) -> str:
    """An OGR source string with the same features as `layer`.

    Copies go to the Processing temporary folder and are not cleaned up here:
    QGIS empties that folder when it exits. Feature ids in a copy are those of
    the copy (GeoPackage numbers them 1..n), not those of the original layer.
    """
    direct = _direct_ogr_source(layer)
    if direct is not None:
        return direct
    return _copy_to_geopackage(layer, context, feedback)


def _direct_ogr_source(layer) -> str | None:
    """`layer`'s own source when OGR would read the same features from it, else None."""
    if layer.providerType() != "ogr":
        return None
    # A filter or unsaved edits exist only inside QGIS.
    if layer.subsetString() or layer.isModified():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not isinstance(path, str) or not path:
        return None
    if not (path.upper().startswith(_OGR_DATABASE_PREFIXES) or os.path.isfile(path)):
        return None  # /vsizip/, /vsicurl/ ...: the readers want a real file
    layer_name = parts.get("layerName")
    if isinstance(layer_name, str) and layer_name:
        return f"{path}|layername={layer_name}"
    if parts.get("layerId") in (None, 0, "0", ""):
        return path  # single-layer file, or the first layer of several
    return None  # "layerid=N": cheaper to copy than to resolve the name here


def _copy_to_geopackage(layer, context, feedback) -> str:
    name = re.sub(r"[^0-9A-Za-z_]+", "_", layer.name()).strip("_") or "layer"
    path = QgsProcessingUtils.generateTempFilename(f"{name}.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    if feedback is not None:
        options.feedback = feedback  # lets the user cancel a long copy
        feedback.pushInfo(
            f"Copying layer '{layer.name()}' ({layer.providerType()}) to {path} for the checks.")
    error, message, written_path, written_layer = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, path, context.transformContext(), options)
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise QgsProcessingException(
            f"Could not copy layer '{layer.name()}' to a temporary GeoPackage: {message}")
    return f"{written_path or path}|layername={written_layer or name}"
