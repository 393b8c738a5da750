"""Unreadable files are refused by name; malformed workbooks never crash nor half-write (R5)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import family_book, records_written, row_counts, run_import, write_book

from cope_desktop.db.database import Database
from cope_desktop.services.interchange import reader
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.services.interchange.reader import ImportRefused


def refused(db: Database, path: Path, *fragments: str) -> None:
    before = row_counts(db)
    with pytest.raises(ImportRefused) as refusal:
        run_import(db, path)
    for fragment in (path.name, *fragments):
        assert fragment in refusal.value.message
    assert row_counts(db) == before


def test_an_empty_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"")
    refused(db, path, "is empty")


def test_not_a_workbook_and_a_damaged_one(db: Database, tmp_path: Path) -> None:
    text = tmp_path / "records.xlsx"
    text.write_text("family_ref,opened\nF-1,2024-01-01\n")
    refused(db, text, "not an .xlsx workbook")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really")
    refused(db, damaged, "damaged")
    cut = tmp_path / "cut.xlsx"
    family_book(cut, ["F-1", dt.date(2024, 1, 1)])
    cut.write_bytes(cut.read_bytes()[:300])
    refused(db, cut)


def test_another_kind_of_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "records.ods"
    path.write_bytes(b"PK\x03\x04")
    refused(db, path, ".xlsx", ".csv")


def test_a_password_protected_workbook(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    refused(db, path, "password")


def test_a_file_over_the_size_limit(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as file:  # sparse: 60 MiB on paper, nothing on disk
        file.truncate(60 * 1024 * 1024)
    refused(db, path, "60 MB", "50 MB")
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    small = family_book(tmp_path / "small.xlsx", ["F-1", dt.date(2024, 1, 1)])
    refused(db, small, "0 MB")


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few kilobytes can unpack to gigabytes (a zip bomb): the sizes inside are checked first."""
    book = family_book(tmp_path / "bomb.xlsx", ["F-1", dt.date(2024, 1, 1)])
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 1000)
    refused(db, book, "unpacks to", "cannot be imported")


def test_a_csv_not_named_after_a_sheet(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("family_ref,opened\nF-1,2024-01-01\n")
    refused(db, path, "children.csv")


_COLUMN_NAMES = [*sorted({column for sheet in SHEETS for column in sheet.column_names}), "junk", ""]
_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(["F-1", "C-1", "P-1", "A-1", "R-1", "G-1", "female", "2024-01-01", "=1+1"]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
_SHEET = st.tuples(
    st.sampled_from([sheet.name for sheet in SHEETS] + ["codes"]),
    st.lists(st.sampled_from(_COLUMN_NAMES), min_size=1, max_size=6),
    st.lists(st.lists(_VALUES, max_size=7), max_size=5),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_SHEET, min_size=1, max_size=4))
def test_malformed_workbooks_are_refused_or_listed_never_half_written(
    db: Database, tmp_path: Path, sheets: list[tuple[str, list[str], list[list[Any]]]]
) -> None:
    books: dict[str, list[list[Any]]] = {}
    for name, columns, rows in sheets:
        books.setdefault(name, [list(columns), *rows])
    path = write_book(tmp_path / "random.xlsx", books)
    before = records_written(db)
    try:
        result = run_import(db, path)
    except ImportRefused:
        assert records_written(db) == before
        return
    if result.problems:
        assert not result.written
        assert records_written(db) == before
    else:
        assert records_written(db) >= before
