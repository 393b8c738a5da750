"""The activities list and calendar: which activities match a filter, in what order, and rows.

The stress database holds 250,000 activities and 1,000,000 attendances, so the list works as
the families list does (``services/family_list.py``), in steps a lazy table needs:

- ``activity_ids`` runs one query for the ordered keys of every matching activity (keys as
  the driver returns them, see ``row_keys``);
- ``first_activity_ids`` gives the first page of those keys at once when the order follows
  the date index, before the whole list arrives;
- ``activity_rows`` reads one page of rows by key, with the counts of each activity from one
  set-based query over the page's ids (never one query per row).

The calendar reads one month: ``month_days`` (at most ``DAY_LIMIT`` activities per day, with
their counts) and ``month_counts`` (how many activities each day has), or both at once with
``calendar_month``.

Counts follow REPORT-SPEC.md: an attendance row that is archived, or of an archived person or
of an archived family's member, is never counted (``_common.counted``). Archived activities are
listed only when ``ActivityFilter.archived`` asks for them, with their ``archived`` flag.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)
from cope_desktop.labels import label
from cope_desktop.services import choices
from cope_desktop.services.activities._common import activity_rows_where
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.services.row_keys import RowKey, key_uuid, raw_key

ActivityKey = RowKey
"""An activity id as the driver returns it (``bytes`` on SQLite, ``uuid.UUID`` on PostgreSQL)."""

PAGE_LIMIT = 500
"""``activity_rows`` reads at most this many activities at once."""

DAY_LIMIT = 6
"""``month_days`` gives at most this many activities of one day."""


class ActivitySortColumn(StrEnum):
    DATE = "date"
    REFERENCE = "reference"
    TYPE = "type"
    PRISON = "prison"
    CHILDREN = "children"
    """Children present: counted named children and the anonymous children's head count."""
    CAREGIVERS = "caregivers"
    """Adults present but imprisoned relatives: named caregivers and the adults' head count."""
    RELATIVES = "relatives"
    DURATION = "duration"


@dataclass(frozen=True)
class ActivityFilter:
    start: dt.date | None = None
    """Activities held on or after this day."""
    end: dt.date | None = None
    """Activities held on or before this day."""
    type: ActivityType | None = None
    prison_id: uuid.UUID | None = None
    archived: bool = False
    """Also list archived activities (flagged ``archived`` in their rows)."""


@dataclass(frozen=True)
class ActivitySort:
    column: ActivitySortColumn = ActivitySortColumn.DATE
    descending: bool = True
    """Newest first by default."""


@dataclass(frozen=True)
class CalendarMonth:
    """One month of the calendar: a few activities of each day, and how many there are."""

    year: int
    month: int
    days: dict[int, list[ActivityRow]] = field(default_factory=dict)
    """Day of the month -> its first activities (at most ``DAY_LIMIT``), by time."""
    counts: dict[int, int] = field(default_factory=dict)
    """Day of the month -> how many activities match on that day (days without: absent)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ListChoices:
    """What the filter lists offer."""

    prisons: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    """Prisons not archived, sorted by name: (id, "name (country code)")."""


def activity_uuid(key: ActivityKey) -> uuid.UUID:
    """The ``uuid.UUID`` of a key returned by ``activity_ids``."""
    return key_uuid(key)


def list_choices(session: Session) -> ListChoices:
    """Prisons not archived, by name, labelled as everywhere else: "name (country code)".

    Read through ``services.choices`` rather than ``records.families``, which would load the
    record services when the main window opens.
    """
    return ListChoices(prisons=choices.prison_choices(session))


# --- conditions ---------------------------------------------------------------------------------


def _conditions(wanted: ActivityFilter, *, with_period: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if with_period and wanted.start is not None:
        conditions.append(Activity.held_on >= wanted.start)
    if with_period and wanted.end is not None:
        conditions.append(Activity.held_on <= wanted.end)
    if wanted.type is not None:
        conditions.append(Activity.type == wanted.type)
    if wanted.prison_id is not None:
        conditions.append(Activity.prison_id == wanted.prison_id)
    if not wanted.archived:
        conditions.append(Activity.deleted_at.is_(None))
    return conditions


def _month_conditions(year: int, month: int, wanted: ActivityFilter) -> list[ColumnElement[bool]]:
    """The filter's type, prison and archived choices, over one month (not its period)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return [
        Activity.held_on >= first,
        Activity.held_on <= last,
        *_conditions(wanted, with_period=False),
    ]


# --- order --------------------------------------------------------------------------------------


