"""Snapping: vertices moved onto their neighbours' vertices and edges so that shared
boundaries match vertex for vertex; the snapper and the whole-coverage snap."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely

from .rings import (NODE_TOLERANCE, _CONTACT, _EMPTY, _MULTIPOLYGON, _POLYGON, _Rings, _components,
                    _dedup_mask, _polygonal, _ring_links, _ring_twice_area, _vertex_ids)


def _node(geoms) -> np.ndarray:
    """Node a small group of polygons against each other: vertices closer than
    NODE_TOLERANCE become one, and a vertex on another's edge is inserted there."""
    geoms = np.asarray(geoms, dtype=object)
    snapper = _Snapper(geoms, NODE_TOLERANCE).run()
    out, collapsed = snapper.geoms()
    bad = ~shapely.is_valid(out) | (collapsed > 0)
    bad &= ~shapely.is_missing(out)
    if bad.any():   # a part thinner than NODE_TOLERANCE collapsed: drop it
        out[bad] = _polygonal(shapely.make_valid(out[bad], method="structure", keep_collapsed=False))
    return out


def node_neighbours(fixed, neighbours) -> tuple[list, dict]:
    """Node geometries a fix produced against the parcels around them.

    give_overlap and merge_into_neighbour only see the parcels they change; a vertex
    they put on a boundary shared with a third parcel must go into that parcel too.
    Returns the fixed geometries (noded) and {index: new geometry} of the neighbours
    that changed. Nothing moves by more than NODE_TOLERANCE.
    """
    fixed = list(fixed)
    neighbours = np.asarray(neighbours, dtype=object)
    out = _node(np.array(fixed + list(neighbours), dtype=object))
    changed = {i: out[len(fixed) + i] for i in range(len(neighbours))
               if not shapely.equals_exact(out[len(fixed) + i], neighbours[i], 0)}
    return list(out[:len(fixed)]), changed


# -- Snapping engine ----------------------------------------------------------------------


@dataclass
class _State:
    """Unique coordinates of a snapper and who owns them."""
    uniq: np.ndarray
    inv: np.ndarray
    owned: np.ndarray       # sorted codes uniq_index * n_geoms + geom
    n_geoms: int
    active: np.ndarray      # per unique: on an edge that may be snapped
    movable: np.ndarray     # active and in no frozen geometry
    _occ: tuple | None = None

    def owns(self, u, g) -> np.ndarray:
        codes = np.asarray(u, np.int64) * self.n_geoms + np.asarray(g, np.int64)
        pos = np.minimum(np.searchsorted(self.owned, codes), len(self.owned) - 1)
        return self.owned[pos] == codes

    def owners(self, us) -> dict:
        u_of, g_of = self.owned // self.n_geoms, self.owned % self.n_geoms
        sel = np.isin(u_of, us)
        result = {int(u): set() for u in us}
        for u, g in zip(u_of[sel], g_of[sel]):
            result[int(u)].add(int(g))
        return result

    def occurrences(self, u) -> np.ndarray:
        """Positions of the vertices at unique coordinate u."""
        if self._occ is None:
            order = np.argsort(self.inv, kind="stable")
            self._occ = order, np.searchsorted(self.inv[order], np.arange(len(self.uniq) + 1))
        order, bounds = self._occ
        return order[bounds[u]:bounds[u + 1]]


