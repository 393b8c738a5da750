"""Opening and creating the encrypted database file.

Opening goes in two steps. First a read-only connection proves the key, checks the file and
reads the schema revision; nothing is written, so a wrong key, a damaged file or a database
from a newer version leaves the file exactly as it was (TARGETS.md R2, R11, R12). Only then is
the file opened for writing, backed up and migrated if its schema is older than this version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import cope_desktop.sync.capture  # noqa: F401  (records every change of a synced row)
from cope_desktop.db import engine as engine_mod
from cope_desktop.db import migrate, wal
from cope_desktop.db.keys import KeyFile
from cope_desktop.errors import DatabaseDamagedError, DatabaseOpenError, SchemaTooNewError
from cope_desktop.i18n import _

log = logging.getLogger(__name__)

SQLITE_HEADER_BYTES = 16


@dataclass
class Database:
    """An open, unlocked database: its engine and a factory of short-lived sessions."""

    path: Path
    engine: Engine
    key_file: KeyFile
    data_key: bytes
    _sessions: sessionmaker[Session]

    @classmethod
    def from_engine(cls, path: Path, engine: Engine, key_file: KeyFile, key: bytes) -> Database:
        return cls(path, engine, key_file, key, sessionmaker(engine, expire_on_commit=False))

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def inspect_file(path: Path, key: bytes, *, check_pages: bool = True) -> str | None:
    """Prove the key, check the file and return its schema revision, writing nothing.

    ``check_pages=False`` leaves out the page-by-page authentication (it reads the whole
    file); the caller must then run ``verify_pages`` before it writes anything.
    """
    if not path.is_file():
        raise DatabaseOpenError(_("There is no database at {path}.").format(path=path))
    size = path.stat().st_size
    if size < 1024:
        raise DatabaseDamagedError(
            _(
                "The database {path} is empty or truncated. It has not been changed; "
                "restore it from a backup."
            ).format(path=path)
        )
    side_files = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    absent = [side for side in side_files if not side.exists()]
    if wal.loses_committed_frames(side_files[0]):
        raise damaged_error(path)
    try:
        conn = engine_mod.connect(path, key, mode="ro", tune=False)
        try:
            if check_pages:
                _check_pages(conn, path)
            module = engine_mod.sqlcipher_module()
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except module.OperationalError:
                row = None  # no such table: not a COPE Desktop database
            except module.DatabaseError:
                raise damaged_error(path) from None
            return row[0] if row else None
        finally:
            conn.close()
    finally:
        _remove_empty_side_files(absent)


def _remove_empty_side_files(created: list[Path]) -> None:
    """A read-only look at a WAL database makes empty -wal/-shm files: leave the folder as found."""
    wal = next((p for p in created if p.name.endswith("-wal")), None)
    if wal is not None and wal.exists() and wal.stat().st_size > 0:
        return
    for side in created:
        side.unlink(missing_ok=True)


def damaged_error(path: Path) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        _(
            "The database {path} is damaged (a page does not decrypt or the file is truncated). "
            "It has not been changed; restore it from a backup."
        ).format(path=path)
    )


def _check_pages(conn: Any, path: Path) -> None:
    """Every page decrypts and authenticates (R12).

    A flipped byte fails a page's HMAC and a truncated file fails the header's page count
    (already read by ``connect``). The slower structural ``quick_check`` belongs to ``check``:
    a page that authenticates was written by SQLite with our key, and opening a large
    database must stay well under a second (TARGETS.md P1).
    """
    module = engine_mod.sqlcipher_module()
    damaged = damaged_error(path)
    try:
        problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except module.DatabaseError:
        raise damaged from None
    if problems:
        log.error("integrity problems in %s: %s", path, problems[:5])
        raise damaged


def verify_pages(db: Database) -> None:
    """Authenticate every page of an open database; DatabaseDamagedError if one fails."""
    raw = db.engine.raw_connection()
    try:
        _check_pages(raw.driver_connection, db.path)
    finally:
        raw.close()


def open_database(
    path: Path, key: bytes, key_file: KeyFile, backup_dir: Path, *, defer_page_check: bool = False
) -> Database:
    """Open an existing database, migrating it (after a backup) when its schema is older.

    With ``defer_page_check`` the whole-file authentication is left to ``verify_pages``, so a
    window can appear while it runs; it is never deferred when a migration must write.
    """
    head = migrate.head_revision()
    revision = inspect_file(path, key, check_pages=not defer_page_check)
    if defer_page_check and revision != head:
        revision = inspect_file(path, key)
    if revision is not None and revision not in migrate.known_revisions():
        raise SchemaTooNewError(
            _(
                "The database {path} was written by a newer version of COPE Desktop. "
                "Install the newest version to open it; the file has not been changed."
            ).format(path=path)
        )
    if revision is None:
        raise DatabaseDamagedError(
            _("The database {path} has no COPE Desktop schema.").format(path=path)
        )
    engine = engine_mod.make_engine(path, key)
    try:
        if revision != head:
            backup = backup_before_migration(engine, path, revision, backup_dir, key)
            log.info("migrating %s from %s to %s (backup %s)", path, revision, head, backup)
            with engine.begin() as conn:
                migrate.upgrade_to_head(conn)
    except BaseException:
        engine.dispose()
        raise
    return Database.from_engine(path, engine, key_file, key)


def create_schema(path: Path, key: bytes, key_file: KeyFile) -> Database:
    """Create a new encrypted file at ``path`` and bring its schema to the newest revision."""
    if path.exists():
        raise DatabaseOpenError(_("A file already exists at {path}.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = engine_mod.make_engine(path, key, create=True)
    try:
        with engine.begin() as conn:
            migrate.upgrade_to_head(conn)
    except BaseException:
        engine.dispose()
        raise
    return Database.from_engine(path, engine, key_file, key)


def backup_before_migration(
    engine: Engine, path: Path, revision: str, backup_dir: Path, key: bytes
) -> Path:
    """An encrypted copy (same key) of the whole database, with its key file, before migrating.

    It is a backup like any other (services/backups.py: key file and manifest beside it),
    verified by reopening it before the migration is allowed to start.
    """
    from cope_desktop.services.backups import (  # services use this module
        STAMP_FORMAT,
        before_migration_backup,
    )

    stamp = dt.datetime.now(dt.UTC).strftime(STAMP_FORMAT)
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = backup_dir / f"{path.stem}-before-migration-{revision}-{stamp}.db"
    before_migration_backup(engine, path, key, target)
    return target
