"""The "Run checks" dialog: choose the inputs, fields and checks, run them in the background.

Non-modal: the map stays usable while the check runs as a CheckTask in QGIS's task
manager. Choices are remembered per project (scope "cadastre_cleaner", keys
"run_checks/…"); user-level defaults come from QgsSettings (ui/settings.py). When a
run ends, the flags layer is added, styled, and `checksFinished(flags_path,
parcels_layer_id)` is emitted.
"""
import os
import re

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import InputError
from ..core.pipeline import CheckRequest
from . import settings
from .check_task import CheckTask
from .checks_tree import ChecksTree
from .compat import NO_GEOMETRY_LAYERS, POLYGON_GEOMETRY, POLYGON_LAYERS
from .field_mapping import FieldMappingTable
from .flags_layer import add_flags_layer

SCOPE = "cadastre_cleaner"      # project entries of this plugin
KEYS = {
    "parcels": "run_checks/parcels_layer",
    "register_layer": "run_checks/register_layer",
    "register_file": "run_checks/register_file",
    "sheets": "run_checks/sheets_layer",
    "fields": "run_checks/field_overrides",
    "checks_off": "run_checks/checks_off",
    "tolerance": "run_checks/tolerance_m",
    "scale": "run_checks/scale",
    "flags": "run_checks/flags_file",
    "report": "run_checks/report_file",
}
REGISTER_FILTER = "Register tables (*.xlsx *.xls *.xlsm *.ods *.csv *.txt);;All files (*)"


