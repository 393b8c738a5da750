"""The network's Game with Mum & Dad campaign: one year's figures (REPORT-SPEC.md table 5).

Exact numbers, for the organisation's own use: disclosure control belongs to the returns.
Counting rules (REPORT-SPEC.md): an event counts when it is an unarchived Game with Mum &
Dad activity held in the year; an attendance counts when its row, its person and the
person's family are not archived (``_common.counted``); named attendances and anonymous
head counts both count as attendances, only named ones toward distinct people. Feedback
counts when it is not archived and, if it names a child, the child and family are not
archived (anonymous feedback cards count too). A few GROUP BY queries, whatever the size.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, distinct, extract, func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind, Rating
from cope_desktop.db.models import Activity, Attendance, Child, Family, Feedback
from cope_desktop.services.activities._common import activity_rows_where, counted
from cope_desktop.services.activities.views import CampaignSummary

GAME = ActivityType.GAME_WITH_MUM_AND_DAD


def _events(year: int) -> list[ColumnElement[bool]]:
    return [
        Activity.held_on >= dt.date(year, 1, 1),
        Activity.held_on <= dt.date(year, 12, 31),
        Activity.type == GAME,
        Activity.deleted_at.is_(None),
    ]


def campaign_summary(session: Session, year: int) -> CampaignSummary:
    events = _events(year)
    held, prisons = session.execute(
        select(func.count(), func.count(distinct(Activity.prison_id))).where(*events)
    ).one()
    people = _attendance(session, events)
    ratings = _ratings(session, events)
    child_rows = people.get(AttendeeKind.CHILD, (0, 0, 0, 0))
    return CampaignSummary(
        year=year,
        events=held,
        prisons=prisons,
        child_attendances=child_rows[0] + people.get(AttendeeKind.ANONYMOUS_CHILDREN, (0,))[0],
        children=child_rows[1],
        imprisoned_parents=people.get(AttendeeKind.RELATIVE, (0, 0, 0, 0))[3],
        caregivers=people.get(AttendeeKind.CAREGIVER, (0, 0, 0, 0))[2],
        positive=ratings.get(Rating.POSITIVE, 0),
        neutral=ratings.get(Rating.NEUTRAL, 0),
        negative=ratings.get(Rating.NEGATIVE, 0),
        event_rows=tuple(activity_rows_where(session, *events)),
    )


def _attendance(
    session: Session, events: list[ColumnElement[bool]]
) -> dict[AttendeeKind, tuple[int, int, int, int]]:
    """Per kind: attendances (head counts summed), distinct children, caregivers, relatives."""
    query = counted(
        select(
            Attendance.kind,
            func.sum(Attendance.head_count),
            func.count(distinct(Attendance.child_id)),
            func.count(distinct(Attendance.caregiver_id)),
            func.count(distinct(Attendance.relative_id)),
        )
        .select_from(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(*events)
        .group_by(Attendance.kind)
    )
    return {
        AttendeeKind(kind): (int(total or 0), children, caregivers, relatives)
        for kind, total, children, caregivers, relatives in session.execute(query)
    }


def _ratings(session: Session, events: list[ColumnElement[bool]]) -> dict[Rating, int]:
    query = (
        select(Feedback.rating, func.count())
        .join(Activity, Activity.id == Feedback.activity_id)
        .outerjoin(Child, Child.id == Feedback.child_id)
        .outerjoin(Family, Family.id == Child.family_id)
        .where(
            *events,
            Feedback.deleted_at.is_(None),
            Child.deleted_at.is_(None),
            Family.deleted_at.is_(None),
        )
        .group_by(Feedback.rating)
    )
    return {Rating(rating): number for rating, number in session.execute(query)}


def campaign_years(session: Session) -> list[int]:
    """Years with at least one (unarchived) Game with Mum & Dad event, newest first."""
    year = extract("year", Activity.held_on)
    query = (
        select(year)
        .where(Activity.type == GAME, Activity.deleted_at.is_(None))
        .distinct()
        .order_by(year.desc())
    )
    return [int(value) for value in session.scalars(query)]
