"""Plain, read-only values describing a family record as the screens show it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from cope_desktop.db.enums import (
    ActivityType,
    CaseStatus,
    ConsentKind,
    CustodyStatus,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)


@dataclass(frozen=True)
class LinkView:
    """One child related to one imprisoned relative."""

    id: uuid.UUID
    child_id: uuid.UUID
    relative_id: uuid.UUID
    relationship: Relationship


@dataclass(frozen=True)
class ChildView:
    id: uuid.UUID
    reference: str
    first_name: str | None
    last_name: str | None
    birth_date: dt.date | None
    birth_year: int | None
    birth_month: int | None
    sex: Sex
    school_level: str | None
    knows_parent_location: bool | None
    support_start: dt.date | None
    support_end: dt.date | None
    links: tuple[LinkView, ...]
    deleted: bool


@dataclass(frozen=True)
class CaregiverView:
    id: uuid.UUID
    reference: str
    first_name: str | None
    last_name: str | None
    relationship_to_children: str | None
    phone: str | None
    email: str | None
    address: str | None
    is_main: bool
    deleted: bool


@dataclass(frozen=True)
class CustodyView:
    id: uuid.UUID
    status: CustodyStatus
    since: dt.date
    prison_id: uuid.UUID | None
    prison_name: str | None


@dataclass(frozen=True)
class RelativeView:
    id: uuid.UUID
    reference: str
    first_name: str | None
    last_name: str | None
    prison_id: uuid.UUID | None
    prison_name: str | None
    custody: tuple[CustodyView, ...]
    """Oldest first; the last one is the current custody status."""
    deleted: bool


@dataclass(frozen=True)
class ConsentView:
    id: uuid.UUID
    kind: ConsentKind
    child_id: uuid.UUID | None
    """For a child's own assent (or a consent given for one child only)."""
    given_by: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    notes: str | None
    deleted: bool

    def is_current(self, on: dt.date) -> bool:
        return (
            not self.deleted
            and self.given_on <= on
            and (self.withdrawn_on is None or self.withdrawn_on > on)
        )


@dataclass(frozen=True)
class SupportView:
    id: uuid.UUID
    service: ServiceType
    provided_on: dt.date
    child_id: uuid.UUID | None
    provided_by: str
    """The display name of the user who gave it, or empty."""
    notes: str | None
    deleted: bool


@dataclass(frozen=True)
class NoteView:
    id: uuid.UUID
    written_on: dt.date
    author: str
    text: str


@dataclass(frozen=True)
class StatusChangeView:
    status: CaseStatus
    changed_on: dt.date
    reason: str | None
    by: str


@dataclass(frozen=True)
class AttendedActivity:
    """An activity a member of the family attended (not deleted)."""

    activity_id: uuid.UUID
    held_on: dt.date
    type: ActivityType
    prison_name: str | None
    people: tuple[str, ...]
    """Display names of the family's members who attended."""


@dataclass(frozen=True)
class FamilyRecord:
    id: uuid.UUID
    reference: str
    opened_on: dt.date
    closed_on: dt.date | None
    close_reason: str | None
    referral_source: ReferralSource | None
    caseworker_id: uuid.UUID | None
    caseworker: str
    notes_allowed: bool
    deleted: bool
    children: tuple[ChildView, ...]
    caregivers: tuple[CaregiverView, ...]
    relatives: tuple[RelativeView, ...]
    consents: tuple[ConsentView, ...]
    support: tuple[SupportView, ...]
    activities: tuple[AttendedActivity, ...]
    """Most recent first, at most ``ACTIVITY_LIMIT`` of them."""
    activities_total: int
    history: tuple[StatusChangeView, ...]
    notes: tuple[NoteView, ...] | None
    """None when the signed-in user's role may not read case notes."""
    has_data_consent: bool
    """A data processing consent is current today."""

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
