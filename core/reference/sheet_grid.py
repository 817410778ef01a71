"""Circular 25/2014 map-sheet grid and the numbering rules that come with it.

Sheet codes ("số hiệu mảnh") from VN-2000 TM-3 coordinates and sheet frames from
codes, the positional accuracy and area tolerance per scale, and the zig-zag
parcel numbering of a sheet.

Axes: Vietnamese survey texts write X for the northing and Y for the easting;
geometries here are shapely/OGR order, x = easting (Y), y = northing (X), as QGIS
reads EPSG:9205–9218.

Grid (DOMAIN.md): 1:10000 sheets are 6 × 6 km cells, code "10-" + X km + Y km of
the north-west corner (3 digits each); 1:5000 = a 1:10000 split in 4 (3 km), code
X km + Y km; 1:2000 = a 1:5000 split in 9 (1 km), "<5000>-<1..9>"; 1:1000 = a
1:2000 split in 4, "<2000>-<a..d>"; 1:500 = a 1:2000 split in 16, "<2000>-(<1..16>)";
1:200 = a 1:2000 split in 100, "<2000>-<1..100>". Sub-sheets are numbered left to
right, top to bottom.

Unconfirmed, hence `GridSettings`: where the 6-km grid starts (its origin) and how a
northing above 1000 km fits three digits (default: X km modulo 1000, so X = 2 431 km
is written 431). DOMAIN.md's example "10-728494" is not on a 6-km grid through 0
(728 and 494 are 2 modulo 6): if real codes look like that, the origin is 2 km.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely

from ..errors import InputError

SCALES = (200, 500, 1000, 2000, 5000, 10000)

# Positional accuracy of boundary points (DOMAIN.md), metres: default snapping and
# overlap/gap tolerances.
POSITIONAL_ACCURACY_M = {200: 0.05, 500: 0.07, 1000: 0.15, 2000: 0.30, 5000: 1.5, 10000: 3.0}

# Ground size of a sheet's side, metres.
SHEET_SIZE_M = {10000: 6000, 5000: 3000, 2000: 1000, 1000: 500, 500: 250, 200: 100}

# Sub-sheets of a 1:2000 sheet: how many along a side.
_SPLIT_OF_2000 = {1000: 2, 500: 4, 200: 10}

# ΔP = 2 × 0.0002 × M × √P (DOMAIN.md: unconfirmed).
DEFAULT_TOLERANCE_FACTOR = 0.0004


@dataclass(frozen=True)
class GridSettings:
    """The unconfirmed parts of the grid.

    origin_x_m, origin_y_m: northing and easting (metres, whole km) of one corner of
      the 6-km grid; the 3-km, 1-km and smaller cells nest in it.
    x_km_modulo: the X km of a code is written modulo this (1000: three digits).
    """
    origin_x_m: float = 0
    origin_y_m: float = 0
    x_km_modulo: int = 1000

    def __post_init__(self):
        for name in ("origin_x_m", "origin_y_m"):
            if float(getattr(self, name)) % 1000:
                raise ValueError(f"GridSettings.{name} must be a whole number of km")
        if self.x_km_modulo < 1:
            raise ValueError("GridSettings.x_km_modulo must be positive")


DEFAULT_GRID = GridSettings()

_CODE_RE = re.compile(
    r"^(?P<ten>10-)?(?P<x>\d{3})(?P<y>\d{3})"
    r"(?:-(?P<n2000>[1-9])(?:-(?:(?P<letter>[a-d])|\((?P<n500>\d{1,2})\)|(?P<n200>\d{1,3})))?)?$")


def _cell_top_left(x: float, y: float, size: int, s: GridSettings) -> tuple[int, int]:
    """North and west edges (metres) of the size-m cell holding the point; a point on a
    line belongs to the cell north/east of it."""
    row = np.floor((x - s.origin_x_m) / size)
    col = np.floor((y - s.origin_y_m) / size)
    return int(s.origin_x_m + (row + 1) * size), int(s.origin_y_m + col * size)


def _km_digits(top_m: int, left_m: int, s: GridSettings) -> str:
    width = len(str(s.x_km_modulo - 1))
    return f"{(top_m // 1000) % s.x_km_modulo:0{width}d}{left_m // 1000:03d}"


def sheet_code(x_northing: float, y_easting: float, scale: int,
               settings: GridSettings | None = None) -> str:
    """Circular 25 code of the sheet at `scale` that holds the point (X northing, Y easting)."""
    s = settings or DEFAULT_GRID
    if scale not in SHEET_SIZE_M:
        raise ValueError(f"scale 1:{scale} is not one of {SCALES}")
    x, y = float(x_northing), float(y_easting)
    if scale == 10000:
        return "10-" + _km_digits(*_cell_top_left(x, y, 6000, s), s)
    top3, left3 = _cell_top_left(x, y, 3000, s)
    code = _km_digits(top3, left3, s)
    if scale == 5000:
        return code
    top1, left1 = _cell_top_left(x, y, 1000, s)
    code += f"-{(top3 - top1) // 1000 * 3 + (left1 - left3) // 1000 + 1}"
    if scale == 2000:
        return code
    size = SHEET_SIZE_M[scale]
    per_side = _SPLIT_OF_2000[scale]
    top, left = _cell_top_left(x, y, size, s)
    index = (top1 - top) // size * per_side + (left - left1) // size
    if scale == 1000:
        return f"{code}-{'abcd'[index]}"
    if scale == 500:
        return f"{code}-({index + 1})"
    return f"{code}-{index + 1}"


def sheet_scale(code: str) -> int:
    """Scale denominator a Circular 25 code stands for."""
    return _parse(code)[0]


def _parse(code: str):
    m = _CODE_RE.match(str(code).strip().lower())
    if not m:
        raise InputError(f"'{code}' is not a Circular 25 sheet code",
                         fix="codes look like 10-728494, 725497, 725500-6, 725500-6-d, "
                             "725500-6-(11) or 725500-6-25")
    g = m.groupdict()
    if g["ten"]:
        if g["n2000"]:
            raise InputError(f"'{code}': a 1:10000 code has no sub-sheet part")
        return 10000, g, 0
    if not g["n2000"]:
        return 5000, g, 0
    if g["letter"]:
        return 1000, g, "abcd".index(g["letter"])
    if g["n500"]:
        n = int(g["n500"])
        if not 1 <= n <= 16:
            raise InputError(f"'{code}': a 1:500 sheet number is 1–16")
        return 500, g, n - 1
    if g["n200"]:
        n = int(g["n200"])
        if not 1 <= n <= 100:
            raise InputError(f"'{code}': a 1:200 sheet number is 1–100")
        return 200, g, n - 1
    return 2000, g, 0


def sheet_frame(code: str, settings: GridSettings | None = None,
                x_hint_m: float | None = None) -> shapely.Polygon:
    """Frame (x = easting, y = northing) of the sheet a Circular 25 code names.

    The code drops the thousands of km of X (see GridSettings.x_km_modulo):
    `x_hint_m`, any northing near the sheet, restores them; without it they are 0.
    """
    s = settings or DEFAULT_GRID
    scale, g, index = _parse(code)
    top = int(g["x"]) * 1000
    left = int(g["y"]) * 1000
    if x_hint_m is not None:
        period = s.x_km_modulo * 1000
        # the period multiple that puts the sheet's middle nearest the hint
        middle = top - SHEET_SIZE_M[scale] / 2
        top += int(round((float(x_hint_m) - middle) / period)) * period
    if scale in (10000, 5000):
        size = SHEET_SIZE_M[scale]
        return shapely.box(left, top - size, left + size, top)
    n = int(g["n2000"]) - 1
    top -= n // 3 * 1000
    left += n % 3 * 1000
    if scale != 2000:
        size = SHEET_SIZE_M[scale]
        per_side = _SPLIT_OF_2000[scale]
        top -= index // per_side * size
        left += index % per_side * size
    size = SHEET_SIZE_M[scale]
    return shapely.box(left, top - size, left + size, top)


def area_tolerance(area_m2, scale, factor: float = DEFAULT_TOLERANCE_FACTOR) -> np.ndarray:
    """Allowed map ↔ register area difference ΔP = factor × M × √P (m², per record).

    factor 0.0004 is the often quoted 2 × 0.0002 (DOMAIN.md: unconfirmed)."""
    area = np.clip(np.asarray(area_m2, dtype=float), 0, None)
    return factor * np.asarray(scale, dtype=float) * np.sqrt(area)


def zigzag_order(points_x, points_y, band_height, *, top=None, groups=None) -> np.ndarray:
    """Parcel numbers 1…n in the zig-zag order of cadastral practice (FAMIS, gCadas).

    Bands of `band_height` are laid from the north (`top`, default: the northernmost
    point of each group); the first band is numbered west → east, the next east → west,
    alternating. Points are points inside the parcels (shapely point_on_surface).
    `groups` (e.g. sheet ids) numbers each group on its own; `top` and `band_height` may
    be per point. Returns int64 ranks aligned with the points.
    """
    x = np.asarray(points_x, dtype=float)
    y = np.asarray(points_y, dtype=float)
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if groups is None:
        gid = np.zeros(n, dtype=np.int64)
    else:
        _, gid = np.unique(np.asarray(groups), return_inverse=True)
        gid = gid.astype(np.int64).reshape(-1)
    if top is None:
        tops = np.full(gid.max() + 1, -np.inf)
        np.maximum.at(tops, gid, y)
        top_per_point = tops[gid]
    else:
        top_per_point = np.broadcast_to(np.asarray(top, dtype=float), (n,))
    height = np.broadcast_to(np.asarray(band_height, dtype=float), (n,))
    if (height <= 0).any():
        raise ValueError("band_height must be positive")
    band = np.floor((top_per_point - y) / height).astype(np.int64)
    along = np.where(band % 2 == 0, x, -x)
    # ties (same x in a band) go north first, then input order: lexsort is stable
    order = np.lexsort((-y, along, band, gid))
    ranks = np.empty(n, dtype=np.int64)
    sorted_gid = gid[order]
    starts = np.searchsorted(sorted_gid, sorted_gid, side="left")
    ranks[order] = np.arange(n) - starts + 1
    return ranks
