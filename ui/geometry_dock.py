"""The geometry correction dock: pick a geometry flag, choose a fix, preview it on the map
with the area change per parcel, apply it to the parcel layer's edit buffer as one undo
step; the flag is marked fixed once a re-check of the area finds the fault gone.

The fixes are core/fixes/one.py (per flag) over core/fixes/geometry.py; geometries are read
from the layer's features (edit buffer included), so a fix works on what the user sees.
Nothing reaches the source file until the user saves the layer's edits.
"""
from __future__ import annotations

import getpass
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature,
                       QgsFeatureRequest, QgsGeometry, QgsProject, QgsRectangle, QgsVectorLayer, QgsWkbTypes)
from qgis.gui import QgsDockWidget, QgsRubberBand
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QByteArray, QCoreApplication, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView,
                                 QLabel, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                                 QVBoxLayout, QWidget)

from ..core.flags import catalogue as cat
from ..core.fixes import one as fix_one
from ..core.errors import InputError
from ..core.flags.review import flag_geometry_wkb, last_field_mapping, last_run, load_flags, record_decision

try:  # QGIS >= 3.30
    from qgis.core import Qgis
    POINT_GEOMETRY = Qgis.GeometryType.Point
    POLYGON_GEOMETRY = Qgis.GeometryType.Polygon
except AttributeError:  # QGIS 3.22
    POINT_GEOMETRY = QgsWkbTypes.GeometryType.PointGeometry
    POLYGON_GEOMETRY = QgsWkbTypes.GeometryType.PolygonGeometry

TAG = "Cadastre Cleaner"
ALL_SHEETS = "\x00all"
SELECTED = "\x00selected"
ADDED_COLOR = QColor(0, 170, 0)
REMOVED_COLOR = QColor(220, 0, 0)
VERTEX_COLOR = QColor(0, 90, 255)


class LayerSource:
    """Current parcel geometries of a layer (edit buffer included) as shapely, by fid."""

    def __init__(self, layer: QgsVectorLayer):
        self.layer = layer

    def geoms(self, keys) -> dict:
        keys = [int(k) for k in keys]
        out = {k: None for k in keys}
        if not keys:
            return out
        request = QgsFeatureRequest().setFilterFids(keys).setSubsetOfAttributes([])
        for f in self.layer.getFeatures(request):
            out[f.id()] = to_shapely(f.geometry())
        return out

    def near(self, geom, distance) -> list:
        x0, y0, x1, y1 = shapely.bounds(geom)
        rect = QgsRectangle(x0 - distance, y0 - distance, x1 + distance, y1 + distance)
        request = QgsFeatureRequest().setFilterRect(rect).setSubsetOfAttributes([])
        out = []
        for f in self.layer.getFeatures(request):
            g = to_shapely(f.geometry())
            if g is not None and shapely.dwithin(g, geom, distance):
                out.append(f.id())
        return sorted(out)


def to_shapely(geometry: QgsGeometry):
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    return shapely.from_wkb(bytes(geometry.asWkb()))


def to_qgs(geom, layer: QgsVectorLayer) -> QgsGeometry:
    out = QgsGeometry()
    out.fromWkb(QByteArray(shapely.to_wkb(geom)))
    if QgsWkbTypes.isMultiType(layer.wkbType()):
        out.convertToMultiType()
    elif out.isMultipart() and out.constGet().partCount() == 1:
        out.convertToSingleType()
    return out


@dataclass
class _Pending:
    """A previewed plan, valid while the layer's undo stack stays where it was."""
    kind: str           # "flag" | "kind" | "snap"
    key: tuple          # what it was computed for
    plan: fix_one.FixPlan
    stack_index: int
    flags: list         # flag dicts the plan fixes (re-checked after apply)


