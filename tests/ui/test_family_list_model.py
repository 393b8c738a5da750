"""The lazy families list model, tested without any widget and with a fake source of rows."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Sequence

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.errors import UserInputError
from cope_desktop.services.family_list import (
    FamilyFilter,
    FamilyKey,
    FamilyRow,
    SortColumn,
    SortKey,
)
from cope_desktop.ui.models import family_list as columns
from cope_desktop.ui.models import lazy_list
from cope_desktop.ui.models.family_list import FamilyListModel
from cope_desktop.ui.tasks import TaskRunner

DISPLAY = Qt.ItemDataRole.DisplayRole


def make_row(number: int) -> FamilyRow:
    family_id = uuid.UUID(int=number + 1)
    return FamilyRow(
        key=family_id.bytes,
        id=family_id,
        reference=f"F-{number:04}",
        main_caregiver=f"Caregiver {number}",
        children=number % 4,
        prisons=("Bollate", "Opera") if number % 5 == 0 else ("Fresnes",),
        opened_on=dt.date(2024, 1, 10),
        closed_on=dt.date(2024, 6, 1) if number % 3 == 0 else None,
        caseworker="Anna Rossi" if number % 2 else "",
        has_data_consent=number % 7 != 0,
        archived=number == 7,
    )


class FakeSource:
    """Families F-0000 to F-0349 in memory; it records which pages of rows were read."""

    def __init__(self, count: int = 350, *, first_page: bool = False) -> None:
        self.rows_by_key = {row.key: row for row in map(make_row, range(count))}
        self.first_page = first_page
        self.reads: list[list[FamilyKey]] = []
        self.hold: dict[str, threading.Event] = {}
        self.waiting = threading.Event()
        self.error: Exception | None = None

    def ids(self, wanted: FamilyFilter, sort: SortKey) -> list[FamilyKey]:
        if wanted.text in self.hold:
            self.waiting.set()
            self.hold[wanted.text].wait(5)
        if self.error is not None:
            raise self.error
        rows = [row for row in self.rows_by_key.values() if wanted.text in row.reference]
        by_children = sort.column == SortColumn.CHILDREN
        rows.sort(key=lambda row: (row.children if by_children else 0, row.reference))
        if sort.descending:
            rows.reverse()
        return [row.key for row in rows]

    def first_ids(self, wanted: FamilyFilter, sort: SortKey, limit: int) -> list[FamilyKey] | None:
        return self.ids(wanted, sort)[:limit] if self.first_page else None

    def rows(self, keys: Sequence[FamilyKey]) -> list[FamilyRow | None]:
        self.reads.append(list(keys))
        return [self.rows_by_key.get(key) for key in keys]

    def pages_read(self) -> list[int]:
        """The pages read, in the order of references (by the first key of each read)."""
        numbers = [int(self.rows_by_key[read[0]].reference[2:]) for read in self.reads]
        return [number // columns.PAGE_SIZE for number in numbers]


@pytest.fixture
def source() -> FakeSource:
    return FakeSource()


@pytest.fixture
def model(qtbot: QtBot, runner: TaskRunner, source: FakeSource) -> FamilyListModel:
    model = FamilyListModel(source, runner)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    return model


def column(model: FamilyListModel, number: int, rows: int = 4) -> list[str]:
    return [model.data(model.index(row, number)) for row in range(rows)]


def wait_loaded(qtbot: QtBot, model: FamilyListModel) -> None:
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)


def test_nothing_is_read_before_the_first_refresh(runner: TaskRunner, source: FakeSource) -> None:
    model = FamilyListModel(source, runner)
    model.set_filter(FamilyFilter(text="F-01"))
    model.sort(columns.CHILDREN)
    assert (model.rowCount(), model.started, source.reads) == (0, False, [])


def test_rows_and_columns(model: FamilyListModel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model)
    assert model.rowCount() == 350
    assert model.columnCount() == columns.COLUMN_COUNT
    assert model.rowCount(model.index(0, 0)) == 0
    assert column(model, columns.REFERENCE) == ["F-0000", "F-0001", "F-0002", "F-0003"]
    assert column(model, columns.MAIN_CAREGIVER)[1] == "Caregiver 1"
    assert column(model, columns.CHILDREN) == ["0", "1", "2", "3"]
    assert column(model, columns.PRISON)[:2] == ["Bollate, Opera", "Fresnes"]
    assert column(model, columns.STATUS) == ["Closed", "Open", "Open", "Closed"]
    assert model.data(model.index(7, columns.STATUS)) == "Archived"
    assert column(model, columns.OPENED)[0] == "Jan 10, 2024"
    assert column(model, columns.CASEWORKER)[:2] == ["", "Anna Rossi"]
    assert model.data(model.index(350, 0)) is None


def test_roles_other_than_the_text(model: FamilyListModel) -> None:
    first = model.index(0, columns.STATUS)
    assert model.data(first, columns.ID_ROLE) == uuid.UUID(int=1)
    assert model.data(first, columns.ROW_ROLE).reference == "F-0000"
    assert model.data(first, columns.CONSENT_ROLE) is False
    tip = model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Closed on Jun 1, 2024.\nNo current data processing consent."
    assert model.data(model.index(1, columns.STATUS), Qt.ItemDataRole.ToolTipRole) is None
    assert not model.data(first, Qt.ItemDataRole.DecorationRole).isNull()
    assert "consent" in model.data(first, Qt.ItemDataRole.AccessibleTextRole)
    assert model.data(model.index(0, columns.PRISON), Qt.ItemDataRole.ToolTipRole) == (
        "Bollate\nOpera"
    )
    right = model.data(model.index(0, columns.CHILDREN), Qt.ItemDataRole.TextAlignmentRole)
    assert right & int(Qt.AlignmentFlag.AlignRight)
    assert model.family_id(3) == uuid.UUID(int=4)
    assert model.family_id(350) is None
    assert model.row_of(uuid.UUID(int=4)) == 3
    assert model.row_of(uuid.uuid4()) is None


def test_headers(runner: TaskRunner) -> None:
    model = FamilyListModel(FakeSource(), runner)
    headers = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(7)]
    assert headers == [
        "Reference",
        "Main caregiver",
        "Children",
        "Prison",
        "Status",
        "Opened",
        "Caseworker",
    ]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_only_the_pages_visited_are_read(model: FamilyListModel, source: FakeSource) -> None:
    assert source.pages_read() == [0]  # read on the worker with the keys
    assert model.data(model.index(250, columns.REFERENCE)) == "F-0250"
    assert model.data(model.index(299, columns.REFERENCE)) == "F-0299"
    assert model.data(model.index(5, columns.REFERENCE)) == "F-0005"
    assert source.pages_read() == [0, 2]
    assert model.data(model.index(120, 0), columns.ID_ROLE) == uuid.UUID(int=121)
    assert source.pages_read() == [0, 2]  # the id needs no page


def test_far_pages_are_forgotten(
    model: FamilyListModel, source: FakeSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy_list, "MAX_PAGES", 2)
    for row in (0, 100, 200, 300):
        model.data(model.index(row, 0))
    assert model.pages_in_memory == [2, 3]
    source.reads.clear()
    assert model.data(model.index(0, 0)) == "F-0000"
    assert len(source.reads) == 1


def test_sorting_asks_the_source_again(qtbot: QtBot, model: FamilyListModel) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(columns.REFERENCE, Qt.SortOrder.DescendingOrder)
    assert column(model, columns.REFERENCE, 2) == ["F-0349", "F-0348"]
    assert model.sort_key() == SortKey(columns.SORT_COLUMNS[columns.REFERENCE], True)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(columns.CHILDREN)
    assert column(model, columns.CHILDREN, 2) == ["0", "0"]
    model.sort(columns.CHILDREN)  # the same order: nothing to ask
    assert not model.busy


def test_filtering_changes_the_rows(qtbot: QtBot, model: FamilyListModel) -> None:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(FamilyFilter(text="F-000"))
    assert model.rowCount() == 10
    assert model.filter().text == "F-000"
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(FamilyFilter(text="nobody"))
    assert model.rowCount() == 0


def test_an_older_answer_never_replaces_a_newer_one(
    qtbot: QtBot, model: FamilyListModel, source: FakeSource
) -> None:
    source.hold["F-01"] = threading.Event()
    model.set_filter(FamilyFilter(text="F-01"))
    qtbot.waitUntil(source.waiting.is_set, timeout=5000)  # held on the worker
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(FamilyFilter(text="F-02"))
    assert model.rowCount() == 100
    source.hold["F-01"].set()
    qtbot.wait(200)
    assert model.rowCount() == 100
    assert model.data(model.index(0, 0)) == "F-0200"


def test_the_first_page_first_then_the_rest_after_it(qtbot: QtBot, runner: TaskRunner) -> None:
    source = FakeSource(first_page=True)
    model = FamilyListModel(source, runner)
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.rows_shown, timeout=5000):
        model.refresh()
    assert model.rowCount() == columns.PAGE_SIZE and model.busy and model.showing_latest
    wait_loaded(qtbot, model)
    assert model.rowCount() == 350
    assert resets == [columns.PAGE_SIZE]
    assert inserted == [(columns.PAGE_SIZE, 349)]
    assert model.data(model.index(349, 0)) == "F-0349"


def test_a_failure_is_one_sentence(
    qtbot: QtBot, model: FamilyListModel, source: FakeSource
) -> None:
    source.error = UserInputError("The database is locked by another program.")
    with qtbot.waitSignal(model.failed, timeout=5000) as failed:
        model.set_filter(FamilyFilter(text="F-1"))
    assert failed.args == ["The database is locked by another program."]
    assert not model.busy
    assert model.rowCount() == 350  # the rows shown before stay


def test_a_page_that_cannot_be_read_shows_empty_rows(
    qtbot: QtBot, model: FamilyListModel, source: FakeSource
) -> None:
    def broken(keys: Sequence[FamilyKey]) -> list[FamilyRow | None]:
        raise UserInputError("The database file cannot be read.")

    source.rows = broken  # type: ignore[method-assign]
    with qtbot.waitSignal(model.failed, timeout=5000) as failed:
        assert model.data(model.index(300, 0)) is None
    assert failed.args == ["The database file cannot be read."]


def test_retranslate_announces_new_texts(
    qtbot: QtBot, model: FamilyListModel, pseudo_language: str
) -> None:
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged]):
        i18n.set_language(pseudo_language)
        model.retranslate()
    assert model.headerData(0, Qt.Orientation.Horizontal).startswith("[Reference")
    assert model.data(model.index(7, columns.STATUS)).startswith("[Archived")
