"""The land officer's review dock: browse flags, see each on the map, decide, apply fixes.

A thin view over FlagsTableModel / FlagsFilterProxy (ui/flags_model.py). Decisions go
straight into the flags file (core/flags/review.py); a suggestion is applied inside the
parcel layer's edit buffer, so Ctrl+Z undoes it and nothing reaches the source until
the user saves the layer.
"""
import getpass
import html
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsGeometry, QgsProject, QgsProviderRegistry, QgsRectangle, QgsVectorLayer)
from qgis.gui import QgsCheckableComboBox, QgsDockWidget, QgsFilterLineEdit
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QGridLayout, QHBoxLayout,
                                 QHeaderView, QInputDialog, QLabel, QPushButton, QSplitter, QTableView,
                                 QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ..core.flags import catalogue as cat
from ..core.errors import InputError
from ..core.flags.export import export_flags
from ..core.flags.review import (flag_geometry_wkb, last_field_mapping, last_run, load_flags,
                                 read_rows, record_decision)
from .flags_model import COLUMNS, FlagsFilterProxy, FlagsTableModel, label, natural_rank

try:  # Qt 6: QShortcut lives in QtGui (belongs in ui/compat.py, next to QAction)
    from qgis.PyQt.QtGui import QShortcut
except ImportError:  # Qt 5
    from qgis.PyQt.QtWidgets import QShortcut

TAG = "Cadastre Cleaner"
# Map-side roles a suggestion can write, and the flag column holding the value.
SUGGESTED_ROLES = (("commune", "suggested_commune"), ("sheet", "suggested_sheet"),
                   ("parcel", "suggested_parcel"), ("landuse", "suggested_value"))
LANDUSE_CODES = ("LANDUSE_MISMATCH", "LANDUSE_INVALID")   # their suggested_value is a land-use code
ZOOM_MARGIN = 0.25          # of the flag's larger side, on each side
MIN_ZOOM_PAD_M = 5.0        # around a flag without extent (a point), in metres


@dataclass
class _AppliedSuggestion:
    """A suggestion applied in a layer's edit buffer, followed through undo and redo."""
    layer_id: str
    index: int              # the undo stack's index right after our command
    text: str               # our command's text, to recognise it in the stack
    fid: int                # the flag
    before: tuple           # (status, comment) before the decision, restored on undo
    comment: str
    applied: bool = True


@dataclass
class SuggestionPlan:
    """What Apply suggestion would do for one flag: edits, or why it cannot."""
    edits: list             # [(field index, field name, old value, new value)]
    reason: str = ""        # empty when applicable


