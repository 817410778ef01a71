"""The "Cadastre Cleaner" Processing provider: the list of its algorithms."""
from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .assign_codes import AssignCodesAlgorithm
from .check_topology import CheckTopologyAlgorithm
from .export_report import ExportReportAlgorithm
from .fix_topology import FixTopologyAlgorithm
from .load_sheets import LoadSheetsAlgorithm
from .number_parcels import NumberParcelsAlgorithm
from .reconcile_register import ReconcileRegisterAlgorithm
from .renumber_merger import RenumberMergerAlgorithm

ICON_PATH = str(Path(__file__).resolve().parent.parent / "resources" / "icon.svg")

ALGORITHMS = (
    LoadSheetsAlgorithm,
    ReconcileRegisterAlgorithm,
    CheckTopologyAlgorithm,
    FixTopologyAlgorithm,
    NumberParcelsAlgorithm,
    AssignCodesAlgorithm,
    ExportReportAlgorithm,
    RenumberMergerAlgorithm,
)


class CadastreCleanerProvider(QgsProcessingProvider):
    """Processing provider `cadastre_cleaner`."""

    def id(self) -> str:
        return "cadastre_cleaner"

    def name(self) -> str:
        return "Cadastre Cleaner"

    def longName(self) -> str:  # noqa: N802 (QGIS API)
        return self.tr("Cadastre Cleaner: checks for Vietnamese cadastral maps and registers")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def svgIconPath(self) -> str:  # noqa: N802 (QGIS API)
        return ICON_PATH

    def loadAlgorithms(self) -> None:  # noqa: N802 (QGIS API)
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())
