"""Geometry fixes on tiny hand-made parcels (unit squares, L-shapes, a 3×3 grid).

Every test checks geometry facts — areas to 1e-6, validity, coverage edges, exact
vertex sets — not just that the fix ran. Tolerances follow DOMAIN.md: 0.15 m is the
positional accuracy at 1:1000.
"""
import time

import numpy as np
import pytest
import shapely
from shapely import Polygon, box

from cadastre_cleaner.core.fixes import geometry as gf

TOL_1000 = 0.15


def arr(*geoms):
    return np.array(geoms, dtype=object)


def vertices(g):
    """The set of distinct vertices of a geometry."""
    return {tuple(c) for c in shapely.get_coordinates(g)}


def noded(*geoms):
    """A valid coverage: no overlaps, boundaries shared vertex for vertex."""
    return bool(shapely.is_empty(shapely.coverage_invalid_edges(arr(*geoms))).all())


def grid_3x3_without_middle():
    cells = {(i, j): box(i, j, i + 1, j + 1) for i in range(3) for j in range(3) if (i, j) != (1, 1)}
    keys = list(cells)
    return keys, arr(*cells.values())


# -- make_valid -------------------------------------------------------------------------


def test_make_valid_splits_a_bow_tie_into_two_triangles():
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    out, report = gf.make_valid(arr(bow_tie))
    fixed = out[0]
    assert fixed.geom_type == "MultiPolygon" and fixed.is_valid
    assert len(fixed.geoms) == 2
    assert sorted(sorted(vertices(p)) for p in fixed.geoms) == [
        [(0, 0), (0, 2), (1, 1)], [(1, 1), (2, 0), (2, 2)]]
    assert fixed.area == pytest.approx(2.0, abs=1e-6)      # no area lost
    row = report.iloc[0]
    assert row["reason"].startswith("Self-intersection")
    assert row["action"] == "split" and row["parts_after"] == 2
    assert row["area_before"] == pytest.approx(0.0, abs=1e-9)   # shapely's signed sum for a bow-tie
    assert row["area_after"] == pytest.approx(2.0, abs=1e-6)


def test_make_valid_turns_a_self_touching_ring_into_a_polygon_with_a_hole():
    # The shell runs into itself at (2, 4): an inverted hole.
    ring = Polygon([(0, 0), (4, 0), (4, 4), (2, 4), (3, 2), (1, 2), (2, 4), (0, 4)])
    assert not ring.is_valid
    out, report = gf.make_valid(arr(ring))
    fixed = out[0]
    assert fixed.geom_type == "Polygon" and fixed.is_valid
    assert len(fixed.interiors) == 1
    assert vertices(fixed.interiors[0]) == {(2, 4), (3, 2), (1, 2)}
    assert fixed.area == pytest.approx(16 - 2, abs=1e-6)
    assert report.iloc[0]["action"] == "repaired"


def test_make_valid_drops_a_zero_width_spike_and_keeps_the_area():
    spiked = Polygon([(0, 0), (1, 0), (1, 1), (1, 2), (1, 1), (0, 1)])
    out, _ = gf.make_valid(arr(spiked))
    assert out[0].is_valid
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 1), (0, 1)}
    assert out[0].area == pytest.approx(1.0, abs=1e-6)


def test_make_valid_leaves_valid_parcels_and_courtyards_alone():
    outer = Polygon(box(0, 0, 3, 3).exterior.coords, [box(1, 1, 2, 2).exterior.coords])
    court = box(1, 1, 2, 2)
    collapsed = Polygon([(0, 0), (1, 0), (2, 0)])
    out, report = gf.make_valid(arr(outer, court, None, collapsed))
    assert out[0] is outer and out[1] is court         # untouched, the hole stays a hole
    assert out[0].area == pytest.approx(8.0, abs=1e-6)
    assert out[2] is None
    assert out[3].is_empty and out[3].geom_type == "Polygon"
    assert list(report["action"]) == ["unchanged", "unchanged", "missing", "dropped"]
    assert list(report["index"]) == [0, 1, 2, 3]


