"""Home: this year at a glance, the first page after signing in.

Five key figures and four small charts of the calendar year so far, read in the background
with ``reports.dashboard.year_at_a_glance`` when the page is first shown (and again when it
is shown after a minute or more, or on Refresh). The figures are exact: the dashboard stays
inside the organisation, and any signed-in user may see it.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.db.enums import ActivityType, Rating, Sex
from cope_desktop.i18n import N_, _, format_date, format_number
from cope_desktop.labels import label
from cope_desktop.reports.categories import AGE_BANDS, UNKNOWN
from cope_desktop.services import validation
from cope_desktop.services.permissions import Permission, can
from cope_desktop.ui.charts import (
    ChartCard,
    ChartData,
    HorizontalBarChart,
    VerticalBarChart,
    series_of,
)
from cope_desktop.ui.pages.base import PAGE_MARGINS, CardGrid, Page
from cope_desktop.ui.pages.scroll import CONTENT_NAME, page_scroll
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import muted, set_state

if TYPE_CHECKING:
    from cope_desktop.reports.dashboard import Dashboard

STALE_AFTER_S = 60.0
"""Shown again after this long, the page reads its figures again."""
TWO_COLUMNS_FROM = 700
"""With less room than this (pixels inside the page margins), the charts are in one column."""
RATING_COLOURS = {
    Rating.POSITIVE: "#6a9f88",
    Rating.NEUTRAL: "#c9b27c",
    Rating.NEGATIVE: "#c97b6b",
}
SEX_COLOURS = {
    Sex.FEMALE: "#3d6fa3",
    Sex.MALE: "#e0a458",
    Sex.OTHER: "#6a9f88",
    Sex.NOT_STATED: "#8c9aa8",
}
FIGURES = (
    ("families_supported", N_("Families supported")),
    ("families_new", N_("New families")),
    ("children_supported", N_("Children supported")),
    ("activities", N_("Activities held")),
    ("child_attendances", N_("Child attendances")),
)


def is_empty(dashboard: Dashboard) -> bool:
    return not (
        dashboard.families_supported or dashboard.children_supported or dashboard.activities
    )


def children_chart(dashboard: Dashboard) -> ChartData:
    """Age bands along the bottom, one bar per sex (sexes never recorded are left out)."""
    counts = dashboard.children_by_age_sex
    bands = [band for band in AGE_BANDS if band != UNKNOWN or _any(counts, band, 0)]
    sexes = [sex for sex in Sex if sex in (Sex.FEMALE, Sex.MALE) or _any(counts, sex.value, 1)]
    names = [_("Unknown") if band == UNKNOWN else band for band in bands]
    series = tuple(
        series_of(
            label(sex),
            [counts.get((band, sex.value), 0) for band in bands],
            SEX_COLOURS[sex],
        )
        for sex in sexes
    )
    return ChartData(tuple(names), series)


def _any(counts: dict[tuple[str, str], int], code: str, position: int) -> bool:
    return any(value for key, value in counts.items() if key[position] == code)


def activities_chart(dashboard: Dashboard) -> ChartData:
    """The types of activity held this year, the most frequent first."""
    held = sorted(
        ((count, ActivityType(code)) for code, count in dashboard.activities_by_type.items()),
        key=lambda pair: (-pair[0], list(ActivityType).index(pair[1])),
    )
    held = [(count, kind) for count, kind in held if count]
    return ChartData(
        tuple(label(kind) for _count, kind in held),
        (series_of(_("Activities"), [count for count, _kind in held]),),
    )


def feedback_chart(dashboard: Dashboard) -> ChartData:
    ratings = list(Rating)
    return ChartData(
        tuple(label(rating) for rating in ratings),
        (series_of(_("Answers"), [dashboard.feedback.get(rating.value, 0) for rating in ratings]),),
        category_colours=tuple(RATING_COLOURS[rating] for rating in ratings),
    )


def months_chart(dashboard: Dashboard) -> ChartData:
    """Activities held in each month of the year (months still to come show nothing)."""
    held = {month: activities for month, activities, _attended in dashboard.by_month}
    names = tuple(
        format_date(dt.date(dashboard.year, month, 1), "LLL").rstrip(".").capitalize()
        for month in range(1, 13)
    )
    return ChartData(names, (series_of(_("Activities"), [held.get(m, 0) for m in range(1, 13)]),))


class HomePage(Page):
    """The year at a glance: key figures, four charts and the way to this year's return."""

    prepare_return = Signal(int)
    """The person asked to prepare the return of this year."""
    loaded = Signal()

    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._dashboard: Dashboard | None = None
        self._read_at: float | None = None
        self._reading = False
        self._columns = 0
        self._make_widgets()
        self._lay_out()
        self.follow_language()

    # --- construction ------------------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.status = muted(self)
        self.prepare_button = QPushButton(self)
        self.prepare_button.setAutoDefault(False)
        self.prepare_button.setVisible(can(self._signed_in.user, Permission.EXPORT_RETURNS))
        self.prepare_button.clicked.connect(self._prepare)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.refresh)
        self.cards = CardGrid(len(FIGURES), columns=len(FIGURES))
        self.children_by_age = VerticalBarChart()
        self.activity_types = HorizontalBarChart()
        self.feedback = HorizontalBarChart()
        self.months = VerticalBarChart()
        self.chart_cards = [
            ChartCard(chart)
            for chart in (self.children_by_age, self.activity_types, self.feedback, self.months)
        ]
        self.empty = muted(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.status, 1)
        actions.addWidget(self.prepare_button)
        actions.addWidget(self.refresh_button)
        content = QWidget()
        content.setObjectName(CONTENT_NAME)
        self.charts = QGridLayout()
        self.charts.setHorizontalSpacing(14)
        self.charts.setVerticalSpacing(14)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 8, 8)
        inner.setSpacing(14)
        inner.addWidget(self.cards)
        inner.addLayout(self.charts)
        inner.addStretch(1)
        self.content = content
        self.charts_area = page_scroll(self)
        self.charts_area.setWidget(content)
        self.body.setSpacing(10)
        self.body.addLayout(actions)
        self.body.addWidget(self.charts_area, 1)
        self.body.addWidget(self.empty, 1)
        self._arrange(2)

    def _arrange(self, columns: int) -> None:
        """Put the chart cards in ``columns`` columns (one in a narrow window)."""
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.chart_cards:
            self.charts.removeWidget(card)
        for number, card in enumerate(self.chart_cards):
            self.charts.addWidget(card, number // columns, number % columns)
        for column in range(2):
            self.charts.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = self.width() - PAGE_MARGINS[0] - PAGE_MARGINS[2]
        self._arrange(2 if room >= TWO_COLUMNS_FROM else 1)

    def retranslate(self) -> None:
        year = validation.today().year
        self.heading.setText(_("This year at a glance"))
        self.intro.setText(
            _(
                "The figures of {year} so far. They are exact and stay inside the organisation; "
                "the return sent to COPE hides small numbers."
            ).format(year=year)
        )
        self.prepare_button.setText(_("Prepare this year's return"))
        self.prepare_button.setToolTip(
            _("Open Reports with the network return for {year} and prepare it.").format(year=year)
        )
        self.refresh_button.setText(_("Refresh"))
        self.chart_cards[0].set_title(_("Children supported, by age and sex"))
        self.chart_cards[1].set_title(_("Activities held, by type"))
        self.chart_cards[2].set_title(_("What children said about activities"))
        self.chart_cards[3].set_title(_("Activities held each month"))
        self.children_by_age.set_axis_title(_("Children"))
        self.months.set_axis_title(_("Activities"))
        self.children_by_age.set_empty_text(_("No children supported this year yet."))
        self.activity_types.set_empty_text(_("No activities this year yet."))
        self.feedback.set_empty_text(_("No feedback from children this year yet."))
        self.months.set_empty_text(_("No activities this year yet."))
        if self._dashboard is not None:
            self.show_dashboard(self._dashboard)
        elif self._reading:
            self.status.setText(_("Counting…"))

    # --- reading -----------------------------------------------------------------------------

    @property
    def dashboard(self) -> Dashboard | None:
        return self._dashboard

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        stale = self._read_at is None or time.monotonic() - self._read_at > STALE_AFTER_S
        if stale and not self._reading:
            self.refresh()

    def refresh(self) -> None:
        """Read this year's figures again, in the background."""
        if self._reading:
            return
        self._reading = True
        self._read_at = time.monotonic()
        self.refresh_button.setEnabled(False)
        set_state(self.status, "")
        self.status.setText(_("Counting…"))
        db = self._signed_in.db
        today = validation.today()

        def read() -> Dashboard:
            from cope_desktop.reports.dashboard import year_at_a_glance

            with db.session() as session:
                return year_at_a_glance(session, today.year, today)

        self._runner.run(read, self._loaded, self._failed, context=self)

    def _loaded(self, dashboard: Dashboard) -> None:
        self._reading = False
        self._read_at = time.monotonic()
        self.refresh_button.setEnabled(True)
        self.show_dashboard(dashboard)
        self.loaded.emit()

    def _failed(self, failure: TaskFailure) -> None:
        self._reading = False
        self.refresh_button.setEnabled(True)
        set_state(self.status, "error")
        self.status.setText(failure.message)

    # --- showing -----------------------------------------------------------------------------

    def show_dashboard(self, dashboard: Dashboard) -> None:
        """Show ``dashboard`` (also again after a language switch)."""
        self._dashboard = dashboard
        set_state(self.status, "")
        self.status.setText(
            _("Figures from {start} to {end}.").format(
                start=format_date(dt.date(dashboard.year, 1, 1)),
                end=format_date(min(validation.today(), dt.date(dashboard.year, 12, 31))),
            )
        )
        empty = is_empty(dashboard)
        self.charts_area.setVisible(not empty)
        self.empty.setVisible(empty)
        self.empty.setText(
            _(
                "Nothing is recorded for {year} yet. The figures and charts appear here as "
                "families and activities are recorded."
            ).format(year=dashboard.year)
        )
        for card, (name, caption) in zip(self.cards.cards, FIGURES, strict=True):
            card.set_figure(format_number(getattr(dashboard, name)), _(caption))
            card.setAccessibleName(f"{_(caption)}: {format_number(getattr(dashboard, name))}")
        self.children_by_age.set_data(children_chart(dashboard))
        self.activity_types.set_data(activities_chart(dashboard))
        self.feedback.set_data(feedback_chart(dashboard))
        self.months.set_data(months_chart(dashboard))

    def _prepare(self) -> None:
        self.prepare_return.emit(validation.today().year)
