"""`make bench`: reconciliation and topology at 100 k and 1 M parcels, beside peers measured
in the same run.

Each size runs in its own process so that its peak memory is its own. The peer is the
least any reconciliation must do on the same files: read both with GDAL/pandas and join
them on the normalised key with one pandas merge. The ratio ours/peer shows what the
full check (typos, swaps, sheets by location, duplicates, codes, IDs, flags) costs on top.

Topology: our whole "check topology" (read, checks, flags file) on a commune with
geometry defects, beside PostGIS doing the classic analysis on the same file (load,
ST_IsValid, a self-join for overlaps with their area, the holes of ST_Union; see
benchmarks/postgis_peer.py). Both must agree: same invalid count, same overlapping pairs and
total overlap area, same holes and hole area (all above MIN_AREA).

UI responsiveness (only with `--suites ui`): in a headless QgsApplication, the plugin's
CheckTask checks the 100 000-parcel commune (register and topology) in the task manager
while a 20 ms QTimer on the main thread records the gaps between its ticks: the longest
and the 99th-percentile gap show how long the map would freeze. Adding the styled Flags
layer afterwards (on the main thread) is timed too.

Loading sheet files (only with `--suites load`): 250 per-sheet files (shapefile, DXF and
DGN v7 in turn, a truncated shapefile among them) holding 25 000 parcels — two generated
provinces of 125 one-sheet communes — loaded into one GeoPackage by `load`.

Not a test: it prints numbers; targets are in the issues (reconcile 1 M in ≤ 20 s and
≤ 4 GB; topology 1 M in ≤ 60 s, ≤ 6 GB and faster than PostGIS; load 250 files /
25 000 parcels in ≤ 30 s).
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
SUITES = ("reconcile", "topology")       # the default; "ui" and "load" run only when asked
UI_PARCELS = 100_000
UI_TICK_MS = 20
MIN_AREA = 0.001          # m²: overlaps and holes compared with the peer from this area up
TOPOLOGY_DEFECT_RATE = 0.005
# load: (province, parcels) of each generated sample; 100 parcels per commune = one sheet each
LOAD_SAMPLES = (("38", 12_500), ("25", 12_500))
LOAD_TARGET_S = 30


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _sample(root: Path, n: int) -> Path:
    from ..core.sample import SampleSpec, generate_sample
    out = root / f"commune_{n}"
    stamp = out / ".complete"
    if not stamp.exists():
        t = time.perf_counter()
        res = generate_sample(out, SampleSpec(parcels=n, seed=11, defect_rate=0.02, write_xlsx=False))
        stamp.write_text(json.dumps({"parcels": res.n_parcels, "seconds": time.perf_counter() - t}))
    return out


def _topology_sample(root: Path, n: int) -> Path:
    from ..core.sample import SampleSpec, generate_sample
    out = root / f"topology_{n}"
    stamp = out / ".complete"
    if not stamp.exists():
        t = time.perf_counter()
        res = generate_sample(out, SampleSpec(parcels=n, seed=7, geometry_defect_rate=TOPOLOGY_DEFECT_RATE,
                                              write_xlsx=False))
        stamp.write_text(json.dumps({"parcels": res.n_parcels, "seconds": time.perf_counter() - t}))
    return out


def topology_figures(result) -> dict:
    """The numbers the peer also computes, from our TopologyResult."""
    ov = result.overlaps
    big = ov[ov["area"] > MIN_AREA] if len(ov) else ov
    holes = result.holes_area[result.holes_area > MIN_AREA]
    return {"invalid": int(result.stats.get("invalid", 0)), "overlap_pairs": len(big),
            "overlap_area": float(big["area"].sum()) if len(big) else 0.0,
            "gaps": int(len(holes)), "gap_area": float(holes.sum())}


def agreement(ours: dict, peer: dict, rel: float = 1e-4) -> list[str]:
    """Where our figures and the peer's differ (empty: they agree)."""
    out = []
    for k in ("invalid", "overlap_pairs", "gaps"):
        if int(ours[k]) != int(peer[k]):
            out.append(f"{k}: ours {ours[k]} vs PostGIS {peer[k]}")
    for k in ("overlap_area", "gap_area"):
        a, b = float(ours[k]), float(peer[k])
        if abs(a - b) > rel * max(abs(a), abs(b), 1.0):
            out.append(f"{k}: ours {a:.3f} vs PostGIS {b:.3f}")
    return out


