"""Tampering and corruption (R2, R12): reported in one clear sentence, the file left alone.

``test_encryption`` covers a flipped byte in the last page, cuts at 0/100/4096 bytes and half
the file, a missing key file and a key slot with weaker key derivation. This file adds damage
in the middle of the file, in the write-ahead log a crash leaves behind, cuts at and within a
page, key files swapped or edited, and an audit trail edited with the key in hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import struct
from pathlib import Path

import pytest
from db_support import PASSWORD, database_files, file_digest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import Family
from cope_desktop.errors import DatabaseDamagedError, DatabaseOpenError, WrongCredentialsError
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.integrity import check_database
from cope_desktop.services.setup import NewDatabase, create_database

PAGE = 4096
WAL_HEADER = 32
WAL_FRAME = 24 + PAGE
CRASH_FAMILIES = 8
"""Families committed one by one into the write-ahead log before the "crash"."""

DAMAGED = "It has not been changed; restore it from a backup."


def _add_families(db: Database, prefix: str, count: int, *, one_commit: bool) -> None:
    def add(session: Session, number: int) -> None:
        session.add(Family(reference=f"{prefix}-{number}", opened_on=dt.date(2024, 1, 1)))

    if one_commit:
        with db.session() as session:
            for number in range(count):
                add(session, number)
        return
    for number in range(count):
        with db.session() as session:
            add(session, number)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with data, a copy as a crash leaves it, and a second database.

    The crashed copy still has committed data in its write-ahead log; the second database
    has an administrator with the same password.
    """
    folder = tmp_path_factory.mktemp("originals")
    backups = folder / "backups"
    path = folder / "org.db"
    create_database(NewDatabase(path, "Tamper Test", "IT", "admin", PASSWORD))
    create_database(NewDatabase(folder / "other.db", "Other", "FR", "admin", PASSWORD))
    db = sign_in(path, "admin", PASSWORD, backups)[0]
    try:
        _add_families(db, "F", 300, one_commit=True)  # enough pages for a "middle"
    finally:
        db.close()
    db = sign_in(path, "admin", PASSWORD, backups)[0]
    try:
        _add_families(db, "W", CRASH_FAMILIES, one_commit=False)
        crashed = folder / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal", ".keys"):  # the -shm index is rebuilt from the log
            shutil.copyfile(f"{path}{suffix}", f"{crashed / 'org.db'}{suffix}")
    finally:
        db.close()
    assert not Path(f"{path}-wal").exists()
    return folder


def copy_of(originals: Path, tmp_path: Path, which: str = "") -> Path:
    """A private copy of ``org.db`` (``which="crashed"``: the one with a live log)."""
    source = originals / which if which else originals
    target = tmp_path / "copy"
    target.mkdir(parents=True)
    for suffix in ("", "-wal", ".keys"):
        if Path(f"{source / 'org.db'}{suffix}").exists():
            shutil.copyfile(f"{source / 'org.db'}{suffix}", f"{target / 'org.db'}{suffix}")
    return target / "org.db"


def open_as_admin(path: Path) -> Database:
    return sign_in(path, "admin", PASSWORD, path.parent / "backups")[0]


def refused(path: Path, error: type[Exception] = DatabaseDamagedError) -> str:
    """Signing in fails with ``error``; no file of the database changed. Returns the message."""
    before = file_digest(*database_files(path))
    with pytest.raises(error) as raised:
        open_as_admin(path)
    assert file_digest(*database_files(path)) == before
    assert not (path.parent / "backups").exists() or not any((path.parent / "backups").iterdir())
    return str(raised.value)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x10
    path.write_bytes(bytes(data))


