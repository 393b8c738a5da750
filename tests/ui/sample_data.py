"""A few records of every kind, written through the models, for GUI tests and screenshots."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cope_desktop.db.base import utcnow
from cope_desktop.db.enums import ActivityType, AttendeeKind, PrisonType, Sex
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Family,
    ImprisonedRelative,
    Prison,
)
from cope_desktop.services import search_terms
from cope_desktop.services.accounts import sign_in

PRISONS = (
    ("Casa Circondariale di Bollate", "IT", "Lombardia", PrisonType.MEN),
    ("Casa di Reclusione di Opera", "IT", "Lombardia", PrisonType.MEN),
    ("Casa Circondariale Femminile di Rebibbia", "IT", "Lazio", PrisonType.WOMEN),
    ("Istituto Penale per i Minorenni Beccaria", "IT", "Lombardia", PrisonType.YOUTH),
    ("Centre pénitentiaire de Fresnes", "FR", "Île-de-France", PrisonType.MIXED),
)


def add_sample_records(db_path: Path, username: str, password: str, backup_dir: Path) -> None:
    """Prisons, 12 families (3 closed, 1 deleted), children, activities over three years."""
    db, _user = sign_in(db_path, username, password, backup_dir)
    try:
        with db.session() as session:
            prisons = [
                Prison(reference=f"P{n}", name=name, country=country, region=region, type=kind)
                for n, (name, country, region, kind) in enumerate(PRISONS, 1)
            ]
            session.add_all(prisons)
            session.flush()
            children: list[Child] = []
            for n in range(1, 13):
                opened = dt.date(2022 + n % 3, 1 + n % 12, 10)
                family = Family(
                    reference=f"F{n:03}",
                    opened_on=opened,
                    closed_on=opened + dt.timedelta(days=200) if n % 4 == 0 else None,
                    deleted_at=utcnow() if n == 12 else None,
                )
                session.add(family)
                session.flush()
                for c in range(1 + n % 2):
                    child = Child(
                        reference=f"C{n:03}{c}",
                        family_id=family.id,
                        first_name=f"Child {n}.{c}",
                        sex=Sex.FEMALE if c else Sex.MALE,
                        birth_year=2012 + n % 6,
                    )
                    session.add(child)
                    children.append(child)
                session.add(Caregiver(reference=f"G{n:03}", family_id=family.id))
                session.add(
                    ImprisonedRelative(
                        reference=f"R{n:03}",
                        family_id=family.id,
                        prison_id=prisons[n % 3].id if n % 5 else None,
                    )
                )
            session.flush()
            kinds = (
                ActivityType.PRISON_VISIT,
                ActivityType.GAME_WITH_MUM_AND_DAD,
                ActivityType.FAMILY_DAY,
                ActivityType.PRISON_VISIT,
                ActivityType.SUPPORT_GROUP,
            )
            for n in range(1, 21):
                activity = Activity(
                    reference=f"A{n:03}",
                    type=kinds[n % len(kinds)],
                    held_on=dt.date(2022 + n % 3, 1 + n % 12, 1 + n),
                    prison_id=prisons[n % 2].id,
                    duration_minutes=90,
                )
                session.add(activity)
                session.flush()
                for child in children[n % 5 : n % 5 + 3]:
                    session.add(
                        Attendance(
                            activity_id=activity.id, kind=AttendeeKind.CHILD, child_id=child.id
                        )
                    )
                session.add(
                    Attendance(
                        activity_id=activity.id, kind=AttendeeKind.ANONYMOUS_CHILDREN, head_count=2
                    )
                )
            session.flush()
            search_terms.rebuild_all(session)
    finally:
        db.close()
