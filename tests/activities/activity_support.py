"""Helpers for the activity services' tests: users, prisons, families and activities."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from service_support import OPENED as OPENED
from service_support import TODAY as TODAY
from service_support import Users as Users
from service_support import add_prison as add_prison
from service_support import add_user as add_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, ConsentKind, Relationship
from cope_desktop.db.models import AuditEvent, Caregiver, Child, Family, ImprisonedRelative
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities.activities import save_activity
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.records import families
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)

GAME = ActivityType.GAME_WITH_MUM_AND_DAD


@dataclass
class People:
    """The ids of one family made by ``make_family``."""

    family: uuid.UUID
    reference: str
    children: list[uuid.UUID]
    caregiver: uuid.UUID
    relative: uuid.UUID


def make_family(
    session: Session,
    user: CurrentUser,
    prison_id: uuid.UUID | None,
    reference: str,
    children: list[tuple[str, int | None]],
    *,
    caregiver: str = "Anna",
    relative: str = "Piotr",
    consent: bool = True,
) -> People:
    """A family with these children (first name, birth year), a caregiver and a relative."""
    new = NewFamily(
        family=FamilyDraft(reference=reference, opened_on=OPENED),
        caregiver=CaregiverDraft(first_name=caregiver, last_name=f"Family {reference}"),
        relative=RelativeDraft(
            first_name=relative, last_name=f"Family {reference}", prison_id=prison_id
        ),
        custody=None,
        children=[
            NewChild(
                ChildDraft(first_name=name, last_name=f"Family {reference}", birth_year=year),
                Relationship.FATHER,
            )
            for name, year in children
        ],
        data_consent=(
            ConsentDraft(ConsentKind.DATA_PROCESSING, caregiver, OPENED) if consent else None
        ),
    )
    family_id = families.create_family(session, user, new)
    child_ids = list(
        session.scalars(
            select(Child.id).where(Child.family_id == family_id).order_by(Child.reference)
        )
    )
    caregiver_id = session.scalars(
        select(Caregiver.id).where(Caregiver.family_id == family_id)
    ).one()
    relative_id = session.scalars(
        select(ImprisonedRelative.id).where(ImprisonedRelative.family_id == family_id)
    ).one()
    family = session.get(Family, family_id)
    assert family is not None
    return People(family_id, family.reference, child_ids, caregiver_id, relative_id)


def make_activity(
    session: Session,
    user: CurrentUser,
    held_on: dt.date = TODAY,
    prison_id: uuid.UUID | None = None,
    activity_type: ActivityType = GAME,
    **values: object,
) -> uuid.UUID:
    draft = ActivityDraft(activity_type, held_on, prison_id=prison_id, **values)  # type: ignore[arg-type]
    return save_activity(session, user, None, draft)


def audit_events(
    session: Session,
    action: str | None = None,
    object_id: uuid.UUID | None = None,
    object_type: str | None = None,
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.sequence)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if object_type is not None:
        query = query.where(AuditEvent.object_type == object_type)
    return list(session.scalars(query))


def count(session: Session, model: type, *conditions: object) -> int:
    query = select(func.count()).select_from(model)
    if conditions:
        query = query.where(*conditions)  # type: ignore[arg-type]
    return session.scalar(query) or 0


def fields(error: pytest.ExceptionInfo[Exception]) -> set[str]:
    """The fields of the problems of a ``ValidationFailed``."""
    return {problem.field for problem in getattr(error.value, "problems", [])}
