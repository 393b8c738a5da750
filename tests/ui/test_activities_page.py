"""The activities page: list, filters, calendar, and the windows it opens."""

from __future__ import annotations

import datetime as dt
import sys
import types
import uuid
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from cope_desktop import i18n
from cope_desktop.db.base import utcnow
from cope_desktop.db.enums import ActivityType
from cope_desktop.db.models import Activity
from cope_desktop.services import validation
from cope_desktop.ui.activity.campaign import CampaignDialog
from cope_desktop.ui.activity.list_filters import Period
from cope_desktop.ui.models import activity_list as columns
from cope_desktop.ui.pages.activities import ActivitiesPage
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

TODAY = dt.date(2026, 11, 24)
FEBRUARY_2023 = (2023, 2)
"""The sample's A001 (Game with Mum & Dad) on the 2nd and A013 on the 14th."""


class FakeWindow(QObject):
    """Stands for the editor, the series dialog or quick attendance: records how it opened."""

    saved = Signal(object)
    attendance_changed = Signal(object)
    closed = Signal(object)
    finished = Signal(int)
    opened: ClassVar[list[FakeWindow]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.args, self.kwargs = args, kwargs
        FakeWindow.opened.append(self)

    def open(self) -> None:
        pass


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[FakeWindow]:
    """The editor, series and quick attendance modules replaced by fakes."""
    FakeWindow.opened = []
    fakes = {
        "cope_desktop.ui.activity.editor": {"ActivityEditor": FakeWindow},
        "cope_desktop.ui.activity.series_dialog": {"SeriesDialog": FakeWindow},
        "cope_desktop.ui.activity.quick_attendance": {"open_quick_attendance": FakeWindow},
    }
    for name, members in fakes.items():
        module = types.ModuleType(name)
        for member, value in members.items():
            setattr(module, member, value)
        monkeypatch.setitem(sys.modules, name, module)
    return FakeWindow.opened


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


@pytest.fixture
def page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> ActivitiesPage:
    page = ActivitiesPage(signed_in.db, runner, signed_in=signed_in)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activateWindow()
    settle(qtbot, page)
    qtbot.waitUntil(lambda: page.filters.prison_filter.count() > 1, timeout=5000)
    return page


def settle(qtbot: QtBot, page: ActivitiesPage) -> None:
    qtbot.waitUntil(
        lambda: not page.filters.typing and page.model.has_answer and not page.model.busy,
        timeout=5000,
    )


def references(page: ActivitiesPage) -> list[str]:
    model = page.model
    return [model.data(model.index(row, columns.REFERENCE)) for row in range(model.rowCount())]


def activity_id(signed_in: SignedIn, reference: str) -> uuid.UUID:
    with signed_in.db.session() as session:
        found = session.scalar(select(Activity.id).where(Activity.reference == reference))
    assert found is not None
    return found


def show_month(qtbot: QtBot, page: ActivitiesPage, year: int, month: int) -> None:
    page.show_view(page.CALENDAR)
    page.calendar.set_month(year, month)
    grid = page.calendar.grid
    qtbot.waitUntil(
        lambda: grid.has_data and (grid.year, grid.month) == (year, month), timeout=5000
    )


def spot_point(page: ActivitiesPage, day: dt.date, kind: str = "day") -> QPoint:
    spot = next(s for s in page.calendar.grid.spots() if s.day == day and s.kind == kind)
    return spot.rect.center() if kind != "day" else spot.rect.bottomRight() - QPoint(4, 4)


# --- list ---------------------------------------------------------------------------------------


def test_the_list_shows_every_activity_newest_first(page: ActivitiesPage) -> None:
    dates = [page.model.activity(row).held_on for row in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert len(dates) == 20 and dates == sorted(dates, reverse=True)
    assert page.count.text() == "20 activities"
    assert page.table.isVisibleTo(page) and page.table.isSortingEnabled()
    assert page.heading.text() == "Activities"


def test_type_and_prison_filters(qtbot: QtBot, page: ActivitiesPage) -> None:
    types_combo = page.filters.type_filter
    types_combo.setCurrentIndex(types_combo.findData(ActivityType.GAME_WITH_MUM_AND_DAD))
    settle(qtbot, page)
    assert sorted(references(page)) == ["A001", "A006", "A011", "A016"]
    assert page.count.text() == "4 activities"
    prisons = page.filters.prison_filter
    prisons.setCurrentIndex(prisons.findText("Casa Circondariale di Bollate (IT)"))
    settle(qtbot, page)
    assert references(page) == ["A016", "A006"]
    prisons.setCurrentIndex(prisons.findText("Casa Circondariale Femminile di Rebibbia (IT)"))
    settle(qtbot, page)
    assert references(page) == []
    assert page.message.text() == "No activity matches the filters."
    assert page.clear_button.isVisibleTo(page)
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert len(references(page)) == 20


def test_periods(qtbot: QtBot, page: ActivitiesPage) -> None:
    filters = page.filters
    assert not filters.dates.isVisibleTo(page)
    filters.period.setCurrentIndex(filters.period.findData(Period.THIS_YEAR))
    settle(qtbot, page)
    assert page.model.filter().start == dt.date(2026, 1, 1)
    assert references(page) == []
    filters.period.setCurrentIndex(filters.period.findData(Period.CUSTOM))
    assert filters.dates.isVisibleTo(page)
    filters.start.set_date(dt.date(2024, 1, 1))
    filters.end.line_edit.setText("31/12/2024")  # not a date in English (month 31)
    filters.dates_timer.timeout.emit()
    assert page.count.property("state") == "error"
    assert "end date is not a date" in page.count.text()
    filters.end.set_date(dt.date(2023, 1, 1))
    filters.dates_timer.timeout.emit()
    assert page.count.text() == "The end date is before the start date."
    filters.end.set_date(dt.date(2024, 12, 31))
    settle(qtbot, page)
    assert page.model.filter().end == dt.date(2024, 12, 31)
    held = [page.model.activity(row).held_on.year for row in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert held and set(held) == {2024}
    assert page.count.property("state") == ""


def test_archived_activities_only_when_asked(
    qtbot: QtBot, page: ActivitiesPage, signed_in: SignedIn
) -> None:
    with signed_in.db.session() as session:
        session.execute(
            update(Activity).where(Activity.reference == "A005").values(deleted_at=utcnow())
        )
    page.refresh()
    settle(qtbot, page)
    assert "A005" not in references(page)
    page.filters.archived.setChecked(True)
    settle(qtbot, page)
    row = references(page).index("A005")
    font = page.model.data(page.model.index(row, columns.TYPE), Qt.ItemDataRole.FontRole)
    assert font.italic()
    page.table.selectRow(row)
    assert not page.attendance_button.isEnabled()
    assert page.attendance_button.toolTip() == "This activity is archived."


def test_a_narrow_window_leaves_the_reference_and_duration_out(
    qtbot: QtBot, page: ActivitiesPage
) -> None:
    assert not page.table.isColumnHidden(columns.REFERENCE)
    page.resize(700, 600)
    qtbot.waitUntil(lambda: page.table.isColumnHidden(columns.REFERENCE), timeout=2000)
    assert page.table.isColumnHidden(columns.DURATION)
    assert page.model.headerData(columns.RELATIVES, Qt.Orientation.Horizontal) == "Relatives"
    page.resize(1300, 700)
    qtbot.waitUntil(lambda: not page.table.isColumnHidden(columns.REFERENCE), timeout=2000)


def test_long_button_texts_take_two_lines(
    qtbot: QtBot, page: ActivitiesPage, pseudo_language: str
) -> None:
    page.resize(760, 560)
    qtbot.waitUntil(lambda: page.width() == 760, timeout=2000)
    assert not page.campaign_on_its_own_line
    i18n.set_language(pseudo_language)  # every text 40% longer
    assert page.campaign_on_its_own_line
    i18n.set_language("en")
    assert not page.campaign_on_its_own_line


# --- the windows it opens -------------------------------------------------------------------------


def test_buttons_need_someone_signed_in_and_a_selection(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, page: ActivitiesPage
) -> None:
    assert page.new_button.isEnabled() and page.series_button.isEnabled()
    assert not page.attendance_button.isEnabled()
    page.table.selectRow(0)
    assert page.attendance_button.isEnabled()
    assert page.model.activity(0).reference in page.attendance_button.toolTip()  # type: ignore[union-attr]
    anonymous = ActivitiesPage(signed_in.db, runner)
    qtbot.addWidget(anonymous)
    assert not anonymous.new_button.isEnabled()
    assert not anonymous.series_button.isEnabled()


def test_enter_opens_the_editor_and_a_save_refreshes_the_list(
    qtbot: QtBot, page: ActivitiesPage, windows: list[FakeWindow]
) -> None:
    page.table.setFocus()
    page.table.selectRow(2)
    chosen = page.model.activity_id(2)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(windows) == 1
    editor = windows[0]
    assert editor.args[2] == chosen and editor.args[3] is page
    page.table.selectRow(0)
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        editor.saved.emit(chosen)
    assert page.selected_activity() == chosen  # the saved activity is selected again


def test_new_activity_series_and_quick_attendance(
    qtbot: QtBot, page: ActivitiesPage, windows: list[FakeWindow]
) -> None:
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert windows[-1].args[2] is None and windows[-1].kwargs == {"day": None}
    qtbot.mouseClick(page.series_button, Qt.MouseButton.LeftButton)
    assert len(windows) == 2 and len(windows[-1].args) == 3
    page.table.selectRow(1)
    qtbot.mouseClick(page.attendance_button, Qt.MouseButton.LeftButton)
    assert windows[-1].args[2] == page.model.activity_id(1)
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        windows[-1].closed.emit(page.model.activity_id(1))  # counts may have changed


def test_the_real_editor_opens_on_the_day_asked(qtbot: QtBot, page: ActivitiesPage) -> None:
    page.new_activity(dt.date(2026, 11, 3))
    editor = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "activityEditor")
    qtbot.addWidget(editor)
    assert editor.held_on.date() == dt.date(2026, 11, 3)  # type: ignore[attr-defined]
    editor.close()


# --- calendar -----------------------------------------------------------------------------------


def test_the_calendar_shows_a_month(qtbot: QtBot, page: ActivitiesPage) -> None:
    page.show_view(page.CALENDAR)
    grid = page.calendar.grid
    assert (grid.year, grid.month) == (2026, 11)  # today's month first
    assert page.calendar.title.text() == "November 2026"
    assert not page.filters.period.isVisibleTo(page)
    show_month(qtbot, page, *FEBRUARY_2023)
    assert grid.data.counts == {2: 1, 14: 1}
    assert page.count.text() == "2 activities"
    assert [row.reference for row in grid.data.days[2]] == ["A001"]
    assert grid.day_text(dt.date(2023, 2, 14)) == "Tuesday, February 14, 2023: 1 activity."
    page.calendar.move_months(1)
    qtbot.waitUntil(lambda: grid.has_data and grid.month == 3, timeout=5000)
    assert page.calendar.title.text() == "March 2023"
    page.show_view(page.LIST)
    assert page.filters.period.isVisibleTo(page)
    assert page.count.text() == "20 activities"


def test_a_day_with_activities_opens_in_the_list(qtbot: QtBot, page: ActivitiesPage) -> None:
    show_month(qtbot, page, *FEBRUARY_2023)
    grid = page.calendar.grid
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=spot_point(page, dt.date(2023, 2, 14)))
    settle(qtbot, page)
    assert not page.showing_calendar
    assert references(page) == ["A013"]
    assert page.filters.chosen_period() == Period.CUSTOM
    assert page.filters.start.date() == page.filters.end.date() == dt.date(2023, 2, 14)


def test_a_double_click_on_an_empty_day_records_a_new_activity(
    qtbot: QtBot, page: ActivitiesPage, windows: list[FakeWindow]
) -> None:
    show_month(qtbot, page, *FEBRUARY_2023)
    grid = page.calendar.grid
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=spot_point(page, dt.date(2023, 2, 8)))
    assert windows[-1].kwargs == {"day": dt.date(2023, 2, 8)}
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert windows[-1].kwargs == {"day": dt.date(2023, 2, 8)}  # the selected day


