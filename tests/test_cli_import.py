"""``cope-desktop import`` (CLI.md): all or nothing, a summary, or the problems and exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase
from openpyxl import Workbook
from test_cli import assert_one_line_error, run

from cope_desktop.services.interchange.layout import SHEETS_BY_NAME


@pytest.fixture
def db_path(created_db: CreatedDatabase, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    return created_db.path


def book(path: Path, *families: list[object]) -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = "families"
    worksheet.append(list(SHEETS_BY_NAME["families"].column_names))
    for family in families:
        worksheet.append(family)
    workbook.save(path)
    return path


GOOD = ["F-1", dt.date(2024, 1, 10)]


def test_import_prints_a_summary_and_a_second_run_changes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book(tmp_path / "records.xlsx", GOOD, ["F-2", "2024-02-01"])
    code, out, err = run(["import", "--db", str(db_path), str(path)], capsys)
    assert code == 0, err
    assert "families: 2 added, 0 updated, 0 unchanged" in out
    assert out.strip().splitlines()[-1] == (
        "Imported records.xlsx: 2 added, 0 updated, 0 unchanged."
    )
    code, out, _err = run(["import", "--db", str(db_path), str(path)], capsys)
    assert code == 0
    assert "0 added, 0 updated, 2 unchanged." in out


def test_problems_exit_2_with_a_summary_line_then_one_line_each(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book(
        tmp_path / "records.xlsx",
        ["F-1", "soon"],
        ["F-2", "2024-01-02"],
        ["F-3", None, None, "friend"],
    )
    code, out, err = run(["import", "--db", str(db_path), str(path)], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[0] == "cope-desktop import: 3 problems in records.xlsx; nothing was imported."
    assert lines[1].startswith("families, row 2, column opened: Enter a date")
    assert lines[2] == "families, row 4, column opened: This value is required."
    assert lines[3].startswith("families, row 4, column referral_source: Enter one of the codes")
    assert out == ""
    code, out, _err = run(["import", "--db", str(db_path), "--dry-run", str(path)], capsys)
    assert code == 2


def test_a_dry_run_writes_nothing(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = book(tmp_path / "records.xlsx", GOOD)
    code, out, err = run(["import", "--db", str(db_path), "--dry-run", str(path)], capsys)
    assert code == 0, err
    assert "families: 1 added" in out
    assert "nothing was written (dry run)" in out
    code, out, _err = run(["import", "--db", str(db_path), str(path)], capsys)
    assert "1 added" in out.strip().splitlines()[-1]  # the dry run had added nothing


def test_an_unreadable_file_and_a_non_administrator_are_one_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    code, _out, err = run(["import", "--db", str(db_path), str(empty)], capsys)
    assert_one_line_error(code, err, "empty.xlsx is empty")
    code, _out, err = run(["import", "--db", str(db_path), str(tmp_path / "missing.xlsx")], capsys)
    assert_one_line_error(code, err, "missing.xlsx")