def _topology_one(kind: str, folder: Path) -> dict:
    gpkg = folder / "commune.gpkg"
    t0 = time.perf_counter()
    if kind == "ours":
        from ..core import pipeline
        out = folder / "bench_topology_flags.gpkg"
        if out.exists():
            out.unlink()
        req = pipeline.CheckRequest(parcels=f"{gpkg}|layername=parcels", sheets=f"{gpkg}|layername=sheets",
                                    out=str(out), checks=["topology"])
        # as run_check, but keeping the engine's result to compare with the peer
        result, timings = pipeline.compute(req)
        t = time.perf_counter()
        pipeline.write_flags(req.out, pipeline._flag_rows(result), result.geometry, result.crs_wkt,
                             {"finished_at": "bench"}, result.summary, checked=result.checked)
        timings["write_flags"] = time.perf_counter() - t
        info = {"parcels": len(result.m), "flags": len(result.flags),
                "timings": {k: v for k, v in timings.items() if not k.startswith("topology.")},
                "stages": {k[9:]: v for k, v in timings.items() if k.startswith("topology.")},
                "figures": topology_figures(result.topology)}
    else:
        from .postgis_peer import run_peer
        res = run_peer(str(gpkg), workdir=str(folder.parent / "pg"), min_area=MIN_AREA)
        tm = res["timings"]
        work = sum(v for k, v in tm.items() if k in ("load", "invalid", "make_valid", "overlaps", "gaps"))
        info = {"parcels": res["parcels"], "timings": {k: v for k, v in tm.items() if isinstance(v, (int, float))},
                "figures": {k: res[k] for k in ("invalid", "overlap_pairs", "overlap_area", "gaps", "gap_area")},
                "work_seconds": work, "peak_mb_postgres": res.get("peak_mb")}
    info["seconds"] = time.perf_counter() - t0
    info["peak_mb"] = _peak_mb()
    return info


def _one(kind: str, folder: Path) -> dict:
    """Run in a child process: ours or the peer, on one generated commune."""
    gpkg, csv = folder / "commune.gpkg", folder / "register.csv"
    t0 = time.perf_counter()
    if kind == "ours":
        from ..core.pipeline import CheckRequest, compute
        from ..core.flags.store import write_flags
        from ..core.pipeline import _flag_rows
        req = CheckRequest(parcels=f"{gpkg}|layername=parcels", sheets=f"{gpkg}|layername=sheets",
                           register=str(csv), out=str(folder / "bench_flags.gpkg"), checks=["register"])
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
        from ..core.register.keys import normalise_key
        from ..core.loading.tables import read_table
        from ..core.loading.vector import read_vector
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