class _Snapper:
    """Snap and node the rings of a group of polygons onto each other.

    Works on coordinates, not geometries, so a vertex shared by several parcels moves
    in all of them at once and shared boundaries stay identical. Order: vertex to
    vertex (corners meet corners), then vertex to edge (the edge gets the vertex),
    then noding (a vertex lying on another parcel's edge is inserted into it),
    repeated until nothing changes. No vertex ends farther than tol from where it
    started. Only vertices on active edges move, and only onto active edges or
    vertices: the caller marks the faulty edges so valid boundaries (an open notch
    at the coverage edge, say) are never pulled together. Frozen geometries keep
    their vertices where they are; they may still get vertices inserted on their
    edges (that does not change their shape).

    Candidate (vertex, edge) pairs come from an STRtree of the input polygons: a
    vertex can only come near edges of polygons it was within tol of at the start,
    since nothing moves farther than tol.
    """

    def __init__(self, geoms: np.ndarray, tol: float, active_e=None, frozen=None, rings: _Rings | None = None):
        rings = _Rings.of(geoms) if rings is None else rings
        self.rings = rings
        self.tree = shapely.STRtree(geoms)
        self.tol = float(tol)
        self.eps = min(NODE_TOLERANCE, self.tol)
        n = len(rings.xy)
        self.xy = rings.xy.astype(float).copy()
        self.ring = rings.ring.copy()
        self.origin = self.xy.copy()
        self.inserted = np.zeros(n, bool)
        self.active_e = np.ones(n, bool) if active_e is None else np.asarray(active_e, bool).copy()
        self.frozen = np.zeros(rings.n_geoms, bool) if frozen is None else np.asarray(frozen, bool)
        self.ring_geom = rings.ring_geom
        self._stats = None

    @property
    def geom(self) -> np.ndarray:
        return self.ring_geom[self.ring]

    def run(self, rounds: int = 8) -> "_Snapper":
        if len(self.xy) == 0:
            return self
        self._snap_vertices()
        for _ in range(rounds):
            moved = self._snap_to_edges() if self.tol > self.eps else 0
            inserted = self._insert_on_edges()
            if not (moved or inserted):
                break
        self._stats = self._count()     # before folded vertices merge with their twins
        self._keep(_dedup_mask(self.xy, self.ring))
        return self

    def geoms(self) -> tuple[np.ndarray, np.ndarray]:
        return replace(self.rings, xy=self.xy, ring=self.ring).geoms()

    def stats(self) -> pd.DataFrame:
        """Per geometry: vertices moved, vertices inserted, largest move."""
        return self._stats if self._stats is not None else self._count()

    def _count(self) -> pd.DataFrame:
        g, n = self.geom, self.rings.n_geoms
        move = np.hypot(*(self.xy - self.origin).T) if len(self.xy) else np.zeros(0)
        moved = ~self.inserted & (move > 0)
        max_move = np.zeros(n)
        np.maximum.at(max_move, g, move)
        return pd.DataFrame({"vertices_moved": np.bincount(g[moved], minlength=n),
                             "vertices_inserted": np.bincount(g[self.inserted], minlength=n),
                             "max_move": max_move})

    # -- steps

    def _keep(self, mask):
        self.xy, self.ring, self.origin = self.xy[mask], self.ring[mask], self.origin[mask]
        self.inserted, self.active_e = self.inserted[mask], self.active_e[mask]

    def _state(self) -> _State:
        uniq, inv = _vertex_ids(self.xy)
        g = self.geom
        n_geoms = self.rings.n_geoms
        prv, _ = _ring_links(self.ring)
        active_v = self.active_e | self.active_e[prv]
        active = np.bincount(inv, weights=active_v, minlength=len(uniq)) > 0
        frozen = np.bincount(inv, weights=self.frozen[g], minlength=len(uniq)) > 0
        return _State(uniq, inv, np.unique(inv.astype(np.int64) * n_geoms + g), n_geoms,
                      active, active & ~frozen)

    def _within_reach(self, s: _State, u: int, to) -> bool:
        """Moving unique vertex u to `to` keeps every copy within tol of where it began."""
        origin = self.origin[s.occurrences(u)]
        return bool(np.all(np.hypot(*(origin - to).T) <= self.tol * (1 + 1e-9)))

    def _snap_vertices(self) -> int:
        """Vertices of different parcels within tol become one. The vertex owned by
        fewer parcels moves (an established corner stays), ties broken by coordinates
        so the result does not depend on the order of the parcels."""
        s = self._state()
        act = np.flatnonzero(s.active)
        if len(act) < 2:
            return 0
        pts = shapely.points(s.uniq[act])
        i, j = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=self.tol)
        i, j = act[i], act[j]
        keep = (i < j) & (s.movable[i] | s.movable[j])
        i, j = i[keep], j[keep]
        if not len(i):
            return 0
        d = np.hypot(*(s.uniq[i] - s.uniq[j]).T)
        owners = s.owners(np.unique(np.r_[i, j]))
        new = s.uniq.copy()
        moved, claimed = set(), set()
        for k in np.argsort(d, kind="stable"):
            a, b = int(i[k]), int(j[k])
            if a in moved or b in moved:
                continue
            options = [(len(owners[m]), -m, m, t) for m, t in ((a, b), (b, a))
                       if s.movable[m] and m not in claimed and owners[m].isdisjoint(owners[t])
                       and self._within_reach(s, m, s.uniq[t])]
            if not options:
                continue
            _, _, m, t = min(options)
            new[m] = s.uniq[t]
            moved.add(m)
            claimed.add(t)
            owners[t] |= owners[m]
        if moved:
            self.xy = new[s.inv]
        return len(moved)

    def _edge_pairs(self, s: _State, vertices: np.ndarray, dist: float, segments: np.ndarray | None = None):
        """(unique vertex, segment) pairs closer than dist, where the vertex is not a
        vertex of the segment's polygon and projects inside the segment.

        vertices: unique ids to look at; segments: mask of segments that count."""
        empty = np.zeros(0, int)
        if not len(vertices):
            return empty, empty, np.zeros(0), np.zeros((0, 2)), np.zeros(0), empty
        _, nxt = _ring_links(self.ring)
        geom = self.geom
        reach = dist + self.tol       # bounding boxes only: the exact test is below
        x, y = s.uniq[vertices].T
        vi, gi = self.tree.query(shapely.box(x - reach, y - reach, x + reach, y + reach))
        u = vertices[vi]
        keep = ~s.owns(u, gi)
        u, gi = u[keep], gi[keep]
        # Expand (vertex, polygon) to (vertex, segment): a polygon's segments are contiguous.
        first = np.searchsorted(geom, np.arange(self.rings.n_geoms))
        count = np.searchsorted(geom, np.arange(self.rings.n_geoms), side="right") - first
        cnt = count[gi]
        ui = np.repeat(u, cnt)
        si = np.repeat(first[gi], cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        if segments is not None:
            keep = segments[si]
            ui, si = ui[keep], si[keep]
        p, A, B = s.uniq[ui], self.xy[si], self.xy[nxt[si]]
        ab = B - A
        l2 = (ab ** 2).sum(axis=1)
        t = ((p - A) * ab).sum(axis=1) / np.where(l2 > 0, l2, 1)
        proj = A + t[:, None] * ab
        d = np.hypot(*(p - proj).T)
        inner = ((l2 > 0) & (t > 0) & (t < 1) & (d <= dist) & (np.hypot(*(p - A).T) > self.eps)
                 & (np.hypot(*(p - B).T) > self.eps))
        return ui[inner], si[inner], t[inner], proj[inner], d[inner], nxt

    def _snap_to_edges(self) -> int:
        """A vertex within tol of another parcel's edge moves onto it (the nearest
        edge first). Endpoints of an edge something snapped onto stay put this round."""
        s = self._state()
        ui, si, _, proj, d, nxt = self._edge_pairs(s, np.flatnonzero(s.movable), self.tol, self.active_e)
        cand = d > self.eps
        ui, si, proj, d = ui[cand], si[cand], proj[cand], d[cand]
        if not len(ui):
            return 0
        new = s.uniq.copy()
        moved, locked = set(), set()
        for k in np.argsort(d, kind="stable"):
            u, ea, eb = int(ui[k]), int(s.inv[si[k]]), int(s.inv[nxt[si[k]]])
            if u in moved or u in locked or ea in moved or eb in moved:
                continue
            if not self._within_reach(s, u, proj[k]):
                continue
            new[u] = proj[k]
            moved.add(u)
            locked.update((ea, eb))
        if moved:
            self.xy = new[s.inv]
        return len(moved)

    def _insert_on_edges(self) -> int:
        """Noding: a vertex lying on another parcel's edge is inserted into that edge.

        Only vertices of active edges are looked at: a vertex on another parcel's edge
        makes both parcels' edges faulty, so it is always on an active edge."""
        s = self._state()
        ui, si, t, _, _, _ = self._edge_pairs(s, np.flatnonzero(s.active), self.eps)
        if not len(ui):
            return 0
        n = len(self.xy)
        order = np.argsort(np.r_[np.arange(n, dtype=float), si + t], kind="stable")
        p = s.uniq[ui]
        self.xy = np.r_[self.xy, p][order]
        self.ring = np.r_[self.ring, self.ring[si]][order]
        self.origin = np.r_[self.origin, p][order]
        self.inserted = np.r_[self.inserted, np.ones(len(ui), bool)][order]
        self.active_e = np.r_[self.active_e, self.active_e[si]][order]
        return len(ui)


# -- make_valid ----------------------------------------------------------------------------


def _unshared(r: _Rings) -> np.ndarray:
    """Per segment (= its first vertex): no other geometry walks it the other way.

    In a valid coverage that happens only on its outer edge and around real holes,
    so parcels without such a segment need no validation. Pure numpy."""
    if not len(r.xy):
        return np.zeros(0, bool)
    _, nxt = _ring_links(r.ring)
    _, ids = _vertex_ids(r.xy)
    ccw = _ring_twice_area(r.xy, r.ring, len(r.ring_part)) > 0
    flip = (ccw == r.is_hole)[r.ring]      # walk every ring with the interior on the left
    a = np.where(flip, ids[nxt], ids).astype(np.int64)
    b = np.where(flip, ids, ids[nxt]).astype(np.int64)
    n_ids, n_geoms = int(ids.max()) + 1, r.n_geoms
    g = r.geom
    key = np.sort((a * n_ids + b) * n_geoms + g)     # segment, then geometry
    rev = (b * n_ids + a) * n_geoms
    pos = np.searchsorted(key, rev)
    shared = np.zeros(len(g), bool)
    for off in (0, 1):     # the match may sit after a copy in the same geometry
        k = key[np.minimum(pos + off, len(key) - 1)]
        shared |= (k // n_geoms == rev // n_geoms) & (k % n_geoms != g)
    return ~shared


def _narrow_gaps(r: _Rings, unshared: np.ndarray, tree: shapely.STRtree, width: float) -> np.ndarray:
    """Closed gaps narrower than width: faces of the unshared linework that no
    parcel covers and that a negative buffer of width / 2 empties.

    A notch open to the outside of the coverage is not a face (it is part of the
    outside), so it is never a gap: shapely's own gap_width check would flag it.
    """
    _, nxt = _ring_links(r.ring)
    seg = np.flatnonzero(unshared)
    if not len(seg):
        return np.zeros(0, dtype=object)
    lines = shapely.multilinestrings(shapely.linestrings(np.stack([r.xy[seg], r.xy[nxt[seg]]], axis=1)))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.node(lines))))
    # A face narrower than width has area < width/2 × perimeter: cheap test first.
    faces = faces[shapely.area(faces) <= width / 2 * shapely.length(faces)]
    faces = faces[shapely.is_empty(shapely.buffer(faces, -width / 2))]
    if not len(faces):
        return faces
    inside, _ = tree.query(shapely.point_on_surface(faces), predicate="within")
    return np.delete(faces, np.unique(inside))


