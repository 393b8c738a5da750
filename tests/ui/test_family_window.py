"""The family record window, its editors and "New family", driven as a person would.

Against a real encrypted database (the sample one), signed in as its administrator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from ui_support import stretch

from cope_desktop import i18n
from cope_desktop.db.enums import (
    ConsentKind,
    CustodyStatus,
    Relationship,
    Role,
    Sex,
)
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
from cope_desktop.services.records.people import save_caregiver
from cope_desktop.services.records.views import FamilyRecord
from cope_desktop.services.validation import today
from cope_desktop.ui.record.case_editors import CaseStatusDialog, SupportEditor
from cope_desktop.ui.record.editor_base import FormDialog
from cope_desktop.ui.record.family_window import (
    FamilyWindow,
    family_windows,
    open_family_window,
)
from cope_desktop.ui.record.new_family import NewFamilyDialog
from cope_desktop.ui.record.people_editors import CaregiverEditor, ChildEditor
from cope_desktop.ui.record.relative_editor import RelativeEditor
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000


def make_family(signed_in: SignedIn, consent: bool = True) -> uuid.UUID:
    """A family with two children, two caregivers and one relative in prison."""
    with signed_in.db.session() as session:
        prison_id = families.prison_choices(session)[0][0]
        family_id = families.create_family(
            session,
            signed_in.user,
            NewFamily(
                family=FamilyDraft("", today() - dt.timedelta(days=400)),
                caregiver=CaregiverDraft(first_name="Anna", last_name="Rossi"),
                relative=RelativeDraft(first_name="Marco", last_name="Rossi", prison_id=prison_id),
                custody=CustodyDraft(
                    CustodyStatus.SENTENCED, today() - dt.timedelta(days=500), prison_id
                ),
                children=[
                    NewChild(ChildDraft(first_name="Giulia", sex=Sex.FEMALE), Relationship.FATHER),
                    NewChild(ChildDraft(first_name="Luca", sex=Sex.MALE), Relationship.FATHER),
                ],
                data_consent=(
                    ConsentDraft(
                        ConsentKind.DATA_PROCESSING, "Anna Rossi", today() - dt.timedelta(days=400)
                    )
                    if consent
                    else None
                ),
            ),
        )
        save_caregiver(
            session,
            signed_in.user,
            family_id,
            None,
            CaregiverDraft(first_name="Maria", last_name="Bianchi"),
        )
    return family_id


def read(signed_in: SignedIn, family_id: uuid.UUID) -> FamilyRecord:
    with signed_in.db.session() as session:
        return families.read_family(session, signed_in.user, family_id)


@pytest.fixture
def family_id(signed_in: SignedIn) -> uuid.UUID:
    return make_family(signed_in)


@pytest.fixture(autouse=True)
def no_window_left(qtbot: QtBot) -> Iterator[None]:
    """Close the family windows a test left open (they delete themselves when closed)."""
    yield
    for window in family_windows():
        if window.editor is not None:
            window.editor.discard()
        window.close()


def open_window(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, family: uuid.UUID
) -> FamilyWindow:
    window = FamilyWindow(signed_in, runner, family)
    window.show()
    qtbot.waitUntil(lambda: window.record is not None, timeout=WAIT)
    return window


@pytest.fixture
def window(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, family_id: uuid.UUID
) -> FamilyWindow:
    return open_window(qtbot, signed_in, runner, family_id)


def editor_of(window: FamilyWindow, kind: type[FormDialog]) -> FormDialog:
    editor = window.editor
    assert isinstance(editor, kind)
    return editor


def answer(qtbot: QtBot, parent: QWidget, button_text: str) -> None:
    """Click a button of the question open over ``parent``."""
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "question") is not None, timeout=WAIT)
    box = parent.findChild(QMessageBox, "question")
    assert box is not None
    button = next(b for b in box.buttons() if b.text() == button_text)
    button.click()


def section_row(window: FamilyWindow, section_name: str, first_cell: str) -> int:
    section = getattr(window.tabs, section_name)
    table = section.table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == first_cell:
            return row
    raise AssertionError(f"{first_cell!r} not in {section_name}")


# --- New family --------------------------------------------------------------------------------


def test_a_new_family_is_created_through_the_dialog(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    dialog = NewFamilyDialog(signed_in, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.reference.text() != "", timeout=WAIT)
    reference = dialog.reference.text()
    assert reference.startswith("F-")
    assert dialog.caseworker.value() == signed_in.user.id
    # Saving with nothing typed: each problem is said next to its field.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("children.0.relationship") != "", timeout=WAIT)
    assert dialog.errors.message("caregiver.first_name")
    assert dialog.errors.message("data_consent.given_by") == "Enter who gave the consent."
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.caregiver_first, "Anna")
    qtbot.keyClicks(dialog.caregiver_last, "Rossi")
    qtbot.keyClicks(dialog.relative_first, "Marco")
    dialog.prison.setCurrentIndex(1)
    dialog.custody_status.set_value(CustodyStatus.PRE_TRIAL)
    qtbot.keyClicks(dialog.custody_since.line_edit, "2024-02-01")
    child = dialog.child_rows[0]
    qtbot.keyClicks(child.first_name, "Giulia")
    qtbot.keyClicks(child.birth_date.line_edit, "2015-06-30")
    child.sex.set_value(Sex.FEMALE)
    child.relationship.set_value(Relationship.FATHER)
    qtbot.mouseClick(dialog.add_child_button, Qt.MouseButton.LeftButton)
    assert len(dialog.child_rows) == 2
    second = dialog.child_rows[1]
    qtbot.keyClicks(second.first_name, "Luca")
    second.relationship.set_value(Relationship.FATHER)
    qtbot.keyClicks(dialog.consent_by, "Anna Rossi")
    with qtbot.waitSignal(dialog.created, timeout=WAIT) as created:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    record = read(signed_in, created.args[0])
    assert record.reference == reference
    assert [c.first_name for c in record.children] == ["Giulia", "Luca"]
    assert record.children[0].birth_date == dt.date(2015, 6, 30)
    assert record.children[0].links[0].relationship == Relationship.FATHER
    assert record.caregivers[0].first_name == "Anna" and record.caregivers[0].is_main
    assert record.relatives[0].custody[0].status == CustodyStatus.PRE_TRIAL
    assert record.has_data_consent
    assert record.caseworker_id == signed_in.user.id


def test_a_date_that_cannot_be_read_is_said_with_the_other_problems(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    dialog = NewFamilyDialog(signed_in, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.reference.text() != "", timeout=WAIT)
    dialog.opened_on.line_edit.setText("31/31/2024")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("family.opened_on") != "", timeout=WAIT)
    assert dialog.errors.message("family.opened_on") == (
        "This is not a date. Type it like 12/31/2024, or leave it empty."
    )
    # The service's own problems are shown at the same time, and nothing was written.
    assert dialog.errors.message("caregiver.first_name")
    assert dialog.isVisible()
    with signed_in.db.session() as session:
        assert families.next_family_reference(session) == dialog.reference.text()
    dialog.discard()


def test_a_form_with_a_date_it_cannot_read_saves_nothing(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    dialog = NewFamilyDialog(signed_in, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.reference.text() != "", timeout=WAIT)
    reference = dialog.reference.text()
    dialog.consent_given.setChecked(False)
    qtbot.keyClicks(dialog.caregiver_first, "Anna")
    qtbot.keyClicks(dialog.relative_first, "Marco")
    child = dialog.child_rows[0]
    qtbot.keyClicks(child.first_name, "Giulia")
    child.relationship.set_value(Relationship.MOTHER)
    qtbot.keyClicks(child.birth_date.line_edit, "3/45/2015")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("children.0.birth_date") != "", timeout=WAIT)
    assert dialog.isVisible()
    with signed_in.db.session() as session:
        assert families.next_family_reference(session) == reference
    dialog.discard()


# --- The family window -------------------------------------------------------------------------


def test_the_window_shows_the_family_as_a_whole(window: FamilyWindow) -> None:
    record = window.record
    assert record is not None
    assert window.title.text() == f"Family {record.reference}"
    assert window.status.text().startswith("Open since")
    assert window.tabs.children_section.table.rowCount() == 2
    assert window.tabs.caregivers_section.table.rowCount() == 2
    relatives = window.tabs.relatives_section.table
    assert "Sentenced since" in relatives.item(0, 3).text()
    assert "Giulia (Father)" in relatives.item(0, 4).text()
    assert not window.consent_banner.isVisible()
    assert window.tabs.isTabVisible(window.tabs.indexOf(window.tabs.notes_page))


def test_editing_a_child_shows_the_message_next_to_the_birth_date(
    qtbot: QtBot, window: FamilyWindow
) -> None:
    window.tabs.children_section.table.selectRow(section_row(window, "children_section", "Giulia"))
    qtbot.mouseClick(window.tabs.children_section.edit_button, Qt.MouseButton.LeftButton)
    editor = editor_of(window, ChildEditor)
    assert isinstance(editor, ChildEditor)
    future = today() + dt.timedelta(days=30)
    editor.birth_date.line_edit.setText(future.isoformat())
    editor.save()
    qtbot.waitUntil(lambda: editor.errors.message("birth_date") != "", timeout=WAIT)
    assert editor.errors.message("birth_date") == "This date is in the future."
    assert editor.isVisible()
    # Corrected, it saves, and the window shows the new date.
    editor.birth_date.line_edit.setText("2016-02-29")
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.record is not None
    giulia = next(c for c in window.record.children if c.first_name == "Giulia")
    assert giulia.birth_date == dt.date(2016, 2, 29)


def test_a_child_needs_an_imprisoned_relative(qtbot: QtBot, window: FamilyWindow) -> None:
    window.add_child()
    editor = editor_of(window, ChildEditor)
    assert isinstance(editor, ChildEditor)
    qtbot.keyClicks(editor.person.first_name, "Sara")
    for _id, check, _combo in editor._relative_rows:
        check.setChecked(False)
    editor.save()
    qtbot.waitUntil(lambda: editor.errors.message("relatives") != "", timeout=WAIT)
    assert "imprisoned relative" in editor.errors.message("relatives")


def test_the_case_is_closed_and_reopened_with_a_date_and_a_reason(
    qtbot: QtBot, window: FamilyWindow
) -> None:
    assert window.status_button.text() == "Close the case…"
    qtbot.mouseClick(window.status_button, Qt.MouseButton.LeftButton)
    dialog = editor_of(window, CaseStatusDialog)
    assert isinstance(dialog, CaseStatusDialog)
    assert dialog.date.date() == today()
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors.message("reason") != "", timeout=WAIT)
    assert dialog.errors.message("reason") == "Enter the reason for closing the case."
    qtbot.keyClicks(dialog.reason, "Support goals reached")
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.record is not None and window.record.closed_on == today()
    assert window.status.text().startswith("Closed on")
    assert "Support goals reached" in window.status.text()
    assert window.status_button.text() == "Reopen the case…"

    window.change_status()
    reopen = editor_of(window, CaseStatusDialog)
    assert isinstance(reopen, CaseStatusDialog) and not reopen.closing
    qtbot.keyClicks(reopen.reason, "The family asked for help again")
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        qtbot.mouseClick(reopen.save_button, Qt.MouseButton.LeftButton)
    assert window.record is not None and window.record.is_open
    assert window.status.text().startswith("Open again since")
    history = window.tabs.history_section.table
    assert [history.item(row, 1).text() for row in range(history.rowCount())] == [
        "Case opened",
        "Case closed",
        "Case reopened",
    ]


def test_a_caregiver_is_archived_after_confirmation_and_restored(
    qtbot: QtBot, window: FamilyWindow
) -> None:
    section = window.tabs.caregivers_section
    section.table.selectRow(section_row(window, "caregivers_section", "Maria Bianchi"))
    qtbot.mouseClick(section.archive_button, Qt.MouseButton.LeftButton)
    answer(qtbot, window, "Cancel")
    qtbot.wait(50)
    assert section.table.rowCount() == 2
    qtbot.mouseClick(section.archive_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        answer(qtbot, window, "Archive")
    assert section.table.rowCount() == 1
    assert window.record is not None
    assert [c.deleted for c in window.record.caregivers if c.first_name == "Maria"] == [True]

    window.tabs.show_archived.setChecked(True)
    assert section.table.rowCount() == 2
    row = section_row(window, "caregivers_section", "Maria Bianchi (archived)")
    section.table.selectRow(row)
    assert not section.edit_button.isEnabled()
    assert section.restore_button.isVisible() and section.restore_button.isEnabled()
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        qtbot.mouseClick(section.restore_button, Qt.MouseButton.LeftButton)
    assert [c.deleted for c in window.record.caregivers if c.first_name == "Maria"] == [False]


def test_every_save_tells_the_list(qtbot: QtBot, window: FamilyWindow) -> None:
    window.edit_details()
    editor = window.editor
    assert editor is not None
    with qtbot.waitSignal(window.changed, timeout=WAIT) as changed:
        editor.save()
    assert changed.args == [window.family_id]


def test_case_notes_are_not_shown_to_a_coordinator(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, family_id: uuid.UUID
) -> None:
    coordinator = dataclasses.replace(
        signed_in, user=dataclasses.replace(signed_in.user, role=Role.COORDINATOR)
    )
    window = open_window(qtbot, coordinator, runner, family_id)
    assert window.record is not None and window.record.notes is None
    assert not window.tabs.isTabVisible(window.tabs.indexOf(window.tabs.notes_page))
    window.tabs.show_archived.setChecked(True)
    assert not window.tabs.caregivers_section.restore_button.isVisible()


def test_a_family_without_data_consent_is_marked_and_says_what_is_blocked(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    window = open_window(qtbot, signed_in, runner, make_family(signed_in, consent=False))
    assert window.consent_banner.isVisible()
    text = window.consent_banner.text.text()
    assert "New case notes cannot be added." in text
    assert "New support services cannot be recorded." in text
    assert not window.tabs.support_section.add_button.isEnabled()
    assert not window.tabs.notes_section.add_button.isEnabled()
    # The banner's button records the consent, and the banner goes.
    qtbot.mouseClick(window.consent_banner.button, Qt.MouseButton.LeftButton)
    editor = window.editor
    assert editor is not None
    qtbot.keyClicks(editor.given_by, "Anna Rossi")  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        editor.save()
    assert not window.consent_banner.isVisible()
    assert window.tabs.support_section.add_button.isEnabled()


def test_ctrl_n_adds_to_the_list_in_view(qtbot: QtBot, window: FamilyWindow) -> None:
    window.tabs.setCurrentWidget(window.tabs.support_page)
    window.activateWindow()
    qtbot.keyClick(window.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.editor, SupportEditor)


def test_unsaved_changes_are_not_lost_silently(qtbot: QtBot, window: FamilyWindow) -> None:
    window.add_caregiver()
    editor = editor_of(window, CaregiverEditor)
    assert isinstance(editor, CaregiverEditor)
    qtbot.keyClicks(editor.person.first_name, "Paolo")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    answer(qtbot, editor, "Keep editing")
    qtbot.wait(50)
    assert editor.isVisible()
    editor.close()
    answer(qtbot, editor, "Discard changes")
    qtbot.waitUntil(lambda: window.editor is None, timeout=WAIT)


def test_an_unchanged_editor_closes_without_asking(qtbot: QtBot, window: FamilyWindow) -> None:
    window.edit_details()
    editor = window.editor
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.editor is None, timeout=WAIT)


def test_an_open_window_is_reused(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, family_id: uuid.UUID
) -> None:
    first = open_family_window(signed_in, runner, family_id)
    again = open_family_window(signed_in, runner, family_id)
    assert again is first
    qtbot.waitUntil(lambda: first.record is not None, timeout=WAIT)
    first.close()


def test_closing_the_window_asks_about_an_editor_with_changes(
    qtbot: QtBot, window: FamilyWindow
) -> None:
    window.add_caregiver()
    editor = editor_of(window, CaregiverEditor)
    assert isinstance(editor, CaregiverEditor)
    qtbot.keyClicks(editor.person.first_name, "Paolo")
    window.close()
    assert window.isVisible()
    answer(qtbot, editor, "Discard changes")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)


def test_a_status_change_is_added_to_the_custody_history(
    qtbot: QtBot, window: FamilyWindow
) -> None:
    assert window.record is not None
    window.edit_relative(window.record.relatives[0].id)
    editor = window.editor
    assert isinstance(editor, RelativeEditor)
    assert editor.history.rowCount() == 1
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.status.set_value(CustodyStatus.RELEASED)
    # Before the latest change: refused, next to the date of the new status change.
    editor.since.line_edit.setText((today() - dt.timedelta(days=900)).isoformat())
    editor.save()
    qtbot.waitUntil(lambda: editor.errors.message("custody.since") != "", timeout=WAIT)
    assert editor.errors.message("custody.since") == (
        "This date is before the latest custody change."
    )
    editor.since.line_edit.setText(today().isoformat())
    with qtbot.waitSignal(window.loaded, timeout=WAIT):
        editor.save()
    custody = window.record.relatives[0].custody
    assert [event.status for event in custody] == [
        CustodyStatus.SENTENCED,
        CustodyStatus.RELEASED,
    ]
    assert "Released since" in window.tabs.relatives_section.table.item(0, 3).text()


def test_the_window_and_its_editor_follow_a_language_switch(
    qtbot: QtBot, window: FamilyWindow, pseudo_language: str
) -> None:
    window.edit_details()
    editor = window.editor
    assert editor is not None
    i18n.set_language(pseudo_language)
    assert window.tabs.tabText(0) == stretch("People")
    assert window.status_button.text() == stretch("Close the case…")
    assert editor.save_button.text() == stretch("&Save")


def test_a_form_whose_choices_cannot_be_read_says_so_and_saves_nothing(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cope_desktop.errors import CopeError
    from cope_desktop.ui.record import new_family

    def fail(_signed_in: SignedIn) -> None:
        raise CopeError("The database could not be read.")

    monkeypatch.setattr(new_family, "read_start", fail)
    dialog = NewFamilyDialog(signed_in, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.saving, timeout=5000)
    assert dialog.message.text() == "The database could not be read."
    assert not dialog.save_button.isEnabled()
    dialog.save()
    assert not dialog.saving
    with signed_in.db.session() as session:
        assert families.next_family_reference(session) == "F-000001"  # nothing was saved
