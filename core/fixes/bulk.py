"""Fix all the topology faults of a layer: the order, the re-checks, the change log.

core/fixes/geometry.py computes single fixes; this module applies them to a whole
layer (or the sheets chosen) in the order that keeps each step's input clean:
make valid → repeated vertices and spikes → snap (noding) → duplicates and
overlaps → gaps → slivers → re-check. Each step re-detects its faults on the
geometries the previous steps left, so a fix never works on stale pairs. Nothing is
written here: the result is new geometries, added parcels and a log, which the
Processing algorithm writes as a corrected copy and the dock applies through the
layer's edit buffer.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import FlagSet
from ..topology.checks import TopologyOptions, check_topology, tolerances
from ..progress import Progress
from . import geometry as gf

FIXABLE = ("GEOM_INVALID", "REPEATED_VERTEX", "SPIKE", "NOT_NODED", "DUPLICATE_GEOMETRY",
           "OVERLAP", "GAP", "SLIVER")
TREE_MARGIN_M = 10.0     # how far a fix may move a boundary within one step (neighbour search)
RECHECK = ("GEOM_INVALID", "OVERLAP", "GAP", "DUPLICATE_GEOMETRY", "NOT_NODED", "SLIVER", "SPIKE",
           "REPEATED_VERTEX")


@dataclass
class FixOptions:
    codes: tuple = FIXABLE                  # which faults to fix
    overlap: str = "longest_edge"           # geometry_fixes.OVERLAP_METHODS (not "chosen" in bulk)
    gap: str = "merge_longest_edge"         # geometry_fixes.GAP_METHODS
    sliver: str = "longest_edge"            # geometry_fixes.MERGE_METHODS
    topology: TopologyOptions = field(default_factory=TopologyOptions)


@dataclass
class FixResult:
    geometry: np.ndarray        # one per input parcel (None where removed or still empty)
    removed: np.ndarray         # bool per input parcel: merged away or deleted duplicate
    added: list                 # new parcels (gaps made parcels), without numbers
    added_sheet: list           # the sheet each added parcel lies on (its main neighbour's)
    log: pd.DataFrame           # index (-1-k for added k), action, area_before, area_after, note
    before: dict                # flag counts per code before
    after: dict                 # flag counts per code after the fixes (re-check)
    timings: dict


class _Fixer:
    def __init__(self, geom, m, options: FixOptions, register_area, progress, sheets=None, sheet_geom=None):
        self.sheets, self.sheet_geom = sheets, sheet_geom
        self.m = m.reset_index(drop=True)
        self.opt = options
        self.reg_area = register_area
        self.progress = progress or Progress()
        self.orig = np.asarray(geom, dtype=object)
        self.n = len(self.orig)
        self.g = self.orig.copy()
        self.removed = np.zeros(self.n, dtype=bool)
        self.added: list = []
        self.added_sheet: list = []
        self.log: list[dict] = []
        self.tol = tolerances(self.m["scale"].to_numpy(float) if "scale" in self.m else None, self.n,
                              options.topology)
        self.timings: dict = {}
        self._tree = None
        self._tree_idx = None

    def want(self, code):
        return code in self.opt.codes

    def note(self, i, action, before, after, note=""):
        self.log.append({"index": int(i), "action": action, "area_before": float(before),
                         "area_after": float(after), "note": note})

    def check(self, codes):
        """Re-detect on the current geometries (removed parcels left out)."""
        g = np.where(self.removed, None, self.g)
        m = self.m
        if self.added:      # new parcels count as land too
            g = np.concatenate([g, np.array(self.added, dtype=object)])
            extra = pd.DataFrame({"commune": self.m["commune"].iloc[0] if len(self.m) else "",
                                  "sheet": self.added_sheet, "parcel": ""}, index=range(len(self.added)))
            if "scale" in self.m:
                extra["scale"] = float(self.m["scale"].median())
            m = pd.concat([self.m, extra], ignore_index=True)
        flags = FlagSet()
        res = check_topology(g, m, flags, codes=codes, options=self.opt.topology, sheets=self.sheets,
                             sheet_geom=self.sheet_geom)
        return res, flags.frame()

    def present(self):
        return np.flatnonzero(~self.removed & (self.g != None))  # noqa: E711

    def neighbours(self, geoms_or_geom, exclude=()):
        """Indices of current parcels within tolerance of a geometry.

        One tree per step over the geometries as they were then; fixes move boundaries
        by metres at most, so a margin finds every candidate, and the test is then made
        on the current geometries."""
        if self._tree is None:
            self._tree_idx = self.present()
            self._tree = shapely.STRtree(self.g[self._tree_idx])
        reach = float(self.tol.max()) + 1e-6
        hits = self._tree.query(geoms_or_geom, predicate="dwithin", distance=reach + TREE_MARGIN_M)
        hits = np.unique(self._tree_idx[hits[-1] if np.ndim(hits) == 2 else hits])
        hits = hits[~self.removed[hits] & (self.g[hits] != None)]  # noqa: E711
        target = shapely.union_all(np.atleast_1d(np.asarray(geoms_or_geom, dtype=object)))
        hits = hits[shapely.dwithin(self.g[hits], target, reach)]
        skip = set(exclude)
        return np.array([h for h in hits if h not in skip], dtype=np.int64)

    def set(self, i, geom, action, note=""):
        before = shapely.area(self.g[i]) if self.g[i] is not None else 0.0
        if geom is None or geom.is_empty:
            self.removed[i] = True
            self.note(i, action, before, 0.0, note or "removed")
            return
        self.g[i] = geom
        self.note(i, action, before, shapely.area(geom), note)

    def apply_noded(self, fixed: dict, action: str, note: str, exclude=()):
        """Put fixed geometries in, noded against the parcels around them."""
        keys = list(fixed)
        geoms = [fixed[k] for k in keys]
        live = [g for g in geoms if g is not None and not g.is_empty]
        if live:
            around = self.neighbours(np.array(live, dtype=object), exclude=set(keys) | set(exclude))
            noded, changed = gf.node_neighbours(geoms, self.g[around]) if len(around) else (geoms, {})
        else:
            noded, changed, around = geoms, {}, np.zeros(0, dtype=np.int64)
        for k, g in zip(keys, noded):
            self.set(k, g, action, note)
        for pos, g in changed.items():
            self.set(int(around[pos]), g, "node", f"vertex inserted by {action} nearby")

    # ---- steps ---------------------------------------------------------------------------
    def run(self) -> FixResult:
        t = time.perf_counter()
        res0, flags0 = self.check(None)
        before = flags0["code"].value_counts().to_dict()
        self.timings["check"] = round(time.perf_counter() - t, 2)
        self.progress.set_progress(15)
        steps = [("valid", self.make_valid, "GEOM_INVALID"), ("vertices", self.vertices, None),
                 ("snap", self.snap, "NOT_NODED"), ("overlaps", self.overlaps, None),
                 ("gaps", self.gaps, "GAP"), ("slivers", self.slivers, "SLIVER")]
        for k, (name, fn, code) in enumerate(steps):
            self.progress.check()
            if code is None or self.want(code):
                t = time.perf_counter()
                self._tree = None            # a fresh neighbour index per step
                fn(res0, flags0) if name in ("valid", "vertices") else fn()
                self.timings[name] = round(time.perf_counter() - t, 2)
            self.progress.set_progress(15 + 70 * (k + 1) / len(steps))
        t = time.perf_counter()
        res1, flags1 = self.check(RECHECK)
        after = flags1["code"].value_counts().to_dict()
        self.timings["recheck"] = round(time.perf_counter() - t, 2)
        self.progress.set_progress(100)
        out = np.where(self.removed, None, self.g)
        return FixResult(geometry=out, removed=self.removed, added=self.added, added_sheet=self.added_sheet,
                         log=pd.DataFrame(self.log, columns=["index", "action", "area_before", "area_after", "note"]),
                         before=before, after=after, timings=self.timings)

    def make_valid(self, res, flags):
        bad = flags.loc[flags["code"] == "GEOM_INVALID", "map_idx"].to_numpy(np.int64)
        bad = bad[bad >= 0]
        if not len(bad):
            return
        fixed, report = gf.make_valid(self.g[bad])
        for k, i in enumerate(bad):
            self.set(i, fixed[k], "make_valid", str(report["reason"].iloc[k]))

    def vertices(self, res, flags):
        for code, fn, action in (("REPEATED_VERTEX", lambda g: gf.remove_repeated_vertices(g), "remove_repeated"),
                                 ("SPIKE", lambda g: gf.remove_spikes(g), "remove_spike")):
            if not self.want(code):
                continue
            idx = flags.loc[flags["code"] == code, "map_idx"].to_numpy(np.int64)
            idx = idx[(idx >= 0) & ~self.removed[idx]]
            if not len(idx):
                continue
            # the neighbours come along so a tip they share is kept (keep_shared)
            around = np.union1d(idx, self.neighbours(self.g[idx]))
            new, count = fn(self.g[around])
            for k, i in enumerate(around):
                if count[k] > 0:
                    self.set(i, new[k], action, f"{int(count[k])} vertex/vertices removed")

    def snap(self):
        idx = self.present()
        tol = float(np.median(self.tol[idx])) if len(idx) else 0.0
        new, report = gf.snap_to_neighbours(self.g[idx], tol)
        moved = report["status"].isin(["snapped", "noded"]).to_numpy()
        for k in np.flatnonzero(moved):
            r = report.iloc[k]
            self.set(idx[k], new[k], "snap", f"{int(r['vertices_moved'])} moved (≤ {r['max_move']:.3f} m), "
                                               f"{int(r['vertices_inserted'])} inserted")

    def overlaps(self):
        if not (self.want("OVERLAP") or self.want("DUPLICATE_GEOMETRY")):
            return
        res, _ = self.check(["OVERLAP", "DUPLICATE_GEOMETRY"])
        ov = res.overlaps
        if not len(ov):
            return
        if self.want("DUPLICATE_GEOMETRY"):
            for r in ov[ov["duplicate"]].itertuples():
                if not self.removed[r.i] and not self.removed[r.j]:
                    self.set(r.j, None, "delete_duplicate", f"same polygon as row {r.i}")
        if not self.want("OVERLAP"):
            return
        for r in ov[ov["flagged"]].sort_values("area", ascending=False).itertuples():
            i, j = int(r.i), int(r.j)
            if self.removed[i] or self.removed[j]:
                continue
            a, b = self.g[i], self.g[j]
            inter = shapely.intersection(a, b)
            if shapely.area(inter) <= 0:
                continue
            ra = self.reg_area[i] if self.reg_area is not None else None
            rb = self.reg_area[j] if self.reg_area is not None else None
            keep = gf.choose_overlap_owner(a, b, inter, self.opt.overlap, ra, rb)
            a2, b2 = gf.give_overlap(a, b, keep)
            who = i if keep == "a" else j
            self.apply_noded({i: a2, j: b2}, "give_overlap",
                             f"{shapely.area(inter):.2f} m² to row {who} ({self.opt.overlap})")

    def gaps(self):
        res, _ = self.check(["GAP"])
        gaps = res.gaps[res.gaps["flagged"]] if len(res.gaps) else res.gaps
        for gap in gaps["geometry"]:
            nbs = self.neighbours(gap)
            if not len(nbs):
                continue
            rep = gf.fill_gap(gap, self.g[nbs], self.opt.gap)
            fixed = {int(nbs[p]): g for p, g in rep.changed.items()}
            for pos in rep.removed:
                fixed[int(nbs[pos])] = None
            for i, g in fixed.items():
                self.set(i, g, f"gap_{self.opt.gap}", f"gap of {shapely.area(gap):.2f} m²")
            for g in rep.added:
                self.added.append(g)
                main = nbs[np.argmax(shapely.length(shapely.intersection(
                    shapely.boundary(g), shapely.boundary(self.g[nbs]))))]
                self.added_sheet.append(self.m["sheet"].iloc[main])
                self.note(-len(self.added), "gap_new_parcel", 0.0, shapely.area(g), "new parcel without a number")

    def slivers(self):
        _, flags = self.check(["SLIVER"])
        idx = flags.loc[flags["code"] == "SLIVER", "map_idx"].to_numpy(np.int64)
        for i in sorted(idx, key=lambda k: shapely.area(self.g[k])):
            if self.removed[i]:
                continue
            nbs = self.neighbours(self.g[i], exclude={i})
            if not len(nbs):
                continue
            try:
                pos, merged = gf.merge_into_neighbour(self.g[i], self.g[nbs], self.opt.sliver)
            except ValueError as err:
                self.note(i, "merge_refused", shapely.area(self.g[i]), shapely.area(self.g[i]), str(err))
                continue
            self.set(i, None, "merge_into_neighbour", f"merged into row {int(nbs[pos])}")
            self.apply_noded({int(nbs[pos]): merged}, "merge_into_neighbour", f"took sliver row {i}",
                             exclude={i})


def fix_topology(geom: np.ndarray, m: pd.DataFrame, options: FixOptions | None = None,
                 register_area: np.ndarray | None = None, progress: Progress | None = None,
                 sheets: pd.DataFrame | None = None, sheet_geom: np.ndarray | None = None) -> FixResult:
    """Fix the topology faults of one layer; m: commune, sheet, parcel (and scale) per parcel;
    sheets/sheet_geom: the sheet frames (what counts as a gap is decided within them).

    Returns new geometries and a log; writes nothing."""
    return _Fixer(geom, m, options or FixOptions(), register_area, progress, sheets, sheet_geom).run()
