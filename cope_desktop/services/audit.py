"""Append-only, hash-chained audit trail (each row's hash covers the previous row's hash)."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.models import AuditEvent
from cope_desktop.i18n import _

if TYPE_CHECKING:
    from cope_desktop.services.accounts import CurrentUser

GENESIS = "0" * 64


def _digest(event: AuditEvent) -> str:
    body = {
        "sequence": event.sequence,
        "at": event.at.isoformat(),
        "user_id": str(event.user_id) if event.user_id else None,
        "username": event.username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id) if event.object_id else None,
        "detail": event.detail,
        "previous": event.previous_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    user_id: uuid.UUID | None = None,
    username: str = "",
    object_type: str | None = None,
    object_id: uuid.UUID | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one event to the trail, chained to the last one."""
    last = session.execute(
        select(AuditEvent.sequence, AuditEvent.hash).order_by(AuditEvent.sequence.desc()).limit(1)
    ).first()
    event = AuditEvent(
        sequence=(last.sequence + 1) if last else 1,
        at=utcnow(),
        user_id=user_id,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        previous_hash=last.hash if last else GENESIS,
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


def verify_chain(session: Session) -> list[str]:
    """Problems found in the trail: a row edited, removed or inserted breaks the chain."""
    problems: list[str] = []
    previous = GENESIS
    expected_sequence = 1
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.sequence)):
        if event.sequence != expected_sequence:
            problems.append(_("Audit event {number} is missing.").format(number=expected_sequence))
        if event.previous_hash != previous or event.hash != _digest(event):
            problems.append(_("Audit event {number} was altered.").format(number=event.sequence))
        previous = event.hash
        expected_sequence = event.sequence + 1
    return problems


def record_by(
    session: Session,
    user: CurrentUser,
    action: str,
    object_type: str,
    object_id: uuid.UUID | None,
    detail: str = "",
) -> AuditEvent:
    """Append an event done by the signed-in ``user`` to one record ("view", "change"…)."""
    return record(
        session,
        action,
        user_id=user.id,
        username=user.username,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
