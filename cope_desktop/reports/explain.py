"""The plain-language note on how a report's figures are protected, for a coordinator.

Shown before a return is written, on the PDF cover, on the spreadsheet's cover sheet and in
the CSV archive's README. It says what "<k" means and how many cells are hidden in which
tables, but never which hidden cell is small and which was hidden to protect another: the
document does not record that, and saying it would undo the protection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.reports import labels
from cope_desktop.reports.grid import SUPPRESSED, is_internal, threshold


def explanation(document: Mapping[str, Any]) -> list[str]:
    """Paragraphs explaining the document's disclosure control (or, internal: its exactness)."""
    if is_internal(document):
        return _internal(document)
    return _network_return(document)


def hidden_by_table(document: Mapping[str, Any]) -> dict[str, int]:
    """Table id -> how many of its cells and totals are hidden, for tables with any."""
    counts: dict[str, int] = {}
    for table_id, table in (document.get("tables") or {}).items():
        count = sum(1 for entry in _entries(table) if entry.get("flag") == SUPPRESSED)
        if count:
            counts[table_id] = count
    return counts


def _entries(table: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entries = list(table.get("cells") or [])
    for key, total in (table.get("totals") or {}).items():
        if key == "all":
            entries.append(total)
        else:
            entries.extend(total)
    return entries


def _network_return(document: Mapping[str, Any]) -> list[str]:
    k = threshold(document) or 5
    marker = labels.suppressed_text(k)
    paragraphs = [
        _(
            "These figures are counts of children and families. So that nobody can be "
            "recognised from them, a count from 1 to {largest} is not shown: it appears as "
            "“{marker}”. A zero is shown as 0, because it describes nobody."
        ).format(largest=format_number(k - 1), marker=marker),
        _(
            "Some other figures are hidden too, and shown the same way, so that a small count "
            "cannot be worked out by adding or subtracting the totals and the figures of other "
            "tables. Sessions and hours are hidden wherever the number of children they "
            "describe is hidden."
        ),
    ]
    hidden = hidden_by_table(document)
    total = sum(hidden.values())
    if total == 0:
        paragraphs.append(_("No figure needed to be hidden in this return."))
    else:
        tables = ", ".join(
            _("{table} ({count})").format(table=labels.table_title(t), count=format_number(n))
            for t, n in hidden.items()
        )
        paragraphs.append(
            ngettext(
                "In all, {count} figure is hidden, in: {tables}.",
                "In all, {count} figures are hidden, in: {tables}.",
                total,
            ).format(count=format_number(total), tables=tables)
        )
    if document.get("quotes"):
        paragraphs.append(_quotes_paragraph())
    return paragraphs


def _internal(document: Mapping[str, Any]) -> list[str]:
    paragraphs = [
        _(
            "This is an internal report with exact figures: nothing is hidden, so a small "
            "number may point to a particular child or family."
        ),
        _(
            "Keep it inside the organisation and do not send it to Children of Prisoners Europe "
            "or to anyone else. The network return is the document to send: its small figures "
            "are hidden."
        ),
    ]
    breakdowns = list((document.get("breakdowns") or {}).keys())
    if breakdowns:
        paragraphs.append(
            _("Besides the tables of the network return, it shows: {tables}.").format(
                tables=", ".join(labels.table_title(b) for b in breakdowns)
            )
        )
    if document.get("quotes"):
        paragraphs.append(_quotes_paragraph())
    return paragraphs


def _quotes_paragraph() -> str:
    return _(
        "Children's own words are quoted only when approved for publication, with nothing but "
        "the child's age band and country, and only after a check that they name no person, "
        "prison or place on file."
    )
