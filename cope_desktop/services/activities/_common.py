"""What the activity services share: loading, the counting rule, list rows and age bands."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind
from cope_desktop.db.models import (
    Activity,
    ActivitySeries,
    Attendance,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)
from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.services.records._common import load

ACTIVITY = "activity"
ATTENDANCE = "attendance"
FEEDBACK = "feedback"
SERIES = "activity_series"

MAX_DURATION = 1440
"""Minutes in a day: the longest activity."""

NAMED_KINDS = (AttendeeKind.CHILD, AttendeeKind.CAREGIVER, AttendeeKind.RELATIVE)
HEAD_COUNT_KINDS = (AttendeeKind.ANONYMOUS_CHILDREN, AttendeeKind.ANONYMOUS_ADULTS)
KIND_ORDER = {kind: index for index, kind in enumerate(NAMED_KINDS)}

Ts = TypeVarTuple("Ts")


def load_activity(session: Session, activity_id: uuid.UUID) -> Activity:
    return load(session, Activity, activity_id)


def refuse_archived(activity: Activity) -> None:
    """An archived activity is read-only until an administrator restores it."""
    if activity.deleted_at is not None:
        raise ValidationFailed(
            [FieldProblem("", _("This activity is archived, so it cannot be changed."))]
        )


def counted(query: Select[*Ts]) -> Select[*Ts]:
    """Keep the attendance rows that count (REPORT-SPEC.md: a deleted record never counts).

    ``query`` selects from ``Attendance``. A row counts when it is not archived and, for a
    named person, when neither the person nor the person's family is archived; head counts
    have no person and count when their row is not archived. Only the attendance row is
    filtered here: the caller filters the activities.
    """
    member_family = func.coalesce(
        Child.family_id, Caregiver.family_id, ImprisonedRelative.family_id
    )
    return (
        query.outerjoin(Child, Child.id == Attendance.child_id)
        .outerjoin(Caregiver, Caregiver.id == Attendance.caregiver_id)
        .outerjoin(ImprisonedRelative, ImprisonedRelative.id == Attendance.relative_id)
        .outerjoin(Family, Family.id == member_family)
        .where(
            Attendance.deleted_at.is_(None),
            Child.deleted_at.is_(None),
            Caregiver.deleted_at.is_(None),
            ImprisonedRelative.deleted_at.is_(None),
            Family.deleted_at.is_(None),
        )
    )


def activity_rows_where(session: Session, *conditions: ColumnElement[bool]) -> list[ActivityRow]:
    """The list rows of the activities meeting ``conditions``, oldest first.

    Two queries whatever the number of activities: the activities, and their counted
    attendance grouped by activity and kind.
    """
    wanted = select(Activity.id).where(*conditions)
    totals: dict[uuid.UUID, dict[AttendeeKind, int]] = defaultdict(dict)
    count_query = counted(
        select(Attendance.activity_id, Attendance.kind, func.sum(Attendance.head_count))
        .select_from(Attendance)
        .where(Attendance.activity_id.in_(wanted))
        .group_by(Attendance.activity_id, Attendance.kind)
    )
    for activity_id, kind, total in session.execute(count_query):
        totals[activity_id][kind] = int(total or 0)
    rows = session.execute(
        select(
            Activity.id,
            Activity.reference,
            Activity.held_on,
            Activity.start_time,
            Activity.type,
            Prison.name,
            Activity.duration_minutes,
            ActivitySeries.title,
            Activity.deleted_at,
        )
        .outerjoin(Prison, Prison.id == Activity.prison_id)
        .outerjoin(ActivitySeries, ActivitySeries.id == Activity.series_id)
        .where(*conditions)
        .order_by(Activity.held_on, Activity.start_time, Activity.reference)
    )
    return [_row(row, totals.get(row.id, {})) for row in rows]


def _row(row: Any, totals: dict[AttendeeKind, int]) -> ActivityRow:
    return ActivityRow(
        id=row.id,
        reference=row.reference,
        held_on=row.held_on,
        start_time=row.start_time,
        type=ActivityType(row.type),
        prison_name=row.name,
        children=totals.get(AttendeeKind.CHILD, 0),
        caregivers=totals.get(AttendeeKind.CAREGIVER, 0),
        relatives=totals.get(AttendeeKind.RELATIVE, 0),
        anonymous_children=totals.get(AttendeeKind.ANONYMOUS_CHILDREN, 0),
        anonymous_adults=totals.get(AttendeeKind.ANONYMOUS_ADULTS, 0),
        duration_minutes=row.duration_minutes,
        series_title=row.title,
        archived=row.deleted_at is not None,
    )


AGE_BANDS = ((0, "0-4"), (5, "5-9"), (10, "10-14"), (15, "15-17"), (18, "18+"))


def age_band(
    birth_date: dt.date | None, birth_year: int | None, birth_month: int | None, on: dt.date
) -> str | None:
    """The child's age band on a date; None when no date or year of birth is recorded.

    Age is in completed years. With only a year and month of birth the child is taken to be
    born on the 15th, with only a year on 1 July: the middle of what is known.
    """
    if birth_date is None:
        if birth_year is None:
            return None
        birth_date = dt.date(birth_year, birth_month or 7, 15 if birth_month else 1)
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 0:
        return None
    band = AGE_BANDS[0][1]
    for start, name in AGE_BANDS:
        if age >= start:
            band = name
    return band