SORT_KINDS = {
    ActivitySortColumn.CHILDREN: (AttendeeKind.CHILD, AttendeeKind.ANONYMOUS_CHILDREN),
    ActivitySortColumn.CAREGIVERS: (AttendeeKind.CAREGIVER, AttendeeKind.ANONYMOUS_ADULTS),
    ActivitySortColumn.RELATIVES: (AttendeeKind.RELATIVE,),
}
"""The attendance counted in each count column."""


def _archived_people(model: type[Child] | type[Caregiver] | type[ImprisonedRelative]) -> Any:
    """The ids of the archived people of one kind and of every archived family's members."""
    archived_families = select(Family.id).where(Family.deleted_at.is_not(None))
    return select(model.id).where(
        or_(model.deleted_at.is_not(None), model.family_id.in_(archived_families))
    )


def _totals(kinds: tuple[AttendeeKind, ...], wanted: ActivityFilter) -> Any:
    """Counted attendance of ``kinds`` per activity, to sort a whole list by it.

    The same rule as ``_common.counted``, written for a million rows: rather than look each
    row's person and family up (3.7 s on stress), the few archived people are listed once
    and each row is checked against those lists (1.3 s for every activity, 0.1 s for a year).
    """
    rows = [
        Attendance.kind.in_(kinds),
        Attendance.deleted_at.is_(None),
        or_(Attendance.child_id.is_(None), Attendance.child_id.not_in(_archived_people(Child))),
        or_(
            Attendance.caregiver_id.is_(None),
            Attendance.caregiver_id.not_in(_archived_people(Caregiver)),
        ),
        or_(
            Attendance.relative_id.is_(None),
            Attendance.relative_id.not_in(_archived_people(ImprisonedRelative)),
        ),
    ]
    if wanted.start or wanted.end or wanted.type or wanted.prison_id:
        rows.append(Attendance.activity_id.in_(select(Activity.id).where(*_conditions(wanted))))
    return (
        select(Attendance.activity_id, func.sum(Attendance.head_count).label("total"))
        .where(*rows)
        .group_by(Attendance.activity_id)
        .subquery()
    )


def _type_rank() -> ColumnElement[int]:
    """The type's place when the types are sorted by their names in the current language."""
    names = sorted(ActivityType, key=lambda kind: label(kind).casefold())
    return case(*((Activity.type == kind, rank) for rank, kind in enumerate(names)), else_=0)


def _ordered(query: Select[Any], sort: ActivitySort, wanted: ActivityFilter) -> Select[Any]:
    """Order by the sort column, then newest first so the order is always the same."""
    keys: list[Any] = []
    column = sort.column
    if column == ActivitySortColumn.REFERENCE:
        keys = [Activity.reference]
    elif column == ActivitySortColumn.TYPE:
        keys = [_type_rank()]
    elif column == ActivitySortColumn.PRISON:
        query = query.outerjoin(Prison, Prison.id == Activity.prison_id)
        keys = [func.lower(Prison.name)]
    elif column == ActivitySortColumn.DURATION:
        keys = [Activity.duration_minutes]
    elif column in SORT_KINDS:
        totals = _totals(SORT_KINDS[column], wanted)
        query = query.outerjoin(totals, totals.c.activity_id == Activity.id)
        keys = [func.coalesce(totals.c.total, 0)]
    # Activities without a value go last (first when reversed). The time has no NULLS
    # clause: one would keep SQLite from reading the date index in order.
    if sort.descending:
        order = [key.desc().nulls_first() for key in keys]
    else:
        order = [key.asc().nulls_last() for key in keys]
    if column == ActivitySortColumn.DATE and not sort.descending:
        dates: list[Any] = [Activity.held_on.asc(), Activity.start_time.asc()]
        return query.order_by(*order, *dates, Activity.reference.asc())
    newest: list[Any] = [Activity.held_on.desc(), Activity.start_time.desc()]
    return query.order_by(*order, *newest, Activity.reference.desc())


# --- queries ------------------------------------------------------------------------------------


def activity_ids(
    session: Session, wanted: ActivityFilter | None = None, sort: ActivitySort | None = None
) -> list[ActivityKey]:
    """The keys of every activity that matches ``wanted``, in the order of ``sort``."""
    sort = sort or ActivitySort()
    wanted = wanted or ActivityFilter()
    query = _ordered(select(raw_key(Activity.id)).where(*_conditions(wanted)), sort, wanted)
    # Core result of the session's connection: the ORM result layer would cost about as
    # much again as the query for 250,000 rows.
    return list(session.connection().execute(query).scalars())


