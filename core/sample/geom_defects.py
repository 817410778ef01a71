"""Geometry (topology) defects put into a generated coverage, and their answer-key rows.

The generated parcels form an exact coverage: neighbours list the very same vertices
along their common boundary. `inject_geometry` breaks it in a few places, each one
kind of defect a topology checker should report (tolerance tol = positional accuracy
of the parcel's sheet scale, 0.15 m at 1:1000, 0.30 m at 1:2000):

- GEOM_INVALID: an inward zero-width spike (out from a vertex and back to it) — the
  ring touches itself; the outline the neighbours see is unchanged.
- GEOM_EMPTY: a parcel (not on the outer boundary) whose geometry is null; its place is
  a hole in the coverage, listed as a GAP row (no map_fid) too.
- MULTIPART: a parcel absorbs a parcel of its sheet it does not touch (that feature is
  removed): one feature, two pieces.
- OVERLAP / GAP: a vertex of A that only A and B use is moved into B (overlap) or into A
  (gap) by d = max(1 m, 8·tol); the changed triangle lies wholly inside B (or A).
- NOT_NODED: the same with d = tol/3 (a micro overlap or micro gap): vertices of A and
  B lie within tol of each other's edges without a matching vertex.
- DUPLICATE_GEOMETRY: a second feature with A's polygon and attributes, half exact
  copies, half shifted by less than tol/2.
- SLIVER: a lens carved from A along a chain of vertices A shares only with one
  neighbour B (same sheet), as a new feature (A's sheet and land use, a new number);
  its inner vertices are offset so its mean width 2A/P is about tol/2 (offsets at most
  1.5·tol). The lens shares B's vertices and A's new ones exactly.
- SPIKE: a parcel on the outer boundary of the coverage gets a narrow outward spike
  (base 5 cm, 10–20 m long) on an edge no other parcel uses.
- REPEATED_VERTEX: one vertex written twice in a row.
- OUTSIDE_SHEET: a new 20 × 30 m parcel 200 m or more outside every sheet frame.
- CROSSES_SHEET: a parcel absorbs its neighbour on the adjacent sheet (that feature is
  removed), so it spans two sheets; expected_sheet is the sheet holding its larger part.

Every defect keeps the rest of the coverage exact: new vertices are kept more than
2·tol away from any edge or vertex they are not meant to meet, parcels named by a
defect are never used by another one, and no two defects come within 30 m of each
other (bounding boxes), about two rings of neighbours. One exception: a shifted
duplicate lies a few centimetres across its original's neighbours' edges. Absorbed
parcels keep their register row (a realistic REGISTER_ONLY) and new features (sliver,
outside parcel) have none (MAP_ONLY); such register consequences are not in the key.

Defects go on a random share of the sheets, min(1, 30 × rate) of the parcels, so the
vertex tables are built for those sheets only (and the strips of their neighbours
along their frames): the cost follows the rate, not the sample's size.

Key rows name features by their final fid; GAP rows have no fid (a hole is no
feature) and are found by x, y. Every row has x, y: inside the overlap or gap
triangle, at the moved/repeated vertex or spike tip, or inside the parcel.

`unnode_sheet_edges` imitates sheets digitised separately and joined: on a sheet edge
a parcel keeps only its own corners, so its vertices lie exactly on the other sheet's
parcel edges without a matching vertex (a layer-wide condition, no key rows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..reference.sheet_grid import POSITIONAL_ACCURACY_M
from .geometry import SHEET_LINE_CM
from .layout import CM

KINDS = ("GEOM_INVALID", "GEOM_EMPTY", "MULTIPART", "OVERLAP", "GAP", "NOT_NODED",
         "DUPLICATE_GEOMETRY", "SLIVER", "SPIKE", "REPEATED_VERTEX", "OUTSIDE_SHEET",
         "CROSSES_SHEET")
SPACING_M = 30.0               # defects' bounding boxes stay this far apart
OUTSIDE_DISTANCE_M = 200.0     # an OUTSIDE_SHEET parcel is at least this far from every frame
OUTSIDE_SIZE_M = (20.0, 30.0)
SPIKE_BASE_M = 0.05
SPIKE_LENGTH_M = (10.0, 20.0)
MULTIPART_REACH_M = 80.0       # the absorbed piece lies within this distance
SHEET_LINE_M = SHEET_LINE_CM / CM
RNG_SALT = 7919                # geometry defects draw from default_rng([seed, RNG_SALT])
SHEET_SHARE_PER_RATE = 30.0    # defects go on a random share of the sheets: min(1, 30 × rate)


@dataclass
class Extra:
    """A feature the map gets besides the base parcels."""
    after: int                 # base index it follows in FID order
    sheet: int                 # sheet id
    landuse: str
    geometry: object           # shapely geometry
    source: int = -1           # base index whose attributes it copies (a duplicate), or -1
    shift: tuple | None = None  # a duplicate's offset from its source (0, 0 = exact copy)
    number: int = 0            # a new feature's number, given by assemble (sheet's highest + 1)


@dataclass
class GeometryDefects:
    """What inject_geometry did, on the base parcels (FID order before any change)."""
    polygons: np.ndarray       # base parcels after the defects (None: null geometry)
    removed: np.ndarray        # absorbed into another parcel: the feature is gone
    reserved: np.ndarray       # parcels a geometry defect uses
    extras: list = field(default_factory=list)
    keys: list = field(default_factory=list)   # dicts: code, base | extra | neither, x, y, …
    counts: dict = field(default_factory=dict)

    @property
    def changes_fids(self) -> bool:
        return bool(self.removed.any()) or bool(self.extras)


@dataclass
class MapLayer:
    """The parcels layer as written: columns in FID order (fid = index + 1)."""
    columns: dict
    fid_of_base: np.ndarray    # base index -> final fid (0: removed)
    fid_of_extra: list


# ------------------------------------------------------------------------------- tables

class _Coverage:
    """Vertex and edge tables of the clean coverage (open rings, counter-clockwise).

    Occurrence j is one vertex of one parcel's ring; vid[j] the point it is at (exact,
    to the millimetre); other_next[j] the parcel sharing the edge j → nxt[j] (or -1 on
    the outer boundary of the coverage). Parcels are named by their index in
    `polygons`; with `subset`, only those parcels are read (the tables are right for a
    parcel whose neighbours are all in the subset)."""

    def __init__(self, polygons: np.ndarray, subset: np.ndarray | None = None):
        n = len(polygons)
        glob = np.arange(n) if subset is None else np.asarray(subset, dtype=np.int64)
        k = len(glob)
        xy, ring = shapely.get_coordinates(polygons if subset is None else polygons[glob], return_index=True)
        per = np.bincount(ring, minlength=k)
        keep = np.ones(len(xy), dtype=bool)
        keep[np.cumsum(per) - 1] = False          # closing vertex
        self.xy = xy[keep]
        pid = ring[keep]
        cnt = per - 1
        start = np.cumsum(cnt) - cnt
        m = len(self.xy)
        j = np.arange(m)
        first = start[pid]
        last = first + cnt[pid] - 1
        self.nxt = np.where(j == last, first, j + 1)
        self.prv = np.where(j == first, last, j - 1)
        mm = np.rint(self.xy * 1000).astype(np.int64)
        mm -= mm.min(axis=0)
        # hashing (factorize), not sorting: this runs on every vertex of the sample
        self.vid = pd.factorize((mm[:, 0] << 32) | mm[:, 1])[0].astype(np.int64)
        self.vcount = np.bincount(self.vid)
        nv = len(self.vcount)
        a, b = self.vid, self.vid[self.nxt]
        edge = pd.factorize(np.minimum(a, b) * nv + np.maximum(a, b))[0]
        uses = np.bincount(edge)[edge]
        pid_sum = np.bincount(edge, weights=pid)[edge].astype(np.int64)
        # an edge two parcels use: the other one is the sum of the two less this one
        other = np.where(uses == 2, pid_sum - pid, -1)
        self.pid = glob[pid]
        self.other_next = np.where(other >= 0, glob[np.maximum(other, 0)], -1)
        self.other_prev = self.other_next[self.prv]
        self.start = np.zeros(n, dtype=np.int64)
        self.cnt = np.zeros(n, dtype=np.int64)
        self.start[glob], self.cnt[glob] = start, cnt
        outer = (self.other_next < 0) | (self.other_prev < 0)
        self.on_outer = np.zeros(n, dtype=bool)
        self.on_outer[self.pid[outer]] = True

    def ring(self, i: int) -> np.ndarray:
        return self.xy[self.start[i]:self.start[i] + self.cnt[i]]

    def occurrences(self, i: int) -> np.ndarray:
        return np.arange(self.start[i], self.start[i] + self.cnt[i])


class _Spacing:
    """Bounding boxes of the defects placed so far, in a coarse grid."""

    def __init__(self, margin: float, cell: float = 250.0):
        self.margin, self.cell = margin, cell
        self.cells: dict = {}

    def _keys(self, box, pad):
        x0, y0, x1, y1 = box
        c = self.cell
        for i in range(int(np.floor((x0 - pad) / c)), int(np.floor((x1 + pad) / c)) + 1):
            for j in range(int(np.floor((y0 - pad) / c)), int(np.floor((y1 + pad) / c)) + 1):
                yield i, j

    def free(self, boxes) -> bool:
        m = self.margin
        for box in boxes:
            for k in self._keys(box, m):
                for o in self.cells.get(k, ()):
                    if (box[0] - m <= o[2] and o[0] <= box[2] + m
                            and box[1] - m <= o[3] and o[1] <= box[3] + m):
                        return False
        return True

    def add(self, boxes) -> None:
        for box in boxes:
            for k in self._keys(box, 0.0):
                self.cells.setdefault(k, []).append(tuple(box))


def _round(p) -> np.ndarray:
    return np.round(np.asarray(p, dtype=float), 3)


def _unit(v) -> np.ndarray:
    return v / np.hypot(v[0], v[1])


def _width(poly) -> float:
    return 2.0 * poly.area / poly.length if poly.length else 0.0


def _point(p) -> tuple[float, float]:
    return round(float(p[0]), 3), round(float(p[1]), 3)


def _surface_point(geom) -> tuple[float, float]:
    p = shapely.point_on_surface(geom)
    return _point((p.x, p.y))


def plan_counts(n_parcels: int, rate: float, rng: np.random.Generator) -> dict:
    """Defects per kind: rate × parcels in all, spread evenly over the kinds."""
    total = int(round(rate * n_parcels))
    base, rest = divmod(total, len(KINDS))
    counts = dict.fromkeys(KINDS, base)
    for i in rng.permutation(len(KINDS))[:rest]:
        counts[KINDS[int(i)]] += 1
    return counts


# ------------------------------------------------------------------------------- injection

class _Injector:
    def __init__(self, polygons, sheet, commune_of_sheet, landuse, excluded, frames_m, tol_of_sheet,
                 rng, sheet_share: float = 1.0):
        self.poly0 = polygons
        self.polygons = polygons.copy()
        self.sheet = sheet
        self.commune_of_sheet = commune_of_sheet
        self.landuse = landuse
        self.excluded = excluded
        self.frames = frames_m
        self.tol = tol_of_sheet[sheet]
        self.rng = rng
        n = len(polygons)
        self.bounds = shapely.bounds(polygons)
        n_sheets = len(frames_m)
        self.sheet_first = np.searchsorted(sheet, np.arange(n_sheets), side="left")
        self.sheet_end = np.searchsorted(sheet, np.arange(n_sheets), side="right")
        self.seeds, subset = self._sheet_subset(sheet_share)
        self.cov = _Coverage(polygons, subset=subset)
        self.removed = np.zeros(n, dtype=bool)
        self.reserved = np.zeros(n, dtype=bool)
        self.extras: list[Extra] = []
        self.keys: list[dict] = []
        self.spacing = _Spacing(SPACING_M)
        self.sheet_last = self.sheet_end - 1
        self.frame_geoms = shapely.box(*self.frames.T)
        self.register_area = None
        self.register_clash = None
        self.number = None

    def _clashes(self, sheet: int, area: float, landuse: str, number: int, side: str) -> bool:
        return self.register_clash is not None and bool(
            self.register_clash(int(sheet), float(area), landuse, int(number), side))

    def _row_clashes(self, i: int) -> bool:
        """The register row of absorbed parcel i would pair with another defect's record."""
        area = self.register_area[i] if self.register_area is not None else self.poly0[i].area
        number = self.number[i] if self.number is not None else -1
        return self._clashes(self.sheet[i], area, self.landuse[i], number, "register")

    def _sheet_subset(self, share: float):
        """Sheets the defects go on (a random share, by parcel count) and the parcels whose
        vertex tables are needed: theirs, and those of other sheets touching their frames.
        Returns (seed mask: parcels a defect may start from, subset indices or None)."""
        n = len(self.poly0)
        if share >= 1.0:
            return np.ones(n, dtype=bool), None
        per = self.sheet_end - self.sheet_first
        order = self.rng.permutation(len(per))
        upto = int(np.searchsorted(np.cumsum(per[order]), share * n)) + 1
        chosen = np.zeros(len(per), dtype=bool)
        chosen[order[:upto]] = True
        seeds = chosen[self.sheet]
        take = seeds.copy()
        f, b = self.frames, self.bounds
        for s in np.flatnonzero(chosen):
            x0, y0, x1, y1 = f[s]
            touching = np.flatnonzero((f[:, 0] <= x1) & (f[:, 2] >= x0) & (f[:, 1] <= y1) & (f[:, 3] >= y0)
                                      & ~chosen)
            for t in touching:
                lo, hi = self.sheet_first[t], self.sheet_end[t]
                bt = b[lo:hi]
                take[lo:hi] |= (bt[:, 0] <= x1) & (bt[:, 2] >= x0) & (bt[:, 1] <= y1) & (bt[:, 3] >= y0)
        return seeds, np.flatnonzero(take)

    # ---- bookkeeping

    def _boxes(self, *idx):
        return [self.bounds[i] for i in idx]

    def _usable(self, *idx) -> bool:
        return all(i >= 0 and not self.excluded[i] and not self.reserved[i] for i in idx)

    def _accept(self, boxes, *idx) -> None:
        self.spacing.add(boxes)
        self.reserved[list(idx)] = True

    def _key(self, code, *, base=None, extra=None, at=None, xy=(None, None), expected_sheet=None,
             details=""):
        self.keys.append({"code": code, "base": base, "extra": extra, "at": at, "x": xy[0], "y": xy[1],
                          "expected_sheet": expected_sheet, "details": details})

    def _candidates(self, kind: str) -> np.ndarray:
        cov = self.cov
        n = len(self.poly0)
        has = np.zeros(n, dtype=bool)
        if kind in ("OVERLAP", "GAP", "NOT_NODED", "SLIVER"):
            has[cov.pid[self._pair_occurrences()]] = True
        elif kind == "GEOM_EMPTY":
            has = ~cov.on_outer
        elif kind == "SPIKE":
            has[cov.pid[cov.other_next < 0]] = True
        elif kind == "CROSSES_SHEET":
            j = np.flatnonzero(cov.other_next >= 0)
            sa, sb = self.sheet[cov.pid[j]], self.sheet[cov.other_next[j]]
            has[cov.pid[j[(sa != sb) & (self.commune_of_sheet[sa] == self.commune_of_sheet[sb])]]] = True
        elif kind == "OUTSIDE_SHEET":      # (sheet, side) on the outer edge, a few tries each
            return self.rng.permutation(np.tile(self._outer_sides(), 4))
        else:
            has[:] = True
        return self.rng.permutation(np.flatnonzero(has & self.seeds & ~self.excluded))

    def _outer_sides(self) -> np.ndarray:
        """sheet × 4 + side (0 east, 1 west, 2 north, 3 south) of frame sides no frame lies beyond."""
        f = self.frames
        left, bottom, right, top = f.T
        out = []
        for s in range(len(f)):
            v = (bottom < top[s]) & (top > bottom[s])           # overlapping north–south
            h = (left < right[s]) & (right > left[s])
            beyond = ((left == right[s]) & v, (right == left[s]) & v,
                      (bottom == top[s]) & h, (top == bottom[s]) & h)
            out += [s * 4 + side for side in range(4) if not beyond[side].any()]
        return np.array(out, dtype=np.int64)

    def _near(self, box, pad: float) -> np.ndarray:
        """Parcels whose bounding box comes within pad of box (a sheet's parcels are contiguous)."""
        x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
        f = self.frames
        sheets = np.flatnonzero((f[:, 0] <= x1) & (f[:, 2] >= x0) & (f[:, 1] <= y1) & (f[:, 3] >= y0))
        idx = np.concatenate([np.arange(self.sheet_first[s], self.sheet_end[s]) for s in sheets]
                             or [np.zeros(0, dtype=np.int64)])
        b = self.bounds[idx]
        return idx[(b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0)]

    def _pair_occurrences(self) -> np.ndarray:
        """Vertices only A and B use, between two edges A shares with B (same sheet)."""
        if not hasattr(self, "_pairs"):
            cov = self.cov
            b = cov.other_next
            ok = (cov.vcount[cov.vid] == 2) & (b >= 0) & (cov.other_prev == b)
            j = np.flatnonzero(ok)
            a, b = cov.pid[j], b[j]
            j = j[(self.sheet[a] == self.sheet[b]) & ~self.excluded[a] & ~self.excluded[b]]
            self._pairs = j
            self._pair_mask = np.zeros(len(cov.pid), dtype=bool)
            self._pair_mask[j] = True
        return self._pairs

    def run(self, counts: dict) -> dict:
        pools = {k: self._candidates(k) for k in KINDS if counts.get(k, 0) > 0}
        pos = dict.fromkeys(pools, 0)
        done = dict.fromkeys(KINDS, 0)
        active = [k for k in KINDS if k in pools]
        while active:
            for kind in list(active):
                pool = pools[kind]
                method = getattr(self, "_" + kind.lower())
                while pos[kind] < len(pool):
                    c = int(pool[pos[kind]])
                    pos[kind] += 1
                    if method(c, done[kind]):
                        done[kind] += 1
                        break
                if done[kind] >= counts[kind] or pos[kind] >= len(pool):
                    active.remove(kind)
        return done

    # ---- helpers

    def _vertex_ring(self, ring, i, points) -> np.ndarray:
        """ring (open) with `points` inserted after vertex i."""
        return np.concatenate([ring[:i + 1], np.asarray(points, dtype=float).reshape(-1, 2), ring[i + 1:]])

    # ---- kinds

    def _geom_invalid(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        ring, poly, tol = self.cov.ring(a), self.poly0[a], self.tol[a]
        n = len(ring)
        for i in self.rng.permutation(n)[:4]:
            v, prev, nxt = ring[i], ring[i - 1], ring[(i + 1) % n]
            inward = _unit(np.array([-(nxt - prev)[1], (nxt - prev)[0]]))
            p = _round(v + self.rng.uniform(1.5, 4.0) * inward)
            seg = shapely.linestrings([v, p])
            if (not shapely.covers(poly, seg)
                    or shapely.distance(shapely.points(p), poly.exterior) < max(2 * tol, 1.0)):
                continue
            new = shapely.Polygon(self._vertex_ring(ring, i, [p, v]))
            if shapely.is_valid(new):
                continue
            self.polygons[a] = new
            self._accept(self._boxes(a), a)
            self._key("GEOM_INVALID", base=a, xy=_point(v),
                      details=f"zero-width spike into the parcel from ({v[0]:.3f}, {v[1]:.3f}) and back: "
                              f"the ring touches itself")
            return True
        return False

    def _geom_empty(self, a: int, k: int) -> bool:
        if not self._usable(a) or self.cov.on_outer[a] or not self.spacing.free(self._boxes(a)):
            return False
        xy = _surface_point(self.poly0[a])
        self.polygons[a] = None
        self._accept(self._boxes(a), a)
        self._key("GEOM_EMPTY", base=a, xy=xy, details="geometry is null")
        self._key("GAP", at=a, xy=xy, details=f"the place of fid {{fid:{a}}}, whose geometry is null "
                                             f"({self.poly0[a].area:.1f} m²)")
        return True

    def _multipart(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        pa = self.poly0[a]
        near = self._near(self.bounds[a], MULTIPART_REACH_M)
        near = near[(self.sheet[near] == self.sheet[a]) & (near != a) & ~self.excluded[near]
                    & ~self.reserved[near]]
        if not len(near):
            return False
        dist = shapely.distance(pa, self.poly0[near])
        near = near[(dist >= 5.0) & (dist <= MULTIPART_REACH_M)]
        for c in self.rng.permutation(near)[:6]:
            c = int(c)
            boxes = self._boxes(a, c)
            if not self._usable(c) or not self.spacing.free(boxes) or self._row_clashes(c):
                continue
            self.polygons[a] = shapely.MultiPolygon([pa, self.poly0[c]])
            self.removed[c] = True
            self._accept(boxes, a, c)
            self._key("MULTIPART", base=a, xy=_surface_point(pa),
                      details=f"absorbed parcel {{parcel:{c}}} (its feature removed), "
                              f"{shapely.distance(pa, self.poly0[c]):.1f} m away")
            return True
        return False

    def _move_vertex(self, a: int, kind: str) -> bool:
        """OVERLAP, GAP, NOT_NODED: move a vertex only A and B use."""
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        cov = self.cov
        self._pair_occurrences()
        occ = cov.occurrences(a)
        occ = occ[self._pair_mask[occ]]
        tol = self.tol[a]
        for j in self.rng.permutation(occ)[:6]:
            b = int(cov.other_next[j])
            boxes = self._boxes(a, b)
            if not self._usable(b) or not self.spacing.free(boxes):
                continue
            v, prev, nxt = cov.xy[j], cov.xy[cov.prv[j]], cov.xy[cov.nxt[j]]
            chord = nxt - prev
            out = _unit(np.array([chord[1], -chord[0]]))      # right of a CCW ring: out of A, into B
            if kind == "NOT_NODED":
                d = tol / 3.0
                into_b = bool(self.rng.random() < 0.5)
            else:
                d = max(1.0, 8.0 * tol)
                into_b = kind == "OVERLAP"
            host = b if into_b else a
            v2 = _round(v + (d if into_b else -d) * out)
            region = shapely.Polygon([prev, v, nxt, v2])
            if not region.is_valid or region.area <= 0 or not shapely.covers(self.poly0[host], region):
                continue
            width = _width(region)
            if kind != "NOT_NODED" and width <= 1.5 * tol:
                continue
            # in the host ring: v, prev, next, and the two chain edges are left out
            if not self._clear_in(host, v, v2, prev, nxt):
                continue
            ring = cov.ring(a).copy()
            ring[j - cov.start[a]] = v2
            new = shapely.Polygon(ring)
            if not new.is_valid:
                continue
            self.polygons[a] = new
            self._accept(boxes, a, b)
            where = "into" if into_b else "away from"
            if kind == "OVERLAP":
                xy = _surface_point(region)
                text = (f"vertex of fid {{fid:{a}}} moved {d:.2f} m into fid {{fid:{b}}}: "
                        f"overlap {region.area:.2f} m², width {width:.2f} m")
                self._key("OVERLAP", base=a, xy=xy, details=text)
                self._key("OVERLAP", base=b, xy=xy, details=text)
            elif kind == "GAP":
                self._key("GAP", at=a, xy=_surface_point(region),
                          details=f"vertex of fid {{fid:{a}}} moved {d:.2f} m away from fid {{fid:{b}}}: "
                                  f"gap {region.area:.2f} m², width {width:.2f} m")
            else:
                text = (f"vertex of fid {{fid:{a}}} moved {d:.3f} m {where} fid {{fid:{b}}} "
                        f"(micro {'overlap' if into_b else 'gap'}, width {width:.3f} m)")
                self._key("NOT_NODED", base=a, xy=_point(v2), details=text)
                self._key("NOT_NODED", base=b, xy=_point(v2), details=text)
            return True
        return False

    def _clear_in(self, host: int, v, v2, prev, nxt) -> bool:
        """The moved vertex v2 and the new edges prev–v2–nxt keep 2·tol from the host's other
        vertices and edges (v, prev, nxt and the chain edges prev–v–nxt left out)."""
        tol = self.tol[host]
        ring = self.cov.ring(host)
        k = len(ring)
        i = _find(ring, v)
        if i < 0:
            return False
        chain = {(i - 1) % k, i, (i + 1) % k}
        others = [ring[t] for t in range(k) if t not in chain]
        new_edges = shapely.linestrings([prev, v2, nxt])
        if others and shapely.distance(new_edges, shapely.multipoints(others)) < 2 * tol:
            return False
        # the ring from nxt round to prev: every edge but prev–v and v–nxt
        rest = shapely.linestrings(np.roll(ring, -((i + 1) % k), axis=0)[:k - 1])
        return shapely.distance(shapely.points(v2), rest) >= 2 * tol

    def _overlap(self, a, k):
        return self._move_vertex(a, "OVERLAP")

    def _gap(self, a, k):
        return self._move_vertex(a, "GAP")

    def _not_noded(self, a, k):
        return self._move_vertex(a, "NOT_NODED")

    def _duplicate_geometry(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        poly = self.poly0[a]
        if k % 2 == 0:
            shift, how = (0.0, 0.0), "exact copy"
        else:
            r = self.tol[a] * self.rng.uniform(0.1, 0.4)
            t = self.rng.uniform(0, 2 * np.pi)
            shift = (round(r * np.cos(t), 3), round(r * np.sin(t), 3))
            how = f"copy shifted by {np.hypot(*shift):.3f} m"
        copy = _shifted(poly, shift)
        self.extras.append(Extra(after=a, sheet=int(self.sheet[a]), landuse=self.landuse[a],
                                 geometry=copy, source=a, shift=shift))
        e = len(self.extras) - 1
        self._accept(self._boxes(a), a)
        xy = _surface_point(poly)
        self._key("DUPLICATE_GEOMETRY", base=a, xy=xy, details=f"original; {how} added as fid {{xfid:{e}}}")
        self._key("DUPLICATE_GEOMETRY", extra=e, xy=xy, details=f"{how} of fid {{fid:{a}}}")
        return True

    def _sliver(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        cov = self.cov
        self._pair_occurrences()
        occ = cov.occurrences(a)
        occ = occ[self._pair_mask[occ]]
        tol = self.tol[a]
        ring = cov.ring(a)
        n = len(ring)
        s0 = cov.start[a]
        for j in self.rng.permutation(occ)[:3]:
            b = int(cov.other_next[j])
            boxes = self._boxes(a, b)
            if not self._usable(b) or not self.spacing.free(boxes):
                continue
            # the run of vertices only A and B use, around j
            first = last = j - s0
            for _ in range(n):
                p = (first - 1) % n
                if not self._pair_mask[s0 + p] or cov.other_next[s0 + p] != b:
                    break
                first = p
            for _ in range(n):
                q = (last + 1) % n
                if not self._pair_mask[s0 + q] or cov.other_next[s0 + q] != b:
                    break
                last = q
            inner = [(first + t) % n for t in range((last - first) % n + 1)]
            if len(inner) + 2 > n:
                continue
            v0, vk = ring[(first - 1) % n], ring[(last + 1) % n]
            inward = []
            for t in inner:
                chord = ring[(t + 1) % n] - ring[t - 1]
                inward.append(_unit(np.array([-chord[1], chord[0]])))

            def carve(h):
                w = _round(ring[inner] + h * np.array(inward))
                rest = ring.copy()
                rest[inner] = w
                lens = shapely.Polygon(np.vstack([[v0], ring[inner], [vk], w[::-1]]))
                return lens, shapely.Polygon(rest), w

            lens, rest, w = carve(tol / 2.0)
            if not lens.is_valid or lens.area <= 0:
                continue
            # offsets scaled so the lens's mean width 2A/P comes to about tol/2
            lens, rest, w = carve(min(1.5 * tol, tol / 2.0 * (tol / 2.0) / _width(lens)))
            if not (lens.is_valid and rest.is_valid and lens.area > 0):
                continue
            if abs(rest.area + lens.area - self.poly0[a].area) > 1e-6 * max(1.0, self.poly0[a].area):
                continue
            if _width(lens) >= 2 * tol:
                continue
            # new vertices: 2·tol from A's boundary outside the chain (vk round to v0)
            around = np.roll(ring, -((last + 1) % n), axis=0)[:n - len(inner)]
            if shapely.distance(shapely.multipoints(w), shapely.linestrings(around)) < 2 * tol:
                continue
            if self._clashes(self.sheet[a], round(lens.area, 1), self.landuse[a], -1, "map"):
                continue
            self.polygons[a] = rest
            self.extras.append(Extra(after=int(self.sheet_last[self.sheet[a]]), sheet=int(self.sheet[a]),
                                     landuse=self.landuse[a], geometry=lens))
            e = len(self.extras) - 1
            self._accept(boxes, a, b)
            self._key("SLIVER", extra=e, xy=_surface_point(lens),
                      details=f"lens {lens.area:.2f} m², width {_width(lens):.3f} m, carved from fid "
                              f"{{fid:{a}}} along its boundary with fid {{fid:{b}}}")
            return True
        return False

    def _spike(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        cov = self.cov
        occ = cov.occurrences(a)
        occ = occ[cov.other_next[occ] < 0]
        ring = cov.ring(a)
        pa = self.poly0[a]
        for j in self.rng.permutation(occ)[:4]:
            p, q = cov.xy[j], cov.xy[cov.nxt[j]]
            length = float(np.hypot(*(q - p)))
            if length < 1.0:
                continue
            u = (q - p) / length
            out = np.array([u[1], -u[0]])
            t = self.rng.uniform(0.3, 0.7) * length
            b1 = _round(p + (t - SPIKE_BASE_M / 2) * u)
            b2 = _round(p + (t + SPIKE_BASE_M / 2) * u)
            tip = _round(p + t * u + self.rng.uniform(*SPIKE_LENGTH_M) * out)
            tri = shapely.Polygon([b1, tip, b2])
            hits = self._near(shapely.bounds(tri), 2.0)
            hits = hits[shapely.dwithin(self.poly0[hits], tri, 2.0)]
            if set(hits.tolist()) != {a} or shapely.intersection(pa, tri).area > 1e-9:
                continue
            box = np.concatenate([np.minimum(self.bounds[a][:2], shapely.bounds(tri)[:2]),
                                  np.maximum(self.bounds[a][2:], shapely.bounds(tri)[2:])])
            if not self.spacing.free([box]):
                continue
            new = shapely.Polygon(self._vertex_ring(ring, j - cov.start[a], [b1, tip, b2]))
            if not new.is_valid:
                continue
            self.polygons[a] = new
            self._accept([box], a)
            self._key("SPIKE", base=a, xy=_point(tip),
                      details=f"outward spike {np.hypot(*(tip - b1)):.1f} m long, base {SPIKE_BASE_M:.2f} m, "
                              f"on the outer boundary")
            return True
        return False

    def _repeated_vertex(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        ring = self.cov.ring(a)
        i = int(self.rng.integers(len(ring)))
        self.polygons[a] = shapely.Polygon(self._vertex_ring(ring, i, [ring[i]]))
        self._accept(self._boxes(a), a)
        self._key("REPEATED_VERTEX", base=a, xy=_point(ring[i]),
                  details=f"vertex {i + 1} written twice in a row")
        return True

    def _outside_sheet(self, code: int, k: int) -> bool:
        s, side = divmod(int(code), 4)
        left, bottom, right, top = self.frames[s]
        w, h = OUTSIDE_SIZE_M
        gap = OUTSIDE_DISTANCE_M + self.rng.uniform(5.0, 60.0)
        along_x = float(self.rng.uniform(left, max(left, right - w)))
        along_y = float(self.rng.uniform(bottom, max(bottom, top - h)))
        x0, y0 = [(right + gap, along_y), (left - gap - w, along_y),
                  (along_x, top + gap), (along_x, bottom - gap - h)][side]
        x0, y0 = round(x0), round(y0)
        rect = shapely.box(x0, y0, x0 + w, y0 + h)
        box = np.array([x0, y0, x0 + w, y0 + h], dtype=float)
        if not self.spacing.free([box]):
            return False
        frames = self.frame_geoms
        if shapely.distance(frames, rect).min() < OUTSIDE_DISTANCE_M:
            return False
        uses = ("BHK", "CLN", "LUC", "RSX")
        landuse = uses[int(self.rng.integers(len(uses)))]
        if self._clashes(s, rect.area, landuse, -1, "map"):
            return False
        self.extras.append(Extra(after=int(self.sheet_last[s]), sheet=int(s), landuse=landuse, geometry=rect))
        e = len(self.extras) - 1
        self.spacing.add([box])
        self._key("OUTSIDE_SHEET", extra=e, xy=_surface_point(rect),
                  details=f"{w:.0f} × {h:.0f} m parcel "
                          f"{shapely.distance(frames, rect).min():.0f} m outside every sheet frame")
        return True

    def _crosses_sheet(self, a: int, k: int) -> bool:
        if not self._usable(a) or not self.spacing.free(self._boxes(a)):
            return False
        cov = self.cov
        occ = cov.occurrences(a)
        b_all = cov.other_next[occ]
        ok = b_all >= 0
        b_all = np.unique(b_all[ok])
        sa = self.sheet[a]
        b_all = b_all[(self.sheet[b_all] != sa)
                      & (self.commune_of_sheet[self.sheet[b_all]] == self.commune_of_sheet[sa])]
        for b in self.rng.permutation(b_all)[:3]:
            b = int(b)
            boxes = self._boxes(a, b)
            if not self._usable(b) or not self.spacing.free(boxes):
                continue
            if self._row_clashes(b):
                continue
            pa, pb = self.poly0[a], self.poly0[b]
            union = shapely.coverage_union(pa, pb)
            if union.geom_type != "Polygon" or not union.is_valid or len(union.interiors):
                continue
            if abs(union.area - pa.area - pb.area) > 1e-6 * union.area:
                continue
            self.polygons[a] = union
            self.removed[b] = True
            self._accept(boxes, a, b)
            larger = a if pa.area >= pb.area else b
            self._key("CROSSES_SHEET", base=a, xy=_surface_point(union),
                      expected_sheet=int(self.sheet[larger]),
                      details=f"absorbed parcel {{parcel:{b}}} of the neighbouring sheet (its feature "
                              f"removed): {pa.area:.1f} m² + {pb.area:.1f} m² over two sheets")
            return True
        return False


def _find(ring: np.ndarray, v) -> int:
    hit = np.flatnonzero((np.abs(ring[:, 0] - v[0]) < 5e-4) & (np.abs(ring[:, 1] - v[1]) < 5e-4))
    return int(hit[0]) if len(hit) else -1


def _shifted(poly, shift):
    if shift == (0.0, 0.0):
        return shapely.Polygon(poly.exterior.coords) if poly.geom_type == "Polygon" else poly
    return shapely.transform(poly, lambda c: np.round(c + np.asarray(shift), 3))


def inject_geometry(polygons: np.ndarray, sheet: np.ndarray, landuse: np.ndarray, excluded: np.ndarray,
                    sheet_frame_m: np.ndarray, sheet_scale: np.ndarray, sheet_commune: np.ndarray,
                    rate: float, rng: np.random.Generator, *, number=None, register_area=None,
                    register_clash=None) -> GeometryDefects:
    """Put geometry defects on about rate × parcels of the coverage.

    polygons: the clean parcels in FID order, sheet: their sheet ids (sorted), landuse;
    excluded: parcels to leave alone (renumbered, or used by a register defect);
    sheet_frame_m: frames (left, bottom, right, top) in metres; rng: a stream of its own.
    register_clash(sheet, area, landuse, number, side), if given, tells whether a map
    feature without a register row (side "map": a sliver, an outside parcel) or a row
    whose parcel is absorbed (side "register", area from register_area) would look
    like the partner of a register defect's unpaired record (number: the parcels' numbers);
    such a defect goes elsewhere."""
    counts = plan_counts(len(polygons), rate, rng)
    tol_of_sheet = np.array([POSITIONAL_ACCURACY_M[int(s)] for s in sheet_scale], dtype=float)
    inj = _Injector(polygons, sheet, sheet_commune, landuse, excluded, np.asarray(sheet_frame_m, dtype=float),
                    tol_of_sheet, rng, sheet_share=min(1.0, SHEET_SHARE_PER_RATE * rate))
    inj.register_area = register_area
    inj.number = number
    inj.register_clash = register_clash
    done = inj.run(counts)
    return GeometryDefects(polygons=inj.polygons, removed=inj.removed, reserved=inj.reserved,
                           extras=inj.extras, keys=inj.keys, counts=done)


# ------------------------------------------------------------------------------- unnoding

def unnode_sheet_edges(polygons: np.ndarray, sheet: np.ndarray,
                       ignore: np.ndarray | None = None) -> np.ndarray:
    """Drop, from each parcel, the vertices on a sheet-edge line where its ring runs straight
    on and that only parcels of another sheet use as a corner: what joining separately
    digitised sheets gives. Outlines (and areas) are unchanged; along sheet edges the
    vertices of one sheet's parcels then lie exactly on the other sheet's edges.

    Vertices are on a sheet line when their easting or northing is an exact multiple
    of 500 m (generated sheet edges are exact there). `ignore`: features left out of the
    analysis and unchanged (exact copies of another feature). Null geometries stay null."""
    polygons = np.asarray(polygons, dtype=object)
    use = ~shapely.is_missing(polygons) & (shapely.get_type_id(polygons) == 3)
    if ignore is not None:
        use &= ~ignore
    idx = np.flatnonzero(use)
    out = polygons.copy()
    if not len(idx):
        return out
    cov = _Coverage(polygons, subset=idx)
    xy, prv, nxt = cov.xy, cov.prv, cov.nxt
    x, y = xy[:, 0], xy[:, 1]
    on_x = (np.mod(x, SHEET_LINE_M) == 0) & (x[prv] == x) & (x[nxt] == x)
    on_y = (np.mod(y, SHEET_LINE_M) == 0) & (y[prv] == y) & (y[nxt] == y)
    straight = on_x | on_y
    on_line = (np.mod(x, SHEET_LINE_M) == 0) | (np.mod(y, SHEET_LINE_M) == 0)
    s = np.asarray(sheet)[cov.pid].astype(np.int64)
    n_sheets = int(s.max()) + 1
    vs = cov.vid.astype(np.int64) * n_sheets + s
    # occurrences of the point in parcels of the same sheet, and corners there by sheet
    inv = pd.factorize(vs)[0]
    same_count = np.bincount(inv)
    corner = on_line & ~straight
    corners_total = np.bincount(cov.vid, weights=corner, minlength=len(cov.vcount))
    corners_same = np.bincount(inv, weights=corner, minlength=len(same_count))
    other_corner = corners_total[cov.vid] - corners_same[inv] > 0
    drop = straight & (same_count[inv] == 1) & other_corner
    if not drop.any():
        return out
    changed = np.unique(cov.pid[drop])
    keep = ~drop & np.isin(cov.pid, changed)
    # close each ring again: its first kept vertex repeated at the end
    kp = np.flatnonzero(keep)
    pid = cov.pid[kp]
    first = np.r_[True, pid[1:] != pid[:-1]]
    starts = kp[first]
    counts = np.diff(np.r_[np.flatnonzero(first), len(kp)])
    coords = np.insert(xy[kp], np.cumsum(counts), xy[starts], axis=0)
    ring_id = np.repeat(np.arange(len(counts)), counts + 1)
    rings = shapely.linearrings(coords, indices=ring_id)
    out[changed] = shapely.polygons(rings)
    return out


# ------------------------------------------------------------------------------- the map and the key

def assemble(geo: GeometryDefects | None, base: dict, sheet: np.ndarray, top: np.ndarray,
             sheet_label: list, commune_code_of_sheet: list, unnoded: bool) -> MapLayer:
    """The parcels layer: base parcels (less the removed ones) in their order, new features
    after their source (a duplicate) or at the end of their sheet; new features take the
    sheet's highest number + 1 (top: highest number per sheet, updated).

    base: MAXA, SHBANDO, SHTHUA, DIENTICH, KHLOAIDAT, geometry arrays in base order."""
    n = len(sheet)
    removed = geo.removed if geo is not None else np.zeros(n, dtype=bool)
    extras = geo.extras if geo is not None else []
    geometry = np.asarray(geo.polygons if geo is not None else base["geometry"], dtype=object)
    alive = np.flatnonzero(~removed)
    new = {c: [] for c in ("MAXA", "SHBANDO", "SHTHUA", "DIENTICH", "KHLOAIDAT")}
    for e in extras:
        if e.source >= 0:
            for c in new:
                new[c].append(base[c][e.source])
            continue
        top[e.sheet] += 1
        e.number = int(top[e.sheet])
        new["MAXA"].append(commune_code_of_sheet[e.sheet])
        new["SHBANDO"].append(sheet_label[e.sheet])
        new["SHTHUA"].append(e.number)
        new["DIENTICH"].append(round(float(shapely.area(e.geometry)), 1))
        new["KHLOAIDAT"].append(e.landuse)
    after = np.concatenate([alive, np.array([e.after for e in extras], dtype=np.int64)])
    sub = np.concatenate([np.zeros(len(alive), dtype=np.int64), np.arange(1, len(extras) + 1)])
    order = np.lexsort((sub, after))
    types = {"SHTHUA": np.int64, "DIENTICH": float}
    cols = {}
    for c, values in new.items():
        t = types.get(c, object)
        cols[c] = np.concatenate([np.asarray(base[c], dtype=t)[alive], np.array(values, dtype=t)])[order]
    geoms = np.concatenate([geometry[alive], np.array([e.geometry for e in extras] + [None],
                                                      dtype=object)[:-1]])[order]
    feat_sheet = np.concatenate([np.asarray(sheet)[alive],
                                 np.array([e.sheet for e in extras], dtype=np.int64)])[order]
    fid = np.empty(len(order), dtype=np.int64)
    fid[order] = np.arange(1, len(order) + 1)
    fid_of_base = np.zeros(n, dtype=np.int64)
    fid_of_base[alive] = fid[:len(alive)]
    fid_of_extra = fid[len(alive):].tolist()
    if unnoded:
        copies = np.zeros(len(geoms), dtype=bool)
        exact = [(fid_of_extra[k] - 1, int(fid_of_base[e.source]) - 1) for k, e in enumerate(extras)
                 if e.source >= 0 and e.shift == (0.0, 0.0)]
        for f, _ in exact:
            copies[f] = True
        geoms = unnode_sheet_edges(geoms, feat_sheet, ignore=copies)
        for f, src in exact:
            geoms[f] = geoms[src]
    cols["SHTHUA"] = cols["SHTHUA"].tolist()
    cols["DIENTICH"] = cols["DIENTICH"].tolist()
    cols["geometry"] = geoms
    return MapLayer(columns=cols, fid_of_base=fid_of_base, fid_of_extra=fid_of_extra)


_FID_REF = re.compile(r"\{(x?fid|parcel):(\d+)\}")
_FID_TEXT = re.compile(r"\b(fids?) (\d+)(?: and (\d+))?")


def topology_key_rows(geo: GeometryDefects, layer: MapLayer, base: dict, sheet_label: list,
                      key_columns: list) -> pd.DataFrame:
    """Key rows of the geometry defects, with the final map_fid of each feature named
    (base: the base parcels' SHBANDO and SHTHUA, to name a removed parcel sheet/number)."""
    cols = layer.columns
    rows = []

    def fid_text(m):
        i = int(m.group(2))
        if m.group(1) == "parcel":
            return f"{base['SHBANDO'][i]}/{base['SHTHUA'][i]}"
        return str(layer.fid_of_extra[i] if m.group(1) == "xfid" else layer.fid_of_base[i])

    for k in geo.keys:
        if k["base"] is not None:
            fid = int(layer.fid_of_base[k["base"]])
        elif k["extra"] is not None:
            fid = int(layer.fid_of_extra[k["extra"]])
        else:
            fid = None
        row = dict.fromkeys(key_columns)
        if fid is not None:
            r = fid - 1
            row.update(commune=cols["MAXA"][r], sheet=cols["SHBANDO"][r], parcel=int(cols["SHTHUA"][r]))
        else:     # a hole: the commune and sheet of the parcel beside it
            r = int(layer.fid_of_base[k["at"]]) - 1
            if r >= 0:
                row.update(commune=cols["MAXA"][r], sheet=cols["SHBANDO"][r])
        row.update(code=k["code"], map_fid=fid, x=k["x"], y=k["y"], group="topology",
                   details=_FID_REF.sub(fid_text, k["details"]))
        if k["expected_sheet"] is not None:
            row["expected_sheet"] = sheet_label[k["expected_sheet"]]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=key_columns)
    order = {code: i for i, code in enumerate(KINDS)}
    frame["_o"] = frame["code"].map(order)
    frame = frame.sort_values("_o", kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)


def remap_register_fids(key: pd.DataFrame, fid_of_base: np.ndarray) -> pd.DataFrame:
    """Register key rows name base fids (index + 1): turn them into final fids, in the
    map_fid column and in the details text."""
    key = key.copy()
    m = key["map_fid"]
    has = m.notna()
    key.loc[has, "map_fid"] = fid_of_base[m[has].astype(np.int64).to_numpy() - 1]

    def sub(match):
        out = f"{match.group(1)} {fid_of_base[int(match.group(2)) - 1]}"
        if match.group(3):
            out += f" and {fid_of_base[int(match.group(3)) - 1]}"
        return out

    key["details"] = [_FID_TEXT.sub(sub, d) if isinstance(d, str) else d for d in key["details"]]
    return key
