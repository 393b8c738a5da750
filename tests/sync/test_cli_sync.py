"""``cope-desktop sync export|import``: a laptop set up from the office, and work brought back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase
from sqlalchemy import select

from cope_desktop import cli
from cope_desktop.db.models import Family
from cope_desktop.services.accounts import sign_in


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPE_PASSWORD", PASSWORD)


def run(*argv: str) -> int:
    return cli.main(list(argv))


def add_family(db_path: Path, reference: str, backups: Path) -> None:
    db, _user = sign_in(db_path, "admin", PASSWORD, backups)
    try:
        with db.session() as session:
            session.add(Family(reference=reference, opened_on=dt.date(2024, 4, 2)))
    finally:
        db.close()


def references(db_path: Path, backups: Path) -> list[str]:
    db, _user = sign_in(db_path, "admin", PASSWORD, backups)
    try:
        with db.session() as session:
            return sorted(session.scalars(select(Family.reference)))
    finally:
        db.close()


def test_a_laptop_is_set_up_and_its_work_comes_back(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = created_db.path
    backups = created_db.paths.backup_dir
    add_family(office, "F-000001", backups)
    full = tmp_path / "laptop-setup.copesync"
    assert run("sync", "export", "--db", str(office), "--out", str(full), "--full") == 0
    assert "Wrote a full bundle of 1 record to" in capsys.readouterr().out

    laptop = tmp_path / "field" / "laptop.db"
    laptop.parent.mkdir()
    code = run("sync", "import", "--db", str(laptop), str(full), "--name", "Field laptop 1")
    assert code == 0
    out = capsys.readouterr().out
    assert "Created the copy" in out and "(Field laptop 1)" in out
    assert references(laptop, backups) == ["F-000001"]

    add_family(laptop, "F-LAPTOP-1", backups)
    work = tmp_path / "day.copesync"
    # one peer known: the bundle is for the office without saying so
    assert run("sync", "export", "--db", str(laptop), "--out", str(work)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Wrote 1 change for the original copy to {work}. It carries ")
    assert run("sync", "import", "--db", str(office), str(work)) == 0
    assert capsys.readouterr().out.strip() == "Imported 1 change from Field laptop 1."
    assert references(office, backups) == ["F-000001", "F-LAPTOP-1"]

    back = tmp_path / "back.copesync"
    assert (
        run(
            "sync",
            "export",
            "--db",
            str(office),
            "--out",
            str(back),
            "--since-peer",
            "field laptop 1",
        )
        == 0
    )
    capsys.readouterr()
    assert run("sync", "import", "--db", str(laptop), str(back)) == 0
    assert capsys.readouterr().out.startswith("Nothing new from")


def test_refusals_are_one_line_and_exit_2(
    created_db: CreatedDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = created_db.path
    changes = tmp_path / "changes.copesync"
    assert run("sync", "export", "--db", str(office), "--out", str(changes)) == 0
    capsys.readouterr()

    assert run("sync", "import", "--db", str(tmp_path / "new.db"), str(changes)) == 2
    err = capsys.readouterr().err
    assert "A new copy is made from a full bundle" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "new.db").exists()

    other = tmp_path / "notes.txt"
    other.write_text("shopping list\n", encoding="utf-8")
    assert run("sync", "import", "--db", str(office), str(other)) == 2
    assert "notes.txt is not a COPE Desktop sync bundle." in capsys.readouterr().err

    out = tmp_path / "x.copesync"
    assert run("sync", "export", "--db", str(office), "--out", str(out), "--since-peer", "zz") == 2
    assert "No copy called zz" in capsys.readouterr().err
    assert not out.exists()

    folder = tmp_path / "stick"
    folder.mkdir()
    assert run("sync", "export", "--db", str(office), "--out", str(folder)) == 2
    err = capsys.readouterr().err
    assert "cannot be written" in err
    assert err.count("\n") == 1
