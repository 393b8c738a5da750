"""Children's feedback: one per present child and activity, quotes and their approval."""

from __future__ import annotations

import uuid

import pytest
from activity_support import TODAY, People, Users, audit_events, fields, make_activity, make_family
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.db.models import Consent, Feedback
from cope_desktop.errors import ValidationFailed
from cope_desktop.services.activities.activities import read_activity
from cope_desktop.services.activities.attendance import set_feedback, set_present
from cope_desktop.services.records.consent import withdraw_consent

POSITIVE, NEUTRAL, NEGATIVE = Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE


@pytest.fixture
def family(session: Session, users: Users, prison_id: uuid.UUID) -> People:
    return make_family(session, users.caseworker, prison_id, "F-1", [("Zoë", 2015), ("Ada", 2006)])


@pytest.fixture
def activity_id(session: Session, users: Users, prison_id: uuid.UUID, family: People) -> uuid.UUID:
    activity_id = make_activity(session, users.caseworker, prison_id=prison_id)
    set_present(
        session, users.caseworker, activity_id, AttendeeKind.CHILD, family.children[0], True
    )
    return activity_id


def stored(session: Session) -> list[Feedback]:
    return list(session.scalars(select(Feedback).order_by(Feedback.created_at)))


def refused(
    session: Session, users: Users, activity_id: uuid.UUID, child_id: uuid.UUID, **values: object
) -> set[str]:
    with pytest.raises(ValidationFailed) as error:
        set_feedback(session, users.caseworker, activity_id, child_id, POSITIVE, **values)  # type: ignore[arg-type]
    return fields(error)


def test_only_a_present_child_gives_feedback(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    assert refused(session, users, activity_id, family.children[1]) == {"child_id"}
    set_present(
        session, users.caseworker, activity_id, AttendeeKind.CHILD, family.children[1], True
    )
    set_feedback(session, users.caseworker, activity_id, family.children[1], NEUTRAL)
    assert [(f.child_id, f.rating) for f in stored(session)] == [(family.children[1], NEUTRAL)]


def test_one_feedback_per_child_and_activity(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE)
    set_feedback(session, users.caseworker, activity_id, child, NEGATIVE, "Too short.")
    (feedback,) = stored(session)
    assert (feedback.rating, feedback.quote, feedback.quote_approved) == (
        NEGATIVE,
        "Too short.",
        False,
    )
    assert len(audit_events(session, "create", feedback.id)) == 1
    (change,) = audit_events(session, "change", feedback.id)
    assert set(change.detail.split(",")) == {"rating", "quote"}


def test_an_approved_quote_needs_words(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    assert refused(session, users, activity_id, child, quote="  ", quote_approved=True) == {"quote"}
    assert refused(session, users, activity_id, child, quote_approved=True) == {"quote"}
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE, "I scored!", True)
    assert [(f.quote, f.quote_approved) for f in stored(session)] == [("I scored!", True)]


def test_a_quote_has_at_most_1000_characters(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    assert refused(session, users, activity_id, child, quote="q" * 1001) == {"quote"}
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE, "q" * 1000)


def test_no_rating_removes_the_feedback_and_a_new_one_restores_it(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE)
    set_feedback(session, users.caseworker, activity_id, child, None)
    (feedback,) = stored(session)
    assert feedback.deleted_at is not None
    assert read_activity(session, users.caseworker, activity_id).feedback == ()
    set_feedback(session, users.caseworker, activity_id, child, NEUTRAL)
    (again,) = stored(session)
    assert again.id == feedback.id and again.deleted_at is None and again.rating is NEUTRAL


def test_the_detail_shows_feedback_with_age_band_and_country(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE, "Fun", True)
    detail = read_activity(session, users.caseworker, activity_id)
    (view,) = detail.feedback
    assert (view.child_id, view.rating, view.quote, view.quote_approved) == (
        child,
        POSITIVE,
        "Fun",
        True,
    )
    assert (view.age_band, view.country) == ("5-9", "IT")  # born mid-2015, seen June 2024
    (attendee,) = detail.attendees
    assert attendee.rating is POSITIVE


def test_a_face_that_no_longer_agrees_with_the_rating_is_cleared(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE)
    (feedback,) = stored(session)
    feedback.face = 5
    set_feedback(session, users.caseworker, activity_id, child, POSITIVE, "Yes")
    assert feedback.face == 5
    set_feedback(session, users.caseworker, activity_id, child, NEUTRAL)
    assert feedback.face is None


def test_no_new_feedback_once_the_familys_consent_is_withdrawn(
    session: Session, users: Users, family: People, activity_id: uuid.UUID
) -> None:
    child = family.children[0]
    consent_id = session.scalars(select(Consent.id).where(Consent.family_id == family.family)).one()
    withdraw_consent(session, users.caseworker, consent_id, TODAY)
    with pytest.raises(ValidationFailed) as error:
        set_feedback(session, users.caseworker, activity_id, child, POSITIVE)
    assert "consent" in error.value.message
    assert stored(session) == []