class ReviewDock(QgsDockWidget):
    """Browse, locate and decide flags of one flags file.

    Signals: decisionRecorded(fids: list, status: str), after a decision is in the file.
    """

    decisionRecorded = pyqtSignal(list, str)

    OBJECT_NAME = "CadastreCleanerReviewDock"

    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle(self.tr("Review flags"))
        self.flags_path: str | None = None
        self.parcels_layer: QgsVectorLayer | None = None
        self.field_mapping: dict = {}
        self.flags_crs = QgsCoordinateReferenceSystem()
        self.user = _user_name()
        self._shown_fid: int | None = None
        self._quiet = False                 # True while a decision moves rows under the view
        self._applied: list[_AppliedSuggestion] = []
        self._layer_connections: dict[str, list] = {}    # layer id -> [(signal, slot)], for unload()

        self.model = FlagsTableModel(parent=self)
        self.proxy = FlagsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)

        self._build()
        self._connect()
        self._build_shortcuts()
        self._update_buttons()

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("ReviewDock", text)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        bar = QGridLayout()
        self.code_filter = self._multi_combo("reviewCodeFilter", self.tr("All codes"),
                                             self.tr("Show only these check codes"))
        self.severity_filter = self._multi_combo("reviewSeverityFilter", self.tr("All severities"),
                                                 self.tr("Show only these severities"))
        self.status_filter = self._multi_combo("reviewStatusFilter", self.tr("All statuses"),
                                               self.tr("Show only flags with these review states"))
        self.sheet_filter = self._multi_combo("reviewSheetFilter", self.tr("All sheets"),
                                              self.tr("Show only flags on these map sheets"))
        self.search_edit = QgsFilterLineEdit(body)
        self.search_edit.setObjectName("reviewSearch")
        self.search_edit.setShowSearchIcon(True)
        self.search_edit.setPlaceholderText(self.tr("Search messages, parcels, comments…"))
        self.search_edit.setToolTip(self.tr("Every word must appear; case and accents are ignored "
                                            "(\"nguyen\" finds \"Nguyễn\")"))
        self.group_by = QComboBox(body)
        self.group_by.setObjectName("reviewGroupBy")
        self.group_by.addItem(self.tr("No grouping"), None)
        self.group_by.addItem(self.tr("Group by code"), "code")
        self.group_by.addItem(self.tr("Group by sheet"), "sheet")
        self.group_by.setToolTip(self.tr("Count the flags per code or per sheet; click a group to "
                                         "show only its flags"))
        bar.addWidget(self.code_filter, 0, 0)
        bar.addWidget(self.severity_filter, 0, 1)
        bar.addWidget(self.status_filter, 0, 2)
        bar.addWidget(self.sheet_filter, 1, 0)
        bar.addWidget(self.search_edit, 1, 1)
        bar.addWidget(self.group_by, 1, 2)
        layout.addLayout(bar)

        self.group_list = QTreeWidget(body)
        self.group_list.setObjectName("reviewGroupList")
        self.group_list.setHeaderLabels([self.tr("Group"), self.tr("Open"), self.tr("Total")])
        self.group_list.setRootIsDecorated(False)
        group_header = self.group_list.header()
        group_header.setStretchLastSection(False)
        group_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            group_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.group_list.setVisible(False)

        self.table = QTableView(body)
        self.table.setObjectName("reviewFlagTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for name, width in zip(COLUMNS, (80, 170, 50, 55, 70)):
            header.resizeSection(COLUMNS.index(name), width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(COLUMNS.index("severity"), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)

        self.details = QTextBrowser(body)
        self.details.setObjectName("reviewDetails")
        self.details.setOpenLinks(False)

        # One column of panes: a dock is usually tall and narrow.
        split = QSplitter(Qt.Orientation.Vertical, body)
        split.setObjectName("reviewSplitter")
        split.setChildrenCollapsible(False)
        for pane, stretch in ((self.group_list, 1), (self.table, 3), (self.details, 2)):
            split.addWidget(pane)
            split.setStretchFactor(split.indexOf(pane), stretch)
        layout.addWidget(split, 1)

        self.count_label = QLabel(body)
        self.count_label.setObjectName("reviewCount")
        layout.addWidget(self.count_label)

        self.apply_button = self._button("reviewApplySuggestion", self.tr("Apply suggestion"))
        self.fixed_button = self._button("reviewMarkFixed", self.tr("Mark fixed"))
        self.exception_button = self._button("reviewException", self.tr("Exception…"))
        self.reopen_button = self._button("reviewReopen", self.tr("Reopen"))
        self.previous_button = self._button("reviewPrevious", self.tr("Previous"))
        self.next_button = self._button("reviewNext", self.tr("Next"))
        self.export_button = self._button("reviewExport", self.tr("Export…"))
        decide = QHBoxLayout()
        for b in (self.apply_button, self.fixed_button, self.exception_button, self.reopen_button):
            decide.addWidget(b)
        layout.addLayout(decide)
        move = QHBoxLayout()
        for b in (self.previous_button, self.next_button):
            move.addWidget(b)
        move.addStretch(1)
        move.addWidget(self.export_button)
        layout.addLayout(move)
        self.setWidget(body)

    def _multi_combo(self, name: str, default_text: str, tooltip: str) -> QgsCheckableComboBox:
        combo = QgsCheckableComboBox(self)
        combo.setObjectName(name)
        combo.setDefaultText(default_text)
        combo.setToolTip(tooltip)
        return combo

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        return button

    def _connect(self) -> None:
        for combo in self._filter_combos().values():
            combo.checkedItemsChanged.connect(self._apply_filters)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._apply_filters)
        self._search_timer.timeout.connect(self._apply_filters)
        self.group_by.currentIndexChanged.connect(self._refresh_groups)
        self.group_list.itemClicked.connect(self._on_group_clicked)
        self.proxy.filtersChanged.connect(self._refresh_counts)
        self.proxy.layoutChanged.connect(self._refresh_counts)
        self.proxy.rowsRemoved.connect(self._refresh_counts)
        self.proxy.rowsInserted.connect(self._refresh_counts)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_changed)
        selection.selectionChanged.connect(self._update_buttons)
        self.apply_button.clicked.connect(self.apply_suggestion)
        self.fixed_button.clicked.connect(lambda: self.mark(cat.FIXED))
        self.exception_button.clicked.connect(self.ask_exception)
        self.reopen_button.clicked.connect(lambda: self.mark(cat.OPEN))
        self.previous_button.clicked.connect(self.previous_flag)
        self.next_button.clicked.connect(self.next_flag)
        self.export_button.clicked.connect(self.ask_export)

    def _build_shortcuts(self) -> None:
        """Keys work while the focus is anywhere in the dock; QGIS's own shortcuts elsewhere."""
        self.shortcuts = {}
        for key, slot, button, tip in (
                ("Ctrl+Down", self.next_flag, self.next_button, self.tr("Next flag")),
                ("Ctrl+Up", self.previous_flag, self.previous_button, self.tr("Previous flag")),
                ("Ctrl+Return", lambda: self.mark(cat.FIXED), self.fixed_button,
                 self.tr("Mark the selected flags fixed")),
                ("Ctrl+Shift+Return", self.apply_suggestion, self.apply_button,
                 self.tr("Write the suggested value into the parcel layer (undo with Ctrl+Z) and "
                         "mark the flag fixed")),
                ("Ctrl+Shift+E", self.ask_exception, self.exception_button,
                 self.tr("Accept the selected flags as they are, with a comment saying why")),
                ("Ctrl+Shift+Backspace", lambda: self.mark(cat.OPEN), self.reopen_button,
                 self.tr("Reopen the selected flags"))):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[key] = shortcut
            text = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{tip} ({text})")
            button.setProperty("baseToolTip", button.toolTip())
        self.export_button.setToolTip(self.tr("Save the flags shown (after filtering) as Excel, "
                                              "CSV or GeoPackage"))

    # -- loading ------------------------------------------------------------------------

    def load(self, flags_path: str, parcels_layer: QgsVectorLayer | None = None) -> None:
        """Show the flags of `flags_path`; `parcels_layer` is the checked parcel layer (found in
        the project from the last run's source when not given)."""
        frame = load_flags(str(flags_path))
        self.flags_path = str(flags_path)
        run = last_run(self.flags_path)
        self.field_mapping = last_field_mapping(self.flags_path)
        crs_wkt = frame.attrs.get("crs_wkt", "")
        self.flags_crs = QgsCoordinateReferenceSystem.fromWkt(crs_wkt) if crs_wkt else \
            QgsCoordinateReferenceSystem()
        self.set_parcels_layer(parcels_layer or _find_layer(run.get("parcels_source") or ""))
        self._shown_fid = None
        self._applied = []
        self.model.set_frame(frame)
        self._fill_filter_combos(frame)
        header = self.table.horizontalHeader()
        self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.setWindowTitle(self.tr("Review flags — {name}").format(name=os.path.basename(self.flags_path)))
        self._apply_filters()       # and shows the first flag

    def set_parcels_layer(self, layer: QgsVectorLayer | None) -> None:
        self.parcels_layer = layer
        if layer is None or layer.id() in self._layer_connections:
            return
        layer_id = layer.id()
        connections = ((layer.undoStack().indexChanged, lambda index: self._on_undo_index(layer_id, index)),
                       (layer.beforeCommitChanges, lambda *_: self._forget_applied(layer_id)),
                       (layer.willBeDeleted, lambda: self._layer_gone(layer_id)))
        for signal, slot in connections:
            signal.connect(slot)
        self._layer_connections[layer_id] = list(connections)

    def _layer_gone(self, layer_id: str) -> None:
        self._layer_connections.pop(layer_id, None)     # they go with the layer
        self._forget_applied(layer_id)
        if sip.isdeleted(self.table):      # QGIS closing: the dock went first
            return
        if self.parcels_layer is not None and _layer_id(self.parcels_layer) in (layer_id, None):
            self.parcels_layer = None
            self._update_buttons()

    def _fill_filter_combos(self, frame: pd.DataFrame) -> None:
        present = set(pd.unique(frame["code"]))
        codes = [c for c in cat.codes() if c in present] + sorted(present - set(cat.CATALOGUE))
        sheets = pd.Series(pd.unique(frame["sheet"]), dtype=object)
        sheets = sheets.iloc[np.argsort(natural_rank(sheets), kind="stable")].tolist() if len(sheets) else []
        items = {
            "code": [(f"{c} — {cat.CATALOGUE[c].title_tr()}" if c in cat.CATALOGUE else c, c) for c in codes],
            "severity": [(label(s), s) for s in cat.SEVERITIES],
            "status": [(label(s), s) for s in cat.STATUSES],
            "sheet": [(s if s else self.tr("(no sheet)"), s) for s in sheets],
        }
        for key, combo in self._filter_combos().items():
            combo.blockSignals(True)
            combo.clear()
            for text, value in items[key]:
                combo.addItem(text, value)
            combo.blockSignals(False)
        # A review starts with the flags still to decide.
        self._check(self.status_filter, {cat.OPEN})

    def _filter_combos(self) -> dict:
        return {"code": self.code_filter, "severity": self.severity_filter,
                "status": self.status_filter, "sheet": self.sheet_filter}

    @staticmethod
    def _check(combo: QgsCheckableComboBox, values: set) -> None:
        combo.blockSignals(True)
        for i in range(combo.count()):
            state = Qt.CheckState.Checked if combo.itemData(i) in values else Qt.CheckState.Unchecked
            combo.setItemCheckState(i, state)
        combo.blockSignals(False)

    # -- filters and groups -------------------------------------------------------------------

    def set_filter(self, key: str, values) -> None:
        """Show only flags whose `key` (code, severity, status, sheet) is in `values`
        (None or empty = all), and tick the same values in the filter bar."""
        self._check(self._filter_combos()[key], set(values or ()))
        self._apply_filters()

    def set_search(self, text: str) -> None:
        """Search now (typing in the box waits a moment for the next key)."""
        self.search_edit.blockSignals(True)
        self.search_edit.setText(text)
        self.search_edit.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        values = {key: [v for v in combo.checkedItemsData()] for key, combo in self._filter_combos().items()}
        self.proxy.set_filters(text=self.search_edit.text(), **values)
        self._refresh_groups()
        if not self.table.currentIndex().isValid():
            # the current flag was filtered out: go on with the first one shown
            if not self.select_row(0):
                self._show_current()
        else:
            self._update_buttons()

    def _refresh_counts(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self.tr("{shown} of {total} flags shown").format(shown=shown, total=total))

    def _refresh_groups(self, *_args) -> None:
        by = self.group_by.currentData()
        self.group_list.setVisible(by is not None)
        self.group_list.clear()
        if by is None or self.model.rowCount() == 0:
            return
        counts = self.proxy.group_counts(by)
        chosen = set(self.proxy.filters()[by])
        everything = QTreeWidgetItem([self.tr("(all)"), str(int(counts["open"].sum())),
                                      str(int(counts["total"].sum()))])
        everything.setData(0, Qt.ItemDataRole.UserRole, None)
        self.group_list.addTopLevelItem(everything)
        for group, total, open_ in counts.itertuples(index=False):
            text = group if group else self.tr("(none)")
            if by == "code" and group in cat.CATALOGUE:
                text = f"{group} — {cat.CATALOGUE[group].title_tr()}"
            item = QTreeWidgetItem([text, str(int(open_)), str(int(total))])
            item.setData(0, Qt.ItemDataRole.UserRole, group)
            item.setToolTip(0, text)
            self.group_list.addTopLevelItem(item)
            if group in chosen and len(chosen) == 1:
                self.group_list.setCurrentItem(item)

    def _on_group_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        # After the click is handled: choosing a group rebuilds the list, this item with it.
        group = item.data(0, Qt.ItemDataRole.UserRole)
        QTimer.singleShot(0, lambda: self.choose_group(group))

    def choose_group(self, group: str | None) -> None:
        """Show only the flags of one code or sheet (as grouped); None shows every group."""
        by = self.group_by.currentData()
        if by is not None:
            self.set_filter(by, None if group is None else {group})

    # -- the current flag ---------------------------------------------------------------------

    def current_flag(self) -> dict | None:
        """The flag under the cursor: every column of the flags file, plus fid and bbox."""
        row = self._current_source_row()
        return None if row < 0 else self.model.flag(row)

    def selected_fids(self) -> list[int]:
        """The flags selected in the list (the current one when none is selected)."""
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        if not rows:
            row = self._current_source_row()
            rows = {row} if row >= 0 else set()
        return sorted(self.model.fid(r) for r in rows)

    def select_row(self, i: int) -> bool:
        """Make row `i` of the list (as shown) the current flag: details, zoom, parcels."""
        if not self._set_current(i):
            return False
        self._show_current(locate=True)
        return True

    def _set_current(self, i: int) -> bool:
        """Move the cursor to row `i` without side effects on the map."""
        if not 0 <= i < self.proxy.rowCount():
            return False
        index = self.proxy.index(i, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self._quiet = True
        try:
            self.table.selectionModel().setCurrentIndex(index, flags)
        finally:
            self._quiet = False
        self.table.scrollTo(index)
        return True

    def next_flag(self) -> bool:
        """Go to the next flag of the list; at the last one, stay (False)."""
        row = self.table.currentIndex().row()
        return self._step(0 if row < 0 else row + 1, self.tr("This is the last flag of the list."))

    def previous_flag(self) -> bool:
        """Go to the previous flag of the list; at the first one, stay (False)."""
        row = self.table.currentIndex().row()
        return self._step(self.proxy.rowCount() - 1 if row < 0 else row - 1,
                          self.tr("This is the first flag of the list."))

    def _step(self, row: int, at_end: str) -> bool:
        if 0 <= row < self.proxy.rowCount():
            return self.select_row(row)
        if self.proxy.rowCount():
            self._message(at_end, info=True)
        return False

    def _current_source_row(self) -> int:
        index = self.table.currentIndex()
        return self.proxy.mapToSource(index).row() if index.isValid() else -1

    def _on_current_changed(self, *_args) -> None:
        if not self._quiet:
            self._show_current()

    def _show_current(self, locate: bool = False) -> None:
        """Details and buttons for the current flag; on the map too when it is another flag
        than the one shown (or `locate`)."""
        flag = self.current_flag()
        fid = None if flag is None else int(flag["fid"])
        if fid is not None and (locate or fid != self._shown_fid):
            self._locate(flag)
        self._shown_fid = fid
        self._show_details(flag)
        self._update_buttons()

    # -- on the map -------------------------------------------------------------------------

    def _locate(self, flag: dict) -> None:
        """Zoom to the flag, flash it, select its parcel(s)."""
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is not None:
            rect = self.flag_extent(flag)
            if rect is not None:
                canvas.setExtent(rect)
                canvas.refresh()
            self._flash(canvas, flag)
        layer = self.parcels_layer
        if layer is not None and _layer_id(layer) is not None:
            ids = [int(flag[k]) for k in ("map_fid", "other_map_fid") if _is_id(flag.get(k))]
            if ids:
                layer.selectByIds(ids)
            else:
                layer.removeSelection()

    def flag_extent(self, flag: dict) -> QgsRectangle | None:
        """The flag's bbox with a margin, in the map canvas's CRS (None without geometry)."""
        box = [flag.get(k) for k in ("xmin", "ymin", "xmax", "ymax")]
        if any(v is None or pd.isna(v) for v in box):
            return None
        rect = QgsRectangle(*map(float, box))
        canvas = self.iface.mapCanvas()
        dest = canvas.mapSettings().destinationCrs()
        geographic = self.flags_crs.isGeographic()
        if self.flags_crs.isValid() and dest.isValid() and dest != self.flags_crs:
            transform = QgsCoordinateTransform(self.flags_crs, dest, QgsProject.instance())
            rect = transform.transformBoundingBox(rect)
            geographic = dest.isGeographic()
        pad = max(rect.width(), rect.height()) * ZOOM_MARGIN
        if pad <= 0:
            pad = MIN_ZOOM_PAD_M / 111_000 if geographic else MIN_ZOOM_PAD_M
        rect.grow(pad)
        return rect

    def _flash(self, canvas, flag: dict) -> None:
        if not self.flags_path:
            return
        wkb = flag_geometry_wkb(self.flags_path, int(flag["fid"]))
        if wkb is None:
            return
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        canvas.flashGeometries([geometry], self.flags_crs)

    # -- details ----------------------------------------------------------------------------------

    def _show_details(self, flag: dict | None) -> None:
        if flag is None:
            self.details.setHtml(f"<p>{html.escape(self.tr('No flag selected.'))}</p>")
            return
        e = lambda v: html.escape("" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))  # noqa: E731
        check = cat.CATALOGUE.get(flag["code"])
        title = check.title_tr() if check else flag["code"]
        parts = [f"<h3>{e(title)}</h3>",
                 f"<p><b>{e(flag['code'])}</b> · {e(label(flag['severity']))} · {e(label(flag['status']))}</p>",
                 f"<p>{e(flag['message'])}</p>"]
        map_key = "/".join(v for v in (flag["sheet"], flag["parcel"]) if v)
        rows = [(self.tr("Parcel"), map_key + (f" (fid {e(flag['map_fid'])})" if _is_id(flag["map_fid"]) else ""),
                 self.tr("row {row}").format(row=flag["register_row"]) if _is_id(flag["register_row"]) else ""),
                (self.tr("Value"), flag["map_value"], flag["register_value"])]
        if _is_id(flag.get("other_map_fid")):
            rows.append((self.tr("Other parcel"), f"fid {flag['other_map_fid']}", ""))
        table = "".join(f"<tr><th align='left'>{e(name)}</th><td>{e(m)}</td><td>{e(r)}</td></tr>"
                        for name, m, r in rows)
        parts.append(f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
                     f"<tr><th></th><th>{e(self.tr('Map'))}</th><th>{e(self.tr('Register'))}</th></tr>"
                     f"{table}</table>")
        if flag["suggestion"]:
            target = {"map": self.tr("on the map"), "register": self.tr("in the register")}.get(
                flag["suggestion_target"], "")
            line = f"<p><b>{e(self.tr('Suggestion'))}</b> {e(target)}: {e(flag['suggestion'])}"
            if flag["confidence"] is not None and not pd.isna(flag["confidence"]):
                line += " " + e(self.tr("(confidence {percent} %)").format(
                    percent=round(100 * float(flag["confidence"]))))
            parts.append(line + "</p>")
        history = [self.tr("First seen {when}").format(when=flag["first_seen"] or "?"),
                   self.tr("Last seen {when} (run {run})").format(when=flag["last_seen"] or "?",
                                                                  run=flag["run_id"] or "?")]
        if flag["status"] != cat.OPEN:
            history.append(self.tr("{status} by {who} at {when}").format(
                status=label(flag["status"]), who=flag["resolved_by"] or "?", when=flag["resolved_at"] or "?"))
        if flag["comment"]:
            history.append(self.tr("Comment: {comment}").format(comment=flag["comment"]))
        parts.append(f"<p><b>{e(self.tr('History'))}</b></p><ul>"
                     + "".join(f"<li>{e(h)}</li>" for h in history) + "</ul>")
        self.details.setHtml("".join(parts))

    # -- decisions --------------------------------------------------------------------------------

    def mark(self, status: str, comment: str = "") -> bool:
        """Record `status` (with `comment`) for the selected flags in the flags file."""
        fids = self.selected_fids()
        if not fids or not self.flags_path:
            return False
        return self._decide(fids, status, comment)

    def ask_exception(self) -> bool:
        """Ask why the selected flags are accepted as they are; an empty answer is refused."""
        if not self.selected_fids():
            return False
        text, ok = QInputDialog.getText(self, self.tr("Exception"),
                                        self.tr("Why is this flag accepted as it is?"))
        if not ok:
            return False
        if not text.strip():
            self._message(self.tr("An exception needs a comment saying why; nothing was recorded."))
            return False
        return self.mark(cat.EXCEPTION, text)

    def _decide(self, fids: list, status: str, comment: str, move_on: bool = True) -> bool:
        try:
            record_decision(self.flags_path, fids, status, comment, self.user if status != cat.OPEN else "")
        except InputError as err:
            self._message(err.one_line())
            return False
        self._refresh_rows(fids, move_on)
        self.decisionRecorded.emit([int(f) for f in fids], status)
        return True

    def _refresh_rows(self, fids: list, move_on: bool = True) -> None:
        """Read the decided rows back from the file into the model (only those rows)."""
        row = self.table.currentIndex().row()
        current = self._shown_fid
        self._quiet = True
        try:
            self.model.update_rows(read_rows(self.flags_path, fids))
        finally:
            self._quiet = False
        still = self._proxy_row_of_fid(current) if current is not None else -1
        if still >= 0:             # still listed: stay on it
            if still != self.table.currentIndex().row():
                self._set_current(still)
            self._show_current()
        elif move_on and self.proxy.rowCount():
            # the decided flag left the list (status filter): the one now in its place
            self.select_row(min(max(row, 0), self.proxy.rowCount() - 1))
        else:
            self._show_current()
        self._refresh_groups()
        self._reload_flag_layers()

    def _proxy_row_of_fid(self, fid: int) -> int:
        source = self.model.row_of_fid(fid)
        if source < 0:
            return -1
        return self.proxy.mapFromSource(self.model.index(source, 0)).row()

    def _reload_flag_layers(self) -> None:
        """Layers of the project showing this flags file redraw with the new states."""
        path = os.path.abspath(self.flags_path)
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and _source_path(layer) == path:
                layer.reload()
                layer.triggerRepaint()

    # -- apply suggestion ---------------------------------------------------------------------

    def suggestion_plan(self, flag: dict | None = None) -> SuggestionPlan:
        """The attribute edits Apply suggestion would make for `flag` (the current one), or
        why there are none."""
        flag = flag if flag is not None else self.current_flag()
        if flag is None:
            return SuggestionPlan([], self.tr("No flag selected."))
        if flag["status"] != cat.OPEN:
            return SuggestionPlan([], self.tr("The flag is already decided ({status}); reopen it "
                                              "first.").format(status=label(flag["status"])))
        target = flag["suggestion_target"]
        if target == "register":
            return SuggestionPlan([], self.tr("The suggestion is for the register: correct the "
                                              "register, then run the check again."))
        values = [(role, flag[column]) for role, column in SUGGESTED_ROLES
                  if flag[column] and (role != "landuse" or flag["code"] in LANDUSE_CODES)]
        if target != "map" or not values:
            check = cat.CATALOGUE.get(flag["code"])
            if check is not None and check.group == "topology" and flag["suggestion"]:
                return SuggestionPlan([], self.tr("Geometry fixes are not applied here: use the "
                                                  "Fix topology algorithm."))
            return SuggestionPlan([], self.tr("This flag has no value to write into the map."))
        layer = self.parcels_layer
        if layer is None or _layer_id(layer) is None:
            return SuggestionPlan([], self.tr("No parcel layer: load the flags together with the "
                                              "parcel layer to apply suggestions."))
        if not _is_id(flag["map_fid"]):
            return SuggestionPlan([], self.tr("The flag names no parcel of the map."))
        feature = layer.getFeature(int(flag["map_fid"]))
        if not feature.isValid():
            return SuggestionPlan([], self.tr("Parcel fid {fid} is not in layer {layer}.").format(
                fid=flag["map_fid"], layer=layer.name()))
        edits = []
        for role, value in values:
            name = self.field_mapping.get(f"map.{role}")
            if not name:
                return SuggestionPlan([], self.tr("The flags file does not say which field holds the "
                                                  "{role}.").format(role=role))
            index = layer.fields().lookupField(name)
            if index < 0:
                return SuggestionPlan([], self.tr("Layer {layer} has no field {field}.").format(
                    layer=layer.name(), field=name))
            field = layer.fields().at(index)
            old = feature.attribute(index)
            new = _convert(field, value)
            if new is None:
                return SuggestionPlan([], self.tr("{value} does not fit field {field}.").format(
                    value=value, field=name))
            if _same_key(old, new):
                continue
            edits.append((index, field.name(), old, new))
        if not edits:
            return SuggestionPlan([], self.tr("The parcel already has the suggested values."))
        return SuggestionPlan(edits)

    def apply_suggestion(self) -> bool:
        """Write the current flag's suggested value(s) into the parcel layer's edit buffer (one
        undoable command), then record the flag fixed."""
        flag = self.current_flag()
        plan = self.suggestion_plan(flag)
        if plan.reason:
            self._message(plan.reason, info=True)
            return False
        layer = self.parcels_layer
        if not layer.isEditable() and not layer.startEditing():
            self._message(self.tr("Layer {layer} cannot be edited.").format(layer=layer.name()))
            return False
        fid = int(flag["map_fid"])
        text = self.tr("Apply suggestion: {code} {key}").format(
            code=flag["code"], key="/".join(v for v in (flag["sheet"], flag["parcel"]) if v))
        layer.beginEditCommand(text)
        ok = all(layer.changeAttributeValue(fid, index, new, old) for index, _, old, new in plan.edits)
        if not ok:
            layer.destroyEditCommand()
            self._message(self.tr("Layer {layer} refused the change.").format(layer=layer.name()))
            return False
        layer.endEditCommand()
        changes = ", ".join(f"{name}: {_show(old)} → {_show(new)}" for _, name, old, new in plan.edits)
        comment = self.tr("Suggestion applied in the edit buffer ({changes})").format(changes=changes)
        before = (flag["status"], flag["comment"])
        stack = layer.undoStack()
        self._applied = [a for a in self._applied if a.fid != int(flag["fid"])]
        self._applied.append(_AppliedSuggestion(layer.id(), stack.index(), text, int(flag["fid"]),
                                                before, comment))
        if not self._decide([int(flag["fid"])], cat.FIXED, comment):
            return False
        layer.triggerRepaint()
        self._message(self.tr("{changes}. Save the layer's edits to keep them; Ctrl+Z undoes "
                              "them and reopens the flag.").format(changes=changes), info=True)
        return True

    def _on_undo_index(self, layer_id: str, index: int) -> None:
        """Undo/redo of an applied suggestion reopens / re-closes its flag."""
        if sip.isdeleted(self.table):
            return
        layer = QgsProject.instance().mapLayer(layer_id) or self.parcels_layer
        if layer is None or _layer_id(layer) != layer_id:
            return
        stack = layer.undoStack()
        for entry in [a for a in self._applied if a.layer_id == layer_id]:
            gone = stack.count() < entry.index or stack.text(entry.index - 1) != entry.text
            applied = not gone and index >= entry.index
            if gone:        # rolled back, or replaced by a new edit after undo
                self._applied.remove(entry)
            if applied == entry.applied or not self.flags_path:
                continue
            entry.applied = applied
            status, comment = (cat.FIXED, entry.comment) if applied else entry.before
            if status == cat.EXCEPTION and not comment:
                status = cat.OPEN
            self._decide([entry.fid], status, comment, move_on=False)

    def _forget_applied(self, layer_id: str) -> None:
        """Once the layer's edits are saved (or the layer is gone), decisions stay as they are."""
        self._applied = [a for a in self._applied if a.layer_id != layer_id]

    # -- export ------------------------------------------------------------------------------

    def export(self, path: str) -> int:
        """Write the flags shown (filtered, in the order shown) to .xlsx, .csv or .gpkg."""
        count = export_flags(self.proxy.filtered_frame(), path, source=self.flags_path)
        self._message(self.tr("{count} flags exported to {path}").format(count=count, path=path), info=True)
        return count

    def ask_export(self) -> int:
        filters = ";;".join((self.tr("Excel workbook (*.xlsx)"), self.tr("CSV, UTF-8 (*.csv)"),
                             self.tr("GeoPackage with geometries (*.gpkg)")))
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export the flags shown"), "", filters)
        if not path:
            return 0
        if not os.path.splitext(path)[1]:
            path += next((ext for ext in (".xlsx", ".csv", ".gpkg") if ext in chosen), ".xlsx")
        try:
            return self.export(path)
        except InputError as err:
            self._message(err.one_line())
            return 0

    # -- buttons and messages ------------------------------------------------------------

    def unload(self) -> None:
        """Let go of the parcel layers' signals (call before deleting the dock)."""
        for connections in self._layer_connections.values():
            for signal, slot in connections:
                try:
                    signal.disconnect(slot)
                except (TypeError, RuntimeError):   # already disconnected
                    pass
        self._layer_connections = {}
        self._applied = []

    def _update_buttons(self, *_args) -> None:
        has_flag = self.current_flag() is not None
        for b in (self.fixed_button, self.exception_button, self.reopen_button):
            b.setEnabled(has_flag)
        rows = self.proxy.rowCount()
        row = self.table.currentIndex().row()
        self.previous_button.setEnabled(rows > 0 and row != 0)
        self.next_button.setEnabled(rows > 0 and row < rows - 1)
        self.export_button.setEnabled(rows > 0)
        plan = self.suggestion_plan() if has_flag else SuggestionPlan([], self.tr("No flag selected."))
        self.apply_button.setEnabled(not plan.reason)
        base = self.apply_button.property("baseToolTip") or ""
        self.apply_button.setToolTip(base if not plan.reason else f"{plan.reason}\n\n{base}")

    def _message(self, text: str, info: bool = False) -> None:
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        if info:
            bar.pushInfo(TAG, text)
        else:
            bar.pushWarning(TAG, text)


