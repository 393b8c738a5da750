"""The prisons register page: add, edit, archive, restore, filter, details (pytest-qt)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from cope_desktop.db.enums import PrisonType, Role
from cope_desktop.services import prisons
from cope_desktop.ui.models import prison_table
from cope_desktop.ui.pages.prisons import PrisonsPage
from cope_desktop.ui.prison_dialog import PrisonDialog
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

BOLLATE = "Casa Circondariale di Bollate"
FRESNES = "Centre pénitentiaire de Fresnes"


def make_page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, role: Role) -> PrisonsPage:
    user = dataclasses.replace(signed_in.user, role=role)
    page = PrisonsPage(signed_in.db, runner, user=user)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitUntil(lambda: page.register is not None, timeout=5000)
    return page


@pytest.fixture
def page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> PrisonsPage:
    return make_page(qtbot, signed_in, runner, Role.ADMINISTRATOR)


def names(page: PrisonsPage) -> list[str]:
    model = page.model
    return [model.prison(row).name for row in range(model.rowCount())]


def choose(qtbot: QtBot, page: PrisonsPage, name: str) -> None:
    row = names(page).index(name)
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.details.detail is not None, timeout=5000)


def open_dialog(qtbot: QtBot, page: PrisonsPage) -> PrisonDialog:
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=5000)
    dialog = page.dialog
    assert dialog is not None
    activate(qtbot, dialog)
    return dialog


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make ``window`` the active window, as shortcuts only reach the active one."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


def save(qtbot: QtBot, page: PrisonsPage, dialog: PrisonDialog) -> None:
    """Save with Ctrl+S and wait until the dialog has closed and the list is read again."""
    before = page.register
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.register is not before, timeout=5000)


def answer(qtbot: QtBot, page: PrisonsPage, button_text: str) -> str:
    """Click ``button_text`` in the open question; return the question's whole text."""
    qtbot.waitUntil(lambda: page.findChild(QMessageBox, "question") is not None, timeout=5000)
    box = page.findChild(QMessageBox, "question")
    assert isinstance(box, QMessageBox)
    text = f"{box.text()} {box.informativeText()}"
    (button,) = [b for b in box.buttons() if b.text() == button_text]
    button.click()
    return text


def test_the_register_lists_prisons_with_linked_counts(page: PrisonsPage) -> None:
    assert names(page)[0] == BOLLATE
    assert len(names(page)) == 5
    bollate = page.model.prison(0)
    assert (bollate.families, bollate.activities) == (3, 10)
    assert page.model.data(page.model.index(0, prison_table.FAMILIES)) == "3"
    assert not page.edit_button.isEnabled()


def test_choosing_a_prison_shows_what_is_linked(qtbot: QtBot, page: PrisonsPage) -> None:
    choose(qtbot, page, BOLLATE)
    details = page.details
    assert details.name.text() == BOLLATE
    assert "Lombardia" in details.facts.text() and "Men" in details.facts.text()
    assert details.families_caption.text() == "Families linked: 3"
    assert details.families.rowCount() == 3
    assert details.activities.rowCount() == 10
    statuses = {details.families.item(n, 2).text() for n in range(3)}
    assert statuses <= {"Open", "Closed"}
    assert page.edit_button.isEnabled() and page.archive_button.isEnabled()


def test_adding_a_prison_through_the_dialog(qtbot: QtBot, page: PrisonsPage) -> None:
    activate(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = open_dialog(qtbot, page)
    assert dialog.country.code() == "IT"  # the organisation's country
    qtbot.keyClicks(dialog.name, "Casa Circondariale di San Vittore")
    qtbot.keyClicks(dialog.region, "Lombardia")
    dialog.type.set_value(PrisonType.MIXED)
    save(qtbot, page, dialog)
    assert "Casa Circondariale di San Vittore" in names(page)
    chosen = page.selected_row()
    assert chosen is not None and chosen.name == "Casa Circondariale di San Vittore"
    assert (chosen.reference, chosen.region, chosen.type) == ("P-0001", "Lombardia", "mixed")


def test_an_empty_name_is_explained_next_to_the_field(qtbot: QtBot, page: PrisonsPage) -> None:
    page.add_prison()
    dialog = open_dialog(qtbot, page)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors.message("name") != "", timeout=5000)
    assert dialog.errors.message("name") == "Enter the prison's name."
    assert dialog.isVisible()
    assert dialog.name.hasFocus() or QApplication.focusWidget() is dialog.name


