"""Cadastre Cleaner: a QGIS plugin and headless tool for Vietnamese cadastral data.

QGIS calls `classFactory(iface)`. The plugin shell is imported only then, so
`import cadastre_cleaner` (the CLI, the tests, `python -m cadastre_cleaner`)
pulls in neither Qt nor QGIS.
"""


def classFactory(iface):  # noqa: N802 (name fixed by QGIS)
    """Entry point QGIS calls when it loads the plugin (desktop or qgis_process)."""
    from .plugin import CadastreCleanerPlugin

    return CadastreCleanerPlugin(iface)
