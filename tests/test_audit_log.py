"""The audit trail as coordinators and administrators read it: filters, pages, exports, checks."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from openpyxl import load_workbook
from service_support import add_user
from sqlalchemy import select, text

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import AuditEvent
from cope_desktop.errors import PermissionDenied, UserInputError
from cope_desktop.progress import Progress
from cope_desktop.services import audit, audit_log, integrity
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.audit_log import AuditFilter
from cope_desktop.services.setup import NewDatabase, create_database

FAMILY = uuid.UUID("00000000-0000-4000-8000-00000000000f")
CHILD = uuid.UUID("00000000-0000-4000-8000-00000000000c")
ALL = AuditFilter()
HEADER = [
    "Event no.",
    "Time (UTC)",
    "User",
    "Action code",
    "Action",
    "Object type",
    "Object id",
    "Detail",
    "Hash",
]


def at(day: int, minute: int = 0) -> dt.datetime:
    """Around midday of a day of March 2024 (UTC): the same calendar day in every time zone."""
    return dt.datetime(2024, 3, day, 12, minute, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose trail holds nine events at known times (sequence 1 to 9).

    1 database_created admin · 2 login admin · 3 login carla · 4 create family (carla)
    5 view family (carla) · 6 change family (carla) · 7 login marco
    8 export internal_report (marco) · 9 view child (carla)
    """
    folder = tmp_path_factory.mktemp("audit")
    path = folder / "org.db"
    clock = [at(1)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit, "utcnow", lambda: clock[0])
        create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
        clock[0] = at(1, 1)
        db, _admin = sign_in(path, "admin", PASSWORD, folder / "backups")
        try:
            with db.session() as session:
                carla = add_user(session, "carla", "Carla Rossi", Role.CASEWORKER)
                marco = add_user(session, "marco", "Marco Bianchi", Role.COORDINATOR)
                events: list[tuple[dt.datetime, Callable[[], Any]]] = [
                    (at(1, 2), lambda: audit.record(session, "login", **who(carla))),
                    (at(1, 3), lambda: audit.record_by(session, carla, "create", "family", FAMILY)),
                    (at(2), lambda: audit.record_by(session, carla, "view", "family", FAMILY)),
                    (
                        at(2, 1),
                        lambda: audit.record_by(
                            session, carla, "change", "family", FAMILY, "reference"
                        ),
                    ),
                    (at(3), lambda: audit.record(session, "login", **who(marco))),
                    (
                        at(3, 1),
                        lambda: audit.record_by(
                            session,
                            marco,
                            "export",
                            "internal_report",
                            None,
                            "period=2024-01-01..2024-02-29 format=pdf",
                        ),
                    ),
                    (at(4), lambda: audit.record_by(session, carla, "view", "child", CHILD)),
                ]
                for moment, write in events:
                    clock[0] = moment
                    write()
        finally:
            db.close()
    return path


def who(user: CurrentUser) -> dict[str, Any]:
    return {"user_id": user.id, "username": user.username}


@dataclass
class Trail:
    db: Database
    admin: CurrentUser
    coordinator: CurrentUser
    caseworker: CurrentUser
    folder: Path

    def session_of(self) -> Any:
        return self.db.session()


