"""``cope-desktop backup`` and ``restore`` (CLI.md): verified copies, one clear line on failure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase, database_files, file_digest
from sqlalchemy import text

from cope_desktop.cli import main
from cope_desktop.db.enums import Role
from cope_desktop.services import accounts, backups
from cope_desktop.services.app_settings import read_settings, save_settings


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> str:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)


def organisation_name(created: CreatedDatabase) -> str:
    db = created.sign_in()
    try:
        with db.session() as session:
            return str(session.execute(text("SELECT name FROM organisation")).scalar())
    finally:
        db.close()


def test_backup_then_restore(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "usb" / "monday.db"
    out_file.parent.mkdir()
    code, out, _err = run(["backup", "--db", str(created_db.path), "--out", str(out_file)], capsys)
    assert code == 0
    assert out.startswith("Wrote a verified backup of ") and out.strip().endswith(f"{out_file}.")
    assert sorted(p.name for p in out_file.parent.iterdir()) == [
        "monday.db",
        "monday.db.keys",
        "monday.manifest.json",
    ]

    db = created_db.sign_in()
    with db.session() as session:
        session.execute(text("UPDATE organisation SET name = 'Renamed later'"))
    db.close()

    code, out, _err = run(
        ["restore", "--backup", str(out_file), "--db", str(created_db.path)], capsys
    )
    assert code == 0
    assert out.splitlines()[0] == f"Restored monday.db to {created_db.path}."
    assert "kept as" in out.splitlines()[1] and "org-before-restore-" in out
    assert organisation_name(created_db) == "Test Organisation"


def test_backup_into_a_folder_names_the_file(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, _err = run(["backup", "--db", str(created_db.path), "--out", str(tmp_path)], capsys)
    assert code == 0
    [made] = tmp_path.glob("org-*-manual.db")
    assert made.with_name(made.name + ".keys").exists()


def test_backup_needs_a_db_file_name(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        ["backup", "--db", str(created_db.path), "--out", str(tmp_path / "copy.zip")], capsys
    )
    assert "give --out a name ending in .db" in one_line_error(code, err)
    assert not (tmp_path / "copy.zip").exists()


def test_a_damaged_backup_is_refused_and_the_database_kept(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "copy.db"
    assert run(["backup", "--db", str(created_db.path), "--out", str(out_file)], capsys)[0] == 0
    data = bytearray(out_file.read_bytes())
    data[len(data) // 2] ^= 0x10
    out_file.write_bytes(bytes(data))
    before = file_digest(*database_files(created_db.path))

    code, _out, err = run(
        ["restore", "--backup", str(out_file), "--db", str(created_db.path)], capsys
    )

    line = one_line_error(code, err)
    assert line.startswith("cope-desktop restore: The backup copy.db cannot be restored")
    assert line.endswith("Nothing was changed.")
    assert file_digest(*database_files(created_db.path)) == before


def test_restore_of_a_missing_backup(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        ["restore", "--backup", str(tmp_path / "none.db"), "--db", str(created_db.path)], capsys
    )
    assert "There is no backup file at" in one_line_error(code, err)


def test_a_caseworker_cannot_back_up_or_restore(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = created_db.sign_in()
    accounts.add_user(db, "carla", "carla's password", Role.CASEWORKER)
    db.close()
    out_file = tmp_path / "usb" / "copy.db"
    out_file.parent.mkdir()
    assert run(["backup", "--db", str(created_db.path), "--out", str(out_file)], capsys)[0] == 0
    monkeypatch.setenv("COPE_PASSWORD", "carla's password")

    code, _out, err = run(
        ["backup", "--db", str(created_db.path), "--user", "carla", "--out", str(out_file.parent)],
        capsys,
    )
    assert "Only an administrator can make or restore backups." in one_line_error(code, err)
    before = file_digest(*database_files(created_db.path))
    code, _out, err = run(
        ["restore", "--backup", str(out_file), "--db", str(created_db.path), "--user", "carla"],
        capsys,
    )
    assert "Only an administrator can make or restore backups." in one_line_error(code, err)
    assert file_digest(*database_files(created_db.path)) == before
    assert sorted(p.name for p in out_file.parent.glob("*.db")) == ["copy.db"]


def test_check_compares_the_audit_trail_with_the_backups_in_the_chosen_folder(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "usb").mkdir()
    db, admin = accounts.sign_in(created_db.path, "admin", PASSWORD, created_db.paths.backup_dir)
    with db.session() as session:
        settings = replace(read_settings(session), backup_folder="~/usb")
        save_settings(session, admin, settings)
    db.close()
    assert (
        run(["backup", "--db", str(created_db.path), "--out", str(tmp_path / "usb")], capsys)[0]
        == 0
    )
    assert run(["check", "--db", str(created_db.path)], capsys)[0] == 0

    [made] = backups.list_backups(tmp_path / "usb")
    assert made.audit_head is not None
    db = created_db.sign_in()
    with db.engine.begin() as conn:  # events from the end: the hash chain alone cannot tell
        conn.execute(
            text("DELETE FROM audit_event WHERE sequence >= :n"), {"n": made.audit_head[0]}
        )
    db.close()
    code, out, _err = run(["check", "--db", str(created_db.path)], capsys)

    assert code == 1
    assert "The audit trail no longer holds event" in out
