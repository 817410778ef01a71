"""The whole check as one call, shared by the CLI, the Processing algorithms and the plugin."""
import getpass
import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from .flags import catalogue as cat
from .reference.admin_units import AdminUnits, normalise_commune_code
from .errors import InputError
from .register.fields import parse_overrides
from .flags.store import now_iso, settings_json, write_flags
from .flags.flagset import FlagSet
from .reference.landuse import LandUseCodes
from .register.prepare import prepare_map, prepare_register, prepare_sheets
from .progress import Progress
from .loading.tables import read_table
from .loading.vector import read_vector
from .register.reconcile import ReconcileOptions, reconcile
from .flags.report import sheet_summary, write_report
from .topology.checks import DEFAULT_SCALE, TOPOLOGY_CODES, TopologyOptions, check_topology

# register-group checks that look at the map alone, so they run without a register too
MAP_SIDE_CODES = {"KEY_MISSING", "SHEET_MISMATCH", "COMMUNE_CODE_INVALID", "COMMUNE_CODE_OBSOLETE"}

log = logging.getLogger("cadastre_cleaner")


@dataclass
class CheckRequest:
    parcels: str                      # OGR source: "path" or "path|layername=parcels"
    out: str                          # flags GeoPackage (created or updated)
    register: str | None = None       # table file (xlsx, csv, ...) or OGR source
    sheets: str | None = None         # optional sheet frames layer
    report: str | None = None         # optional XLSX report
    field_overrides: dict = field(default_factory=dict)  # {"map.sheet": "SOTO", "register.area": "DT"}
    commune: str | None = None        # commune code when the map has no commune field
    scale: int | None = None          # scale denominator when sheets carry none (area tolerance)
    user: str = ""                    # who ran it (recorded with the run)
    tolerance_factor: float | None = None   # ΔP = factor × M × √P; default 0.0004
    landuse_codes: str | None = None  # a user-extended land-use code list (CSV)
    checks: list | None = None        # codes and/or groups ("register", "topology", "all")
    tolerance_m: float | None = None  # positional tolerance for topology (default by scale)
    merger_table: str | None = None   # sheet reference table of the 2025 merger: old keys follow it


@dataclass
class CheckSummary:
    parcels: int = 0
    register_rows: int = 0
    matched: int = 0
    flags_by_code: dict = field(default_factory=dict)
    open_flags: int = 0
    field_choices: list = field(default_factory=list)   # human lines: "map.sheet ← SHBANDO (auto)"
    notes: list = field(default_factory=list)
    out: str = ""
    report: str | None = None
    timings: dict = field(default_factory=dict)
    sheets: pd.DataFrame | None = None
    store: dict = field(default_factory=dict)


@dataclass
class CheckResult:
    """Everything the engine found, before writing (for tests and the plugin)."""
    flags: pd.DataFrame
    geometry: np.ndarray
    pairs: pd.DataFrame
    m: pd.DataFrame
    r: pd.DataFrame
    summary: pd.DataFrame
    mappings: list
    notes: list
    crs_wkt: str
    checked: set = field(default_factory=set)        # the codes this run looked for
    topology: object = None                           # TopologyResult when topology ran


