"""Topology checks on tiny hand-made parcels, one behaviour per test, awkward cases included."""
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import Polygon, box

from cadastre_cleaner.core.flags.flagset import FlagSet
from cadastre_cleaner.core.topology.checks import TopologyOptions, check_topology


def run(geoms, sheets=None, frames=None, codes=None, scale=1000.0, sheet_of=None, **opt):
    g = np.array(geoms, dtype=object)
    n = len(g)
    m = pd.DataFrame({"commune": "00001", "sheet": sheet_of if sheet_of is not None else ["1"] * n,
                      "parcel": [str(i + 1) for i in range(n)], "scale": scale})
    flags = FlagSet()
    res = check_topology(g, m, flags, codes=codes, sheets=sheets, sheet_geom=frames,
                         options=TopologyOptions(workers=1, **opt))
    return flags.frame(), res


def codes_of(frame):
    return sorted(frame["code"])


def grid(nx=3, ny=3, size=10.0):
    return [box(x * size, y * size, (x + 1) * size, (y + 1) * size) for y in range(ny) for x in range(nx)]


def test_clean_grid_has_no_flags():
    f, res = run(grid())
    assert len(f) == 0
    assert res.stats["suspects"] == 0 and res.stats["gaps"] == 0


def test_touching_at_a_point_is_not_an_overlap():
    f, _ = run([box(0, 0, 10, 10), box(10, 10, 20, 20)])
    assert len(f) == 0


def test_overlap_is_flagged_with_its_polygon_and_owner():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (8, 5)])   # b's vertex pushed 2 m into a
    f, res = run([a, b])
    assert codes_of(f) == ["OVERLAP"]
    row = f.iloc[0]
    assert row["geometry"].area == pytest.approx(10.0)
    assert row["parcel"] == "1" and "1/2" in row["message"]
    # a's remainder borders the overlap along b's two pushed edges: a keeps it
    assert "give the shared area to 1/1" in row["suggestion"]
    assert res.stats["overlap_pairs"] == 1 and res.stats["overlap_area"] == pytest.approx(10.0)


def test_vertex_near_a_neighbour_where_boundaries_part_is_not_a_fault():
    # b's corner comes within 5 cm of a's edge but the two share no sliver of area
    a = box(0, 0, 10, 10)
    b = Polygon([(10.05, 5), (20, 0), (20, 10)])
    f, _ = run([a, b])
    assert len(f) == 0


def test_overlap_thinner_than_tolerance_is_a_noding_warning():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (9.95, 5)])   # 5 cm in, tolerance 15 cm
    f, res = run([a, b])
    assert codes_of(f) == ["NOT_NODED"]
    assert f.iloc[0]["severity"] == "warning"
    assert res.stats.get("overlap_pairs", 0) == 0


def test_same_overlap_is_an_error_at_a_finer_tolerance():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (9.95, 5)])
    f, _ = run([a, b], tolerance_m=0.01)
    assert "OVERLAP" in codes_of(f)


def test_courtyard_parcel_filling_a_hole_is_neither_gap_nor_overlap():
    outer = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    courtyard = box(10, 10, 20, 20)
    f, _ = run([outer, courtyard])
    assert len(f) == 0


def test_hole_nobody_fills_is_a_gap():
    outer = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    f, res = run([outer])
    assert codes_of(f) == ["GAP"]
    assert f.iloc[0]["geometry"].area == pytest.approx(100.0)
    assert res.stats["gaps"] == 1


def test_missing_parcel_in_a_grid_is_a_gap_merged_into_longest_edge():
    cells = grid()
    del cells[4]                       # the middle one
    f, res = run(cells)
    assert codes_of(f) == ["GAP"]
    gap = f.iloc[0]
    assert gap["geometry"].area == pytest.approx(100.0)
    assert gap["suggested_value"] == "gap_merge_longest_edge"
    assert res.gaps["flagged"].sum() == 1


def test_island_inside_a_gap_is_not_part_of_the_gap():
    outer = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    island = box(12, 12, 18, 18)
    f, _ = run([outer, island])
    assert codes_of(f) == ["GAP"]
    assert f.iloc[0]["geometry"].area == pytest.approx(100.0 - 36.0)


