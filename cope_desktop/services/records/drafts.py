"""What a form (or an import row) hands to the services to create or change a record.

Drafts are plain values straight from the fields; the services strip and check them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from cope_desktop.db.enums import (
    ConsentKind,
    CustodyStatus,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)


@dataclass
class FamilyDraft:
    reference: str
    opened_on: dt.date | None
    referral_source: ReferralSource | None = None
    caseworker_id: uuid.UUID | None = None
    notes_allowed: bool = True


@dataclass
class ChildDraft:
    reference: str = ""
    """Empty: the service gives the next free reference."""
    first_name: str | None = None
    last_name: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    birth_month: int | None = None
    sex: Sex = Sex.NOT_STATED
    school_level: str | None = None
    knows_parent_location: bool | None = None
    support_start: dt.date | None = None
    support_end: dt.date | None = None
    relatives: dict[uuid.UUID, Relationship] = field(default_factory=dict)
    """The imprisoned relatives of the family this child is related to, and how."""


@dataclass
class CaregiverDraft:
    reference: str = ""
    first_name: str | None = None
    last_name: str | None = None
    relationship_to_children: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    is_main: bool = False


@dataclass
class RelativeDraft:
    reference: str = ""
    first_name: str | None = None
    last_name: str | None = None
    prison_id: uuid.UUID | None = None


@dataclass
class CustodyDraft:
    status: CustodyStatus
    since: dt.date | None
    prison_id: uuid.UUID | None = None


@dataclass
class ConsentDraft:
    kind: ConsentKind
    given_by: str
    given_on: dt.date | None
    withdrawn_on: dt.date | None = None
    child_id: uuid.UUID | None = None
    notes: str | None = None


@dataclass
class SupportDraft:
    service: ServiceType
    provided_on: dt.date | None
    child_id: uuid.UUID | None = None
    notes: str | None = None


@dataclass
class NewChild:
    """A child of a new family, related to the new family's imprisoned relative."""

    draft: ChildDraft
    relationship: Relationship


@dataclass
class NewFamily:
    """Everything "New family" asks for, saved together or not at all."""

    family: FamilyDraft
    caregiver: CaregiverDraft
    relative: RelativeDraft
    custody: CustodyDraft | None
    children: list[NewChild]
    data_consent: ConsentDraft | None
    """The data processing consent, when it was given at the first meeting."""
