"""The national sheet reference table in the parcel codes dock's merger tab (ui/merger_national.py).

A generated pre-merger commune (core.sample.pre_merger) is loaded as real QGIS layers; the
table in the national layout is imported, previewed per commune and applied: each layer
changes in one undo step and ends up as the generated (post-merger) sample.
"""
import shutil

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from cadastre_cleaner.ui.codes_dock import CodesDock


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from cadastre_cleaner.core.sample.generator import SampleSpec, generate_sample
    from cadastre_cleaner.core.sample.pre_merger import make_pre_merger
    root = tmp_path_factory.mktemp("merger_dock")
    sample = generate_sample(root / "sample", SampleSpec(parcels=1000, seed=5, defect_rate=0.0))
    return sample, make_pre_merger(root / "sample", root / "before")


def _rows(layer, *names):
    return [[f[n] for n in names] for f in layer.getFeatures()]


@pytest.fixture
def layers(generated, tmp_path, qgis_new_project):
    _, before = generated
    path = tmp_path / "commune.gpkg"
    shutil.copy(before.gpkg, path)
    parcels_layer = QgsVectorLayer(f"{path}|layername=parcels", "parcels", "ogr")
    sheets_layer = QgsVectorLayer(f"{path}|layername=sheets", "sheets", "ogr")
    assert parcels_layer.isValid() and sheets_layer.isValid()
    QgsProject.instance().addMapLayers([parcels_layer, sheets_layer], False)
    return parcels_layer, sheets_layer


@pytest.fixture
def dock(qgis_iface, layers):
    widget = CodesDock(qgis_iface)
    widget.set_layer(layers[0])
    widget.merger_sheets_combo.setLayer(layers[1])
    yield widget
    widget.unload()
    widget.deleteLater()


def _cells(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_import_preview_confirm_and_apply_in_one_step_per_layer(dock, layers, generated, tmp_path):
    sample, before = generated
    parcels, sheets = layers
    asked = []
    dock._confirm = lambda text: asked.append(text) or True
    assert dock.import_reference(str(before.table))
    table = dock.merger_national
    assert table is not None and table.rows_read == len(before.plain) + 3
    assert [row[0] for row in _cells(dock.merger_findings)] == ["MERGER_ROW_REPEATED"] * 3

    plan = dock.preview_merger()
    assert not parcels.isEditable()                       # a preview writes nothing
    counts = plan.counts
    shown = _cells(dock.merger_table)
    assert len(shown) == len(counts) and shown[0][:2] == counts.iloc[0, :2].tolist()
    # per old commune: its sheets and parcels, all covered
    expected_sheets = before.sheets[before.sheets["old_commune"] != before.sheets["new_commune"]]
    moved = counts[counts["old_commune"] != counts["new_commune"]]
    assert moved.set_index("old_commune")["sheets"].to_dict() == \
        expected_sheets.groupby("old_commune").size().to_dict()
    assert counts["uncovered"].sum() == 0 and counts["renumbered_parcels"].sum() == len(table.parcels)

    changed = dock.apply_merger()
    assert len(asked) == 1 and str(changed) in asked[0]
    assert changed == counts["parcels"].sum()
    assert parcels.undoStack().count() == 1 and sheets.undoStack().count() == 1
    original = QgsVectorLayer(f"{sample.gpkg}|layername=parcels", "o", "ogr")
    assert _rows(parcels, "MAXA", "SHBANDO", "SHTHUA") == _rows(original, "MAXA", "SHBANDO", "SHTHUA")
    frames = QgsVectorLayer(f"{sample.gpkg}|layername=sheets", "o", "ogr")
    assert _rows(sheets, "MAXA", "SHBANDO") == _rows(frames, "MAXA", "SHBANDO")
    old = _rows(parcels, "MAXA_CU", "SHBANDO_CU")
    assert sum(1 for c, s in old if c) == changed
    assert dock.last_merger_csv and open(dock.last_merger_csv, encoding="utf-8-sig").read().count("\n") == \
        changed + len(expected_sheets) + 1

    before_rows = QgsVectorLayer(f"{before.gpkg}|layername=parcels", "b", "ogr")
    parcels.undoStack().undo()
    sheets.undoStack().undo()
    assert _rows(parcels, "MAXA", "SHBANDO", "SHTHUA") == _rows(before_rows, "MAXA", "SHBANDO", "SHTHUA")
    assert parcels.fields().indexOf("MAXA_CU") < 0


def test_saying_no_changes_nothing(dock, layers, generated):
    _, before = generated
    dock._confirm = lambda text: False
    assert dock.import_reference(str(before.table))
    assert dock.apply_merger() == 0
    assert not layers[0].isEditable() and layers[0].undoStack().count() == 0


def test_preview_of_a_built_reference_counts_per_commune(dock, layers, generated):
    _, before = generated
    # the pre-merger layer's own sheets give the table (kept commune keeps, the others above)
    reference = dock.build_reference()
    assert reference is not None and len(reference) == len(before.sheets.drop_duplicates(["old_commune", "old_sheet"]))
    plan = dock.preview_merger()
    moved = plan.counts[plan.counts["old_commune"] != plan.counts["new_commune"]]
    assert moved["parcels"].sum() == len(plan.parcels.applied.changes) > 0
    assert not layers[0].isEditable()


def test_a_register_file_gets_a_corrected_copy_beside_it(dock, layers, generated, tmp_path):
    import pandas as pd
    sample, before = generated
    register = tmp_path / "register.csv"
    shutil.copy(before.register_csv, register)
    source = register.read_bytes()
    dock._confirm = lambda text: True
    dock.merger_register.setFilePath(str(register))
    assert dock.import_reference(str(before.table))
    plan = dock.preview_merger()
    assert plan.register_changed == len(plan.parcels.applied.changes)
    assert dock.apply_merger() > 0
    assert register.read_bytes() == source                    # the register itself is only read
    copy = pd.read_excel(tmp_path / "register_merged.xlsx", dtype=str, keep_default_na=False)
    original = pd.read_csv(sample.register_csv, dtype=str, keep_default_na=False)
    for column in ("Mã xã", "Số tờ", "Số thửa"):
        assert copy[column].tolist() == original[column].tolist(), column
    changes = pd.read_csv(dock.last_merger_csv, dtype=str)
    assert (changes["layer"] == "register").sum() == plan.register_changed
