"""Activities: how many of each type, over which dates, and how many attendances."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cope_desktop.db.database import Database
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.services.overview import ActivitySummary, activity_summary
from cope_desktop.ui.pages.base import CardGrid, SummaryPage
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted


def read_only_table(columns: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, columns):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def fit_to_rows(table: QTableWidget) -> None:
    """Let the table grow no taller than its rows, so short tables leave no empty box."""
    rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
    header = table.horizontalHeader().sizeHint().height()
    table.setMaximumHeight(rows + header + 2 * table.frameWidth() + 2)


def align_number_headers(table: QTableWidget) -> None:
    for column in range(1, table.columnCount()):
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def number_item(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem(format_number(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ActivitiesPage(SummaryPage):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(db, runner, activity_summary, parent)
        self.grid = CardGrid(4, columns=4, parent=self)
        self.by_type = read_only_table(2, self)
        self.empty = muted(self)
        for widget in (self.grid, self.by_type, self.empty):
            widget.hide()
            self.body.addWidget(widget)
        self.body.setStretchFactor(self.by_type, 1)
        self.body.addStretch(0)
        self.follow_language()

    def retranslate(self) -> None:
        self.heading.setText(_("Activities"))
        self.intro.setText(
            _("This page shows a summary of the activities recorded in this database.")
        )
        self.by_type.setHorizontalHeaderLabels([_("Type of activity"), _("Number held")])
        align_number_headers(self.by_type)
        self.empty.setText(_("No activities are recorded yet."))
        super().retranslate()

    def show_figures(self, figures: Any) -> None:
        summary: ActivitySummary = figures
        if not summary.activities:
            self.grid.hide()
            self.by_type.hide()
            self.empty.show()
            return
        self.empty.hide()
        cards = self.grid.cards
        cards[0].set_figure(
            format_number(summary.activities),
            ngettext("activity", "activities", summary.activities),
        )
        cards[1].set_figure(
            format_number(summary.attendances),
            ngettext("attendance", "attendances", summary.attendances),
        )
        if summary.first_date is not None and summary.last_date is not None:
            cards[2].set_figure(format_date(summary.first_date), _("first activity"))
            cards[3].set_figure(format_date(summary.last_date), _("latest activity"))
        self.by_type.setRowCount(len(summary.by_type))
        for row, (kind, count) in enumerate(summary.by_type.items()):
            self.by_type.setItem(row, 0, QTableWidgetItem(label(kind)))
            self.by_type.setItem(row, 1, number_item(count))
        fit_to_rows(self.by_type)
        self.grid.show()
        self.by_type.show()
