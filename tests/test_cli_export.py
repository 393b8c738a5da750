"""``cope-desktop export`` (CLI.md): every record in the interchange workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_support import PASSWORD
from openpyxl import load_workbook
from test_cli import assert_one_line_error, run

from cope_desktop.services.interchange.layout import SHEETS


@pytest.fixture
def demo_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    path = tmp_path / "demo.db"
    code, _out, err = run(["demo", "--db", str(path), "--size", "small"], capsys)
    assert code == 0, err
    return path


def test_export_writes_the_interchange_workbook(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "records.xlsx"
    code, stdout, err = run(["export", "--db", str(demo_db), "--out", str(out)], capsys)
    assert code == 0, err
    assert "records to" in stdout
    workbook = load_workbook(out, read_only=True)
    assert workbook.sheetnames == [sheet.name for sheet in SHEETS]
    families = list(workbook["families"].iter_rows(values_only=True))
    assert families[0] == SHEETS[0].column_names
    assert len(families) > 30


def test_export_refuses_another_suffix_and_non_administrators(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _stdout, err = run(
        ["export", "--db", str(demo_db), "--out", str(tmp_path / "r.csv")], capsys
    )
    assert_one_line_error(code, err, ".xlsx")
    out = tmp_path / "r.xlsx"
    code, _stdout, err = run(
        ["export", "--db", str(demo_db), "--user", "coordinator", "--out", str(out)], capsys
    )
    assert_one_line_error(code, err, "Only an administrator")
    assert not out.exists()
