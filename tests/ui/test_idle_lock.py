"""The automatic lock: every window covered after the idle time, unsaved input kept."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui_support import PASSWORD, stretch

from cope_desktop import i18n
from cope_desktop.db.enums import Role
from cope_desktop.db.models import AuditEvent
from cope_desktop.paths import AppPaths
from cope_desktop.services import app_settings
from cope_desktop.settings import Settings
from cope_desktop.ui.idle_lock import SMALLEST_COVER, IdleLock, LockPanel
from cope_desktop.ui.main_window import SETTINGS, MainWindow
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

UNSAVED = "Met the grandmother; she asks about visits"


@pytest.fixture
def window(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, settings: Settings, runner: TaskRunner
) -> Iterator[MainWindow]:
    window = MainWindow(signed_in, paths, settings, runner)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    # the stored lock time is read in the background at start: let it arrive first
    qtbot.waitUntil(lambda: runner.active == 0)
    yield window
    window.idle_lock.stop()


def make_dialog(parent: QWidget) -> tuple[QDialog, QLineEdit]:
    """A dialog whose title names a family, with a note typed and not saved yet."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Family F-2024-007 – COPE Desktop")
    note = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(note)
    dialog.resize(520, 360)
    return dialog, note


def run_inside_exec(dialog: QDialog, steps: Callable[[], None]) -> None:
    """Run ``steps`` while ``dialog.exec()`` runs (a modal dialog), then close the dialog."""
    failures: list[BaseException] = []

    def inside() -> None:
        try:
            steps()
        except BaseException as error:
            failures.append(error)
        finally:
            dialog.done(QDialog.DialogCode.Rejected)

    QTimer.singleShot(0, inside)
    dialog.exec()
    if failures:
        raise failures[0]


def covers(lock: IdleLock, window: QWidget) -> LockPanel:
    panel = lock.panel_of(window)
    assert panel is not None, window.windowTitle()
    assert panel.isVisible()
    assert panel.geometry() == QRect(0, 0, window.width(), window.height())
    return panel


def unlock_with(qtbot: QtBot, lock: IdleLock, panel: LockPanel, password: str) -> None:
    panel.password.setText(password)
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert lock.checking
    qtbot.waitUntil(lambda: not lock.checking, timeout=20_000)


def audit_actions(signed_in: SignedIn) -> list[str]:
    with signed_in.db.session() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))


def test_after_the_idle_time_every_window_is_covered_and_typed_text_survives(
    qtbot: QtBot, window: MainWindow, signed_in: SignedIn
) -> None:
    lock = window.idle_lock
    assert lock.interval_ms == 10 * 60_000  # the organisation's default
    dialog, note = make_dialog(window)

    def steps() -> None:
        qtbot.waitExposed(dialog)
        note.setFocus()
        qtbot.keyClicks(note, UNSAVED)
        lock.set_interval_ms(1)
        qtbot.waitUntil(lambda: lock.locked)
        assert not lock.timer.isActive()
        lock.set_interval_ms(10 * 60_000)  # so that it does not lock again at once
        covers(lock, window)
        panel = covers(lock, dialog)
        assert dialog.isVisible() and note.text() == UNSAVED
        assert panel.explanation.text() == "Signed in as admin. Type your password to go on."
        assert panel.heading.text() == "COPE Desktop is locked"
        assert dialog.windowTitle() == window.windowTitle() == "COPE Desktop (locked)"
        # Keys go to the lock screen, never to the note underneath; Escape does not close
        qtbot.keyClicks(panel.password, "x")
        qtbot.keyClick(panel.password, Qt.Key.Key_Escape)
        assert note.text() == UNSAVED and dialog.isVisible()

        unlock_with(qtbot, lock, panel, "not the password")
        assert lock.locked
        assert panel.message.isVisible()
        assert panel.message.text() == "The password is not correct."
        assert panel.password.text() == ""

        unlock_with(qtbot, lock, panel, PASSWORD)
        assert not lock.locked
        assert lock.panels() == []
        assert dialog.isVisible() and note.text() == UNSAVED
        assert dialog.windowTitle() == "Family F-2024-007 – COPE Desktop"
        assert "Test Org" in window.windowTitle()
        assert dialog.focusWidget() is note  # the caret is back where it was

    run_inside_exec(dialog, steps)
    qtbot.waitUntil(lambda: audit_actions(signed_in)[-3:] == ["lock", "unlock_failed", "unlock"])


