"""Topology checks and fixes on generated communes with injected geometry defects.

The generator's answer key lists every defect with its parcel(s) and place; the
checks must find ≥ 99 % of them and flag no clean parcel, and "fix all" must leave
a layer in which a re-check finds no overlap and no gap.
"""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import shapely

from cadastre_cleaner.core.sample.answer_key import score_topology
from cadastre_cleaner.core.fixes.run import FixRequest, run_fix
from cadastre_cleaner.core.pipeline import CheckRequest, _flag_rows, compute
from cadastre_cleaner.core.loading.vector import read_vector
from cadastre_cleaner.core.sample import SampleSpec, generate_sample


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    out = tmp_path_factory.mktemp("geomdefects")
    generate_sample(out, SampleSpec(parcels=10_000, seed=11, geometry_defect_rate=0.01, write_xlsx=False))
    return out


@pytest.fixture(scope="module")
def unnoded(tmp_path_factory):
    out = tmp_path_factory.mktemp("unnoded")
    generate_sample(out, SampleSpec(parcels=5_000, seed=4, unnoded_sheet_edges=True, write_xlsx=False))
    return out


def _check(d, **kw):
    req = CheckRequest(parcels=f"{d}/commune.gpkg|layername=parcels",
                       sheets=f"{d}/commune.gpkg|layername=sheets", out=str(d / "flags.gpkg"),
                       checks=["topology"], **kw)
    return compute(req)[0]


def test_checks_find_the_injected_defects_and_nothing_else(commune):
    res = _check(commune)
    key = pd.read_csv(commune / "answer_key.csv", dtype=str, keep_default_na=False)
    s = score_topology(_flag_rows(res), res.geometry, key, res.m["fid"].to_numpy())
    print("\n".join(s.lines()))
    assert s.expected >= 90                           # every kind, several times
    assert set(s.by_code["code"]) >= {"GEOM_INVALID", "GEOM_EMPTY", "MULTIPART", "OVERLAP", "GAP",
                                      "DUPLICATE_GEOMETRY", "SLIVER", "SPIKE", "REPEATED_VERTEX",
                                      "NOT_NODED", "OUTSIDE_SHEET", "CROSSES_SHEET"}
    assert s.recall >= 0.99, s.missed.to_string()
    assert s.clean_parcels_flagged == 0, s.false_flags[["code", "message"]].to_string()
    assert len(s.false_flags) == 0


def test_fix_all_leaves_no_overlap_or_gap(commune, tmp_path):
    before = _check(commune).flags["code"].value_counts()
    assert before.get("OVERLAP", 0) > 0 and before.get("GAP", 0) > 0
    fixed = tmp_path / "fixed.gpkg"
    result = run_fix(FixRequest(parcels=f"{commune}/commune.gpkg|layername=parcels",
                                sheets=f"{commune}/commune.gpkg|layername=sheets", out=str(fixed)))
    assert result.after.get("OVERLAP", 0) == 0 and result.after.get("GAP", 0) == 0
    assert result.after.get("GEOM_INVALID", 0) == 0 and result.after.get("NOT_NODED", 0) == 0
    # the written copy re-checked from the file: the same verdict, and a valid coverage
    req = CheckRequest(parcels=f"{fixed}|layername=parcels", sheets=f"{commune}/commune.gpkg|layername=sheets",
                       out=str(tmp_path / "f2.gpkg"), checks=["OVERLAP", "GAP", "GEOM_INVALID", "NOT_NODED",
                                                              "DUPLICATE_GEOMETRY"])
    again = compute(req)[0]
    assert len(again.flags) == 0, again.flags[["code", "message"]].to_string()
    geoms = read_vector(f"{fixed}|layername=parcels").geometry
    geoms = geoms[np.array([g is not None for g in geoms])]
    assert shapely.coverage_is_valid(geoms)
    # nothing lost: the land covered before is covered after, but for the spike tips cut off
    changes = read_vector(f"{fixed}|layername=changes", with_geometry=False).attrs
    assert {"give_overlap", "make_valid", "snap"} <= set(changes["action"])
    spikes = changes[changes["action"] == "remove_spike"]
    cut = float((spikes["area_before"] - spikes["area_after"]).sum())
    src = read_vector(f"{commune}/commune.gpkg|layername=parcels").geometry
    src = src[np.array([g is not None for g in src])]
    lost = shapely.union_all(shapely.make_valid(src)).difference(shapely.union_all(geoms)).area
    assert lost <= cut + 0.05


def test_source_is_never_the_target(commune):
    from cadastre_cleaner.core.errors import InputError
    with pytest.raises(InputError, match="replace the source"):
        run_fix(FixRequest(parcels=f"{commune}/commune.gpkg|layername=parcels", out=str(commune / "commune.gpkg")))


def test_joined_sheets_give_info_only_one_flag_per_sheet_pair(unnoded):
    res = _check(unnoded)
    f = res.flags
    assert set(f["code"]) == {"NOT_NODED"}
    assert set(f["severity"]) == {"info"}
    assert (f["map_idx"] == -1).all()                   # per pair of sheets, not per parcel
    pairs = f["ident"].nunique()
    n_sheets = res.m["sheet"].nunique()
    assert 0 < pairs <= 4 * n_sheets
    assert res.topology.stats.get("overlap_pairs", 0) == 0 and res.topology.stats.get("gaps", 0) == 0


def test_cli_check_without_register_and_fix(commune, tmp_path):
    flags = tmp_path / "flags.gpkg"
    run = [sys.executable, "-m", "cadastre_cleaner"]
    p = subprocess.run(run + ["check", "--parcels", f"{commune}/commune.gpkg|layername=parcels",
                              "--sheets", f"{commune}/commune.gpkg|layername=sheets", "--checks", "topology",
                              "--out", str(flags), "--quiet"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "no register: map checks only" in p.stdout and "OVERLAP" in p.stdout
    p = subprocess.run(run + ["fix", "--parcels", f"{commune}/commune.gpkg|layername=parcels",
                              "--out", str(tmp_path / "fixed.gpkg"), "--gap", "new_parcel", "--quiet"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "faults after:  none" in p.stdout or "GAP" not in p.stdout.split("faults after:")[1]
    p = subprocess.run(run + ["fix", "--parcels", f"{commune}/commune.gpkg|layername=parcels",
                              "--out", str(tmp_path / "x.gpkg"), "--fix", "OVERLAPS"], capture_output=True, text=True)
    assert p.returncode == 2 and "cannot fix OVERLAPS" in p.stderr
