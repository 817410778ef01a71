"""Parcel codes dock (issue #6): parcel numbering, identification codes and cleaning progress.

Tabs:
  Numbering               zig-zag numbers per sheet (core.codes.numbering): preview as labels on
                          the map and a table old → new, apply in the edit buffer as one
                          undo step, renumbering table written to a CSV;
  Identification codes    GeoHash codes (core.codes.identification) written into a field as one
                          undo step, with duplicate and stale counts (check_codes);
  Progress                per commune and per sheet, the newest run's figures from the
                          flags file's sheet_summary, and clean % over the runs.
  Merger                  the 2025 merger's sheet reference table: built, or imported (the
                          national system's table, its bad rows listed as findings); a
                          preview with counts per commune, a confirmation, then the parcel
                          and sheet frame layers each renumbered in one undo step
                          (ui/merger_national.py), a register copy and a change table CSV.

Nothing reaches the source until the user saves the layer; Ctrl+Z undoes each apply.
"""
import csv
import os
from datetime import datetime

import numpy as np
import shapely
from qgis.core import (Qgis, QgsFeature, QgsField, QgsGeometry, QgsPalLayerSettings, QgsPointXY,
                       QgsProject, QgsVectorLayer, QgsVectorLayerSimpleLabeling)
from qgis.gui import QgsDockWidget, QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, QPointF, QRectF, Qt, QVariant
from qgis.PyQt.QtGui import QColor, QPainter, QPen
from qgis.PyQt.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                                 QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                                 QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget,
                                 QVBoxLayout, QWidget)

from ..core.errors import InputError
from ..core.register.fields import MAP_ROLES, map_fields
from ..core.flags.flagset import FlagSet
from ..core.codes.merger import OLD_COMMUNE_FIELD, OLD_SHEET_FIELD, REFERENCE_COLUMNS, load_sheet_reference
from ..core.codes.merger import apply_merger as merger_apply
from ..core.codes.merger import sheet_reference
from ..core.codes.merger_table import is_national_table, read_merger_table, table_from_reference
from . import merger_national
from .compat import POLYGON_LAYERS
from ..core.codes.numbering import MODES, TABLE_COLUMNS, NumberingResult, number_parcels, parse_numbers
from ..core.codes.identification import CODE_LENGTH, DEFAULT_CODE_FIELD, RULES, assign_codes, check_codes
from ..core.flags.history import clean_history, newest_figures, read_sheet_summary
from ..core.reference.sheet_grid import SHEET_SIZE_M

TAG = "Cadastre Cleaner"
DEFAULT_OLD_NUMBER_FIELD = "SHTHUA_CU"
PREVIEW_LAYER_NAME = "Preview numbers"
SCALES = (1000, 200, 500, 2000, 5000, 10000)
MAX_TABLE_ROWS = 5000           # rows shown in the changes table (the CSV has them all)

if hasattr(QVariant, "String"):     # Qt 5 / QGIS 3
    _STRING, _INT = QVariant.String, QVariant.Int
else:                               # Qt 6 / QGIS 4
    from qgis.PyQt.QtCore import QMetaType
    _STRING, _INT = QMetaType.Type.QString, QMetaType.Type.Int

try:
    _ON_POINT = Qgis.LabelPlacement.OverPoint
except AttributeError:
    _ON_POINT = QgsPalLayerSettings.OverPoint


