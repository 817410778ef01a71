"""Geometry fixes for cadastral topology faults: shapely geometries in, new ones out.

Parcels must form a coverage: no overlaps, no gaps, and neighbours share their
boundary vertex for vertex. core/topology/checks.py finds the faults and the orchestration
applies fixes to a layer; this module only computes the new geometries and says
what changed, so every fix can be previewed, logged and undone. No files, no layers.

Every function keeps three rules:
- results are valid Polygons or MultiPolygons (a fix that cannot keep that leaves
  the parcel as it was and says so);
- area never changes silently: changes are reported with the area before and after;
- shared boundaries stay exact: where a fix puts a new vertex on a boundary shared
  with a neighbour, the neighbour gets the same vertex and is returned as changed.

Work over many parcels is vectorised over coordinates (numpy, shapely 2); Python
loops run only over the few candidate pairs a fix actually touches.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import shapely
from shapely import Geometry

# Two points closer than this are the same point, a point closer than this to an
# edge lies on it (metres): 1 µm, far below survey accuracy (DOMAIN.md: 5 cm at
# 1:200) and far above float noise at VN-2000 coordinates (~1e-9 m at 2 000 km).
NODE_TOLERANCE = 1e-6

OVERLAP_METHODS = ("longest_edge", "register_area", "chosen")
GAP_METHODS = ("merge_longest_edge", "split", "new_parcel")
MERGE_METHODS = ("longest_edge", "largest_area")

_POLYGON = int(shapely.GeometryType.POLYGON)
_MULTIPOLYGON = int(shapely.GeometryType.MULTIPOLYGON)
# A boundary shared over less than this is a point contact: it gives no area.
_CONTACT = 10 * NODE_TOLERANCE
_EMPTY = shapely.Polygon()


@dataclass
class FixReport:
    """What a fix did. Indices refer to the array the fix was given."""
    changed: dict[int, Geometry] = field(default_factory=dict)   # index → new geometry
    removed: list[int] = field(default_factory=list)             # indices merged away
    added: list[Geometry] = field(default_factory=list)          # new parcels (no number yet)
    # one dict per changed/added/removed parcel: index (-1 for a new one), action,
    # area_before, area_after, note
    log: list[dict] = field(default_factory=list)

    def note(self, index: int, action: str, area_before: float, area_after: float, note: str = ""):
        self.log.append({"index": int(index), "action": action, "area_before": float(area_before),
                         "area_after": float(area_after), "note": note})


# -- Polygons as flat coordinate arrays ------------------------------------------------


def _ring_links(ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Previous and next vertex of each vertex, within its (contiguous, open) ring."""
    n = len(ring)
    idx = np.arange(n)
    if n == 0:
        return idx, idx
    starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    ends = np.r_[starts[1:], n] - 1
    prv, nxt = idx - 1, idx + 1
    prv[starts] = ends
    nxt[ends] = starts
    return prv, nxt


