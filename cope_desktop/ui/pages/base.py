"""What the overview pages share: a heading, one sentence, and figures read in the background.

A page reads its figures the first time it is shown, on a worker thread, so opening the
main window never waits for a count over a large database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.i18n import _
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import FigureCard, heading, intro, muted, set_state

Query = Callable[[Session], Any]

PAGE_MARGINS = (36, 28, 36, 24)


class Page(QWidget):
    """A page with a heading and an introductory sentence; subclasses add the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = heading(self)
        self.intro = intro(self)
        self.body = QVBoxLayout()
        self.body.setSpacing(16)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(12)
        layout.addLayout(self.body, 1)

    def follow_language(self) -> None:
        """Call at the end of the subclass constructor, once every widget exists."""
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        raise NotImplementedError


class SummaryPage(Page):
    """A page of figures from one service query, read the first time the page is shown."""

    def __init__(
        self, db: Database, runner: TaskRunner, query: Query, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._query = query
        self._figures: Any = None
        self._requested = False
        self.status = muted(self)
        self.body.addWidget(self.status)

    @property
    def figures(self) -> Any:
        """The figures last read, or None before they arrive."""
        return self._figures

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._requested:
            self.refresh()

    def refresh(self) -> None:
        """Read the figures again, in the background."""
        self._requested = True
        set_state(self.status, "")
        self.status.setText(_("Counting…"))
        self.status.show()
        db, query = self._db, self._query

        def read() -> Any:
            with db.session() as session:
                return query(session)

        self._runner.run(read, self._loaded, self._failed, context=self)

    def _loaded(self, figures: Any) -> None:
        self._figures = figures
        self.status.hide()
        self.show_figures(figures)

    def _failed(self, failure: TaskFailure) -> None:
        set_state(self.status, "error")
        self.status.setText(failure.message)
        self.status.show()

    def show_figures(self, figures: Any) -> None:
        """Show ``figures`` (also called again after a language switch)."""
        raise NotImplementedError

    def retranslate(self) -> None:
        if self._figures is not None:
            self.show_figures(self._figures)
        elif self.status.isVisible() and self.status.property("state") != "error":
            self.status.setText(_("Counting…"))


class CardGrid(QWidget):
    """Figure cards in rows of ``columns``."""

    def __init__(self, count: int, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = [FigureCard(self) for _card in range(count)]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        for number, card in enumerate(self.cards):
            grid.addWidget(card, number // columns, number % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
