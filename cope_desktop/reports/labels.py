"""Words shown beside the figures of a report: table titles, dimension and category names, notes.

Module-level strings are marked with ``N_`` and translated when looked up, so a report always
speaks the language in force when it is rendered. Codes come from ``categories`` (and, for the
internal report's breakdowns, free-text row labels that are shown as they are).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from babel import numbers as babel_numbers

from cope_desktop.db.enums import (
    ActivityType,
    CustodyStatus,
    Rating,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)
from cope_desktop.i18n import N_, _, format_date, format_locale, format_number
from cope_desktop.labels import label
from cope_desktop.reports.categories import UNKNOWN

TOTAL_LABEL = N_("Total")
INTERNAL_MARKING = N_("INTERNAL — DO NOT SEND")

_TITLES: dict[str, str] = {
    "families": N_("Families supported"),
    "children_by_age_sex": N_("Children supported by age band and sex"),
    "imprisoned_relatives": N_("Imprisoned relatives by relationship and custody status"),
    "activities": N_("Activities by type"),
    "game_with_mum_and_dad": N_("Game with Mum & Dad"),
    "support_services": N_("Support services given"),
    "referral_sources": N_("New families by referral source"),
    "child_feedback": N_("Children's feedback by type of activity"),
    "by_prison": N_("Figures by prison"),
    "by_caseworker": N_("Figures by caseworker"),
    "by_month": N_("Figures by month"),
}

_SHORT_TITLES: dict[str, str] = {
    "families": N_("Families"),
    "children_by_age_sex": N_("Children by age and sex"),
    "imprisoned_relatives": N_("Imprisoned relatives"),
    "activities": N_("Activities"),
    "game_with_mum_and_dad": N_("Game with Mum & Dad"),
    "support_services": N_("Support services"),
    "referral_sources": N_("Referral sources"),
    "child_feedback": N_("Children's feedback"),
    "by_prison": N_("By prison"),
    "by_caseworker": N_("By caseworker"),
    "by_month": N_("By month"),
}

_NOTES: dict[str, str] = {
    "families": N_(
        "Each family counts once if its case was open on at least one day of the period: new "
        "families were opened within the period, continuing families before it."
    ),
    "children_by_age_sex": N_(
        "Each child counts once if the family was supported and the child's own support "
        "overlaps the period; age is in completed years on the last day of the period."
    ),
    "imprisoned_relatives": N_(
        "Each imprisoned relative of a supported child counts once, with the custody status "
        "recorded on the last day of the period."
    ),
    "activities": N_(
        "Activities held within the period. An attendance is one person present at one "
        "activity, named or in a head count; children and relatives each counted once include "
        "named attendances only."
    ),
    "game_with_mum_and_dad": N_(
        "Game with Mum & Dad events held within the period, the people who attended them "
        "(each person counted once, named attendances only) and what children said about them."
    ),
    "support_services": N_(
        "Families and children who received each type of support within the period, each "
        "counted once per type."
    ),
    "referral_sources": N_(
        "Families whose case was opened within the period, by who referred them."
    ),
    "child_feedback": N_(
        "Feedback children gave on activities held within the period, one count per answer."
    ),
    "by_prison": N_("The period's figures for each prison linked to them."),
    "by_caseworker": N_("The period's figures for each caseworker."),
    "by_month": N_("The period's figures for each calendar month."),
}

_DIMENSIONS: dict[str, str] = {
    "status": N_("Status"),
    "age_band": N_("Age band"),
    "sex": N_("Sex"),
    "relationship": N_("Relationship"),
    "custody_status": N_("Custody status at the end of the period"),
    "activity_type": N_("Type of activity"),
    "measure": N_("Figure"),
    "service_type": N_("Type of support"),
    "referral_source": N_("Referred by"),
    "rating": N_("Rating"),
    "prison": N_("Prison"),
    "caseworker": N_("Caseworker"),
    "month": N_("Month"),
}

_MEASURES: dict[str, str] = {
    # activities
    "sessions": N_("Sessions held"),
    "child_attendances": N_("Child attendances"),
    "distinct_children": N_("Children (each counted once)"),
    "distinct_relatives": N_("Imprisoned relatives (each counted once)"),
    "hours": N_("Hours of activity"),
    # game_with_mum_and_dad
    "events": N_("Events held"),
    "prisons": N_("Prisons where events were held"),
    "imprisoned_parents": N_("Imprisoned parents who attended"),
    "caregivers": N_("Caregivers who attended"),
    # support_services
    "distinct_families": N_("Families (each counted once)"),
    # breakdowns of the internal report
    "families_supported": N_("Families supported"),
    "families_new": N_("New families"),
    "activities": N_("Activities held"),
    "support_services": N_("Support services given"),
}

_VALUE_COLUMNS: dict[str, str] = {
    "families": N_("Families"),
    "referral_sources": N_("New families"),
}
_DEFAULT_VALUE_COLUMN = N_("Number")

_STATUSES: dict[str, str] = {"new": N_("New"), "continuing": N_("Continuing")}
_RELATIONSHIP_GROUPS: dict[str, Relationship] = {
    "father": Relationship.FATHER,
    "mother": Relationship.MOTHER,
    "other": Relationship.OTHER,
}
_ENUMS: dict[str, type[StrEnum]] = {
    "sex": Sex,
    "custody_status": CustodyStatus,
    "activity_type": ActivityType,
    "service_type": ServiceType,
    "referral_source": ReferralSource,
    "rating": Rating,
}


def table_title(table_id: str) -> str:
    """The translated title of a table (or breakdown) of a report."""
    title = _TITLES.get(table_id)
    return _(title) if title is not None else _humane(table_id)


def short_title(table_id: str) -> str:
    """A few words naming a table, for a spreadsheet tab."""
    title = _SHORT_TITLES.get(table_id)
    return _(title) if title is not None else table_title(table_id)


def table_note(table_id: str) -> str:
    """One sentence saying what a table counts (REPORT-SPEC.md counting rules)."""
    note = _NOTES.get(table_id)
    return _(note) if note is not None else ""


def dimension_label(dimension: str) -> str:
    name = _DIMENSIONS.get(dimension)
    return _(name) if name is not None else _humane(dimension)


def measure_label(measure: str) -> str:
    """A measure in words; the Game's feedback counts name their rating."""
    if measure.startswith("feedback_"):
        rating = measure.removeprefix("feedback_")
        return _("Children's feedback: {rating}").format(rating=category_label("rating", rating))
    name = _MEASURES.get(measure)
    return _(name) if name is not None else _humane(measure)


