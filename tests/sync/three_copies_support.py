"""Three copies of one organisation for the sync tests: an office database and two laptops.

Making them costs key derivations and migrations, so they are made once (``build_copies``)
and every test (or Hypothesis example) starts from byte copies of the files (``restore``),
opened with the data key that was unlocked once.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db_support import PASSWORD
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.base import Base
from cope_desktop.db.database import Database, open_database
from cope_desktop.db.enums import ActivityType, ConsentKind, CustodyStatus, Relationship
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import AuditEvent, Prison, SyncRow
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.activities.activities import save_activity
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.records import families, people
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)
from cope_desktop.services.setup import NewDatabase, create_database
from cope_desktop.sync.capture import this_device

OPENED = dt.date(2024, 1, 10)
HELD_ON = dt.date(2024, 6, 1)
NAMES = ("office", "laptop-1", "laptop-2")

SYNCED_TABLES: tuple[str, ...] = (
    "prison",
    "family",
    "case_status_change",
    "child",
    "caregiver",
    "imprisoned_relative",
    "custody_event",
    "child_relative",
    "consent",
    "support_service",
    "case_note",
    "activity_series",
    "activity",
    "attendance",
    "feedback",
    "release_log",
)
"""API.md's list; every copy must end with the same rows in these."""

Row = dict[str, Any]
Snapshot = dict[tuple[str, uuid.UUID], Row]


@dataclass
class Copies:
    """The files of the three copies, made once, and what opening them needs."""

    folder: Path
    key: bytes
    full_bundle: Path

    def files(self, name: str) -> list[Path]:
        path = self.folder / f"{name}.db"
        return [path, path.with_name(path.name + ".keys")]


@dataclass
class Copy:
    name: str
    db: Database
    device: uuid.UUID


def new_family_draft(reference: str, prison_id: uuid.UUID, children: list[str]) -> NewFamily:
    return NewFamily(
        family=FamilyDraft(reference=reference, opened_on=OPENED),
        caregiver=CaregiverDraft(first_name="Anna", last_name=f"Family {reference}"),
        relative=RelativeDraft(first_name="Piotr", last_name=f"Family {reference}"),
        custody=CustodyDraft(CustodyStatus.SENTENCED, dt.date(2023, 11, 2), prison_id),
        children=[
            NewChild(
                ChildDraft(first_name=name, last_name=f"Family {reference}", birth_year=2015),
                Relationship.FATHER,
            )
            for name in children
        ],
        data_consent=ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna", OPENED),
    )


def fill_office(session: Session, admin: CurrentUser) -> None:
    """Three families (five children, four caregivers) and two activities at one prison."""
    prison = Prison(reference="P1", name="Casa Circondariale di Bollate", country="IT")
    session.add(prison)
    session.flush()
    first = families.create_family(
        session, admin, new_family_draft("F-1", prison.id, ["Zoë", "Luca"])
    )
    families.create_family(session, admin, new_family_draft("F-2", prison.id, ["Maya"]))
    families.create_family(session, admin, new_family_draft("F-3", prison.id, ["Sara", "Omar"]))
    people.save_caregiver(
        session, admin, first, None, CaregiverDraft(first_name="Marta", last_name="Family F-1")
    )
    for day in (HELD_ON, HELD_ON + dt.timedelta(days=7)):
        draft = ActivityDraft(ActivityType.GAME_WITH_MUM_AND_DAD, day, prison_id=prison.id)
        save_activity(session, admin, None, draft)


def build_copies(folder: Path) -> Copies:
    """The office database, filled, its full bundle, and two laptops made from it."""
    from cope_desktop.sync.export import export_full
    from cope_desktop.sync.setup_copy import create_copy

    folder.mkdir(parents=True, exist_ok=True)
    office = folder / "office.db"
    create_database(NewDatabase(office, "Test Organisation", "IT", "admin", PASSWORD))
    db, admin = sign_in(office, "admin", PASSWORD, folder / "backups")
    try:
        with db.session() as session:
            fill_office(session, admin)
        bundle = folder / "office-full.copesync"
        run_to_end(export_full(db, admin, bundle))
        key = db.data_key
    finally:
        db.close()
    for name in NAMES[1:]:
        run_to_end(create_copy(bundle, folder / f"{name}.db", "admin", PASSWORD, name))
    return Copies(folder, key, bundle)


def restore(copies: Copies, into: Path) -> list[Copy]:
    """Fresh byte copies of the three databases in ``into``, opened (no key derivation)."""
    into.mkdir(parents=True, exist_ok=True)
    opened: list[Copy] = []
    for name in NAMES:
        for source in copies.files(name):
            shutil.copyfile(source, into / source.name)
        path = into / f"{name}.db"
        db = open_database(
            path, copies.key, KeyFile.load(path), into / "backups", defer_page_check=True
        )
        opened.append(Copy(name, db, self_device(db)))
    return opened


def self_device(db: Database) -> uuid.UUID:
    with db.session() as session:
        return this_device(session).id


def admin_of(db: Database) -> CurrentUser:
    with db.session() as session:
        user = find_user(session, "admin")
        assert user is not None
        return CurrentUser(user.id, user.username, user.display_name, user.role)


def snapshot(db: Database, tables: tuple[str, ...] = SYNCED_TABLES) -> Snapshot:
    """Every row of the synced tables: (table, id) -> column values."""
    rows: Snapshot = {}
    with db.session() as session:
        for name in tables:
            table = Base.metadata.tables[name]
            for row in session.execute(select(table)).mappings():
                rows[(name, row["id"])] = dict(row)
    return rows


def table_rows(db: Database) -> dict[str, list[Row]]:
    """Every synced table's rows sorted by id, for comparing copies."""
    by_table: dict[str, list[Row]] = {name: [] for name in SYNCED_TABLES}
    for (name, _row_id), row in sorted(snapshot(db).items(), key=lambda item: str(item[0])):
        by_table[name].append(row)
    return by_table


def audit_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def tombstones(db: Database) -> set[tuple[str, uuid.UUID]]:
    with db.session() as session:
        found = session.execute(select(SyncRow.table_name, SyncRow.row_id).where(SyncRow.deleted))
        return {(name, row_id) for name, row_id in found}
