"""Synthetic demo data (``cope-desktop demo``): deterministic, consistent, all or nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from cope_desktop.db.base import Base
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ActivityType, Role
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Child,
    Family,
    ImprisonedRelative,
    Organisation,
    Prison,
    User,
)
from cope_desktop.errors import UserInputError
from cope_desktop.progress import Progress, run_to_end
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.demo import SIZES, DemoSummary, fill_demo, organisation_name
from cope_desktop.services.demo.ids import id_maker
from cope_desktop.services.integrity import check_database
from cope_desktop.services.setup import NewDatabase, create_database

DEMO_PASSWORD = "demo-password-1"
ANCHOR = dt.date(2026, 3, 15)
SKIPPED_TABLES = {"audit_event", "key_slot", "alembic_version"} | {
    "sync_device",
    "sync_row",
    "sync_field",
    "sync_peer",
    "sync_history",
}  # random device ids: the same seed gives the same records, not the same devices
TIMESTAMPS = {"created_at", "updated_at"}


def new_database(folder: Path, name: str = "org", country: str = "IT") -> Database:
    """Create an encrypted database with its administrator, and open it."""
    path = folder / f"{name}.db"
    create_database(NewDatabase(path, "Demo Organisation", country, "admin", DEMO_PASSWORD))
    return sign_in(path, "admin", DEMO_PASSWORD, folder / "backups")[0]


def fill(db: Database, seed: int = 1, **options: Any) -> DemoSummary:
    return run_to_end(fill_demo(db, "small", seed, "IT", anchor=ANCHOR, **options))


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every record of every table, ordered by id; users by name, since their ids are random.

    Timestamps of creation and change, secrets, the audit trail and the organisation's id
    are left out: they differ between two databases made the same way.
    """
    with db.session() as session:
        usernames = dict(session.execute(select(User.id, User.username)).all())
        content: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES:
                continue
            columns = [c for c in table.c if c.name not in TIMESTAMPS]
            to_user = {
                i
                for i, c in enumerate(columns)
                if any(fk.column.table.name == "user_account" for fk in c.foreign_keys)
            }
            if table.name == "user_account":
                columns = [table.c.username, table.c.display_name, table.c.role]
                order = [table.c.username]
            elif table.name == "organisation":
                columns = [c for c in columns if c.name != "id"]
                order = [table.c.name]
            else:
                order = list(table.primary_key.columns)
            rows = session.execute(select(*columns).order_by(*order)).all()
            content[table.name] = [
                tuple(usernames.get(v) if i in to_user else v for i, v in enumerate(row))
                for row in rows
            ]
    return content


def count(db: Database, model: type[Base]) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def scalar(db: Database, sql: str) -> Any:
    with db.session() as session:
        return session.execute(text(sql)).scalar()


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("COPE_HOME", str(tmp_path / "home"))
    db = new_database(tmp_path)
    yield db
    db.close()


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One small demo database, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(folder / "home"))
        db = new_database(folder)
        try:
            yield db, fill(db)
        finally:
            db.close()


def test_same_seed_gives_the_same_records_and_another_seed_others(tmp_path: Path) -> None:
    first, second, other = (new_database(tmp_path, name) for name in ("a", "b", "c"))
    try:
        fill(first, 7)
        fill(second, 7)
        fill(other, 8)
        content = dump(first)
        assert content == dump(second)
        assert content["family"] and content["attendance"]
        different = dump(other)
        for table in ("family", "child", "caregiver", "prison", "activity", "attendance"):
            assert different[table] != content[table], table
    finally:
        for db in (first, second, other):
            db.close()


def test_small_counts_are_as_documented(filled: tuple[Database, DemoSummary]) -> None:
    db, summary = filled
    size = SIZES["small"]
    assert summary.families == size.families == 60
    assert 120 <= summary.children <= 180  # CLI.md: ~150
    assert summary.activities == size.activities == 300
    assert summary.prisons == size.prisons
    assert 800 <= summary.attendances <= 2_000
    assert summary.relatives >= 55 and summary.caregivers >= 60
    assert summary.feedback > 0 and summary.consents > 0 and summary.support > 0
    assert summary.case_notes > 0 and summary.custody_events >= summary.relatives
    assert summary.users == 0
    for model, expected in (
        (Family, summary.families),
        (Child, summary.children),
        (Activity, summary.activities),
        (Attendance, summary.attendances),
        (Prison, summary.prisons),
        (ImprisonedRelative, summary.relatives),
    ):
        assert count(db, model) == expected
    years = scalar(db, "SELECT min(opened_on) FROM family")
    assert dt.date.fromisoformat(years) >= ANCHOR.replace(year=ANCHOR.year - 2)
    assert scalar(db, "SELECT max(held_on) FROM activity") < ANCHOR.isoformat()


