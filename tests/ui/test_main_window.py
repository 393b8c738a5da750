"""The main window: status bar, navigation, pages with real figures, live language switch."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_support import stretch

from cope_desktop import __version__, i18n
from cope_desktop.paths import AppPaths
from cope_desktop.settings import Settings
from cope_desktop.ui.about import AboutDialog
from cope_desktop.ui.main_window import (
    ACTIVITIES,
    FAMILIES,
    HOME,
    PRISONS,
    REPORTS,
    SETTINGS,
    MainWindow,
)
from cope_desktop.ui.models import activity_list as activity_columns
from cope_desktop.ui.pages.activities import ActivitiesPage
from cope_desktop.ui.pages.base import SummaryPage
from cope_desktop.ui.pages.families import FamiliesPage
from cope_desktop.ui.pages.home import HomePage
from cope_desktop.ui.pages.reports import ReportsPage
from cope_desktop.ui.pages.settings_page import SettingsPage
from cope_desktop.ui.record.family_window import family_windows
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


@pytest.fixture
def window(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, settings: Settings, runner: TaskRunner
) -> MainWindow:
    window = MainWindow(signed_in, paths, settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def page(window: MainWindow, number: int) -> SummaryPage:
    widget = window.pages.widget(number)
    assert isinstance(widget, SummaryPage)
    return widget


def test_the_status_bar_says_who_where_and_which_file(
    window: MainWindow, signed_in: SignedIn
) -> None:
    assert window.organisation_status.text() == "Test Org · Italy"
    assert window.user_status.text() == "Signed in as admin (Administrator)"
    assert window.database_status.text() == "Database: org.db"
    assert window.database_status.toolTip() == str(signed_in.db.path)
    assert "Test Org" in window.windowTitle()


def test_the_navigation_switches_pages(qtbot: QtBot, window: MainWindow) -> None:
    assert window.current_page() == HOME
    assert isinstance(window.pages.widget(HOME), HomePage)
    window.navigation.setCurrentRow(PRISONS)
    assert window.current_page() == PRISONS
    titles = [window.navigation.item(n).text() for n in range(window.navigation.count())]
    assert titles == [
        "Home",
        "Families",
        "Activities",
        "Prisons",
        "Reports",
        "Field laptops",
        "Privacy & safety",
        "Settings",
    ]


def test_ctrl_3_shows_the_activities(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window.navigation, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == ACTIVITIES
    assert window.navigation.currentRow() == ACTIVITIES


def test_every_page_action_has_its_shortcut(window: MainWindow) -> None:
    shortcuts = [action.shortcut().toString() for action in window.page_actions]
    assert shortcuts == [f"Ctrl+{n}" for n in range(1, 9)]
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def families_page(window: MainWindow) -> FamiliesPage:
    widget = window.pages.widget(FAMILIES)
    assert isinstance(widget, FamiliesPage)
    return widget


def test_the_families_page_lists_the_families_in_the_background(
    qtbot: QtBot, window: MainWindow
) -> None:
    families = families_page(window)
    qtbot.wait(100)
    assert not families.model.started  # Home is shown first; the list waits until wanted
    window.show_page(FAMILIES)
    qtbot.waitUntil(lambda: families.model.has_answer, timeout=5000)
    assert families.model.rowCount() == 11  # the archived family is not listed


def test_other_pages_read_only_when_first_shown(qtbot: QtBot, window: MainWindow) -> None:
    prisons = page(window, PRISONS)
    qtbot.wait(100)
    assert prisons.figures is None
    assert not isinstance(window.pages.widget(REPORTS), ReportsPage)  # built when first shown
    window.show_page(PRISONS)
    qtbot.waitUntil(lambda: prisons.figures is not None, timeout=5000)
    window.show_page(REPORTS)
    reports = window.pages.widget(REPORTS)
    assert isinstance(reports, ReportsPage)
    qtbot.waitUntil(lambda: reports.year.count() >= 3, timeout=5000)


def test_the_prisons_page_shows_a_sortable_table(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(PRISONS)
    prisons = page(window, PRISONS)
    qtbot.waitUntil(lambda: prisons.figures is not None, timeout=5000)
    table = prisons.table  # type: ignore[attr-defined]
    assert table.model().rowCount() == 5
    assert table.isSortingEnabled()


def test_the_activities_page_names_the_types(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page(ACTIVITIES)
    activities = window.pages.widget(ACTIVITIES)
    assert isinstance(activities, ActivitiesPage)
    qtbot.waitUntil(lambda: activities.model.has_answer, timeout=5000)
    model = activities.model
    names = {model.data(model.index(row, activity_columns.TYPE)) for row in range(model.rowCount())}
    assert "Accompanied prison visit" in names and "Game with Mum & Dad" in names
    assert activities.count.text() == "20 activities"


def test_the_language_switch_retranslates_the_window(
    qtbot: QtBot, pseudo_language: str, window: MainWindow, paths: AppPaths
) -> None:
    window.show_page(SETTINGS)
    settings_page = window.pages.widget(SETTINGS)
    assert isinstance(settings_page, SettingsPage)
    families = families_page(window)
    window.show_page(FAMILIES)
    qtbot.waitUntil(lambda: families.model.has_answer, timeout=5000)
    window.show_page(SETTINGS)
    settings_page.language.setCurrentIndex(settings_page.language.findData(pseudo_language))
    assert i18n.current_language() == pseudo_language
    assert window.navigation.item(FAMILIES).text() == stretch("Families")
    assert window.file_menu.title() == stretch("&File")
    assert settings_page.heading.text() == stretch("Settings")
    assert families.heading.text() == stretch("Families")
    home = window.pages.widget(HOME)
    assert isinstance(home, HomePage)
    assert home.heading.text() == stretch("This year at a glance")
    assert window.organisation_status.text().startswith("[Test Org")
    assert "Italie" in window.organisation_status.text()
    saved = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    assert saved["language"] == pseudo_language


def test_the_window_geometry_is_saved_and_restored(
    qtbot: QtBot,
    signed_in: SignedIn,
    paths: AppPaths,
    settings: Settings,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = MainWindow(signed_in, paths, settings, runner)
    qtbot.addWidget(first)
    first.show()
    first.resize(1100, 700)
    first.close()
    assert settings.window_geometry
    saved = Settings.load(paths.settings_file)
    assert saved.window_geometry == settings.window_geometry
    assert QByteArray.fromBase64(saved.window_geometry.encode()).size() > 0
    restored: list[bytes] = []

    def restore(self: MainWindow, geometry: QByteArray) -> bool:
        restored.append(geometry.data())
        return True

    # The offscreen screen is smaller than the window, so check what is handed to Qt.
    monkeypatch.setattr(MainWindow, "restoreGeometry", restore)
    second = MainWindow(signed_in, paths, saved, runner)
    qtbot.addWidget(second)
    assert restored == [first.saveGeometry().data()]


def test_the_window_fits_a_small_screen(window: MainWindow) -> None:
    assert window.minimumSize().width() <= 1024
    assert window.minimumSize().height() <= 640
    window.resize(1024, 640)
    assert window.width() == 1024


def test_about_shows_versions_and_folders(
    qtbot: QtBot, window: MainWindow, paths: AppPaths
) -> None:
    window.about_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None, timeout=5000)
    about = window.findChild(AboutDialog)
    assert about is not None
    texts = [value.text() for _caption, value in about._version_rows]
    assert texts[0] == __version__
    assert texts[-1] and texts[-1] != "?"
    folders = [value.text() for _caption, value in about._folder_rows]
    assert str(paths.backup_dir) in folders and str(paths.log_dir) in folders
    assert "Children of Prisoners Europe" in about.made_for.text()


def test_open_folder_buttons_ask_the_desktop(
    qtbot: QtBot, window: MainWindow, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cope_desktop.ui import desktop

    opened: list[str] = []
    monkeypatch.setattr(
        desktop.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    settings_page = window.pages.widget(SETTINGS)
    assert isinstance(settings_page, SettingsPage)
    for _caption, _shown, button, _folder in settings_page._files:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert str(paths.backup_dir) in opened and str(paths.log_dir) in opened


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closed):
        window.quit_action.trigger()
    assert not window.isVisible()
    assert QApplication.instance() is not None


def test_enter_on_a_family_opens_its_record_window_once(qtbot: QtBot, window: MainWindow) -> None:
    families = families_page(window)
    window.show_page(FAMILIES)
    qtbot.waitUntil(lambda: families.model.has_answer, timeout=5000)
    families.table.setFocus()
    families.table.selectRow(0)
    wanted = families.model.family_id(0)
    qtbot.keyClick(families.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(family_windows()) == 1, timeout=5000)
    record = family_windows()[0]
    assert record.family_id == wanted
    qtbot.waitUntil(lambda: record.tabs.isEnabled(), timeout=5000)
    qtbot.keyClick(families.table, Qt.Key.Key_Return)
    assert family_windows() == [record]
    window.close()
    assert family_windows() == []
