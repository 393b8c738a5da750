"""Checking a read workbook against the layout and the database: ``check(raw, session)``.

First each sheet on its own (``parse_sheet``): unknown columns, missing required columns,
each cell read as its column's kind, required values, keys repeated within the sheet. Then
the rows are matched to the database and to each other (``check_refs.Planner``): references,
the record services' rules, and what would be added or updated. Nothing is written: the
result is an ``ImportPlan`` that ``apply`` writes, and the problems (any problem means the
plan must not be written).

Decisions where the spec is silent:
- A sheet left out of the workbook is simply not imported; a column left out of a sheet
  leaves that field of existing records as it is (an empty cell in a present column clears
  it, except ``notes_allowed`` and ``sex``, whose empty cells mean their defaults).
- The support sheet has no key of its own (every column is part of it): two equal rows are two
  sessions of support, so they are not duplicates; as many are added as are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from cope_desktop.i18n import _
from cope_desktop.services.interchange import check_values, state
from cope_desktop.services.interchange.layout import SHEETS_BY_NAME, Kind, Sheet
from cope_desktop.services.interchange.plan import ImportPlan
from cope_desktop.services.interchange.problems import Problem
from cope_desktop.services.interchange.reader import RawSheet, RawWorkbook

REFERENCE_LENGTH = 40
_NO_KEY_CHECK = {"support"}


@dataclass(frozen=True)
class ParsedRow:
    number: int
    values: dict[str, Any]
    """Every column present in the sheet -> its value read as its kind (None when empty)."""


@dataclass(frozen=True)
class ParsedSheet:
    name: str
    columns: frozenset[str]
    rows: list[ParsedRow]


def check(raw: RawWorkbook, session: Session) -> tuple[ImportPlan, list[Problem]]:
    """What importing ``raw`` would change, and every problem that forbids it."""
    from cope_desktop.services.interchange.check_refs import Planner

    problems = list(raw.problems)
    parsed = {
        name: parse_sheet(SHEETS_BY_NAME[name], sheet, problems, raw.flagged)
        for name, sheet in raw.sheets.items()
    }
    if not raw.sheets:
        problems.append(
            Problem(
                "",
                None,
                None,
                _("The file has none of the interchange sheets ({names}).").format(
                    names=", ".join(SHEETS_BY_NAME)
                ),
            )
        )
    planner = Planner(state.load(session), problems)
    plan = planner.run(parsed)
    return plan, problems


def parse_sheet(
    layout: Sheet,
    raw: RawSheet,
    problems: list[Problem],
    flagged: set[tuple[str, int, str]] | None = None,
) -> ParsedSheet:
    """The rows of one sheet read as their columns' kinds (``flagged`` cells left empty)."""
    flagged = flagged or set()
    header_row = min((row.number for row in raw.rows), default=2) - 1
    header_row = max(header_row, 1)
    known = set(layout.column_names)
    present = [name for name in raw.columns if name in known]
    for name in raw.columns:
        if name not in known:
            problems.append(
                Problem(
                    layout.name,
                    header_row,
                    name,
                    _("This is not a column of the {sheet} sheet.").format(sheet=layout.name),
                )
            )
    missing = [
        column.name for column in layout.columns if column.required and column.name not in present
    ]
    for name in missing:
        problems.append(
            Problem(layout.name, header_row, name, _("This required column is missing."))
        )
    columns = [layout.column(name) for name in present]
    rows: list[ParsedRow] = []
    for raw_row in raw.rows:
        values: dict[str, Any] = {}
        for column in columns:
            value = raw_row.values.get(column.name)
            parsed: Any = None
            if (layout.name, raw_row.number, column.name) in flagged:
                values[column.name] = None
                continue
            if value is not None:
                try:
                    parsed = check_values.parse(column, value)
                except check_values.BadValue as bad:
                    problems.append(Problem(layout.name, raw_row.number, column.name, bad.message))
                    values[column.name] = None
                    continue
            if parsed is None or parsed == "":
                parsed = None
                if column.required:
                    problems.append(
                        Problem(
                            layout.name, raw_row.number, column.name, _("This value is required.")
                        )
                    )
            elif column.kind is Kind.REF and len(parsed) > REFERENCE_LENGTH:
                problems.append(
                    Problem(
                        layout.name,
                        raw_row.number,
                        column.name,
                        _("A reference is at most {limit} characters.").format(
                            limit=REFERENCE_LENGTH
                        ),
                    )
                )
            values[column.name] = parsed
        rows.append(ParsedRow(raw_row.number, values))
    if not missing and layout.name not in _NO_KEY_CHECK:
        _check_keys(layout, rows, problems)
    return ParsedSheet(layout.name, frozenset(present), rows)


def _check_keys(layout: Sheet, rows: list[ParsedRow], problems: list[Problem]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = tuple(row.values.get(name) for name in layout.key)
        if any(part is None for part in key):
            continue
        first = seen.setdefault(key, row.number)
        if first != row.number:
            problems.append(
                Problem(
                    layout.name,
                    row.number,
                    layout.key[-1],
                    _("Row {row} has the same {key}; each row needs its own.").format(
                        row=first, key=" + ".join(layout.key)
                    ),
                )
            )
