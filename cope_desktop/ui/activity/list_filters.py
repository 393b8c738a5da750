"""The choices above the activities list: period, type, prison, and archived ones or not."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cope_desktop.db.enums import ActivityType
from cope_desktop.i18n import N_, _, format_date
from cope_desktop.labels import label
from cope_desktop.services import validation
from cope_desktop.services.activities.activity_list import ActivityFilter, ListChoices
from cope_desktop.ui.pages.list_parts import filter_combo, refill, widen_popup
from cope_desktop.ui.record.date_field import DateField

DATES_DELAY_MS = 400
"""Typing a date waits this long after the last keystroke before it queries."""


class Period(StrEnum):
    ALL = "all"
    THIS_MONTH = "this_month"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    CUSTOM = "custom"


PERIOD_CHOICES = (
    (Period.ALL, N_("All dates")),
    (Period.THIS_MONTH, N_("This month")),
    (Period.THIS_YEAR, N_("This year")),
    (Period.LAST_YEAR, N_("Last year")),
    (Period.CUSTOM, N_("From… to…")),
)


def period_dates(period: Period, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of a period that is not custom (None: no limit)."""
    if period == Period.THIS_MONTH:
        first = today.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    if period == Period.THIS_YEAR:
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if period == Period.LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return None, None


class FilterBar(QWidget):
    """The period, type, prison and "show archived" choices above the list."""

    changed = Signal()
    """A choice changed (a typed date after a short pause)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.period = filter_combo(self)
        for period, _text in PERIOD_CHOICES:
            self.period.addItem("", period)
        self.start_label = QLabel(self)
        self.start = DateField(self)
        self.end_label = QLabel(self)
        self.end = DateField(self)
        self.start_label.setBuddy(self.start.line_edit)
        self.end_label.setBuddy(self.end.line_edit)
        self.type_filter = filter_combo(self)
        self.type_filter.addItem("", None)
        for kind in ActivityType:
            self.type_filter.addItem("", kind)
        self.prison_filter = filter_combo(self)
        self.prison_filter.addItem("", None)
        self.archived = QCheckBox(self)
        self.dates_timer = QTimer(self)
        self.dates_timer.setSingleShot(True)
        self.dates_timer.setInterval(DATES_DELAY_MS)
        self._lay_out()
        self.period.currentIndexChanged.connect(self._period_chosen)
        for combo in (self.type_filter, self.prison_filter):
            combo.currentIndexChanged.connect(self.changed)
        self.archived.toggled.connect(self.changed)
        for field in (self.start, self.end):
            field.changed.connect(self.dates_timer.start)
            field.line_edit.returnPressed.connect(self._dates_now)
        self.dates_timer.timeout.connect(self.changed)
        self._show_dates()

    def _lay_out(self) -> None:
        lists = QHBoxLayout()
        lists.setSpacing(8)
        for combo in (self.period, self.type_filter, self.prison_filter):
            lists.addWidget(combo, 1)
        lists.addSpacing(4)
        lists.addWidget(self.archived)
        self.dates = QWidget(self)
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(8)
        dates.addWidget(self.start_label)
        dates.addWidget(self.start)
        dates.addSpacing(8)
        dates.addWidget(self.end_label)
        dates.addWidget(self.end)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(lists)
        layout.addWidget(self.dates)

    @property
    def combos(self) -> list[QComboBox]:
        return [self.period, self.type_filter, self.prison_filter]

    @property
    def typing(self) -> bool:
        return self.dates_timer.isActive()

    def chosen_period(self) -> Period:
        return Period(self.period.currentData() or Period.ALL)

    def problem(self) -> str | None:
        """A sentence when the custom dates cannot be used, else None."""
        if self.chosen_period() != Period.CUSTOM:
            return None
        for field, name in ((self.start, _("start date")), (self.end, _("end date"))):
            if field.problem():
                return _("The {field} is not a date. Type it like {example}.").format(
                    field=name, example=format_date(dt.date(2024, 12, 31), "short")
                )
        start, end = self.start.date(), self.end.date()
        if start is not None and end is not None and end < start:
            return _("The end date is before the start date.")
        return None

    def current(self) -> ActivityFilter:
        """The filter shown; dates still in their typing pause are taken as they are now."""
        self.dates_timer.stop()
        period = self.chosen_period()
        if period == Period.CUSTOM:
            start, end = self.start.date(), self.end.date()
        else:
            start, end = period_dates(period, validation.today())
        return ActivityFilter(
            start=start,
            end=end,
            type=self.type_filter.currentData(),
            prison_id=self.prison_filter.currentData(),
            archived=self.archived.isChecked(),
        )

    def show_day(self, day: dt.date) -> None:
        """Choose the period of that day alone (``changed`` is emitted once)."""
        with self._quiet():
            self.period.setCurrentIndex(self.period.findData(Period.CUSTOM))
            self.start.set_date(day)
            self.end.set_date(day)
        self._show_dates()
        self.changed.emit()

    def clear(self) -> None:
        """Every date, type and prison; archived ones hidden (``changed`` is emitted once)."""
        with self._quiet():
            for combo in self.combos:
                combo.setCurrentIndex(0)
            self.start.set_date(None)
            self.end.set_date(None)
            self.archived.setChecked(False)
        self._show_dates()
        self.changed.emit()

    def fill(self, choices: ListChoices) -> None:
        """Offer these prisons, keeping the one chosen when it is still offered."""
        with self._quiet():
            refill(self.prison_filter, choices.prisons)
        widen_popup(self.prison_filter)
        self.changed.emit()

    def show_period(self, shown: bool) -> None:
        """The calendar has a period of its own, its month: the period is hidden meanwhile."""
        self.period.setVisible(shown)
        self.dates.setVisible(shown and self.chosen_period() == Period.CUSTOM)

    def retranslate(self) -> None:
        for number, (_period, text) in enumerate(PERIOD_CHOICES):
            self.period.setItemText(number, _(text))
        self.period.setAccessibleName(_("Period"))
        self.period.setToolTip(_("Activities held in this period"))
        self.start_label.setText(_("&From:"))
        self.end_label.setText(_("&To:"))
        self.type_filter.setItemText(0, _("All types"))
        for number, kind in enumerate(ActivityType, 1):
            self.type_filter.setItemText(number, label(kind))
        self.type_filter.setAccessibleName(_("Type of activity"))
        self.prison_filter.setItemText(0, _("All prisons"))
        self.prison_filter.setAccessibleName(_("Prison"))
        self.archived.setText(_("Show archived"))
        self.archived.setToolTip(_("Also list archived activities, in grey"))

    def _period_chosen(self) -> None:
        self._show_dates()
        if self.chosen_period() == Period.CUSTOM and self.start.is_empty():
            self.start.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _dates_now(self) -> None:
        if self.typing:
            self.dates_timer.stop()
            self.changed.emit()

    def _show_dates(self) -> None:
        self.dates.setVisible(self.chosen_period() == Period.CUSTOM)

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Change the controls without a ``changed`` for every step."""
        widgets: list[QObject] = [*self.combos, self.archived, self.start, self.end]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            yield
        finally:
            for widget in widgets:
                widget.blockSignals(False)
            self.dates_timer.stop()
