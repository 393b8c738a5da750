"""The audit trail as a table: counted in the background, its rows read a page at a time.

The model knows how many events match the filter and holds only the pages the view has
shown lately. A row whose page is not in memory shows "…" while that page is read on a
worker thread (``audit_log.read_events``, newest first); the rows fill in when it arrives.
Every page stops at the newest event of the first one, so events recorded meanwhile (the
screen lock's, another window's) do not shift the rows; they appear at the next refresh.
Answers to an older filter than the latest are dropped.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from cope_desktop import i18n
from cope_desktop.i18n import N_, _
from cope_desktop.services import audit_log
from cope_desktop.services.audit_actions import action_label, object_label
from cope_desktop.services.audit_log import AuditFilter, AuditRow
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner

PAGE_SIZE = 200
MAX_PAGES = 20
"""Pages kept in memory (4,000 events); the least recently shown are forgotten first."""
WAITING = "…"
NOBODY = "—"
"""Shown as the user of events that no signed-in person did (the database's creation)."""

NUMBER, TIME, USER, ACTION, RECORD, DETAIL = range(6)
HEADERS = (
    N_("Event no."),
    N_("Time"),
    N_("User"),
    N_("Action"),
    N_("Record"),
    N_("Detail"),
)

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class FirstAnswer:
    total: int
    rows: list[AuditRow]


class AuditModel(QAbstractTableModel):
    counted = Signal(int)
    """The events matching the latest filter were counted (and the first page is in)."""
    failed = Signal(str)
    """A read failed: one sentence for a person."""

    def __init__(self, signed_in: SignedIn, runner: TaskRunner, parent: QObject) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._filter = AuditFilter()
        self._total = 0
        self._newest: int | None = None
        """The newest event counted: later pages read nothing after it."""
        self._pages: OrderedDict[int, list[AuditRow]] = OrderedDict()
        self._asked: set[int] = set()
        self._generation = 0
        self._answered = 0
        self._counted_once = False

    # --- what is shown -------------------------------------------------------------------

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    @property
    def has_count(self) -> bool:
        """True once a filter's events were counted."""
        return self._counted_once

    @property
    def busy(self) -> bool:
        """True until the latest filter's events are counted."""
        return self._answered < self._generation

    def set_filter(self, flt: AuditFilter) -> None:
        """Show the events that match ``flt`` (read in the background)."""
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Count again and read the first page (after a filter change, an export...)."""
        self._generation += 1
        generation, flt = self._generation, self._filter
        db, user = self._signed_in.db, self._signed_in.user

        def first() -> FirstAnswer:
            with db.session() as session:
                total = audit_log.count_events(session, user, flt)
                rows = audit_log.read_events(session, user, flt, 0, PAGE_SIZE)
            return FirstAnswer(total, rows)

        self._runner.run(
            first,
            lambda answer: self._first_arrived(generation, answer),
            lambda failure: self._first_failed(generation, failure),
            context=self,
        )

    def row_at(self, row: int) -> AuditRow | None:
        """The event on this row, or None while its page is being read."""
        if not 0 <= row < self._total:
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            if not self.busy:  # else asked once the count has come (the rows may move)
                self._ask(number)
            return None
        self._pages.move_to_end(number)
        offset = row - number * PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def pages_in_memory(self) -> list[int]:
        return list(self._pages)

    # --- background answers ------------------------------------------------------------------

    def _first_arrived(self, generation: int, answer: FirstAnswer) -> None:
        if generation != self._generation:
            return  # a newer filter is on its way
        self.beginResetModel()
        self._total = answer.total
        self._newest = answer.rows[0].sequence if answer.rows else None
        self._pages.clear()
        self._asked.clear()
        self._pages[0] = answer.rows
        self.endResetModel()
        self._answered = generation
        self._counted_once = True
        self.counted.emit(answer.total)

    def _first_failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._answered = generation
        self.failed.emit(failure.message)

    def _ask(self, number: int) -> None:
        if number in self._asked:
            return
        self._asked.add(number)
        generation, flt, newest = self._generation, self._filter, self._newest
        db, user = self._signed_in.db, self._signed_in.user

        def page() -> list[AuditRow]:
            with db.session() as session:
                return audit_log.read_events(
                    session, user, flt, number * PAGE_SIZE, PAGE_SIZE, newest=newest
                )

        self._runner.run(
            page,
            lambda rows: self._page_arrived(generation, number, rows),
            lambda failure: self._page_failed(generation, number, failure),
            context=self,
        )

    def _page_arrived(self, generation: int, number: int, rows: list[AuditRow]) -> None:
        if generation != self._generation:
            return
        self._asked.discard(number)
        self._pages[number] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))

    def _page_failed(self, generation: int, number: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._pages[number] = []  # not asked again and again while the view repaints
        self.failed.emit(failure.message)

    # --- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return WAITING if role == Qt.ItemDataRole.DisplayRole and column == TIME else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return self._text(row, column)

    def _text(self, row: AuditRow, column: int) -> str:
        if column == NUMBER:
            return str(row.sequence)
        if column == TIME:
            return i18n.format_local_datetime(row.at, "medium")
        if column == USER:
            return row.username or NOBODY
        if column == ACTION:
            return action_label(row.action)
        if column == RECORD:
            return object_label(row.object_type)
        return row.detail

    def _tooltip(self, row: AuditRow, column: int) -> str | None:
        if column == TIME:
            return _("{time} (UTC)").format(time=audit_log.iso_utc(row.at))
        if column == ACTION:
            return row.action
        if column == RECORD and row.object_id is not None:
            return str(row.object_id)
        if column == DETAIL and row.detail:
            return row.detail
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def announce_new_texts(self) -> None:
        """Headers and texts changed (after a language switch)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(HEADERS) - 1))