class CodesDock(QgsDockWidget):
    """Numbering, identification codes and progress for one parcel layer."""

    OBJECT_NAME = "CadastreCleanerCodesDock"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(self.tr("Parcel codes"))
        self.layer: QgsVectorLayer | None = None
        self.preview_layer: QgsVectorLayer | None = None
        self.last_result: NumberingResult | None = None
        self.last_fids: np.ndarray | None = None
        self.last_csv: str | None = None
        self.last_merger_csv: str | None = None
        self.last_check: dict = {}
        self.flags_path: str | None = None
        self.progress = None
        self.history = None
        self._build()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("CodesDock", text)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        self.layer_label = QLabel(self.tr("No parcel layer"), body)
        self.layer_label.setObjectName("codesLayerLabel")
        outer.addWidget(self.layer_label)
        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("codesTabs")
        self.tabs.addTab(self._build_numbering(), self.tr("Numbering"))
        self.tabs.addTab(self._build_codes(), self.tr("Identification codes"))
        self.tabs.addTab(self._build_progress(), self.tr("Progress"))
        self.tabs.addTab(self._build_merger_tab(), self.tr("Merger"))
        outer.addWidget(self.tabs, 1)
        self.setWidget(body)

    def _button(self, parent, name: str, text: str, slot) -> QPushButton:
        b = QPushButton(text, parent)
        b.setObjectName(name)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build_numbering(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("codesNumberingPage")
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.sheet_field = QgsFieldComboBox(page)
        self.sheet_field.setObjectName("codesSheetField")
        self.number_field = QgsFieldComboBox(page)
        self.number_field.setObjectName("codesNumberField")
        self.old_number_field = QLineEdit(DEFAULT_OLD_NUMBER_FIELD, page)
        self.old_number_field.setObjectName("codesOldNumberField")
        self.mode_combo = QComboBox(page)
        self.mode_combo.setObjectName("codesMode")
        for mode, text in zip(MODES, (self.tr("Fill missing numbers"), self.tr("Renumber all"),
                                      self.tr("After a split or merge"))):
            self.mode_combo.addItem(text, mode)
        self.scale_combo = QComboBox(page)
        self.scale_combo.setObjectName("codesScale")
        for s in SCALES:
            self.scale_combo.addItem(f"1:{s}", s)
        self.band_spin = QDoubleSpinBox(page)
        self.band_spin.setObjectName("codesBandHeight")
        self.band_spin.setRange(0.0, 10000.0)
        self.band_spin.setDecimals(1)
        self.band_spin.setSuffix(" m")
        self.band_spin.setSpecialValueText(self.tr("By scale"))
        self.band_spin.setToolTip(self.tr("Band height in metres; 0: a tenth of the sheet side "
                                          "at the chosen scale"))
        self.start_spin = QSpinBox(page)
        self.start_spin.setObjectName("codesStart")
        self.start_spin.setRange(1, 10_000_000)
        form.addRow(self.tr("Sheet field"), self.sheet_field)
        form.addRow(self.tr("Number field"), self.number_field)
        form.addRow(self.tr("Old-number field"), self.old_number_field)
        form.addRow(self.tr("Mode"), self.mode_combo)
        form.addRow(self.tr("Scale"), self.scale_combo)
        form.addRow(self.tr("Band height"), self.band_spin)
        form.addRow(self.tr("First number"), self.start_spin)
        layout.addLayout(form)
        self.sheet_list = QListWidget(page)
        self.sheet_list.setObjectName("codesSheetList")
        self.sheet_list.setToolTip(self.tr("Sheets to number (checked)"))
        layout.addWidget(QLabel(self.tr("Sheets"), page))
        layout.addWidget(self.sheet_list, 1)
        checks = QHBoxLayout()
        checks.addWidget(self._button(page, "codesCheckAllSheets", self.tr("All"),
                                      lambda: self.check_sheets(None)))
        checks.addWidget(self._button(page, "codesCheckNoSheets", self.tr("None"),
                                      lambda: self.check_sheets([])))
        layout.addLayout(checks)
        buttons = QHBoxLayout()
        self.preview_button = self._button(page, "codesPreview", self.tr("Preview"), self.preview)
        self.apply_button = self._button(page, "codesApply", self.tr("Apply"), self.apply)
        self.clear_button = self._button(page, "codesClearPreview", self.tr("Clear preview"),
                                         self.clear_preview)
        for b in (self.preview_button, self.apply_button, self.clear_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.numbering_summary = QLabel(page)
        self.numbering_summary.setObjectName("codesNumberingSummary")
        self.numbering_summary.setWordWrap(True)
        layout.addWidget(self.numbering_summary)
        self.changes_table = QTableWidget(0, 3, page)
        self.changes_table.setObjectName("codesChangesTable")
        self.changes_table.setHorizontalHeaderLabels([self.tr("Sheet"), self.tr("Old number"),
                                                      self.tr("New number")])
        self._table_look(self.changes_table)
        layout.addWidget(self.changes_table, 2)
        return page

    def _build_codes(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("codesIdentPage")
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.code_field = QLineEdit(DEFAULT_CODE_FIELD, page)
        self.code_field.setObjectName("codesCodeField")
        self.rule_combo = QComboBox(page)
        self.rule_combo.setObjectName("codesPointRule")
        for rule, text in zip(RULES, (self.tr("Inner point"), self.tr("Centroid when inside"))):
            self.rule_combo.addItem(text, rule)
        form.addRow(self.tr("Code field"), self.code_field)
        form.addRow(self.tr("Point rule"), self.rule_combo)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.assign_button = self._button(page, "codesAssign", self.tr("Assign codes"), self.assign)
        self.check_button = self._button(page, "codesCheck", self.tr("Check codes"), self.check)
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.check_button)
        layout.addLayout(buttons)
        self.codes_summary = QLabel(page)
        self.codes_summary.setObjectName("codesCheckSummary")
        self.codes_summary.setWordWrap(True)
        layout.addWidget(self.codes_summary)
        layout.addStretch(1)
        return page

    def _build_progress(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("codesProgressPage")
        layout = QVBoxLayout(page)
        self.flags_file = QgsFileWidget(page)
        self.flags_file.setObjectName("codesFlagsFile")
        self.flags_file.setFilter(self.tr("Flags file (*.gpkg)"))
        self.flags_file.fileChanged.connect(lambda path: self.load_progress(path) if path else None)
        layout.addWidget(self.flags_file)
        self.progress_table = QTableWidget(0, 9, page)
        self.progress_table.setObjectName("codesProgressTable")
        self.progress_table.setHorizontalHeaderLabels(
            [self.tr("Commune"), self.tr("Sheet"), self.tr("Parcels"), self.tr("Matched"),
             self.tr("Flagged"), self.tr("Open errors"), self.tr("Reviewed"), self.tr("Clean"),
             self.tr("Clean %")])
        self._table_look(self.progress_table)
        layout.addWidget(self.progress_table, 2)
        self.chart = CleanChart(page)
        self.chart.setObjectName("codesProgressChart")
        self.chart.title = self.tr("Clean % over runs")
        self.chart.empty_text = self.tr("No runs")
        layout.addWidget(self.chart, 1)
        return page

    @staticmethod
    def _table_look(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    # -- layer ----------------------------------------------------------------------------

    def set_layer(self, parcels_layer: QgsVectorLayer | None) -> None:
        """The parcel layer to work on; fields are found by name, the sheets listed."""
        self.clear_preview()
        if self.layer is not None:
            try:
                self.layer.willBeDeleted.disconnect(self._layer_gone)
            except (TypeError, RuntimeError):
                pass
        self.layer = parcels_layer
        self.sheet_field.setLayer(parcels_layer)
        self.number_field.setLayer(parcels_layer)
        self.sheet_list.clear()
        if parcels_layer is None:
            self.layer_label.setText(self.tr("No parcel layer"))
            return
        parcels_layer.willBeDeleted.connect(self._layer_gone)
        self.layer_label.setText(self.tr("Parcel layer: {0}").format(parcels_layer.name()))
        names = parcels_layer.fields().names()
        try:
            mapping = map_fields(names, "map", MAP_ROLES)
            self.sheet_field.setField(mapping.get("sheet"))
            self.number_field.setField(mapping.get("parcel"))
        except InputError:
            pass
        self.refresh_sheets()

    def _layer_gone(self) -> None:
        self.layer = None
        self.clear_preview()
        self.sheet_field.setLayer(None)
        self.number_field.setLayer(None)
        self.sheet_list.clear()
        self.layer_label.setText(self.tr("No parcel layer"))

    def refresh_sheets(self) -> None:
        """List the sheet values of the layer, all checked."""
        self.sheet_list.clear()
        if self.layer is None or not self.sheet_field.currentField():
            return
        index = self.layer.fields().indexOf(self.sheet_field.currentField())
        values = {_text(v) for v in self.layer.uniqueValues(index)}
        for value in sorted(values, key=_natural):
            item = QListWidgetItem(value or self.tr("(no sheet)"), self.sheet_list)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)

    def check_sheets(self, sheets) -> None:
        """Check exactly `sheets` (None: all)."""
        wanted = None if sheets is None else {str(s) for s in sheets}
        for i in range(self.sheet_list.count()):
            item = self.sheet_list.item(i)
            on = wanted is None or item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked_sheets(self) -> list[str]:
        return [self.sheet_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.sheet_list.count())
                if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked]

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))

    def band_height(self) -> float:
        """The band height in metres: the spin box, else a tenth of the sheet side by scale."""
        value = self.band_spin.value()
        if value > 0:
            return float(value)
        return SHEET_SIZE_M[int(self.scale_combo.currentData())] * 0.1

    def _read(self, names):
        """fids, shapely geometries and the values of fields `names` of the layer's features
        (edit buffer included)."""
        layer = self.layer
        idx = [layer.fields().indexOf(n) for n in names]
        fids, wkb, values = [], [], [[] for _ in names]
        for f in layer.getFeatures():
            fids.append(f.id())
            g = f.geometry()
            wkb.append(None if g is None or g.isNull() else bytes(g.asWkb()))
            attrs = f.attributes()
            for k, i in enumerate(idx):
                values[k].append(_value(attrs[i]) if i >= 0 else None)
        geoms = shapely.from_wkb(np.array(wkb, dtype=object)) if wkb else np.zeros(0, dtype=object)
        return (np.asarray(fids, dtype=np.int64), np.asarray(geoms, dtype=object),
                [np.asarray(v, dtype=object) for v in values])

    # -- numbering ------------------------------------------------------------------------

    def compute_numbers(self) -> NumberingResult:
        """Numbers by the dock's settings on the layer's current features (nothing changes)."""
        if self.layer is None:
            raise InputError("no parcel layer", fix="choose the parcel layer first")
        sheet_f, number_f = self.sheet_field.currentField(), self.number_field.currentField()
        if not sheet_f or not number_f:
            raise InputError("choose the sheet and number fields")
        fids, geoms, (sheets, numbers) = self._read([sheet_f, number_f])
        result = number_parcels(geoms, sheets, numbers, self.mode_combo.currentData(),
                                band_height=self.band_height(), start=self.start_spin.value(),
                                fids=fids, sheets_to_number=self.checked_sheets())
        self.last_result, self.last_fids = result, fids
        self._geoms = geoms
        return result

    def preview(self) -> NumberingResult | None:
        """Compute the numbers; show them as labels on the map and as a table old → new."""
        try:
            result = self.compute_numbers()
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return None
        self._show_changes(result)
        self._show_preview_layer(result)
        return result

    def _show_changes(self, result: NumberingResult) -> None:
        table = result.table
        shown = table.head(MAX_TABLE_ROWS)
        self.changes_table.setRowCount(0)
        self.changes_table.setRowCount(len(shown))
        for r, row in enumerate(shown.itertuples(index=False)):
            for c, value in enumerate((row.sheet, row.old_number, row.new_number)):
                self.changes_table.setItem(r, c, QTableWidgetItem(str(value)))
        counts = result.counts
        text = self.tr("{0} parcels numbered on {1} sheets, {2} numbers change").format(
            counts.get("numbered", 0), counts.get("sheets", 0), counts.get("changed", 0))
        if len(table) > MAX_TABLE_ROWS:
            text += " " + self.tr("(first {0} shown)").format(MAX_TABLE_ROWS)
        self.numbering_summary.setText(text)

    def _show_preview_layer(self, result: NumberingResult) -> None:
        self._remove_preview_layer()
        crs = self.layer.crs().authid() or "EPSG:4326"
        layer = QgsVectorLayer(f"Point?crs={crs}&field=fid:integer&field=old:string(20)"
                               f"&field=new:integer", self.tr("Preview numbers"), "memory")
        if not self.layer.crs().authid():
            layer.setCrs(self.layer.crs())
        target = np.flatnonzero(result.changed)
        pts = shapely.point_on_surface(self._geoms[target]) if len(target) else []
        feats = []
        for i, p in zip(target, pts):
            f = QgsFeature(layer.fields())
            f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(shapely.get_x(p), shapely.get_y(p))))
            f.setAttributes([int(self.last_fids[i]), str(result.old_numbers[i]), int(result.numbers[i])])
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        layer.updateExtents()
        settings = QgsPalLayerSettings()
        settings.fieldName = "new"
        settings.placement = _ON_POINT
        fmt = settings.format()
        fmt.setColor(QColor(200, 0, 0))
        settings.setFormat(fmt)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)
        layer.renderer().symbol().setSize(1.0)
        QgsProject.instance().addMapLayer(layer)
        self.preview_layer = layer
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is not None:
            canvas.refresh()

    def _remove_preview_layer(self) -> None:
        layer, self.preview_layer = self.preview_layer, None
        if layer is None:
            return
        try:
            layer_id = layer.id()
        except RuntimeError:        # already deleted with the project
            return
        if QgsProject.instance().mapLayer(layer_id) is not None:
            QgsProject.instance().removeMapLayer(layer_id)

    def clear_preview(self) -> None:
        """Remove the preview labels and the table of changes."""
        self._remove_preview_layer()
        self.changes_table.setRowCount(0)
        self.numbering_summary.clear()

    def apply(self, csv_path: str | None = None) -> int:
        """Write the numbers (recomputed on the current features) into the edit buffer as one
        undo step, the previous numbers into the old-number field, and the renumbering table
        to `csv_path` (None: next to the project, else next to the layer). Returns the number
        of parcels changed."""
        try:
            result = self.compute_numbers()
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return 0
        layer = self.layer
        changed = np.flatnonzero(result.changed)
        if not len(changed):
            self.clear_preview()
            self._message(self.tr("No number changes"), info=True)
            return 0
        if not layer.isEditable() and not layer.startEditing():
            self._message(self.tr("The layer {0} cannot be edited").format(layer.name()))
            return 0
        number_f = self.number_field.currentField()
        old_f = self.old_number_field.text().strip() or DEFAULT_OLD_NUMBER_FIELD
        number_idx = layer.fields().indexOf(number_f)
        number_kind = layer.fields().at(number_idx)
        text = self.tr("Renumber {0} parcels").format(len(changed))
        layer.beginEditCommand(text)
        ok = True
        old_idx = layer.fields().indexOf(old_f)
        if old_idx < 0:
            ok = layer.addAttribute(QgsField(old_f, _STRING, "String", 20))
            old_idx = layer.fields().indexOf(old_f)
        old_is_text = old_idx >= 0 and not layer.fields().at(old_idx).isNumeric()
        fids = self.last_fids
        for i in changed if ok else ():
            fid = int(fids[i])
            feature = layer.getFeature(fid)
            new = int(result.numbers[i])
            new_value = str(new) if not number_kind.isNumeric() else new
            if not layer.changeAttributeValue(fid, number_idx, new_value, feature.attribute(number_idx)):
                ok = False
                break
            old = result.old_numbers[i]
            old_value = old if old_is_text else _whole(old)
            if old != "" and old_value is not None:
                if not layer.changeAttributeValue(fid, old_idx, old_value, feature.attribute(old_idx)):
                    ok = False
                    break
        if not ok:
            layer.destroyEditCommand()
            self._message(self.tr("Could not write the numbers into {0}").format(layer.name()))
            return 0
        layer.endEditCommand()
        layer.triggerRepaint()
        path = csv_path or self.default_csv_path()
        try:
            self.write_table(result, path)
            self.last_csv = path
        except OSError as err:
            self.last_csv = None
            self._message(self.tr("The renumbering table could not be written: {0}").format(err))
        self.clear_preview()
        self.numbering_summary.setText(self.tr("{0} numbers changed (Ctrl+Z undoes); table: {1}").format(
            len(changed), self.last_csv or "-"))
        self._message(self.tr("{0} parcels renumbered").format(len(changed)), info=True)
        return int(len(changed))

    def default_csv_path(self) -> str:
        """renumbering_<layer>_<time>.csv next to the project file, else next to the layer."""
        folder = QgsProject.instance().absolutePath()
        if not folder and self.layer is not None:
            source = self.layer.source().split("|")[0]
            folder = os.path.dirname(source) if os.path.exists(source) else ""
        folder = folder or os.path.expanduser("~")
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.layer.name()) if self.layer else ""
        stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
        return os.path.join(folder, f"renumbering_{name or 'parcels'}_{stamp}.csv")

    @staticmethod
    def write_table(result: NumberingResult, path: str) -> None:
        """The renumbering table (sheet, old_number, new_number, fid) as UTF-8 CSV."""
        os.makedirs(os.path.dirname(os.path.abspath(path)) or ".", exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow(TABLE_COLUMNS)
            for row in result.table[TABLE_COLUMNS].itertuples(index=False):
                writer.writerow([str(row.sheet), str(row.old_number), int(row.new_number), int(row.fid)])

    # -- identification codes -----------------------------------------------------------------

    def _crs_wkt(self) -> str:
        from qgis.core import QgsCoordinateReferenceSystem
        crs = self.layer.crs()
        if hasattr(QgsCoordinateReferenceSystem, "WKT_PREFERRED"):
            return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED)
        return crs.toWkt()

    def assign(self) -> int:
        """Write each parcel's code into the code field (added if missing) as one undo step.
        Returns the number of parcels whose code changed."""
        if self.layer is None:
            self._message(self.tr("Choose the parcel layer first"))
            return 0
        layer = self.layer
        field = self.code_field.text().strip() or DEFAULT_CODE_FIELD
        fids, geoms, (stored,) = self._read([field])
        try:
            codes = assign_codes(geoms, self._crs_wkt(), self.rule_combo.currentData())
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return 0
        stored_txt = np.array([_text(v) for v in stored], dtype=object)
        todo = np.flatnonzero((codes != "") & (codes != stored_txt))
        if not layer.isEditable() and not layer.startEditing():
            self._message(self.tr("The layer {0} cannot be edited").format(layer.name()))
            return 0
        changed = 0
        idx = layer.fields().indexOf(field)
        if idx < 0 or len(todo):
            layer.beginEditCommand(self.tr("Assign identification codes"))
            ok = True
            if idx < 0:
                ok = layer.addAttribute(QgsField(field, _STRING, "String", CODE_LENGTH))
                idx = layer.fields().indexOf(field)
            for i in todo if ok else ():
                old = stored[i]
                if not layer.changeAttributeValue(int(fids[i]), idx, str(codes[i]), old):
                    ok = False
                    break
            if not ok:
                layer.destroyEditCommand()
                self._message(self.tr("Could not write the codes into {0}").format(layer.name()))
                return 0
            layer.endEditCommand()
            changed = int(len(todo))
            layer.triggerRepaint()
        report = self._check_counts(geoms, codes.copy(), codes)
        self.codes_summary.setText(self.tr("{0} codes written. Duplicates: {1}, stale: {2}").format(
            changed, report["duplicate"], report["stale"]))
        return changed

    def check(self) -> dict:
        """Duplicate and stale counts of the codes stored in the code field."""
        if self.layer is None:
            self._message(self.tr("Choose the parcel layer first"))
            return {}
        field = self.code_field.text().strip() or DEFAULT_CODE_FIELD
        _, geoms, (stored,) = self._read([field])
        try:
            codes = assign_codes(geoms, self._crs_wkt(), self.rule_combo.currentData())
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return {}
        stored = np.array([_text(v) for v in stored], dtype=object)
        report = self._check_counts(geoms, stored, codes)
        missing = int((stored == "").sum())
        self.codes_summary.setText(self.tr("Duplicates: {0}, stale: {1}, without code: {2}").format(
            report["duplicate"], report["stale"], missing))
        report["missing"] = missing
        return report

    def _check_counts(self, geoms, stored, codes) -> dict:
        flags = FlagSet()
        report = check_codes(geoms, None, stored, flags, rule=self.rule_combo.currentData(), codes=codes)
        self.last_check = {"duplicate": report["duplicate"], "stale": report["stale"], "flags": flags}
        return dict(self.last_check)

    # -- progress -------------------------------------------------------------------------

    def load_progress(self, flags_path: str) -> bool:
        """Fill the progress table and chart from the flags file's sheet_summary."""
        try:
            frame = read_sheet_summary(flags_path)
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return False
        self.flags_path = flags_path
        if self.flags_file.filePath() != flags_path:
            self.flags_file.blockSignals(True)
            self.flags_file.setFilePath(flags_path)
            self.flags_file.blockSignals(False)
        self.progress = newest_figures(frame)
        self.history = clean_history(frame)
        self.progress_table.setRowCount(0)
        self.progress_table.setRowCount(len(self.progress))
        for r, row in enumerate(self.progress.itertuples(index=False)):
            sheet = row.sheet if row.level == "sheet" else self.tr("(all sheets)")
            pct = "" if row.clean_pct != row.clean_pct else f"{row.clean_pct:.1f}"
            review = ["" if v != v else str(int(v)) for v in (row.open_errors, row.reviewed)]
            cells = (row.commune, sheet, row.parcels, row.matched, row.flagged, *review, row.clean, pct)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if c >= 2:
                    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
                if row.level == "commune":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.progress_table.setItem(r, c, item)
        self.chart.set_points([(int(r.run_id), float(r.clean_pct)) for r in self.history.itertuples()
                               if r.clean_pct == r.clean_pct])
        return True

    # -- merger (sheet renumbering after the 2025 commune merger) ----------------------------

    def _build_merger_tab(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("codesMergerPage")
        layout = QVBoxLayout(page)
        self.merger_reference = None
        self.merger_national = None          # a national sheet reference table (merger_table.MergerTable)
        self.merger_plan = None              # its preview (merger_national.MergerPlan)
        form = QFormLayout()
        self.merger_sheets_combo = QgsMapLayerComboBox(page)
        self.merger_sheets_combo.setObjectName("codesMergerSheets")
        self.merger_sheets_combo.setFilters(POLYGON_LAYERS)
        self.merger_sheets_combo.setAllowEmptyLayer(True)
        self.merger_sheets_combo.setLayer(None)
        self.merger_sheets_combo.setToolTip(self.tr("Sheet frames: renumbered too, and they tell each "
                                                    "parcel's scale where the table has a sheet at several"))
        form.addRow(self.tr("Sheet frames"), self.merger_sheets_combo)
        self.merger_register = QgsFileWidget(page)
        self.merger_register.setObjectName("codesMergerRegister")
        self.merger_register.setFilter(self.tr("Registers (*.xlsx *.xlsm *.xls *.ods *.csv *.txt *.dbf)"))
        self.merger_register.setToolTip(self.tr("Optional: a corrected copy of the register is written "
                                                "beside it (…_merged.xlsx); the file itself is only read"))
        form.addRow(self.tr("Register"), self.merger_register)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.merger_build_button = self._button(page, "codesMergerBuild", self.tr("Build reference"),
                                                self.build_reference)
        self.merger_import_button = self._button(page, "codesMergerImport", self.tr("Import…"),
                                                 self._ask_reference)
        self.merger_preview_button = self._button(page, "codesMergerPreview", self.tr("Preview"),
                                                  self.preview_merger)
        self.merger_apply_button = self._button(page, "codesMergerApply", self.tr("Apply"), self.apply_merger)
        for b in (self.merger_build_button, self.merger_import_button, self.merger_preview_button,
                  self.merger_apply_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.merger_summary = QLabel(page)
        self.merger_summary.setObjectName("codesMergerSummary")
        self.merger_summary.setWordWrap(True)
        layout.addWidget(self.merger_summary)
        self.merger_table = QTableWidget(0, 5, page)
        self.merger_table.setObjectName("codesMergerTable")
        self.merger_table.setHorizontalHeaderLabels(self._reference_headers())
        self._table_look(self.merger_table)
        layout.addWidget(self.merger_table, 1)
        self.merger_findings = QTableWidget(0, 3, page)
        self.merger_findings.setObjectName("codesMergerFindings")
        self.merger_findings.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Row"), self.tr("Finding")])
        self._table_look(self.merger_findings)
        self.merger_findings.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.merger_findings, 1)
        return page

    def _reference_headers(self, scale: bool = False):
        head = [self.tr("Old commune"), self.tr("Old sheet")] + ([self.tr("Scale")] if scale else [])
        return head + [self.tr("New commune"), self.tr("New sheet"), self.tr("Rule")]

    @staticmethod
    def _fill(table: QTableWidget, headers, rows) -> None:
        table.setRowCount(0)
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        rows = list(rows)[:MAX_TABLE_ROWS]
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))

    def _merger_fields(self):
        """(commune field, sheet field) of the parcel layer, found by name."""
        if self.layer is None:
            raise InputError("no parcel layer", fix="choose the parcel layer first")
        names = [n for n in self.layer.fields().names() if n not in (OLD_COMMUNE_FIELD, OLD_SHEET_FIELD)]
        mapping = map_fields(names, "map", MAP_ROLES, required=("commune", "sheet"))
        return mapping.get("commune"), mapping.get("sheet")

    def _merger_read(self, names):
        """fids and the values of fields `names` (edit buffer included), no geometry."""
        from qgis.core import QgsFeatureRequest
        layer = self.layer
        idx = [layer.fields().indexOf(n) for n in names]
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        fids, values = [], [[] for _ in names]
        for f in layer.getFeatures(request):
            fids.append(f.id())
            attrs = f.attributes()
            for k, i in enumerate(idx):
                values[k].append(_value(attrs[i]) if i >= 0 else None)
        return np.asarray(fids, dtype=np.int64), [np.asarray(v, dtype=object) for v in values]

    def _merger_frame(self):
        import pandas as pd
        commune_f, sheet_f = self._merger_fields()
        fids, (communes, sheets) = self._merger_read([commune_f, sheet_f])
        frame = pd.DataFrame({"commune": pd.Series(communes, dtype=object),
                              "sheet": pd.Series(sheets, dtype=object)})
        return commune_f, sheet_f, fids, frame

    def _show_reference(self, reference) -> None:
        self.merger_reference = reference
        self.merger_national = None
        self.merger_plan = None
        self._fill(self.merger_table, self._reference_headers(),
                   reference[REFERENCE_COLUMNS].itertuples(index=False))
        self.merger_findings.setRowCount(0)
        self.merger_summary.setText(self.tr("{0} sheets in the reference table").format(len(reference)))

    def _show_findings(self, findings) -> None:
        self._fill(self.merger_findings, [self.tr("Code"), self.tr("Row"), self.tr("Finding")],
                   ((code, "" if row < 0 else row, message) for code, row, message in
                    findings[["code", "row", "message"]].itertuples(index=False)))

    def build_reference(self):
        """The sheet reference table from the layer's distinct (commune, sheet); shown in the table."""
        try:
            _, _, _, frame = self._merger_frame()
            reference = sheet_reference(frame.drop_duplicates())
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return None
        self._show_reference(reference)
        return reference

    def _ask_reference(self) -> None:
        from qgis.PyQt.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Sheet reference table"), "",
                                              self.tr("Tables (*.csv *.xlsx *.xlsm *.txt)"))
        if path:
            self.import_reference(path)

    def import_reference(self, path: str) -> bool:
        """Load a sheet reference table (CSV/XLSX): the national system's (its bad rows listed as
        findings), or the project's own four columns; errors go to the message bar."""
        try:
            from ..core.loading.tables import read_table_header
            if is_national_table(read_table_header(path)):
                return self._show_national(read_merger_table(path))
            reference = load_sheet_reference(path)
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return False
        self._show_reference(reference)
        return True

    def _show_national(self, table) -> bool:
        self.merger_reference = table.as_reference()
        self.merger_national = table
        self.merger_plan = None
        self._fill(self.merger_table, self._reference_headers(scale=True),
                   self.merger_reference.itertuples(index=False))
        self._show_findings(table.findings)
        self.merger_summary.setText(self.tr("Reference table: {0} rows read, {1} applied, {2} findings; "
                                            "{3} sheets, {4} renumbered parcels").format(
            table.rows_read, table.rows_applied, len(table.findings), len(table.sheets), len(table.parcels)))
        return True

    def preview_merger(self):
        """What the reference table would do to the parcel layer (and the sheet frames), per commune."""
        table = self.merger_national
        if table is None and self.merger_reference is not None:      # built, or the four-column table
            table = table_from_reference(self.merger_reference)
        if table is None:
            self._message(self.tr("Build or import the sheet reference table first"))
            return None
        if self.layer is None:
            self._message(self.tr("Choose the parcel layer first"))
            return None
        try:
            plan = merger_national.plan_merger(self.layer, self.merger_sheets_combo.currentLayer(), table,
                                               self.merger_register.filePath().strip() or None)
        except InputError as err:
            self._message(err.one_line())
            return None
        self.merger_plan = plan
        headers = [self.tr("Old commune"), self.tr("New commune"), self.tr("Sheets"), self.tr("Parcels"),
                   self.tr("Parcel numbers"), self.tr("Not covered")]
        self._fill(self.merger_table, headers, plan.counts.itertuples(index=False))
        self._show_findings(plan.findings)
        sheets = plan.sheets.applied.changes if plan.sheets is not None else None
        self.merger_summary.setText(self.tr(
            "Preview: {0} parcels, {1} sheet frames and {2} register rows would change; {3} parcels left "
            "as they are; {4} findings").format(len(plan.parcels.applied.changes), 0 if sheets is None else len(sheets),
                                                plan.register_changed, int(plan.parcels.applied.uncovered.sum()),
                                                len(plan.findings)))
        return plan

    def _confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Merger"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _apply_national(self) -> int:
        plan = self.preview_merger()          # planned again: the layers may have changed since the preview
        if plan is None:
            return 0
        n_parcels = len(plan.parcels.applied.changes)
        n_sheets = 0 if plan.sheets is None else len(plan.sheets.applied.changes)
        if not n_parcels and not n_sheets:
            self._message(self.tr("No commune or sheet changes"), info=True)
            return 0
        register_copy = (merger_national.register_copy_path(plan.register_source)
                         if plan.register is not None else "")
        if not self._confirm(self.tr("Renumber {0} parcels and {1} sheet frames with the reference table? "
                                     "Each layer changes in one step (Ctrl+Z undoes); {2} findings are "
                                     "listed.").format(n_parcels, n_sheets, len(plan.findings))
                             + (" " + self.tr("A corrected register ({0} rows changed) is written to {1}.").format(
                                 plan.register_changed, register_copy) if register_copy else "")):
            return 0
        try:
            for part, text in ((plan.parcels, self.tr("Merger: renumber {0} parcels").format(n_parcels)),
                               (plan.sheets, self.tr("Merger: renumber {0} sheet frames").format(n_sheets))):
                if part is not None and not merger_national.write_plan(part, text):
                    self._message(self.tr("Could not write the merger into {0}").format(part.layer.name()))
                    return 0
            merger_national.write_register(plan)
        except InputError as err:
            self._message(err.one_line())
            return 0
        except OSError as err:
            self._message(self.tr("The corrected register could not be written: {0}").format(err))
        path = self.default_csv_path().replace("renumbering_", "merger_changes_")
        try:
            merger_national.write_changes(plan, path)
            self.last_merger_csv = path
        except OSError as err:
            self.last_merger_csv = None
            self._message(self.tr("The change table could not be written: {0}").format(err))
        self.merger_plan = None
        self.merger_summary.setText(self.tr("{0} parcels and {1} sheet frames renumbered (Ctrl+Z undoes); "
                                            "change table: {2}").format(n_parcels, n_sheets,
                                                                        self.last_merger_csv or "-"))
        self._message(self.tr("{0} parcels renumbered after the merger").format(n_parcels), info=True)
        return n_parcels

    def apply_merger(self) -> int:
        """Write the new commune and sheet into the layer's fields, the old values into
        MAXA_CU / SHBANDO_CU (added if missing), as one undo step. Returns the number of
        parcels changed. With the national table: preview, confirmation, then parcels and sheet
        frames each in one undo step (_apply_national)."""
        if self.merger_national is not None:
            return self._apply_national()
        try:
            commune_f, sheet_f, fids, frame = self._merger_frame()
            reference = self.merger_reference
            if reference is None:
                reference = sheet_reference(frame.drop_duplicates())
                self._show_reference(reference)
            out, report = merger_apply(frame, reference, "commune", "sheet", None,
                                       OLD_COMMUNE_FIELD, OLD_SHEET_FIELD)
        except InputError as err:
            self._message(err.one_line() if hasattr(err, "one_line") else str(err))
            return 0
        layer = self.layer
        rows = report["row"].to_numpy(dtype=np.int64)
        if not len(rows):
            self._message(self.tr("No commune or sheet changes"), info=True)
            return 0
        fields = layer.fields()
        commune_idx, sheet_idx = fields.indexOf(commune_f), fields.indexOf(sheet_f)
        new_values = {}
        for i in rows:
            values = []
            for idx, column in ((commune_idx, "commune"), (sheet_idx, "sheet")):
                value = out[column].iat[i]
                if fields.at(idx).isNumeric():
                    value = _whole(_text(value))
                    if value is None:
                        self._message(self.tr("The field {0} is numeric and cannot hold {1}").format(
                            fields.at(idx).name(), out[column].iat[i]))
                        return 0
                else:
                    value = _text(value)
                values.append(value)
            new_values[int(i)] = values
        if not self._confirm(self.tr("Renumber {0} parcels with the reference table? One step "
                                     "(Ctrl+Z undoes).").format(len(rows))):
            return 0
        if not layer.isEditable() and not layer.startEditing():
            self._message(self.tr("The layer {0} cannot be edited").format(layer.name()))
            return 0
        layer.beginEditCommand(self.tr("Merger: renumber {0} parcels").format(len(rows)))
        ok = True
        olds = []
        for name in (OLD_COMMUNE_FIELD, OLD_SHEET_FIELD):
            if layer.fields().indexOf(name) < 0:
                ok = ok and layer.addAttribute(QgsField(name, _STRING, "String", 50))
            olds.append(layer.fields().indexOf(name))
        ok = ok and all(i >= 0 for i in olds)
        for i, (commune, sheet) in new_values.items() if ok else ():
            fid = int(fids[i])
            feature = layer.getFeature(fid)
            for idx, new in ((commune_idx, commune), (sheet_idx, sheet)):
                ok = ok and layer.changeAttributeValue(fid, idx, new, feature.attribute(idx))
            for idx, column in zip(olds, ("commune", "sheet")):
                old = frame[column].iat[i]
                old_value = _text(old) if not layer.fields().at(idx).isNumeric() else _whole(_text(old))
                ok = ok and layer.changeAttributeValue(fid, idx, old_value, feature.attribute(idx))
            if not ok:
                break
        if not ok:
            layer.destroyEditCommand()
            self._message(self.tr("Could not write the merger into {0}").format(layer.name()))
            return 0
        layer.endEditCommand()
        layer.triggerRepaint()
        self.merger_summary.setText(self.tr("{0} parcels renumbered (Ctrl+Z undoes)").format(len(rows)))
        self._message(self.tr("{0} parcels renumbered after the merger").format(len(rows)), info=True)
        return int(len(rows))

    # -- housekeeping ---------------------------------------------------------------------

    def unload(self) -> None:
        """Remove the preview layer and forget the parcel layer."""
        self._remove_preview_layer()
        if self.layer is not None:
            try:
                self.layer.willBeDeleted.disconnect(self._layer_gone)
            except (TypeError, RuntimeError):
                pass
        self.layer = None

    def _message(self, text: str, info: bool = False) -> None:
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        if info:
            bar.pushMessage(TAG, text, Qgis.MessageLevel.Info, 5)
        else:
            bar.pushMessage(TAG, text, Qgis.MessageLevel.Warning, 8)