def test_the_originals_open_and_pass_check(originals: Path, tmp_path: Path) -> None:
    """The undamaged copies, the crashed one included, open with every record there."""
    for which in ("", "crashed"):
        path = copy_of(originals, tmp_path / (which or "plain"), which)
        db = open_as_admin(path)
        try:
            assert check_database(db) == []
            with db.session() as session:
                references = set(session.scalars(select(Family.reference)))
        finally:
            db.close()
        assert {f"F-{n}" for n in range(300)} <= references
        if which:
            assert {f"W-{n}" for n in range(CRASH_FAMILIES)} <= references


@pytest.mark.parametrize("where", ["first page", "middle page", "page before last"])
def test_a_flipped_byte_anywhere_is_reported(originals: Path, tmp_path: Path, where: str) -> None:
    path = copy_of(originals, tmp_path)
    pages = path.stat().st_size // PAGE
    page = {"first page": 0, "middle page": pages // 2, "page before last": pages - 2}[where]
    flip(path, page * PAGE + 1000)
    message = refused(path)
    assert "is damaged" in message and DAMAGED in message


@pytest.mark.parametrize("cut", ["one byte", "one page", "a page and a half"])
def test_a_cut_at_or_within_a_page_is_reported(originals: Path, tmp_path: Path, cut: str) -> None:
    path = copy_of(originals, tmp_path)
    data = path.read_bytes()
    keep = {"one byte": 1, "one page": PAGE, "a page and a half": PAGE + PAGE // 2}[cut]
    path.write_bytes(data[:-keep])
    message = refused(path)
    assert "is damaged" in message and DAMAGED in message


def wal_frames(wal: Path) -> int:
    return (wal.stat().st_size - WAL_HEADER) // WAL_FRAME


@pytest.mark.parametrize("where", ["a frame's page", "a frame's checksum", "the log's header"])
def test_a_flipped_byte_in_the_write_ahead_log_is_reported(
    originals: Path, tmp_path: Path, where: str
) -> None:
    """SQLite would silently drop every transaction after the damaged frame: refused instead.

    SQLite reads its log up to the first frame that fails its checksum and ignores the rest,
    committed transactions included (``cope_desktop.db.wal``); a damaged header hides it all.
    """
    path = copy_of(originals, tmp_path, "crashed")
    wal = Path(f"{path}-wal")
    frame = WAL_HEADER + (wal_frames(wal) // 2) * WAL_FRAME
    offset = {"a frame's page": frame + 24 + 1000, "a frame's checksum": frame + 20}.get(where, 5)
    flip(wal, offset)
    message = refused(path)
    assert "is damaged" in message and DAMAGED in message


def test_a_write_torn_by_a_power_cut_keeps_every_earlier_commit(
    originals: Path, tmp_path: Path
) -> None:
    """A log torn in its last frame opens, with every transaction before it.

    That is what a power cut during a commit leaves: the transaction was never acknowledged,
    so the log is used up to it and nothing is refused.
    """
    path = copy_of(originals, tmp_path, "crashed")
    wal = Path(f"{path}-wal")
    data = wal.read_bytes()
    last_commit = max(
        number
        for number in range(wal_frames(wal))
        if struct.unpack_from(">I", data, WAL_HEADER + number * WAL_FRAME + 4)[0]
    )
    assert last_commit == wal_frames(wal) - 1
    wal.write_bytes(data[: WAL_HEADER + last_commit * WAL_FRAME + WAL_FRAME // 2])
    db = open_as_admin(path)
    try:
        assert check_database(db) == []
        with db.session() as session:
            references = set(session.scalars(select(Family.reference)))
    finally:
        db.close()
    assert {f"W-{n}" for n in range(CRASH_FAMILIES - 1)} <= references


def test_a_log_reused_after_a_checkpoint_is_not_taken_for_damage(
    originals: Path, tmp_path: Path
) -> None:
    """Older frames left behind a log written again from its start are not damage.

    After a checkpoint SQLite reuses the log from its beginning under new salts; the frames of
    the previous generation after the new ones simply end it.
    """
    path = copy_of(originals, tmp_path)
    db = open_as_admin(path)
    try:
        _add_families(db, "OLD", 6, one_commit=False)
        with db.engine.connect() as conn:
            busy, _frames, _copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
            assert busy == 0
        _add_families(db, "NEW", 1, one_commit=False)
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal", ".keys"):
            shutil.copyfile(f"{path}{suffix}", f"{crashed / 'org.db'}{suffix}")
    finally:
        db.close()
    wal = Path(f"{crashed / 'org.db'}-wal")
    data = wal.read_bytes()
    salts = {
        data[WAL_HEADER + n * WAL_FRAME + 8 : WAL_HEADER + n * WAL_FRAME + 16]
        for n in range(wal_frames(wal))
    }
    assert len(salts) == 2, "the log must hold frames of two generations"
    db = open_as_admin(crashed / "org.db")
    try:
        with db.session() as session:
            references = set(session.scalars(select(Family.reference)))
    finally:
        db.close()
    assert {"NEW-0", *(f"OLD-{n}" for n in range(6))} <= references


def test_a_key_file_from_another_database_does_not_open_it(originals: Path, tmp_path: Path) -> None:
    """Same user name and password, other data key: refused, nothing changed."""
    path = copy_of(originals, tmp_path)
    shutil.copyfile(KeyFile.path_for(originals / "other.db"), KeyFile.path_for(path))
    message = refused(path)
    assert "cannot be decrypted with its key" in message and DAMAGED in message


def _edit_key_file(path: Path, edit: str) -> None:
    key_path = KeyFile.path_for(path)
    if edit == "not json":
        key_path.write_text(key_path.read_text()[:-40])
        return
    document = json.loads(key_path.read_text())
    slot = document["slots"][0]
    if edit == "format":
        document["format"] = "cope-keyfile/99"
    elif edit == "wrapped key":
        wrapped = bytearray(base64.b64decode(slot["wrapped_key"]))
        wrapped[5] ^= 0x01
        slot["wrapped_key"] = base64.b64encode(bytes(wrapped)).decode()
    elif edit == "salt":
        slot["kdf"]["salt"] = "AAAAAAAAAAAAAAAAAAAAAA=="
    elif edit == "fewer passes":
        slot["kdf"]["time_cost"] = 1
    elif edit == "one lane":
        slot["kdf"]["parallelism"] = 1
    elif edit == "other algorithm":
        slot["kdf"]["name"] = "pbkdf2"
    key_path.write_text(json.dumps(document))


@pytest.mark.parametrize(
    ("edit", "error", "words"),
    [
        ("not json", DatabaseOpenError, "is damaged"),
        ("format", DatabaseOpenError, "not a COPE Desktop key file"),
        ("other algorithm", DatabaseOpenError, "is damaged"),
        ("fewer passes", DatabaseOpenError, "weaker protection"),
        ("one lane", DatabaseOpenError, "weaker protection"),
        ("wrapped key", WrongCredentialsError, "not correct"),
        ("salt", WrongCredentialsError, "not correct"),
    ],
)
def test_an_edited_key_file_is_refused(
    originals: Path, tmp_path: Path, edit: str, error: type[Exception], words: str
) -> None:
    path = copy_of(originals, tmp_path)
    _edit_key_file(path, edit)
    assert words in refused(path, error)


def test_an_edited_or_removed_audit_event_is_found_by_check(
    originals: Path, tmp_path: Path
) -> None:
    """Someone with the key changes the trail directly in the file: ``check`` says where."""
    path = copy_of(originals, tmp_path)
    db = open_as_admin(path)
    try:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_event SET username = 'nobody' WHERE sequence = 2"))
        assert check_database(db) == ["Audit event 2 was altered."]
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_event SET username = 'admin' WHERE sequence = 2"))
        assert check_database(db) == []
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_event WHERE sequence = 3"))
        problems = check_database(db)
    finally:
        db.close()
    assert problems == ["Audit event 3 is missing.", "Audit event 4 was altered."]
