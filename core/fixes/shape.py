"""Fixes of one parcel's shape: make valid, repeated vertices, spikes, keeping the
vertices shared with neighbours."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import shapely

from .rings import (_MULTIPOLYGON, _POLYGON, _Rings, _dedup_mask, _polygonal, _ring_links,
                    _ring_twice_area, _vertex_ids)


def make_valid(geoms) -> tuple[np.ndarray, pd.DataFrame]:
    """Repair invalid polygons without losing area.

    GEOS's "structure" method unions the shells and subtracts the holes, so a
    bow-tie becomes its two triangles and a self-touching ring a polygon with a
    hole, and no enclosed area is dropped; zero-width spikes and collapsed parts
    are dropped, and only polygonal parts are kept. Valid polygons pass through
    untouched (a courtyard hole stays a hole).

    Report, one row per input: index, reason (shapely.is_valid_reason before),
    area_before (shapely's area: an invalid ring's signed sum, so a symmetric bow-tie
    shows 0), area_after, parts_after, action (unchanged | repaired | split |
    dropped (nothing polygonal left) | polygons_kept (non-polygonal parts removed) |
    missing (None)).
    """
    geoms = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    valid = shapely.is_valid(geoms)
    types = shapely.get_type_id(geoms)
    polygonal = (types == _POLYGON) | (types == _MULTIPOLYGON)
    out = geoms.copy()
    bad = ~missing & ~valid
    if bad.any():
        out[bad] = _polygonal(shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False))
    odd = ~missing & valid & ~polygonal
    if odd.any():
        out[odd] = _polygonal(geoms[odd])
    parts_before = shapely.get_num_geometries(geoms)
    parts_after = np.where(missing, 0, shapely.get_num_geometries(out))
    action = np.full(len(geoms), "unchanged", dtype=object)
    action[bad] = "repaired"
    action[bad & (parts_after > parts_before)] = "split"
    action[odd] = "polygons_kept"
    action[(bad | odd) & shapely.is_empty(out)] = "dropped"
    action[missing] = "missing"
    report = pd.DataFrame({
        "index": np.arange(len(geoms)),
        "reason": shapely.is_valid_reason(geoms),
        "area_before": np.nan_to_num(shapely.area(geoms)),
        "area_after": np.nan_to_num(shapely.area(out)),
        "parts_after": parts_after,
        "action": action,
    })
    return out, report


# -- Vertex clean-up ------------------------------------------------------------------------


def _keep_valid(geoms: np.ndarray, new: np.ndarray, removed: np.ndarray):
    """A clean-up that would make a geometry invalid or empty leaves it as it was."""
    changed = removed > 0
    ok = shapely.is_valid(new) & ~shapely.is_empty(new)
    revert = changed & ~ok
    out = np.where(changed & ok, new, geoms)
    removed = np.where(revert, 0, removed)
    return out, removed


def remove_repeated_vertices(geoms, tolerance: float = 0.001) -> tuple[np.ndarray, np.ndarray]:
    """Merge runs of consecutive vertices closer than tolerance into one vertex.

    The vertex kept is the run's lowest by (x, y), not its first: a neighbour that
    walks the shared boundary the other way keeps the same vertex, so the boundary
    stays shared. A run is chained (each vertex within tolerance of the one before),
    so a long run of tiny steps can span more than tolerance. Rings that collapse are
    dropped (holes) or drop their part; a geometry the clean-up would leave invalid
    or empty is returned unchanged with 0 removed.
    Returns (new geometries, vertices removed per geometry).
    """
    geoms = np.asarray(geoms, dtype=object)
    r = _Rings.of(geoms)
    n = r.n_geoms
    if len(r.xy) == 0:
        return geoms.copy(), np.zeros(n, int)
    xy, ring = r.xy, r.ring
    prv, _ = _ring_links(ring)
    close = np.hypot(*(xy - xy[prv]).T) <= tolerance
    ring_start = np.r_[True, ring[1:] != ring[:-1]]
    run = np.cumsum(~close | ring_start) - 1
    # A ring whose first vertex is close to its last: the first run continues the last.
    wrap = ring_start & close
    if wrap.any():
        first_run = run[wrap]
        last_run = run[prv[np.flatnonzero(wrap)]]
        relabel = np.arange(run.max() + 1)
        relabel[first_run] = last_run
        run = relabel[run]
    order = np.lexsort((xy[:, 1], xy[:, 0], run))
    first = np.r_[True, run[order][1:] != run[order][:-1]]
    keep = np.zeros(len(xy), bool)
    keep[order[first]] = True
    removed = np.bincount(r.geom[~keep], minlength=n)
    new, _ = replace(r, xy=xy[keep], ring=ring[keep]).geoms()
    return _keep_valid(geoms, new, removed)


def _shared_vertices(r: _Rings) -> np.ndarray:
    """Per vertex: its coordinates are also a vertex of another geometry."""
    uniq, inv = _vertex_ids(r.xy)
    pairs = np.unique(inv.astype(np.int64) * r.n_geoms + r.geom)
    n_owners = np.bincount(pairs // r.n_geoms, minlength=len(uniq))
    return n_owners[inv] > 1


def remove_spikes(geoms, max_angle_deg: float = 1.0, keep_shared: bool = True,
                  max_passes: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Remove spike tips: vertices where the parcel's interior angle is below
    max_angle_deg and the vertex points out of the parcel (a narrow inward crack is
    not a spike). Repeated until none is left, so a spike drawn with several vertices
    goes vertex by vertex; zero-width spikes go entirely (the doubled-back vertices
    become repeats and are dropped).

    keep_shared: a tip that is also a vertex of another geometry in `geoms` is kept:
    the neighbour is shaped around it, and removing it would open a gap.
    A ring is never reduced below 3 vertices (a whole sliver is merge_into_neighbour's
    job). A geometry the removal would leave invalid is returned unchanged with 0.
    Returns (new geometries, vertices removed per geometry).
    """
    geoms = np.asarray(geoms, dtype=object)
    r = _Rings.of(geoms)
    n = r.n_geoms
    if len(r.xy) == 0:
        return geoms.copy(), np.zeros(n, int)
    xy, ring = r.xy.copy(), r.ring.copy()
    protected = _shared_vertices(r) if keep_shared else np.zeros(len(xy), bool)
    hole = r.is_hole
    limit = np.radians(max_angle_deg)
    for _ in range(max_passes):
        keep = _dedup_mask(xy, ring)
        xy, ring, protected = xy[keep], ring[keep], protected[keep]
        prv, nxt = _ring_links(ring)
        u, v = xy[prv] - xy, xy[nxt] - xy
        cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
        angle = np.arctan2(np.abs(cross), (u * v).sum(axis=1))
        twice_area = _ring_twice_area(xy, ring, len(hole))
        turn = -cross    # > 0: a left turn at the vertex
        orient = np.sign(twice_area)[ring]
        outward = np.where(hole[ring], turn * orient < 0, turn * orient > 0)
        spike = (angle < limit) & (outward | (cross == 0)) & ~protected
        spike &= ~spike[prv]   # one of two adjacent tips per pass
        left = np.bincount(ring, weights=~spike, minlength=len(hole))
        spike &= left[ring] >= 3
        if not spike.any():
            break
        xy, ring, protected = xy[~spike], ring[~spike], protected[~spike]
    removed = np.bincount(r.geom, minlength=n) - np.bincount(r.ring_geom[ring], minlength=n)
    new, _ = replace(r, xy=xy, ring=ring).geoms()
    return _keep_valid(geoms, new, removed)


# -- Overlaps ----------------------------------------------------------------------------
