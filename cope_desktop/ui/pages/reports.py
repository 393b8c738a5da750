"""Reports: families supported, new families and activities held, per calendar year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem, QWidget

from cope_desktop.db.database import Database
from cope_desktop.i18n import _
from cope_desktop.services.overview import YearFigures, yearly_figures
from cope_desktop.ui.pages.base import SummaryPage
from cope_desktop.ui.pages.tables import (
    align_number_headers,
    fit_to_rows,
    number_item,
    read_only_table,
)
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted


class ReportsPage(SummaryPage):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(db, runner, yearly_figures, parent)
        self.table = read_only_table(4, self)
        self.note = muted(self)
        self.empty = muted(self)
        for widget in (self.table, self.note, self.empty):
            widget.hide()
            self.body.addWidget(widget)
        self.body.setStretchFactor(self.table, 1)
        self.body.addStretch(0)
        self.follow_language()

    def retranslate(self) -> None:
        self.heading.setText(_("Reports"))
        self.intro.setText(
            _(
                "This page shows a summary of the families and activities recorded for each "
                "calendar year."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Year"), _("Families supported"), _("New families"), _("Activities held")]
        )
        align_number_headers(self.table)
        self.note.setText(
            _(
                "A family counts as supported in a year when its case was open on at least one "
                "day of that year."
            )
        )
        self.empty.setText(_("Nothing is recorded yet."))
        super().retranslate()

    def show_figures(self, figures: Any) -> None:
        years: list[YearFigures] = figures
        self.empty.setVisible(not years)
        self.table.setVisible(bool(years))
        self.note.setVisible(bool(years))
        self.table.setRowCount(len(years))
        this_year = dt.date.today().year
        for row, year in enumerate(reversed(years)):
            shown = str(year.year)
            if year.year == this_year:
                shown = _("{year} (so far)").format(year=year.year)
            item = QTableWidgetItem(shown)
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, number_item(year.families_supported))
            self.table.setItem(row, 2, number_item(year.families_new))
            self.table.setItem(row, 3, number_item(year.activities))
        fit_to_rows(self.table)
