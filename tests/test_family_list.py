"""The families list service: filters, search, sort orders and the rows of one page."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from db_support import PASSWORD
from sqlalchemy import select

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.enums import ConsentKind, PrisonType, Role
from cope_desktop.db.models import (
    Caregiver,
    Child,
    Consent,
    Family,
    ImprisonedRelative,
    Prison,
    User,
)
from cope_desktop.progress import run_to_end
from cope_desktop.services import family_list, search_terms, validation
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.demo import fill_demo
from cope_desktop.services.family_list import (
    FamilyFilter,
    FamilyRow,
    SortColumn,
    SortKey,
    StatusFilter,
)
from cope_desktop.services.setup import NewDatabase, create_database

TODAY = dt.date(2025, 6, 1)


@dataclass
class Sample:
    db: Database
    users: dict[str, uuid.UUID]
    prisons: dict[str, uuid.UUID]
    families: dict[str, uuid.UUID]


def new_database(folder: Path) -> Database:
    path = folder / "org.db"
    create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
    return sign_in(path, "admin", PASSWORD, folder / "backups")[0]


def add_families(db: Database) -> Sample:
    """Five families that differ in every column the list shows (one archived)."""
    with db.session() as session:
        users = {
            name: User(username=name.split()[0].lower(), display_name=name, role=Role.CASEWORKER)
            for name in ("Anna Rossi", "Bruno Verdi")
        }
        prisons = {
            name: Prison(reference=f"P-{name}", name=name, country=country, type=PrisonType.MEN)
            for name, country in (("Bollate", "IT"), ("Fresnes", "FR"), ("Opera", "IT"))
        }
        prisons["Closed down"] = Prison(
            reference="P-X", name="Closed down", country="DE", deleted_at=utcnow()
        )
        session.add_all([*users.values(), *prisons.values()])
        session.flush()
        anna, bruno = users["Anna Rossi"].id, users["Bruno Verdi"].id

        def family(ref: str, opened: dt.date, **values: Any) -> Family:
            record = Family(reference=ref, opened_on=opened, **values)
            session.add(record)
            session.flush()
            return record

        f1 = family("F-001", dt.date(2024, 1, 10), caseworker_id=anna)
        f2 = family(
            "F-002", dt.date(2023, 5, 1), closed_on=dt.date(2024, 6, 1), caseworker_id=bruno
        )
        f3 = family("F-003", dt.date(2025, 2, 1))
        f4 = family("F-004", dt.date(2024, 3, 3), caseworker_id=anna, deleted_at=utcnow())
        f5 = family("F-005", dt.date(2022, 3, 3), caseworker_id=anna)

        def person(model: type[Any], ref: str, owner: Family, *names: str, **values: Any) -> None:
            first, last = (*names, None, None)[:2]
            session.add(
                model(reference=ref, family_id=owner.id, first_name=first, last_name=last, **values)
            )

        person(Caregiver, "G-001", f1, "Łukasz", "Nowak", is_main=True)
        person(Caregiver, "G-002", f2, "Zoë", "Martin", is_main=True)
        person(Caregiver, "G-003", f3, is_main=True)
        person(Caregiver, "G-004", f4, "Archie", "Gone", is_main=True)
        person(Caregiver, "G-005", f5, "Carla", "Bianchi", is_main=True)
        person(Caregiver, "G-005B", f5, "Aaron", "Abbott", is_main=False)
        person(Child, "C-001A", f1, "Maja", "Nowak")
        person(Child, "C-001B", f1, "Olek", "Nowak")
        person(Child, "C-001C", f1, "Gone", "Nowak", deleted_at=utcnow())
        person(Child, "C-002A", f2, "Émile", "Martin")
        person(Child, "C-004A", f4, "Archibald", "Gone")
        person(Child, "C-005A", f5, "Luca", "Bianchi")
        ids = {name: prison.id for name, prison in prisons.items()}
        person(ImprisonedRelative, "R-001", f1, prison_id=ids["Bollate"])
        person(ImprisonedRelative, "R-002A", f2, prison_id=ids["Fresnes"])
        person(ImprisonedRelative, "R-002B", f2, prison_id=ids["Bollate"])
        person(ImprisonedRelative, "R-003", f3)
        person(ImprisonedRelative, "R-005A", f5, prison_id=ids["Opera"])
        person(ImprisonedRelative, "R-005B", f5, prison_id=ids["Fresnes"], deleted_at=utcnow())

        def consent(owner: Family, given: dt.date, **values: Any) -> None:
            values.setdefault("kind", ConsentKind.DATA_PROCESSING)
            session.add(Consent(family_id=owner.id, given_by="Parent", given_on=given, **values))

        consent(f1, dt.date(2024, 1, 10))
        consent(f2, dt.date(2023, 5, 1), withdrawn_on=dt.date(2024, 1, 1))
        consent(f3, dt.date(2025, 7, 1))  # given after "today"
        consent(f4, dt.date(2024, 3, 3))
        consent(f5, dt.date(2022, 3, 3), kind=ConsentKind.PHOTOS)
        consent(f5, dt.date(2022, 3, 3), deleted_at=utcnow())
        families = {record.reference: record.id for record in (f1, f2, f3, f4, f5)}
        search_terms.refresh(session, families.values())
        return Sample(db, {n: u.id for n, u in users.items()}, ids, families)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """One small database shared by the tests of this module, which only read it."""
    folder = tmp_path_factory.mktemp("families")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(folder / "home"))
        db = new_database(folder)
        try:
            yield add_families(db)
        finally:
            db.close()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


def references(
    sample: Sample, wanted: FamilyFilter | None = None, sort: SortKey | None = None
) -> list[str]:
    with sample.db.session() as session:
        keys = family_list.family_ids(session, wanted, sort)
        return [_row(row).reference for row in family_list.family_rows(session, keys)]


def _row(row: FamilyRow | None) -> FamilyRow:
    assert row is not None
    return row


def rows_by_reference(sample: Sample) -> dict[str, FamilyRow]:
    with sample.db.session() as session:
        keys = family_list.family_ids(session, FamilyFilter())
        keys += family_list.family_ids(session, FamilyFilter(status=StatusFilter.ARCHIVED))
        return {_row(row).reference: _row(row) for row in family_list.family_rows(session, keys)}


# --- filters ------------------------------------------------------------------------------------


def test_every_family_but_the_archived_ones_by_reference(sample: Sample) -> None:
    assert references(sample) == ["F-001", "F-002", "F-003", "F-005"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (StatusFilter.OPEN, ["F-001", "F-003", "F-005"]),
        (StatusFilter.CLOSED, ["F-002"]),
        (StatusFilter.ARCHIVED, ["F-004"]),
        (StatusFilter.NO_CONSENT, ["F-002", "F-003", "F-005"]),
    ],
)
def test_status_filters(sample: Sample, status: StatusFilter, expected: list[str]) -> None:
    assert references(sample, FamilyFilter(status=status)) == expected


def test_consent_counts_from_the_day_it_was_given(
    sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validation, "today", lambda: dt.date(2025, 7, 1))
    assert references(sample, FamilyFilter(status=StatusFilter.NO_CONSENT)) == ["F-002", "F-005"]


def test_caseworker_prison_and_country_filters(sample: Sample) -> None:
    anna = sample.users["Anna Rossi"]
    assert references(sample, FamilyFilter(caseworker_id=anna)) == ["F-001", "F-005"]
    bollate = sample.prisons["Bollate"]
    assert references(sample, FamilyFilter(prison_id=bollate)) == ["F-001", "F-002"]
    # F-005's relative in France is archived: only F-002 has one there
    assert references(sample, FamilyFilter(country="FR")) == ["F-002"]
    assert references(sample, FamilyFilter(country="IT")) == ["F-001", "F-002", "F-005"]
    both = FamilyFilter(status=StatusFilter.OPEN, caseworker_id=anna, country="IT")
    assert references(sample, both) == ["F-001", "F-005"]


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lukasz", ["F-001"]),
        ("ŁUK", ["F-001"]),
        ("zoe", ["F-002"]),
        ("emile", ["F-002"]),
        ("martin zo", ["F-002"]),
        ("nowak", ["F-001"]),
        ("F-002", ["F-002"]),
        ("c-005a", ["F-005"]),
        ("bianchi a", ["F-005"]),  # Aaron, a caregiver who is not the main one
        ("f", ["F-001", "F-002", "F-003", "F-005"]),
        ("  ", ["F-001", "F-002", "F-003", "F-005"]),
        ("nowak martin", []),
        ("xyz", []),
    ],
)
def test_search_by_the_start_of_names_and_references(
    sample: Sample, text: str, expected: list[str]
) -> None:
    assert references(sample, FamilyFilter(text=text)) == expected


def test_archived_families_are_found_only_under_the_archived_filter(sample: Sample) -> None:
    assert references(sample, FamilyFilter(text="archie")) == []
    archived = FamilyFilter(status=StatusFilter.ARCHIVED, text="archie")
    assert references(sample, archived) == ["F-004"]


def test_archived_people_are_not_searched(sample: Sample) -> None:
    assert references(sample, FamilyFilter(text="gone")) == []


def test_search_with_filters(sample: Sample) -> None:
    wanted = FamilyFilter(status=StatusFilter.CLOSED, text="nowak")
    assert references(sample, wanted) == []
    assert references(sample, FamilyFilter(status=StatusFilter.OPEN, text="nowak")) == ["F-001"]


# --- sort orders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (SortColumn.REFERENCE, ["F-001", "F-002", "F-003", "F-005"]),
        # by family name; a caregiver without names sorts by reference (G-003)
        (SortColumn.MAIN_CAREGIVER, ["F-005", "F-003", "F-002", "F-001"]),
        (SortColumn.CHILDREN, ["F-003", "F-002", "F-005", "F-001"]),
        # the first prison in alphabetical order; families without one last
        (SortColumn.PRISON, ["F-001", "F-002", "F-005", "F-003"]),
        (SortColumn.STATUS, ["F-001", "F-003", "F-005", "F-002"]),
        (SortColumn.OPENED, ["F-005", "F-002", "F-001", "F-003"]),
        (SortColumn.CASEWORKER, ["F-001", "F-005", "F-002", "F-003"]),
    ],
)
def test_sort_orders(sample: Sample, column: SortColumn, expected: list[str]) -> None:
    assert references(sample, sort=SortKey(column)) == expected
    assert references(sample, sort=SortKey(column, descending=True)) == expected[::-1]


# --- rows ---------------------------------------------------------------------------------------


def test_rows_show_what_the_list_needs(sample: Sample) -> None:
    rows = rows_by_reference(sample)
    first = rows["F-001"]
    assert first.id == sample.families["F-001"]
    assert (first.main_caregiver, first.children, first.prisons) == (
        "Łukasz Nowak",
        2,
        ("Bollate",),
    )
    assert (first.opened_on, first.closed_on, first.is_open) == (dt.date(2024, 1, 10), None, True)
    assert (first.caseworker, first.has_data_consent, first.archived) == ("Anna Rossi", True, False)
    second = rows["F-002"]
    assert second.prisons == ("Fresnes", "Bollate")
    assert (second.is_open, second.closed_on) == (False, dt.date(2024, 6, 1))
    assert not second.has_data_consent
    pseudonymous = rows["F-003"]
    assert (pseudonymous.main_caregiver, pseudonymous.children) == ("G-003", 0)
    assert (pseudonymous.prisons, pseudonymous.caseworker) == ((), "")
    assert not pseudonymous.has_data_consent
    assert rows["F-004"].archived and rows["F-004"].has_data_consent
    # not the other caregiver, not the archived relative or consent
    last = rows["F-005"]
    assert (last.main_caregiver, last.prisons, last.has_data_consent) == (
        "Carla Bianchi",
        ("Opera",),
        False,
    )


def test_rows_keep_the_order_of_the_keys_and_skip_unknown_ones(sample: Sample) -> None:
    with sample.db.session() as session:
        keys = family_list.family_ids(session)[::-1]
        unknown = uuid.uuid4().bytes
        rows = family_list.family_rows(session, [keys[0], unknown, *keys[1:]])
    assert rows[1] is None
    assert [row.reference for row in rows if row] == ["F-005", "F-003", "F-002", "F-001"]
    assert all(row is None or family_list.family_uuid(row.key) == row.id for row in rows)


def test_rows_of_no_keys_and_of_too_many(sample: Sample) -> None:
    with sample.db.session() as session:
        assert family_list.family_rows(session, []) == []
        with pytest.raises(ValueError):
            family_list.family_rows(session, [b"x"] * (family_list.PAGE_LIMIT + 1))


# --- first page ---------------------------------------------------------------------------------


def first_keys(sample: Sample, wanted: FamilyFilter, sort: SortKey | None = None) -> Any:
    with sample.db.session() as session:
        return family_list.first_family_ids(session, wanted, sort, limit=2)


def all_keys(sample: Sample, wanted: FamilyFilter, sort: SortKey | None = None) -> Any:
    with sample.db.session() as session:
        return family_list.family_ids(session, wanted, sort)


def test_the_first_page_comes_alone_when_every_word_is_common(
    sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    for wanted in (FamilyFilter(), FamilyFilter(status=StatusFilter.OPEN)):
        assert first_keys(sample, wanted) == all_keys(sample, wanted)[:2]
    backwards = SortKey(SortColumn.REFERENCE, descending=True)
    assert (
        first_keys(sample, FamilyFilter(), backwards)
        == all_keys(sample, FamilyFilter(), backwards)[:2]
    )
    # with a few families, no word is common; pretend every word is
    monkeypatch.setattr(family_list, "COMMON_TERMS", 1)
    for wanted in (
        FamilyFilter(text="f"),
        FamilyFilter(text="nowak"),
        FamilyFilter(text="f c"),
        FamilyFilter(country="IT"),
        FamilyFilter(country="FR", text="f"),
        FamilyFilter(prison_id=sample.prisons["Bollate"]),
    ):
        assert first_keys(sample, wanted) == all_keys(sample, wanted)[:2]


def test_no_first_page_when_the_whole_list_is_as_quick(sample: Sample) -> None:
    assert first_keys(sample, FamilyFilter(text="nowak")) is None
    assert first_keys(sample, FamilyFilter(country="IT")) is None
    assert first_keys(sample, FamilyFilter(), SortKey(SortColumn.OPENED)) is None


# --- filter choices -----------------------------------------------------------------------------


def test_filter_choices_are_what_occurs(sample: Sample) -> None:
    with sample.db.session() as session:
        choices = family_list.filter_choices(session)
    assert choices.caseworkers == [
        (sample.users["Anna Rossi"], "Anna Rossi"),
        (sample.users["Bruno Verdi"], "Bruno Verdi"),
    ]
    assert [label for _id, label in choices.prisons] == [
        "Bollate (IT)",
        "Fresnes (FR)",
        "Opera (IT)",
    ]
    assert choices.prisons[0][0] == sample.prisons["Bollate"]
    assert choices.countries == ["FR", "IT"]


# --- the demo organisation ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPE_HOME", str(folder / "home"))
        db = new_database(folder)
        try:
            run_to_end(fill_demo(db, "small", 1, "IT", anchor=dt.date(2026, 3, 15)))
            yield db
        finally:
            db.close()


def _sort_value(column: SortColumn) -> Callable[[FamilyRow], Any]:
    values: dict[SortColumn, Callable[[FamilyRow], Any]] = {
        SortColumn.REFERENCE: lambda row: row.reference,
        SortColumn.CHILDREN: lambda row: row.children,
        SortColumn.STATUS: lambda row: not row.is_open,
        SortColumn.OPENED: lambda row: row.opened_on,
        SortColumn.CASEWORKER: lambda row: (row.caseworker == "", row.caseworker.lower()),
    }
    return values[column]


@pytest.mark.parametrize(
    "column",
    [
        SortColumn.REFERENCE,
        SortColumn.CHILDREN,
        SortColumn.STATUS,
        SortColumn.OPENED,
        SortColumn.CASEWORKER,
    ],
)
def test_demo_rows_come_in_the_order_asked(demo: Database, column: SortColumn) -> None:
    with demo.session() as session:
        everything = family_list.family_ids(session)
        for descending in (False, True):
            keys = family_list.family_ids(session, sort=SortKey(column, descending))
            assert sorted(keys) == sorted(everything)
            rows = [_row(row) for row in family_list.family_rows(session, keys)]
            values = [_sort_value(column)(row) for row in rows]
            assert values == sorted(values, reverse=descending)


def test_demo_search_finds_a_child_by_family_name(demo: Database) -> None:
    with demo.session() as session:
        name, family = session.execute(
            select(Child.last_name, Child.family_id)
            .join(Family, Family.id == Child.family_id)
            .where(
                Child.last_name.is_not(None),
                Child.deleted_at.is_(None),
                Family.deleted_at.is_(None),
            )
            .order_by(Child.reference)
            .limit(1)
        ).one()
        found = family_list.family_ids(session, FamilyFilter(text=name[:3].upper()))
    assert family in {family_list.family_uuid(key) for key in found}
