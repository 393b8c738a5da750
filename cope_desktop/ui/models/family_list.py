"""The families list as a lazy table model: ids queried in the background, rows read by page.

The keys of every matching family (50,000 on the stress database) are queried on a worker;
rows are read one page at a time as the view shows them (``ui.models.lazy_list``). This
module says what the columns show.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
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
from cope_desktop.ui.models.lazy_list import (
    ID_ROLE,
    PAGE_SIZE,
    ROW_ROLE,
    AnyIndex,
    LazyListModel,
    ListSource,
)
from cope_desktop.ui.tasks import TaskRunner

__all__ = ["ID_ROLE", "PAGE_SIZE", "ROW_ROLE", "DatabaseSource", "FamilyListModel"]

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

CONSENT_ROLE = Qt.ItemDataRole.UserRole + 3
"""True when the family has a current data processing consent."""

Page = list[FamilyRow | None]
FamilySource = ListSource[FamilyFilter, SortKey, FamilyRow]
"""Where the model reads families; every method may run on a worker thread."""


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


class FamilyListModel(LazyListModel[FamilyFilter, SortKey, FamilyRow]):
    """Every family that matches ``filter()``, in the order of ``sort_key()`` (see lazy_list)."""

    what = "families list"

    def __init__(
        self, source: FamilySource, runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(source, runner, FamilyFilter(), SortKey(), parent)
        self._icons: tuple[QIcon, QIcon] | None = None

    def sort_key_for(self, column: int, descending: bool) -> SortKey | None:
        return SortKey(SORT_COLUMNS[column], descending)

    def row_roles(self) -> frozenset[int]:
        return super().row_roles() | {Qt.ItemDataRole.DecorationRole, CONSENT_ROLE}

    def data_without_row(self, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column))
        return None

    def family_id(self, row: int) -> uuid.UUID | None:
        """The id of the family on this row (no database read)."""
        return self.record_id(row)

    def family(self, row: int) -> FamilyRow | None:
        """The values of one row, reading its page when it is not in memory."""
        return self.row_values(row)

    # --- Qt model ------------------------------------------------------------------------------

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data_for_row(self, row: FamilyRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
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

    def retranslate(self) -> None:
        """Headers, status names, dates and numbers follow the language."""
        self.announce_new_texts()