# -- vertex clean-up ------------------------------------------------------------------------


def test_remove_repeated_vertices_merges_points_closer_than_tolerance():
    near_twin = Polygon([(0, 0), (1, 0), (1.0005, 0), (1, 1), (0, 1)])
    far_twin = Polygon([(0, 0), (1, 0), (1.002, 0), (1, 1), (0, 1)])
    out, removed = gf.remove_repeated_vertices(arr(near_twin, far_twin), tolerance=0.001)
    assert list(removed) == [1, 0]
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 1), (0, 1)}
    assert out[1] is far_twin
    assert out[0].is_valid


def test_remove_repeated_vertices_keeps_a_shared_boundary_shared():
    # Both parcels hold the twin pair, walking it in opposite directions: both must
    # keep the same one of the two (the lowest by x, y), or the boundary splits.
    a = Polygon([(0, 0), (1, 0), (1, 0.5), (1, 0.5004), (1, 1), (0, 1)])
    b = Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1, 0.5004), (1, 0.5)])
    assert noded(a, b)
    out, removed = gf.remove_repeated_vertices(arr(a, b))
    assert list(removed) == [1, 1]
    assert (1, 0.5) in vertices(out[0]) and (1, 0.5) in vertices(out[1])
    assert (1, 0.5004) not in vertices(out[0]) | vertices(out[1])
    assert noded(*out)
    assert out[0].area + out[1].area == pytest.approx(2.0, abs=1e-6)


def test_remove_spikes_removes_a_narrow_spike_tip():
    # A 0.01 m wide, 1 m long spike out of the right edge: 0.57° at its tip.
    spiked = Polygon([(0, 0), (1, 0), (1, 0.5), (2, 0.505), (1, 0.51), (1, 1), (0, 1)])
    out, removed = gf.remove_spikes(arr(spiked))
    assert list(removed) == [1]
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 0.5), (1, 0.51), (1, 1), (0, 1)}
    assert out[0].is_valid
    assert out[0].area == pytest.approx(1.0, abs=1e-6)
    assert spiked.area - out[0].area == pytest.approx(0.005, abs=1e-6)


def test_remove_spikes_repeats_until_a_zero_width_spike_is_gone():
    spiked = Polygon([(0, 0), (1, 0), (1, 0.5), (2, 0.5), (3, 0.5), (2, 0.5), (1, 0.5), (1, 1), (0, 1)])
    out, removed = gf.remove_spikes(arr(spiked))
    assert list(removed) == [4]
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 0.5), (1, 1), (0, 1)}
    assert out[0].is_valid and out[0].area == pytest.approx(1.0, abs=1e-6)


def test_remove_spikes_keeps_sharp_corners_cracks_and_shared_tips():
    sharp = Polygon([(0, 0), (10, 0), (0, 0.9)])                 # 5.1° corner: not a spike
    crack = Polygon([(0, 0), (1, 0), (1, 0.5), (0.2, 0.503), (1, 0.506), (1, 1), (0, 1)])  # points inward
    # A spike whose tip is the neighbour's vertex: the neighbour is shaped around it.
    spiked = Polygon([(0, 0), (1, 0), (1, 0.5), (2, 0.505), (1, 0.51), (1, 1), (0, 1)])
    neighbour = Polygon([(1, 0), (3, 0), (3, 1), (1, 1), (1, 0.51), (2, 0.505), (1, 0.5)])
    assert noded(spiked, neighbour)
    out, removed = gf.remove_spikes(arr(sharp, crack, spiked, neighbour))
    assert list(removed) == [0, 0, 0, 0]
    assert all(o is g for o, g in zip(out, (sharp, crack, spiked, neighbour)))
    # Without the protection the tip goes.
    _, removed = gf.remove_spikes(arr(spiked, neighbour), keep_shared=False)
    assert removed[0] == 1