class CleanChart(QWidget):
    """A small painted line chart: clean % (0…100) per run."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.points: list[tuple[int, float]] = []
        self.title = ""
        self.empty_text = ""
        self.setMinimumHeight(120)

    def set_points(self, points) -> None:
        self.points = list(points)
        self.update()

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRectF(self.rect()).adjusted(34, 18, -10, -20)
            p.setPen(QPen(QColor(120, 120, 120)))
            p.drawText(QRectF(0, 0, self.width(), 16), int(Qt.AlignmentFlag.AlignCenter), self.title)
            p.drawRect(rect)
            for pct in (0, 50, 100):
                y = rect.bottom() - rect.height() * pct / 100
                p.drawText(QRectF(0, y - 8, 30, 16),
                           int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{pct}%")
            if not self.points:
                p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self.empty_text)
                return
            n = len(self.points)
            xs = [rect.left() + (rect.width() * (k / (n - 1)) if n > 1 else rect.width() / 2)
                  for k in range(n)]
            pts = [QPointF(x, rect.bottom() - rect.height() * max(0.0, min(100.0, v)) / 100)
                   for x, (_, v) in zip(xs, self.points)]
            p.setPen(QPen(QColor(30, 120, 60), 2))
            for a, b in zip(pts, pts[1:]):
                p.drawLine(a, b)
            for pt, (run, _) in zip(pts, self.points):
                p.drawEllipse(pt, 3, 3)
                p.drawText(QRectF(pt.x() - 15, rect.bottom() + 2, 30, 16),
                           int(Qt.AlignmentFlag.AlignCenter), str(run))
        finally:
            p.end()


def _value(v):
    """A QGIS attribute as a plain Python value (NULL → None)."""
    if v is None:
        return None
    if isinstance(v, QVariant):
        return None if v.isNull() else v.value()
    return v


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else str(v)
    return str(v).strip()


def _whole(text: str):
    try:
        return int(float(text))
    except ValueError:
        return None


def _natural(text: str):
    return (0, int(text), "") if str(text).isdigit() else (1, 0, str(text))


__all__ = ["CodesDock", "CleanChart", "DEFAULT_OLD_NUMBER_FIELD", "PREVIEW_LAYER_NAME",
           "parse_numbers"]
