"""`make bench`: reconciliation at 100 k and 1 M parcels, beside a peer measured in the same run.

Each size runs in its own process so that its peak memory is its own. The peer is the
least any reconciliation must do on the same files: read both with GDAL/pandas and join
them on the normalised key with one pandas merge. The ratio ours/peer shows what the
full check (typos, swaps, sheets by location, duplicates, codes, IDs, flags) costs on top.
Not a test: it prints numbers; targets are in the issue (1 M in ≤ 20 s and ≤ 4 GB).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = (100_000, 1_000_000)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sample(root: Path, n: int) -> Path:
    from .core.sample import SampleSpec, generate_sample
    out = root / f"commune_{n}"
    stamp = out / ".complete"
    if not stamp.exists():
        t = time.perf_counter()
        res = generate_sample(out, SampleSpec(parcels=n, seed=11, defect_rate=0.02, write_xlsx=False))
        stamp.write_text(json.dumps({"parcels": res.n_parcels, "seconds": time.perf_counter() - t}))
    return out


def _one(kind: str, folder: Path) -> dict:
    """Run in a child process: ours or the peer, on one generated commune."""
    gpkg, csv = folder / "commune.gpkg", folder / "register.csv"
    t0 = time.perf_counter()
    if kind == "ours":
        from .core.pipeline import CheckRequest, compute
        from .core.flags_store import write_flags
        from .core.pipeline import _flag_rows
        req = CheckRequest(parcels=f"{gpkg}|layername=parcels", sheets=f"{gpkg}|layername=sheets",
                           register=str(csv), out=str(folder / "bench_flags.gpkg"))
        result, timings = compute(req)
        t = time.perf_counter()
        if os.path.exists(req.out):
            os.remove(req.out)
        write_flags(req.out, _flag_rows(result), result.geometry, result.crs_wkt,
                    {"finished_at": "bench"}, result.summary)
        timings["write_flags"] = time.perf_counter() - t
        info = {"parcels": len(result.m), "rows": len(result.r), "matched": len(result.pairs),
                "flags": len(result.flags), "timings": timings}
    else:
        import pandas as pd
        from .core.keys import normalise_key
        from .core.readers import read_table, read_vector
        m = read_vector(f"{gpkg}|layername=parcels", role="parcels")
        r = read_table(str(csv))
        t = time.perf_counter()
        mk = pd.DataFrame({"c": m.attrs["MAXA"], "s": normalise_key(m.attrs["SHBANDO"]),
                           "p": normalise_key(m.attrs["SHTHUA"])})
        rk = pd.DataFrame({"c": r.attrs["Mã xã"], "s": normalise_key(r.attrs["Số tờ"]),
                           "p": normalise_key(r.attrs["Số thửa"])})
        joined = mk.merge(rk, on=["c", "s", "p"], how="outer", indicator=True)
        info = {"parcels": len(m), "rows": len(r), "matched": int((joined["_merge"] == "both").sum()),
                "timings": {"join": time.perf_counter() - t}}
    info["seconds"] = time.perf_counter() - t0
    info["peak_mb"] = _peak_mb()
    return info


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m cadastre_cleaner.bench")
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--root", default="build/bench")
    p.add_argument("--one", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one[0], Path(args.one[1]))))
        return 0
    root = Path(args.root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    print("Reconciliation benchmark (2 cores here); peer = read both + one pandas key join")
    print(f"{'parcels':>9} {'ours s':>8} {'peer s':>8} {'ratio':>6} {'ours MB':>8} {'peer MB':>8}  stages (s)")
    for n in (int(x) for x in args.sizes.split(",")):
        folder = _sample(root, n)
        runs = {}
        for kind in ("peer", "ours"):
            proc = subprocess.run([sys.executable, "-m", "cadastre_cleaner.bench", "--one", kind, str(folder)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(proc.stderr[-3000:], file=sys.stderr)
                return 1
            runs[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
        ours, peer = runs["ours"], runs["peer"]
        stages = " ".join(f"{k}={v:.1f}" for k, v in ours["timings"].items())
        print(f"{ours['parcels']:>9} {ours['seconds']:>8.1f} {peer['seconds']:>8.1f} "
              f"{ours['seconds'] / peer['seconds']:>6.2f} {ours['peak_mb']:>8.0f} {peer['peak_mb']:>8.0f}  {stages}")
        print(f"{'':>9} matched ours {ours['matched']} vs plain key join {peer['matched']}; flags {ours['flags']}")
        if n >= 1_000_000:
            ok_t, ok_m = ours["seconds"] <= 20, ours["peak_mb"] <= 4096
            print(f"{'':>9} target 1 M: ≤ 20 s {'met' if ok_t else 'NOT met'}, ≤ 4 GB {'met' if ok_m else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
