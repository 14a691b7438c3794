"""Conflict dialog: for each item changed here and on the server, keep mine or take theirs.

One row per conflicting component (``geometry``, ``breakpoints``,
``node_id_1``/``node_id_2``, one row per attribute, or ``entity`` for a delete
against an edit) with the base, mine and theirs values and a choice.  "Keep
all mine" / "Take all theirs" set every row; Apply resolves each item through
:meth:`SyncController.resolve` (layer + base updated, its held operations
released; the next push sends the "mine" choices).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Mapping, Optional

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sync.pull import MINE, THEIRS

ResolveFn = Callable[[Mapping[str, Any], Dict[str, str]], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictDialog", text)


def _text(value: Any) -> str:
    """Short readable text of a component value."""
    if value is None:
        return _tr("(none)")
    if isinstance(value, dict) and len(value) == 1:
        (only,) = value.values()
        if isinstance(only, (str, int, float, bool)):
            return str(only)
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, (int, float)) for v in value)
    ):
        return f"{value[1]:.7f}, {value[0]:.7f}"
    if isinstance(value, dict) and "id" in value:
        return _tr("(exists)")
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def field_label(field: str) -> str:
    """User-facing name of a conflict field."""
    if field == "entity":
        return _tr("the whole item (deleted on one side)")
    if field == "geometry":
        return _tr("position")
    if field == "breakpoints":
        return _tr("span vertices")
    if field.startswith("attributes."):
        return field[len("attributes.") :]
    return field


class ConflictDialog(QDialog):
    """Lists the conflicts of one job; ``resolve(record, choices)`` applies one item's choices."""

    def __init__(
        self,
        conflicts: List[dict],
        resolve: ResolveFn,
        parent: Optional[QWidget] = None,
        show_item: Optional[Callable[[str, str], Any]] = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Katapult: changes made here and on the server"))
        self.setObjectName("KatapultConflictDialog")
        self.conflicts = conflicts
        self._resolve = resolve
        self._show_item = show_item
        self.errors: List[str] = []
        self.resolved = 0
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                _tr(
                    "These items were changed both here and on the server. Choose per line which "
                    "version to keep; "
                    "the other items are already merged."
                ),
                self,
            )
        )
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [_tr("Item"), _tr("What"), _tr("Before"), _tr("Mine"), _tr("Theirs"), _tr("Keep")]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(self._on_double_click)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.all_mine = QPushButton(_tr("Keep all mine"), self)
        self.all_theirs = QPushButton(_tr("Take all theirs"), self)
        self.all_mine.clicked.connect(lambda: self.set_all(MINE))
        self.all_theirs.clicked.connect(lambda: self.set_all(THEIRS))
        row.addWidget(self.all_mine)
        row.addWidget(self.all_theirs)
        row.addStretch(1)
        lay.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._combos: List[tuple] = []  # (conflict index, field, combo)
        self._fill()
        self.resize(900, 420)

    def _fill(self) -> None:
        rows = sum(len(c.get("fields") or []) for c in self.conflicts)
        self.table.setRowCount(rows)
        r = 0
        for index, conflict in enumerate(self.conflicts):
            label = f"{conflict['kind']} {conflict['entity_id']}"
            for f in conflict.get("fields") or []:
                items = [
                    label,
                    field_label(f["field"]),
                    _text(f.get("base")),
                    _text(f.get("local")),
                    _text(f.get("remote")),
                ]
                for col, text in enumerate(items):
                    item = QTableWidgetItem(text)
                    item.setData(Qt.ItemDataRole.UserRole, index)
                    item.setToolTip(
                        json.dumps(
                            f.get(["", "", "base", "local", "remote"][col]) if col >= 2 else text,
                            ensure_ascii=False,
                            default=str,
                        )
                    )
                    self.table.setItem(r, col, item)
                combo = QComboBox(self.table)
                combo.addItem(_tr("Mine"), MINE)
                combo.addItem(_tr("Theirs"), THEIRS)
                self.table.setCellWidget(r, 5, combo)
                self._combos.append((index, f["field"], combo))
                r += 1

    def set_all(self, choice: str) -> None:
        """Set every line to ``mine`` or ``theirs``."""
        for _i, _f, combo in self._combos:
            combo.setCurrentIndex(combo.findData(choice))

    def choices(self) -> Dict[int, Dict[str, str]]:
        """``{conflict index: {field: choice}}`` as currently selected."""
        out: Dict[int, Dict[str, str]] = {}
        for index, field, combo in self._combos:
            out.setdefault(index, {})[field] = combo.currentData()
        return out

    def apply(self) -> None:
        """Resolve every item with the selected choices; failures are listed, never dropped."""
        self.errors = []
        for index, choice in self.choices().items():
            record = self.conflicts[index]
            try:
                self._resolve(record, choice)
                self.resolved += 1
            except Exception as exc:  # noqa: BLE001 - shown in the dialog
                self.errors.append(f"{record['kind']} {record['entity_id']}: {exc}")
        if self.errors:
            self.layout().insertWidget(
                1, QLabel(_tr("Not resolved:") + "\n" + "\n".join(self.errors), self)
            )
            return
        self.accept()

    def _on_double_click(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is None or self._show_item is None:
            return
        conflict = self.conflicts[item.data(Qt.ItemDataRole.UserRole)]
        self._show_item(conflict["kind"], conflict["entity_id"])