def test_every_constraint_and_foreign_key_holds(filled: tuple[Database, DemoSummary]) -> None:
    db, _summary = filled
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert check_database(db) == []


def test_people_attend_only_when_they_could(filled: tuple[Database, DemoSummary]) -> None:
    db, _summary = filled
    too_early_or_late = """
        SELECT count(*) FROM attendance t JOIN activity a ON a.id = t.activity_id
        JOIN child c ON c.id = t.child_id JOIN family f ON f.id = c.family_id
        WHERE a.held_on < f.opened_on OR a.held_on < c.support_start
           OR (f.closed_on IS NOT NULL AND a.held_on > f.closed_on)"""
    outside_custody = """
        SELECT count(*) FROM attendance t JOIN activity a ON a.id = t.activity_id
        JOIN imprisoned_relative r ON r.id = t.relative_id
        WHERE a.prison_id IS NOT r.prison_id
           OR a.held_on < (SELECT min(since) FROM custody_event e WHERE e.relative_id = r.id)
           OR a.held_on >= (SELECT min(since) FROM custody_event e
                            WHERE e.relative_id = r.id AND e.status = 'released')"""
    child_at_other_prison = """
        SELECT count(*) FROM attendance t JOIN activity a ON a.id = t.activity_id
        JOIN child c ON c.id = t.child_id
        WHERE a.prison_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM imprisoned_relative r
            WHERE r.family_id = c.family_id AND r.prison_id = a.prison_id)"""
    twice = """
        SELECT count(*) FROM (SELECT 1 FROM attendance
        GROUP BY activity_id, kind, child_id, caregiver_id, relative_id
        HAVING count(*) > 1 AND kind IN ('child', 'caregiver', 'relative'))"""
    for sql in (too_early_or_late, outside_custody, child_at_other_prison, twice):
        assert scalar(db, sql) == 0, sql
    assert scalar(db, "SELECT count(*) FROM attendance WHERE relative_id IS NOT NULL") > 0


def test_game_with_mum_and_dad_is_held_from_april_to_july(
    filled: tuple[Database, DemoSummary],
) -> None:
    db, _summary = filled
    with db.session() as session:
        days = session.scalars(
            select(Activity.held_on).where(Activity.type == ActivityType.GAME_WITH_MUM_AND_DAD)
        ).all()
    assert days
    assert {day.month for day in days} <= {4, 5, 6, 7}


def test_records_read_back_through_the_orm(filled: tuple[Database, DemoSummary]) -> None:
    """The bulk inserts store values exactly as the ORM would have."""
    db, _summary = filled
    with db.session() as session:
        family = session.scalars(select(Family).order_by(Family.reference).limit(1)).one()
        assert isinstance(family.id, uuid.UUID) and family.id.version == 4
        assert isinstance(family.opened_on, dt.date)
        assert family.reference.startswith("D1-F")
        assert family.created_at.tzinfo is not None
        child = session.get(Child, family.children[0].id)
        assert child is not None and child.family is family
        assert child.relative_links or not family.relatives
        activity = session.scalars(
            select(Activity).where(Activity.start_time.is_not(None)).limit(1)
        ).one()
        assert isinstance(activity.start_time, dt.time)
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        assert family.caseworker_id == admin.id
        by_id = select(func.count()).select_from(Child).where(Child.id == child.id)
        assert session.scalar(by_id) == 1  # a UUID parameter finds the stored bytes


def test_a_second_fill_with_the_same_seed_is_refused(demo_db: Database) -> None:
    fill(demo_db, 1)
    before = dump(demo_db)
    with pytest.raises(UserInputError, match="seed 1"):
        fill(demo_db, 1)
    assert dump(demo_db) == before
    second = fill(demo_db, 2)
    assert count(demo_db, Family) == 60 + second.families
    with demo_db.session() as session:
        references = session.scalars(select(Family.reference)).all()
    assert len(set(references)) == len(references)
    assert {ref.split("-")[0] for ref in references} == {"D1", "D2"}
    assert check_database(demo_db) == []