def test_an_activity_on_the_calendar(
    qtbot: QtBot, page: ActivitiesPage, signed_in: SignedIn, windows: list[FakeWindow]
) -> None:
    show_month(qtbot, page, *FEBRUARY_2023)
    grid = page.calendar.grid
    line = spot_point(page, dt.date(2023, 2, 2), "activity")
    assert not page.attendance_button.isEnabled()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=line)
    assert page.selected_activity() == activity_id(signed_in, "A001")
    assert page.attendance_button.isEnabled()
    assert "Game with Mum & Dad" in grid.tip_at(line)
    qtbot.mouseDClick(grid, Qt.MouseButton.LeftButton, pos=line)
    assert windows[-1].args[2] == activity_id(signed_in, "A001")


def test_the_calendar_by_keyboard(
    qtbot: QtBot, page: ActivitiesPage, windows: list[FakeWindow]
) -> None:
    show_month(qtbot, page, *FEBRUARY_2023)
    grid = page.calendar.grid
    grid.setFocus()
    grid.select(dt.date(2023, 2, 7))
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected_day() == dt.date(2023, 2, 14)
    assert grid.accessibleDescription() == "Tuesday, February 14, 2023: 1 activity."
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert windows[-1].kwargs == {"day": dt.date(2023, 2, 15)}
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert grid.selected_day() == dt.date(2023, 3, 15)
    assert page.calendar.title.text() == "March 2023"
    qtbot.keyClick(grid, Qt.Key.Key_Home)
    assert grid.selected_day() == TODAY
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert grid.selected_day() == dt.date(2026, 11, 22)


