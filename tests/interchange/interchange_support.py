"""Records inserted straight through the ORM with the references a test names, and a reader.

The record services would check and audit every record; the export tests only need rows in
the tables, with exactly the references, dates, kinds and deletions each case is about.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    CustodyStatus,
    Rating,
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
    Prison,
    SupportService,
)

DELETED = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)

Record = TypeVar("Record")
Person = Child | Caregiver | ImprisonedRelative


class Rows:
    """Adds records to ``session``; every method flushes and returns the record."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: Record, *, deleted: bool = False) -> Record:
        if deleted:
            record.deleted_at = DELETED  # type: ignore[attr-defined]
        self.session.add(record)
        self.session.flush()
        return record

    def prison(self, reference: str, name: str, **values: Any) -> Prison:
        deleted = values.pop("deleted", False)
        values.setdefault("country", "IT")
        return self.add(Prison(reference=reference, name=name, **values), deleted=deleted)

    def family(self, reference: str, opened: dt.date, **values: Any) -> Family:
        deleted = values.pop("deleted", False)
        return self.add(Family(reference=reference, opened_on=opened, **values), deleted=deleted)

    def child(self, family: Family, reference: str, **values: Any) -> Child:
        deleted = values.pop("deleted", False)
        values.setdefault("sex", Sex.NOT_STATED)
        child = Child(reference=reference, family_id=family.id, **values)
        return self.add(child, deleted=deleted)

    def caregiver(self, family: Family, reference: str, **values: Any) -> Caregiver:
        deleted = values.pop("deleted", False)
        caregiver = Caregiver(reference=reference, family_id=family.id, **values)
        return self.add(caregiver, deleted=deleted)

    def relative(self, family: Family, reference: str, **values: Any) -> ImprisonedRelative:
        deleted = values.pop("deleted", False)
        relative = ImprisonedRelative(reference=reference, family_id=family.id, **values)
        return self.add(relative, deleted=deleted)

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
        entered: dt.datetime,
        deleted: bool = False,
    ) -> CustodyEvent:
        event = CustodyEvent(relative_id=relative.id, status=status, since=since)
        event.created_at = entered
        return self.add(event, deleted=deleted)

    def activity(
        self, reference: str, kind: ActivityType, held_on: dt.date, **values: Any
    ) -> Activity:
        deleted = values.pop("deleted", False)
        activity = Activity(reference=reference, type=kind, held_on=held_on, **values)
        return self.add(activity, deleted=deleted)

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
        rating: Rating,
        *,
        child: Child | None,
        entered: dt.datetime,
        quote: str | None = None,
        deleted: bool = False,
    ) -> Feedback:
        feedback = Feedback(
            activity_id=activity.id,
            child_id=child.id if child else None,
            rating=rating,
            quote=quote,
        )
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


def read_workbook(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet of a workbook, in order: its rows as tuples, the header row first.

    A streamed sheet leaves out empty cells at the end of a row and its size, so each row is
    padded to the header's width.
    """
    workbook = load_workbook(path, read_only=True)
    try:
        sheets: dict[str, list[tuple[Any, ...]]] = {}
        for worksheet in workbook.worksheets:
            rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            width = len(rows[0]) if rows else 0
            sheets[worksheet.title] = [row + (None,) * (width - len(row)) for row in rows]
        return sheets
    finally:
        workbook.close()


def as_records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A sheet's data rows as dicts keyed by its header, dates read back as ``datetime.date``."""
    header, *data = rows
    return [{name: _plain(value) for name, value in zip(header, row, strict=True)} for row in data]


def _plain(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value
