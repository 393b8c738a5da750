"""One part of a family's record as a list: a table of rows and Add / Edit / Archive / Restore.

Archived rows are shown only when the window's "Show archived records" is on, greyed and
marked "(archived)"; they can be restored (administrators) but not edited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _

ROW_ID = Qt.ItemDataRole.UserRole
ARCHIVED_COLOUR = QColor("#8a96a3")


@dataclass(frozen=True)
class Row:
    id: uuid.UUID
    cells: tuple[str, ...]
    archived: bool = False
    editable: bool = True
    """False for a record the user may see but not change (a case note by someone else)."""


class PaddedDelegate(QStyledItemDelegate):
    """Cells with room around their text, measured the same way they are painted.

    (A style sheet's item padding is painted but left out when wrapped rows are measured,
    which cuts the last line of a wrapped cell.)
    """

    PAD_X = 8
    PAD_Y = 5

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # type: ignore[override]
        inner = QStyleOptionViewItem(option)
        inner.rect = option.rect.adjusted(0, 0, -2 * self.PAD_X, 0)
        size = super().sizeHint(inner, index)
        return QSize(size.width() + 2 * self.PAD_X, size.height() + 2 * self.PAD_Y)

    def paint(  # type: ignore[override]
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex
    ) -> None:
        whole = QStyleOptionViewItem(option)
        self.initStyleOption(whole, index)
        whole.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, whole, painter, widget)
        inner = QStyleOptionViewItem(option)
        inner.rect = option.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        super().paint(painter, inner, index)


def fit_table_height(table: QTableWidget, max_rows: int | None = None) -> None:
    """As tall as the rows (and the scroll bar when the columns are wider than the table)."""
    count = table.rowCount() if max_rows is None else min(table.rowCount(), max_rows)
    rows = sum(table.rowHeight(row) for row in range(count))
    header = table.horizontalHeader()
    height = rows + (header.sizeHint().height() if header.isVisible() else 0)
    height += 2 * table.frameWidth() + 2
    if header.length() > table.viewport().width():
        height += table.horizontalScrollBar().sizeHint().height()
    if table.height() != height:
        table.setFixedHeight(height)


def record_table(columns: int, parent: QWidget) -> QTableWidget:
    """A read-only table of whole rows; multi-line cells wrap and rows grow to fit."""
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(True)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setItemDelegate(PaddedDelegate(table))
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class RecordSection(QWidget):
    """A titled table of records with the actions on them."""

    add_requested = Signal()
    edit_requested = Signal(object)
    archive_requested = Signal(object)
    restore_requested = Signal(object)

    def __init__(
        self,
        columns: int,
        parent: QWidget | None = None,
        *,
        can_restore: bool = False,
        fit_rows: bool = False,
        editable: bool = True,
        wrap_column: int | None = None,
    ) -> None:
        """``wrap_column`` takes the width left and wraps its text (default: the last one)."""
        super().__init__(parent)
        self._can_restore = can_restore
        self._editable = editable
        self._fit_rows = fit_rows
        self._rows: list[Row] = []
        self._add_reason = ""
        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.note = QLabel(self)
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.note.hide()
        self.empty = QLabel(self)
        self.empty.setProperty("role", "muted")
        self.table = record_table(columns, self)
        header = self.table.horizontalHeader()
        wrap = columns - 1 if wrap_column is None else wrap_column
        header.setStretchLastSection(wrap == columns - 1)
        header.setSectionResizeMode(wrap, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._column_resized)
        self._wrapping = wrap
        self._rewrapping = False
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.archive_button = QPushButton(self)
        self.restore_button = QPushButton(self)
        for button in (self.add_button, self.edit_button, self.archive_button):
            button.setVisible(editable)
        self.restore_button.hide()
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.archive_button.clicked.connect(self._archive)
        self.restore_button.clicked.connect(self._restore)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        if editable:
            self.table.itemDoubleClicked.connect(lambda _item: self._edit())
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                QShortcut(
                    QKeySequence(key), self.table, self._edit, Qt.ShortcutContext.WidgetShortcut
                )
            QShortcut(
                QKeySequence(QKeySequence.StandardKey.Delete),
                self.table,
                self._archive,
                Qt.ShortcutContext.WidgetShortcut,
            )
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (
            self.add_button,
            self.edit_button,
            self.archive_button,
            self.restore_button,
        ):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 0 if fit_rows else 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        # Takes the room left only while the table is hidden (the table has stretch 1).
        layout.addStretch(0)
        if fit_rows:
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._update_buttons()

    # --- texts ---------------------------------------------------------------------------------

    def set_texts(self, title: str, headers: tuple[str, ...], empty: str) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.table.setHorizontalHeaderLabels(list(headers))
        self.empty.setText(empty)
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.archive_button.setText(_("Archive…"))
        self.restore_button.setText(_("Restore"))
        self.edit_button.setToolTip(_("Edit the selected record (Enter)"))
        self.archive_button.setToolTip(_("Archive the selected record (Delete)"))

    def set_add_label(self, text: str) -> None:
        self.add_button.setText(text)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_add_allowed(self, allowed: bool, reason: str = "") -> None:
        """Disable Add and say why (a reason shown as a note above the table)."""
        self._add_reason = "" if allowed else reason
        self.add_button.setEnabled(allowed)
        self.add_button.setToolTip(self._add_reason)

    # --- rows ----------------------------------------------------------------------------------

    def set_rows(self, rows: list[Row], show_archived: bool) -> None:
        selected = self.current_id()
        self._rows = [row for row in rows if show_archived or not row.archived]
        self.restore_button.setVisible(self._editable and self._can_restore and show_archived)
        table = self.table
        table.setRowCount(len(self._rows))
        for number, row in enumerate(self._rows):
            for column, text in enumerate(row.cells):
                if column == 0 and row.archived:
                    text = _("{text} (archived)").format(text=text)
                item = QTableWidgetItem(text)
                item.setData(ROW_ID, row.id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if row.archived:
                    item.setForeground(ARCHIVED_COLOUR)
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                table.setItem(number, column, item)
        table.resizeRowsToContents()
        self.table.setVisible(bool(self._rows))
        self.empty.setVisible(not self._rows)
        if self._fit_rows:
            self._fit()
        self.select(selected)
        self._update_buttons()

    def _fit(self) -> None:
        fit_table_height(self.table)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_rows:
            self._fit()

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        """A narrower or wider wrapping column changes how tall its rows must be.

        Measured once the layout has settled (a taller table may bring a scroll bar that
        makes the column narrower again).
        """
        if column == self._wrapping and not self._rewrapping:
            self._rewrapping = True
            QTimer.singleShot(0, self, self._rewrap)

    def _rewrap(self) -> None:
        self._rewrapping = False
        self.table.resizeRowsToContents()
        if self._fit_rows:
            self._fit()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def select(self, record_id: uuid.UUID | None) -> None:
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                self.table.selectRow(number)
                return
        if self._rows and record_id is None:
            self.table.clearSelection()

    def current_row(self) -> Row | None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return None
        number = selected[0].row()
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def current_id(self) -> uuid.UUID | None:
        row = self.current_row()
        return row.id if row is not None else None

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None and not row.archived and row.editable)
        self.archive_button.setEnabled(row is not None and not row.archived)
        self.restore_button.setEnabled(row is not None and row.archived)

    def _edit(self) -> None:
        row = self.current_row()
        if row is not None and not row.archived and row.editable and self._editable:
            self.edit_requested.emit(row.id)

    def _archive(self) -> None:
        row = self.current_row()
        if row is not None and not row.archived and self._editable:
            self.archive_requested.emit(row.id)

    def _restore(self) -> None:
        row = self.current_row()
        if row is not None and row.archived and self._can_restore:
            self.restore_requested.emit(row.id)
