"""Quick attendance, driven as a person would at a prison site: keys, taps, head counts.

Against a real encrypted database (the sample one, signed in as its administrator): a family
with data consent is added with a relative in the event's prison, and a Game with Mum & Dad
event is saved at that prison. What the window wrote is read back through the services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    ConsentKind,
    CustodyStatus,
    Rating,
    Relationship,
    Sex,
)
from cope_desktop.db.models import Attendance, Feedback
from cope_desktop.services.activities import activities
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.services.records import families
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)
from cope_desktop.services.validation import today
from cope_desktop.ui.activity.quick_attendance import (
    QuickAttendanceWindow,
    open_quick_attendance,
    quick_attendance_windows,
)
from cope_desktop.ui.activity.quick_rows import PersonRow
from cope_desktop.ui.activity.quick_state import Key, fold, matches, search_words
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000


@dataclass(frozen=True)
class Event:
    activity_id: uuid.UUID
    giulia: Key
    luca: Key
    anna: Key
    marco: Key


def make_event(signed_in: SignedIn) -> Event:
    """A Rossi family (consent given) with Marco in prison, and a game at his prison today."""
    with signed_in.db.session() as session:
        prison_id = families.prison_choices(session)[0][0]
        family_id = families.create_family(
            session,
            signed_in.user,
            NewFamily(
                family=FamilyDraft("", today() - dt.timedelta(days=300)),
                caregiver=CaregiverDraft(first_name="Anna", last_name="Rossi"),
                relative=RelativeDraft(first_name="Marco", last_name="Rossi", prison_id=prison_id),
                custody=CustodyDraft(
                    CustodyStatus.SENTENCED, today() - dt.timedelta(days=400), prison_id
                ),
                children=[
                    NewChild(
                        ChildDraft(
                            first_name="Giulia",
                            sex=Sex.FEMALE,
                            birth_date=today() - dt.timedelta(days=8 * 365),
                        ),
                        Relationship.FATHER,
                    ),
                    NewChild(ChildDraft(first_name="Luca", sex=Sex.MALE), Relationship.FATHER),
                ],
                data_consent=ConsentDraft(
                    ConsentKind.DATA_PROCESSING, "Anna Rossi", today() - dt.timedelta(days=300)
                ),
            ),
        )
        record = families.read_family(session, signed_in.user, family_id)
        activity_id = activities.save_activity(
            session,
            signed_in.user,
            None,
            ActivityDraft(
                ActivityType.GAME_WITH_MUM_AND_DAD,
                today(),
                duration_minutes=120,
                prison_id=prison_id,
                sport="Football",
            ),
        )
    children = {child.first_name: child.id for child in record.children}
    return Event(
        activity_id,
        giulia=(AttendeeKind.CHILD, children["Giulia"]),
        luca=(AttendeeKind.CHILD, children["Luca"]),
        anna=(AttendeeKind.CAREGIVER, record.caregivers[0].id),
        marco=(AttendeeKind.RELATIVE, record.relatives[0].id),
    )


@pytest.fixture
def event(signed_in: SignedIn) -> Event:
    return make_event(signed_in)


@pytest.fixture(autouse=True)
def no_window_left(qtbot: QtBot) -> Iterator[None]:
    yield
    for window in quick_attendance_windows():
        window.close()


def open_window(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, activity_id: uuid.UUID
) -> QuickAttendanceWindow:
    window = QuickAttendanceWindow(signed_in, runner, activity_id)
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        window.show()
    return window


def row_of(qtbot: QtBot, window: QuickAttendanceWindow, key: Key) -> PersonRow:
    """The person's row, once it is laid out (a tap lands where a person would tap)."""
    qtbot.waitUntil(lambda: window.list.row_for(key) is not None, timeout=WAIT)
    row = window.list.row_for(key)
    assert row is not None
    qtbot.waitUntil(lambda: row.isVisible() and row.width() > row.height() > 0, timeout=WAIT)
    return row