def first_activity_ids(
    session: Session,
    wanted: ActivityFilter | None = None,
    sort: ActivitySort | None = None,
    limit: int = 100,
) -> list[ActivityKey] | None:
    """The first ``limit`` keys of ``activity_ids``, or None when they would not come quicker.

    They come much quicker in date order (the default), read along the date index, where
    ``activity_ids`` reads and sorts every activity. Any other order needs them all first.

    Two steps, because SQLite would not read the index for the whole order (date, time,
    reference) with a limit, and sorted all 250,000 rows instead (110 ms on stress): the
    date of the ``limit``-th activity first, by the index alone, then the activities up to
    that date, in the whole order (under 1 ms each).
    """
    wanted, sort = wanted or ActivityFilter(), sort or ActivitySort()
    if sort.column != ActivitySortColumn.DATE:
        return None
    conditions = _conditions(wanted)
    held_on = Activity.held_on.desc() if sort.descending else Activity.held_on.asc()
    boundary = session.scalar(
        select(Activity.held_on).where(*conditions).order_by(held_on).offset(limit - 1).limit(1)
    )
    if boundary is not None:
        past = Activity.held_on >= boundary if sort.descending else Activity.held_on <= boundary
        conditions.append(past)
    query = _ordered(select(raw_key(Activity.id)).where(*conditions), sort, wanted).limit(limit)
    return list(session.connection().execute(query).scalars())


def activity_rows(session: Session, keys: Sequence[ActivityKey]) -> list[ActivityRow | None]:
    """The rows of these activities, in the same order; None for a key no longer on file.

    Two queries by key whatever the number of rows: the activities, and their counted
    attendance grouped by activity and kind.
    """
    keys = list(keys)
    if len(keys) > PAGE_LIMIT:
        raise ValueError(f"at most {PAGE_LIMIT} activities at once")
    if not keys:
        return []
    found = {row.id: row for row in activity_rows_where(session, raw_key(Activity.id).in_(keys))}
    return [found.get(activity_uuid(key)) for key in keys]


def _rows_by_key(session: Session, keys: Sequence[ActivityKey]) -> list[ActivityRow]:
    """``activity_rows`` for any number of keys, a page at a time, without the missing ones."""
    rows: list[ActivityRow] = []
    for start in range(0, len(keys), PAGE_LIMIT):
        rows.extend(row for row in activity_rows(session, keys[start : start + PAGE_LIMIT]) if row)
    return rows


def calendar_month(
    session: Session, year: int, month: int, wanted: ActivityFilter | None = None
) -> CalendarMonth:
    """One month for the calendar: the first activities of each day and each day's count.

    The filter's type, prison and archived choices apply; its period does not (the month is
    the period). One query lists the month's activities by day and time (about 2,000 on the
    stress database), then the rows of the first ``DAY_LIMIT`` of each day are read.
    """
    wanted = wanted or ActivityFilter()
    query = (
        select(raw_key(Activity.id), Activity.held_on)
        .where(*_month_conditions(year, month, wanted))
        .order_by(Activity.held_on, Activity.start_time.asc().nulls_last(), Activity.reference)
    )
    counts: dict[int, int] = {}
    first_keys: list[ActivityKey] = []
    for key, held_on in session.connection().execute(query):
        seen = counts.get(held_on.day, 0)
        counts[held_on.day] = seen + 1
        if seen < DAY_LIMIT:
            first_keys.append(key)
    return CalendarMonth(year, month, _days(_rows_by_key(session, first_keys)), counts)


def month_days(
    session: Session, year: int, month: int, wanted: ActivityFilter | None = None
) -> dict[int, list[ActivityRow]]:
    """Day of the month -> its first activities (at most ``DAY_LIMIT``), by time."""
    return calendar_month(session, year, month, wanted).days


def month_counts(
    session: Session, year: int, month: int, wanted: ActivityFilter | None = None
) -> dict[int, int]:
    """Day of the month -> how many activities match on that day (days without: absent)."""
    query = (
        select(Activity.held_on, func.count())
        .where(*_month_conditions(year, month, wanted or ActivityFilter()))
        .group_by(Activity.held_on)
    )
    return {held_on.day: int(count) for held_on, count in session.execute(query)}


def _days(rows: Iterable[ActivityRow]) -> dict[int, list[ActivityRow]]:
    days: dict[int, list[ActivityRow]] = {}
    for row in rows:
        days.setdefault(row.held_on.day, []).append(row)
    return days
