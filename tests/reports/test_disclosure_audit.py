"""The disclosure audit: how closely a reader can bound each suppressed cell of a return."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cope_desktop.reports.audit import Auditor, AuditResult, audit
from cope_desktop.reports.model import TOTAL, Cell, Relation, Table, TableSet

# --- tables written by hand ---------------------------------------------------------------


def grid(rows: list[list[int]], table_id: str = "t") -> TableSet:
    """A two-way table of head counts ``r0..`` x ``c0..`` with every total and relation."""
    tables = TableSet({})
    row_ids = [f"r{i}" for i in range(len(rows))]
    column_ids = [f"c{j}" for j in range(len(rows[0]))]
    table = Table(table_id, ("row", "column"), {"row": tuple(row_ids), "column": tuple(column_ids)})
    tables.tables[table_id] = table

    def add(coords: tuple[str, str], value: int) -> Cell:
        table.cells[coords] = Cell(table_id, coords, value)
        return table.cells[coords]

    inner = {
        (r, c): add((r, c), rows[i][j])
        for i, r in enumerate(row_ids)
        for j, c in enumerate(column_ids)
    }
    row_totals = [add((r, TOTAL), sum(rows[i])) for i, r in enumerate(row_ids)]
    column_totals = [add((TOTAL, c), sum(row[j] for row in rows)) for j, c in enumerate(column_ids)]
    grand = add((TOTAL, TOTAL), sum(map(sum, rows)))
    for r, total in zip(row_ids, row_totals, strict=True):
        tables.relations.append(sum_of(total, [inner[r, c] for c in column_ids]))
    for c, total in zip(column_ids, column_totals, strict=True):
        tables.relations.append(sum_of(total, [inner[r, c] for r in row_ids]))
    tables.relations.append(sum_of(grand, row_totals))
    tables.relations.append(sum_of(grand, column_totals))
    return tables


def line(
    table_id: str, values: dict[str, int | float], headcount: bool = True, total: bool = True
) -> TableSet:
    """A one-way table (``table_id/<name>``) with its total ``table_id/*`` when asked."""
    table = Table(table_id, ("item",), {"item": tuple(values)})
    for name, number in values.items():
        table.cells[(name,)] = Cell(table_id, (name,), number, headcount=headcount)
    tables = TableSet({table_id: table})
    if total:
        parts = list(table.cells.values())
        if all(isinstance(v, int) for v in values.values()):
            value: int | float = sum(int(v) for v in values.values())
        else:
            value = round(sum(float(v) for v in values.values()), 1)
        table.cells[(TOTAL,)] = Cell(table_id, (TOTAL,), value, headcount=headcount)
        tables.relations.append(sum_of(table.cells[(TOTAL,)], parts))
    return tables


def sum_of(total: Cell, parts: list[Cell]) -> Relation:
    return Relation(((total.id, 1), *((part.id, -1) for part in parts)))


def merge(*sets: TableSet) -> TableSet:
    merged = TableSet({})
    for tables in sets:
        merged.tables.update(tables.tables)
        merged.relations.extend(tables.relations)
    return merged


def hide(tables: TableSet, *ids: str) -> TableSet:
    for cell_id in ids:
        tables.cell(cell_id).suppressed = True
    return tables


def failed(result: AuditResult) -> list[str]:
    return [failure.cell_id for failure in result.failures]


# --- known weaknesses ---------------------------------------------------------------------


def test_nothing_suppressed_passes() -> None:
    result = audit(grid([[1, 2], [3, 4]]), 5)
    assert result == AuditResult(True, {}, [])


def test_lone_suppressed_cell_in_a_row_with_its_total_is_pinned() -> None:
    tables = hide(line("t", {"a": 2, "b": 10}), "t/a")
    result = audit(tables, 5)
    assert not result.ok
    assert result.bounds == {"t/a": (2, 2)}
    assert [(f.cell_id, f.lo, f.hi) for f in result.failures] == [("t/a", 2, 2)]


def test_two_cells_of_one_row_are_pinned_by_their_column_totals() -> None:
    tables = hide(grid([[2, 7], [8, 9]]), "t/r0/c0", "t/r0/c1")
    result = audit(tables, 5)
    assert result.bounds == {"t/r0/c0": (2, 2), "t/r0/c1": (7, 7)}
    assert failed(result) == ["t/r0/c0", "t/r0/c1"]


def test_a_rectangle_of_four_cells_with_every_total_published_passes() -> None:
    # a + b = 21, c + d = 27, a + c = 16, b + d = 32: a = 1 + t, b = 20 - t, c = 15 - t,
    # d = 12 + t, and every cell at least 1 gives 0 <= t <= 14.
    tables = grid([[1, 20, 30], [15, 12, 40], [10, 10, 10]])
    hide(tables, "t/r0/c0", "t/r0/c1", "t/r1/c0", "t/r1/c1")
    result = audit(tables, 5)
    assert result.ok
    assert result.failures == []
    assert result.bounds == {
        "t/r0/c0": (1, 15),
        "t/r0/c1": (6, 20),
        "t/r1/c0": (1, 15),
        "t/r1/c1": (12, 26),
    }


def test_two_small_cells_adding_up_to_less_than_k_are_narrowed() -> None:
    # a + b = 24 - 20 = 4, both at least 1: each is known to be 1, 2 or 3.
    tables = hide(line("t", {"a": 1, "b": 3, "c": 20}), "t/a", "t/b")
    result = audit(tables, 5)
    assert result.bounds == {"t/a": (1, 3), "t/b": (1, 3)}
    assert failed(result) == ["t/a", "t/b"]
    # With k = 3 the same interval reaches k: nothing is given away.
    assert audit(tables, 3).ok


def test_an_interval_that_reaches_k_is_not_narrowed() -> None:
    tables = hide(line("t", {"a": 1, "b": 5, "c": 20}), "t/a", "t/b")
    result = audit(tables, 5)
    assert result.bounds == {"t/a": (1, 5), "t/b": (1, 5)}
    assert result.ok


def test_the_same_count_published_in_another_table_pins_it() -> None:
    one = hide(line("one", {"p": 3, "q": 40}), "one/p", "one/*")
    two = line("two", {"p": 3, "r": 12})
    assert audit(merge(one, two), 5).bounds == {"one/p": (1, math.inf), "one/*": (41, math.inf)}

    linked = merge(one, two)
    linked.relations.append(Relation((("one/p", 1), ("two/p", -1))))
    result = audit(linked, 5)
    assert result.bounds == {"one/p": (3, 3), "one/*": (43, 43)}
    assert failed(result) == ["one/*", "one/p"]


def activities(distinct: int, attendances: int) -> TableSet:
    table = Table("a", ("measure",), {"measure": ("distinct", "attendances")})
    table.cells[("distinct",)] = Cell("a", ("distinct",), distinct)
    table.cells[("attendances",)] = Cell("a", ("attendances",), attendances)
    return TableSet({"a": table}, [Relation((("a/distinct", 1), ("a/attendances", -1)), "le")])


def test_a_distinct_count_at_most_one_published_attendance_is_pinned() -> None:
    result = audit(hide(activities(1, 1), "a/distinct"), 5)
    assert result.bounds == {"a/distinct": (1, 1)}
    assert failed(result) == ["a/distinct"]


def test_a_distinct_count_below_a_small_published_attendance_is_narrowed() -> None:
    result = audit(hide(activities(2, 3), "a/distinct"), 5)
    assert result.bounds == {"a/distinct": (1, 3)}
    assert failed(result) == ["a/distinct"]


def test_an_attendance_count_above_a_published_distinct_count_is_only_bounded_below() -> None:
    result = audit(hide(activities(7, 9), "a/attendances"), 5)
    assert result.bounds == {"a/attendances": (7, math.inf)}
    assert result.ok


def test_hours_pinned_by_their_total() -> None:
    tables = hide(line("h", {"a": 2.5, "b": 10.0}, headcount=False), "h/a")
    result = audit(tables, 5)
    assert result.bounds == {"h/a": (2.5, 2.5)}
    assert failed(result) == ["h/a"]


def test_two_hidden_hours_may_be_anything_from_zero_to_their_sum() -> None:
    tables = hide(line("h", {"a": 2.5, "b": 10.0, "c": 4.2}, headcount=False), "h/a", "h/b")
    result = audit(tables, 5)
    assert result.bounds == {"h/a": (0.0, 12.5), "h/b": (0.0, 12.5)}
    assert result.ok


def test_hours_one_tenth_apart_are_not_pinned() -> None:
    tables = hide(line("h", {"a": 0.1, "b": 0.0, "c": 3.0}, headcount=False), "h/a", "h/b")
    result = audit(tables, 5)
    assert result.bounds == {"h/a": (0.0, 0.1), "h/b": (0.0, 0.1)}
    assert result.ok


def test_a_count_with_its_total_hidden_too_has_no_upper_bound() -> None:
    tables = hide(line("t", {"a": 2, "b": 10}), "t/a", "t/*")
    result = audit(tables, 5)
    assert result.bounds == {"t/a": (1, math.inf), "t/*": (11, math.inf)}
    assert result.ok


def test_a_cell_in_no_relation_is_safe() -> None:
    tables = hide(line("t", {"a": 2, "b": 10}, total=False), "t/a")
    assert audit(tables, 5) == AuditResult(True, {"t/a": (1, math.inf)}, [])


def test_whole_numbers_narrow_more_than_fractions_would() -> None:
    # 2a = total - published: with a whole, a = 3 exactly; two halves would not pin it.
    tables = line("t", {"a": 3, "b": 10})
    tables.relations[0] = Relation((("t/*", 1), ("t/a", -2), ("t/b", -1)))
    tables.cell("t/*").value = 16
    result = audit(hide(tables, "t/a", "t/b"), 5)
    # 2a + b = 16, a >= 1, b >= 1: a in 1..7, b in 2..14 even.
    assert result.bounds == {"t/a": (1, 7), "t/b": (2, 14)}


def test_figures_that_break_a_relation_are_refused() -> None:
    tables = line("t", {"a": 2, "b": 10})
    tables.cell("t/*").value = 13
    with pytest.raises(ValueError, match="does not hold"):
        audit(tables, 5)


# --- against brute force ------------------------------------------------------------------


@st.composite
def small_grids(draw: st.DrawFn) -> tuple[TableSet, int]:
    """A 2x2 or 2x3 grid of small counts with up to four hidden non-zero cells."""
    columns = draw(st.integers(2, 3))
    rows = [[draw(st.integers(0, 4)) for _ in range(columns)] for _ in range(2)]
    tables = grid(rows)
    choices = sorted(
        cell.id for cell in tables.all_cells() if cell.value != 0 and cell.coords != (TOTAL, TOTAL)
    )
    if choices:
        hidden = draw(st.lists(st.sampled_from(choices), unique=True, max_size=4))
        hide(tables, *hidden)
    return tables, draw(st.integers(3, 6))


def brute_force_bounds(tables: TableSet) -> dict[str, tuple[float, float]]:
    """Every whole-number assignment of the hidden cells from 1 to the grand total."""
    hidden = tables.suppressed_ids()
    if not hidden:
        return {}
    grand = int(tables.cell("t/*/*").value)
    axes = np.meshgrid(*[np.arange(1, grand + 1)] * len(hidden), indexing="ij")
    values = {cid: axis.ravel() for cid, axis in zip(hidden, axes, strict=True)}
    feasible = np.ones(axes[0].size, dtype=bool)
    for relation in tables.relations:
        total = sum(
            coef * values[cid] if cid in values else coef * tables.cell(cid).value
            for cid, coef in relation.terms
        )
        feasible &= np.asarray(total) == 0
    return {
        cid: (int(values[cid][feasible].min()), int(values[cid][feasible].max())) for cid in hidden
    }


