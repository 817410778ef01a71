"""Fixes between neighbours: who keeps an overlap, how a gap is filled, which
neighbour takes a sliver."""
from __future__ import annotations


import numpy as np
import shapely
from shapely import Geometry

from .rings import (FixReport, GAP_METHODS, MERGE_METHODS, NODE_TOLERANCE, OVERLAP_METHODS,
                    _CONTACT, _area, _polygonal, _shared_lengths)
from .snapping import _node


def give_overlap(a: Geometry, b: Geometry, keep: str) -> tuple[Geometry, Geometry]:
    """Give the area two parcels share to one of them (keep="a" or "b").

    The other loses it (b2 = b − a for keep="a"); its new boundary is the winner's
    boundary, vertex for vertex, and the points where the loser's old boundary
    crossed the winner's are inserted into the winner, so the pair is a valid
    coverage. Parcels that only touch come back noded and otherwise unchanged.
    If the loser lies wholly inside the winner it comes back as an empty Polygon:
    the caller must delete it (and say so). A vertex inserted into the winner may
    lie on a boundary the winner shares with a third parcel: pass the result through
    node_neighbours.
    """
    if keep not in ("a", "b"):
        raise ValueError(f"keep must be 'a' or 'b', not {keep!r}")
    winner, loser = (a, b) if keep == "a" else (b, a)
    loser2 = _polygonal(shapely.difference(loser, winner))
    winner2, loser2 = _node([winner, loser2])
    return (winner2, loser2) if keep == "a" else (loser2, winner2)


def choose_overlap_owner(a: Geometry, b: Geometry, overlap: Geometry | None, method: str,
                         register_area_a: float | None = None, register_area_b: float | None = None,
                         chosen: str | None = None) -> str:
    """Which parcel keeps an overlap: "a" or "b".

    longest_edge: the parcel with more of its boundary around the overlap keeps it
      (the overlap is more "inside" that parcel); a tie goes to a.
    register_area: the choice that brings both map areas closer to their register
      areas (sum of absolute differences; a missing register area is left out of the
      sum); a tie falls back to longest_edge.
    chosen: the user's choice, "a" or "b".
    """
    if method not in OVERLAP_METHODS:
        raise ValueError(f"unknown overlap method {method!r}; use one of {', '.join(OVERLAP_METHODS)}")
    if method == "chosen":
        if chosen not in ("a", "b"):
            raise ValueError(f"method 'chosen' needs chosen='a' or 'b', not {chosen!r}")
        return chosen
    if overlap is None:
        overlap = _polygonal(shapely.intersection(a, b))
    if method == "register_area":
        if register_area_a is None and register_area_b is None:
            raise ValueError("method 'register_area' needs at least one register area")
        ov = _area(overlap)

        def miss(map_a, map_b):
            return sum(abs(m - reg) for m, reg in ((map_a, register_area_a), (map_b, register_area_b))
                       if reg is not None and not np.isnan(reg))

        a_keeps, b_keeps = miss(_area(a), _area(b) - ov), miss(_area(a) - ov, _area(b))
        if not np.isclose(a_keeps, b_keeps, rtol=0, atol=1e-9):
            return "a" if a_keeps < b_keeps else "b"
    la, lb = _shared_lengths(overlap, np.array([a, b], dtype=object))
    return "a" if la >= lb else "b"


# -- Gaps ---------------------------------------------------------------------------------