def _ui_one(folder: Path) -> dict:
    """In a child process: a headless QgsApplication, the CheckTask on `folder`'s commune,
    and a 20 ms timer on the main thread measuring the gaps between its ticks."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    from qgis.core import QgsApplication, QgsProject
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    app = QgsApplication([], True)
    app.initQgis()
    from ..core.pipeline import CheckRequest
    from ..ui.check_task import CheckTask
    from ..ui.flags_layer import add_flags_layer

    def ticking(until_done) -> tuple[list, float]:
        """Run the event loop with the timer until `until_done(loop)` quits it; the gaps (ms)."""
        gaps, last = [], [time.perf_counter()]

        def tick():
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000.0)
            last[0] = now

        timer = QTimer()
        timer.setInterval(UI_TICK_MS)
        timer.timeout.connect(tick)
        loop = QEventLoop()
        t0 = time.perf_counter()
        timer.start()
        until_done(loop)
        loop.exec()
        timer.stop()
        return gaps, time.perf_counter() - t0

    def stats(gaps) -> dict:
        g = np.asarray(gaps or [0.0])
        return {"ticks": len(gaps), "max_ms": float(g.max()), "p99_ms": float(np.percentile(g, 99)),
                "median_ms": float(np.median(g))}

    idle, _ = ticking(lambda loop: QTimer.singleShot(2000, loop.quit))

    gpkg = folder / "commune.gpkg"
    out = folder / "bench_ui_flags.gpkg"
    if out.exists():
        out.unlink()
    request = CheckRequest(parcels=f"{gpkg}|layername=parcels", sheets=f"{gpkg}|layername=sheets",
                           register=str(folder / "register.csv"), out=str(out))
    outcome = {}

    def start(loop):
        task = CheckTask(request)
        outcome["task"] = task
        task.checkFinished.connect(lambda summary: (outcome.update(summary=summary), loop.quit()))
        task.checkFailed.connect(lambda message: (outcome.update(error=message), loop.quit()))
        task.checkCancelled.connect(loop.quit)
        QgsApplication.taskManager().addTask(task)

    running, seconds = ticking(start)
    if "summary" not in outcome:
        raise SystemExit(f"the check did not finish: {outcome.get('error', 'cancelled')}")
    summary = outcome["summary"]
    t = time.perf_counter()
    layer = add_flags_layer(summary.out, QgsProject.instance())
    add_layer_ms = (time.perf_counter() - t) * 1000.0
    info = {"parcels": summary.parcels, "flags": sum(summary.flags_by_code.values()),
            "seconds": seconds, "idle": stats(idle), "running": stats(running),
            "add_flags_layer_ms": add_layer_ms, "flags_layer_valid": layer.isValid()}
    QgsProject.instance().clear()
    app.exitQgis()
    return info


def _ui(root: Path) -> int:
    print()
    print(f"UI responsiveness: the CheckTask on {UI_PARCELS} parcels (register + topology) in a "
          f"headless QgsApplication; a {UI_TICK_MS} ms timer on the main thread")
    folder = _sample(root, UI_PARCELS)
    info = _child("ui", folder, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if info is None:
        return 1
    run, idle = info["running"], info["idle"]
    print(f"{'':>9} check {info['seconds']:.1f} s, {info['parcels']} parcels, {info['flags']} flags")
    print(f"{'':>9} gaps between ticks while it runs: max {run['max_ms']:.0f} ms, 99th percentile "
          f"{run['p99_ms']:.0f} ms, median {run['median_ms']:.0f} ms ({run['ticks']} ticks)")
    print(f"{'':>9} idle for comparison: max {idle['max_ms']:.0f} ms, 99th percentile {idle['p99_ms']:.0f} ms")
    print(f"{'':>9} adding the styled Flags layer afterwards: {info['add_flags_layer_ms']:.0f} ms "
          f"on the main thread")
    return 0


def _load_sample(root: Path) -> Path:
    """The sheet files of the load suite, made once (build/bench/load_25000)."""
    from ..core.sample import SampleSpec
    from ..core.sample.sheet_files import SheetFilesSpec, generate_sheet_files
    out = root / "load_25000"
    stamp = out / ".complete"
    if not stamp.exists():
        t = time.perf_counter()
        files = 0
        for i, (province, n) in enumerate(LOAD_SAMPLES):
            _, made = generate_sheet_files(
                out / f"p{province}", SampleSpec(parcels=n, seed=31 + i, province_code=province,
                                                 parcels_per_commune=100),
                SheetFilesSpec(corrupt=("truncated_shp",) if i == 0 else (), seed=i))
            files += len(made.files)
        stamp.write_text(json.dumps({"files": files, "seconds": time.perf_counter() - t}))
    return out


def _load_one(folder: Path) -> dict:
    """In a child process: `load` on every sheet folder of the load sample."""
    from ..core.loading.load import LoadRequest, load_sheets
    out = folder / "bench_loaded.gpkg"
    if out.exists():
        out.unlink()
    inputs = [str(folder / f"p{province}" / "sheets") for province, _ in LOAD_SAMPLES]
    t0 = time.perf_counter()
    s = load_sheets(LoadRequest(inputs=inputs, out=str(out)))
    formats = s.report["format"].value_counts().to_dict()
    return {"seconds": time.perf_counter() - t0, "files": s.files, "unreadable": s.unreadable,
            "parcels": s.parcels, "sheets": s.sheets, "flags": s.flags_by_code, "converted": s.converted,
            "formats": formats, "timings": s.timings, "peak_mb": _peak_mb()}


def _load(root: Path) -> int:
    print()
    print("Loading sheet files (2 cores): 250 files — shapefile, DXF, DGN v7 — 25 000 parcels, "
          "one truncated file")
    folder = _load_sample(root)
    info = _child("load", folder)
    if info is None:
        return 1
    secs = info["seconds"]
    formats = ", ".join(f"{k} {v}" for k, v in sorted(info["formats"].items()))
    print(f"{info['parcels']:>9} parcels on {info['sheets']} sheets from {info['files']} files ({formats}), "
          f"{info['unreadable']} unreadable")
    print(f"{'':>9} {secs:.1f} s, {info['parcels'] / secs:.0f} parcels/s, peak {info['peak_mb']:.0f} MB; "
          + " ".join(f"{k}={v:.1f}" for k, v in info["timings"].items()))
    print(f"{'':>9} flags " + ", ".join(f"{k} {v}" for k, v in sorted(info["flags"].items()))
          + f"; legacy text values converted {info['converted']}")
    print(f"{'':>9} target ≤ {LOAD_TARGET_S} s {'met' if secs <= LOAD_TARGET_S else 'NOT met'}")
    return 0


def _child(kind: str, folder: Path, env: dict | None = None) -> dict | None:
    proc = subprocess.run([sys.executable, "-m", "cadastre_cleaner.benchmarks.bench", "--one", kind, str(folder)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _reconcile(root: Path, sizes) -> int:
    print("Reconciliation benchmark (2 cores here); peer = read both + one pandas key join")
    print(f"{'parcels':>9} {'ours s':>8} {'peer s':>8} {'ratio':>6} {'ours MB':>8} {'peer MB':>8}  stages (s)")
    for n in sizes:
        folder = _sample(root, n)
        runs = {kind: _child(kind, folder) for kind in ("peer", "ours")}
        if None in runs.values():
            return 1
        ours, peer = runs["ours"], runs["peer"]
        stages = " ".join(f"{k}={v:.1f}" for k, v in ours["timings"].items())
        print(f"{ours['parcels']:>9} {ours['seconds']:>8.1f} {peer['seconds']:>8.1f} "
              f"{ours['seconds'] / peer['seconds']:>6.2f} {ours['peak_mb']:>8.0f} {peer['peak_mb']:>8.0f}  {stages}")
        print(f"{'':>9} matched ours {ours['matched']} vs plain key join {peer['matched']}; flags {ours['flags']}")
        if n >= 1_000_000:
            ok_t, ok_m = ours["seconds"] <= 20, ours["peak_mb"] <= 4096
            print(f"{'':>9} target 1 M: ≤ 20 s {'met' if ok_t else 'NOT met'}, ≤ 4 GB {'met' if ok_m else 'NOT met'}")
    return 0


def _topology(root: Path, sizes) -> int:
    print()
    print("Topology benchmark (2 cores); peer = PostGIS 3 on the same file: load, ST_IsValid, "
          "overlap self-join, holes of ST_Union")
    print(f"{'parcels':>9} {'ours s':>8} {'PostGIS s':>9} {'ratio':>6} {'ours MB':>8} {'PG MB':>7}  our stages (s)")
    for n in sizes:
        folder = _topology_sample(root, n)
        ours, peer = _child("topology-ours", folder), _child("topology-peer", folder)
        if ours is None or peer is None:
            return 1
        stages = " ".join(f"{k}={v:.1f}" for k, v in ours["stages"].items())
        pg = peer["work_seconds"]
        print(f"{ours['parcels']:>9} {ours['seconds']:>8.1f} {pg:>9.1f} {ours['seconds'] / pg:>6.2f} "
              f"{ours['peak_mb']:>8.0f} {peer.get('peak_mb_postgres') or 0:>7.0f}  read+prepare="
              f"{ours['timings'].get('read', 0) + ours['timings'].get('prepare', 0):.1f} {stages} "
              f"write={ours['timings'].get('write_flags', 0):.1f}")
        pt = peer["timings"]
        print(f"{'':>9} PostGIS: " + " ".join(f"{k}={pt[k]:.1f}" for k in ("load", "invalid", "make_valid",
                                                                             "overlaps", "gaps") if k in pt))
        f = ours["figures"]
        print(f"{'':>9} ours: invalid {f['invalid']}, overlapping pairs {f['overlap_pairs']} "
              f"({f['overlap_area']:.2f} m²), holes {f['gaps']} ({f['gap_area']:.2f} m²); flags {ours['flags']}")
        diff = agreement(f, peer["figures"])
        print(f"{'':>9} PostGIS agrees" if not diff else f"{'':>9} DISAGREES: " + "; ".join(diff))
        if n >= 1_000_000:
            ok_t, ok_m = ours["seconds"] <= 60, ours["peak_mb"] <= 6144
            print(f"{'':>9} target 1 M: ≤ 60 s {'met' if ok_t else 'NOT met'}, ≤ 6 GB {'met' if ok_m else 'NOT met'}, "
                  f"faster than PostGIS {'yes' if ours['seconds'] < pg else 'NO'}")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m cadastre_cleaner.benchmarks.bench")
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--root", default="build/bench")
    p.add_argument("--suites", default=",".join(SUITES),
                   help="reconcile, topology (the default), ui, load (only when named)")
    p.add_argument("--one", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        kind, folder = args.one[0], Path(args.one[1])
        if kind == "ui":
            info = _ui_one(folder)
        elif kind == "load":
            info = _load_one(folder)
        else:
            fn = _topology_one if kind.startswith("topology-") else _one
            info = fn(kind.removeprefix("topology-"), folder)
        print(json.dumps(info, default=float))
        return 0
    root = Path(args.root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    suites = [x.strip() for x in args.suites.split(",") if x.strip()]
    sizes = [int(x) for x in args.sizes.split(",")]
    if "reconcile" in suites and _reconcile(root, sizes):
        return 1
    if "topology" in suites and _topology(root, sizes):
        return 1
    if "ui" in suites and _ui(root):
        return 1
    if "load" in suites and _load(root):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
