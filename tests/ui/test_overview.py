"""The Qt-free summary figures behind the overview pages (cope_desktop.services.overview)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from cope_desktop.db.base import utcnow
from cope_desktop.db.enums import ActivityType, PrisonType
from cope_desktop.db.models import Activity, Attendance
from cope_desktop.services import overview
from cope_desktop.ui.session import SignedIn


def test_family_summary_counts_live_records_only(signed_in: SignedIn) -> None:
    with signed_in.db.session() as session:
        summary = overview.family_summary(session)
    # 12 families on file, one of them deleted (its people no longer count either).
    assert summary.families == 11
    assert (summary.families_open, summary.families_closed) == (9, 2)
    assert summary.children == 17
    assert summary.caregivers == 11
    assert summary.imprisoned_relatives == 11


def test_activity_summary_by_type_dates_and_attendances(signed_in: SignedIn) -> None:
    with signed_in.db.session() as session:
        summary = overview.activity_summary(session)
    assert summary.activities == 20
    assert summary.by_type[ActivityType.PRISON_VISIT] == 8
    assert ActivityType.HELPLINE not in summary.by_type
    assert list(summary.by_type) == [t for t in ActivityType if t in summary.by_type]
    assert summary.first_date == dt.date(2022, 1, 13)
    assert summary.last_date == dt.date(2024, 12, 12)
    # three named children and a head count of two at each activity
    assert summary.attendances == 100


def test_a_deleted_activity_takes_its_attendances_with_it(signed_in: SignedIn) -> None:
    with signed_in.db.session() as session:
        first = session.scalars(select(Activity).order_by(Activity.reference)).first()
        assert first is not None
        session.execute(update(Activity).where(Activity.id == first.id).values(deleted_at=utcnow()))
        named = session.scalars(select(Attendance).where(Attendance.activity_id == first.id)).all()
        assert len(named) == 4
    with signed_in.db.session() as session:
        summary = overview.activity_summary(session)
    assert summary.activities == 19
    assert summary.attendances == 95


def test_prison_rows_count_linked_relatives(signed_in: SignedIn) -> None:
    with signed_in.db.session() as session:
        rows = overview.prison_rows(session)
    by_name = {row.name: row for row in rows}
    assert len(rows) == 5
    assert by_name["Casa Circondariale di Bollate"].imprisoned_relatives == 3
    assert by_name["Centre pénitentiaire de Fresnes"].imprisoned_relatives == 0
    assert by_name["Centre pénitentiaire de Fresnes"].type is PrisonType.MIXED
    assert by_name["Casa Circondariale di Bollate"].country == "IT"
    assert sum(row.imprisoned_relatives for row in rows) == 9


def test_yearly_figures_follow_the_counting_rules(signed_in: SignedIn) -> None:
    with signed_in.db.session() as session:
        years = overview.yearly_figures(session, today=dt.date(2025, 6, 1))
    assert [y.year for y in years] == [2022, 2023, 2024, 2025]
    assert [y.families_new for y in years] == [3, 4, 4, 0]
    assert [y.activities for y in years] == [6, 7, 7, 0]
    # F004 closed in 2023 and F008 in March 2025: both still count in their closing year.
    assert [y.families_supported for y in years] == [3, 7, 10, 10]


def test_an_empty_database_has_no_years(org_db, paths) -> None:  # type: ignore[no-untyped-def]
    from cope_desktop.ui.session import open_signed_in

    session_info = open_signed_in(org_db, "admin", "correct horse battery", paths.backup_dir)
    try:
        with session_info.db.session() as session:
            assert overview.yearly_figures(session) == []
            assert overview.family_summary(session).families == 0
            assert overview.activity_summary(session).first_date is None
            assert overview.cipher_version(session)
    finally:
        session_info.db.close()
