"""What would travel in a bundle, counted before it is written (for the guided screens).

A full bundle carries every synced row; a changes bundle the rows changed since the peer's
acknowledged sequence (``sync_peer.acked_seq``; everything when the peer is unknown). The
size is an estimate (compressed JSON, roughly), shown so a person can tell whether the USB
stick is big enough; the exact size is known only once the file is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from cope_desktop.db.models import AuditEvent, Organisation, SyncDevice, SyncPeer
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.sync.model import SYNCED_TABLES

BYTES_PER_ROW_FULL = 80
"""A row in a full bundle, compressed: 53 bytes measured on the large demo (476,000 rows,
25 MB), 75 on the small sample; rounded up so the estimate errs on the large side."""
BYTES_PER_CHANGED_ROW = 160
"""A changed row with its field clocks in a changes bundle: 147 bytes measured (500 changes,
73 kB, benchmark S1), rounded up."""
BYTES_PER_AUDIT_EVENT = 90
FULL_OVERHEAD = 4_000
"""Users, key slots and settings travel in a full bundle too (a few kB)."""


@dataclass(frozen=True)
class TravelPreview:
    """How much a bundle would carry."""

    families: int
    children: int
    activities: int
    attendances: int
    rows: int
    """Every synced row (or tombstone), of every table."""
    audit_events: int
    size_estimate: int
    """In bytes, roughly."""


def full_preview(session: Session, actor: CurrentUser) -> TravelPreview:
    """What a full bundle (a new field laptop) would carry: every record."""
    require(actor, Permission.PREPARE_LAPTOP)
    counts = {table: _count(session, f"SELECT count(*) FROM {table}") for table in SYNCED_TABLES}
    audit = _count(session, "SELECT count(*) FROM audit_event")
    return _preview(counts, audit, BYTES_PER_ROW_FULL, FULL_OVERHEAD)


def changes_preview(
    session: Session, actor: CurrentUser, peer_id: uuid.UUID | None = None
) -> TravelPreview:
    """What a changes bundle for ``peer_id`` (None: a copy not known yet) would carry."""
    require(actor, Permission.SYNC_EXCHANGE)
    acked = acked_seq(session, peer_id)
    rows = session.execute(
        text("SELECT table_name, count(*) FROM sync_row WHERE seq > :seq GROUP BY table_name"),
        {"seq": acked},
    ).all()
    counts = {str(table): int(count) for table, count in rows}
    audit = _unseen_audit_events(session, peer_id)
    return _preview(counts, audit, BYTES_PER_CHANGED_ROW, 0)


def acked_seq(session: Session, peer_id: uuid.UUID | None) -> int:
    """The highest of our sequence numbers the peer said it has seen (0 if none)."""
    if peer_id is None:
        return 0
    return session.scalar(select(SyncPeer.acked_seq).where(SyncPeer.device_id == peer_id)) or 0


def _unseen_audit_events(session: Session, peer_id: uuid.UUID | None) -> int:
    """An estimate: the audit events made since the peer was last sent anything."""
    everything = "SELECT count(*) FROM audit_event"
    if peer_id is None:
        return _count(session, everything)
    last = session.scalar(select(SyncPeer.last_export_at).where(SyncPeer.device_id == peer_id))
    if last is None:
        return _count(session, everything)
    return session.scalar(select(func.count()).where(AuditEvent.at > last)) or 0


def _preview(
    counts: dict[str, int], audit: int, bytes_per_row: int, overhead: int
) -> TravelPreview:
    rows = sum(counts.values())
    return TravelPreview(
        families=counts.get("family", 0),
        children=counts.get("child", 0),
        activities=counts.get("activity", 0),
        attendances=counts.get("attendance", 0),
        rows=rows,
        audit_events=audit,
        size_estimate=overhead + rows * bytes_per_row + audit * BYTES_PER_AUDIT_EVENT,
    )


def _count(session: Session, sql: str) -> int:
    return int(session.execute(text(sql)).scalar() or 0)


@dataclass(frozen=True)
class CopyInfo:
    """The copy this database is, as the Field laptops page names it."""

    device_id: uuid.UUID | None
    name: str
    tag: str
    """The reference tag of a copy made from a full bundle; empty on the original."""

    @property
    def is_original(self) -> bool:
        return not self.tag


def this_copy(session: Session) -> CopyInfo:
    """The device row of this copy (an empty name before the sync tables exist)."""
    row = session.execute(
        select(SyncDevice.id, SyncDevice.name, SyncDevice.tag).where(SyncDevice.is_self)
    ).first()
    if row is None:
        return CopyInfo(None, "", "")
    return CopyInfo(row[0], str(row[1] or ""), str(row[2] or ""))


def their_seq(session: Session, device_id: uuid.UUID | str) -> int:
    """The highest of a peer's own sequence numbers whose changes this copy has imported."""
    device = device_id if isinstance(device_id, uuid.UUID) else uuid.UUID(str(device_id))
    return session.scalar(select(SyncPeer.their_seq).where(SyncPeer.device_id == device)) or 0


def organisation_id(session: Session) -> uuid.UUID | None:
    return session.scalar(select(Organisation.id))
