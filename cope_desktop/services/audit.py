"""Append-only, hash-chained audit trail (each row's hash covers the previous row's hash)."""

from __future__ import annotations

import datetime as dt
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
    if event.origin_device is not None:
        # Only events from another copy carry their origin: older hashes stay valid.
        body["origin_device"] = str(event.origin_device)
        body["origin_sequence"] = event.origin_sequence
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
    at: dt.datetime | None = None,
    origin_device: uuid.UUID | None = None,
    origin_sequence: int | None = None,
) -> AuditEvent:
    """Append one event to the trail, chained to the last one.

    An event brought from another copy keeps its original time ``at`` and its origin
    ``(origin_device, origin_sequence)``: it joins this copy's own chain at the end.
    """
    last = session.execute(
        select(AuditEvent.sequence, AuditEvent.hash).order_by(AuditEvent.sequence.desc()).limit(1)
    ).first()
    event = AuditEvent(
        sequence=(last.sequence + 1) if last else 1,
        at=at if at is not None else utcnow(),
        user_id=user_id,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        previous_hash=last.hash if last else GENESIS,
        origin_device=origin_device,
        origin_sequence=origin_sequence,
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


def append_chained(session: Session, events: list[AuditEvent]) -> None:
    """Chain ``events`` (built without sequence or hashes) after the last one, in one flush.

    For many events at once (another copy's trail brought by a sync bundle): ``record``
    reads the last event and flushes for each one, which costs more than the rest of an
    import of a day's work.
    """
    if not events:
        return
    last = session.execute(
        select(AuditEvent.sequence, AuditEvent.hash).order_by(AuditEvent.sequence.desc()).limit(1)
    ).first()
    sequence, previous = (last.sequence, last.hash) if last else (0, GENESIS)
    for event in events:
        sequence += 1
        event.sequence = sequence
        event.previous_hash = previous
        event.hash = previous = _digest(event)
    session.add_all(events)
    session.flush()


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
