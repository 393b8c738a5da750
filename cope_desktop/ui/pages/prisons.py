"""Prisons: every prison on file with the number of imprisoned relatives linked to it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from cope_desktop.db.database import Database
from cope_desktop.i18n import _
from cope_desktop.services.overview import PrisonRow, prison_rows
from cope_desktop.ui.models import prison_table
from cope_desktop.ui.models.prison_table import PrisonTableModel
from cope_desktop.ui.pages.base import SummaryPage
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted


class PrisonsPage(SummaryPage):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(db, runner, prison_rows, parent)
        self.model = PrisonTableModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(prison_table.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(prison_table.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (
            prison_table.COUNTRY,
            prison_table.REGION,
            prison_table.TYPE,
            prison_table.RELATIVES,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = muted(self)
        for widget in (self.table, self.empty):
            widget.hide()
            self.body.addWidget(widget)
        self.body.setStretchFactor(self.table, 1)
        self.follow_language()

    def retranslate(self) -> None:
        self.heading.setText(_("Prisons"))
        self.intro.setText(
            _(
                "This page shows a summary of the prisons recorded in this database and how many "
                "imprisoned relatives are linked to each."
            )
        )
        self.empty.setText(_("No prisons are recorded yet."))
        self.model.retranslate()
        super().retranslate()

    def show_figures(self, figures: Any) -> None:
        rows: list[PrisonRow] = figures
        if rows != [self.model.prison(n) for n in range(self.model.rowCount())]:
            self.model.set_rows(rows)
            header = self.table.horizontalHeader()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