# -- helpers ----------------------------------------------------------------------------------

def _user_name() -> str:
    name = QgsApplication.userFullName() or QgsApplication.userLoginName()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name in some services
            name = ""
    return name


def _is_id(value) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and np.isnan(value))


def _layer_id(layer) -> str | None:
    """The layer's id, None when its C++ object is gone."""
    try:
        return layer.id()
    except RuntimeError:
        return None


def _decoded(layer) -> tuple[str, str]:
    """(absolute path, layer name) of a file-based layer; ("", "") for others."""
    try:
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    except RuntimeError:
        return "", ""
    path = parts.get("path") or ""
    return (os.path.abspath(path) if path else ""), (parts.get("layerName") or "")


def _source_path(layer) -> str:
    return _decoded(layer)[0]


def _find_layer(source: str) -> QgsVectorLayer | None:
    """The project's layer reading `source` ("file.gpkg" or "file.gpkg|layername=parcels")."""
    from ..core.loading.vector import split_source
    path, name = split_source(source)
    if not path:
        return None
    path = os.path.abspath(path)
    found = []
    for layer in QgsProject.instance().mapLayers().values():
        if not isinstance(layer, QgsVectorLayer):
            continue
        layer_path, layer_name = _decoded(layer)
        if layer_path != path:
            continue
        if name and layer_name and layer_name != name:
            continue
        found.append((0 if (layer_name == name or layer_name in ("parcels", "")) else 1, layer.name(), layer))
    return sorted(found, key=lambda t: t[:2])[0][2] if found else None


def _convert(field, value):
    """`value` (text) as the field's type; None when it does not fit."""
    try:
        return field.convertCompatible(value)
    except (ValueError, TypeError):
        return None


def _same_key(old, new) -> bool:
    """Equal as keys ('07' and 7 are the same parcel number)."""
    from ..core.register.keys import normalise_key
    if old is None or (hasattr(old, "isNull") and old.isNull()):
        return False
    a, b = normalise_key(pd.Series([str(old), str(new)], dtype=object)).tolist()
    return a == b


def _show(value) -> str:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return "NULL"
    return str(value)