def value_label(table_id: str) -> str:
    """The heading of the single value column of a one-dimensional table."""
    return _(_VALUE_COLUMNS.get(table_id, _DEFAULT_VALUE_COLUMN))


def total_label() -> str:
    return _(TOTAL_LABEL)


def internal_marking() -> str:
    return _(INTERNAL_MARKING)


def category_label(dimension: str, code: str) -> str:
    """A category of ``dimension`` in words (free-text breakdown rows are shown as they are)."""
    if code == UNKNOWN:
        return _("Unknown")
    if dimension == "measure":
        return measure_label(code)
    if dimension == "status" and code in _STATUSES:
        return _(_STATUSES[code])
    if dimension == "relationship" and code in _RELATIONSHIP_GROUPS:
        return label(_RELATIONSHIP_GROUPS[code])
    if dimension == "month":
        return month_label(code)
    enum = _ENUMS.get(dimension)
    if enum is not None:
        try:
            return label(enum(code))
        except ValueError:
            return code
    return code


def month_label(code: str) -> str:
    """``2025-03`` as the month's name and year in the current language ("March 2025")."""
    try:
        first = dt.date.fromisoformat(f"{code}-01")
    except ValueError:
        return code
    return format_date(first, "LLLL y")


def format_value(value: int | float, *, decimals: int = 0) -> str:
    """A figure in the current language's digits; hours keep one decimal ("12.0")."""
    if decimals:
        pattern = "#,##0." + "0" * decimals
        return babel_numbers.format_decimal(value, format=pattern, locale=format_locale())
    return format_number(value)


def suppressed_text(threshold: int | None) -> str:
    """What a hidden cell shows: "<5" for threshold 5."""
    if threshold is None:
        return "–"
    return "<" + format_number(threshold)


def suppressed_footnote(threshold: int | None) -> str:
    """The footnote under a table with hidden cells."""
    return _(
        "{marker}: fewer than {k}, or hidden so that a small number cannot be worked out."
    ).format(marker=suppressed_text(threshold), k=format_number(threshold or 0))


def nothing_to_show() -> str:
    """What an empty table (a breakdown with no rows) says instead."""
    return _("Nothing to show for this period.")


def _humane(code: str) -> str:
    """A code nobody gave a name yet, made readable: ``new_thing`` -> ``New thing``."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
