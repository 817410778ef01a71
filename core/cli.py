"""The headless command: `python -m cadastre_cleaner sample|load|check|fix|codes ...`.

Exit codes: 0 the command ran (flags found or not), 2 bad input (one clear line on
stderr), 3 cancelled, 1 an unexpected fault (with a hint to report it).
"""
import argparse
import logging
import sys
import time

from .errors import InputError
from .progress import Cancelled, Progress


class ConsoleProgress(Progress):
    """Progress on stderr, one line per step, only when it moves by 10 % or more."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self._last = -10.0
        self._t0 = time.perf_counter()

    def set_progress(self, percent: float) -> None:
        if not self.quiet and percent >= self._last + 10:
            self._last = percent
            print(f"  {percent:5.1f} %  ({time.perf_counter() - self._t0:.1f} s)", file=sys.stderr)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(f"  {message}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m cadastre_cleaner",
                                description="Cadastre Cleaner: check cadastral maps against the land register.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="generate a sample commune (map, sheets, register, answer key)")
    s.add_argument("--parcels", type=int, default=2000, help="number of parcels (100 … 1 000 000)")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--defect-rate", type=float, default=0.02, help="share of parcels given a defect")
    s.add_argument("--geometry-defects", type=float, default=0.0, metavar="RATE",
                   help="share of parcels given a geometry (topology) defect, 0 … 0.2 (default 0)")
    s.add_argument("--unnoded-sheet-edges", action="store_true",
                   help="join the sheets unnoded: along sheet edges a parcel keeps only its own corners")
    s.add_argument("--xlsx", choices=("auto", "yes", "no"), default="auto",
                   help="also write register.xlsx (auto: up to 200 000 rows)")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--sheet-files", metavar="DIR",
                   help="also write the commune as per-sheet files (shapefile, DXF, DGN) into DIR "
                        "(needs a sample without defects: --defect-rate 0)")
    s.add_argument("--quiet", action="store_true")

    ld = sub.add_parser("load", help="load per-sheet files (shapefile, GeoPackage, MapInfo, GML, DXF, "
                                     "DGN v7) into one GeoPackage that `check` reads")
    ld.add_argument("inputs", nargs="*", metavar="FOLDER_OR_FILE",
                    help="folders (searched recursively) and/or files")
    ld.add_argument("--out", help="GeoPackage to write (layers parcels, sheets, load_report, flags)")
    ld.add_argument("--commune", help="commune code when neither a field nor a folder name (5 digits) says")
    where = ld.add_mutually_exclusive_group()
    where.add_argument("--crs", help="output CRS, e.g. EPSG:9215")
    where.add_argument("--province", metavar="CODE",
                       help="province code: its VN-2000 TM-3 zone is the output CRS (see --provinces)")
    ld.add_argument("--encoding", choices=("auto", "tcvn3", "vni", "utf-8"), default="auto",
                    help="text encoding of attributes and labels (auto: detected per column)")
    ld.add_argument("--scale", type=int, choices=(200, 500, 1000, 2000, 5000, 10000),
                    help="map scale when neither the file name's sheet code nor the file says "
                         "(snapping tolerance, frames)")
    ld.add_argument("--levels", metavar="JSON", help='level/layer mapping of drawings: a JSON file, or the '
                                                      'JSON itself, e.g. {"boundary": ["10"], "parcel_number": '
                                                      '["13"], "landuse": ["2"], "area": ["4"], "note": ["*"]}')
    ld.add_argument("--name-pattern", action="append", default=[], metavar="REGEX",
                    help="extra file-name pattern with a (?P<sheet>…) group, tried before the defaults")
    ld.add_argument("--reproject", action="store_true",
                    help="transform files that declare another CRS (default: keep and flag them)")
    ld.add_argument("--provinces", action="store_true",
                    help="list the provinces with their central meridian and EPSG code, and exit")
    ld.add_argument("--user", default="", help="name recorded with the run")
    ld.add_argument("--quiet", action="store_true")

    c = sub.add_parser("check", help="check a parcel layer: topology, and against the land register")
    c.add_argument("--parcels", required=True, help="parcel layer (file, or 'file.gpkg|layername=NAME')")
    c.add_argument("--register", help="register table (XLSX, CSV, or any OGR table); without it "
                                      "only the map is checked")
    c.add_argument("--checks", action="append", default=[], metavar="CODES",
                   help="checks to run: codes and/or groups register, topology, all, comma-separated "
                        "(repeatable; default: all the inputs allow)")
    c.add_argument("--tolerance", type=float, metavar="METRES",
                   help="positional tolerance for topology checks (default by map scale: "
                        "0.15 m at 1:1000, 0.30 m at 1:2000, …)")
    c.add_argument("--sheets", help="sheet frames layer (improves SHEET_MISMATCH and tolerances)")
    c.add_argument("--out", required=True, help="flags GeoPackage (created, or updated keeping reviews)")
    c.add_argument("--report", help="XLSX report to write")
    c.add_argument("--commune", help="commune code when the map has no commune field")
    c.add_argument("--scale", type=int, choices=(200, 500, 1000, 2000, 5000, 10000),
                   help="map scale when the sheets do not tell (area tolerance)")
    c.add_argument("--tolerance-factor", type=float,
                   help="area tolerance ΔP = F × M × √P (default F = 0.0004; unconfirmed rule)")
    c.add_argument("--field", action="append", default=[], metavar="SIDE.ROLE=FIELD",
                   help="choose a field yourself, e.g. map.sheet=SOTO or register.area=DTPL (repeatable)")
    c.add_argument("--landuse-codes", help="a CSV of land-use codes extending the shipped list")
    c.add_argument("--merger-table", metavar="TABLE",
                   help="sheet reference table of the 2025 merger (the national system's, XLSX/CSV): "
                        "records still keyed by old commune codes and numbers are matched under the new ones")
    c.add_argument("--user", default="", help="name recorded with the run")
    c.add_argument("--quiet", action="store_true")

    x = sub.add_parser("fix", help="fix topology faults into a corrected copy (the source is only read)")
    x.add_argument("--parcels", required=True, help="parcel layer")
    x.add_argument("--sheets", help="sheet frames layer (scale per sheet)")
    x.add_argument("--out", required=True, help="corrected copy (GeoPackage: layers parcels, changes)")
    x.add_argument("--overlap", default="longest_edge", choices=("longest_edge", "register_area"),
                   help="who keeps an overlap (default: the parcel bordering it along more length; "
                        "register_area: the one whose register area it brings closer, needs --register)")
    x.add_argument("--register", help="register table, for --overlap register_area")
    x.add_argument("--gap", default="merge_longest_edge", choices=("merge_longest_edge", "split", "new_parcel"),
                   help="how a gap is closed")
    x.add_argument("--fix", action="append", default=[], metavar="CODES",
                   help="faults to fix, comma-separated codes (default: every fixable one)")
    x.add_argument("--scale", type=int, choices=(200, 500, 1000, 2000, 5000, 10000))
    x.add_argument("--tolerance", type=float, metavar="METRES")
    x.add_argument("--quiet", action="store_true")

    sub.add_parser("codes", help="list the check codes")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.command == "sample":
            return _sample(args)
        if args.command == "check":
            return _check(args)
        if args.command == "load":
            return _load(args)
        if args.command == "codes":
            return _codes()
        if args.command == "fix":
            return _fix(args)
    except InputError as err:
        print(f"error: {err.one_line()}", file=sys.stderr)
        return 2
    except Cancelled:
        print("cancelled: nothing was written", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 3
    return 0


def _codes() -> int:
    from .flags.catalogue import CATALOGUE
    for check in CATALOGUE.values():
        print(f"{check.code:24} {check.group:9} {check.severity:8} {check.title}")
    return 0


def _fix(args) -> int:
    from .fixes.run import FixRequest, run_fix
    from .fixes.bulk import FIXABLE
    codes = [c.strip().upper() for item in args.fix for c in item.split(",") if c.strip()]
    unknown = [c for c in codes if c not in FIXABLE]
    if unknown:
        raise InputError(f"cannot fix {', '.join(unknown)}", fix="choose among " + ", ".join(FIXABLE))
    t = time.perf_counter()
    r = run_fix(FixRequest(parcels=args.parcels, out=args.out, sheets=args.sheets, scale=args.scale,
                           tolerance_m=args.tolerance, overlap=args.overlap, gap=args.gap,
                           register=args.register,
                           codes=tuple(codes) or None), ConsoleProgress(args.quiet))
    for action, n in r.log["action"].value_counts().items():
        print(f"  {action:24} {n}")
    fmt = lambda d: ", ".join(f"{k} {v}" for k, v in sorted(d.items())) or "none"  # noqa: E731
    print(f"faults before: {fmt(r.before)}")
    print(f"faults after:  {fmt(r.after)}")
    print(f"written: {args.out} (layers parcels, changes) in {time.perf_counter() - t:.1f} s")
    return 0


def _sample(args) -> int:
    from .sample import SampleSpec, generate_sample
    if not 1 <= args.parcels <= 2_000_000:
        raise InputError(f"--parcels {args.parcels} is out of range", fix="use 100 … 1 000 000")
    spec = SampleSpec(parcels=args.parcels, seed=args.seed, defect_rate=args.defect_rate,
                      write_xlsx={"auto": None, "yes": True, "no": False}[args.xlsx],
                      geometry_defect_rate=args.geometry_defects,
                      unnoded_sheet_edges=args.unnoded_sheet_edges)
    t = time.perf_counter()
    res = generate_sample(args.out, spec, ConsoleProgress(args.quiet))
    from .flags.catalogue import codes
    geometry = sum(v for k, v in res.n_defects.items() if k in set(codes("topology")))
    injected = f"{sum(res.n_defects.values()) - geometry} injected defects"
    if spec.geometry_defect_rate > 0:
        injected += f" and {geometry} geometry defects"
    print(f"sample: {res.n_parcels} parcels on {res.n_sheets} sheets, {res.n_register_rows} register rows, "
          f"{injected}, in {time.perf_counter() - t:.1f} s")
    print(f"  map:        {res.gpkg}  (layers parcels, sheets)")
    print(f"  register:   {res.register_xlsx or res.register_csv}")
    print(f"  answer key: {res.answer_key}")
    if args.sheet_files:
        if spec.defect_rate or spec.geometry_defect_rate or spec.unnoded_sheet_edges:
            raise InputError("--sheet-files needs a sample without defects",
                             fix="add --defect-rate 0 (and no --geometry-defects, --unnoded-sheet-edges)")
        from .sample.sheet_files import write_sheet_files
        files = write_sheet_files(res.gpkg, args.sheet_files, register_csv=res.register_csv)
        print(f"  sheet files: {len(files.files)} in {files.folder}  (defects listed in {files.key_csv})")
    return 0


def _load(args) -> int:
    from .loading.load import LoadRequest, load_sheets
    if args.provinces:
        from .loading.crs import province_table
        for code, name, meridian, epsg in province_table():
            print(f"{code}  {meridian:>8}  EPSG:{epsg}  {name}")
        return 0
    if not args.inputs or not args.out:
        raise InputError("load needs folders or files and --out", fix="e.g. load SHEETS_FOLDER --out commune.gpkg")
    req = LoadRequest(inputs=args.inputs, out=args.out, commune=args.commune, crs=args.crs,
                      province=args.province, encoding=args.encoding, scale=args.scale, levels=args.levels,
                      name_patterns=args.name_pattern, reproject=args.reproject, user=args.user)
    s = load_sheets(req, ConsoleProgress(args.quiet))
    for note in s.notes:
        print(f"note: {note}")
    seconds = s.timings.get("total", 0.0)
    print(f"files {s.files}: loaded {s.files_loaded}, unreadable {s.unreadable}")
    print(f"parcels {s.parcels} on {s.sheets} sheets; legacy text converted: {s.converted} value(s); CRS {s.crs}")
    bad = s.report[s.report["status"] != "ok"]
    for row in bad.itertuples():
        detail = row.errors or row.warnings or f"{row.flags} flag(s)"
        print(f"  {row.status:10} {row.file}: {detail}")
    print(f"flags {sum(s.flags_by_code.values())}:")
    for code, n in sorted(s.flags_by_code.items(), key=lambda kv: -kv[1]):
        print(f"  {code:24} {n}")
    rate = s.parcels / seconds if seconds else 0.0
    print(f"written: {s.out} (layers parcels, sheets, load_report, flags) in {seconds:.1f} s "
          f"({rate:.0f} parcels/s)")
    return 0


def _check(args) -> int:
    from .pipeline import CheckRequest, run_check
    req = CheckRequest(parcels=args.parcels, register=args.register, sheets=args.sheets,
                       out=args.out, report=args.report, field_overrides=args.field,
                       commune=args.commune, scale=args.scale, user=args.user,
                       tolerance_factor=args.tolerance_factor, landuse_codes=args.landuse_codes,
                       checks=args.checks or None, tolerance_m=args.tolerance,
                       merger_table=args.merger_table)
    s = run_check(req, ConsoleProgress(args.quiet))
    by_side: dict[str, list[str]] = {}
    for line in s.field_choices:       # "map.sheet ← SHBANDO (auto)"
        side, rest = line.split(".", 1)
        by_side.setdefault(side, []).append(rest.replace(" (auto)", ""))
    for side, items in by_side.items():
        print(f"fields ({side}): " + ", ".join(items))
    for note in s.notes:
        print(f"note: {note}")
    pct = 100.0 * s.matched / s.parcels if s.parcels else 0.0
    if args.register:
        print(f"parcels {s.parcels}, register rows {s.register_rows}, matched {s.matched} ({pct:.1f} %)")
    else:
        print(f"parcels {s.parcels} (no register: map checks only)")
    total = sum(s.flags_by_code.values())
    print(f"flags {total} (open {s.open_flags}):")
    for code, n in sorted(s.flags_by_code.items(), key=lambda kv: -kv[1]):
        print(f"  {code:24} {n}")
    if s.sheets is not None and len(s.sheets):
        clean = int(s.sheets["clean"].sum())
        print(f"clean parcels {clean} of {s.parcels} ({100.0 * clean / max(s.parcels, 1):.1f} %) "
              f"on {len(s.sheets)} sheets")
    if s.store.get("closed_by_recheck"):
        print(f"{s.store['closed_by_recheck']} flag(s) of earlier runs no longer apply: marked fixed")
    print(f"written: {s.out}" + (f" and {s.report}" if s.report else "")
          + f"  ({s.timings.get('total', 0):.1f} s)")
    return 0
