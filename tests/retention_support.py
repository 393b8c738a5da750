"""What the erasure and retention tests share: users, marked families, and scans of the file.

A marked family carries a unique marker string in every name, reference and free-text
field, so a test can look for the markers everywhere: in every row of every table (SQL) and
in every decrypted page of the database file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from db_support import CreatedDatabase
from sqlalchemy import text
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    CaseStatus,
    ConsentKind,
    CustodyStatus,
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
    Caregiver,
    CaseNote,
    CaseStatusChange,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    Prison,
    SupportService,
    User,
)
from cope_desktop.services import search_terms
from cope_desktop.services.accounts import CurrentUser, find_user

PAGE_SIZE = 4096
RESERVE = 80
"""SQLCipher 4 keeps a 16-byte IV and a 64-byte HMAC at the end of every page."""
SALT = 16


@dataclass
class Roles:
    admin: CurrentUser
    caseworker: CurrentUser
    coordinator: CurrentUser


def make_roles(db: Database) -> Roles:
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        found = [CurrentUser(admin.id, admin.username, admin.display_name, admin.role)]
        for username, role in (("carla", Role.CASEWORKER), ("marco", Role.COORDINATOR)):
            user = User(username=username, display_name=username.title(), role=role)
            session.add(user)
            session.flush()
            found.append(CurrentUser(user.id, user.username, user.display_name, user.role))
    return Roles(*found)


@pytest.fixture
def db(created_db: CreatedDatabase) -> Iterator[Database]:
    database = created_db.sign_in()
    yield database
    database.close()


@pytest.fixture
def roles(db: Database) -> Roles:
    return make_roles(db)


@dataclass
class Marked:
    """The ids of one seeded family and the marker strings written into it."""

    family_id: uuid.UUID
    children: list[uuid.UUID]
    caregiver: uuid.UUID
    relative: uuid.UUID
    markers: list[str] = field(default_factory=list)
    child_markers: dict[uuid.UUID, list[str]] = field(default_factory=dict)


def add_prison(session: Session, reference: str = "P1") -> uuid.UUID:
    prison = Prison(reference=reference, name="Casa Circondariale di Bollate", country="IT")
    session.add(prison)
    session.flush()
    return prison.id


def add_activity(
    session: Session,
    reference: str,
    held_on: dt.date,
    prison_id: uuid.UUID | None = None,
    kind: ActivityType = ActivityType.FAMILY_DAY,
) -> uuid.UUID:
    activity = Activity(
        reference=reference, type=kind, held_on=held_on, duration_minutes=90, prison_id=prison_id
    )
    session.add(activity)
    session.flush()
    return activity.id


def seed_family(
    session: Session,
    tag: str,
    *,
    prison_id: uuid.UUID,
    activity_id: uuid.UUID,
    opened: dt.date = dt.date(2020, 3, 2),
    closed: dt.date | None = dt.date(2021, 9, 30),
    births: tuple[dt.date | None, ...] = (dt.date(2012, 5, 17), dt.date(2015, 11, 3)),
    caseworker: uuid.UUID | None = None,
    archived_child: bool = False,
) -> Marked:
    """A family with two children (by default), a caregiver and an imprisoned relative.

    Every name, reference and free-text value holds ``tag`` followed by the field's name
    (lower case letters only, so the folded search words hold the same string).
    """
    markers: list[str] = []

    def mark(field_name: str) -> str:
        value = f"{tag}{field_name}"
        markers.append(value)
        return value

    family = Family(
        reference=mark("famref"),
        opened_on=opened,
        closed_on=closed,
        close_reason=mark("closereason") if closed else None,
        referral_source=ReferralSource.SCHOOL,
        caseworker_id=caseworker,
    )
    session.add(family)
    session.flush()
    if closed is not None:
        session.add(
            CaseStatusChange(
                family_id=family.id,
                status=CaseStatus.CLOSED,
                changed_on=closed,
                reason=mark("statusreason"),
            )
        )
    relative = ImprisonedRelative(
        family_id=family.id,
        reference=mark("relref"),
        first_name=mark("relfirst"),
        last_name=mark("rellast"),
        prison_id=prison_id,
    )
    caregiver = Caregiver(
        family_id=family.id,
        reference=mark("cgref"),
        first_name=mark("cgfirst"),
        last_name=mark("cglast"),
        relationship_to_children=mark("cgrelation"),
        phone=mark("cgphone"),
        email=mark("cgemail"),
        address=mark("cgaddress"),
        is_main=True,
    )
    session.add_all([relative, caregiver])
    session.flush()
    session.add(
        CustodyEvent(
            relative_id=relative.id,
            status=CustodyStatus.SENTENCED,
            since=opened,
            prison_id=prison_id,
        )
    )
    children: list[uuid.UUID] = []
    child_markers: dict[uuid.UUID, list[str]] = {}
    for number, born in enumerate(births, start=1):
        before = len(markers)
        child = Child(
            family_id=family.id,
            reference=mark(f"child{number}ref"),
            first_name=mark(f"child{number}first"),
            last_name=mark(f"child{number}last"),
            birth_date=born,
            sex=Sex.FEMALE if number % 2 else Sex.MALE,
            school_level=mark(f"child{number}school"),
        )
        if archived_child and number == len(births):
            child.deleted_at = dt.datetime(2021, 1, 5, tzinfo=dt.UTC)
        session.add(child)
        session.flush()
        children.append(child.id)
        session.add(
            ChildRelative(
                child_id=child.id,
                relative_id=relative.id,
                relationship_to_child=Relationship.FATHER,
            )
        )
        session.add(
            Consent(
                family_id=family.id,
                child_id=child.id,
                kind=ConsentKind.CHILD_ASSENT,
                given_by=mark(f"child{number}assentby"),
                given_on=opened,
                notes=mark(f"child{number}assentnotes"),
            )
        )
        session.add(
            SupportService(
                family_id=family.id,
                child_id=child.id,
                service=ServiceType.SCHOOL_LIAISON,
                provided_on=opened + dt.timedelta(days=20),
                notes=mark(f"child{number}supportnotes"),
            )
        )
        session.add(Attendance(activity_id=activity_id, kind=AttendeeKind.CHILD, child_id=child.id))
        session.add(
            Feedback(
                activity_id=activity_id,
                child_id=child.id,
                rating=Rating.POSITIVE,
                quote=mark(f"child{number}quote"),
                quote_approved=False,
            )
        )
        child_markers[child.id] = markers[before:]
    session.add(
        Consent(
            family_id=family.id,
            kind=ConsentKind.DATA_PROCESSING,
            given_by=f"{tag}cgfirst {tag}cglast",
            given_on=opened,
            notes=mark("consentnotes"),
        )
    )
    session.add(
        SupportService(
            family_id=family.id,
            service=ServiceType.EMOTIONAL_SUPPORT,
            provided_on=opened + dt.timedelta(days=10),
            notes=mark("familysupportnotes"),
        )
    )
    session.add(CaseNote(family_id=family.id, written_on=opened, text=mark("casenote")))
    session.add(
        Attendance(activity_id=activity_id, kind=AttendeeKind.CAREGIVER, caregiver_id=caregiver.id)
    )
    session.add(
        Attendance(activity_id=activity_id, kind=AttendeeKind.RELATIVE, relative_id=relative.id)
    )
    session.flush()
    search_terms.refresh(session, [family.id])
    return Marked(family.id, children, caregiver.id, relative.id, markers, child_markers)


# --- looking for values ----------------------------------------------------------------------


def table_names(session: Session) -> list[str]:
    return [
        str(name)
        for (name,) in session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        )
    ]


def dump_rows(session: Session, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), for before/after comparisons."""
    dumped: dict[str, list[tuple[Any, ...]]] = {}
    for table in table_names(session):
        if table in skip:
            continue
        rows = session.execute(text(f'SELECT * FROM "{table}"')).all()
        dumped[table] = sorted((tuple(row) for row in rows), key=repr)
    return dumped


