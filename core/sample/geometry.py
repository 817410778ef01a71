"""Rectangles → polygons with exactly shared vertices, bent so parcels are not pure rectangles.

Noding: every rectangle corner (and a point every DENSIFY_CM along each edge) that lies
on another rectangle's edge is inserted into that edge, so neighbours list the very
same vertices along their common boundary — across sheet and commune edges too —
and the parcels form a valid coverage.

Bending: every vertex is moved by one smooth displacement field, a function of its
position only, so copies of a shared vertex move together and the tiling stays exact.
The field is small and gentle (slope ≤ ~0.3), which keeps every polygon simple. Its
east component vanishes on the 500-m lines and its north component on the 500-m
lines of the other axis, so vertices on a sheet edge only slide along it and sheet
frames stay exact squares.
"""
from __future__ import annotations

import numpy as np
import shapely

from .layout import CM, ORIGIN_EASTING_M, ORIGIN_NORTHING_M

DENSIFY_CM = 20 * CM          # longest edge left straight before bending
SHEET_LINE_CM = 500 * CM      # every sheet edge is on one of these lines
_SHIFT = np.int64(32)
_LOW = np.int64((1 << 32) - 1)


def ragged_arange(starts: np.ndarray, counts: np.ndarray, step: int = 1) -> np.ndarray:
    """concatenate(arange(s, s + step * c, step) for s, c in zip(starts, counts)) in bulk."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    before = np.cumsum(counts) - counts
    within = np.arange(total, dtype=np.int64) - np.repeat(before, counts)
    return np.repeat(np.asarray(starts, dtype=np.int64), counts) + step * within


def _line_points(lo: np.ndarray, hi: np.ndarray, fixed: np.ndarray):
    """Multiples of DENSIFY_CM strictly between lo and hi on each edge: (along, fixed) arrays."""
    first = lo // DENSIFY_CM + 1
    count = np.maximum(0, -((-hi) // DENSIFY_CM) - 1 - lo // DENSIFY_CM)
    along = ragged_arange(first, count) * DENSIFY_CM
    return along, np.repeat(fixed, count)


def ring_coordinates(x0, y0, x1, y1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Noded closed rings (counter-clockwise) of rectangles given in integer cm.

    Returns (x, y, ring index per vertex), integers, in ring order.
    """
    ox, oy = x0.min(), y0.min()
    x0, x1, y0, y1 = x0 - ox, x1 - ox, y0 - oy, y1 - oy
    if max(x1.max(), y1.max()) >= 1 << 31:
        raise ValueError("sample extent too large for the node keys")
    # nodes on horizontal lines keyed (y, x); on vertical lines (x, y)
    hx, hy = _line_points(np.concatenate([x0, x0]), np.concatenate([x1, x1]), np.concatenate([y0, y1]))
    vy, vx = _line_points(np.concatenate([y0, y0]), np.concatenate([y1, y1]), np.concatenate([x0, x1]))
    cx = np.concatenate([x0, x1, x1, x0])
    cy = np.concatenate([y0, y0, y1, y1])
    h_keys = np.unique(np.concatenate([(cy << _SHIFT) | cx, (hy << _SHIFT) | hx]))
    v_keys = np.unique(np.concatenate([(cx << _SHIFT) | cy, (vx << _SHIFT) | vy]))
    del hx, hy, vx, vy, cx, cy

    def between(keys, line, a, b):
        lo = np.searchsorted(keys, (line << _SHIFT) | a, side="right")
        hi = np.searchsorted(keys, (line << _SHIFT) | b, side="left")
        return lo, hi - lo

    b_lo, n_b = between(h_keys, y0, x0, x1)      # bottom, west → east
    r_lo, n_r = between(v_keys, x1, y0, y1)      # right, south → north
    t_lo, n_t = between(h_keys, y1, x0, x1)      # top, east → west
    l_lo, n_l = between(v_keys, x0, y0, y1)      # left, north → south
    length = 5 + n_b + n_r + n_t + n_l
    total = int(length.sum())
    start = np.cumsum(length) - length
    xs = np.empty(total, dtype=np.int64)
    ys = np.empty(total, dtype=np.int64)
    p_br = start + 1 + n_b
    p_tr = p_br + 1 + n_r
    p_tl = p_tr + 1 + n_t
    p_end = p_tl + 1 + n_l
    for pos, cx_, cy_ in ((start, x0, y0), (p_br, x1, y0), (p_tr, x1, y1), (p_tl, x0, y1),
                          (p_end, x0, y0)):
        xs[pos], ys[pos] = cx_, cy_
    pos = ragged_arange(start + 1, n_b)
    k = h_keys[ragged_arange(b_lo, n_b)]
    xs[pos], ys[pos] = k & _LOW, k >> _SHIFT
    pos = ragged_arange(p_br + 1, n_r)
    k = v_keys[ragged_arange(r_lo, n_r)]
    xs[pos], ys[pos] = k >> _SHIFT, k & _LOW
    pos = ragged_arange(p_tr + 1, n_t)
    k = h_keys[ragged_arange(t_lo + n_t - 1, n_t, step=-1)]
    xs[pos], ys[pos] = k & _LOW, k >> _SHIFT
    pos = ragged_arange(p_tl + 1, n_l)
    k = v_keys[ragged_arange(l_lo + n_l - 1, n_l, step=-1)]
    xs[pos], ys[pos] = k >> _SHIFT, k & _LOW
    ring = np.repeat(np.arange(len(x0), dtype=np.int64), length)
    return xs + ox, ys + oy, ring


