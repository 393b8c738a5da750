"""What the long list pages (families, activities) do the same way around their lazy model.

Each page has a lazy model (``ui/models/lazy_list.py``), a table, a count line that also shows
errors, a busy mark with its timer, and a kept selection (``_kept``: the id selected before the
rows changed, selected again once it is back). The pages lay these out and fill them their own
way; the reactions below are the same for both.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from cope_desktop.ui.pages.base import Page
from cope_desktop.ui.tasks import TaskFailure
from cope_desktop.ui.widgets import set_state


class LazyListPage(Page):
    """A page around a lazy list: read on first show, columns fitted, failures in the count."""

    model: Any
    table: QTableView
    count: QLabel
    busy: QWidget
    busy_timer: QTimer
    _kept: Any

    def refresh(self) -> None:
        raise NotImplementedError

    def _fit_columns(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.model.started:
            self.refresh()
        self._fit_columns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _select_kept(self) -> None:
        row = self.model.row_of(self._kept) if self._kept is not None else None
        if row is not None:
            self._kept = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _failed(self, message: str) -> None:
        self.busy_timer.stop()
        self.busy.hide()
        self._show_error(message)

    def _failed_choices(self, failure: TaskFailure) -> None:
        self._show_error(failure.message)

    def _show_error(self, message: str) -> None:
        set_state(self.count, "error")
        self.count.setText(message)
