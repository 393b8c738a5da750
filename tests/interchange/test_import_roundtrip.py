"""Export, then import into an empty database: the same records; importing again changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from db_support import PASSWORD
from import_support import add_staff, admin_of, new_database, row_counts, run_import
from interchange_support import as_records, read_workbook

from cope_desktop.db.database import Database
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services import demo
from cope_desktop.services.interchange.export import export_records
from cope_desktop.services.interchange.layout import SHEETS

ANCHOR = dt.date(2024, 6, 15)


def round_trip(db: Database, size: str, tmp_path: Path, paths: AppPaths) -> None:
    run_to_end(demo.fill_demo(db, size, 3, "IT", password=PASSWORD, anchor=ANCHOR))
    first = tmp_path / "first.xlsx"
    run_to_end(export_records(db, admin_of(db), first))
    exported = read_workbook(first)
    caseworkers = {row["caseworker"] for row in as_records(exported["families"])} - {None}

    target = new_database(tmp_path, paths)
    try:
        add_staff(target, *sorted(caseworkers))
        result = run_import(target, first)
        assert result.problems == []
        assert result.written
        for sheet in SHEETS:
            rows = len(exported[sheet.name]) - 1
            counts = result.counts.sheets[sheet.name]
            assert counts.unchanged == 0
            if sheet.name != "attendance":  # head count rows are counted with the activities
                assert counts.added == rows, sheet.name

        second = tmp_path / "second.xlsx"
        run_to_end(export_records(target, admin_of(target), second))
        again = read_workbook(second)
        for sheet in SHEETS:
            assert as_records(again[sheet.name]) == as_records(exported[sheet.name]), sheet.name

        before = row_counts(target)
        repeat = run_import(target, first)
        assert repeat.problems == []
        assert repeat.counts.added == repeat.counts.updated == 0
        assert repeat.counts.unchanged == sum(len(rows) - 1 for rows in exported.values())
        after = row_counts(target)
        assert after.pop("audit_event") == before.pop("audit_event") + 1
        assert after == before
    finally:
        target.close()


def test_the_small_demo_comes_back_the_same_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path, isolated_home: AppPaths
) -> None:
    round_trip(db, "small", tmp_path, isolated_home)


@pytest.mark.slow
def test_the_large_demo_comes_back_the_same_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path, isolated_home: AppPaths
) -> None:
    """5,000 families and about 290,000 attendances: the proof the issue asks for (~3 min)."""
    round_trip(db, "large", tmp_path, isolated_home)
