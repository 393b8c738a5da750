"""Case notes (who may read and write them) and support services."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from records_support import OPENED, TODAY, Users, audit_events, fields, new_family
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ServiceType
from cope_desktop.errors import PermissionDenied, RecordNotFound, ValidationFailed
from cope_desktop.services.records import consent, families, notes, support
from cope_desktop.services.records.drafts import FamilyDraft, SupportDraft

DAY = dt.timedelta(days=1)
TEXT = "Zoë asked when she can visit her father again."


def withdraw(session: Session, users: Users, family_id: uuid.UUID) -> None:
    consent_id = families.read_family(session, users.caseworker, family_id).consents[0].id
    consent.withdraw_consent(session, users.caseworker, consent_id, dt.date(2024, 5, 1))


# Case notes


def test_a_caseworker_adds_a_note(session: Session, users: Users, family_id: uuid.UUID) -> None:
    note_id = notes.add_note(session, users.caseworker, family_id, TODAY, f"  {TEXT}  ")
    record = families.read_family(session, users.caseworker, family_id)
    assert record.notes is not None
    assert [(note.id, note.written_on, note.text) for note in record.notes] == [
        (note_id, TODAY, TEXT)
    ]
    (created,) = audit_events(session, "create", note_id)
    assert created.object_type == "case_note"
    assert all(TEXT not in event.detail for event in audit_events(session))


def test_a_coordinator_cannot_write_notes(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    with pytest.raises(PermissionDenied):
        notes.add_note(session, users.coordinator, family_id, TODAY, TEXT)
    note_id = notes.add_note(session, users.caseworker, family_id, TODAY, TEXT)
    with pytest.raises(PermissionDenied):
        notes.update_note(session, users.coordinator, note_id, TODAY, "Changed.")


def test_only_the_author_changes_a_note(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    note_id = notes.add_note(session, users.caseworker, family_id, TODAY, TEXT)
    for someone_else in (users.other_caseworker, users.admin):
        with pytest.raises(PermissionDenied):
            notes.update_note(session, someone_else, note_id, TODAY, "Changed.")
    notes.update_note(session, users.caseworker, note_id, TODAY - DAY, "Changed.")
    record = families.read_family(session, users.caseworker, family_id)
    assert record.notes is not None
    assert [(note.written_on, note.text) for note in record.notes] == [(TODAY - DAY, "Changed.")]
    (change,) = audit_events(session, "change", note_id)
    assert change.detail == "written_on,text"
    with pytest.raises(RecordNotFound):
        notes.update_note(session, users.caseworker, uuid.uuid4(), TODAY, "Changed.")


def test_note_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    for written_on, text, expected in [
        (None, " ", {"written_on", "text"}),
        (TODAY + DAY, TEXT, {"written_on"}),
        (TODAY, "x" * (notes.TEXT_LIMIT + 1), {"text"}),
    ]:
        with pytest.raises(ValidationFailed) as error:
            notes.add_note(session, users.caseworker, family_id, written_on, text)
        assert fields(error) == expected
    notes.add_note(session, users.caseworker, family_id, TODAY, "x" * notes.TEXT_LIMIT)


def test_no_notes_when_the_family_does_not_allow_them(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    draft = FamilyDraft(reference="F-000001", opened_on=OPENED, notes_allowed=False)
    families.update_family(session, users.caseworker, family_id, draft)
    with pytest.raises(ValidationFailed) as error:
        notes.add_note(session, users.caseworker, family_id, TODAY, TEXT)
    assert fields(error) == {""}


def test_no_notes_without_data_consent(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    withdraw(session, users, family_id)
    with pytest.raises(ValidationFailed) as error:
        notes.add_note(session, users.caseworker, family_id, TODAY, TEXT)
    assert fields(error) == {""}


# Support services


def test_support_is_recorded_by_the_user(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    child = families.read_family(session, users.caseworker, family_id).children[0]
    draft = SupportDraft(ServiceType.SCHOOL_LIAISON, TODAY, child_id=child.id, notes=" Met. ")
    support_id = support.save_support(session, users.caseworker, family_id, None, draft)
    (view,) = families.read_family(session, users.admin, family_id).support
    assert (view.id, view.child_id, view.provided_by, view.notes) == (
        support_id,
        child.id,
        "Carla Rossi",
        "Met.",
    )
    assert audit_events(session, "create", support_id)[0].object_type == "support"


def test_support_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    other_family = families.create_family(session, users.caseworker, new_family())
    strangers_child = families.read_family(session, users.caseworker, other_family).children[0]
    for draft, expected in [
        (SupportDraft(ServiceType.REFERRAL, None), {"provided_on"}),
        (SupportDraft(ServiceType.REFERRAL, TODAY + DAY), {"provided_on"}),
        (SupportDraft(ServiceType.REFERRAL, OPENED - DAY), {"provided_on"}),
        (SupportDraft(ServiceType.REFERRAL, TODAY, child_id=strangers_child.id), {"child_id"}),
    ]:
        with pytest.raises(ValidationFailed) as error:
            support.save_support(session, users.caseworker, family_id, None, draft)
        assert fields(error) == expected


def test_new_support_needs_data_consent_but_corrections_do_not(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    draft = SupportDraft(ServiceType.REFERRAL, dt.date(2024, 4, 1))
    support_id = support.save_support(session, users.caseworker, family_id, None, draft)
    withdraw(session, users, family_id)
    with pytest.raises(ValidationFailed) as error:
        support.save_support(session, users.caseworker, family_id, None, draft)
    assert fields(error) == {""}
    draft.service = ServiceType.PRACTICAL_HELP
    support.save_support(session, users.caseworker, family_id, support_id, draft)
    (view,) = families.read_family(session, users.caseworker, family_id).support
    assert view.service == ServiceType.PRACTICAL_HELP
