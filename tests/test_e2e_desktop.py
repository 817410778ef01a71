"""End to end in the real QGIS desktop (issue #5).

Starts QGIS (`.venv/bin/qgis`, the wrapper `make venv` writes: this checkout as a
plugin, .venv's packages, Shapely's GEOS preloaded) on a virtual X screen with a
throwaway profile, and lets tests/e2e/drive_plugin.py work the plugin as a user
would: load a generated 2 000-parcel commune, Run checks from the plugin's menu
action, step through the review dock to a flag with a map suggestion, click Apply
suggestion, screenshot the main window and the map; then (issue #6) fix an overlap
from the Correct geometry dock and renumber one sheet from the Parcel codes dock,
screenshotting each dock in use. The driver reports in
result.json; this test checks that report, the files and the screenshots, which are
kept in build/test-artifacts/e2e_desktop/.

Needs Debian's `qgis` (the desktop) and `xvfb`, both installed by `make test`.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from osgeo import ogr
from qgis.PyQt.QtGui import QImage

from cadastre_cleaner.core.sample import SampleSpec, generate_sample

REPO_ROOT = Path(__file__).resolve().parents[1]
QGIS_WRAPPER = REPO_ROOT / ".venv" / "bin" / "qgis"
DRIVER = REPO_ROOT / "tests" / "e2e" / "drive_plugin.py"
ARTIFACTS = REPO_ROOT / "build" / "test-artifacts" / "e2e_desktop"
SCREEN = "1600x1000x24"
DRIVER_TIMEOUT_S = 60        # the driver gives up (and still reports) after this
KILL_AFTER_S = 75            # ...and QGIS is killed after this
SUGGESTION_CODES = {"SHEET_MISMATCH", "NUMBER_MISMATCH"}

# The throwaway profile: the plugin enabled, the locale chosen, and nothing that asks a question
# or goes on the network at start or exit.
QGIS3_INI = """\
[PythonPlugins]
cadastre_cleaner=true

[locale]
overrideFlag=true
userLocale={locale}

[qgis]
checkVersion=false
askToSaveProjectChanges=false

[app]
askToSaveMemoryLayers=false
plugin_installer\\checkOnStart=false

[core]
NewsFeed\\httpsfeedqgisorg\\disabled=true

[migration]
firstRunVersionFlag=32216
settings=false
"""


def _profiles(folder: Path, locale: str = "en_US") -> Path:
    """A profiles folder for `qgis --profiles-path` whose default profile is set up."""
    ini = folder / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(QGIS3_INI.replace("{locale}", locale), encoding="utf-8")
    return folder


class _VirtualScreen:
    """Xvfb on the first free display (`-displayfd`: no guessing, no lock races, no
    xauth, which xvfb-run needs and which Debian only recommends)."""

    def __init__(self, log_path: Path):
        self.log = open(log_path, "wb")
        read, write = os.pipe()
        try:
            self.process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                pass_fds=(write,), stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                start_new_session=True)
        finally:
            os.close(write)
        try:
            self.display = ":" + self._read_display(read, log_path)
        except Exception:
            self.stop()
            raise
        finally:
            os.close(read)

    def _read_display(self, fd: int, log_path: Path) -> str:
        text, deadline = b"", time.monotonic() + 20
        while not text.endswith(b"\n"):
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, 64) if ready else b""
            if not chunk:
                raise RuntimeError(f"Xvfb did not start: {log_path.read_text(errors='replace')}")
            text += chunk
        return text.decode().strip()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def _run_qgis(profiles: Path, sample: Path, out: Path, display: str) -> tuple[int, str, float]:
    """Run the desktop with the driver; (exit code, its output, seconds). Killed, with the
    exit code None, when it outlives KILL_AFTER_S."""
    runtime = out / "xdg-runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, DISPLAY=display, XDG_RUNTIME_DIR=str(runtime),
               CADASTRE_E2E_SAMPLE=str(sample), CADASTRE_E2E_OUT=str(out),
               CADASTRE_E2E_TIMEOUT=str(DRIVER_TIMEOUT_S))
    env.pop("QT_QPA_PLATFORM", None)     # `make test` sets offscreen: the desktop gets the X screen
    log_path = out / "qgis.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(QGIS_WRAPPER), "--nologo", "--noversioncheck", "--profiles-path", str(profiles),
             "--code", str(DRIVER)],
            cwd=out, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            code = process.wait(KILL_AFTER_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = None
    return code, log_path.read_text(errors="replace"), time.monotonic() - started


def _logs(out: Path, qgis_output: str) -> str:
    driver = out / "driver.log"
    return (f"--- driver.log ---\n{driver.read_text(errors='replace') if driver.exists() else '(none)'}\n"
            f"--- QGIS output (last 4000 characters) ---\n{qgis_output[-4000:]}")


def _image_stats(path: Path) -> dict:
    """Size, and the colours on a 3-pixel grid: how many, the share of the commonest and
    of white (the map canvas's background)."""
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    colours = Counter(image.pixel(x, y) & 0xFFFFFF
                      for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))
    total = sum(colours.values())
    return {"width": image.width(), "height": image.height(), "colours": len(colours),
            "commonest": colours.most_common(1)[0][1] / total, "white": colours[0xFFFFFF] / total}


