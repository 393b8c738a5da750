"""S1/S2 probe (issue 10, field laptops): exchanging a day's work, and making a laptop.

    python s1_s2_sync.py WORKDIR LARGE_DB REPEAT s1|s2

Once, cached in WORKDIR: a copy of the large demo database (the office) and a laptop made
from its full bundle.

- S1: on fresh byte copies of the two, a caseworker's day on the laptop (500 changes through
  the record and attendance services, one transaction each, not timed), then timed: the
  laptop's bundle of changes for the office written (``export_changes``) and imported at the
  office (``import_bundle``).
- S2: a full bundle of the large database written (``export_full``), and a laptop made from
  it (``create_copy``), each timed.

Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cope_desktop.db.database import Database
from cope_desktop.db.enums import AttendeeKind
from cope_desktop.db.models import Activity, Caregiver, Child, ChildRelative, Family
from cope_desktop.errors import UserInputError
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import CurrentUser, sign_in
from cope_desktop.services.activities.attendance import set_present
from cope_desktop.services.records import families, people
from cope_desktop.services.records.drafts import CaregiverDraft, ChildDraft, FamilyDraft
from cope_desktop.sync.apply import import_bundle
from cope_desktop.sync.export import export_changes, export_full
from cope_desktop.sync.setup_copy import create_copy

PASSWORD = "benchmark-password"
CHANGES = 500


def _files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + ".keys")]


def _copy_db(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, into in zip(_files(source), _files(target), strict=True):
        shutil.copyfile(name, into)


def _open(path: Path, backups: Path) -> tuple[Database, CurrentUser]:
    return sign_in(path, "admin", PASSWORD, backups)


def _self_device(db: Database) -> uuid.UUID:
    from cope_desktop.db.models.sync import SyncDevice

    with db.session() as session:
        return session.scalars(select(SyncDevice.id).where(SyncDevice.is_self)).one()


def prepare(workdir: Path, large: Path) -> dict[str, float]:
    """The office (the large database at this schema) and a laptop made from it, once."""
    done = workdir / "ready.json"
    if done.exists():
        return dict(json.loads(done.read_text()))
    shutil.rmtree(workdir, ignore_errors=True)
    office = workdir / "office.db"
    _copy_db(large, office)
    db, _admin = _open(office, workdir / "backups")  # migrates once, not timed
    db.close()
    shutil.rmtree(workdir / "backups", ignore_errors=True)
    times = make_laptop(office, workdir / "laptop.db", workdir / "full.copesync")
    done.write_text(json.dumps(times))
    return times


def make_laptop(office: Path, laptop: Path, bundle: Path) -> dict[str, float]:
    db, admin = _open(office, office.parent / "backups")
    try:
        start = time.perf_counter()
        run_to_end(export_full(db, admin, bundle))
        exported = time.perf_counter() - start
    finally:
        db.close()
    start = time.perf_counter()
    run_to_end(create_copy(bundle, laptop, "admin", PASSWORD, "Laptop"))
    created = time.perf_counter() - start
    return {"export": exported, "create_copy": created, "bytes": bundle.stat().st_size}


def days_work(db: Database, user: CurrentUser, changes: int) -> int:
    """``changes`` edits a caseworker might make in a day, each in its own transaction."""
    done = 0
    for action in _actions(db):
        try:
            with db.session() as session:
                action(session, user)
            done += 1
        except UserInputError:
            continue
        if done == changes:
            break
    return done


def _actions(db: Database) -> Iterator[Any]:
    with db.session() as session:
        children = list(session.scalars(select(Child.id).where(Child.deleted_at.is_(None))))
        carers = list(session.scalars(select(Caregiver.id).where(Caregiver.deleted_at.is_(None))))
        fams = list(session.scalars(select(Family.id).where(Family.deleted_at.is_(None))))
        activities = list(
            session.scalars(
                select(Activity.id)
                .where(Activity.deleted_at.is_(None))
                .order_by(Activity.held_on.desc())
                .limit(40)
            )
        )
    for index in range(10 * CHANGES):
        step = index % 10
        if step < 3:
            yield _child_change(children[(index * 7) % len(children)], index)
        elif step < 5:
            yield _caregiver_change(carers[(index * 11) % len(carers)], index)
        elif step < 6:
            yield _family_change(fams[(index * 13) % len(fams)], index)
        else:
            activity = activities[index % len(activities)]
            child = children[(index * 17) % len(children)]
            yield _tick(activity, child)


def _child_change(child_id: uuid.UUID, index: int) -> Any:
    def run(session: Any, user: CurrentUser) -> None:
        child = session.get(Child, child_id)
        links = session.scalars(
            select(ChildRelative).where(
                ChildRelative.child_id == child_id, ChildRelative.deleted_at.is_(None)
            )
        )
        draft = ChildDraft(
            reference=child.reference,
            first_name=child.first_name,
            last_name=child.last_name,
            birth_date=child.birth_date,
            birth_year=child.birth_year,
            birth_month=child.birth_month,
            sex=child.sex,
            school_level=f"Level {index % 7}",
            knows_parent_location=child.knows_parent_location,
            support_start=child.support_start,
            support_end=child.support_end,
            relatives={link.relative_id: link.relationship_to_child for link in links},
        )
        people.save_child(session, user, child.family_id, child_id, draft)

    return run


def _caregiver_change(caregiver_id: uuid.UUID, index: int) -> Any:
    def run(session: Any, user: CurrentUser) -> None:
        carer = session.get(Caregiver, caregiver_id)
        draft = CaregiverDraft(
            reference=carer.reference,
            first_name=carer.first_name,
            last_name=carer.last_name,
            relationship_to_children=carer.relationship_to_children,
            phone=f"+39 02 {index:06d}",
            email=carer.email,
            address=carer.address,
            is_main=carer.is_main,
        )
        people.save_caregiver(session, user, carer.family_id, caregiver_id, draft)

    return run


def _family_change(family_id: uuid.UUID, index: int) -> Any:
    def run(session: Any, user: CurrentUser) -> None:
        family = session.get(Family, family_id)
        draft = FamilyDraft(
            reference=family.reference,
            opened_on=family.opened_on,
            referral_source=family.referral_source,
            caseworker_id=family.caseworker_id,
            notes_allowed=not family.notes_allowed,
        )
        families.update_family(session, user, family_id, draft)

    return run


def _tick(activity_id: uuid.UUID, child_id: uuid.UUID) -> Any:
    def run(session: Any, user: CurrentUser) -> None:
        set_present(session, user, activity_id, AttendeeKind.CHILD, child_id, True)

    return run


def s1(workdir: Path, repeat: int) -> dict[str, Any]:
    exports: list[float] = []
    imports: list[float] = []
    total: list[float] = []
    info: dict[str, Any] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            folder = Path(tmp)
            _copy_db(workdir / "office.db", folder / "office.db")
            _copy_db(workdir / "laptop.db", folder / "laptop.db")
            office, office_user = _open(folder / "office.db", folder / "backups")
            laptop, laptop_user = _open(folder / "laptop.db", folder / "backups")
            try:
                info["changes"] = days_work(laptop, laptop_user, CHANGES)
                bundle = folder / "day.copesync"
                start = time.perf_counter()
                exported = run_to_end(
                    export_changes(laptop, laptop_user, bundle, _self_device(office))
                )
                middle = time.perf_counter()
                imported = run_to_end(import_bundle(office, office_user, bundle))
                end = time.perf_counter()
            finally:
                office.close()
                laptop.close()
            exports.append(middle - start)
            imports.append(end - middle)
            total.append(end - start)
            info.update(
                rows=exported.rows,
                rows_applied=imported.rows_applied,
                conflicts=imported.conflicts_new,
                bytes=bundle.stat().st_size,
            )
    return {"s1": total, "export": exports, "import": imports, **info}


def s2(workdir: Path, repeat: int) -> dict[str, Any]:
    exports: list[float] = []
    copies: list[float] = []
    size = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            folder = Path(tmp)
            times = make_laptop(workdir / "office.db", folder / "laptop.db", folder / "f.copesync")
            exports.append(times["export"])
            copies.append(times["create_copy"])
            size = int(times["bytes"])
    return {"export": exports, "create_copy": copies, "bytes": size}


def main(workdir: Path, large: Path, repeat: int, mode: str) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    first = prepare(workdir, large)
    measured = s1(workdir, repeat) if mode == "s1" else s2(workdir, repeat)
    measured["first_run"] = first
    print(json.dumps(measured))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
