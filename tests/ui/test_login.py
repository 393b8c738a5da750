"""Signing in: wrong passwords, damaged files and forgotten passwords, never a traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop.db.keys import KeyFile
from cope_desktop.paths import AppPaths
from cope_desktop.services.accounts import sign_in
from cope_desktop.ui import forgot_password, login
from cope_desktop.ui.forgot_password import ForgotPasswordDialog
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


def digest(path: Path) -> tuple[str, str]:
    def one(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    return one(path), one(KeyFile.path_for(path))


@pytest.fixture
def dialog(qtbot: QtBot, paths: AppPaths, runner: TaskRunner, org_db: Path) -> LoginDialog:
    dialog = LoginDialog(paths, runner, org_db, "admin")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


class MessageBoxes:
    """Stands in for QMessageBox's static functions and remembers what was said."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []

    def recorder(self, kind: str):  # type: ignore[no-untyped-def]
        def record(parent: QWidget | None, title: str, text: str, *args: object) -> int:
            self.shown.append((kind, title, text))
            return int(QMessageBox.StandardButton.Ok.value)

        return record


@pytest.fixture
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    boxes = MessageBoxes()
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, boxes.recorder(kind))
    return boxes


def sign_in_with(qtbot: QtBot, dialog: LoginDialog, password: str) -> None:
    dialog.password.setText(password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.busy_signing_in
    qtbot.waitUntil(lambda: not dialog.busy_signing_in, timeout=10_000)


def test_the_right_password_signs_in(qtbot: QtBot, dialog: LoginDialog) -> None:
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        dialog.password.setText(PASSWORD)
        dialog.sign_in()
    signed_in: SignedIn = signal.args[0]
    try:
        assert signed_in.user.username == "admin"
        assert signed_in.organisation.name == "Test Org"
    finally:
        signed_in.db.close()
    assert dialog.password.text() == ""


def test_a_wrong_password_is_said_inline_and_changes_nothing(
    qtbot: QtBot, dialog: LoginDialog, org_db: Path, message_boxes: MessageBoxes
) -> None:
    before = digest(org_db)
    sign_in_with(qtbot, dialog, "not the password")
    assert dialog.message.isVisible()
    assert dialog.message.text() == "The user name or password is not correct."
    assert dialog.password.text() == ""
    assert dialog.focusWidget() is dialog.password
    assert message_boxes.shown == []
    assert digest(org_db) == before


def test_an_unknown_user_gets_the_same_words(
    qtbot: QtBot, dialog: LoginDialog, message_boxes: MessageBoxes
) -> None:
    dialog.username.setText("nobody")
    sign_in_with(qtbot, dialog, PASSWORD)
    assert dialog.message.text() == "The user name or password is not correct."


def test_empty_fields_are_caught_before_any_work(qtbot: QtBot, dialog: LoginDialog) -> None:
    dialog.password.clear()
    dialog.sign_in()
    assert not dialog.busy_signing_in
    assert "password" in dialog.message.text()


def test_a_truncated_database_gets_one_clear_message(
    qtbot: QtBot, dialog: LoginDialog, org_db: Path, message_boxes: MessageBoxes
) -> None:
    with org_db.open("r+b") as handle:
        handle.truncate(512)
    before = digest(org_db)
    sign_in_with(qtbot, dialog, PASSWORD)
    assert len(message_boxes.shown) == 1
    kind, _title, text = message_boxes.shown[0]
    assert kind == "critical"
    assert "truncated" in text and "has not been changed" in text
    assert "Traceback" not in text
    assert not dialog.message.isVisible()
    assert digest(org_db) == before


def test_a_corrupted_page_gets_one_clear_message(
    qtbot: QtBot, dialog: LoginDialog, org_db: Path, message_boxes: MessageBoxes
) -> None:
    data = bytearray(org_db.read_bytes())
    data[5000] ^= 0xFF
    org_db.write_bytes(bytes(data))
    before = digest(org_db)
    sign_in_with(qtbot, dialog, PASSWORD)
    assert [kind for kind, _title, _text in message_boxes.shown] == ["critical"]
    assert "damaged" in message_boxes.shown[0][2]
    assert digest(org_db) == before


def test_a_missing_key_file_is_explained(
    qtbot: QtBot, dialog: LoginDialog, org_db: Path, message_boxes: MessageBoxes
) -> None:
    KeyFile.path_for(org_db).unlink()
    sign_in_with(qtbot, dialog, PASSWORD)
    assert "key file" in message_boxes.shown[0][2]


def test_create_a_new_database_asks_for_the_wizard(qtbot: QtBot, dialog: LoginDialog) -> None:
    with qtbot.waitSignal(dialog.create_requested):
        qtbot.mouseClick(dialog.create_new, Qt.MouseButton.LeftButton)


def test_the_database_path_is_shown_with_its_full_path_as_tooltip(
    dialog: LoginDialog, org_db: Path
) -> None:
    assert dialog.database.toolTip() == str(org_db)
    assert dialog.db_path() == org_db


def test_forgotten_password_with_the_recovery_key(
    qtbot: QtBot,
    paths: AppPaths,
    runner: TaskRunner,
    org_db: Path,
    recovery_key: str,
    message_boxes: MessageBoxes,
) -> None:
    forgot = ForgotPasswordDialog(runner, org_db, paths.backup_dir, "admin")
    qtbot.addWidget(forgot)
    forgot.show()
    forgot.recovery_key.setText(recovery_key.lower().replace("-", " "))
    forgot.passwords.password.setText("a brand new password")
    forgot.passwords.repeat.setText("a brand new password")
    with qtbot.waitSignal(forgot.password_changed, timeout=10_000) as changed:
        qtbot.mouseClick(forgot.ok_button, Qt.MouseButton.LeftButton)
    assert changed.args == ["admin"]
    assert [kind for kind, _title, _text in message_boxes.shown] == ["information"]
    db, _user = sign_in(org_db, "admin", "a brand new password", paths.backup_dir)
    db.close()


def test_a_wrong_recovery_key_is_said_inline(
    qtbot: QtBot, paths: AppPaths, runner: TaskRunner, org_db: Path
) -> None:
    before = digest(org_db)
    forgot = ForgotPasswordDialog(runner, org_db, paths.backup_dir, "admin")
    qtbot.addWidget(forgot)
    forgot.recovery_key.setText("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH")
    forgot.passwords.password.setText("a brand new password")
    forgot.passwords.repeat.setText("a brand new password")
    forgot.submit()
    qtbot.waitUntil(lambda: forgot.message.text() != "", timeout=10_000)
    assert forgot.message.text() == "The recovery key is not correct."
    assert digest(org_db) == before


def test_the_login_dialog_opens_the_forgotten_password_dialog(
    qtbot: QtBot, dialog: LoginDialog
) -> None:
    qtbot.mouseClick(dialog.forgot, Qt.MouseButton.LeftButton)
    opened = dialog.findChild(ForgotPasswordDialog)
    assert opened is not None and opened.isVisible()
    assert opened.username.text() == "admin"
    opened.password_changed.emit("admin")
    assert dialog.username.text() == "admin"


def test_modules_use_the_patched_message_box(message_boxes: MessageBoxes) -> None:
    # The dialogs call QMessageBox's static functions through the class, so patching it works.
    assert login.QMessageBox is QMessageBox
    assert forgot_password.QMessageBox is QMessageBox


def test_the_dialog_stays_open_while_signing_in(
    qtbot: QtBot, dialog: LoginDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []
    monkeypatch.setattr(dialog._runner, "run", lambda *args, **kwargs: started.append(args))
    dialog.password.setText(PASSWORD)
    dialog.sign_in()
    assert started and dialog.busy_signing_in
    dialog.reject()
    dialog.close()
    assert dialog.isVisible()
    dialog._set_busy(False)
    dialog.reject()
    assert not dialog.isVisible()
