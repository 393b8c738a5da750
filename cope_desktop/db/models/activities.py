"""Activities, who attended them, and children's feedback."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cope_desktop.db.base import Base, RecordMixin
from cope_desktop.db.enums import ActivityType, AttendeeKind, Rating
from cope_desktop.db.models._types import code_enum


class ActivitySeries(RecordMixin, Base):
    """A recurring activity (a weekly support group): made once, one activity per session."""

    __tablename__ = "activity_series"
    __table_args__ = (
        CheckConstraint("interval_weeks BETWEEN 1 AND 52", name="interval"),
        CheckConstraint("last_on >= first_on", name="last_after_first"),
    )

    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[ActivityType] = mapped_column(code_enum(ActivityType, "activity_type"))
    first_on: Mapped[dt.date]
    last_on: Mapped[dt.date]
    interval_weeks: Mapped[int] = mapped_column(default=1)
    start_time: Mapped[dt.time | None]
    duration_minutes: Mapped[int | None]
    prison_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prison.id"))
    staff: Mapped[str | None] = mapped_column(String(200))


class Activity(RecordMixin, Base):
    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("duration_minutes IS NULL OR duration_minutes >= 0", name="duration"),
        Index("ix_activity_date_type", "held_on", "type"),
    )

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[ActivityType] = mapped_column(code_enum(ActivityType, "activity_type"))
    held_on: Mapped[dt.date]
    start_time: Mapped[dt.time | None]
    duration_minutes: Mapped[int | None]
    prison_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("prison.id"), index=True)
    staff: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    series_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("activity_series.id"), index=True
    )
    sport: Mapped[str | None] = mapped_column(String(100))
    """Game with Mum & Dad: the sport or game played."""
    partners: Mapped[str | None] = mapped_column(Text)
    """Game with Mum & Dad: partner organisations, one per line."""

    attendances: Mapped[list[Attendance]] = relationship(back_populates="activity")


class Attendance(RecordMixin, Base):
    """One named person at one activity, or a head count of people who are not on file."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'child' AND child_id IS NOT NULL AND caregiver_id IS NULL"
            " AND relative_id IS NULL AND head_count = 1)"
            " OR (kind = 'caregiver' AND caregiver_id IS NOT NULL AND child_id IS NULL"
            " AND relative_id IS NULL AND head_count = 1)"
            " OR (kind = 'relative' AND relative_id IS NOT NULL AND child_id IS NULL"
            " AND caregiver_id IS NULL AND head_count = 1)"
            " OR (kind IN ('anonymous_children', 'anonymous_adults') AND child_id IS NULL"
            " AND caregiver_id IS NULL AND relative_id IS NULL AND head_count >= 0)",
            name="one_attendee",
        ),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id"), index=True)
    kind: Mapped[AttendeeKind] = mapped_column(code_enum(AttendeeKind, "attendee_kind"))
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    caregiver_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("caregiver.id"), index=True)
    relative_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("imprisoned_relative.id"), index=True
    )
    head_count: Mapped[int] = mapped_column(default=1)

    activity: Mapped[Activity] = relationship(back_populates="attendances")


class Feedback(RecordMixin, Base):
    """A child's own rating of an activity, with an optional quote approved for publication."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("face IS NULL OR face BETWEEN 1 AND 5", name="face"),
        CheckConstraint("quote_approved = 0 OR quote IS NOT NULL", name="approved_quote"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id"), index=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id"), index=True)
    rating: Mapped[Rating] = mapped_column(code_enum(Rating, "rating"))
    face: Mapped[int | None]
    """The face tapped on a five-face scale, when that scale was used."""
    quote: Mapped[str | None] = mapped_column(Text)
    quote_approved: Mapped[bool] = mapped_column(default=False)
