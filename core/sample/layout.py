"""Where the sample lies: communes, their 1-km cells, the map sheets and the roads and rivers.

A commune is a roundish block of 1 km cells on the Circular 25 grid near Lạng Sơn.
Dense (residential) cells hold four 1:1000 sheets, the others one 1:2000 sheet.
Main roads and a river run through the whole commune (so they continue from sheet to
sheet); dense sheets add streets, rural sheets tracks and a canal. Every strip is
an axis-parallel band given in integer centimetres.

Everything is drawn from the one numpy Generator handed in, in a fixed order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..reference import sheet_grid

CM = 100                       # coordinates are integer centimetres
ROAD, WATER = 2, 1             # rank of a strip where two cross: the higher keeps the crossing

# Nominal parcels per sheet (the per-sheet targets vary around these).
DENSE_SHEET_PARCELS = 750
RURAL_SHEET_PARCELS = 450
DENSE_SHARE = 0.4              # share of a commune's parcels on 1:1000 sheets

# Where the first commune's north-west corner lies (EPSG:9215, metres).
ORIGIN_EASTING_M = 430_000
ORIGIN_NORTHING_M = 2_440_000


@dataclass
class Strip:
    """A road, river or canal band across (part of) a sheet: lo..hi across it, in cm."""
    lo: int
    hi: int
    landuse: str               # DGT | SON | DTL
    rank: int                  # ROAD or WATER


@dataclass
class Sheet:
    commune: int               # index into the commune list
    left: int                  # cm (easting)
    bottom: int                # cm (northing)
    size: int                  # cm
    scale: int
    dense: bool
    number: int = 0            # 1…n within the commune
    target: int = 0            # parcels wanted on it
    code: str = ""             # Circular 25 code (MAHIEU)
    h_strips: list = field(default_factory=list)   # horizontal bands (lo..hi are northings)
    v_strips: list = field(default_factory=list)   # vertical bands (lo..hi are eastings)

    @property
    def top(self) -> int:
        return self.bottom + self.size

    @property
    def right(self) -> int:
        return self.left + self.size


@dataclass
class CommuneLayout:
    code: str
    cells: list                # (row, col) of occupied 1-km cells, row 0 = north
    dense_cells: list
    west_m: int                # easting of the block's west edge
    north_m: int               # northing of the block's north edge


def split_total(total: int, parts: int, rng: np.random.Generator, spread: float) -> np.ndarray:
    """`total` split into `parts` integers around total/parts (± spread), summing exactly."""
    if parts <= 0:
        return np.zeros(0, dtype=np.int64)
    weights = rng.uniform(1 - spread, 1 + spread, parts)
    return apportion(total, weights, minimum=0)


def apportion(total: int, weights: np.ndarray, minimum: int = 0,
              caps: np.ndarray | None = None) -> np.ndarray:
    """Largest-remainder split of `total` by weights, each part ≥ minimum and ≤ caps."""
    weights = np.asarray(weights, dtype=float)
    n = len(weights)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.full(n, minimum, dtype=np.int64)
    rest = int(total) - int(base.sum())
    if rest <= 0:
        return base
    caps_left = None if caps is None else np.maximum(np.asarray(caps, dtype=np.int64) - base, 0)
    out = base.copy()
    active = np.ones(n, dtype=bool) if caps_left is None else caps_left > 0
    # a few rounds: parts that hit their cap hand the excess to the others
    while rest > 0 and active.any():
        w = np.where(active, weights, 0.0)
        if w.sum() <= 0:
            w = active.astype(float)
        share = rest * w / w.sum()
        add = np.floor(share).astype(np.int64)
        remainder = rest - int(add.sum())
        if remainder > 0:
            order = np.argsort(-(share - add), kind="stable")[:remainder]
            add[order] += 1
        if caps_left is not None:
            add = np.minimum(add, caps_left)
            caps_left -= add
            active &= caps_left > 0
        out += add
        given = int(add.sum())
        rest -= given
        if given == 0:
            break
    return out


def plan_communes(total_parcels: int, per_commune: int, codes: list[str],
                  rng: np.random.Generator) -> tuple[list[CommuneLayout], list[Sheet]]:
    """Cells, sheets (numbered, with parcel targets and strips) of every commune."""
    n_communes = min(len(codes), max(1, math.ceil(total_parcels / per_commune)))
    targets = split_total(total_parcels, n_communes, rng, 0.0)
    shapes = []
    for target in targets:
        shapes.append(_commune_cells(int(target), rng))
    # mosaic pitch: the largest block, so blocks never overlap
    pitch_cols = max(s[0] for s in shapes)
    pitch_rows = max(s[1] for s in shapes)
    mosaic_cols = math.ceil(math.sqrt(n_communes))
    communes, sheets = [], []
    for ci, (target, (cols, rows, cells, dense, dense_targets, rural_targets)) in enumerate(
            zip(targets, shapes)):
        mr, mc = divmod(ci, mosaic_cols)
        west = ORIGIN_EASTING_M + mc * pitch_cols * 1000
        north = ORIGIN_NORTHING_M - mr * pitch_rows * 1000
        layout = CommuneLayout(codes[ci], cells, dense, west, north)
        communes.append(layout)
        sheets.extend(_commune_sheets(ci, layout, dense_targets, rural_targets, rng))
    return communes, sheets


def _commune_cells(target: int, rng: np.random.Generator):
    """Block size, occupied cells and per-sheet parcel targets of one commune."""
    n_dense = max(1, round(DENSE_SHARE * target / (4 * DENSE_SHEET_PARCELS))) if target >= 1500 else 0
    dense_total = 0
    dense_targets = np.zeros(0, dtype=np.int64)
    if n_dense:
        per_sheet = float(np.clip(DENSE_SHARE * target / (4 * n_dense), 150, 900))
        dense_total = int(round(per_sheet * 4 * n_dense))
        dense_targets = split_total(dense_total, 4 * n_dense, rng, 0.15)
    rural_total = target - dense_total
    n_rural = max(1, round(rural_total / RURAL_SHEET_PARCELS))
    rural_targets = split_total(rural_total, n_rural, rng, 0.25)
    n_cells = n_dense + n_rural
    cols = math.ceil(math.sqrt(n_cells))
    rows = math.ceil(n_cells / cols)
    # roundish commune: the cells nearest the block's middle, a little jitter for the outline
    rr, cc = np.divmod(np.arange(rows * cols), cols)
    dist = np.hypot(rr + 0.5 - rows / 2, cc + 0.5 - cols / 2) + rng.uniform(0, 0.6, rows * cols)
    order = np.argsort(dist, kind="stable")[:n_cells]
    cells = [(int(rr[i]), int(cc[i])) for i in order]
    dense = cells[:n_dense]     # the village centre
    return cols, rows, sorted(cells), sorted(dense), dense_targets, rural_targets


def _commune_sheets(ci: int, layout: CommuneLayout, dense_targets, rural_targets,
                    rng: np.random.Generator) -> list[Sheet]:
    dense_set = set(layout.dense_cells)
    rural, dense = [], []
    for (r, c) in layout.cells:
        left = (layout.west_m + c * 1000) * CM
        top = (layout.north_m - r * 1000) * CM
        if (r, c) in dense_set:
            for qr in range(2):
                for qc in range(2):
                    dense.append(Sheet(ci, left + qc * 500 * CM, top - (qr + 1) * 500 * CM,
                                       500 * CM, 1000, True))
        else:
            rural.append(Sheet(ci, left, top - 1000 * CM, 1000 * CM, 2000, False))
    # tờ số: smaller scale first, then west → east, north → south
    rural.sort(key=lambda s: (-s.top, s.left))
    dense.sort(key=lambda s: (-s.top, s.left))
    ordered = rural + dense
    for number, sheet in enumerate(ordered, start=1):
        sheet.number = number
        x_mid = (sheet.bottom + sheet.size / 2) / CM
        y_mid = (sheet.left + sheet.size / 2) / CM
        sheet.code = sheet_grid.sheet_code(x_mid, y_mid, sheet.scale)
    for sheet, target in zip(rural, rural_targets):
        sheet.target = int(target)
    for sheet, target in zip(dense, dense_targets):
        sheet.target = int(target)
    _lay_strips(layout, ordered, rng)
    return ordered


def _offset_in_cell(rng: np.random.Generator, margin_m: int) -> int:
    """An offset (m) inside a 1-km cell at least `margin_m` from its edges and its 500-m line,
    so strips never hug a sheet edge."""
    half = rng.integers(0, 2)
    return int(half * 500 + rng.integers(margin_m, 500 - margin_m + 1))


def _lay_strips(layout: CommuneLayout, sheets: list[Sheet], rng: np.random.Generator) -> None:
    rows = sorted({r for r, _ in layout.cells})
    cols = sorted({c for _, c in layout.cells})
    main_v = []   # (lo, hi) eastings, cm
    main_h = []   # (lo, hi) northings, cm
    for c in cols:
        if rng.random() < 0.6:
            centre = (layout.west_m + c * 1000 + _offset_in_cell(rng, 150)) * CM
            half = int(rng.uniform(3, 6) * CM)
            main_v.append(Strip(centre - half, centre + half, "DGT", ROAD))
    for r in rows:
        if rng.random() < 0.6:
            centre = (layout.north_m - r * 1000 - _offset_in_cell(rng, 150)) * CM
            half = int(rng.uniform(3, 6) * CM)
            main_h.append(Strip(centre - half, centre + half, "DGT", ROAD))
    river_v, river_h = [], []
    if rng.random() < 0.7:
        vertical = rng.random() < 0.5
        half = int(rng.uniform(7.5, 20) * CM)
        parallel = main_v if vertical else main_h
        for _ in range(20):
            if vertical:
                centre = (layout.west_m + int(rng.choice(cols)) * 1000 + _offset_in_cell(rng, 100)) * CM
            else:
                centre = (layout.north_m - int(rng.choice(rows)) * 1000 - _offset_in_cell(rng, 100)) * CM
            river = Strip(centre - half, centre + half, "SON", WATER)
            if all(_gap(river, s) >= 60 * CM for s in parallel):
                (river_v if vertical else river_h).append(river)
                break
    for sheet in sheets:
        sheet.v_strips = [s for s in main_v + river_v if sheet.left < s.lo and s.hi < sheet.right]
        sheet.h_strips = [s for s in main_h + river_h if sheet.bottom < s.lo and s.hi < sheet.top]
        if sheet.dense:
            _add_streets(sheet, rng)
        else:
            _add_tracks(sheet, rng)
        sheet.v_strips.sort(key=lambda s: s.lo)
        sheet.h_strips.sort(key=lambda s: s.lo)


def _gap(a: Strip, b: Strip) -> int:
    return max(a.lo - b.hi, b.lo - a.hi)


def _fits(strip: Strip, others: list, start: int, end: int, gap: int, edge: int) -> bool:
    return (strip.lo - start >= edge and end - strip.hi >= edge
            and all(_gap(strip, o) >= gap for o in others))


def _add_streets(sheet: Sheet, rng: np.random.Generator) -> None:
    """Village streets: east–west every 90–160 m (two house rows between), a few north–south."""
    pos = sheet.top - int(rng.uniform(45, 90) * CM)
    while pos > sheet.bottom + 25 * CM:
        half = int(rng.uniform(2, 3.5) * CM)
        street = Strip(pos - half, pos + half, "DGT", ROAD)
        if _fits(street, sheet.h_strips, sheet.bottom, sheet.top, 30 * CM, 25 * CM):
            sheet.h_strips.append(street)
        pos -= int(rng.uniform(90, 160) * CM)
    pos = sheet.left + int(rng.uniform(60, 150) * CM)
    while pos < sheet.right - 25 * CM:
        half = int(rng.uniform(2, 3) * CM)
        street = Strip(pos - half, pos + half, "DGT", ROAD)
        if _fits(street, sheet.v_strips, sheet.left, sheet.right, 40 * CM, 25 * CM):
            sheet.v_strips.append(street)
        pos += int(rng.uniform(120, 220) * CM)


def _add_tracks(sheet: Sheet, rng: np.random.Generator) -> None:
    """Field tracks and an irrigation canal; fewer on sheets with few parcels."""
    many = sheet.target >= 250
    for strips, start, end in ((sheet.h_strips, sheet.bottom, sheet.top),
                               (sheet.v_strips, sheet.left, sheet.right)):
        n = int(rng.integers(0, 3)) if many else 0
        for _ in range(n):
            centre = int(rng.integers(start + 60 * CM, end - 60 * CM))
            half = int(rng.uniform(2, 3) * CM)
            track = Strip(centre - half, centre + half, "DGT", ROAD)
            if _fits(track, strips, start, end, 80 * CM, 40 * CM):
                strips.append(track)
    if sheet.target >= 150 and rng.random() < 0.35:
        vertical = rng.random() < 0.5
        strips = sheet.v_strips if vertical else sheet.h_strips
        start, end = (sheet.left, sheet.right) if vertical else (sheet.bottom, sheet.top)
        centre = int(rng.integers(start + 60 * CM, end - 60 * CM))
        half = int(rng.uniform(1.5, 3) * CM)
        canal = Strip(centre - half, centre + half, "DTL", WATER)
        if _fits(canal, strips, start, end, 60 * CM, 40 * CM):
            strips.append(canal)
