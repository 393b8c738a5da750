"""The year at a glance: exact figures from 1 January to today."""

from __future__ import annotations

import datetime as dt

from reports_support import Rows
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, Rating, Sex
from cope_desktop.reports.dashboard import Dashboard, year_at_a_glance

D = dt.date


def test_the_year_so_far_counts_up_to_today(session: Session) -> None:
    rows = Rows(session)
    older = rows.family(D(2023, 6, 1))
    rows.child(older, born=D(2015, 1, 1), sex=Sex.MALE)
    newer = rows.family(D(2024, 3, 1))
    child = rows.child(newer, born=D(2020, 8, 1))
    rows.family(D(2024, 6, 16))  # opened after today
    rows.family(D(2022, 1, 1), D(2023, 12, 31))  # closed last year

    day = rows.activity(D(2024, 1, 20))
    rows.attend(day, child)
    rows.anonymous(day, 2)
    rows.feedback(day, Rating.POSITIVE, child=child)
    game = rows.activity(D(2024, 3, 3), ActivityType.GAME_WITH_MUM_AND_DAD)
    rows.attend(game, child)
    rows.feedback(game, Rating.POSITIVE)
    rows.feedback(game, Rating.NEUTRAL)
    rows.attend(rows.activity(D(2024, 6, 16)), child)  # tomorrow
    rows.activity(D(2023, 12, 31))  # last year

    dashboard = year_at_a_glance(session, 2024, D(2024, 6, 15))

    assert dashboard == Dashboard(
        year=2024,
        families_supported=2,
        families_new=1,
        children_supported=2,
        activities=2,
        child_attendances=4,
        children_by_age_sex={("5-9", "male"): 1, ("0-4", "female"): 1},
        activities_by_type={"family_day": 1, "game_with_mum_and_dad": 1},
        feedback={"positive": 2, "neutral": 1},
        by_month=[(1, 1, 3), (2, 0, 0), (3, 1, 1), (4, 0, 0), (5, 0, 0), (6, 0, 0)],
    )


def test_a_past_year_is_shown_whole_and_a_future_year_is_empty(session: Session) -> None:
    rows = Rows(session)
    rows.family(D(2023, 11, 5))
    rows.activity(D(2023, 12, 31))

    past = year_at_a_glance(session, 2023, D(2024, 6, 15))
    future = year_at_a_glance(session, 2025, D(2024, 6, 15))

    assert (past.families_new, past.activities) == (1, 1)
    assert [month for month, _activities, _attended in past.by_month] == list(range(1, 13))
    assert past.by_month[11] == (12, 1, 0)
    assert future == Dashboard(2025)
