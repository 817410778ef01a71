"""cadastre_cleaner:reconcile_register through Processing, on a four-parcel sheet.

The map has parcels 12/1..12/4, 20 m squares, 400 m² each. The register lists
12/1..12/3 and gives 12/2 as 460 m²: so 12/4 is MAP_ONLY and 12/2 AREA_MISMATCH.
"""
import processing
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from cadastre_cleaner.processing_provider.layer_sources import ogr_source_for
from cadastre_cleaner.processing_provider.reconcile_register import parse_field_overrides

ALGORITHM = "cadastre_cleaner:reconcile_register"
CRS = "EPSG:3405"  # VN-2000 / UTM zone 48N
FLAG_FIELDS = ["code", "severity", "commune", "sheet", "parcel", "map_fid", "register_row",
               "message", "suggestion", "status", "comment"]
REGISTER_CSV = (
    "SHBANDO,SHTHUA,DIENTICH,KHLOAIDAT\n"
    "12,1,400,ONT\n"
    "12,2,460,ONT\n"
    "12,3,400,ONT\n"
)


def _parcel_fields() -> QgsFields:
    fields = QgsFields()
    fields.append(QgsField("SHBANDO", QVariant.Int))
    fields.append(QgsField("SHTHUA", QVariant.Int))
    fields.append(QgsField("DIENTICH", QVariant.Double))
    fields.append(QgsField("KHLOAIDAT", QVariant.String))
    return fields


def _parcel_features(fields: QgsFields) -> list:
    """Four 20 m squares in a row near Hà Nội, numbered 12/1..12/4."""
    features = []
    for number in range(1, 5):
        x = 585000 + 20 * (number - 1)
        feature = QgsFeature(fields)
        feature.setAttributes([12, number, 400.0, "ONT"])
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 2325000, x + 20, 2325020)))
        features.append(feature)
    return features


@pytest.fixture
def parcels_gpkg(tmp_path) -> str:
    """A GeoPackage with a `parcels` layer of the four squares; its OGR source."""
    path = str(tmp_path / "commune.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "parcels"
    fields = _parcel_fields()
    writer = QgsVectorFileWriter.create(
        path, fields, QgsWkbTypes.Type.Polygon, QgsCoordinateReferenceSystem(CRS),
        QgsProject.instance().transformContext(), options)
    assert writer.hasError() == QgsVectorFileWriter.WriterError.NoError, writer.errorMessage()
    for feature in _parcel_features(fields):
        assert writer.addFeature(feature)
    del writer  # closes the file
    return f"{path}|layername=parcels"


@pytest.fixture
def register_csv(tmp_path) -> str:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER_CSV, encoding="utf-8")
    return str(path)


@pytest.fixture
def parcels_memory_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Polygon?crs={CRS}", "parcels in memory", "memory")
    layer.dataProvider().addAttributes(_parcel_fields().toList())
    layer.updateFields()
    assert layer.dataProvider().addFeatures(_parcel_features(layer.fields()))[0]
    return layer


def _flag_codes(out: str) -> list[str]:
    flags = QgsVectorLayer(f"{out}|layername=flags", "flags", "ogr")
    assert flags.isValid(), f"no flags layer in {out}"
    assert set(FLAG_FIELDS) <= set(flags.fields().names())
    return [feature["code"] for feature in flags.getFeatures()]


# -- the algorithm end to end (needs core.pipeline.run_check) --------------------------


@pytest.mark.needs_engine
def test_missing_parcel_and_wrong_area_are_flagged(provider, parcels_gpkg, register_csv, tmp_path):
    results = processing.run(ALGORITHM, {
        "PARCELS": parcels_gpkg,
        "REGISTER_FILE": register_csv,
        "COMMUNE": "00001",
        "OUTPUT": str(tmp_path / "flags.gpkg"),
    })
    codes = _flag_codes(results["OUTPUT"])
    assert "MAP_ONLY" in codes
    assert "AREA_MISMATCH" in codes
    assert results["PARCELS"] == 4
    assert results["MATCHED"] == 3
    assert results["MAP_ONLY"] == 1
    assert results["AREA_MISMATCH"] == 1
    assert results["FLAGS"] == len(codes)


