"""The activities list as a lazy table model, and a small model of a few activity rows.

``ActivityListModel`` holds the keys of every matching activity (250,000 on the stress
database) and reads rows a page at a time (``ui.models.lazy_list``). ``ActivityRowsModel``
shows a short list already read (the events of a campaign year) with the same columns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from babel.dates import format_time
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from cope_desktop import i18n
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ActivityType
from cope_desktop.i18n import N_, _, format_date, format_number
from cope_desktop.labels import label
from cope_desktop.services.activities import activity_list
from cope_desktop.services.activities.activity_list import (
    ActivityFilter,
    ActivityKey,
    ActivitySort,
    ActivitySortColumn,
)
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.ui.models.lazy_list import (
    ID_ROLE,
    PAGE_SIZE,
    ROW_ROLE,
    AnyIndex,
    LazyListModel,
    ListSource,
)
from cope_desktop.ui.tasks import TaskRunner

__all__ = ["ID_ROLE", "PAGE_SIZE", "ROW_ROLE", "ActivityListModel", "ActivityRowsModel"]

DATE, REFERENCE, TYPE, PRISON, CHILDREN, CAREGIVERS, RELATIVES, DURATION = range(8)
COLUMN_COUNT = 8
SORT_COLUMNS = (
    ActivitySortColumn.DATE,
    ActivitySortColumn.REFERENCE,
    ActivitySortColumn.TYPE,
    ActivitySortColumn.PRISON,
    ActivitySortColumn.CHILDREN,
    ActivitySortColumn.CAREGIVERS,
    ActivitySortColumn.RELATIVES,
    ActivitySortColumn.DURATION,
)
HEADERS = (
    N_("Date"),
    N_("Reference"),
    N_("Type"),
    N_("Prison"),
    N_("Children"),
    N_("Caregivers"),
    N_("Imprisoned relatives"),
    N_("Duration"),
)
SHORT_HEADERS = {RELATIVES: N_("Relatives")}
"""Shorter headers for a narrow window (the tooltip still says it all)."""
HEADER_TIPS = {
    CHILDREN: N_("Children present: those on file and those counted without names."),
    CAREGIVERS: N_("Caregivers present, and other adults counted without names."),
    RELATIVES: N_("Imprisoned relatives present."),
}
RIGHT_ALIGNED = frozenset({CHILDREN, CAREGIVERS, RELATIVES, DURATION})

ActivitySource = ListSource[ActivityFilter, ActivitySort, ActivityRow]
"""Where the model reads activities; every method may run on a worker thread."""


class DatabaseSource:
    """The activities of an open database, each read in its own short session."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ids(self, wanted: ActivityFilter, sort: ActivitySort) -> list[ActivityKey]:
        with self._db.session() as session:
            return activity_list.activity_ids(session, wanted, sort)

    def first_ids(
        self, wanted: ActivityFilter, sort: ActivitySort, limit: int
    ) -> list[ActivityKey] | None:
        with self._db.session() as session:
            return activity_list.first_activity_ids(session, wanted, sort, limit)

    def rows(self, keys: Sequence[ActivityKey]) -> list[ActivityRow | None]:
        with self._db.session() as session:
            return activity_list.activity_rows(session, keys)


# --- texts --------------------------------------------------------------------------------------


def format_duration(minutes: int | None) -> str:
    """The duration as people say it: "45 min", "2 h", "1 h 30 min"; empty when unknown."""
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=format_number(rest))
    if not rest:
        return _("{hours} h").format(hours=format_number(hours))
    return _("{hours} h {minutes} min").format(
        hours=format_number(hours), minutes=format_number(rest)
    )


def short_time(value: dt.time) -> str:
    """The language's short time: "2:30 PM" in English, "14:30" in French."""
    return format_time(value, "short", locale=i18n.format_locale())


def date_text(row: ActivityRow) -> str:
    day = format_date(row.held_on)
    if row.start_time is None:
        return day
    return _("{date}, {time}").format(date=day, time=short_time(row.start_time))


def campaign_title() -> str:
    """The campaign's name from the type's own: "Game with Mum & Dad campaign"."""
    return _("{name} campaign").format(name=label(ActivityType.GAME_WITH_MUM_AND_DAD))


def children_present(row: ActivityRow) -> int:
    return row.children + row.anonymous_children


def adults_present(row: ActivityRow) -> int:
    """Caregivers and the adults counted without names (not the imprisoned relatives)."""
    return row.caregivers + row.anonymous_adults


