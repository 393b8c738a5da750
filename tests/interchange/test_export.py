"""Exporting every live record to the interchange workbook, as the importer will read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from interchange_support import Rows, as_records, read_workbook
from openpyxl import Workbook
from openpyxl.worksheet import _writer as openpyxl_writer
from service_support import Users, add_user
from sqlalchemy import Select, func, or_, select, union
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import (
    ActivityType,
    CustodyStatus,
    PrisonType,
    Rating,
    ReferralSource,
    Relationship,
    Role,
    ServiceType,
    Sex,
)
from cope_desktop.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    Caregiver,
    Child,
    ChildRelative,
    Family,
    ImprisonedRelative,
    Prison,
    SupportService,
)
from cope_desktop.errors import PermissionDenied
from cope_desktop.progress import Progress, run_to_end
from cope_desktop.services import demo
from cope_desktop.services.accounts import CurrentUser, find_user
from cope_desktop.services.interchange import export
from cope_desktop.services.interchange.export import export_records
from cope_desktop.services.interchange.layout import SHEETS

ANCHOR = dt.date(2024, 6, 15)
EARLIER = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2024, 3, 1, 17, 0, tzinfo=dt.UTC)
LATEST = dt.datetime(2024, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def users(db: Database) -> Users:
    """The service fixtures' users, committed: the export reads in sessions of its own."""
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        return Users(
            admin=CurrentUser(admin.id, admin.username, admin.display_name, admin.role),
            caseworker=add_user(session, "carla", "Carla Rossi", Role.CASEWORKER),
            coordinator=add_user(session, "marco", "Marco Bianchi", Role.COORDINATOR),
            other_caseworker=add_user(session, "giulia", "Giulia Verdi", Role.CASEWORKER),
        )


@pytest.fixture
def records(db: Database, users: Users) -> None:
    """Two live families with everything the layout carries, and archived records around them."""
    with db.session() as session:
        add = Rows(session)
        bollate = add.prison(
            "P-1", "Casa di Bollate", region="Lombardia", type=PrisonType.MEN, country="IT"
        )
        old = add.prison("P-2", "Old prison", country="FR", deleted=True)  # still visited
        add.prison("P-3", "Closed prison", deleted=True)

        rossi = add.family(
            "F-1",
            dt.date(2024, 1, 10),
            referral_source=ReferralSource.SCHOOL,
            caseworker_id=users.caseworker.id,
            notes_allowed=True,
        )
        bianchi = add.family(
            "F-2", dt.date(2023, 3, 1), closed_on=dt.date(2024, 2, 1), notes_allowed=False
        )
        gone = add.family("F-9", dt.date(2023, 1, 1), deleted=True)

        anna = add.child(
            rossi,
            "C-1",
            first_name="Anna",
            last_name="Rossi",
            birth_date=dt.date(2015, 5, 4),
            birth_year=2015,
            birth_month=5,
            sex=Sex.FEMALE,
            support_start=dt.date(2024, 1, 10),
        )
        luca = add.child(
            rossi,
            "C-2",
            first_name="Luca",
            birth_year=2018,
            birth_month=3,
            sex=Sex.MALE,
            support_end=dt.date(2024, 5, 31),
        )
        archived_child = add.child(rossi, "C-3", first_name="Archived", deleted=True)
        orphaned = add.child(gone, "C-9", first_name="Gone")
        grandmother = add.caregiver(
            rossi,
            "G-1",
            first_name="Maria",
            last_name="=1+2",
            relationship_to_children="grandmother",
            phone="+39 02 1234",
            email="maria@example.org",
            address="Via Roma 1",
            is_main=True,
        )
        add.caregiver(gone, "G-9", first_name="Gone")
        father = add.relative(rossi, "R-1", first_name="Paolo", prison_id=bollate.id)
        add.relative(bianchi, "R-2")
        add.relative(gone, "R-9")
        add.relative(rossi, "R-8", deleted=True)

        add.custody(father, CustodyStatus.PRE_TRIAL, dt.date(2023, 1, 1), entered=EARLIER)
        add.custody(father, CustodyStatus.RELEASED, dt.date(2023, 6, 1), entered=LATER)
        add.custody(father, CustodyStatus.SENTENCED, dt.date(2023, 6, 1), entered=EARLIER)
        add.custody(
            father, CustodyStatus.SENTENCED, dt.date(2024, 1, 1), entered=LATEST, deleted=True
        )

        add.link(anna, father, Relationship.FATHER)
        add.link(luca, father, Relationship.FATHER, deleted=True)
        add.link(archived_child, father, Relationship.FATHER)

        family_day = add.activity(
            "A-1",
            ActivityType.FAMILY_DAY,
            dt.date(2024, 3, 2),
            prison_id=bollate.id,
            duration_minutes=90,
        )
        visit = add.activity(
            "A-2", ActivityType.PRISON_VISIT, dt.date(2024, 4, 5), prison_id=old.id
        )
        cancelled = add.activity("A-3", ActivityType.HELPLINE, dt.date(2024, 4, 6), deleted=True)
        for person in (anna, grandmother, father, archived_child, orphaned):
            add.attend(family_day, person)
        add.anonymous(family_day, 3)
        add.anonymous(family_day, 2)
        add.anonymous(family_day, 10, deleted=True)
        add.anonymous(visit, 0, adults=True)
        add.attend(visit, luca)
        add.attend(visit, luca)  # entered twice
        add.attend(visit, grandmother, deleted=True)
        add.attend(cancelled, anna)
        add.feedback(family_day, Rating.NEUTRAL, child=anna, entered=EARLIER)
        add.feedback(family_day, Rating.POSITIVE, child=anna, entered=LATER, quote="Fun!")
        add.feedback(family_day, Rating.NEGATIVE, child=anna, entered=LATEST, deleted=True)
        add.feedback(family_day, Rating.NEGATIVE, child=None, entered=LATEST)
        add.feedback(visit, Rating.NEGATIVE, child=anna, entered=LATEST)  # no attendance

        add.service(rossi, ServiceType.INFORMATION_ADVICE, dt.date(2024, 2, 1))
        add.service(rossi, ServiceType.EMOTIONAL_SUPPORT, dt.date(2024, 2, 3), child=anna)
        add.service(rossi, ServiceType.REFERRAL, dt.date(2024, 2, 4), child=archived_child)
        add.service(rossi, ServiceType.OTHER, dt.date(2024, 2, 5), deleted=True)
        add.service(gone, ServiceType.OTHER, dt.date(2024, 2, 6))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exports (the database lives in ``tmp_path``)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def run_export(db: Database, user: CurrentUser, path: Path) -> export.ExportSummary:
    return run_to_end(export_records(db, user, path))