def _dedup_mask(xy: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Keep the first of each run of identical consecutive vertices (cyclically)."""
    prv, _ = _ring_links(ring)
    return np.any(xy != xy[prv], axis=1)


@dataclass
class _Rings:
    """Polygons as open rings (closing vertex dropped) in flat arrays.

    Editing vertices is then plain numpy over all parcels at once; the part and
    ring structure stays fixed, so geometries can be rebuilt in one go.
    """
    xy: np.ndarray          # (n, 2) vertices; rings contiguous and in order
    ring: np.ndarray        # (n,) ring of each vertex
    ring_part: np.ndarray   # part of each ring; a part's first ring is its shell
    part_geom: np.ndarray   # geometry of each part
    multi: np.ndarray       # per geometry: the input was a MultiPolygon
    present: np.ndarray     # per geometry: the input was not None

    @classmethod
    def of(cls, geoms) -> "_Rings":
        geoms = np.asarray(geoms, dtype=object)
        parts, part_geom = shapely.get_parts(geoms, return_index=True)
        keep = ~shapely.is_empty(parts)
        parts, part_geom = parts[keep], part_geom[keep]
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
        last = np.r_[coord_ring[1:] != coord_ring[:-1], True] if len(coords) else np.zeros(0, bool)
        return cls(coords[~last], coord_ring[~last], ring_part, part_geom,
                   shapely.get_type_id(geoms) == _MULTIPOLYGON, ~shapely.is_missing(geoms))

    @property
    def n_geoms(self) -> int:
        return len(self.multi)

    @property
    def ring_geom(self) -> np.ndarray:
        return self.part_geom[self.ring_part]

    @property
    def geom(self) -> np.ndarray:
        """Geometry of each vertex."""
        return self.ring_geom[self.ring]

    @property
    def is_hole(self) -> np.ndarray:
        """Per ring."""
        return np.r_[False, self.ring_part[1:] == self.ring_part[:-1]]

    def geoms(self) -> tuple[np.ndarray, np.ndarray]:
        """Rebuild the geometries, and per geometry how many parts collapsed.

        A ring left with fewer than 3 vertices has no area: a hole is dropped, a
        shell drops its part. A geometry with no part left becomes an empty Polygon.
        """
        n_rings, n_parts = len(self.ring_part), len(self.part_geom)
        count = np.bincount(self.ring, minlength=n_rings)
        shell = ~self.is_hole
        part_ok = np.zeros(n_parts, bool)
        part_ok[self.ring_part[shell]] = count[shell] >= 3
        ring_ok = (count >= 3) & part_ok[self.ring_part]
        collapsed = np.bincount(self.part_geom[~part_ok], minlength=self.n_geoms)

        out = np.full(self.n_geoms, None, dtype=object)
        out[self.present] = _EMPTY
        if not ring_ok.any():
            return out, collapsed
        new_ring = np.cumsum(ring_ok) - 1
        new_part = np.cumsum(part_ok) - 1
        v = ring_ok[self.ring]
        rings = shapely.linearrings(self.xy[v], indices=new_ring[self.ring[v]])
        polys = shapely.polygons(rings, indices=new_part[self.ring_part[ring_ok]])
        geom = self.part_geom[part_ok]
        n_parts_of = np.bincount(geom, minlength=self.n_geoms)
        single = (n_parts_of == 1) & ~self.multi
        s = single[geom]
        out[geom[s]] = polys[s]
        m = ~s
        if m.any():
            multis = shapely.multipolygons(polys[m], indices=geom[m],
                                           out=np.full(self.n_geoms, None, dtype=object))
            rows = np.unique(geom[m])
            out[rows] = multis[rows]
        return out, collapsed


# -- Small shared helpers --------------------------------------------------------------


def _polygonal(geoms):
    """Only the polygonal parts: a Polygon or MultiPolygon each (an empty Polygon
    if nothing polygonal is left); None stays None. Accepts one geometry or an array."""
    scalar = geoms is None or isinstance(geoms, Geometry)
    arr = np.asarray([geoms] if scalar else geoms, dtype=object)
    out = arr.copy()
    types = shapely.get_type_id(arr)
    odd = np.flatnonzero((types >= 0) & (types != _POLYGON) & (types != _MULTIPOLYGON))
    if len(odd):
        parts, idx = shapely.get_parts(arr[odd], return_index=True)
        parts, sub = shapely.get_parts(parts, return_index=True)   # a collection may hold multis
        idx = idx[sub]
        keep = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
        parts, idx = parts[keep], idx[keep]
        for k, row in enumerate(odd):
            mine = parts[idx == k]
            if len(mine) == 0:
                out[row] = _EMPTY
            elif len(mine) == 1:
                out[row] = mine[0]
            else:
                merged = shapely.MultiPolygon(list(mine))
                out[row] = merged if merged.is_valid else _polygonal(shapely.union_all(mine))
    return out[0] if scalar else out


def _area(g) -> float:
    return 0.0 if g is None else float(shapely.area(g))


def _shared_lengths(poly: Geometry, others: np.ndarray) -> np.ndarray:
    """Length of poly's boundary lying on each other's boundary.

    Measured against a 1 µm buffer so that boundaries that coincide up to float noise
    count; a point contact then measures at most a few µm (see _CONTACT).
    """
    others = np.asarray(others, dtype=object)
    line = shapely.boundary(poly)
    near = shapely.buffer(shapely.boundary(others), NODE_TOLERANCE, quad_segs=2)
    return np.nan_to_num(shapely.length(shapely.intersection(line, near)))


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


def _vertex_ids(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique coordinates (m, 2) and the id of each vertex among them.

    Sorts the coordinates as complex numbers: a 1-d sort, much faster than
    np.unique(axis=0), and 0.0 and -0.0 count as the same coordinate."""
    c = np.ascontiguousarray(xy, dtype=float).view(np.complex128).reshape(-1)
    uniq, inv = np.unique(c, return_inverse=True)
    return np.column_stack([uniq.real, uniq.imag]), inv.reshape(-1)


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


def make_valid(geoms) -> tuple[np.ndarray, pd.DataFrame]:
    """Repair invalid polygons without losing area.

    GEOS's "structure" method unions the shells and subtracts the holes, so a
    bow-tie becomes its two triangles and a self-touching ring a polygon with a
    hole, and no enclosed area is dropped; zero-width spikes and collapsed parts
    are dropped, and only polygonal parts are kept. Valid polygons pass through
    untouched (a courtyard hole stays a hole).

    Report, one row per input: index, reason (shapely.is_valid_reason before),
    area_before (shapely's area: an invalid ring's signed sum, so a symmetric bow-tie
    shows 0), area_after, parts_after, action (unchanged | repaired | split |
    dropped (nothing polygonal left) | polygons_kept (non-polygonal parts removed) |
    missing (None)).
    """
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    valid = shapely.is_valid(geoms)
    types = shapely.get_type_id(geoms)
    polygonal = (types == _POLYGON) | (types == _MULTIPOLYGON)
    out = geoms.copy()
    bad = ~missing & ~valid
    if bad.any():
        out[bad] = _polygonal(shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False))
    odd = ~missing & valid & ~polygonal
    if odd.any():
        out[odd] = _polygonal(geoms[odd])
    parts_before = shapely.get_num_geometries(geoms)
    parts_after = np.where(missing, 0, shapely.get_num_geometries(out))
    action = np.full(len(geoms), "unchanged", dtype=object)
    action[bad] = "repaired"
    action[bad & (parts_after > parts_before)] = "split"
    action[odd] = "polygons_kept"
    action[(bad | odd) & shapely.is_empty(out)] = "dropped"
    action[missing] = "missing"
    report = pd.DataFrame({
        "index": np.arange(len(geoms)),
        "reason": shapely.is_valid_reason(geoms),
        "area_before": np.nan_to_num(shapely.area(geoms)),
        "area_after": np.nan_to_num(shapely.area(out)),
        "parts_after": parts_after,
        "action": action,
    })
    return out, report


