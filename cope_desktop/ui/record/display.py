"""How the parts of a family record are written out on screen (names, dates, custody)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol

from cope_desktop.db.enums import CaseStatus
from cope_desktop.i18n import _, format_date
from cope_desktop.labels import label
from cope_desktop.services.records.views import (
    ChildView,
    CustodyView,
    FamilyRecord,
    RelativeView,
)


class Person(Protocol):
    @property
    def reference(self) -> str: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...


def full_name(person: Person) -> str:
    """First and last name, or empty when the organisation keeps references only."""
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def person_label(person: Person) -> str:
    """The name, else the reference: how a person is named in lists and drop-downs."""
    return full_name(person) or person.reference


def optional(text: str | None) -> str:
    return text if text else "—"


def date_text(value: dt.date | None) -> str:
    return format_date(value) if value is not None else "—"


def birth_text(child: ChildView) -> str:
    if child.birth_date is not None:
        return format_date(child.birth_date)
    if child.birth_year is not None and child.birth_month is not None:
        return format_date(dt.date(child.birth_year, child.birth_month, 1), "LLLL y")
    if child.birth_year is not None:
        return str(child.birth_year)
    return _("Not known")


def knows_text(value: bool | None) -> str:
    if value is None:
        return _("Not known")
    return _("Yes") if value else _("No")


def custody_line(event: CustodyView) -> str:
    text = _("{status} since {date}").format(
        status=label(event.status), date=format_date(event.since)
    )
    if event.prison_name:
        text = _("{custody}, {prison}").format(custody=text, prison=event.prison_name)
    return text


def custody_history(relative: RelativeView) -> str:
    """Newest first, one status change a line."""
    if not relative.custody:
        return _("Not recorded")
    return "\n".join(custody_line(event) for event in reversed(relative.custody))


def relatives_of(child: ChildView, record: FamilyRecord) -> str:
    """Who in prison the child is related to, and how: "Marco Rossi (father)"."""
    names = {relative.id: person_label(relative) for relative in record.relatives}
    return "\n".join(
        _("{name} ({relationship})").format(
            name=names.get(link.relative_id, "?"), relationship=label(link.relationship)
        )
        for link in child.links
    )


def children_of(relative: RelativeView, record: FamilyRecord) -> str:
    lines = []
    for child in record.children:
        for link in child.links:
            if link.relative_id == relative.id:
                lines.append(
                    _("{name} ({relationship})").format(
                        name=person_label(child), relationship=label(link.relationship)
                    )
                )
    return "\n".join(lines)


def child_label(record: FamilyRecord, child_id: uuid.UUID | None) -> str:
    """The child a consent or a support service is for, or "Whole family"."""
    if child_id is None:
        return _("Whole family")
    for child in record.children:
        if child.id == child_id:
            return person_label(child)
    return "—"


def case_status_text(record: FamilyRecord) -> str:
    if record.closed_on is None:
        reopened = [c.changed_on for c in record.history if c.status == CaseStatus.OPEN]
        if reopened:
            return _("Open again since {date} (first opened on {opened})").format(
                date=format_date(reopened[-1]), opened=format_date(record.opened_on)
            )
        return _("Open since {date}").format(date=format_date(record.opened_on))
    return _("Closed on {date} (opened on {opened})").format(
        date=format_date(record.closed_on), opened=format_date(record.opened_on)
    )
