"""Activities: every activity on file as a list or a month calendar, to find, open or record.

The list is a lazy model (``ui.models.activity_list``): the ids of the matching activities
are queried in the background whenever a filter or the sort order changes, and rows are read
one page at a time as the table shows them. The calendar reads one month at a time, also in
the background. The editor, series, quick attendance and campaign windows are loaded the
first time they are used, not at start-up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeySequence,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.db.database import Database
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.services.activities.activity_list import (
    ActivityFilter,
    CalendarMonth,
    ListChoices,
    calendar_month,
    list_choices,
)
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.ui.activity.list_filters import FilterBar
from cope_desktop.ui.models import activity_list as columns
from cope_desktop.ui.models.activity_list import (
    ActivityListModel,
    DatabaseSource,
    campaign_title,
)
from cope_desktop.ui.pages.base import PAGE_MARGINS
from cope_desktop.ui.pages.list_page import LazyListPage
from cope_desktop.ui.pages.list_parts import list_table
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyBar, link_button, muted, set_state

if TYPE_CHECKING:
    from cope_desktop.ui.activity.calendar_view import CalendarView
    from cope_desktop.ui.activity.editor import ActivityEditor

BUSY_DELAY_MS = 200
"""A query that takes longer shows a moving bar beside the count."""
REFRESH_DELAY_MS = 500
"""After a change made elsewhere (attendance ticked), the list is read again this much later."""

STRETCHED = {columns.TYPE: 3, columns.PRISON: 4}
"""Columns that share the width left by the others, and their shares."""
ACTION_SPACING = 8
MIN_STRETCHED_WIDTH = 100
NARROW_HIDDEN = (columns.REFERENCE, columns.DURATION)
"""Columns left out when the window is too narrow for every column."""
SAMPLE_TIME = dt.datetime(2000, 9, 30, 22, 30)
SWITCH_STYLE = """
QPushButton:checked { background: #d6e3f0; border-color: #3d6fa3; color: #1b3a5c; }
QPushButton:checked:hover { background: #cbdaea; }
"""


class ActivitiesPage(LazyListPage):
    """The activities list and calendar, with the buttons to record and open activities."""

    LIST, CALENDAR = 0, 1

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        signed_in: SignedIn | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._signed_in = signed_in
        self._kept: uuid.UUID | None = None
        self._month_sequence = 0
        self._month_wanted: tuple[int, int, ActivityFilter] | None = None
        self._month_loading = False
        self.model = ActivityListModel(DatabaseSource(db), runner, self)
        self.filters = FilterBar(self)
        self._make_controls()
        self.table = list_table(
            self.model,
            self,
            sorted_by=columns.DATE,
            order=Qt.SortOrder.DescendingOrder,
            middle_elided=columns.PRISON,
        )
        self.table.viewport().installEventFilter(self)
        self._calendar: CalendarView | None = None
        """Made the first time the calendar is shown (its module too: start-up time, P1)."""
        self._lay_out()
        self._connect()
        self._update_buttons()
        self.follow_language()

    # --- construction ------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.new_button = QPushButton(self)
        self.new_button.setProperty("primary", True)
        self.series_button = QPushButton(self)
        self.attendance_button = QPushButton(self)
        self.campaign_button = QPushButton(self)
        for button in self.action_buttons:
            button.setAutoDefault(False)
        self.list_button = QPushButton(self)
        self.calendar_button = QPushButton(self)
        self.views = QButtonGroup(self)
        for number, button in enumerate((self.list_button, self.calendar_button)):
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.views.addButton(button, number)
        self.list_button.setChecked(True)
        self.count = muted(self)
        # Only the room the other controls leave: a long message wraps, the buttons stay whole.
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.busy = BusyBar(self)
        self.busy.setMaximumWidth(160)
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(False)  # the room is the count's while nothing runs
        self.busy.setSizePolicy(policy)
        self.busy_timer = QTimer(self)
        self.busy_timer.setSingleShot(True)
        self.busy_timer.setInterval(BUSY_DELAY_MS)
        self.message = muted(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = link_button(self)
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setSingleShot(True)
        self.refresh_timer.setInterval(REFRESH_DELAY_MS)

    @property
    def action_buttons(self) -> list[QPushButton]:
        return [self.new_button, self.series_button, self.attendance_button, self.campaign_button]

    def _lay_out(self) -> None:
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(ACTION_SPACING)
        for button in self.action_buttons[:3]:
            self.action_row.addWidget(button)
        self.action_row.addStretch(1)
        self.action_row.addWidget(self.campaign_button)
        self.wrapped_row = QHBoxLayout()
        self.wrapped_row.addStretch(1)
        switch = QWidget(self)
        switch.setStyleSheet(SWITCH_STYLE)
        switch_layout = QHBoxLayout(switch)
        switch_layout.setContentsMargins(0, 0, 0, 0)
        switch_layout.setSpacing(0)
        switch_layout.addWidget(self.list_button)
        switch_layout.addWidget(self.calendar_button)
        status = QHBoxLayout()
        status.setSpacing(10)
        self.status_row = status
        status.addWidget(self.count, 1)
        status.addWidget(self.busy)
        status.addWidget(switch)
        empty = QWidget(self)
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.message)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.results = QStackedLayout()
        self.results.addWidget(self.table)
        self.results.addWidget(empty)
        self.body.setSpacing(10)
        self.body.addLayout(self.action_row)
        self.body.addLayout(self.wrapped_row)
        self.body.addWidget(self.filters)
        self.body.addLayout(status)
        self.body.addLayout(self.results, 1)
        order = [
            *self.action_buttons[:3],
            self.campaign_button,
            self.filters.period,
            self.filters.start,
            self.filters.end,
            self.filters.type_filter,
            self.filters.prison_filter,
            self.filters.archived,
            self.list_button,
            self.calendar_button,
            self.table,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        self.filters.changed.connect(self.apply_filter)
        self.new_button.clicked.connect(lambda: self.new_activity())
        self.new_shortcut.activated.connect(lambda: self.new_activity())
        self.series_button.clicked.connect(self.new_series)
        self.attendance_button.clicked.connect(self.quick_attendance)
        self.campaign_button.clicked.connect(self.show_campaign)
        self.views.idClicked.connect(self.show_view)
        self.clear_button.clicked.connect(self.filters.clear)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.busy_timer.timeout.connect(self._show_busy)
        self.refresh_timer.timeout.connect(self.refresh)
        model = self.model
        model.query_started.connect(self.busy_timer.start)
        model.modelAboutToBeReset.connect(self._keep_selection)
        model.rows_shown.connect(self._rows_shown)
        model.loaded.connect(self._loaded)
        model.failed.connect(self._failed)

    def retranslate(self) -> None:
        self.heading.setText(_("Activities"))
        self.intro.setText(_("Find an activity by its date, type or prison, or record a new one."))
        self.filters.retranslate()
        self.new_button.setText(_("New activity"))
        self.new_button.setToolTip(
            _("Record a new activity ({shortcut}).").format(
                shortcut=self.new_shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.series_button.setText(_("New series…"))
        self.series_button.setToolTip(
            _("Record a recurring activity, such as a weekly support group, all at once.")
        )
        self.attendance_button.setText(_("Quick attendance"))
        self.campaign_button.setText(campaign_title().replace("&", "&&") + "…")
        self._arrange_actions()
        self.campaign_button.setToolTip(
            _("The campaign's figures and events for one year (table 5 of the network return).")
        )
        self.list_button.setText(_("List"))
        self.calendar_button.setText(_("Calendar"))
        self.list_button.setToolTip(_("Show the activities as a list"))
        self.calendar_button.setToolTip(_("Show one month on a calendar"))
        self.clear_button.setText(_("Clear the filters"))
        self.model.retranslate()
        self._update_buttons()
        self._show_count()

    # --- behaviour -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the list, the month shown and the filter choices again (after a change)."""
        self.model.refresh()
        if self.showing_calendar:
            self._read_month(force=True)
        db = self._db

        def read() -> ListChoices:
            with db.session() as session:
                return list_choices(session)

        self._runner.run(read, self.filters.fill, self._failed_choices, context=self)

    @property
    def showing_calendar(self) -> bool:
        return self.views.checkedId() == self.CALENDAR

    def show_view(self, number: int) -> None:
        """Show the list (0) or the calendar (1)."""
        self.views.button(number).setChecked(True)
        calendar = number == self.CALENDAR
        self.filters.show_period(not calendar)
        if self._calendar is not None or calendar:
            self.calendar.navigation.setVisible(calendar)
        if calendar:
            self.results.setCurrentWidget(self.calendar)
            self._read_month()
        self._update_buttons()
        self._show_count()

    def current_filter(self) -> ActivityFilter:
        return self.filters.current()

    def apply_filter(self) -> None:
        """Query for the filters shown now, without waiting for a typing pause."""
        problem = self.filters.problem()
        if problem is not None:
            self._show_error(problem)
            return
        self.model.set_filter(self.filters.current())
        if self.showing_calendar:
            self._read_month()
        self._show_count()

    def clear_filters(self) -> None:
        self.filters.clear()

    def show_day(self, day: object) -> None:
        """The activities of one day in the list (from the calendar)."""
        assert isinstance(day, dt.date)
        self.filters.show_day(day)
        self.show_view(self.LIST)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_activity(self) -> uuid.UUID | None:
        row = self.selected_row()
        return row.id if row is not None else None

    def selected_row(self) -> ActivityRow | None:
        """The activity selected in the list, or picked on the calendar."""
        if self.showing_calendar:
            return self.calendar.grid.selected_activity()
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.activity(index.row())

    # --- the other windows -----------------------------------------------------------------

    def new_activity(self, day: object = None) -> None:
        """The editor for a new activity (on the selected calendar day, or the given one)."""
        if self._signed_in is None:
            return
        from cope_desktop.ui.activity.editor import ActivityEditor  # start-up time (P1)

        if day is None and self.showing_calendar:
            day = self.calendar.grid.selected_day()
        on = day if isinstance(day, dt.date) else None
        self._open_editor(ActivityEditor(self._signed_in, self._runner, None, self, day=on))

    def open_activity(self, activity_id: object) -> None:
        if self._signed_in is None or not isinstance(activity_id, uuid.UUID):
            return
        from cope_desktop.ui.activity.editor import ActivityEditor  # start-up time (P1)

        self._open_editor(ActivityEditor(self._signed_in, self._runner, activity_id, self))

    def _open_editor(self, editor: ActivityEditor) -> None:
        editor.saved.connect(self._saved)
        editor.attendance_changed.connect(self.refresh_soon)
        editor.finished.connect(editor.deleteLater)
        editor.open()

    def new_series(self) -> None:
        if self._signed_in is None:
            return
        from cope_desktop.ui.activity.series_dialog import SeriesDialog  # start-up time (P1)

        dialog = SeriesDialog(self._signed_in, self._runner, self)
        dialog.saved.connect(self.refresh_soon)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def quick_attendance(self) -> None:
        """Quick attendance for the selected activity; the counts are read again after it."""
        row = self.selected_row()
        if self._signed_in is None or row is None or row.archived:
            return
        from cope_desktop.ui.activity.quick_attendance import open_quick_attendance

        window = open_quick_attendance(self._signed_in, self._runner, row.id, self)
        window.closed.connect(self.refresh_soon)

    def refresh_soon(self, *_args: object) -> None:
        """Refresh once a burst of changes is over (each tick of attendance is one change)."""
        self.refresh_timer.start()

    def show_campaign(self) -> None:
        from cope_desktop.ui.activity.campaign import CampaignDialog  # start-up time (P1)

        dialog = CampaignDialog(self._db, self._runner, self)
        dialog.open_activity.connect(self.open_activity)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _saved(self, activity_id: object) -> None:
        if isinstance(activity_id, uuid.UUID):
            self._kept = activity_id
        self.refresh()

    # --- list ----------------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        self.open_activity(self.model.activity_id(index.row()))

    def _keep_selection(self) -> None:
        """Before the rows change: remember the selected activity, to select it again."""
        if self._kept is None and not self.showing_calendar:
            self._kept = self.selected_activity()

    def _rows_shown(self) -> None:
        self._select_kept()
        self._update_buttons()

    def _show_busy(self) -> None:
        self.busy.setVisible(self.model.busy or self._month_loading)

    def _loaded(self) -> None:
        if not self._month_loading:
            self.busy_timer.stop()
            self.busy.hide()
        set_state(self.count, "")
        self._show_count()
        self._select_kept()
        self._kept = None
        self._update_buttons()

    def _show_count(self) -> None:
        if self.count.property("state") == "error" and self.filters.problem():
            return
        set_state(self.count, "")
        if self.showing_calendar:
            self._show_month_count()
            return
        if not self.model.has_answer:
            self.count.setText(_("Reading the list of activities…"))
            self.results.setCurrentIndex(0)
            return
        total = self.model.rowCount()
        self.count.setText(
            ngettext("{count} activity", "{count} activities", total).format(
                count=format_number(total)
            )
        )
        filtered = self.model.filter() != ActivityFilter(archived=self.model.filter().archived)
        self.results.setCurrentIndex(0 if total else 1)
        if filtered:
            self.message.setText(_("No activity matches the filters."))
        else:
            self.message.setText(
                _("No activities are recorded yet. Choose New activity to record the first one.")
            )
        self.clear_button.setVisible(filtered)

    def _update_buttons(self) -> None:
        signed_in = self._signed_in is not None
        for button in (self.new_button, self.series_button):
            button.setEnabled(signed_in)
        self.new_shortcut.setEnabled(signed_in)
        row = self.selected_row()
        self.attendance_button.setEnabled(signed_in and row is not None and not row.archived)
        if row is None:
            tip = _("Select an activity first, then tick who is there, one tap each.")
        elif row.archived:
            tip = _("This activity is archived.")
        else:
            tip = _("Tick who is at {reference}, one tap each, on a full screen.").format(
                reference=row.reference
            )
        self.attendance_button.setToolTip(tip)

    # --- calendar ------------------------------------------------------------------------------

    @property
    def calendar(self) -> CalendarView:
        """The month calendar, made the first time it is asked for."""
        if self._calendar is None:
            from cope_desktop.ui.activity.calendar_view import CalendarView  # start-up time

            self._calendar = self._make_calendar(CalendarView(self))
        return self._calendar

    def _make_calendar(self, calendar: CalendarView) -> CalendarView:
        """Place the calendar, its month's name and buttons (in the status line) and connect it."""
        navigation = calendar.take_navigation()
        navigation.hide()
        self.status_row.insertWidget(0, navigation)
        self.results.addWidget(calendar)
        order = [
            self.filters.archived,
            calendar.previous_button,
            calendar.next_button,
            calendar.today_button,
            self.list_button,
            self.calendar_button,
            self.table,
            calendar.grid,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)
        grid = calendar.grid
        calendar.month_changed.connect(lambda _year, _month: self._read_month())
        grid.day_selected.connect(self._update_buttons)
        grid.day_opened.connect(self.show_day)
        grid.new_on_day.connect(self.new_activity)
        grid.activity_opened.connect(self.open_activity)
        return calendar

    def _read_month(self, *, force: bool = False) -> None:
        """Read the month shown on the calendar, unless it is already shown or on its way."""
        if not self.showing_calendar:
            return
        year, month = self.calendar.year, self.calendar.month
        wanted = (year, month, self.filters.current())
        if wanted == self._month_wanted and not force:
            return
        self._month_wanted = wanted
        self._month_sequence += 1
        sequence, db, chosen = self._month_sequence, self._db, wanted[2]

        def read() -> CalendarMonth:
            with db.session() as session:
                return calendar_month(session, year, month, chosen)

        self._month_loading = True
        self.busy_timer.start()
        self._show_month_count()
        self._runner.run(
            read,
            lambda answer: self._month_arrived(sequence, answer),
            lambda failure: self._month_failed(sequence, failure),
            context=self,
        )

    def _month_arrived(self, sequence: int, data: CalendarMonth) -> None:
        if sequence != self._month_sequence:
            return
        self.busy_timer.stop()
        self.busy.hide()
        self._month_loading = False
        self.calendar.show_month(data)
        self._show_month_count()
        self._update_buttons()

    def _month_failed(self, sequence: int, failure: TaskFailure) -> None:
        if sequence != self._month_sequence:
            return
        self._month_wanted = None
        self._month_loading = False
        self.busy_timer.stop()
        self.busy.hide()
        self._show_error(failure.message)

    def _show_month_count(self) -> None:
        grid = self.calendar.grid
        if not grid.has_data:
            self.count.setText(_("Reading the month's activities…"))
            return
        total = grid.data.total
        self.count.setText(
            ngettext("{count} activity", "{count} activities", total).format(
                count=format_number(total)
            )
        )

    # --- layout --------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_actions()

    def _arrange_actions(self) -> None:
        """The campaign button goes to a line of its own when the buttons do not fit on one."""
        buttons = self.action_buttons
        needed = sum(button.sizeHint().width() for button in buttons) + ACTION_SPACING * 6
        room = self.width() - PAGE_MARGINS[0] - PAGE_MARGINS[2]
        wrapped = self.wrapped_row.indexOf(self.campaign_button) >= 0
        if needed > room and not wrapped:
            self.action_row.removeWidget(self.campaign_button)
            self.wrapped_row.addWidget(self.campaign_button)
        elif needed <= room and wrapped:
            self.wrapped_row.removeWidget(self.campaign_button)
            self.action_row.addWidget(self.campaign_button)

    @property
    def campaign_on_its_own_line(self) -> bool:
        return self.wrapped_row.indexOf(self.campaign_button) >= 0

    def _fit_columns(self) -> None:
        """Give the short columns their natural width and share the rest out.

        Widths come from sample texts, never from the rows: measuring the rows would read
        pages of a 250,000-row list. In a narrow window the reference and the duration are
        left out (the date's tooltip names the reference) rather than scroll sideways.
        """
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        widths = self._natural_widths()
        needed = sum(widths.values()) + MIN_STRETCHED_WIDTH * len(STRETCHED)
        compact = room < needed
        self.model.set_compact(compact)
        for column in NARROW_HIDDEN:
            self.table.setColumnHidden(column, compact)
        widths = self._natural_widths()  # the short headers are narrower
        used = 0
        for column, width in widths.items():
            if compact and column in NARROW_HIDDEN:
                continue
            header.resizeSection(column, width)
            used += width
        shares = sum(STRETCHED.values())
        left = room - used
        least = MIN_STRETCHED_WIDTH if left >= MIN_STRETCHED_WIDTH * len(STRETCHED) else 60
        *first, last = STRETCHED
        for column in first:
            width = max(least, left * STRETCHED[column] // shares)
            header.resizeSection(column, width)
            left -= width
        header.resizeSection(last, max(least, left))

    def _natural_widths(self) -> dict[int, int]:
        """The width of each column that does not stretch: its widest sample or its header.

        Headers are measured in bold without room for the sort arrow: Qt's own size hints
        keep that room in every column and would not leave enough in a narrow window.
        """
        metrics = self.table.fontMetrics()
        bold = QFont(self.table.font())
        bold.setWeight(QFont.Weight.DemiBold)
        header_metrics = QFontMetrics(bold)
        samples = {
            columns.DATE: _("{date}, {time}").format(
                date=format_date(SAMPLE_TIME.date()), time=columns.short_time(SAMPLE_TIME.time())
            ),
            columns.REFERENCE: "D1-A000000",
            columns.CHILDREN: "000",
            columns.CAREGIVERS: "000",
            columns.RELATIVES: "000",
            columns.DURATION: columns.format_duration(630),
        }
        widths = {}
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widths[column] = max(
                metrics.horizontalAdvance(sample) + 24, header_metrics.horizontalAdvance(title) + 22
            )
        return widths