def display(row: ActivityRow, column: int) -> str:
    if column == DATE:
        return date_text(row)
    if column == REFERENCE:
        return row.reference
    if column == TYPE:
        return label(row.type)
    if column == PRISON:
        return row.prison_name or ""
    if column == CHILDREN:
        return format_number(children_present(row))
    if column == CAREGIVERS:
        return format_number(adults_present(row))
    if column == RELATIVES:
        return format_number(row.relatives)
    return format_duration(row.duration_minutes)


def _counted_tip(named: int, counted: int) -> str | None:
    if not counted:
        return None
    return _("{named} on file and {counted} counted without names.").format(
        named=format_number(named), counted=format_number(counted)
    )


def _type_tip(row: ActivityRow) -> str | None:
    lines = []
    if row.archived:
        lines.append(_("This activity is archived."))
    if row.series_title:
        lines.append(_("A session of the series “{title}”.").format(title=row.series_title))
    return "\n".join(lines) or None


def tooltip(row: ActivityRow, column: int) -> str | None:
    if column == DATE:
        day = format_date(row.held_on, "full")
        if row.start_time is not None:
            day = _("{date}, {time}").format(date=day, time=short_time(row.start_time))
        return f"{day}\n{row.reference}"
    if column == TYPE:
        return _type_tip(row)
    if column == PRISON:
        return row.prison_name or None
    if column == CHILDREN:
        return _counted_tip(row.children, row.anonymous_children)
    if column == CAREGIVERS:
        return _counted_tip(row.caregivers, row.anonymous_adults)
    return None


def accessible_text(row: ActivityRow, column: int) -> str | None:
    if column == TYPE and row.archived:
        return _("{type}, archived").format(type=label(row.type))
    if column == DURATION and row.duration_minutes is None:
        return _("Duration not recorded")
    return None


def alignment(column: int) -> int:
    side = Qt.AlignmentFlag.AlignRight if column in RIGHT_ALIGNED else Qt.AlignmentFlag.AlignLeft
    return int(side | Qt.AlignmentFlag.AlignVCenter)


def archived_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def row_data(row: ActivityRow, column: int, role: int) -> Any:
    """What both models answer for a row whose values are in."""
    if role == Qt.ItemDataRole.DisplayRole:
        return display(row, column)
    if role == Qt.ItemDataRole.ToolTipRole:
        return tooltip(row, column)
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return accessible_text(row, column)
    if row.archived and role == Qt.ItemDataRole.ForegroundRole:
        return archived_colour()
    if row.archived and role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setItalic(True)
        return font
    return None


def header_data(
    section: int, orientation: Qt.Orientation, role: int, *, compact: bool = False
) -> Any:
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return _(SHORT_HEADERS.get(section, HEADERS[section]) if compact else HEADERS[section])
    if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
        return _(HEADER_TIPS[section])
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return alignment(section)
    return None


# --- models -------------------------------------------------------------------------------------


class ActivityListModel(LazyListModel[ActivityFilter, ActivitySort, ActivityRow]):
    """Every activity that matches ``filter()``, in the order of ``sort_key()``; newest first."""

    what = "activities list"

    def __init__(
        self, source: ActivitySource, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(source, runner, ActivityFilter(), ActivitySort(), parent)
        self._compact = False

    @property
    def compact(self) -> bool:
        return self._compact

    def set_compact(self, compact: bool) -> None:
        """Use the short headers (for a narrow window)."""
        if compact != self._compact:
            self._compact = compact
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)

    def sort_key_for(self, column: int, descending: bool) -> ActivitySort | None:
        return ActivitySort(SORT_COLUMNS[column], descending)

    def row_roles(self) -> frozenset[int]:
        return super().row_roles() | {Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole}

    def data_without_row(self, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(column)
        return None

    def activity_id(self, row: int) -> uuid.UUID | None:
        """The id of the activity on this row (no database read)."""
        return self.record_id(row)

    def activity(self, row: int) -> ActivityRow | None:
        """The values of one row, reading its page when it is not in memory."""
        return self.row_values(row)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data_for_row(self, row: ActivityRow, column: int, role: int) -> Any:
        return row_data(row, column, role)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return header_data(section, orientation, role, compact=self._compact)

    def retranslate(self) -> None:
        """Headers, type names, dates and numbers follow the language."""
        self.announce_new_texts()


class ActivityRowsModel(QAbstractTableModel):
    """A few activities already read (a campaign year's events), in the list's columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ActivityRow] = []

    def set_rows(self, rows: Sequence[ActivityRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def activity_id(self, row: int) -> uuid.UUID | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(index.column())
        return row_data(row, index.column(), role)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        return header_data(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
            self.dataChanged.emit(self.index(0, 0), last)
