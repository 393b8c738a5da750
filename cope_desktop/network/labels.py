"""Words the renderings of a merged network document use beside the report's own labels.

A merged figure is exact, a range (some member hid a small number, so only bounds and a
central estimate are known) or hidden by the network's own disclosure control; this module
says each in the current language, names scopes and countries (CLDR via Babel), and names
the problems of the files left out. Table titles, dimensions and categories stay in
``reports.labels``, so a member's report and the network's speak the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cope_desktop.i18n import N_, _, country_name, format_number, ngettext
from cope_desktop.reports import labels as report_labels
from cope_desktop.reports.facts import date_text, iso_date, period_text

NETWORK_FIGURES = N_("Network figures")
NETWORK_NAME = N_("Children of Prisoners Europe")
EXACT = None
RANGE = "range"
SUPPRESSED = "suppressed"

_PROBLEMS: dict[str, str] = {
    "duplicate": N_("Another return of the same organisation for this period was merged"),
    "other_period": N_("A return for another period"),
    "unreadable": N_("The file could not be read"),
    "not_json": N_("Not a JSON file"),
    "not_a_return": N_("Not a network return"),
    "version": N_("A return format this version does not know"),
    "checksum": N_("The checksum does not match: the file was changed after it was made"),
    "schema": N_("The return does not follow the return format"),
    "inconsistent": N_("The return's figures do not add up"),
}

Figure = Mapping[str, Any]


def title() -> str:
    return _(NETWORK_FIGURES)


def network_name() -> str:
    return _(NETWORK_NAME)


def country_label(code: str | None) -> str:
    """A country's name in the current language (CLDR); the code itself if CLDR has none."""
    return country_name(code) if code else ""


def scope_label(scope: Mapping[str, Any]) -> str:
    """The network scope's name ("Network"), else the country's name."""
    if scope.get("scope") == "network" or not scope.get("country"):
        return _("Network")
    return country_label(str(scope["country"]))


def problem_label(code: str | None) -> str:
    """Why a file was left out, in words."""
    if not code:
        return ""
    text = _PROBLEMS.get(code)
    return _(text) if text is not None else code


def threshold(document: Mapping[str, Any]) -> int | None:
    value = (document.get("disclosure") or {}).get("threshold")
    return int(value) if value is not None else None


def number(value: float, decimals: int = 0) -> str:
    """A figure in the current language's digits (hours keep one decimal)."""
    return report_labels.format_value(value, decimals=decimals)


def figure_text(figure: Figure | None, k: int | None, decimals: int = 0) -> str:
    """A merged figure as shown: "12", "≈12 (11–14)", "≈12 (≥11)" or "<5"."""
    if figure is None:
        return ""
    flag = figure.get("flag")
    if flag == SUPPRESSED:
        return report_labels.suppressed_text(k)
    if flag == RANGE:
        estimate = figure.get("estimate")
        low, high = figure.get("low"), figure.get("high")
        centre = "≈" + number(estimate, decimals) if estimate is not None else "≈?"
        if low is None:
            return centre
        if high is None:
            return _("{estimate} (≥{low})").format(estimate=centre, low=number(low, decimals))
        return _("{estimate} ({low}–{high})").format(
            estimate=centre, low=number(low, decimals), high=number(high, decimals)
        )
    value = figure.get("value")
    return number(value, decimals) if value is not None else ""


def figure_number(figure: Figure | None) -> int | float | None:
    """The figure as one number: the exact value, or a range's central estimate."""
    if figure is None or figure.get("flag") == SUPPRESSED:
        return None
    if figure.get("flag") == RANGE:
        return figure.get("estimate")
    return figure.get("value")


def organisations_text(count: int) -> str:
    """How many organisations stand behind a figure, compactly ("3 org.")."""
    return _("{count} org.").format(count=format_number(count))


def organisations_long(count: int) -> str:
    return ngettext("{count} organisation", "{count} organisations", count).format(
        count=format_number(count)
    )


