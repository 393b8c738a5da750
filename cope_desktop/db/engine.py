"""SQLCipher connections keyed with the raw data key, and the SQLAlchemy engine around them.

We fail closed (TARGETS.md R11): without the SQLCipher driver, with an empty key, or when
``PRAGMA cipher_version`` comes back empty, nothing is opened or created and no file changes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from cope_desktop.errors import DatabaseDamagedError, DatabaseOpenError, EncryptionUnavailableError
from cope_desktop.i18n import _

log = logging.getLogger(__name__)

PAGE_CACHE_KIB = 128 * 1024
"""SQLCipher decrypts every page it reads; a cache larger than the hot part keeps reads cheap."""
REPORT_CACHE_KIB = 320 * 1024
"""While a report counts a year (TARGETS.md P4): its statements read most of the people
tables, more than ``PAGE_CACHE_KIB`` holds, so pages were decrypted again and again. The
connection gets this much for the report only and gives it back afterwards (P9)."""


@contextlib.contextmanager
def larger_page_cache(connection: Connection, kib: int = REPORT_CACHE_KIB) -> Iterator[None]:
    """Give one SQLite connection a larger page cache for a block, then shrink it back."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")


def sqlcipher_module() -> ModuleType:
    try:
        import sqlcipher3
    except ImportError:  # pragma: no cover - depends on the installation
        raise EncryptionUnavailableError(
            _("The encryption library (SQLCipher) is not installed; the database stays closed.")
        ) from None
    return sqlcipher3


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def connect(path: Path, key: bytes, *, mode: str = "rw", tune: bool = True) -> Any:
    """A DB-API connection to the encrypted file at ``path``.

    ``mode`` is SQLite's URI mode: ``ro`` to inspect without writing, ``rw`` for an existing
    file, ``rwc`` to create one. The key is checked (a page is read) before anything is written.
    """
    module = sqlcipher_module()
    if len(key) != 32:
        raise EncryptionUnavailableError(_("The database key is empty or malformed."))
    _assert_encrypts(module)
    if mode != "rwc" and not path.exists():
        raise DatabaseOpenError(_("There is no database at {path}.").format(path=path))
    try:
        conn = module.connect(_uri(path, mode), uri=True, check_same_thread=False)
    except module.Error as exc:
        raise DatabaseOpenError(
            _("The database {path} could not be opened: {reason}").format(path=path, reason=exc)
        ) from None
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise EncryptionUnavailableError(
                _("The database driver does not encrypt (no cipher version); it stays closed.")
            )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except module.DatabaseError:
            raise DatabaseDamagedError(
                _(
                    "The database {path} is damaged or is not a COPE Desktop database "
                    "(it cannot be decrypted with its key). It has not been changed; "
                    "restore it from a backup."
                ).format(path=path)
            ) from None
        if tune:
            _tune(conn, writable=mode != "ro")
    except BaseException:
        conn.close()
        raise
    return conn


def _assert_encrypts(module: ModuleType) -> None:
    """Ask the driver for its cipher version in memory, before any file is touched."""
    probe = module.connect(":memory:")
    try:
        version = probe.execute("PRAGMA cipher_version").fetchone()
    finally:
        probe.close()
    if not version or not version[0]:
        raise EncryptionUnavailableError(
            _("The database driver does not encrypt (no cipher version); it stays closed.")
        )


def _tune(conn: Any, *, writable: bool) -> None:
    if writable:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    conn.execute("PRAGMA busy_timeout = 5000")


def make_engine(path: Path, key: bytes, *, create: bool = False) -> Engine:
    """An engine whose every pooled connection is keyed, verified and tuned."""
    module = sqlcipher_module()
    first = connect(path, key, mode="rwc" if create else "rw")

    def creator() -> Any:
        nonlocal first
        if first is not None:
            conn, first = first, None
            return conn
        return connect(path, key, mode="rw")

    engine = create_engine(
        "sqlite://",
        module=module,
        creator=creator,
        poolclass=QueuePool,
        pool_size=3,
        max_overflow=4,
    )
    _use_real_transactions(engine)
    return engine


def _use_real_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the driver, begin transactions, so DDL and SAVEPOINT are transactional.

    This is the recipe from SQLAlchemy's SQLite dialect documentation.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")
