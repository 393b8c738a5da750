"""Importing an interchange workbook: ``import_file``, all or nothing.

Also what the wizard needs before it: ``column_names`` and ``preview``.

The file is read and checked before anything is written; on any problem nothing is written.
The plan is written in one transaction (``db.session()``), so an exception while writing rolls
everything back. A dry run checks and counts exactly as an import would, and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cope_desktop.db.database import Database
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.interchange.apply import apply
from cope_desktop.services.interchange.check import check
from cope_desktop.services.interchange.plan import ImportCounts
from cope_desktop.services.interchange.problems import Problem, capped
from cope_desktop.services.interchange.reader import ImportRefused, Mapping, RawSheet, read_workbook
from cope_desktop.services.permissions import Permission, require

STEPS = 3


@dataclass(frozen=True)
class ImportResult:
    problems: list[Problem]
    """Sorted by sheet and row; at most ``problems.MAX_LISTED`` plus a note counting the rest."""
    counts: ImportCounts = field(default_factory=ImportCounts)
    written: bool = False
    problem_count: int = 0
    """How many problems were found in all (the list may be capped)."""
    preview: dict[str, RawSheet] = field(default_factory=dict)
    """The first ``PREVIEW_ROWS`` rows of each sheet as read, so a check shows them without
    reading the file a second time."""


PREVIEW_ROWS = 5


def import_file(
    db: Database,
    user: CurrentUser,
    path: Path,
    *,
    dry_run: bool = False,
    mapping: Mapping | None = None,
) -> ProgressGenerator[ImportResult]:
    """Import ``path`` (whole or not at all); ``ImportRefused`` when it cannot be read."""
    require(user, Permission.IMPORT_RECORDS)
    yield Progress(0, STEPS, _("Reading {name}…").format(name=path.name))
    raw = read_workbook(path, mapping)
    first_rows = _first_rows(raw.sheets, PREVIEW_ROWS)
    yield Progress(1, STEPS, _("Checking {name}…").format(name=path.name))
    with db.session() as session:
        plan, problems = check(raw, session)
        if problems:
            return ImportResult(
                capped(problems), plan.counts, False, len(problems), preview=first_rows
            )
        if dry_run:
            session.rollback()
            yield Progress(STEPS, STEPS, _("Checked {name}.").format(name=path.name))
            return ImportResult([], plan.counts, False, preview=first_rows)
        yield Progress(2, STEPS, _("Writing the records…"))
        counts = apply(session, user, plan)
    yield Progress(STEPS, STEPS, _("Imported {name}.").format(name=path.name))
    return ImportResult([], counts, True)


def column_names(path: Path) -> dict[str, list[str]]:
    """The file's column names per interchange sheet (for the wizard's mapping step)."""
    raw = read_workbook(path)
    return {name: list(sheet.columns) for name, sheet in raw.sheets.items()}


def preview(path: Path, mapping: Mapping | None = None, rows: int = 5) -> dict[str, RawSheet]:
    """The first ``rows`` rows of each interchange sheet, with ``mapping`` applied."""
    return _first_rows(read_workbook(path, mapping).sheets, rows)


def _first_rows(sheets: dict[str, RawSheet], rows: int) -> dict[str, RawSheet]:
    return {
        name: RawSheet(sheet.name, sheet.columns, sheet.rows[:rows])
        for name, sheet in sheets.items()
    }


__all__ = [
    "ImportCounts",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "column_names",
    "import_file",
    "preview",
]
