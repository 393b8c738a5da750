"""A locked account at the sign-in window: the lockout's sentence, inside the dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop.paths import AppPaths
from cope_desktop.services import signin_guard
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.tasks import TaskRunner

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_locked_account_is_told_when_to_try_again(
    qtbot: QtBot,
    paths: AppPaths,
    runner: TaskRunner,
    org_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(signin_guard, "now", lambda: NOW)
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: pytest.fail("no message box"))
    for _ in range(signin_guard.LOCK_AFTER):
        signin_guard.record_failure(org_db, "admin")
    dialog = LoginDialog(paths, runner, org_db, "admin")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText(PASSWORD)  # even the right password waits for the lock to end
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy_signing_in, timeout=10_000)
    assert dialog.message.isVisible()
    assert dialog.message.text() == signin_guard.locked_message(NOW + dt.timedelta(seconds=30))
    assert dialog.message.text().startswith("Too many wrong passwords in a row")
    assert dialog.password.text() == ""
