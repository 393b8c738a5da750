"""The activity editor, its attendance part, the feedback faces and the series dialog.

Driven as a person would, against a real encrypted database (the sample one), signed in as
its administrator; what matters is checked in the database afterwards.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    ConsentKind,
    Rating,
    Relationship,
    Sex,
)
from cope_desktop.services.activities import activities, attendance, series
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.services.records import archive, families
from cope_desktop.services.records.archive import RecordKind
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)
from cope_desktop.services.validation import today
from cope_desktop.ui.activity.attendance_picker import AttendancePicker
from cope_desktop.ui.activity.attendance_present import PresentRow
from cope_desktop.ui.activity.editor import ActivityEditor, parse_time
from cope_desktop.ui.activity.feedback_widget import FaceButtons, QuoteDialog
from cope_desktop.ui.activity.series_dialog import SeriesDialog
from cope_desktop.ui.record.editor_base import FormDialog
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000


# --- records to work with ----------------------------------------------------------------------


def first_prison(signed_in: SignedIn) -> uuid.UUID:
    with signed_in.db.session() as session:
        return families.prison_choices(session)[0][0]


def make_linked_family(
    signed_in: SignedIn, prison_id: uuid.UUID, *, consent: bool = True, name: str = "Rossi"
) -> uuid.UUID:
    """A family whose imprisoned father is in ``prison_id``: one child, Giulia, 9 years old."""
    with signed_in.db.session() as session:
        return families.create_family(
            session,
            signed_in.user,
            NewFamily(
                family=FamilyDraft("", today() - dt.timedelta(days=400)),
                caregiver=CaregiverDraft(first_name="Anna", last_name=name),
                relative=RelativeDraft(first_name="Marco", last_name=name, prison_id=prison_id),
                custody=None,
                children=[
                    NewChild(
                        ChildDraft(
                            first_name="Giulia",
                            last_name=name,
                            sex=Sex.FEMALE,
                            birth_date=today() - dt.timedelta(days=9 * 365 + 30),
                        ),
                        Relationship.FATHER,
                    )
                ],
                data_consent=(
                    ConsentDraft(
                        ConsentKind.DATA_PROCESSING, f"Anna {name}", today() - dt.timedelta(days=1)
                    )
                    if consent
                    else None
                ),
            ),
        )


def child_of(signed_in: SignedIn, family_id: uuid.UUID) -> uuid.UUID:
    with signed_in.db.session() as session:
        return families.read_family(session, signed_in.user, family_id).children[0].id


def make_activity(signed_in: SignedIn, prison_id: uuid.UUID) -> uuid.UUID:
    with signed_in.db.session() as session:
        return activities.save_activity(
            session,
            signed_in.user,
            None,
            ActivityDraft(ActivityType.FAMILY_DAY, today(), prison_id=prison_id),
        )


def stored(signed_in: SignedIn, activity_id: uuid.UUID) -> ActivityDetail:
    with signed_in.db.session() as session:
        return activities.read_activity(session, signed_in.user, activity_id)


# --- driving the dialogs -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def close_dialogs(qtbot: QtBot) -> Iterator[None]:
    """Close what a test left open, without the question about unsaved changes."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FormDialog) and widget.isVisible():
            widget.discard()


def open_editor(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, activity_id: uuid.UUID | None
) -> ActivityEditor:
    editor = ActivityEditor(signed_in, runner, activity_id)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    editor.show()
    qtbot.waitUntil(lambda: editor._loaded, timeout=WAIT)
    if activity_id is not None:
        qtbot.waitUntil(lambda: editor.picker.candidates.count() > 0, timeout=WAIT)
    return editor


def settled(picker: AttendancePicker) -> bool:
    return not picker.writing


def row_named(picker: AttendancePicker, name: str) -> PresentRow:
    return next(row for row in picker.rows.values() if row.person.name == name)


