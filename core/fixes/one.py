"""Fix one geometry flag (or a batch of one kind) on the current parcel geometries.

core/fixes/geometry.py computes single fixes on shapely geometries; core/fixes/bulk.py
runs them over a whole layer. This module is the per-flag entry point the geometry dock
uses: given a flag (code, map_fid, other_map_fid, its own geometry for a gap) and a
*source* of the current parcel geometries (the layer with its edit buffer), it plans the
fix — new geometries, added and removed parcels — without changing anything. Keys are
whatever the source uses (feature ids in the dock). No Qt here.

A source has two methods:
    geoms(keys) -> {key: shapely geometry or None}
    near(geom, distance) -> [keys of parcels within distance of geom]
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from ..flags.flagset import FlagSet
from ..topology.checks import TopologyOptions, check_topology, tolerances
from . import geometry as gf

GEOMETRY_CODES = ("GEOM_INVALID", "OVERLAP", "GAP", "NOT_NODED", "SLIVER", "SPIKE",
                  "REPEATED_VERTEX", "DUPLICATE_GEOMETRY")

# Per code: the fix methods offered (catalogue names; overlap_chosen split into a / b).
METHODS = {
    "OVERLAP": ("overlap_longest_edge", "overlap_register_area", "overlap_chosen_a", "overlap_chosen_b"),
    "GAP": ("gap_merge_longest_edge", "gap_split", "gap_new_parcel"),
    "SLIVER": ("merge_into_neighbour", "merge_into_largest_neighbour"),
    "GEOM_INVALID": ("make_valid",),
    "NOT_NODED": ("snap",),
    "SPIKE": ("remove_spike",),
    "REPEATED_VERTEX": ("remove_repeated",),
    "DUPLICATE_GEOMETRY": ("delete_duplicate",),
}
NEIGHBOUR_MARGIN_M = 1.0     # beyond the tolerance: who may get a vertex from a fix


def default_tolerance(scale=None) -> float:
    """Positional tolerance (m) at a map scale (default 1:1000)."""
    opts = TopologyOptions()
    return float(tolerances(None if scale is None else np.array([float(scale)]), 1, opts)[0])


@dataclass
class FixPlan:
    """What a fix would do. before: the geometries it starts from (changed and removed)."""
    changed: dict = field(default_factory=dict)     # key -> new geometry
    removed: list = field(default_factory=list)     # keys deleted (merged sliver, duplicate)
    added: list = field(default_factory=list)       # [(geometry, template key)] new parcels
    before: dict = field(default_factory=dict)      # key -> geometry before
    notes: list = field(default_factory=list)
    error: str = ""
    flags: list = field(default_factory=list)       # fids of the flags this plan fixes

    @property
    def empty(self) -> bool:
        return not (self.changed or self.removed or self.added)

    def area_rows(self) -> list[tuple]:
        """(key, area before, area after) per touched parcel; key None for a new parcel."""
        rows = []
        for k in list(self.changed) + [k for k in self.removed if k not in self.changed]:
            b = self.before.get(k)
            a = None if k in self.removed else self.changed.get(k)
            rows.append((k, _area(b), _area(a)))
        rows += [(None, 0.0, _area(g)) for g, _ in self.added]
        return rows

    def area_moved(self) -> float:
        """Area whose parcel changes (given to another parcel, taken from a gap, cut off an
        overlap): the union of every touched parcel's difference before / after."""
        pieces = []
        for k in set(self.changed) | set(self.removed):
            b = self.before.get(k)
            a = None if k in self.removed else self.changed.get(k)
            b, a = b if b is not None else shapely.Polygon(), a if a is not None else shapely.Polygon()
            if not shapely.is_valid(b):         # a make_valid fix: GEOS overlay needs a valid input
                b = shapely.make_valid(b)
            pieces.append(shapely.symmetric_difference(b, a))
        pieces += [g for g, _ in self.added]
        return float(shapely.area(shapely.union_all(pieces))) if pieces else 0.0

    def merge(self, other: "FixPlan") -> None:
        """Add a later plan (computed on this one's result) to this one."""
        for k, g in other.before.items():
            self.before.setdefault(k, g)
        for k, g in other.changed.items():
            self.changed[k] = g
        for k in other.removed:
            self.changed.pop(k, None)
            if k not in self.removed:
                self.removed.append(k)
        self.added += other.added
        self.notes += other.notes
        self.flags += other.flags


