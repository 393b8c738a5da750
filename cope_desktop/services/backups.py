"""Encrypted backups: made on a schedule, before every migration and on request (TARGETS.md R10).

A backup is three files side by side:

- ``<database-stem>-<UTC stamp>-<kind>.db``: the whole database written by ``VACUUM INTO``,
  so it is encrypted with the same data key as the database;
- ``… .db.keys``: the key file at backup time, so the backup opens with the passwords and the
  recovery key that were valid then;
- ``… .manifest.json``: what the backup holds (record counts per table, a SHA-256 content
  hash over every table's rows in primary-key order, the schema revision, the time).

The content hash is taken from the live database while writers are held off, and a backup is
kept only after it has been reopened, its pages authenticated (``cipher_integrity_check``),
its structure checked (``quick_check``) and its counts and hash found equal to the live
database's. Files are written under ``.partial`` names and renamed at the very end, so a
cancelled or failed backup leaves nothing behind (R15).

A restore never replaces the current database before the copy that will take its place has
been verified; the current files are moved aside into the backup folder, never deleted.

Choice: the scheduled backup runs for whoever is signed in, whatever their role (a
caseworker's laptop is backed up too), because it only copies the database to the folder the
administrator chose; making a backup on request, verifying from the list and restoring are
for administrators (``Permission.MANAGE_BACKUPS``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from cope_desktop.atomic import atomic_write_text
from cope_desktop.db import engine as engine_mod
from cope_desktop.db import migrate
from cope_desktop.db.database import Database, open_database
from cope_desktop.db.enums import Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.errors import (
    CopeError,
    DatabaseDamagedError,
    DatabaseOpenError,
    EncryptionUnavailableError,
    UserInputError,
)
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator, run_to_end
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser, find_user
from cope_desktop.services.app_settings import BackupSchedule, PrivacySettings
from cope_desktop.services.permissions import Permission, require

log = logging.getLogger(__name__)

MANIFEST_FORMAT = "cope-backup/1"
MANIFEST_SUFFIX = ".manifest.json"
PARTIAL = ".partial"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
BATCH_ROWS = 5000
COPY_WEIGHT = 0.5
"""The copy counts as half a pass over the rows in the progress shown."""
COPY_CHUNK_BYTES = 1024 * 1024
"""How much of a backup is read and written at a time when it is copied for a restore."""


class BackupKind(enum.StrEnum):
    MANUAL = "manual"
    SCHEDULED = "scheduled"
    BEFORE_MIGRATION = "before-migration"


@dataclass(frozen=True)
class Digest:
    """Record counts per table and the content hashes of one database, taken through SQL."""

    counts: dict[str, int]
    table_hashes: dict[str, str]
    content_hash: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class BackupInfo:
    """One backup as its manifest describes it (``problems`` are those seen without a key)."""

    path: Path
    created: dt.datetime
    kind: str
    revision: str
    size: int
    counts: dict[str, int]
    content_hash: str
    database: str
    """The stem of the database file it was made from: backups are rotated per database."""
    organisation_id: str | None
    verified_at: dt.datetime | None
    problems: list[str] = field(default_factory=list)
    audit_head: tuple[int, str] | None = None
    """The newest audit event at backup time (sequence, hash): a witness outside the live
    database that its trail has not lost or changed events since (see ``audit_witnesses``)."""

    @property
    def manifest_path(self) -> Path:
        return manifest_path_for(self.path)

    @property
    def total_records(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PreparedRestore:
    """A verified copy of a backup waiting beside the database it will replace."""

    backup: Path
    db_path: Path
    temp_db: Path
    temp_keys: Path
    username: str
    created: dt.datetime
    data_key: bytes = field(repr=False)


# --- file names -------------------------------------------------------------------------------


def manifest_path_for(backup: Path) -> Path:
    name = backup.name[:-3] if backup.name.endswith(".db") else backup.name
    return backup.with_name(name + MANIFEST_SUFFIX)


def backup_files(backup: Path) -> list[Path]:
    """The database, key file and manifest that make up one backup."""
    return [backup, KeyFile.path_for(backup), manifest_path_for(backup)]


def backup_name(db_path: Path, when: dt.datetime, kind: str) -> str:
    return f"{db_path.stem}-{when.astimezone(dt.UTC).strftime(STAMP_FORMAT)}-{kind}.db"


def _partial(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- counting and hashing ---------------------------------------------------------------------


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _row_query(conn: Any, table: str) -> tuple[list[str], str]:
    """Columns, and a query giving each row as one SQL-quoted text in primary-key order.

    ``quote()`` writes every value the same way whatever the driver makes of it (text,
    numbers, blobs such as ids), so the hash of a row does not depend on Python types.
    """
    info = conn.execute(f"PRAGMA table_info({_quoted(table)})").fetchall()
    columns = [row[1] for row in info]
    keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5] > 0]
    order = ", ".join(_quoted(c) for c in keys) if keys else ", ".join(_quoted(c) for c in columns)
    values = " || ',' || ".join(f"quote({_quoted(c)})" for c in columns) or "''"
    return columns, f"SELECT {values} FROM {_quoted(table)} ORDER BY {order}"


def count_rows(conn: Any) -> dict[str, int]:
    return {
        table: int(conn.execute(f"SELECT count(*) FROM {_quoted(table)}").fetchone()[0])
        for table in _tables(conn)
    }


def digest_rows(
    conn: Any, counts: dict[str, int], start: int = 0, total: int = 0, message: str = ""
) -> ProgressGenerator[Digest]:
    """Hash every row of every table, streaming in batches (a DB-API connection).

    The progress counts rows from ``start`` out of ``total``, so callers can chain passes.
    """
    overall = hashlib.sha256()
    table_hashes: dict[str, str] = {}
    done = start
    for table in sorted(counts):
        columns, query = _row_query(conn, table)
        digest = hashlib.sha256(("\x1f".join([table, *columns]) + "\n").encode())
        cursor = conn.execute(query)
        try:
            while rows := cursor.fetchmany(BATCH_ROWS):
                digest.update("\n".join([row[0] for row in rows]).encode())
                digest.update(b"\n")
                done += len(rows)
                yield Progress(done, total, message)
        finally:
            cursor.close()
        table_hashes[table] = digest.hexdigest()
        overall.update(f"{table}\x1f{table_hashes[table]}\n".encode())
    return Digest(dict(counts), table_hashes, overall.hexdigest())


# --- making a backup --------------------------------------------------------------------------


@contextlib.contextmanager
def _writers_held(engine: Engine) -> Iterator[Any]:
    """A connection holding the write lock: nobody commits while the copy and its hash are made.

    Readers go on (WAL); a writer waits (busy timeout) for the few seconds this takes.
    """
    raw = engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    try:
        driver.execute("BEGIN IMMEDIATE")
        try:
            yield driver
        finally:
            driver.execute("ROLLBACK")
    finally:
        raw.close()


def _vacuum_into(engine: Engine, target: Path) -> None:
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("VACUUM INTO ?", (str(target),))
    finally:
        raw.close()


def _organisation_id(conn: Any) -> str | None:
    try:
        row = conn.execute("SELECT id FROM organisation LIMIT 1").fetchone()
    except Exception:  # an old schema or no organisation yet: the manifest just has none
        return None
    if row is None:
        return None
    value = row[0]
    return value.hex() if isinstance(value, bytes) else str(value)


def _revision(conn: Any) -> str:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception:
        return ""
    return str(row[0]) if row else ""


def write_backup(
    engine: Engine,
    db_path: Path,
    data_key: bytes,
    target: Path,
    kind: str,
    created: dt.datetime | None = None,
) -> ProgressGenerator[BackupInfo]:
    """Copy, hash, verify and publish one backup at ``target`` (no permission check, no audit).

    Used by ``make_backup``, ``scheduled_backup`` and the backup made before a migration.
    """
    if target.suffix != ".db":
        raise UserInputError(_("A backup file name ends in .db ({path}).").format(path=target))
    if not target.parent.is_dir():
        raise UserInputError(
            _("The backup folder {folder} does not exist or is not connected.").format(
                folder=target.parent
            )
        )
    finals = backup_files(target)
    if any(path.exists() for path in finals):
        raise UserInputError(
            _("A backup named {name} already exists; it was not replaced.").format(name=target.name)
        )
    partials = [_partial(path) for path in finals]
    try:
        for path in partials:
            path.unlink(missing_ok=True)
        info = yield from _write_partials(
            engine, db_path, data_key, target, kind, partials, created or _now()
        )
        # The database and key file first; the manifest last, so a backup is listed only whole.
        for partial, final in zip(partials, finals, strict=True):
            os.replace(partial, final)
        return info
    finally:
        for path in partials:
            path.unlink(missing_ok=True)


def _write_partials(
    engine: Engine,
    db_path: Path,
    data_key: bytes,
    target: Path,
    kind: str,
    partials: list[Path],
    created: dt.datetime,
) -> ProgressGenerator[BackupInfo]:
    partial_db, partial_keys, partial_manifest = partials
    with _writers_held(engine) as live:
        counts = count_rows(live)
        rows = sum(counts.values())
        total = int(rows * (2 + COPY_WEIGHT)) or 1
        yield Progress(0, total, _("Copying the database…"))
        _vacuum_into(engine, partial_db)
        copied = int(rows * COPY_WEIGHT)
        yield Progress(copied, total, _("Counting the records…"))
        live_digest = yield from digest_rows(
            live, counts, copied, total, _("Counting the records…")
        )
        revision = _revision(live)
        organisation = _organisation_id(live)
        audit_head = _audit_head(live)
    # VACUUM INTO writes without syncing: the copy must be on disk before it is published.
    _sync_file(partial_db)
    with contextlib.suppress(OSError):
        os.chmod(partial_db, 0o600)
    _copy_synced(KeyFile.path_for(db_path), partial_keys)
    problems, _digest = yield from _check_copy(
        partial_db, data_key, live_digest, copied + rows, total
    )
    if problems:
        log.error("backup %s failed verification: %s", target.name, problems)
        raise DatabaseDamagedError(
            _("The backup could not be verified, so it was not kept: {problem}").format(
                problem=problems[0]
            )
        )
    info = BackupInfo(
        path=target,
        created=created,
        kind=kind,
        revision=revision,
        size=partial_db.stat().st_size,
        counts=live_digest.counts,
        content_hash=live_digest.content_hash,
        database=db_path.stem,
        organisation_id=organisation,
        verified_at=_now(),
        audit_head=audit_head,
    )
    atomic_write_text(partial_manifest, json.dumps(_manifest(info, live_digest), indent=2) + "\n")
    yield Progress(total, total, _("Backup verified."))
    return info


def _manifest(info: BackupInfo, digest: Digest) -> dict[str, object]:
    return {
        "format": MANIFEST_FORMAT,
        "file": info.path.name,
        "created": info.created.isoformat(),
        "kind": info.kind,
        "database": info.database,
        "organisation_id": info.organisation_id,
        "revision": info.revision,
        "size": info.size,
        "counts": digest.counts,
        "table_sha256": digest.table_hashes,
        "content_sha256": digest.content_hash,
        "verified_at": info.verified_at.isoformat() if info.verified_at else None,
        "audit_head": (
            {"sequence": info.audit_head[0], "hash": info.audit_head[1]}
            if info.audit_head
            else None
        ),
    }


def make_backup(
    db: Database,
    actor: CurrentUser,
    folder: Path,
    kind: str = BackupKind.MANUAL,
    *,
    file_name: str | None = None,
) -> ProgressGenerator[BackupInfo]:
    """Back up the open database into ``folder`` (administrators); audited ``backup``."""
    require(actor, Permission.MANAGE_BACKUPS)
    return (yield from _backup_and_record(db, actor, folder, str(kind), file_name, _now()))


def _backup_and_record(
    db: Database,
    actor: CurrentUser,
    folder: Path,
    kind: str,
    file_name: str | None,
    when: dt.datetime,
) -> ProgressGenerator[BackupInfo]:
    target = Path(folder) / (file_name or backup_name(db.path, when, kind))
    info = yield from write_backup(db.engine, db.path, db.data_key, target, kind, when)
    with db.session() as session:
        audit.record_by(
            session,
            actor,
            "backup",
            "backup",
            None,
            f"{target.name}; {info.total_records} records",
        )
    return info


# --- reading and verifying backups ------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` (a .db or its .manifest.json)."""
    manifest = path if path.name.endswith(MANIFEST_SUFFIX) else manifest_path_for(path)
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserInputError(
            _("The backup {name} has no manifest ({manifest}).").format(
                name=path.name, manifest=manifest.name
            )
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise UserInputError(
            _("The manifest {name} cannot be read.").format(name=manifest.name)
        ) from None
    if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
        raise UserInputError(
            _("{name} is not the manifest of a COPE Desktop backup.").format(name=manifest.name)
        )
    return document


def _info_from_manifest(manifest: Path, document: dict[str, Any]) -> BackupInfo:
    name = str(document.get("file") or manifest.name[: -len(MANIFEST_SUFFIX)] + ".db")
    path = manifest.with_name(Path(name).name)
    verified = document.get("verified_at")
    return BackupInfo(
        path=path,
        created=_aware(dt.datetime.fromisoformat(str(document["created"]))),
        kind=str(document.get("kind", "")),
        revision=str(document.get("revision", "")),
        size=int(document.get("size", 0)),
        counts={str(k): int(v) for k, v in dict(document.get("counts", {})).items()},
        content_hash=str(document.get("content_sha256", "")),
        database=str(document.get("database", "")),
        organisation_id=document.get("organisation_id"),
        verified_at=_aware(dt.datetime.fromisoformat(str(verified))) if verified else None,
        problems=_file_problems(path, int(document.get("size", 0))),
        audit_head=_head_from(document.get("audit_head")),
    )


def _head_from(value: object) -> tuple[int, str] | None:
    if not isinstance(value, dict):
        return None
    try:
        return int(value["sequence"]), str(value["hash"])
    except (KeyError, TypeError, ValueError):
        return None


def _audit_head(conn: Any) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT sequence, hash FROM audit_event ORDER BY sequence DESC LIMIT 1"
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def audit_witnesses(folders: Iterable[Path], organisation_id: str) -> list[BackupInfo]:
    """The organisation's backups that recorded the audit trail's newest event, newest first.

    Nobody who can open the database is kept from editing it, the audit table included; what
    they cannot reach is what was already copied elsewhere. Each backup's manifest names the
    last event at backup time, so ``check`` can tell when events up to then were deleted or
    changed, including the newest ones, which the hash chain alone cannot show.
    """
    found: dict[Path, BackupInfo] = {}
    for folder in folders:
        if folder.is_dir():
            for info in list_backups(folder):
                if info.organisation_id == organisation_id and info.audit_head is not None:
                    found[info.path.resolve()] = info
    return sorted(found.values(), key=lambda info: info.created, reverse=True)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _file_problems(path: Path, size: int) -> list[str]:
    """What can be seen without opening the backup: missing files, a changed size."""
    if not path.is_file():
        return [_("The backup file {name} is missing.").format(name=path.name)]
    problems = []
    if not KeyFile.path_for(path).is_file():
        problems.append(_("The key file of {name} is missing.").format(name=path.name))
    if size and path.stat().st_size != size:
        problems.append(
            _("The backup file {name} has changed size since it was made.").format(name=path.name)
        )
    return problems


def backup_info(path: Path) -> BackupInfo:
    """The backup whose database file (or manifest) is ``path``; UserInputError if none."""
    return _load(path)[0]


def _load(path: Path) -> tuple[BackupInfo, dict[str, Any]]:
    """The backup at ``path`` and its manifest, read once; UserInputError if it has none."""
    manifest = path if path.name.endswith(MANIFEST_SUFFIX) else manifest_path_for(path)
    document = read_manifest(manifest)
    try:
        return _info_from_manifest(manifest, document), document
    except (KeyError, TypeError, ValueError):
        raise UserInputError(
            _("The manifest {name} cannot be read.").format(name=manifest.name)
        ) from None


def list_backups(folder: Path) -> list[BackupInfo]:
    """Every backup in ``folder`` with a readable manifest, newest first."""
    found: list[BackupInfo] = []
    if not Path(folder).is_dir():
        return found
    for manifest in Path(folder).glob("*" + MANIFEST_SUFFIX):
        try:
            found.append(backup_info(manifest))
        except (UserInputError, OSError) as error:
            log.warning("backup manifest %s skipped: %s", manifest, error)
    found.sort(key=lambda info: info.created, reverse=True)
    return found


def verify_backup(path: Path, data_key: bytes) -> list[str]:
    """Problems found in the backup at ``path`` (empty: it is whole and can be restored).

    The backup is opened read-only with ``data_key``; its pages are authenticated, its
    structure checked and its counts and content hash compared with its manifest.
    """
    return run_to_end(verify_backup_steps(path, data_key))


def verify_backup_steps(path: Path, data_key: bytes) -> ProgressGenerator[list[str]]:
    """``verify_backup`` as a generator of Progress (for the GUI's progress dialog)."""
    try:
        info, document = _load(path)
    except UserInputError as error:
        return [error.message]
    problems = list(info.problems)
    if not path.is_file():
        return problems
    try:
        KeyFile.load(path)
    except DatabaseOpenError as error:
        problems.append(error.message)
    return problems + (yield from _verify_file(path, data_key, document))


def _verify_file(
    path: Path, data_key: bytes, document: dict[str, Any]
) -> ProgressGenerator[list[str]]:
    """Compare the database file at ``path`` with the manifest ``document``."""
    try:
        expected = Digest(
            {str(k): int(v) for k, v in dict(document.get("counts", {})).items()},
            {str(k): str(v) for k, v in dict(document.get("table_sha256", {})).items()},
            str(document.get("content_sha256", "")),
        )
    except (TypeError, ValueError):
        return [_("The manifest of the backup cannot be read.")]
    found, _digest = yield from _check_copy(path, data_key, expected, 0, expected.total or 1)
    return found


def _check_copy(
    path: Path, data_key: bytes, expected: Digest, start: int, total: int
) -> ProgressGenerator[tuple[list[str], Digest | None]]:
    """Reopen ``path`` read-only and compare it with ``expected``; (problems, its digest)."""
    message = _("Checking the backup…")
    yield Progress(start, total, message)
    module = engine_mod.sqlcipher_module()
    try:
        conn = engine_mod.connect(path, data_key, mode="ro", tune=False)
    except EncryptionUnavailableError:
        raise
    except DatabaseOpenError:
        return [_("The backup cannot be decrypted with this database's key, or is damaged.")], None
    try:
        try:
            conn.execute(f"PRAGMA cache_size = -{engine_mod.PAGE_CACHE_KIB}")
            if conn.execute("PRAGMA cipher_integrity_check").fetchall():
                return [_("A page of the backup does not decrypt: the file is damaged.")], None
            quick = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
            if quick != ["ok"]:
                return [_("The structure of the backup is damaged.")], None
            counts = count_rows(conn)
            digest = yield from digest_rows(conn, counts, start, total, message)
            revision = _revision(conn)
        except module.DatabaseError:
            return [_("A page of the backup does not decrypt: the file is damaged.")], None
    finally:
        conn.close()
    return _compare(expected, digest, revision), digest


def _compare(expected: Digest, found: Digest, revision: str) -> list[str]:
    problems = []
    if revision and revision not in migrate.known_revisions():
        problems.append(_("The backup was made by a newer version of COPE Desktop."))
    for table in sorted(set(expected.counts) | set(found.counts)):
        if expected.counts.get(table) != found.counts.get(table):
            problems.append(
                _("The table {table} holds {found} rows; the manifest says {expected}.").format(
                    table=table,
                    found=found.counts.get(table, 0),
                    expected=expected.counts.get(table, 0),
                )
            )
    if not problems and found.content_hash != expected.content_hash:
        changed = [
            t
            for t in sorted(found.table_hashes)
            if expected.table_hashes.get(t) not in (None, found.table_hashes[t])
        ]
        problems.append(
            _("The content of the backup differs from its manifest{where}.").format(
                where=f" ({', '.join(changed)})" if changed else ""
            )
        )
    return problems


def check_backup(db: Database, actor: CurrentUser, path: Path) -> ProgressGenerator[list[str]]:
    """Verify a backup of the open database on request (administrators); audited."""
    require(actor, Permission.MANAGE_BACKUPS)
    problems = yield from verify_backup_steps(path, db.data_key)
    with db.session() as session:
        audit.record_by(
            session,
            actor,
            "backup_verified",
            "backup",
            None,
            f"{path.name}; " + ("ok" if not problems else f"{len(problems)} problems"),
        )
    return problems


# --- schedule and rotation --------------------------------------------------------------------


def backup_due(settings: PrivacySettings, last: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a scheduled backup should be made now (UTC calendar days).

    Daily: none yet today; weekly: none in the last seven days. A last backup dated in the
    future (a clock put back) does not stop the schedule.
    """
    if settings.backup_schedule is BackupSchedule.OFF:
        return False
    if last is None:
        return True
    days = (now.astimezone(dt.UTC).date() - last.astimezone(dt.UTC).date()).days
    if days < -1:
        return True
    wanted = 7 if settings.backup_schedule is BackupSchedule.WEEKLY else 1
    return days >= wanted


def backup_folder(settings: PrivacySettings, default_folder: Path) -> Path:
    return Path(settings.backup_folder).expanduser() if settings.backup_folder else default_folder


def backup_folders(settings: PrivacySettings, default_folder: Path) -> list[Path]:
    """Every folder that holds this database's backups: the usual one and the chosen one.

    The usual folder always counts: the backups made before a migration are written there.
    """
    chosen = backup_folder(settings, default_folder)
    return [default_folder] if chosen == default_folder else [default_folder, chosen]


def _same_database(info: BackupInfo, db_path: Path, organisation: str | None) -> bool:
    if organisation is not None and info.organisation_id is not None:
        return info.organisation_id == organisation and info.database == db_path.stem
    return info.database == db_path.stem


def last_backup(folder: Path, db_path: Path, organisation: str | None) -> dt.datetime | None:
    for info in list_backups(folder):
        if _same_database(info, db_path, organisation) and not info.problems:
            return info.created
    return None


def check_schedule(
    db: Database, settings: PrivacySettings, now: dt.datetime, *, default_folder: Path | None = None
) -> bool:
    """Whether the scheduled backup is due now; it reads the backup folders, writes no record.

    When it is not due, the backups past the retention window are removed all the same (R14).
    The GUI runs this beside the work of the day and queues ``scheduled_backup`` only when it
    is due: a slow or unplugged network folder then holds up no save.
    """
    default_folder = default_folder or _usual_folder()
    if settings.backup_schedule is not BackupSchedule.OFF:
        raw = db.engine.raw_connection()
        try:
            organisation = _organisation_id(raw.driver_connection)
        finally:
            raw.close()
        folder = backup_folder(settings, default_folder)
        if backup_due(settings, last_backup(folder, db.path, organisation), now):
            return True
    _purge_expired(backup_folders(settings, default_folder), settings, now)
    return False


def _usual_folder() -> Path:
    from cope_desktop.paths import resolve_paths

    return resolve_paths().backup_dir


def scheduled_backup(
    db: Database,
    user: CurrentUser,
    settings: PrivacySettings,
    now: dt.datetime,
    *,
    default_folder: Path | None = None,
) -> ProgressGenerator[BackupInfo | None]:
    """Make the scheduled backup when it is due, then rotate; None when none was due.

    Runs for whoever is signed in (any role): see the module's docstring. The audit row
    ``backup`` names that user. ``default_folder`` is the application's backup folder, used
    when the administrator chose none (and also rotated, for the backups made before
    migrations).
    """
    default_folder = default_folder or _usual_folder()
    if not check_schedule(db, settings, now, default_folder=default_folder):
        return None
    folder = backup_folder(settings, default_folder)
    if folder == default_folder:
        folder.mkdir(parents=True, exist_ok=True)
    info = yield from _backup_and_record(db, user, folder, BackupKind.SCHEDULED, None, now)
    for place in backup_folders(settings, default_folder):
        removed = rotate(place, settings, now, keep=[info.path])
        if removed:
            log.info("rotated %s backups out of %s", len(removed), place)
    return info


def _purge_expired(folders: list[Path], settings: PrivacySettings, now: dt.datetime) -> None:
    """Backups older than the retention window go even when no backup is made (R14)."""
    for place in folders:
        if place.is_dir():
            removed = rotate(place, settings, now, expired_only=True)
            if removed:
                log.info("removed %s backups older than the retention window", len(removed))


def retention_years(settings: PrivacySettings) -> int | None:
    """The retention window in years: the smaller of the anonymise and erase delays, if any."""
    years = [y for y in (settings.anonymise_after_years, settings.erase_after_years) if y]
    return min(years) if years else None


def _years_before(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def rotate(
    folder: Path,
    settings: PrivacySettings,
    now: dt.datetime,
    *,
    keep: Collection[Path] = (),
    expired_only: bool = False,
) -> list[Path]:
    """Remove the backups the rotation no longer keeps; return their paths.

    Per database, the newest backup of each of the last ``keep_daily`` days, ``keep_weekly``
    ISO weeks and ``keep_monthly`` months that have backups is kept (grandfather-father-son),
    and so are the newest backup and those in ``keep``. Backups older than the retention
    window are removed whatever the rotation says (R14), except the newest. Files without a
    readable manifest are never touched. With ``expired_only`` only that last rule applies.
    """
    kept_paths = {Path(p).resolve() for p in keep}
    cutoff = None
    years = retention_years(settings)
    if years is not None:
        cutoff = _years_before(now.astimezone(dt.UTC), years)
    groups: dict[tuple[str, str | None], list[BackupInfo]] = {}
    for info in list_backups(folder):
        groups.setdefault((info.database, info.organisation_id), []).append(info)
    removed: list[Path] = []
    for series in groups.values():
        keep_set = {i.path for i in series} if expired_only else _rotation_keeps(series, settings)
        for index, info in enumerate(series):  # newest first
            protected = index == 0 or info.path.resolve() in kept_paths
            too_old = cutoff is not None and info.created < cutoff
            if protected or (info.path in keep_set and not too_old):
                continue
            remove_backup(info.path)
            removed.append(info.path)
    return removed


def _rotation_keeps(series: list[BackupInfo], settings: PrivacySettings) -> set[Path]:
    """The backups kept by the daily, weekly and monthly rules (``series`` is newest first)."""
    keeps: set[Path] = set()
    rules = (
        (settings.keep_daily, lambda d: d.date().isoformat()),
        (settings.keep_weekly, lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2])),
        (settings.keep_monthly, lambda d: f"{d.year}-{d.month:02d}"),
    )
    for count, bucket in rules:
        seen: set[str] = set()
        for info in series:
            if len(seen) >= count:
                break
            key = bucket(info.created.astimezone(dt.UTC))
            if key not in seen:
                seen.add(key)
                keeps.add(info.path)
    return keeps


def remove_backup(path: Path) -> None:
    """Remove one backup's files (the manifest first, so it is never listed half-removed)."""
    for part in reversed(backup_files(path)):
        part.unlink(missing_ok=True)


# --- restoring --------------------------------------------------------------------------------


def restore(
    backup: Path, db_path: Path, username: str, password: str, backup_dir: Path
) -> ProgressGenerator[Path | None]:
    """Put the backup in place of the database at ``db_path``; return where the old one went.

    ``username``/``password`` unlock the backup's own key file, and must be an active
    administrator's in the backup. The copy is verified before anything is replaced; the
    current files are moved into ``backup_dir`` as ``<stem>-before-restore-<time>.db`` (None
    when there was no database). ``backup_restored`` is recorded in the restored database.
    """
    prepared = yield from prepare_restore(backup, db_path, username, password)
    return finish_restore(prepared, backup_dir)


def prepare_restore(
    backup: Path, db_path: Path, username: str, password: str
) -> ProgressGenerator[PreparedRestore]:
    """Unlock the backup, copy it beside ``db_path`` and verify the copy; change nothing else.

    The GUI runs this while the database is still open, asks, then calls ``finish_restore``.
    """
    backup, db_path = Path(backup), Path(db_path)
    if not backup.is_file():
        raise UserInputError(_("There is no backup file at {path}.").format(path=backup))
    info, document = _load(backup)
    if info.problems:
        raise UserInputError(_cannot_restore(backup, info.problems[0]))
    data_key = KeyFile.load(backup).unlock(username, password)
    _require_administrator(backup, data_key, username)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = _now().strftime(STAMP_FORMAT)
    temp_db = db_path.with_name(f".{db_path.name}.restoring-{stamp}")
    temp_keys = KeyFile.path_for(temp_db)
    try:
        yield Progress(0, 1, _("Copying the backup…"))
        _copy_synced(backup, temp_db)
        _copy_synced(KeyFile.path_for(backup), temp_keys)
        # the copy itself, the bytes that will take the database's place, is verified
        problems = yield from _verify_file(temp_db, data_key, document)
    except BaseException:
        _discard(temp_db, temp_keys)
        raise
    if problems:
        _discard(temp_db, temp_keys)
        raise DatabaseDamagedError(_cannot_restore(backup, problems[0]))
    return PreparedRestore(backup, db_path, temp_db, temp_keys, username, info.created, data_key)


def _cannot_restore(backup: Path, problem: str) -> str:
    return _("The backup {name} cannot be restored: {problem} Nothing was changed.").format(
        name=backup.name, problem=problem
    )


def _require_administrator(backup: Path, data_key: bytes, username: str) -> None:
    """The person restoring must be an active administrator in the backup itself."""
    module = engine_mod.sqlcipher_module()
    damaged = _cannot_restore(
        backup, _("The backup cannot be decrypted with this database's key, or is damaged.")
    )
    try:
        conn = engine_mod.connect(backup, data_key, mode="ro", tune=False)
    except EncryptionUnavailableError:
        raise
    except DatabaseOpenError as error:
        raise DatabaseDamagedError(damaged) from error
    try:
        rows = conn.execute("SELECT id, username, display_name, role, is_active FROM user_account")
        wanted = username.strip().casefold()
        match = next((r for r in rows.fetchall() if str(r[1]).casefold() == wanted), None)
    except module.DatabaseError as error:
        raise DatabaseDamagedError(damaged) from error
    finally:
        conn.close()
    if match is None or not match[4]:
        raise UserInputError(_("This user account is disabled or does not exist in the backup."))
    try:
        role = Role(str(match[3]))
    except ValueError:
        role = Role.CASEWORKER
    user_id = uuid.UUID(bytes=match[0]) if isinstance(match[0], bytes) else uuid.UUID(str(match[0]))
    require(CurrentUser(user_id, str(match[1]), str(match[2]), role), Permission.MANAGE_BACKUPS)


def _copy_synced(source: Path, target: Path) -> None:
    with source.open("rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, COPY_CHUNK_BYTES)
        writer.flush()
        os.fsync(writer.fileno())
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)


def _sync_file(path: Path) -> None:
    """Flush a file another writer (SQLite) made to disk (opened writable: Windows needs it)."""
    with path.open("r+b") as handle:
        os.fsync(handle.fileno())


def _discard(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def discard_restore(prepared: PreparedRestore) -> None:
    """Remove the verified copy when the person decides not to restore after all."""
    _discard(prepared.temp_db, prepared.temp_keys)


def _side_files(db_path: Path) -> list[tuple[Path, str]]:
    return [
        (db_path, ""),
        (KeyFile.path_for(db_path), ".keys"),
        (db_path.with_name(db_path.name + "-wal"), "-wal"),
        (db_path.with_name(db_path.name + "-shm"), "-shm"),
    ]


def finish_restore(prepared: PreparedRestore, backup_dir: Path) -> Path | None:
    """Move the current database aside (into ``backup_dir``) and put the verified copy in place.

    The database must be closed. If anything fails before the copy is in place, the current
    files are moved back.
    """
    db_path = prepared.db_path
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = _now().strftime(STAMP_FORMAT)
    aside = backup_dir / f"{db_path.stem}-before-restore-{stamp}.db"
    moved: list[tuple[Path, Path]] = []
    try:
        for current, suffix in _side_files(db_path):
            if current.exists():
                destination = aside.with_name(aside.name + suffix)
                shutil.move(str(current), str(destination))
                moved.append((current, destination))
        os.replace(prepared.temp_keys, KeyFile.path_for(db_path))
        os.replace(prepared.temp_db, db_path)
    except BaseException:
        for current, destination in reversed(moved):
            with contextlib.suppress(OSError):
                shutil.move(str(destination), str(current))
        discard_restore(prepared)
        raise
    _record_restore(prepared, backup_dir)
    return aside if moved else None


def _record_restore(prepared: PreparedRestore, backup_dir: Path) -> None:
    """``backup_restored`` in the restored database (migrated first if the backup is older)."""
    db = None
    try:
        key_file = KeyFile.load(prepared.db_path)
        db = open_database(prepared.db_path, prepared.data_key, key_file, backup_dir)
        with db.session() as session:
            user = find_user(session, prepared.username)
            audit.record(
                session,
                "backup_restored",
                user_id=user.id if user else None,
                username=user.username if user else prepared.username,
                object_type="backup",
                detail=prepared.backup.name,
            )
    except CopeError as error:
        log.error("restored %s but could not record it: %s", prepared.db_path, error.message)
    finally:
        if db is not None:
            db.close()


def before_migration_backup(
    engine: Engine, db_path: Path, data_key: bytes, target: Path
) -> BackupInfo:
    """The verified backup made before a migration (called by ``database.open_database``)."""
    return run_to_end(write_backup(engine, db_path, data_key, target, BackupKind.BEFORE_MIGRATION))