def test_closing_the_generator_midway_writes_nothing(demo_db: Database) -> None:
    key_file_before = demo_db.key_file.path.read_bytes()
    work = fill_demo(demo_db, "small", 1, "IT", anchor=ANCHOR, password=DEMO_PASSWORD)
    seen: list[Progress] = []
    for step in work:
        seen.append(step)
        if step.message.startswith("Creating activities"):
            break
    work.close()
    assert seen and 0 < seen[-1].done < seen[-1].total
    for model in (Family, Child, Prison, Activity, Attendance):
        assert count(demo_db, model) == 0
    assert count(demo_db, User) == 1  # the demo users were rolled back with the records
    assert demo_db.key_file.path.read_bytes() == key_file_before
    fill(demo_db, 1)  # nothing of the cancelled fill is left in the way
    assert count(demo_db, Family) == 60


def test_progress_is_steady_and_ends_complete(demo_db: Database) -> None:
    steps: list[Progress] = []
    run_to_end(fill_demo(demo_db, "small", 3, "FR", anchor=ANCHOR), steps.append)
    totals = {step.total for step in steps}
    assert len(totals) == 1
    total = totals.pop()
    done = [step.done for step in steps]
    assert done == sorted(done) and done[-1] == total and done[0] == 0
    # Steps of a few percent while rows are written; the last one is the commit.
    assert max(b - a for a, b in itertools.pairwise(done[:-1])) <= 0.05 * total
    assert all(step.message for step in steps)


def test_password_adds_demo_users_who_get_the_families(demo_db: Database) -> None:
    summary = fill(demo_db, 1, password=DEMO_PASSWORD)
    assert summary.users == 4
    with demo_db.session() as session:
        roles = dict(session.execute(select(User.username, User.role)).all())
        owners = session.execute(
            select(User.username, func.count())
            .join(Family, Family.caseworker_id == User.id)
            .group_by(User.username)
        ).all()
    assert roles["coordinator"] is Role.COORDINATOR
    assert {roles[f"caseworker{i}"] for i in (1, 2, 3)} == {Role.CASEWORKER}
    assert {name for name, _n in owners} == {"caseworker1", "caseworker2", "caseworker3"}
    again = fill(demo_db, 2, password=DEMO_PASSWORD)  # existing users are kept, not re-added
    assert again.users == 0
    assert check_database(demo_db) == []


def test_no_names_are_kept_when_the_organisation_keeps_none(demo_db: Database) -> None:
    with demo_db.session() as session:
        session.scalars(select(Organisation)).one().stores_names = False
    fill(demo_db)
    for table in ("child", "caregiver", "imprisoned_relative"):
        named = f"SELECT count(*) FROM {table} WHERE coalesce(first_name, last_name) IS NOT NULL"
        assert scalar(demo_db, named) == 0, table
    assert scalar(demo_db, "SELECT count(*) FROM caregiver WHERE email IS NOT NULL") == 0
    assert scalar(demo_db, "SELECT count(*) FROM child") > 0


def test_bad_requests_are_refused_before_anything_is_written(demo_db: Database) -> None:
    with pytest.raises(UserInputError, match="huge"):
        run_to_end(fill_demo(demo_db, "huge"))
    with pytest.raises(UserInputError):
        run_to_end(fill_demo(demo_db, "small", -1))
    with pytest.raises(UserInputError):
        run_to_end(fill_demo(demo_db, "small", 1, "XX"))
    with pytest.raises(UserInputError):
        run_to_end(fill_demo(demo_db, "small", 1, password="short"))
    assert count(demo_db, Family) == 0 and count(demo_db, User) == 1


def test_ids_are_random_version_4_uuids_in_increasing_order() -> None:
    for expected, drawn in ((10, 10), (10, 500), (5_000, 5_000)):
        new_id = id_maker(random.Random(expected), expected)
        ids = [new_id() for _ in range(drawn)]
        assert ids == sorted(set(ids))
        parsed = [uuid.UUID(bytes=value) for value in ids]
        assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
        assert all(u.bytes == value for u, value in zip(parsed, ids, strict=True))
    first, second = id_maker(random.Random(1), 100), id_maker(random.Random(1), 100)
    assert [first() for _ in range(5)] == [second() for _ in range(5)]


def test_organisation_names_are_deterministic_and_local() -> None:
    assert organisation_name("IT", 1) == organisation_name("IT", 1)
    names = {organisation_name(country, 1) for country in ("IT", "FR", "DE", "PL", "GB")}
    assert len(names) == 5
    assert all(name.strip() for name in names)
