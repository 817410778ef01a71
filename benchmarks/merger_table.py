"""A full-size national sheet reference table applied to a generated pre-merger commune, timed.

    python -m cadastre_cleaner.benchmarks.merger_table --out DIR [--rows 6266] [--parcels 40000]

The table (XLSX, one sheet BANGTHAMCHIEUBANDODIACHINH2CAP, every cell text) has `--rows`
rows like the one published for a province: the rows that take the generated commune back to
its post-merger numbers, the rest of the province's communes with sheet series at three scales,
parcel rows and repeated rows, and a few bad rows (a code that is not official, a conflicting
key). Prints rows read, rows applied, findings by code and seconds for: reading and checking
the table, renumbering parcels, sheets and register into corrected copies, and `check` on the
copies (which must find map and register in agreement); wall-clock and CPU seconds (the CPU
ones say more on a shared machine). Not a test: it prints numbers.
"""
import argparse
import json
import time
from pathlib import Path

import pandas as pd


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=6266)
    ap.add_argument("--parcels", type=int, default=40000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from ..core.codes.merger import run_merger
    from ..core.codes.merger_table import read_merger_table
    from ..core.pipeline import CheckRequest, compute
    from ..core.sample.generator import SampleSpec, generate_sample
    from ..core.sample.national_table import generate_national_table, national_rows, write_national_table
    from ..core.sample.pre_merger import make_pre_merger

    out = Path(args.out)
    numbers = {}
    t = time.perf_counter()
    sample = generate_sample(out / "sample", SampleSpec(parcels=args.parcels, seed=args.seed, defect_rate=0.0))
    before = make_pre_merger(out / "sample", out / "before", table_name="own_rows.xlsx")
    numbers["prepare_s"] = round(time.perf_counter() - t, 1)

    # the province's table: the generated commune's rows, the others' series, two bad rows
    province = generate_national_table("20", args.rows, args.seed)
    others = province[~province["new_commune"].isin(set(before.plain["new_commune"]))]
    need = args.rows - len(before.plain) - 3
    if len(others) < need:          # the generated commune's rows were taken out: repeat some rows
        others = pd.concat([others, others.sample(need - len(others), random_state=args.seed)])
    bad = pd.DataFrame([("99999", "1", 1000, "06427", "9001", "", ""),               # not a commune code
                        ("06403", "77", 1000, "06427", "9002", "", ""),              # } one key,
                        ("06403", "77", 1000, "06427", "9003", "", "")],             # } two targets
                       columns=province.columns)
    plain = pd.concat([before.plain, bad, others], ignore_index=True).iloc[:args.rows]
    path = out / "bang_tham_chieu_2_cap.xlsx"
    write_national_table(national_rows(plain, seed=args.seed), str(path))
    numbers["table_rows_written"] = len(plain)

    t, cpu = time.perf_counter(), time.process_time()
    table = read_merger_table(str(path))
    numbers["read_check_s"] = round(time.perf_counter() - t, 2)
    numbers["read_check_cpu_s"] = round(time.process_time() - cpu, 2)
    numbers["rows_read"], numbers["rows_applied"] = table.rows_read, table.rows_applied
    numbers["table_findings"] = table.findings["code"].value_counts().to_dict()

    t, cpu = time.perf_counter(), time.process_time()
    result = run_merger(f"{before.gpkg}|layername=parcels", str(out / "after.gpkg"),
                        sheets_source=f"{before.gpkg}|layername=sheets", register_source=str(before.register_csv),
                        reference=table, register_out=str(out / "after_register.csv"))
    numbers["apply_s"] = round(time.perf_counter() - t, 2)
    numbers["apply_cpu_s"] = round(time.process_time() - cpu, 2)
    numbers["records"] = {k: {"rows": v[0], "changed": v[1]} for k, v in result.counts.items()}
    used = set()
    for name in ("parcels", "sheets", "register"):
        used |= set(result.applied[name].table_rows.tolist()) - {-1}
    numbers["table_rows_matched_by_the_data"] = len(used)
    numbers["findings"] = result.findings["code"].value_counts().to_dict()

    t, cpu = time.perf_counter(), time.process_time()
    checked, _ = compute(CheckRequest(parcels=f"{out / 'after.gpkg'}|layername=parcels",
                                      sheets=f"{out / 'after.gpkg'}|layername=sheets",
                                      register=str(out / "after_register.csv"), out=str(out / "flags.gpkg"),
                                      checks=["register"]))
    numbers["check_s"] = round(time.perf_counter() - t, 2)
    numbers["check_cpu_s"] = round(time.process_time() - cpu, 2)
    numbers["check_flags"] = checked.flags["code"].value_counts().to_dict()
    generated, _ = compute(CheckRequest(parcels=f"{sample.gpkg}|layername=parcels",
                                        sheets=f"{sample.gpkg}|layername=sheets", register=str(sample.register_csv),
                                        out=str(out / "flags_generated.gpkg"), checks=["register"]))
    numbers["check_flags_of_the_generated_sample"] = generated.flags["code"].value_counts().to_dict()
    numbers["check_matched"] = int(len(checked.pairs))
    numbers["parcels"] = sample.n_parcels
    print(json.dumps(numbers, indent=1, ensure_ascii=False))
    return numbers


if __name__ == "__main__":
    main()