def sheet(path: Path, name: str) -> list[dict[str, Any]]:
    return as_records(read_workbook(path)[name])


def test_every_sheet_is_written_in_order_with_the_layout_headers(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    summary = run_export(db, users.admin, path)
    workbook = read_workbook(path)
    assert list(workbook) == [
        "families",
        "children",
        "caregivers",
        "prisons",
        "imprisoned_relatives",
        "child_relatives",
        "activities",
        "attendance",
        "support",
    ]
    for layout_sheet in SHEETS:
        assert workbook[layout_sheet.name][0] == layout_sheet.column_names
    assert summary.path == path
    assert summary.rows == {
        "families": 2,
        "children": 2,
        "caregivers": 1,
        "prisons": 2,
        "imprisoned_relatives": 2,
        "child_relatives": 1,
        "activities": 2,
        "attendance": 4,
        "support": 2,
    }
    assert summary.total == 18


def test_families_carry_dates_codes_the_caseworkers_username_and_a_boolean(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    run_export(db, users.admin, path)
    raw = read_workbook(path)["families"]
    assert isinstance(raw[1][1], dt.datetime)  # a real date cell, not text
    assert raw[1][5] is True and raw[2][5] is False
    assert sheet(path, "families") == [
        {
            "family_ref": "F-1",
            "opened": dt.date(2024, 1, 10),
            "closed": None,
            "referral_source": "school",
            "caseworker": "carla",
            "notes_allowed": True,
        },
        {
            "family_ref": "F-2",
            "opened": dt.date(2023, 3, 1),
            "closed": dt.date(2024, 2, 1),
            "referral_source": None,
            "caseworker": None,
            "notes_allowed": False,
        },
    ]


def test_people_and_prisons_of_live_families_only(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    run_export(db, users.admin, path)
    assert sheet(path, "children") == [
        {
            "child_ref": "C-1",
            "family_ref": "F-1",
            "first_name": "Anna",
            "last_name": "Rossi",
            "birth_date": dt.date(2015, 5, 4),
            "birth_year": None,  # the full date says it
            "birth_month": None,
            "sex": "female",
            "support_start": dt.date(2024, 1, 10),
            "support_end": None,
        },
        {
            "child_ref": "C-2",
            "family_ref": "F-1",
            "first_name": "Luca",
            "last_name": None,
            "birth_date": None,
            "birth_year": 2018,
            "birth_month": 3,
            "sex": "male",
            "support_start": None,
            "support_end": dt.date(2024, 5, 31),
        },
    ]
    assert sheet(path, "caregivers") == [
        {
            "caregiver_ref": "G-1",
            "family_ref": "F-1",
            "first_name": "Maria",
            "last_name": "=1+2",  # text, never a formula
            "relationship": "grandmother",
            "phone": "+39 02 1234",
            "email": "maria@example.org",
        }
    ]
    assert sheet(path, "prisons") == [
        {
            "prison_ref": "P-1",
            "name": "Casa di Bollate",
            "country": "IT",
            "region": "Lombardia",
            "type": "men",
        },
        {"prison_ref": "P-2", "name": "Old prison", "country": "FR", "region": None, "type": None},
    ]


def test_relatives_carry_their_latest_custody_status_and_links(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    run_export(db, users.admin, path)
    assert sheet(path, "imprisoned_relatives") == [
        {
            "relative_ref": "R-1",
            "family_ref": "F-1",
            "first_name": "Paolo",
            "last_name": None,
            "prison_ref": "P-1",
            "custody_status": "released",  # same day as "sentenced", entered later
            "status_since": dt.date(2023, 6, 1),
        },
        {
            "relative_ref": "R-2",
            "family_ref": "F-2",
            "first_name": None,
            "last_name": None,
            "prison_ref": None,
            "custody_status": None,
            "status_since": None,
        },
    ]
    assert sheet(path, "child_relatives") == [
        {"child_ref": "C-1", "relative_ref": "R-1", "relationship": "father"}
    ]


def test_activities_attendance_and_support(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    run_export(db, users.admin, path)
    assert sheet(path, "activities") == [
        {
            "activity_ref": "A-1",
            "type": "family_day",
            "date": dt.date(2024, 3, 2),
            "prison_ref": "P-1",
            "duration_hours": 1.5,
            "anonymous_children": 5,
            "anonymous_adults": None,
        },
        {
            "activity_ref": "A-2",
            "type": "prison_visit",
            "date": dt.date(2024, 4, 5),
            "prison_ref": "P-2",
            "duration_hours": None,
            "anonymous_children": None,
            "anonymous_adults": 0,
        },
    ]
    assert sheet(path, "attendance") == [
        {"activity_ref": "A-1", "person_ref": "C-1", "feedback": "positive"},
        {"activity_ref": "A-1", "person_ref": "G-1", "feedback": None},
        {"activity_ref": "A-1", "person_ref": "R-1", "feedback": None},
        {"activity_ref": "A-2", "person_ref": "C-2", "feedback": None},
    ]
    assert sheet(path, "support") == [
        {
            "family_ref": "F-1",
            "child_ref": None,
            "service": "information_advice",
            "date": dt.date(2024, 2, 1),
        },
        {
            "family_ref": "F-1",
            "child_ref": "C-1",
            "service": "emotional_support",
            "date": dt.date(2024, 2, 3),
        },
    ]


def test_nothing_archived_or_outside_the_layout_is_written(
    db: Database, users: Users, records: None, out: Path
) -> None:
    path = out / "records.xlsx"
    run_export(db, users.admin, path)
    values = {value for rows in read_workbook(path).values() for row in rows for value in row}
    for absent in ("F-9", "C-3", "C-9", "G-9", "R-8", "R-9", "P-3", "A-3", "Archived", "Gone"):
        assert absent not in values
    assert "Via Roma 1" not in values
    assert "Fun!" not in values


def test_two_exports_of_the_same_records_hold_the_same_rows(
    db: Database, users: Users, records: None, out: Path
) -> None:
    run_export(db, users.admin, out / "first.xlsx")
    run_export(db, users.admin, out / "second.xlsx")
    assert read_workbook(out / "first.xlsx") == read_workbook(out / "second.xlsx")


def test_the_export_is_audited_with_counts_and_no_names(
    db: Database, users: Users, records: None, out: Path
) -> None:
    run_export(db, users.admin, out / "records.xlsx")
    with db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(events) == 1
    event = events[0]
    assert (event.username, event.object_type, event.object_id) == ("admin", "records", None)
    assert event.detail == (
        "families=2 children=2 caregivers=1 prisons=2 imprisoned_relatives=2 "
        "child_relatives=1 activities=2 attendance=4 support=2"
    )


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_only_an_administrator_exports_every_record(
    db: Database, users: Users, records: None, out: Path, role: str
) -> None:
    path = out / "records.xlsx"
    with pytest.raises(PermissionDenied):
        run_export(db, getattr(users, role), path)
    assert not path.exists()
    assert list(out.iterdir()) == []


def test_progress_names_each_sheet_and_ends_saved(
    db: Database, users: Users, records: None, out: Path
) -> None:
    steps: list[Progress] = []
    run_to_end(export_records(db, users.admin, out / "records.xlsx"), steps.append)
    assert [step.message for step in steps] == [
        *(f"Writing {layout_sheet.name}…" for layout_sheet in SHEETS),
        "Saving records.xlsx…",
        "Saved records.xlsx.",
    ]
    assert steps[-1].fraction == 1.0


class BrokenWorkbook(Workbook):
    """A workbook whose saving fails half-way through the file."""

    def save(self, filename: Any) -> None:
        filename.write(b"PK half a workbook")
        raise OSError("disk full")


def openpyxl_temporary_files() -> list[str]:
    return [name for name in openpyxl_writer.ALL_TEMP_FILES if Path(name).exists()]


def export_events(db: Database) -> int:
    with db.session() as session:
        statement = select(func.count()).where(AuditEvent.action == "export")
        return session.scalar(statement) or 0


def test_a_failure_while_saving_leaves_the_old_file_and_no_audit_event(
    db: Database,
    users: Users,
    records: None,
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = out / "records.xlsx"
    path.write_bytes(b"the previous export")
    monkeypatch.setattr(export, "Workbook", BrokenWorkbook)
    with pytest.raises(OSError, match="disk full"):
        run_export(db, users.admin, path)
    assert path.read_bytes() == b"the previous export"
    assert list(out.iterdir()) == [path]
    assert export_events(db) == 0
    assert openpyxl_temporary_files() == []


def test_a_failure_while_writing_a_sheet_leaves_no_file(
    db: Database,
    users: Users,
    records: None,
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = export._cell

    def failing(worksheet: Any, value: Any) -> Any:
        if value == "A-2":
            raise RuntimeError("broken row")
        return original(worksheet, value)

    monkeypatch.setattr(export, "_cell", failing)
    with pytest.raises(RuntimeError, match="broken row"):
        run_export(db, users.admin, out / "records.xlsx")
    assert list(out.iterdir()) == []
    assert export_events(db) == 0
    assert openpyxl_temporary_files() == []


def test_a_cancelled_export_leaves_nothing_behind(
    db: Database, users: Users, records: None, out: Path
) -> None:
    work = export_records(db, users.admin, out / "records.xlsx")
    for _step in range(4):  # three sheets written, the fourth begun
        next(work)
    work.close()
    assert list(out.iterdir()) == []
    assert export_events(db) == 0
    assert openpyxl_temporary_files() == []


# --- the demo database: one row per live record ----------------------------------------------


@pytest.fixture
def demo_db(db: Database) -> Iterator[Database]:
    run_to_end(demo.fill_demo(db, "small", 3, "IT", password=PASSWORD, anchor=ANCHOR))
    yield db


def count(session: Session, statement: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def live_people(model: Any) -> Select[Any]:
    return (
        select(model.id)
        .join(Family, Family.id == model.family_id)
        .where(model.deleted_at.is_(None), Family.deleted_at.is_(None))
    )


def live_counts(session: Session) -> dict[str, int]:
    """What each sheet should hold, counted straight from the tables."""
    children = live_people(Child)
    relatives = live_people(ImprisonedRelative)
    live_activities = select(Activity.id).where(Activity.deleted_at.is_(None))
    referenced_prisons = union(
        select(ImprisonedRelative.prison_id).where(ImprisonedRelative.id.in_(relatives)),
        select(Activity.prison_id).where(Activity.id.in_(live_activities)),
    )
    named = select(
        Attendance.activity_id, Attendance.child_id, Attendance.caregiver_id, Attendance.relative_id
    ).where(
        Attendance.deleted_at.is_(None),
        Attendance.activity_id.in_(live_activities),
        or_(
            Attendance.child_id.in_(children),
            Attendance.caregiver_id.in_(live_people(Caregiver)),
            Attendance.relative_id.in_(relatives),
        ),
    )
    return {
        "families": count(session, select(Family.id).where(Family.deleted_at.is_(None))),
        "children": count(session, children),
        "caregivers": count(session, live_people(Caregiver)),
        "prisons": count(
            session,
            select(Prison.id).where(
                or_(Prison.deleted_at.is_(None), Prison.id.in_(referenced_prisons))
            ),
        ),
        "imprisoned_relatives": count(session, relatives),
        "child_relatives": count(
            session,
            select(ChildRelative.id).where(
                ChildRelative.deleted_at.is_(None),
                ChildRelative.child_id.in_(children),
                ChildRelative.relative_id.in_(relatives),
            ),
        ),
        "activities": count(session, live_activities),
        "attendance": count(session, named.distinct()),
        "support": count(
            session,
            select(SupportService.id).where(
                SupportService.deleted_at.is_(None),
                SupportService.family_id.in_(select(Family.id).where(Family.deleted_at.is_(None))),
                or_(SupportService.child_id.is_(None), SupportService.child_id.in_(children)),
            ),
        ),
    }


def test_the_demo_database_exports_one_row_per_live_record(demo_db: Database, out: Path) -> None:
    with demo_db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        expected = live_counts(session)
    user = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
    path = out / "demo.xlsx"
    summary = run_export(demo_db, user, path)
    workbook = read_workbook(path)
    assert summary.rows == expected
    assert {name: len(rows) - 1 for name, rows in workbook.items()} == expected
    assert all(value > 0 for value in expected.values())