def _area(g) -> float:
    return 0.0 if g is None or g.is_empty else float(shapely.area(g))


class Overlay:
    """A source seen through pending plans: later fixes of a batch see earlier results."""

    def __init__(self, source):
        self.source = source
        self.changed: dict = {}
        self.removed: set = set()

    def apply(self, plan: FixPlan) -> None:
        self.changed.update(plan.changed)
        self.removed.update(plan.removed)

    def geoms(self, keys) -> dict:
        base = self.source.geoms([k for k in keys if k not in self.changed])
        out = {}
        for k in keys:
            out[k] = None if k in self.removed else (self.changed[k] if k in self.changed else base.get(k))
        return out

    def near(self, geom, distance) -> list:
        keys = set(self.source.near(geom, distance + 50.0)) | set(self.changed)
        keys -= self.removed
        keys = sorted(keys)
        g = self.geoms(keys)
        return [k for k in keys if g[k] is not None and shapely.dwithin(g[k], geom, distance)]


def _key(v):
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return int(v)


def plan_fix(flag: dict, method: str, source, tolerance: float, flag_geometry=None) -> FixPlan:
    """Plan the fix `method` for one flag on the current geometries of `source`.

    flag: code, map_fid, other_map_fid (and fid); flag_geometry: the flag's own shapely
    geometry (needed for a gap: the hole to close)."""
    code = flag["code"]
    a, b = _key(flag.get("map_fid")), _key(flag.get("other_map_fid"))
    plan = FixPlan(flags=[int(flag["fid"])] if flag.get("fid") is not None else [])
    try:
        if code == "OVERLAP":
            _overlap(plan, a, b, method, source, tolerance)
        elif code == "GAP":
            _gap(plan, flag_geometry, method, source, tolerance)
        elif code == "SLIVER":
            _sliver(plan, a, method, source, tolerance)
        elif code == "GEOM_INVALID":
            g = _need(source, [a])[a]
            fixed, report = gf.make_valid([g])
            if not shapely.equals_exact(fixed[0], g, 0):
                plan.before[a], plan.changed[a] = g, fixed[0]
                plan.notes.append(str(report["reason"].iloc[0]))
        elif code in ("SPIKE", "REPEATED_VERTEX"):
            _vertices(plan, a, code, source, tolerance)
        elif code == "NOT_NODED":
            keys = [k for k in (a, b) if k is not None]
            if not keys:     # a sheet-edge warning: snap around the flag's marks
                if flag_geometry is None:
                    raise ValueError("the flag names no parcel")
                keys = source.near(flag_geometry, tolerance)
            _snap(plan, keys, source, tolerance)
        elif code == "DUPLICATE_GEOMETRY":
            g = _need(source, [b])
            plan.before[b] = g[b]
            plan.removed.append(b)
        else:
            raise ValueError(f"no geometry fix for {code}")
    except ValueError as err:
        return FixPlan(error=str(err), flags=plan.flags)
    if plan.empty and not plan.error:
        plan.error = "the fix changes nothing"
    return plan


def _need(source, keys) -> dict:
    if any(k is None for k in keys):
        raise ValueError("the flag names no parcel")
    g = source.geoms(keys)
    missing = [k for k in keys if g.get(k) is None or g[k].is_empty]
    if missing:
        raise ValueError(f"parcel fid {missing[0]} is not in the layer (or has no geometry)")
    return g


