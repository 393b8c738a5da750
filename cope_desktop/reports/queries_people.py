"""Counting families, children, imprisoned relatives, support services and referrals."""

from __future__ import annotations

from sqlalchemy import ColumnElement, case, func, select

from cope_desktop.db.enums import Relationship
from cope_desktop.db.models import (
    Child,
    ChildRelative,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    SupportService,
)
from cope_desktop.reports import categories as cat
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries_common import (
    AnySelect,
    Draft,
    Rows,
    Step,
    age_band_at,
    child_supported,
    code,
    dead_ids,
    deleted_families,
    family_supported,
)

_GROUP_RANK = {1: "father", 2: "mother", 3: "other"}


def steps(period: Period) -> list[Step]:
    return [
        Step("families", _families(period), _read_families),
        Step("children", _children(period), _read_children),
        Step("relatives", _relatives(period), _read_relatives),
        Step("services", _services(period), _read_services),
    ]


def is_new(period: Period) -> ColumnElement[int]:
    """1 for a family whose case was opened within the period, else 0."""
    return case((Family.opened_on >= period.start, 1), else_=0)


def _families(period: Period) -> AnySelect:
    """Supported families by new/continuing and referral source (one pass, both tables)."""
    new = is_new(period).label("new")
    return (
        select(new, Family.referral_source, func.count())
        .where(family_supported(period))
        .group_by(new, Family.referral_source)
    )


def _read_families(rows: Rows, draft: Draft) -> None:
    raw = draft.raw
    for new, source, count in rows:
        if new:
            raw.families_new += int(count)
            key = cat.UNKNOWN if source is None else code(source)
            raw.referrals[key] = raw.referrals.get(key, 0) + int(count)
        else:
            raw.families_continuing += int(count)


def _children(period: Period) -> AnySelect:
    band = age_band_at(period.end).label("age_band")
    return (
        select(band, Child.sex, func.count())
        .where(child_supported(period))
        .group_by(band, Child.sex)
    )


def _read_children(rows: Rows, draft: Draft) -> None:
    draft.raw.children = {(str(band), code(sex)): int(count) for band, sex, count in rows}


def _relatives(period: Period) -> AnySelect:
    """Distinct relatives of supported children, by relationship group and custody at end.

    A relative's group is the closest link to any supported child (father before mother
    before other); custody is the status of the latest custody event on or before the end.
    """
    rank = case(
        (ChildRelative.relationship_to_child == Relationship.FATHER, 1),
        (ChildRelative.relationship_to_child == Relationship.MOTHER, 2),
        else_=3,
    )
    linked = (
        select(ChildRelative.relative_id.label("relative_id"), func.min(rank).label("rank"))
        .where(
            ChildRelative.deleted_at.is_(None),
            ChildRelative.child_id.in_(select(Child.id).where(child_supported(period))),
            ChildRelative.relative_id.not_in(
                select(ImprisonedRelative.id).where(ImprisonedRelative.deleted_at.is_not(None))
            ),
        )
        .group_by(ChildRelative.relative_id)
        .subquery()
    )
    custody = (
        select(CustodyEvent.status)
        .where(
            CustodyEvent.relative_id == linked.c.relative_id,
            CustodyEvent.deleted_at.is_(None),
            CustodyEvent.since <= period.end,
        )
        .order_by(CustodyEvent.since.desc(), CustodyEvent.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    per_relative = select(linked.c.rank, custody.label("custody")).subquery()
    return select(per_relative.c.rank, per_relative.c.custody, func.count()).group_by(
        per_relative.c.rank, per_relative.c.custody
    )


def _read_relatives(rows: Rows, draft: Draft) -> None:
    relatives = draft.raw.relatives
    for rank, custody, count in rows:
        key = (_GROUP_RANK[int(rank)], cat.UNKNOWN if custody is None else code(custody))
        relatives[key] = relatives.get(key, 0) + int(count)


def _services(period: Period) -> AnySelect:
    live_child = SupportService.child_id.not_in(dead_ids(Child))
    return (
        select(
            SupportService.service,
            func.count(SupportService.family_id.distinct()),
            func.count(case((live_child, SupportService.child_id)).distinct()),
        )
        .where(
            SupportService.deleted_at.is_(None),
            SupportService.provided_on >= period.start,
            SupportService.provided_on <= period.end,
            SupportService.family_id.not_in(deleted_families()),
        )
        .group_by(SupportService.service)
    )


def _read_services(rows: Rows, draft: Draft) -> None:
    draft.raw.services = {
        code(service): (int(families), int(children)) for service, families, children in rows
    }