def settled(qtbot: QtBot, window: QuickAttendanceWindow) -> None:
    """Wait until the list shows everyone who matches and every row is laid out."""
    qtbot.waitUntil(lambda: window.list.shown == window.list.matched, timeout=WAIT)
    qtbot.wait(300)  # the search's pause and the rows made bit by bit between events


def wait_saved(qtbot: QtBot, window: QuickAttendanceWindow) -> None:
    qtbot.waitUntil(lambda: window.saves.pending == 0, timeout=WAIT)


def read(signed_in: SignedIn, activity_id: uuid.UUID) -> ActivityDetail:
    with signed_in.db.session() as session:
        return activities.read_activity(session, signed_in.user, activity_id)


def present_keys(detail: ActivityDetail) -> set[Key]:
    return {(a.kind, a.person_id) for a in detail.attendees if a.present}


def type_and_enter(qtbot: QtBot, window: QuickAttendanceWindow, text: str) -> None:
    qtbot.keyClicks(window.search, text)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)


def test_a_whole_game_with_mum_and_dad_is_stored_as_it_is_ticked(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    window = open_quick_attendance(signed_in, runner, event.activity_id)
    qtbot.waitUntil(lambda: window.detail is not None, timeout=WAIT)
    assert window.isFullScreen()
    assert event.giulia in window.marks and event.marco in window.marks

    # Keyboard: find Giulia, Enter ticks her, 1 gives her the happy face.
    type_and_enter(qtbot, window, "giulia")
    assert window.marks[event.giulia].present
    assert window.list.hasFocus() and window.list.current_key() == event.giulia
    qtbot.keyClick(window.list, Qt.Key.Key_1)
    assert window.marks[event.giulia].rating == Rating.POSITIVE

    # Letters typed on the list start a new search; Enter ticks Marco, the father.
    qtbot.keyClick(window.list, Qt.Key.Key_M)
    assert window.search.hasFocus() and window.search.text() == "m"
    type_and_enter(qtbot, window, "arco ross")
    assert window.marks[event.marco].present

    # Mouse: tick Anna with her check box; tap Luca's so-so face (it ticks him too).
    window.search.clear()
    settled(qtbot, window)
    qtbot.mouseClick(row_of(qtbot, window, event.anna).check, Qt.MouseButton.LeftButton)
    settled(qtbot, window)
    luca_faces = row_of(qtbot, window, event.luca).faces
    assert luca_faces is not None
    qtbot.mouseClick(luca_faces.button(Rating.NEUTRAL), Qt.MouseButton.LeftButton)
    assert window.marks[event.luca].present
    assert window.marks[event.luca].rating == Rating.NEUTRAL

    # Two children and one adult who are not on file: buttons and keys.
    plus = window.totals.anonymous_children.plus
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)  # shortcuts work in the active window
    qtbot.keyClick(window.list, Qt.Key.Key_Equal, Qt.KeyboardModifier.AltModifier)
    assert window.counts == (2, 1)
    assert window.totals.children_card.value.text() == "2"
    assert window.totals.in_all.text() == (
        "In all, with the people not on file: 4 children and 3 adults."
    )

    # Each change is on disk once the window says so, before it is closed.
    wait_saved(qtbot, window)
    assert window.header.saved.text() == "✓ Saved"
    detail = read(signed_in, event.activity_id)
    assert present_keys(detail) == {event.giulia, event.luca, event.anna, event.marco}

    qtbot.keyClick(window.list, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not quick_attendance_windows(), timeout=WAIT)

    detail = read(signed_in, event.activity_id)
    assert present_keys(detail) == {event.giulia, event.luca, event.anna, event.marco}
    ratings = {view.child_id: view.rating for view in detail.feedback}
    assert ratings == {event.giulia[1]: Rating.POSITIVE, event.luca[1]: Rating.NEUTRAL}
    assert (detail.anonymous_children, detail.anonymous_adults) == (2, 1)
    with signed_in.db.session() as session:
        rows = session.execute(
            select(Attendance.kind, func.count(), func.sum(Attendance.head_count))
            .where(Attendance.activity_id == event.activity_id, Attendance.deleted_at.is_(None))
            .group_by(Attendance.kind)
        ).all()
        feedback = session.scalar(
            select(func.count()).where(
                Feedback.activity_id == event.activity_id, Feedback.deleted_at.is_(None)
            )
        )
    assert {kind: (n, heads) for kind, n, heads in rows} == {
        AttendeeKind.CHILD: (2, 2),
        AttendeeKind.CAREGIVER: (1, 1),
        AttendeeKind.RELATIVE: (1, 1),
        AttendeeKind.ANONYMOUS_CHILDREN: (1, 2),
        AttendeeKind.ANONYMOUS_ADULTS: (1, 1),
    }
    assert feedback == 2


