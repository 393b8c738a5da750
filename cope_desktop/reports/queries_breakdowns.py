"""The internal report's breakdowns: by prison, by caseworker and by month.

Like the return's figures, each measure is one set-based statement grouped by the row (a
prison, a user, a calendar month); only the aggregated rows are read. Measures follow the
return's counting rules.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlalchemy.orm import Session

from cope_desktop.db.models import (
    Activity,
    Attendance,
    Family,
    ImprisonedRelative,
    Prison,
    SupportService,
    User,
)
from cope_desktop.i18n import _
from cope_desktop.reports.model import Breakdown
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries_activities import (
    attendances_held,
    child_attendances,
    dead_children_once,
    distinct_children,
)
from cope_desktop.reports.queries_common import activity_held, deleted_families, family_supported
from cope_desktop.reports.queries_people import is_new

PRISON_MEASURES = ("families_supported", "activities", "child_attendances", "distinct_children")
CASEWORKER_MEASURES = ("families_supported", "families_new", "support_services")
MONTH_MEASURES = ("families_new", "activities", "child_attendances", "distinct_children")


def breakdowns(session: Session, period: Period) -> list[Breakdown]:
    return [
        by_prison(session, period),
        by_caseworker(session, period),
        by_month(session, period),
    ]


def _counts(session: Session, statement: Any) -> dict[Any, tuple[int, ...]]:
    """{first column: the other columns as ints} for a grouped statement."""
    return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in session.execute(statement)}


def _attendances_by_prison(period: Period) -> Any:
    """The period's attendances, found from the list of the period's activities.

    Grouped by prison, SQLite would otherwise read the attendances of every year and look
    each activity up (ten times slower on the stress database).
    """
    held = select(Activity.id).where(activity_held(period))
    return attendances_held(period).where(Attendance.activity_id.in_(held))


def _child_measures() -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Child attendances and distinct children, testing for children who do not count once."""
    dead = dead_children_once()
    return child_attendances(dead), distinct_children(dead)


def by_prison(session: Session, period: Period) -> Breakdown:
    """Every live prison: families with a relative held there, and its activities."""
    families = _counts(
        session,
        select(ImprisonedRelative.prison_id, func.count(ImprisonedRelative.family_id.distinct()))
        .join(Family, Family.id == ImprisonedRelative.family_id)
        .where(family_supported(period), ImprisonedRelative.deleted_at.is_(None))
        .group_by(ImprisonedRelative.prison_id),
    )
    activities = _counts(
        session,
        select(Activity.prison_id, func.count())
        .where(activity_held(period))
        .group_by(Activity.prison_id),
    )
    people = _counts(
        session,
        _attendances_by_prison(period)
        .add_columns(Activity.prison_id, *_child_measures())
        .group_by(Activity.prison_id),
    )
    prisons = session.execute(
        select(Prison.id, Prison.name, Prison.country)
        .where(Prison.deleted_at.is_(None))
        .order_by(Prison.name, Prison.country)
    ).all()
    rows = tuple(
        (
            f"{name} ({country})",
            (
                families.get(pid, (0,))[0],
                activities.get(pid, (0,))[0],
                *people.get(pid, (0, 0)),
            ),
        )
        for pid, name, country in prisons
    )
    return Breakdown("by_prison", "prison", PRISON_MEASURES, rows)


def by_caseworker(session: Session, period: Period) -> Breakdown:
    """Each caseworker with supported families or services given; unassigned ones last."""
    families = _counts(
        session,
        select(Family.caseworker_id, func.count(), func.sum(is_new(period)))
        .where(family_supported(period))
        .group_by(Family.caseworker_id),
    )
    services = _counts(
        session,
        select(SupportService.provided_by_id, func.count())
        .where(
            SupportService.deleted_at.is_(None),
            SupportService.provided_on >= period.start,
            SupportService.provided_on <= period.end,
            SupportService.family_id.not_in(deleted_families()),
        )
        .group_by(SupportService.provided_by_id),
    )
    users: dict[uuid.UUID, str] = {
        uid: display or username
        for uid, display, username in session.execute(
            select(User.id, User.display_name, User.username)
        )
    }
    named = sorted(
        (users.get(uid, ""), uid) for uid in families.keys() | services.keys() if uid is not None
    )
    order: list[tuple[str, uuid.UUID | None]] = [(label, uid) for label, uid in named]
    if None in families or None in services:
        order.append((_("Not assigned"), None))
    rows = tuple(
        (label, (*families.get(uid, (0, 0)), services.get(uid, (0,))[0])) for label, uid in order
    )
    return Breakdown("by_caseworker", "caseworker", CASEWORKER_MEASURES, rows)


def months(period: Period) -> Iterator[tuple[int, int]]:
    """(year, month) of every calendar month the period touches, in order."""
    year, month = period.start.year, period.start.month
    while dt.date(year, month, 1) <= period.end:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _by_month(
    session: Session, column: Any, statement: Any, *measures: ColumnElement[Any]
) -> dict[tuple[int, int], tuple[int, ...]]:
    year, month = extract("year", column), extract("month", column)
    rows = session.execute(statement.add_columns(year, month, *measures).group_by(year, month))
    return {(int(row[0]), int(row[1])): tuple(int(v or 0) for v in row[2:]) for row in rows}


def month_figures(session: Session, period: Period) -> dict[tuple[int, int], tuple[int, ...]]:
    """(year, month) -> MONTH_MEASURES for every month of the period, zeros included."""
    new = _by_month(
        session,
        Family.opened_on,
        select().where(
            Family.deleted_at.is_(None),
            Family.opened_on >= period.start,
            Family.opened_on <= period.end,
        ),
        func.count(Family.id),
    )
    held = _by_month(
        session,
        Activity.held_on,
        select().where(activity_held(period)),
        func.count(Activity.id),
    )
    people = _by_month(
        session,
        Activity.held_on,
        attendances_held(period),
        *_child_measures(),
    )
    return {
        key: (new.get(key, (0,))[0], held.get(key, (0,))[0], *people.get(key, (0, 0)))
        for key in months(period)
    }


def by_month(session: Session, period: Period) -> Breakdown:
    rows = tuple(
        (f"{year:04d}-{month:02d}", values)
        for (year, month), values in month_figures(session, period).items()
    )
    return Breakdown("by_month", "month", MONTH_MEASURES, rows)