def figure_note(figure: Figure | None, k: int | None, decimals: int = 0) -> str:
    """One line saying what a range or a hidden figure means ("" for an exact figure)."""
    if figure is None:
        return ""
    flag = figure.get("flag")
    if flag == SUPPRESSED:
        return _("Hidden by the network's disclosure control ({marker}).").format(
            marker=report_labels.suppressed_text(k)
        )
    if flag != RANGE:
        return ""
    low, high = figure.get("low"), figure.get("high")
    if low is not None and high is not None:
        return _(
            "Some members hid small numbers: the true figure is between {low} and {high}; "
            "the figure given is a central estimate."
        ).format(low=number(low, decimals), high=number(high, decimals))
    return _(
        "Some members hid small numbers: the true figure is at least {low}; "
        "the figure given is a central estimate."
    ).format(low=number(low or 0, decimals))


def how_to_read(document: Mapping[str, Any]) -> list[str]:
    """Plain-language paragraphs on how to read the merged figures (PDF and XLSX covers)."""
    k = threshold(document)
    marker = report_labels.suppressed_text(k)
    example_range = figure_text({"flag": RANGE, "estimate": 12, "low": 11, "high": 14}, k)
    example_open = figure_text({"flag": RANGE, "estimate": 12, "low": 11, "high": None}, k)
    returns = len(document.get("returns") or [])
    paragraphs = [
        ngettext(
            "These figures add up the network return of {count} member organisation for the "
            "period.",
            "These figures add up the network returns of {count} member organisations for the "
            "period.",
            returns,
        ).format(count=format_number(returns)),
        _(
            "A figure written as a plain number, such as {example}, is exact: no member hid "
            "any number behind it."
        ).format(example=number(12)),
        _(
            "Members hide their own small numbers before they send their return. Where they "
            "did, the network figure is not known exactly: {example} means the true figure "
            "lies between {low} and {high}, and {estimate} is a central estimate consistent "
            "with the totals the members published. {open} means the figure is at least "
            "{low} and nothing bounds it above."
        ).format(
            example=example_range,
            low=number(11),
            high=number(14),
            estimate=number(12),
            open=example_open,
        ),
        _(
            "{marker} means the network's own disclosure control hid the figure: it is "
            "smaller than {k}, or hidden so that a small number cannot be worked out from "
            "the totals."
        ).format(marker=marker, k=format_number(k or 0)),
        _(
            'Under each figure in the tables, "{example}" says how many organisations '
            "stand behind it: those with a figure other than zero there, hidden ones "
            "included."
        ).format(example=organisations_text(3)),
        _("Charts show exact figures and central estimates; hidden figures are left out."),
    ]
    return paragraphs


@dataclass(frozen=True)
class MergeFacts:
    """What the covers say about a merged document."""

    title: str
    network: str
    period: str
    returns: int
    countries: list[str]
    generated: str
    software: str
    threshold: int | None
    not_merged: int

    @property
    def returns_line(self) -> str:
        countries = len(self.countries)
        return " · ".join(
            (
                ngettext("{count} return merged", "{count} returns merged", self.returns).format(
                    count=format_number(self.returns)
                ),
                ngettext("{count} country", "{count} countries", countries).format(
                    count=format_number(countries)
                ),
            )
        )


def merge_facts(document: Mapping[str, Any]) -> MergeFacts:
    period = document.get("period") or {}
    generated = document.get("generated") or {}
    return MergeFacts(
        title=title(),
        network=network_name(),
        period=period_text(iso_date(period.get("start")), iso_date(period.get("end"))),
        returns=len(document.get("returns") or []),
        countries=sorted(
            (country_label(str(c)) for c in document.get("countries") or []), key=str.casefold
        ),
        generated=date_text(generated.get("at")),
        software=str(generated.get("software") or ""),
        threshold=threshold(document),
        not_merged=len(document.get("not_merged") or []),
    )


def short_checksum(checksum: str | None, digits: int = 12) -> str:
    """The first ``digits`` hex digits of "sha256:<hex>", enough to tell files apart."""
    if not checksum:
        return ""
    hex_part = checksum.split(":", 1)[-1]
    return hex_part[:digits]


def join_names(names: Sequence[str]) -> str:
    return ", ".join(names)