def run_check(request: CheckRequest, progress: Progress | None = None) -> CheckSummary:
    """Read, reconcile, write the flags file (merging reviews) and the report."""
    progress = progress or Progress()
    started = now_iso()
    t0 = time.perf_counter()
    result, timings = compute(request, progress)
    progress.check()
    progress.info("writing flags")
    t = time.perf_counter()
    summary_frame = result.summary
    run = {
        "started_at": started, "finished_at": now_iso(), "user": request.user or _user(),
        "parcels_source": request.parcels, "register_source": request.register or "",
        "sheets_source": request.sheets or "", "parcels": len(result.m),
        "register_rows": len(result.r), "matched": len(result.pairs), "flags": len(result.flags),
        "open_flags": len(result.flags),
        "settings": settings_json({"commune": request.commune, "scale": request.scale,
                                   "tolerance_factor": request.tolerance_factor,
                                   "tolerance_m": request.tolerance_m,
                                   "checks": sorted(result.checked),
                                   "overrides": request.field_overrides}),
        "field_mapping": "; ".join(line for mp in result.mappings for line in mp.describe()),
        "notes": "; ".join(result.notes),
    }
    store = write_flags(request.out, _flag_rows(result), result.geometry, result.crs_wkt, run,
                        summary_frame, checked=result.checked)
    timings["write_flags"] = time.perf_counter() - t
    progress.set_progress(95)
    if request.report:
        t = time.perf_counter()
        from .flags.store import read_flags
        stored, _, _, _ = read_flags(request.out)
        write_report(request.report, stored, summary_frame, run)
        timings["report"] = time.perf_counter() - t
    progress.set_progress(100)
    timings["total"] = time.perf_counter() - t0
    counts = result.flags["code"].value_counts().to_dict()
    status = store.get("status", {})
    return CheckSummary(
        parcels=len(result.m), register_rows=len(result.r), matched=len(result.pairs),
        flags_by_code={k: int(v) for k, v in counts.items()}, open_flags=int(status.get("open", 0)),
        field_choices=[line for mp in result.mappings for line in mp.describe()],
        notes=result.notes, out=request.out, report=request.report, timings=timings,
        sheets=summary_frame, store=store)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some services
        return ""


def compute(request: CheckRequest, progress: Progress | None = None) -> tuple[CheckResult, dict]:
    """Read the inputs and reconcile them; nothing is written."""
    progress = progress or Progress()
    timings: dict = {}
    overrides = parse_overrides(request.field_overrides)
    units = AdminUnits.load()
    landuse_codes = LandUseCodes.load(request.landuse_codes)
    default_commune = normalise_commune_code(request.commune) if request.commune else ""
    notes: list[str] = []
    flags = FlagSet()
    checked = resolve_checks(request.checks, bool(request.register))

    t = time.perf_counter()
    progress.info(f"reading parcels: {request.parcels}")
    parcels = read_vector(request.parcels, role="parcels")
    progress.set_progress(10)
    progress.check()
    register = None
    if request.register:
        progress.info(f"reading register: {request.register}")
        register = read_table(request.register)
        notes.extend(register.notes)          # sheet chosen, header rows, text converted
    sheets_frame = read_vector(request.sheets, role="sheets") if request.sheets else None
    if request.merger_table:
        from .codes.merger import load_merger_table
        from .codes.merger_run import follow_table
        table = load_merger_table(request.merger_table, units)
        side = {"parcels": overrides.get("map"), "sheets": overrides.get("sheets"),
                "register": overrides.get("register")}
        parcels, sheets_frame, register, table_notes = follow_table(
            parcels, sheets_frame, register, table, side, default_commune or None, units)
        notes.extend(table_notes)
    timings["read"] = time.perf_counter() - t
    progress.set_progress(25)
    progress.check()

    t = time.perf_counter()
    mappings = []
    sheets = sheet_geom = None
    if sheets_frame is not None:
        sheets, sheet_geom, mp = prepare_sheets(sheets_frame, overrides.get("sheets"), default_commune, units)
        mappings.append(mp)
    r = None
    if register is not None:
        r, mp_r = prepare_register(register, overrides.get("register"), default_commune, units,
                                   landuse_codes, flags, notes)
        mappings.append(mp_r)
    map_default = default_commune
    if not map_default and r is not None:
        communes = pd.unique(r.loc[r["commune"] != "", "commune"])
        if len(communes) == 1:
            map_default = communes[0]
    m, map_geom, mp_m = prepare_map(parcels, overrides.get("map"), map_default, request.scale,
                                    sheets, sheet_geom, units, landuse_codes, flags, notes)
    mappings.insert(0, mp_m)
    if r is not None and (m["commune"] == "").all():
        # Neither the map nor the request says which commune: match on sheet and parcel only.
        r["commune"] = ""
        notes.append("no commune code on the map: parcels matched on sheet and parcel number only")
    elif r is not None and (r["commune"] == "").all():
        communes = pd.unique(m.loc[m["commune"] != "", "commune"])
        if len(communes) == 1:
            r["commune"] = communes[0]
            notes.append(f"no commune code in the register: its rows are taken as commune {communes[0]}")
        else:
            m["commune"] = ""
            notes.append("no commune code in the register and several on the map: parcels matched "
                         "on sheet and parcel number only (give --commune to check one commune)")
    timings["prepare"] = time.perf_counter() - t
    progress.set_progress(45)
    progress.check()

    t = time.perf_counter()
    pairs = None
    if r is None:
        r = _empty_register()
    else:
        opts = ReconcileOptions()
        if request.tolerance_factor:
            opts.tolerance_factor = request.tolerance_factor
        result = reconcile(m, r, opts, flags=flags)
        notes.extend(result.notes)
        pairs = result.pairs
    timings["reconcile"] = time.perf_counter() - t
    progress.set_progress(60)
    progress.check()

    topo = None
    wanted_topology = [c for c in checked if c in TOPOLOGY_CODES]
    if wanted_topology:
        t = time.perf_counter()
        progress.info("checking topology")
        topo = check_topology(map_geom, m, flags, codes=wanted_topology, sheets=sheets,
                              sheet_geom=sheet_geom,
                              options=TopologyOptions(tolerance_m=request.tolerance_m,
                                                      default_scale=int(request.scale or DEFAULT_SCALE)),
                              progress=progress.step(60, 85))
        timings["topology"] = time.perf_counter() - t
        timings.update({f"topology.{k}": v for k, v in topo.timings.items()})
        if sheets is None and {"OUTSIDE_SHEET", "CROSSES_SHEET"} & set(wanted_topology):
            notes.append("no sheet layer: OUTSIDE_SHEET and CROSSES_SHEET not checked")
    progress.check()

    t = time.perf_counter()
    flag_frame = flags.frame()
    flag_frame = flag_frame[flag_frame["code"].isin(checked)].reset_index(drop=True)
    geometry = locate_flags(flag_frame, m, r, map_geom, sheets, sheet_geom)
    summary = sheet_summary(m, pairs, flag_frame)
    timings["locate"] = time.perf_counter() - t
    progress.set_progress(88)
    return CheckResult(flags=flag_frame, geometry=geometry,
                       pairs=pairs if pairs is not None else _no_pairs(), m=m, r=r,
                       summary=summary, mappings=mappings, notes=notes,
                       crs_wkt=parcels.crs_wkt, checked=checked, topology=topo), timings


