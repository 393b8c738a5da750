"""The conflict dialog: a child's name and sex changed on the office and on a laptop.

The laptop's work is brought back to the office, where both fields are in conflict; the
person keeps one value, takes the other or writes a third, and the record holds it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
import sync_ui_support
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sync_ui_support import (
    LAPTOP_NAME,
    make_conflicts,
    read_child,
)

from cope_desktop import i18n
from cope_desktop.db.enums import Sex
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.conflict_dialog import EDIT, ConflictDialog
from cope_desktop.ui.tasks import TaskRunner

# The fixtures shared with the other Field laptops tests (sync_ui_support.py).
two_copies = sync_ui_support.two_copies
copies = sync_ui_support.copies


@pytest.fixture
def office_with_conflicts(
    copies: tuple[SignedIn, SignedIn], tmp_path: Path
) -> tuple[SignedIn, uuid.UUID]:
    """The office after bringing back a laptop that changed the same child's name and sex."""
    office, laptop = copies
    child = make_conflicts(
        office,
        laptop,
        tmp_path,
        first_name=("Giulia", "Giulia Maria"),
        sex=(Sex.FEMALE, Sex.NOT_STATED),
    )
    return office, child


def conflicts(signed_in: SignedIn) -> list[Any]:
    from cope_desktop.sync import service

    with signed_in.db.session() as session:
        return list(service.conflicts(session, signed_in.user))


def open_dialog(qtbot: QtBot, runner: TaskRunner, office: SignedIn, field: str) -> ConflictDialog:
    found = conflicts(office)
    assert sorted(conflict.field for conflict in found) == ["first_name", "sex"]
    index = next(n for n, conflict in enumerate(found) if conflict.field == field)
    dialog = ConflictDialog(office, runner, found, index)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def panel_texts(dialog: ConflictDialog) -> list[tuple[str, str]]:
    return [
        (panel.title(), panel.value.text()) for panel in dialog.panels if panel.isVisibleTo(dialog)
    ]


def save_and_wait(qtbot: QtBot, dialog: ConflictDialog) -> None:
    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_take_theirs_then_keep_mine_empties_the_list(
    qtbot: QtBot, runner: TaskRunner, office_with_conflicts: tuple[SignedIn, uuid.UUID]
) -> None:
    office, child = office_with_conflicts
    dialog = open_dialog(qtbot, runner, office, "first_name")
    assert dialog.position.text() == f"Change {dialog.index + 1} of 2"
    assert panel_texts(dialog) == [
        ("On this copy", "Giulia"),
        (f"From {LAPTOP_NAME}", "Giulia Maria"),
    ]
    assert not dialog.save_button.isEnabled(), "nothing is decided until a value is chosen"
    dialog.panels[1].choice.click()
    save_and_wait(qtbot, dialog)
    assert read_child(office, child).first_name == "Giulia Maria"

    # the sex is next: shown with the words people read, not the stored codes
    assert dialog.current.field == "sex"
    assert panel_texts(dialog) == [
        ("On this copy", "Female"),
        (f"From {LAPTOP_NAME}", "Not stated"),
    ]
    assert not dialog.edit_choice.isEnabled(), "a category is chosen, not typed"
    dialog.panels[0].choice.click()
    save_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert read_child(office, child).sex == Sex.FEMALE
    assert conflicts(office) == []


def test_an_edited_value_is_stored(
    qtbot: QtBot, runner: TaskRunner, office_with_conflicts: tuple[SignedIn, uuid.UUID]
) -> None:
    office, child = office_with_conflicts
    dialog = open_dialog(qtbot, runner, office, "first_name")
    assert dialog.line_editor.text() == "Giulia", "the editor starts from this copy's value"
    dialog.line_editor.clear()
    qtbot.keyClicks(dialog.line_editor, "Giulia M.")
    assert dialog.choices.checkedId() == EDIT
    save_and_wait(qtbot, dialog)
    assert read_child(office, child).first_name == "Giulia M."
    assert [conflict.field for conflict in conflicts(office)] == ["sex"]
    assert dialog.isVisible() and dialog.current.field == "sex"


def test_previous_and_next_walk_the_list(
    qtbot: QtBot, runner: TaskRunner, office_with_conflicts: tuple[SignedIn, uuid.UUID]
) -> None:
    office, _child = office_with_conflicts
    dialog = open_dialog(qtbot, runner, office, "first_name")
    first = dialog.index
    other = 1 - first
    button = dialog.next_button if other > first else dialog.previous_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.index == other and dialog.current.field == "sex"
    assert read_child(office, _child).first_name == "Giulia", "walking decides nothing"


def test_the_dialog_follows_a_language_switch(
    qtbot: QtBot,
    runner: TaskRunner,
    office_with_conflicts: tuple[SignedIn, uuid.UUID],
    pseudo_language: str,
) -> None:

    office, _child = office_with_conflicts
    dialog = open_dialog(qtbot, runner, office, "sex")
    i18n.set_language(pseudo_language)
    assert dialog.save_button.text().startswith("[Save")
    assert dialog.panels[0].title().startswith("[On this copy")
    assert dialog.panels[0].value.text().startswith("[Female")


def test_a_date_is_shown_as_people_read_it_and_kept_as_a_date(
    qtbot: QtBot, runner: TaskRunner, copies: tuple[SignedIn, SignedIn], tmp_path: Path
) -> None:
    office, laptop = copies
    mine, theirs = dt.date(2015, 3, 4), dt.date(2015, 4, 3)
    child = make_conflicts(office, laptop, tmp_path, birth_date=(mine, theirs))
    found = conflicts(office)
    assert [conflict.field for conflict in found] == ["birth_date"]
    dialog = ConflictDialog(office, runner, found)
    qtbot.addWidget(dialog)
    dialog.show()
    assert panel_texts(dialog) == [
        ("On this copy", i18n.format_date(mine)),
        (f"From {LAPTOP_NAME}", i18n.format_date(theirs)),
    ], "not the stored text (2015-03-04)"
    assert not dialog.edit_choice.isEnabled(), "a date is chosen, not typed"
    dialog.panels[1].choice.click()
    with qtbot.waitSignal(dialog.resolved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert read_child(office, child).birth_date == theirs
