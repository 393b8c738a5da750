"""The Game with Mum & Dad campaign figures (REPORT-SPEC.md table 5) on a hand-made year.

The data set is small enough to count by hand; each thing that must not count is there once:
an archived attendance row, an archived child, a member of an archived family, an archived
event, an event of another year, another type of activity and an archived feedback.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from activity_support import GAME, Users, make_activity, make_family
from sqlalchemy import event
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import ActivityType, AttendeeKind, Rating
from cope_desktop.db.models import Feedback
from cope_desktop.services.activities.activities import archive_activity
from cope_desktop.services.activities.attendance import set_feedback, set_head_counts, set_present
from cope_desktop.services.activities.campaign import campaign_summary, campaign_years
from cope_desktop.services.activities.views import CampaignSummary
from cope_desktop.services.records.archive import RecordKind, archive

CHILD, CAREGIVER, RELATIVE = AttendeeKind.CHILD, AttendeeKind.CAREGIVER, AttendeeKind.RELATIVE
POSITIVE, NEUTRAL, NEGATIVE = Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE


@pytest.fixture
def events(
    session: Session, users: Users, prison_id: uuid.UUID, other_prison_id: uuid.UUID
) -> list[uuid.UUID]:
    """Three counted 2024 events; returns their ids in date order."""
    user = users.caseworker
    one = make_family(session, user, prison_id, "F-1", [("Zoë", 2015), ("Ada", 2012)])
    two = make_family(session, user, other_prison_id, "F-2", [("Leo", 2016)])
    three = make_family(session, user, prison_id, "F-3", [("Mia", 2014)])
    four = make_family(session, user, other_prison_id, "F-4", [("Bo", 2017)])
    zoe, ada = one.children
    leo, mia, bo = two.children[0], three.children[0], four.children[0]
    first = make_activity(session, user, dt.date(2024, 4, 6), prison_id)
    second = make_activity(session, user, dt.date(2024, 5, 4), prison_id)
    third = make_activity(session, user, dt.date(2024, 6, 1), other_prison_id)
    archived = make_activity(session, user, dt.date(2024, 5, 18), prison_id)
    last_year = make_activity(session, user, dt.date(2023, 6, 3), prison_id)
    family_day = make_activity(
        session, user, dt.date(2024, 5, 11), prison_id, activity_type=ActivityType.FAMILY_DAY
    )

    def tick(activity_id: uuid.UUID, kind: AttendeeKind, *people: uuid.UUID) -> None:
        for person in people:
            set_present(session, user, activity_id, kind, person, True)

    def rate(activity_id: uuid.UUID, child: uuid.UUID, rating: Rating) -> None:
        set_feedback(session, user, activity_id, child, rating)

    # First event: Zoë, Ada and Mia (archived later), Anna and Piotr of F-1, 3 + 2 not on file.
    tick(first, CHILD, zoe, ada, mia)
    tick(first, CAREGIVER, one.caregiver)
    tick(first, RELATIVE, one.relative)
    set_head_counts(session, user, first, 3, 2)
    rate(first, zoe, POSITIVE)
    rate(first, ada, NEUTRAL)
    rate(first, mia, POSITIVE)
    session.add(Feedback(activity_id=first, child_id=None, rating=NEUTRAL))  # anonymous card
    # Second event: Zoë again, Leo, Piotr again, 1 child not on file.
    tick(second, CHILD, zoe, leo)
    tick(second, RELATIVE, one.relative)
    set_head_counts(session, user, second, 1, 0)
    rate(second, zoe, POSITIVE)
    rate(second, leo, NEGATIVE)
    # Third event: Leo and F-2's adults; Ada ticked and unticked; Bo, whose family is archived.
    tick(third, CHILD, leo, ada, bo)
    tick(third, CAREGIVER, two.caregiver)
    tick(third, RELATIVE, two.relative)
    rate(third, leo, POSITIVE)
    rate(third, ada, POSITIVE)
    rate(third, bo, NEGATIVE)
    set_present(session, user, third, CHILD, ada, False)
    # Never counted: an archived event, another year, another type of activity.
    for other in (archived, last_year, family_day):
        tick(other, CHILD, zoe, leo)
        tick(other, CAREGIVER, one.caregiver, two.caregiver)
        tick(other, RELATIVE, three.relative)
        set_head_counts(session, user, other, 10, 10)
        rate(other, zoe, POSITIVE)
    archive_activity(session, user, archived)
    make_activity(session, user, dt.date(2022, 5, 7), prison_id)
    archive_activity(session, user, make_activity(session, user, dt.date(2021, 5, 8)))
    archive(session, user, RecordKind.CHILD, mia)
    archive(session, user, RecordKind.FAMILY, four.family)
    session.flush()
    return [first, second, third]


def test_the_year_counts_as_table_5_says(session: Session, events: list[uuid.UUID]) -> None:
    summary = campaign_summary(session, 2024)
    assert summary == CampaignSummary(
        year=2024,
        events=3,
        prisons=2,
        child_attendances=9,  # Zoë, Ada | Zoë, Leo | Leo named; 3 + 1 not on file
        children=3,  # Zoë, Ada, Leo
        imprisoned_parents=2,  # F-1's and F-2's Piotr
        caregivers=2,  # F-1's and F-2's Anna
        positive=3,  # Zoë twice, Leo at the third event
        neutral=2,  # Ada, and the anonymous card
        negative=1,  # Leo at the second event
        event_rows=summary.event_rows,
    )
    rows = summary.event_rows
    assert [row.id for row in rows] == events
    assert [
        (row.children, row.caregivers, row.relatives, row.anonymous_children, row.anonymous_adults)
        for row in rows
    ] == [(2, 1, 1, 3, 2), (2, 0, 1, 1, 0), (1, 1, 1, 0, 0)]
    assert {row.type for row in rows} == {GAME} and not any(row.archived for row in rows)


def test_a_year_without_events(session: Session, events: list[uuid.UUID]) -> None:
    summary = campaign_summary(session, 2020)
    assert (summary.events, summary.prisons, summary.child_attendances, summary.positive) == (
        0,
        0,
        0,
        0,
    )
    assert summary.event_rows == ()


def test_years_with_events_newest_first(session: Session, events: list[uuid.UUID]) -> None:
    assert campaign_years(session) == [2024, 2023, 2022]


def test_a_few_queries_whatever_the_number_of_events(
    db: Database, session: Session, events: list[uuid.UUID]
) -> None:
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        campaign_summary(session, 2024)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len(statements) <= 5  # one per figure group, none per event or attendance
