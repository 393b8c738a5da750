"""Small helpers that insert records straight through the ORM, for the counting tests.

The services would check and audit every record; these tests only need rows in the tables,
with exactly the dates, kinds and deletions each rule is about.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypeVar

from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    CustodyStatus,
    Rating,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
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


class Rows:
    """Adds records to ``session`` with unique references; every method flushes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._count = 0

    def _add(self, record: Record, deleted: bool = False) -> Record:
        if deleted:
            record.deleted_at = DELETED  # type: ignore[attr-defined]
        self.session.add(record)
        self.session.flush()
        family_id = getattr(record, "family_id", None)
        if family_id is not None:  # as the record services do after every change of people
            search_terms.refresh(self.session, [family_id])
        return record

    def ref(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count:05d}"

    def family(
        self,
        opened: dt.date,
        closed: dt.date | None = None,
        *,
        referral: ReferralSource | None = None,
        caseworker: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> Family:
        family = Family(
            reference=self.ref("F"),
            opened_on=opened,
            closed_on=closed,
            referral_source=referral,
            caseworker_id=caseworker,
        )
        return self._add(family, deleted)

    def child(
        self,
        family: Family,
        *,
        born: dt.date | None = None,
        year: int | None = None,
        month: int | None = None,
        sex: Sex = Sex.FEMALE,
        first_name: str | None = None,
        last_name: str | None = None,
        support_start: dt.date | None = None,
        support_end: dt.date | None = None,
        deleted: bool = False,
    ) -> Child:
        child = Child(
            reference=self.ref("C"),
            family_id=family.id,
            birth_date=born,
            birth_year=year,
            birth_month=month,
            sex=sex,
            first_name=first_name,
            last_name=last_name,
            support_start=support_start,
            support_end=support_end,
        )
        return self._add(child, deleted)

    def caregiver(
        self,
        family: Family,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        address: str | None = None,
        deleted: bool = False,
    ) -> Caregiver:
        caregiver = Caregiver(
            reference=self.ref("G"),
            family_id=family.id,
            first_name=first_name,
            last_name=last_name,
            address=address,
        )
        return self._add(caregiver, deleted)

    def relative(
        self,
        family: Family,
        *links: tuple[Child, Relationship],
        prison_id: uuid.UUID | None = None,
        first_name: str | None = None,
        deleted: bool = False,
    ) -> ImprisonedRelative:
        relative = self._add(
            ImprisonedRelative(
                reference=self.ref("R"),
                family_id=family.id,
                prison_id=prison_id,
                first_name=first_name,
            ),
            deleted,
        )
        for child, relationship in links:
            self.link(child, relative, relationship)
        return relative

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
        return self._add(link, deleted)

    def custody(
        self,
        relative: ImprisonedRelative,
        status: CustodyStatus,
        since: dt.date,
        *,
        created_at: dt.datetime | None = None,
        deleted: bool = False,
    ) -> CustodyEvent:
        event = CustodyEvent(relative_id=relative.id, status=status, since=since)
        if created_at is not None:
            event.created_at = created_at
        return self._add(event, deleted)

    def activity(
        self,
        held_on: dt.date,
        kind: ActivityType = ActivityType.FAMILY_DAY,
        *,
        minutes: int | None = None,
        prison_id: uuid.UUID | None = None,
        deleted: bool = False,
    ) -> Activity:
        activity = Activity(
            reference=self.ref("A"),
            type=kind,
            held_on=held_on,
            duration_minutes=minutes,
            prison_id=prison_id,
        )
        return self._add(activity, deleted)

    def attend(
        self,
        activity: Activity,
        person: Child | Caregiver | ImprisonedRelative,
        *,
        deleted: bool = False,
    ) -> Attendance:
        attendance = Attendance(activity_id=activity.id)
        if isinstance(person, Child):
            attendance.kind, attendance.child_id = AttendeeKind.CHILD, person.id
        elif isinstance(person, Caregiver):
            attendance.kind, attendance.caregiver_id = AttendeeKind.CAREGIVER, person.id
        else:
            attendance.kind, attendance.relative_id = AttendeeKind.RELATIVE, person.id
        return self._add(attendance, deleted)

    def anonymous(self, activity: Activity, head_count: int, *, adults: bool = False) -> Attendance:
        kind = AttendeeKind.ANONYMOUS_ADULTS if adults else AttendeeKind.ANONYMOUS_CHILDREN
        return self._add(Attendance(activity_id=activity.id, kind=kind, head_count=head_count))

    def feedback(
        self,
        activity: Activity,
        rating: Rating = Rating.POSITIVE,
        *,
        child: Child | None = None,
        quote: str | None = None,
        approved: bool = False,
        deleted: bool = False,
    ) -> Feedback:
        feedback = Feedback(
            activity_id=activity.id,
            child_id=child.id if child else None,
            rating=rating,
            quote=quote,
            quote_approved=approved,
        )
        return self._add(feedback, deleted)

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
        return self._add(service, deleted)