def test_a_busy_day_says_how_many_more(
    qtbot: QtBot, page: ActivitiesPage, signed_in: SignedIn
) -> None:
    with signed_in.db.session() as session:
        for number in range(12):
            session.add(
                Activity(
                    reference=f"B{number:03}",
                    held_on=dt.date(2023, 2, 20),
                    type=ActivityType.HELPLINE,
                    start_time=dt.time(8 + number % 10),
                )
            )
    show_month(qtbot, page, *FEBRUARY_2023)
    grid = page.calendar.grid
    day = dt.date(2023, 2, 20)
    assert grid.day_count(day) == 12
    shown = [s for s in grid.spots() if s.day == day and s.kind == "activity"]
    assert 0 < len(shown) < 12
    assert grid.more_count(day) == 12 - len(shown)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=spot_point(page, day, "more"))
    settle(qtbot, page)
    assert len(references(page)) == 12


# --- campaign and language ----------------------------------------------------------------------


def test_the_campaign_summary(
    qtbot: QtBot, page: ActivitiesPage, windows: list[FakeWindow]
) -> None:
    qtbot.mouseClick(page.campaign_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(CampaignDialog)
    assert isinstance(dialog, CampaignDialog)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=5000)
    assert [dialog.year_combo.itemText(n) for n in range(dialog.year_combo.count())] == [
        "2024",
        "2023",
        "2022",
    ]
    summary = dialog.summary
    assert summary is not None and summary.year == 2024  # the latest year with events
    assert dialog.figures.cards[0].value.text() == "1"
    assert dialog.figures.cards[0].caption.text() == "event"
    assert dialog.model.rowCount() == 1
    dialog.set_year(2023)
    qtbot.waitUntil(
        lambda: dialog.summary is not None and dialog.summary.year == 2023, timeout=5000
    )
    assert dialog.figures.cards[0].value.text() == "2"
    assert dialog.events_title.text() == "2 events in 2023"
    dialog.events.setFocus()
    dialog.events.selectRow(0)
    qtbot.keyClick(dialog.events, Qt.Key.Key_Return)
    assert windows[-1].args[2] == dialog.model.activity_id(0)
    dialog.close()


