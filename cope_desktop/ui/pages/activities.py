"""Activities: how many of each type, over which dates, and how many attendances."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableWidgetItem, QWidget

from cope_desktop.db.database import Database
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.services.overview import ActivitySummary, activity_summary
from cope_desktop.ui.pages.base import CardGrid, SummaryPage
from cope_desktop.ui.pages.tables import (
    align_number_headers,
    fit_to_rows,
    number_item,
    read_only_table,
)
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted


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
