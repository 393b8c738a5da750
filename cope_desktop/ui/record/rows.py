"""The rows of each section of the family window, from the plain record values."""

from __future__ import annotations

import datetime as dt
import uuid

from cope_desktop.db.enums import CaseStatus
from cope_desktop.i18n import _, format_date
from cope_desktop.labels import label
from cope_desktop.services.records.views import ConsentView, FamilyRecord
from cope_desktop.ui.record.display import (
    birth_text,
    child_label,
    children_of,
    custody_history,
    date_text,
    full_name,
    optional,
    relatives_of,
)
from cope_desktop.ui.record.sections import Row

NOTE_PREVIEW = 120
"""Characters of a case note shown in its row (the whole note is shown below the list)."""


def first_line(text: str | None, limit: int = NOTE_PREVIEW) -> str:
    line = (text or "").strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def child_rows(record: FamilyRecord) -> list[Row]:
    return [
        Row(
            child.id,
            (
                optional(full_name(child)),
                child.reference,
                birth_text(child),
                label(child.sex),
                relatives_of(child, record) or "—",
            ),
            child.deleted,
        )
        for child in record.children
    ]


def caregiver_rows(record: FamilyRecord) -> list[Row]:
    return [
        Row(
            caregiver.id,
            (
                optional(full_name(caregiver)),
                caregiver.reference,
                optional(caregiver.relationship_to_children),
                optional(caregiver.phone),
                _("Main caregiver") if caregiver.is_main else "",
            ),
            caregiver.deleted,
        )
        for caregiver in record.caregivers
    ]


def relative_rows(record: FamilyRecord) -> list[Row]:
    return [
        Row(
            relative.id,
            (
                optional(full_name(relative)),
                relative.reference,
                optional(relative.prison_name),
                custody_history(relative),
                children_of(relative, record) or "—",
            ),
            relative.deleted,
        )
        for relative in record.relatives
    ]


def consent_state(consent: ConsentView, today: dt.date) -> str:
    if consent.is_current(today):
        return _("In force")
    if consent.withdrawn_on is not None and consent.withdrawn_on <= today:
        return _("Withdrawn")
    if consent.given_on > today:
        return _("Not yet in force")
    return "—"


def consent_rows(record: FamilyRecord, today: dt.date) -> list[Row]:
    return [
        Row(
            consent.id,
            (
                label(consent.kind),
                child_label(record, consent.child_id),
                consent.given_by,
                format_date(consent.given_on),
                date_text(consent.withdrawn_on),
                consent_state(consent, today),
            ),
            consent.deleted,
        )
        for consent in record.consents
    ]


def support_rows(record: FamilyRecord) -> list[Row]:
    return [
        Row(
            support.id,
            (
                format_date(support.provided_on),
                label(support.service),
                child_label(record, support.child_id),
                optional(support.provided_by),
                first_line(support.notes),
            ),
            support.deleted,
        )
        for support in record.support
    ]


def activity_rows(record: FamilyRecord) -> list[Row]:
    return [
        Row(
            activity.activity_id,
            (
                format_date(activity.held_on),
                label(activity.type),
                optional(activity.prison_name),
                ", ".join(activity.people),
            ),
        )
        for activity in record.activities
    ]


def note_rows(record: FamilyRecord, author: str) -> list[Row]:
    """``author``: how the signed-in user is named, who may change only their own notes."""
    return [
        Row(
            note.id,
            (format_date(note.written_on), optional(note.author), first_line(note.text)),
            editable=note.author == author,
        )
        for note in record.notes or ()
    ]


def history_rows(record: FamilyRecord) -> list[Row]:
    """Oldest first: the opening, then each closing and reopening."""
    rows = [Row(uuid.UUID(int=0), (format_date(record.opened_on), _("Case opened"), "—", "—"))]
    for number, change in enumerate(record.history, 1):
        what = _("Case closed") if change.status == CaseStatus.CLOSED else _("Case reopened")
        rows.append(
            Row(
                uuid.UUID(int=number),
                (
                    format_date(change.changed_on),
                    what,
                    optional(change.reason),
                    optional(change.by),
                ),
            )
        )
    return rows
