"""Writes records until it is killed, for the crash test (``test_crash_safety``).

Usage: python crash_writer.py DB BACKUP_DIR PASSWORD ROUND MODE

Signs in as ``admin`` through the real services and prints ``ready``. Then, by MODE:

- ``families``: creates one family after another, each in its own transaction (a family with
  two children, a caregiver, a relative and a consent, plus a case note: about ten tables and
  the audit trail). After each commit returns it prints ``family <id> <reference> <note id>``
  and flushes: that line is the acknowledgement.
- ``bulk``: prints ``begin``, then creates ``BULK_FAMILIES`` families in ONE transaction
  (printing ``inside <n>`` after each, so the test can kill it half-way) and prints
  ``committed`` after it returns; then carries on as ``families``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind, Relationship
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.records import families, notes
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)

OPENED = dt.date(2024, 1, 10)
BULK_FAMILIES = 60


def reference(round_number: int, number: int) -> str:
    return f"CR{round_number:02d}-{number:05d}"


def bulk_reference(round_number: int, number: int) -> str:
    return f"BK{round_number:02d}-{number:05d}"


def new_family(ref: str) -> NewFamily:
    return NewFamily(
        family=FamilyDraft(reference=ref, opened_on=OPENED),
        caregiver=CaregiverDraft(first_name="Anna", last_name=f"Carer {ref}"),
        relative=RelativeDraft(first_name="Piotr", last_name=f"Relative {ref}"),
        custody=None,
        children=[
            NewChild(
                ChildDraft(first_name=name, last_name=ref, birth_year=2015), Relationship.FATHER
            )
            for name in ("Ola", "Jan")
        ],
        data_consent=ConsentDraft(ConsentKind.DATA_PROCESSING, "Anna", OPENED),
    )


def add_family(session: Session, user: CurrentUser, ref: str) -> tuple[uuid.UUID, uuid.UUID]:
    family_id = families.create_family(session, user, new_family(ref))
    note_id = notes.add_note(session, user, family_id, OPENED, f"First meeting with {ref}.")
    return family_id, note_id


def main(arguments: list[str]) -> None:
    path, backup_dir, password, round_text, mode = arguments
    round_number = int(round_text)
    db = sign_in(Path(path), "admin", password, Path(backup_dir))[0]
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        user = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
    print("ready", flush=True)
    if mode == "bulk":
        print("begin", flush=True)
        with db.session() as session:
            for number in range(BULK_FAMILIES):
                add_family(session, user, bulk_reference(round_number, number))
                print("inside", number, flush=True)  # not an acknowledgement: not committed
        print("committed", flush=True)
    for number in itertools.count():
        ref = reference(round_number, number)
        with db.session() as session:
            family_id, note_id = add_family(session, user, ref)
        print("family", family_id, ref, note_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
