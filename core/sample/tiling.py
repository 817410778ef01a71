"""Parcels of one sheet as axis-parallel rectangles (integer cm) that tile its frame exactly.

Strips (roads, river, canal) cut the sheet into blocks. On 1:1000 sheets the blocks
along streets get rows of houses (ONT, frontage 4–10 m, depth 15–35 m, some with a
garden CLN/BHK behind), the block middles gardens and fields; on 1:2000 sheets blocks
are fields (LUC, LUK, BHK, CLN, NTS, RSX), sometimes with a hamlet along a road.
The count of field parcels absorbs the difference, so a sheet gets exactly its target
(unless the target is too small for its roads and blocks).

The rectangles are bent later (geometry.py); here only their topology is made.
"""
from __future__ import annotations

import math

import numpy as np

from .layout import CM, ROAD, Sheet, Strip, apportion

# land-use codes by index (rects carry the index)
LANDUSE = ("DGT", "SON", "DTL", "ONT", "CLN", "BHK", "LUC", "LUK", "NTS", "RSX",
           "DGD", "DYT", "TSC", "NTD")
LU = {code: i for i, code in enumerate(LANDUSE)}

# who uses the parcel: roads and water belong to the commune, the rest to households
ROLE_ROAD, ROLE_WATER, ROLE_HOUSE, ROLE_GARDEN, ROLE_FIELD, ROLE_PUBLIC = range(6)

# field land uses: (codes, probabilities, mean parcel area m²)
_RURAL_USES = (("LUC", "LUK", "BHK", "CLN", "RSX", "NTS"), (0.30, 0.10, 0.18, 0.17, 0.18, 0.07))
_RURAL_MEAN_AREA = {"LUC": 1500, "LUK": 1500, "BHK": 1600, "CLN": 2000, "RSX": 6000, "NTS": 1200}
# block middles in a village: gardens and a few paddies (houses are the rows along streets)
_VILLAGE_USES = (("CLN", "BHK", "LUC", "NTS"), (0.45, 0.30, 0.18, 0.07))
_VILLAGE_MEAN_AREA = {"CLN": 700, "BHK": 900, "LUC": 1200, "NTS": 800}
_MIN_AREA_M2 = {True: 100, False: 200}      # dense / rural: the smallest field parcel
_FIELD_SHARE_MIN = 0.25                     # of a sheet's target, at least, go to fields


class RectBuffer:
    """Rectangles collected sheet by sheet, concatenated once at the end.

    A lot is what one land user holds: a house and the garden behind it share one."""

    NAMES = ("x0", "y0", "x1", "y1", "landuse", "role", "lot", "sheet")
    TYPES = (np.int64, np.int64, np.int64, np.int64, np.int16, np.int8, np.int64, np.int32)

    def __init__(self):
        self.parts = []        # tuples of arrays in NAMES order
        self.next_lot = 0

    def add(self, x0, y0, x1, y1, landuse, role, lot, sheet: int):
        """Scalars are repeated to the length of x0."""
        n = np.size(x0)
        if n == 0:
            return
        self.parts.append(tuple(np.broadcast_to(np.asarray(v, dtype=t), (n,))
                                for v, t in zip((x0, y0, x1, y1, landuse, role, lot, sheet), self.TYPES)))

    def new_lots(self, n: int) -> np.ndarray:
        lots = np.arange(self.next_lot, self.next_lot + n, dtype=np.int64)
        self.next_lot += n
        return lots

    def arrays(self) -> dict:
        if not self.parts:
            return {name: np.zeros(0, dtype=t) for name, t in zip(self.NAMES, self.TYPES)}
        return {name: np.concatenate([p[i] for p in self.parts]) for i, name in enumerate(self.NAMES)}


