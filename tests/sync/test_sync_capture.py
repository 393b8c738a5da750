"""Every local change of a synced row is recorded with this copy's dot, ready to travel."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from records_support import new_family
from service_support import add_prison, add_user
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import ReferralSource, Role
from cope_desktop.db.models import Child, Consent, Family, Prison, SyncDevice, SyncField
from cope_desktop.services import audit, erasure, prisons
from cope_desktop.services.accounts import CurrentUser, find_user
from cope_desktop.services.records import families
from cope_desktop.services.records.archive import RecordKind, archive
from cope_desktop.services.records.drafts import FamilyDraft
from cope_desktop.sync.capture import APPLYING, this_device
from cope_desktop.sync.model import GENESIS_DOT, Candidate, Dot, RowState, conflicted, merge
from cope_desktop.sync.state import changed_since, read_states, write_states

NOW = dt.datetime(2024, 6, 15, 9, 30, tzinfo=dt.UTC)


@dataclass
class Office:
    """A signed-in database with a caseworker, an administrator and a prison, committed."""

    db: Database
    caseworker: CurrentUser
    admin: CurrentUser
    prison_id: uuid.UUID
    device: str


@pytest.fixture
def office(db: Database) -> Office:
    with db.session() as session:
        caseworker = add_user(session, "carla", "Carla Rossi", Role.CASEWORKER)
        found = find_user(session, "admin")
        assert found is not None
        admin = CurrentUser(found.id, found.username, found.display_name, found.role)
        prison_id = add_prison(session, "Casa Circondariale di Bollate", "P1")
        device = str(this_device(session).id)
    return Office(db, caseworker, admin, prison_id, device)


def _state(db: Database, table: str, row_id: uuid.UUID) -> RowState:
    with db.session() as session:
        return read_states(session, table, [row_id])[row_id]


def _dots(state: RowState) -> dict[str, Dot]:
    return {name: candidates[0].dot for name, candidates in state.fields.items()}


def _create(office: Office) -> uuid.UUID:
    with office.db.session() as session:
        return families.create_family(
            session, office.caseworker, new_family(office.prison_id, reference="F-100")
        )


def _seq(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(SyncDevice.seq).where(SyncDevice.is_self.is_(True))) or 0


def test_a_new_database_is_one_device_with_no_reference_tag(db: Database) -> None:
    with db.session() as session:
        devices = session.scalars(select(SyncDevice)).all()
        assert [(d.is_self, d.name, d.tag, d.counter, d.seq) for d in devices] == [
            (True, "", "", 0, 0)
        ]
        assert this_device(session) == (devices[0].id, "")


def test_a_new_family_is_recorded_with_one_dot_for_its_whole_transaction(office: Office) -> None:
    family_id = _create(office)
    state = _state(office.db, "family", family_id)
    dot = Dot(office.device, 2)  # the office fixture's transaction was the first
    assert state.vv == {office.device: 2}
    assert not state.deleted
    assert set(_dots(state).values()) == {dot}
    assert state.value("reference") == "F-100"
    assert state.value("opened_on") == "2024-01-10"
    with office.db.session() as session:
        child_id = session.scalar(select(Child.id).where(Child.family_id == family_id))
        assert child_id is not None
        child = read_states(session, "child", [child_id])[child_id]
        prison = read_states(session, "prison", [office.prison_id])[office.prison_id]
    assert set(_dots(child).values()) == {dot}
    assert child.value("first_name") == "Zoë"
    assert set(_dots(prison).values()) == {Dot(office.device, 1)}


def test_changing_one_field_records_only_that_field_with_a_new_dot(office: Office) -> None:
    family_id = _create(office)
    before = _seq(office.db)
    with office.db.session() as session:
        draft = FamilyDraft("F-100", dt.date(2024, 1, 10), referral_source=ReferralSource.SCHOOL)
        families.update_family(session, office.caseworker, family_id, draft)
    state = _state(office.db, "family", family_id)
    dots = _dots(state)
    assert state.vv == {office.device: 3}
    assert dots["referral_source"] == dots["updated_at"] == Dot(office.device, 3)
    assert dots["opened_on"] == dots["reference"] == Dot(office.device, 2)
    assert state.value("referral_source") == "school"
    with office.db.session() as session:
        assert list(changed_since(session, before)) == [("family", family_id)]


def test_archiving_is_a_change_of_one_field_not_a_deletion(office: Office) -> None:
    family_id = _create(office)
    with office.db.session() as session:
        archive(session, office.caseworker, RecordKind.FAMILY, family_id)
    state = _state(office.db, "family", family_id)
    assert not state.deleted
    assert _dots(state)["deleted_at"] == Dot(office.device, 3)
    assert _dots(state)["opened_on"] == Dot(office.device, 2)
    assert state.value("deleted_at") is not None


def test_erasing_a_family_leaves_tombstones_of_every_row(office: Office) -> None:
    family_id = _create(office)
    with office.db.session() as session:
        child_id = session.scalar(select(Child.id).where(Child.family_id == family_id))
        assert child_id is not None
    erasure.erase_family(office.db, office.admin, family_id)
    with office.db.session() as session:
        family = read_states(session, "family", [family_id])[family_id]
        child = read_states(session, "child", [child_id])[child_id]
        left = session.scalars(select(SyncField.field).where(SyncField.row_id == family_id))
        assert list(left) == []
        changed = set(changed_since(session, 2))
    assert family == RowState({office.device: 3}, {}, True)
    assert child.deleted
    assert {("family", family_id), ("child", child_id)} <= changed
    assert {table for table, _id in changed} >= {"caregiver", "consent", "imprisoned_relative"}


def test_bulk_statements_of_an_import_are_recorded(office: Office) -> None:
    ids = [uuid.uuid4(), uuid.uuid4()]
    rows = [
        {"id": row_id, "reference": f"P{n + 2}", "name": f"Prison {n}", "country": "IT"}
        for n, row_id in enumerate(ids)
    ]
    with office.db.session() as session:
        session.execute(insert(Prison), rows)
    with office.db.session() as session:
        session.execute(update(Prison), [{"id": ids[0], "region": "Lombardia"}])
    with office.db.session() as session:
        session.execute(update(Prison).where(Prison.id == ids[1]).values(name="Opera"))
    first, second = (_state(office.db, "prison", row_id) for row_id in ids)
    assert _dots(first)["region"] == _dots(first)["updated_at"] == Dot(office.device, 3)
    assert _dots(first)["name"] == Dot(office.device, 2)
    assert first.value("region") == "Lombardia"
    assert _dots(second)["name"] == Dot(office.device, 4)
    assert _dots(second)["region"] == Dot(office.device, 2)
    assert second.vv == {office.device: 4}


def test_a_delete_statement_leaves_tombstones(office: Office) -> None:
    family_id = _create(office)
    with office.db.session() as session:
        consent_ids = list(
            session.scalars(select(Consent.id).where(Consent.family_id == family_id))
        )
        session.execute(delete(Consent).where(Consent.family_id == family_id))
    assert consent_ids
    for consent_id in consent_ids:
        assert _state(office.db, "consent", consent_id).deleted


def test_nothing_is_recorded_while_an_import_applies_rows(office: Office) -> None:
    family_id = _create(office)
    before = _seq(office.db)
    with office.db.session() as session:
        session.info[APPLYING] = True
        family = session.get(Family, family_id)
        assert family is not None
        family.close_reason = "Moved away"
        session.execute(update(Family).where(Family.id == family_id).values(notes_allowed=False))
    assert _seq(office.db) == before
    state = _state(office.db, "family", family_id)
    assert state.vv == {office.device: 2}
    assert _dots(state)["close_reason"] == Dot(office.device, 2)


def test_a_copy_with_a_reference_tag_makes_tagged_references(office: Office) -> None:
    with office.db.session() as session:
        session.execute(update(SyncDevice).where(SyncDevice.is_self).values(tag="7QK2"))
    with office.db.session() as session:
        family_id = families.create_family(session, office.caseworker, new_family(office.prison_id))
        references = {
            session.scalar(select(Family.reference).where(Family.id == family_id)),
            session.scalar(select(Child.reference).where(Child.family_id == family_id)),
        }
        # The next one on the same copy counts on from the tagged one.
        next_reference = families.next_family_reference(session)
        # Prisons count on their own: the untagged P1 of the office is not this copy's.
        next_prison = prisons.next_prison_reference(session)
    assert references == {"F-7QK2-000001", "C-7QK2-000001"}
    assert next_reference == "F-7QK2-000002"
    assert next_prison == "P-7QK2-0001"


def test_an_imported_state_is_written_and_read_back_with_its_conflict(office: Office) -> None:
    family_id = _create(office)
    local = _state(office.db, "family", family_id)
    laptop = "6f2c4b0e-1111-4222-8333-444455556666"
    remote_dot = Dot(laptop, 1)
    fields = dict(local.fields)
    fields["close_reason"] = (Candidate("Moved to Milan", remote_dot),)
    fields["referral_source"] = (Candidate("school", remote_dot),)
    remote = RowState({office.device: 2, laptop: 1}, fields, False)
    with office.db.session() as session:
        draft = FamilyDraft("F-100", dt.date(2024, 1, 10), referral_source=ReferralSource.SELF)
        families.update_family(session, office.caseworker, family_id, draft)
    ours = _state(office.db, "family", family_id)
    merged = merge(ours, remote)
    assert conflicted(merged) == ["referral_source"]
    with office.db.session() as session:
        session.info[APPLYING] = True
        write_states(session, "family", {family_id: merged})
    assert _state(office.db, "family", family_id) == merged
    with office.db.session() as session:
        # Only the conflict stores candidates (the others hold SQL NULL, not JSON null).
        stored = session.scalars(
            select(SyncField.field).where(
                SyncField.row_id == family_id, SyncField.candidates.is_not(None)
            )
        )
        assert list(stored) == ["referral_source"]
        family = session.get(Family, family_id)
        assert family is not None
        assert family.close_reason == "Moved to Milan"
        # Both copies show the value of the greatest dot, the office's (counter 3 > 1).
        assert family.referral_source == ReferralSource.SELF


def test_a_tombstone_written_by_an_import_deletes_the_row(office: Office) -> None:
    with office.db.session() as session:
        prison_id = add_prison(session, "Opera", "P9")
    with office.db.session() as session:
        write_states(session, "prison", {prison_id: RowState({"x": 5}, {}, True)})
    with office.db.session() as session:
        assert session.get(Prison, prison_id) is None
        assert read_states(session, "prison", [prison_id])[prison_id].deleted


def test_rows_from_before_synchronisation_are_genesis(office: Office) -> None:
    with office.db.session() as session:
        session.info[APPLYING] = True
        prison_id = add_prison(session, "Opera", "P9")
    state = _state(office.db, "prison", prison_id)
    assert state.vv == {}
    assert set(_dots(state).values()) == {GENESIS_DOT}


def test_events_from_another_copy_join_the_chain_with_their_origin(session: Session) -> None:
    origin = uuid.uuid4()
    event = audit.record(
        session, "change", username="laptop user", at=NOW, origin_device=origin, origin_sequence=7
    )
    audit.record(session, "view", username="admin")
    assert (event.at, event.origin_device, event.origin_sequence) == (NOW, origin, 7)
    assert audit.verify_chain(session) == []
    event.origin_sequence = 8
    session.flush()
    assert audit.verify_chain(session) == [f"Audit event {event.sequence} was altered."]