def test_the_campaign_without_events(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> None:
    with signed_in.db.session() as session:
        session.execute(
            update(Activity)
            .where(Activity.type == ActivityType.GAME_WITH_MUM_AND_DAD)
            .values(deleted_at=utcnow())
        )
    dialog = CampaignDialog(signed_in.db, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.empty.isVisible(), timeout=5000)
    assert not dialog.year_combo.isEnabled()
    assert dialog.summary is None


def test_the_language_switch_retranslates_the_page(
    qtbot: QtBot, page: ActivitiesPage, pseudo_language: str
) -> None:
    i18n.set_language(pseudo_language)
    assert page.heading.text().startswith("[Activities")
    assert page.new_button.text().startswith("[New activity")
    assert page.filters.period.itemText(0).startswith("[All dates")
    assert page.model.headerData(0, Qt.Orientation.Horizontal).startswith("[Date")
    assert page.count.text().startswith("[20 activities")


def test_tab_goes_through_the_controls_in_order(page: ActivitiesPage) -> None:
    chain: list[QWidget] = []
    widget: QWidget = page.new_button
    for _step in range(9):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.isVisibleTo(page) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
    expected = [
        page.new_button,
        page.series_button,
        page.attendance_button,
        page.campaign_button,
        page.filters.period,
        page.filters.type_filter,
        page.filters.prison_filter,
        page.filters.archived,
        page.list_button,
    ]
    assert chain == expected