# -- Vertex clean-up ------------------------------------------------------------------------


def _keep_valid(geoms: np.ndarray, new: np.ndarray, removed: np.ndarray):
    """A clean-up that would make a geometry invalid or empty leaves it as it was."""
    changed = removed > 0
    ok = shapely.is_valid(new) & ~shapely.is_empty(new)
    revert = changed & ~ok
    out = np.where(changed & ok, new, geoms)
    removed = np.where(revert, 0, removed)
    return out, removed


def remove_repeated_vertices(geoms, tolerance: float = 0.001) -> tuple[np.ndarray, np.ndarray]:
    """Merge runs of consecutive vertices closer than tolerance into one vertex.

    The vertex kept is the run's lowest by (x, y), not its first: a neighbour that
    walks the shared boundary the other way keeps the same vertex, so the boundary
    stays shared. A run is chained (each vertex within tolerance of the one before),
    so a long run of tiny steps can span more than tolerance. Rings that collapse are
    dropped (holes) or drop their part; a geometry the clean-up would leave invalid
    or empty is returned unchanged with 0 removed.
    Returns (new geometries, vertices removed per geometry).
    """
    geoms = np.asarray(geoms, dtype=object)
    r = _Rings.of(geoms)
    n = r.n_geoms
    if len(r.xy) == 0:
        return geoms.copy(), np.zeros(n, int)
    xy, ring = r.xy, r.ring
    prv, _ = _ring_links(ring)
    close = np.hypot(*(xy - xy[prv]).T) <= tolerance
    ring_start = np.r_[True, ring[1:] != ring[:-1]]
    run = np.cumsum(~close | ring_start) - 1
    # A ring whose first vertex is close to its last: the first run continues the last.
    wrap = ring_start & close
    if wrap.any():
        first_run = run[wrap]
        last_run = run[prv[np.flatnonzero(wrap)]]
        relabel = np.arange(run.max() + 1)
        relabel[first_run] = last_run
        run = relabel[run]
    order = np.lexsort((xy[:, 1], xy[:, 0], run))
    first = np.r_[True, run[order][1:] != run[order][:-1]]
    keep = np.zeros(len(xy), bool)
    keep[order[first]] = True
    removed = np.bincount(r.geom[~keep], minlength=n)
    new, _ = replace(r, xy=xy[keep], ring=ring[keep]).geoms()
    return _keep_valid(geoms, new, removed)


