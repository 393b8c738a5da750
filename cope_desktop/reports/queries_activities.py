"""Counting activities, attendances, feedback and the prisons where activities took place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select

from cope_desktop.db.enums import AttendeeKind
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Feedback,
    ImprisonedRelative,
    Prison,
)
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries_common import (
    AnySelect,
    Draft,
    Rows,
    Step,
    activity_held,
    code,
    computed_once,
    dead_ids,
    dead_prisons,
    deleted_families,
)


def steps(period: Period) -> list[Step]:
    return [
        Step("activities", _activities(period), _read_activities),
        Step("attendances", _attendances(period), _read_attendances),
        Step("dead_attendances", _dead_attendances(period), _read_dead_attendances),
        Step("feedback", _feedback(period), _read_feedback),
        Step("prisons", _prisons(period), _read_prisons),
    ]


def named_child(dead_children: Select[Any]) -> ColumnElement[bool]:
    """A named child's attendance, the child not among ``dead_children``."""
    return (Attendance.kind == AttendeeKind.CHILD) & Attendance.child_id.not_in(dead_children)


def child_attendances(dead_children: Select[Any]) -> ColumnElement[Any]:
    """Named child attendances plus anonymous children's head counts (an aggregate)."""
    return func.coalesce(
        func.sum(
            case(
                (named_child(dead_children), 1),
                (Attendance.kind == AttendeeKind.ANONYMOUS_CHILDREN, Attendance.head_count),
                else_=0,
            )
        ),
        0,
    )


def distinct_children(dead_children: Select[Any]) -> ColumnElement[Any]:
    """Distinct named children (an aggregate): head counts never count here."""
    return func.count(case((named_child(dead_children), Attendance.child_id)).distinct())


def dead_children_once() -> Select[Any]:
    """The ids of children who do not count, for a statement that tests them twice."""
    return computed_once(dead_ids(Child), "dead_child")


def attendances_held(period: Period) -> AnySelect:
    """Live attendances joined to their activities of the period (add columns and GROUP BY)."""
    return (
        select()
        .select_from(Attendance)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(activity_held(period), Attendance.deleted_at.is_(None))
    )


def _activities(period: Period) -> AnySelect:
    """Sessions, minutes and distinct (live) prisons per activity type."""
    prison = case((Activity.prison_id.not_in(dead_prisons()), Activity.prison_id))
    return (
        select(
            Activity.type,
            func.count(),
            func.coalesce(func.sum(Activity.duration_minutes), 0),
            func.count(prison.distinct()),
        )
        .where(activity_held(period))
        .group_by(Activity.type)
    )


def _read_activities(rows: Rows, draft: Draft) -> None:
    draft.activity_rows = {
        code(kind): (int(sessions), int(minutes), int(prisons))
        for kind, sessions, minutes, prisons in rows
    }


def _people_measures() -> tuple[Any, ...]:
    """Child attendances, distinct children, relatives and caregivers, per activity type."""
    attended = case(
        (Attendance.kind == AttendeeKind.CHILD, 1),
        (Attendance.kind == AttendeeKind.ANONYMOUS_CHILDREN, Attendance.head_count),
        else_=0,
    )

    def distinct(kind: AttendeeKind, column: Any) -> ColumnElement[Any]:
        return func.count(case((Attendance.kind == kind, column)).distinct())

    return (
        Activity.type,
        func.coalesce(func.sum(attended), 0),
        distinct(AttendeeKind.CHILD, Attendance.child_id),
        distinct(AttendeeKind.RELATIVE, Attendance.relative_id),
        distinct(AttendeeKind.CAREGIVER, Attendance.caregiver_id),
    )


def _attendances(period: Period) -> AnySelect:
    """One pass over the period's attendances: every people measure per activity type.

    People who do not count are left in here and subtracted afterwards
    (``_dead_attendances``): testing each of a year's 100,000 attendances against the
    deleted people costs more than finding the few attendances of deleted people through
    the person indexes. Distinct counts subtract too, as nobody is both live and deleted.
    """
    return attendances_held(period).add_columns(*_people_measures()).group_by(Activity.type)


def _read_attendances(rows: Rows, draft: Draft) -> None:
    draft.people_rows = {
        code(kind): (int(attended), int(children), int(relatives), int(caregivers))
        for kind, attended, children, relatives, caregivers in rows
    }


def _dead_attendances(period: Period) -> AnySelect:
    """The same measures over the attendances of people who do not count."""
    families = computed_once(deleted_families(), "deleted_family")
    children = computed_once(dead_ids(Child, families), "dead_child")
    relatives = computed_once(dead_ids(ImprisonedRelative, families), "dead_relative")
    caregivers = computed_once(dead_ids(Caregiver, families), "dead_caregiver")
    return (
        attendances_held(period)
        .add_columns(*_people_measures())
        .where(
            or_(
                Attendance.child_id.in_(children),
                Attendance.relative_id.in_(relatives),
                Attendance.caregiver_id.in_(caregivers),
            )
        )
        .group_by(Activity.type)
    )


def _read_dead_attendances(rows: Rows, draft: Draft) -> None:
    for kind, attended, children, relatives, caregivers in rows:
        all_attended, all_children, all_relatives, all_caregivers = draft.people_rows.get(
            code(kind), (0, 0, 0, 0)
        )
        draft.people_rows[code(kind)] = (
            all_attended - int(attended),
            all_children - int(children),
            all_relatives - int(relatives),
            all_caregivers - int(caregivers),
        )


def _feedback(period: Period) -> AnySelect:
    return (
        select(Activity.type, Feedback.rating, func.count())
        .select_from(Feedback)
        .join(Activity, Activity.id == Feedback.activity_id)
        .where(
            activity_held(period),
            Feedback.deleted_at.is_(None),
            or_(Feedback.child_id.is_(None), Feedback.child_id.not_in(dead_ids(Child))),
        )
        .group_by(Activity.type, Feedback.rating)
    )


def _read_feedback(rows: Rows, draft: Draft) -> None:
    draft.raw.feedback = {(code(kind), code(rating)): int(count) for kind, rating, count in rows}


def _prisons(period: Period) -> AnySelect:
    """Distinct live prisons where activities of the period took place, per country."""
    return (
        select(Prison.country, func.count(Prison.id.distinct()))
        .select_from(Activity)
        .join(Prison, Prison.id == Activity.prison_id)
        .where(activity_held(period), Prison.deleted_at.is_(None))
        .group_by(Prison.country)
    )


def _read_prisons(rows: Rows, draft: Draft) -> None:
    draft.raw.prison_count = sum(int(count) for _country, count in rows)
    draft.raw.prison_countries = sorted(str(country) for country, _count in rows)
