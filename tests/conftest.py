"""Shared fixtures. pytest-qgis provides the QGIS application (qgis_app), the stub
iface (qgis_iface) and Processing (qgis_processing); this file adds ours.

Sections: Collection · QGIS housekeeping · Processing. Layer fixtures are named
`*_layer` so that pytest-qgis cleans them up after each test. Helpers shared by
several test files (e.g. casebuilder.py) sit beside this file and are imported
as top-level modules (pytest.ini puts tests/ on sys.path).
"""
import gc
from pathlib import Path

import pytest
from qgis.core import QgsApplication

from cadastre_cleaner.processing_provider.provider import CadastreCleanerProvider

REPO_ROOT = Path(__file__).resolve().parents[1]

# -- Collection -------------------------------------------------------------------


class _RepositoryIsNotATestPackage:
    """The repository root has an __init__.py (it is the plugin), so pytest would
    collect it as a Package and import that __init__.py under the folder's name
    ("main", ...): a second copy of the plugin. Collect it as a plain directory."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path, parent):
        if path == REPO_ROOT:
            return pytest.Dir.from_parent(parent, path=path)
        return None


def pytest_configure(config):
    # Registered as a plugin, not left as a conftest hook: conftest hooks only see
    # paths under tests/, and the root is collected first.
    config.pluginmanager.register(_RepositoryIsNotATestPackage(), "cadastre-cleaner-root-dir")


# -- QGIS housekeeping -------------------------------------------------------------


@pytest.fixture(autouse=True)
def collect_garbage():
    """Free each test's QGIS objects while QGIS still runs.

    An exception caught by pytest.raises keeps its frames (a QgsProcessingContext,
    layers, ...) in a reference cycle; collected only after exitQgis(), they crash
    the interpreter at exit (segmentation fault, exit code 139).
    """
    yield
    gc.collect()


# -- Processing -------------------------------------------------------------------


@pytest.fixture
def provider(qgis_processing):
    """Our Processing provider, registered for one test and removed after it."""
    registry = QgsApplication.processingRegistry()
    provider = CadastreCleanerProvider()
    assert registry.addProvider(provider), "cadastre_cleaner provider already registered"
    yield provider
    registry.removeProvider(provider)  # deletes the provider
