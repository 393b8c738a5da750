"""A lazy table model: the ordered keys queried in the background, the rows read by page.

The model holds the ordered keys of every record that matches the filter (250,000 activities
on the stress database: a list of small byte strings). A row's values are read the first
time the view asks for it, one page of ``PAGE_SIZE`` records at a time, from the source (a
few milliseconds by primary key); pages far from the view are forgotten.

Sorting and filtering run the query on worker threads through the ``TaskRunner``; the rows
change when the answer arrives. Answers to older queries than the latest are dropped, so
typing quickly never shows the results of a word half-typed.

Subclasses say what the columns are (``columnCount``, ``data_for_row``, ``headerData``) and
how a column number becomes the source's sort key (``sort_key_for``).
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from cope_desktop.services.row_keys import RowKey, key_forms, key_uuid
from cope_desktop.ui.tasks import TaskFailure, TaskRunner, describe_error

log = logging.getLogger(__name__)

PAGE_SIZE = 100
ALL_ROWS_DELAY_MS = 40
"""After the first page is shown, the whole list is asked for this much later."""
MAX_PAGES = 30
"""Pages kept in memory (3,000 rows); the least recently used ones are forgotten first."""

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The record's ``uuid.UUID``."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole row value."""

AnyIndex = QModelIndex | QPersistentModelIndex

FilterT = TypeVar("FilterT")
SortT = TypeVar("SortT")
RowT = TypeVar("RowT")
FilterContra = TypeVar("FilterContra", contravariant=True)
SortContra = TypeVar("SortContra", contravariant=True)
RowCo = TypeVar("RowCo", covariant=True)


class ListSource(Protocol[FilterContra, SortContra, RowCo]):
    """Where a lazy model reads its records; every method may run on a worker thread."""

    def ids(self, wanted: FilterContra, sort: SortContra) -> list[RowKey]:
        """The keys of every matching record, in order."""
        ...

    def first_ids(self, wanted: FilterContra, sort: SortContra, limit: int) -> list[RowKey] | None:
        """The first keys, or None when they would not come quicker than all of them."""
        ...

    def rows(self, keys: Sequence[RowKey]) -> Sequence[RowCo | None]:
        """The rows of these keys (at most one page), in the same order; None if gone."""
        ...


