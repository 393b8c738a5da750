"""``cope-desktop report`` (CLI.md): the return and the internal report without a display."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from db_support import PASSWORD
from test_cli import assert_one_line_error, run

from cope_desktop.reports.schema import validate

YEAR = dt.date.today().year - 1


@pytest.fixture
def demo_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    path = tmp_path / "demo.db"
    code, _out, err = run(["demo", "--db", str(path), "--size", "small", "--seed", "2"], capsys)
    assert code == 0, err
    return path


def test_report_writes_a_valid_return_and_flags_an_overlap(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "return.json"
    argv = ["report", "--db", str(demo_db), "--year", str(YEAR), "--format", "json"]
    code, stdout, err = run([*argv, "--out", str(out)], capsys)
    assert code == 0, err
    assert f"network return for {YEAR}" in stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    validate(document)
    assert document["period"] == {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}

    half = ["--from", f"{YEAR}-07-01", "--to", f"{YEAR}-12-31"]
    code, _stdout, err = run(
        [
            "report",
            "--db",
            str(demo_db),
            *half,
            "--format",
            "csv",
            "--out",
            str(tmp_path / "h.zip"),
        ],
        capsys,
    )
    assert code == 0
    assert "Warning:" in err and "overlaps" in err
    with zipfile.ZipFile(tmp_path / "h.zip") as archive:
        assert "families.csv" in archive.namelist()


def test_internal_report_for_any_period(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "internal.pdf"
    code, stdout, err = run(
        [
            "report",
            "--db",
            str(demo_db),
            "--from",
            f"{YEAR}-02-01",
            "--to",
            f"{YEAR}-04-30",
            "--internal",
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    assert "not to be sent" in stdout
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--from", f"{YEAR}-02-01", "--to", f"{YEAR}-04-30"], "calendar year or a half year"),
        (["--from", f"{YEAR}-02-01"], "both --from DATE and --to DATE"),
        (["--from", "01/02/2025", "--to", f"{YEAR}-04-30"], "YYYY-MM-DD"),
        (["--from", f"{YEAR}-05-01", "--to", f"{YEAR}-04-30"], "before it starts"),
        (["--year", str(YEAR), "--threshold", "2"], "at least 3"),
    ],
)
def test_report_errors_are_one_line_and_write_nothing(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    fragment: str,
) -> None:
    out = tmp_path / "r.json"
    code, _stdout, err = run(
        ["report", "--db", str(demo_db), *extra, "--format", "json", "--out", str(out)], capsys
    )
    assert_one_line_error(code, err, fragment)
    assert not out.exists()


def test_a_caseworker_cannot_write_a_return(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cope_desktop.db.enums import Role
    from cope_desktop.paths import resolve_paths
    from cope_desktop.services.accounts import add_user, sign_in

    db, _admin = sign_in(demo_db, "admin", PASSWORD, resolve_paths().ensure().backup_dir)
    try:
        add_user(db, "carla", PASSWORD, Role.CASEWORKER, "Carla")
    finally:
        db.close()
    out = tmp_path / "r.json"
    code, _stdout, err = run(
        [
            "report",
            "--db",
            str(demo_db),
            "--user",
            "carla",
            "--year",
            str(YEAR),
            "--format",
            "json",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert_one_line_error(code, err, "does not allow exporting")
    assert not out.exists()
