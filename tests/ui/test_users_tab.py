"""The Users tab of Privacy & safety: add, disable and enable users, and refusals (pytest-qt)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.db.enums import Role
from cope_desktop.paths import AppPaths
from cope_desktop.services.accounts import sign_in
from cope_desktop.ui.privacy.users_tab import (
    AddUserDialog,
    EnableDialog,
    ResetDialog,
    RoleDialog,
    Tab,
)
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

MARIA_PASSWORD = "maria's own passphrase"


@pytest.fixture
def tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Tab:
    tab = Tab(signed_in, runner, paths)
    qtbot.addWidget(tab)
    tab.resize(1000, 560)
    tab.show()
    qtbot.waitUntil(lambda: tab.row_of("admin") >= 0, timeout=5000)
    return tab


def cell(tab: Tab, username: str, column: int) -> str:
    item = tab.table.item(tab.row_of(username), column)
    assert item is not None
    return item.text()


def choose(tab: Tab, username: str) -> None:
    tab.table.selectRow(tab.row_of(username))
    assert tab.selected() is not None and tab.selected().username == username  # type: ignore[union-attr]


def submit(qtbot: QtBot, tab: Tab, dialog: object) -> None:
    """Press the dialog's main button and wait until the work is done and the list read again."""
    assert isinstance(dialog, (AddUserDialog, EnableDialog, ResetDialog, RoleDialog))
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def add_maria(qtbot: QtBot, tab: Tab) -> None:
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, AddUserDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.username, "maria")
    qtbot.keyClicks(dialog.display_name, "Maria Rossi")
    dialog.role.set_value(Role.COORDINATOR)
    qtbot.keyClicks(dialog.passwords.password, MARIA_PASSWORD)
    qtbot.keyClicks(dialog.passwords.repeat, MARIA_PASSWORD)
    submit(qtbot, tab, dialog)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_add_a_user_then_disable_and_enable_them(
    qtbot: QtBot, tab: Tab, signed_in: SignedIn, paths: AppPaths
) -> None:
    add_maria(qtbot, tab)
    assert [cell(tab, "maria", c) for c in range(5)] == [
        "maria",
        "Maria Rossi",
        "Coordinator",
        "Active",
        "Never",
    ]
    assert tab.selected() is not None and tab.selected().username == "maria"  # type: ignore[union-attr]
    assert tab.message.text() == "The user was added. They can sign in now."
    assert tab.toggle_button.text() == "&Disable…" and tab.toggle_button.isEnabled()

    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    box = tab.question
    assert isinstance(box, QMessageBox) and box.text() == "Disable maria?"
    (yes,) = [b for b in box.buttons() if b.text() == "&Disable"]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        yes.click()
    assert cell(tab, "maria", 3) == "Disabled"
    assert tab.message.text() == "maria can no longer sign in."
    assert tab.toggle_button.text() == "&Enable…"
    assert not tab.reset_button.isEnabled()

    qtbot.mouseClick(tab.toggle_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, EnableDialog)
    qtbot.keyClicks(dialog.passwords.password, "maria's second one")
    qtbot.keyClicks(dialog.passwords.repeat, "maria's second one")
    submit(qtbot, tab, dialog)
    assert cell(tab, "maria", 3) == "Active"
    db, user = sign_in(signed_in.db.path, "maria", "maria's second one", paths.backup_dir)
    db.close()
    assert user.role is Role.COORDINATOR


def test_refusals_are_said_in_one_sentence(qtbot: QtBot, tab: Tab) -> None:
    # A name already used: the service refuses, the dialog says why and stays open.
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, AddUserDialog)
    qtbot.keyClicks(dialog.username, "Admin")
    qtbot.keyClicks(dialog.passwords.password, MARIA_PASSWORD)
    qtbot.keyClicks(dialog.passwords.repeat, MARIA_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert dialog.message.text() == "There is already a user Admin."
    assert dialog.isVisible()
    # A password too short is said before any work starts.
    dialog.passwords.clear()
    qtbot.keyClicks(dialog.passwords.password, "short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "The password must have at least 10 characters."
    dialog.reject()

    # The only administrator cannot give up the role, nor disable their own account.
    choose(tab, "admin")
    assert not tab.toggle_button.isEnabled()
    assert tab.toggle_button.toolTip() == "You cannot disable your own account."
    assert not tab.clear_button.isEnabled()
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    role_dialog = tab.dialog
    assert isinstance(role_dialog, RoleDialog)
    role_dialog.role.set_value(Role.CASEWORKER)
    qtbot.mouseClick(role_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: role_dialog.message.isVisible(), timeout=10_000)
    assert role_dialog.message.text().startswith("admin is the only active administrator.")
    assert cell(tab, "admin", 2) == "Administrator"


def test_a_new_role_and_a_new_password_with_the_recovery_key(
    qtbot: QtBot, tab: Tab, signed_in: SignedIn, paths: AppPaths, recovery_key: str
) -> None:
    add_maria(qtbot, tab)
    qtbot.mouseClick(tab.role_button, Qt.MouseButton.LeftButton)
    role_dialog = tab.dialog
    assert isinstance(role_dialog, RoleDialog)
    assert role_dialog.role.value() is Role.COORDINATOR
    role_dialog.role.set_value(Role.CASEWORKER)
    submit(qtbot, tab, role_dialog)
    assert cell(tab, "maria", 2) == "Caseworker"
    assert tab.message.text() == "maria is now: Caseworker. This applies from their next sign-in."

    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, ResetDialog)
    qtbot.keyClicks(dialog.passwords.password, "maria's new passphrase")
    qtbot.keyClicks(dialog.passwords.repeat, "maria's new passphrase")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Type the recovery key."  # said before any work starts
    qtbot.keyClicks(dialog.recovery_key, "AAAAA-BBBBB")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    assert dialog.message.text() == "The recovery key is not correct."
    assert dialog.isVisible() and dialog.ok_button.isEnabled()

    dialog.recovery_key.setText(recovery_key.lower())
    submit(qtbot, tab, dialog)
    assert tab.message.text() == "maria has a new password."
    db, user = sign_in(signed_in.db.path, "maria", "maria's new passphrase", paths.backup_dir)
    db.close()
    assert user.role is Role.CASEWORKER


def test_a_small_window_shows_the_table_and_buttons(qtbot: QtBot, tab: Tab) -> None:
    tab.resize(1024 - 72, 640 - 200)
    qtbot.wait(50)
    assert tab.clear_button.geometry().right() <= tab.width()
    assert tab.table.height() > 100


def test_the_tab_follows_the_language(qtbot: QtBot, tab: Tab, pseudo_language: str) -> None:
    def texts() -> tuple[str, str, str]:
        header = tab.table.horizontalHeaderItem(0)
        assert header is not None
        return tab.add_button.text(), header.text(), cell(tab, "admin", 2)

    english = texts()
    i18n.set_language(pseudo_language)
    assert all(new != old and old in new for new, old in zip(texts(), english, strict=True))