def _near(tree: shapely.STRtree, geoms: np.ndarray, distance: float) -> np.ndarray:
    """Pairs (position in geoms, tree index) whose bounding boxes come within distance:
    a cheap superset of dwithin, enough to pick the parcels to look at."""
    x0, y0, x1, y1 = shapely.bounds(geoms).T
    return tree.query(shapely.box(x0 - distance, y0 - distance, x1 + distance, y1 + distance))


def _along_another(a: np.ndarray, b: np.ndarray, geom: np.ndarray, check: np.ndarray,
                   tree: shapely.STRtree) -> np.ndarray:
    """Per segment a→b of parcel geom: it runs inside or along another parcel over
    more than a point (a 1 µm strip along it overlaps that parcel)."""
    strips = shapely.buffer(shapely.linestrings(np.stack([a, b], axis=1)), NODE_TOLERANCE, cap_style="flat")
    si, gi = tree.query(strips, predicate="intersects")
    keep = gi != geom[si]
    si, gi = si[keep], gi[keep]
    overlap = shapely.area(shapely.intersection(strips[si], check[gi]))
    out = np.zeros(len(a), bool)
    out[si[overlap > NODE_TOLERANCE * _CONTACT]] = True
    return out


def _faulty_segments(check: np.ndarray, r: _Rings, tree: shapely.STRtree, tolerance: float) -> np.ndarray:
    """Per segment of r: part of a coverage fault that snapping may close.

    Faults are edges shapely.coverage_invalid_edges reports (overlaps, boundaries
    that do not match vertex for vertex) that run inside or along another parcel —
    an edge it reports only for ending on another's edge, like the side of a notch
    open to the outside, is no fault — and edges around closed gaps narrower than
    the tolerance. Only parcels with an unshared segment, and their neighbours, are
    validated: the rest of the sheet is a valid coverage by construction.
    """
    active = np.zeros(len(r.xy), bool)
    unshared = _unshared(r)
    suspect = np.unique(r.geom[unshared])
    if not len(suspect):
        return active
    _, nb = _near(tree, check[suspect], tolerance)
    subset = np.unique(np.r_[suspect, nb])
    edges = np.full(len(check), None, dtype=object)
    edges[subset] = shapely.coverage_invalid_edges(check[subset])
    _, nxt = _ring_links(r.ring)
    mid = (r.xy + r.xy[nxt]) / 2
    look = ~shapely.is_empty(edges)[r.geom] & shapely.is_geometry(edges)[r.geom]
    active[look] = shapely.dwithin(shapely.points(mid[look]), edges[r.geom[look]], NODE_TOLERANCE)
    active[active] = _along_another(r.xy[active], r.xy[nxt[active]], r.geom[active], check, tree)
    gaps = _narrow_gaps(r, unshared, tree, tolerance)
    if len(gaps):
        look = np.flatnonzero(unshared & ~active)
        hit, _ = shapely.STRtree(shapely.boundary(gaps)).query(
            shapely.points(mid[look]), predicate="dwithin", distance=NODE_TOLERANCE)
        active[look[hit]] = True
    return active


