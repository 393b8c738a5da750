"""Families (cases) and the people in them, prisons, consent, support and case notes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cope_desktop.db.base import Base, IdMixin, RecordMixin, TimestampMixin
from cope_desktop.db.enums import (
    CaseStatus,
    ConsentKind,
    CustodyStatus,
    PrisonType,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)
from cope_desktop.db.models._types import code_enum


def deleted_index(table: str) -> Index:
    """The ids of deleted rows only: reports find the few deleted records without a scan."""
    deleted = text("deleted_at IS NOT NULL")
    return Index(f"ix_{table}_deleted", "id", sqlite_where=deleted, postgresql_where=deleted)


class PersonMixin:
    """Names are optional: an organisation may keep pseudonymous references only."""

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    anonymised_at: Mapped[dt.datetime | None]


class Prison(RecordMixin, Base):
    __tablename__ = "prison"

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    region: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[PrisonType | None] = mapped_column(code_enum(PrisonType, "prison_type"))
    visiting_facilities: Mapped[str | None] = mapped_column(Text)


class Family(RecordMixin, Base):
    """A household supported by the organisation: one case, opened and perhaps closed."""

    __tablename__ = "family"
    __table_args__ = (
        CheckConstraint("closed_on IS NULL OR closed_on >= opened_on", name="closed_after_opened"),
        Index("ix_family_period", "opened_on", "closed_on"),
        deleted_index("family"),
    )

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    opened_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    close_reason: Mapped[str | None] = mapped_column(String(200))
    referral_source: Mapped[ReferralSource | None] = mapped_column(
        code_enum(ReferralSource, "referral_source")
    )
    caseworker_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    notes_allowed: Mapped[bool] = mapped_column(default=True)
    anonymised_at: Mapped[dt.datetime | None]

    children: Mapped[list[Child]] = relationship(back_populates="family")
    caregivers: Mapped[list[Caregiver]] = relationship(back_populates="family")
    relatives: Mapped[list[ImprisonedRelative]] = relationship(back_populates="family")
    status_changes: Mapped[list[CaseStatusChange]] = relationship(
        back_populates="family", order_by="CaseStatusChange.changed_on"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseStatusChange(IdMixin, TimestampMixin, Base):
    """A case closed or reopened on a date, with the reason: the history after ``opened_on``.

    ``Family.closed_on`` and ``close_reason`` always agree with the latest change.
    """

    __tablename__ = "case_status_change"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(code_enum(CaseStatus, "case_status"))
    changed_on: Mapped[dt.date]
    reason: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    family: Mapped[Family] = relationship(back_populates="status_changes")


class Child(PersonMixin, RecordMixin, Base):
    __tablename__ = "child"
    __table_args__ = (
        CheckConstraint("birth_month IS NULL OR birth_month BETWEEN 1 AND 12", name="month"),
        deleted_index("child"),
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    birth_date: Mapped[dt.date | None]
    birth_year: Mapped[int | None]
    birth_month: Mapped[int | None]
    sex: Mapped[Sex] = mapped_column(code_enum(Sex, "sex"), default=Sex.NOT_STATED)
    school_level: Mapped[str | None] = mapped_column(String(60))
    knows_parent_location: Mapped[bool | None]
    support_start: Mapped[dt.date | None]
    support_end: Mapped[dt.date | None]

    family: Mapped[Family] = relationship(back_populates="children")
    relative_links: Mapped[list[ChildRelative]] = relationship(back_populates="child")


class Caregiver(PersonMixin, RecordMixin, Base):
    __tablename__ = "caregiver"
    __table_args__ = (deleted_index("caregiver"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    relationship_to_children: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    is_main: Mapped[bool] = mapped_column(default=False)

    family: Mapped[Family] = relationship(back_populates="caregivers")


class ImprisonedRelative(PersonMixin, RecordMixin, Base):
    __tablename__ = "imprisoned_relative"
    __table_args__ = (deleted_index("imprisoned_relative"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    prison_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prison.id"), index=True)

    family: Mapped[Family] = relationship(back_populates="relatives")
    prison: Mapped[Prison | None] = relationship()
    custody_events: Mapped[list[CustodyEvent]] = relationship(
        back_populates="relative", order_by="CustodyEvent.since"
    )


class CustodyEvent(RecordMixin, Base):
    """Custody history: the status a relative entered on a date (pre-trial, sentenced, released)."""

    __tablename__ = "custody_event"

    relative_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("imprisoned_relative.id"), index=True)
    status: Mapped[CustodyStatus] = mapped_column(code_enum(CustodyStatus, "custody_status"))
    since: Mapped[dt.date]
    prison_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prison.id"))

    relative: Mapped[ImprisonedRelative] = relationship(back_populates="custody_events")


class ChildRelative(RecordMixin, Base):
    """How one child is related to one imprisoned relative."""

    __tablename__ = "child_relative"
    __table_args__ = (UniqueConstraint("child_id", "relative_id", name="uq_child_relative_pair"),)

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("child.id"), index=True)
    relative_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("imprisoned_relative.id"), index=True)
    relationship_to_child: Mapped[Relationship] = mapped_column(
        code_enum(Relationship, "relationship")
    )

    child: Mapped[Child] = relationship(back_populates="relative_links")
    relative: Mapped[ImprisonedRelative] = relationship()


class Consent(RecordMixin, Base):
    """What was agreed, by whom and when, and when it was withdrawn."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after_given"
        ),
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"))
    kind: Mapped[ConsentKind] = mapped_column(code_enum(ConsentKind, "consent_kind"))
    given_by: Mapped[str] = mapped_column(String(200))
    given_on: Mapped[dt.date]
    withdrawn_on: Mapped[dt.date | None]
    notes: Mapped[str | None] = mapped_column(Text)


class SupportService(RecordMixin, Base):
    """Individual support given to a family or to one child on a date."""

    __tablename__ = "support_service"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    service: Mapped[ServiceType] = mapped_column(code_enum(ServiceType, "service_type"))
    provided_on: Mapped[dt.date] = mapped_column(index=True)
    provided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class CaseNote(RecordMixin, Base):
    """Dated free text by a caseworker: never in lists, reports or ordinary exports."""

    __tablename__ = "case_note"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    written_on: Mapped[dt.date]
    text: Mapped[str] = mapped_column(Text)