@pytest.mark.needs_engine
def test_memory_layer_parcels_are_checked_like_a_file(provider, parcels_memory_layer,
                                                      register_csv, tmp_path):
    results = processing.run(ALGORITHM, {
        "PARCELS": parcels_memory_layer,
        "REGISTER_FILE": register_csv,
        "COMMUNE": "00001",
        "OUTPUT": str(tmp_path / "flags.gpkg"),
    })
    codes = _flag_codes(results["OUTPUT"])
    assert "MAP_ONLY" in codes
    assert "AREA_MISMATCH" in codes


# -- parameters -------------------------------------------------------------------


def test_missing_register_is_refused_with_a_message_naming_it(provider, parcels_gpkg, tmp_path):
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALGORITHM, {"PARCELS": parcels_gpkg, "OUTPUT": str(tmp_path / "f.gpkg")})
    message = str(raised.value)
    assert "No register given" in message
    assert "REGISTER_FILE" in message and "REGISTER_LAYER" in message


def test_two_registers_are_refused(provider, parcels_gpkg, register_csv, tmp_path):
    register_layer = QgsVectorLayer(register_csv, "register", "ogr")
    assert register_layer.isValid()
    with pytest.raises(QgsProcessingException, match="not both"):
        processing.run(ALGORITHM, {"PARCELS": parcels_gpkg, "REGISTER_FILE": register_csv,
                                   "REGISTER_LAYER": register_layer,
                                   "OUTPUT": str(tmp_path / "f.gpkg")})


def test_bad_field_override_is_refused(provider, parcels_gpkg, register_csv, tmp_path):
    with pytest.raises(QgsProcessingException, match="side.role=FIELD"):
        processing.run(ALGORITHM, {"PARCELS": parcels_gpkg, "REGISTER_FILE": register_csv,
                                   "FIELD_OVERRIDES": "sheet SOTO",
                                   "OUTPUT": str(tmp_path / "f.gpkg")})


def test_field_overrides_are_read_as_side_role_pairs():
    assert parse_field_overrides("map.sheet=SOTO; register.area = DT;") == {
        "map.sheet": "SOTO", "register.area": "DT"}
    assert parse_field_overrides("") == {}
    with pytest.raises(ValueError, match="side must be one of"):
        parse_field_overrides("owner.name=X")


def test_help_lists_the_register_codes(provider):
    algorithm = provider.algorithm("reconcile_register")
    assert algorithm.displayName() == "Reconcile map and register"
    assert algorithm.group() == "Checks"
    assert "MAP_ONLY" in algorithm.shortHelpString()
    assert "AREA_MISMATCH" in algorithm.shortHelpString()


# -- layer sources ----------------------------------------------------------------


def test_file_layer_is_read_from_its_own_file(parcels_gpkg):
    layer = QgsVectorLayer(parcels_gpkg, "parcels", "ogr")
    assert ogr_source_for(layer, QgsProcessingContext(), QgsProcessingFeedback()) == parcels_gpkg


def test_memory_layer_is_copied_to_a_geopackage(parcels_memory_layer):
    source = ogr_source_for(parcels_memory_layer, QgsProcessingContext(), QgsProcessingFeedback())
    path, _, layer_part = source.partition("|")
    assert path.endswith(".gpkg") and layer_part.startswith("layername=")
    copy = QgsVectorLayer(source, "copy", "ogr")
    assert copy.isValid()
    assert sorted(f["SHTHUA"] for f in copy.getFeatures()) == [1, 2, 3, 4]
    assert copy.crs().authid() == CRS


def test_filtered_layer_is_copied_with_only_its_features(parcels_gpkg):
    layer = QgsVectorLayer(parcels_gpkg, "parcels", "ogr")
    layer.setSubsetString('"SHTHUA" <= 2')
    source = ogr_source_for(layer, QgsProcessingContext(), QgsProcessingFeedback())
    assert source != parcels_gpkg
    assert QgsVectorLayer(source, "copy", "ogr").featureCount() == 2


@pytest.mark.needs_engine
def test_cancelled_run_is_not_an_error_and_writes_no_flags(provider, parcels_gpkg, register_csv,
                                                          tmp_path):
    feedback = QgsProcessingFeedback()
    feedback.cancel()  # as if the user pressed Cancel at once
    out = tmp_path / "flags.gpkg"
    results = processing.run(ALGORITHM, {"PARCELS": parcels_gpkg, "REGISTER_FILE": register_csv,
                                         "OUTPUT": str(out)}, feedback=feedback)
    assert "FLAGS" not in results
    assert not out.exists()