# -- overlaps ----------------------------------------------------------------------------


def test_give_overlap_smaller_than_tolerance():
    a, b = box(0, 0, 1, 1), box(0.95, 0, 2, 1)     # a 5 cm strip overlaps
    a2, b2 = gf.give_overlap(a, b, "a")
    assert vertices(a2) == vertices(a)
    assert vertices(b2) == {(1, 0), (2, 0), (2, 1), (1, 1)}
    assert a2.area == pytest.approx(1.0, abs=1e-6) and b2.area == pytest.approx(1.0, abs=1e-6)
    assert noded(a2, b2)
    a2, b2 = gf.give_overlap(a, b, "b")
    assert vertices(a2) == {(0, 0), (0.95, 0), (0.95, 1), (0, 1)}
    assert vertices(b2) == vertices(b)
    assert a2.area == pytest.approx(0.95, abs=1e-6) and b2.area == pytest.approx(1.05, abs=1e-6)
    assert noded(a2, b2)


def test_give_overlap_between_different_vertex_densities_is_noded():
    a = shapely.segmentize(box(0, 0, 2, 2), 0.25)      # a vertex every 25 cm
    b = box(1.5, 0.6, 3, 1.4)                          # four corners only
    a2, b2 = gf.give_overlap(a, b, "a")
    # b's new left edge is a's edge, vertex for vertex; a gets the two crossing points.
    assert vertices(b2) == {(2, 0.6), (3, 0.6), (3, 1.4), (2, 1.4), (2, 0.75), (2, 1.0), (2, 1.25)}
    assert vertices(a2) == vertices(a) | {(2, 0.6), (2, 1.4)}
    assert a2.area == pytest.approx(4.0, abs=1e-6) and b2.area == pytest.approx(0.8, abs=1e-6)
    assert a2.is_valid and b2.is_valid and noded(a2, b2)

    a2, b2 = gf.give_overlap(a, b, "b")
    assert vertices(b2) == vertices(b) | {(2, 0.6), (2, 1.4)}
    assert {(1.5, 0.6), (1.5, 1.4), (2, 0.6), (2, 1.4)} <= vertices(a2)
    assert a2.area == pytest.approx(3.6, abs=1e-6) and b2.area == pytest.approx(1.2, abs=1e-6)
    assert a2.is_valid and b2.is_valid and noded(a2, b2)


def test_give_overlap_on_squares_touching_at_a_point_changes_nothing():
    a, b = box(0, 0, 1, 1), box(1, 1, 2, 2)
    a2, b2 = gf.give_overlap(a, b, "a")
    assert vertices(a2) == vertices(a) and vertices(b2) == vertices(b)
    assert a2.area == pytest.approx(1.0, abs=1e-6) and b2.area == pytest.approx(1.0, abs=1e-6)


def test_give_overlap_swallowed_parcel_comes_back_empty():
    a2, b2 = gf.give_overlap(box(0, 0, 3, 3), box(1, 1, 2, 2), "a")
    assert a2.area == pytest.approx(9.0, abs=1e-6)
    assert b2.is_empty and b2.geom_type == "Polygon"
    with pytest.raises(ValueError):
        gf.give_overlap(box(0, 0, 1, 1), box(0.5, 0, 2, 1), "c")


def test_node_neighbours_puts_new_vertices_into_a_third_parcel():
    a, c = box(0, 0, 2, 2), box(2, 0, 3, 2)            # a and c share x = 2
    b = box(1.5, 0.5, 2.5, 1.5)                        # overlaps both
    a2, b2 = gf.give_overlap(a, b, "a")
    assert {(2, 0.5), (2, 1.5)} <= vertices(a2)        # crossing points, now in a...
    assert not noded(a2, c)                            # ...but not yet in c
    fixed, changed = gf.node_neighbours([a2, b2], arr(c))
    assert list(changed) == [0]
    assert vertices(changed[0]) == vertices(c) | {(2, 0.5), (2, 1.5)}
    assert changed[0].area == pytest.approx(2.0, abs=1e-6)
    assert noded(fixed[0], changed[0])


