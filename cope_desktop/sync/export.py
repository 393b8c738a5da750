"""Writing a bundle: the changes another copy has not seen, or everything (a new laptop).

A changes bundle carries every synced row whose local ``seq`` is above what the peer
acknowledged (``sync_peer.acked_seq``), the audit events it has not seen, the devices this
copy knows and how far it has seen each of them (so the receiver learns what we have of it).
A full bundle carries every row, the whole audit trail, and the organisation, users, key
slots and settings a new copy starts with; its header holds the key slots.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.models import AppSetting, AuditEvent, KeySlot, Organisation, User
from cope_desktop.db.models.sync import SyncDevice, SyncHistory, SyncPeer
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.sync import payload as pl
from cope_desktop.sync import values
from cope_desktop.sync.bundle import KIND_CHANGES, KIND_FULL, BundleHeader, write_bundle
from cope_desktop.sync.model import SYNCED_TABLES
from cope_desktop.sync.state import changed_since

AUDIT_MARKS_KEY = "sync_audit_marks:"
"""``app_setting`` key prefix: per peer, the highest audit sequence it holds of each origin."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    audit_events: int
    kind: str = KIND_CHANGES


def audit_marks_key(device_id: uuid.UUID | str) -> str:
    return f"{AUDIT_MARKS_KEY}{device_id}"


def read_audit_marks(session: Session, device_id: uuid.UUID | str) -> dict[str, int]:
    stored = session.get(AppSetting, audit_marks_key(device_id))
    if stored is None or not isinstance(stored.value, dict):
        return {}
    return {str(key): int(value) for key, value in stored.value.items()}


def own_audit_marks(session: Session, self_id: uuid.UUID) -> dict[str, int]:
    """The highest audit sequence this copy holds of each origin (itself included)."""
    marks: dict[str, int] = {}
    local = session.execute(
        select(AuditEvent.sequence)
        .where(AuditEvent.origin_device.is_(None))
        .order_by(AuditEvent.sequence.desc())
        .limit(1)
    ).scalar()
    if local:
        marks[str(self_id)] = int(local)
    rows = session.execute(
        select(AuditEvent.origin_device, func.max(AuditEvent.origin_sequence))
        .where(AuditEvent.origin_device.is_not(None))
        .group_by(AuditEvent.origin_device)
    )
    for device, highest in rows:
        marks[str(device)] = int(highest or 0)
    return marks


def _audit_events(
    session: Session, self_id: uuid.UUID, marks: dict[str, int], skip: str | None
) -> list[list[Any]]:
    """Events whose origin sequence is above the peer's marks, oldest first."""
    events: list[list[Any]] = []
    own = marks.get(str(self_id), 0)
    known = [uuid.UUID(device) for device in marks if device != str(self_id)]
    wanted = [
        and_(AuditEvent.origin_device.is_(None), AuditEvent.sequence > own),
        and_(AuditEvent.origin_device.is_not(None), AuditEvent.origin_device.not_in(known)),
    ]
    wanted += [
        and_(AuditEvent.origin_device == device, AuditEvent.origin_sequence > marks[str(device)])
        for device in known
    ]
    query = select(AuditEvent).where(or_(*wanted)).order_by(AuditEvent.sequence)
    for event in session.scalars(query.execution_options(yield_per=2000)):
        if event.origin_device is None:
            origin, number = str(self_id), event.sequence
            if number <= own:
                continue
        else:
            origin, number = str(event.origin_device), int(event.origin_sequence or 0)
            if origin == skip or number <= marks.get(origin, 0):
                continue
        events.append(
            [
                origin,
                number,
                values.encode_datetime(event.at),
                str(event.user_id) if event.user_id else None,
                event.username,
                event.action,
                event.object_type,
                str(event.object_id) if event.object_id else None,
                event.detail,
            ]
        )
    return events


def _devices(session: Session) -> list[dict[str, Any]]:
    return [
        {"id": str(d.id), "name": d.name, "tag": d.tag, "counter": d.counter}
        for d in session.scalars(select(SyncDevice))
    ]


def _marks(session: Session) -> dict[str, int]:
    """How far this copy has imported each peer's own sequence."""
    return {str(p.device_id): p.their_seq for p in session.scalars(select(SyncPeer))}


def _users(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": str(u.id),
            "username": u.username,
            "display_name": u.display_name,
            "role": u.role.value,
            "is_active": u.is_active,
            "created_at": values.encode_datetime(u.created_at),
        }
        for u in session.scalars(select(User))
    ]


def _changed_ids(session: Session, since: int) -> dict[str, list[uuid.UUID]]:
    ids: dict[str, list[uuid.UUID]] = {name: [] for name in SYNCED_TABLES}
    for name, row_id in changed_since(session, since):
        ids[name].append(row_id)
    return ids


def _document(
    session: Session, me: SyncDevice, tables: dict[str, Any], events: list[list[Any]]
) -> dict[str, Any]:
    """What every bundle carries besides the rows: who sends it and what it has seen."""
    return {
        "sender": {"id": str(me.id), "name": me.name, "tag": me.tag, "seq": me.seq},
        "devices": _devices(session),
        "marks": _marks(session),
        "audit_marks": own_audit_marks(session, me.id),
        "tables": tables,
        "audit": events,
        "users": _users(session),
    }


