"""Backups (R10, R12, R14): verified copies, restore only after verification, rotation."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from db_support import PASSWORD, database_files, file_digest
from sqlalchemy import create_engine, text

from cope_desktop.db import migrate
from cope_desktop.db.database import Database
from cope_desktop.db.engine import connect
from cope_desktop.db.enums import Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.errors import CopeError, PermissionDenied, WrongCredentialsError
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services import accounts, backups, demo, integrity
from cope_desktop.services.app_settings import BackupSchedule, PrivacySettings
from cope_desktop.services.setup import NewDatabase, create_database

CASEWORKER_PASSWORD = "caseworker password"
SignedIn = tuple[Database, accounts.CurrentUser]
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with small demo records, an administrator and a caseworker (made once)."""
    path = tmp_path_factory.mktemp("template") / "org.db"
    create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
    backup_dir = path.parent / "backups"
    db, _user = accounts.sign_in(path, "admin", PASSWORD, backup_dir)
    try:
        accounts.add_user(db, "carla", CASEWORKER_PASSWORD, Role.CASEWORKER)
        run_to_end(demo.fill_demo(db, "small", 3, "IT"))
    finally:
        db.close()
    return path


@pytest.fixture
def db_path(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / "org.db"
    target.parent.mkdir()
    shutil.copy2(template, target)
    shutil.copy2(KeyFile.path_for(template), KeyFile.path_for(target))
    return target


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The administrator's chosen backup folder (a USB stick, say)."""
    path = tmp_path / "usb"
    path.mkdir()
    return path


@pytest.fixture
def signed_in(db_path: Path, isolated_home: AppPaths) -> Iterator[SignedIn]:
    db, user = accounts.sign_in(db_path, "admin", PASSWORD, isolated_home.backup_dir)
    yield db, user
    db.close()


def every_row(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a fixed order, read straight from the file."""
    key = KeyFile.load(path).unlock("admin", PASSWORD)
    conn = connect(path, key, mode="ro", tune=False)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def make(signed_in: SignedIn, folder: Path) -> backups.BackupInfo:
    db, user = signed_in
    return run_to_end(backups.make_backup(db, user, folder))


def test_backup_then_restore_gives_back_every_record(
    signed_in: SignedIn, db_path: Path, folder: Path, isolated_home: AppPaths
) -> None:
    db, _user = signed_in
    before = every_row(db_path)
    info = make(signed_in, folder)

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [info.path.name, info.path.name + ".keys", info.path.name[:-3] + ".manifest.json"]
    )
    assert info.path.name.startswith("org-") and info.path.name.endswith("-manual.db")
    assert info.counts["family"] == len(before["family"]) > 0
    assert info.counts["attendance"] == len(before["attendance"]) > 0
    assert backups.verify_backup(info.path, db.data_key) == []
    assert [b.path for b in backups.list_backups(folder)] == [info.path]

    with db.session() as session:
        session.execute(text("DELETE FROM case_note"))
        session.execute(text("UPDATE organisation SET name = 'Changed after backup'"))
    db.close()
    changed = file_digest(*database_files(db_path))

    aside = run_to_end(
        backups.restore(info.path, db_path, "admin", PASSWORD, isolated_home.backup_dir)
    )

    after = every_row(db_path)
    for table, rows in before.items():
        if table != "audit_event":
            assert after[table] == rows, table
    audit_after = sorted(after["audit_event"], key=lambda row: row[1])
    actions = [row for row in audit_after if "backup_restored" in row]
    assert len(actions) == 1
    assert set(before["audit_event"]) <= set(after["audit_event"])
    assert aside is not None and aside.parent == isolated_home.backup_dir
    assert "-before-restore-" in aside.name
    kept = [aside, KeyFile.path_for(aside)] + [
        aside.with_name(aside.name + s) for s in ("-wal", "-shm")
    ]
    assert _digest_as(kept, db_path) == changed
    assert not [p for p in db_path.parent.iterdir() if "restoring" in p.name]


def _digest_as(kept: list[Path], db_path: Path) -> str:
    """The digest of the files moved aside, under the names they had beside the database."""
    renamed = db_path.parent / "renamed"
    renamed.mkdir()
    for source, original in zip(kept, database_files(db_path), strict=True):
        if source.exists():
            shutil.copy2(source, renamed / original.name)
    return file_digest(*(renamed / p.name for p in database_files(db_path)))


def test_backup_records_an_audit_event(signed_in: SignedIn, folder: Path) -> None:
    info = make(signed_in, folder)
    db, _user = signed_in
    with db.session() as session:
        row = session.execute(
            text("SELECT username, action, detail FROM audit_event ORDER BY sequence DESC LIMIT 1")
        ).one()
    assert row.username == "admin" and row.action == "backup"
    assert row.detail == f"{info.path.name}; {info.total_records} records"


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_tampered_backup_is_refused_and_nothing_is_replaced(
    signed_in: SignedIn, db_path: Path, folder: Path, isolated_home: AppPaths
) -> None:
    db, _user = signed_in
    info = make(signed_in, folder)
    flip_byte(info.path, info.path.stat().st_size // 2)
    problems = backups.verify_backup(info.path, db.data_key)
    assert problems == ["A page of the backup does not decrypt: the file is damaged."]
    db.close()
    before = file_digest(*database_files(db_path))
    aside_before = sorted(isolated_home.backup_dir.iterdir())

    with pytest.raises(CopeError, match=r"cannot be restored.*Nothing was changed"):
        run_to_end(backups.restore(info.path, db_path, "admin", PASSWORD, isolated_home.backup_dir))

    assert file_digest(*database_files(db_path)) == before
    assert sorted(isolated_home.backup_dir.iterdir()) == aside_before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["org.db", "org.db.keys"]


def test_a_manifest_that_does_not_match_is_reported(signed_in: SignedIn, folder: Path) -> None:
    db, _user = signed_in
    info = make(signed_in, folder)
    manifest = json.loads(info.manifest_path.read_text())
    manifest["counts"]["family"] += 1
    info.manifest_path.write_text(json.dumps(manifest))
    problems = backups.verify_backup(info.path, db.data_key)
    family = info.counts["family"]
    assert problems == [f"The table family holds {family} rows; the manifest says {family + 1}."]


def test_a_wrong_password_restores_nothing(
    signed_in: SignedIn, db_path: Path, folder: Path, isolated_home: AppPaths
) -> None:
    info = make(signed_in, folder)
    signed_in[0].close()
    before = file_digest(*database_files(db_path))
    with pytest.raises(WrongCredentialsError):
        run_to_end(backups.restore(info.path, db_path, "admin", "not it at all", folder))
    assert file_digest(*database_files(db_path)) == before


def test_a_caseworker_can_neither_back_up_on_request_nor_restore(
    db_path: Path, folder: Path, isolated_home: AppPaths
) -> None:
    db, carla = accounts.sign_in(db_path, "carla", CASEWORKER_PASSWORD, isolated_home.backup_dir)
    try:
        with pytest.raises(PermissionDenied, match="Only an administrator"):
            run_to_end(backups.make_backup(db, carla, folder))
        assert list(folder.iterdir()) == []
        admin = accounts.CurrentUser(carla.id, "admin", "", Role.ADMINISTRATOR)
        info = run_to_end(backups.make_backup(db, admin, folder))
    finally:
        db.close()
    before = file_digest(*database_files(db_path))
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        run_to_end(
            backups.restore(
                info.path, db_path, "carla", CASEWORKER_PASSWORD, isolated_home.backup_dir
            )
        )
    assert file_digest(*database_files(db_path)) == before


def test_the_scheduled_backup_runs_for_a_caseworker_when_due(
    db_path: Path, folder: Path, isolated_home: AppPaths
) -> None:
    settings = PrivacySettings(backup_folder=str(folder), backup_schedule=BackupSchedule.DAILY)
    db, carla = accounts.sign_in(db_path, "carla", CASEWORKER_PASSWORD, isolated_home.backup_dir)
    try:
        first = run_to_end(backups.scheduled_backup(db, carla, settings, NOW))
        same_day = run_to_end(
            backups.scheduled_backup(db, carla, settings, NOW + dt.timedelta(hours=3))
        )
        next_day = run_to_end(
            backups.scheduled_backup(db, carla, settings, NOW + dt.timedelta(days=1))
        )
        assert backups.verify_backup(first.path, db.data_key) == []
    finally:
        db.close()
    assert first is not None and first.path.name == "org-20261124T120000Z-scheduled.db"
    assert same_day is None
    assert next_day is not None and next_day.path.name == "org-20261125T120000Z-scheduled.db"
    off = PrivacySettings(backup_folder=str(folder), backup_schedule=BackupSchedule.OFF)
    assert not backups.backup_due(off, None, NOW)


def test_backup_due_daily_and_weekly() -> None:
    daily = PrivacySettings(backup_schedule=BackupSchedule.DAILY)
    weekly = PrivacySettings(backup_schedule=BackupSchedule.WEEKLY)
    late_yesterday = dt.datetime(2026, 11, 23, 23, 50, tzinfo=dt.UTC)
    assert backups.backup_due(daily, None, NOW)
    assert backups.backup_due(daily, late_yesterday, NOW)
    assert not backups.backup_due(daily, NOW - dt.timedelta(hours=11), NOW)
    assert not backups.backup_due(weekly, NOW - dt.timedelta(days=6), NOW)
    assert backups.backup_due(weekly, NOW - dt.timedelta(days=7), NOW)


def placeholder(folder: Path, stem: str, when: dt.datetime, kind: str = "scheduled") -> Path:
    """A backup as rotation sees it: empty files under the names, a manifest with its time."""
    path = folder / backups.backup_name(Path(stem + ".db"), when, kind)
    path.write_bytes(b"")
    KeyFile.path_for(path).write_bytes(b"")
    backups.manifest_path_for(path).write_text(
        json.dumps(
            {
                "format": backups.MANIFEST_FORMAT,
                "file": path.name,
                "created": when.isoformat(),
                "kind": kind,
                "database": stem,
                "organisation_id": "o1",
                "revision": migrate.head_revision(),
                "size": 0,
                "counts": {},
                "content_sha256": "",
            }
        )
    )
    return path


def remaining_days(folder: Path, stem: str = "org") -> list[str]:
    return sorted(
        (b.created.date().isoformat() for b in backups.list_backups(folder) if b.database == stem),
        reverse=True,
    )


KEPT_BY_DEFAULT = [
    # 7 daily
    "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19",
    "2026-11-18",
    # 4 weekly (ISO weeks end on Sunday): weeks 48 and 47 are already there
    "2026-11-15", "2026-11-08",
    # 12 monthly: the last day of each month (November is already there)
    "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31",
    "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31",
]  # fmt: skip


def test_rotation_keeps_seven_daily_four_weekly_twelve_monthly(folder: Path) -> None:
    for days in range(500):
        placeholder(folder, "org", NOW - dt.timedelta(days=days))
    other = placeholder(folder, "other", NOW - dt.timedelta(days=900))
    stray = folder / "notes.db"
    stray.write_bytes(b"not a backup")

    removed = backups.rotate(folder, PrivacySettings(), NOW)

    assert remaining_days(folder) == sorted(KEPT_BY_DEFAULT, reverse=True)
    assert len(removed) == 500 - len(KEPT_BY_DEFAULT)
    assert all(not p.exists() and not KeyFile.path_for(p).exists() for p in removed)
    assert other.exists() and stray.exists()  # another database's only backup; not a backup


def test_rotation_removes_backups_older_than_the_retention_window(folder: Path) -> None:
    for days in range(500):
        placeholder(folder, "org", NOW - dt.timedelta(days=days))
    settings = PrivacySettings(keep_monthly=24, anonymise_after_years=2, erase_after_years=1)

    backups.rotate(folder, settings, NOW)

    # a year before NOW is 2025-11-24 12:00: November 2025's last day stays, older ones go
    assert remaining_days(folder) == sorted([*KEPT_BY_DEFAULT, "2025-11-30"], reverse=True)


def test_with_no_schedule_backups_past_the_window_are_still_removed(
    signed_in: SignedIn, folder: Path
) -> None:
    db, user = signed_in
    stem = db.path.stem
    for days in (0, 200, 400, 800):
        placeholder(folder, stem, NOW - dt.timedelta(days=days))
    settings = PrivacySettings(
        backup_folder=str(folder), backup_schedule=BackupSchedule.OFF, anonymise_after_years=1
    )

    made = backups.scheduled_backup(db, user, settings, NOW, default_folder=folder)
    assert list(made) == []  # nothing made

    kept = remaining_days(folder, stem)
    assert kept == [(NOW - dt.timedelta(days=d)).date().isoformat() for d in (0, 200)]


def test_rotation_never_removes_the_backup_just_made(folder: Path) -> None:
    newest = placeholder(folder, "org", NOW)
    older = placeholder(folder, "org", NOW - dt.timedelta(hours=1))
    nothing = PrivacySettings(keep_daily=0, keep_weekly=0, keep_monthly=0)
    assert backups.rotate(folder, nothing, NOW, keep=[older]) == []
    assert newest.exists() and older.exists()


def test_the_backup_before_a_migration_is_a_verified_backup(
    db_path: Path, isolated_home: AppPaths
) -> None:
    from alembic import command

    key = KeyFile.load(db_path).unlock("admin", PASSWORD)
    engine = create_engine("sqlite://", creator=lambda: connect(db_path, key))
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0004")
    engine.dispose()

    db, _user = accounts.sign_in(db_path, "admin", PASSWORD, isolated_home.backup_dir)
    db.close()

    [info] = backups.list_backups(isolated_home.backup_dir)
    assert info.kind == "before-migration" and info.revision == "0004"
    assert info.path.name.startswith("org-before-migration-0004-")
    assert info.counts["family"] > 0
    assert backups.verify_backup(info.path, key) == []


def test_a_cancelled_backup_leaves_nothing_behind(signed_in: SignedIn, folder: Path) -> None:
    db, user = signed_in
    work = backups.make_backup(db, user, folder)
    steps = [next(work) for _step in range(3)]
    assert steps[0].message == "Copying the database…"
    work.close()  # what Cancel does: the generator is closed between two steps

    assert list(folder.iterdir()) == []
    with db.session() as session:  # the write lock was given back
        session.execute(text("UPDATE organisation SET name = 'Still writable'"))


def test_check_finds_audit_events_removed_from_the_end_of_the_trail(
    signed_in: SignedIn, folder: Path
) -> None:
    """The hash chain cannot show its own last events deleted; a backup's manifest can."""
    db, user = signed_in
    run_to_end(backups.make_backup(db, user, folder))
    info = backups.list_backups(folder)[0]
    assert info.audit_head is not None
    witnessed = info.audit_head[0]
    assert integrity.check_database(db, [folder]) == []

    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE sequence >= :n"), {"n": witnessed})

    problems = integrity.check_database(db, [folder])
    assert problems == [
        f"The audit trail no longer holds event {witnessed} as the backup {info.path.name} "
        "recorded it: events were removed or changed since."
    ]
    assert integrity.check_database(db) == []  # without the backups, nothing to compare with


def test_the_backup_folders_are_the_usual_one_and_the_chosen_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usual = tmp_path / "backups"
    monkeypatch.setenv("HOME", str(tmp_path))
    chosen = PrivacySettings(backup_folder="~/usb")

    assert backups.backup_folders(PrivacySettings(), usual) == [usual]
    assert backups.backup_folders(PrivacySettings(backup_folder=str(usual)), usual) == [usual]
    assert backups.backup_folders(chosen, usual) == [usual, tmp_path / "usb"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files through /proc")
def test_a_backup_is_on_disk_before_it_is_published(
    signed_in: SignedIn, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite writes ``VACUUM INTO`` without syncing: a power cut must not leave half a backup."""
    synced: list[str] = []
    fsync = backups.os.fsync

    def recording(fd: int) -> None:
        synced.append(Path(backups.os.readlink(f"/proc/self/fd/{fd}")).name)
        fsync(fd)

    monkeypatch.setattr(backups.os, "fsync", recording)
    info = make(signed_in, folder)

    for part in backups.backup_files(info.path):
        partial = part.name + backups.PARTIAL  # itself, or the temporary file that becomes it
        assert partial in synced or any(n.startswith(f".{partial}.") for n in synced), partial
