"""The shared ground of the geometry fixes: tolerances, the fix report, ring arrays.

Rings of many polygons are held as flat coordinate arrays (_Rings) so that the fixes
work on coordinates in bulk; the helpers here node, measure and clean such arrays."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
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


def _vertex_ids(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique coordinates (m, 2) and the id of each vertex among them.

    Sorts the coordinates as complex numbers: a 1-d sort, much faster than
    np.unique(axis=0), and 0.0 and -0.0 count as the same coordinate."""
    c = np.ascontiguousarray(xy, dtype=float).view(np.complex128).reshape(-1)
    uniq, inv = np.unique(c, return_inverse=True)
    return np.column_stack([uniq.real, uniq.imag]), inv.reshape(-1)




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
