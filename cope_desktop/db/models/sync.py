"""Synchronisation metadata between copies of one database (sync/API.md "Tables").

Nothing here is a record of the organisation: these tables say which device wrote which
field of which synced row, so that copies exchanging bundles can tell newer, older and
concurrent changes apart.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cope_desktop.db.base import Base, IdMixin, utcnow


class SyncDevice(Base):
    """A copy of the database this copy knows of; ``is_self`` marks this copy (one row)."""

    __tablename__ = "sync_device"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), default="")
    tag: Mapped[str] = mapped_column(String(8), default="")
    """The reference tag of a copy made from a full bundle ("7QK2"); "" on the original."""
    is_self: Mapped[bool] = mapped_column(default=False)
    counter: Mapped[int] = mapped_column(default=0)
    """The device's highest transaction counter seen (its own, for the self row)."""
    seq: Mapped[int] = mapped_column(default=0)
    """Self row only: the local change sequence (every row changed here gets the next one)."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SyncRow(Base):
    """The version vector of one synced row, and whether it was deleted (a tombstone)."""

    __tablename__ = "sync_row"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (one B-tree, not two)

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    vv: Mapped[dict[str, int]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(default=False)
    seq: Mapped[int] = mapped_column(index=True)


class SyncField(Base):
    """The dot of one field's current value, and every candidate while it is in conflict."""

    __tablename__ = "sync_field"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (one B-tree, not two)

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    device: Mapped[uuid.UUID]
    counter: Mapped[int]
    candidates: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)


class SyncPeer(Base):
    """Another copy this one exchanges bundles with, and how far each has seen the other."""

    __tablename__ = "sync_peer"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sync_device.id"), primary_key=True)
    their_seq: Mapped[int] = mapped_column(default=0)
    acked_seq: Mapped[int] = mapped_column(default=0)
    last_import_at: Mapped[dt.datetime | None]
    last_export_at: Mapped[dt.datetime | None]


class SyncHistory(IdMixin, Base):
    """One bundle written or read."""

    __tablename__ = "sync_history"

    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sync_device.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))
    """"export" or "import"."""
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    kind: Mapped[str] = mapped_column(String(10))
    """"full" or "changes"."""
    rows: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
