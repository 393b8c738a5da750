"""The validation list of the Network window: one row per return file, and what became of it.

Rows are the files added (folders are listed as their ``*.json`` files, as the service reads
them). After each merge the service's ``ReturnStatus`` of each file fills the organisation,
country, period and status columns; before that, or when the merge could not run, the status
column says the file is not checked yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from cope_desktop import i18n
from cope_desktop.i18n import N_, _

if TYPE_CHECKING:
    from cope_desktop.network.service import ReturnStatus

FILE, ORGANISATION, COUNTRY, PERIOD, STATUS = range(5)
HEADINGS = (N_("File"), N_("Organisation"), N_("Country"), N_("Period"), N_("Status"))
SET_ASIDE = ("duplicate", "other_period")
"""Problems of a good return that is simply not merged this time (amber, not red)."""
COLOURS = {"merged": "#2e7d4f", "set_aside": "#c98a00", "refused": "#b3261e", "unknown": "#9aa5b1"}

Index = QModelIndex | QPersistentModelIndex


def status_icon(kind: str, size: int = 12) -> QIcon:
    """A small filled circle in the colour of ``kind`` (merged, set_aside, refused, unknown)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(COLOURS[kind]))
    painter.setBrush(QColor(COLOURS[kind]))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def status_kind(status: ReturnStatus | None) -> str:
    """merged, set_aside (duplicate, other period), refused (damaged, not a return), unknown."""
    if status is None:
        return "unknown"
    if status.merged:
        return "merged"
    return "set_aside" if status.problem in SET_ASIDE else "refused"


def json_files(folder: Path) -> list[Path]:
    """The ``*.json`` files directly in ``folder`` (not its sub-folders), sorted by name."""
    return sorted(
        (p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file()),
        key=lambda p: p.name.lower(),
    )


class ReturnsModel(QAbstractTableModel):
    """The files added to the Network window, with each file's ``ReturnStatus`` once known."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._paths: list[Path] = []
        self._statuses: dict[Path, ReturnStatus] = {}
        self._icons: dict[str, QIcon] = {}

    # --- contents ------------------------------------------------------------------------------

    def paths(self) -> list[Path]:
        return list(self._paths)

    def path(self, row: int) -> Path:
        return self._paths[row]

    def status(self, row: int) -> ReturnStatus | None:
        """The ``ReturnStatus`` of the file on ``row``, or None before it was checked."""
        return self._statuses.get(self._paths[row])

    def add(self, paths: Iterable[Path]) -> int:
        """Add the files not listed yet; return how many were added."""
        known = set(self._paths)
        new: list[Path] = []
        for path in paths:
            resolved = path.resolve()
            if resolved not in known:
                known.add(resolved)
                new.append(resolved)
        if new:
            first = len(self._paths)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._paths.extend(new)
            self.endInsertRows()
        return len(new)

    def remove_rows(self, rows: Iterable[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._paths):
                self.beginRemoveRows(QModelIndex(), row, row)
                self._statuses.pop(self._paths.pop(row), None)
                self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._paths = []
        self._statuses = {}
        self.endResetModel()

    def set_statuses(self, statuses: Sequence[ReturnStatus]) -> None:
        """Show the statuses of a merge (files the service did not mention stay unchecked)."""
        self._statuses = {status.path.resolve(): status for status in statuses}
        self._changed()

    def forget_statuses(self) -> None:
        self._statuses = {}
        self._changed()

    def counts(self) -> dict[str, int]:
        """How many rows are merged, set aside, refused or unknown."""
        result = dict.fromkeys(COLOURS, 0)
        for row in range(len(self._paths)):
            result[status_kind(self.status(row))] += 1
        return result

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADINGS) - 1)
        self._changed()

    def _changed(self) -> None:
        if self._paths:
            last = self.index(len(self._paths) - 1, len(HEADINGS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._paths)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEADINGS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADINGS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == FILE:
                return str(self._paths[row])
            return self.text(row, column) or None
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            kind = status_kind(self.status(row))
            if kind not in self._icons:
                self._icons[kind] = status_icon(kind)
            return self._icons[kind]
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows, in the current language."""
        path, status = self._paths[row], self.status(row)
        if column == FILE:
            return path.name
        if status is None:
            return _("Not checked yet") if column == STATUS else ""
        if column == ORGANISATION:
            return str(status.organisation_name or status.organisation_id or "")
        if column == COUNTRY:
            return i18n.country_name(status.country) if status.country else ""
        if column == PERIOD:
            return status.period.label() if status.period is not None else ""
        return str(status.message)
