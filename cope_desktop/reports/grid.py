"""A table of a report document laid out as rows and columns, the way every renderer shows it.

The document (API.md) keeps cells and totals apart; renderers want a grid with labelled rows
and columns, the totals as a last row and column. Categories are read from the order of the
cells, never from a fixed list, so the internal report's breakdowns lay out the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cope_desktop.reports import labels

TOTAL = "*"
VALUE = "value"
"""The column code of a one-dimensional table's single value column."""
SUPPRESSED = "suppressed"
HOURS = "hours"

Document = Mapping[str, Any]


@dataclass(frozen=True)
class Axis:
    """One row or column: its code (``*`` for the total), its label, whether it is a total."""

    code: str
    label: str
    total: bool = False


@dataclass(frozen=True)
class GridCell:
    value: int | float | None
    suppressed: bool
    total: bool
    decimals: int = 0


@dataclass
class Grid:
    id: str
    title: str
    note: str
    dimensions: tuple[str, ...]
    row_header: str
    rows: list[Axis]
    columns: list[Axis]
    cells: dict[tuple[str, str], GridCell] = field(default_factory=dict)
    threshold: int | None = None

    def cell(self, row: str, column: str) -> GridCell | None:
        return self.cells.get((row, column))

    def text(self, row: str, column: str) -> str:
        """The cell as shown: a formatted figure, "<k" when hidden, "" when not published."""
        cell = self.cells.get((row, column))
        if cell is None:
            return ""
        if cell.suppressed or cell.value is None:
            return labels.suppressed_text(self.threshold)
        return labels.format_value(cell.value, decimals=cell.decimals)

    @property
    def suppressed_count(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.suppressed)

    def inner_rows(self) -> list[Axis]:
        return [row for row in self.rows if not row.total]

    def inner_columns(self) -> list[Axis]:
        return [column for column in self.columns if not column.total]


def is_internal(document: Document) -> bool:
    return document.get("marking") == "internal" or str(document.get("schema", "")).startswith(
        "cope-internal-report"
    )


def threshold(document: Document) -> int | None:
    value = (document.get("disclosure") or {}).get("threshold")
    return int(value) if value is not None else None


def table_grids(document: Document) -> Iterator[Grid]:
    """The grids of the document's tables, in the document's order."""
    k = threshold(document)
    for table_id, table in (document.get("tables") or {}).items():
        yield grid(table_id, table, k)


def breakdown_grids(document: Document) -> Iterator[Grid]:
    """The grids of an internal report's breakdowns (none in a network return)."""
    for table_id, table in (document.get("breakdowns") or {}).items():
        yield grid(table_id, table, None)


def grid(table_id: str, table: Mapping[str, Any], k: int | None) -> Grid:
    """Lay one document table out as a grid (one or two dimensions)."""
    dimensions = tuple(table["dimensions"])
    cells: Sequence[Mapping[str, Any]] = table.get("cells") or []
    totals: Mapping[str, Any] = table.get("totals") or {}
    if len(dimensions) == 1:
        return _one_way(table_id, dimensions[0], cells, totals, k)
    if len(dimensions) == 2:
        return _two_way(table_id, (dimensions[0], dimensions[1]), cells, totals, k)
    raise ValueError(f"table {table_id} has {len(dimensions)} dimensions")


def _new_grid(table_id: str, dimensions: tuple[str, ...], k: int | None) -> Grid:
    return Grid(
        id=table_id,
        title=labels.table_title(table_id),
        note=labels.table_note(table_id),
        dimensions=dimensions,
        row_header=labels.dimension_label(dimensions[0]),
        rows=[],
        columns=[],
        threshold=k,
    )


def _order(cells: Sequence[Mapping[str, Any]], dimension: str) -> list[str]:
    """The categories of ``dimension`` in order of first appearance."""
    return list(dict.fromkeys(str(cell[dimension]) for cell in cells))


def _grid_cell(entry: Mapping[str, Any], total: bool, decimals: int) -> GridCell:
    value = entry.get("value")
    return GridCell(value, entry.get("flag") == SUPPRESSED, total, decimals)


def _decimals(*codes: str) -> int:
    return 1 if HOURS in codes else 0


def _one_way(
    table_id: str,
    dimension: str,
    cells: Sequence[Mapping[str, Any]],
    totals: Mapping[str, Any],
    k: int | None,
) -> Grid:
    result = _new_grid(table_id, (dimension,), k)
    result.columns = [Axis(VALUE, labels.value_label(table_id))]
    for cell in cells:
        code = str(cell[dimension])
        result.rows.append(Axis(code, labels.category_label(dimension, code)))
        result.cells[code, VALUE] = _grid_cell(cell, False, _decimals(code))
    if "all" in totals:
        result.rows.append(Axis(TOTAL, labels.total_label(), total=True))
        result.cells[TOTAL, VALUE] = _grid_cell(totals["all"], True, 0)
    return result


def _two_way(
    table_id: str,
    dimensions: tuple[str, str],
    cells: Sequence[Mapping[str, Any]],
    totals: Mapping[str, Any],
    k: int | None,
) -> Grid:
    row_dim, column_dim = dimensions
    result = _new_grid(table_id, dimensions, k)
    result.rows = [Axis(c, labels.category_label(row_dim, c)) for c in _order(cells, row_dim)]
    result.columns = [
        Axis(c, labels.category_label(column_dim, c)) for c in _order(cells, column_dim)
    ]
    for cell in cells:
        row, column = str(cell[row_dim]), str(cell[column_dim])
        result.cells[row, column] = _grid_cell(cell, False, _decimals(row, column))
    row_totals = totals.get(row_dim) or []
    column_totals = totals.get(column_dim) or []
    if row_totals:
        result.columns.append(Axis(TOTAL, labels.total_label(), total=True))
        for entry in row_totals:
            row = str(entry[row_dim])
            result.cells[row, TOTAL] = _grid_cell(entry, True, _decimals(row))
    if column_totals:
        result.rows.append(Axis(TOTAL, labels.total_label(), total=True))
        for entry in column_totals:
            column = str(entry[column_dim])
            result.cells[TOTAL, column] = _grid_cell(entry, True, _decimals(column))
    if "all" in totals and row_totals and column_totals:
        result.cells[TOTAL, TOTAL] = _grid_cell(totals["all"], True, 0)
    return result
