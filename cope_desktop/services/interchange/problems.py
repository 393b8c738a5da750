"""What is wrong with an import file: one ``Problem`` per broken cell, row, column or sheet.

Problems sort by sheet (in layout order, other names after), then row, then column, so a list
reads like the workbook. ``capped`` keeps the first ``MAX_LISTED`` and adds one closing note
saying how many more there are.
"""

from __future__ import annotations

from dataclasses import dataclass

from cope_desktop.i18n import _, format_number
from cope_desktop.services.interchange.layout import SHEETS

MAX_LISTED = 1000
"""Problems listed in full; the rest are counted in one closing note."""

_SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(SHEETS)}


@dataclass(frozen=True)
class Problem:
    sheet: str
    """The sheet (or, for a CSV import, the file's sheet name); empty for the whole file."""
    row: int | None
    """The spreadsheet's own row number (the header is row 1); None for the whole sheet."""
    column: str | None
    message: str
    """Translated, for a person."""

    def sort_key(self) -> tuple[int, str, int, str, str]:
        order = _SHEET_ORDER.get(self.sheet, len(_SHEET_ORDER)) if self.sheet else -1
        return (order, self.sheet, self.row or 0, self.column or "", self.message)

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()


def format_problem(problem: Problem) -> str:
    """Say where and what: ``children, row 12, column birth_date: …``."""
    parts: list[str] = []
    if problem.sheet:
        parts.append(problem.sheet)
    if problem.row is not None:
        parts.append(_("row {row}").format(row=problem.row))
    if problem.column:
        parts.append(_("column {column}").format(column=problem.column))
    if not parts:
        return problem.message
    return f"{', '.join(parts)}: {problem.message}"


def capped(problems: list[Problem], limit: int = MAX_LISTED) -> list[Problem]:
    """The problems sorted, at most ``limit`` of them plus a note counting the others."""
    ordered = sorted(problems)
    if len(ordered) <= limit:
        return ordered
    more = len(ordered) - limit
    note = Problem(
        "", None, None, _("… and {count} more problems.").format(count=format_number(more))
    )
    return [*ordered[:limit], note]
