"""Disclosure control of the network return: primary and secondary suppression."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cope_desktop.errors import UserInputError
from cope_desktop.reports import categories as cat
from cope_desktop.reports.audit import audit
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import protect
from cope_desktop.reports.model import ActivityFigures, GameFigures, RawFigures, TableSet

GAME = "game_with_mum_and_dad"


def figures() -> RawFigures:
    """A small organisation's year with a few small counts among larger ones."""
    return RawFigures(
        families_new=52,
        families_continuing=40,
        children={
            ("0-4", "female"): 2,
            ("0-4", "male"): 40,
            ("0-4", "other"): 40,
            ("5-9", "female"): 50,
            ("5-9", "male"): 60,
            ("5-9", "other"): 60,
        },
        relatives={
            ("father", "sentenced"): 30,
            ("father", "pre_trial"): 12,
            ("mother", "sentenced"): 9,
            ("mother", "pre_trial"): 1,
        },
        activities={
            "prison_visit": ActivityFigures(20, 100, 40, 30, 1200),
            "family_day": ActivityFigures(2, 3, 3, 2, 300),
            GAME: ActivityFigures(6, 4, 4, 3, 360),
            "support_group": ActivityFigures(12, 60, 20, 15, 1440),
        },
        game=GameFigures(
            events=6,
            prisons=2,
            child_attendances=4,
            distinct_children=4,
            imprisoned_parents=3,
            caregivers=5,
        ),
        services={"information_advice": (12, 20), "emotional_support": (2, 4)},
        referrals={"self": 30, "school": 20, "prison": 2},
        feedback={
            ("prison_visit", "positive"): 30,
            ("prison_visit", "neutral"): 10,
            ("prison_visit", "negative"): 6,
            (GAME, "positive"): 3,
        },
    )


def protected(threshold: int = 5, preferred: tuple[str, ...] = ()) -> TableSet:
    tables = build_tables(figures())
    protect(tables, threshold, preferred)
    return tables


def hidden_in(tables: TableSet, table_id: str) -> set[str]:
    return {cell.id for cell in tables.tables[table_id].cells.values() if cell.suppressed}


def pattern(tables: TableSet) -> list[tuple[str, bool]]:
    return [(cell.id, cell.primary) for cell in tables.all_cells() if cell.suppressed]


def assert_protected(tables: TableSet, threshold: int) -> None:
    """What R7 asks: no published count below k, no hidden cell recoverable."""
    for cell in tables.all_cells():
        if cell.headcount and not cell.suppressed:
            assert cell.value == 0 or cell.value >= threshold, cell.id
        if cell.headcount and cell.value == 0:
            assert not cell.suppressed, cell.id
        if cell.follows is not None and tables.cell(cell.follows).suppressed:
            assert cell.suppressed, cell.id
    result = audit(tables, threshold)
    assert result.ok, result.failures


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_no_count_below_k_is_published_and_nothing_hidden_can_be_worked_out(
    threshold: int,
) -> None:
    assert_protected(protected(threshold), threshold)


def test_primary_cells_are_the_small_counts_and_the_measures_that_describe_them() -> None:
    tables = protected(5)
    primary = {cell.id for cell in tables.all_cells() if cell.primary}
    assert primary == {
        "children_by_age_sex/0-4/female",
        "imprisoned_relatives/mother/pre_trial",
        "activities/family_day/sessions",
        "activities/family_day/child_attendances",
        "activities/family_day/distinct_children",
        "activities/family_day/distinct_relatives",
        "activities/family_day/hours",
        f"activities/{GAME}/sessions",
        f"activities/{GAME}/child_attendances",
        f"activities/{GAME}/distinct_children",
        f"activities/{GAME}/distinct_relatives",
        f"activities/{GAME}/hours",
        f"{GAME}/events",
        f"{GAME}/prisons",
        f"{GAME}/child_attendances",
        f"{GAME}/distinct_children",
        f"{GAME}/imprisoned_parents",
        f"{GAME}/feedback_positive",
        "support_services/emotional_support/distinct_families",
        "support_services/emotional_support/distinct_children",
        "referral_sources/prison",
        f"child_feedback/{GAME}/positive",
        f"child_feedback/{GAME}/*",
    }
    assert all(tables.cell(cid).suppressed for cid in primary)


def test_zeros_stay_published() -> None:
    tables = protected(5)
    assert not tables.cell("children_by_age_sex/0-4/not_stated").suppressed
    assert not tables.cell(f"child_feedback/{GAME}/neutral").suppressed
    assert tables.cell("children_by_age_sex/18+/*").value == 0
    assert not tables.cell("children_by_age_sex/18+/*").suppressed


def test_a_small_cell_is_hidden_with_the_fewest_cells_that_protect_it() -> None:
    # 2 in a row of 2 + 40 + 40 = 82 could be worked out from the row total: a second cell
    # of its row is hidden, and a rectangle of four cells closes every row and column.
    tables = protected(5)
    assert hidden_in(tables, "children_by_age_sex") == {
        "children_by_age_sex/0-4/female",
        "children_by_age_sex/0-4/male",
        "children_by_age_sex/5-9/female",
        "children_by_age_sex/5-9/male",
    }
    assert audit(tables, 5).bounds["children_by_age_sex/0-4/female"] == (1, 41)


def test_a_small_cell_in_a_list_with_its_total_gets_a_second_suppression() -> None:
    tables = protected(5)
    assert hidden_in(tables, "referral_sources") == {
        "referral_sources/prison",
        "referral_sources/school",
    }
    assert not tables.cell("referral_sources/*").suppressed


