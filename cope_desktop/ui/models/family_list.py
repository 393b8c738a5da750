"""The families list as a lazy table model: ids queried in the background, rows read by page.

The model holds the ordered keys of every family that matches the filter (50,000 on the
stress database: a list of small byte strings). A row's values are read the first time the
view asks for it, one page of ``PAGE_SIZE`` families at a time, from the ``FamilySource``
(a few milliseconds by primary key); pages far from the view are forgotten.

Sorting and filtering run the query on worker threads through the ``TaskRunner``; the rows
change when the answer arrives. Answers to older queries than the latest are dropped, so
typing quickly never shows the results of a word half-typed.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from cope_desktop.db.database import Database
from cope_desktop.db.enums import CaseStatus
from cope_desktop.i18n import N_, _, format_date, format_number
from cope_desktop.labels import label
from cope_desktop.services import family_list
from cope_desktop.services.family_list import (
    FamilyFilter,
    FamilyKey,
    FamilyRow,
    SortColumn,
    SortKey,
)
from cope_desktop.ui.tasks import TaskFailure, TaskRunner, describe_error

log = logging.getLogger(__name__)

REFERENCE, MAIN_CAREGIVER, CHILDREN, PRISON, STATUS, OPENED, CASEWORKER = range(7)
COLUMN_COUNT = 7
SORT_COLUMNS = (
    SortColumn.REFERENCE,
    SortColumn.MAIN_CAREGIVER,
    SortColumn.CHILDREN,
    SortColumn.PRISON,
    SortColumn.STATUS,
    SortColumn.OPENED,
    SortColumn.CASEWORKER,
)
HEADERS = (
    N_("Reference"),
    N_("Main caregiver"),
    N_("Children"),
    N_("Prison"),
    N_("Status"),
    N_("Opened"),
    N_("Caseworker"),
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The family's ``uuid.UUID``."""
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole ``FamilyRow``."""
CONSENT_ROLE = Qt.ItemDataRole.UserRole + 3
"""True when the family has a current data processing consent."""

PAGE_SIZE = 100
ALL_ROWS_DELAY_MS = 40
"""After the first page is shown, the whole list is asked for this much later."""
MAX_PAGES = 30
"""Pages kept in memory (3,000 rows); the least recently used ones are forgotten first."""

AnyIndex = QModelIndex | QPersistentModelIndex
Page = list[FamilyRow | None]


class FamilySource(Protocol):
    """Where the model reads families; every method may run on a worker thread."""

    def ids(self, wanted: FamilyFilter, sort: SortKey) -> list[FamilyKey]:
        """The keys of every matching family, in order."""
        ...

    def first_ids(self, wanted: FamilyFilter, sort: SortKey, limit: int) -> list[FamilyKey] | None:
        """The first keys, or None when they would not come quicker than all of them."""
        ...

    def rows(self, keys: Sequence[FamilyKey]) -> Page:
        """The rows of these keys (at most one page), in the same order."""
        ...


class DatabaseSource:
    """The families of an open database, each read in its own short session."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ids(self, wanted: FamilyFilter, sort: SortKey) -> list[FamilyKey]:
        with self._db.session() as session:
            return family_list.family_ids(session, wanted, sort)

    def first_ids(self, wanted: FamilyFilter, sort: SortKey, limit: int) -> list[FamilyKey] | None:
        with self._db.session() as session:
            return family_list.first_family_ids(session, wanted, sort, limit)

    def rows(self, keys: Sequence[FamilyKey]) -> Page:
        with self._db.session() as session:
            return family_list.family_rows(session, keys)


def status_text(row: FamilyRow) -> str:
    if row.archived:
        return _("Archived")
    return label(CaseStatus.OPEN if row.is_open else CaseStatus.CLOSED)


def _status_tip(row: FamilyRow) -> str:
    lines = []
    if row.closed_on is not None:
        lines.append(_("Closed on {date}.").format(date=format_date(row.closed_on)))
    if not row.has_data_consent:
        lines.append(_("No current data processing consent."))
    return "\n".join(lines)


def _display(row: FamilyRow, column: int) -> str:
    if column == REFERENCE:
        return row.reference
    if column == MAIN_CAREGIVER:
        return row.main_caregiver
    if column == CHILDREN:
        return format_number(row.children)
    if column == PRISON:
        return ", ".join(row.prisons)
    if column == STATUS:
        return status_text(row)
    if column == OPENED:
        return format_date(row.opened_on)
    return row.caseworker


