"""One activity: its details on the left, who was there on the right.

The details (type, date and time, duration, prison, staff, notes, and for a Game with
Mum & Dad the sport and the partners) are saved with Save, like every record form. Who was
there is saved at once, change by change (``attendance_picker``), so it is offered only once
the activity exists: for a new activity, Save creates it and the dialog stays open with the
attendance part. Keys: Ctrl+S saves, Esc or Ctrl+W closes (asking first if the details were
changed), Ctrl+F goes to the search for people to add.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Hashable
from dataclasses import dataclass

from babel.dates import format_time as babel_format_time
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.enums import ActivityType
from cope_desktop.errors import FieldProblem
from cope_desktop.i18n import N_, _, format_date
from cope_desktop.labels import label
from cope_desktop.services.activities import activities
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.services.records import families
from cope_desktop.services.validation import today
from cope_desktop.ui.activity.attendance_picker import AttendancePicker
from cope_desktop.ui.activity.head_counts import plain_number_box
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.combos import EnumCombo, IdCombo
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.editor_base import (
    FormDialog,
    Writer,
    line_edit,
    text_box,
    widget_state,
)
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted

Choice = tuple[uuid.UUID, str]
SAMPLE_TIME = dt.time(14, 30)
MAX_DURATION = 1440
COLUMN_GAP = 28
TALLEST = 900
"""Pixels: the dialog with the attendance part is as tall as the screen allows, up to this."""


# --- time of day -------------------------------------------------------------------------------


def format_time(value: dt.time) -> str:
    """The language's short time: "2:30 PM" in English, "14:30" in French."""
    return babel_format_time(value, "short", locale=i18n.format_locale())


def parse_time(text: str) -> dt.time | None:
    """Read "14:30", "14.30", "14h30", "1430", "9" or "2:30 pm"; None if it is not a time."""
    cleaned = text.strip().lower().replace(".", ":").replace("h", ":")
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?\s*(am|pm|a:m:|p:m:)?:?", cleaned)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class TimeField(QLineEdit):
    """A time of day or nothing, typed the usual ways; shown back in the language's format."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editingFinished.connect(self._tidy)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        value = self.time()
        self.setPlaceholderText(_("For example {time}").format(time=format_time(SAMPLE_TIME)))
        metrics = self.fontMetrics()
        self.setFixedWidth(
            max(
                metrics.horizontalAdvance(format_time(dt.time(12, 59)) + "00") + 24,
                metrics.horizontalAdvance(self.placeholderText()) + 24,
            )
        )
        if value is not None:
            self.set_time(value)

    def time(self) -> dt.time | None:
        return parse_time(self.text()) if self.text().strip() else None

    def set_time(self, value: dt.time | None) -> None:
        self.setText(format_time(value) if value is not None else "")

    def problem(self) -> str | None:
        if not self.text().strip() or self.time() is not None:
            return None
        return _("This is not a time. Type it like {example}, or leave it empty.").format(
            example=format_time(SAMPLE_TIME)
        )

    def _tidy(self) -> None:
        value = self.time()
        if value is not None:
            self.set_time(value)


class DurationBox(QSpinBox):
    """Minutes, from 0 to a day; at 0 it reads "Not recorded" and means no duration."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, MAX_DURATION)
        self.setSingleStep(15)  # the arrow keys and the wheel step by a quarter of an hour
        self.setAccelerated(True)
        plain_number_box(self)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.setSpecialValueText(_("Not recorded"))
        self.setSuffix(" " + _("min"))
        self.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(max(_("Not recorded"), "1440 min", key=len)) + 48
        )

    def minutes(self) -> int | None:
        return self.value() or None

    def set_minutes(self, value: int | None) -> None:
        self.setValue(value or 0)


# --- the dialog --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """What the form needs first: the prisons to choose from, and the activity if it exists."""

    prisons: tuple[Choice, ...]
    detail: ActivityDetail | None


def read_start(signed_in: SignedIn, activity_id: uuid.UUID | None) -> Start:
    with signed_in.db.session() as session:
        prisons = tuple(families.prison_choices(session))
        if activity_id is None:
            return Start(prisons, None)
        return Start(prisons, activities.read_activity(session, signed_in.user, activity_id))


def read_detail(signed_in: SignedIn, activity_id: uuid.UUID) -> ActivityDetail:
    with signed_in.db.session() as session:
        return activities.read_activity(session, signed_in.user, activity_id)