@pytest.fixture
def trail(template: Path, tmp_path: Path) -> Iterator[Trail]:
    """A copy of the template, signed in as admin (which adds event 10, a login, today)."""
    path = tmp_path / "org.db"
    for suffix in ("", "-wal"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copy2(source, path.with_name(path.name + suffix))
    shutil.copy2(KeyFile.path_for(template), KeyFile.path_for(path))
    db, admin = sign_in(path, "admin", PASSWORD, tmp_path / "backups")
    with db.session() as session:
        users = {}
        for name in ("carla", "marco"):
            user = find_user(session, name)
            assert user is not None
            users[name] = CurrentUser(user.id, user.username, user.display_name, user.role)
    yield Trail(db, admin, users["marco"], users["carla"], tmp_path)
    db.close()


def sequences(trail: Trail, flt: AuditFilter, offset: int = 0, limit: int = 100) -> list[int]:
    with trail.db.session() as session:
        rows = audit_log.read_events(session, trail.coordinator, flt, offset, limit)
    return [row.sequence for row in rows]


def count(trail: Trail, flt: AuditFilter) -> int:
    with trail.db.session() as session:
        return audit_log.count_events(session, trail.coordinator, flt)


def hashes(trail: Trail) -> dict[int, str]:
    with trail.db.session() as session:
        rows = session.execute(select(AuditEvent.sequence, AuditEvent.hash))
        return {sequence: digest for sequence, digest in rows}


def test_events_come_newest_first_one_page_at_a_time(trail: Trail) -> None:
    assert count(trail, ALL) == 10
    assert sequences(trail, ALL, 0, 4) == [10, 9, 8, 7]
    assert sequences(trail, ALL, 4, 4) == [6, 5, 4, 3]
    assert sequences(trail, ALL, 8, 4) == [2, 1]
    assert sequences(trail, ALL, 12, 4) == []


def test_pages_can_stop_at_an_event_so_newer_ones_do_not_shift_them(trail: Trail) -> None:
    with trail.db.session() as session:
        audit.record(session, "lock", **who(trail.admin))  # event 11, after the first page
        rows = audit_log.read_events(session, trail.coordinator, ALL, 4, 4, newest=10)
    assert [row.sequence for row in rows] == [6, 5, 4, 3]
    assert sequences(trail, ALL, 4, 4) == [7, 6, 5, 4]  # without the bound, they move


def test_a_row_holds_who_did_what_to_which_record_and_when(trail: Trail) -> None:
    with trail.db.session() as session:
        [row] = audit_log.read_events(session, trail.coordinator, AuditFilter(), 4, 1)
    assert row == audit_log.AuditRow(
        sequence=6,
        at=at(2, 1),
        username="carla",
        action="change",
        object_type="family",
        object_id=FAMILY,
        detail="reference",
        hash=hashes(trail)[6],
    )


def test_filtering_by_user_action_or_object_type(trail: Trail) -> None:
    assert sequences(trail, AuditFilter(username="carla")) == [9, 6, 5, 4, 3]
    assert sequences(trail, AuditFilter(username="marco")) == [8, 7]
    assert sequences(trail, AuditFilter(action="view")) == [9, 5]
    assert sequences(trail, AuditFilter(action="login")) == [10, 7, 3, 2]
    assert sequences(trail, AuditFilter(object_type="family")) == [6, 5, 4]
    assert count(trail, AuditFilter(action="view")) == 2
    assert count(trail, AuditFilter(username="nobody")) == 0


def test_filtering_by_dates_includes_both_days(trail: Trail) -> None:
    march = dt.date(2024, 3, 1)
    second, third, fourth = (march + dt.timedelta(days=n) for n in (1, 2, 3))
    assert sequences(trail, AuditFilter(since=second, until=second)) == [6, 5]
    assert sequences(trail, AuditFilter(since=third, until=fourth)) == [9, 8, 7]
    assert sequences(trail, AuditFilter(until=march)) == [4, 3, 2, 1]
    assert sequences(trail, AuditFilter(since=fourth)) == [10, 9]  # 10: the login of today
    assert count(trail, AuditFilter(since=second, until=third)) == 4


def test_filters_combine(trail: Trail) -> None:
    flt = AuditFilter(username="carla", action="view", since=dt.date(2024, 3, 3))
    assert sequences(trail, flt) == [9]
    assert count(trail, flt) == 1


def test_the_filters_offer_what_the_trail_holds(trail: Trail) -> None:
    with trail.db.session() as session:
        choices = audit_log.filter_choices(session, trail.admin)
    assert choices.usernames == ["admin", "carla", "marco"]
    assert choices.actions == ["change", "create", "database_created", "export", "login", "view"]
    assert choices.object_types == ["child", "family", "internal_report"]


def test_csv_export_holds_the_chosen_events_in_chain_order(trail: Trail) -> None:
    path = trail.folder / "audit.csv"
    flt = AuditFilter(username="carla", action="view")
    with trail.db.session() as session:
        written = audit_log.export_events(session, trail.coordinator, flt, path, "csv")
    assert written == 2
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 3
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    digest = hashes(trail)
    assert rows == [
        HEADER,
        ["5", "2024-03-02T12:00:00Z", "carla", "view", "Viewed", "family", str(FAMILY), "",
         digest[5]],
        ["9", "2024-03-04T12:00:00Z", "carla", "view", "Viewed", "child", str(CHILD), "",
         digest[9]],
    ]  # fmt: skip


def test_the_export_is_itself_recorded(trail: Trail) -> None:
    path = trail.folder / "audit.csv"
    flt = AuditFilter(username="carla", action="view")
    with trail.db.session() as session:
        audit_log.export_events(session, trail.coordinator, flt, path, "csv")
    with trail.db.session() as session:
        [row] = audit_log.read_events(session, trail.admin, AuditFilter(action="audit_export"))
    assert (row.sequence, row.username, row.object_type, row.object_id) == (
        11,
        "marco",
        "audit",
        None,
    )
    assert row.detail == "user=carla action=view rows=2 format=csv file=audit.csv"


def test_xlsx_export_holds_every_event(trail: Trail) -> None:
    path = trail.folder / "audit.xlsx"
    with trail.db.session() as session:
        written = audit_log.export_events(session, trail.admin, ALL, path, "xlsx")
    assert written == 10
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    digest = hashes(trail)
    assert len(rows) == 11
    assert rows[0] == HEADER
    assert rows[1] == [
        1, "2024-03-01T12:00:00Z", "admin", "database_created", "Database created", None, None,
        None, digest[1],
    ]  # fmt: skip
    assert rows[9] == [
        9, "2024-03-04T12:00:00Z", "carla", "view", "Viewed", "child", str(CHILD), None,
        digest[9],
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == list(range(1, 11))
    with trail.db.session() as session:
        [row] = audit_log.read_events(session, trail.admin, AuditFilter(action="audit_export"))
    assert (row.username, row.detail) == ("admin", "all rows=10 format=xlsx file=audit.xlsx")


def test_an_unknown_format_writes_nothing(trail: Trail) -> None:
    path = trail.folder / "audit.pdf"
    with pytest.raises(UserInputError), trail.db.session() as session:
        audit_log.export_events(session, trail.admin, ALL, path, "pdf")
    assert not path.exists()
    assert count(trail, AuditFilter(action="audit_export")) == 0


def test_a_stopped_export_leaves_no_file_and_no_event(
    trail: Trail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_log, "PROGRESS_EVERY", 2)
    path = trail.folder / "out" / "audit.xlsx"
    with trail.db.session() as session:
        work = audit_log.write_events(session, trail.admin, ALL, path, "xlsx")
        assert next(work) == Progress(0, 10, "Writing audit.xlsx…")
        assert next(work) == Progress(2, 10, "Writing audit.xlsx…")
        work.close()
    assert list(path.parent.iterdir()) == []
    assert count(trail, AuditFilter(action="audit_export")) == 0


def test_an_untouched_trail_has_no_problems(trail: Trail) -> None:
    with trail.db.session() as session:
        assert audit_log.chain_problems(session, trail.coordinator) == []
    assert integrity.check_database(trail.db) == []


def test_an_edited_event_is_reported(trail: Trail) -> None:
    with trail.db.session() as session:
        session.execute(text("UPDATE audit_event SET detail = 'nothing' WHERE sequence = 6"))
    with trail.db.session() as session:
        assert audit_log.chain_problems(session, trail.admin) == ["Audit event 6 was altered."]
    assert "Audit event 6 was altered." in integrity.check_database(trail.db)


def test_an_event_given_to_someone_else_is_reported(trail: Trail) -> None:
    with trail.db.session() as session:
        session.execute(text("UPDATE audit_event SET username = 'marco' WHERE sequence = 5"))
    with trail.db.session() as session:
        assert audit_log.chain_problems(session, trail.admin) == ["Audit event 5 was altered."]


def test_a_deleted_event_is_reported(trail: Trail) -> None:
    with trail.db.session() as session:
        session.execute(text("DELETE FROM audit_event WHERE sequence = 5"))
    with trail.db.session() as session:
        problems = audit_log.chain_problems(session, trail.admin)
    assert problems[0] == "Audit event 5 is missing."
    assert "Audit event 5 is missing." in integrity.check_database(trail.db)


CALLS: dict[str, Callable[[Any, CurrentUser, Path], object]] = {
    "count_events": lambda s, user, _p: audit_log.count_events(s, user, ALL),
    "read_events": lambda s, user, _p: audit_log.read_events(s, user, ALL, 0, 10),
    "filter_choices": lambda s, user, _p: audit_log.filter_choices(s, user),
    "chain_problems": lambda s, user, _p: audit_log.chain_problems(s, user),
    "export_csv": lambda s, user, p: audit_log.export_events(s, user, ALL, p, "csv"),
    "export_xlsx": lambda s, user, p: audit_log.export_events(s, user, ALL, p, "xlsx"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_a_caseworker_may_not_read_the_trail(trail: Trail, name: str) -> None:
    path = trail.folder / "audit.out"
    with pytest.raises(PermissionDenied), trail.db.session() as session:
        CALLS[name](session, trail.caseworker, path)
    assert not path.exists()
    assert count(trail, ALL) == 10
