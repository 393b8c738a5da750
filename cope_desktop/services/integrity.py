"""``check``: is the file whole, the schema current, the key file in step, the audit intact?"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cope_desktop.db import migrate
from cope_desktop.db.database import Database
from cope_desktop.db.models import AuditEvent, KeySlot, Organisation
from cope_desktop.i18n import _
from cope_desktop.services import audit


def check_database(db: Database, witness_folders: Iterable[Path] = ()) -> list[str]:
    """Every problem found, as sentences for a person; an empty list means all is well.

    ``witness_folders`` hold backups whose manifests recorded the newest audit event at the
    time (``audit_witnesses``): the trail must still hold it, unchanged.
    """
    problems: list[str] = []
    with db.engine.connect() as conn:
        cipher = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        problems += [_("Encrypted page problem: {detail}").format(detail=r[0]) for r in cipher]
        integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        if integrity != ["ok"]:
            problems += [
                _("Database structure problem: {detail}").format(detail=r) for r in integrity
            ]
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            problems.append(
                _("A row of {table} refers to a missing row of {parent}.").format(
                    table=row[0], parent=row[2]
                )
            )
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision != migrate.head_revision():
            problems.append(
                _("The schema is at revision {found}, expected {expected}.").format(
                    found=revision, expected=migrate.head_revision()
                )
            )
    with db.session() as session:
        problems += _key_slot_problems(db, list(session.scalars(select(KeySlot))))
        problems += audit.verify_chain(session)
        problems += witness_problems(session, witness_folders)
    return problems


def witness_problems(session: Session, folders: Iterable[Path]) -> list[str]:
    """The newest backup's record of the audit trail's last event, if the trail lost it.

    Only the newest witness needs checking: when its event is there with the same hash, the
    chain check vouches for every event before it.
    """
    from cope_desktop.services.backups import audit_witnesses  # imports the database layer

    organisation = session.scalars(select(Organisation.id)).first()
    if organisation is None:
        return []
    witnesses = audit_witnesses(folders, organisation.hex)
    newest = witnesses[0] if witnesses else None
    if newest is None or newest.audit_head is None:  # every witness has one; mypy cannot see it
        return []
    sequence, digest = newest.audit_head
    found = session.scalars(select(AuditEvent.hash).where(AuditEvent.sequence == sequence)).first()
    if found == digest:
        return []
    return [
        _(
            "The audit trail no longer holds event {number} as the backup {file} recorded it: "
            "events were removed or changed since."
        ).format(number=sequence, file=newest.path.name)
    ]


def _key_slot_problems(db: Database, rows: list[KeySlot]) -> list[str]:
    in_file = {(s.id, s.wrapped_key) for s in db.key_file.slots}
    in_db = {(r.id, r.wrapped_key) for r in rows}
    problems = []
    if in_file - in_db:
        problems.append(_("The key file has key slots that the database does not record."))
    if in_db - in_file:
        problems.append(_("The database records key slots that are missing from the key file."))
    return problems
