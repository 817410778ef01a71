"""Which checks to run: a tree of the catalogue's groups (register, topology) and codes.

Groups are tri-state check boxes over their codes. Without a register table, the
register checks that need one are greyed out and not asked for.
"""
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QTreeWidget, QTreeWidgetItem

from ..core.flags import catalogue as cat
from ..core.pipeline import MAP_SIDE_CODES

GROUPS = ("register", "topology")
CODE_ROLE = Qt.ItemDataRole.UserRole


class ChecksTree(QTreeWidget):
    """Check boxes per group and per code; item data (UserRole) is the group or the code."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("checksTree")
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("Check"), self.tr("Code")])
        self._groups: dict[str, QTreeWidgetItem] = {}
        self._codes: dict[str, QTreeWidgetItem] = {}
        titles = {"register": self.tr("Map against the register"), "topology": self.tr("Topology")}
        for group in GROUPS:
            top = QTreeWidgetItem(self, [titles[group], ""])
            top.setData(0, CODE_ROLE, group)
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            for code in cat.codes(group):
                check = cat.check(code)
                item = QTreeWidgetItem(top, [check.title_tr(), code])
                item.setData(0, CODE_ROLE, code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked)
                item.setToolTip(0, f"{code} ({check.severity})")
                self._codes[code] = item
            self._groups[group] = top
        self.resizeColumnToContents(0)
        self.register_available = True

    def tr(self, text: str) -> str:  # noqa: D102
        return QCoreApplication.translate("ChecksTree", text)

    def set_register_available(self, available: bool) -> None:
        """Grey out the register checks that need a register table when there is none."""
        self.register_available = available
        for code in self._needing_register():
            item = self._codes[code]
            item.setDisabled(not available)
            item.setToolTip(0, f"{code}" if available else
                            self.tr("{code}: needs a register table").format(code=code))

    def set_checked(self, name: str, checked: bool) -> None:
        """Tick or untick a code, or every code of a group."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        items = [self._codes[c] for c in cat.codes(name)] if name in self._groups else [self._codes[name]]
        for item in items:
            item.setCheckState(0, state)

    def is_checked(self, code: str) -> bool:
        return self._codes[code].checkState(0) == Qt.CheckState.Checked

    def selected(self) -> list[str]:
        """Ticked codes the inputs allow, in catalogue order."""
        return [code for code, item in self._codes.items()
                if item.checkState(0) == Qt.CheckState.Checked and not item.isDisabled()]

    def available(self) -> list[str]:
        return [code for code, item in self._codes.items() if not item.isDisabled()]

    def unchecked(self) -> list[str]:
        """Codes left out (remembered per project, so new checks start ticked)."""
        return [code for code, item in self._codes.items()
                if item.checkState(0) != Qt.CheckState.Checked]

    def set_unchecked(self, codes) -> None:
        off = set(codes)
        for code, item in self._codes.items():
            item.setCheckState(0, Qt.CheckState.Unchecked if code in off else Qt.CheckState.Checked)

    def request_checks(self) -> list | None:
        """What CheckRequest.checks should say: None for everything the inputs allow."""
        chosen = self.selected()
        return None if chosen == self.available() else chosen

    def _needing_register(self) -> list[str]:
        return [c for c in cat.codes("register") if c not in MAP_SIDE_CODES]
