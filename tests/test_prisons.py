"""The prisons register's rules (cope_desktop.services.prisons), without any window."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from db_support import PASSWORD, CreatedDatabase
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ActivityType, CaseStatus, PrisonType, Role
from cope_desktop.db.models import Activity, AuditEvent, Family, ImprisonedRelative, Prison
from cope_desktop.errors import PermissionDenied, RecordNotFound, ValidationFailed
from cope_desktop.services import prisons
from cope_desktop.services.accounts import CurrentUser, sign_in
from cope_desktop.services.prisons import PrisonDraft


@pytest.fixture
def opened(created_db: CreatedDatabase) -> Iterator[tuple[Database, CurrentUser]]:
    db, user = sign_in(created_db.path, "admin", PASSWORD, created_db.paths.backup_dir)
    yield db, user
    db.close()


@pytest.fixture
def db(opened: tuple[Database, CurrentUser]) -> Database:
    return opened[0]


@pytest.fixture
def admin(opened: tuple[Database, CurrentUser]) -> CurrentUser:
    return opened[1]


def caseworker(admin: CurrentUser) -> CurrentUser:
    return dataclasses.replace(admin, role=Role.CASEWORKER)


def add(db: Database, user: CurrentUser, name: str = "Fresnes", country: str = "FR") -> uuid.UUID:
    with db.session() as session:
        return prisons.save_prison(session, user, None, PrisonDraft(name=name, country=country))


def problems_of(error: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in error.value.problems:
        found.setdefault(problem.field, []).append(problem.message)
    return found


def audit_actions(session: Session, prison_id: uuid.UUID) -> list[tuple[str, str]]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.object_id == prison_id).order_by(AuditEvent.sequence)
    )
    return [(event.action, event.detail) for event in events]


def test_a_new_prison_gets_the_next_reference(db: Database, admin: CurrentUser) -> None:
    first = add(db, admin, "Fresnes")
    with db.session() as session:
        session.add(Prison(reference="P-0041", name="Old", country="FR"))
    second = add(db, admin, "Fleury-Mérogis")
    with db.session() as session:
        assert session.get(Prison, first).reference == "P-0001"  # type: ignore[union-attr]
        assert session.get(Prison, second).reference == "P-0042"  # type: ignore[union-attr]
        assert audit_actions(session, first) == [("create", "")]


def test_the_fields_are_saved_cleaned(db: Database, admin: CurrentUser) -> None:
    draft = PrisonDraft(
        name="  Casa di Reclusione di Opera ",
        country="it",
        reference=" OPERA-1 ",
        region=" Lombardia ",
        type=PrisonType.MEN,
        visiting_facilities="  ",
    )
    with db.session() as session:
        prison_id = prisons.save_prison(session, admin, None, draft)
    with db.session() as session:
        detail = prisons.read_prison(session, prison_id)
    assert (detail.name, detail.country, detail.reference) == (
        "Casa di Reclusione di Opera",
        "IT",
        "OPERA-1",
    )
    assert (detail.region, detail.type, detail.visiting_facilities) == (
        "Lombardia",
        PrisonType.MEN,
        "",
    )
    assert not detail.archived


def test_every_broken_rule_is_named_at_once_and_nothing_is_written(
    db: Database, admin: CurrentUser
) -> None:
    draft = PrisonDraft(name="  ", country="XX", region="r" * 101, visiting_facilities="v" * 2001)
    with db.session() as session, pytest.raises(ValidationFailed) as error:
        prisons.save_prison(session, admin, None, draft)
    found = problems_of(error)
    assert found["name"] == ["Enter the prison's name."]
    assert "XX is not a two-letter ISO 3166 country code" in found["country"][0]
    assert found["region"] == ["This is too long: at most 100 characters."]
    assert found["visiting_facilities"] == ["This is too long: at most 2000 characters."]
    with db.session() as session:
        assert prisons.list_prisons(session) == []


def test_a_country_is_required(db: Database, admin: CurrentUser) -> None:
    with db.session() as session, pytest.raises(ValidationFailed) as error:
        prisons.save_prison(session, admin, None, PrisonDraft(name="Opera", country=""))
    assert problems_of(error) == {"country": ["Choose a country."]}


def test_a_name_is_used_once_per_country(db: Database, admin: CurrentUser) -> None:
    add(db, admin, "Centre pénitentiaire de Fresnes", "FR")
    with db.session() as session, pytest.raises(ValidationFailed) as error:
        draft = PrisonDraft(name="CENTRE PENITENTIAIRE DE FRESNES", country="FR")
        prisons.save_prison(session, admin, None, draft)
    assert problems_of(error) == {"name": ["Another prison in France already has this name."]}
    # the same name in another country is another prison
    add(db, admin, "Centre pénitentiaire de Fresnes", "BE")


def test_an_archived_prisons_name_can_be_used_again(db: Database, admin: CurrentUser) -> None:
    old = add(db, admin, "Opera", "IT")
    with db.session() as session:
        prisons.archive_prison(session, admin, old)
    new = add(db, admin, "Opera", "IT")
    assert new != old
    # ...but the archived one cannot come back while the name is taken
    with db.session() as session, pytest.raises(ValidationFailed) as error:
        prisons.restore_prison(session, admin, old)
    assert list(problems_of(error)) == ["name"]


def test_a_reference_is_used_once(db: Database, admin: CurrentUser) -> None:
    add(db, admin, "Fresnes")
    with db.session() as session, pytest.raises(ValidationFailed) as error:
        draft = PrisonDraft(name="Opera", country="IT", reference="P-0001")
        prisons.save_prison(session, admin, None, draft)
    assert problems_of(error) == {"reference": ["Another prison already has the reference P-0001."]}


def test_editing_keeps_the_reference_and_audits_the_changed_fields(
    db: Database, admin: CurrentUser
) -> None:
    prison_id = add(db, admin, "Fresnes")
    with db.session() as session:
        draft = prisons.read_prison(session, prison_id).draft()
        draft.reference = ""
        draft.name = "Centre pénitentiaire de Fresnes"
        draft.type = PrisonType.MIXED
        # saving its own name again is not a clash with itself
        assert prisons.save_prison(session, admin, prison_id, draft) == prison_id
    with db.session() as session:
        detail = prisons.read_prison(session, prison_id)
        assert (detail.reference, detail.name, detail.type) == (
            "P-0001",
            "Centre pénitentiaire de Fresnes",
            PrisonType.MIXED,
        )
        assert audit_actions(session, prison_id)[-1] == ("change", "name,type")


def test_an_unknown_prison_is_not_found(db: Database, admin: CurrentUser) -> None:
    with db.session() as session:
        with pytest.raises(RecordNotFound):
            prisons.read_prison(session, uuid.uuid4())
        with pytest.raises(RecordNotFound):
            prisons.save_prison(session, admin, uuid.uuid4(), PrisonDraft("A", "FR"))
        with pytest.raises(RecordNotFound):
            prisons.archive_prison(session, admin, uuid.uuid4())


def family(session: Session, reference: str, opened: dt.date, **values: object) -> Family:
    record = Family(reference=reference, opened_on=opened, **values)
    session.add(record)
    session.flush()
    return record


def relative(
    session: Session, family_id: uuid.UUID, prison_id: uuid.UUID, **values: object
) -> None:
    reference = f"R-{uuid.uuid4().hex[:8]}"
    session.add(
        ImprisonedRelative(reference=reference, family_id=family_id, prison_id=prison_id, **values)
    )


def activity(
    session: Session, reference: str, held_on: dt.date, prison_id: uuid.UUID, **values: object
) -> None:
    session.add(
        Activity(
            reference=reference,
            type=ActivityType.FAMILY_DAY,
            held_on=held_on,
            prison_id=prison_id,
            **values,
        )
    )


def test_the_list_counts_linked_families_and_activities(db: Database, admin: CurrentUser) -> None:
    fresnes, opera = add(db, admin, "Fresnes"), add(db, admin, "Opera", "IT")
    add(db, admin, "Bollate", "IT")
    with db.session() as session:
        two_relatives = family(session, "F-1", dt.date(2023, 1, 1))
        relative(session, two_relatives.id, fresnes)
        relative(session, two_relatives.id, fresnes)
        relative(session, two_relatives.id, opera)
        closed = family(session, "F-2", dt.date(2022, 1, 1), closed_on=dt.date(2022, 6, 1))
        relative(session, closed.id, fresnes)
        archived_family = family(session, "F-3", dt.date(2024, 1, 1), deleted_at=utcnow())
        relative(session, archived_family.id, fresnes)
        archived_relative = family(session, "F-4", dt.date(2024, 1, 1))
        relative(session, archived_relative.id, fresnes, deleted_at=utcnow())
        activity(session, "A-1", dt.date(2024, 3, 1), fresnes)
        activity(session, "A-2", dt.date(2024, 4, 1), fresnes)
        activity(session, "A-3", dt.date(2024, 5, 1), fresnes, deleted_at=utcnow())
        activity(session, "A-4", dt.date(2024, 5, 1), opera)
    with db.session() as session:
        rows = {row.name: row for row in prisons.list_prisons(session)}
    assert [(rows[n].families, rows[n].activities) for n in ("Fresnes", "Opera", "Bollate")] == [
        (2, 2),
        (1, 1),
        (0, 0),
    ]
    assert list(rows) == ["Bollate", "Fresnes", "Opera"]


def test_the_details_list_linked_records_most_recent_first(
    db: Database, admin: CurrentUser
) -> None:
    fresnes = add(db, admin, "Fresnes")
    with db.session() as session:
        for n in range(1, 104):
            record = family(
                session,
                f"F-{n:03}",
                dt.date(2020, 1, 1) + dt.timedelta(days=n),
                closed_on=dt.date(2025, 1, 1) if n == 103 else None,
            )
            relative(session, record.id, fresnes)
            activity(session, f"A-{n:03}", dt.date(2021, 1, 1) + dt.timedelta(days=n), fresnes)
    with db.session() as session:
        detail = prisons.read_prison(session, fresnes)
    assert (detail.family_total, detail.activity_total) == (103, 103)
    assert len(detail.families) == len(detail.activities) == prisons.LINKED_LIMIT
    assert [f.reference for f in detail.families[:2]] == ["F-103", "F-102"]
    assert [f.status for f in detail.families[:2]] == [CaseStatus.CLOSED, CaseStatus.OPEN]
    assert detail.activities[0].held_on == dt.date(2021, 1, 1) + dt.timedelta(days=103)
    assert detail.activities[0].type is ActivityType.FAMILY_DAY


def test_archiving_hides_the_prison_and_keeps_its_links(db: Database, admin: CurrentUser) -> None:
    fresnes = add(db, admin, "Fresnes")
    with db.session() as session:
        activity(session, "A-1", dt.date(2024, 3, 1), fresnes)
    with db.session() as session:
        prisons.archive_prison(session, caseworker(admin), fresnes)
    with db.session() as session:
        assert prisons.list_prisons(session) == []
        (row,) = prisons.list_prisons(session, include_archived=True)
        assert (row.archived, row.activities) == (True, 1)
        assert prisons.read_prison(session, fresnes).archived
        prisons.archive_prison(session, admin, fresnes)  # again: nothing more happens
        assert [action for action, _detail in audit_actions(session, fresnes)] == [
            "create",
            "archive",
        ]


def test_only_an_administrator_restores(db: Database, admin: CurrentUser) -> None:
    fresnes = add(db, admin, "Fresnes")
    with db.session() as session:
        prisons.archive_prison(session, admin, fresnes)
    with db.session() as session, pytest.raises(PermissionDenied) as refused:
        prisons.restore_prison(session, caseworker(admin), fresnes)
    assert refused.value.message == "Only an administrator can restore archived records."
    with db.session() as session:
        prisons.restore_prison(session, admin, fresnes)
    with db.session() as session:
        (row,) = prisons.list_prisons(session)
        assert not row.archived
        assert audit_actions(session, fresnes)[-1] == ("restore", "")
