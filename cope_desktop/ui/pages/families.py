"""Families: how many families, children, caregivers and imprisoned relatives are on file."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from cope_desktop.db.database import Database
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.services.overview import FamilySummary, family_summary
from cope_desktop.ui.pages.base import CardGrid, SummaryPage
from cope_desktop.ui.tasks import TaskRunner


class FamiliesPage(SummaryPage):
    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(db, runner, family_summary, parent)
        self.grid = CardGrid(6, columns=3, parent=self)
        self.grid.hide()
        self.body.addWidget(self.grid)
        self.body.addStretch(1)
        self.follow_language()

    def retranslate(self) -> None:
        self.heading.setText(_("Families"))
        self.intro.setText(
            _("This page shows a summary of the families and people recorded in this database.")
        )
        super().retranslate()

    def show_figures(self, figures: Any) -> None:
        summary: FamilySummary = figures
        values = (
            (summary.families, ngettext("family", "families", summary.families)),
            (summary.families_open, ngettext("open case", "open cases", summary.families_open)),
            (
                summary.families_closed,
                ngettext("closed case", "closed cases", summary.families_closed),
            ),
            (summary.children, ngettext("child", "children", summary.children)),
            (summary.caregivers, ngettext("caregiver", "caregivers", summary.caregivers)),
            (
                summary.imprisoned_relatives,
                ngettext(
                    "imprisoned relative", "imprisoned relatives", summary.imprisoned_relatives
                ),
            ),
        )
        for card, (value, caption) in zip(self.grid.cards, values, strict=True):
            card.set_figure(format_number(value), caption)
        self.grid.show()
