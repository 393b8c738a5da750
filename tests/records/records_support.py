"""Helpers for the record services' tests: users, a prison, a valid "New family"."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from service_support import OPENED as OPENED
from service_support import TODAY as TODAY
from service_support import Users as Users
from service_support import add_prison as add_prison
from service_support import add_user as add_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind, CustodyStatus, Relationship
from cope_desktop.db.models import AuditEvent
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)


def new_family(
    prison_id: uuid.UUID | None = None,
    *,
    children: list[NewChild] | None = None,
    consent: bool = True,
    custody: bool = True,
    reference: str = "",
) -> NewFamily:
    """A valid "New family": one child, a caregiver, a relative, custody and data consent."""
    return NewFamily(
        family=FamilyDraft(reference=reference, opened_on=OPENED),
        caregiver=CaregiverDraft(first_name="Anna", last_name="Kowalska", email="anna@example.org"),
        relative=RelativeDraft(first_name="Piotr", last_name="Kowalski", prison_id=prison_id),
        custody=(
            CustodyDraft(CustodyStatus.SENTENCED, dt.date(2023, 11, 2), prison_id)
            if custody
            else None
        ),
        children=children
        if children is not None
        else [NewChild(ChildDraft(first_name="Zoë", birth_year=2015), Relationship.FATHER)],
        data_consent=(
            ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna Kowalska", OPENED) if consent else None
        ),
    )


def audit_events(
    session: Session, action: str | None = None, object_id: uuid.UUID | None = None
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.sequence)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(session.scalars(query))


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def fields(error: pytest.ExceptionInfo[Exception]) -> set[str]:
    """The fields of the problems of a ``ValidationFailed``."""
    return {problem.field for problem in getattr(error.value, "problems", [])}
