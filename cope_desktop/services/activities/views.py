"""Plain, read-only values describing activities as the screens show them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from cope_desktop.db.enums import ActivityType, AttendeeKind, Rating


@dataclass(frozen=True)
class ActivityRow:
    """One activity in a list. The counts are counted attendances only.

    A named attendance counts when neither the row, nor the person, nor the person's family
    is archived; the anonymous counts are the unarchived head counts.
    """

    id: uuid.UUID
    reference: str
    held_on: dt.date
    start_time: dt.time | None
    type: ActivityType
    prison_name: str | None
    children: int
    caregivers: int
    relatives: int
    anonymous_children: int
    anonymous_adults: int
    duration_minutes: int | None
    series_title: str | None
    archived: bool


@dataclass(frozen=True)
class Attendee:
    """One person who is expected at an activity, or was there."""

    kind: AttendeeKind
    """CHILD, CAREGIVER or RELATIVE."""
    person_id: uuid.UUID
    name: str
    """The names, or the reference when no name is kept."""
    reference: str
    family_reference: str
    age_band: str | None
    """Children: "0-4", "5-9", "10-14", "15-17" or "18+" on the activity's date; else None."""
    present: bool
    rating: Rating | None
    """The child's feedback on this activity, if any (children only)."""
    archived: bool
    """The person or their family is archived: shown, never counted."""
    linked_to_prison: bool
    """The family has an unarchived imprisoned relative in the activity's prison."""
    data_consent: bool = True
    """The family has a current data processing consent (without one it cannot be ticked)."""


@dataclass(frozen=True)
class FeedbackView:
    id: uuid.UUID
    child_id: uuid.UUID | None
    """None for an anonymous feedback card."""
    rating: Rating
    quote: str | None
    quote_approved: bool
    age_band: str | None
    country: str | None
    """The country of the activity's prison, or else of the organisation."""
    face: int | None = None
    """The face tapped on a five-face scale (1 to 5), when that scale was used."""


@dataclass(frozen=True)
class ActivityDetail:
    id: uuid.UUID
    reference: str
    type: ActivityType
    held_on: dt.date
    start_time: dt.time | None
    duration_minutes: int | None
    prison_id: uuid.UUID | None
    prison_name: str | None
    staff: str | None
    notes: str | None
    sport: str | None
    partners: str | None
    series_id: uuid.UUID | None
    series_title: str | None
    archived: bool
    attendees: tuple[Attendee, ...]
    """Everyone with a named attendance row: present ones first, then those whose row was
    archived (``present`` False); each group by family reference, kind and name."""
    anonymous_children: int
    anonymous_adults: int
    feedback: tuple[FeedbackView, ...]


@dataclass(frozen=True)
class CampaignSummary:
    """REPORT-SPEC.md table 5 for one year's Game with Mum & Dad events, exact numbers."""

    year: int
    events: int
    prisons: int
    child_attendances: int
    """Counted named child attendances plus the anonymous children's head counts."""
    children: int
    """Distinct named children."""
    imprisoned_parents: int
    caregivers: int
    positive: int
    neutral: int
    negative: int
    event_rows: tuple[ActivityRow, ...]
    """The year's events, oldest first."""
