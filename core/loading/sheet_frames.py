"""Sheet frames and scales of loaded sheets.

A sheet's frame is its Circular 25 frame whenever the grid can tell: from the code
in the file name, else from the scale (file, option) and where the parcels lie,
else by trying each scale and taking the smallest grid cell that holds the
parcels and is at least half filled by them. When none fits (sheets not on the
grid, or parcels spilling over), the frame is the convex hull of the parcels.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..reference.sheet_grid import POSITIONAL_ACCURACY_M, SCALES, sheet_code, sheet_frame

DEFAULT_SCALE = 1000
MIN_FILL = 0.5          # share of a grid cell the parcels' extent must cover to infer its scale


@dataclass
class Frame:
    geometry: object
    scale: int | None
    code: str
    how: str              # "code" | "grid" | "fit" | "hull"
    note: str = ""


def _fits(bounds, frame, tol) -> bool:
    x0, y0, x1, y1 = shapely.bounds(frame)
    return bounds[0] >= x0 - tol and bounds[1] >= y0 - tol and bounds[2] <= x1 + tol and bounds[3] <= y1 + tol


def _grid_frame(bounds, scale):
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    code = sheet_code(cy, cx, scale)
    return code, sheet_frame(code, x_hint_m=cy)


def infer_scale(bounds) -> tuple[int | None, str]:
    """(scale, code) of the smallest grid cell that holds the extent and is at least half
    filled by it; (None, '') when none does."""
    if not np.all(np.isfinite(bounds)):
        return None, ""
    extent = max(bounds[2] - bounds[0], 0) * max(bounds[3] - bounds[1], 0)
    for scale in SCALES:
        code, frame = _grid_frame(bounds, scale)
        if _fits(bounds, frame, POSITIONAL_ACCURACY_M[scale]) and extent >= MIN_FILL * frame.area:
            return scale, code
    return None, ""


def frame_for(geoms: np.ndarray, code: str = "", scale: int | None = None) -> Frame:
    """The frame of one sheet from its parcels, its code and its scale (either may be unknown)."""
    geoms = geoms[~shapely.is_missing(geoms)] if len(geoms) else geoms
    bounds = shapely.total_bounds(geoms) if len(geoms) else np.full(4, np.nan)
    if not np.all(np.isfinite(bounds)):
        return Frame(None, scale, code, "hull", "no parcel geometry")
    note = ""
    if code:
        tol = POSITIONAL_ACCURACY_M.get(scale or 0, 1.0)
        frame = sheet_frame(code, x_hint_m=(bounds[1] + bounds[3]) / 2)
        if _fits(bounds, frame, tol):
            from ..reference.sheet_grid import sheet_scale
            return Frame(frame, sheet_scale(code), code, "code")
        note = f"the parcels do not lie within the frame of sheet code {code}"
    if scale in POSITIONAL_ACCURACY_M:
        grid_code, frame = _grid_frame(bounds, scale)
        if _fits(bounds, frame, POSITIONAL_ACCURACY_M[scale]):
            return Frame(frame, scale, grid_code, "grid", note)
    else:
        fit_scale, fit_code = infer_scale(bounds)
        if fit_scale is not None:
            return Frame(sheet_frame(fit_code, x_hint_m=(bounds[1] + bounds[3]) / 2), fit_scale,
                         fit_code, "fit", note)
    hull = shapely.convex_hull(shapely.multipolygons(shapely.get_parts(geoms)) if len(geoms) else None)
    return Frame(hull, scale, "", "hull", note)
