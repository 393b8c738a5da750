"""The Settings page: the organisation's settings it shows are read again each time it is shown."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from cope_desktop.paths import AppPaths
from cope_desktop.services import app_settings
from cope_desktop.settings import Settings
from cope_desktop.ui.pages.settings_page import BACKUP_ROW, SettingsPage
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


def change_settings(signed_in: SignedIn, **changes: object) -> None:
    with signed_in.db.session() as session:
        current = app_settings.read_settings(session)
        new = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
        app_settings.save_settings(session, signed_in.user, new)


def shown_again(qtbot: QtBot, page: SettingsPage, runner: TaskRunner) -> None:
    page.hide()
    page.show()
    qtbot.waitUntil(lambda: runner.active == 0)


def test_the_backup_folder_shown_is_the_one_the_organisation_chose(
    qtbot: QtBot,
    signed_in: SignedIn,
    paths: AppPaths,
    settings: Settings,
    runner: TaskRunner,
    tmp_path: Path,
) -> None:
    page = SettingsPage(signed_in, runner, paths, settings)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.lock_minutes.isEnabled())
    _caption, shown, _button, folder = page._files[BACKUP_ROW]
    assert (folder, shown.path()) == (paths.backup_dir, str(paths.backup_dir))

    usb = tmp_path / "usb stick"
    change_settings(signed_in, backup_folder=str(usb))  # on the Backups tab, meanwhile
    shown_again(qtbot, page, runner)
    _caption, shown, _button, folder = page._files[BACKUP_ROW]
    assert (folder, shown.path()) == (usb, str(usb))


def test_a_lock_time_typed_and_not_saved_stays_when_the_page_is_shown_again(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, settings: Settings, runner: TaskRunner
) -> None:
    page = SettingsPage(signed_in, runner, paths, settings)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.lock_minutes.isEnabled())
    page.lock_minutes.setValue(30)
    shown_again(qtbot, page, runner)
    assert page.lock_minutes.value() == 30
    assert page.lock_save.isEnabled()

    page.lock_minutes.setValue(10)  # back to the stored time: a change elsewhere shows
    change_settings(signed_in, lock_minutes=20)
    shown_again(qtbot, page, runner)
    assert page.lock_minutes.value() == 20
    assert not page.lock_save.isEnabled()
