"""The prisons register as a read-only, sortable, filterable table model (testable alone).

The register is small (tens to a few hundred prisons), so the model holds every row and
filters and sorts in memory: typing in the filter box answers at once, with no query.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from cope_desktop import i18n
from cope_desktop.i18n import N_, _, format_number
from cope_desktop.labels import label
from cope_desktop.services.prisons import PrisonListRow
from cope_desktop.services.search_terms import fold

NAME, COUNTRY, REGION, TYPE, FAMILIES, ACTIVITIES = range(6)
COLUMN_COUNT = 6
NUMBER_COLUMNS = (FAMILIES, ACTIVITIES)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The value a column sorts by (numbers as numbers, text as collation keys)."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole ``PrisonListRow`` of a row."""

HEADERS = (
    N_("Name"),
    N_("Country"),
    N_("Region"),
    N_("Type"),
    N_("Families"),
    N_("Activities"),
)

AnyIndex = QModelIndex | QPersistentModelIndex


def _display(row: PrisonListRow, column: int) -> str:
    if column == NAME:
        return _("{name} (archived)").format(name=row.name) if row.archived else row.name
    if column == COUNTRY:
        return i18n.country_name(row.country)
    if column == REGION:
        return row.region
    if column == TYPE:
        return label(row.type) if row.type is not None else ""
    return format_number(row.families if column == FAMILIES else row.activities)


def _alignment(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column in NUMBER_COLUMNS else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


def _sort_key(column: int) -> Callable[[PrisonListRow], tuple[Any, ...]]:
    def key(row: PrisonListRow) -> tuple[Any, ...]:
        tie = fold(row.name)
        if column == FAMILIES:
            return (row.families, tie)
        if column == ACTIVITIES:
            return (row.activities, tie)
        if column == NAME:
            return (tie, row.reference)
        return (fold(_display(row, column)), tie)

    return key


def matches(row: PrisonListRow, words: list[str]) -> bool:
    """Whether every typed word is in the prison's name, region, reference or country name."""
    text = fold(" ".join((row.name, row.region, row.reference, i18n.country_name(row.country))))
    return all(word in text for word in words)


class PrisonTableModel(QAbstractTableModel):
    def __init__(self, rows: list[PrisonListRow] | None = None) -> None:
        super().__init__()
        self._all: list[PrisonListRow] = list(rows or [])
        self._words: list[str] = []
        self._show_archived = False
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._rows: list[PrisonListRow] = self._visible()

    # --- contents -------------------------------------------------------------------------

    def set_rows(self, rows: list[PrisonListRow]) -> None:
        """Replace every prison (the filter and the sort order stay)."""
        self._all = list(rows)
        self._refilter()

    def set_filter(self, text: str) -> None:
        """Show only the prisons whose name, region, reference or country contain ``text``."""
        words = fold(text).split()
        if words != self._words:
            self._words = words
            self._refilter()

    def set_show_archived(self, show: bool) -> None:
        if show != self._show_archived:
            self._show_archived = show
            self._refilter()

    def all_rows(self) -> list[PrisonListRow]:
        """Every prison held, also those the filter hides."""
        return list(self._all)

    def prison(self, row: int) -> PrisonListRow:
        return self._rows[row]

    def row_of(self, prison_id: uuid.UUID) -> int | None:
        """The row showing ``prison_id``, or None if it is not shown."""
        for number, row in enumerate(self._rows):
            if row.id == prison_id:
                return number
        return None

    def hidden_count(self) -> int:
        """How many prisons the filter hides (archived ones count only when shown)."""
        shown = [row for row in self._all if self._show_archived or not row.archived]
        return len(shown) - len(self._rows)

    def _visible(self) -> list[PrisonListRow]:
        rows = [
            row
            for row in self._all
            if (self._show_archived or not row.archived) and matches(row, self._words)
        ]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._visible()
        self.endResetModel()

    # --- Qt model -------------------------------------------------------------------------

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
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(_alignment(column))
        if role == Qt.ItemDataRole.ToolTipRole and column in (NAME, COUNTRY):
            return row.country if column == COUNTRY else _display(row, NAME)
        if row.archived:
            return _archived_look(role)
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
        self._sort = (column, order)
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


def _archived_look(role: int) -> Any:
    """Archived prisons in italics and the muted text colour (their name also says so)."""
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setItalic(True)
        return font
    if role == Qt.ItemDataRole.ForegroundRole:
        return QGuiApplication.palette().brush(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
        )
    return None
