"""Encryption at rest and opening safely: R1, R2, R11, R12."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase, database_files, file_digest

from cope_desktop.db import engine as engine_mod
from cope_desktop.db.keys import KeyFile, new_data_key
from cope_desktop.db.models import CaseNote, Child, Family
from cope_desktop.errors import (
    DatabaseDamagedError,
    DatabaseOpenError,
    EncryptionUnavailableError,
    WrongCredentialsError,
)
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.setup import NewDatabase, create_database

SECRETS = ["Zebulon", "Quixtanowska", "FAM-SECRET-4711", "confided-about-visiting-order"]


def _seed_secrets(created: CreatedDatabase) -> None:
    db = created.sign_in()
    with db.session() as session:
        family = Family(reference=SECRETS[2], opened_on=dt.date(2025, 3, 1))
        session.add(family)
        session.flush()
        session.add(
            Child(reference="C-1", family_id=family.id, first_name=SECRETS[0], last_name=SECRETS[1])
        )
        session.add(CaseNote(family_id=family.id, written_on=dt.date(2025, 3, 2), text=SECRETS[3]))
    return db  # type: ignore[return-value]


def test_raw_file_and_wal_reveal_no_seeded_value(created_db: CreatedDatabase) -> None:
    db = _seed_secrets(created_db)
    try:
        wal = created_db.path.with_name(created_db.path.name + "-wal")
        assert wal.exists(), "the test must see a live write-ahead log"
        for path in (created_db.path, wal, KeyFile.path_for(created_db.path)):
            raw = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in raw, f"{secret} readable in {path.name}"
                assert secret.encode("utf-16-le") not in raw
    finally:
        db.close()
    raw = created_db.path.read_bytes()
    assert not any(secret.encode() in raw for secret in SECRETS)
    assert not raw.startswith(b"SQLite format 3")


def test_plain_sqlite_cannot_read_the_file(created_db: CreatedDatabase) -> None:
    conn = sqlite3.connect(created_db.path)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    conn.close()


def test_wrong_password_is_refused_and_changes_nothing(created_db: CreatedDatabase) -> None:
    before = file_digest(*database_files(created_db.path))
    with pytest.raises(WrongCredentialsError, match="not correct"):
        sign_in(created_db.path, "admin", "not the password", created_db.paths.backup_dir)
    with pytest.raises(WrongCredentialsError, match="not correct"):
        sign_in(created_db.path, "nobody", PASSWORD, created_db.paths.backup_dir)
    assert file_digest(*database_files(created_db.path)) == before


@pytest.mark.parametrize("keep_bytes", [0, 100, 4096, -1])
def test_truncated_file_is_reported_and_left_alone(
    created_db: CreatedDatabase, keep_bytes: int
) -> None:
    data = created_db.path.read_bytes()
    cut = len(data) // 2 if keep_bytes == -1 else keep_bytes
    created_db.path.write_bytes(data[:cut])
    before = file_digest(*database_files(created_db.path))
    with pytest.raises(DatabaseDamagedError, match="restore it from a backup"):
        created_db.sign_in()
    assert file_digest(*database_files(created_db.path)) == before


def test_flipped_byte_is_reported_and_left_alone(created_db: CreatedDatabase) -> None:
    data = bytearray(created_db.path.read_bytes())
    data[len(data) - 2000] ^= 0x40  # inside the last page's encrypted content
    created_db.path.write_bytes(bytes(data))
    before = file_digest(*database_files(created_db.path))
    with pytest.raises(DatabaseDamagedError):
        created_db.sign_in()
    assert file_digest(*database_files(created_db.path)) == before


def test_missing_key_file_is_a_clear_error(created_db: CreatedDatabase) -> None:
    KeyFile.path_for(created_db.path).unlink()
    with pytest.raises(DatabaseOpenError, match=r"key file .* is missing"):
        created_db.sign_in()


def test_weakened_key_slot_is_refused(created_db: CreatedDatabase) -> None:
    key_path = KeyFile.path_for(created_db.path)
    document = json.loads(key_path.read_text())
    document["slots"][0]["kdf"]["memory_cost_kib"] = 1024
    key_path.write_text(json.dumps(document))
    with pytest.raises(DatabaseOpenError, match="weaker protection"):
        created_db.sign_in()


def test_slot_moved_to_another_user_does_not_open(created_db: CreatedDatabase) -> None:
    key_path = KeyFile.path_for(created_db.path)
    document = json.loads(key_path.read_text())
    document["slots"][0]["user"] = "mallory"
    key_path.write_text(json.dumps(document))
    with pytest.raises(WrongCredentialsError):
        sign_in(created_db.path, "mallory", PASSWORD, created_db.paths.backup_dir)


def test_no_cipher_version_fails_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, created_db: CreatedDatabase
) -> None:
    """A driver that does not encrypt must never create or open a file (R11)."""
    import sqlite3 as plain

    monkeypatch.setattr(engine_mod, "sqlcipher_module", lambda: plain)
    new_path = tmp_path / "new.db"
    with pytest.raises(EncryptionUnavailableError):
        create_database(NewDatabase(new_path, "Org", "FR", "admin", PASSWORD))
    assert not new_path.exists()
    assert not new_path.with_name("new.db.creating").exists()
    assert not KeyFile.path_for(new_path).exists()

    before = file_digest(*database_files(created_db.path))
    with pytest.raises(EncryptionUnavailableError):
        created_db.sign_in()
    assert file_digest(*database_files(created_db.path)) == before


def test_missing_driver_fails_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sqlcipher(name: str, *args: object, **kwargs: object) -> object:
        if name == "sqlcipher3":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_sqlcipher)
    with pytest.raises(EncryptionUnavailableError, match="SQLCipher"):
        engine_mod.connect(tmp_path / "x.db", new_data_key(), mode="rwc")
    assert not (tmp_path / "x.db").exists()


def test_empty_key_fails_closed(tmp_path: Path) -> None:
    with pytest.raises(EncryptionUnavailableError):
        engine_mod.connect(tmp_path / "x.db", b"", mode="rwc")
    assert not (tmp_path / "x.db").exists()


def test_connections_are_tuned(created_db: CreatedDatabase) -> None:
    db = created_db.sign_in()
    try:
        with db.engine.connect() as conn:

            def pragma(name: str) -> object:
                return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

            assert pragma("cipher_version")
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("secure_delete") == 1
    finally:
        db.close()


def test_deferred_page_check_catches_damage_before_any_write(
    created_db: CreatedDatabase,
) -> None:
    """The GUI shows its window first; the login is recorded only after every page checks out."""
    from cope_desktop.services.accounts import finish_sign_in

    db = _seed_secrets(created_db)
    db.close()
    data = bytearray(created_db.path.read_bytes())
    data[len(data) - 2000] ^= 0x40
    created_db.path.write_bytes(bytes(data))
    before = created_db.path.read_bytes()
    try:
        db, user = sign_in(
            created_db.path, "admin", PASSWORD, created_db.paths.backup_dir, defer_page_check=True
        )
    except DatabaseDamagedError:
        return  # the damaged page was needed to open: reported at once, which is as good
    try:
        with pytest.raises(DatabaseDamagedError, match="restore it from a backup"):
            finish_sign_in(db, user)
    finally:
        db.close()
    assert created_db.path.read_bytes() == before


def test_deferred_page_check_records_the_login_when_all_is_well(
    created_db: CreatedDatabase,
) -> None:
    from sqlalchemy import func, select

    from cope_desktop.db.models import AuditEvent
    from cope_desktop.services.accounts import finish_sign_in

    db, user = sign_in(
        created_db.path, "admin", PASSWORD, created_db.paths.backup_dir, defer_page_check=True
    )
    try:
        with db.session() as session:
            logins = select(func.count()).where(AuditEvent.action == "login")
            assert session.scalar(logins) == 0
        finish_sign_in(db, user)
        with db.session() as session:
            assert session.scalar(logins) == 1
    finally:
        db.close()
