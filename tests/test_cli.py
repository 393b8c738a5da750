"""The command-line contract (CLI.md): success paths, and every error path as one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase, database_files, file_digest

from cope_desktop import __version__
from cope_desktop.cli import main
from cope_desktop.db.keys import KeyFile


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0]


def test_version_through_the_installed_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cope_desktop", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"cope-desktop {__version__}"


def test_init_prints_the_recovery_key_once_and_creates_a_working_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    db = tmp_path / "new.db"
    code, out, _err = run(
        ["init", "--db", str(db), "--org-name", "Bambinisenzasbarre", "--country", "it"], capsys
    )
    assert code == 0
    recovery = out.split("shown only this once")[1].split()[-1]
    assert len(recovery.replace("-", "")) == 40
    assert KeyFile.load(db).unlock_with_recovery(recovery)
    code, out, _err = run(["check", "--db", str(db)], capsys)
    assert code == 0 and "no problems found" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["init", "--country", "IT"], "--org-name"),
        (["init", "--org-name", "X", "--country", "Italy"], "not a two-letter"),
        (["init", "--org-name", " ", "--country", "IT"], "name is required"),
        (["init", "--org-name", "X", "--country", "IT", "--user", "bad name"], "user name"),
        (["demo", "--size", "huge"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str],
    fragment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    code, _out, err = run(
        [*argv, "--db", str(tmp_path / "x.db")] if argv[0] != "frobnicate" else argv, capsys
    )
    assert_one_line_error(code, err, fragment)
    assert not (tmp_path / "x.db").exists()


def test_init_refuses_short_password_and_existing_file(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", "short")
    code, _out, err = run(
        ["init", "--db", str(tmp_path / "y.db"), "--org-name", "X", "--country", "IT"], capsys
    )
    assert_one_line_error(code, err, "at least 10 characters")
    assert not (tmp_path / "y.db").exists()
    before = file_digest(*database_files(created_db.path))
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    code, _out, err = run(
        ["init", "--db", str(created_db.path), "--org-name", "X", "--country", "IT"], capsys
    )
    assert_one_line_error(code, err, "already exists")
    assert file_digest(*database_files(created_db.path)) == before


def test_no_password_without_a_terminal_is_one_line(
    created_db: CreatedDatabase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    code, _out, err = run(["check", "--db", str(created_db.path)], capsys)
    assert_one_line_error(code, err, "COPE_PASSWORD")


def test_check_errors(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", "wrong password!")
    code, _out, err = run(["check", "--db", str(created_db.path)], capsys)
    assert_one_line_error(code, err, "not correct")
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    code, _out, err = run(["check", "--db", str(tmp_path / "absent.db")], capsys)
    assert_one_line_error(code, err, "key file")
    code, _out, err = run(
        ["check", "--db", str(created_db.path), "--password-file", str(tmp_path / "nope.txt")],
        capsys,
    )
    assert_one_line_error(code, err, "Cannot read the password file")


def test_check_reports_a_damaged_file(
    created_db: CreatedDatabase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    data = created_db.path.read_bytes()
    created_db.path.write_bytes(data[: len(data) // 2])
    code, out, _err = run(["check", "--db", str(created_db.path)], capsys)
    assert code == 1
    assert "damaged" in out


def passwd_with_key_file(
    created: CreatedDatabase, folder: Path, key_text: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    key_file = folder / "recovery.txt"
    key_file.write_text(key_text + "\n")
    argv = ["passwd", "--db", str(created.path), "--user", "admin"]
    return run([*argv, "--recovery-key-file", str(key_file)], capsys)


def test_passwd_with_recovery_key_file(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_NEW_PASSWORD", "the new long password")
    code, out, _err = passwd_with_key_file(created_db, tmp_path, created_db.recovery_key, capsys)
    assert code == 0 and "has been changed" in out
    created_db.sign_in(password="the new long password").close()


@pytest.mark.parametrize(
    ("extra", "env", "fragment"),
    [
        ([], {"COPE_NEW_PASSWORD": "long enough password"}, "--user"),
        (
            ["--user", "admin"],
            {"COPE_PASSWORD": "wrong password!", "COPE_NEW_PASSWORD": "long enough password"},
            "not correct",
        ),
        (
            ["--user", "admin"],
            {"COPE_PASSWORD": PASSWORD, "COPE_NEW_PASSWORD": "short"},
            "at least 10",
        ),
        (
            ["--user", "nobody"],
            {"COPE_PASSWORD": PASSWORD, "COPE_NEW_PASSWORD": "long enough password"},
            "not correct",
        ),
    ],
)
def test_passwd_errors(
    extra: list[str],
    env: dict[str, str],
    fragment: str,
    created_db: CreatedDatabase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = file_digest(*database_files(created_db.path))
    code, _out, err = run(["passwd", "--db", str(created_db.path), *extra], capsys)
    assert_one_line_error(code, err, fragment)
    assert file_digest(*database_files(created_db.path)) == before


def test_passwd_with_a_wrong_recovery_key(
    created_db: CreatedDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_NEW_PASSWORD", "the new long password")
    wrong = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH"
    code, _out, err = passwd_with_key_file(created_db, tmp_path, wrong, capsys)
    assert_one_line_error(code, err, "recovery key is not correct")
    created_db.sign_in().close()


def test_demo_with_wrong_password_on_existing_database(
    created_db: CreatedDatabase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", "wrong password!")
    code, _out, err = run(["demo", "--db", str(created_db.path)], capsys)
    assert_one_line_error(code, err, "not correct")


def test_language_and_database_may_come_before_the_command(
    created_db: CreatedDatabase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", "wrong password!")
    code, _out, err = run(["--lang", "fr", "--db", str(created_db.path), "check"], capsys)
    assert_one_line_error(code, err, "mot de passe")
    code, _out, err = run(["check", "--lang", "fr", "--db", str(created_db.path)], capsys)
    assert_one_line_error(code, err, "mot de passe")


def test_init_never_replaces_another_databases_key_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)
    orphan_keys = tmp_path / "other.db.keys"
    orphan_keys.write_text("the only way into a database that was moved away\n")
    argv = ["init", "--db", str(tmp_path / "other.db"), "--org-name", "X", "--country", "IT"]
    code, _out, err = run(argv, capsys)
    assert_one_line_error(code, err, "key file already exists")
    assert orphan_keys.read_text() == "the only way into a database that was moved away\n"
    assert not (tmp_path / "other.db").exists()