def _no_pairs() -> pd.DataFrame:
    return pd.DataFrame({"map_idx": pd.Series(dtype=np.int64), "reg_idx": pd.Series(dtype=np.int64)})


def resolve_checks(checks, has_register: bool) -> set:
    """The codes a run looks for: named codes and groups; by default every check the
    inputs allow (register checks only with a register)."""
    # load codes belong to the loader's runs: a check neither looks for them nor closes them
    everything = set(cat.codes("register")) | set(cat.codes("topology"))
    if not checks:
        return everything if has_register else set(cat.codes("topology")) | MAP_SIDE_CODES
    out = set()
    for item in checks:
        for part in str(item).replace(";", ",").split(","):
            name = part.strip()
            if not name:
                continue
            if name.lower() == "all":
                out |= everything if has_register else set(cat.codes("topology")) | MAP_SIDE_CODES
            elif name.lower() in ("register", "topology"):
                out |= set(cat.codes(name.lower()))
            elif name.upper() in everything or name.upper() in cat.codes("load"):
                if name.upper() in cat.codes("load"):
                    raise InputError(f"{name.upper()} is found when sheets are loaded, not by a check",
                                     fix="run `python -m cadastre_cleaner load` (or Load cadastral sheets)")
                out.add(name.upper())
            else:
                raise InputError(f"unknown check '{name}'",
                                 fix="use a code from `python -m cadastre_cleaner codes`, "
                                     "or 'register', 'topology', 'all'")
    register_only = out & (set(cat.codes("register")) - MAP_SIDE_CODES)
    if register_only and not has_register:
        raise InputError(f"{', '.join(sorted(register_only))} need(s) a register table",
                         fix="give --register FILE, or leave these checks out")
    return out


def _empty_register() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in
                         ("row", "commune", "sheet", "parcel", "area", "area_bad", "landuse",
                          "landuse_state", "key_ok", "old_sheet", "old_parcel", "exact_dup_of")}) \
        .astype({"row": np.int64, "area": float, "key_ok": bool, "exact_dup_of": np.int64})


