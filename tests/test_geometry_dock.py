"""The geometry correction dock: preview a fix, apply it as one undo step, re-check, mark fixed.

A 3 × 3 grid of 10 m squares on sheet 7 (EPSG:3405): parcel 1 pushes a vertex 2 m into
parcel 2 and parcel 8 one 2 m into parcel 7 (two OVERLAPs of 10 m²); the middle cell is
2 m short of its east neighbour (a GAP of 20 m²); the east cell of the first row is split
into a 9.8 m parcel and a 0.2 m strip (a SLIVER).
"""
import hashlib

import pytest
import shapely
from osgeo import ogr
from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

from casebuilder import write_wkt_sheet

from cadastre_cleaner.core.flags import review as review_store
from cadastre_cleaner.core.flags.flagset import FlagSet
from cadastre_cleaner.core.pipeline import CheckRequest, run_check
from cadastre_cleaner.core.topology.checks import TopologyOptions, check_topology
from cadastre_cleaner.ui.geometry_dock import GeometryDock, LayerSource, to_shapely

X, Y = 585000.0, 2325000.0


def _box(x0, y0, x1, y1):
    return f"POLYGON (({X + x0} {Y + y0}, {X + x1} {Y + y0}, {X + x1} {Y + y1}, {X + x0} {Y + y1}, {X + x0} {Y + y0}))"


def _poly(*pts):
    pts = list(pts) + [pts[0]]
    return "POLYGON ((" + ", ".join(f"{X + x} {Y + y}" for x, y in pts) + "))"


PARCELS = [
    _poly((0, 0), (10, 0), (12, 5), (10, 10), (0, 10)),                     # 1: overlaps 2
    _poly((10, 0), (20, 0), (20, 10), (18, 10), (10, 10)),                  # 2
    _box(20, 0, 29.8, 10),                                                   # 3
    _box(29.8, 0, 30, 10),                                                   # 4: sliver
    _box(0, 10, 10, 20),                                                     # 5
    _box(10, 10, 18, 20),                                                    # 6: gap to its east
    _poly((20, 10), (29.8, 10), (30, 10), (30, 20), (20, 20)),              # 7
    _box(0, 20, 10, 30),                                                     # 8
    _poly((10, 20), (18, 20), (20, 20), (20, 30), (10, 30), (8, 25)),       # 9: overlaps 8
    _box(20, 20, 30, 30),                                                    # 10
]


def _write(path):
    write_wkt_sheet(path, PARCELS, frames=[("7", _box(-100, -100, 400, 400))])


@pytest.fixture
def case(tmp_path):
    gpkg = tmp_path / "map.gpkg"
    _write(gpkg)
    out = tmp_path / "flags.gpkg"
    run_check(CheckRequest(parcels=str(gpkg), sheets=f"{gpkg}|layername=sheets", out=str(out),
                           checks=["topology"], commune="06073", user="tester"))
    return gpkg, str(out)


@pytest.fixture
def parcels_layer(case):
    layer = QgsVectorLayer(f"{case[0]}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def dock(qgis_iface, qgis_canvas, qgis_new_project, case, parcels_layer):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3405"))
    widget = GeometryDock(qgis_iface)
    widget.load(case[1], parcels_layer)
    yield widget
    widget.unload()
    widget.deleteLater()


def geoms(layer) -> dict:
    return {f.id(): to_shapely(f.geometry()) for f in layer.getFeatures()}


def digest(path) -> str:
    """What the file on disk holds: every parcel's fid and geometry (read with OGR, apart
    from QGIS; the file's bytes may change when QGIS opens it, its features may not)."""
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName("parcels")
    rows = sorted((f.GetFID(), bytes(f.GetGeometryRef().ExportToIsoWkb())) for f in layer)
    ds = None
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def go(dock, code, n=0):
    flags = dock.open_flags(code)
    assert len(flags) > n, f"no {code} flag"
    assert dock.select_flag(flags[n]["fid"])
    return flags[n]


def status(path, fid):
    frame = review_store.load_flags(path).set_index("fid")
    return frame.loc[fid, "status"]


def recheck(layer, codes):
    g = list(geoms(layer).values())
    import pandas as pd
    flags = FlagSet()
    m = pd.DataFrame({"commune": "", "sheet": "7", "parcel": [str(i) for i in range(len(g))]})
    import numpy as np
    check_topology(np.array(g, dtype=object), m, flags, codes=codes, options=TopologyOptions(workers=1))
    return flags.frame()


def test_the_case_has_the_faults(dock):
    codes = [f["code"] for f in dock.open_flags()]
    assert codes.count("OVERLAP") == 2 and "GAP" in codes and "SLIVER" in codes
    assert dock.objectName() == "CadastreCleanerGeometryDock"