def test_choose_overlap_owner():
    a, b = box(0, 0, 2, 2), box(1.9, 0.5, 3, 1.5)
    overlap = shapely.intersection(a, b)               # 0.1 × 1 strip inside a
    # b's boundary runs round three sides of the strip (1.2 m), a's along one (1 m).
    assert gf.choose_overlap_owner(a, b, overlap, "longest_edge") == "b"
    assert gf.choose_overlap_owner(b, a, overlap, "longest_edge") == "a"
    # Map areas 4 and 1.1, overlap 0.1.
    assert gf.choose_overlap_owner(a, b, overlap, "register_area", 3.9, 1.1) == "b"
    assert gf.choose_overlap_owner(a, b, overlap, "register_area", 4.0, 1.0) == "a"
    assert gf.choose_overlap_owner(a, b, overlap, "register_area", register_area_b=1.0) == "a"
    assert gf.choose_overlap_owner(a, b, None, "chosen", chosen="a") == "a"
    with pytest.raises(ValueError):
        gf.choose_overlap_owner(a, b, overlap, "chosen")
    with pytest.raises(ValueError):
        gf.choose_overlap_owner(a, b, overlap, "register_area")
    with pytest.raises(ValueError):
        gf.choose_overlap_owner(a, b, overlap, "coin_toss")


# -- gaps ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", gf.GAP_METHODS)
def test_fill_gap_in_a_3x3_grid_without_its_middle(method):
    keys, parcels = grid_3x3_without_middle()
    gap = box(1, 1, 2, 2)
    report = gf.fill_gap(gap, parcels, method)
    result = [report.changed.get(i, g) for i, g in enumerate(parcels)] + report.added
    assert all(g.is_valid and g.geom_type == "Polygon" for g in result)
    assert shapely.coverage_is_valid(arr(*result))
    union = shapely.union_all(result)
    assert union.area == pytest.approx(9.0, abs=1e-6) and len(union.interiors) == 0
    assert sum(g.area for g in result) == pytest.approx(9.0, abs=1e-6)
    # The corner parcels touch the gap at a point only: they take nothing.
    corners = [keys.index(k) for k in ((0, 0), (0, 2), (2, 0), (2, 2))]
    assert not set(corners) & set(report.changed)
    edge = [keys.index(k) for k in ((0, 1), (1, 0), (1, 2), (2, 1))]
    if method == "merge_longest_edge":
        assert len(report.changed) == 1
        (winner, geom), = report.changed.items()
        assert winner in edge and geom.area == pytest.approx(2.0, abs=1e-6)
        assert report.log[0]["action"] == "took_gap"
    elif method == "split":
        assert sorted(report.changed) == sorted(edge)
        for i in edge:   # each side takes the triangle up to the gap's centre
            assert report.changed[i].area == pytest.approx(1.25, abs=1e-6)
            assert (1.5, 1.5) in vertices(report.changed[i])
        assert {entry["action"] for entry in report.log} == {"took_gap_part"}
    else:
        assert report.changed == {}
        assert len(report.added) == 1 and vertices(report.added[0]) == vertices(gap)
        assert report.log == [{"index": -1, "action": "new_parcel", "area_before": 0.0,
                               "area_after": pytest.approx(1.0), "note": report.log[0]["note"]}]