def _attribute(gpkg: Path, layer: str, fid: int, field: str):
    ds = ogr.Open(str(gpkg))
    try:
        feature = ds.GetLayerByName(layer).GetFeature(fid)
        return feature.GetField(field)
    finally:
        ds = None


def _feature_count(gpkg: Path, layer: str) -> int:
    ds = ogr.Open(str(gpkg))
    try:
        return ds.GetLayerByName(layer).GetFeatureCount()
    finally:
        ds = None


# the Flags layer's name in each language (ui/flags_layer.py, i18n/)
FLAGS_LAYER_NAME = {"en_US": "Flags", "vi_VN": "Cờ lỗi"}


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["en_US", "vi_VN"])
def test_checks_review_and_apply_a_suggestion_in_the_qgis_desktop(tmp_path, locale):
    artifacts = ARTIFACTS / locale
    for program, why in ((QGIS_WRAPPER, "run `make venv`: it writes the .venv/bin/qgis wrapper"),
                         (Path("/usr/bin/qgis"), "install Debian's `qgis` (make test does)"),
                         (Path(shutil.which("Xvfb") or "/usr/bin/Xvfb"), "install `xvfb` (make test does)")):
        assert program.exists(), f"{program} is missing: {why}"
    sample = tmp_path / "commune"
    generate_sample(sample, SampleSpec(parcels=2000, geometry_defect_rate=0.01, write_xlsx=False))
    profiles = _profiles(tmp_path / "qgis-profiles", locale)
    out = tmp_path / "out"
    out.mkdir()

    screen = _VirtualScreen(tmp_path / "xvfb.log")
    try:
        code, output, seconds = _run_qgis(profiles, sample, out, screen.display)
    finally:
        screen.stop()
        # Kept whatever happens: the screenshots, the driver's report and logs.
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.mkdir(parents=True)
        for name in ("qgis_main_window.png", "qgis_map_canvas.png", "geometry_dock.png", "codes_dock.png",
                     "renumbering.csv", "result.json", "driver.log", "qgis.log"):
            if (out / name).exists():
                shutil.copy2(out / name, artifacts / name)

    logs = _logs(out, output)
    assert code is not None, f"QGIS was still running after {KILL_AFTER_S} s and was killed\n{logs}"
    assert (out / "result.json").exists(), f"QGIS exited ({code}) without a result\n{logs}"
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["ok"] and not result["error"], f"the driver failed: {result['error']}\n{logs}"
    assert code == 0, f"QGIS exited with {code} after the driver's run\n{logs}"

    # Run checks, through the plugin, on the commune: flags in the file and in the dock.
    assert result["parcels"] >= 1800 and result["sheets"] > 1
    assert result["flags"] > 0
    assert result["flags"] == _feature_count(out / "flags.gpkg", "flags")
    assert result["flags_layer"] == [FLAGS_LAYER_NAME[locale]]   # the styled flags layer, in the user's language

    # Apply suggestion: the new value is in the parcel layer's edit buffer, only there,
    # and the flag is fixed in the flags file.
    applied = result["applied"]
    assert applied["code"] in SUGGESTION_CODES
    assert applied["new"] is not None and str(applied["new"]) != str(applied["old"])
    assert applied["layer_editable"] and applied["layer_modified"]
    assert applied["value_in_layer"] == applied["new"]
    assert applied["edit_buffer"] == {str(applied["parcel_fid"]): {applied["field"]: applied["new"]}}
    assert len(applied["undo_stack"]) == 1 and applied["code"] in applied["undo_stack"][0]
    assert applied["status_in_file"] == applied["status_in_dock"] == "fixed"
    assert result["visited"][-1] == {"fid": applied["flag_fid"], "code": applied["code"], "reason": ""}
    on_disk = _attribute(sample / "commune.gpkg", "parcels", applied["parcel_fid"], applied["field"])
    assert str(on_disk) == str(applied["old"])              # nothing was saved to the source
    # Rolling the edits back (before quitting) restored the value and reopened the flag.
    assert result["after_rollback"] == {"layer_editable": False, "value_in_layer": applied["old"],
                                        "status_in_file": "open"}

    # Screenshots: real images with the map drawn (not a blank, one-colour canvas).
    window, canvas = Path(result["screenshots"]["main_window"]), Path(result["screenshots"]["map_canvas"])
    for shot in (window, canvas):
        assert shot.stat().st_size > 50_000, f"{shot} is only {shot.stat().st_size} bytes"
        assert (artifacts / shot.name).exists()
    stats = _image_stats(window)
    assert stats["width"] >= 1200 and stats["height"] >= 800, stats
    assert stats["colours"] > 200 and stats["commonest"] < 0.8, stats
    stats = _image_stats(canvas)
    assert stats["width"] >= 400 and stats["height"] >= 400, stats
    assert stats["colours"] > 50 and stats["commonest"] < 0.99 and stats["white"] < 0.5, stats

    # Issue #6, Correct geometry: an OVERLAP flag previewed (area table filled) and fixed
    # from the dock: one more undo step, the flag fixed in the flags file.
    geometry = result["geometry"]
    assert result["geometry_flags"].get("OVERLAP", 0) >= 1, result["geometry_flags"]
    assert geometry["area_rows"] and all(len(row) == 4 for row in geometry["area_rows"]), geometry
    assert geometry["undo_after"] == geometry["undo_before"] + 1 == 2, geometry
    assert "OVERLAP" in geometry["undo_text"], geometry
    assert geometry["status_in_file"] == "fixed" and geometry["last_fixed"] == [geometry["flag_fid"]], geometry
    assert geometry["layer_modified"] and geometry["changed_geometries"], geometry

    # Issue #6, Parcel codes: one sheet renumbered (renumber_all): preview layer, one more
    # undo step, numbers changed on that sheet only.
    codes = result["codes"]
    assert codes["mode"] == "renumber_all"
    assert codes["preview_layer"] in codes["layers"] and codes["preview_labels"] > 0, codes
    if locale == "en_US":
        assert codes["preview_layer"] == "Preview numbers"
    assert codes["changes_rows"] > 0 and codes["counts"]["changed"] > 0, codes
    assert codes["applied"] == codes["numbers_changed"] == codes["counts"]["changed"], codes
    assert codes["other_sheets_changed"] == [], codes
    assert codes["undo_after"] == codes["undo_before"] + 1 == 3, codes
    assert codes["csv"]
    # ...and the final rollback dropped every edit.
    assert result["after_rollback_extra"] == {"undo_stack": 0, "geometry_flag_status": "open"}, \
        result["after_rollback_extra"]

    # The docks' screenshots: the main window with each dock in use, not blank.
    for key in ("geometry_dock", "codes_dock"):
        shot = Path(result["screenshots"][key])
        assert shot.name == f"{key}.png"
        assert shot.stat().st_size > 50_000, f"{shot} is only {shot.stat().st_size} bytes"
        assert (artifacts / shot.name).exists()
        stats = _image_stats(shot)
        assert stats["width"] >= 1200 and stats["height"] >= 800, (key, stats)
        assert stats["colours"] > 200 and stats["commonest"] < 0.8, (key, stats)
    assert seconds < KILL_AFTER_S