def _shared_vertices(r: _Rings) -> np.ndarray:
    """Per vertex: its coordinates are also a vertex of another geometry."""
    uniq, inv = _vertex_ids(r.xy)
    pairs = np.unique(inv.astype(np.int64) * r.n_geoms + r.geom)
    n_owners = np.bincount(pairs // r.n_geoms, minlength=len(uniq))
    return n_owners[inv] > 1


def remove_spikes(geoms, max_angle_deg: float = 1.0, keep_shared: bool = True,
                  max_passes: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Remove spike tips: vertices where the parcel's interior angle is below
    max_angle_deg and the vertex points out of the parcel (a narrow inward crack is
    not a spike). Repeated until none is left, so a spike drawn with several vertices
    goes vertex by vertex; zero-width spikes go entirely (the doubled-back vertices
    become repeats and are dropped).

    keep_shared: a tip that is also a vertex of another geometry in `geoms` is kept:
    the neighbour is shaped around it, and removing it would open a gap.
    A ring is never reduced below 3 vertices (a whole sliver is merge_into_neighbour's
    job). A geometry the removal would leave invalid is returned unchanged with 0.
    Returns (new geometries, vertices removed per geometry).
    """
    geoms = np.asarray(geoms, dtype=object)
    r = _Rings.of(geoms)
    n = r.n_geoms
    if len(r.xy) == 0:
        return geoms.copy(), np.zeros(n, int)
    xy, ring = r.xy.copy(), r.ring.copy()
    protected = _shared_vertices(r) if keep_shared else np.zeros(len(xy), bool)
    hole = r.is_hole
    limit = np.radians(max_angle_deg)
    for _ in range(max_passes):
        keep = _dedup_mask(xy, ring)
        xy, ring, protected = xy[keep], ring[keep], protected[keep]
        prv, nxt = _ring_links(ring)
        u, v = xy[prv] - xy, xy[nxt] - xy
        cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
        angle = np.arctan2(np.abs(cross), (u * v).sum(axis=1))
        twice_area = _ring_twice_area(xy, ring, len(hole))
        turn = -cross    # > 0: a left turn at the vertex
        orient = np.sign(twice_area)[ring]
        outward = np.where(hole[ring], turn * orient < 0, turn * orient > 0)
        spike = (angle < limit) & (outward | (cross == 0)) & ~protected
        spike &= ~spike[prv]   # one of two adjacent tips per pass
        left = np.bincount(ring, weights=~spike, minlength=len(hole))
        spike &= left[ring] >= 3
        if not spike.any():
            break
        xy, ring, protected = xy[~spike], ring[~spike], protected[~spike]
    removed = np.bincount(r.geom, minlength=n) - np.bincount(r.ring_geom[ring], minlength=n)
    new, _ = replace(r, xy=xy, ring=ring).geoms()
    return _keep_valid(geoms, new, removed)


# -- Overlaps ----------------------------------------------------------------------------


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


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of the graph with edges a[i]–b[i]: a label per node."""
    label = np.arange(n)
    while True:
        m = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        new = new[new]
        if np.array_equal(new, label):
            return label
        label = new


def _ring_twice_area(xy: np.ndarray, ring: np.ndarray, n_rings: int) -> np.ndarray:
    """Twice the signed area of each ring (> 0: counter-clockwise). Taken relative
    to each ring's first vertex: VN-2000 coordinates are millions of metres."""
    _, nxt = _ring_links(ring)
    starts = np.r_[True, ring[1:] != ring[:-1]]
    base = xy[np.flatnonzero(starts)][np.cumsum(starts) - 1]
    rel, rel_next = xy - base, xy[nxt] - base
    return np.bincount(ring, weights=rel[:, 0] * rel_next[:, 1] - rel_next[:, 0] * rel[:, 1],
                       minlength=n_rings)


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
