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

This module runs the stages in order; each stage is a mixin in its own module
(shape, overlaps, noding, gaps, sheets) over the bulk helpers in blocks.py.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import FlagSet
from ..reference.sheet_grid import POSITIONAL_ACCURACY_M
from ..progress import Progress
from .blocks import _Pool, _join
from .gaps import GapChecks
from .noding import NodingChecks
from .overlaps import OverlapChecks
from .shape import ShapeChecks
from .sheets import SheetChecks

TOPOLOGY_CODES = ("GEOM_EMPTY", "GEOM_INVALID", "MULTIPART", "REPEATED_VERTEX", "SPIKE", "SLIVER",
                  "DUPLICATE_GEOMETRY", "OVERLAP", "GAP", "NOT_NODED", "OUTSIDE_SHEET",
                  "CROSSES_SHEET")
SHEET_CODES = ("OUTSIDE_SHEET", "CROSSES_SHEET")
DEFAULT_SCALE = 1000


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


# ---- the check ----------------------------------------------------------------------------

class TopologyCheck(ShapeChecks, OverlapChecks, NodingChecks, GapChecks, SheetChecks):
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



def check_topology(geom: np.ndarray, m: pd.DataFrame, flags: FlagSet, *, codes=None,
                   sheets: pd.DataFrame | None = None, sheet_geom: np.ndarray | None = None,
                   options: TopologyOptions | None = None,
                   progress: Progress | None = None) -> TopologyResult:
    """Run the topology checks on one parcel layer; flags are added to `flags`.

    geom: shapely geometries (None for null); m: commune, sheet, parcel (and scale) per
    parcel; codes: the checks to run (default all); sheets/sheet_geom: sheet frames for
    OUTSIDE_SHEET and CROSSES_SHEET."""
    return TopologyCheck(geom, m, flags, codes, options, progress).run(sheets, sheet_geom)
