"""A recurring activity (a weekly support group), made once: one activity per session.

The dialog says, as the dates change, how many sessions will be made and when, before
anything is saved. Attendance is then recorded on each session like on any activity.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtWidgets import QSpinBox, QWidget
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType
from cope_desktop.errors import FieldProblem
from cope_desktop.i18n import N_, _, format_date, format_number, ngettext
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import series
from cope_desktop.services.activities.drafts import SeriesDraft
from cope_desktop.services.records import families
from cope_desktop.services.validation import today
from cope_desktop.ui.activity.editor import Choice, DurationBox, TimeField
from cope_desktop.ui.activity.head_counts import plain_number_box
from cope_desktop.ui.record.combos import EnumCombo, IdCombo
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.editor_base import FormDialog, Writer, line_edit
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import InlineMessage, intro

DEFAULT_WEEKS = 12


def sessions_text(first: dt.date | None, last: dt.date | None, weeks: int) -> tuple[str, bool]:
    """What Save would make, in a sentence; False when it cannot be made as it stands."""
    if first is None or last is None:
        return _("Enter the dates of the first and the last session."), False
    if last < first:
        return _("The last session is before the first one."), False
    dates = series.session_dates(first, last, weeks)
    count = len(dates)
    if count > series.MAX_SESSIONS:
        return (
            _(
                "That would be {count} sessions; a series has at most {most}. Choose an "
                "earlier last date or a longer interval."
            ).format(count=format_number(count), most=format_number(series.MAX_SESSIONS)),
            False,
        )
    weekday = format_date(first, "EEEE")
    if count == 1:
        text = _("1 session will be made, on {date}.").format(date=format_date(first))
    elif weeks == 1:
        text = ngettext(
            "{count} session will be made, every {weekday} from {first} to {last}.",
            "{count} sessions will be made, every {weekday} from {first} to {last}.",
            count,
        )
    else:
        text = ngettext(
            "{count} session will be made, every {weeks} weeks on {weekday}, "
            "from {first} to {last}.",
            "{count} sessions will be made, every {weeks} weeks on {weekday}, "
            "from {first} to {last}.",
            count,
        )
    return (
        text.format(
            count=format_number(count),
            weekday=weekday,
            weeks=format_number(weeks),
            first=format_date(first),
            last=format_date(dates[-1]),
        ),
        True,
    )


def read_prisons(signed_in: SignedIn) -> list[Choice]:
    with signed_in.db.session() as session:
        return families.prison_choices(session)


class SeriesDialog(FormDialog):
    """Emits ``saved(series_id)`` once the series and all its sessions are saved."""

    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.setObjectName("seriesDialog")
        body = self.body
        self.intro = intro(body)
        self.body_layout.insertWidget(0, self.intro)
        self.series_title = line_edit(body, 36)
        self.add_row(N_("&Title:"), "title", self.series_title)
        self.type: EnumCombo[ActivityType] = EnumCombo(list(ActivityType), N_("Choose…"), body)
        self.type.set_value(ActivityType.SUPPORT_GROUP)
        self.add_row(N_("T&ype:"), "type", self.type)
        self.first_on = DateField(body)
        self.first_on.set_date(today())
        self.add_row(N_("&First session:"), "first_on", self.first_on)
        self.interval = QSpinBox(body)
        self.interval.setRange(1, 52)
        plain_number_box(self.interval)
        self.add_row(N_("&Every:"), "interval_weeks", self.interval)
        self.last_on = DateField(body)
        self.last_on.set_date(today() + dt.timedelta(weeks=DEFAULT_WEEKS - 1))
        self.add_row(N_("&Last session:"), "last_on", self.last_on)
        self.start_time = TimeField(body)
        self.add_row(N_("Start t&ime:"), "start_time", self.start_time)
        self.duration = DurationBox(body)
        self.add_row(N_("D&uration:"), "duration_minutes", self.duration)
        self.prison = IdCombo((), N_("Not at a prison"), body)
        self.add_row(N_("&Prison:"), "prison_id", self.prison)
        self.staff = line_edit(body, 30)
        self.add_row(N_("&Staff:"), "staff", self.staff)
        self.summary = InlineMessage(body)
        self.body_layout.addWidget(self.summary)
        for date_field in (self.first_on, self.last_on):
            date_field.changed.connect(self.update_summary)
        self.interval.valueChanged.connect(self.update_summary)
        self.interval.valueChanged.connect(lambda _weeks: self._name_the_unit())
        self.finish_setup()
        self.load_first(lambda: read_prisons(signed_in), self._started)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("New series of activities"))
        self.title.setText(self.windowTitle())
        self.intro.setText(
            _(
                "For an activity held regularly, such as a weekly support group: the sessions "
                "are made at once, and you record who came to each one."
            )
        )
        self.series_title.setPlaceholderText(_("For example: Tuesday support group"))
        self.staff.setPlaceholderText(_("Who runs it"))
        self._name_the_unit()
        self.save_button.setText(_("&Make the sessions"))
        self.update_summary()

    def _name_the_unit(self) -> None:
        weeks = self.interval.value()
        self.interval.setSuffix(" " + ngettext("week", "weeks", weeks))

    def update_summary(self) -> None:
        text, possible = sessions_text(
            self.first_on.date(), self.last_on.date(), self.interval.value()
        )
        if possible:
            self.summary.show_info(text)
        else:
            self.summary.show_error(text)

    def _started(self, prisons: list[Choice]) -> None:
        self.prison.set_choices(prisons)
        self.mark_saved()
        self.series_title.setFocus()

    def draft(self) -> SeriesDraft:
        return SeriesDraft(
            title=self.series_title.text(),
            type=self.type.value(),
            first_on=self.first_on.date(),
            last_on=self.last_on.date(),
            interval_weeks=self.interval.value(),
            start_time=self.start_time.time(),
            duration_minutes=self.duration.minutes(),
            prison_id=self.prison.value(),
            staff=self.staff.text(),
        )

    def writer(self, draft: SeriesDraft) -> Writer:
        def write(session: Session, user: CurrentUser) -> uuid.UUID:
            series_id, _count = series.create_series(session, user, draft)
            return series_id

        return write

    def local_problems(self) -> list[FieldProblem]:
        problems = super().local_problems()
        problem = self.start_time.problem()
        if problem is not None:
            problems.append(FieldProblem("start_time", problem))
        return problems
