"""The flag list as Qt item models: a table over the flags DataFrame and a filter proxy.

The table model reads its cells straight from the frame's column arrays. Filtering
and sorting are done in bulk with pandas/numpy whenever a filter changes (a boolean
mask over the rows, a permutation of the rows); Qt only looks the answer up per row,
so 100 000 flags stay responsive.
"""
import numpy as np
import pandas as pd
from qgis.PyQt.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex,
                              QSortFilterProxyModel, Qt, pyqtSignal)
from qgis.PyQt.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from ..core.flags import catalogue as cat
from ..core.i18n import QT_TRANSLATE_NOOP
from ..core.flags.store import FLAG_FIELDS
from ..core.flags.review import BBOX_COLUMNS, fold_query, fold_text

_CTX = "FlagsTableModel"
COLUMNS = ("severity", "code", "sheet", "parcel", "status", "message")
COLUMN_TITLES = {
    "severity": QT_TRANSLATE_NOOP(_CTX, "Severity"), "code": QT_TRANSLATE_NOOP(_CTX, "Code"),
    "sheet": QT_TRANSLATE_NOOP(_CTX, "Sheet"), "parcel": QT_TRANSLATE_NOOP(_CTX, "Parcel"),
    "status": QT_TRANSLATE_NOOP(_CTX, "Status"), "message": QT_TRANSLATE_NOOP(_CTX, "Message"),
}
# What a reviewer reads for the stored English words (the file keeps the words).
VALUE_LABELS = {
    cat.ERROR: QT_TRANSLATE_NOOP(_CTX, "error"), cat.WARNING: QT_TRANSLATE_NOOP(_CTX, "warning"),
    cat.INFO: QT_TRANSLATE_NOOP(_CTX, "info"), cat.OPEN: QT_TRANSLATE_NOOP(_CTX, "open"),
    cat.FIXED: QT_TRANSLATE_NOOP(_CTX, "fixed"), cat.EXCEPTION: QT_TRANSLATE_NOOP(_CTX, "exception"),
    cat.OBSOLETE: QT_TRANSLATE_NOOP(_CTX, "obsolete"),
}
SEVERITY_COLOURS = {cat.ERROR: "#d7301f", cat.WARNING: "#f59e0b", cat.INFO: "#3b82c4"}
FILTER_KEYS = ("code", "severity", "status", "sheet")
# Columns searched by the free-text filter (a code also by its title, see search_index()).
SEARCH_COLUMNS = ("code", "sheet", "parcel", "message", "suggestion", "map_value",
                  "register_value", "comment")


def _role(value) -> int:
    """An item role as a plain int: PyQt5 passes ints, PyQt6 may hand out enum members."""
    return int(getattr(value, "value", value))


DISPLAY, DECORATION, TOOLTIP, FOREGROUND = (_role(Qt.ItemDataRole.DisplayRole),
                                            _role(Qt.ItemDataRole.DecorationRole),
                                            _role(Qt.ItemDataRole.ToolTipRole),
                                            _role(Qt.ItemDataRole.ForegroundRole))
FID_ROLE = _role(Qt.ItemDataRole.UserRole) + 1        # the flag's fid in the flags file
HORIZONTAL = Qt.Orientation.Horizontal


def label(value: str) -> str:
    """A stored severity or status word in the user's language."""
    return QCoreApplication.translate(_CTX, value) if value in VALUE_LABELS else value


def natural_rank(values: pd.Series) -> np.ndarray:
    """Ranks that put '2' before '10' and numbers before text ('TĐ03-2014')."""
    codes, uniques = pd.factorize(values.astype(str), sort=False)
    num = pd.to_numeric(pd.Series(uniques), errors="coerce")
    order = pd.DataFrame({"n": num.fillna(np.inf), "s": uniques}).sort_values(["n", "s"], kind="stable").index
    rank_of_unique = np.empty(len(uniques), dtype=np.int64)
    rank_of_unique[order.to_numpy()] = np.arange(len(uniques))
    return rank_of_unique[codes] if len(codes) else np.array([], dtype=np.int64)


