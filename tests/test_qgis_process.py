"""The algorithms through the real `qgis_process` (QGIS's own executable, via the wrapper
`make venv` writes), as models and scripts run them; a throwaway profile is used."""
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / ".venv" / "bin" / "qgis_process"


@pytest.fixture(scope="module")
def qgis_process(tmp_path_factory):
    if not WRAPPER.exists() or not Path("/usr/bin/qgis_process.bin").exists():
        pytest.fail("qgis_process missing: run `make venv` (installs Debian's qgis)")
    env = dict(os.environ, QGIS_CUSTOM_CONFIG_PATH=str(tmp_path_factory.mktemp("profile")),
               QT_QPA_PLATFORM="offscreen")

    def run(*args):
        return subprocess.run([str(WRAPPER), *args], capture_output=True, text=True, env=env, timeout=300)
    enabled = run("plugins", "enable", "cadastre_cleaner")
    assert enabled.returncode == 0, enabled.stderr[-2000:]
    return run


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    from cadastre_cleaner.core.sample import SampleSpec, generate_sample
    out = tmp_path_factory.mktemp("qp")
    generate_sample(out, SampleSpec(parcels=3000, seed=3, geometry_defect_rate=0.01, write_xlsx=False))
    return out


def _json(proc):
    assert proc.returncode == 0, (proc.stdout[-2000:], proc.stderr[-2000:])
    return json.loads(proc.stdout[proc.stdout.index("{"):])["results"]


def test_check_and_fix_topology_run_in_qgis_process(qgis_process, commune, tmp_path):
    parcels = f"{commune}/commune.gpkg|layername=parcels"
    sheets = f"{commune}/commune.gpkg|layername=sheets"
    checked = _json(qgis_process("run", "cadastre_cleaner:check_topology", "--json", "--",
                                 f"PARCELS={parcels}", f"SHEETS={sheets}", f"OUTPUT={tmp_path / 'flags.gpkg'}"))
    assert checked["OVERLAP"] > 0 and checked["GAP"] > 0 and checked["FLAGS"] > 0
    fixed = _json(qgis_process("run", "cadastre_cleaner:fix_topology", "--json", "--",
                               f"PARCELS={parcels}", f"SHEETS={sheets}", f"OUTPUT={tmp_path / 'fixed.gpkg'}"))
    assert fixed["REMAINING"] == 0 and fixed["CHANGES"] > 0
    report = _json(qgis_process("run", "cadastre_cleaner:export_report", "--json", "--",
                                f"FLAGS={tmp_path / 'flags.gpkg'}", f"OUTPUT={tmp_path / 'r.xlsx'}"))
    assert report["FLAG_COUNT"] == checked["FLAGS"] and (tmp_path / "r.xlsx").exists()


def test_bad_input_is_one_clear_line_not_a_traceback(qgis_process, tmp_path):
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(b"not a geopackage")
    proc = qgis_process("run", "cadastre_cleaner:check_topology", "--", f"PARCELS={bad}",
                        f"OUTPUT={tmp_path / 'f.gpkg'}")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stdout + proc.stderr