class RunChecksDialog(QDialog):
    """Inputs, field mapping, checks, options and outputs of one check run.

    Widgets (object names): parcelsLayer, registerLayer, registerFile, sheetsLayer,
    fieldMapping (combos field_<side>_<role>), checksTree, tolerance, scale, flagsFile,
    reportFile, progressBar, statusLabel, runButton, cancelButton, closeButton.
    """

    checksFinished = pyqtSignal(str, str)  # flags GeoPackage, parcel layer id  # noqa: N815

    def __init__(self, iface, parent=None, project: QgsProject | None = None):
        super().__init__(parent)
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.task: CheckTask | None = None
        self.last_summary = None
        self.last_message = ""
        self._run_parcels_id = ""
        self._flags_path_chosen = False   # True once the user (or the project) named the file
        self._setting_flags_path = False
        self._register_header_cache: dict = {}
        self._register_problem = ""
        self.setObjectName("CadastreCleanerRunChecksDialog")
        self.setWindowTitle(self.tr("Cadastre Cleaner — Run checks"))
        self.setModal(False)
        self._build()
        self._connect_inputs()
        self.restore_from_project()

    def tr(self, text: str) -> str:  # noqa: D102
        return QCoreApplication.translate("RunChecksDialog", text)

    # -- building -------------------------------------------------------------------

    def _build(self) -> None:
        self.parcels_layer = QgsMapLayerComboBox(self)
        self.parcels_layer.setObjectName("parcelsLayer")
        self.parcels_layer.setFilters(POLYGON_LAYERS)
        self.parcels_layer.setToolTip(self.tr("The parcel map (thửa đất): a polygon layer"))

        self.register_layer = QgsMapLayerComboBox(self)
        self.register_layer.setObjectName("registerLayer")
        self.register_layer.setFilters(NO_GEOMETRY_LAYERS)
        self.register_layer.setAllowEmptyLayer(True, self.tr("(none: use a file, or no register)"))
        self.register_layer.setLayer(None)
        self.register_layer.setToolTip(self.tr("The land register (sổ mục kê) as a table of the project"))

        self.register_file = QgsFileWidget(self)
        self.register_file.setObjectName("registerFile")
        self.register_file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.register_file.setFilter(self.tr(REGISTER_FILTER))
        self.register_file.setDialogTitle(self.tr("Register table"))
        self.register_file.setToolTip(self.tr("…or the register as a file: XLSX, XLS, ODS or CSV. "
                                              "Leave both empty to check the map alone."))

        self.sheets_layer = QgsMapLayerComboBox(self)
        self.sheets_layer.setObjectName("sheetsLayer")
        self.sheets_layer.setFilters(POLYGON_LAYERS)
        self.sheets_layer.setAllowEmptyLayer(True, self.tr("(none)"))
        self.sheets_layer.setLayer(None)
        self.sheets_layer.setToolTip(self.tr("Sheet frames (tờ bản đồ), optional: sheet numbers by "
                                             "location and each sheet's scale"))

        inputs = QGroupBox(self.tr("Inputs"), self)
        form = QFormLayout(inputs)
        form.addRow(self.tr("Parcels"), self.parcels_layer)
        form.addRow(self.tr("Register (layer)"), self.register_layer)
        form.addRow(self.tr("Register (file)"), self.register_file)
        form.addRow(self.tr("Sheets"), self.sheets_layer)

        self.field_mapping = FieldMappingTable(self)
        self.field_problems = QLabel(self)
        self.field_problems.setObjectName("fieldProblems")
        self.field_problems.setWordWrap(True)
        self.field_problems.setStyleSheet("color: #d7191c")
        fields_box = QGroupBox(self.tr("Fields"), self)
        fields_layout = QVBoxLayout(fields_box)
        fields_layout.addWidget(self.field_mapping)
        fields_layout.addWidget(self.field_problems)

        self.checks_tree = ChecksTree(self)
        checks_box = QGroupBox(self.tr("Checks"), self)
        QVBoxLayout(checks_box).addWidget(self.checks_tree)

        self.tolerance = QDoubleSpinBox(self)
        self.tolerance.setObjectName("tolerance")
        self.tolerance.setRange(0.0, 50.0)
        self.tolerance.setDecimals(2)
        self.tolerance.setSingleStep(0.05)
        self.tolerance.setSuffix(" m")
        self.tolerance.setSpecialValueText(self.tr("By each sheet's scale"))
        self.tolerance.setToolTip(self.tr("Positional tolerance of the topology checks; 0 = by "
                                          "scale (0.15 m at 1:1000, 0.30 m at 1:2000, …)"))
        self.scale = QComboBox(self)
        self.scale.setObjectName("scale")
        settings.fill_scale_combo(self.scale, self.tr("From the sheets (else 1:2000)"))
        self.scale.setToolTip(self.tr("The map scale where the sheets don't give it"))

        self.flags_file = QgsFileWidget(self)
        self.flags_file.setObjectName("flagsFile")
        self.flags_file.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.flags_file.setFilter(self.tr("GeoPackage (*.gpkg)"))
        self.flags_file.setConfirmOverwrite(False)  # a re-run updates it, keeping reviews
        self.flags_file.setDialogTitle(self.tr("Flags file"))
        self.flags_file.setToolTip(self.tr("Created on the first run; later runs update it and keep "
                                           "the reviewers' status and comments"))
        self.report_file = QgsFileWidget(self)
        self.report_file.setObjectName("reportFile")
        self.report_file.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.report_file.setFilter(self.tr("Excel workbook (*.xlsx)"))
        self.report_file.setDialogTitle(self.tr("Report"))
        self.report_file.setToolTip(self.tr("Optional: flags, per-sheet summary and counts as XLSX"))

        options = QGroupBox(self.tr("Options and output"), self)
        options_form = QFormLayout(options)
        options_form.addRow(self.tr("Tolerance"), self.tolerance)
        options_form.addRow(self.tr("Map scale"), self.scale)
        options_form.addRow(self.tr("Flags file"), self.flags_file)
        options_form.addRow(self.tr("Report (optional)"), self.report_file)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.run_button = QPushButton(self.tr("Run"), self)
        self.run_button.setObjectName("runButton")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip(self.tr("Stop the running check; nothing is written"))
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setToolTip(self.tr("Close this window; a running check goes on"))
        self.buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(inputs)
        left_layout.addWidget(fields_box, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(checks_box, 1)
        right_layout.addWidget(options)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 380])

        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_bar, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(bottom)
        self.resize(980, 640)

    def _connect_inputs(self) -> None:
        self.parcels_layer.layerChanged.connect(self._parcels_changed)
        self.register_layer.layerChanged.connect(self._register_layer_changed)
        self.register_file.fileChanged.connect(self._register_file_changed)
        self.sheets_layer.layerChanged.connect(self._sheets_changed)
        self.flags_file.fileChanged.connect(self._flags_file_changed)
        self.field_mapping.mappingChanged.connect(self._show_field_problems)
        self.run_button.clicked.connect(self.run_checks)
        self.cancel_button.clicked.connect(self.cancel_checks)
        self.close_button.clicked.connect(self.reject)
        for widget in (self.register_file, self.flags_file, self.report_file):
            widget.fileChanged.connect(self._remember_folder)

    # -- inputs ---------------------------------------------------------------------

    def _parcels_changed(self, layer) -> None:
        self.field_mapping.set_columns("map", _field_names(layer))
        if not self._flags_path_chosen:
            self._set_flags_path(self.default_flags_path())
        self._show_field_problems()

    def _register_layer_changed(self, layer) -> None:
        if layer is not None and self.register_file.filePath():
            self.register_file.setFilePath("")   # one register: the layer wins
        self._update_register_columns()

    def _register_file_changed(self, path: str) -> None:
        if path and self.register_layer.currentLayer() is not None:
            self.register_layer.setLayer(None)   # one register: the file wins
        self._update_register_columns()

    def _sheets_changed(self, layer) -> None:
        self.field_mapping.set_columns("sheets", _field_names(layer))
        self._show_field_problems()

    def _update_register_columns(self) -> None:
        layer = self.register_layer.currentLayer()
        path = self.register_file.filePath().strip()
        self._register_problem = ""
        columns = None
        if layer is not None:
            columns = _field_names(layer)
        elif path and os.path.isfile(path):
            columns = self._register_header(path)
        self.field_mapping.set_columns("register", columns)
        self.checks_tree.set_register_available(layer is not None or bool(path))
        self._show_field_problems()

    def _register_header(self, path: str) -> list | None:
        """The register file's columns, read from its first rows (cached per file version)."""
        key = (os.path.abspath(path), os.path.getmtime(path), os.path.getsize(path))
        if key not in self._register_header_cache:
            from ..core.loading.tables import read_table_header  # pandas/openpyxl only when needed
            try:
                self._register_header_cache[key] = (read_table_header(path), "")
            except InputError as err:
                self._register_header_cache[key] = (None, err.one_line())
            except Exception as err:  # noqa: BLE001 — any unreadable file: say so, don't raise
                self._register_header_cache[key] = (None, f"{path}: {err}")
        columns, problem = self._register_header_cache[key]
        self._register_problem = problem
        return columns

    def _show_field_problems(self) -> None:
        problems = self.field_mapping.problems()
        if getattr(self, "_register_problem", ""):
            problems.insert(0, self._register_problem)
        self.field_problems.setText("\n".join(problems))
        self.field_problems.setVisible(bool(problems))

    # -- output paths ---------------------------------------------------------------

    def default_flags_path(self) -> str:
        """`<parcel layer name>_flags.gpkg` next to the project, else next to the layer's file."""
        layer = self.parcels_layer.currentLayer()
        if layer is None:
            return ""
        name = re.sub(r"[^\w.-]+", "_", layer.name()).strip("_") or "parcels"
        folder = self.project.absolutePath() or _layer_folder(layer) or settings.last_folder()
        return os.path.join(folder, f"{name}_flags.gpkg")

    def _set_flags_path(self, path: str) -> None:
        self._setting_flags_path = True
        try:
            self.flags_file.setFilePath(path)
        finally:
            self._setting_flags_path = False

    def _flags_file_changed(self, _path: str) -> None:
        if not self._setting_flags_path:
            self._flags_path_chosen = True

    def _remember_folder(self, path: str) -> None:
        folder = os.path.dirname(path) if path else ""
        if folder and os.path.isdir(folder):
            settings.set_last_folder(folder)
            for widget in (self.register_file, self.flags_file, self.report_file):
                widget.setDefaultRoot(folder)

    # -- per-project memory ---------------------------------------------------------

    def save_to_project(self) -> None:
        """Write the current choices into the project (saved with it)."""
        p = self.project

        def layer_id(combo):
            layer = combo.currentLayer()
            return layer.id() if layer is not None else ""

        p.writeEntry(SCOPE, KEYS["parcels"], layer_id(self.parcels_layer))
        p.writeEntry(SCOPE, KEYS["register_layer"], layer_id(self.register_layer))
        p.writeEntry(SCOPE, KEYS["register_file"], _project_path(p, self.register_file.filePath()))
        p.writeEntry(SCOPE, KEYS["sheets"], layer_id(self.sheets_layer))
        p.writeEntry(SCOPE, KEYS["fields"],
                     [f"{k}={v}" for k, v in sorted(self.field_mapping.overrides().items())])
        p.writeEntry(SCOPE, KEYS["checks_off"], self.checks_tree.unchecked())
        p.writeEntry(SCOPE, KEYS["tolerance"], repr(float(self.tolerance.value())))
        p.writeEntry(SCOPE, KEYS["scale"], str(int(self.scale.currentData() or 0)))
        p.writeEntry(SCOPE, KEYS["flags"],
                     _project_path(p, self.flags_file.filePath()) if self._flags_path_chosen else "")
        p.writeEntry(SCOPE, KEYS["report"], _project_path(p, self.report_file.filePath()))

    def restore_from_project(self) -> None:
        """Set every widget from the project's entries; user defaults where there are none."""
        p = self.project

        def entry(key: str) -> str:
            value, ok = p.readEntry(SCOPE, KEYS[key], "")
            return value if ok else ""

        folder = settings.last_folder()
        for widget in (self.register_file, self.flags_file, self.report_file):
            widget.setDefaultRoot(folder)

        first_time = not entry("parcels")
        parcels = p.mapLayer(entry("parcels"))
        if first_time:
            parcels = _layer_named(p, ("parcels", "thuadat", "thua")) or self.parcels_layer.currentLayer()
        if isinstance(parcels, QgsVectorLayer):
            self.parcels_layer.setLayer(parcels)
        register = p.mapLayer(entry("register_layer"))
        self.register_layer.setLayer(register if isinstance(register, QgsVectorLayer) else None)
        register_file = entry("register_file")
        self.register_file.setFilePath(_absolute_path(p, register_file) if register_file and register is None
                                       else "")
        sheets = p.mapLayer(entry("sheets"))
        if first_time:
            sheets = _layer_named(p, ("sheets", "tobando", "khung"))
        self.sheets_layer.setLayer(sheets if isinstance(sheets, QgsVectorLayer) else None)
        # Every input has been set, which may have fired nothing (same layer as before).
        self.field_mapping.set_columns("map", _field_names(self.parcels_layer.currentLayer()))
        self.field_mapping.set_columns("sheets", _field_names(self.sheets_layer.currentLayer()))
        self._update_register_columns()

        fields, _ok = p.readListEntry(SCOPE, KEYS["fields"], [])
        self.field_mapping.set_overrides(dict(item.split("=", 1) for item in fields if "=" in item))
        checks_off, _ok = p.readListEntry(SCOPE, KEYS["checks_off"], [])
        self.checks_tree.set_unchecked(checks_off)
        self.tolerance.setValue(_float(entry("tolerance"), 0.0))
        scale = int(_float(entry("scale"), settings.default_scale())) if entry("scale") \
            else settings.default_scale()
        self.scale.setCurrentIndex(max(0, self.scale.findData(scale)))
        flags = entry("flags")
        if flags:
            self._set_flags_path(_absolute_path(p, flags))
            self._flags_path_chosen = True
        else:
            self._flags_path_chosen = False
            self._set_flags_path(self.default_flags_path())
        report = entry("report")
        self.report_file.setFilePath(_absolute_path(p, report) if report else "")
        self._show_field_problems()

    # -- running --------------------------------------------------------------------

    def is_running(self) -> bool:
        return self.task is not None

    def build_request(self) -> CheckRequest:
        """A CheckRequest from the widgets. Project layers become OGR sources here, on the
        main thread (memory or filtered layers are copied to a GeoPackage).

        Raises InputError with a one-line message when something is missing.
        """
        from ..processing_provider.layer_sources import ogr_source_for

        parcels = self.parcels_layer.currentLayer()
        if parcels is None:
            raise InputError(self.tr("choose a parcel layer"))
        out = self.flags_file.filePath().strip()
        if not out:
            raise InputError(self.tr("choose where to write the flags (a .gpkg file)"))
        if not out.lower().endswith(".gpkg"):
            out += ".gpkg"
        problems = self.field_mapping.problems()
        if problems:
            raise InputError(problems[0], fix=self.tr("choose the field in the Fields table"))
        checks = self.checks_tree.request_checks()
        if checks == []:
            raise InputError(self.tr("no check is ticked"), fix=self.tr("tick at least one check"))

        context = QgsProcessingContext()
        context.setProject(self.project)

        def source(layer) -> str:
            try:
                return ogr_source_for(layer, context, None)
            except QgsProcessingException as err:
                raise InputError(str(err)) from None

        register_layer = self.register_layer.currentLayer()
        register_file = self.register_file.filePath().strip()
        register = source(register_layer) if register_layer is not None else (register_file or None)
        if register and register_layer is None and not os.path.isfile(register):
            raise InputError(self.tr("register file not found"), register, fix=self.tr("check the path"))
        sheets = self.sheets_layer.currentLayer()
        report = self.report_file.filePath().strip() or None
        if report and not report.lower().endswith(".xlsx"):
            report += ".xlsx"
        tolerance = float(self.tolerance.value())
        return CheckRequest(
            parcels=source(parcels), out=out, register=register,
            sheets=source(sheets) if sheets is not None else None, report=report,
            field_overrides=self.field_mapping.overrides(),
            scale=int(self.scale.currentData() or 0) or None,
            tolerance_factor=settings.tolerance_factor(),
            checks=checks, tolerance_m=tolerance if tolerance > 0 else None)

    def run_checks(self) -> CheckTask | None:
        """Start a check in the task manager; returns the task (None if it could not start)."""
        if self.task is not None:
            return None
        self.save_to_project()
        try:
            request = self.build_request()
        except InputError as err:
            self._report(err.one_line(), Qgis.MessageLevel.Critical)
            return None
        parcels = self.parcels_layer.currentLayer()
        self._run_parcels_id = parcels.id() if parcels is not None else ""
        task = CheckTask(request, self.tr("Cadastre Cleaner: checking {layer}").format(
            layer=parcels.name() if parcels is not None else ""))
        task.progressChanged.connect(self._task_progress)
        task.checkFinished.connect(self._task_finished)
        task.checkFailed.connect(self._task_failed)
        task.checkCancelled.connect(self._task_cancelled)
        self.task = task   # the Python object must outlive the C++ task's run
        self._set_running(True)
        self.status_label.setText(self.tr("Checking…"))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_checks(self) -> None:
        if self.task is not None:
            self.status_label.setText(self.tr("Cancelling…"))
            self.task.cancel()

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setValue(0)

    def _task_progress(self, percent: float) -> None:
        self.progress_bar.setValue(int(percent))

    def _task_finished(self, summary) -> None:
        counts = self.task.severity_counts if self.task is not None else {}
        self._task_done()
        self.last_summary = summary
        self.progress_bar.setValue(100)
        layer = add_flags_layer(summary.out, self.project)
        text = self.tr("{errors} errors, {warnings} warnings, {info} info on {parcels} parcels "
                       "({matched} matched with {rows} register rows). Flags: {path}").format(
            errors=counts.get("error", 0), warnings=counts.get("warning", 0),
            info=counts.get("info", 0), parcels=summary.parcels, matched=summary.matched,
            rows=summary.register_rows, path=summary.out)
        if not layer.isValid():
            text += " " + self.tr("(the flags layer could not be loaded)")
        level = Qgis.MessageLevel.Success if not (counts.get("error") or counts.get("warning")) \
            else Qgis.MessageLevel.Info
        self._report(text, level, title=self.tr("Checks finished"))
        self.checksFinished.emit(summary.out, self._run_parcels_id)

    def _task_failed(self, message: str) -> None:
        self._task_done()
        self._report(message, Qgis.MessageLevel.Critical)

    def _task_cancelled(self) -> None:
        self._task_done()
        self._report(CheckTask.cancelled_message(), Qgis.MessageLevel.Info)

    def _task_done(self) -> None:
        self.task = None
        self._set_running(False)

    def _report(self, text: str, level, title: str | None = None) -> None:
        """One line in the dialog and on the QGIS message bar."""
        self.last_message = text
        self.status_label.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(title or self.tr("Cadastre Cleaner"), text, level,
                                                10 if level != Qgis.MessageLevel.Critical else 0)

    # -- closing --------------------------------------------------------------------

    def reject(self) -> None:
        self.save_to_project()
        super().reject()

    def shutdown(self) -> None:
        """Before the plugin unloads: stop listening to a running task and cancel it."""
        task, self.task = self.task, None
        if task is not None:
            for signal, slot in ((task.progressChanged, self._task_progress),
                                 (task.checkFinished, self._task_finished),
                                 (task.checkFailed, self._task_failed),
                                 (task.checkCancelled, self._task_cancelled)):
                try:
                    signal.disconnect(slot)
                except (TypeError, RuntimeError):
                    pass
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass


def _field_names(layer) -> list | None:
    if not isinstance(layer, QgsVectorLayer):
        return None
    return [f.name() for f in layer.fields()]


def _layer_named(project: QgsProject, names) -> QgsVectorLayer | None:
    """A polygon layer of the project whose name is one of `names` (case, accents and
    punctuation ignored), for a sensible first choice."""
    from ..core.register.fields import fold

    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.geometryType() == POLYGON_GEOMETRY \
                and fold(layer.name()) in names:
            return layer
    return None


def _layer_folder(layer) -> str:
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") or ""
    return os.path.dirname(path) if path and os.path.exists(path) else ""


def _project_path(project: QgsProject, path: str) -> str:
    """Relative to the project when the project stores relative paths."""
    return project.writePath(path) if path else ""


def _absolute_path(project: QgsProject, stored: str) -> str:
    return project.readPath(stored) if stored else ""


def _float(text: str, default: float) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return default
