"""Topology checks of a parcel layer, in bulk: validity, coverage (overlaps, gaps,
noding), shape (slivers, spikes, repeated vertices) and sheet frames.

Why it is fast: GEOS's coverage validator finds in one linear pass every parcel whose
edges do not exactly match its neighbours'. In a cadastral map that is a few percent,
so the costly pairwise work (relate, intersection, distance) runs on those suspects
only. Gaps are the holes of the union: the parcels that match exactly are unioned with
GEOS's coverage union (linear), the rest with the robust overlay union. Work is split
into vertical strips with a halo of neighbours and run on threads: shapely releases
the GIL in its vectorised functions, so both cores work.

Tolerances come from each parcel's map scale (positional accuracy, DOMAIN.md):
an overlap or gap thinner than that (mean width 2·area/perimeter) is measurement
noise left by unmatched vertices and is reported as NOT_NODED, not as OVERLAP/GAP.
"""
from __future__ import annotations

import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import FlagSet, render
from ..i18n import phrase
from ..progress import Progress
from ..reference.sheet_grid import POSITIONAL_ACCURACY_M

TOPOLOGY_CODES = ("GEOM_EMPTY", "GEOM_INVALID", "MULTIPART", "REPEATED_VERTEX", "SPIKE", "SLIVER",
                  "DUPLICATE_GEOMETRY", "OVERLAP", "GAP", "NOT_NODED", "OUTSIDE_SHEET",
                  "CROSSES_SHEET")
SHEET_CODES = ("OUTSIDE_SHEET", "CROSSES_SHEET")
DEFAULT_SCALE = 1000
POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def default_workers() -> int:
    """Threads for the checks: CADASTRE_CLEANER_WORKERS, else up to 2 (these machines' cores)."""
    try:
        return max(1, int(os.environ["CADASTRE_CLEANER_WORKERS"]))
    except (KeyError, ValueError):
        return max(1, min(2, os.cpu_count() or 1))


@dataclass
class TopologyOptions:
    tolerance_m: float | None = None      # positional tolerance; default from each parcel's scale
    default_scale: int = DEFAULT_SCALE    # for parcels whose scale is unknown
    sliver_width_factor: float = 2.0      # SLIVER: mean width below factor × tolerance …
    sliver_area_factor: float = 10.0      # … or area below (factor × tolerance)²
    spike_angle_deg: float = 1.0          # SPIKE: a vertex angle sharper than this
    repeated_m: float = 0.001             # REPEATED_VERTEX: consecutive vertices this close
    on_edge_m: float = 0.001              # NOT_NODED info: a vertex this close lies on the edge
    duplicate_iou: float = 0.9            # DUPLICATE_GEOMETRY: shared / union area at least
    sheet_part_share: float = 0.01        # CROSSES/OUTSIDE_SHEET: a part counts from this share
    workers: int = field(default_factory=lambda: default_workers())


@dataclass
class TopologyResult:
    work: np.ndarray            # the geometries checked: invalid ones made valid, empty → None
    suspects: np.ndarray        # parcel indices whose edges do not match their neighbours'
    overlaps: pd.DataFrame      # every pair sharing area: i, j, area, width, duplicate, flagged
    gaps: pd.DataFrame          # every hole of the coverage: area, width, x, y, geometry, flagged
    holes_area: np.ndarray      # area of every hole of the union, before clipping to the sheets
    stats: dict
    timings: dict


def tolerances(scale: np.ndarray | None, n: int, options: TopologyOptions) -> np.ndarray:
    """Positional tolerance per parcel (m): the option, else by the parcel's scale."""
    if options.tolerance_m:
        return np.full(n, float(options.tolerance_m))
    s = np.full(n, float(options.default_scale)) if scale is None else \
        np.where(np.isnan(np.asarray(scale, dtype=float)), options.default_scale, scale)
    scales = np.array(sorted(POSITIONAL_ACCURACY_M))
    acc = np.array([POSITIONAL_ACCURACY_M[k] for k in scales])
    # unknown scale values take the nearest listed scale
    pos = np.abs(np.log(s[:, None]) - np.log(scales[None, :])).argmin(axis=1)
    return acc[pos]


# ---- helpers ------------------------------------------------------------------------------

class _Pool:
    """Runs vectorised shapely functions on slices in threads (shapely drops the GIL)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.ex = ThreadPoolExecutor(workers) if workers > 1 else None

    def map(self, fn, *arrays, min_size: int = 20_000):
        n = len(arrays[0])
        if self.ex is None or n < min_size:
            return fn(*arrays)
        parts = np.array_split(np.arange(n), self.workers * 2)
        results = list(self.ex.map(lambda ix: fn(*(a[ix] for a in arrays)), parts))
        return np.concatenate(results)

    def run(self, fn, items):
        if self.ex is None:
            return [fn(x) for x in items]
        return list(self.ex.map(fn, items))

    def close(self):
        if self.ex is not None:
            self.ex.shutdown()


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep the polygonal parts of each geometry (make_valid may return collections)."""
    out = np.full(len(geoms), None, dtype=object)
    if not len(geoms):
        return out
    types = shapely.get_type_id(geoms)
    simple = np.isin(types, POLYGONAL)
    out[simple] = geoms[simple]
    rest = np.flatnonzero(~simple & (types >= 0))
    if len(rest):
        parts, idx = shapely.get_parts(geoms[rest], return_index=True)
        parts, idx = _explode_polygons(parts, idx)
        if len(parts):
            got, count = np.unique(idx, return_counts=True)
            multi = shapely.multipolygons(parts, indices=idx)[got]
            out[rest[got]] = np.where(count == 1, shapely.get_geometry(multi, 0), multi)
    empty = np.array([g is not None for g in out]) & shapely.is_empty(out)
    out[empty] = None
    return out


def _explode_polygons(parts: np.ndarray, idx: np.ndarray):
    """Polygons among parts (multipolygons opened up), with the index they belong to."""
    types = shapely.get_type_id(parts)
    multi = types == shapely.GeometryType.MULTIPOLYGON
    if multi.any():
        sub, sub_i = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[types == shapely.GeometryType.POLYGON], sub])
        idx = np.concatenate([idx[types == shapely.GeometryType.POLYGON], idx[multi][sub_i]])
    else:
        keep = types == shapely.GeometryType.POLYGON
        parts, idx = parts[keep], idx[keep]
    keep = ~shapely.is_empty(parts)
    return parts[keep], idx[keep]