def markers_in_rows(db: Database, markers: list[str]) -> set[str]:
    """The markers found in any value of any row of any table (compared in lower case)."""
    found: set[str] = set()
    wanted = [marker.lower() for marker in markers]
    with db.session() as session:
        for rows in dump_rows(session).values():
            for row in rows:
                for value in row:
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str):
                        lowered = value.lower()
                        found.update(m for m in wanted if m in lowered)
    return found


def decrypted_pages(path: Path, key: bytes) -> bytes:
    """Every page of an SQLCipher 4 file (raw 32-byte key), decrypted: free pages included."""
    data = path.read_bytes()
    assert len(data) % PAGE_SIZE == 0
    plain = bytearray()
    for number in range(len(data) // PAGE_SIZE):
        page = data[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        start = SALT if number == 0 else 0
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        plain += decryptor.update(page[start : PAGE_SIZE - RESERVE]) + decryptor.finalize()
    return bytes(plain)


def markers_in_file(db: Database, markers: list[str]) -> set[str]:
    """Markers found in the decrypted pages of the file, or anywhere in its -wal file."""
    pages = decrypted_pages(db.path, db.data_key).lower()
    found = {marker for marker in markers if marker.lower().encode() in pages}
    wal = db.path.with_name(db.path.name + "-wal")
    if wal.exists():
        raw = wal.read_bytes()
        found.update(marker for marker in markers if marker.encode() in raw)
    return found


def pragma(db: Database, name: str) -> Any:
    raw = db.engine.raw_connection()
    try:
        driver: Any = raw.driver_connection
        return driver.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        raw.close()
