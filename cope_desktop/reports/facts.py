"""What every rendering says about a report before its tables: who, which period, when, what kind.

Shared by the PDF cover, the spreadsheet's cover sheet and the CSV archive's README, so the
three say it in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cope_desktop.i18n import N_, _, country_name, format_date, format_number, ngettext
from cope_desktop.reports import labels
from cope_desktop.reports.grid import TOTAL, grid, is_internal, threshold

NETWORK_RETURN = N_("Network return to Children of Prisoners Europe")
INTERNAL_REPORT = N_("Internal yearly report")

_KEY_FIGURES = (
    ("families", (TOTAL, "value"), N_("Families supported")),
    ("children_by_age_sex", (TOTAL, TOTAL), N_("Children supported")),
    ("activities", (TOTAL, "sessions"), N_("Activity sessions")),
    ("activities", (TOTAL, "child_attendances"), N_("Child attendances")),
)


@dataclass(frozen=True)
class ReportFacts:
    internal: bool
    kind: str
    organisation: str
    country: str
    start: dt.date | None
    end: dt.date | None
    period: str
    generated: str
    software: str

    def labelled(self) -> list[tuple[str, str]]:
        """(label, value) of the facts a cover lists, those that are known."""
        pairs = (
            (_("Country"), self.country),
            (_("Period"), self.period),
            (_("Generated"), self.generated),
            (_("Software"), self.software),
        )
        return [(name, value) for name, value in pairs if value]


def report_facts(document: Mapping[str, Any]) -> ReportFacts:
    internal = is_internal(document)
    organisation = document.get("organisation") or {}
    period = document.get("period") or {}
    generated = document.get("generated") or {}
    start = iso_date(period.get("start"))
    end = iso_date(period.get("end"))
    code = str(organisation.get("country") or "")
    return ReportFacts(
        internal=internal,
        kind=_(INTERNAL_REPORT if internal else NETWORK_RETURN),
        organisation=str(organisation.get("name") or ""),
        country=country_name(code) if code else "",
        start=start,
        end=end,
        period=period_text(start, end),
        generated=date_text(generated.get("at")),
        software=str(generated.get("software") or ""),
    )


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """The period in words in the current language: "1 January 2025 – 31 December 2025"."""
    if start is None or end is None:
        return ""
    return _("{start} – {end}").format(
        start=format_date(start, "long"), end=format_date(end, "long")
    )


def key_figures(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, figure as shown) for the headline figures the document has."""
    tables = document.get("tables") or {}
    k = threshold(document)
    found = []
    for table_id, (row, column), name in _KEY_FIGURES:
        if table_id not in tables:
            continue
        table_grid = grid(table_id, tables[table_id], k)
        if table_grid.cell(row, column) is not None:
            found.append((_(name), table_grid.text(row, column)))
    return found


def prisons_sentence(document: Mapping[str, Any]) -> str:
    """Where activities took place, in one sentence ("" when the document has no count)."""
    prisons = document.get("prisons") or {}
    count = prisons.get("count")
    if not count:
        return ""
    countries = ", ".join(country_name(c) for c in prisons.get("countries") or [])
    text = ngettext(
        "Activities took place in {count} prison.",
        "Activities took place in {count} prisons.",
        int(count),
    ).format(count=format_number(int(count)))
    if countries:
        text += " " + _("Countries: {countries}.").format(countries=countries)
    return text


def marking(document: Mapping[str, Any]) -> str:
    """The internal report's marking, or "" for a network return."""
    return labels.internal_marking() if is_internal(document) else ""


def iso_date(value: object) -> dt.date | None:
    """The date an ISO date or moment ("2025-12-31", "2026-01-15T09:30:00Z") starts with."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_text(value: object, fmt: str = "long") -> str:
    """An ISO date or UTC moment ("2026-01-15T09:30:00Z") as a date in the current language."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return format_date(moment.date(), fmt)
