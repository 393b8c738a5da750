"""What the counting queries share: live-record conditions, the age band in SQL, steps.

Every figure is one set-based statement (COUNT / COUNT(DISTINCT) / SUM / CASE with GROUP
BY) that runs unchanged on SQLite and PostgreSQL. ``count_figures`` builds a list of
``Step``s, each a statement and the function that folds its few aggregated rows into a
``Draft``; the benchmark runs the very same statements through the DB-API driver.

"Live" means not marked deleted, and for a person, not in a deleted family: an archived
family does not archive its members, but nothing that belongs to it may count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    and_,
    case,
    func,
    not_,
    or_,
    select,
    union_all,
)

from cope_desktop.db.models import Activity, Caregiver, Child, Family, ImprisonedRelative, Prison
from cope_desktop.reports import categories as cat
from cope_desktop.reports.model import RawFigures
from cope_desktop.reports.period import Period

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
"""A SELECT of any columns."""
Rows: TypeAlias = Sequence[Row[*tuple[Any, ...]]]


@dataclass
class Draft:
    """Figures being assembled from the results of the steps, in the order they run."""

    raw: RawFigures = field(default_factory=RawFigures)
    activity_rows: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Activity type -> (sessions, minutes, distinct prisons)."""
    people_rows: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    """Activity type -> (child attendances, distinct children, relatives, caregivers)."""
    quote_rows: Rows = ()
    word_rows: Rows = ()
    term_rows: Rows = ()


@dataclass(frozen=True)
class Step:
    name: str
    statement: AnySelect
    read: Callable[[Rows, Draft], None]
    needed: Callable[[Draft], bool] | None = None
    """When set, the statement runs only if this says the figures so far need it."""


def code(value: object) -> str:
    """A category code from a result row (enum columns come back as enum members)."""
    return str(value.value) if isinstance(value, Enum) else str(value)


def deleted_families() -> Select[Any]:
    """Ids of deleted families: a small set, tested with NOT IN rather than joined."""
    return select(Family.id).where(Family.deleted_at.is_not(None))


def dead_ids(
    model: type[Child] | type[Caregiver] | type[ImprisonedRelative],
    families: Select[Any] | None = None,
) -> CompoundSelect:
    """Ids of people who must not count: deleted, or in a deleted family (``families``).

    Two halves joined with UNION ALL rather than one OR: each half is read from an index
    (the partial index of deleted rows, the family_id index), where the OR reads the table.
    """
    return union_all(
        select(model.id).where(model.deleted_at.is_not(None)),
        select(model.id).where(
            model.family_id.in_(deleted_families() if families is None else families)
        ),
    )


def computed_once(statement: Select[Any] | CompoundSelect, name: str) -> Select[Any]:
    """``SELECT id FROM`` a CTE that the database computes once for the whole statement.

    For an id set tested in several places of one statement (SQLite inlines a plain CTE
    at each use, scanning its table again). MATERIALIZED is SQLite 3.35+ and PostgreSQL 12+.
    """
    cte = statement.cte(name).prefix_with("MATERIALIZED")
    return select(cte.c.id)


def dead_prisons() -> Select[Any]:
    return select(Prison.id).where(Prison.deleted_at.is_not(None))


def family_supported(period: Period) -> ColumnElement[bool]:
    """The family's case was open on at least one day of the period (and is not deleted).

    Written as "not opened after the end, nor closed before the start": the same as
    ``opened_on <= end AND (closed_on IS NULL OR closed_on >= start)``, but SQLite then reads
    the family table straight through instead of walking ``ix_family_period`` for a range
    that holds nearly every family (twice as fast for a recent year).
    """
    return and_(
        Family.deleted_at.is_(None),
        not_(
            or_(
                Family.opened_on > period.end,
                func.coalesce(Family.closed_on, period.end) < period.start,
            )
        ),
    )


def supported_family_ids(period: Period) -> Select[Any]:
    return select(Family.id).where(family_supported(period))


def child_supported(period: Period) -> ColumnElement[bool]:
    """Not deleted, in a supported family, and supported (when recorded) in the period."""
    return and_(
        Child.deleted_at.is_(None),
        Child.family_id.in_(supported_family_ids(period)),
        or_(Child.support_start.is_(None), Child.support_start <= period.end),
        or_(Child.support_end.is_(None), Child.support_end >= period.start),
    )


def activity_held(period: Period) -> ColumnElement[bool]:
    return and_(
        Activity.deleted_at.is_(None),
        Activity.held_on >= period.start,
        Activity.held_on <= period.end,
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_band_at(day: dt.date) -> ColumnElement[str]:
    """The age band (categories.AGE_BANDS) of the child in completed years on ``day``.

    A child is at least ``a`` years old on ``day`` when born on or before the same day ``a``
    years earlier (a 29 February birthday is reached on 1 March in a common year), so each
    band is one comparison of the birth date with a constant date: no date functions, the
    same on every database.

    With only a year (and perhaps a month) on file, the birthday is taken as the first of
    the month, and a year alone as 1 July, the middle of the year (so the age is at most
    half a year off). Those births become an integer YYYYMMDD key, compared the same way
    with the day's key less ``a * 10000``. Unknown when no birth is on file or it is after
    ``day``.
    """
    bands = list(reversed(cat.AGE_BAND_LOWER))
    by_date = case(
        *((Child.birth_date <= _years_before(day, lowest), band) for lowest, band in bands),
        else_=cat.UNKNOWN,
    )
    key = Child.birth_year * 10000 + func.coalesce(Child.birth_month, 7) * 100 + 1
    day_key = day.year * 10000 + day.month * 100 + day.day
    by_year = case(
        *((key <= day_key - lowest * 10000, band) for lowest, band in bands),
        else_=cat.UNKNOWN,
    )
    return case(
        (Child.birth_date.is_not(None), by_date),
        (Child.birth_year.is_not(None), by_year),
        else_=cat.UNKNOWN,
    )
