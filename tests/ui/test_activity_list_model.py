"""The lazy activities list model and the small rows model, tested without any widget."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.db.enums import ActivityType
from cope_desktop.services.activities.activity_list import (
    ActivityFilter,
    ActivityKey,
    ActivitySort,
    ActivitySortColumn,
)
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.ui.models import activity_list as columns
from cope_desktop.ui.models.activity_list import (
    ActivityListModel,
    ActivityRowsModel,
    format_duration,
)
from cope_desktop.ui.tasks import TaskRunner

DISPLAY = Qt.ItemDataRole.DisplayRole
TIP = Qt.ItemDataRole.ToolTipRole
TYPES = list(ActivityType)


def make_row(number: int) -> ActivityRow:
    return ActivityRow(
        id=uuid.UUID(int=number + 1),
        reference=f"A-{number:04}",
        held_on=dt.date(2025, 1, 1) + dt.timedelta(days=number),
        start_time=dt.time(14, 30) if number % 2 == 0 else None,
        type=TYPES[number % len(TYPES)],
        prison_name="Casa Circondariale di Bollate" if number % 3 else None,
        children=number % 4,
        caregivers=1,
        relatives=number % 2,
        anonymous_children=2 if number == 0 else 0,
        anonymous_adults=3 if number == 0 else 0,
        duration_minutes=None if number == 1 else 90,
        series_title="Tuesday group" if number == 2 else None,
        archived=number == 3,
    )


class FakeSource:
    """Activities A-0000 to A-0249 in memory; it records the sort orders asked for."""

    def __init__(self, count: int = 250) -> None:
        self.records = [make_row(number) for number in range(count)]
        self.by_key = {row.id.bytes: row for row in self.records}
        self.sorts: list[ActivitySort] = []
        self.filters: list[ActivityFilter] = []

    def ids(self, wanted: ActivityFilter, sort: ActivitySort) -> list[ActivityKey]:
        self.sorts.append(sort)
        self.filters.append(wanted)
        rows = [row for row in self.records if wanted.type in (None, row.type)]
        return [row.id.bytes for row in rows]

    def first_ids(
        self, wanted: ActivityFilter, sort: ActivitySort, limit: int
    ) -> list[ActivityKey] | None:
        return None

    def rows_for(self, keys: Sequence[ActivityKey]) -> list[ActivityRow | None]:
        return [self.by_key.get(key) for key in keys]

    def rows(self, keys: Sequence[ActivityKey]) -> list[ActivityRow | None]:
        return self.rows_for(keys)


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def model(qtbot: QtBot, runner: TaskRunner, source: FakeSource) -> ActivityListModel:
    model = ActivityListModel(source, runner)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    return model


def text(model: ActivityListModel, row: int, column: int, role: int = DISPLAY) -> object:
    return model.data(model.index(row, column), role)


def test_rows_and_columns(model: ActivityListModel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model)
    assert model.rowCount() == 250
    assert model.columnCount() == columns.COLUMN_COUNT
    assert text(model, 0, columns.DATE) == "Jan 1, 2025, 2:30\u202fPM"
    assert text(model, 1, columns.DATE) == "Jan 2, 2025"
    assert text(model, 0, columns.REFERENCE) == "A-0000"
    assert text(model, 0, columns.TYPE) == "Accompanied prison visit"
    assert text(model, 2, columns.TYPE) == "Game with Mum & Dad"
    assert text(model, 1, columns.PRISON) == "Casa Circondariale di Bollate"
    assert text(model, 0, columns.PRISON) == ""
    assert text(model, 0, columns.CHILDREN) == "2"  # none on file, two counted without names
    assert text(model, 0, columns.CAREGIVERS) == "4"
    assert text(model, 1, columns.RELATIVES) == "1"
    assert text(model, 0, columns.DURATION) == "1 h 30 min"
    assert text(model, 1, columns.DURATION) == ""
    assert model.activity_id(5) == uuid.UUID(int=6)
    assert model.activity(5) == make_row(5)
    assert model.row_of(uuid.UUID(int=6)) == 5


def test_tooltips_say_more(model: ActivityListModel) -> None:
    assert text(model, 0, columns.DATE, TIP) == "Wednesday, January 1, 2025, 2:30\u202fPM\nA-0000"
    assert text(model, 0, columns.CHILDREN, TIP) == "0 on file and 2 counted without names."
    assert text(model, 0, columns.CAREGIVERS, TIP) == "1 on file and 3 counted without names."
    assert text(model, 1, columns.CHILDREN, TIP) is None
    assert text(model, 2, columns.TYPE, TIP) == "A session of the series “Tuesday group”."
    assert text(model, 3, columns.TYPE, TIP) == "This activity is archived."
    assert text(model, 1, columns.PRISON, TIP) == "Casa Circondariale di Bollate"


def test_archived_activities_look_different(model: ActivityListModel) -> None:
    font = text(model, 3, columns.TYPE, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert text(model, 3, columns.TYPE, Qt.ItemDataRole.ForegroundRole) is not None
    assert text(model, 3, columns.TYPE, Qt.ItemDataRole.AccessibleTextRole) == (
        "Support group, archived"
    )
    assert text(model, 2, columns.TYPE, Qt.ItemDataRole.FontRole) is None


def test_numbers_are_right_aligned(model: ActivityListModel) -> None:
    right = int(Qt.AlignmentFlag.AlignRight)
    for column in (columns.CHILDREN, columns.CAREGIVERS, columns.RELATIVES, columns.DURATION):
        assert text(model, 0, column, Qt.ItemDataRole.TextAlignmentRole) & right
    assert not text(model, 0, columns.TYPE, Qt.ItemDataRole.TextAlignmentRole) & right


def test_headers_and_their_short_forms(runner: TaskRunner) -> None:
    model = ActivityListModel(FakeSource(), runner)
    headers = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(8)]
    assert headers == [
        "Date",
        "Reference",
        "Type",
        "Prison",
        "Children",
        "Caregivers",
        "Imprisoned relatives",
        "Duration",
    ]
    tip = model.headerData(columns.RELATIVES, Qt.Orientation.Horizontal, TIP)
    assert tip == "Imprisoned relatives present."
    model.set_compact(True)
    assert model.headerData(columns.RELATIVES, Qt.Orientation.Horizontal) == "Relatives"
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_a_click_on_a_header_asks_the_source_for_that_order(
    qtbot: QtBot, model: ActivityListModel, source: FakeSource
) -> None:
    assert model.sort_key() == ActivitySort(ActivitySortColumn.DATE, descending=True)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(columns.CHILDREN, Qt.SortOrder.DescendingOrder)
    assert source.sorts[-1] == ActivitySort(ActivitySortColumn.CHILDREN, True)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(columns.TYPE)
    assert source.sorts[-1] == ActivitySort(ActivitySortColumn.TYPE, False)


def test_filtering_changes_the_rows(qtbot: QtBot, model: ActivityListModel) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(ActivityFilter(type=ActivityType.HELPLINE))
    assert model.rowCount() == 27  # A-0007, A-0016 ... A-0241
    assert {text(model, row, columns.TYPE) for row in range(model.rowCount())} == {
        "Helpline contact"
    }


def test_only_the_pages_shown_are_read(
    model: ActivityListModel, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []

    def counted(keys: Sequence[ActivityKey]) -> list[ActivityRow | None]:
        reads.append(len(keys))
        return source.rows_for(keys)

    monkeypatch.setattr(source, "rows", counted)
    assert text(model, 5, columns.REFERENCE) == "A-0005"  # the first page came with the keys
    assert text(model, 230, columns.REFERENCE) == "A-0230"
    assert text(model, 120, 0, columns.ID_ROLE) == uuid.UUID(int=121)
    assert reads == [50]  # the last page (200-249); the id needed none


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(None, ""), (0, "0 min"), (45, "45 min"), (120, "2 h"), (95, "1 h 35 min")],
)
def test_durations(minutes: int | None, expected: str) -> None:
    assert format_duration(minutes) == expected


def test_retranslate_announces_new_texts(
    qtbot: QtBot, model: ActivityListModel, pseudo_language: str
) -> None:
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged]):
        i18n.set_language(pseudo_language)
        model.retranslate()
    assert model.headerData(0, Qt.Orientation.Horizontal).startswith("[Date")
    assert text(model, 0, columns.TYPE).startswith("[Accompanied")


def test_a_few_rows_already_read(qtmodeltester: ModelTester) -> None:
    model = ActivityRowsModel()
    rows = [make_row(number) for number in range(3)]
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.data(model.index(1, columns.REFERENCE)) == "A-0001"
    assert model.data(model.index(0, columns.CHILDREN)) == "2"
    assert model.data(model.index(2, 0), columns.ID_ROLE) == uuid.UUID(int=3)
    assert model.data(model.index(2, 0), columns.ROW_ROLE) == rows[2]
    assert model.activity_id(1) == uuid.UUID(int=2)
    assert model.activity_id(3) is None
    assert model.headerData(columns.DURATION, Qt.Orientation.Horizontal) == "Duration"
