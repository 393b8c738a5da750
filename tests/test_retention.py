"""The retention rule: anonymised cases still count the same in every return; erased ones go.

The figures compared are the internal report's exact figures (``internal_figures``: every
figure of the network return, its approved quotes, and the breakdowns by prison, caseworker
and month) and the return's tables built from them, for every calendar year and half year
from before the first case to after the last.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from retention_support import (
    Marked,
    Roles,
    add_activity,
    add_prison,
    db,
    dump_rows,
    markers_in_file,
    markers_in_rows,
    roles,
    seed_family,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Rating, ReleaseKind, Sex
from cope_desktop.db.models import (
    Activity,
    AuditEvent,
    Child,
    Family,
    Feedback,
    ReleaseLog,
    SyncField,
)
from cope_desktop.progress import run_to_end
from cope_desktop.reports import categories
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries import internal_figures
from cope_desktop.reports.queries_common import _years_before
from cope_desktop.services import retention
from cope_desktop.services.app_settings import PrivacySettings

__all__ = ["db", "roles"]

TODAY = dt.date(2024, 6, 15)
PERIODS = [
    period
    for year in range(2014, 2025)
    for period in (Period.year(year), Period.half(year, 1), Period.half(year, 2))
]


def test_the_coarse_birth_date_gives_the_same_age_band_at_every_period_end() -> None:
    """Every birth day of four years (a leap year among them), every 30 June and 31 December."""
    ends = [
        day for year in range(2000, 2030) for day in (dt.date(year, 6, 30), dt.date(year, 12, 31))
    ]
    born = dt.date(2000, 1, 1)
    while born < dt.date(2004, 1, 1):
        coarse = retention.coarse_birth_date(born)
        for end in ends:
            for lowest, _band in categories.AGE_BAND_LOWER:
                limit = _years_before(end, lowest)
                assert (born <= limit) == (coarse <= limit), (born, end, lowest)
        born += dt.timedelta(days=1)
    assert retention.coarse_birth_date(dt.date(2008, 2, 29)) == dt.date(2008, 1, 1)
    assert retention.coarse_birth_date(dt.date(2010, 6, 30)) == dt.date(2010, 1, 1)
    assert retention.coarse_birth_date(dt.date(2010, 7, 1)) == dt.date(2010, 7, 1)
    assert [retention.coarse_birth_month(m) for m in (None, 1, 6, 7, 12)] == [None, 1, 1, 7, 7]


def seed_years(db: Database, roles: Roles) -> dict[str, Marked]:
    """Five families closed in different years (one still open), with activities in each."""
    specs: list[tuple[str, dt.date, dt.date | None, tuple[dt.date | None, ...], dt.date]] = [
        ("zyxwqone", dt.date(2015, 2, 1), dt.date(2016, 8, 31),
         (dt.date(2008, 2, 29), dt.date(2010, 6, 30)), dt.date(2016, 3, 1)),
        ("zyxwqtwo", dt.date(2017, 9, 10), dt.date(2019, 1, 15),
         (dt.date(2012, 7, 1), dt.date(2013, 12, 31)), dt.date(2018, 7, 2)),
        ("zyxwqthree", dt.date(2019, 5, 5), dt.date(2022, 6, 15),
         (dt.date(2016, 1, 1), dt.date(2006, 6, 30)), dt.date(2021, 11, 11)),
        ("keepfour", dt.date(2020, 1, 10), dt.date(2022, 6, 16),
         (dt.date(2014, 7, 15),), dt.date(2022, 2, 2)),
        ("keepfive", dt.date(2021, 3, 3), None, (dt.date(2018, 9, 9),), dt.date(2023, 5, 5)),
    ]  # fmt: skip
    seeded: dict[str, Marked] = {}
    with db.session() as session:
        prison = add_prison(session)
        for number, (tag, opened, closed, births, held) in enumerate(specs, start=1):
            activity = add_activity(session, f"A-{number}", held, prison)
            seeded[tag] = seed_family(
                session,
                tag,
                prison_id=prison,
                activity_id=activity,
                opened=opened,
                closed=closed,
                births=births,
                caseworker=roles.caseworker.id,
            )
        one, two = seeded["zyxwqone"], seeded["zyxwqtwo"]
        session.add_all(
            [
                Child(
                    family_id=one.family_id,
                    reference="zyxwqoneyearonly",
                    first_name="zyxwqoneyearonlyname",
                    birth_year=2010,
                    sex=Sex.OTHER,
                ),
                Child(
                    family_id=two.family_id,
                    reference="zyxwqtwoyearmonth",
                    birth_year=2011,
                    birth_month=9,
                    sex=Sex.MALE,
                ),
            ]
        )
        one.markers += ["zyxwqoneyearonly", "zyxwqoneyearonlyname"]
        two.markers.append("zyxwqtwoyearmonth")
        activity = session.scalars(select(Activity.id).where(Activity.reference == "A-1")).one()
        session.add(
            Feedback(
                activity_id=activity,
                child_id=one.children[0],
                rating=Rating.NEGATIVE,
                quote="The games were wonderful",
                quote_approved=True,
            )
        )
        session.add(
            ReleaseLog(
                kind=ReleaseKind.NETWORK_RETURN,
                period_start=dt.date(2018, 1, 1),
                period_end=dt.date(2018, 12, 31),
                file_format="json",
                file_name="network-return-2018.json",
            )
        )
    return seeded


def figures(db: Database) -> dict[Period, tuple[Any, Any]]:
    with db.session() as session:
        found = {}
        for period in PERIODS:
            internal = internal_figures(session, period)
            found[period] = (internal, build_tables(internal.figures))
        return found


def family_ids(cases: list[retention.RetentionCase]) -> list[uuid.UUID]:
    return [case.family_id for case in cases]


def test_anonymising_keeps_every_figure_of_every_period(db: Database, roles: Roles) -> None:
    seeded = seed_years(db, roles)
    before = figures(db)
    assert sum(raw.figures.families_new for raw, _tables in before.values()) > 0
    assert any(raw.figures.quotes for raw, _tables in before.values())
    settings = PrivacySettings(anonymise_after_years=2)
    with db.session() as session:
        preview = retention.preview(session, roles.admin, settings, TODAY)
    anonymised = ["zyxwqone", "zyxwqtwo", "zyxwqthree"]
    assert family_ids(preview.to_anonymise) == [seeded[t].family_id for t in anonymised]
    assert preview.to_erase == []
    assert preview.anonymise_before == dt.date(2022, 6, 15)
    assert preview.counts["anonymise_children"] == 8
    assert preview.counts["case_notes"] == 3

    result = run_to_end(retention.apply(db, roles.admin, settings, TODAY))

    assert (result.anonymised, result.erased, result.stopped) == (3, 0, False)
    assert figures(db) == before
    gone = [m for tag in anonymised for m in seeded[tag].markers]
    kept = [m for tag in ("keepfour", "keepfive") for m in seeded[tag].markers]
    assert markers_in_rows(db, gone) == set()
    assert markers_in_file(db, gone) == set()
    assert markers_in_rows(db, kept) == set(kept)
    with db.session() as session:
        _check_anonymised_values(session, seeded)
        actions = [e.action for e in session.scalars(select(AuditEvent))]
        assert actions.count("anonymise") == 3
        run = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_run")).one()
        assert run.detail == "anonymised=3,erased=0"


def _check_anonymised_values(session: Session, seeded: dict[str, Marked]) -> None:
    one = session.get(Family, seeded["zyxwqone"].family_id)
    assert one is not None and one.anonymised_at is not None
    assert one.reference.startswith("ANON") and len(one.reference) == 12
    births = {
        child.id: (child.birth_date, child.birth_year, child.birth_month)
        for child in session.scalars(select(Child))
    }
    assert births[seeded["zyxwqone"].children[0]][0] == dt.date(2008, 1, 1)
    assert births[seeded["zyxwqtwo"].children[1]][0] == dt.date(2013, 7, 1)
    assert births[seeded["keepfour"].children[0]][0] == dt.date(2014, 7, 15)
    assert sorted(b[1:] for b in births.values() if b[0] is None) == [(2010, None), (2011, 7)]
    four = session.get(Family, seeded["keepfour"].family_id)
    assert four is not None and four.anonymised_at is None
    quotes = [f.quote for f in session.scalars(select(Feedback)) if f.quote]
    assert "The games were wonderful" in quotes


def test_the_preview_says_what_apply_does_and_a_second_run_changes_nothing(
    db: Database, roles: Roles
) -> None:
    seeded = seed_years(db, roles)
    settings = PrivacySettings(anonymise_after_years=2, erase_after_years=5)
    with db.session() as session:
        preview = retention.preview(session, roles.admin, settings, TODAY)
    erased, anonymised = ["zyxwqone", "zyxwqtwo"], ["zyxwqthree"]
    assert family_ids(preview.to_erase) == [seeded[t].family_id for t in erased]
    assert family_ids(preview.to_anonymise) == [seeded[t].family_id for t in anonymised]
    assert [r.period for r in preview.releases] == [Period.year(2018)]
    assert preview.counts["erase_family"] == 2
    assert preview.counts["erase_child"] == 6
    text = " ".join(preview.sentences())
    assert "older than 2 years" in text and "2018" in text
    before = figures(db)

    result = run_to_end(retention.apply(db, roles.admin, settings, TODAY))

    assert (result.anonymised, result.erased) == (1, 2)
    assert result.erased_rows == {
        kind[len("erase_") :]: count
        for kind, count in preview.counts.items()
        if kind.startswith("erase_")
    }
    after = figures(db)
    for period in PERIODS:
        if period.start >= dt.date(2019, 7, 1):
            assert after[period] == before[period], period
    assert after[Period.year(2018)] != before[Period.year(2018)]
    gone = [m for tag in erased + anonymised for m in seeded[tag].markers]
    assert markers_in_rows(db, gone) == set()
    assert markers_in_file(db, gone) == set()
    with db.session() as session:
        assert session.get(Family, seeded["zyxwqone"].family_id) is None
        rows = dump_rows(session, skip=("audit_event",))
        again = retention.preview(session, roles.admin, settings, TODAY)
    assert again.nothing_to_do

    second = run_to_end(retention.apply(db, roles.admin, settings, TODAY))

    assert (second.anonymised, second.erased) == (0, 0)
    with db.session() as session:
        assert dump_rows(session, skip=("audit_event",)) == rows


def test_a_cancelled_run_keeps_the_batches_done_and_says_it_stopped(
    db: Database, roles: Roles, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_years(db, roles)
    monkeypatch.setattr(retention, "BATCH", 1)
    work = retention.apply(db, roles.admin, PrivacySettings(anonymise_after_years=2), TODAY)
    assert next(work).done == 0
    assert next(work).done == 1
    work.close()
    with db.session() as session:
        done = [f for f in session.scalars(select(Family)) if f.anonymised_at is not None]
        assert len(done) == 1
        run = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_run")).one()
        assert run.detail == "anonymised=1,erased=0,stopped"


def test_without_a_rule_nothing_is_touched(db: Database, roles: Roles) -> None:
    seed_years(db, roles)
    with db.session() as session:
        preview = retention.preview(session, roles.admin, PrivacySettings(), TODAY)
    assert not preview.rule_on and preview.nothing_to_do
    assert preview.sentences() == ["No retention rule is set: nothing is anonymised or erased."]


def test_a_name_waiting_in_a_sync_conflict_is_anonymised_too(db: Database, roles: Roles) -> None:
    """A field laptop's other spelling of a name, never resolved, is removed with the name."""
    seeded = seed_years(db, roles)
    child_id = seeded["zyxwqone"].children[0]
    with db.session() as session:
        child = session.get(Child, child_id)
        assert child is not None
        child.last_name = None  # the copy that won cleared the name; the other one spelt it
        session.flush()
        conflict = session.get(SyncField, ("child", child_id, "last_name"))
        assert conflict is not None
        conflict.candidates = [
            {"value": None, "device": str(conflict.device), "counter": conflict.counter},
            {"value": "Zyxwqspelt", "device": str(uuid.uuid4()), "counter": 1},
        ]
    assert markers_in_rows(db, ["zyxwqspelt"]) == {"zyxwqspelt"}

    run_to_end(retention.apply(db, roles.admin, PrivacySettings(anonymise_after_years=2), TODAY))

    assert markers_in_rows(db, ["zyxwqspelt"]) == set()
    assert markers_in_file(db, ["zyxwqspelt"]) == set()
