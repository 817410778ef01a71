"""generate_sample: a realistic, seeded sample of communes — map, sheets, register, answer key.

Pipeline: plan communes and sheets (layout) → tile each sheet with rectangles
(tiling) → node and bend them into polygons (geometry) → number parcels zig-zag
(sheet_grid.zigzag_order) and renumber a few after a split → build the register
(people) → inject register defects (defects) → geometry (topology) defects on
parcels no register defect touched, if asked (geom_defects; map and register areas
of the parcels they change follow the final geometry) → assemble the parcels layer
(new features take new numbers; sheet edges unnoded, if asked) → write (writers).

The same spec gives byte-identical register.csv and answer_key.csv: every random
draw comes from one numpy Generator seeded by spec.seed, in a fixed order; geometry
defects draw from a second one (seed, 7919), so asking for them leaves the register
defects exactly as they were (only map fids in the key shift when features are
added or removed, and the register areas of parcels whose geometry changed follow it).

answer_key.csv has the register key's columns plus x, y (a point at a geometry
defect) and group ("register" | "topology").
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..reference import sheet_grid
from ..reference.admin_units import AdminUnits
from ..errors import InputError
from ..reference.landuse import LandUseCodes
from ..progress import Progress
from . import defects as dft
from . import geom_defects as gd
from . import layout, people, tiling, writers
from .geometry import Bend, build_polygons

RENUMBERED_SHARE = 0.01       # clean parcels renumbered after a split (old number in the register)
XLSX_MAX_ROWS = 200_000
BAND_SHARE = 0.1              # zig-zag band height = a tenth of the sheet's side
PARCELS_PER_PERSON = 2.2      # a household uses a house and a field or two
REGISTER_EQUAL_SHARE = 0.4    # register area written exactly as the map's


@dataclass
class SampleSpec:
    """What to generate. The map is always laid out near Lạng Sơn in EPSG:9215; another
    province_code changes the communes, names and addresses, not the position."""
    parcels: int = 2000            # target parcel count, 100 … 2 000 000 (the result is within ±10 %)
    seed: int = 1
    defect_rate: float = 0.02      # share of map parcels touched by a defect
    province_code: str = "20"      # Lạng Sơn; CRS EPSG:9215 (VN-2000 TM-3 107°15')
    parcels_per_commune: int = 40000   # above this, several communes
    write_xlsx: bool | None = None     # None: XLSX only when register rows ≤ 200 000
    geometry_defect_rate: float = 0.0  # share of parcels given a geometry (topology) defect
    unnoded_sheet_edges: bool = False  # sheets joined unnoded: other-sheet vertices dropped on sheet edges


@dataclass
class SampleResult:
    out_dir: Path
    gpkg: Path
    register_csv: Path
    register_xlsx: Path | None
    answer_key: Path
    n_parcels: int
    n_sheets: int
    n_register_rows: int
    n_defects: dict                # defect instances by code (a swap is one instance, two key rows)
    communes: list                 # commune codes, in layout order
    key_rows: int = 0
    timings: dict = field(default_factory=dict)   # seconds per stage

    @property
    def defect_counts(self) -> dict:
        return self.n_defects


def _check_spec(spec: SampleSpec) -> None:
    if not 100 <= spec.parcels <= 2_000_000:
        raise InputError(f"{spec.parcels} parcels is out of range", fix="use 100 … 1 000 000")
    if not 0 <= spec.defect_rate <= 0.5:
        raise InputError(f"defect rate {spec.defect_rate} is out of range", fix="use 0 … 0.5")
    if not 0 <= spec.geometry_defect_rate <= 0.2:
        raise InputError(f"geometry defect rate {spec.geometry_defect_rate} is out of range",
                         fix="use 0 … 0.2")
    if spec.parcels_per_commune < 100:
        raise InputError("parcels_per_commune must be at least 100")


def _pick_communes(units: AdminUnits, province: str, n: int, rng: np.random.Generator):
    """Current communes of the province, merged ones (≥ 2 predecessors) and rural ones first."""
    table = units.communes(province)
    if table.empty:
        raise InputError(f"province code {province!r} has no current communes",
                         fix="use a current province code, e.g. 20 (Lạng Sơn)")
    rows = []
    for code, name, pname in zip(table["code"], table["name"], table["province_name"]):
        # closed codes merged wholly into this one (a split commune's successor is ambiguous)
        closed = [p for p in units.predecessors(code) if p != code and units.successor(p) == code]
        rank = (0 if closed else 2) + (0 if name.startswith("Xã") else 1)
        rows.append((rank, code, name, pname, closed))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    rows.sort(key=lambda r: r[0])       # stable: random within a rank
    return rows[:n]


def generate_sample(out_dir, spec: SampleSpec, progress: Progress | None = None) -> SampleResult:
    """Write commune.gpkg (layers parcels, sheets), register.csv (and register.xlsx) and
    answer_key.csv into out_dir (created; existing files replaced).

    Raises InputError for a spec out of range, Cancelled when progress asks to stop
    (files already written are left as they are)."""
    progress = progress or Progress()
    _check_spec(spec)
    timings = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now
        progress.check()

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(spec.seed)
    units = AdminUnits.load()

    # ---- communes, sheets, parcels ------------------------------------------------------
    progress.info("Laying out communes and sheets")
    n_communes = max(1, -(-spec.parcels // spec.parcels_per_commune))
    chosen = _pick_communes(units, spec.province_code, n_communes, rng)
    codes = [c[1] for c in chosen]
    communes, sheets = layout.plan_communes(spec.parcels, spec.parcels_per_commune, codes, rng)
    chosen = chosen[:len(communes)]
    lap("layout")

    progress.info(f"Tiling {len(sheets)} sheets")
    buf = tiling.RectBuffer()
    for sid, sheet in enumerate(sheets):
        if sid % 100 == 0:
            progress.check()
            progress.set_progress(25.0 * sid / len(sheets))
        tiling.tile_sheet(sheet, sid, rng, buf)
    rects = buf.arrays()
    lap("tiling")

    progress.info(f"Building {len(rects['x0'])} parcel polygons")
    polygons = build_polygons(rects, Bend(rng))
    lap("polygons")
    progress.set_progress(40)

    sheet_commune = np.array([s.commune for s in sheets], dtype=np.int64)
    sheet_scale = np.array([s.scale for s in sheets], dtype=np.int64)
    sheet_label = [str(s.number) for s in sheets]
    _assign_public(rects, sheets, sheet_commune, len(communes), rng)

    sid = rects["sheet"].astype(np.int64)
    private = np.isin(rects["role"], [tiling.ROLE_HOUSE, tiling.ROLE_GARDEN, tiling.ROLE_FIELD])
    number, old_number, renumbered = _number_parcels(polygons, sid, sheets, private, rng)

    # FID order: sheet by sheet (sheets are in commune and tờ số order), by number
    order = np.lexsort((number, sid))
    sid, number, old_number, renumbered = sid[order], number[order], old_number[order], renumbered[order]
    polygons = polygons[order]
    private = private[order]
    landuse = np.array(tiling.LANDUSE, dtype=object)[rects["landuse"][order]]
    lot = rects["lot"][order]
    del rects
    area = np.round(shapely.area(polygons), 1)
    tolerance = sheet_grid.area_tolerance(area, sheet_scale[sid])
    commune_of = sheet_commune[sid]
    n = len(number)
    lap("numbering")
    progress.set_progress(50)

    # ---- register ----------------------------------------------------------------------
    progress.info("Building the register")
    commune_names = [c[2] for c in chosen]
    province_name = chosen[0][3] if chosen else ""
    home = "0" + str(spec.province_code).zfill(2)
    pools, pool, owners = _owners(lot, private, commune_of, commune_names, province_name, home,
                                  units.birth_province_codes(), rng)
    noise = rng.uniform(-0.3, 0.3, n) * tolerance
    noise[rng.random(n) < REGISTER_EQUAL_SHARE] = 0.0
    legal_area = np.round(np.maximum(area + noise, 0.1), 1)
    commune_code = np.array(codes, dtype=object)[commune_of]
    sheet_text = np.array(sheet_label, dtype=object)[sid]
    columns = {
        "commune": commune_code.copy(), "sheet": sheet_text.copy(), "number": number.copy(),
        "area": legal_area.astype(object), "landuse": landuse.copy(), **owners,
        "old_sheet": np.where(renumbered, sheet_text, "").astype(object),
        "old_number": np.where(renumbered, old_number.astype(str), "").astype(object),
    }
    reg = dft.RegisterState(columns=columns, sheet_id=sid.copy(), number=number.copy())
    lap("register")

    # ---- defects -------------------------------------------------------------------------
    progress.info("Injecting defects")
    codes_list = LandUseCodes.load()
    frames = np.array([(s.left, s.bottom, s.right, s.top) for s in sheets], dtype=np.int64)

    def random_person(c, r):
        lo, hi = pools[c]
        k = int(r.integers(lo, hi)) if hi > lo else int(r.integers(len(pool)))
        return {"owner": pool.name[k], "kind": "GDC", "cccd": pool.cccd[k], "address": pool.address[k]}

    ctx = dft.Context(
        sheet_label=sheet_label, sheet_commune=sheet_commune, sheet_frame=frames, sheet_scale=sheet_scale,
        commune_code=codes, closed_codes=[c[4] for c in chosen], random_person=random_person,
        landuse_status=lambda values: list(codes_list.classify(pd.Series(values, dtype=object))))
    m = dft.MapState(sheet=sid, commune=commune_of, number=number.copy(), sheet_given=sid.copy(),
                     area=area, tolerance=tolerance, landuse=landuse, private=private,
                     renumbered=renumbered)
    inj = dft.inject(m, reg, ctx, spec.defect_rate, rng)
    lap("defects")

    # ---- geometry defects: on parcels no register defect touched, from a stream of their own,
    # so the register defects are the same with or without them -------------------------------
    geo = None
    if spec.geometry_defect_rate > 0:
        progress.info("Injecting geometry defects")

        def register_clash(sheet, area_, landuse_, number_, side):
            """Would a map record without a row (side "map"), or a row without a parcel
            ("register"), look like the partner of a register defect's unpaired record?"""
            pool_ = inj.free_reg if side == "map" else inj.free_map
            return inj._clashes(sheet, (area_, landuse_, number_), pool_)

        geo = gd.inject_geometry(polygons, sid, landuse, inj.touched, frames / layout.CM, sheet_scale,
                                 sheet_commune, spec.geometry_defect_rate,
                                 np.random.default_rng([spec.seed, gd.RNG_SALT]),
                                 number=number, register_area=reg.columns["area"],
                                 register_clash=register_clash)
        # map and register areas follow the final geometry where the parcel stays
        final = shapely.area(geo.polygons)          # NaN for a null geometry
        stays = ~geo.removed & ~np.isnan(final)
        final = np.round(np.nan_to_num(final), 1)
        changed = np.flatnonzero(stays & (final != area))
        area = area.copy()
        area[changed] = final[changed]
        reg.columns["area"][changed] = np.round(np.maximum(area[changed] + noise[changed], 0.1), 1)
        lap("geometry_defects")
    register, row_of_record = _register_frame(reg)
    key = dft.key_frame(inj.keys, row_of_record)
    parcels = {"MAXA": commune_code, "SHBANDO": np.array(sheet_label, dtype=object)[m.sheet_given],
               "SHTHUA": m.number.tolist(), "DIENTICH": area.tolist(), "KHLOAIDAT": landuse,
               "geometry": polygons}
    topology_key = None
    if geo is not None or spec.unnoded_sheet_edges:
        base = parcels
        layer = gd.assemble(geo, base, sid, inj.top.copy(), sheet_label,
                            [codes[c] for c in sheet_commune], spec.unnoded_sheet_edges)
        parcels = layer.columns
        if geo is not None:
            if geo.changes_fids:
                key = gd.remap_register_fids(key, layer.fid_of_base)
            topology_key = gd.topology_key_rows(geo, layer, base, sheet_label, KEY_COLUMNS)
    key = _full_key(key, topology_key)
    n_defects = dict(inj.counts)
    if geo is not None:
        n_defects.update(geo.counts)
    lap("assemble")
    progress.set_progress(60)

    # ---- write -----------------------------------------------------------------------------
    progress.info("Writing register.csv and answer_key.csv")
    register_csv = out / "register.csv"
    writers.write_register_csv(register_csv, register)
    answer_key = out / "answer_key.csv"
    writers.write_key_csv(answer_key, key)
    lap("write_csv")

    progress.info("Writing commune.gpkg")
    gpkg = out / "commune.gpkg"
    sheet_size = np.array([s.size for s in sheets]) / layout.CM
    writers.write_gpkg(gpkg, parcels, {
        "SHBANDO": sheet_label, "MAXA": [codes[c] for c in sheet_commune],
        "TYLE": sheet_scale.tolist(), "MAHIEU": [s.code for s in sheets],
        "geometry": writers.sheet_frames(frames[:, 0] / layout.CM, frames[:, 1] / layout.CM, sheet_size),
    }, progress.step(60, 95))
    lap("write_gpkg")

    write_xlsx = spec.write_xlsx if spec.write_xlsx is not None else len(register) <= XLSX_MAX_ROWS
    register_xlsx = out / "register.xlsx"
    if write_xlsx:
        progress.info("Writing register.xlsx")
        writers.write_register_xlsx(register_xlsx, register, progress.step(95, 100))
        lap("write_xlsx")
    else:
        # a register.xlsx left by an earlier run would not match this sample
        register_xlsx.unlink(missing_ok=True)
        register_xlsx = None
    progress.set_progress(100)
    return SampleResult(out_dir=out, gpkg=gpkg, register_csv=register_csv, register_xlsx=register_xlsx,
                        answer_key=answer_key, n_parcels=len(parcels["SHTHUA"]), n_sheets=len(sheets),
                        n_register_rows=len(register), n_defects=n_defects, communes=codes,
                        key_rows=len(key), timings=timings)


