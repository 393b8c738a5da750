"""The first-run wizard, walked through as a person would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD, stretch

from cope_desktop import i18n
from cope_desktop.db.keys import KeyFile
from cope_desktop.paths import AppPaths
from cope_desktop.services.accounts import sign_in
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard


@pytest.fixture
def wizard(qtbot: QtBot, paths: AppPaths, runner: TaskRunner) -> SetupWizard:
    wizard = SetupWizard(paths, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def fill_organisation(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.organisation_page
    qtbot.keyClicks(page.name, "Test Org")
    line_edit = page.country.lineEdit()
    assert line_edit is not None
    line_edit.clear()
    qtbot.keyClicks(line_edit, "Italy")
    assert page.country.code() == "IT"


def fill_administrator(
    qtbot: QtBot, wizard: SetupWizard, password: str = PASSWORD, repeat: str = PASSWORD
) -> None:
    page = wizard.administrator_page
    qtbot.keyClicks(page.display_name, "Lia Sacerdote")
    qtbot.keyClicks(page.passwords.password, password)
    qtbot.keyClicks(page.passwords.repeat, repeat)


def go_to_administrator(qtbot: QtBot, wizard: SetupWizard) -> None:
    wizard.next()
    fill_organisation(qtbot, wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.administrator_page


def walk_to_the_end(qtbot: QtBot, wizard: SetupWizard, db_path: Path) -> None:
    go_to_administrator(qtbot, wizard)
    fill_administrator(qtbot, wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.location_page
    wizard.location_page.path.setText(str(db_path))
    wizard.next()
    assert wizard.currentPage() is wizard.recovery_page


def finish_button(wizard: SetupWizard):  # type: ignore[no-untyped-def]
    return wizard.button(QWizard.WizardButton.FinishButton)


def test_the_wizard_creates_a_database_that_opens(
    qtbot: QtBot, wizard: SetupWizard, paths: AppPaths, tmp_path: Path
) -> None:
    db_path = tmp_path / "new" / "records.db"
    walk_to_the_end(qtbot, wizard, db_path)
    assert not finish_button(wizard).isEnabled()
    assert not db_path.exists(), "nothing is written before Finish"
    stored = wizard.recovery_page.stored
    qtbot.mouseClick(stored, Qt.MouseButton.LeftButton, pos=QPoint(20, stored.height() // 2))
    assert stored.isChecked()
    assert finish_button(wizard).isEnabled()
    with qtbot.waitSignal(wizard.created, timeout=15_000) as created:
        qtbot.mouseClick(finish_button(wizard), Qt.MouseButton.LeftButton)
        assert wizard.creating
        assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
        assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
        assert not finish_button(wizard).isEnabled()
        assert wizard.recovery_page.busy.isVisible()
    signed_in: SignedIn = created.args[0]
    try:
        assert signed_in.user.username == "admin"
        assert signed_in.user.display_name == "Lia Sacerdote"
        assert (signed_in.organisation.name, signed_in.organisation.country) == ("Test Org", "IT")
    finally:
        signed_in.db.close()
    assert not wizard.isVisible()
    db, _user = sign_in(db_path, "admin", PASSWORD, paths.backup_dir)
    db.close()
    # the key that was shown is the one that unlocks the recovery slot
    assert len(KeyFile.load(db_path).unlock_with_recovery(wizard.recovery_key)) == 32


def test_finish_stays_disabled_until_the_key_is_stored(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    walk_to_the_end(qtbot, wizard, tmp_path / "x.db")
    assert not finish_button(wizard).isEnabled()
    wizard.recovery_page.stored.setChecked(True)
    assert finish_button(wizard).isEnabled()
    wizard.recovery_page.stored.setChecked(False)
    assert not finish_button(wizard).isEnabled()


def test_the_recovery_key_is_made_once_and_shown(wizard: SetupWizard) -> None:
    shown = wizard.recovery_page.panel.key.text().replace("\n", "-")
    assert shown == wizard.recovery_key
    assert len(wizard.recovery_key.split("-")) == 8


@pytest.mark.parametrize(
    ("password", "repeat", "expected"),
    [
        ("short", "short", "at least 10 characters"),
        (PASSWORD, PASSWORD + "!", "not the same"),
    ],
)
def test_a_weak_or_mismatched_password_blocks_the_page(
    qtbot: QtBot, wizard: SetupWizard, password: str, repeat: str, expected: str
) -> None:
    go_to_administrator(qtbot, wizard)
    fill_administrator(qtbot, wizard, password, repeat)
    wizard.next()
    page = wizard.administrator_page
    assert wizard.currentPage() is page
    assert page.message.isVisible()
    assert expected in page.message.text()


def test_live_feedback_next_to_the_password_fields(qtbot: QtBot, wizard: SetupWizard) -> None:
    go_to_administrator(qtbot, wizard)
    fields = wizard.administrator_page.passwords
    assert "10" in fields.password_note.text()
    qtbot.keyClicks(fields.password, "abc")
    assert fields.password_note.property("state") == "error"
    qtbot.keyClicks(fields.password, "defghijkl")
    assert fields.password_note.property("state") == "ok"
    qtbot.keyClicks(fields.repeat, "abcX")
    assert fields.repeat_note.text() == "The passwords do not match."


def test_an_existing_file_is_refused(qtbot: QtBot, wizard: SetupWizard, tmp_path: Path) -> None:
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"something precious")
    go_to_administrator(qtbot, wizard)
    fill_administrator(qtbot, wizard)
    wizard.next()
    wizard.location_page.path.setText(str(taken))
    wizard.next()
    assert wizard.currentPage() is wizard.location_page
    assert "already exists" in wizard.location_page.message.text()
    assert taken.read_bytes() == b"something precious"


def test_the_default_location_is_a_free_name(paths: AppPaths, runner: TaskRunner) -> None:
    paths.default_db.write_bytes(b"")
    wizard = SetupWizard(paths, runner)
    assert wizard.location_page.chosen_path() == paths.data_dir / "cope-desktop-2.db"


def test_a_problem_found_at_finish_goes_back_to_its_page(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path
) -> None:
    db_path = tmp_path / "late.db"
    walk_to_the_end(qtbot, wizard, db_path)
    db_path.write_bytes(b"appeared meanwhile")
    wizard.recovery_page.stored.setChecked(True)
    wizard.accept()
    assert wizard.currentPage() is wizard.location_page
    assert "already exists" in wizard.location_page.message.text()
    assert db_path.read_bytes() == b"appeared meanwhile"


def test_choosing_a_language_retranslates_the_wizard_live(
    qtbot: QtBot, pseudo_language: str, paths: AppPaths, runner: TaskRunner
) -> None:
    wizard = SetupWizard(paths, runner)
    qtbot.addWidget(wizard)
    languages = wizard.language_page.languages
    codes = [languages.item(n).data(Qt.ItemDataRole.UserRole) for n in range(languages.count())]
    assert codes == ["en", "fr"]
    languages.setCurrentRow(codes.index(pseudo_language))
    assert i18n.current_language() == "fr"
    assert wizard.language_page.heading.text() == stretch("Welcome to COPE Desktop")
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == stretch("&Next >")
    assert wizard.organisation_page.country.itemText(0) != ""
    assert wizard.organisation_page.country.findText("Italie") >= 0