def test_notch_open_to_the_outside_is_not_a_gap():
    # a U of parcels: the bay between its arms is outside the coverage, not a hole
    cells = grid()
    del cells[7]                       # top middle: open to the north
    del cells[4]
    f, _ = run(cells)
    assert len(f) == 0


def test_bow_tie_is_invalid_with_location_and_made_valid_without_losing_area():
    bow = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    f, res = run([bow])
    assert codes_of(f) == ["GEOM_INVALID"]
    assert "Self-intersection at (5.00, 5.00)" in f.iloc[0]["message"]
    assert f.iloc[0]["geometry"].contains(shapely.Point(5, 5))
    assert res.work[0].is_valid and res.work[0].area == pytest.approx(50.0)


def test_non_polygon_feature_is_invalid():
    f, _ = run([shapely.LineString([(0, 0), (1, 1)]), box(5, 5, 10, 10)])
    assert codes_of(f) == ["GEOM_INVALID"]
    assert "not a polygon" in f.iloc[0]["message"]


def test_null_and_empty_geometries():
    f, _ = run([None, Polygon(), box(0, 0, 10, 10)])
    assert codes_of(f) == ["GEOM_EMPTY", "GEOM_EMPTY"]
    assert set(f["parcel"]) == {"1", "2"}


def test_multipart_parcel():
    two = shapely.MultiPolygon([box(0, 0, 10, 10), box(20, 0, 25, 10)])
    f, _ = run([two])
    assert codes_of(f) == ["MULTIPART"]
    assert "2 separate pieces (smallest 50.0 m²)" in f.iloc[0]["message"]


@pytest.mark.parametrize("shift", [0.0, 0.05])
def test_duplicate_geometry_not_reported_as_overlap(shift):
    f, _ = run([box(0, 0, 10, 10), box(shift, 0, 10 + shift, 10), box(10 + shift, 0, 20, 10)])
    assert codes_of(f) == ["DUPLICATE_GEOMETRY"]
    assert ("the same" if shift == 0 else "nearly the same") in f.iloc[0]["message"]


def test_sliver_by_width_and_by_area():
    thin = box(0, 0, 20, 0.2)          # 0.2 m wide at 1:1000: limit 0.3 m
    tiny = box(30, 0, 31, 1)           # 1 m²: limit (10 × 0.15)² = 2.25 m²
    ok = box(40, 0, 50, 10)
    f, _ = run([thin, tiny, ok])
    assert codes_of(f) == ["SLIVER", "SLIVER"]
    assert set(f["parcel"]) == {"1", "2"}


def test_sliver_limit_follows_scale():
    f, _ = run([box(0, 0, 20, 0.5)], scale=2000.0)   # limit 0.6 m at 1:2000
    assert codes_of(f) == ["SLIVER"]
    f, _ = run([box(0, 0, 20, 0.5)], scale=500.0)    # limit 0.14 m at 1:500
    assert len(f) == 0


def test_spike_and_repeated_vertex():
    spike = Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (5.02, 30), (5.04, 10), (0, 10)])
    repeated = Polygon([(20, 0), (30, 0), (30, 0), (30, 10), (20, 10)])
    f, _ = run([spike, repeated], codes=["SPIKE", "REPEATED_VERTEX"])
    assert codes_of(f) == ["REPEATED_VERTEX", "SPIKE"]
    sp = f[f["code"] == "SPIKE"].iloc[0]
    assert sp["parcel"] == "1" and "(5.02, 30.00)" in sp["message"]
    assert f[f["code"] == "REPEATED_VERTEX"].iloc[0]["parcel"] == "2"


def test_vertex_exactly_on_neighbour_edge_is_info_per_pair_within_a_sheet():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (10, 5)])   # (10, 5) on a's edge
    f, _ = run([a, b])
    assert codes_of(f) == ["NOT_NODED"]
    assert f.iloc[0]["severity"] == "info"