def test_fill_gap_gives_no_area_through_a_point_contact():
    # An L-shaped gap between an L-shaped parcel below and left, and a square that
    # touches the gap only at its corner (2, 2).
    gap = Polygon([(1, 1), (2, 1), (2, 2), (1.5, 2), (1.5, 1.5), (1, 1.5)])
    ell = Polygon([(0, 0), (3, 0), (3, 1), (2, 1), (1, 1), (1, 1.5), (1, 3), (0, 3)])
    top = Polygon([(1, 1.5), (1.5, 1.5), (1.5, 2), (2, 2), (2, 3), (1, 3)])
    corner = box(2, 2, 3, 3)
    right = Polygon([(2, 1), (3, 1), (3, 2), (2, 2)])
    for method in ("merge_longest_edge", "split"):
        report = gf.fill_gap(gap, arr(ell, top, corner, right), method)
        assert 2 not in report.changed
        result = [report.changed.get(i, g) for i, g in enumerate((ell, top, corner, right))]
        assert shapely.coverage_is_valid(arr(*result))
        assert sum(g.area for g in result) == pytest.approx(9.0, abs=1e-6)
    with pytest.raises(ValueError, match="no neighbour shares"):
        gf.fill_gap(gap, arr(corner), "split")


def test_a_courtyard_is_not_a_gap():
    outer = Polygon(box(0, 0, 3, 3).exterior.coords, [box(1, 1, 2, 2).exterior.coords])
    court = box(1, 1, 2, 2)
    assert noded(outer, court)
    assert len(shapely.union_all([outer, court]).interiors) == 0
    hole = Polygon(outer.interiors[0])
    for method in gf.GAP_METHODS:
        with pytest.raises(ValueError, match="not a gap"):
            gf.fill_gap(hole, arr(outer, court), method)
    out, report = gf.snap_to_neighbours(arr(outer, court), TOL_1000)
    assert out[0] is outer and out[1] is court
    assert list(report["status"]) == ["unchanged", "unchanged"]


# -- snapping ------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.95, 1.05])   # a sliver gap, a sliver overlap
def test_snap_a_vertex_5cm_off_its_neighbours_edge(x):
    a = Polygon([(0, 0), (1, 0), (x, 0.5), (1, 1), (0, 1)])
    b = box(1, 0, 2, 1)
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert noded(*out)
    assert shapely.coverage_is_valid(out, gap_width=TOL_1000)
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 0.5), (1, 1), (0, 1)}
    assert vertices(out[1]) == vertices(b) | {(1, 0.5)}
    assert abs(out[0].area - a.area) < 0.1 and out[0].area == pytest.approx(1.0, abs=1e-6)
    assert out[1].area == pytest.approx(1.0, abs=1e-6)
    assert list(report["vertices_moved"]) == [1, 0]
    assert list(report["vertices_inserted"]) == [0, 1]
    assert report.loc[0, "max_move"] == pytest.approx(0.05, abs=1e-9)
    assert list(report["status"]) == ["snapped", "noded"]


@pytest.mark.parametrize("x", [0.5, 1.5])
def test_snap_leaves_a_vertex_50cm_off(x):
    a = Polygon([(0, 0), (1, 0), (x, 0.5), (1, 1), (0, 1)])
    b = box(1, 0, 2, 1)
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert out[0] is a and out[1] is b
    assert report["vertices_moved"].sum() == 0 and report["vertices_inserted"].sum() == 0
    assert report["max_move"].max() == 0


def test_snap_closes_an_overlap_smaller_than_tolerance():
    a, b = box(0, 0, 1, 1), box(0.95, 0, 2, 1)
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert noded(*out)
    assert out[0].area + out[1].area == pytest.approx(2.0, abs=1e-6)    # the union's area
    assert abs(out[0].area - 1.0) <= 0.05 + 1e-9 and abs(out[1].area - 1.05) <= 0.05 + 1e-9
    assert report["max_move"].max() == pytest.approx(0.05, abs=1e-9)


def test_snap_inserts_a_vertex_lying_on_a_neighbours_edge():
    a = box(0, 0, 1, 1)
    b = Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1, 0.5)])   # (1, 0.5) is on a's edge
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert vertices(out[0]) == vertices(a) | {(1, 0.5)}
    assert out[1] is b
    assert noded(*out)
    assert list(report["status"]) == ["noded", "unchanged"]