def locate_flags(flags: pd.DataFrame, m: pd.DataFrame, r: pd.DataFrame, map_geom: np.ndarray,
                 sheets: pd.DataFrame | None, sheet_geom: np.ndarray | None) -> np.ndarray:
    """A geometry for each flag: the parcel, or the frame of the sheet it concerns (the
    sheet layer's frame when there is one, else the extent of the sheet's parcels)."""
    out = np.full(len(flags), None, dtype=object)
    if not len(flags):
        return out
    kind = flags["geom_kind"].to_numpy(object)
    ref = flags["geom_ref"].to_numpy(np.int64)
    on_map = (kind == "map") & (ref >= 0)
    out[on_map] = map_geom[ref[on_map]]
    own = kind == "own"
    out[own] = flags["geometry"].to_numpy(object)[own]
    # sheet extents
    key_m = m["commune"].to_numpy(object) + "\x1f" + m["sheet"].to_numpy(object)
    bounds = shapely.bounds(map_geom)
    ext = pd.DataFrame(bounds, columns=["x0", "y0", "x1", "y1"]).assign(k=key_m).dropna() \
        .groupby("k").agg({"x0": "min", "y0": "min", "x1": "max", "y1": "max"})
    extents = pd.Series(shapely.box(ext["x0"], ext["y0"], ext["x1"], ext["y1"]), index=ext.index)
    if sheets is not None and sheet_geom is not None and len(sheets):
        frames = pd.Series(sheet_geom, index=sheets["commune"].to_numpy(object) + "\x1f"
                           + sheets["sheet"].to_numpy(object))
        frames = frames[~frames.index.duplicated()]
        extents = frames.combine_first(extents)
        by_sheet = pd.Series(sheet_geom, index=sheets["sheet"].to_numpy(object))
        by_sheet = by_sheet[~by_sheet.index.duplicated()]
    else:
        by_sheet = None
    sheet_keys = np.full(len(flags), None, dtype=object)
    reg_kind = kind == "sheet"
    if reg_kind.any() and len(r):
        rr = ref[reg_kind]
        sheet_keys[reg_kind] = r["commune"].to_numpy(object)[rr] + "\x1f" + r["sheet"].to_numpy(object)[rr]
    mk = kind == "sheet_of_map"
    if mk.any():
        sheet_keys[mk] = key_m[ref[mk]]
    has = sheet_keys != None  # noqa: E711 — object array comparison
    if has.any():
        found = pd.Series(sheet_keys[has]).map(extents).to_numpy(object)
        if by_sheet is not None:   # frames without a commune field
            miss = pd.isna(found)
            found[miss] = pd.Series([k.split("\x1f")[1] for k in sheet_keys[has][miss]]).map(by_sheet).to_numpy(object)
        found = np.where(pd.isna(found), None, found)
        out[has] = found
    return out


def _flag_rows(result: CheckResult) -> pd.DataFrame:
    """Engine flags -> stored flag rows (map fid and register row instead of positions)."""
    f = result.flags
    fids = result.m["fid"].to_numpy(np.int64)
    rows = result.r["row"].to_numpy(np.int64) if len(result.r) else np.array([], dtype=np.int64)
    mi, ri = f["map_idx"].to_numpy(np.int64), f["reg_idx"].to_numpy(np.int64)
    oi = f["other_idx"].to_numpy(np.int64)
    out = f.drop(columns=["map_idx", "other_idx", "reg_idx", "geom_kind", "geom_ref", "geometry"]).copy()
    out["map_fid"] = np.where(mi >= 0, fids[np.clip(mi, 0, None)] if len(fids) else -1, -1)
    out["other_map_fid"] = np.where(oi >= 0, fids[np.clip(oi, 0, None)] if len(fids) else -1, -1)
    out["register_row"] = np.where(ri >= 0, rows[np.clip(ri, 0, None)] if len(rows) else -1, -1)
    out.loc[out["map_fid"] < 0, "map_fid"] = None
    out.loc[out["other_map_fid"] < 0, "other_map_fid"] = None
    out.loc[out["register_row"] < 0, "register_row"] = None
    return out