def test_ctrl_l_locks_and_shortcuts_do_nothing_while_locked(
    qtbot: QtBot, window: MainWindow
) -> None:
    lock = window.idle_lock
    assert window.lock_action in window.file_menu.actions()
    qtbot.keyClick(window.navigation, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert lock.locked
    panel = covers(lock, window)
    qtbot.keyClick(panel.password, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.password, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible()
    assert window.current_page() != 4
    assert lock.locked


def test_a_window_opened_while_locked_is_covered_too(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.idle_lock
    lock.lock_now()
    dialog, _note = make_dialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    covers(lock, dialog)
    assert dialog.windowTitle() == "COPE Desktop (locked)"
    dialog.setWindowTitle("Family F-2024-008 – COPE Desktop")  # its own update, while locked
    assert dialog.windowTitle() == "COPE Desktop (locked)"
    dialog.resize(700, 500)
    qtbot.waitUntil(lambda: dialog.width() == 700)
    covers(lock, dialog)
    dialog.close()


def test_input_starts_the_idle_time_again(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.idle_lock
    now = [0.0]
    lock.clock = lambda: now[0]
    lock.note_input()
    now[0] = 9 * 60.0
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)  # someone works at minute 9
    now[0] = 10 * 60.0
    lock.check_idle()  # what the timer does at minute 10
    assert not lock.locked
    assert lock.timer.isActive()
    assert lock.timer.interval() == 9 * 60_000  # the rest of the idle time from minute 9
    now[0] = 19 * 60.0
    lock.check_idle()
    assert lock.locked


def test_a_new_lock_time_applies_at_once(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.idle_lock
    now = [0.0]
    lock.clock = lambda: now[0]
    lock.note_input()
    now[0] = 3 * 60.0
    lock.set_minutes(2)
    assert lock.interval_ms == 2 * 60_000
    assert lock.timer.remainingTime() == 0
    qtbot.waitUntil(lambda: lock.locked)


def test_an_administrator_changes_the_lock_time(
    qtbot: QtBot, window: MainWindow, signed_in: SignedIn, runner: TaskRunner
) -> None:
    window.show_page(SETTINGS)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.lock_minutes.isEnabled())
    assert page.lock_minutes.value() == 10
    assert not page.lock_minutes.isReadOnly()
    assert page.lock_save.isVisible() and not page.lock_save.isEnabled()
    assert not page.lock_admin_only.isVisible()
    page.lock_minutes.setValue(25)
    assert page.lock_save.isEnabled()
    qtbot.mouseClick(page.lock_save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.lock_message.isVisible())
    assert page.lock_message.text() == "Saved. COPE Desktop now locks after 25 minutes without use."
    assert window.idle_lock.interval_ms == 25 * 60_000
    with signed_in.db.session() as session:
        assert app_settings.read_settings(session).lock_minutes == 25
    assert audit_actions(signed_in)[-1] == "settings_change"


def test_a_caseworker_sees_the_lock_time_and_cannot_change_it(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, settings: Settings, runner: TaskRunner
) -> None:
    user = dataclasses.replace(signed_in.user, username="carla", role=Role.CASEWORKER)
    caseworker = dataclasses.replace(signed_in, user=user)
    window = MainWindow(caseworker, paths, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.show_page(SETTINGS)
    page = window.settings_page
    qtbot.waitUntil(lambda: page.lock_minutes.isEnabled())
    assert page.lock_minutes.value() == 10
    assert page.lock_minutes.isReadOnly()
    assert not page.lock_save.isVisible()
    assert page.lock_admin_only.isVisible()
    assert "administrator" in page.lock_admin_only.text()
    window.idle_lock.stop()


def test_the_lock_screen_follows_the_language_and_titles_stay_neutral(
    qtbot: QtBot, window: MainWindow, pseudo_language: str
) -> None:
    lock = window.idle_lock
    lock.lock_now()
    panel = covers(lock, window)
    i18n.set_language(pseudo_language)  # the main window sets its own title again meanwhile
    assert panel.heading.text() == stretch("COPE Desktop is locked")
    assert window.windowTitle() == stretch("COPE Desktop (locked)")
    unlock_with(qtbot, lock, panel, PASSWORD)
    assert not lock.locked
    assert window.windowTitle() == stretch("{organisation} – COPE Desktop").format(
        organisation="Test Org"
    )


def test_a_small_message_box_is_enlarged_while_locked_and_given_back_its_size(
    qtbot: QtBot, window: MainWindow
) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard?",
        "Discard the changes to family F-2024-007?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.show()
    qtbot.waitExposed(box)
    size = box.size()
    assert size.width() < SMALLEST_COVER.width() or size.height() < SMALLEST_COVER.height()
    lock = window.idle_lock
    lock.lock_now()
    qtbot.waitUntil(lambda: box.size() == size.expandedTo(SMALLEST_COVER))
    panel = covers(lock, box)
    field = panel.password
    assert field.isVisible()
    assert panel.rect().contains(QRect(field.mapTo(panel, QPoint(0, 0)), field.size()))
    lock.stop()  # as when the main window closes: the panels go, the box is as it was
    assert lock.panel_of(box) is None
    qtbot.waitUntil(lambda: box.size() == size)
    assert box.windowTitle() == "Discard?"
    box.close()


def test_the_lock_ends_with_the_main_window(qtbot: QtBot, window: MainWindow) -> None:
    lock = window.idle_lock
    assert lock.timer.isActive()
    window.hide()  # what the start-up flow does when it goes back to the sign-in dialog
    assert not lock.timer.isActive()
    lock.lock_now()
    assert not lock.locked