def test_methods_come_from_the_catalogue(dock):
    go(dock, "OVERLAP")
    methods = [dock.method_combo.itemData(i) for i in range(dock.method_combo.count())]
    assert {"overlap_longest_edge", "overlap_chosen_a", "overlap_chosen_b"} <= set(methods)
    go(dock, "GAP")
    methods = [dock.method_combo.itemData(i) for i in range(dock.method_combo.count())]
    assert methods == ["gap_merge_longest_edge", "gap_split", "gap_new_parcel"]


def test_preview_changes_nothing(dock, parcels_layer):
    before = geoms(parcels_layer)
    go(dock, "OVERLAP")
    plan = dock.preview()
    assert plan is not None and len(plan.changed) >= 2
    assert dock.area_table.rowCount() == len(plan.area_rows())
    assert dock.rubber_bands()
    after = geoms(parcels_layer)
    assert not parcels_layer.isEditable() and parcels_layer.undoStack().count() == 0
    assert all(shapely.equals_exact(before[k], after[k], 0) for k in before)


@pytest.mark.parametrize("code, method", [("OVERLAP", "overlap_longest_edge"),
                                          ("OVERLAP", "overlap_chosen_b"),
                                          ("GAP", "gap_merge_longest_edge"),
                                          ("GAP", "gap_split"),
                                          ("GAP", "gap_new_parcel"),
                                          ("SLIVER", "merge_into_neighbour")])
def test_apply_writes_the_preview_as_one_undo_step(dock, parcels_layer, case, code, method):
    source_digest = digest(case[0])
    before = geoms(parcels_layer)
    flag = go(dock, code)
    assert dock.set_method(method)
    plan = dock.preview()
    assert plan is not None
    assert dock.apply()
    stack = parcels_layer.undoStack()
    assert stack.count() == 1
    after = geoms(parcels_layer)
    for k, g in plan.changed.items():
        assert shapely.equals_exact(after[k], g, 0)
    for k in set(before) - set(plan.changed) - set(plan.removed):
        assert shapely.equals_exact(after[k], before[k], 0)
    assert set(plan.removed) <= set(before) and not set(plan.removed) & set(after)
    assert len(after) == len(before) - len(plan.removed) + len(plan.added)
    # fixed in the flags file, and the fault is gone
    assert status(case[1], flag["fid"]) == "fixed"
    found = recheck(parcels_layer, [code])
    assert len(found[found["code"] == code]) == (1 if code == "OVERLAP" else 0)   # the other overlap stays
    assert digest(case[0]) == source_digest          # nothing on disk until commit
    # undo restores exactly
    stack.undo()
    restored = geoms(parcels_layer)
    assert set(restored) == set(before)
    assert all(shapely.equals_exact(restored[k], before[k], 0) for k in before)
    assert status(case[1], flag["fid"]) == "open"        # undo reopens the flag
    stack.redo()
    assert status(case[1], flag["fid"]) == "fixed"


def test_apply_all_overlaps_is_one_undo_step(dock, parcels_layer, case):
    flags = dock.open_flags("OVERLAP")
    assert len(flags) == 2
    go(dock, "OVERLAP")
    source_digest = digest(case[0])
    assert dock.apply_all_of_kind()
    assert parcels_layer.undoStack().count() == 1
    assert all(status(case[1], f["fid"]) == "fixed" for f in flags)
    found = recheck(parcels_layer, ["OVERLAP", "GAP"])
    assert not len(found[found["code"] == "OVERLAP"])
    assert digest(case[0]) == source_digest
    parcels_layer.undoStack().undo()
    assert len(recheck(parcels_layer, ["OVERLAP"])) == 2


def test_commit_writes_the_source(dock, parcels_layer, case):
    go(dock, "GAP")
    assert dock.apply()
    source_digest = digest(case[0])
    assert parcels_layer.commitChanges()
    assert digest(case[0]) != source_digest
    again = QgsVectorLayer(f"{case[0]}|layername=parcels", "again", "ogr")
    found = recheck(again, ["GAP"])
    assert not len(found)


def test_snap_selection_is_previewable_and_one_undo_step(dock, parcels_layer):
    # pull parcel 5's east edge 5 cm away: a thin gap that snapping closes
    src = LayerSource(parcels_layer)
    fid = next(f.id() for f in parcels_layer.getFeatures() if f["SHTHUA"] == 5)
    g = src.geoms([fid])[fid]
    moved = shapely.Polygon([(x - 0.05 if x > X + 9 else x, y) for x, y in g.exterior.coords])
    from cadastre_cleaner.ui.geometry_dock import to_qgs
    parcels_layer.startEditing()
    parcels_layer.changeGeometry(fid, to_qgs(moved, parcels_layer))
    parcels_layer.selectByIds([fid])
    before = geoms(parcels_layer)
    count = parcels_layer.undoStack().count()
    plan = dock.preview_snap(0.15)
    assert plan is not None and fid in plan.changed or plan.changed
    assert all(shapely.equals_exact(before[k], geoms(parcels_layer)[k], 0) for k in before)
    assert dock.snap_selection(0.15)
    assert parcels_layer.undoStack().count() == count + 1
    after = geoms(parcels_layer)
    for k, new in plan.changed.items():
        assert shapely.equals_exact(after[k], new, 0)
    parcels_layer.undoStack().undo()
    assert all(shapely.equals_exact(before[k], geoms(parcels_layer)[k], 0) for k in before)