def test_unticking_a_child_removes_the_face_and_the_row_counts_no_more(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    window = open_window(qtbot, signed_in, runner, event.activity_id)
    row = row_of(qtbot, window, event.giulia)
    assert row.faces is not None
    qtbot.mouseClick(row.faces.button(Rating.NEGATIVE), Qt.MouseButton.LeftButton)
    wait_saved(qtbot, window)
    qtbot.keyClick(window.list, Qt.Key.Key_Space)
    assert not window.marks[event.giulia].present
    assert row.faces.rating() is None
    assert window.totals.children_card.value.text() == "0"
    wait_saved(qtbot, window)

    detail = read(signed_in, event.activity_id)
    assert event.giulia not in present_keys(detail)
    assert detail.feedback == ()


def test_a_refused_tick_is_undone_and_the_reason_shown(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    """The sample families have no data consent: ticking one of them is refused."""
    window = open_window(qtbot, signed_in, runner, event.activity_id)
    refused = next(
        key
        for key, mark in window.marks.items()
        if not mark.attendee.data_consent and mark.editable
    )
    row = row_of(qtbot, window, refused)
    assert row.flag.isVisibleTo(window)
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert window.marks[refused].present, "shown at once, before the service answers"
    wait_saved(qtbot, window)

    assert not window.marks[refused].present
    assert not row.check.isChecked()
    assert window.message.isVisibleTo(window)
    assert "consent" in window.message.text()
    assert refused not in present_keys(read(signed_in, event.activity_id))


def test_the_list_follows_the_search_and_the_arrow_keys(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    window = open_window(qtbot, signed_in, runner, event.activity_id)
    everyone = window.list.matched
    qtbot.keyClicks(window.search, "rossi")
    assert window.list.matched == 2  # Anna and Marco Rossi (the children have first names only)
    window.search.clear()
    qtbot.keyClicks(window.search, window.marks[event.giulia].attendee.family_reference)
    assert window.list.matched == 4  # the whole family
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.list.hasFocus()
    first = window.list.current_key()
    qtbot.keyClick(window.list, Qt.Key.Key_Down)
    assert window.list.current_key() != first
    qtbot.keyClick(window.list, Qt.Key.Key_Up)
    qtbot.keyClick(window.list, Qt.Key.Key_Up)
    assert window.search.hasFocus(), "Up on the first row goes back to the search"
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == "" and window.list.matched == everyone
    assert window.isVisible(), "the first Esc only clears the search"
    assert not any(mark.present for mark in window.marks.values())


def test_searching_ignores_case_and_accents() -> None:
    hay = fold("Zoé Müller C-000012 F-000003")
    assert matches(hay, search_words("zoe"))
    assert matches(hay, search_words("MULLER  zo"))
    assert matches(hay, search_words("c-0000"))
    assert not matches(hay, search_words("zoe marco"))


def test_opening_again_shows_what_was_stored(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    first = open_window(qtbot, signed_in, runner, event.activity_id)
    first.set_rating(event.giulia, Rating.POSITIVE)
    first.step_head_count(0, 1)
    wait_saved(qtbot, first)
    first.close()

    again = open_window(qtbot, signed_in, runner, event.activity_id)
    row = row_of(qtbot, again, event.giulia)
    assert row.check.isChecked() and row.faces is not None
    assert row.faces.rating() == Rating.POSITIVE
    assert again.totals.anonymous_children.value() == 1
    assert not again.totals.anonymous_adults.minus.isEnabled()
    qtbot.keyClick(again.search, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert again.counts == (0, 0)


def test_an_archived_activity_is_shown_but_not_changed(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    with signed_in.db.session() as session:
        activities.archive_activity(session, signed_in.user, event.activity_id)
    window = open_window(qtbot, signed_in, runner, event.activity_id)
    assert window.archived_banner.isVisibleTo(window)
    row = row_of(qtbot, window, event.anna)
    qtbot.mouseClick(row.check, Qt.MouseButton.LeftButton)
    assert not row.check.isChecked()
    assert not window.totals.isEnabled()
    assert window.saves.pending == 0


def make_other_family(signed_in: SignedIn, event: Event) -> Key:
    """A Bianchi family (consent given) whose relative is in another prison: its child Zaira."""
    event_prison = read(signed_in, event.activity_id).prison_id
    with signed_in.db.session() as session:
        other = next(p for p, _name in families.prison_choices(session) if p != event_prison)
        family_id = families.create_family(
            session,
            signed_in.user,
            NewFamily(
                family=FamilyDraft("", today() - dt.timedelta(days=100)),
                caregiver=CaregiverDraft(first_name="Sara", last_name="Bianchi"),
                relative=RelativeDraft(first_name="Paolo", last_name="Bianchi", prison_id=other),
                custody=CustodyDraft(
                    CustodyStatus.SENTENCED, today() - dt.timedelta(days=200), other
                ),
                children=[
                    NewChild(ChildDraft(first_name="Zaira", sex=Sex.FEMALE), Relationship.FATHER)
                ],
                data_consent=ConsentDraft(
                    ConsentKind.DATA_PROCESSING, "Sara Bianchi", today() - dt.timedelta(days=100)
                ),
            ),
        )
        record = families.read_family(session, signed_in.user, family_id)
    return (AttendeeKind.CHILD, record.children[0].id)


def test_a_child_not_expected_is_found_among_everyone_and_ticked(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, event: Event
) -> None:
    zaira = make_other_family(signed_in, event)
    window = open_window(qtbot, signed_in, runner, event.activity_id)
    assert zaira not in window.marks
    assert not window.everyone.isVisibleTo(window)

    qtbot.keyClicks(window.search, "zai")
    assert window.list.matched == 0
    assert window.everyone.isVisibleTo(window)
    assert window.everyone.text() == "Not on this list? Search everyone for “zai”"
    qtbot.mouseClick(window.everyone, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: zaira in window.marks, timeout=WAIT)

    mark = window.marks[zaira]
    assert not mark.present and not mark.attendee.linked_to_prison
    assert window.list.matched == 1 and window.list.first_shown() == zaira
    assert not window.everyone.isVisibleTo(window), "the child found is on the list now"
    row = row_of(qtbot, window, zaira)
    assert not row.check.isChecked()
    qtbot.mouseClick(row.check, Qt.MouseButton.LeftButton)
    wait_saved(qtbot, window)
    assert window.marks[zaira].present and window.message.text() == ""

    with signed_in.db.session() as session:
        stored = session.scalar(
            select(func.count()).where(
                Attendance.activity_id == event.activity_id,
                Attendance.child_id == zaira[1],
                Attendance.deleted_at.is_(None),
            )
        )
    assert stored == 1
    assert zaira in present_keys(read(signed_in, event.activity_id))
