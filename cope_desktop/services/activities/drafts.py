"""What the activity forms hand to the services; the services strip and check the values."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from cope_desktop.db.enums import ActivityType


@dataclass
class ActivityDraft:
    type: ActivityType | None
    held_on: dt.date | None
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    prison_id: uuid.UUID | None = None
    staff: str | None = None
    notes: str | None = None
    sport: str | None = None
    """Game with Mum & Dad only: the sport or game played."""
    partners: str | None = None
    """Game with Mum & Dad only: partner organisations, one per line."""
    reference: str = ""
    """Empty: the service gives the next free "A-000001" reference."""


@dataclass
class SeriesDraft:
    """A recurring activity: one session every ``interval_weeks`` weeks from first to last."""

    title: str
    type: ActivityType | None
    first_on: dt.date | None
    last_on: dt.date | None
    interval_weeks: int = 1
    start_time: dt.time | None = None
    duration_minutes: int | None = None
    prison_id: uuid.UUID | None = None
    staff: str | None = None
