"""The figures of a return's JSON, addressed by the cell ids of ``reports.model``.

A return lists each table's cells and totals in the regular shape of REPORT-SPEC.md; the
merge works on flat ``{cell id: figure}`` maps, where a total has ``*`` in the dimensions it
sums over (``children_by_age_sex/0-4/*``), exactly as ``reports.build`` names them, so the
relations that hold between a return's figures can be used as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

from cope_desktop.reports.build import build_tables
from cope_desktop.reports.model import TOTAL, RawFigures, TableSet


class DuplicateCell(ValueError):
    """A table lists the same category twice (the schema cannot say so)."""


@functools.cache
def skeleton() -> TableSet:
    """Every table of a return with every cell and total, and every relation (values zero)."""
    return build_tables(RawFigures())


@functools.cache
def cell_ids() -> frozenset[str]:
    return frozenset(cell.id for cell in skeleton().all_cells())


def table_entries(table_id: str, table: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(cell id, figure) for every cell and total of one table of a document."""
    dims: list[str] = table["dimensions"]
    for cell in table["cells"]:
        yield "/".join((table_id, *(str(cell[dim]) for dim in dims))), cell
    for key, entries in table["totals"].items():
        if key == "all":
            yield "/".join((table_id, *(TOTAL for _dim in dims))), entries
            continue
        for entry in entries:
            coords = (str(entry[key]) if dim == key else TOTAL for dim in dims)
            yield "/".join((table_id, *coords)), entry


def figures_by_id(tables: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every figure of a document's ``tables`` by cell id; raises DuplicateCell."""
    result: dict[str, dict[str, Any]] = {}
    for table_id, table in tables.items():
        for cell_id, figure in table_entries(table_id, table):
            if cell_id in result:
                raise DuplicateCell(cell_id)
            result[cell_id] = figure
    return result