@settings(max_examples=60, deadline=None)
@given(small_grids())
def test_bounds_are_those_found_by_trying_every_value(case: tuple[TableSet, int]) -> None:
    tables, threshold = case
    result = audit(tables, threshold)
    assert result.bounds == brute_force_bounds(tables)
    auditor = Auditor(tables, threshold)
    assert auditor.failing() == failed(result)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), min_size=4, max_size=4), min_size=4, max_size=4),
    st.data(),
    st.integers(3, 10),
)
def test_the_quick_check_finds_exactly_the_failures_of_the_full_audit(
    rows: list[list[int]], data: st.DataObject, threshold: int
) -> None:
    tables = grid(rows)
    choices = sorted(cell.id for cell in tables.all_cells() if cell.value != 0)
    if choices:
        hide(tables, *data.draw(st.lists(st.sampled_from(choices), unique=True, max_size=10)))
    expected = failed(audit(tables, threshold))
    assert Auditor(tables, threshold).failing() == expected


def test_the_components_are_the_hidden_cells_linked_by_relations() -> None:
    tables = grid([[5, 6, 7], [8, 9, 10], [11, 12, 13]])
    hide(tables, "t/r0/c0", "t/r0/c1", "t/r2/c2", "t/r2/*")
    assert Auditor(tables, 5).components() == [
        ["t/r0/c0", "t/r0/c1"],
        ["t/r2/*", "t/r2/c2"],
    ]


def test_every_pair_of_hidden_cells_in_a_relation_is_in_one_component() -> None:
    tables = grid([[5, 6, 7], [8, 9, 10], [11, 12, 13]])
    hide(tables, "t/r0/c0", "t/r1/c1", "t/r0/c1", "t/r1/c0", "t/*/c2")
    groups = Auditor(tables, 5).components()
    where = {cid: n for n, group in enumerate(groups) for cid in group}
    for relation in tables.relations:
        hidden = [cid for cid, _coef in relation.terms if cid in where]
        for first, second in itertools.pairwise(hidden):
            assert where[first] == where[second]