def fill_gap(gap: Geometry, neighbours, method: str) -> FixReport:
    """Close a gap (a hole in the coverage) with the parcels around it.

    neighbours: every parcel touching the gap; indices in the report are positions
    in this array. Only neighbours sharing a stretch of boundary with the gap take
    area; one touching it at a point takes none.
    merge_longest_edge: the neighbour with the longest shared boundary takes it all.
    split: every part of the gap goes to the nearest neighbour (Voronoi cells of
      points along each neighbour's shared boundary, clipped to the gap); a piece cut
      off from its neighbour goes to the one it borders most.
    new_parcel: the gap becomes a new parcel without a number (report.added).
    Every result is noded with the others, so neighbours and new parcel stay a valid
    coverage; a neighbour that only got vertices inserted is in `changed` too.
    Raises ValueError if the gap is covered by a neighbour (a courtyard parcel in a
    hole is not a gap) or if no neighbour shares a boundary with it.
    """
    if method not in GAP_METHODS:
        raise ValueError(f"unknown gap method {method!r}; use one of {', '.join(GAP_METHODS)}")
    neighbours = np.asarray(neighbours, dtype=object)
    gap = _polygonal(gap)
    if gap is None or gap.is_empty or not gap.is_valid:
        raise ValueError("the gap must be a valid, non-empty polygon")
    covered = np.nan_to_num(shapely.area(shapely.intersection(neighbours, gap)))
    if covered.max(initial=0) > 1e-6 * gap.area + 1e-9:
        k = int(covered.argmax())
        raise ValueError(f"not a gap: neighbour {k} covers {covered[k]:.3f} m² of it")
    noded = _node(np.r_[np.array([gap], dtype=object), neighbours])
    gap_n, nbs = noded[0], noded[1:].copy()
    shared = _shared_lengths(gap_n, nbs)
    takers = np.flatnonzero(shared > _CONTACT)
    if not len(takers):
        raise ValueError("no neighbour shares a boundary with the gap: it cannot be filled")

    report = FixReport()
    took = {}
    if method == "merge_longest_edge":
        k = int(takers[np.argmax(shared[takers])])
        took[k] = gap_n
    elif method == "split":
        took = _split_gap(gap_n, nbs, takers)
    else:
        report.added.append(gap_n)
    if took:   # parts cut from the gap have new vertices on the gap's edges: node first
        keys = list(took)
        noded = _node(np.r_[nbs, np.array([took[k] for k in keys], dtype=object)])
        nbs = noded[:len(nbs)]
        for k, part in zip(keys, noded[len(nbs):]):
            nbs[k] = _polygonal(shapely.union(nbs[k], part))
    group = np.r_[nbs, np.array(report.added, dtype=object)]
    group = _node(group)
    nbs = group[:len(neighbours)]
    report.added = list(group[len(neighbours):])
    for i, g in enumerate(nbs):
        if shapely.equals_exact(g, neighbours[i], 0):
            continue
        report.changed[i] = g
        if i in took:
            action = "took_gap" if method == "merge_longest_edge" else "took_gap_part"
            note = f"gained {_area(g) - _area(neighbours[i]):.4f} m² of the gap"
        else:
            action, note = "noded", "vertices inserted on the boundary with the gap"
        report.note(i, action, _area(neighbours[i]), _area(g), note)
    for g in report.added:
        report.note(-1, "new_parcel", 0.0, _area(g), "the gap as a new parcel without a number")
    return report


def _split_gap(gap: Geometry, nbs: np.ndarray, takers: np.ndarray) -> dict:
    """Split a gap between the neighbours that share its boundary: each point goes
    to the neighbour whose shared boundary is nearest. Returns {neighbour: part}."""
    near = shapely.buffer(shapely.boundary(nbs[takers]), NODE_TOLERANCE, quad_segs=2)
    lines = shapely.intersection(shapely.boundary(gap), near)
    perimeter = shapely.length(gap.boundary)
    spacing = max(min(perimeter / 400, shapely.length(lines).min() / 4), perimeter / 4000)
    pts, labels = [], []
    for k, line in zip(takers, lines):
        xy = shapely.get_coordinates(shapely.segmentize(line, spacing))
        pts.append(xy)
        labels.append(np.full(len(xy), k))
    pts, labels = np.concatenate(pts), np.concatenate(labels)
    # Points at a junction of two shared boundaries belong to both: drop them, and
    # near-duplicates, so each Voronoi cell has one owner.
    tree_pts = shapely.points(pts)
    i, j = shapely.STRtree(tree_pts).query(tree_pts, predicate="dwithin", distance=_CONTACT)
    clash = np.zeros(len(pts), bool)
    clash[i[labels[i] != labels[j]]] = True
    clash[i[(i > j) & (labels[i] == labels[j])]] = True
    pts, labels = pts[~clash], labels[~clash]
    if len(np.unique(labels)) < 2:
        return {int(takers[np.argmax(shapely.length(lines))]): gap}
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=gap, ordered=True))
    if len(cells) != len(pts):   # should not happen; fall back to point-in-cell
        ci, pi = shapely.STRtree(shapely.points(pts)).query(cells, predicate="contains")
        cell_label = np.full(len(cells), -1)
        cell_label[ci] = labels[pi]
    else:
        cell_label = labels
    pieces, owner = [], []
    for k in np.unique(labels):
        part = _polygonal(shapely.intersection(shapely.union_all(cells[cell_label == k]), gap))
        for piece in shapely.get_parts(part):
            pieces.append(piece)
            owner.append(int(k))
    pieces, owner = np.array(pieces, dtype=object), np.array(owner)
    _reattach_loose_pieces(pieces, owner, nbs, takers)
    return {int(k): _polygonal(shapely.union_all(pieces[owner == k])) for k in np.unique(owner)}