def _header(
    session: Session, kind: str, seq_from: int, rows: int, key_slots: list[dict[str, Any]]
) -> BundleHeader:
    org = session.scalars(select(Organisation)).one()
    me = pl.self_device(session)
    return BundleHeader(
        organisation_id=str(org.id),
        organisation_name=org.name,
        device_id=str(me.id),
        device_name=me.name,
        kind=kind,
        seq_from=seq_from,
        seq_to=me.seq,
        rows=rows,
        key_slots=key_slots,
    )


def _resolve_peer(session: Session, peer_id: uuid.UUID | None) -> SyncPeer | None:
    if peer_id is not None:
        return session.get(SyncPeer, peer_id)
    return None


def export_changes(
    db: Database, actor: CurrentUser, out: Path, peer_id: uuid.UUID | None = None
) -> ProgressGenerator[ExportResult]:
    """Write the changes ``peer_id`` has not seen (everything changed, for an unknown peer)."""
    require(actor, Permission.SYNC_EXCHANGE)
    yield Progress(0, len(SYNCED_TABLES) + 2, _("Collecting changes…"))
    with db.session() as session:
        peer = _resolve_peer(session, peer_id)
        since = peer.acked_seq if peer is not None else 0
        me = pl.self_device(session)
        changed = _changed_ids(session, since)
        tables: dict[str, Any] = {}
        rows = 0
        for index, name in enumerate(SYNCED_TABLES, start=1):
            if changed[name]:
                tables[name] = pl.read_table(session, name, changed[name])
                rows += len(tables[name]["rows"]) + len(tables[name]["deleted"])
            yield Progress(index, len(SYNCED_TABLES) + 2, _("Collecting changes…"))
        marks = read_audit_marks(session, peer_id) if peer_id is not None else {}
        events = _audit_events(session, me.id, marks, str(peer_id) if peer_id else None)
        document = _document(session, me, tables, events)
        header = _header(session, KIND_CHANGES, since, rows, [])
    yield Progress(len(SYNCED_TABLES) + 1, len(SYNCED_TABLES) + 2, _("Writing the bundle…"))
    write_bundle(out, header, document, db.data_key)
    _record(db, actor, out, peer_id, KIND_CHANGES, rows, len(events))
    yield Progress(len(SYNCED_TABLES) + 2, len(SYNCED_TABLES) + 2, _("Bundle written."))
    return ExportResult(out, rows, len(events), KIND_CHANGES)


def export_full(db: Database, actor: CurrentUser, out: Path) -> ProgressGenerator[ExportResult]:
    """Write everything a new copy starts from: every row, the audit trail, users, settings."""
    require(actor, Permission.PREPARE_LAPTOP)
    total = len(SYNCED_TABLES) + 2
    yield Progress(0, total, _("Collecting every record…"))
    key_document = json.loads(db.key_file.path.read_text(encoding="utf-8"))
    with db.session() as session:
        me = pl.self_device(session)
        tables: dict[str, Any] = {}
        rows = 0
        for index, name in enumerate(SYNCED_TABLES, start=1):
            tables[name] = pl.read_table(session, name, None)
            rows += len(tables[name]["rows"]) + len(tables[name]["deleted"])
            yield Progress(index, total, _("Collecting every record…"))
        events = _audit_events(session, me.id, {}, None)
        org_table = pl.table("organisation")
        document = {
            **_document(session, me, tables, events),
            "organisation": dict(
                zip(
                    [c.name for c in org_table.columns],
                    pl.encode_rows(org_table, session.execute(select(org_table)))[0],
                    strict=True,
                )
            ),
            "key_slot_rows": _key_slot_rows(session),
            "settings": [
                [s.key, s.value]
                for s in session.scalars(select(AppSetting))
                if not s.key.startswith(AUDIT_MARKS_KEY)
            ],
        }
        header = _header(session, KIND_FULL, 0, rows, list(key_document.get("slots", [])))
    yield Progress(total - 1, total, _("Writing the bundle…"))
    write_bundle(out, header, document, db.data_key)
    _record(db, actor, out, None, KIND_FULL, rows, len(events))
    yield Progress(total, total, _("Bundle written."))
    return ExportResult(out, rows, len(events), KIND_FULL)


def _key_slot_rows(session: Session) -> list[list[Any]]:
    tbl = KeySlot.__table__
    return pl.encode_rows(tbl, session.execute(select(tbl)))  # type: ignore[arg-type]


def _record(
    db: Database,
    actor: CurrentUser,
    out: Path,
    peer_id: uuid.UUID | None,
    kind: str,
    rows: int,
    events: int,
) -> None:
    with db.session() as session:
        peer = _resolve_peer(session, peer_id)
        if peer is not None:
            peer.last_export_at = utcnow()
        detail = f"kind={kind} rows={rows} audit_events={events}"
        session.add(
            SyncHistory(
                device_id=peer.device_id if peer is not None else None,
                direction="export",
                file_name=out.name,
                kind=kind,
                rows=rows,
                conflicts=0,
                detail=detail,
                user_id=actor.id,
            )
        )
        audit.record_by(
            session,
            actor,
            "sync_export",
            "sync_device",
            peer.device_id if peer is not None else None,
            detail,
        )
