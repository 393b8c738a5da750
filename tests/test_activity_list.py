"""The activities list and calendar service: filters, sort orders, rows, counts and months."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ActivityType, AttendeeKind, PrisonType
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)
from cope_desktop.progress import run_to_end
from cope_desktop.services import validation
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.activities import activity_list
from cope_desktop.services.activities.activity_list import (
    ActivityFilter,
    ActivitySort,
    ActivitySortColumn,
)
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.services.demo import fill_demo
from cope_desktop.services.setup import NewDatabase, create_database

TODAY = dt.date(2025, 6, 1)
MARCH_AND_BEFORE = ActivityFilter(end=dt.date(2025, 3, 31))
"""Leaves out the busy day in May."""
BUSY_DAY = dt.date(2025, 5, 20)


@dataclass
class Sample:
    db: Database
    prisons: dict[str, uuid.UUID]
    activities: dict[str, uuid.UUID]


def new_database(folder: Path) -> Database:
    path = folder / "org.db"
    create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
    return sign_in(path, "admin", PASSWORD, folder / "backups")[0]


def add_activities(db: Database) -> Sample:
    """Five activities that differ in every column, and eight on one busy day."""
    with db.session() as session:
        prisons = {
            name: Prison(reference=f"P-{name}", name=name, country="IT", type=PrisonType.MEN)
            for name in ("Bollate", "Opera")
        }
        live = Family(reference="F-001", opened_on=dt.date(2024, 1, 1))
        gone = Family(reference="F-002", opened_on=dt.date(2024, 1, 1), deleted_at=utcnow())
        session.add_all([*prisons.values(), live, gone])
        session.flush()
        people = {
            "C1": Child(reference="C1", family_id=live.id),
            "C2": Child(reference="C2", family_id=live.id, deleted_at=utcnow()),
            "C3": Child(reference="C3", family_id=gone.id),
            "C4": Child(reference="C4", family_id=live.id),
            "G1": Caregiver(reference="G1", family_id=live.id, is_main=True),
            "G3": Caregiver(reference="G3", family_id=gone.id, is_main=True),
            "R1": ImprisonedRelative(reference="R1", family_id=live.id),
        }
        session.add_all(people.values())
        session.flush()
        ids = {name: prison.id for name, prison in prisons.items()}

        def activity(ref: str, day: dt.date, kind: ActivityType, **values: Any) -> Activity:
            record = Activity(reference=ref, held_on=day, type=kind, **values)
            session.add(record)
            session.flush()
            return record

        def attend(record: Activity, *names: str, archived: bool = False) -> None:
            for name in names:
                person = people[name]
                column = {Child: "child_id", Caregiver: "caregiver_id"}.get(
                    type(person), "relative_id"
                )
                kind = {Child: AttendeeKind.CHILD, Caregiver: AttendeeKind.CAREGIVER}.get(
                    type(person), AttendeeKind.RELATIVE
                )
                session.add(
                    Attendance(
                        activity_id=record.id,
                        kind=kind,
                        deleted_at=utcnow() if archived else None,
                        **{column: person.id},
                    )
                )

        def head_count(record: Activity, kind: AttendeeKind, count: int) -> None:
            session.add(Attendance(activity_id=record.id, kind=kind, head_count=count))

        visit = activity(
            "A-001",
            dt.date(2025, 3, 10),
            ActivityType.PRISON_VISIT,
            start_time=dt.time(10, 0),
            prison_id=ids["Bollate"],
            duration_minutes=90,
        )
        attend(visit, "C1", "C2", "C3", "G1", "G3", "R1")
        attend(visit, "C4", archived=True)
        head_count(visit, AttendeeKind.ANONYMOUS_CHILDREN, 2)
        head_count(visit, AttendeeKind.ANONYMOUS_ADULTS, 1)
        day = activity("A-002", dt.date(2025, 3, 10), ActivityType.FAMILY_DAY)
        day.prison_id = ids["Opera"]
        attend(day, "C1", "C4")
        game = activity(
            "A-003",
            dt.date(2025, 3, 12),
            ActivityType.GAME_WITH_MUM_AND_DAD,
            start_time=dt.time(14, 0),
            duration_minutes=120,
        )
        head_count(game, AttendeeKind.ANONYMOUS_CHILDREN, 5)
        group = activity(
            "A-004",
            dt.date(2024, 12, 31),
            ActivityType.SUPPORT_GROUP,
            start_time=dt.time(9, 0),
            prison_id=ids["Bollate"],
            duration_minutes=60,
        )
        archived = activity(
            "A-005",
            dt.date(2025, 3, 20),
            ActivityType.PRISON_VISIT,
            prison_id=ids["Bollate"],
            duration_minutes=30,
            deleted_at=utcnow(),
        )
        busy = [
            activity(f"A-1{hour:02}", BUSY_DAY, ActivityType.HELPLINE, start_time=dt.time(hour))
            for hour in (15, 8, 9, 10, 11, 12, 13, 14)
        ]
        records = [visit, day, game, group, archived, *busy]
        return Sample(db, ids, {record.reference: record.id for record in records})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """One small database shared by the tests of this module, which only read it."""
    folder = tmp_path_factory.mktemp("activities")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(folder / "home"))
        db = new_database(folder)
        try:
            yield add_activities(db)
        finally:
            db.close()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


def _row(row: ActivityRow | None) -> ActivityRow:
    assert row is not None
    return row


def references(
    sample: Sample, wanted: ActivityFilter | None = None, sort: ActivitySort | None = None
) -> list[str]:
    with sample.db.session() as session:
        keys = activity_list.activity_ids(session, wanted, sort)
        return [_row(row).reference for row in activity_list.activity_rows(session, keys)]


def row_of(sample: Sample, reference: str) -> ActivityRow:
    with sample.db.session() as session:
        key = sample.activities[reference].bytes
        return _row(activity_list.activity_rows(session, [key])[0])


# --- filters and order --------------------------------------------------------------------------


def test_newest_first_by_default_and_archived_ones_left_out(sample: Sample) -> None:
    assert references(sample, MARCH_AND_BEFORE) == ["A-003", "A-001", "A-002", "A-004"]
    oldest_first = ActivitySort(ActivitySortColumn.DATE, descending=False)
    assert references(sample, MARCH_AND_BEFORE, oldest_first) == [
        "A-004",
        "A-002",
        "A-001",
        "A-003",
    ]


def test_filters(sample: Sample) -> None:
    march = ActivityFilter(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    assert references(sample, march) == ["A-003", "A-001", "A-002"]
    one_day = ActivityFilter(start=dt.date(2025, 3, 10), end=dt.date(2025, 3, 10))
    assert references(sample, one_day) == ["A-001", "A-002"]
    busy_day_by_time = [f"A-1{hour:02}" for hour in range(15, 7, -1)]
    assert references(sample, ActivityFilter(start=dt.date(2025, 4, 1))) == busy_day_by_time
    games = ActivityFilter(type=ActivityType.GAME_WITH_MUM_AND_DAD)
    assert references(sample, games) == ["A-003"]
    bollate = ActivityFilter(prison_id=sample.prisons["Bollate"])
    assert references(sample, bollate) == ["A-001", "A-004"]
    with_archived = ActivityFilter(prison_id=sample.prisons["Bollate"], archived=True)
    assert references(sample, with_archived) == ["A-005", "A-001", "A-004"]
    assert row_of(sample, "A-005").archived


def _by(column: ActivitySortColumn, descending: bool = False) -> ActivitySort:
    return ActivitySort(column, descending)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (_by(ActivitySortColumn.REFERENCE), ["A-001", "A-002", "A-003", "A-004"]),
        (_by(ActivitySortColumn.REFERENCE, True), ["A-004", "A-003", "A-002", "A-001"]),
        # by the names of the types: Accompanied..., Family day, Game..., Support group
        (_by(ActivitySortColumn.TYPE), ["A-001", "A-002", "A-003", "A-004"]),
        # same prison: newest first; no prison last
        (_by(ActivitySortColumn.PRISON), ["A-001", "A-004", "A-002", "A-003"]),
        (_by(ActivitySortColumn.PRISON, True), ["A-003", "A-002", "A-001", "A-004"]),
        # 5 anonymous; 1 counted + 2 anonymous; 2 counted; none
        (_by(ActivitySortColumn.CHILDREN, True), ["A-003", "A-001", "A-002", "A-004"]),
        (_by(ActivitySortColumn.CAREGIVERS, True), ["A-001", "A-003", "A-002", "A-004"]),
        (_by(ActivitySortColumn.RELATIVES, True), ["A-001", "A-003", "A-002", "A-004"]),
        # an unknown duration last
        (_by(ActivitySortColumn.DURATION), ["A-004", "A-001", "A-003", "A-002"]),
        (_by(ActivitySortColumn.DURATION, True), ["A-002", "A-003", "A-001", "A-004"]),
    ],
)
def test_sort_orders(sample: Sample, sort: ActivitySort, expected: list[str]) -> None:
    assert references(sample, MARCH_AND_BEFORE, sort) == expected


def test_types_sort_by_their_names_in_the_language(
    sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = {
        ActivityType.SUPPORT_GROUP: "a",
        ActivityType.GAME_WITH_MUM_AND_DAD: "b",
        ActivityType.PRISON_VISIT: "c",
        ActivityType.FAMILY_DAY: "d",
    }
    monkeypatch.setattr(activity_list, "label", lambda kind: names.get(kind, "z"))
    by_type = references(sample, MARCH_AND_BEFORE, _by(ActivitySortColumn.TYPE))
    assert by_type == ["A-004", "A-003", "A-001", "A-002"]


# --- rows ---------------------------------------------------------------------------------------


def test_a_row_counts_only_what_counts(sample: Sample) -> None:
    row = row_of(sample, "A-001")
    # C2 is archived, C3 and G3 belong to an archived family, C4's attendance is archived
    assert (row.children, row.anonymous_children) == (1, 2)
    assert (row.caregivers, row.anonymous_adults) == (1, 1)
    assert row.relatives == 1
    assert (row.reference, row.type, row.prison_name) == (
        "A-001",
        ActivityType.PRISON_VISIT,
        "Bollate",
    )
    assert (row.held_on, row.start_time, row.duration_minutes) == (
        dt.date(2025, 3, 10),
        dt.time(10, 0),
        90,
    )
    assert not row.archived and row.series_title is None
    assert row_of(sample, "A-002").children == 2
    empty = row_of(sample, "A-004")
    assert (empty.children, empty.caregivers, empty.relatives) == (0, 0, 0)


def test_rows_come_in_the_order_of_the_keys(sample: Sample) -> None:
    wanted = ["A-004", "A-001", "A-003"]
    unknown = uuid.uuid4().bytes
    with sample.db.session() as session:
        keys = [sample.activities[ref].bytes for ref in wanted]
        rows = activity_list.activity_rows(session, [*keys[:2], unknown, keys[2]])
        assert activity_list.activity_rows(session, []) == []
        with pytest.raises(ValueError, match="at most"):
            activity_list.activity_rows(session, [unknown] * (activity_list.PAGE_LIMIT + 1))
    assert [row.reference if row else None for row in rows] == ["A-004", "A-001", None, "A-003"]


def test_keys_are_the_ids(sample: Sample) -> None:
    with sample.db.session() as session:
        keys = activity_list.activity_ids(session, ActivityFilter(type=ActivityType.FAMILY_DAY))
    assert [activity_list.activity_uuid(key) for key in keys] == [sample.activities["A-002"]]
    assert activity_list.activity_uuid(sample.activities["A-002"]) == sample.activities["A-002"]


# --- the first page first -----------------------------------------------------------------------


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("limit", [1, 2, 3, 5, 50])
@pytest.mark.parametrize(
    "wanted",
    [ActivityFilter(), MARCH_AND_BEFORE, ActivityFilter(archived=True)],
)
def test_the_first_page_is_the_start_of_the_whole_list(
    sample: Sample, wanted: ActivityFilter, limit: int, descending: bool
) -> None:
    sort = ActivitySort(ActivitySortColumn.DATE, descending)
    with sample.db.session() as session:
        everything = activity_list.activity_ids(session, wanted, sort)
        first = activity_list.first_activity_ids(session, wanted, sort, limit)
    assert first == everything[:limit]


def test_other_orders_have_no_quicker_first_page(sample: Sample) -> None:
    with sample.db.session() as session:
        by_type = ActivitySort(ActivitySortColumn.TYPE)
        assert activity_list.first_activity_ids(session, sort=by_type) is None


# --- calendar -----------------------------------------------------------------------------------


def test_a_busy_day_shows_its_first_activities_and_counts_them_all(sample: Sample) -> None:
    with sample.db.session() as session:
        month = activity_list.calendar_month(session, 2025, 5)
        assert activity_list.month_counts(session, 2025, 5) == {20: 8}
        assert activity_list.month_days(session, 2025, 5) == month.days
    assert month.counts == {20: 8} and month.total == 8
    shown = month.days[20]
    assert len(shown) == activity_list.DAY_LIMIT
    assert [row.start_time for row in shown] == [dt.time(hour) for hour in range(8, 14)]


def test_a_month_follows_the_filter_but_not_its_period(sample: Sample) -> None:
    later = ActivityFilter(start=dt.date(2030, 1, 1))
    with sample.db.session() as session:
        march = activity_list.calendar_month(session, 2025, 3, later)
        games = ActivityFilter(type=ActivityType.GAME_WITH_MUM_AND_DAD)
        only_games = activity_list.calendar_month(session, 2025, 3, games)
        with_archived = activity_list.calendar_month(
            session, 2025, 3, ActivityFilter(archived=True)
        )
        empty = activity_list.calendar_month(session, 2025, 2)
    assert march.counts == {10: 2, 12: 1}
    assert [row.reference for row in march.days[10]] == ["A-001", "A-002"]  # unknown time last
    assert only_games.counts == {12: 1}
    assert with_archived.counts == {10: 2, 12: 1, 20: 1}
    assert with_archived.days[20][0].archived
    assert (empty.days, empty.counts, empty.total) == ({}, {}, 0)


def test_the_filter_lists_offer_the_prisons(sample: Sample) -> None:
    with sample.db.session() as session:
        choices = activity_list.list_choices(session)
    assert [name for _id, name in choices.prisons] == ["Bollate (IT)", "Opera (IT)"]


# --- the demo organisation ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(folder / "home"))
        db = new_database(folder)
        try:
            run_to_end(fill_demo(db, "small", 1, "IT", anchor=dt.date(2026, 3, 15)))
            yield db
        finally:
            db.close()


SORT_VALUES: dict[ActivitySortColumn, Callable[[ActivityRow], Any]] = {
    ActivitySortColumn.DATE: lambda row: row.held_on,
    ActivitySortColumn.REFERENCE: lambda row: row.reference,
    ActivitySortColumn.CHILDREN: lambda row: row.children + row.anonymous_children,
    ActivitySortColumn.CAREGIVERS: lambda row: row.caregivers + row.anonymous_adults,
    ActivitySortColumn.RELATIVES: lambda row: row.relatives,
    ActivitySortColumn.DURATION: lambda row: (row.duration_minutes is None, row.duration_minutes),
}


@pytest.mark.parametrize("column", list(SORT_VALUES))
def test_demo_rows_come_in_the_order_asked(demo: Database, column: ActivitySortColumn) -> None:
    """Sorting by a count sorts by the counts the rows show (the same counting rule)."""
    with demo.session() as session:
        everything = activity_list.activity_ids(session, ActivityFilter(archived=True))
        for descending in (False, True):
            wanted = ActivityFilter(archived=True)
            keys = activity_list.activity_ids(session, wanted, ActivitySort(column, descending))
            assert sorted(keys) == sorted(everything)
            rows: list[ActivityRow] = []
            for start in range(0, len(keys), activity_list.PAGE_LIMIT):
                page = keys[start : start + activity_list.PAGE_LIMIT]
                rows.extend(_row(row) for row in activity_list.activity_rows(session, page))
            values = [SORT_VALUES[column](row) for row in rows]
            assert values == sorted(values, reverse=descending)


def test_demo_first_pages(demo: Database) -> None:
    with demo.session() as session:
        prison = activity_list.list_choices(session).prisons[0][0]
        for wanted in (
            ActivityFilter(),
            ActivityFilter(type=ActivityType.SUPPORT_GROUP),
            ActivityFilter(prison_id=prison),
            ActivityFilter(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)),
        ):
            for descending in (True, False):
                sort = ActivitySort(ActivitySortColumn.DATE, descending)
                everything = activity_list.activity_ids(session, wanted, sort)
                first = activity_list.first_activity_ids(session, wanted, sort, 100)
                assert first == everything[:100]