def tile_sheet(sheet: Sheet, sheet_id: int, rng: np.random.Generator, out: RectBuffer) -> int:
    """Add the sheet's parcels to `out`; returns how many."""
    xs = _intervals(sheet.left, sheet.right, sheet.v_strips)
    ys = _intervals(sheet.bottom, sheet.top, sheet.h_strips)
    count = _strip_parcels(xs, ys, sheet_id, out)

    blocks = []   # (x0, y0, x1, y1, roads on: top, bottom, left, right)
    for j, (y0, y1, hs) in enumerate(ys):
        if hs is not None:
            continue
        for i, (x0, x1, vs) in enumerate(xs):
            if vs is not None:
                continue
            blocks.append((x0, y0, x1, y1,
                           _is_road(ys, j + 1), _is_road(ys, j - 1),
                           _is_road(xs, i - 1), _is_road(xs, i + 1)))

    # house rows first: their count is what it is; fields make up the rest
    plans = []
    for b in blocks:
        plans.append(_house_rows(b, sheet, rng))
    fixed = sum(p["count"] for p in plans)
    zones = [z for p in plans for z in p["zones"]]
    wanted = sheet.target - count - fixed
    order = rng.permutation(len(plans))
    k = 0
    # fields keep a share of the target, or the few left would be huge
    floor_ = max(len(zones), int(_FIELD_SHARE_MIN * sheet.target))
    while wanted < floor_ and k < len(order):
        # too many houses for the target: this block becomes fields
        p = plans[order[k]]
        k += 1
        if p["count"] == 0:
            continue
        fixed -= p["count"]
        wanted += p["count"]
        p["count"], p["rows"] = 0, []
        p["zones"] = [_zone(p["block"][:4], sheet, rng)]
        zones = [z for q in plans for z in q["zones"]]
        floor_ = max(len(zones), int(_FIELD_SHARE_MIN * sheet.target))

    for p in plans:
        for row in p["rows"]:
            _emit_row(row, sheet_id, out)
    count += fixed

    if zones:
        weights = np.array([z["expected"] for z in zones])
        caps = np.array([z["cap"] for z in zones])
        counts = apportion(max(wanted, len(zones)), weights, minimum=1, caps=caps)
        for z, n in zip(zones, counts):
            count += _emit_fields(z, int(n), sheet_id, rng, out)
    return count


def _intervals(start: int, end: int, strips: list) -> list:
    """The axis cut at strip edges: (lo, hi, strip or None), in order."""
    out, pos = [], start
    for s in strips:
        out.append((pos, s.lo, None))
        out.append((s.lo, s.hi, s))
        pos = s.hi
    out.append((pos, end, None))
    return out


def _is_road(intervals: list, k: int) -> bool:
    if k < 0 or k >= len(intervals):
        return False
    s = intervals[k][2]
    return s is not None and s.rank == ROAD


def _owner(h: Strip, v: Strip) -> str:
    """Who keeps a crossing: the higher rank (a road crosses a river as a bridge); east–west on ties."""
    return "h" if h.rank >= v.rank else "v"


def _strip_parcels(xs, ys, sheet_id: int, out: RectBuffer) -> int:
    """One parcel per run of a strip between the crossings it does not keep."""
    count = 0
    for (y0, y1, hs) in ys:
        if hs is None:
            continue
        runs, start = [], None
        for (x0, x1, vs) in xs:
            mine = vs is None or _owner(hs, vs) == "h"
            if mine and start is None:
                start = x0
            if not mine and start is not None:
                runs.append((start, x0))
                start = None
            end = x1
        if start is not None:
            runs.append((start, end))
        for a, b in runs:
            out.add(a, y0, b, y1, LU[hs.landuse], ROLE_ROAD if hs.rank == ROAD else ROLE_WATER,
                    out.new_lots(1), sheet_id)
        count += len(runs)
    for (x0, x1, vs) in xs:
        if vs is None:
            continue
        runs, start = [], None
        for (y0, y1, hs) in ys:
            mine = hs is None or _owner(hs, vs) == "v"
            if mine and start is None:
                start = y0
            if not mine and start is not None:
                runs.append((start, y0))
                start = None
            end = y1
        if start is not None:
            runs.append((start, end))
        for a, b in runs:
            out.add(x0, a, x1, b, LU[vs.landuse], ROLE_ROAD if vs.rank == ROAD else ROLE_WATER,
                    out.new_lots(1), sheet_id)
        count += len(runs)
    return count


