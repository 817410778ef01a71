"""The bulk machinery of the topology checks: thread pool, blocks with halos, ring arrays.

Shapely releases the GIL in its vectorised functions, so threads over blocks keep both
cores busy; helpers here turn GEOS results into plain arrays the checks can index."""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import shapely


POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)

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
