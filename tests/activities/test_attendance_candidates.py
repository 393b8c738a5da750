"""Who is offered for ticking: present people, the prison's families, then a search."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from activity_support import People, Users, make_activity, make_family
from sqlalchemy import event
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import AttendeeKind
from cope_desktop.services.activities.activities import read_activity
from cope_desktop.services.activities.attendance import candidates, expected_people, set_present
from cope_desktop.services.activities.views import Attendee
from cope_desktop.services.records import families, people
from cope_desktop.services.records.archive import RecordKind, archive
from cope_desktop.services.records.drafts import RelativeDraft

CHILD = AttendeeKind.CHILD


@dataclass
class Scene:
    activity_id: uuid.UUID
    linked_one: People
    """F-1, at the activity's prison, with a second relative held elsewhere."""
    linked_three: People
    """F-3, at the activity's prison; its child Ada was ticked, then archived."""
    visitor: People
    """F-4, at another prison; its child was ticked present."""
    searched: People
    """F-6, at another prison, without consent; its caregiver is Ksenia."""
    elsewhere: uuid.UUID
    """F-1's relative held in the other prison."""


@pytest.fixture
def scene(
    session: Session, users: Users, prison_id: uuid.UUID, other_prison_id: uuid.UUID
) -> Scene:
    user = users.caseworker
    three = make_family(session, user, prison_id, "F-3", [("Zoë", 2015), ("Ada", 2012)])
    one = make_family(session, user, prison_id, "F-1", [("Tom", 2010), ("Una", 2011)])
    archive(session, user, RecordKind.CHILD, one.children[1])  # Una: never offered
    closed = make_family(session, user, prison_id, "F-2", [("Eva", 2011)])
    families.close_family(session, user, closed.family, dt.date(2024, 3, 1), "Moved away")
    visitor = make_family(session, user, other_prison_id, "F-4", [("Bo", 2019)])
    gone = make_family(session, user, prison_id, "F-5", [("Max", 2014)])
    archive(session, user, RecordKind.FAMILY, gone.family)
    searched = make_family(
        session, user, other_prison_id, "F-6", [("Lea", 2016)], caregiver="Ksenia", consent=False
    )
    elsewhere = people.save_relative(
        session, user, one.family, None, RelativeDraft(first_name="Jan", prison_id=other_prison_id)
    )
    activity_id = make_activity(session, user, prison_id=prison_id)
    set_present(session, user, activity_id, CHILD, visitor.children[0], True)
    set_present(session, user, activity_id, CHILD, three.children[1], True)  # Ada
    archive(session, user, RecordKind.CHILD, three.children[1])
    return Scene(activity_id, one, three, visitor, searched, elsewhere)


def names(attendees: list[Attendee]) -> list[str]:
    return [attendee.name for attendee in attendees]


def test_present_first_then_the_prisons_families_then_the_search(
    session: Session, scene: Scene
) -> None:
    found = candidates(session, scene.activity_id, "ksenia")
    assert names(found) == [
        "Ada Family F-3",
        "Bo Family F-4",
        "Tom Family F-1",
        "Anna Family F-1",
        "Piotr Family F-1",
        "Zoë Family F-3",
        "Anna Family F-3",
        "Piotr Family F-3",
        "Lea Family F-6",
        "Ksenia Family F-6",
        "Piotr Family F-6",
    ]
    assert [a.present for a in found] == [True] * 2 + [False] * 9
    assert [a.linked_to_prison for a in found] == [True, False] + [True] * 6 + [False] * 3
    assert [a.archived for a in found] == [True] + [False] * 10
    assert [a.data_consent for a in found] == [True] * 8 + [False] * 3
    assert [a.kind for a in found[2:5]] == [CHILD, AttendeeKind.CAREGIVER, AttendeeKind.RELATIVE]
    assert (found[0].age_band, found[1].age_band, found[3].age_band) == ("10-14", "0-4", None)


def test_without_text_only_present_people_and_the_prisons_families(
    session: Session, scene: Scene
) -> None:
    found = candidates(session, scene.activity_id)
    assert "Lea Family F-6" not in names(found)
    assert len(found) == 8
    assert not {"Eva Family F-2", "Max Family F-5", "Jan", "Una Family F-1"} & set(names(found))


def test_at_most_limit_people(session: Session, scene: Scene) -> None:
    assert names(candidates(session, scene.activity_id, "ksenia", limit=3)) == [
        "Ada Family F-3",
        "Bo Family F-4",
        "Tom Family F-1",
    ]


def test_a_relative_held_elsewhere_is_found_by_search_only(session: Session, scene: Scene) -> None:
    assert scene.elsewhere not in {a.person_id for a in candidates(session, scene.activity_id)}
    found = candidates(session, scene.activity_id, "jan")
    assert [(a.name, a.linked_to_prison) for a in found if a.person_id == scene.elsewhere] == [
        ("Jan", True)
    ]


def test_an_activity_away_from_prisons_offers_present_people(
    session: Session, users: Users, scene: Scene
) -> None:
    office = make_activity(session, users.caseworker)
    assert candidates(session, office) == []
    set_present(session, users.caseworker, office, CHILD, scene.visitor.children[0], True)
    assert names(candidates(session, office)) == ["Bo Family F-4"]
    assert names(candidates(session, office, "ksenia")) == [
        "Bo Family F-4",
        "Lea Family F-6",
        "Ksenia Family F-6",
        "Piotr Family F-6",
    ]


def test_expected_people_are_sorted_by_family_kind_and_name(session: Session, scene: Scene) -> None:
    expected = expected_people(session, scene.activity_id)
    assert names(expected) == [
        "Tom Family F-1",
        "Anna Family F-1",
        "Piotr Family F-1",
        "Ada Family F-3",
        "Zoë Family F-3",
        "Anna Family F-3",
        "Piotr Family F-3",
        "Bo Family F-4",
    ]
    assert [a.present for a in expected] == [False, False, False, True, False, False, False, True]


def test_the_number_of_queries_does_not_grow_with_the_people(
    db: Database, session: Session, users: Users, prison_id: uuid.UUID
) -> None:
    activity_id = make_activity(session, users.caseworker, prison_id=prison_id)

    def queries() -> int:
        statements: list[object] = []

        def seen(*args: object) -> None:
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            candidates(session, activity_id, "anna")
            expected_people(session, activity_id)
            read_activity(session, users.caseworker, activity_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        return len(statements)

    def add_families(first: int, last: int) -> None:
        for number in range(first, last):
            family = make_family(
                session, users.caseworker, prison_id, f"F-{number}", [("Zoë", 2015), ("Ada", 2012)]
            )
            for child in family.children:
                set_present(session, users.caseworker, activity_id, CHILD, child, True)

    add_families(1, 3)
    few = queries()
    add_families(3, 9)
    assert queries() == few