def _zone(rect, sheet: Sheet, rng: np.random.Generator) -> dict:
    """A rectangle to be cut into fields: its main land use, expected count and cap."""
    x0, y0, x1, y1 = rect
    area_m2 = (x1 - x0) * (y1 - y0) / (CM * CM)
    codes, probs = _VILLAGE_USES if sheet.dense else _RURAL_USES
    means = _VILLAGE_MEAN_AREA if sheet.dense else _RURAL_MEAN_AREA
    main = codes[int(rng.choice(len(codes), p=probs))]
    cap = max(1, int(area_m2 // _MIN_AREA_M2[sheet.dense]))
    return {"rect": rect, "main": main, "expected": area_m2 / means[main], "cap": cap,
            "dense": sheet.dense}


def _house_rows(block, sheet: Sheet, rng: np.random.Generator) -> dict:
    """Rows of houses along the block's road sides and the zone(s) left for fields."""
    x0, y0, x1, y1, top, bottom, left, right = block
    plan = {"block": block, "rows": [], "zones": [], "count": 0}
    residential = sheet.dense or (sheet.target >= 200 and rng.random() < 0.25)
    # houses face east–west roads; a block with only north–south roads faces those
    transposed = not (top or bottom) and (left or right)
    if transposed:
        u0, u1, v0, v1, front_hi, front_lo = y0, y1, x0, x1, right, left
    else:
        u0, u1, v0, v1, front_hi, front_lo = x0, x1, y0, y1, top, bottom
    if not sheet.dense:
        # a hamlet along one road only
        if front_hi and front_lo:
            front_lo = False
    width, height = u1 - u0, v1 - v0
    if not residential or not (front_hi or front_lo) or width < 12 * CM:
        plan["zones"].append(_zone((x0, y0, x1, y1), sheet, rng))
        return plan
    depth_hi = int(rng.uniform(20, 40) * CM) if front_hi else 0
    depth_lo = int(rng.uniform(20, 40) * CM) if front_lo else 0
    if front_hi and front_lo and depth_hi + depth_lo + 8 * CM > height:
        if height >= 30 * CM:          # two rows back to back, no middle
            depth_hi = height // 2
            depth_lo = height - depth_hi
        else:                          # room for one row only
            depth_lo = 0
    if not (depth_hi and depth_lo):
        if height < 15 * CM:
            plan["zones"].append(_zone((x0, y0, x1, y1), sheet, rng))
            return plan
        depth = depth_hi or depth_lo
        if depth + 8 * CM > height:
            # a shallow block is one row deep; a deeper one keeps 8 m for the middle
            depth = height if height <= 50 * CM else height - 8 * CM
        depth_hi, depth_lo = (depth, 0) if depth_hi else (0, depth)
    for front, depth, sign in ((v1, depth_hi, -1), (v0, depth_lo, 1)):
        if depth <= 0:
            continue
        row = _house_row(u0, u1, front, depth, sign, transposed, rng, sheet)
        plan["rows"].append(row)
        plan["count"] += row["count"]
    mid_lo, mid_hi = v0 + depth_lo, v1 - depth_hi
    if mid_hi - mid_lo > 0:
        rect = (mid_lo, u0, mid_hi, u1) if transposed else (u0, mid_lo, u1, mid_hi)
        plan["zones"].append(_zone(rect, sheet, rng))
    return plan


def _house_row(u0: int, u1: int, front: int, depth: int, sign: int, transposed: bool,
               rng: np.random.Generator, sheet: Sheet) -> dict:
    """Frontages 4–10 m along u; each house 15–35 m deep, a garden behind it when the row is deeper."""
    width = u1 - u0
    n_max = width // (4 * CM) + 2
    cum = np.cumsum(rng.uniform(4, 10, n_max) * CM)
    inner = np.round(cum[cum < width - 4 * CM]).astype(np.int64)
    breaks = np.concatenate(([0], inner, [width])) + u0
    n = len(breaks) - 1
    lo_d = 15 * CM
    hi_d = min(35 * CM, depth)
    house_depth = np.round(rng.uniform(lo_d, max(hi_d, lo_d), n)).astype(np.int64)
    # about half the houses have a garden behind them, where the row is deep enough
    # (a garden is at least 10 m deep)
    whole = (depth - house_depth < 10 * CM) | ((depth <= 35 * CM) & (rng.random(n) < 0.55))
    house_depth = np.where(whole, depth, np.minimum(house_depth, depth))
    garden_uses = np.where(rng.random(n) < 0.6, LU["CLN"], LU["BHK"])
    return {"u0": breaks[:-1], "u1": breaks[1:], "front": front, "depth": depth,
            "house_depth": house_depth, "garden": ~whole, "garden_use": garden_uses,
            "sign": sign, "transposed": transposed, "count": int(n + (~whole).sum())}


def _emit_row(row: dict, sheet_id: int, out: RectBuffer) -> None:
    front, sign = row["front"], row["sign"]
    back_house = front + sign * row["house_depth"]
    back_row = front + sign * row["depth"]
    lots = out.new_lots(len(row["u0"]))
    _add_oriented(out, row["u0"], row["u1"], np.minimum(front, back_house),
                  np.maximum(front, back_house), LU["ONT"], ROLE_HOUSE, lots, sheet_id,
                  row["transposed"])
    g = row["garden"]
    if g.any():
        a, b = back_house[g], np.full(int(g.sum()), back_row)
        # the garden shares its house's lot: one household uses both
        _add_oriented(out, row["u0"][g], row["u1"][g], np.minimum(a, b), np.maximum(a, b),
                      row["garden_use"][g], ROLE_GARDEN, lots[g], sheet_id, row["transposed"])


def _add_oriented(out, u0, u1, v0, v1, landuse, role, lots, sheet_id, transposed):
    if transposed:
        out.add(v0, u0, v1, u1, landuse, role, lots, sheet_id)
    else:
        out.add(u0, v0, u1, v1, landuse, role, lots, sheet_id)


def _emit_fields(zone: dict, k: int, sheet_id: int, rng: np.random.Generator, out: RectBuffer) -> int:
    """Cut the zone into k fields (fewer if it is too narrow): rows of parcels, each row with
    its own widths. Returns how many."""
    x0, y0, x1, y1 = zone["rect"]
    transposed = rng.random() < 0.5
    if transposed:
        x0, y0, x1, y1 = y0, x0, y1, x1
    width, height = x1 - x0, y1 - y0
    aspect = math.exp(rng.uniform(0, math.log(2.5)))
    if rng.random() < 0.5:
        aspect = 1 / aspect
    rows = int(round(math.sqrt(aspect * height * k / width)))
    rows = max(1, min(rows, k, height // (5 * CM)))
    row_w = rng.uniform(0.7, 1.3, rows)
    y_breaks = y0 + np.round(np.cumsum(row_w) / row_w.sum() * height).astype(np.int64)
    y_breaks = np.concatenate(([y0], y_breaks))
    y_breaks[-1] = y1
    per_row = apportion(k, row_w, minimum=1)
    # no row cut into pieces narrower than 5 m
    per_row = np.minimum(per_row, max(1, width // (5 * CM)))
    k = int(per_row.sum())
    row_of = np.repeat(np.arange(rows), per_row)
    piece_w = rng.uniform(0.6, 1.4, k)
    cum = np.cumsum(piece_w)
    row_end = np.cumsum(per_row) - 1
    row_total = cum[row_end]
    row_before = np.concatenate(([0.0], row_total[:-1]))
    frac = (cum - row_before[row_of]) / (row_total - row_before)[row_of]
    right = x0 + np.round(frac * width).astype(np.int64)
    right[row_end] = x1
    left = np.empty(k, dtype=np.int64)
    left[1:] = right[:-1]
    first = row_end - per_row + 1
    left[first] = x0
    bottom, top = y_breaks[row_of], y_breaks[row_of + 1]
    codes, probs = _VILLAGE_USES if zone["dense"] else _RURAL_USES
    mixed = rng.choice(len(codes), size=k, p=probs)
    uses = np.where(rng.random(k) < 0.75, LU[zone["main"]],
                    np.array([LU[c] for c in codes])[mixed])
    lots = out.new_lots(k)
    if transposed:
        out.add(bottom, left, top, right, uses, ROLE_FIELD, lots, sheet_id)
    else:
        out.add(left, bottom, right, top, uses, ROLE_FIELD, lots, sheet_id)
    return k
