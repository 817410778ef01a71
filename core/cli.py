"""The headless command: `python -m cadastre_cleaner sample|check|codes ...`.

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
    s.add_argument("--xlsx", choices=("auto", "yes", "no"), default="auto",
                   help="also write register.xlsx (auto: up to 200 000 rows)")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--quiet", action="store_true")

    c = sub.add_parser("check", help="reconcile a parcel layer with the land register")
    c.add_argument("--parcels", required=True, help="parcel layer (file, or 'file.gpkg|layername=NAME')")
    c.add_argument("--register", required=True, help="register table (XLSX, CSV, or any OGR table)")
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
    c.add_argument("--user", default="", help="name recorded with the run")
    c.add_argument("--quiet", action="store_true")

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
        if args.command == "codes":
            return _codes()
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
    from .catalogue import CATALOGUE
    for check in CATALOGUE.values():
        print(f"{check.code:24} {check.severity:8} {check.title}")
    return 0


def _sample(args) -> int:
    from .sample import SampleSpec, generate_sample
    if not 1 <= args.parcels <= 2_000_000:
        raise InputError(f"--parcels {args.parcels} is out of range", fix="use 100 … 1 000 000")
    spec = SampleSpec(parcels=args.parcels, seed=args.seed, defect_rate=args.defect_rate,
                      write_xlsx={"auto": None, "yes": True, "no": False}[args.xlsx])
    t = time.perf_counter()
    res = generate_sample(args.out, spec, ConsoleProgress(args.quiet))
    print(f"sample: {res.n_parcels} parcels on {res.n_sheets} sheets, {res.n_register_rows} register rows, "
          f"{sum(res.n_defects.values())} injected defects, in {time.perf_counter() - t:.1f} s")
    print(f"  map:        {res.gpkg}  (layers parcels, sheets)")
    print(f"  register:   {res.register_xlsx or res.register_csv}")
    print(f"  answer key: {res.answer_key}")
    return 0


def _check(args) -> int:
    from .pipeline import CheckRequest, run_check
    req = CheckRequest(parcels=args.parcels, register=args.register, sheets=args.sheets,
                       out=args.out, report=args.report, field_overrides=args.field,
                       commune=args.commune, scale=args.scale, user=args.user,
                       tolerance_factor=args.tolerance_factor, landuse_codes=args.landuse_codes)
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
    print(f"parcels {s.parcels}, register rows {s.register_rows}, matched {s.matched} ({pct:.1f} %)")
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
