"""Gaps: holes of the parcels' union inside the mapped area (sheet frames or extents),
wider than the tolerance."""
from __future__ import annotations


import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import render
from ..i18n import phrase
from .blocks import _fmt, _join, _polygonal, _shell_mask, _union_by_group


class GapChecks:
    """Mixin of TopologyCheck: gaps inside the mapped area."""

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