def test_editing_a_prison(qtbot: QtBot, page: PrisonsPage) -> None:
    choose(qtbot, page, FRESNES)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot, page)
    assert dialog.name.text() == FRESNES
    assert dialog.country.code() == "FR"
    dialog.region.setText("Val-de-Marne")
    dialog.facilities.setPlainText("A play corner in the visiting room.")
    save(qtbot, page, dialog)
    chosen = page.selected_row()
    assert chosen is not None and (chosen.name, chosen.region) == (FRESNES, "Val-de-Marne")
    qtbot.waitUntil(
        lambda: page.details.facilities.text() == "A play corner in the visiting room.",
        timeout=5000,
    )


def test_only_the_facilities_changed_still_shows_them(qtbot: QtBot, page: PrisonsPage) -> None:
    choose(qtbot, page, FRESNES)
    page.edit_prison()
    dialog = open_dialog(qtbot, page)
    dialog.facilities.setPlainText("Lockers for toys.")
    save(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.details.facilities.text() == "Lockers for toys.", timeout=5000)


def test_cancelling_with_changes_asks_first(qtbot: QtBot, page: PrisonsPage) -> None:
    page.add_prison()
    dialog = open_dialog(qtbot, page)
    qtbot.keyClicks(dialog.name, "Rebibbia")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "question") is not None, timeout=5000)
    box = dialog.findChild(QMessageBox, "question")
    assert isinstance(box, QMessageBox) and box.text() == "Discard your changes?"
    (keep,) = [b for b in box.buttons() if b.text() == "Keep editing"]
    keep.click()
    assert dialog.isVisible() and dialog.name.text() == "Rebibbia"


def test_archiving_says_what_is_linked_and_hides_the_prison(
    qtbot: QtBot, page: PrisonsPage
) -> None:
    choose(qtbot, page, BOLLATE)
    activate(qtbot, page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    question = answer(qtbot, page, "Archive")
    assert f"Archive the prison “{BOLLATE}”?" in question
    assert "3 families are linked to it." in question
    assert "10 activities were held there." in question
    qtbot.waitUntil(lambda: BOLLATE not in names(page), timeout=5000)
    assert "Tick “Show archived” to see it." in page.message.text()
    page.show_archived.setChecked(True)
    assert BOLLATE in names(page)
    row = names(page).index(BOLLATE)
    assert page.model.data(page.model.index(row, prison_table.NAME)) == f"{BOLLATE} (archived)"


def test_an_administrator_restores_an_archived_prison(qtbot: QtBot, page: PrisonsPage) -> None:
    bollate = page.model.prison(0)
    with page._db.session() as session:
        prisons.archive_prison(session, page.user, bollate.id)  # type: ignore[arg-type]
    page.refresh()
    qtbot.waitUntil(lambda: BOLLATE not in names(page), timeout=5000)
    page.show_archived.setChecked(True)
    choose(qtbot, page, BOLLATE)
    assert page.restore_button.isVisible() and page.restore_button.isEnabled()
    assert not page.edit_button.isEnabled() and not page.archive_button.isEnabled()
    page.restore_button.click()
    qtbot.waitUntil(lambda: page.message.text() == f"“{BOLLATE}” was restored.", timeout=5000)
    page.show_archived.setChecked(False)
    qtbot.waitUntil(lambda: BOLLATE in names(page), timeout=5000)


def test_only_administrators_see_restore(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = make_page(qtbot, signed_in, runner, Role.CASEWORKER)
    assert not page.restore_button.isVisibleTo(page)
    assert page.add_button.isEnabled()


def test_the_filter_looks_at_names_and_regions(page: PrisonsPage) -> None:
    page.filter.setText("lombardia")
    assert len(names(page)) == 3
    page.filter.setText("fresnes")
    assert names(page) == [FRESNES]
    page.filter.setText("nowhere")
    assert names(page) == []
    assert page.empty.text() == "No prison matches “nowhere”."
    assert page.empty.isVisibleTo(page)


def test_without_a_user_the_page_only_reads(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = PrisonsPage(signed_in.db, runner)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.register is not None, timeout=5000)
    assert not page.add_button.isEnabled()
    assert not page.restore_button.isVisibleTo(page)
