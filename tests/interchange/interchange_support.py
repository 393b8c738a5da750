"""Records inserted straight through the ORM with the references a test names, and a reader.

The record services would check and audit every record; the export tests only need rows in
the tables, with exactly the references, dates, kinds and deletions each case is about.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from record_rows import RecordRows

from cope_desktop.db.enums import (
    ActivityType,
    Sex,
)
from cope_desktop.db.models import (
    Activity,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)


class Rows(RecordRows):
    """People, prisons and activities with the references the test names."""

    def prison(self, reference: str, name: str, **values: Any) -> Prison:
        deleted = values.pop("deleted", False)
        values.setdefault("country", "IT")
        return self.add(Prison(reference=reference, name=name, **values), deleted=deleted)

    def family(self, reference: str, opened: dt.date, **values: Any) -> Family:
        deleted = values.pop("deleted", False)
        return self.add(Family(reference=reference, opened_on=opened, **values), deleted=deleted)

    def child(self, family: Family, reference: str, **values: Any) -> Child:
        deleted = values.pop("deleted", False)
        values.setdefault("sex", Sex.NOT_STATED)
        child = Child(reference=reference, family_id=family.id, **values)
        return self.add(child, deleted=deleted)

    def caregiver(self, family: Family, reference: str, **values: Any) -> Caregiver:
        deleted = values.pop("deleted", False)
        caregiver = Caregiver(reference=reference, family_id=family.id, **values)
        return self.add(caregiver, deleted=deleted)

    def relative(self, family: Family, reference: str, **values: Any) -> ImprisonedRelative:
        deleted = values.pop("deleted", False)
        relative = ImprisonedRelative(reference=reference, family_id=family.id, **values)
        return self.add(relative, deleted=deleted)

    def activity(
        self, reference: str, kind: ActivityType, held_on: dt.date, **values: Any
    ) -> Activity:
        deleted = values.pop("deleted", False)
        activity = Activity(reference=reference, type=kind, held_on=held_on, **values)
        return self.add(activity, deleted=deleted)


def read_workbook(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet of a workbook, in order: its rows as tuples, the header row first.

    A streamed sheet leaves out empty cells at the end of a row and its size, so each row is
    padded to the header's width.
    """
    workbook = load_workbook(path, read_only=True)
    try:
        sheets: dict[str, list[tuple[Any, ...]]] = {}
        for worksheet in workbook.worksheets:
            rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            width = len(rows[0]) if rows else 0
            sheets[worksheet.title] = [row + (None,) * (width - len(row)) for row in rows]
        return sheets
    finally:
        workbook.close()


def as_records(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A sheet's data rows as dicts keyed by its header, dates read back as ``datetime.date``."""
    header, *data = rows
    return [{name: _plain(value) for name, value in zip(header, row, strict=True)} for row in data]


def _plain(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value
