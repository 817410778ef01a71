"""Cadastre Cleaner: a QGIS plugin and headless tool for Vietnamese cadastral data.

QGIS calls `classFactory(iface)`. The plugin shell is imported only then, so
`import cadastre_cleaner` (the CLI, the tests, `python -m cadastre_cleaner`)
pulls in neither Qt nor QGIS.
"""


def classFactory(iface):  # noqa: N802 (name fixed by QGIS)
    """Entry point QGIS calls when it loads the plugin (desktop or qgis_process).

    Without Shapely 2 or pandas in QGIS's Python, a stand-in plugin says what is
    missing and how to install it, instead of QGIS showing a traceback.
    """
    missing = missing_dependencies()
    if missing:
        from .ui.missing_dependencies import MissingDependenciesPlugin

        return MissingDependenciesPlugin(iface, missing)
    from .plugin import CadastreCleanerPlugin

    return CadastreCleanerPlugin(iface)


def missing_dependencies() -> list:
    """[(package requirement, why)] for each engine dependency that cannot be used."""
    missing = []
    try:
        import shapely
    except Exception as err:  # noqa: BLE001 — ImportError, or a binary mismatch (numpy ABI…)
        missing.append(("shapely>=2", f"{type(err).__name__}: {err}"))
    else:
        version = str(getattr(shapely, "__version__", "0"))
        if not version.split(".")[0].isdigit() or int(version.split(".")[0]) < 2:
            missing.append(("shapely>=2", f"Shapely {version} is installed; version 2 or newer is needed"))
    try:
        import pandas  # noqa: F401
    except Exception as err:  # noqa: BLE001
        missing.append(("pandas", f"{type(err).__name__}: {err}"))
    return missing
