"""Archiving and restoring records."""

from __future__ import annotations

import uuid

import pytest
from records_support import TODAY, Users, add_prison, audit_events, fields
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import Relationship
from cope_desktop.db.models import Family
from cope_desktop.errors import PermissionDenied, RecordNotFound, ValidationFailed
from cope_desktop.services import search_terms
from cope_desktop.services.records import families, notes, people
from cope_desktop.services.records.archive import RecordKind, archive, restore
from cope_desktop.services.records.drafts import ChildDraft, RelativeDraft


def found(session: Session, query: str) -> set[uuid.UUID]:
    condition = search_terms.matches(query)
    assert condition is not None
    return set(session.scalars(select(Family.id).where(condition)))


def test_archive_and_restore_a_child(session: Session, users: Users, family_id: uuid.UUID) -> None:
    child = families.read_family(session, users.caseworker, family_id).children[0]
    archive(session, users.caseworker, RecordKind.CHILD, child.id)
    assert families.read_family(session, users.caseworker, family_id).children[0].deleted
    assert found(session, "zoe") == set()
    (event,) = audit_events(session, "archive", child.id)
    assert (event.object_type, event.user_id) == ("child", users.caseworker.id)

    restore(session, users.admin, RecordKind.CHILD, child.id)
    assert not families.read_family(session, users.caseworker, family_id).children[0].deleted
    assert found(session, "zoe") == {family_id}
    assert audit_events(session, "restore", child.id)[0].user_id == users.admin.id


@pytest.mark.parametrize("role", ["caseworker", "coordinator"])
def test_only_an_administrator_restores(
    session: Session, users: Users, family_id: uuid.UUID, role: str
) -> None:
    archive(session, users.caseworker, RecordKind.FAMILY, family_id)
    with pytest.raises(PermissionDenied):
        restore(session, getattr(users, role), RecordKind.FAMILY, family_id)
    assert families.read_family(session, users.admin, family_id).deleted


def test_archive_and_restore_a_family(session: Session, users: Users, family_id: uuid.UUID) -> None:
    archive(session, users.coordinator, RecordKind.FAMILY, family_id)
    family = session.get(Family, family_id)
    assert family is not None and family.deleted_at is not None
    assert audit_events(session, "archive", family_id)[0].object_type == "family"
    restore(session, users.admin, RecordKind.FAMILY, family_id)
    assert family.deleted_at is None


def test_a_relative_is_kept_while_a_child_depends_on_it(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    record = families.read_family(session, users.caseworker, family_id)
    child, relative = record.children[0], record.relatives[0]
    with pytest.raises(ValidationFailed) as error:
        archive(session, users.caseworker, RecordKind.RELATIVE, relative.id)
    assert fields(error) == {""}
    assert child.reference in error.value.message

    second = people.save_relative(
        session, users.caseworker, family_id, None, RelativeDraft(first_name="Tomasz")
    )
    draft = ChildDraft(
        reference=child.reference,
        first_name="Zoë",
        birth_year=2015,
        relatives={relative.id: Relationship.FATHER, second: Relationship.SIBLING},
    )
    people.save_child(session, users.caseworker, family_id, child.id, draft)
    archive(session, users.caseworker, RecordKind.RELATIVE, relative.id)
    assert found(session, "piotr") == set()
    with pytest.raises(ValidationFailed):
        archive(session, users.caseworker, RecordKind.RELATIVE, second)


def test_an_archived_child_does_not_hold_a_relative(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    record = families.read_family(session, users.caseworker, family_id)
    archive(session, users.caseworker, RecordKind.CHILD, record.children[0].id)
    archive(session, users.caseworker, RecordKind.RELATIVE, record.relatives[0].id)
    assert families.read_family(session, users.caseworker, family_id).relatives[0].deleted


def test_case_notes_are_archived_by_note_writers(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    note_id = notes.add_note(session, users.caseworker, family_id, TODAY, "A note.")
    with pytest.raises(PermissionDenied):
        archive(session, users.coordinator, RecordKind.CASE_NOTE, note_id)
    archive(session, users.caseworker, RecordKind.CASE_NOTE, note_id)
    assert families.read_family(session, users.caseworker, family_id).notes == ()


def test_an_archived_prison_cannot_be_chosen(session: Session, users: Users) -> None:
    prison_id = add_prison(session, "Opera", "P2")
    archive(session, users.caseworker, RecordKind.PRISON, prison_id)
    assert families.prison_choices(session) == []
    restore(session, users.admin, RecordKind.PRISON, prison_id)
    assert [label for _id, label in families.prison_choices(session)] == ["Opera (IT)"]


def test_unknown_records_are_not_found(session: Session, users: Users) -> None:
    with pytest.raises(RecordNotFound):
        archive(session, users.caseworker, RecordKind.SUPPORT, uuid.uuid4())