def candidate_names(picker: AttendancePicker) -> list[str]:
    names = []
    for number in range(picker.candidates.count()):
        person = picker.candidates.item(number).data(Qt.ItemDataRole.UserRole)
        if person is not None:
            names.append(person.name)
    return names


# --- the editor ----------------------------------------------------------------------------------


def test_an_activity_is_created_and_who_was_there_is_recorded(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    prison_id = first_prison(signed_in)
    make_linked_family(signed_in, prison_id)
    editor = open_editor(qtbot, signed_in, runner, None)
    assert not editor.picker.isVisibleTo(editor)  # attendance only once the activity exists
    editor.type.set_value(ActivityType.FAMILY_DAY)
    editor.held_on.line_edit.clear()
    qtbot.keyClicks(editor.held_on.line_edit, (today() - dt.timedelta(days=2)).isoformat())
    editor.prison.set_value(prison_id)
    qtbot.keyClicks(editor.start_time, "14.30")
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as saved:
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    activity_id = saved.args[0]
    assert isinstance(activity_id, uuid.UUID)
    picker = editor.picker
    qtbot.waitUntil(lambda: "Giulia Rossi" in candidate_names(picker), timeout=WAIT)
    assert editor.isVisible() and picker.isVisibleTo(editor)
    # The linked family is offered first, under its own heading.
    assert "linked" in picker.candidates.item(0).text()

    qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert picker.search.hasFocus()
    qtbot.keyClicks(picker.search, "giulia")
    qtbot.waitUntil(lambda: candidate_names(picker) == ["Giulia Rossi"], timeout=WAIT)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(picker.rows) == 1, timeout=WAIT)
    assert editor.isVisible()  # Enter added the child; it did not press Save
    row = row_named(picker, "Giulia Rossi")
    assert row.faces is not None
    qtbot.mouseClick(row.faces.button(Rating.POSITIVE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(picker), timeout=WAIT)
    for _tap in range(4):
        qtbot.mouseClick(picker.children_count.more, Qt.MouseButton.LeftButton)
    picker.adults_count.box.selectAll()
    qtbot.keyClicks(picker.adults_count.box, "2")
    qtbot.keyClick(picker.adults_count.box, Qt.Key.Key_Return)  # writes both counts at once
    assert editor.isVisible()
    qtbot.waitUntil(lambda: settled(picker), timeout=WAIT)
    assert "1 child," in picker.totals.text()
    assert "4 children and 2 adults not on file" in picker.totals.text()

    detail = stored(signed_in, activity_id)
    assert detail.type == ActivityType.FAMILY_DAY
    assert detail.held_on == today() - dt.timedelta(days=2)
    assert detail.start_time == dt.time(14, 30)
    assert detail.prison_id == prison_id
    present = [person for person in detail.attendees if person.present]
    assert [(p.name, p.kind, p.rating) for p in present] == [
        ("Giulia Rossi", AttendeeKind.CHILD, Rating.POSITIVE)
    ]
    assert (detail.anonymous_children, detail.anonymous_adults) == (4, 2)
    # Nothing in the details changed since Save: closing asks nothing.
    editor.reject()
    assert not editor.isVisible()


def test_the_sport_and_partners_are_only_for_game_with_mum_and_dad(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    editor = open_editor(qtbot, signed_in, runner, None)
    editor.type.set_value(ActivityType.FAMILY_DAY)
    assert not editor.sport.isVisibleTo(editor)
    assert not editor.partners.isVisibleTo(editor)
    editor.type.set_value(ActivityType.GAME_WITH_MUM_AND_DAD)
    assert editor.sport.isVisibleTo(editor)
    assert editor.partners.isVisibleTo(editor)
    qtbot.keyClicks(editor.sport, "Football")
    with qtbot.waitSignal(editor.saved, timeout=WAIT) as saved:
        editor.save()
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=WAIT)  # read back, shown
    assert editor.sport.text() == "Football"
    assert stored(signed_in, saved.args[0]).sport == "Football"


def test_an_empty_date_is_said_next_to_the_date(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    editor = open_editor(qtbot, signed_in, runner, None)
    editor.type.set_value(ActivityType.SUPPORT_GROUP)
    editor.held_on.line_edit.clear()
    editor.save()
    qtbot.waitUntil(lambda: editor.errors.message("held_on") != "", timeout=WAIT)
    assert editor.activity_id is None
    assert editor.held_on.line_edit.hasFocus()


def test_a_time_that_cannot_be_read_is_said_next_to_it(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    editor = open_editor(qtbot, signed_in, runner, None)
    editor.type.set_value(ActivityType.SUPPORT_GROUP)
    qtbot.keyClicks(editor.start_time, "25:99")
    editor.save()
    qtbot.waitUntil(lambda: editor.errors.message("start_time") != "", timeout=WAIT)
    assert editor.activity_id is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("14h30", dt.time(14, 30)),
        ("1430", dt.time(14, 30)),
        ("9", dt.time(9, 0)),
        ("2:30 PM", dt.time(14, 30)),
        ("12:15 am", dt.time(0, 15)),
        ("24:00", None),
        ("13 pm", None),
        ("noon", None),
    ],
)
def test_times_are_read_the_usual_ways(text: str, expected: dt.time | None) -> None:
    assert parse_time(text) == expected


def test_escape_asks_before_changed_details_are_lost(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    editor = open_editor(qtbot, signed_in, runner, None)
    qtbot.keyClicks(editor.staff, "Lia")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    question = editor.findChild(QMessageBox, "question")
    assert question is not None and editor.isVisible()
    question.reject()  # keep editing


def test_refusals_are_shown_and_nothing_is_recorded(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    """A family without data processing consent is counted anonymously, not by name."""
    prison_id = first_prison(signed_in)
    make_linked_family(signed_in, prison_id, consent=False, name="Bianchi")
    activity_id = make_activity(signed_in, prison_id)
    editor = open_editor(qtbot, signed_in, runner, activity_id)
    picker = editor.picker
    qtbot.keyClicks(picker.search, "Giulia Bianchi")
    qtbot.waitUntil(lambda: candidate_names(picker) == ["Giulia Bianchi"], timeout=WAIT)
    assert "no data processing consent" in picker.candidates.currentItem().text()
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker.message.isVisible(), timeout=WAIT)
    assert "consent" in picker.message.text()
    assert not picker.rows
    assert not [p for p in stored(signed_in, activity_id).attendees if p.present]


def test_an_archived_child_is_shown_as_such_and_not_counted(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    prison_id = first_prison(signed_in)
    family_id = make_linked_family(signed_in, prison_id)
    child_id = child_of(signed_in, family_id)
    activity_id = make_activity(signed_in, prison_id)
    with signed_in.db.session() as session:
        attendance.set_present(
            session, signed_in.user, activity_id, AttendeeKind.CHILD, child_id, True
        )
        attendance.set_feedback(session, signed_in.user, activity_id, child_id, Rating.NEUTRAL)
        archive.archive(session, signed_in.user, RecordKind.CHILD, child_id)
    editor = open_editor(qtbot, signed_in, runner, activity_id)
    row = row_named(editor.picker, "Giulia Rossi")
    assert "(archived)" in row.label.text() and "<s>" in row.label.text()
    assert row.faces is not None and not row.faces.isEnabled()
    assert "Nobody is counted yet." in editor.picker.totals.text()
    assert "1 archived person is shown but not counted" in editor.picker.totals.text()


def test_a_quote_is_saved_with_its_approval(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    prison_id = first_prison(signed_in)
    child_id = child_of(signed_in, make_linked_family(signed_in, prison_id))
    activity_id = make_activity(signed_in, prison_id)
    with signed_in.db.session() as session:
        attendance.set_present(
            session, signed_in.user, activity_id, AttendeeKind.CHILD, child_id, True
        )
    editor = open_editor(qtbot, signed_in, runner, activity_id)
    picker = editor.picker
    row = row_named(picker, "Giulia Rossi")
    assert row.quote is not None and row.faces is not None
    assert not row.quote.isEnabled()  # a face first
    row.faces.setFocus()
    qtbot.keyClick(row.faces, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: settled(picker) and row.quote.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(row.quote, Qt.MouseButton.LeftButton)
    dialog = editor.findChild(QuoteDialog)
    assert dialog is not None
    assert "10-14" in dialog.published_note.text() or "5-9" in dialog.published_note.text()
    dialog.approved.setChecked(True)
    dialog.save()  # approved with no words: refused next to the quote
    qtbot.waitUntil(lambda: dialog.errors.message("quote") != "", timeout=WAIT)
    dialog.quote.setPlainText("It was too short.")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    feedback = stored(signed_in, activity_id).feedback
    assert [(f.rating, f.quote, f.quote_approved) for f in feedback] == [
        (Rating.NEGATIVE, "It was too short.", True)
    ]


# --- the faces -----------------------------------------------------------------------------------


def test_faces_answer_taps_and_keys(qtbot: QtBot) -> None:
    faces = FaceButtons()
    qtbot.addWidget(faces)
    faces.show()
    seen: list[Rating | None] = []
    faces.rating_changed.connect(seen.append)
    faces.set_rating(Rating.NEUTRAL)
    assert seen == [] and faces.rating() == Rating.NEUTRAL
    qtbot.mouseClick(faces.button(Rating.POSITIVE), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(faces.button(Rating.POSITIVE), Qt.MouseButton.LeftButton)  # a second tap
    assert faces.rating() == Rating.POSITIVE
    assert faces.button(Rating.POSITIVE).isChecked()
    assert not faces.button(Rating.NEUTRAL).isChecked()
    qtbot.keyClick(faces, Qt.Key.Key_3)
    qtbot.keyClick(faces, Qt.Key.Key_0)
    qtbot.keyClick(faces, Qt.Key.Key_2)
    assert seen == [Rating.POSITIVE, Rating.NEGATIVE, None, Rating.NEUTRAL]
    qtbot.mouseClick(faces.clear_button, Qt.MouseButton.LeftButton)
    assert faces.rating() is None and seen[-1] is None


# --- series --------------------------------------------------------------------------------------


def test_the_series_dialog_says_and_makes_the_sessions(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    dialog = SeriesDialog(signed_in, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    qtbot.waitUntil(lambda: dialog._loaded, timeout=WAIT)
    first = today() - dt.timedelta(weeks=9)
    qtbot.keyClicks(dialog.series_title, "Tuesday support group")
    dialog.first_on.set_date(first)
    dialog.last_on.set_date(first + dt.timedelta(weeks=9, days=3))
    assert "10 sessions will be made" in dialog.summary.text()
    dialog.interval.setValue(2)
    assert "5 sessions will be made" in dialog.summary.text()
    with qtbot.waitSignal(dialog.saved, timeout=WAIT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with signed_in.db.session() as session:
        sessions = series.series_sessions(session, saved.args[0])
    assert [row.held_on for row in sessions] == [
        first + dt.timedelta(weeks=2 * n) for n in range(5)
    ]
    assert {row.type for row in sessions} == {ActivityType.SUPPORT_GROUP}


def test_the_series_dialog_shows_problems_next_to_the_fields(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    dialog = SeriesDialog(signed_in, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    qtbot.waitUntil(lambda: dialog._loaded, timeout=WAIT)
    dialog.last_on.set_date(today() - dt.timedelta(days=7))
    assert "before the first" in dialog.summary.text()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors.message("title") != "", timeout=WAIT)
    assert dialog.errors.message("last_on") != ""
