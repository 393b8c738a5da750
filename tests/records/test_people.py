"""Children, caregivers, imprisoned relatives and custody."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from records_support import TODAY, Users, add_prison, audit_events, fields, new_family
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import CustodyStatus, Relationship
from cope_desktop.db.models import ChildRelative, Family
from cope_desktop.errors import RecordNotFound, ValidationFailed
from cope_desktop.services import search_terms
from cope_desktop.services.records import families, people
from cope_desktop.services.records.archive import RecordKind, archive
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    CustodyDraft,
    RelativeDraft,
)
from cope_desktop.services.records.views import FamilyRecord


def record(session: Session, users: Users, family_id: uuid.UUID) -> FamilyRecord:
    return families.read_family(session, users.caseworker, family_id)


def relative_id(session: Session, users: Users, family_id: uuid.UUID) -> uuid.UUID:
    return record(session, users, family_id).relatives[0].id


def found(session: Session, query: str) -> set[uuid.UUID]:
    condition = search_terms.matches(query)
    assert condition is not None
    return set(session.scalars(select(Family.id).where(condition)))


# Children


def test_a_new_child_gets_the_next_reference_and_its_links(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    relative = relative_id(session, users, family_id)
    draft = ChildDraft(first_name="Łukasz", relatives={relative: Relationship.MOTHER})
    child_id = people.save_child(session, users.caseworker, family_id, None, draft)
    child = next(c for c in record(session, users, family_id).children if c.id == child_id)
    assert child.reference == "C-000002"
    assert [(link.relative_id, link.relationship) for link in child.links] == [
        (relative, Relationship.MOTHER)
    ]
    (created,) = audit_events(session, "create", child_id)
    assert created.object_type == "child"
    assert found(session, "lukasz") == {family_id}


def test_renaming_a_child_updates_search(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    child = record(session, users, family_id).children[0]
    draft = ChildDraft(
        reference=child.reference,
        first_name="Maja",
        birth_year=2015,
        relatives={link.relative_id: link.relationship for link in child.links},
    )
    people.save_child(session, users.caseworker, family_id, child.id, draft)
    assert found(session, "maja") == {family_id}
    assert found(session, "zoe") == set()
    (change,) = audit_events(session, "change", child.id)
    assert change.detail == "first_name"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": None, "reference": " "}, "first_name"),
        ({"birth_date": TODAY + dt.timedelta(days=1)}, "birth_date"),
        ({"birth_date": dt.date(2015, 3, 1), "birth_year": 2015}, "birth_year"),
        ({"birth_month": 4}, "birth_month"),
        ({"birth_year": 2015, "birth_month": 13}, "birth_month"),
        ({"birth_year": TODAY.year + 1}, "birth_year"),
        ({"birth_year": 1989}, "birth_year"),
        ({"support_start": dt.date(2024, 3, 1), "support_end": dt.date(2024, 2, 1)}, "support_end"),
        ({"relatives": {}}, "relatives"),
        ({"reference": "C-000001"}, "reference"),
        ({"first_name": "x" * 101}, "first_name"),
    ],
)
def test_child_rules(
    session: Session,
    users: Users,
    family_id: uuid.UUID,
    changes: dict[str, object],
    field: str,
) -> None:
    relative = relative_id(session, users, family_id)
    draft = ChildDraft(first_name="Ola", relatives={relative: Relationship.FATHER})
    for name, value in changes.items():
        setattr(draft, name, value)
    with pytest.raises(ValidationFailed) as error:
        people.save_child(session, users.caseworker, family_id, None, draft)
    assert fields(error) == {field}


def test_a_child_is_linked_to_relatives_of_its_own_family_only(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    other_family = families.create_family(session, users.caseworker, new_family())
    strangers = relative_id(session, users, other_family)
    draft = ChildDraft(first_name="Ola", relatives={strangers: Relationship.FATHER})
    with pytest.raises(ValidationFailed) as error:
        people.save_child(session, users.caseworker, family_id, None, draft)
    assert fields(error) == {"relatives"}
    archived = people.save_relative(
        session, users.caseworker, family_id, None, RelativeDraft(first_name="Tomasz")
    )
    archive(session, users.caseworker, RecordKind.RELATIVE, archived)
    draft = ChildDraft(first_name="Ola", relatives={archived: Relationship.FATHER})
    with pytest.raises(ValidationFailed) as error:
        people.save_child(session, users.caseworker, family_id, None, draft)
    assert fields(error) == {"relatives"}


def test_links_are_replaced(session: Session, users: Users, family_id: uuid.UUID) -> None:
    first = relative_id(session, users, family_id)
    second = people.save_relative(
        session, users.caseworker, family_id, None, RelativeDraft(first_name="Tomasz")
    )
    child = record(session, users, family_id).children[0]
    draft = ChildDraft(reference=child.reference, first_name="Zoë", birth_year=2015)
    draft.relatives = {second: Relationship.STEP_PARENT}
    people.save_child(session, users.caseworker, family_id, child.id, draft)
    links = record(session, users, family_id).children[0].links
    assert [(link.relative_id, link.relationship) for link in links] == [
        (second, Relationship.STEP_PARENT)
    ]
    draft.relatives = {first: Relationship.FATHER, second: Relationship.STEP_PARENT}
    people.save_child(session, users.caseworker, family_id, child.id, draft)
    links = record(session, users, family_id).children[0].links
    assert {link.relative_id for link in links} == {first, second}
    assert len(session.scalars(select(ChildRelative)).all()) == 2, "the old link came back"
    (change, *_) = audit_events(session, "change", child.id)
    assert change.detail == "relatives"


def test_a_child_of_another_family_is_not_found(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    other_family = families.create_family(session, users.caseworker, new_family())
    child = record(session, users, other_family).children[0]
    with pytest.raises(RecordNotFound):
        people.save_child(session, users.caseworker, family_id, child.id, ChildDraft("X"))
    with pytest.raises(RecordNotFound):
        people.save_child(session, users.caseworker, uuid.uuid4(), None, ChildDraft("X"))


# Caregivers


def test_one_main_caregiver(session: Session, users: Users, family_id: uuid.UUID) -> None:
    first = record(session, users, family_id).caregivers[0].id
    second = people.save_caregiver(
        session, users.caseworker, family_id, None, CaregiverDraft(first_name="Ewa")
    )
    mains = {c.id: c.is_main for c in record(session, users, family_id).caregivers}
    assert mains == {first: True, second: False}
    draft = CaregiverDraft(first_name="Ewa", is_main=True)
    people.save_caregiver(session, users.caseworker, family_id, second, draft)
    mains = {c.id: c.is_main for c in record(session, users, family_id).caregivers}
    assert mains == {first: False, second: True}
    draft.is_main = False
    people.save_caregiver(session, users.caseworker, family_id, second, draft)
    assert {c.id: c.is_main for c in record(session, users, family_id).caregivers} == mains


def test_the_first_caregiver_is_main(session: Session, users: Users, family_id: uuid.UUID) -> None:
    other = families.create_family(session, users.caseworker, new_family())
    archive(
        session,
        users.caseworker,
        RecordKind.CAREGIVER,
        record(session, users, other).caregivers[0].id,
    )
    draft = CaregiverDraft(reference="PSEUDO-1")
    caregiver = people.save_caregiver(session, users.caseworker, other, None, draft)
    assert next(c for c in record(session, users, other).caregivers if c.id == caregiver).is_main


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (CaregiverDraft(first_name=" "), "first_name"),
        (CaregiverDraft(first_name="Ewa", email="ewa.example.org"), "email"),
        (CaregiverDraft(first_name="Ewa", email="ewa@example"), "email"),
        (CaregiverDraft(reference="G-000001"), "reference"),
    ],
)
def test_caregiver_rules(
    session: Session, users: Users, family_id: uuid.UUID, draft: CaregiverDraft, field: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        people.save_caregiver(session, users.caseworker, family_id, None, draft)
    assert fields(error) == {field}


# Imprisoned relatives and custody


def test_relative_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    archived = add_prison(session, "Closed", "P8", archived=True)
    for draft, field in [
        (RelativeDraft(), "first_name"),
        (RelativeDraft(first_name="Jan", prison_id=archived), "prison_id"),
        (RelativeDraft(first_name="Jan", prison_id=uuid.uuid4()), "prison_id"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            people.save_relative(session, users.caseworker, family_id, None, draft)
        assert fields(error) == {field}


def test_custody_changes(
    session: Session, users: Users, family_id: uuid.UUID, prison_id: uuid.UUID
) -> None:
    relative = relative_id(session, users, family_id)
    opera = add_prison(session, "Opera", "P2")

    def refused(draft: CustodyDraft) -> set[str]:
        with pytest.raises(ValidationFailed) as error:
            people.add_custody(session, users.caseworker, relative, draft)
        return fields(error)

    assert refused(CustodyDraft(CustodyStatus.RELEASED, None)) == {"since"}
    assert refused(CustodyDraft(CustodyStatus.RELEASED, TODAY + dt.timedelta(days=1))) == {"since"}
    assert refused(CustodyDraft(CustodyStatus.RELEASED, dt.date(2023, 11, 1))) == {"since"}
    moved = people.add_custody(
        session, users.caseworker, relative, CustodyDraft(CustodyStatus.SENTENCED, TODAY, opera)
    )
    view = record(session, users, family_id).relatives[0]
    assert view.prison_id == opera and view.prison_name == "Opera"
    assert [event.id for event in view.custody][-1] == moved
    people.remove_custody(session, users.caseworker, moved)
    assert [
        event.prison_id for event in record(session, users, family_id).relatives[0].custody
    ] == [prison_id]
    assert audit_events(session, "archive", moved)[0].object_type == "custody"
    people.add_custody(
        session,
        users.caseworker,
        relative,
        CustodyDraft(CustodyStatus.RELEASED, dt.date(2024, 1, 1)),
    )
