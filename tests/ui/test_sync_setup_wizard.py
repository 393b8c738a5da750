"""Setting up a field laptop in the first-run wizard, from the file the office prepared."""

from __future__ import annotations

from pathlib import Path

import pytest
import sync_ui_support
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sync_ui_support import TwoCopies, copy_files
from ui_support import PASSWORD

from cope_desktop.paths import AppPaths
from cope_desktop.sync.preview import this_copy
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import laptop_name_from
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard

# The fixtures shared with the other Field laptops tests (sync_ui_support.py).
two_copies = sync_ui_support.two_copies


@pytest.fixture
def wizard(qtbot: QtBot, paths: AppPaths, runner: TaskRunner) -> SetupWizard:
    wizard = SetupWizard(paths, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def choose_bundle_path(wizard: SetupWizard) -> None:
    wizard.language_page.from_bundle.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.bundle_page


def test_a_laptop_is_set_up_from_the_office_file_and_signed_in(
    qtbot: QtBot, wizard: SetupWizard, two_copies: TwoCopies, tmp_path: Path
) -> None:
    bundle = tmp_path / "usb" / "full-Laptop-Marco-2026-11-24-0930.copesync"
    bundle.parent.mkdir()
    bundle.write_bytes(two_copies.full_bundle.read_bytes())
    choose_bundle_path(wizard)
    assert wizard.steps.labels[1].text() == "2.  File from the office"
    assert not wizard.steps.labels[4].isVisibleTo(wizard), "four steps on this path"
    wizard.bundle_page.path.setText(str(bundle))
    wizard.next()
    assert wizard.currentPage() is wizard.bundle_page, "the file is read in the background"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.laptop_location_page, timeout=10_000)
    assert "Test Org" in wizard.bundle_page.details.text()
    db_path = tmp_path / "laptop" / "records.db"
    wizard.laptop_location_page.path.setText(str(db_path))
    wizard.next()
    page = wizard.laptop_page
    assert wizard.currentPage() is page
    assert page.name.text() == "Laptop Marco", "the name the office gave the file"
    qtbot.keyClicks(page.username, "admin")
    qtbot.keyClicks(page.password, PASSWORD)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    with qtbot.waitSignal(wizard.created, timeout=30_000) as created:
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    signed_in: SignedIn = created.args[0]
    try:
        assert signed_in.db.path == db_path.absolute()
        assert signed_in.organisation.name == "Test Org"
        with signed_in.db.session() as session:
            copy = this_copy(session)
        assert copy.name == "Laptop Marco" and not copy.is_original
    finally:
        signed_in.db.close()


def test_a_wrong_password_is_said_on_the_laptop_page(
    qtbot: QtBot, wizard: SetupWizard, two_copies: TwoCopies, tmp_path: Path
) -> None:
    choose_bundle_path(wizard)
    wizard.bundle_page.path.setText(str(two_copies.full_bundle))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.laptop_location_page, timeout=10_000)
    db_path = tmp_path / "laptop.db"
    wizard.laptop_location_page.path.setText(str(db_path))
    wizard.next()
    page = wizard.laptop_page
    qtbot.keyClicks(page.name, "Laptop Marco")
    qtbot.keyClicks(page.username, "admin")
    qtbot.keyClicks(page.password, "not the password")
    wizard.accept()
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=30_000)
    assert not wizard.creating
    assert not db_path.exists()


def test_a_changes_file_is_refused(
    qtbot: QtBot, wizard: SetupWizard, two_copies: TwoCopies, tmp_path: Path, paths: AppPaths
) -> None:

    from cope_desktop.progress import run_to_end
    from cope_desktop.services.accounts import sign_in
    from cope_desktop.sync.export import export_changes

    office = copy_files(two_copies.folder / "laptop.db", tmp_path / "laptop.db")
    db, user = sign_in(office, "admin", PASSWORD, paths.backup_dir)
    try:
        changes = tmp_path / "changes.copesync"
        run_to_end(export_changes(db, user, changes))
    finally:
        db.close()
    choose_bundle_path(wizard)
    wizard.bundle_page.path.setText(str(changes))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.bundle_page.message.isVisible(), timeout=10_000)
    assert wizard.currentPage() is wizard.bundle_page
    assert "only changes" in wizard.bundle_page.message.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled(), "another file can be tried"


def test_a_missing_file_is_named_without_reading(wizard: SetupWizard, tmp_path: Path) -> None:
    choose_bundle_path(wizard)
    wizard.bundle_page.path.setText(str(tmp_path / "gone.copesync"))
    wizard.next()
    assert wizard.currentPage() is wizard.bundle_page
    assert wizard.bundle_page.message.text() == "The file gone.copesync cannot be found."


def test_the_laptop_name_comes_from_the_file_name() -> None:
    assert laptop_name_from(Path("full-Laptop-Anna-2026-11-24-1530.copesync")) == "Laptop Anna"
    assert laptop_name_from(Path("office-full.copesync")) == ""


def test_a_new_database_is_still_the_first_choice(wizard: SetupWizard) -> None:
    assert wizard.language_page.new_database.isChecked()
    wizard.next()
    assert wizard.currentPage() is wizard.organisation_page
