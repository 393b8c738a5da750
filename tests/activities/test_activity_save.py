"""Saving, reading, archiving and restoring one activity."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from activity_support import GAME, TODAY, Users, audit_events, fields, make_activity
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind
from cope_desktop.db.models import Activity, Prison
from cope_desktop.errors import PermissionDenied, RecordNotFound, ValidationFailed
from cope_desktop.services.activities.activities import (
    archive_activity,
    next_activity_reference,
    read_activity,
    restore_activity,
    save_activity,
)
from cope_desktop.services.activities.attendance import set_head_counts, set_present
from cope_desktop.services.activities.drafts import ActivityDraft

GROUP = ActivityType.SUPPORT_GROUP


def refused(session: Session, users: Users, draft: ActivityDraft) -> set[str]:
    with pytest.raises(ValidationFailed) as error:
        save_activity(session, users.caseworker, None, draft)
    return fields(error)


def test_type_and_date_are_required(session: Session, users: Users) -> None:
    assert refused(session, users, ActivityDraft(None, None)) == {"type", "held_on"}
    assert refused(session, users, ActivityDraft(GROUP, None)) == {"held_on"}
    assert refused(session, users, ActivityDraft(None, TODAY)) == {"type"}


def test_the_date_is_at_most_a_year_ahead(session: Session, users: Users) -> None:
    a_year = dt.date(2025, 6, 15)
    assert refused(session, users, ActivityDraft(GROUP, a_year + dt.timedelta(days=1))) == {
        "held_on"
    }
    save_activity(session, users.caseworker, None, ActivityDraft(GROUP, a_year))
    save_activity(session, users.caseworker, None, ActivityDraft(GROUP, dt.date(2001, 1, 1)))


@pytest.mark.parametrize(("minutes", "ok"), [(-1, False), (0, True), (1440, True), (1441, False)])
def test_duration_is_from_0_to_1440_minutes(
    session: Session, users: Users, minutes: int, ok: bool
) -> None:
    draft = ActivityDraft(GROUP, TODAY, duration_minutes=minutes)
    if ok:
        activity_id = save_activity(session, users.caseworker, None, draft)
        assert read_activity(session, users.caseworker, activity_id).duration_minutes == minutes
    else:
        assert refused(session, users, draft) == {"duration_minutes"}


def test_the_prison_must_be_in_the_register_and_not_archived(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    assert refused(session, users, ActivityDraft(GROUP, TODAY, prison_id=uuid.uuid4())) == {
        "prison_id"
    }
    prison = session.get(Prison, prison_id)
    assert prison is not None
    prison.deleted_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert refused(session, users, ActivityDraft(GROUP, TODAY, prison_id=prison_id)) == {
        "prison_id"
    }


def test_only_a_game_with_mum_and_dad_has_a_sport_and_partners(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    with pytest.raises(ValidationFailed) as error:
        save_activity(
            session, users.caseworker, None, ActivityDraft(GROUP, TODAY, sport="Football")
        )
    assert error.value.for_field("sport") == ["Only a Game with Mum & Dad event has a sport."]
    assert refused(session, users, ActivityDraft(GROUP, TODAY, partners="Club")) == {"partners"}
    game = ActivityDraft(
        GAME, TODAY, prison_id=prison_id, sport=" Football ", partners="AC Bollate\nUISP"
    )
    activity_id = save_activity(session, users.caseworker, None, game)
    detail = read_activity(session, users.caseworker, activity_id)
    assert (detail.sport, detail.partners) == ("Football", "AC Bollate\nUISP")
    assert (detail.prison_id, detail.prison_name) == (prison_id, "Casa Circondariale di Bollate")


def test_lengths(session: Session, users: Users) -> None:
    draft = ActivityDraft(
        GAME, TODAY, staff="s" * 201, sport="f" * 101, notes="n" * 20_001, reference="A" * 41
    )
    assert refused(session, users, draft) == {"staff", "sport", "notes", "reference"}
    fitting = ActivityDraft(GAME, TODAY, staff="s" * 200, sport="f" * 100, notes="n" * 20_000)
    save_activity(session, users.caseworker, None, fitting)


def test_references_follow_on_and_never_repeat(session: Session, users: Users) -> None:
    assert next_activity_reference(session) == "A-000001"
    first = make_activity(session, users.caseworker)
    second = make_activity(session, users.caseworker, reference="A-000041")
    third = make_activity(session, users.caseworker)
    references = [
        read_activity(session, users.caseworker, activity_id).reference
        for activity_id in (first, second, third)
    ]
    assert references == ["A-000001", "A-000041", "A-000042"]
    assert refused(session, users, ActivityDraft(GROUP, TODAY, reference="A-000041")) == {
        "reference"
    }
    archive_activity(session, users.caseworker, third)
    assert next_activity_reference(session) == "A-000043"


def test_changes_are_saved_and_audited_by_field_name(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    activity_id = make_activity(session, users.caseworker, notes="Secret words")
    (created,) = audit_events(session, "create", activity_id)
    assert created.object_type == "activity"
    changed = ActivityDraft(
        GAME, TODAY, prison_id=prison_id, notes="Other secret words", reference="A-000001"
    )
    assert save_activity(session, users.coordinator, activity_id, changed) == activity_id
    (change,) = audit_events(session, "change", activity_id)
    assert set(change.detail.split(",")) == {"prison_id", "notes"}
    assert "secret" not in change.detail.casefold()
    save_activity(session, users.coordinator, activity_id, changed)  # nothing changed
    assert len(audit_events(session, "change", activity_id)) == 1
    detail = read_activity(session, users.caseworker, activity_id)
    assert (detail.notes, detail.reference) == ("Other secret words", "A-000001")
    assert audit_events(session, "view", activity_id)[0].user_id == users.caseworker.id


def test_an_empty_reference_keeps_the_activitys_own(session: Session, users: Users) -> None:
    activity_id = make_activity(session, users.caseworker)
    save_activity(session, users.caseworker, activity_id, ActivityDraft(GROUP, TODAY))
    activity = session.get(Activity, activity_id)
    assert activity is not None and activity.reference == "A-000001"
    assert activity.type is GROUP


def test_an_unknown_activity(session: Session, users: Users) -> None:
    with pytest.raises(RecordNotFound):
        read_activity(session, users.caseworker, uuid.uuid4())
    with pytest.raises(RecordNotFound):
        save_activity(session, users.caseworker, uuid.uuid4(), ActivityDraft(GROUP, TODAY))


def test_archive_and_restore(session: Session, users: Users) -> None:
    activity_id = make_activity(session, users.caseworker)
    archive_activity(session, users.caseworker, activity_id)
    archive_activity(session, users.caseworker, activity_id)  # once is enough
    assert read_activity(session, users.caseworker, activity_id).archived
    assert len(audit_events(session, "archive", activity_id)) == 1
    with pytest.raises(ValidationFailed):
        save_activity(session, users.caseworker, activity_id, ActivityDraft(GAME, TODAY))
    with pytest.raises(ValidationFailed):
        set_head_counts(session, users.caseworker, activity_id, 1, 1)
    for role in (users.caseworker, users.coordinator):
        with pytest.raises(PermissionDenied):
            restore_activity(session, role, activity_id)
    restore_activity(session, users.admin, activity_id)
    assert not read_activity(session, users.caseworker, activity_id).archived
    assert audit_events(session, "restore", activity_id)[0].user_id == users.admin.id


def test_the_detail_has_head_counts_and_present_people(
    session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    from activity_support import make_family

    family = make_family(session, users.caseworker, prison_id, "F-1", [("Zoë", 2015)])
    activity_id = make_activity(session, users.caseworker, prison_id=prison_id)
    set_head_counts(session, users.caseworker, activity_id, 4, 2)
    set_present(
        session, users.caseworker, activity_id, AttendeeKind.CHILD, family.children[0], True
    )
    detail = read_activity(session, users.caseworker, activity_id)
    assert (detail.anonymous_children, detail.anonymous_adults) == (4, 2)
    (attendee,) = detail.attendees
    assert (attendee.name, attendee.present, attendee.age_band) == ("Zoë Family F-1", True, "5-9")
    assert attendee.linked_to_prison and attendee.family_reference == "F-1"