class GeometryDock(QgsDockWidget):
    """Correct geometry flags of one flags file on the parcel layer."""

    OBJECT_NAME = "CadastreCleanerGeometryDock"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(self.tr("Correct geometry"))
        self.flags_path: str | None = None
        self.parcels_layer: QgsVectorLayer | None = None
        self.frame = pd.DataFrame()
        self.flags_crs = QgsCoordinateReferenceSystem()
        self.field_mapping: dict = {}
        self.scale = None
        self.user = _user_name()
        self._pending: _Pending | None = None
        self._bands: list = []
        self._shown: list = []        # flag rows shown in the table
        self._applied: list = []      # [(undo index after our command, its text, flag fids, fixed)]
        self._watched = None          # the layer whose undo stack we follow
        self.last_fixed: list = []
        self._build()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("GeometryDock", text)

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.sheet_combo = QComboBox(body)
        self.sheet_combo.setObjectName("geometrySheetCombo")
        self.sheet_combo.setToolTip(self.tr("Show the geometry flags of this sheet, or of the selected parcels"))
        layout.addWidget(self.sheet_combo)

        self.flag_table = QTableWidget(0, 4, body)
        self.flag_table.setObjectName("geometryFlagTable")
        self.flag_table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Sheet"), self.tr("Parcel"),
                                                   self.tr("Message")])
        self.flag_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.flag_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.flag_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.flag_table.verticalHeader().setVisible(False)
        self.flag_table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.flag_table, 2)

        row = QHBoxLayout()
        self.method_combo = QComboBox(body)
        self.method_combo.setObjectName("geometryMethodCombo")
        self.method_combo.setToolTip(self.tr("How to fix the chosen flag"))
        row.addWidget(self.method_combo, 1)
        self.preview_button = self._button("geometryPreview", self.tr("Preview"),
                                           self.tr("Show the fix on the map without changing anything"))
        self.apply_button = self._button("geometryApply", self.tr("Apply"),
                                         self.tr("Write the fix into the layer's edit buffer (Ctrl+Z undoes it)"))
        self.apply_all_button = self._button("geometryApplyAll", self.tr("Apply to all of this kind…"),
                                             self.tr("Fix every open flag of this code in the sheet, "
                                                     "in one undo step"))
        for b in (self.preview_button, self.apply_button):
            row.addWidget(b)
        layout.addLayout(row)
        layout.addWidget(self.apply_all_button)

        snap_row = QHBoxLayout()
        self.tolerance_spin = QDoubleSpinBox(body)
        self.tolerance_spin.setObjectName("geometrySnapTolerance")
        self.tolerance_spin.setDecimals(3)
        self.tolerance_spin.setRange(0.001, 100.0)
        self.tolerance_spin.setSuffix(" m")
        self.tolerance_spin.setToolTip(self.tr("Snapping tolerance (default: the positional accuracy of the "
                                               "map scale)"))
        self.snap_preview_button = self._button("geometrySnapPreview", self.tr("Preview snap"),
                                                self.tr("Show how the selected parcels and their neighbours "
                                                        "would snap"))
        self.snap_button = self._button("geometrySnap", self.tr("Snap selection"),
                                        self.tr("Snap the selected parcels and their neighbours onto each "
                                                "other (one undo step)"))
        snap_row.addWidget(QLabel(self.tr("Snap:"), body))
        snap_row.addWidget(self.tolerance_spin)
        snap_row.addWidget(self.snap_preview_button)
        snap_row.addWidget(self.snap_button)
        layout.addLayout(snap_row)

        self.area_table = QTableWidget(0, 4, body)
        self.area_table.setObjectName("geometryAreaTable")
        self.area_table.setHorizontalHeaderLabels([self.tr("Parcel"), self.tr("Area before (m²)"),
                                                   self.tr("Area after (m²)"), self.tr("Δ (m²)")])
        self.area_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.area_table.verticalHeader().setVisible(False)
        self.area_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.area_table, 1)

        self.summary_label = QLabel(body)
        self.summary_label.setObjectName("geometrySummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.setWidget(body)

        self.sheet_combo.currentIndexChanged.connect(self._fill_flags)
        self.flag_table.itemSelectionChanged.connect(self._on_flag_changed)
        self.method_combo.currentIndexChanged.connect(self._clear_preview)
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        self.apply_all_button.clicked.connect(lambda: self.apply_all_of_kind(ask=True))
        self.snap_preview_button.clicked.connect(lambda: self.preview_snap())
        self.snap_button.clicked.connect(lambda: self.snap_selection())

    def _button(self, name, text, tip) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setToolTip(tip)
        return b

    def method_label(self, method: str) -> str:
        labels = {
            "overlap_longest_edge": self.tr("Give the overlap to the parcel with the longest shared edge"),
            "overlap_register_area": self.tr("Give the overlap by the register area"),
            "overlap_chosen_a": self.tr("Give the overlap to the first parcel (a)"),
            "overlap_chosen_b": self.tr("Give the overlap to the second parcel (b)"),
            "gap_merge_longest_edge": self.tr("Merge the gap into the neighbour with the longest edge"),
            "gap_split": self.tr("Split the gap between its neighbours"),
            "gap_new_parcel": self.tr("Make the gap a new parcel"),
            "merge_into_neighbour": self.tr("Merge into the neighbour with the longest shared edge"),
            "merge_into_largest_neighbour": self.tr("Merge into the largest neighbour"),
            "make_valid": self.tr("Make the geometry valid"),
            "snap": self.tr("Snap the shared boundary"),
            "remove_spike": self.tr("Remove the spike"),
            "remove_repeated": self.tr("Remove repeated vertices"),
            "delete_duplicate": self.tr("Delete the duplicate"),
        }
        return labels.get(method, method)

    # -- loading ---------------------------------------------------------------------------

    def load(self, flags_path: str, parcels_layer: QgsVectorLayer) -> None:
        """Show the open geometry flags of `flags_path`; fixes go into `parcels_layer`."""
        self.flags_path = str(flags_path)
        self._unwatch()
        self.parcels_layer = parcels_layer
        self._applied = []
        if parcels_layer is not None:
            parcels_layer.undoStack().indexChanged.connect(self._on_undo_index)
            self._watched = parcels_layer
        self.field_mapping = last_field_mapping(self.flags_path)
        try:
            settings = json.loads(last_run(self.flags_path).get("settings") or "{}")
        except (ValueError, TypeError):
            settings = {}
        self.scale = settings.get("scale")
        tol = settings.get("tolerance_m") or fix_one.default_tolerance(self.scale)
        self.tolerance_spin.setValue(float(tol))
        self._reload_frame()
        sheets = sorted({s for s in self.frame["sheet"] if s}, key=_natural)
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItem(self.tr("All sheets"), ALL_SHEETS)
        self.sheet_combo.addItem(self.tr("Selected parcels"), SELECTED)
        for s in sheets:
            self.sheet_combo.addItem(self.tr("Sheet {sheet}").format(sheet=s), s)
        self.sheet_combo.blockSignals(False)
        self._fill_flags()

    def _reload_frame(self) -> None:
        frame = load_flags(self.flags_path)
        crs_wkt = frame.attrs.get("crs_wkt", "")
        self.flags_crs = QgsCoordinateReferenceSystem.fromWkt(crs_wkt) if crs_wkt else QgsCoordinateReferenceSystem()
        self.frame = frame[frame["code"].isin(fix_one.GEOMETRY_CODES)].reset_index(drop=True)

    @property
    def tolerance(self) -> float:
        return float(self.tolerance_spin.value())

    def set_sheet(self, sheet) -> bool:
        """Show the flags of sheet `sheet` (None: all sheets; "selected": the selected parcels)."""
        data = ALL_SHEETS if sheet is None else SELECTED if sheet == "selected" else str(sheet)
        i = self.sheet_combo.findData(data)
        if i < 0:
            return False
        self.sheet_combo.setCurrentIndex(i)
        self._fill_flags()
        return True

    def open_flags(self, code: str | None = None) -> list[dict]:
        """The open geometry flags shown (current sheet or selection), optionally of one code."""
        f = self.frame
        if not len(f):
            return []
        f = f[f["status"] == cat.OPEN]
        which = self.sheet_combo.currentData()
        if which == SELECTED:
            sel = set(self.parcels_layer.selectedFeatureIds()) if self.parcels_layer is not None else set()
            mine = f["map_fid"].isin(sel).fillna(False) | f["other_map_fid"].isin(sel).fillna(False)
            f = f[mine.astype(bool)]
        elif which not in (None, ALL_SHEETS):
            f = f[f["sheet"] == which]
        if code:
            f = f[f["code"] == code]
        return [self._row_dict(r) for _, r in f.iterrows()]

    def _row_dict(self, row) -> dict:
        d = {k: (None if v is pd.NA else v) for k, v in row.items()}
        d["fid"] = int(d["fid"])
        return d

    def _fill_flags(self, *_args) -> None:
        self._shown = self.open_flags()
        self.flag_table.blockSignals(True)
        self.flag_table.setRowCount(len(self._shown))
        for r, flag in enumerate(self._shown):
            check = cat.CATALOGUE.get(flag["code"])
            for c, text in enumerate((check.title_tr() if check else flag["code"], flag["sheet"],
                                      flag["parcel"], flag["message"])):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, flag["fid"])
                self.flag_table.setItem(r, c, item)
        self.flag_table.blockSignals(False)
        if self._shown:
            self.flag_table.selectRow(0)
        self._on_flag_changed()

    def select_flag(self, fid: int) -> bool:
        for r, flag in enumerate(self._shown):
            if flag["fid"] == int(fid):
                self.flag_table.selectRow(r)
                self._on_flag_changed()
                return True
        return False

    def current_flag(self) -> dict | None:
        rows = self.flag_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._shown):
            return None
        return self._shown[rows[0].row()]

    def _on_flag_changed(self) -> None:
        flag = self.current_flag()
        self.method_combo.blockSignals(True)
        self.method_combo.clear()
        if flag is not None:
            for m in self.methods_for(flag["code"]):
                self.method_combo.addItem(self.method_label(m), m)
        self.method_combo.blockSignals(False)
        self._clear_preview()
        enabled = flag is not None
        for b in (self.preview_button, self.apply_button, self.apply_all_button):
            b.setEnabled(enabled)
        if flag is not None:
            self._zoom_to(flag)

    def methods_for(self, code: str) -> list[str]:
        """The fix methods offered for a code: the catalogue's, as geometry fixes."""
        check = cat.CATALOGUE.get(code)
        fixes = set(check.fixes) if check else set()
        out = []
        for m in fix_one.METHODS.get(code, ()):
            base = "overlap_chosen" if m.startswith("overlap_chosen") else \
                "merge_into_neighbour" if m.startswith("merge_into") else m
            if base in fixes:
                out.append(m)
        return out

    def set_method(self, method: str) -> bool:
        i = self.method_combo.findData(method)
        if i < 0:
            return False
        self.method_combo.setCurrentIndex(i)
        return True

    def current_method(self) -> str | None:
        return self.method_combo.currentData()

    # -- preview ---------------------------------------------------------------------------

    def _source(self):
        return LayerSource(self.parcels_layer)

    def _stack_index(self) -> int:
        return self.parcels_layer.undoStack().index() if self.parcels_layer is not None else -1

    def _flag_geometry(self, flag: dict):
        wkb = flag_geometry_wkb(self.flags_path, flag["fid"])
        return shapely.from_wkb(wkb) if wkb else None

    def preview(self) -> fix_one.FixPlan | None:
        """Compute the chosen fix of the current flag on the layer's current geometries and
        show it (map and area table); changes nothing. None when it cannot be done."""
        flag, method = self.current_flag(), self.current_method()
        if flag is None or method is None or self.parcels_layer is None:
            self._message(self.tr("Choose a flag and a fix first."))
            return None
        plan = fix_one.plan_fix(flag, method, self._source(), self.tolerance, self._flag_geometry(flag))
        if plan.error:
            self._clear_preview()
            self._message(self.tr("This fix cannot be made: {reason}").format(reason=plan.error))
            return None
        self._pending = _Pending("flag", (flag["fid"], method), plan, self._stack_index(), [flag])
        self._show_plan(plan)
        self.summary_label.setText(self.tr("{n} parcel(s) change, {area:.2f} m² moved. {notes}").format(
            n=len(plan.area_rows()), area=plan.area_moved(), notes="; ".join(plan.notes)))
        return plan

    def preview_all_of_kind(self, code: str | None = None, method: str | None = None) -> fix_one.FixPlan | None:
        """Plan the fix of every open flag of `code` (the current flag's) shown, one after the
        other on the result of the previous ones; shows the summary. Changes nothing."""
        flag = self.current_flag()
        code = code or (flag["code"] if flag else None)
        method = method or (self.current_method() if flag is not None and flag["code"] == code else None)
        if code is None:
            self._message(self.tr("Choose a flag first."))
            return None
        method = method or (self.methods_for(code) or [None])[0]
        flags = self.open_flags(code)
        overlay = fix_one.Overlay(self._source())
        total, done, failed = fix_one.FixPlan(), [], 0
        for f in flags:
            plan = fix_one.plan_fix(f, method, overlay, self.tolerance, self._flag_geometry(f))
            if plan.error:
                failed += 1
                continue
            overlay.apply(plan)
            total.merge(plan)
            done.append(f)
        if total.empty:
            self._message(self.tr("None of the {n} flags can be fixed this way.").format(n=len(flags)))
            self._clear_preview()
            return None
        self._pending = _Pending("kind", (code, method, tuple(f["fid"] for f in flags)), total,
                                 self._stack_index(), done)
        self._show_plan(total)
        self.summary_label.setText(self.tr(
            "{code}: {done} of {n} flags fixed by this method ({failed} cannot be); {parcels} parcel(s) "
            "change, {added} new, {removed} removed; {area:.2f} m² moved in total.").format(
            code=code, done=len(done), n=len(flags), failed=failed, parcels=len(total.changed),
            added=len(total.added), removed=len(total.removed), area=total.area_moved()))
        return total

    def preview_snap(self, tolerance: float | None = None) -> fix_one.FixPlan | None:
        """Plan snapping the selected parcels and their neighbours; shows it, changes nothing."""
        layer = self.parcels_layer
        if layer is None or not layer.selectedFeatureCount():
            self._message(self.tr("Select the parcels to snap first."))
            return None
        tol = float(tolerance if tolerance is not None else self.tolerance)
        source = self._source()
        sel = sorted(layer.selectedFeatureIds())
        cur = source.geoms(sel)
        keys = set(sel)
        for g in cur.values():
            if g is not None:
                keys |= set(source.near(g, tol))
        keys = sorted(keys)
        cur = source.geoms(keys)
        keys = [k for k in keys if cur[k] is not None]
        plan = fix_one.plan_snap(fix_one.FixPlan(), keys, cur, tol)
        if plan.empty:
            self._clear_preview()
            self._message(self.tr("Nothing to snap within {tol} m.").format(tol=tol), info=True)
            return None
        self._pending = _Pending("snap", (tuple(sel), tol), plan, self._stack_index(), [])
        self._show_plan(plan)
        self.summary_label.setText(self.tr("Snapping moves {n} parcel(s), {area:.4f} m² moved. {notes}").format(
            n=len(plan.changed), area=plan.area_moved(), notes="; ".join(plan.notes)))
        return plan

    def _show_plan(self, plan: fix_one.FixPlan) -> None:
        self._clear_bands()
        added, removed, vertices = [], [], []
        for k, new in plan.changed.items():
            old = plan.before.get(k)
            if old is None:
                added.append(new)
                continue
            if not shapely.is_valid(old):       # a make_valid fix: GEOS overlay needs a valid input
                old = shapely.make_valid(old)
            added.append(shapely.difference(new, old))
            removed.append(shapely.difference(old, new))
            old_xy = {tuple(p) for p in shapely.get_coordinates(old)}
            vertices += [p for p in map(tuple, shapely.get_coordinates(new)) if p not in old_xy]
        for k in plan.removed:
            if plan.before.get(k) is not None:
                removed.append(plan.before[k])
        added += [g for g, _ in plan.added]
        self._band(added, POLYGON_GEOMETRY, ADDED_COLOR)
        self._band(removed, POLYGON_GEOMETRY, REMOVED_COLOR)
        if vertices:
            self._band([shapely.multipoints(np.array(vertices))], POINT_GEOMETRY, VERTEX_COLOR)
        self._fill_area_table(plan)

    def _band(self, geoms, kind, color) -> None:
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        geoms = [g for g in geoms if g is not None and not g.is_empty and
                 (kind == POINT_GEOMETRY or shapely.area(g) > 0)]
        if canvas is None or not geoms:
            return
        band = QgsRubberBand(canvas, kind)
        band.setColor(color)
        fill = QColor(color)
        fill.setAlpha(90)
        band.setFillColor(fill)
        band.setWidth(2)
        if kind == POINT_GEOMETRY:
            band.setIcon(QgsRubberBand.IconType.ICON_CIRCLE)
            band.setIconSize(8)
        band.setToGeometry(QgsGeometry.fromWkt(shapely.to_wkt(shapely.union_all(geoms))), self.parcels_layer)
        self._bands.append(band)

    def _fill_area_table(self, plan: fix_one.FixPlan) -> None:
        rows = plan.area_rows()
        labels = self._parcel_labels([k for k, _, _ in rows if k is not None])
        self.area_table.setRowCount(len(rows))
        for r, (k, before, after) in enumerate(rows):
            name = self.tr("(new parcel)") if k is None else labels.get(k, str(k))
            if k in plan.removed:
                name = self.tr("{parcel} (removed)").format(parcel=name)
            for c, text in enumerate((name, f"{before:.2f}", f"{after:.2f}", f"{after - before:+.2f}")):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
                self.area_table.setItem(r, c, item)

    def _parcel_labels(self, keys) -> dict:
        """'sheet/parcel (fid n)' per fid, from the mapped fields."""
        layer = self.parcels_layer
        sheet_f, parcel_f = self.field_mapping.get("map.sheet"), self.field_mapping.get("map.parcel")
        out = {}
        if layer is None or not keys:
            return out
        fields = layer.fields()
        si = fields.lookupField(sheet_f) if sheet_f else -1
        pi = fields.lookupField(parcel_f) if parcel_f else -1
        for f in layer.getFeatures(QgsFeatureRequest().setFilterFids([int(k) for k in keys])):
            parts = [str(f.attribute(i)) for i in (si, pi) if i >= 0 and f.attribute(i) is not None]
            out[f.id()] = ("/".join(parts) + f" (fid {f.id()})") if parts else f"fid {f.id()}"
        return out

    def _clear_bands(self) -> None:
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        for band in self._bands:
            if not sip.isdeleted(band):
                band.reset(POLYGON_GEOMETRY)
                if canvas is not None:
                    canvas.scene().removeItem(band)
        self._bands = []

    def _clear_preview(self, *_args) -> None:
        self._pending = None
        self._clear_bands()
        self.area_table.setRowCount(0)
        self.summary_label.setText("")

    def rubber_bands(self) -> list:
        return list(self._bands)

    # -- applying --------------------------------------------------------------------------

    def apply(self) -> bool:
        """Apply the previewed plan (re-computed if the layer changed since, or none is shown)
        as one undo step, re-check and mark the fixed flags."""
        p = self._pending
        flag, method = self.current_flag(), self.current_method()
        fresh = p is not None and p.stack_index == self._stack_index()
        if not fresh or (p.kind == "flag" and (flag is None or p.key != (flag["fid"], method))):
            if p is not None and p.kind == "snap":
                if self.preview_snap(p.key[1]) is None:
                    return False
            elif p is not None and p.kind == "kind":
                if self.preview_all_of_kind(p.key[0], p.key[1]) is None:
                    return False
            elif self.preview() is None:
                return False
            p = self._pending
        if p.kind == "snap":
            text = self.tr("Snap {n} parcel(s)").format(n=len(p.plan.changed))
        elif p.kind == "kind":
            text = self.tr("Fix {n} {code} flag(s)").format(n=len(p.flags), code=p.key[0])
        else:
            text = self.tr("Fix {code} {key}").format(
                code=flag["code"], key="/".join(v for v in (flag["sheet"], flag["parcel"]) if v))
        return self._apply_pending(p, text)

    def apply_all_of_kind(self, code: str | None = None, method: str | None = None, ask: bool = False) -> bool:
        """Fix every open flag of the current flag's code in the sheet shown, in one undo step,
        after a summary preview (a question when `ask`)."""
        plan = self.preview_all_of_kind(code, method)
        if plan is None:
            return False
        if ask:
            answer = QMessageBox.question(self, self.tr("Apply to all of this kind"),
                                          self.summary_label.text() + "\n\n" + self.tr("Apply these fixes?"))
            if answer != QMessageBox.StandardButton.Yes:
                return False
        p = self._pending
        return self._apply_pending(p, self.tr("Fix {n} {code} flag(s)").format(n=len(p.flags), code=p.key[0]))

    def snap_selection(self, tolerance: float | None = None) -> bool:
        """Snap the selected parcels and their neighbours (geometry_fixes.snap_to_neighbours),
        one undo step. Uses the shown snap preview when it is for the same selection."""
        tol = float(tolerance if tolerance is not None else self.tolerance)
        sel = tuple(sorted(self.parcels_layer.selectedFeatureIds())) if self.parcels_layer else ()
        p = self._pending
        if not (p is not None and p.kind == "snap" and p.key == (sel, tol) and p.stack_index == self._stack_index()):
            if self.preview_snap(tol) is None:
                return False
            p = self._pending
        return self._apply_pending(p, self.tr("Snap {n} parcel(s)").format(n=len(p.plan.changed)))

    def _apply_pending(self, p: _Pending, text: str) -> bool:
        if not self._write(p.plan, text):
            return False
        self._pending = None
        self._clear_bands()
        fixed = []
        source = self._source()
        for flag in p.flags:
            try:
                if fix_one.fault_gone(flag, source, self.tolerance, self._flag_geometry(flag)):
                    fixed.append(flag["fid"])
            except Exception as err:  # a re-check that fails leaves the flag open
                self._message(self.tr("Re-check failed: {error}").format(error=err))
        if fixed:
            comment = self.tr("Fixed in the edit buffer ({what})").format(what=text)
            try:
                record_decision(self.flags_path, fixed, cat.FIXED, comment, self.user)
            except InputError as err:
                self._message(err.one_line())
        stack = self.parcels_layer.undoStack()
        if fixed:
            self._applied.append([stack.index(), text, fixed, True])
        still = len(p.flags) - len(fixed)
        self.parcels_layer.triggerRepaint()
        self._reload_frame()
        self._fill_flags()
        msg = self.tr("{text}: done; {fixed} flag(s) fixed. Save the layer's edits to keep the change; "
                      "Ctrl+Z undoes it.").format(text=text, fixed=len(fixed))
        if still:
            msg += " " + self.tr("{n} flag(s) still found after the fix stay open.").format(n=still)
        self.summary_label.setText(msg)
        self._message(msg, info=True)
        self.last_fixed = fixed
        return True

    def _write(self, plan: fix_one.FixPlan, text: str) -> bool:
        layer = self.parcels_layer
        if layer is None:
            return False
        if not layer.isEditable() and not layer.startEditing():
            self._message(self.tr("Layer {layer} cannot be edited.").format(layer=layer.name()))
            return False
        layer.beginEditCommand(text)
        ok = True
        for k, g in plan.changed.items():
            ok = layer.changeGeometry(int(k), to_qgs(g, layer)) and ok
        for g, template in plan.added:
            ok = layer.addFeature(self._new_feature(g, template)) and ok
        for k in plan.removed:
            ok = layer.deleteFeature(int(k)) and ok
        if not ok:
            layer.destroyEditCommand()
            self._message(self.tr("Layer {layer} refused the change.").format(layer=layer.name()))
            return False
        layer.endEditCommand()
        return True

    def _new_feature(self, geom, template) -> QgsFeature:
        """A new parcel: the commune and sheet of the neighbour it came from, no number."""
        layer = self.parcels_layer
        feature = QgsFeature(layer.fields())
        feature.setGeometry(to_qgs(geom, layer))
        source = layer.getFeature(int(template)) if template is not None else None
        for role in ("commune", "sheet"):
            name = self.field_mapping.get(f"map.{role}")
            i = layer.fields().lookupField(name) if name else -1
            if i >= 0 and source is not None and source.isValid():
                feature.setAttribute(i, source.attribute(i))
        return feature

    # -- map ---------------------------------------------------------------------------------

    def _zoom_to(self, flag: dict) -> None:
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is None or any(pd.isna(flag.get(c)) for c in ("xmin", "ymin", "xmax", "ymax")):
            return
        rect = QgsRectangle(flag["xmin"], flag["ymin"], flag["xmax"], flag["ymax"])
        pad = max(rect.width(), rect.height(), 10.0) * 0.5
        rect = QgsRectangle(rect.xMinimum() - pad, rect.yMinimum() - pad, rect.xMaximum() + pad,
                            rect.yMaximum() + pad)
        dest = canvas.mapSettings().destinationCrs()
        if self.flags_crs.isValid() and dest.isValid() and dest != self.flags_crs:
            try:
                rect = QgsCoordinateTransform(self.flags_crs, dest, QgsProject.instance()).transformBoundingBox(rect)
            except Exception:  # QgsCsException: leave the view as it is
                return
        canvas.setExtent(rect)
        canvas.refresh()

    def _on_undo_index(self, index: int) -> None:
        """Undo of an applied fix reopens its flags; redo closes them again."""
        if (sip.isdeleted(self.flag_table) or self.parcels_layer is None or sip.isdeleted(self.parcels_layer)
                or not self.flags_path):
            return
        stack = self.parcels_layer.undoStack()
        changed = False
        for entry in list(self._applied):
            at, text, fids, applied = entry
            if stack.count() < at or stack.text(at - 1) != text:     # rolled back or replaced
                self._applied.remove(entry)
                continue
            now = index >= at
            if now == applied:
                continue
            entry[3] = now
            status, comment = (cat.FIXED, self.tr("Fixed in the edit buffer ({what})").format(what=text)) \
                if now else (cat.OPEN, "")
            try:
                record_decision(self.flags_path, fids, status, comment, self.user if now else "")
                changed = True
            except InputError as err:
                self._message(err.one_line())
        if changed:
            self._clear_preview()
            self._reload_frame()
            self._fill_flags()

    def _unwatch(self) -> None:
        layer, self._watched = self._watched, None
        if layer is not None and not sip.isdeleted(layer):
            try:
                layer.undoStack().indexChanged.disconnect(self._on_undo_index)
            except (TypeError, RuntimeError):
                pass

    def unload(self) -> None:
        """Clear the preview and let go of the layer's signals (call before deleting the dock)."""
        self._clear_preview()
        self._unwatch()
        self._applied = []

    def _message(self, text: str, info: bool = False) -> None:
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        (bar.pushInfo if info else bar.pushWarning)(TAG, text)


def _natural(s: str):
    import re
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(s))]


def _user_name() -> str:
    name = QgsApplication.userFullName() or QgsApplication.userLoginName()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:
            name = ""
    return name
