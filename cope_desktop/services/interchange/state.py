"""What the database already holds, loaded once per table for the importer to match against.

One SELECT per table (no per-row queries): each record by its key, with the fields the
interchange layout carries, archived records included (an archived record keeps its key).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import AttendeeKind
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    CaseStatusChange,
    Child,
    ChildRelative,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    Prison,
    SupportService,
    User,
)

Fields = dict[str, Any]
"""A record's id, ``deleted_at`` and the fields the importer compares."""

FIELDS: dict[type[Any], tuple[str, ...]] = {
    Family: ("opened_on", "closed_on", "referral_source", "caseworker_id", "notes_allowed"),
    Child: (
        "family_id",
        "first_name",
        "last_name",
        "birth_date",
        "birth_year",
        "birth_month",
        "sex",
        "support_start",
        "support_end",
    ),
    Caregiver: (
        "family_id",
        "first_name",
        "last_name",
        "relationship_to_children",
        "phone",
        "email",
    ),
    Prison: ("name", "country", "region", "type"),
    ImprisonedRelative: ("family_id", "first_name", "last_name", "prison_id"),
    Activity: ("type", "held_on", "prison_id", "duration_minutes"),
}


@dataclass(frozen=True)
class StaffMember:
    id: uuid.UUID
    username: str
    display_name: str


@dataclass
class Existing:
    by_reference: dict[type[Any], dict[str, Fields]] = field(default_factory=dict)
    """Model -> reference -> fields (people, families, prisons and activities)."""
    staff: list[StaffMember] = field(default_factory=list)
    latest_status: dict[uuid.UUID, tuple[uuid.UUID, str]] = field(default_factory=dict)
    """Family id -> (id, status) of its latest case status change."""
    custody: set[tuple[uuid.UUID, str, dt.date]] = field(default_factory=set)
    """(relative id, status, since) of every custody event not archived."""
    links: dict[tuple[uuid.UUID, uuid.UUID], Fields] = field(default_factory=dict)
    """(child id, relative id) -> the link's id, deleted_at and relationship_to_child."""
    named: dict[tuple[uuid.UUID, str, uuid.UUID], Fields] = field(default_factory=dict)
    """(activity id, kind, person id) -> the attendance's id and deleted_at (live ones win)."""
    anonymous: dict[tuple[uuid.UUID, str], list[tuple[uuid.UUID, int]]] = field(
        default_factory=dict
    )
    """(activity id, anonymous kind) -> (id, head count) of each live head count row."""
    feedback: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, str]] = field(default_factory=dict)
    """(activity id, child id) -> (id, rating) of the latest live feedback."""
    support: dict[tuple[uuid.UUID, uuid.UUID | None, str, dt.date], int] = field(
        default_factory=dict
    )
    """(family id, child id, service, date) -> how many support rows (archived included)."""


def load(session: Session) -> Existing:
    existing = Existing()
    for model, names in FIELDS.items():
        columns = [model.id, model.reference, model.deleted_at] + [
            getattr(model, name) for name in names
        ]
        keys = ("id", "reference", "deleted_at", *names)
        existing.by_reference[model] = {
            row[1]: dict(zip(keys, row, strict=True)) for row in session.execute(select(*columns))
        }
    existing.staff = [
        StaffMember(row.id, row.username, row.display_name)
        for row in session.execute(select(User.id, User.username, User.display_name))
    ]
    _load_status(session, existing)
    existing.custody = {
        (row.relative_id, str(row.status), row.since)
        for row in session.execute(
            select(CustodyEvent.relative_id, CustodyEvent.status, CustodyEvent.since).where(
                CustodyEvent.deleted_at.is_(None)
            )
        )
    }
    for row in session.execute(
        select(
            ChildRelative.id,
            ChildRelative.child_id,
            ChildRelative.relative_id,
            ChildRelative.deleted_at,
            ChildRelative.relationship_to_child,
        )
    ):
        existing.links[(row.child_id, row.relative_id)] = {
            "id": row.id,
            "deleted_at": row.deleted_at,
            "relationship_to_child": row.relationship_to_child,
        }
    _load_attendance(session, existing)
    _load_feedback(session, existing)
    support = select(
        SupportService.family_id,
        SupportService.child_id,
        SupportService.service,
        SupportService.provided_on,
        func.count(),
    ).group_by(
        SupportService.family_id,
        SupportService.child_id,
        SupportService.service,
        SupportService.provided_on,
    )
    for family_id, child_id, service, provided_on, count in session.execute(support):
        existing.support[(family_id, child_id, str(service), provided_on)] = count
    return existing


def _load_status(session: Session, existing: Existing) -> None:
    statement = select(
        CaseStatusChange.id,
        CaseStatusChange.family_id,
        CaseStatusChange.status,
        CaseStatusChange.changed_on,
        CaseStatusChange.created_at,
    ).order_by(CaseStatusChange.changed_on, CaseStatusChange.created_at)
    for row in session.execute(statement):
        existing.latest_status[row.family_id] = (row.id, str(row.status))


def _load_attendance(session: Session, existing: Existing) -> None:
    statement = select(
        Attendance.id,
        Attendance.activity_id,
        Attendance.kind,
        Attendance.child_id,
        Attendance.caregiver_id,
        Attendance.relative_id,
        Attendance.head_count,
        Attendance.deleted_at,
    )
    anonymous: dict[tuple[uuid.UUID, str], list[tuple[uuid.UUID, int]]] = defaultdict(list)
    for row in session.execute(statement):
        kind = str(row.kind)
        if kind in (AttendeeKind.ANONYMOUS_CHILDREN, AttendeeKind.ANONYMOUS_ADULTS):
            if row.deleted_at is None:
                anonymous[(row.activity_id, kind)].append((row.id, row.head_count))
            continue
        person = row.child_id or row.caregiver_id or row.relative_id
        key = (row.activity_id, kind, person)
        known = existing.named.get(key)
        if known is None or known["deleted_at"] is not None:
            existing.named[key] = {"id": row.id, "deleted_at": row.deleted_at}
    existing.anonymous = dict(anonymous)


def _load_feedback(session: Session, existing: Existing) -> None:
    statement = (
        select(Feedback.id, Feedback.activity_id, Feedback.child_id, Feedback.rating)
        .where(Feedback.deleted_at.is_(None), Feedback.child_id.is_not(None))
        .order_by(Feedback.created_at, Feedback.id.desc())
    )
    for row in session.execute(statement):
        existing.feedback[(row.activity_id, row.child_id)] = (row.id, str(row.rating))
