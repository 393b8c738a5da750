"""Recurring activities: the sessions a series makes, and archiving a series."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from activity_support import People, Users, audit_events, count, fields, make_family
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind
from cope_desktop.db.models import Activity, ActivitySeries
from cope_desktop.errors import RecordNotFound, ValidationFailed
from cope_desktop.services.activities.activities import read_activity
from cope_desktop.services.activities.attendance import set_head_counts, set_present
from cope_desktop.services.activities.drafts import SeriesDraft
from cope_desktop.services.activities.series import (
    archive_series,
    create_series,
    series_sessions,
)

GROUP = ActivityType.SUPPORT_GROUP
MONDAY = dt.date(2024, 1, 1)
WEEK = dt.timedelta(weeks=1)


def draft(first: dt.date = MONDAY, last: dt.date | None = None, weeks: int = 1) -> SeriesDraft:
    return SeriesDraft(
        "Tuesday group", GROUP, first, last or first + 4 * WEEK, interval_weeks=weeks
    )


def dates(session: Session, series_id: uuid.UUID) -> list[dt.date]:
    return [row.held_on for row in series_sessions(session, series_id)]


def refused(session: Session, users: Users, series: SeriesDraft) -> set[str]:
    with pytest.raises(ValidationFailed) as error:
        create_series(session, users.caseworker, series)
    assert count(session, ActivitySeries) == 0 and count(session, Activity) == 0
    return fields(error)


def test_weekly_sessions_from_first_to_last_date(session: Session, users: Users) -> None:
    series_id, made = create_series(session, users.caseworker, draft(last=MONDAY + 4 * WEEK))
    assert made == 5
    assert dates(session, series_id) == [MONDAY + n * WEEK for n in range(5)]


def test_every_two_weeks_stops_at_the_last_date(session: Session, users: Users) -> None:
    series_id, made = create_series(
        session, users.caseworker, draft(last=MONDAY + 5 * WEEK, weeks=2)
    )
    assert made == 3
    assert dates(session, series_id) == [MONDAY, MONDAY + 2 * WEEK, MONDAY + 4 * WEEK]


def test_one_session_when_first_and_last_are_the_same_day(session: Session, users: Users) -> None:
    assert create_series(session, users.caseworker, draft(last=MONDAY))[1] == 1


def test_at_most_104_sessions(session: Session, users: Users) -> None:
    first = dt.date(2022, 1, 3)
    assert refused(session, users, draft(first, first + 104 * WEEK)) == {"last_on"}
    series_id, made = create_series(session, users.caseworker, draft(first, first + 103 * WEEK))
    assert made == 104 == len(dates(session, series_id))


def test_the_sessions_carry_the_series_details(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    series = SeriesDraft(
        " Parents' course ",
        ActivityType.PARENTING_COURSE,
        MONDAY,
        MONDAY + WEEK,
        start_time=dt.time(14, 30),
        duration_minutes=90,
        prison_id=prison_id,
        staff="Carla",
    )
    series_id, _made = create_series(session, users.caseworker, series)
    rows = series_sessions(session, series_id)
    assert [row.reference for row in rows] == ["A-000001", "A-000002"]
    assert {(row.type, row.start_time, row.duration_minutes, row.series_title) for row in rows} == {
        (ActivityType.PARENTING_COURSE, dt.time(14, 30), 90, "Parents' course")
    }
    detail = read_activity(session, users.caseworker, rows[0].id)
    assert (detail.series_id, detail.prison_id, detail.staff) == (series_id, prison_id, "Carla")
    assert len(audit_events(session, "create", series_id)) == 1
    assert len(audit_events(session, "create", object_type="activity")) == 2


def test_series_rules(session: Session, users: Users) -> None:
    assert refused(session, users, SeriesDraft(" ", None, None, None)) == {
        "title",
        "type",
        "first_on",
        "last_on",
    }
    assert refused(session, users, draft(MONDAY, MONDAY - dt.timedelta(days=1))) == {"last_on"}
    assert refused(session, users, draft(weeks=0)) == {"interval_weeks"}
    assert refused(session, users, draft(weeks=53)) == {"interval_weeks"}
    too_far = dt.date(2025, 6, 16)
    assert refused(session, users, draft(too_far - WEEK, too_far)) == {"last_on"}
    assert create_series(session, users.caseworker, draft(weeks=52))[1] == 1


def test_archiving_a_series_keeps_the_sessions_with_attendance(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    family: People = make_family(session, users.caseworker, prison_id, "F-1", [("Zoë", 2015)])
    series_id, _made = create_series(session, users.caseworker, draft())
    first, second, third, fourth, fifth = (row.id for row in series_sessions(session, series_id))
    set_present(session, users.caseworker, first, AttendeeKind.CHILD, family.children[0], True)
    set_head_counts(session, users.caseworker, second, 3, 0)
    set_head_counts(session, users.caseworker, third, 2, 1)
    set_head_counts(session, users.caseworker, third, 0, 0)  # counted by mistake
    set_present(session, users.caseworker, fourth, AttendeeKind.CHILD, family.children[0], True)
    set_present(session, users.caseworker, fourth, AttendeeKind.CHILD, family.children[0], False)
    assert archive_series(session, users.caseworker, series_id) == 2
    archived = {row.id: row.archived for row in series_sessions(session, series_id)}
    assert archived == {first: False, second: False, third: True, fourth: True, fifth: True}
    series = session.get(ActivitySeries, series_id)
    assert series is not None and series.deleted_at is not None
    assert audit_events(session, "archive", series_id)
    assert len(audit_events(session, "archive", object_type="activity")) == 3
    assert archive_series(session, users.caseworker, series_id) == 2  # again: nothing changes
    assert len(audit_events(session, "archive", object_type="activity")) == 3


def test_an_unknown_series(session: Session, users: Users) -> None:
    with pytest.raises(RecordNotFound):
        series_sessions(session, uuid.uuid4())
    with pytest.raises(RecordNotFound):
        archive_series(session, users.caseworker, uuid.uuid4())
    assert session.scalars(select(ActivitySeries)).all() == []