class Bend:
    """The smooth displacement field (metres) of one sample, drawn from the generator."""

    def __init__(self, rng: np.random.Generator, components: int = 4):
        def draw():
            theta = rng.uniform(0, 2 * np.pi, components)
            wavelength = rng.uniform(150, 450, components)
            # each component's slope ≤ 0.05: the field stays far from folding
            amplitude = rng.uniform(0.4, 1.0, components) * 0.05 * wavelength / (2 * np.pi)
            phase = rng.uniform(0, 2 * np.pi, components)
            return (np.cos(theta) / wavelength, np.sin(theta) / wavelength, amplitude, phase)
        self.east = draw()
        self.north = draw()

    @staticmethod
    def _wave(params, e, n):
        ce, cn, amp, phase = params
        out = np.zeros_like(e)
        for k in range(len(amp)):
            out += amp[k] * np.sin(2 * np.pi * (e * ce[k] + n * cn[k]) + phase[k])
        return out

    def apply(self, x_cm: np.ndarray, y_cm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bent coordinates in metres, rounded to the millimetre."""
        e = (x_cm - ORIGIN_EASTING_M * CM) / CM
        n = (y_cm - ORIGIN_NORTHING_M * CM) / CM
        taper_e = np.abs(np.sin(np.pi * (x_cm % SHEET_LINE_CM) / SHEET_LINE_CM))
        taper_n = np.abs(np.sin(np.pi * (y_cm % SHEET_LINE_CM) / SHEET_LINE_CM))
        taper_e[x_cm % SHEET_LINE_CM == 0] = 0.0
        taper_n[y_cm % SHEET_LINE_CM == 0] = 0.0
        dx = taper_e * self._wave(self.east, e, n)
        dy = taper_n * self._wave(self.north, e, n)
        return np.round(x_cm / CM + dx, 3), np.round(y_cm / CM + dy, 3)


def build_polygons(rects: dict, bend: Bend) -> np.ndarray:
    """Shapely polygons of the rectangles, noded and bent."""
    xs, ys, ring = ring_coordinates(rects["x0"], rects["y0"], rects["x1"], rects["y1"])
    ex, ny = bend.apply(xs, ys)
    del xs, ys
    rings = shapely.linearrings(np.column_stack([ex, ny]), indices=ring)
    return shapely.polygons(rings)
