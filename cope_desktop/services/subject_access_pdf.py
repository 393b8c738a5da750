"""The subject-access PDF: everything held about one person, readable in the user's language.

Laid out like the reports (``reports.pdf_pages``): a cover with the subject and what the
document contains, then one numbered section per part of the record. A person's own row and
the family are two-column tables (label, value); the other sections are tables with one row
per record, leaving out the columns that are empty throughout.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from cope_desktop import __version__
from cope_desktop.i18n import N_, _, country_name, format_date, format_datetime, format_number
from cope_desktop.labels import label
from cope_desktop.reports.facts import ReportFacts
from cope_desktop.reports.pdf_pages import (
    FRAME_WIDTH,
    SectionedReport,
    boxed,
    build_pdf,
    heading,
    paragraph,
)
from cope_desktop.reports.pdf_styles import GREY_RULE, styles, table_style
from cope_desktop.services.audit_actions import action_label, object_label
from cope_desktop.services.subject_access import KIND_LABELS, SECTIONS, Held

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

NOT_IN_TABLES = frozenset({"id", "person_kind", "object_id", "created_at"})
"""Keys in the JSON but not in the PDF's tables (ids, and when a row was typed in)."""
PLAIN_NUMBERS = frozenset({"birth_year", "birth_month", "sequence", "face"})
"""Numbers written without grouping: a year is "2015", not "2,015"."""
WIDE = frozenset({"text", "notes", "quote", "address", "detail", "place"})
MEDIUM = frozenset({"activity_type", "service", "kind", "given_by", "action", "object_type"})
LABEL_WIDTH = 55 * mm


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


def _cell(text: str, style: str = "row_label") -> Paragraph:
    return paragraph(text, style)


def label_value_table(
    pairs: list[tuple[str, str]],
    label_style: str = "header_label",
    value_style: str = "row_label",
    *,
    ruled: bool = True,
) -> Table:
    """(label, value) pairs as a two-column table, one line each, in these paragraph styles.

    Also the record of processing's layout (``processing_record.render_pdf``).
    """
    data = [[_cell(name, label_style), _cell(value, value_style)] for name, value in pairs]
    table = Table(data, colWidths=[LABEL_WIDTH, FRAME_WIDTH - LABEL_WIDTH], hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if ruled:
        commands += [
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, GREY_RULE),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _pairs_table(row: dict[str, Any]) -> Table:
    """One record as label and value, one line each (the empty values included)."""
    return label_value_table(
        [
            (field_label(key), value_text(key, value))
            for key, value in row.items()
            if key not in ("id", "kind")
        ]
    )


def _rows_table(rows: list[dict[str, Any]]) -> Table:
    """Records one per row, under their labels; columns empty in every row are left out."""
    keys = [
        key
        for key in rows[0]
        if key not in NOT_IN_TABLES and any(row.get(key) not in (None, "") for row in rows)
    ]
    weights = [2.5 if key in WIDE else 1.7 if key in MEDIUM else 1.0 for key in keys]
    unit = FRAME_WIDTH / sum(weights)
    data: list[list[Flowable]] = [[_cell(field_label(key), "header_label") for key in keys]]
    data += [[_cell(value_text(key, row.get(key))) for key in keys] for row in rows]
    table = Table(data, colWidths=[w * unit for w in weights], repeatRows=1, hAlign="LEFT")
    style = table_style(3, 4)
    style.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    table.setStyle(TableStyle(style))
    return table


def _person_title(row: dict[str, Any]) -> str:
    name = " ".join(str(row[key]) for key in ("first_name", "last_name") if row.get(key))
    kind = _(KIND_LABELS.get(row.get("kind", ""), ""))
    shown = f"{name} ({row['reference']})" if name else str(row["reference"])
    return _("{category}: {value}").format(category=kind, value=shown)


def _section(name: str, held: Held) -> list[Flowable]:
    if name == "family":
        return [_pairs_table(held.family)]
    rows = held.sections.get(name, [])
    if not rows:
        return [paragraph(_("Nothing of this kind is held."), "note")]
    if name == "people":
        parts: list[Flowable] = []
        for row in rows:
            parts += [Spacer(1, 3 * mm), paragraph(_person_title(row), "h2"), Spacer(1, 1 * mm)]
            parts.append(_pairs_table(row))
        return parts
    return [Spacer(1, 2 * mm), _rows_table(rows)]


def _cover(held: Held, facts: ReportFacts) -> list[Flowable]:
    subject = _(KIND_LABELS[held.subject.kind])
    lines = [
        (_("Whose data"), f"{subject} {held.reference}"),
        (_("Organisation"), held.organisation[0]),
        (_("Generated"), facts.generated),
        (_("Generated by"), held.generated_by),
        (_("Software"), facts.software),
    ]
    parts: list[Flowable] = [
        paragraph(_("Everything held about {reference}").format(reference=held.reference), "h1"),
        Spacer(1, 3 * mm),
        label_value_table([(name, value) for name, value in lines if value], ruled=False),
        Spacer(1, 8 * mm),
        boxed(_("About this document"), held.remarks),
    ]
    return parts


def document_facts(
    kind: str, organisation: str, country: str, generated_at: dt.datetime
) -> ReportFacts:
    """The cover band and page header of a document that is not a return (no period).

    ``country`` is the country's name, already in the current language.
    """
    return ReportFacts(
        internal=False,
        kind=kind,
        organisation=organisation,
        country=country,
        start=None,
        end=None,
        period="",
        generated=format_datetime(generated_at, "short"),
        software=f"COPE Desktop {__version__}",
    )


def render(held: Held, out: BinaryIO) -> None:
    """Lay the PDF out into ``out``."""
    styles()
    name, country = held.organisation
    facts = document_facts(
        _("Subject access"), name, country_name(country) if country else "", held.generated_at
    )
    sections = [
        (_(title), [heading(number, _(title)), *_section(key, held)])
        for number, (key, title) in enumerate(SECTIONS, start=1)
    ]
    report = SectionedReport(
        facts=facts,
        marking=_("CONFIDENTIAL — PERSONAL DATA"),
        sections=sections,
    )
    build_pdf(
        out,
        report,
        _cover(held, facts),
        title=_("Everything held about {reference}").format(reference=held.reference),
        author=name,
    )
