"""How a stored field is named and written for a person: labels, dates, numbers, categories.

Shared by the subject-access export and the sync conflict list, without loading ReportLab.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from cope_desktop.i18n import N_, _, format_date, format_datetime, format_number
from cope_desktop.labels import label
from cope_desktop.services.audit_actions import action_label, object_label

FIELD_LABELS: dict[str, str] = {
    "reference": N_("Reference"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "birth_date": N_("Date of birth"),
    "birth_year": N_("Year of birth"),
    "birth_month": N_("Month of birth"),
    "sex": N_("Sex"),
    "school_level": N_("School level"),
    "knows_parent_location": N_("Knows where the parent is"),
    "support_start": N_("Support started"),
    "support_end": N_("Support ended"),
    "relationship_to_children": N_("Relationship to the children"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "address": N_("Address"),
    "is_main": N_("Main caregiver"),
    "prison": N_("Prison"),
    "anonymised_at": N_("Anonymised on"),
    "created_at": N_("Recorded on"),
    "updated_at": N_("Last changed"),
    "deleted_at": N_("Archived on"),
    "opened_on": N_("Case opened"),
    "closed_on": N_("Case closed"),
    "close_reason": N_("Reason for closing"),
    "referral_source": N_("Referred by"),
    "notes_allowed": N_("Case notes may be written"),
    "caseworker": N_("Caseworker"),
    "status": N_("Status"),
    "changed_on": N_("Date"),
    "reason": N_("Reason"),
    "user": N_("By"),
    "child": N_("Child"),
    "relative": N_("Imprisoned relative"),
    "relationship_to_child": N_("Relationship"),
    "since": N_("Since"),
    "kind": N_("Kind"),
    "given_by": N_("Given by"),
    "given_on": N_("Given on"),
    "withdrawn_on": N_("Withdrawn on"),
    "notes": N_("Notes"),
    "service": N_("Support"),
    "provided_on": N_("Date"),
    "provided_by": N_("Given by"),
    "written_on": N_("Date"),
    "author": N_("Written by"),
    "text": N_("Note"),
    "person": N_("Person"),
    "activity": N_("Activity reference"),
    "activity_date": N_("Date"),
    "activity_type": N_("Activity"),
    "place": N_("Place"),
    "start_time": N_("Start time"),
    "duration_minutes": N_("Minutes"),
    "rating": N_("Rating"),
    "face": N_("Face chosen (1 to 5)"),
    "quote": N_("Quote"),
    "quote_approved": N_("Quote approved for publication"),
    "sequence": N_("Event no."),
    "at": N_("Time"),
    "action": N_("Action"),
    "object_type": N_("Record"),
    "detail": N_("Details"),
}
"""The label of every key of the document's rows (tests check none is missing)."""

PLAIN_NUMBERS = frozenset({"birth_year", "birth_month", "sequence", "face"})
"""Numbers written without grouping: a year is "2015", not "2,015"."""


def field_label(key: str) -> str:
    return _(FIELD_LABELS.get(key, key))


def value_text(key: str, value: Any) -> str:
    """A stored value as the user reads it: dates, numbers and categories in their language."""
    if value is None or value == "":
        return "—"
    if key == "action":
        return action_label(str(value))
    if key == "object_type":
        return object_label(str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return format_datetime(value, "short")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, int | float) and key not in PLAIN_NUMBERS:
        return format_number(value)
    return str(value)