def test_a_count_published_in_two_tables_is_hidden_in_both() -> None:
    tables = protected(5)
    for first, second in [
        (f"{GAME}/child_attendances", f"activities/{GAME}/child_attendances"),
        (f"{GAME}/feedback_positive", f"child_feedback/{GAME}/positive"),
        (f"{GAME}/events", f"activities/{GAME}/sessions"),
    ]:
        assert tables.cell(first).suppressed and tables.cell(second).suppressed
    for relation in tables.relations:
        if relation.kind == "eq" and len(relation.terms) == 2:
            (first, _), (second, _) = relation.terms
            assert tables.cell(first).suppressed == tables.cell(second).suppressed


def test_sessions_and_hours_are_hidden_with_their_children() -> None:
    tables = protected(5)
    for measure in ("sessions", "hours"):
        assert tables.cell(f"activities/family_day/{measure}").suppressed
        assert tables.cell(f"activities/{GAME}/{measure}").suppressed
    assert tables.cell(f"{GAME}/events").suppressed
    assert tables.cell(f"{GAME}/prisons").suppressed


def test_a_threshold_below_three_is_refused() -> None:
    tables = build_tables(figures())
    with pytest.raises(UserInputError, match="at least 3"):
        protect(tables, 2)
    assert not any(cell.suppressed for cell in tables.all_cells())


def test_a_higher_threshold_hides_more() -> None:
    at_three, at_five = protected(3), protected(5)
    cell = "support_services/emotional_support/distinct_children"  # 4 children
    assert not at_three.cell(cell).suppressed
    assert at_five.cell(cell).suppressed
    assert at_three.suppressed_ids() != at_five.suppressed_ids()
    assert_protected(at_three, 3)


def test_last_years_pattern_is_chosen_where_it_protects_as_well() -> None:
    last_year = ("children_by_age_sex/0-4/other", "children_by_age_sex/5-9/other")
    tables = protected(5, last_year)
    assert hidden_in(tables, "children_by_age_sex") == {
        "children_by_age_sex/0-4/female",
        "children_by_age_sex/0-4/other",
        "children_by_age_sex/5-9/female",
        "children_by_age_sex/5-9/other",
    }
    assert_protected(tables, 5)


def test_the_same_figures_always_give_the_same_pattern() -> None:
    first, second = protected(5), protected(5)
    assert pattern(first) == pattern(second)
    protect(first, 5)
    assert pattern(first) == pattern(second)


def test_a_return_with_only_small_counts_is_still_protected() -> None:
    raw = RawFigures(
        families_new=3,
        families_continuing=1,
        children={("5-9", "female"): 2, ("10-14", "male"): 1, ("unknown", "unknown"): 1},
        activities={"prison_visit": ActivityFigures(1, 2, 2, 1, 90)},
        referrals={"self": 2, "unknown": 1},
        feedback={("prison_visit", "positive"): 2},
    )
    tables = build_tables(raw)
    protect(tables, 5)
    assert_protected(tables, 5)
    assert tables.cell("families/*").suppressed  # 4 families in all


# --- random returns -----------------------------------------------------------------------


def counts(threshold: int) -> st.SearchStrategy[int]:
    """Zeros, counts below k and larger counts, in about equal measure."""
    return st.one_of(st.just(0), st.integers(1, threshold - 1), st.integers(threshold, 400))


@st.composite
def returns(draw: st.DrawFn) -> tuple[RawFigures, int]:
    threshold = draw(st.integers(3, 10))
    count = counts(threshold)
    children = {
        (band, sex): draw(count)
        for band in cat.AGE_BANDS
        for sex in cat.SEXES
        if draw(st.booleans())
    }
    relatives = {
        (r, c): draw(count)
        for r in cat.RELATIONSHIP_GROUPS
        for c in cat.CUSTODY_AT_END
        if draw(st.booleans())
    }
    activities = {}
    for kind in draw(st.lists(st.sampled_from(cat.ACTIVITY_TYPES), unique=True, max_size=6)):
        attendances = draw(count)
        activities[kind] = ActivityFigures(
            sessions=draw(st.integers(0, 60)),
            child_attendances=attendances,
            distinct_children=draw(st.integers(0, attendances)),
            distinct_relatives=draw(count),
            minutes=draw(st.integers(0, 6000)),
        )
    game_row = activities.get(GAME, ActivityFigures())
    game = GameFigures(
        events=game_row.sessions,
        prisons=draw(st.integers(0, 5)),
        child_attendances=game_row.child_attendances,
        distinct_children=game_row.distinct_children,
        imprisoned_parents=game_row.distinct_relatives,
        caregivers=draw(count),
    )
    feedback = {
        (kind, rating): draw(count)
        for kind in cat.ACTIVITY_TYPES
        for rating in cat.RATINGS
        if draw(st.integers(0, 3)) == 0
    }
    referrals = {source: draw(count) for source in cat.REFERRAL_SOURCES if draw(st.booleans())}
    services = {
        kind: (draw(count), draw(count)) for kind in cat.SERVICE_TYPES if draw(st.booleans())
    }
    raw = RawFigures(
        families_new=sum(referrals.values()),
        families_continuing=draw(count),
        children=children,
        relatives=relatives,
        activities=activities,
        game=game,
        services=services,
        referrals=referrals,
        feedback=feedback,
    )
    return raw, threshold


@settings(max_examples=40, deadline=None)
@given(
    returns(),
    st.lists(
        st.sampled_from(sorted(c.id for c in build_tables(RawFigures()).all_cells())), max_size=8
    ),
)
def test_any_return_is_protected(case: tuple[RawFigures, int], preferred: list[str]) -> None:
    raw, threshold = case
    tables = build_tables(raw)
    protect(tables, threshold, preferred)
    assert_protected(tables, threshold)
    again = build_tables(raw)
    protect(again, threshold, preferred)
    assert pattern(again) == pattern(tables)