def _alignment(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column == CHILDREN else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


def _status_icons() -> tuple[QIcon, QIcon]:
    """The warning shown when consent is missing, and a blank one that keeps texts aligned."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return QIcon(), QIcon()
    warning = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    blank = QPixmap(16, 16)
    blank.fill(Qt.GlobalColor.transparent)
    return warning, QIcon(blank)


_ROW_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.DecorationRole,
        ROW_ROLE,
        CONSENT_ROLE,
    }
)
"""Roles whose answer needs the row's values (the others never read a page)."""


class FamilyListModel(QAbstractTableModel):
    """Every family that matches ``filter()``, in the order of ``sort_key()``.

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

    def __init__(
        self, source: FamilySource, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._runner = runner
        self._keys: list[FamilyKey] = []
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._filter = FamilyFilter()
        self._sort = SortKey()
        self._sequence = 0
        """The latest query asked for."""
        self._shown = 0
        """The query whose rows (first or all) are shown."""
        self._answered = 0
        """The query whose rows are all shown."""
        self._icons: tuple[QIcon, QIcon] | None = None

    # --- what is shown ---------------------------------------------------------------------

    def filter(self) -> FamilyFilter:
        return self._filter

    def sort_key(self) -> SortKey:
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

    def set_filter(self, wanted: FamilyFilter) -> None:
        """Show the families that match ``wanted`` (queried in the background)."""
        if wanted == self._filter:
            return
        self._filter = wanted
        if self.started:
            self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < COLUMN_COUNT:
            return
        wanted = SortKey(SORT_COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        if wanted == self._sort:
            return
        self._sort = wanted
        if self.started:
            self.refresh()

    def refresh(self) -> None:
        """Run the query again (after a change, or the first time).

        The first page comes first when the source can give it quicker, and the whole list
        a moment later, once that page is painted: a worker busy with 50,000 keys holds
        Python's lock most of the time and would slow the painting down several times. The
        workers also read the first page of rows, so the GUI thread only has to paint it.
        """
        self._sequence += 1
        sequence, wanted, sort, source = self._sequence, self._filter, self._sort, self._source
        self.query_started.emit()

        def first() -> tuple[list[FamilyKey], Page] | None:
            keys = source.first_ids(wanted, sort, PAGE_SIZE)
            return None if keys is None else (keys, source.rows(keys))

        self._runner.run(
            first,
            lambda answer: self._first_arrived(sequence, answer),
            lambda _failure: self._ask_for_all(sequence),
            context=self,
        )

    def _first_arrived(self, sequence: int, answer: tuple[list[FamilyKey], Page] | None) -> None:
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

        def every() -> tuple[list[FamilyKey], Page]:
            keys = source.ids(wanted, sort)
            return keys, source.rows(keys[:PAGE_SIZE]) if keys else []

        self._runner.run(
            every,
            lambda answer: self._all_arrived(sequence, *answer),
            lambda failure: self._query_failed(sequence, failure),
            context=self,
        )

    def _all_arrived(self, sequence: int, keys: list[FamilyKey], first_page: Page) -> None:
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

    def _show(self, sequence: int, keys: list[FamilyKey], first_page: Page) -> None:
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

    def family_id(self, row: int) -> uuid.UUID | None:
        """The id of the family on this row (no database read)."""
        if not 0 <= row < len(self._keys):
            return None
        return family_list.family_uuid(self._keys[row])

    def row_of(self, family_id: uuid.UUID) -> int | None:
        """The row of this family, or None when it is not in the list."""
        wanted = {family_id, family_id.bytes}
        for number, key in enumerate(self._keys):
            if key in wanted:
                return number
        return None

    def family(self, row: int) -> FamilyRow | None:
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

    def _read_page(self, number: int) -> list[FamilyRow | None]:
        keys = self._keys[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        try:
            page = self._source.rows(keys)
        except Exception as error:  # shown as one sentence, never as a traceback
            log.error("reading a page of the families list failed", exc_info=error)
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

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == ID_ROLE:
            return self.family_id(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column))
        if role not in _ROW_ROLES:
            return None
        row = self.family(index.row())
        if row is None:
            return None
        return self._row_data(row, column, role)

    def _row_data(self, row: FamilyRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == ROW_ROLE:
            return row
        if role == CONSENT_ROLE:
            return row.has_data_consent
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS:
                return _status_tip(row) or None
            if column == PRISON and row.prisons:
                return "\n".join(row.prisons)
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS:
            return ". ".join(filter(None, (status_text(row), _status_tip(row))))
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return self._status_icon(row.has_data_consent)
        return None

    def _status_icon(self, has_consent: bool) -> QIcon:
        if self._icons is None:
            self._icons = _status_icons()
        warning, blank = self._icons
        return blank if has_consent else warning

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

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def retranslate(self) -> None:
        """Headers, status names, dates and numbers follow the language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._keys:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._keys) - 1, COLUMN_COUNT - 1)
            )