def _assign_public(rects: dict, sheets, sheet_commune: np.ndarray, n_communes: int,
                   rng: np.random.Generator) -> None:
    """Turn a few field parcels of each commune into public land: a People's Committee
    office (TSC), a health station (DYT), schools (DGD) and cemeteries (NTD)."""
    dense = np.array([s.dense for s in sheets])
    sid = rects["sheet"]
    area = (rects["x1"] - rects["x0"]) * (rects["y1"] - rects["y0"]) / layout.CM ** 2
    field_ = rects["role"] == tiling.ROLE_FIELD
    c_of = sheet_commune[sid]
    for c in range(n_communes):
        n_c = int((c_of == c).sum())
        wants = [("TSC", 1, True, 1000, 6000), ("DYT", 1, True, 500, 4000),
                 ("DGD", max(1, n_c // 8000), True, 1500, 8000),
                 ("NTD", max(1, n_c // 6000), False, 1000, 10000)]
        for code, count, in_village, lo, hi in wants:
            base = field_ & (c_of == c)
            pick = np.flatnonzero(base & (dense[sid] == in_village) & (area >= lo) & (area <= hi))
            if len(pick) < count:
                pick = np.flatnonzero(base)
            chosen = rng.choice(pick, size=min(count, len(pick)), replace=False) if len(pick) else []
            rects["landuse"][chosen] = tiling.LU[code]
            rects["role"][chosen] = tiling.ROLE_PUBLIC


def _number_parcels(polygons, sid, sheets, private, rng):
    """Zig-zag numbers per sheet, then ~1 % of private parcels renumbered after a split:
    they take max+1, max+2… of their sheet and keep the cancelled one as old number.
    Returns (number, old number or 0, renumbered)."""
    points = shapely.point_on_surface(polygons)
    top = np.array([s.top / layout.CM for s in sheets])[sid]
    band = np.array([s.size / layout.CM * BAND_SHARE for s in sheets])[sid]
    rank = sheet_grid.zigzag_order(shapely.get_x(points), shapely.get_y(points), band,
                                   top=top, groups=sid)
    renumbered = private & (rng.random(len(rank)) < RENUMBERED_SHARE)
    number = rank.copy()
    if renumbered.any():
        per_sheet = np.bincount(sid, minlength=len(sheets))
        idx = np.flatnonzero(renumbered)
        idx = idx[np.lexsort((rank[idx], sid[idx]))]
        s_of = sid[idx]
        run_start = np.searchsorted(s_of, s_of, side="left")
        number[idx] = per_sheet[s_of] + (np.arange(len(idx)) - run_start) + 1
    return number, np.where(renumbered, rank, 0), renumbered


def _owners(lot, private, commune_of, commune_names, province_name, home, valid_birth, rng):
    """Persons per commune and the owner columns of each parcel: a household (GDC) for a
    private lot (a house and its garden share one), the commune committee (UBS) for roads,
    water and public land. Returns (person index range per commune, persons, columns)."""
    n_communes = len(commune_names)
    # commune of each private lot (all parcels of a lot are on one sheet); lots in id order
    lot_c = pd.Series(commune_of[private]).groupby(lot[private]).first()
    lot_commune = lot_c.to_numpy()
    lot_ids = lot_c.index.to_numpy()
    pools, places = [], []
    start = 0
    for c in range(n_communes):
        size = max(1, int(np.ceil((lot_commune == c).sum() / PARCELS_PER_PERSON)))
        places.append(people.addresses(size, commune_names[c], province_name, rng))
        pools.append((start, start + size))
        start += size
    pool = people.make_people(start, np.concatenate(places), rng, home_code=home,
                              valid_codes=valid_birth)
    person_of_lot = np.zeros(len(lot_ids), dtype=np.int64)
    for c in range(n_communes):
        sel = lot_commune == c
        person_of_lot[sel] = rng.integers(*pools[c], int(sel.sum()))
    person = person_of_lot[np.searchsorted(lot_ids, lot[private])]

    n = len(lot)
    owner = np.array([people.committee(name) for name in commune_names], dtype=object)[commune_of]
    # the committee's address: the commune itself
    office = np.array([people.addresses(1, name, province_name, rng)[0] for name in commune_names],
                      dtype=object)
    address = office[commune_of]
    cccd = np.full(n, "", dtype=object)
    owner[private] = pool.name[person]
    cccd[private] = pool.cccd[person]
    address[private] = pool.address[person]
    kind = np.where(private, "GDC", "UBS").astype(object)
    return pools, pool, {"owner": owner, "kind": kind, "cccd": cccd, "address": address}


KEY_COLUMNS = dft.KEY_COLUMNS + ["x", "y", "group"]


def _full_key(register_key: pd.DataFrame, topology_key: pd.DataFrame | None) -> pd.DataFrame:
    """The register key with x, y (empty) and group "register", then the topology rows."""
    key = register_key.assign(x=np.nan, y=np.nan, group="register")
    if topology_key is not None and len(topology_key):
        key = pd.DataFrame({c: list(key[c]) + list(topology_key[c]) for c in KEY_COLUMNS})
        key[["x", "y"]] = key[["x", "y"]].astype(float)
    for c in ("parcel", "map_fid", "register_row", "expected_parcel"):
        key[c] = key[c].astype("Int64")
    return key[KEY_COLUMNS]


def _register_frame(reg: dft.RegisterState):
    """Final register rows (clean minus removed, plus extra rows) in register order,
    and each record's spreadsheet row."""
    n = len(reg.sheet_id)
    keep = np.ones(n, dtype=bool)
    if reg.dropped:
        keep[np.fromiter(sorted(reg.dropped), dtype=np.int64)] = False
    recs = np.flatnonzero(keep)
    cols = {k: v[recs] for k, v in reg.columns.items()}
    sort_sheet = reg.sheet_id[recs]
    sort_number = reg.number[recs]
    sub = np.zeros(len(recs), dtype=np.int64)
    if reg.extra:
        extra_rec = n + np.arange(len(reg.extra))
        e_cols = {k: np.array([e[3][k] for e in reg.extra], dtype=object) for k in reg.columns}
        cols = {k: np.concatenate([cols[k].astype(object), e_cols[k]]) for k in cols}
        sort_sheet = np.concatenate([sort_sheet, [e[1] for e in reg.extra]])
        sort_number = np.concatenate([sort_number, [e[2] for e in reg.extra]])
        # a duplicate follows its original
        sub = np.concatenate([sub, [1 if e[0] >= 0 else 0 for e in reg.extra]])
        recs = np.concatenate([recs, extra_rec])
    order = np.lexsort((recs, sub, sort_number, sort_sheet))
    recs = recs[order]
    cols = {k: v[order] for k, v in cols.items()}
    rows = np.arange(len(recs)) + 2
    frame = pd.DataFrame({
        "STT": np.arange(1, len(recs) + 1),
        "Mã xã": cols["commune"], "Số tờ": cols["sheet"],
        "Số thửa": cols["number"].astype(np.int64),
        "Diện tích (m²)": cols["area"].astype(float),
        "Mục đích sử dụng": cols["landuse"], "Tên chủ sử dụng": cols["owner"],
        "Loại đối tượng": cols["kind"], "Số CCCD": cols["cccd"], "Địa chỉ": cols["address"],
        "Số tờ cũ": cols["old_sheet"], "Số thửa cũ": cols["old_number"],
    })
    return frame, dict(zip(recs.tolist(), rows.tolist()))