def test_snap_does_not_close_a_notch_open_to_the_outside():
    # A 10 cm notch between a and b, open at the top of the coverage.
    a = Polygon([(0, 0), (1, 0), (1, 0.5), (1, 1), (0, 1)])
    b = Polygon([(1, 0), (2, 0), (2, 1), (1.1, 1), (1.1, 0.5), (1, 0.5)])
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert out[0] is a and out[1] is b
    assert list(report["status"]) == ["unchanged", "unchanged"]
    # Same notch, but a lacks the vertex b has on its edge: the fault is fixed, the
    # notch stays.
    a = box(0, 0, 1, 1)
    out, _ = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert noded(*out)
    assert vertices(out[0]) == vertices(a) | {(1, 0.5)}
    assert vertices(out[1]) == vertices(b)
    assert shapely.union_all(out).area == pytest.approx(1.95, abs=1e-6)


def test_snap_closes_a_narrow_closed_notch():
    # A 4 cm deep notch in a's side, closed by b's edge: a sliver gap.
    a = Polygon([(0, 0), (1, 0), (1, 0.4), (0.96, 0.4), (0.96, 0.6), (1, 0.6), (1, 1), (0, 1)])
    b = box(1, 0, 2, 1)
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert vertices(out[0]) == {(0, 0), (1, 0), (1, 0.4), (1, 0.6), (1, 1), (0, 1)}
    assert vertices(out[1]) == vertices(b) | {(1, 0.4), (1, 0.6)}
    assert out[0].area == pytest.approx(1.0, abs=1e-6) and noded(*out)
    assert list(report["vertices_moved"]) == [2, 0]
    assert report.loc[0, "max_move"] == pytest.approx(0.04, abs=1e-9)


def test_snap_leaves_a_parcel_it_would_make_invalid():
    # Both dent vertices are within tolerance of b's edge; moved onto it, a's
    # boundary would run up, back down and up again along x = 1.
    a = Polygon([(0, 0), (1, 0), (0.95, 0.52), (0.9, 0.5), (1, 1), (0, 1)])
    b = box(1, 0, 2, 1)
    assert a.is_valid
    out, report = gf.snap_to_neighbours(arr(a, b), TOL_1000)
    assert out[0] is a and out[1] is b
    assert list(report["status"]) == ["left_invalid", "unchanged"]


def test_snap_skips_invalid_input_and_keeps_results_valid():
    bow_tie = Polygon([(5, 0), (7, 2), (7, 0), (5, 2)])
    a = Polygon([(0, 0), (1, 0), (0.95, 0.5), (1, 1), (0, 1)])
    b = box(1, 0, 2, 1)
    out, report = gf.snap_to_neighbours(arr(a, bow_tie, b, None), TOL_1000)
    assert out[1] is bow_tie and out[3] is None
    assert list(report["status"]) == ["snapped", "skipped_invalid", "noded", "unchanged"]
    assert shapely.is_valid(out[[0, 2]]).all() and noded(out[0], out[2])