def snap_to_neighbours(geoms, tolerance: float) -> tuple[np.ndarray, pd.DataFrame]:
    """Make near-coincident parcel boundaries identical.

    Only coverage faults are touched: edges shapely.coverage_invalid_edges reports
    (overlaps, boundaries not matching vertex for vertex) and edges around closed
    gaps narrower than the tolerance (a notch open to the outside of the coverage is
    not a gap and is left alone). The parcels with such edges are snapped together
    with every parcel within tolerance of them: a vertex within tolerance of another
    parcel's vertex moves onto it; else, within tolerance of another parcel's edge, it
    moves onto the edge and the edge gets the vertex; a vertex lying on a neighbour's
    edge is inserted into it (noding). Only vertices of faulty edges move, only onto
    faulty edges or vertices, and never farther than tolerance.
    If snapping would make a parcel invalid, that parcel is left as it was (its
    neighbours may still snap onto it) and reported "left_invalid". Invalid, empty
    or non-polygonal inputs are skipped ("skipped_invalid").

    Report, one row per input: index, vertices_moved, vertices_inserted, max_move,
    area_before, area_after, status (unchanged | snapped | noded | left_invalid |
    skipped_invalid).
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    usable = (((types == _POLYGON) | (types == _MULTIPOLYGON))
              & shapely.is_valid(geoms) & ~shapely.is_empty(geoms))
    area = np.nan_to_num(shapely.area(geoms))
    report = pd.DataFrame({"index": np.arange(n), "vertices_moved": 0, "vertices_inserted": 0,
                           "max_move": 0.0, "area_before": area, "area_after": area,
                           "status": np.where(usable | shapely.is_missing(geoms),
                                              "unchanged", "skipped_invalid").astype(object)})
    check = np.where(usable, geoms, _EMPTY)
    tree = shapely.STRtree(check)
    r = _Rings.of(check)
    active = _faulty_segments(check, r, tree, tolerance)
    affected = np.unique(r.geom[active])
    if not len(affected):
        return out, report
    q, nb = _near(tree, check[affected], tolerance)
    keep = usable[nb]
    label = _components(n, affected[q][keep], nb[keep])
    work = np.unique(np.r_[affected, nb[keep]])
    frozen = np.zeros(n, bool)
    gave_up = np.zeros(n, bool)
    todo = work
    for _ in range(4):
        rows_v = np.isin(r.geom, todo)    # todo is sorted: its vertices come in r's order
        new, stats, ok = _snap_subset(check[todo], active[rows_v], tolerance, frozen[todo])
        bad_labels = np.unique(label[todo[~ok]])
        done = ~np.isin(label[todo], bad_labels)
        rows = todo[done]
        differs = ~shapely.equals_exact(new[done], geoms[rows], 0)
        out[rows[differs]] = new[done][differs]     # unchanged parcels keep their object
        for col in ("vertices_moved", "vertices_inserted", "max_move"):
            report.loc[rows, col] = stats[col].to_numpy()[done]
        if not len(bad_labels):
            break
        frozen[todo[~ok]] = True
        todo = todo[~done]
    else:
        gave_up[todo] = True   # the whole group stays as it was
    changed = ~shapely.equals_exact(out, geoms, 0) & usable
    report.loc[changed, "status"] = np.where(report.loc[changed, "vertices_moved"] > 0, "snapped", "noded")
    faulty = np.zeros(n, bool)
    faulty[affected] = True
    report.loc[frozen | (gave_up & faulty), "status"] = "left_invalid"
    report["area_after"] = np.nan_to_num(shapely.area(out))
    return out, report


def _snap_subset(geoms: np.ndarray, active_e: np.ndarray, tolerance: float, frozen: np.ndarray):
    """Snap a group of parcels. Returns new geometries, the snapper's stats and
    which results are acceptable (valid, polygonal, nothing collapsed)."""
    snapper = _Snapper(geoms, tolerance, active_e, frozen).run()
    new, collapsed = snapper.geoms()
    types = shapely.get_type_id(new)
    ok = (shapely.is_valid(new) & ~shapely.is_empty(new) & (collapsed == 0)
          & ((types == _POLYGON) | (types == _MULTIPOLYGON)))
    return new, snapper.stats(), ok


# -- Slivers -------------------------------------------------------------------------------
