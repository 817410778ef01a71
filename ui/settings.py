"""User-level settings (QgsSettings, keys under "cadastre_cleaner/") and their small dialog.

Per-project choices (layers, fields, checks) live in the project instead: see
run_checks_dialog.py.
"""
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QDir
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

PREFIX = "cadastre_cleaner/"
TOLERANCE_FACTOR_KEY = PREFIX + "tolerance_factor"
DEFAULT_SCALE_KEY = PREFIX + "default_scale"
LAST_FOLDER_KEY = PREFIX + "last_folder"

DEFAULT_TOLERANCE_FACTOR = 0.0004   # ΔP = F × M × √P (core/register/reconcile.py's default)
SCALES = (200, 500, 1000, 2000, 5000, 10000)


def tolerance_factor() -> float:
    value = QgsSettings().value(TOLERANCE_FACTOR_KEY, DEFAULT_TOLERANCE_FACTOR)
    try:
        return float(value) if float(value) > 0 else DEFAULT_TOLERANCE_FACTOR
    except (TypeError, ValueError):
        return DEFAULT_TOLERANCE_FACTOR


def default_scale() -> int:
    """The map scale where the sheets don't say; 0 = the engine's own default (1:2000)."""
    try:
        value = int(QgsSettings().value(DEFAULT_SCALE_KEY, 0))
    except (TypeError, ValueError):
        return 0
    return value if value in SCALES else 0


def last_folder() -> str:
    return str(QgsSettings().value(LAST_FOLDER_KEY, "") or QDir.homePath())


def set_last_folder(folder: str) -> None:
    if folder:
        QgsSettings().setValue(LAST_FOLDER_KEY, folder)


def fill_scale_combo(combo: QComboBox, none_text: str) -> None:
    """Items: `none_text` (data 0), then 1:200 … 1:10000 (data = the denominator)."""
    combo.clear()
    combo.addItem(none_text, 0)
    for scale in SCALES:
        combo.addItem(f"1:{scale}", scale)


class SettingsDialog(QDialog):
    """Default area tolerance factor and default map scale."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CadastreCleanerSettingsDialog")
        self.setWindowTitle(self.tr("Cadastre Cleaner settings"))

        self.tolerance_factor = QDoubleSpinBox(self)
        self.tolerance_factor.setObjectName("toleranceFactor")
        self.tolerance_factor.setDecimals(5)
        self.tolerance_factor.setRange(0.00001, 0.01)
        self.tolerance_factor.setSingleStep(0.0001)
        self.tolerance_factor.setValue(tolerance_factor())
        self.tolerance_factor.setToolTip(self.tr(
            "Area tolerance ΔP = F × M × √P m² (M: the sheet's scale denominator, P: the area). "
            "Default 0.0004 (2 × 0.0002)."))

        self.default_scale = QComboBox(self)
        self.default_scale.setObjectName("defaultScale")
        fill_scale_combo(self.default_scale, self.tr("None (1:2000 where the sheets don't say)"))
        self.default_scale.setCurrentIndex(max(0, self.default_scale.findData(default_scale())))

        form = QFormLayout()
        form.addRow(self.tr("Area tolerance factor F"), self.tolerance_factor)
        form.addRow(self.tr("Default map scale"), self.default_scale)
        note = QLabel(self.tr("Used by Run checks unless a project says otherwise."), self)
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def tr(self, text: str) -> str:  # noqa: D102
        return QCoreApplication.translate("SettingsDialog", text)

    def accept(self) -> None:
        self.save()
        super().accept()

    def save(self) -> None:
        settings = QgsSettings()
        settings.setValue(TOLERANCE_FACTOR_KEY, float(self.tolerance_factor.value()))
        settings.setValue(DEFAULT_SCALE_KEY, int(self.default_scale.currentData() or 0))
