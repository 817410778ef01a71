"""Sheet-frame checks: parcels outside their own sheet, parcels crossing a sheet edge."""
from __future__ import annotations


import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import render
from ..i18n import phrase
from .blocks import _fmt


class SheetChecks:
    """Mixin of TopologyCheck: OUTSIDE_SHEET and CROSSES_SHEET."""

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