BLOCK_SIZE = 40_000     # parcels per block: GEOS's coverage union slows down super-linearly beyond


def _blocks(bounds: np.ndarray, size: int = BLOCK_SIZE) -> np.ndarray:
    """Split parcels into compact 2-D blocks of about `size` (by bbox centre): a block
    id per parcel. Blocks are the units of parallel work."""
    n = len(bounds)
    k = max(1, -(-n // size))
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2
    kx = max(1, int(round(math.sqrt(k))))
    ky = -(-k // kx)
    col = np.minimum((np.argsort(np.argsort(cx, kind="stable"), kind="stable") * kx) // n, kx - 1)
    block = np.empty(n, dtype=np.int64)
    for c in range(kx):
        sel = np.flatnonzero(col == c)
        rank = np.argsort(np.argsort(cy[sel], kind="stable"), kind="stable")
        block[sel] = c * ky + np.minimum(rank * ky // max(len(sel), 1), ky - 1)
    return block


def _squares(x: np.ndarray, y: np.ndarray, half: np.ndarray | float) -> np.ndarray:
    """Small squares marking points: flags are stored as polygons."""
    half = np.broadcast_to(np.asarray(half, dtype=float), np.shape(x))
    return shapely.box(x - half, y - half, x + half, y + half)


def _join(sep: str, *arrays) -> np.ndarray:
    """Element-wise text join of object/str arrays (numpy's + does not join strings)."""
    out = pd.Series(np.asarray(arrays[0], dtype=object)).astype(str)
    for a in arrays[1:]:
        out = out + sep + pd.Series(np.asarray(a, dtype=object)).astype(str).to_numpy()
    return out.to_numpy(object)


def _fmt(v, digits=1):
    return f"{v:.{digits}f}"


def _where(x, y):
    return f"({x:.2f}, {y:.2f})"


# ---- the check ----------------------------------------------------------------------------

class TopologyCheck:
    """One run over one layer. `m` holds commune, sheet, parcel (and optionally scale) per
    parcel, aligned with `geom`."""

    def __init__(self, geom: np.ndarray, m: pd.DataFrame, flags: FlagSet, codes=None,
                 options: TopologyOptions | None = None, progress: Progress | None = None):
        self.geom = np.asarray(geom, dtype=object)
        self.n = len(self.geom)
        self.m = m
        self.flags = flags
        self.codes = set(TOPOLOGY_CODES if codes is None else codes) & set(TOPOLOGY_CODES)
        self.opt = options or TopologyOptions()
        self.progress = progress or Progress()
        self.tol = tolerances(m["scale"].to_numpy(float) if "scale" in m else None, self.n, self.opt)
        self.commune = m["commune"].to_numpy(object)
        self.sheet = m["sheet"].to_numpy(object)
        self.parcel = m["parcel"].to_numpy(object)
        self.label = _join("/", self.sheet, self.parcel)
        self.pool = _Pool(self.opt.workers)
        self.timings: dict = {}
        self.stats: dict = {}
        self.holes_area = np.zeros(0)

    def want(self, *codes) -> bool:
        return bool(self.codes.intersection(codes))

    def _lap(self, name, t0, pct):
        self.timings[name] = round(time.perf_counter() - t0, 3)
        self.progress.set_progress(pct)
        self.progress.check()
        return time.perf_counter()

    def add(self, code, idx, **kw):
        idx = np.asarray(idx, dtype=np.int64)
        if not len(idx) or code not in self.codes:
            return
        self.flags.add(code, len(idx), commune=kw.pop("commune", self.commune[idx]),
                       sheet=kw.pop("sheet", self.sheet[idx]), parcel=kw.pop("parcel", self.parcel[idx]),
                       map_idx=kw.pop("map_idx", idx), geom_ref=kw.pop("geom_ref", idx), **kw)

    # ------------------------------------------------------------------------------------
    def run(self, sheets: pd.DataFrame | None = None, sheet_geom: np.ndarray | None = None) -> TopologyResult:
        try:
            return self._run(sheets, sheet_geom)
        finally:
            self.pool.close()

    def _run(self, sheets, sheet_geom) -> TopologyResult:
        t = time.perf_counter()
        work = self.validity()
        t = self._lap("validity", t, 10)
        if self.want("REPEATED_VERTEX", "SPIKE"):
            self.vertices()
        if self.want("SLIVER"):
            self.slivers(work)
        t = self._lap("shape", t, 20)
        overlaps = pd.DataFrame(columns=["i", "j", "area", "width", "duplicate", "flagged"])
        gaps = pd.DataFrame(columns=["area", "width", "x", "y", "geometry", "flagged"])
        suspects = np.zeros(0, dtype=np.int64)
        if self.want("OVERLAP", "GAP", "DUPLICATE_GEOMETRY", "NOT_NODED"):
            present = np.flatnonzero(work != None)  # noqa: E711 — object array
            self._mapped = self._sheet_extents(work, sheets, sheet_geom)
            inv_edges = self.invalid_edges(work, present)
            suspects = present[~shapely.is_empty(inv_edges[present])]
            self.stats["suspects"] = len(suspects)
            t = self._lap("coverage", t, 45)
            overlaps = self.overlaps(work, suspects)
            t = self._lap("overlaps", t, 60)
            warn_pairs = self.noding(work, suspects, inv_edges, overlaps)
            t = self._lap("noding", t, 70)
            gaps = self.gaps(work, present, suspects, warn_pairs)
            t = self._lap("gaps", t, 90)
        if self.want(*SHEET_CODES) and sheets is not None and sheet_geom is not None and len(sheets):
            self.sheet_frames(work, sheets, sheet_geom)
            t = self._lap("sheets", t, 98)
        return TopologyResult(work=work, suspects=suspects, overlaps=overlaps, gaps=gaps,
                              holes_area=self.holes_area, stats=self.stats, timings=self.timings)

    # ---- validity ------------------------------------------------------------------------
    def validity(self) -> np.ndarray:
        g = self.geom
        missing = shapely.is_missing(g)
        empty = missing.copy()
        empty[~missing] = shapely.is_empty(g[~missing])
        idx = np.flatnonzero(empty)
        self.add("GEOM_EMPTY", idx, messages=render("GEOM_EMPTY", sheet=self.sheet[idx], parcel=self.parcel[idx],
                                                     what=np.where(missing[idx], phrase("no"), phrase("an empty"))),
                 geom_kind="sheet_of_map")
        types = np.full(self.n, -1)
        types[~empty] = shapely.get_type_id(g[~empty])
        polygonal = np.isin(types, POLYGONAL)
        wrong_type = ~empty & ~polygonal
        valid = np.zeros(self.n, dtype=bool)
        pi = np.flatnonzero(polygonal)
        valid[pi] = self.pool.map(shapely.is_valid, g[pi])
        bad = np.flatnonzero(polygonal & ~valid)
        reasons = pd.Series(shapely.is_valid_reason(g[bad]) if len(bad) else [], dtype=object)
        loc = reasons.str.extract(r"^(.*?)\[([-0-9.eE+]+) ([-0-9.eE+]+)\]$")
        reason = loc[0].fillna(reasons).to_numpy(object)
        x, y = loc[1].astype(float).to_numpy(), loc[2].astype(float).to_numpy()
        no_loc = np.isnan(x)
        if no_loc.any():
            pts = shapely.point_on_surface(shapely.envelope(g[bad[no_loc]]))
            x[no_loc], y[no_loc] = shapely.get_x(pts), shapely.get_y(pts)
        self.stats["invalid"] = len(bad)
        self.add("GEOM_INVALID", bad, messages=render("GEOM_INVALID", sheet=self.sheet[bad], parcel=self.parcel[bad],
                                                      reason=reason, where=[_where(a, b) for a, b in zip(x, y)]),
                 geometry=_squares(x, y, np.maximum(self.tol[bad], 0.5)), suggestion=phrase("make valid"),
                 target="map", s_value="make_valid")
        wt = np.flatnonzero(wrong_type)
        if len(wt):
            names = np.array([shapely.GeometryType(t).name.title() for t in types[wt]], dtype=object)
            self.add("GEOM_INVALID", wt, messages=render("GEOM_INVALID", sheet=self.sheet[wt], parcel=self.parcel[wt],
                                                         reason=[phrase("not a polygon but a {0}").format(x) for x in names],
                                                         where=phrase("the feature")),
                     ident_extra="type", geom_kind="sheet_of_map")
        work = np.full(self.n, None, dtype=object)
        work[valid] = g[valid]
        if len(bad):
            work[bad] = _polygonal(shapely.make_valid(g[bad], method="structure", keep_collapsed=False))
        # MULTIPART: valid input in several pieces (a repaired bow-tie is reported as invalid)
        multi = np.flatnonzero(valid & (types == shapely.GeometryType.MULTIPOLYGON))
        if len(multi):
            parts = shapely.get_num_geometries(g[multi])
            multi = multi[parts > 1]
            if len(multi):
                pieces, pidx = shapely.get_parts(g[multi], return_index=True)
                smallest = pd.Series(shapely.area(pieces)).groupby(pidx).min().to_numpy()
                self.add("MULTIPART", multi, messages=render(
                    "MULTIPART", sheet=self.sheet[multi], parcel=self.parcel[multi],
                    parts=shapely.get_num_geometries(g[multi]), smallest=[_fmt(a) for a in smallest]),
                    suggestion=phrase("split into separate parcels"), target="map", s_value="split_parts")
        self.stats["multipart"] = len(multi)
        return work

    # ---- vertices: repeated, spikes --------------------------------------------------------
    def vertices(self):
        """REPEATED_VERTEX and SPIKE from the raw coordinates, all rings at once."""
        g = self.geom
        ok = np.flatnonzero(np.array([x is not None for x in g], dtype=bool))
        if len(ok):
            ok = ok[np.isin(shapely.get_type_id(g[ok]), POLYGONAL) & ~shapely.is_empty(g[ok])]
        if not len(ok):
            return
        xy, ring_owner, ring_start = _ring_arrays(g[ok])
        owner_of_ring = ok[ring_owner]
        n_xy = len(xy)
        ring_id = np.repeat(np.arange(len(ring_start) - 1), np.diff(ring_start))
        # segment k runs from point k to k+1 within a ring (rings repeat their first point)
        last = np.zeros(n_xy, dtype=bool)
        last[ring_start[1:] - 1] = True
        d = xy[1:] - xy[:-1]
        seg2 = np.einsum("ij,ij->i", d, d)
        rep = np.zeros(n_xy, dtype=bool)
        rep[:-1] = (seg2 <= self.opt.repeated_m ** 2) & ~last[:-1]
        if "REPEATED_VERTEX" in self.codes and rep.any():
            k = np.flatnonzero(rep)
            frame = pd.DataFrame({"o": owner_of_ring[ring_id[k]], "x": xy[k, 0], "y": xy[k, 1]})
            agg = frame.groupby("o").agg(count=("x", "size"), x=("x", "first"), y=("y", "first"))
            idx = agg.index.to_numpy(np.int64)
            self.add("REPEATED_VERTEX", idx, messages=render(
                "REPEATED_VERTEX", sheet=self.sheet[idx], parcel=self.parcel[idx], count=agg["count"].to_numpy(),
                where=[_where(a, b) for a, b in zip(agg["x"], agg["y"])]),
                geometry=_squares(agg["x"].to_numpy(), agg["y"].to_numpy(), np.maximum(self.tol[idx], 0.5)),
                suggestion=phrase("remove the repeated vertices"), target="map", s_value="remove_repeated")
        self.stats["repeated_vertex"] = int(rep.sum())
        if "SPIKE" not in self.codes:
            return
        # the angle at each vertex between its incoming and outgoing edge; the first vertex
        # of a ring takes the ring's last edge as incoming
        vert = np.flatnonzero(~last)
        prev = vert - 1
        first = np.zeros(n_xy, dtype=bool)
        first[ring_start[:-1]] = True
        prev[first[vert]] = ring_start[1:][ring_id[vert[first[vert]]]] - 2
        a = xy[prev] - xy[vert]
        b = xy[vert + 1] - xy[vert]
        la2, lb2 = np.einsum("ij,ij->i", a, a), np.einsum("ij,ij->i", b, b)
        cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
        dot = np.einsum("ij,ij->i", a, b)
        # both edges run the same way (dot > 0) and nearly along each other: a spike tip
        spike = (dot > 0) & (np.abs(cross) < math.tan(math.radians(self.opt.spike_angle_deg)) * dot) \
            & (np.minimum(la2, lb2) > self.opt.repeated_m ** 2)
        if spike.any():
            k = vert[spike]
            ang = np.degrees(np.arctan2(np.abs(cross[spike]), dot[spike]))
            frame = pd.DataFrame({"o": owner_of_ring[ring_id[k]], "x": xy[k, 0], "y": xy[k, 1], "a": ang})
            agg = frame.groupby("o").agg(count=("x", "size"), x=("x", "first"), y=("y", "first"), a=("a", "min"))
            idx = agg.index.to_numpy(np.int64)
            self.add("SPIKE", idx, messages=render(
                "SPIKE", sheet=self.sheet[idx], parcel=self.parcel[idx], count=agg["count"].to_numpy(),
                angle=[_fmt(v, 2) for v in agg["a"]], where=[_where(p, q) for p, q in zip(agg["x"], agg["y"])]),
                geometry=_squares(agg["x"].to_numpy(), agg["y"].to_numpy(), np.maximum(self.tol[idx], 0.5)),
                suggestion=phrase("remove the spike vertex"), target="map", s_value="remove_spike")
        self.stats["spikes"] = int(spike.sum())

    # ---- slivers ---------------------------------------------------------------------------
    def slivers(self, work):
        idx = np.flatnonzero(work != None)  # noqa: E711
        area = shapely.area(work[idx])
        perim = shapely.length(work[idx])
        width = np.where(perim > 0, 2 * area / np.maximum(perim, 1e-12), 0.0)
        tol = self.tol[idx]
        min_w, min_a = self.opt.sliver_width_factor * tol, (self.opt.sliver_area_factor * tol) ** 2
        hit = (width < min_w) | (area < min_a)
        i = idx[hit]
        self.stats["slivers"] = len(i)
        self.add("SLIVER", i, messages=render(
            "SLIVER", sheet=self.sheet[i], parcel=self.parcel[i], area=[_fmt(a, 2) for a in area[hit]],
            width=[_fmt(w, 2) for w in width[hit]], min_width=[_fmt(w, 2) for w in min_w[hit]],
            min_area=[_fmt(a, 2) for a in min_a[hit]]),
            suggestion=phrase("merge into the neighbour with the longest shared edge"), target="map",
            s_value="merge_into_neighbour")

    # ---- coverage ------------------------------------------------------------------------
    def invalid_edges(self, work, present) -> np.ndarray:
        """Per parcel, the edges that do not match a neighbour's exactly (empty if all do)."""
        out = np.full(self.n, None, dtype=object)
        if not len(present):
            return out
        b = shapely.bounds(work[present])
        block = _blocks(b)
        self._block = (present, block)
        margin = float(self.tol.max()) if self.n else 0.0

        def one(s):
            own = block == s
            x0, y0 = b[own, 0].min() - margin, b[own, 1].min() - margin
            x1, y1 = b[own, 2].max() + margin, b[own, 3].max() + margin
            # the block and a halo of the neighbours around it
            ctx = own | ((b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1))
            ci = np.flatnonzero(ctx)
            # gap_width: edges along a gap narrower than the tolerance are suspect too
            edges = shapely.coverage_invalid_edges(work[present[ci]], gap_width=margin)
            return ci, own[ci], edges

        for ci, own, edges in self.pool.run(one, range(int(block.max()) + 1)):
            out[present[ci[own]]] = edges[own]
        return out

    def overlaps(self, work, suspects) -> pd.DataFrame:
        cols = ["i", "j", "area", "width", "duplicate", "flagged"]
        if not len(suspects):
            return pd.DataFrame(columns=cols)
        self._w = work
        # a suspect's partner may itself look clean (a copy laid over a parcel whose
        # edges all match its neighbours): pair suspects with every parcel
        present = self._block[0]
        tree = shapely.STRtree(work[present])
        a, b = tree.query(work[suspects], predicate="intersects")
        i, j = suspects[a], present[b]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        pairs = np.unique(np.stack([lo, hi], axis=1)[lo != hi], axis=0)
        i, j = pairs[:, 0], pairs[:, 1]
        inner = self.pool.map(lambda p, q: shapely.relate_pattern(p, q, "T********"), work[i], work[j])
        i, j = i[inner], j[inner]
        inter = _polygonal(self.pool.map(shapely.intersection, work[i], work[j]))
        has = inter != None  # noqa: E711
        i, j, inter = i[has], j[has], inter[has]
        area = shapely.area(inter)
        width = 2 * area / np.maximum(shapely.length(inter), 1e-12)
        ai, aj = shapely.area(work[i]), shapely.area(work[j])
        share = area / np.maximum(ai + aj - area, 1e-12)
        tol = np.maximum(self.tol[i], self.tol[j])
        hd = np.full(len(i), np.inf)
        close = share > 0.5
        if close.any():
            hd[close] = shapely.hausdorff_distance(work[i[close]], work[j[close]])
        dup = (share >= self.opt.duplicate_iou) | (hd <= tol)
        big = ~dup & (width > tol) & (area > tol ** 2)
        frame = pd.DataFrame({"i": i, "j": j, "area": area, "width": width, "duplicate": dup, "flagged": big})
        self.stats["overlap_pairs"] = int(big.sum())
        self.stats["overlap_area"] = float(area[big].sum())
        self.stats["duplicates"] = int(dup.sum())
        self.stats["shared_area_pairs"] = len(frame)
        # ident: the pair in a stable order, so a reviewer's decision sticks to it
        first = np.where(self.label[i] <= self.label[j], i, j)
        second = np.where(first == i, j, i)
        d = np.flatnonzero(dup)
        exact = np.zeros(len(d), dtype=bool)
        if len(d):
            exact = shapely.equals_exact(shapely.normalize(work[i[d]]), shapely.normalize(work[j[d]]), 1e-9)
        f, s = first[d], second[d]
        self._dup(f, s, inter[d], exact, share[d])
        o = np.flatnonzero(big)
        f, s = first[o], second[o]
        self.add("OVERLAP", f, messages=render(
            "OVERLAP", sheet=self.sheet[f], parcel=self.parcel[f], other=self.label[s],
            area=[_fmt(v, 2) for v in area[o]], width=[_fmt(v, 2) for v in width[o]],
            tol=[_fmt(v, 2) for v in tol[o]]),
            ident_extra=_join("|", self.commune[s], self.label[s]), geometry=inter[o], other_idx=s,
            suggestion=[phrase("give the shared area to {0} (longest shared edge)").format(self.label[w])
                        for w in self._longest_edge_owner(i[o], j[o], inter[o])],
            target="map", s_value="overlap_longest_edge", register_value=self.label[s])
        return frame

    def _dup(self, f, s, geoms, exact, share):
        self.add("DUPLICATE_GEOMETRY", f, messages=render(
            "DUPLICATE_GEOMETRY", sheet=self.sheet[f], parcel=self.parcel[f], other=self.label[s],
            how=np.where(exact, phrase("the same"), phrase("nearly the same")), share=[_fmt(100 * v) for v in share]),
            ident_extra=_join("|", self.commune[s], self.label[s]), geometry=geoms, other_idx=s,
            suggestion=[phrase("delete one of {0} and {1}").format(self.label[a], self.label[b]) for a, b in zip(f, s)],
            target="map", s_value="delete_duplicate", register_value=self.label[s])

    def _longest_edge_owner(self, i, j, inter):
        """Who keeps an overlap by the longest-edge rule: the parcel whose remaining part
        borders the overlap along more length. The overlap's boundary is i's edge inside j
        (bordering j's remainder) and j's edge inside i (bordering i's remainder)."""
        if not len(i):
            return np.zeros(0, dtype=np.int64)
        ob = shapely.boundary(inter)
        li = shapely.length(shapely.intersection(ob, shapely.buffer(shapely.boundary(self._w[i]), 1e-6)))
        lj = shapely.length(shapely.intersection(ob, shapely.buffer(shapely.boundary(self._w[j]), 1e-6)))
        return np.where(li >= lj, j, i)

    # ---- noding --------------------------------------------------------------------------
    def noding(self, work, suspects, inv_edges, overlaps) -> set:
        """NOT_NODED: vertices of one parcel within tolerance of a neighbour's edge where
        the neighbour has no vertex. Returns the pairs flagged as warnings."""
        self._w = work
        warn_pairs: set = set()
        if len(suspects) < 2:
            return warn_pairs
        parts, pidx = shapely.get_parts(work[suspects], return_index=True)
        rings, ridx = shapely.get_rings(parts, return_index=True)
        xy, cidx = shapely.get_coordinates(rings, return_index=True)
        owner = suspects[pidx[ridx[cidx]]]
        last = np.r_[cidx[1:] != cidx[:-1], True]
        xy, owner = xy[~last], owner[~last]
        vt = pd.DataFrame({"o": owner, "x": xy[:, 0], "y": xy[:, 1]}).drop_duplicates()
        pts = shapely.points(vt[["x", "y"]].to_numpy())
        tree = shapely.STRtree(pts)
        tol_max = float(self.tol[suspects].max())
        e_idx, p_idx = tree.query(inv_edges[suspects], predicate="dwithin", distance=tol_max)
        edge_owner = suspects[e_idx]
        v_owner = vt["o"].to_numpy()[p_idx]
        keep = v_owner != edge_owner
        edge_owner, p_idx, v_owner = edge_owner[keep], p_idx[keep], v_owner[keep]
        cand = pd.DataFrame({"a": edge_owner, "p": v_owner, "x": vt["x"].to_numpy()[p_idx],
                             "y": vt["y"].to_numpy()[p_idx], "k": p_idx})
        # a vertex the edge owner also has is matched, not a noding fault
        own = vt.rename(columns={"o": "a"}).assign(matched=True)
        cand = cand.merge(own, on=["a", "x", "y"], how="left")
        cand = cand[cand["matched"].isna()].drop(columns="matched").assign(d=np.nan)
        if len(cand):
            d = self.pool.map(shapely.distance, pts[cand["k"].to_numpy()],
                              shapely.boundary(work[cand["a"].to_numpy()]))
            cand["d"] = d
            tol = np.maximum(self.tol[cand["a"].to_numpy()], self.tol[cand["p"].to_numpy()])
            cand = cand[cand["d"] <= tol]
        cand = cand.assign(lo=np.minimum(cand["a"], cand["p"]), hi=np.maximum(cand["a"], cand["p"]))
        # pairs that overlap or duplicate each other are reported as such, not as noding
        # faults; nor are a duplicate's slight overlaps with the parcels around it (they go
        # with the copy when it is deleted)
        dup_members = set()
        if len(overlaps):
            d = overlaps[overlaps["duplicate"]]
            dup_members = set(d["i"]) | set(d["j"])
            if dup_members:
                members = np.array(sorted(dup_members))
                cand = cand[~np.isin(cand["lo"], members) & ~np.isin(cand["hi"], members)]
            big = overlaps[overlaps["flagged"] | overlaps["duplicate"]]
            done = pd.MultiIndex.from_arrays([np.minimum(big["i"], big["j"]), np.maximum(big["i"], big["j"])])
            cand = cand[~pd.MultiIndex.from_arrays([cand["lo"], cand["hi"]]).isin(done)]
        cand["micro"] = cand["d"] > self.opt.on_edge_m
        # A vertex near (not on) a neighbour's edge is normal where boundaries part; it is
        # a fault only where the two parcels share a sliver of area (micro overlap, from the
        # overlap pass) or leave one between them (micro gap, from the gap pass).
        micro_ov = overlaps[~overlaps["flagged"] & ~overlaps["duplicate"]] if len(overlaps) else overlaps
        if dup_members and len(micro_ov):
            members = np.array(sorted(dup_members))
            micro_ov = micro_ov[~np.isin(micro_ov["i"], members) & ~np.isin(micro_ov["j"], members)]
        warn = []
        for r in micro_ov.itertuples():
            key = (min(r.i, r.j), max(r.i, r.j))
            if key not in warn:
                warn.append(key)
        warn_pairs = set(warn)
        exact = cand[~cand["micro"]]
        pairs = exact.groupby(["lo", "hi"]).agg(count=("x", "size"), x=("x", "first"), y=("y", "first"))
        if warn_pairs and len(pairs):
            pairs = pairs[~pairs.index.isin(list(warn_pairs))]
        self._pairs_vertices = cand
        self._flag_noding(pairs, warn, micro_ov, work)
        return warn_pairs

    def _flag_noding(self, info, warn, micro_ov, work):
        cand = self._pairs_vertices
        self.stats["not_noded_warning_pairs"] = len(warn)
        self.stats["not_noded_info_vertices"] = int(info["count"].sum())
        if "NOT_NODED" not in self.codes:
            return
        # warnings: one per pair, marked at its near vertices (or the micro overlap itself)
        if warn:
            ex = np.array(warn, dtype=np.int64)
            lo, hi = ex[:, 0], ex[:, 1]
            near = cand[cand["micro"]].groupby(["lo", "hi"]).agg(n=("x", "size"), d=("d", "max"))
            got = pd.MultiIndex.from_arrays([lo, hi])
            counts = near["n"].reindex(got).fillna(0).astype(int).to_numpy()
            dmax = near["d"].reindex(got).to_numpy(float)
            mo = micro_ov.assign(lo=np.minimum(micro_ov["i"], micro_ov["j"]), hi=np.maximum(micro_ov["i"], micro_ov["j"]))
            area = mo.groupby(["lo", "hi"])["area"].sum().reindex(got).to_numpy(float)
            marks = self._vertex_marks(cand[cand["micro"]], lo, hi, micro_ov, work)
            first = np.where(self.label[lo] <= self.label[hi], lo, hi)
            second = np.where(first == lo, hi, lo)
            self.add("NOT_NODED", first, messages=render(
                "NOT_NODED", what=[phrase("Parcels {0} and {1}").format(self.label[a], self.label[b]) for a, b in zip(first, second)],
                count=counts, how=phrase("near the other's edge"),
                extra=[(phrase(" (a micro overlap of {0:.3f} m², up to {1:.3f} m off)").format(a, d) if not np.isnan(d)
                        else phrase(" (a micro overlap of {0:.3f} m²)").format(a)) for a, d in zip(area, dmax)]),
                ident_extra=_join("|", self.commune[second], self.label[second]), geometry=marks,
                other_idx=second, suggestion=phrase("snap the shared boundary"), target="map", s_value="snap",
                register_value=self.label[second])
        if not len(info):
            return
        # info: vertices exactly on the neighbour's edge. Between sheets this is the seam of
        # sheets joined into one layer: one flag per pair of sheets, not per parcel.
        ilo = info.index.get_level_values(0).to_numpy(np.int64)
        ihi = info.index.get_level_values(1).to_numpy(np.int64)
        key_lo = _join("|", self.commune[ilo], self.sheet[ilo])
        key_hi = _join("|", self.commune[ihi], self.sheet[ihi])
        same = key_lo == key_hi
        s = np.flatnonzero(same)
        if len(s):
            a, b = ilo[s], ihi[s]
            first = np.where(self.label[a] <= self.label[b], a, b)
            second = np.where(first == a, b, a)
            marks = self._vertex_marks(cand, a, b, None, work)
            self.add("NOT_NODED", first, severity="info", messages=render(
                "NOT_NODED", what=[phrase("Parcels {0} and {1}").format(self.label[p], self.label[q]) for p, q in zip(first, second)],
                count=info["count"].to_numpy()[s], how=phrase("exactly on the other's edge"), extra=""),
                ident_extra=_join("|", self.commune[second], self.label[second]), geometry=marks,
                other_idx=second, suggestion=phrase("insert the vertices (node)"), target="map", s_value="snap",
                register_value=self.label[second])
        d = np.flatnonzero(~same)
        if len(d):
            a, b = ilo[d], ihi[d]
            ka, kb = key_lo[d], key_hi[d]
            first_key = np.where(ka <= kb, ka, kb)
            second_key = np.where(ka <= kb, kb, ka)
            first_i = np.where(ka <= kb, a, b)
            grp = pd.DataFrame({"k1": first_key, "k2": second_key, "i": first_i, "pairs": 1})
            agg = grp.groupby(["k1", "k2"]).agg(i=("i", "first"), pairs=("pairs", "sum"))
            sub = cand[cand["micro"] == False]  # noqa: E712
            ka_ = _join("|", self.commune[sub["a"].to_numpy()], self.sheet[sub["a"].to_numpy()])
            kp_ = _join("|", self.commune[sub["p"].to_numpy()], self.sheet[sub["p"].to_numpy()])
            sub = sub.assign(k1=np.where(ka_ <= kp_, ka_, kp_), k2=np.where(ka_ <= kp_, kp_, ka_))
            sub = sub[sub["k1"] != sub["k2"]].drop_duplicates(["k1", "k2", "x", "y"])
            agg["n"] = sub.groupby(["k1", "k2"]).size().reindex(agg.index).fillna(0).astype(int)
            half = float(np.max(self.tol)) if self.n else 0.5
            sq = _squares(sub["x"].to_numpy(), sub["y"].to_numpy(), max(half, 0.5))
            marks = pd.Series(list(sq)).groupby([sub["k1"].to_numpy(), sub["k2"].to_numpy()]).agg(
                lambda s: shapely.multipolygons(list(s)))
            marks = marks.reindex(agg.index).to_numpy(object)
            i = agg["i"].to_numpy(np.int64)
            s1 = [k.split("|", 1)[1] for k in agg.index.get_level_values(0)]
            s2 = [k.split("|", 1)[1] for k in agg.index.get_level_values(1)]
            c2 = [k.split("|", 1)[0] for k in agg.index.get_level_values(1)]
            self.add("NOT_NODED", i, severity="info", messages=render(
                "NOT_NODED", what=[phrase("Sheets {0} and {1}").format(a, b) for a, b in zip(s1, s2)], count=agg["n"].to_numpy(),
                how=phrase("exactly on the edges of parcels of the other sheet"),
                extra=[phrase(" ({0} parcel pairs along the sheet edge)").format(p) for p in agg["pairs"]]),
                sheet=np.array(s1, dtype=object), parcel="",
                ident_extra=np.array([f"sheets|{c}|{b}" for c, b in zip(c2, s2)], dtype=object),
                geometry=marks, map_idx=-1, suggestion=phrase("node the sheet edge (insert the vertices)"),
                target="map", s_value="snap")

    def _vertex_marks(self, cand, lo, hi, micro_ov, work):
        """A multipolygon of small squares at the offending vertices of each pair."""
        out = np.full(len(lo), None, dtype=object)
        if len(cand):
            sel = cand.set_index(["lo", "hi"])
            half = np.maximum(self.tol[cand["lo"].to_numpy()], 0.5)
            sq = pd.Series(list(_squares(cand["x"].to_numpy(), cand["y"].to_numpy(), half)),
                           index=sel.index)
            grouped = sq.groupby(level=[0, 1]).agg(lambda s: shapely.multipolygons(list(s)))
            out = pd.MultiIndex.from_arrays([lo, hi]).map(grouped).to_numpy(object)
            out = np.where(pd.isna(out), None, out)
        missing = np.flatnonzero(out == None)  # noqa: E711
        if len(missing) and micro_ov is not None and len(micro_ov):
            mo = micro_ov.assign(lo=np.minimum(micro_ov["i"], micro_ov["j"]),
                                 hi=np.maximum(micro_ov["i"], micro_ov["j"])).set_index(["lo", "hi"])
            for k in missing:
                key = (lo[k], hi[k])
                if key in mo.index:
                    r = mo.loc[key]
                    r = r.iloc[0] if isinstance(r, pd.DataFrame) else r
                    out[k] = shapely.intersection(work[int(r["i"])], work[int(r["j"])])
        return out

    # ---- gaps ----------------------------------------------------------------------------
    def gaps(self, work, present, suspects, warn_pairs) -> pd.DataFrame:
        cols = ["area", "width", "x", "y", "geometry", "flagged"]
        if not len(present):
            return pd.DataFrame(columns=cols)
        bad = np.zeros(self.n, dtype=bool)
        bad[suspects] = True
        present, block = self._block
        clean = ~bad[present]

        def one(s):
            # exactly matching parcels: GEOS's coverage union; the others: overlay union
            sel = block == s
            parts = [shapely.coverage_union_all(work[present[sel & clean]]) if (sel & clean).any() else None,
                     shapely.union_all(work[present[sel & ~clean]]) if (sel & ~clean).any() else None]
            parts = [p for p in parts if p is not None and not p.is_empty]
            return shapely.union_all(np.array(parts, dtype=object)) if len(parts) > 1 else (parts or [None])[0]

        unions = [u for u in self.pool.run(one, range(int(block.max()) + 1)) if u is not None and not u.is_empty]
        total = shapely.union_all(np.array(unions, dtype=object)) if unions else shapely.Polygon()
        polys = shapely.get_parts(total)
        polys = polys[shapely.get_type_id(polys) == shapely.GeometryType.POLYGON]
        holes = [h for h, is_shell in zip(shapely.get_rings(polys), _shell_mask(polys)) if not is_shell]
        if not holes:
            self.stats.update(gaps=0, gap_area=0.0)
            return pd.DataFrame(columns=cols)
        hole_polys = shapely.polygons(np.array(holes, dtype=object))
        # parcels standing alone inside a hole are islands, not part of the gap
        tree = shapely.STRtree(work[present])
        hi, pi = tree.query(hole_polys, predicate="contains_properly")
        if len(hi):
            keys, inside = _union_by_group(hi, work[present[pi]])
            hole_polys[keys] = shapely.difference(hole_polys[keys], inside)
        self.holes_area = shapely.area(hole_polys)          # every hole, for peers to compare
        # only the part of a hole inside the mapped sheets is a gap: land between two
        # loaded communes or around a sheet nobody loaded is not
        hole_polys = self._within_sheets(hole_polys)
        if not len(hole_polys):
            self.stats.update(gaps=0, gap_area=0.0)
            return pd.DataFrame(columns=cols)
        area = shapely.area(hole_polys)
        width = 2 * area / np.maximum(shapely.length(hole_polys), 1e-12)
        pts = shapely.point_on_surface(hole_polys)
        # neighbours: the parcels along the gap, by shared boundary length
        rims = shapely.boundary(hole_polys)
        gi, ni = tree.query(rims, predicate="intersects")
        ni = present[ni]
        # the union's rings are made of the parcels' own segments: line overlay finds them
        shared = shapely.length(shapely.intersection(rims[gi], shapely.boundary(work[ni])))
        nb = pd.DataFrame({"g": gi, "n": ni, "len": shared})
        nb = nb[nb["len"] > 1e-6].sort_values(["g", "len"], ascending=[True, False])
        tol_g = nb.assign(t=self.tol[nb["n"].to_numpy()]).groupby("g")["t"].max() \
            .reindex(range(len(hole_polys))).fillna(float(np.median(self.tol))).to_numpy()
        big = (width > tol_g) & (area > tol_g ** 2)
        frame = pd.DataFrame({"area": area, "width": width, "x": shapely.get_x(pts), "y": shapely.get_y(pts),
                              "geometry": hole_polys, "flagged": big})
        self.stats["gaps"] = int(big.sum())
        self.stats["gap_area"] = float(area[big].sum())
        self.stats["micro_gaps"] = int((~big).sum())
        best = nb.drop_duplicates("g").set_index("g")["n"]
        names = nb.assign(l=self.label[nb["n"].to_numpy()]).groupby("g")["l"].agg(lambda s: ", ".join(s.iloc[:6]))
        g = np.flatnonzero(big & np.isin(np.arange(len(hole_polys)), best.index))
        owner = best.reindex(g).to_numpy(np.int64)
        self.add("GAP", owner, messages=render(
            "GAP", area=[_fmt(v, 2) for v in area[g]], width=[_fmt(v, 2) for v in width[g]],
            neighbours=names.reindex(g).to_numpy(object)),
            parcel="", ident_extra=[f"{x:.0f},{y:.0f}" for x, y in zip(frame["x"].to_numpy()[g], frame["y"].to_numpy()[g])],
            geometry=hole_polys[g], suggestion=[phrase("merge into {0} (longest shared edge)").format(self.label[o]) for o in owner],
            target="map", s_value="gap_merge_longest_edge", register_value=self.label[owner])
        # micro gaps not explained by a vertex fault: noding warnings of their two main neighbours
        mg = np.flatnonzero(~big)
        extra_lo, extra_hi, extra_g = [], [], []
        two = nb.groupby("g")["n"].agg(lambda s: tuple(s.iloc[:2]))
        for k in mg:
            if k not in two.index or len(two[k]) < 2:
                continue
            p, q = two[k]
            key = (min(p, q), max(p, q))
            if key in warn_pairs:
                continue
            warn_pairs.add(key)
            extra_lo.append(key[0])
            extra_hi.append(key[1])
            extra_g.append(k)
        if extra_lo:
            lo, hi = np.array(extra_lo), np.array(extra_hi)
            first = np.where(self.label[lo] <= self.label[hi], lo, hi)
            second = np.where(first == lo, hi, lo)
            self.add("NOT_NODED", first, messages=render(
                "NOT_NODED", what=[phrase("Parcels {0} and {1}").format(self.label[a], self.label[b]) for a, b in zip(first, second)],
                count=0, how=phrase("apart"), extra=[phrase(" (a micro gap of {0:.3f} m²)").format(area[k]) for k in extra_g]),
                ident_extra=_join("|", self.commune[second], self.label[second]), other_idx=second,
                geometry=hole_polys[np.array(extra_g)], suggestion=phrase("snap the shared boundary"),
                target="map", s_value="snap", register_value=self.label[second])
        return frame

    def _within_sheets(self, holes: np.ndarray) -> np.ndarray:
        """Holes clipped to the sheets: their frames when given, else each sheet's extent."""
        mapped = self._mapped
        if mapped is None or not len(mapped):
            return holes
        tree = shapely.STRtree(mapped)
        hi, mi = tree.query(holes, predicate="intersects")
        if not len(hi):
            return holes[:0]
        keys, cover = _union_by_group(hi, mapped[mi])
        clipped = _polygonal(shapely.intersection(holes[keys], cover))
        return clipped[clipped != None]  # noqa: E711

    def _sheet_extents(self, work, sheets, sheet_geom) -> np.ndarray:
        if sheets is not None and sheet_geom is not None and len(sheets):
            frames = np.asarray(sheet_geom, dtype=object)
            return frames[np.array([g is not None for g in frames], dtype=bool)]
        present = np.flatnonzero(work != None)  # noqa: E711
        if not len(present):
            return np.zeros(0, dtype=object)
        b = pd.DataFrame(shapely.bounds(work[present]), columns=["x0", "y0", "x1", "y1"])
        b["k"] = _join("|", self.commune[present], self.sheet[present])
        e = b.groupby("k").agg({"x0": "min", "y0": "min", "x1": "max", "y1": "max"})
        return np.asarray(shapely.box(e["x0"].to_numpy(), e["y0"].to_numpy(), e["x1"].to_numpy(), e["y1"].to_numpy()), dtype=object)

    # ---- sheet frames --------------------------------------------------------------------
    def sheet_frames(self, work, sheets, sheet_geom):
        present = np.flatnonzero(work != None)  # noqa: E711
        fr_ok = np.flatnonzero(np.array([g is not None for g in sheet_geom]))
        if not len(present) or not len(fr_ok):
            return
        frames = sheet_geom[fr_ok]
        tree = shapely.STRtree(frames)
        pi, fi = tree.query(work[present], predicate="within")
        inside = np.zeros(len(present), dtype=bool)
        inside[pi] = True
        rest = present[~inside]
        if not len(rest):
            return
        ri, fi = tree.query(work[rest], predicate="intersects")
        part = shapely.area(shapely.intersection(work[rest[ri]], frames[fi]))
        area = shapely.area(work[rest])
        tol = self.tol[rest]
        least = np.maximum(self.opt.sheet_part_share * area, (self.opt.sliver_area_factor * tol) ** 2)
        parts = pd.DataFrame({"r": ri, "f": fr_ok[fi], "a": part})
        parts = parts[parts["a"] > least[ri]]
        covered = np.bincount(ri, weights=part, minlength=len(rest))
        outside = area - covered
        out_mask = outside > least
        o = np.flatnonzero(out_mask)
        idx = rest[o]
        self.stats["outside_sheet"] = len(idx)
        self.add("OUTSIDE_SHEET", idx, messages=render(
            "OUTSIDE_SHEET", sheet=self.sheet[idx], parcel=self.parcel[idx], outside=[_fmt(v) for v in outside[o]],
            share=[_fmt(100 * v / max(a, 1e-12)) for v, a in zip(outside[o], area[o])]))
        multi = parts.groupby("r").filter(lambda s: len(s) >= 2) if len(parts) else parts
        if not len(multi):
            return
        names = sheets["sheet"].to_numpy(object)
        multi = multi.assign(name=names[multi["f"].to_numpy()]).sort_values(["r", "a"], ascending=[True, False])
        grp = multi.groupby("r")
        best = grp["name"].first()
        desc = multi.assign(t=[f"{n} ({a:.0f} m²)" for n, a in zip(multi["name"], multi["a"])]) \
            .groupby("r")["t"].agg(", ".join)
        r = best.index.to_numpy(np.int64)
        idx = rest[r]
        self.stats["crosses_sheet"] = len(idx)
        self.add("CROSSES_SHEET", idx, messages=render(
            "CROSSES_SHEET", sheet=self.sheet[idx], parcel=self.parcel[idx], parts=desc.to_numpy(object),
            best=best.to_numpy(object)),
            suggestion=[phrase("set sheet {0}").format(b) if b != s else "" for b, s in zip(best.to_numpy(object), self.sheet[idx])],
            s_sheet=best.to_numpy(object), target="map", map_value=self.sheet[idx])


def _union_by_group(group: np.ndarray, geoms: np.ndarray):
    """(sorted unique groups, union of the geometries of each group)."""
    order = np.argsort(group, kind="stable")
    keys, starts = np.unique(group[order], return_index=True)
    parts = np.split(geoms[order], starts[1:])
    return keys, np.array([shapely.union_all(p) for p in parts], dtype=object)


def _ring_arrays(geoms: np.ndarray):
    """All ring coordinates of non-empty polygonal geometries in one array.

    Returns (xy, owner per ring (index into geoms), ring start offsets incl. the end);
    each ring repeats its first point at its end, as stored."""
    kind, xy, offsets = shapely.to_ragged_array(geoms)
    if kind == shapely.GeometryType.POLYGON:
        ring_start, poly_start = offsets
        owner = np.repeat(np.arange(len(poly_start) - 1), np.diff(poly_start))
    else:
        ring_start, poly_start, geom_start = offsets
        poly_owner = np.repeat(np.arange(len(geom_start) - 1), np.diff(geom_start))
        owner = np.repeat(poly_owner, np.diff(poly_start))
    return xy, owner, ring_start


def _shell_mask(polys: np.ndarray) -> np.ndarray:
    """For shapely.get_rings(polys): True for each polygon's shell (its first ring)."""
    n_int = shapely.get_num_interior_rings(polys)
    mask = np.zeros(int(len(polys) + n_int.sum()), dtype=bool)
    starts = np.r_[0, np.cumsum(n_int + 1)[:-1]]
    mask[starts] = True
    return mask


def check_topology(geom: np.ndarray, m: pd.DataFrame, flags: FlagSet, *, codes=None,
                   sheets: pd.DataFrame | None = None, sheet_geom: np.ndarray | None = None,
                   options: TopologyOptions | None = None,
                   progress: Progress | None = None) -> TopologyResult:
    """Run the topology checks on one parcel layer; flags are added to `flags`.

    geom: shapely geometries (None for null); m: commune, sheet, parcel (and scale) per
    parcel; codes: the checks to run (default all); sheets/sheet_geom: sheet frames for
    OUTSIDE_SHEET and CROSSES_SHEET."""
    return TopologyCheck(geom, m, flags, codes, options, progress).run(sheets, sheet_geom)
