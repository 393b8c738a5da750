"""The Backups tab, the scheduler and restoring from the sign-in window (R10, R12)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services import backups
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.app_settings import BackupSchedule, read_settings, save_settings
from cope_desktop.ui import backup_restore
from cope_desktop.ui.backup_scheduler import BackupScheduler
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.privacy import backups_tab
from cope_desktop.ui.privacy.backups_tab import Tab
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


@pytest.fixture
def tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Iterator[Tab]:
    parent = QWidget()  # held here for the whole test
    qtbot.addWidget(parent)
    tab = Tab(signed_in, runner, paths, parent)
    parent.resize(1024, 640)
    parent.show()
    qtbot.waitUntil(lambda: tab.folder.path() != "", timeout=5000)
    yield tab
    parent.close()


def wait_idle(qtbot: QtBot, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.active == 0, timeout=20_000)


def test_back_up_now_makes_a_verified_backup_listed_in_the_tab(
    qtbot: QtBot, tab: Tab, runner: TaskRunner, paths: AppPaths, signed_in: SignedIn
) -> None:
    assert tab.table.rowCount() == 0 and not tab.empty.isHidden()

    tab.back_up_now.click()
    wait_idle(qtbot, runner)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)

    [made] = paths.backup_dir.glob("org-*-manual.db")
    assert backups.verify_backup(made, signed_in.db.data_key) == []
    assert tab.table.item(0, 1).text() == "On request"
    assert tab.table.item(0, 3).text().startswith("Verified ")
    assert tab.table.item(0, 0).toolTip() == str(made)
    assert "Backed up and verified" in tab.message.text()


def test_verify_says_a_damaged_backup_cannot_be_used(
    qtbot: QtBot, tab: Tab, runner: TaskRunner, signed_in: SignedIn, paths: AppPaths
) -> None:
    info = run_to_end(backups.make_backup(signed_in.db, signed_in.user, paths.backup_dir))
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    info.path.write_bytes(bytes(data))
    tab.reload()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)

    tab.table.selectRow(0)
    tab.verify_button.click()
    wait_idle(qtbot, runner)

    assert tab.table.item(0, 3).text() == (
        "A page of the backup does not decrypt: the file is damaged."
    )
    assert tab.message.text().startswith(f"The backup {info.path.name} cannot be used")


def test_the_settings_are_saved(
    qtbot: QtBot, tab: Tab, runner: TaskRunner, signed_in: SignedIn, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    tab._chosen_folder = str(usb)
    tab.schedule.setCurrentIndex(tab.schedule.findData(BackupSchedule.WEEKLY))
    tab.keep_daily.setValue(3)
    tab.save_button.click()
    wait_idle(qtbot, runner)

    with signed_in.db.session() as session:
        settings = read_settings(session)
    assert settings.backup_folder == str(usb)
    assert settings.backup_schedule is BackupSchedule.WEEKLY
    assert (settings.keep_daily, settings.keep_weekly, settings.keep_monthly) == (3, 4, 12)
    assert tab.folder_path() == usb


def test_the_first_list_is_of_the_chosen_folder(
    qtbot: QtBot, runner: TaskRunner, signed_in: SignedIn, paths: AppPaths, tmp_path: Path
) -> None:
    """Shown before its settings are read, the tab must not list the usual folder instead."""
    usb = tmp_path / "usb"
    usb.mkdir()
    with signed_in.db.session() as session:
        settings = dataclasses.replace(read_settings(session), backup_folder=str(usb))
        save_settings(session, signed_in.user, settings)
    run_to_end(backups.make_backup(signed_in.db, signed_in.user, usb))
    parent = QWidget()
    qtbot.addWidget(parent)
    tab = Tab(signed_in, runner, paths, parent)
    parent.show()  # the tab's showEvent comes before its settings are read
    wait_idle(qtbot, runner)

    assert tab.folder_path() == usb
    assert tab.table.rowCount() == 1 and tab.table.item(0, 0).toolTip().startswith(str(usb))
    parent.close()


def test_the_password_dialog_wraps_a_long_backup_name(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    widths: list[int] = []

    def look_and_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        widths.append(dialog.width())
        dialog.close()

    QTimer.singleShot(200, look_and_cancel)
    name = "cope-desktop-20261125T001331Z-before-migration-0004-20261125T001331Z.db"
    assert backup_restore.ask_password(parent, "admin", name) is None

    assert widths and widths[0] < 2 * backup_restore.PASSWORD_DIALOG_WIDTH


@pytest.fixture
def handed_over() -> Iterator[list[backups.PreparedRestore]]:
    received: list[backups.PreparedRestore] = []
    backup_restore.set_restore_handler(received.append)
    yield received
    backup_restore.set_restore_handler(None)


def test_restore_verifies_a_copy_then_hands_it_over(
    qtbot: QtBot,
    tab: Tab,
    runner: TaskRunner,
    signed_in: SignedIn,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
    handed_over: list[backups.PreparedRestore],
) -> None:
    run_to_end(backups.make_backup(signed_in.db, signed_in.user, paths.backup_dir))
    tab.reload()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10_000)
    monkeypatch.setattr(backups_tab, "ask_password", lambda *args: PASSWORD)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)

    tab.table.selectRow(0)
    tab.restore_button.click()
    wait_idle(qtbot, runner)

    [prepared] = handed_over
    assert prepared.db_path == signed_in.db.path
    assert prepared.temp_db.exists() and prepared.temp_db.parent == signed_in.db.path.parent
    backups.discard_restore(prepared)


def test_the_scheduler_makes_the_backup_when_due(
    qtbot: QtBot,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[bool] = []  # whether each job went to the write queue
    run = runner.run
    monkeypatch.setattr(
        runner, "run", lambda *a, **kw: queued.append(kw.get("writes", False)) or run(*a, **kw)
    )
    scheduler = BackupScheduler(signed_in, runner, paths)
    scheduler.check_now()
    wait_idle(qtbot, runner)
    assert scheduler.last_made is not None and scheduler.last_failure is None
    assert scheduler.last_made.path.parent == paths.backup_dir
    assert scheduler.last_made.kind == "scheduled"
    assert queued == [False, True]  # found due while reading; only the backup waits to write
    scheduler.last_made = None
    scheduler.check_now()  # the same day: not due again
    wait_idle(qtbot, runner)
    assert scheduler.last_made is None
    assert queued == [False, True, False]  # nothing waited in the write queue
    assert len(list(paths.backup_dir.glob("*.manifest.json"))) == 1


def test_a_stopped_scheduler_makes_no_backup(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    scheduler = BackupScheduler(signed_in, runner, paths)
    scheduler.check_now()
    scheduler.stop()  # the session ends while the check is reading the folder
    wait_idle(qtbot, runner)

    assert scheduler.last_made is None
    assert list(paths.backup_dir.glob("*.manifest.json")) == []


def test_the_scheduler_says_a_failure_once(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, tmp_path: Path
) -> None:
    with signed_in.db.session() as session:
        settings = dataclasses.replace(
            read_settings(session), backup_folder=str(tmp_path / "unplugged")
        )
        save_settings(session, signed_in.user, settings)
    window = QMainWindow()
    qtbot.addWidget(window)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: text and shown.append(text))
    scheduler = BackupScheduler(signed_in, runner, paths, window)

    for _check in range(2):
        scheduler.check_now()
        wait_idle(qtbot, runner)
        window.statusBar().clearMessage()  # as if its time had run out

    assert scheduler.last_made is None and scheduler.last_failure is not None
    assert "unplugged" in scheduler.last_failure
    assert shown == [f"The scheduled backup was not made: {scheduler.last_failure}"]


def test_a_damaged_database_is_restored_from_the_sign_in_window(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    sample_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, user = sign_in(sample_db, "admin", PASSWORD, paths.backup_dir)
    try:
        info = run_to_end(backups.make_backup(db, user, paths.backup_dir))
    finally:
        db.close()
    data = bytearray(sample_db.read_bytes())
    data[5000] ^= 0xFF  # a page read at sign-in
    sample_db.write_bytes(bytes(data))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr("cope_desktop.ui.login.choose_backup", lambda *args: info.path)
    dialog = LoginDialog(paths, runner, sample_db, "admin")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setText(PASSWORD)
    dialog.sign_in()
    qtbot.waitUntil(lambda: not dialog.busy_signing_in, timeout=10_000)
    assert "damaged" in shown[0] and "Restore from a backup" in shown[0]
    assert dialog.restore_link.isVisibleTo(dialog)

    with qtbot.waitSignal(dialog.signed_in, timeout=30_000) as signal:
        dialog.restore_link.click()
    signed: SignedIn = signal.args[0]
    signed.db.close()
    assert len(shown) == 1
    assert list(paths.backup_dir.glob("org-before-restore-*.db"))


def test_a_restore_from_the_tab_returns_to_sign_in(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    sample_db: Path,
) -> None:
    from cope_desktop.settings import Settings
    from cope_desktop.ui.flow import StartupFlow
    from cope_desktop.ui.session import open_signed_in

    flow = StartupFlow(paths, Settings(), runner, sample_db)
    signed = open_signed_in(sample_db, "admin", PASSWORD, paths.backup_dir)
    info = run_to_end(backups.make_backup(signed.db, signed.user, paths.backup_dir))
    flow._open_main(signed)
    # the flow deletes the main window itself when it goes back to sign-in
    prepared = run_to_end(backups.prepare_restore(info.path, sample_db, "admin", PASSWORD))
    try:
        backup_restore.restore_handler()(prepared)  # type: ignore[misc]
        login = flow.window
        assert isinstance(login, LoginDialog) and flow.signed_in is None
        qtbot.addWidget(login)
        wait_idle(qtbot, runner)
        assert login.message.text().startswith("The backup of ")
        assert login.message.text().endswith("has been restored. Sign in again to continue.")
        assert list(paths.backup_dir.glob("org-before-restore-*.db"))
        assert not prepared.temp_db.exists()
    finally:
        flow.close()
