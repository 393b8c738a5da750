"""Lay exact figures out as the tables of the return, with every total and relation.

Every table has all its categories, zeros included, so the shape of a return never depends
on the data. The relations are what anyone reading the return can rely on; disclosure
control must protect suppressed cells against all of them together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cope_desktop.reports import categories as cat
from cope_desktop.reports.model import TOTAL, Cell, Number, RawFigures, Relation, Table, TableSet


def build_tables(raw: RawFigures) -> TableSet:
    """The eight tables of REPORT-SPEC.md for ``raw``, with totals and relations."""
    tables = TableSet({})
    _families(tables, raw)
    _grid(
        tables, "children_by_age_sex", ("age_band", "sex"), (cat.AGE_BANDS, cat.SEXES), raw.children
    )
    _grid(
        tables,
        "imprisoned_relatives",
        ("relationship", "custody_status"),
        (cat.RELATIONSHIP_GROUPS, cat.CUSTODY_AT_END),
        raw.relatives,
    )
    _activities(tables, raw)
    _game(tables, raw)
    _services(tables, raw)
    _referrals(tables, raw)
    _grid(
        tables,
        "child_feedback",
        ("activity_type", "rating"),
        (cat.ACTIVITY_TYPES, cat.RATINGS),
        raw.feedback,
    )
    _cross_table(tables)
    return tables


def hours(minutes: int) -> float:
    """Minutes as hours with one decimal, the precision the return publishes."""
    return round(minutes / 60, 1)


def _new_table(
    tables: TableSet,
    table_id: str,
    dimensions: tuple[str, ...],
    categories: Sequence[tuple[str, ...]],
) -> Table:
    table = Table(table_id, dimensions, dict(zip(dimensions, categories, strict=True)))
    tables.tables[table_id] = table
    return table


def _add(table: Table, coords: tuple[str, ...], value: Number, **kwargs: object) -> Cell:
    cell = Cell(table.id, coords, value, **kwargs)  # type: ignore[arg-type]
    table.cells[coords] = cell
    return cell


def _sum_relation(total: Cell, parts: Sequence[Cell]) -> Relation:
    return Relation(((total.id, 1), *((part.id, -1) for part in parts)))


def _equal(first: str, second: str) -> Relation:
    return Relation(((first, 1), (second, -1)))


def _at_most(smaller: str, larger: str) -> Relation:
    return Relation(((smaller, 1), (larger, -1)), "le")


def _families(tables: TableSet, raw: RawFigures) -> None:
    table = _new_table(tables, "families", ("status",), (cat.FAMILY_STATUSES,))
    parts = [
        _add(table, ("new",), raw.families_new),
        _add(table, ("continuing",), raw.families_continuing),
    ]
    total = _add(table, (TOTAL,), raw.families_new + raw.families_continuing)
    tables.relations.append(_sum_relation(total, parts))


def _grid(
    tables: TableSet,
    table_id: str,
    dimensions: tuple[str, str],
    categories: tuple[tuple[str, ...], tuple[str, ...]],
    values: Mapping[tuple[str, str], int],
) -> None:
    """A two-way table of head counts with row, column and grand totals."""
    rows, columns = categories
    table = _new_table(tables, table_id, dimensions, categories)
    inner = {(r, c): _add(table, (r, c), values.get((r, c), 0)) for r in rows for c in columns}
    row_totals = []
    for r in rows:
        parts = [inner[r, c] for c in columns]
        total = _add(table, (r, TOTAL), sum(int(p.value) for p in parts))
        tables.relations.append(_sum_relation(total, parts))
        row_totals.append(total)
    column_totals = []
    for c in columns:
        parts = [inner[r, c] for r in rows]
        total = _add(table, (TOTAL, c), sum(int(p.value) for p in parts))
        tables.relations.append(_sum_relation(total, parts))
        column_totals.append(total)
    grand = _add(table, (TOTAL, TOTAL), sum(int(t.value) for t in row_totals))
    tables.relations.append(_sum_relation(grand, row_totals))
    tables.relations.append(_sum_relation(grand, column_totals))


def _activities(tables: TableSet, raw: RawFigures) -> None:
    table = _new_table(
        tables,
        "activities",
        ("activity_type", "measure"),
        (cat.ACTIVITY_TYPES, cat.ACTIVITY_MEASURES),
    )
    for kind in cat.ACTIVITY_TYPES:
        row = raw.activities.get(kind)
        people = f"activities/{kind}/child_attendances"
        values: dict[str, Number] = {
            "sessions": row.sessions if row else 0,
            "child_attendances": row.child_attendances if row else 0,
            "distinct_children": row.distinct_children if row else 0,
            "distinct_relatives": row.distinct_relatives if row else 0,
            "hours": hours(row.minutes) if row else 0.0,
        }
        for measure, value in values.items():
            if measure in ("sessions", "hours"):
                _add(table, (kind, measure), value, headcount=False, follows=people)
            else:
                _add(table, (kind, measure), value)
        tables.relations.append(_at_most(f"activities/{kind}/distinct_children", people))
    for measure in cat.ADDITIVE_ACTIVITY_MEASURES:
        parts = [table.cells[kind, measure] for kind in cat.ACTIVITY_TYPES]
        total_value: Number = sum(int(p.value) for p in parts)
        if measure == "hours":
            total_value = round(sum(float(p.value) for p in parts), 1)
        total = _add(table, (TOTAL, measure), total_value, headcount=measure == "child_attendances")
        tables.relations.append(_sum_relation(total, parts))


def _game(tables: TableSet, raw: RawFigures) -> None:
    table = _new_table(tables, "game_with_mum_and_dad", ("measure",), (cat.GAME_MEASURES,))
    game = raw.game
    people = "game_with_mum_and_dad/child_attendances"
    _add(table, ("events",), game.events, headcount=False, follows=people)
    _add(table, ("prisons",), game.prisons, headcount=False, follows=people)
    _add(table, ("child_attendances",), game.child_attendances)
    _add(table, ("distinct_children",), game.distinct_children)
    _add(table, ("imprisoned_parents",), game.imprisoned_parents)
    _add(table, ("caregivers",), game.caregivers)
    for rating in cat.RATINGS:
        value = raw.feedback.get((cat.ActivityType.GAME_WITH_MUM_AND_DAD.value, rating), 0)
        _add(table, (f"feedback_{rating}",), value)
    tables.relations.append(_at_most("game_with_mum_and_dad/distinct_children", people))


def _services(tables: TableSet, raw: RawFigures) -> None:
    table = _new_table(
        tables,
        "support_services",
        ("service_type", "measure"),
        (cat.SERVICE_TYPES, cat.SERVICE_MEASURES),
    )
    for kind in cat.SERVICE_TYPES:
        families, children = raw.services.get(kind, (0, 0))
        _add(table, (kind, "distinct_families"), families)
        _add(table, (kind, "distinct_children"), children)


def _referrals(tables: TableSet, raw: RawFigures) -> None:
    table = _new_table(tables, "referral_sources", ("referral_source",), (cat.REFERRAL_SOURCES,))
    parts = [
        _add(table, (source,), raw.referrals.get(source, 0)) for source in cat.REFERRAL_SOURCES
    ]
    total = _add(table, (TOTAL,), sum(int(p.value) for p in parts))
    tables.relations.append(_sum_relation(total, parts))


def _cross_table(tables: TableSet) -> None:
    """The same count published in two tables is one relation more for an attacker."""
    game = cat.ActivityType.GAME_WITH_MUM_AND_DAD.value
    pairs = [
        ("referral_sources/*", "families/new"),
        ("game_with_mum_and_dad/events", f"activities/{game}/sessions"),
        ("game_with_mum_and_dad/child_attendances", f"activities/{game}/child_attendances"),
        ("game_with_mum_and_dad/distinct_children", f"activities/{game}/distinct_children"),
        ("game_with_mum_and_dad/imprisoned_parents", f"activities/{game}/distinct_relatives"),
    ]
    pairs += [
        (f"game_with_mum_and_dad/feedback_{rating}", f"child_feedback/{game}/{rating}")
        for rating in cat.RATINGS
    ]
    tables.relations.extend(_equal(first, second) for first, second in pairs)
