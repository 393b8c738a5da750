"""Ticking people present, the refusals, and the anonymous head counts."""

from __future__ import annotations

import uuid

import pytest
from activity_support import (
    TODAY,
    People,
    Users,
    audit_events,
    count,
    fields,
    make_activity,
    make_family,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.db.models import Attendance, Consent, Feedback
from cope_desktop.errors import UserInputError, ValidationFailed
from cope_desktop.services.activities.activities import archive_activity, read_activity
from cope_desktop.services.activities.attendance import (
    set_feedback,
    set_head_counts,
    set_present,
)
from cope_desktop.services.records.archive import RecordKind, archive
from cope_desktop.services.records.consent import withdraw_consent

CHILD, CAREGIVER, RELATIVE = AttendeeKind.CHILD, AttendeeKind.CAREGIVER, AttendeeKind.RELATIVE


@pytest.fixture
def family(session: Session, users: Users, prison_id: uuid.UUID) -> People:
    return make_family(session, users.caseworker, prison_id, "F-1", [("Zoë", 2015), ("Ada", 2012)])


@pytest.fixture
def activity_id(session: Session, users: Users, prison_id: uuid.UUID) -> uuid.UUID:
    return make_activity(session, users.caseworker, prison_id=prison_id)


def rows(session: Session, activity_id: uuid.UUID) -> list[Attendance]:
    return list(
        session.scalars(
            select(Attendance)
            .where(Attendance.activity_id == activity_id)
            .order_by(Attendance.created_at)
        )
    )


def refusal(session: Session, users: Users, activity_id: uuid.UUID, person: uuid.UUID) -> str:
    with pytest.raises(ValidationFailed) as error:
        set_present(session, users.caseworker, activity_id, CHILD, person, True)
    assert fields(error) == {""}
    return error.value.message


def test_ticking_twice_makes_one_attendance(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    for _ in range(2):
        set_present(session, users.caseworker, activity_id, CHILD, family.children[0], True)
        set_present(session, users.caseworker, activity_id, CAREGIVER, family.caregiver, True)
        set_present(session, users.caseworker, activity_id, RELATIVE, family.relative, True)
    stored = rows(session, activity_id)
    assert [(row.kind, row.head_count, row.deleted_at) for row in stored] == [
        (CHILD, 1, None),
        (CAREGIVER, 1, None),
        (RELATIVE, 1, None),
    ]
    assert (stored[0].child_id, stored[1].caregiver_id, stored[2].relative_id) == (
        family.children[0],
        family.caregiver,
        family.relative,
    )
    assert [event.action for event in audit_events(session, object_type="attendance")] == [
        "create"
    ] * 3


def test_unticking_archives_the_row_and_the_childs_feedback(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    set_present(session, users.caseworker, activity_id, CHILD, child, True)
    set_feedback(session, users.caseworker, activity_id, child, Rating.POSITIVE, "Great!", True)
    set_present(session, users.caseworker, activity_id, CHILD, child, False)
    set_present(session, users.caseworker, activity_id, CHILD, child, False)  # idempotent
    (row,) = rows(session, activity_id)
    assert row.deleted_at is not None
    (feedback,) = session.scalars(select(Feedback)).all()
    assert feedback.deleted_at is not None
    detail = read_activity(session, users.caseworker, activity_id)
    assert detail.feedback == ()
    assert [(a.person_id, a.present) for a in detail.attendees] == [(child, False)]
    assert len(audit_events(session, "archive", row.id)) == 1
    assert len(audit_events(session, "archive", feedback.id)) == 1

    set_present(session, users.caseworker, activity_id, CHILD, child, True)
    (again,) = rows(session, activity_id)
    assert again.id == row.id and again.deleted_at is None
    assert audit_events(session, "restore", row.id)


def test_refused_for_archived_people_and_families(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    archive(session, users.caseworker, RecordKind.CHILD, family.children[0])
    assert "archived" in refusal(session, users, activity_id, family.children[0])
    archive(session, users.caseworker, RecordKind.FAMILY, family.family)
    assert "family is archived" in refusal(session, users, activity_id, family.children[1])
    assert rows(session, activity_id) == []


def test_refused_without_a_current_data_processing_consent(
    session: Session, users: Users, prison_id: uuid.UUID, activity_id: uuid.UUID
) -> None:
    without = make_family(
        session, users.caseworker, prison_id, "F-2", [("Leo", 2016)], consent=False
    )
    message = refusal(session, users, activity_id, without.children[0])
    assert "no current data processing consent" in message
    assert "anonymous head count" in message

    withdrawn = make_family(session, users.caseworker, prison_id, "F-3", [("Mia", 2016)])
    consent_id = session.scalars(
        select(Consent.id).where(Consent.family_id == withdrawn.family)
    ).one()
    withdraw_consent(session, users.caseworker, consent_id, TODAY)
    assert "consent" in refusal(session, users, activity_id, withdrawn.children[0])
    assert rows(session, activity_id) == []


def test_unticking_stays_possible_once_consent_is_withdrawn(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    set_present(session, users.caseworker, activity_id, CHILD, family.children[0], True)
    consent_id = session.scalars(select(Consent.id).where(Consent.family_id == family.family)).one()
    withdraw_consent(session, users.caseworker, consent_id, TODAY)
    set_present(session, users.caseworker, activity_id, CHILD, family.children[0], False)
    assert rows(session, activity_id)[0].deleted_at is not None


def test_refused_for_an_archived_activity(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    archive_activity(session, users.caseworker, activity_id)
    assert "activity is archived" in refusal(session, users, activity_id, family.children[0])


def test_only_people_are_ticked(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    with pytest.raises(UserInputError):
        set_present(
            session,
            users.caseworker,
            activity_id,
            AttendeeKind.ANONYMOUS_CHILDREN,
            family.children[0],
            True,
        )


def test_head_counts_are_changed_in_place(
    session: Session, users: Users, activity_id: uuid.UUID
) -> None:
    set_head_counts(session, users.caseworker, activity_id, 3, 2)
    first = {row.kind: row.id for row in rows(session, activity_id)}
    set_head_counts(session, users.caseworker, activity_id, 5, 0)
    set_head_counts(session, users.caseworker, activity_id, 5, 0)
    stored = rows(session, activity_id)
    assert {row.kind: (row.id, row.head_count) for row in stored} == {
        AttendeeKind.ANONYMOUS_CHILDREN: (first[AttendeeKind.ANONYMOUS_CHILDREN], 5),
        AttendeeKind.ANONYMOUS_ADULTS: (first[AttendeeKind.ANONYMOUS_ADULTS], 0),
    }
    detail = read_activity(session, users.caseworker, activity_id)
    assert (detail.anonymous_children, detail.anonymous_adults) == (5, 0)
    assert len(audit_events(session, "change", object_type="attendance")) == 2


def test_no_row_for_a_head_count_of_zero(
    session: Session, users: Users, activity_id: uuid.UUID
) -> None:
    set_head_counts(session, users.caseworker, activity_id, 0, 0)
    assert rows(session, activity_id) == []


@pytest.mark.parametrize(
    ("children", "adults", "wrong"),
    [(-1, 0, {"children"}), (0, 10_001, {"adults"}), (10_001, -5, {"children", "adults"})],
)
def test_head_counts_are_from_0_to_10000(
    session: Session,
    users: Users,
    activity_id: uuid.UUID,
    children: int,
    adults: int,
    wrong: set[str],
) -> None:
    with pytest.raises(ValidationFailed) as error:
        set_head_counts(session, users.caseworker, activity_id, children, adults)
    assert fields(error) == wrong
    set_head_counts(session, users.caseworker, activity_id, 10_000, 10_000)
    assert count(session, Attendance) == 2