def _node_into(plan: FixPlan, fixed: dict, source, tolerance: float, exclude=()) -> None:
    """Put fixed geometries into the plan, noded against the parcels around them."""
    keys = list(fixed)
    live = [fixed[k] for k in keys if fixed[k] is not None and not fixed[k].is_empty]
    around = []
    if live:
        area = shapely.union_all(live)
        around = [k for k in source.near(area, tolerance + gf.NODE_TOLERANCE)
                  if k not in fixed and k not in exclude]
    if around:
        cur = source.geoms(around)
        around = [k for k in around if cur[k] is not None]
        noded, changed = gf.node_neighbours([fixed[k] for k in keys], [cur[k] for k in around])
        for pos, g in changed.items():
            k = around[pos]
            plan.before.setdefault(k, cur[k])
            plan.changed[k] = g
    else:
        noded = [fixed[k] for k in keys]
    for k, g in zip(keys, noded):
        if g is None or g.is_empty:
            if k not in plan.removed:
                plan.removed.append(k)
            plan.changed.pop(k, None)
        else:
            plan.changed[k] = g


def _overlap(plan, a, b, method, source, tolerance):
    g = _need(source, [a, b])
    ga, gb = g[a], g[b]
    inter = shapely.intersection(ga, gb)
    if shapely.area(inter) <= 0:
        raise ValueError("the two parcels no longer overlap")
    if method in ("overlap_chosen_a", "overlap_chosen_b"):
        keep = method[-1]
    elif method == "overlap_register_area":
        raise ValueError("the register-area rule needs the register: use the Fix topology algorithm")
    else:
        keep = gf.choose_overlap_owner(ga, gb, inter, "longest_edge")
    a2, b2 = gf.give_overlap(ga, gb, keep)
    plan.before[a], plan.before[b] = ga, gb
    plan.notes.append(f"{shapely.area(inter):.2f} m² to fid {a if keep == 'a' else b}")
    _node_into(plan, {a: a2, b: b2}, source, tolerance)


def _gap(plan, gap, method, source, tolerance):
    if gap is None or gap.is_empty:
        raise ValueError("the flag has no gap geometry")
    keys = source.near(gap, tolerance)
    if not keys:
        raise ValueError("no parcel borders the gap")
    cur = source.geoms(keys)
    keys = [k for k in keys if cur[k] is not None]
    nbs = np.array([cur[k] for k in keys], dtype=object)
    # what is still open of the gap (an earlier fix may have closed part of it)
    rest = gf._polygonal(shapely.difference(gap, shapely.union_all(nbs)))
    if rest is None or rest.is_empty or shapely.area(rest) <= gf.NODE_TOLERANCE:
        raise ValueError("the gap is already closed")
    rep = gf.fill_gap(rest, nbs, method.removeprefix("gap_"))
    if not (rep.changed or rep.added or rep.removed):
        note = "; ".join(r.get("note", "") for r in rep.log) or "the gap cannot be closed"
        raise ValueError(note)
    for pos, g in rep.changed.items():
        plan.before[keys[pos]] = cur[keys[pos]]
        plan.changed[keys[pos]] = g
    for pos in rep.removed:
        plan.before[keys[pos]] = cur[keys[pos]]
        plan.removed.append(keys[pos])
    for g in rep.added:
        shared = shapely.length(shapely.intersection(shapely.boundary(g), shapely.boundary(nbs)))
        plan.added.append((g, keys[int(np.argmax(shared))]))
    plan.notes.append(f"gap of {shapely.area(rest):.2f} m²")


def _sliver(plan, a, method, source, tolerance):
    g = _need(source, [a])[a]
    keys = [k for k in source.near(g, tolerance) if k != a]
    if not keys:
        raise ValueError("the parcel has no neighbour")
    cur = source.geoms(keys)
    keys = [k for k in keys if cur[k] is not None]
    how = "largest_area" if method == "merge_into_largest_neighbour" else "longest_edge"
    pos, merged = gf.merge_into_neighbour(g, [cur[k] for k in keys], how)
    k = keys[pos]
    plan.before[a], plan.before[k] = g, cur[k]
    plan.removed.append(a)
    plan.notes.append(f"merged into fid {k}")
    _node_into(plan, {k: merged}, source, tolerance, exclude={a})


