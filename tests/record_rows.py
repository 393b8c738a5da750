"""Rows inserted straight through the ORM, for tests that need exact records in the tables.

The record services check and audit every record; counting, export and import tests only need
rows with exactly the dates, kinds and deletions each case is about. ``RecordRows`` adds the
records that have no reference of their own (links, custody, attendance, feedback, support);
the report tests and the interchange tests each add people and activities their own way
(references made up, or named by the test).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    AttendeeKind,
    CustodyStatus,
    Rating,
    Relationship,
    ServiceType,
)
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    ChildRelative,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    SupportService,
)
from cope_desktop.services import search_terms

DELETED = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""When a test record was marked deleted (any time will do: deleted means never counted)."""

Record = TypeVar("Record")
Person = Child | Caregiver | ImprisonedRelative


class RecordRows:
    """Adds records to ``session``; every method flushes and returns the record."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: Record, *, deleted: bool = False) -> Record:
        if deleted:
            record.deleted_at = DELETED  # type: ignore[attr-defined]
        self.session.add(record)
        self.session.flush()
        family_id = getattr(record, "family_id", None)
        if family_id is not None:  # as the record services do after every change of people
            search_terms.refresh(self.session, [family_id])
        return record

    def link(
        self,
        child: Child,
        relative: ImprisonedRelative,
        relationship: Relationship,
        *,
        deleted: bool = False,
    ) -> ChildRelative:
        link = ChildRelative(
            child_id=child.id, relative_id=relative.id, relationship_to_child=relationship
        )
        return self.add(link, deleted=deleted)

    def custody(
        self,
        relative: ImprisonedRelative,
        status: CustodyStatus,
        since: dt.date,
        *,
        entered: dt.datetime | None = None,
        deleted: bool = False,
    ) -> CustodyEvent:
        event = CustodyEvent(relative_id=relative.id, status=status, since=since)
        if entered is not None:
            event.created_at = entered
        return self.add(event, deleted=deleted)

    def attend(self, activity: Activity, person: Person, *, deleted: bool = False) -> Attendance:
        attendance = Attendance(activity_id=activity.id)
        if isinstance(person, Child):
            attendance.kind, attendance.child_id = AttendeeKind.CHILD, person.id
        elif isinstance(person, Caregiver):
            attendance.kind, attendance.caregiver_id = AttendeeKind.CAREGIVER, person.id
        else:
            attendance.kind, attendance.relative_id = AttendeeKind.RELATIVE, person.id
        return self.add(attendance, deleted=deleted)

    def anonymous(
        self, activity: Activity, head_count: int, *, adults: bool = False, deleted: bool = False
    ) -> Attendance:
        kind = AttendeeKind.ANONYMOUS_ADULTS if adults else AttendeeKind.ANONYMOUS_CHILDREN
        attendance = Attendance(activity_id=activity.id, kind=kind, head_count=head_count)
        return self.add(attendance, deleted=deleted)

    def feedback(
        self,
        activity: Activity,
        rating: Rating = Rating.POSITIVE,
        *,
        child: Child | None = None,
        quote: str | None = None,
        approved: bool = False,
        entered: dt.datetime | None = None,
        deleted: bool = False,
    ) -> Feedback:
        feedback = Feedback(
            activity_id=activity.id,
            child_id=child.id if child else None,
            rating=rating,
            quote=quote,
            quote_approved=approved,
        )
        if entered is not None:
            feedback.created_at = entered
        return self.add(feedback, deleted=deleted)

    def service(
        self,
        family: Family,
        kind: ServiceType,
        provided_on: dt.date,
        *,
        child: Child | None = None,
        provided_by: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> SupportService:
        service = SupportService(
            family_id=family.id,
            child_id=child.id if child else None,
            service=kind,
            provided_on=provided_on,
            provided_by_id=provided_by,
        )
        return self.add(service, deleted=deleted)
