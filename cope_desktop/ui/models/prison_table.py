"""The prisons on file as a read-only, sortable table model (no widget needed to test it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from cope_desktop import i18n
from cope_desktop.i18n import N_, _, format_number
from cope_desktop.labels import label
from cope_desktop.services.overview import PrisonRow
from cope_desktop.ui.country_combo import collation_key

NAME, COUNTRY, REGION, TYPE, RELATIVES = range(5)
COLUMN_COUNT = 5
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The value a column sorts by (numbers as numbers, text as collation keys)."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole ``PrisonRow`` of a row."""

HEADERS = (
    N_("Name"),
    N_("Country"),
    N_("Region"),
    N_("Type"),
    N_("Imprisoned relatives"),
)

AnyIndex = QModelIndex | QPersistentModelIndex


def _display(row: PrisonRow, column: int) -> str:
    if column == NAME:
        return row.name
    if column == COUNTRY:
        return i18n.country_name(row.country)
    if column == REGION:
        return row.region
    if column == TYPE:
        return label(row.type) if row.type is not None else ""
    return format_number(row.imprisoned_relatives)


def _alignment(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column == RELATIVES else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


def _sort_key(column: int) -> Callable[[PrisonRow], tuple[Any, ...]]:
    def key(row: PrisonRow) -> tuple[Any, ...]:
        tie = collation_key(row.name)
        if column == RELATIVES:
            return (row.imprisoned_relatives, tie)
        return (collation_key(_display(row, column)), tie)

    return key


class PrisonTableModel(QAbstractTableModel):
    def __init__(self, rows: list[PrisonRow] | None = None) -> None:
        super().__init__()
        self._rows: list[PrisonRow] = list(rows or [])

    def set_rows(self, rows: list[PrisonRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def prison(self, row: int) -> PrisonRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == SORT_ROLE:
            return _sort_key(column)(row)[0]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RELATIVES:
            return int(_alignment(column))
        if role == Qt.ItemDataRole.ToolTipRole and column == COUNTRY:
            return row.country
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(section))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < COLUMN_COUNT:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(row): number for number, row in enumerate(self._rows)}
        for old in self.persistentIndexList():
            new_row = position[id(before[old.row()])]
            self.changePersistentIndex(old, self.index(new_row, old.column()))
        self.layoutChanged.emit()

    def retranslate(self) -> None:
        """Country and type names and number formats follow the language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
            )
