"""The counting rules of REPORT-SPEC.md, on small datasets whose right answers are written here."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from reports_support import Rows
from service_support import Users, add_prison
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from cope_desktop.db.enums import (
    ActivityType,
    CustodyStatus,
    Rating,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)
from cope_desktop.reports import queries
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.model import ActivityFigures, GameFigures
from cope_desktop.reports.period import Period

Y2023 = Period.year(2023)
D = dt.date
GAME = ActivityType.GAME_WITH_MUM_AND_DAD


@pytest.fixture
def rows(session: Session) -> Rows:
    return Rows(session)


def test_families_open_on_a_day_of_the_period_are_new_or_continuing(
    session: Session, rows: Rows
) -> None:
    rows.family(D(2022, 5, 1))  # continuing: still open
    rows.family(D(2022, 1, 1), D(2023, 1, 1))  # continuing: closed on the first day
    rows.family(D(2022, 1, 1), D(2022, 12, 31))  # closed the day before: not supported
    rows.family(D(2023, 12, 31), referral=ReferralSource.SCHOOL)  # new: opened on the last day
    rows.family(D(2023, 3, 1), D(2023, 4, 1))  # new, closed within the period
    rows.family(D(2024, 1, 1), referral=ReferralSource.SELF)  # opened after the end
    rows.family(D(2023, 2, 1), referral=ReferralSource.SCHOOL, deleted=True)

    raw = queries.count_figures(session, Y2023)

    assert (raw.families_new, raw.families_continuing) == (2, 2)
    assert raw.referrals == {"school": 1, "unknown": 1}


def test_referrals_count_new_families_only(session: Session, rows: Rows) -> None:
    rows.family(D(2022, 5, 1), referral=ReferralSource.PRISON)
    rows.family(D(2023, 5, 1), referral=ReferralSource.PRISON)
    rows.family(D(2023, 6, 1), referral=ReferralSource.PRISON)
    rows.family(D(2023, 7, 1), referral=ReferralSource.OTHER_NGO)

    raw = queries.count_figures(session, Y2023)

    assert raw.referrals == {"prison": 2, "other_ngo": 1}
    assert sum(raw.referrals.values()) == raw.families_new


def test_a_child_counts_when_the_family_and_the_childs_own_support_overlap_the_period(
    session: Session, rows: Rows
) -> None:
    family = rows.family(D(2021, 1, 1))
    rows.child(family, sex=Sex.FEMALE)  # no support dates: supported with the family
    rows.child(family, support_end=D(2022, 12, 31))  # support ended before
    rows.child(family, support_start=D(2024, 1, 1))  # support starts after
    rows.child(family, sex=Sex.MALE, support_start=D(2023, 12, 31))  # starts on the last day
    rows.child(family, sex=Sex.MALE, support_end=D(2023, 1, 1))  # ends on the first day
    rows.child(family, deleted=True)
    rows.child(rows.family(D(2020, 1, 1), D(2022, 6, 1)))  # family no longer supported
    rows.child(rows.family(D(2022, 1, 1), deleted=True))  # family deleted

    raw = queries.count_figures(session, Y2023)

    assert raw.children == {("unknown", "female"): 1, ("unknown", "male"): 2}


def test_age_is_completed_years_on_the_last_day_of_the_period(session: Session, rows: Rows) -> None:
    family = rows.family(D(2020, 1, 1))
    rows.child(family, born=D(2018, 12, 31))  # 5 on the last day
    rows.child(family, born=D(2019, 1, 1))  # 5 the day after: still 4
    rows.child(family, born=D(2005, 12, 31))  # 18 on the last day
    rows.child(family, born=D(2006, 1, 1))  # 17
    rows.child(family, born=D(2013, 6, 15))  # 10
    rows.child(family, born=D(2024, 2, 1))  # born after the period: unknown
    rows.child(family)  # nothing recorded: unknown

    raw = queries.count_figures(session, Y2023)

    assert raw.children == {
        ("5-9", "female"): 1,
        ("0-4", "female"): 1,
        ("18+", "female"): 1,
        ("15-17", "female"): 1,
        ("10-14", "female"): 1,
        ("unknown", "female"): 2,
    }


def test_a_birth_year_alone_is_taken_as_1_july_and_a_month_as_its_first_day(
    session: Session, rows: Rows
) -> None:
    family = rows.family(D(2020, 1, 1))
    rows.child(family, year=2013)  # 1 July 2013: 9 on 30 June 2023
    rows.child(family, year=2013, month=6, sex=Sex.MALE)  # 1 June 2013: 10
    rows.child(family, year=2013, month=7, sex=Sex.OTHER)  # 1 July 2013: 9
    rows.child(family, month=5, sex=Sex.NOT_STATED)  # a month without a year: unknown

    raw = queries.count_figures(session, Period.half(2023, 1))

    assert raw.children == {
        ("5-9", "female"): 1,
        ("10-14", "male"): 1,
        ("5-9", "other"): 1,
        ("unknown", "not_stated"): 1,
    }


def test_a_29_february_birthday_is_reached_on_1_march_in_a_common_year(
    session: Session, rows: Rows
) -> None:
    rows.child(rows.family(D(2020, 1, 1)), born=D(2016, 2, 29))

    before = queries.count_figures(session, Period(D(2021, 1, 1), D(2021, 2, 28)))
    after = queries.count_figures(session, Period(D(2021, 1, 1), D(2021, 3, 1)))

    assert before.children == {("0-4", "female"): 1}
    assert after.children == {("5-9", "female"): 1}


def test_imprisoned_relatives_by_closest_relationship_and_custody_at_the_end(
    session: Session, rows: Rows
) -> None:
    family = rows.family(D(2022, 1, 1))
    anna, ben = rows.child(family), rows.child(family)
    gone = rows.child(family, support_end=D(2022, 6, 30))
    father = rows.relative(family, (anna, Relationship.FATHER), (ben, Relationship.STEP_PARENT))
    rows.custody(father, CustodyStatus.PRE_TRIAL, D(2022, 1, 1))
    rows.custody(father, CustodyStatus.SENTENCED, D(2023, 5, 1))
    rows.custody(father, CustodyStatus.RELEASED, D(2024, 2, 1))  # after the end
    rows.relative(family, (anna, Relationship.MOTHER))  # no custody events: unknown
    sibling = rows.relative(family, (ben, Relationship.SIBLING))
    same_day = dt.datetime(2023, 2, 1, tzinfo=dt.UTC)
    rows.custody(sibling, CustodyStatus.SENTENCED, D(2023, 1, 1), entered=same_day)
    later = same_day + dt.timedelta(hours=1)
    rows.custody(sibling, CustodyStatus.RELEASED, D(2023, 1, 1), entered=later)
    grandmother = rows.relative(
        family, (anna, Relationship.GRANDPARENT), (ben, Relationship.MOTHER)
    )
    rows.custody(grandmother, CustodyStatus.SENTENCED, D(2022, 3, 1))
    rows.custody(grandmother, CustodyStatus.RELEASED, D(2023, 6, 1), deleted=True)
    rows.relative(family, (gone, Relationship.FATHER))  # only a child no longer supported
    rows.relative(family, (anna, Relationship.FATHER), deleted=True)
    unlinked = rows.relative(family)
    rows.link(ben, unlinked, Relationship.FATHER, deleted=True)

    raw = queries.count_figures(session, Y2023)

    assert raw.relatives == {
        ("father", "sentenced"): 1,
        ("mother", "unknown"): 1,
        ("other", "released"): 1,
        ("mother", "sentenced"): 1,
    }


def test_activities_sessions_attendances_distinct_people_and_minutes(
    session: Session, rows: Rows
) -> None:
    family = rows.family(D(2022, 1, 1))
    xavier, yara = rows.child(family), rows.child(family)
    archived = rows.child(family, deleted=True)
    of_deleted_family = rows.child(rows.family(D(2022, 1, 1), deleted=True))
    relative = rows.relative(family, (xavier, Relationship.FATHER))
    caregiver = rows.caregiver(family)

    first = rows.activity(D(2023, 3, 1), minutes=120)
    for person in (xavier, yara, archived, of_deleted_family):
        rows.attend(first, person)
    second = rows.activity(D(2023, 4, 1), minutes=90)
    rows.attend(second, xavier)
    rows.attend(second, yara, deleted=True)
    rows.attend(second, relative)
    rows.attend(second, caregiver)
    rows.anonymous(second, 3)
    rows.anonymous(second, 4, adults=True)
    rows.activity(D(2023, 5, 1))  # no duration, nobody recorded
    rows.attend(rows.activity(D(2023, 6, 1), deleted=True), xavier)
    rows.attend(rows.activity(D(2024, 1, 1)), xavier)
    rows.activity(D(2023, 12, 31), ActivityType.HELPLINE, minutes=15)

    raw = queries.count_figures(session, Y2023)

    assert raw.activities == {
        "family_day": ActivityFigures(
            sessions=3, child_attendances=6, distinct_children=2, distinct_relatives=1, minutes=210
        ),
        "helpline": ActivityFigures(sessions=1, minutes=15),
    }


def test_the_game_table_repeats_the_game_row_of_the_activities_table(
    session: Session, rows: Rows, prison_id: uuid.UUID
) -> None:
    other_prison = add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
    family = rows.family(D(2022, 1, 1))
    child, sister = rows.child(family), rows.child(family)
    dad = rows.relative(family, (child, Relationship.FATHER), (sister, Relationship.FATHER))
    mum = rows.relative(family, (child, Relationship.MOTHER))
    aunt, grandma = rows.caregiver(family), rows.caregiver(family)
    archived_carer = rows.caregiver(family, deleted=True)

    first = rows.activity(D(2023, 2, 1), GAME, minutes=60, prison_id=prison_id)
    for person in (child, sister, dad, aunt, archived_carer):
        rows.attend(first, person)
    rows.anonymous(first, 2)
    second = rows.activity(D(2023, 3, 1), GAME, minutes=60, prison_id=other_prison)
    for person in (child, dad, mum, grandma):
        rows.attend(second, person)
    rows.activity(D(2023, 4, 1), GAME, prison_id=prison_id)
    rows.attend(rows.activity(D(2023, 4, 2), prison_id=prison_id), aunt)  # not a Game

    raw = queries.count_figures(session, Y2023)

    assert raw.activities[GAME.value] == ActivityFigures(
        sessions=3, child_attendances=5, distinct_children=2, distinct_relatives=2, minutes=120
    )
    assert raw.game == GameFigures(
        events=3,
        prisons=2,
        child_attendances=5,
        distinct_children=2,
        imprisoned_parents=2,
        caregivers=2,
    )
    tables = build_tables(raw)
    assert tables.cell("game_with_mum_and_dad/imprisoned_parents").value == 2


def test_support_services_count_distinct_families_and_children(
    session: Session, rows: Rows
) -> None:
    first, second = rows.family(D(2022, 1, 1)), rows.family(D(2022, 1, 1))
    anna = rows.child(first)
    archived = rows.child(second, deleted=True)
    rows.service(first, ServiceType.INFORMATION_ADVICE, D(2023, 2, 1))
    rows.service(first, ServiceType.INFORMATION_ADVICE, D(2023, 5, 1))
    rows.service(second, ServiceType.INFORMATION_ADVICE, D(2023, 6, 1), child=archived)
    rows.service(first, ServiceType.EMOTIONAL_SUPPORT, D(2023, 3, 1), child=anna)
    rows.service(first, ServiceType.EMOTIONAL_SUPPORT, D(2023, 4, 1), child=anna)
    rows.service(first, ServiceType.SCHOOL_LIAISON, D(2023, 4, 1), deleted=True)
    rows.service(first, ServiceType.REFERRAL, D(2022, 12, 31))
    gone = rows.family(D(2022, 1, 1), deleted=True)
    rows.service(gone, ServiceType.PRACTICAL_HELP, D(2023, 4, 1))

    raw = queries.count_figures(session, Y2023)

    assert raw.services == {"information_advice": (2, 0), "emotional_support": (1, 1)}


def test_feedback_by_activity_type_and_rating(session: Session, rows: Rows) -> None:
    family = rows.family(D(2022, 1, 1))
    child = rows.child(family)
    archived = rows.child(family, deleted=True)
    day = rows.activity(D(2023, 3, 1))
    game = rows.activity(D(2023, 3, 2), GAME)
    rows.feedback(day, Rating.POSITIVE, child=child)
    rows.feedback(day, Rating.POSITIVE)
    rows.feedback(day, Rating.NEUTRAL, child=child, deleted=True)
    rows.feedback(day, Rating.NEGATIVE, child=archived)
    rows.feedback(game, Rating.NEGATIVE, child=child)
    rows.feedback(rows.activity(D(2023, 3, 3), deleted=True), Rating.POSITIVE)
    rows.feedback(rows.activity(D(2022, 3, 3)), Rating.POSITIVE)

    raw = queries.count_figures(session, Y2023)

    assert raw.feedback == {("family_day", "positive"): 2, ("game_with_mum_and_dad", "negative"): 1}
    assert build_tables(raw).cell("game_with_mum_and_dad/feedback_negative").value == 1


def test_prisons_where_activities_took_place_and_their_countries(
    session: Session, rows: Rows, prison_id: uuid.UUID
) -> None:
    fresnes = add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
    closed = add_prison(session, "Old prison", "P3", country="DE", archived=True)
    unused = add_prison(session, "Unused prison", "P4", country="ES")
    for prison in (prison_id, prison_id, fresnes, closed, None):
        rows.activity(D(2023, 5, 1), prison_id=prison)
    rows.activity(D(2023, 5, 1), prison_id=unused, deleted=True)
    rows.activity(D(2024, 5, 1), prison_id=unused)

    raw = queries.count_figures(session, Y2023)

    assert (raw.prison_count, raw.prison_countries) == (2, ["FR", "IT"])


def test_an_empty_database_counts_zero_everywhere(session: Session) -> None:
    raw = queries.count_figures(session, Y2023)

    assert (raw.families_new, raw.families_continuing, raw.prison_count) == (0, 0, 0)
    assert raw.children == raw.relatives == raw.feedback == {}
    assert raw.activities == raw.services == raw.referrals == {}
    assert raw.game == GameFigures()
    assert (raw.quotes, raw.quotes_withheld) == ([], 0)


def executed_statements(session: Session, period: Period) -> list[str]:
    executed: list[str] = []

    def record(*args: object) -> None:
        if str(args[2]).startswith(("SELECT", "WITH")):  # not the BEGIN of the transaction
            executed.append(str(args[2]))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        queries.count_figures(session, period)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return executed


def test_count_figures_runs_exactly_the_published_statements(session: Session, rows: Rows) -> None:
    published = queries.figure_statements(Y2023)
    assert len(executed_statements(session, Y2023)) == len(published) - 1  # no quotes to check

    rows.feedback(rows.activity(D(2023, 3, 1)), quote="Bello!", approved=True)

    # and the look-up of the quotes' words among the names on file
    assert len(executed_statements(session, Y2023)) == len(published) + 1


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()])
def test_the_statements_compile_with_literal_values_for_sqlite_and_postgresql(
    dialect: Dialect,
) -> None:
    for statement in queries.figure_statements(Y2023):
        sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        assert "2023-12-31" in sql or "union" in sql.lower()


def test_internal_breakdowns_by_prison_caseworker_and_month(
    session: Session, rows: Rows, users: Users, prison_id: uuid.UUID
) -> None:
    fresnes = add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
    carla, marco = users.caseworker.id, users.coordinator.id
    older = rows.family(D(2022, 1, 1), caseworker=carla)
    rows.relative(older, prison_id=prison_id)
    newer = rows.family(D(2023, 3, 10), caseworker=carla)
    rows.relative(newer, prison_id=prison_id)
    rows.relative(newer, prison_id=fresnes)
    unassigned = rows.family(D(2023, 3, 20))
    rows.relative(rows.family(D(2023, 1, 5), deleted=True), prison_id=fresnes)
    rows.relative(rows.family(D(2021, 1, 1), D(2022, 1, 1)), prison_id=fresnes)
    first, second = rows.child(older), rows.child(newer)

    visit = rows.activity(D(2023, 3, 5), prison_id=prison_id)
    rows.attend(visit, first)
    rows.anonymous(visit, 2)
    rows.attend(rows.activity(D(2023, 3, 6), prison_id=prison_id), first)
    rows.activity(D(2023, 3, 7))
    rows.attend(rows.activity(D(2023, 7, 1), prison_id=fresnes), second)
    for by in (carla, carla, marco, None):
        rows.service(older, ServiceType.OTHER, D(2023, 4, 1), provided_by=by)
    rows.service(unassigned, ServiceType.OTHER, D(2022, 4, 1), provided_by=marco)

    internal = queries.internal_figures(session, Y2023)

    assert internal.figures == queries.count_figures(session, Y2023)
    by_prison, by_caseworker, by_month = internal.breakdowns
    assert by_prison.measures == (
        "families_supported",
        "activities",
        "child_attendances",
        "distinct_children",
    )
    assert by_prison.rows == (
        ("Casa Circondariale di Bollate (IT)", (2, 2, 4, 1)),
        ("Maison d'arrêt de Fresnes (FR)", (1, 1, 1, 1)),
    )
    assert by_caseworker.measures == ("families_supported", "families_new", "support_services")
    assert by_caseworker.rows == (
        ("Carla Rossi", (2, 1, 2)),
        ("Marco Bianchi", (0, 0, 1)),
        ("Not assigned", (1, 1, 1)),
    )
    assert by_month.measures == (
        "families_new",
        "activities",
        "child_attendances",
        "distinct_children",
    )
    months = dict(by_month.rows)
    assert list(months) == [f"2023-{month:02d}" for month in range(1, 13)]
    assert months["2023-03"] == (2, 3, 4, 1)
    assert months["2023-07"] == (0, 1, 1, 1)
    assert sum(sum(values) for values in months.values()) == 2 + 3 + 4 + 1 + 3


def test_months_of_a_period_that_crosses_a_year(session: Session, rows: Rows) -> None:
    rows.family(D(2023, 12, 31))
    rows.family(D(2024, 1, 31))

    months = queries.internal_figures(session, Period(D(2023, 11, 15), D(2024, 2, 1)))

    assert months.breakdowns[2].rows == (
        ("2023-11", (0, 0, 0, 0)),
        ("2023-12", (1, 0, 0, 0)),
        ("2024-01", (1, 0, 0, 0)),
        ("2024-02", (0, 0, 0, 0)),
    )
