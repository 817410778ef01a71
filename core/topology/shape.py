"""Parcel-by-parcel topology checks: validity, empty and multipart geometries, repeated
vertices, spikes and slivers."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import render
from ..i18n import phrase
from .blocks import POLYGONAL, _fmt, _polygonal, _ring_arrays, _squares, _where


class ShapeChecks:
    """Mixin of TopologyCheck: checks that look at one parcel at a time."""

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
