"""`make package`: the ZIP QGIS installs holds the plugin under cadastre_cleaner/, with
everything it runs and nothing of the development checkout."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TOP = "cadastre_cleaner/"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package")
    result = subprocess.run(["make", "--no-print-directory", "package", f"PACKAGE_OUT={out}"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    zip_path = out / "cadastre_cleaner.zip"
    assert zip_path.is_file()
    return zip_path


@pytest.fixture(scope="module")
def names(package) -> list[str]:
    with zipfile.ZipFile(package) as archive:
        return archive.namelist()


def test_everything_sits_in_one_cadastre_cleaner_folder(names):
    assert names and all(name.startswith(TOP) for name in names)


@pytest.mark.parametrize("path", [
    "metadata.txt", "__init__.py", "__main__.py", "plugin.py", "LICENSE", "README.md",
    "resources/icon.svg", "processing_provider/provider.py", "core/pipeline.py", "core/loading/load.py",
    "core/flags/catalogue.py", "core/topology/checks.py",
    "ui/run_checks_dialog.py", "ui/check_task.py", "ui/flags_layer.py", "ui/settings.py",
    "ui/field_mapping.py", "ui/checks_tree.py", "ui/missing_dependencies.py", "ui/review_dock.py",
])
def test_it_holds_what_the_plugin_runs(names, path):
    assert TOP + path in names


def test_it_holds_no_development_files(names):
    inner = [name[len(TOP):] for name in names]
    unwanted = [name for name in inner
                if name.split("/")[0] in ("tests", ".venv", "build", ".git", ".ci", ".qgis-settings",
                                           "scripts", "docs", ".pytest_cache", "benchmarks")
                or "__pycache__" in name.split("/") or name.endswith((".pyc", ".pyo"))
                or name in ("Makefile", "pytest.ini", "requirements.txt", ".gitignore")]
    assert unwanted == []


def test_the_packaged_plugin_imports_on_its_own(package, tmp_path):
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path)
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import cadastre_cleaner, cadastre_cleaner.plugin, "
            "cadastre_cleaner.ui.run_checks_dialog; print(cadastre_cleaner.__file__)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONSAFEPATH": "1"}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve().parent == (tmp_path / "cadastre_cleaner").resolve()
