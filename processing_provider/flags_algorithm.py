"""What the algorithms that write a flags GeoPackage share: layer sources, loading the result."""
from qgis.core import QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException

from .layer_sources import ogr_source_for

FLAGS_LAYER = "flags"  # layer name inside the flags GeoPackage


class FlagsAlgorithm(QgsProcessingAlgorithm):

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def _source(self, parameters, name, context, feedback) -> str | None:
        """OGR source of an optional layer parameter, None when it is not set."""
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is None:
            if parameters.get(name) not in (None, ""):
                raise QgsProcessingException(self.invalidSourceError(parameters, name))
            return None
        return ogr_source_for(layer, context, feedback)

    def _load_flags_on_completion(self, out: str, context) -> None:
        """Ask the GUI to add the flags layer as "Flags" (ignored by processing.run, qgis_process)."""
        layers = context.layersToLoadOnCompletion()
        if out in layers:  # "open output file" scheduled the bare path: load the named layer instead
            del layers[out]
            context.setLayersToLoadOnCompletion(layers)
        context.addLayerToLoadOnCompletion(
            f"{out}|layername={FLAGS_LAYER}",
            QgsProcessingContext.LayerDetails(self.tr("Flags"), context.project(), self.OUTPUT))