class LazyListModel(QAbstractTableModel, Generic[FilterT, SortT, RowT]):
    """Every record that matches ``filter()``, in the order of ``sort_key()``.

    Each query runs as two jobs, one after the other: the first page alone, when the source
    can give it quicker, then the full list of keys, which extends the first page (rows
    inserted after it, nothing reset).
    """

    query_started = Signal()
    """A query was asked for (``busy`` until ``loaded`` or ``failed``)."""
    rows_shown = Signal()
    """The first rows of the latest query are in (perhaps not yet all of them)."""
    loaded = Signal()
    """Every row of the latest query is in."""
    failed = Signal(str)
    """A query or a page read failed: one sentence for a person."""

    what = "list"
    """Named in the log when a page cannot be read."""

    def __init__(
        self,
        source: ListSource[FilterT, SortT, RowT],
        runner: TaskRunner,
        wanted: FilterT,
        sort: SortT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._runner = runner
        self._keys: list[RowKey] = []
        self._pages: OrderedDict[int, list[RowT | None]] = OrderedDict()
        self._filter = wanted
        self._sort = sort
        self._sequence = 0
        """The latest query asked for."""
        self._shown = 0
        """The query whose rows (first or all) are shown."""
        self._answered = 0
        """The query whose rows are all shown."""

    # --- what subclasses say ---------------------------------------------------------------

    def sort_key_for(self, column: int, descending: bool) -> SortT | None:
        """The source's sort key for a click on ``column``; None when it does not sort."""
        raise NotImplementedError

    def data_for_row(self, row: RowT, column: int, role: int) -> Any:
        """What ``data`` answers for a row whose values are in."""
        raise NotImplementedError

    def row_roles(self) -> frozenset[int]:
        """Roles whose answer needs the row's values (the others never read a page)."""
        return frozenset(
            {
                Qt.ItemDataRole.DisplayRole,
                Qt.ItemDataRole.ToolTipRole,
                Qt.ItemDataRole.AccessibleTextRole,
                ROW_ROLE,
            }
        )

    def data_without_row(self, column: int, role: int) -> Any:
        """What ``data`` answers for a role that needs no row values (alignment...)."""
        return None

    # --- what is shown ---------------------------------------------------------------------

    def filter(self) -> FilterT:
        return self._filter

    def sort_key(self) -> SortT:
        return self._sort

    @property
    def started(self) -> bool:
        """True once the first query was asked for (by ``refresh``)."""
        return self._sequence > 0

    @property
    def busy(self) -> bool:
        """True until every row of the latest query is in."""
        return self._answered < self._sequence

    @property
    def showing_latest(self) -> bool:
        """True once the first rows of the latest query are in."""
        return self._shown == self._sequence

    @property
    def has_answer(self) -> bool:
        """True once every row of a query was in (the count is known)."""
        return self._answered > 0

    def set_filter(self, wanted: FilterT) -> None:
        """Show the records that match ``wanted`` (queried in the background)."""
        if wanted == self._filter:
            return
        self._filter = wanted
        if self.started:
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.columnCount():
            return
        wanted = self.sort_key_for(column, order == Qt.SortOrder.DescendingOrder)
        if wanted is None or wanted == self._sort:
            return
        self._sort = wanted
        if self.started:
            self.refresh()

    def refresh(self) -> None:
        """Run the query again (after a change, or the first time).

        The first page comes first when the source can give it quicker, and the whole list
        a moment later, once that page is painted: a worker busy with 250,000 keys holds
        Python's lock most of the time and would slow the painting down several times. The
        workers also read the first page of rows, so the GUI thread only has to paint it.
        """
        self._sequence += 1
        sequence, wanted, sort, source = self._sequence, self._filter, self._sort, self._source
        self.query_started.emit()

        def first() -> tuple[list[RowKey], list[RowT | None]] | None:
            keys = source.first_ids(wanted, sort, PAGE_SIZE)
            return None if keys is None else (keys, list(source.rows(keys)))

        self._runner.run(
            first,
            lambda answer: self._first_arrived(sequence, answer),
            lambda _failure: self._ask_for_all(sequence),
            context=self,
        )

    def _first_arrived(
        self, sequence: int, answer: tuple[list[RowKey], list[RowT | None]] | None
    ) -> None:
        if sequence != self._sequence:
            return  # a newer query is on its way
        if answer is None:
            self._ask_for_all(sequence)
            return
        self._show(sequence, *answer)
        QTimer.singleShot(ALL_ROWS_DELAY_MS, self, lambda: self._ask_for_all(sequence))

    def _ask_for_all(self, sequence: int) -> None:
        if sequence != self._sequence:
            return
        wanted, sort, source = self._filter, self._sort, self._source

        def every() -> tuple[list[RowKey], list[RowT | None]]:
            keys = source.ids(wanted, sort)
            return keys, list(source.rows(keys[:PAGE_SIZE])) if keys else []

        self._runner.run(
            every,
            lambda answer: self._all_arrived(sequence, *answer),
            lambda failure: self._query_failed(sequence, failure),
            context=self,
        )

    def _all_arrived(
        self, sequence: int, keys: list[RowKey], first_page: list[RowT | None]
    ) -> None:
        if sequence < self._sequence:
            return  # an older query answered after a newer one was asked
        shown = len(self._keys)
        if self._shown == sequence and keys[:shown] == self._keys:
            self._pages[0] = first_page  # the same rows, now a whole page
            if len(keys) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(keys) - 1)
                self._keys = keys
                self.endInsertRows()
        else:
            self._show(sequence, keys, first_page)
        self._answered = sequence
        self.loaded.emit()

    def _show(self, sequence: int, keys: list[RowKey], first_page: list[RowT | None]) -> None:
        self.beginResetModel()
        self._keys = keys
        self._pages.clear()
        if keys:
            self._pages[0] = first_page
        self.endResetModel()
        self._shown = sequence
        self.rows_shown.emit()

    def _query_failed(self, sequence: int, failure: TaskFailure) -> None:
        if sequence < self._sequence:
            return
        self._answered = self._shown = sequence
        self.failed.emit(failure.message)

    # --- rows ----------------------------------------------------------------------------------

    def record_id(self, row: int) -> uuid.UUID | None:
        """The id of the record on this row (no database read)."""
        if not 0 <= row < len(self._keys):
            return None
        return key_uuid(self._keys[row])

    def row_of(self, record_id: uuid.UUID) -> int | None:
        """The row of this record, or None when it is not in the list."""
        wanted = key_forms(record_id)
        for number, key in enumerate(self._keys):
            if key in wanted:
                return number
        return None

    def row_values(self, row: int) -> RowT | None:
        """The values of one row, reading its page when it is not in memory."""
        if not 0 <= row < len(self._keys):
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
        else:
            self._pages.move_to_end(number)
        return page[row - number * PAGE_SIZE]

    @property
    def pages_in_memory(self) -> list[int]:
        return list(self._pages)

    def _read_page(self, number: int) -> list[RowT | None]:
        keys = self._keys[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        try:
            page = list(self._source.rows(keys))
        except Exception as error:  # shown as one sentence, never as a traceback
            log.error("reading a page of the %s failed", self.what, exc_info=error)
            page = [None] * len(keys)
            message = describe_error(error, self._runner.log_file)
            QTimer.singleShot(0, self, lambda: self.failed.emit(message))
        self._pages[number] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    # --- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ID_ROLE:
            return self.record_id(index.row())
        if role not in self.row_roles():
            return self.data_without_row(index.column(), role)
        row = self.row_values(index.row())
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        return self.data_for_row(row, index.column(), role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def announce_new_texts(self) -> None:
        """Headers and every row's texts changed (after a language switch)."""
        columns = self.columnCount()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, columns - 1))