def _empty_frame() -> pd.DataFrame:
    """No flags, with the columns of a load_flags frame."""
    columns = {"fid": pd.Series(dtype=np.int64)}
    columns.update({name: pd.Series(dtype=object) for name, _ in FLAG_FIELDS})
    columns.update({name: pd.Series(dtype=float) for name in BBOX_COLUMNS})
    return pd.DataFrame(columns)


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(130))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class FlagsTableModel(QAbstractTableModel):
    """The flags as a table: severity, code, sheet, parcel, status, message.

    `frame` is the DataFrame of core.flags.review.load_flags; row i of the model is
    row i of the frame. `generation` changes whenever rows change, move or are
    replaced, so a proxy knows its mask is stale.
    """

    def __init__(self, frame: pd.DataFrame | None = None, parent=None):
        super().__init__(parent)
        self._frame = _empty_frame()
        self._cols: dict[str, np.ndarray] = {}
        self._search: dict | None = None
        self._hits: dict[str, np.ndarray] = {}     # searched word -> rows holding it
        self._fid_index = pd.Index([], dtype=np.int64)
        self.generation = 0
        self._icons = {sev: _dot(colour) for sev, colour in SEVERITY_COLOURS.items()}
        self._muted = QBrush(QColor("#808080"))
        self._suggestion_prefix = self.tr("Suggestion: ")
        self.set_frame(frame if frame is not None else self._frame)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("FlagsTableModel", text)

    # -- the data --------------------------------------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._refresh_arrays()
        self._search, self._hits = None, {}
        self.generation += 1
        self.endResetModel()

    def _refresh_arrays(self, columns=None) -> None:
        f = self._frame
        for name in columns or set(COLUMNS) | {"suggestion", "fid"}:
            if name in ("severity", "status"):
                raw = f[name].to_numpy(object)
                self._cols["_" + name] = raw
                labels = {v: label(v) for v in pd.unique(raw)}
                self._cols[name] = pd.Series(raw).map(labels).to_numpy(object)
            else:
                self._cols[name] = f[name].to_numpy()
        self._fid_index = pd.Index(f["fid"].to_numpy(np.int64))

    def flag(self, row: int) -> dict:
        """All columns of one row as a dict (None for a missing id)."""
        values = self._frame.iloc[row].to_dict()
        return {k: (None if v is pd.NA or v is None else v.item() if isinstance(v, np.generic) else v)
                for k, v in values.items()}

    def fid(self, row: int) -> int:
        return int(self._cols["fid"][row])

    def row_of_fid(self, fid: int) -> int:
        pos = self._fid_index.get_indexer([int(fid)])[0]
        return int(pos)

    def search_index(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each searched column: (codes, folded distinct values), codes[row] indexing
        the values. Built on first use; searching then runs over distinct values only."""
        if self._search is None:
            self._search = {}
        for name in SEARCH_COLUMNS:
            if name not in self._search:
                codes, uniques = pd.factorize(self._frame[name].astype(object), use_na_sentinel=False)
                texts = np.asarray(uniques, dtype=object)
                if name == "code":    # a code is also found by its title, in English and translated
                    texts = np.array([f"{c} {cat.CATALOGUE[c].title} {cat.CATALOGUE[c].title_tr()}"
                                      if c in cat.CATALOGUE else str(c) for c in texts], dtype=object)
                self._search[name] = (codes, fold_text(texts))
        return [self._search[name] for name in SEARCH_COLUMNS]

    def rows_with(self, word: str) -> np.ndarray:
        """Which rows hold `word` (folded) in a searched column. Remembered until the
        searched text changes, so another filter or a new sort does not search again."""
        if word not in self._hits:
            hit = np.zeros(len(self._frame), dtype=bool)
            for codes, texts in self.search_index():
                found = pd.Series(texts, dtype=object).str.contains(word, regex=False).to_numpy(bool)
                if found.any():
                    hit |= found[codes]
            if len(self._hits) > 50:
                self._hits.clear()
            self._hits[word] = hit
        return self._hits[word]

    def update_rows(self, values: pd.DataFrame) -> np.ndarray:
        """Take new values for some flags (indexed by fid, e.g. read back after a decision);
        returns the rows changed."""
        pos = self._fid_index.get_indexer(values.index)
        keep = pos >= 0
        pos, values = pos[keep], values[keep]
        if not len(pos):
            return pos
        for name in values.columns:
            if name in self._frame:
                self._frame.iloc[pos, self._frame.columns.get_loc(name)] = values[name].to_numpy(object)
        self._refresh_arrays([c for c in values.columns if c in COLUMNS or c == "suggestion"])
        if set(values.columns) & set(SEARCH_COLUMNS):
            for name in values.columns:
                (self._search or {}).pop(name, None)     # rebuilt on the next search
            self._hits = {}
        self.generation += 1
        last = len(COLUMNS) - 1
        order = np.sort(pos)
        if len(order) > 200:    # many scattered rows: one signal for the span
            self.dataChanged.emit(self.index(int(order[0]), 0), self.index(int(order[-1]), last))
        else:
            for row in order:
                self.dataChanged.emit(self.index(int(row), 0), self.index(int(row), last))
        return pos

    # -- sorting -------------------------------------------------------------------------

    def sort_permutation(self, column: int, order=Qt.SortOrder.AscendingOrder) -> np.ndarray:
        """The row order that sorts by `column` (stable: ties keep their present order)."""
        name = COLUMNS[column]
        values = self._frame[name]
        if name == "severity":
            rank = values.map({s: i for i, s in enumerate(cat.SEVERITIES)}).fillna(len(cat.SEVERITIES))
            rank = rank.to_numpy(np.int64)
        elif name == "status":
            rank = values.map({s: i for i, s in enumerate(cat.STATUSES)}).fillna(len(cat.STATUSES))
            rank = rank.to_numpy(np.int64)
        elif name in ("sheet", "parcel"):
            rank = natural_rank(values)
        else:
            rank = pd.factorize(values.astype(str), sort=True)[0]
        if order == Qt.SortOrder.DescendingOrder:
            rank = -rank
        return np.argsort(rank, kind="stable")

    def reorder(self, perm: np.ndarray) -> None:
        """Put row perm[i] at row i; selections and current rows follow their flags."""
        perm = np.asarray(perm, dtype=np.int64)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        frame = self._frame.take(perm)
        frame.index = pd.RangeIndex(len(frame))
        self._frame = frame
        self._cols = {name: values[perm] for name, values in self._cols.items()}
        self._fid_index = pd.Index(self._cols["fid"].astype(np.int64))
        if self._search:
            self._search = {k: (codes[perm], texts) for k, (codes, texts) in self._search.items()}
        self._hits = {word: hit[perm] for word, hit in self._hits.items()}
        self.generation += 1
        new_row = np.empty_like(perm)
        new_row[perm] = np.arange(len(perm))
        self.changePersistentIndexList(
            persistent, [self.index(int(new_row[i.row()]), i.column()) for i in persistent])
        self.layoutChanged.emit()

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        role, row, name = _role(role), index.row(), COLUMNS[index.column()]
        if role == DISPLAY:
            return self._cols[name][row]
        if role == DECORATION and name == "severity":
            return self._icons.get(self._cols["_severity"][row])
        if role == TOOLTIP:
            suggestion = self._cols["suggestion"][row]
            text = self._cols["message"][row]
            return f"{text}\n{self._suggestion_prefix}{suggestion}" if suggestion else text
        if role == FOREGROUND and self._cols["_status"][row] != cat.OPEN:
            return self._muted
        if role == FID_ROLE:
            return int(self._cols["fid"][row])
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if _role(role) == DISPLAY and orientation == HORIZONTAL and 0 <= section < len(COLUMNS):
            return QCoreApplication.translate(_CTX, COLUMN_TITLES[COLUMNS[section]])
        return super().headerData(section, orientation, role)


class FlagsFilterProxy(QSortFilterProxyModel):
    """Filters by code, severity, status and sheet (sets of stored values; empty = all)
    and by free text (every word, case- and accent-insensitive).

    A filter change computes one boolean mask with pandas; filterAcceptsRow only looks
    it up. Sorting permutes the source model's rows with numpy (sort()), instead of
    Qt comparing rows pair by pair through Python.
    """

    filtersChanged = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._filters: dict[str, frozenset] = {k: frozenset() for k in FILTER_KEYS}
        self._words: tuple[str, ...] = ()
        self._text = ""
        self._accept: list[bool] = []
        self._mask = np.zeros(0, dtype=bool)
        self._seen = None                     # the source generation the mask belongs to
        self._model: FlagsTableModel | None = None

    def setSourceModel(self, model) -> None:  # noqa: N802 (Qt API)
        self._model = model
        self._seen = None
        super().setSourceModel(model)

    # -- filters -------------------------------------------------------------------------

    def filters(self) -> dict:
        return {**{k: set(v) for k, v in self._filters.items()}, "text": self._text}

    def set_filters(self, **changes) -> None:
        """Set any of code=, severity=, status=, sheet= (iterables; None or empty = all)
        and text=, then filter once."""
        for key, values in changes.items():
            if key == "text":
                self._text = values or ""
                self._words = tuple(w for w in fold_query(self._text).split() if w)
            elif key in self._filters:
                self._filters[key] = frozenset(str(v) for v in (values or ()))
            else:
                raise KeyError(f"no filter {key!r}: use {', '.join(FILTER_KEYS)} or text")
        self.refilter()

    def set_codes(self, codes) -> None:
        self.set_filters(code=codes)

    def set_severities(self, severities) -> None:
        self.set_filters(severity=severities)

    def set_statuses(self, statuses) -> None:
        self.set_filters(status=statuses)

    def set_sheets(self, sheets) -> None:
        self.set_filters(sheet=sheets)

    def set_text(self, text: str) -> None:
        self.set_filters(text=text)

    def clear_filters(self) -> None:
        self.set_filters(text="", **{k: None for k in FILTER_KEYS})

    def refilter(self) -> None:
        """Recompute the mask now and let the views know."""
        self._update_mask()
        self.invalidate()
        self.filtersChanged.emit()

    # -- the mask ------------------------------------------------------------------------

    def mask(self, skip: str | None = None) -> np.ndarray:
        """Which source rows pass every filter (but the one named `skip`)."""
        model = self._model
        if model is None:
            return np.zeros(0, dtype=bool)
        if skip is None and self._seen == model.generation:
            return self._mask
        frame = model.frame
        keep = np.ones(len(frame), dtype=bool)
        for key, values in self._filters.items():
            if values and key != skip:
                keep &= frame[key].isin(values).to_numpy()
        if self._words and skip != "text":
            for word in self._words:
                keep &= model.rows_with(word)
        return keep

    def _update_mask(self) -> None:
        model = self._model
        self._seen = None
        self._mask = self.mask()
        self._accept = self._mask.tolist()
        self._seen = model.generation if model is not None else None

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802 (Qt API)
        if self._seen != self._model.generation:      # rows changed, moved or were replaced
            self._update_mask()
        return self._accept[source_row]

    # -- rows --------------------------------------------------------------------------------

    def source_rows(self) -> np.ndarray:
        """The source rows shown, in the order shown."""
        return np.flatnonzero(self.mask())

    def filtered_frame(self) -> pd.DataFrame:
        """The flags shown, in the order shown (for export)."""
        model = self._model
        return model.frame.iloc[self.source_rows()]

    def group_counts(self, by: str = "code") -> pd.DataFrame:
        """Flags per code or per sheet: group, total, open; over the rows every other
        filter lets through (the `by` filter itself is ignored, so every group stays
        listed and clickable)."""
        if by not in ("code", "sheet"):
            raise ValueError(f"group by code or sheet, not {by!r}")
        model = self._model
        frame = model.frame if model is not None else pd.DataFrame(columns=[by, "status"])
        rows = frame.loc[self.mask(skip=by), [by, "status"]]
        out = rows.assign(open=(rows["status"] == cat.OPEN).astype(np.int64)) \
            .groupby(by, sort=False).agg(total=("status", "size"), open=("open", "sum")).reset_index() \
            .rename(columns={by: "group"})
        if by == "sheet":
            out = out.iloc[np.argsort(natural_rank(out["group"]), kind="stable")]
        else:
            out = out.sort_values(["total", "group"], ascending=[False, True], kind="stable")
        return out.reset_index(drop=True)[["group", "total", "open"]]

    # -- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source rows with numpy (see the class note); -1 leaves them as they are."""
        model = self._model
        if model is None or column < 0 or column >= model.columnCount():
            return
        # The filter mask is recomputed lazily for the new order (filterAcceptsRow).
        model.reorder(model.sort_permutation(column, order))


__all__ = ["FlagsTableModel", "FlagsFilterProxy", "COLUMNS", "FID_ROLE", "FILTER_KEYS"]