def _vertices(plan, a, code, source, tolerance):
    g = _need(source, [a])[a]
    keys = sorted(set(source.near(g, tolerance)) | {a})
    cur = source.geoms(keys)
    keys = [k for k in keys if cur[k] is not None]
    arr = np.array([cur[k] for k in keys], dtype=object)
    new, count = gf.remove_spikes(arr) if code == "SPIKE" else gf.remove_repeated_vertices(arr)
    for pos, k in enumerate(keys):
        if count[pos] > 0 and not shapely.equals_exact(new[pos], cur[k], 0):
            plan.before[k], plan.changed[k] = cur[k], new[pos]


def _snap(plan, keys, source, tolerance):
    g = _need(source, keys)
    around = set(keys)
    for k in keys:
        around |= set(source.near(g[k], tolerance))
    around = sorted(around)
    cur = source.geoms(around)
    around = [k for k in around if cur[k] is not None]
    plan_snap(plan, around, cur, tolerance)


def plan_snap(plan: FixPlan, keys, current: dict, tolerance: float) -> FixPlan:
    """Snap parcels `keys` (geometries in `current`) onto each other."""
    arr = np.array([current[k] for k in keys], dtype=object)
    new, report = gf.snap_to_neighbours(arr, tolerance)
    moved = report["status"].isin(["snapped", "noded"]).to_numpy()
    for pos in np.flatnonzero(moved):
        k = keys[pos]
        plan.before[k], plan.changed[k] = current[k], new[pos]
    left = int((report["status"] == "left_invalid").sum())
    if left:
        plan.notes.append(f"{left} parcel(s) left as they were (snapping would make them invalid)")
    return plan


# -- re-check ----------------------------------------------------------------------------


def fault_gone(flag: dict, source, tolerance: float, flag_geometry=None) -> bool:
    """Is the flag's fault gone on the current geometries? Checks the flag's parcels and
    their neighbours only."""
    code = flag["code"]
    a, b = _key(flag.get("map_fid")), _key(flag.get("other_map_fid"))
    keys = [k for k in (a, b) if k is not None]
    cur = source.geoms(keys) if keys else {}
    if code in ("SLIVER", "DUPLICATE_GEOMETRY", "GEOM_INVALID", "SPIKE", "REPEATED_VERTEX") and \
            any(cur.get(k) is None for k in keys):
        return True      # a parcel of the pair is gone
    if code == "OVERLAP" and any(cur.get(k) is None for k in keys):
        return True
    if code == "GAP":
        region = flag_geometry
    else:
        live = [g for g in cur.values() if g is not None]
        region = shapely.union_all(live) if live else flag_geometry
    if region is None:
        return False
    around = sorted(set(source.near(region, tolerance + NEIGHBOUR_MARGIN_M)) | set(keys))
    geoms = source.geoms(around)
    around = [k for k in around if geoms[k] is not None]
    if not around:
        return code != "GAP"
    arr = np.array([geoms[k] for k in around], dtype=object)
    m = pd.DataFrame({"commune": "", "sheet": "", "parcel": [str(k) for k in around]})
    flags = FlagSet()
    opts = TopologyOptions(tolerance_m=tolerance, workers=1)
    check_topology(arr, m, flags, codes=[code], options=opts)
    found = flags.frame()
    if code == "GAP":
        geoms_found = found["geometry"].to_numpy(object)
        return not any(g is not None and shapely.area(shapely.intersection(g, flag_geometry)) > 0
                       for g in geoms_found)
    pos = {k: i for i, k in enumerate(around)}
    mine = {pos[k] for k in keys if k in pos}
    hit = found["map_idx"].isin(mine) | (found["other_idx"].isin(mine) if len(keys) > 1 else False)
    if len(keys) > 1:
        both = found["map_idx"].isin(mine) & found["other_idx"].isin(mine)
        hit = both
    return not bool(hit.any())