def _sheet(n=71, size=20.0, step=5.0, seed=0):
    """n × n parcels of about size m on VN-2000-like coordinates, edges with a
    vertex every `step` m, shared vertex for vertex: a valid coverage."""
    rng = np.random.default_rng(seed)
    nodes = np.stack(np.meshgrid(np.arange(n + 1) * size + 500_000, np.arange(n + 1) * size + 2_300_000,
                                 indexing="ij"), axis=-1)
    nodes += rng.uniform(-3, 3, nodes.shape)
    k = int(size // step)
    t = np.linspace(0, 1, k + 1)[:-1, None]

    def edge(p, q):   # the same points whichever way the edge is walked
        if tuple(p) <= tuple(q):
            return p + (q - p) * t
        return (q + (p - q) * np.r_[t[1:], [[1.0]]])[::-1]

    parcels = []
    for i in range(n):
        for j in range(n):
            c = [nodes[i, j], nodes[i + 1, j], nodes[i + 1, j + 1], nodes[i, j + 1]]
            parcels.append(Polygon(np.concatenate([edge(c[m], c[(m + 1) % 4]) for m in range(4)])))
    return np.array(parcels, dtype=object), rng


def test_snap_a_5000_parcel_sheet_quickly():
    sheet, rng = _sheet()
    assert len(sheet) > 5000 and shapely.coverage_is_valid(sheet)
    broken = sheet.copy()
    # 3 % of the parcels, away from the sheet's edge: a vertex moved on the outer
    # boundary makes a notch open to the outside, which snapping rightly leaves.
    inner = [i * 71 + j for i in range(1, 70) for j in range(1, 70)]
    for i in rng.choice(inner, len(sheet) * 3 // 100, replace=False):
        xy = shapely.get_coordinates(sheet[i])[:-1]
        k = rng.integers(len(xy))
        angle = rng.uniform(0, 2 * np.pi)
        xy[k] += rng.uniform(0.01, 0.1) * np.array([np.cos(angle), np.sin(angle)])
        broken[i] = Polygon(xy)
    assert not shapely.coverage_is_valid(broken)
    gf.snap_to_neighbours(broken[:10], TOL_1000)      # warm up imports
    start = time.perf_counter()
    out, report = gf.snap_to_neighbours(broken, TOL_1000)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert shapely.is_valid(out).all()
    assert shapely.coverage_is_valid(out)
    assert report["max_move"].max() <= TOL_1000
    # No gap, no overlap, the sheet's outline untouched: the areas add up to the
    # sheet's. (Where two single-owner vertices met, either may have moved.)
    assert shapely.area(out).sum() == pytest.approx(shapely.area(sheet).sum(), abs=1e-6)
    assert (np.abs(shapely.area(out) - shapely.area(sheet)) <= 0.1 * shapely.length(sheet)).all()
    assert set(report["status"]) <= {"unchanged", "snapped", "noded"}


# -- slivers -------------------------------------------------------------------------------


def test_merge_sliver_into_the_neighbour_with_the_longest_edge():
    sliver = box(0, 1, 2, 1.05)
    below = box(0, 0, 2, 1)                                           # shares 2 m
    right = Polygon([(2, 0), (5, 0), (5, 1.05), (2, 1.05), (2, 1)])   # shares 5 cm, larger
    k, merged = gf.merge_into_neighbour(sliver, arr(below, right))
    assert k == 0
    assert vertices(merged) == {(0, 0), (2, 0), (2, 1), (2, 1.05), (0, 1.05), (0, 1)}
    assert merged.area == pytest.approx(2.1, abs=1e-6) and merged.geom_type == "Polygon"
    assert noded(merged, right)
    k, merged = gf.merge_into_neighbour(sliver, arr(below, right), "largest_area")
    assert k == 1
    assert merged.area == pytest.approx(3.25, abs=1e-6) and merged.geom_type == "Polygon"
    assert noded(merged, below)


def test_merge_refuses_a_union_that_opens_a_hole():
    below = box(0, 0, 3, 1)
    inner = box(1, 1, 2, 2)
    # A cap over `inner`: with `below` it would enclose it.
    cap = Polygon([(0, 1), (1, 1), (1, 2), (2, 2), (2, 1), (3, 1), (3, 2.1), (0, 2.1)])
    top = box(0, 2.1, 1, 3)                       # shares 1 m, less than below's 2 m
    k, merged = gf.merge_into_neighbour(cap, arr(below, top))
    assert k == 1
    assert len(merged.interiors) == 0 and merged.is_valid
    assert merged.area == pytest.approx(cap.area + 0.9, abs=1e-6)
    with pytest.raises(ValueError):
        gf.merge_into_neighbour(cap, arr(below))
    # A neighbour touching at a point only is never chosen.
    with pytest.raises(ValueError):
        gf.merge_into_neighbour(box(0, 0, 1, 1), arr(box(1, 1, 2, 2)))
