"""The families page: search as you type, filters, keyboard, opening a family."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cope_desktop import i18n
from cope_desktop.db.models import Family
from cope_desktop.services import search_terms
from cope_desktop.services.family_list import StatusFilter
from cope_desktop.ui.models import family_list as columns
from cope_desktop.ui.pages.families import FamiliesPage
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> FamiliesPage:
    with signed_in.db.session() as session:
        search_terms.rebuild_all(session)  # the sample records are written without them
    page = FamiliesPage(signed_in.db, runner)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activateWindow()
    settle(qtbot, page)
    qtbot.waitUntil(lambda: page.prison_filter.count() > 1, timeout=5000)
    return page


def settle(qtbot: QtBot, page: FamiliesPage) -> None:
    """Wait for the typing pause and for every row of the latest query."""
    qtbot.waitUntil(
        lambda: not page.search_timer.isActive() and page.model.has_answer and not page.model.busy,
        timeout=5000,
    )


def references(page: FamiliesPage) -> list[str]:
    model = page.model
    return [model.data(model.index(row, columns.REFERENCE)) for row in range(model.rowCount())]


def family_id(signed_in: SignedIn, reference: str) -> uuid.UUID:
    with signed_in.db.session() as session:
        found = session.scalar(select(Family.id).where(Family.reference == reference))
    assert found is not None
    return found


def test_the_list_shows_every_family_not_archived(page: FamiliesPage) -> None:
    assert references(page) == [f"F{n:03}" for n in range(1, 12)]
    assert page.count.text() == "11 families"
    assert page.table.isVisibleTo(page)
    assert page.table.isSortingEnabled()
    assert page.search.placeholderText() == "Search names and references"


def test_typing_in_the_search_narrows_the_table(qtbot: QtBot, page: FamiliesPage) -> None:
    qtbot.keyClicks(page.search, "F00")
    settle(qtbot, page)
    assert references(page) == [f"F00{n}" for n in range(1, 10)]
    qtbot.keyClicks(page.search, "3")
    settle(qtbot, page)
    assert references(page) == ["F003"]
    assert page.count.text() == "1 family"
    page.search.clear()
    settle(qtbot, page)
    assert len(references(page)) == 11


def test_children_names_are_searched_too(qtbot: QtBot, page: FamiliesPage) -> None:
    qtbot.keyClicks(page.search, "child 5")
    settle(qtbot, page)
    assert references(page) == ["F005"]


def test_enter_opens_the_selected_family(
    qtbot: QtBot, page: FamiliesPage, signed_in: SignedIn
) -> None:
    page.table.setFocus()
    page.table.selectRow(2)
    with qtbot.waitSignal(page.open_family, timeout=2000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [family_id(signed_in, "F003")]
    assert page.selected_family() == family_id(signed_in, "F003")


def test_double_click_opens_the_family(
    qtbot: QtBot, page: FamiliesPage, signed_in: SignedIn
) -> None:
    cell = page.table.visualRect(page.model.index(1, columns.REFERENCE)).center()
    with qtbot.waitSignal(page.open_family, timeout=2000) as opened:
        # a real double click starts with a press, which QTest's double click leaves out
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert opened.args == [family_id(signed_in, "F002")]


def test_enter_in_the_search_goes_to_the_first_match(
    qtbot: QtBot, page: FamiliesPage, signed_in: SignedIn
) -> None:
    page.search.setFocus()
    qtbot.keyClicks(page.search, "F01")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(qtbot, page)
    qtbot.waitUntil(page.table.hasFocus, timeout=2000)
    assert page.selected_family() == family_id(signed_in, "F010")
    with qtbot.waitSignal(page.open_family, timeout=2000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [family_id(signed_in, "F010")]


def test_shortcuts_find_and_new(qtbot: QtBot, page: FamiliesPage) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    with qtbot.waitSignal(page.new_family, timeout=2000):
        qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(page.new_family, timeout=2000):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)


def test_tab_goes_from_the_search_to_the_filters_then_the_table(page: FamiliesPage) -> None:
    chain: list[QWidget] = []
    widget: QWidget = page.search
    while len(chain) < 6:
        widget = widget.nextInFocusChain()
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(page):
            chain.append(widget)
    assert chain == [*page.filter_combos, page.table, page.new_button]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            StatusFilter.OPEN,
            ["F001", "F002", "F003", "F005", "F006", "F007", "F009", "F010", "F011"],
        ),
        (StatusFilter.CLOSED, ["F004", "F008"]),
        (StatusFilter.ARCHIVED, ["F012"]),
    ],
)
def test_status_filter(
    qtbot: QtBot, page: FamiliesPage, status: StatusFilter, expected: list[str]
) -> None:
    page.status_filter.setCurrentIndex(page.status_filter.findData(status))
    settle(qtbot, page)
    assert references(page) == expected


def test_families_without_data_consent_are_marked(qtbot: QtBot, page: FamiliesPage) -> None:
    status = page.model.index(0, columns.STATUS)
    assert page.model.data(status, Qt.ItemDataRole.ToolTipRole) == (
        "No current data processing consent."
    )
    page.status_filter.setCurrentIndex(page.status_filter.findData(StatusFilter.NO_CONSENT))
    settle(qtbot, page)
    assert len(references(page)) == 11  # the sample records no consent at all


def test_prison_and_country_filters(qtbot: QtBot, page: FamiliesPage) -> None:
    names = [page.prison_filter.itemText(n) for n in range(page.prison_filter.count())]
    assert names[0] == "All prisons"
    assert "Casa Circondariale di Bollate (IT)" in names
    page.prison_filter.setCurrentIndex(names.index("Casa Circondariale di Bollate (IT)"))
    settle(qtbot, page)
    assert references(page) == ["F003", "F006", "F009"]
    page.prison_filter.setCurrentIndex(0)
    countries = [page.country_filter.itemText(n) for n in range(page.country_filter.count())]
    assert countries == ["All countries", "France", "Italy"]
    page.country_filter.setCurrentIndex(1)
    settle(qtbot, page)
    assert references(page) == []


def test_no_match_shows_a_message_and_a_way_back(qtbot: QtBot, page: FamiliesPage) -> None:
    qtbot.keyClicks(page.search, "nobody")
    settle(qtbot, page)
    assert page.results.currentIndex() == 1
    assert page.message.text() == "No family matches the search and filters."
    assert page.clear_button.isVisibleTo(page)
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert page.search.text() == ""
    assert page.results.currentIndex() == 0
    assert len(references(page)) == 11


def test_refresh_shows_a_new_family_and_keeps_the_selection(
    qtbot: QtBot, page: FamiliesPage, signed_in: SignedIn
) -> None:
    page.table.selectRow(4)
    chosen = page.selected_family()
    with signed_in.db.session() as session:
        family = Family(reference="F000", opened_on=dt.date(2025, 1, 1))
        session.add(family)
        session.flush()
        search_terms.refresh(session, [family.id])
    page.refresh()
    qtbot.waitUntil(lambda: len(references(page)) == 12, timeout=5000)
    settle(qtbot, page)
    assert references(page)[0] == "F000"
    assert page.selected_family() == chosen
    assert page.table.currentIndex().row() == 5


def test_sorting_by_a_column(qtbot: QtBot, page: FamiliesPage) -> None:
    page.table.sortByColumn(columns.REFERENCE, Qt.SortOrder.DescendingOrder)
    settle(qtbot, page)
    assert references(page)[:2] == ["F011", "F010"]


def test_the_language_switch_retranslates_the_page(
    qtbot: QtBot, page: FamiliesPage, pseudo_language: str
) -> None:
    i18n.set_language(pseudo_language)
    assert page.heading.text().startswith("[Families")
    assert page.search.placeholderText().startswith("[Search names")
    assert page.status_filter.itemText(0).startswith("[Open and closed")
    assert page.count.text().startswith("[{count} families".replace("{count}", "11"))
    assert page.model.headerData(0, Qt.Orientation.Horizontal).startswith("[Reference")
