"""Coverage checks between neighbours: which parcels do not match their neighbours' edges
(GEOS coverage validation), overlaps and duplicate geometries among those suspects."""
from __future__ import annotations


import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import render
from ..i18n import phrase
from .blocks import _blocks, _fmt, _join, _polygonal


class OverlapChecks:
    """Mixin of TopologyCheck: invalid coverage edges, overlaps, duplicates."""

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
