"""The home page: this year's key figures and charts, read in the background.

With today fixed at 31 December 2023, the sample database (sample_data.py) has 7 families
supported in 2023 (4 new), 11 children, 7 activities and 35 child attendances (3 named
children and a head count of 2 at each activity).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop.db.enums import Role
from cope_desktop.paths import AppPaths
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.settings import Settings
from cope_desktop.ui.main_window import HOME, REPORTS, MainWindow
from cope_desktop.ui.pages.home import HomePage
from cope_desktop.ui.session import SignedIn, open_signed_in
from cope_desktop.ui.tasks import TaskRunner

TODAY = dt.date(2023, 12, 31)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


def shown_page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> HomePage:
    page = HomePage(signed_in, runner)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def test_the_home_page_shows_this_years_figures(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = shown_page(qtbot, signed_in, runner)
    cards = [(card.value.text(), card.caption.text()) for card in page.cards.cards]
    assert cards == [
        ("7", "Families supported"),
        ("4", "New families"),
        ("11", "Children supported"),
        ("7", "Activities held"),
        ("35", "Child attendances"),
    ]
    assert page.heading.text() == "This year at a glance"
    assert "2023" in page.intro.text()
    assert page.charts_area.isVisible() and not page.empty.isVisible()


def test_the_charts_show_the_dashboard(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = shown_page(qtbot, signed_in, runner)
    dashboard = page.dashboard
    assert dashboard is not None
    months = page.months.data
    assert len(months.categories) == 12 and months.categories[0] == "Jan"
    assert sum(months.series[0].values) == 7
    types = page.activity_types.data
    assert sum(types.series[0].values) == 7
    assert list(types.series[0].values) == sorted(types.series[0].values, reverse=True)
    children = page.children_by_age.data
    assert sum(sum(series.values) for series in children.series) == 11
    assert [series.name for series in children.series][:2] == ["Female", "Male"]
    assert page.feedback.data.categories == ("Happy", "So-so", "Unhappy")
    for chart in (page.children_by_age, page.activity_types, page.months):
        assert chart.accessibleName()
        assert not chart.grab().isNull()
    first_type = types.categories[0]
    assert f"{first_type}: {int(types.series[0].values[0])}" in (
        page.activity_types.accessibleDescription()
    )


def test_an_empty_database_gets_a_calm_message(
    qtbot: QtBot, org_db: object, paths: AppPaths, runner: TaskRunner
) -> None:
    signed_in = open_signed_in(org_db, "admin", PASSWORD, paths.backup_dir)  # type: ignore[arg-type]
    try:
        page = shown_page(qtbot, signed_in, runner)
        assert page.empty.isVisible() and not page.charts_area.isVisible()
        assert page.empty.text().startswith("Nothing is recorded for 2023 yet.")
    finally:
        signed_in.db.close()


def test_refresh_reads_the_figures_again(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = shown_page(qtbot, signed_in, runner)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh_button.click()
    assert page.cards.cards[0].value.text() == "7"


def test_only_those_who_may_export_get_the_shortcut_to_the_return(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    page = shown_page(qtbot, signed_in, runner)
    assert page.prepare_button.isVisible()
    with qtbot.waitSignal(page.prepare_return) as asked:
        page.prepare_button.click()
    assert asked.args == [2023]
    user = signed_in.user
    caseworker = CurrentUser(user.id, "carla", "Carla Rossi", Role.CASEWORKER)
    other = shown_page(qtbot, dataclasses.replace(signed_in, user=caseworker), runner)
    assert not other.prepare_button.isVisible()


def test_the_main_window_opens_on_home_and_its_shortcut_prepares_the_return(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, settings: Settings, runner: TaskRunner
) -> None:
    window = MainWindow(signed_in, paths, settings, runner)
    qtbot.addWidget(window)
    window.show()
    assert window.current_page() == HOME
    assert window.navigation.item(HOME).text() == "Home"
    qtbot.waitUntil(lambda: window.home_page.dashboard is not None, timeout=10_000)
    assert not window.families_page.model.started  # the list is read when first shown
    with qtbot.waitSignal(window.reports_page.prepared_shown, timeout=30_000):
        window.home_page.prepare_button.click()
    assert window.current_page() == REPORTS
    prepared = window.reports_page.prepared
    assert prepared is not None and prepared.period.start == dt.date(2023, 1, 1)
    assert prepared.period.end == dt.date(2023, 12, 31)