def test_unnoded_sheet_seam_gives_one_info_flag_per_sheet_pair():
    # two sheets joined: west parcels split at y = 5, east ones at y = 3 and 7
    west = [box(0, 0, 10, 5), box(0, 5, 10, 10)]
    east = [box(10, 0, 20, 3), box(10, 3, 20, 7), box(10, 7, 20, 10)]
    f, _ = run(west + east, sheet_of=["1", "1", "2", "2", "2"])
    assert codes_of(f) == ["NOT_NODED"]
    row = f.iloc[0]
    assert row["severity"] == "info" and row["map_idx"] == -1
    assert "Sheets 1 and 2" in row["message"] and "3 vertex" in row["message"]


def test_micro_gap_from_a_vertex_pulled_back_is_a_warning_not_a_gap():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (10.05, 5)])   # 5 cm away from a
    # rows above and below (noded at x = 10) close the sliver between a and b into a hole
    below = Polygon([(0, -10), (20, -10), (20, 0), (10, 0), (0, 0)])
    above = Polygon([(0, 10), (10, 10), (20, 10), (20, 20), (0, 20)])
    f, res = run([a, b, below, above])
    assert codes_of(f) == ["NOT_NODED"]
    assert f.iloc[0]["severity"] == "warning"
    assert res.stats.get("gaps", 0) == 0


def test_outside_and_crossing_sheet_frames():
    frames = np.array([box(0, 0, 100, 100), box(100, 0, 200, 100)], dtype=object)
    sheets = pd.DataFrame({"commune": "00001", "sheet": ["1", "2"], "scale": 1000.0})
    inside = box(10, 10, 20, 20)
    across = box(90, 10, 130, 20)      # 10 m² on sheet 1, 30 m² on sheet 2
    outside = box(300, 300, 310, 310)
    f, _ = run([inside, across, outside], sheets=sheets, frames=frames, codes=["OUTSIDE_SHEET", "CROSSES_SHEET"])
    assert codes_of(f) == ["CROSSES_SHEET", "OUTSIDE_SHEET"]
    cross = f[f["code"] == "CROSSES_SHEET"].iloc[0]
    assert cross["parcel"] == "2" and cross["suggested_sheet"] == "2"
    assert f[f["code"] == "OUTSIDE_SHEET"].iloc[0]["parcel"] == "3"


def test_only_the_chosen_checks_run():
    cells = grid()
    del cells[4]
    cells.append(Polygon([(0, 0), (10, 10), (10, 0), (0, 10)]))
    f, _ = run(cells, codes=["GEOM_INVALID"])
    assert codes_of(f) == ["GEOM_INVALID"]


def test_idents_are_stable_when_the_layer_order_changes():
    a = box(0, 0, 10, 10)
    b = Polygon([(10, 0), (20, 0), (20, 10), (10, 10), (8, 5)])
    f1, _ = run([a, b])
    g = np.array([b, a], dtype=object)
    m = pd.DataFrame({"commune": "00001", "sheet": "1", "parcel": ["2", "1"], "scale": 1000.0})
    flags = FlagSet()
    check_topology(g, m, flags, options=TopologyOptions(workers=1))
    assert list(f1["ident"]) == list(flags.frame()["ident"])


def test_threads_give_the_same_flags_as_one_worker():
    rng = np.random.default_rng(3)
    cells = grid(60, 60)
    for k in rng.choice(len(cells), 40, replace=False):
        x0, y0, x1, y1 = cells[k].bounds
        cells[k] = box(x0 - 1.0, y0, x1, y1)          # overlaps its west neighbour
    g = np.array(cells, dtype=object)
    m = pd.DataFrame({"commune": "00001", "sheet": "1", "parcel": [str(i) for i in range(len(g))], "scale": 1000.0})
    out = []
    for workers in (1, 2):
        flags = FlagSet()
        opts = TopologyOptions(workers=workers)
        from cadastre_cleaner.core.topology import checks as topology
        old = topology._Pool.map.__defaults__
        topology._Pool.map.__defaults__ = (10,)      # split even this small layer
        try:
            check_topology(g, m, flags, options=opts)
        finally:
            topology._Pool.map.__defaults__ = old
        out.append(flags.frame().sort_values("ident")[["ident", "code"]].reset_index(drop=True))
    pd.testing.assert_frame_equal(out[0], out[1])
    assert (out[0]["code"] == "OVERLAP").sum() >= 40