class ActivityEditor(FormDialog):
    """An activity's details and, once it is saved, who was there.

    Emits ``saved(activity_id)`` when the details are saved and
    ``attendance_changed(activity_id)`` after each change to who was there (both are on
    disk by then).
    """

    attendance_changed = Signal(object)

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        activity_id: uuid.UUID | None,
        parent: QWidget | None = None,
        *,
        day: dt.date | None = None,
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.setObjectName("activityEditor")
        self.activity_id = activity_id
        self.detail: ActivityDetail | None = None
        self._build_columns()
        self._build_fields(day or today())
        self.picker = AttendancePicker(signed_in, runner, self.body)
        self.picker.hide()
        self.picker.tab_after = self.notes
        self.picker.changed.connect(lambda: self.attendance_changed.emit(self.activity_id))
        self.columns.addWidget(self.picker, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.finish_setup()
        # The columns, not the blank space under them, take the height the dialog has.
        self.body_layout.setStretch(self.body_layout.count() - 1, 0)
        self.load_first(
            lambda: read_start(signed_in, activity_id),
            self._started,
            writes=True,  # reading an activity is audited as a view
        )

    # --- construction ------------------------------------------------------------------------

    def _build_columns(self) -> None:
        """The details form in a column of its own, the attendance beside it (or below)."""
        self.body_layout.removeItem(self.form)
        self.form.setParent(None)
        self.fields = QWidget(self.body)
        fields_layout = QVBoxLayout(self.fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.setSpacing(12)
        self.intro = muted(self.fields)
        self.series_note = muted(self.fields)
        self.series_note.hide()
        fields_layout.addWidget(self.intro)
        fields_layout.addWidget(self.series_note)
        fields_layout.addLayout(self.form)
        fields_layout.addStretch(1)
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.setSpacing(COLUMN_GAP)
        self.columns.addWidget(self.fields, 0, Qt.AlignmentFlag.AlignTop)
        self.body_layout.insertLayout(0, self.columns, 1)

    def _build_fields(self, day: dt.date) -> None:
        parent = self.fields
        self.reference = line_edit(parent, 14)
        self.add_row(N_("&Reference:"), "reference", self.reference)
        self.type: EnumCombo[ActivityType] = EnumCombo(list(ActivityType), N_("Choose…"), parent)
        self.add_row(N_("&Type:"), "type", self.type)
        self.held_on = DateField(parent)
        self.held_on.set_date(day)
        self.add_row(N_("&Date:"), "held_on", self.held_on)
        self.start_time = TimeField(parent)
        self.add_row(N_("Start t&ime:"), "start_time", self.start_time)
        self.duration = DurationBox(parent)
        self.add_row(N_("D&uration:"), "duration_minutes", self.duration)
        self.prison = IdCombo((), N_("Not at a prison"), parent)
        self.add_row(N_("&Prison:"), "prison_id", self.prison)
        self.staff = line_edit(parent, 30)
        self.add_row(N_("Sta&ff:"), "staff", self.staff)
        self.sport = line_edit(parent, 24)
        self.sport_label = self.add_row(N_("Sp&ort or game:"), "sport", self.sport)
        self.partners = text_box(parent, 3)
        self.partners_label = self.add_row(N_("Partn&ers:"), "partners", self.partners)
        self.notes = text_box(parent, 4)
        self.add_row(N_("&Notes:"), "notes", self.notes)
        self.type.currentIndexChanged.connect(lambda _index: self._show_game_fields())
        self._show_game_fields()

    def _show_game_fields(self) -> None:
        """The sport and the partners belong to Game with Mum & Dad events only."""
        game = self.type.value() == ActivityType.GAME_WITH_MUM_AND_DAD
        self.form.setRowVisible(self.sport_label, game)
        self.form.setRowVisible(self.partners_label, game)

    # --- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        detail = self.detail
        if detail is None:
            self.setWindowTitle(_("New activity"))
            self.title.setText(_("New activity"))
            self.intro.setText(
                _("Fill in the activity and save it. Then you can record who was there.")
            )
            self.intro.setVisible(self.activity_id is None)
        else:
            self.setWindowTitle(_("Activity {reference}").format(reference=detail.reference))
            self.title.setText(
                _("{type} on {date}").format(
                    type=label(detail.type), date=format_date(detail.held_on)
                )
            )
            self.intro.hide()
            if detail.series_title:
                self.series_note.setText(
                    _("One session of the series “{title}”.").format(title=detail.series_title)
                )
        self.reference.setPlaceholderText(_("Given when you save"))
        self.staff.setPlaceholderText(_("Who ran it"))
        self.sport.setPlaceholderText(_("For example: football"))
        self.partners.setPlaceholderText(_("Partner organisations, one a line"))
        if self.activity_id is not None:
            # Who was there is saved as it changes: closing loses nothing of it.
            self.cancel_button.setText(_("Close"))
        self.save_button.setText(
            _("&Save") if self.activity_id is not None else _("&Save the activity")
        )

    # --- loading -------------------------------------------------------------------------------

    def _started(self, start: Start) -> None:
        self.prison.set_choices(start.prisons)
        if start.detail is not None:
            self._fill(start.detail)
        self.mark_saved()
        self.retranslate()
        self.fit_to_contents()
        self.type.setFocus()

    def _fill(self, detail: ActivityDetail) -> None:
        self.detail = detail
        self.reference.setText(detail.reference)
        self.type.set_value(detail.type)
        self.held_on.set_date(detail.held_on)
        self.start_time.set_time(detail.start_time)
        self.duration.set_minutes(detail.duration_minutes)
        self.prison.set_value(detail.prison_id, detail.prison_name)
        self.staff.setText(detail.staff or "")
        self.sport.setText(detail.sport or "")
        self.partners.setPlainText(detail.partners or "")
        self.notes.setPlainText(detail.notes or "")
        self.series_note.setVisible(bool(detail.series_title))
        self._show_game_fields()
        self.picker.show_activity(detail)
        self.picker.show()
        if detail.archived:
            self.fields.setEnabled(False)
            self.save_button.setEnabled(False)

    # --- layout ----------------------------------------------------------------------------

    def fit_to_contents(self) -> None:
        """Side by side when the screen is wide enough, else the attendance under the form."""
        if self.picker.isVisibleTo(self):
            screen = self.screen().availableGeometry()
            fields = self.fields.sizeHint().width()
            picker = self.picker.sizeHint().width()
            side_by_side = fields + picker + COLUMN_GAP + 120 <= screen.width() - 40
            self.columns.setDirection(
                QBoxLayout.Direction.LeftToRight
                if side_by_side
                else QBoxLayout.Direction.TopToBottom
            )
            self.picker.set_stacked(not side_by_side)
        super().fit_to_contents()
        if self.picker.isVisibleTo(self):
            # The lists of people take what room there is.
            tall = min(self.screen().availableGeometry().height() - 60, TALLEST)
            self.resize(self.width(), max(self.height(), tall))

    # --- actions -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        if self.picker.isVisibleTo(self):
            self.scroll_area.ensureWidgetVisible(self.picker.search)
            self.picker.focus_search()

    def state(self) -> tuple[Hashable, ...]:
        """Only the details count as unsaved changes: who was there is saved as it changes."""
        return (*widget_state(self.fields), self.extra_state())

    def local_problems(self) -> list[FieldProblem]:
        problems = super().local_problems()
        problem = self.start_time.problem()
        if problem is not None:
            problems.append(FieldProblem("start_time", problem))
        return problems

    def draft(self) -> ActivityDraft:
        game = self.type.value() == ActivityType.GAME_WITH_MUM_AND_DAD
        return ActivityDraft(
            type=self.type.value(),
            held_on=self.held_on.date(),
            start_time=self.start_time.time(),
            duration_minutes=self.duration.minutes(),
            prison_id=self.prison.value(),
            staff=self.staff.text(),
            notes=self.notes.toPlainText(),
            sport=self.sport.text() if game else None,
            partners=self.partners.toPlainText() if game else None,
            reference=self.reference.text(),
        )

    def writer(self, draft: ActivityDraft) -> Writer:
        activity_id = self.activity_id
        return lambda session, user: activities.save_activity(session, user, activity_id, draft)

    def _saved(self, result: object) -> None:
        if self.activity_id is not None or not isinstance(result, uuid.UUID):
            super()._saved(result)
            return
        # A new activity: stay open, now with its attendance.
        self.set_busy(False)
        self.activity_id = result
        self.saved.emit(result)
        self.mark_saved()
        self.load_first(lambda: read_detail(self.signed_in, result), self._created, writes=True)

    def _created(self, detail: ActivityDetail) -> None:
        self._fill(detail)
        self.mark_saved()
        self.retranslate()
        self.message.show_info(
            _("The activity is saved. Add the people who were there: each change is saved at once.")
        )
        self.fit_to_contents()
        self.focus_search()

    def done(self, result: int) -> None:
        self.picker.flush()  # head counts typed a moment ago
        super().done(result)
