"""Families: references, "New family" (all or nothing), reading, details, closing, reopening."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from records_support import (
    OPENED,
    TODAY,
    Users,
    add_prison,
    audit_events,
    count,
    fields,
    new_family,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    AttendeeKind,
    CaseStatus,
    ConsentKind,
    Relationship,
    Role,
)
from cope_desktop.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    Caregiver,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    User,
)
from cope_desktop.errors import RecordNotFound, UserInputError, ValidationFailed
from cope_desktop.services import search_terms
from cope_desktop.services.records import families, notes
from cope_desktop.services.records.drafts import ChildDraft, FamilyDraft, NewChild


def found(session: Session, query: str) -> set[uuid.UUID]:
    condition = search_terms.matches(query)
    assert condition is not None
    return set(session.scalars(select(Family.id).where(condition)))


# References


def test_family_references_count_up_from_the_highest_number(session: Session) -> None:
    assert families.next_family_reference(session) == "F-000001"
    for reference in ("F-000009", "F-12x", "D1-F000500", "F-", "G-000900"):
        session.add(Family(reference=reference, opened_on=OPENED))
    session.flush()
    assert families.next_family_reference(session) == "F-000010"


def test_archived_families_and_other_paddings_count_too(session: Session) -> None:
    archived = Family(reference="F-000041", opened_on=OPENED)
    archived.deleted_at = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    session.add_all([archived, Family(reference="F-7", opened_on=OPENED)])
    session.flush()
    assert families.next_family_reference(session) == "F-000042"
    session.add(Family(reference="F-0000099", opened_on=OPENED))
    session.flush()
    assert families.next_family_reference(session) == "F-000100"


def test_person_references_are_per_table(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    assert families.next_person_reference(session, "C") == "C-000002"
    assert families.next_person_reference(session, "G") == "G-000002"
    assert families.next_person_reference(session, "R") == "R-000002"
    with pytest.raises(UserInputError):
        families.next_person_reference(session, "X")


# New family


def test_new_family_saves_every_part(session: Session, users: Users, prison_id: uuid.UUID) -> None:
    new = new_family(prison_id)
    assert new.data_consent is not None
    new.data_consent.kind = ConsentKind.PHOTOS
    new.relative.prison_id = None
    family_id = families.create_family(session, users.caseworker, new)

    record = families.read_family(session, users.caseworker, family_id)
    assert record.reference == "F-000001"
    assert record.opened_on == OPENED and record.is_open
    (caregiver,) = record.caregivers
    assert caregiver.is_main and caregiver.reference == "G-000001"
    (relative,) = record.relatives
    assert relative.prison_id == prison_id, "the custody's prison becomes the relative's"
    assert [(event.since, event.prison_id) for event in relative.custody] == [
        (dt.date(2023, 11, 2), prison_id)
    ]
    (child,) = record.children
    assert child.reference == "C-000001"
    assert [(link.relative_id, link.relationship) for link in child.links] == [
        (relative.id, Relationship.FATHER)
    ]
    (consent,) = record.consents
    assert consent.kind == ConsentKind.DATA_PROCESSING
    assert record.has_data_consent
    (created,) = audit_events(session, "create")
    assert (created.object_type, created.object_id) == ("family", family_id)
    assert found(session, "zoe kowal") == {family_id}


def test_new_family_without_custody_or_consent(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    new = new_family(prison_id, consent=False, custody=False)
    family_id = families.create_family(session, users.caseworker, new)
    record = families.read_family(session, users.caseworker, family_id)
    assert record.relatives[0].custody == ()
    assert record.relatives[0].prison_id == prison_id
    assert record.consents == () and not record.has_data_consent


def test_a_bad_child_writes_nothing(session: Session, users: Users, prison_id: uuid.UUID) -> None:
    children = [
        NewChild(ChildDraft(first_name="Ola"), Relationship.MOTHER),
        NewChild(
            ChildDraft(first_name="Jan", birth_date=TODAY + dt.timedelta(days=1)),
            Relationship.MOTHER,
        ),
    ]
    models = (Family, Child, Caregiver, ImprisonedRelative, ChildRelative, Consent, CustodyEvent)
    before = {model: count(session, model) for model in (*models, AuditEvent)}
    with pytest.raises(ValidationFailed) as error:
        families.create_family(session, users.caseworker, new_family(prison_id, children=children))
    assert fields(error) == {"children.1.birth_date"}
    assert {model: count(session, model) for model in (*models, AuditEvent)} == before


def test_every_part_of_a_new_family_is_checked_at_once(session: Session, users: Users) -> None:
    archived = add_prison(session, "Closed prison", "P9", archived=True)
    session.add(Family(reference="F-000007", opened_on=OPENED))
    session.flush()
    new = new_family(archived, reference="F-000007")
    new.caregiver.first_name = new.caregiver.last_name = None
    assert new.custody is not None and new.data_consent is not None
    new.custody.since = None
    new.data_consent.given_by = "  "
    new.children = [
        NewChild(ChildDraft(reference="C-000123", first_name="A"), None),  # type: ignore[arg-type]
        NewChild(ChildDraft(reference="C-000123", first_name="B"), Relationship.FATHER),
    ]
    with pytest.raises(ValidationFailed) as error:
        families.create_family(session, users.caseworker, new)
    assert fields(error) == {
        "family.reference",
        "caregiver.first_name",
        "relative.prison_id",
        "custody.since",
        "custody.prison_id",
        "children.0.relationship",
        "children.1.reference",
        "data_consent.given_by",
    }


def test_a_new_family_needs_a_child(session: Session, users: Users) -> None:
    with pytest.raises(ValidationFailed) as error:
        families.create_family(session, users.caseworker, new_family(children=[]))
    assert fields(error) == {"children"}


def test_typed_child_references_are_not_given_twice(session: Session, users: Users) -> None:
    children = [
        NewChild(ChildDraft(first_name="Ola"), Relationship.MOTHER),
        NewChild(ChildDraft(reference="C-000001", first_name="Jan"), Relationship.MOTHER),
        NewChild(ChildDraft(first_name="Ewa"), Relationship.MOTHER),
    ]
    family_id = families.create_family(session, users.caseworker, new_family(children=children))
    record = families.read_family(session, users.caseworker, family_id)
    by_name = {child.first_name: child.reference for child in record.children}
    assert by_name == {"Ola": "C-000002", "Jan": "C-000001", "Ewa": "C-000003"}


# Reading


def test_reading_a_family_is_audited(session: Session, users: Users, family_id: uuid.UUID) -> None:
    families.read_family(session, users.coordinator, family_id)
    (view,) = audit_events(session, "view")
    assert (view.object_type, view.object_id, view.user_id) == (
        "family",
        family_id,
        users.coordinator.id,
    )
    with pytest.raises(RecordNotFound):
        families.read_family(session, users.coordinator, uuid.uuid4())


@pytest.mark.parametrize("role", ["caseworker", "admin"])
def test_caseworkers_and_administrators_read_notes(
    session: Session, users: Users, family_id: uuid.UUID, role: str
) -> None:
    notes.add_note(session, users.caseworker, family_id, TODAY, "Talked about the visit.")
    record = families.read_family(session, getattr(users, role), family_id)
    assert record.notes is not None
    assert [(note.text, note.author) for note in record.notes] == [
        ("Talked about the visit.", "Carla Rossi")
    ]


def test_coordinators_do_not_get_notes(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    notes.add_note(session, users.caseworker, family_id, TODAY, "Talked about the visit.")
    assert families.read_family(session, users.coordinator, family_id).notes is None


def _activity(session: Session, held_on: dt.date, deleted: bool = False) -> Activity:
    activity = Activity(
        reference=f"A-{uuid.uuid4().hex[:8]}", type=ActivityType.FAMILY_DAY, held_on=held_on
    )
    if deleted:
        activity.deleted_at = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    session.add(activity)
    session.flush()
    return activity


def _attend(
    session: Session, activity: Activity, child: Child | None, relative: ImprisonedRelative | None
) -> Attendance:
    attendance = Attendance(
        activity_id=activity.id,
        kind=AttendeeKind.CHILD if child else AttendeeKind.RELATIVE,
        child_id=child.id if child else None,
        relative_id=relative.id if relative else None,
    )
    session.add(attendance)
    session.flush()
    return attendance


def test_activities_attended_most_recent_first(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    child = session.scalars(select(Child).where(Child.family_id == family_id)).one()
    relative = session.scalars(
        select(ImprisonedRelative).where(ImprisonedRelative.family_id == family_id)
    ).one()
    other = families.create_family(session, users.caseworker, new_family())
    other_child = session.scalars(select(Child).where(Child.family_id == other)).one()
    older = _activity(session, dt.date(2024, 2, 1))
    newer = _activity(session, dt.date(2024, 3, 1))
    _attend(session, older, child, None)
    _attend(session, newer, child, None)
    _attend(session, newer, None, relative)
    _attend(session, _activity(session, dt.date(2024, 4, 1), deleted=True), child, None)
    removed = _attend(session, _activity(session, dt.date(2024, 4, 2)), child, None)
    removed.deleted_at = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    _attend(session, _activity(session, dt.date(2024, 4, 3)), other_child, None)

    record = families.read_family(session, users.caseworker, family_id)
    assert [activity.activity_id for activity in record.activities] == [newer.id, older.id]
    assert record.activities[0].people == ("Piotr Kowalski", "Zoë")
    assert record.activities_total == 2


def test_activities_are_limited_but_counted(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    child = session.scalars(select(Child).where(Child.family_id == family_id)).one()
    start = dt.date(2023, 1, 1)
    for day in range(families.ACTIVITY_LIMIT + 2):
        _attend(session, _activity(session, start + dt.timedelta(days=day)), child, None)
    record = families.read_family(session, users.caseworker, family_id)
    assert len(record.activities) == families.ACTIVITY_LIMIT
    assert record.activities_total == families.ACTIVITY_LIMIT + 2
    assert record.activities[0].held_on == start + dt.timedelta(days=families.ACTIVITY_LIMIT + 1)


# Details


def test_renaming_the_family_reference_updates_search(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    draft = FamilyDraft(reference="MI-2024-77", opened_on=OPENED)
    families.update_family(session, users.caseworker, family_id, draft)
    assert found(session, "mi 2024 77") == {family_id}
    assert found(session, "F-000001") == set()
    (change,) = audit_events(session, "change", family_id)
    assert change.detail == "reference"


def test_family_details_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    session.add(Family(reference="F-000050", opened_on=OPENED))
    inactive = User(username="gone", display_name="Gone", role=Role.CASEWORKER, is_active=False)
    session.add(inactive)
    session.flush()
    draft = FamilyDraft(
        reference="F-000050", opened_on=TODAY + dt.timedelta(days=1), caseworker_id=inactive.id
    )
    with pytest.raises(ValidationFailed) as error:
        families.update_family(session, users.caseworker, family_id, draft)
    assert fields(error) == {"reference", "opened_on", "caseworker_id"}
    with pytest.raises(ValidationFailed) as error:
        families.update_family(
            session, users.caseworker, family_id, FamilyDraft(reference="F-1", opened_on=None)
        )
    assert fields(error) == {"opened_on"}


def test_an_empty_reference_keeps_the_current_one(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    draft = FamilyDraft(reference=" ", opened_on=OPENED, caseworker_id=users.caseworker.id)
    families.update_family(session, users.caseworker, family_id, draft)
    record = families.read_family(session, users.caseworker, family_id)
    assert record.reference == "F-000001"
    assert record.caseworker == "Carla Rossi"


def test_the_opening_date_cannot_move_after_a_closing(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    families.close_family(session, users.caseworker, family_id, dt.date(2024, 3, 1), "Moved.")
    families.reopen_family(session, users.caseworker, family_id, dt.date(2024, 4, 1), "Back.")
    draft = FamilyDraft(reference="F-000001", opened_on=dt.date(2024, 3, 2))
    with pytest.raises(ValidationFailed) as error:
        families.update_family(session, users.caseworker, family_id, draft)
    assert fields(error) == {"opened_on"}


# Closing and reopening


def test_close_and_reopen_keep_a_history(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    families.close_family(session, users.caseworker, family_id, dt.date(2024, 3, 1), "Moved away.")
    family = session.get(Family, family_id)
    assert family is not None
    assert (family.closed_on, family.close_reason) == (dt.date(2024, 3, 1), "Moved away.")
    families.reopen_family(session, users.admin, family_id, dt.date(2024, 3, 1), "Came back.")
    assert (family.closed_on, family.close_reason) == (None, None)
    families.close_family(session, users.caseworker, family_id, dt.date(2024, 5, 2), "Released.")

    record = families.read_family(session, users.caseworker, family_id)
    assert [(change.status, change.changed_on, change.reason) for change in record.history] == [
        (CaseStatus.CLOSED, dt.date(2024, 3, 1), "Moved away."),
        (CaseStatus.OPEN, dt.date(2024, 3, 1), "Came back."),
        (CaseStatus.CLOSED, dt.date(2024, 5, 2), "Released."),
    ]
    assert record.history[0].by == "Carla Rossi"
    assert (record.closed_on, record.close_reason) == (dt.date(2024, 5, 2), "Released.")
    actions = [event.action for event in audit_events(session, object_id=family_id)]
    assert [action for action in actions if action in {"close", "reopen"}] == [
        "close",
        "reopen",
        "close",
    ]


def test_closing_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    def refused(closed_on: dt.date | None, reason: str) -> set[str]:
        with pytest.raises(ValidationFailed) as error:
            families.close_family(session, users.caseworker, family_id, closed_on, reason)
        return fields(error)

    assert refused(None, "") == {"closed_on", "reason"}
    assert refused(OPENED - dt.timedelta(days=1), "Moved.") == {"closed_on"}
    assert refused(TODAY + dt.timedelta(days=1), "Moved.") == {"closed_on"}
    families.close_family(session, users.caseworker, family_id, dt.date(2024, 2, 1), "Moved.")
    assert refused(dt.date(2024, 3, 1), "Again.") == {""}
    families.reopen_family(session, users.caseworker, family_id, dt.date(2024, 4, 1), "Back.")
    assert refused(dt.date(2024, 3, 31), "Moved.") == {"closed_on"}
    assert session.get(Family, family_id).closed_on is None  # type: ignore[union-attr]


def test_reopening_rules(session: Session, users: Users, family_id: uuid.UUID) -> None:
    def refused(reopened_on: dt.date | None, reason: str) -> set[str]:
        with pytest.raises(ValidationFailed) as error:
            families.reopen_family(session, users.caseworker, family_id, reopened_on, reason)
        return fields(error)

    assert refused(dt.date(2024, 4, 1), "Back.") == {""}
    families.close_family(session, users.caseworker, family_id, dt.date(2024, 3, 1), "Moved.")
    assert refused(None, " ") == {"reopened_on", "reason"}
    assert refused(dt.date(2024, 2, 28), "Back.") == {"reopened_on"}
    assert refused(TODAY + dt.timedelta(days=1), "Back.") == {"reopened_on"}


# Choices


def test_staff_choices_are_active_users_sorted(session: Session, users: Users) -> None:
    session.add(User(username="zed", display_name="", role=Role.CASEWORKER))
    session.add(User(username="old", display_name="Aldo", role=Role.CASEWORKER, is_active=False))
    session.flush()
    labels = [label for _id, label in families.staff_choices(session)]
    assert labels == sorted(labels, key=str.casefold)
    assert "Carla Rossi" in labels and "zed" in labels and "Aldo" not in labels


def test_prison_choices_leave_out_archived_prisons(session: Session) -> None:
    add_prison(session, "Opera", "P2")
    add_prison(session, "Bollate", "P3")
    add_prison(session, "Archived", "P4", archived=True)
    assert [label for _id, label in families.prison_choices(session)] == [
        "Bollate (IT)",
        "Opera (IT)",
    ]


def test_activities_attended_by_a_caregiver_are_listed(
    session: Session, users: Users, family_id: uuid.UUID
) -> None:
    caregiver = session.scalars(select(Caregiver).where(Caregiver.family_id == family_id)).one()
    activity = _activity(session, dt.date(2024, 6, 1))
    session.add(
        Attendance(activity_id=activity.id, kind=AttendeeKind.CAREGIVER, caregiver_id=caregiver.id)
    )
    session.flush()
    record = families.read_family(session, users.caseworker, family_id)
    assert [item.activity_id for item in record.activities] == [activity.id]
    assert record.activities_total == 1