def test_flags_of_the_selected_parcels_and_of_a_sheet(dock, parcels_layer):
    fid = next(f.id() for f in parcels_layer.getFeatures() if f["SHTHUA"] == 4)
    parcels_layer.selectByIds([fid])
    assert dock.set_sheet("selected")
    assert [f["code"] for f in dock.open_flags()] == ["SLIVER"]
    assert dock.set_sheet("7")
    assert len(dock.open_flags()) == len(dock.frame[dock.frame["status"] == "open"])
    assert dock.flag_table.rowCount() == len(dock.open_flags())


def test_summary_preview_of_all_overlaps_changes_nothing(dock, parcels_layer):
    go(dock, "OVERLAP")
    before = geoms(parcels_layer)
    plan = dock.preview_all_of_kind()
    assert plan is not None and len(plan.flags) == 2 and plan.area_moved() == pytest.approx(20.0, abs=0.5)
    assert "2 of 2" in dock.summary_label.text()
    assert not parcels_layer.isEditable()
    assert all(shapely.equals_exact(before[k], geoms(parcels_layer)[k], 0) for k in before)


# -- the other fix methods, each on a tiny layer with just that fault ----------------------

SINGLE_FAULTS = {
    # parcel 2 has a vertex on parcel 1's east edge that parcel 1 lacks
    "NOT_NODED": ("snap", [_box(0, 0, 10, 10),
                           _poly((10, 0), (20, 0), (20, 10), (10, 10), (10, 5)),
                           _box(0, 10, 20, 20)]),
    "SPIKE": ("remove_spike", [_poly((0, 0), (10, 0), (10, 4.99), (16, 5), (10, 5.01), (10, 10), (0, 10)),
                               _box(20, 0, 30, 10)]),
    "REPEATED_VERTEX": ("remove_repeated", [_poly((0, 0), (10, 0), (10, 0), (10, 10), (0, 10)),
                                            _box(20, 0, 30, 10)]),
    "GEOM_INVALID": ("make_valid", [_poly((0, 0), (10, 10), (10, 0), (0, 10)), _box(20, 0, 30, 10)]),
    "DUPLICATE_GEOMETRY": ("delete_duplicate", [_box(0, 0, 10, 10), _box(0, 0, 10, 10),
                                                _box(20, 0, 30, 10)]),
}


def _write_parcels(path, wkts):
    write_wkt_sheet(path, wkts, frames=[("7", _box(-100, -100, 400, 400))])


@pytest.mark.parametrize("code", list(SINGLE_FAULTS))
def test_single_fault_fix_through_the_dock(qgis_iface, qgis_canvas, qgis_new_project, tmp_path, code):
    method, wkts = SINGLE_FAULTS[code]
    gpkg = tmp_path / "fault.gpkg"
    _write_parcels(gpkg, wkts)
    out = tmp_path / "flags.gpkg"
    run_check(CheckRequest(parcels=str(gpkg), sheets=f"{gpkg}|layername=sheets", out=str(out),
                           checks=["topology"], commune="06073", user="tester"))
    layer = QgsVectorLayer(f"{gpkg}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3405"))
    dock = GeometryDock(qgis_iface)
    try:
        dock.load(str(out), layer)
        source_digest = digest(gpkg)
        before = geoms(layer)
        flag = go(dock, code)
        assert dock.set_method(method)
        plan = dock.preview()
        assert plan is not None and (plan.changed or plan.removed)
        assert not layer.isEditable() and layer.undoStack().count() == 0
        assert all(shapely.equals_exact(before[k], geoms(layer)[k], 0) for k in before)
        assert dock.apply()
        stack = layer.undoStack()
        assert stack.count() == 1
        after = geoms(layer)
        # exactly the previewed parcels change
        assert set(after) == set(before) - set(plan.removed)
        for k, g in plan.changed.items():
            assert shapely.equals_exact(after[k], g, 0)
        for k in set(before) - set(plan.changed) - set(plan.removed):
            assert shapely.equals_exact(after[k], before[k], 0)
        assert not plan.added
        # the flag is fixed and the fault is gone
        assert status(str(out), flag["fid"]) == "fixed"
        found = recheck(layer, [code])
        assert not len(found[found["code"] == code])
        assert digest(gpkg) == source_digest
        # undo restores exactly and reopens the flag
        stack.undo()
        restored = geoms(layer)
        assert set(restored) == set(before)
        assert all(shapely.equals_exact(restored[k], before[k], 0) for k in before)
        assert status(str(out), flag["fid"]) == "open"
    finally:
        dock.unload()
        dock.deleteLater()
