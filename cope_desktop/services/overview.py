"""Summary figures of what is recorded, for the overview pages of the main window.

Every figure is one set-based query (COUNT / SUM / MIN / MAX with GROUP BY); no ORM objects
are loaded, so the figures stay quick on the stress database (50,000 families, 250,000
activities). Records marked deleted never count, nor do the people and attendances that
belong to a deleted family or activity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, extract, func, select, text
from sqlalchemy.orm import QueryableAttribute, Session

from cope_desktop.db.enums import ActivityType, PrisonType
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)


@dataclass(frozen=True)
class FamilySummary:
    families_open: int
    families_closed: int
    children: int
    caregivers: int
    imprisoned_relatives: int

    @property
    def families(self) -> int:
        return self.families_open + self.families_closed


@dataclass(frozen=True)
class ActivitySummary:
    by_type: dict[ActivityType, int]
    """Activities held, per type, only the types that occur, in the enum's order."""
    first_date: dt.date | None
    last_date: dt.date | None
    attendances: int
    """Named attendances plus anonymous head counts (REPORT-SPEC.md counting rules)."""

    @property
    def activities(self) -> int:
        return sum(self.by_type.values())


@dataclass(frozen=True)
class PrisonRow:
    id: uuid.UUID
    name: str
    country: str
    region: str
    type: PrisonType | None
    imprisoned_relatives: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    families_supported: int
    """Families whose case was open on at least one day of the year."""
    families_new: int
    activities: int


def _deleted_ids(model: type[Family] | type[Activity]) -> Select[Any]:
    """Ids of deleted parents, to exclude their children with one small NOT IN set."""
    return select(model.id).where(model.deleted_at.is_not(None))


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)


def family_summary(session: Session) -> FamilySummary:
    closed = func.count(Family.closed_on)
    row = session.execute(
        select(func.count(), closed).select_from(Family).where(Family.deleted_at.is_(None))
    ).one()
    deleted_families = _deleted_ids(Family)

    def people(model: type[Child] | type[Caregiver] | type[ImprisonedRelative]) -> int:
        return _count(
            session,
            select(func.count())
            .select_from(model)
            .where(model.deleted_at.is_(None), model.family_id.not_in(deleted_families)),
        )

    total, families_closed = int(row[0]), int(row[1])
    return FamilySummary(
        families_open=total - families_closed,
        families_closed=families_closed,
        children=people(Child),
        caregivers=people(Caregiver),
        imprisoned_relatives=people(ImprisonedRelative),
    )


def activity_summary(session: Session) -> ActivitySummary:
    rows = session.execute(
        select(Activity.type, func.count(), func.min(Activity.held_on), func.max(Activity.held_on))
        .where(Activity.deleted_at.is_(None))
        .group_by(Activity.type)
    ).all()
    counts = {kind: int(n) for kind, n, _first, _last in rows}
    return ActivitySummary(
        by_type={kind: counts[kind] for kind in ActivityType if counts.get(kind)},
        first_date=min((row[2] for row in rows), default=None),
        last_date=max((row[3] for row in rows), default=None),
        attendances=_attendances(session),
    )


def _attendances(session: Session) -> int:
    """All live attendances, minus those of deleted activities.

    Subtracting the few rows of deleted activities (found through the activity_id index) is
    about twice as fast on a million attendances as testing every row against them.
    """
    live = Attendance.deleted_at.is_(None)
    head_count = func.coalesce(func.sum(Attendance.head_count), 0)
    everything = _count(session, select(head_count).where(live))
    of_deleted = _count(
        session, select(head_count).where(live, Attendance.activity_id.in_(_deleted_ids(Activity)))
    )
    return everything - of_deleted


def prison_rows(session: Session) -> list[PrisonRow]:
    """Every prison on file with the number of imprisoned relatives linked to it."""
    linked = (
        select(ImprisonedRelative.prison_id, func.count().label("relatives"))
        .where(
            ImprisonedRelative.deleted_at.is_(None),
            ImprisonedRelative.prison_id.is_not(None),
            ImprisonedRelative.family_id.not_in(_deleted_ids(Family)),
        )
        .group_by(ImprisonedRelative.prison_id)
        .subquery()
    )
    query = (
        select(
            Prison.id,
            Prison.name,
            Prison.country,
            Prison.region,
            Prison.type,
            func.coalesce(linked.c.relatives, 0),
        )
        .outerjoin(linked, linked.c.prison_id == Prison.id)
        .where(Prison.deleted_at.is_(None))
        .order_by(Prison.name)
    )
    return [
        PrisonRow(pid, name, country, region or "", kind, int(relatives))
        for pid, name, country, region, kind, relatives in session.execute(query)
    ]


def _year_counts(
    session: Session, column: QueryableAttribute[dt.date], *where: ColumnElement[bool]
) -> dict[int, int]:
    year = extract("year", column)
    rows = session.execute(select(year, func.count()).where(*where).group_by(year))
    return {int(y): int(n) for y, n in rows if y is not None}


def _supported_in(session: Session, year: int) -> int:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return _count(
        session,
        select(func.count())
        .select_from(Family)
        .where(
            Family.deleted_at.is_(None),
            Family.opened_on <= end,
            (Family.closed_on.is_(None)) | (Family.closed_on >= start),
        ),
    )


def yearly_figures(session: Session, today: dt.date | None = None) -> list[YearFigures]:
    """Families and activities per calendar year, from the first recorded year to today's."""
    today = today or dt.date.today()
    new = _year_counts(session, Family.opened_on, Family.deleted_at.is_(None))
    held = _year_counts(session, Activity.held_on, Activity.deleted_at.is_(None))
    if not new and not held:
        return []
    first = min([*new, *held])
    last = max([today.year, *new, *held])
    return [
        YearFigures(year, _supported_in(session, year), new.get(year, 0), held.get(year, 0))
        for year in range(first, last + 1)
    ]


def cipher_version(session: Session) -> str:
    """Return the SQLCipher version of the connection (empty if the driver does not encrypt)."""
    return str(session.execute(text("PRAGMA cipher_version")).scalar() or "")
