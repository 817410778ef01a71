"""Noding: neighbours whose shared edges do not share vertices (NOT_NODED), told apart
from overlaps and gaps by their mean width against the tolerance."""
from __future__ import annotations


import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import render
from ..i18n import phrase
from .blocks import _join, _squares


class NodingChecks:
    """Mixin of TopologyCheck: unnoded edges between neighbours."""

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
