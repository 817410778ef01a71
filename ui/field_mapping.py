"""A table of field roles: which field of each input plays which role.

Each row is one role of one side (map, register, sheets) with a combo box of that
input's fields. The combo starts at the field `core.register.fields.map_fields` would pick
by itself ("auto"); choosing another makes an override ("map.sheet": "SOTO"), the
form `CheckRequest.field_overrides` takes. A role with no auto choice offers an
empty entry; a role with one does not, because the engine would pick it anyway.
"""
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableWidget, QTableWidgetItem

from ..core.errors import InputError
from ..core.register.fields import MAP_ROLES, REGISTER_ROLES, REQUIRED, SHEET_ROLES, map_fields

SIDES = ("map", "register", "sheets")
ROLES = {"map": MAP_ROLES, "register": REGISTER_ROLES, "sheets": SHEET_ROLES}
SOURCE, ROLE, FIELD, HOW = range(4)


def tr(text: str) -> str:
    return QCoreApplication.translate("FieldMappingTable", text)


def side_title(side: str) -> str:
    return {"map": tr("Parcels"), "register": tr("Register"), "sheets": tr("Sheets")}[side]


def role_title(role: str) -> str:
    return {
        "commune": tr("Commune code"), "sheet": tr("Sheet number"), "parcel": tr("Parcel number"),
        "area": tr("Area"), "landuse": tr("Land use"), "owner": tr("Land user"),
        "owner_kind": tr("Kind of land user"), "owner_id": tr("Citizen ID"),
        "address": tr("Address"), "old_sheet": tr("Old sheet number"),
        "old_parcel": tr("Old parcel number"), "scale": tr("Scale"),
    }.get(role, role)


class FieldMappingTable(QTableWidget):
    """Role → field for each input that is set. Combo boxes are named `field_<side>_<role>`."""

    mappingChanged = pyqtSignal()  # noqa: N815 (Qt naming)

    def __init__(self, parent=None):
        super().__init__(0, 4, parent)
        self.setObjectName("fieldMapping")
        self.setHorizontalHeaderLabels([self.tr("Input"), self.tr("Role"), self.tr("Field"),
                                        self.tr("How")])
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.Stretch)
        self._columns: dict[str, list | None] = {side: None for side in SIDES}
        self._auto: dict[str, dict] = {side: {} for side in SIDES}
        self._problems: dict[str, str] = {}
        self._overrides: dict[str, str] = {}     # "side.role" -> field
        self._combos: dict[tuple, QComboBox] = {}

    def tr(self, text: str) -> str:  # noqa: D102
        return QCoreApplication.translate("FieldMappingTable", text)

    # -- inputs -----------------------------------------------------------------

    def set_columns(self, side: str, columns) -> None:
        """The fields of one input (None: that input is not set). Overrides naming a field
        the new input lacks are dropped."""
        columns = [str(c) for c in columns] if columns is not None else None
        self._columns[side] = columns
        self._problems.pop(side, None)
        self._auto[side] = {}
        if columns is not None:
            try:
                self._auto[side] = map_fields(columns, side, ROLES[side], required=()).fields
            except InputError as err:  # duplicated headers: nothing picked automatically
                self._problems[side] = err.one_line()
        for key in [k for k in self._overrides if k.startswith(side + ".")]:
            if columns is None or self._overrides[key] not in columns:
                del self._overrides[key]
        self._rebuild()

    def columns(self, side: str) -> list | None:
        return self._columns[side]

    # -- choices ------------------------------------------------------------------

    def auto(self, side: str, role: str) -> str | None:
        return self._auto[side].get(role)

    def current(self, side: str, role: str) -> str | None:
        """The field that will play `role` (override, else auto), None when none."""
        return self._overrides.get(f"{side}.{role}") or self.auto(side, role)

    def overrides(self) -> dict:
        """{"side.role": field} for every choice that differs from the automatic one."""
        return dict(self._overrides)

    def set_overrides(self, overrides: dict) -> None:
        """Apply saved overrides where the input has that field; others are ignored."""
        for key, field in overrides.items():
            side, _, role = key.partition(".")
            if side in SIDES and role in ROLES[side] and field in (self._columns[side] or []):
                if field == self.auto(side, role):
                    self._overrides.pop(key, None)
                else:
                    self._overrides[key] = field
        self._rebuild()

    def combo(self, side: str, role: str) -> QComboBox | None:
        return self._combos.get((side, role))

    def problems(self) -> list[str]:
        """One line per input whose fields could not be mapped, and per missing key field."""
        out = list(self._problems.values())
        for side in ("map", "register"):
            if self._columns[side] is None or side in self._problems:
                continue
            missing = [r for r in REQUIRED if not self.current(side, r)]
            if missing:
                out.append(self.tr("{input}: no field for {roles}").format(
                    input=side_title(side), roles=", ".join(role_title(r) for r in missing)))
        return out

    # -- view ---------------------------------------------------------------------

    def _rebuild(self) -> None:
        self._combos = {}
        self.setRowCount(0)
        for side in SIDES:
            columns = self._columns[side]
            if columns is None:
                continue
            for role in ROLES[side]:
                self._add_row(side, role, columns)

    def _add_row(self, side: str, role: str, columns: list) -> None:
        row = self.rowCount()
        self.insertRow(row)
        self.setItem(row, SOURCE, QTableWidgetItem(side_title(side)))
        self.setItem(row, ROLE, QTableWidgetItem(role_title(role)))
        combo = QComboBox(self)
        combo.setObjectName(f"field_{side}_{role}")
        auto = self.auto(side, role)
        if auto is None:
            combo.addItem(self.tr("(none)"), "")
        for name in columns:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(self.current(side, role) or "")))
        combo.currentIndexChanged.connect(lambda _i, s=side, r=role, c=combo: self._chosen(s, r, c))
        self.setCellWidget(row, FIELD, combo)
        self.setItem(row, HOW, QTableWidgetItem())
        self._combos[(side, role)] = combo
        self._show_how(row, side, role)

    def _chosen(self, side: str, role: str, combo: QComboBox) -> None:
        field = combo.currentData() or ""
        key = f"{side}.{role}"
        if not field or field == self.auto(side, role):
            self._overrides.pop(key, None)
        else:
            self._overrides[key] = field
        for row in range(self.rowCount()):
            if self.cellWidget(row, FIELD) is combo:
                self._show_how(row, side, role)
        self.mappingChanged.emit()

    def _show_how(self, row: int, side: str, role: str) -> None:
        item = self.item(row, HOW)
        if f"{side}.{role}" in self._overrides:
            text, colour = self.tr("chosen"), None
        elif self.auto(side, role):
            text, colour = self.tr("auto"), None
        elif role in REQUIRED and side in ("map", "register"):
            text, colour = self.tr("needed"), QColor("#d7191c")
        else:
            text, colour = self.tr("not used"), QColor("#808080")
        item.setText(text)
        item.setData(Qt.ItemDataRole.ForegroundRole, QBrush(colour) if colour else None)
