"""The organisation, its users and key slots, the audit trail and the release log."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cope_desktop.db.base import Base, IdMixin, TimestampMixin, utcnow
from cope_desktop.db.enums import KeySlotKind, ReleaseKind, Role
from cope_desktop.db.models._types import code_enum


class Organisation(IdMixin, TimestampMixin, Base):
    """The member NGO that owns this database."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    cope_member_id: Mapped[str | None] = mapped_column(String(40))
    stores_names: Mapped[bool] = mapped_column(default=True)
    """False when the organisation keeps pseudonymous codes only, never children's names."""


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(code_enum(Role, "role"))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]

    key_slots: Mapped[list[KeySlot]] = relationship(back_populates="user")


class KeySlot(IdMixin, Base):
    """A copy of the data key wrapped by one secret (a user's password or the recovery key).

    The key file beside the database holds the same slots: it must be readable before the
    database is decrypted. This table records them inside the encrypted file, so that
    ``check`` can tell when the two disagree.
    """

    __tablename__ = "key_slot"

    kind: Mapped[KeySlotKind] = mapped_column(code_enum(KeySlotKind, "key_slot_kind"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    kdf: Mapped[str] = mapped_column(String(20), default="argon2id")
    time_cost: Mapped[int]
    memory_cost_kib: Mapped[int]
    parallelism: Mapped[int]
    salt: Mapped[bytes] = mapped_column(LargeBinary(64))
    nonce: Mapped[bytes] = mapped_column(LargeBinary(32))
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship(back_populates="key_slots")


class AuditEvent(IdMixin, Base):
    """One row per login, view, change, export, report or backup; hash-chained by ``sequence``."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("origin_device", "origin_sequence"),)

    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    origin_device: Mapped[uuid.UUID | None]
    """The copy where the event happened, when it came from another copy (sync); else null."""
    origin_sequence: Mapped[int | None]
    """The event's ``sequence`` in that copy's own trail."""


class ReleaseLog(IdMixin, Base):
    """Every return or report written, so that overlapping periods can be flagged (R13)."""

    __tablename__ = "release_log"

    kind: Mapped[ReleaseKind] = mapped_column(code_enum(ReleaseKind, "release_kind"))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    generated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    file_format: Mapped[str] = mapped_column(String(10))
    threshold: Mapped[int | None]
    checksum: Mapped[str | None] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    suppression: Mapped[dict[str, object] | None] = mapped_column(JSON)
    """Which cells were suppressed, to keep patterns stable from one year to the next."""


class AppSetting(Base):
    """One organisation-wide setting (lock time, backup folder, retention rule…) as JSON.

    Kept in the encrypted database, not in the per-user settings file: these are the
    organisation's privacy policy, changed by an administrator and recorded in the audit.
    """

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