def _reattach_loose_pieces(pieces: np.ndarray, owner: np.ndarray, nbs: np.ndarray, takers: np.ndarray):
    """A piece of a concave gap may be nearest to a neighbour it does not touch: it
    goes to whoever it borders most (owner is changed in place), so no neighbour
    comes out in two parts."""
    by_nb = np.array([_shared_lengths(p, nbs[takers]) for p in pieces]) > _CONTACT
    by_piece = np.array([_shared_lengths(p, pieces) for p in pieces])
    np.fill_diagonal(by_piece, 0)
    column = {int(k): c for c, k in enumerate(takers)}
    for _ in range(len(pieces)):
        attached = by_nb[np.arange(len(pieces)), [column[o] for o in owner]]
        while True:   # pieces reaching their neighbour through pieces of the same owner
            more = attached | ((by_piece > _CONTACT) & attached[None, :]
                               & (owner[:, None] == owner[None, :])).any(axis=1)
            if (more == attached).all():
                break
            attached = more
        loose = np.flatnonzero(~attached)
        if not len(loose):
            return
        for p in loose:
            lengths = np.r_[np.where(by_nb[p], _shared_lengths(pieces[p], nbs[takers]), 0),
                            np.where(attached, by_piece[p], 0)]
            if lengths.max() > _CONTACT:
                owner[p] = np.r_[takers, owner][np.argmax(lengths)]
                break
        else:
            return


# -- Snapping a coverage ------------------------------------------------------------------




def _holes(g: Geometry) -> Geometry:
    """The holes of a polygon or multipolygon, as one polygonal geometry."""
    rings = [shapely.Polygon(r) for p in shapely.get_parts(g) for r in p.interiors]
    return shapely.union_all(rings) if rings else shapely.Polygon()


def merge_into_neighbour(small: Geometry, neighbours, method: str = "longest_edge") -> tuple[int, Geometry]:
    """Merge a sliver (or any small parcel) into one of its neighbours.

    longest_edge: the neighbour sharing the longest boundary; largest_area: the
    largest neighbour sharing a boundary. A neighbour touching it at a point only is
    never chosen. The two are noded first, so the union leaves no sliver of its own;
    a union that would open a new hole (the pair closing around a third parcel) or
    come out in pieces is refused and the next neighbour tried.
    Returns (position of the neighbour in `neighbours`, merged geometry); the small
    parcel is then removed. Raises ValueError if no neighbour can take it.
    """
    if method not in MERGE_METHODS:
        raise ValueError(f"unknown merge method {method!r}; use one of {', '.join(MERGE_METHODS)}")
    neighbours = np.asarray(neighbours, dtype=object)
    shared = _shared_lengths(small, neighbours)
    cand = np.flatnonzero(shared > _CONTACT)
    key = -shared[cand] if method == "longest_edge" else -shapely.area(neighbours[cand])
    for k in cand[np.argsort(key, kind="stable")]:
        s2, n2 = _node([small, neighbours[k]])
        merged = _polygonal(shapely.union(s2, n2))
        if not merged.is_valid or shapely.get_num_geometries(merged) > shapely.get_num_geometries(n2):
            continue
        old = shapely.union(_holes(s2), _holes(n2))
        if _area(shapely.difference(_holes(merged), old)) > NODE_TOLERANCE ** 2:
            continue
        return int(k), merged
    raise ValueError("no neighbour can take the parcel without opening a hole or splitting")
