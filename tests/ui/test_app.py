"""Start-up: which window comes first, language and database choice, and the crash handler."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop import i18n
from cope_desktop.paths import AppPaths
from cope_desktop.settings import Settings
from cope_desktop.ui import app as app_module
from cope_desktop.ui.app import choose_language, database_path, make_excepthook, run_gui
from cope_desktop.ui.flow import StartupFlow
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.main_window import MainWindow
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard


def test_the_language_comes_from_the_argument_then_settings_then_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(i18n, "system_language", lambda preferred=(): "pl")
    assert choose_language("fr", Settings(language="de")) == "fr"
    assert choose_language(None, Settings(language="de")) == "de"
    assert choose_language(None, Settings()) == "pl"


def test_the_database_comes_from_the_argument_then_settings_then_default(
    paths: AppPaths, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen.db"
    assert database_path(paths, chosen, Settings(last_database="/x/last.db")) == chosen
    assert database_path(paths, None, Settings(last_database="/x/last.db")) == Path("/x/last.db")
    assert database_path(paths, None, Settings()) == paths.default_db


def test_no_database_starts_the_wizard(
    qtbot: QtBot, paths: AppPaths, runner: TaskRunner, tmp_path: Path
) -> None:
    flow = StartupFlow(paths, Settings(), runner, tmp_path / "none.db")
    flow.start()
    assert isinstance(flow.window, SetupWizard)
    qtbot.addWidget(flow.window)


def test_an_existing_database_starts_the_login(
    qtbot: QtBot, paths: AppPaths, runner: TaskRunner, org_db: Path
) -> None:
    flow = StartupFlow(paths, Settings(last_username="admin"), runner, org_db)
    flow.start()
    login = flow.window
    assert isinstance(login, LoginDialog)
    qtbot.addWidget(login)
    assert login.username.text() == "admin"


def test_create_from_login_and_cancel_goes_back_to_login(
    qtbot: QtBot, paths: AppPaths, runner: TaskRunner, org_db: Path
) -> None:
    flow = StartupFlow(paths, Settings(), runner, org_db)
    flow.start()
    assert isinstance(flow.window, LoginDialog)
    flow.window.create_requested.emit()
    wizard = flow.window
    assert isinstance(wizard, SetupWizard)
    wizard.reject()
    assert isinstance(flow.window, LoginDialog)
    qtbot.addWidget(flow.window)


def start_and_sign_in(
    paths: AppPaths, settings: Settings, runner: TaskRunner, db_path: Path
) -> StartupFlow:
    """Start the application's flow and submit the login dialog as a person would."""
    flow = StartupFlow(paths, settings, runner, db_path)
    flow.start()
    login = flow.window
    assert isinstance(login, LoginDialog)
    login.username.setText("admin")
    login.password.setText(PASSWORD)
    login.sign_in()
    return flow


def test_signing_in_opens_the_main_window_and_remembers(
    qtbot: QtBot, paths: AppPaths, runner: TaskRunner, org_db: Path
) -> None:
    settings = Settings()
    flow = start_and_sign_in(paths, settings, runner, org_db)
    qtbot.waitUntil(lambda: isinstance(flow.window, MainWindow), timeout=10_000)
    assert flow.window is not None
    qtbot.addWidget(flow.window)
    assert settings.last_database == str(org_db)
    assert Settings.load(paths.settings_file).last_username == "admin"
    flow.window.close()
    flow.close()


def test_run_gui_returns_when_the_person_quits(qtbot: QtBot, paths: AppPaths, org_db: Path) -> None:
    def quit_at_login() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, LoginDialog) and widget.isVisible():
                widget.reject()
                return
        QTimer.singleShot(50, quit_at_login)

    hook = sys.excepthook
    QTimer.singleShot(50, quit_at_login)
    assert run_gui(paths, db_path=org_db, language="en") == 0
    assert sys.excepthook is hook
    assert QApplication.applicationName() == "COPE Desktop"
    assert not QApplication.windowIcon().isNull()
    assert paths.log_file.exists()


def test_an_unexpected_error_is_logged_and_told_calmly(
    qtbot: QtBot, paths: AppPaths, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str, *args: object) -> int:
        shown.append(text)
        return 0

    monkeypatch.setattr(app_module.QMessageBox, "critical", critical)
    hook = make_excepthook(paths.log_file)
    try:
        raise RuntimeError("secret internals")
    except RuntimeError as error:
        with caplog.at_level(logging.CRITICAL):
            hook(type(error), error, error.__traceback__)
    assert len(shown) == 1
    assert str(paths.log_file) in shown[0]
    assert "secret internals" not in shown[0] and "Traceback" not in shown[0]
    assert caplog.records[-1].exc_info is not None
    assert QMessageBox is app_module.QMessageBox


def test_qt_translations_follow_the_language(qtbot: QtBot) -> None:
    from cope_desktop.ui.language import language_bridge

    bridge = language_bridge()
    i18n.set_language("en")
    assert bridge._qt_translator is None
    bridge.install_qt_translations("fr")  # Qt ships qtbase_fr; our catalog may not exist yet
    assert bridge._qt_translator is not None
    bridge.install_qt_translations("en")
    assert bridge._qt_translator is None


def test_qt_calls_do_not_leak_references_to_none() -> None:
    """Guard the PySide6 pin in pyproject.toml.

    PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and later aborts
    the interpreter.
    """
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _call in range(2_000):
        probe.setObjectName("x")
    assert abs(sys.getrefcount(None) - before) < 100


def test_damage_found_after_the_window_opened_goes_back_to_sign_in(
    qtbot: QtBot,
    paths: AppPaths,
    runner: TaskRunner,
    org_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failed background page check closes the database and returns to sign-in.

    The whole-file check runs after the main window appears (P1); if it fails, one clear
    message is shown and the login dialog comes back.
    """
    from cope_desktop.db.database import damaged_error
    from cope_desktop.ui import flow as flow_module

    def damaged(db: object, user: object) -> None:
        raise damaged_error(org_db)

    shown: list[str] = []
    monkeypatch.setattr(flow_module, "finish_sign_in", damaged)
    monkeypatch.setattr(
        QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text) or 0
    )
    flow = start_and_sign_in(paths, Settings(), runner, org_db)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "damaged" in shown[0] and "Traceback" not in shown[0]
    assert isinstance(flow.window, LoginDialog)
    assert flow.signed_in is None
    qtbot.addWidget(flow.window)
