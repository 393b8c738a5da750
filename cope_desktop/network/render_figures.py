"""The figures the network renderings pick out of a merged document, shared by PDF and XLSX.

A merged table has the shape of a return's table (API.md): this module finds a figure by its
row and column the way ``reports.grid`` lays the table out, lists every figure of a table
with its coordinates (totals included, ``*`` for a summed dimension), and gathers the
headline figures of each country.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cope_desktop.network import labels as net
from cope_desktop.reports.grid import TOTAL, VALUE

Figure = Mapping[str, Any]
FigureMap = dict[tuple[str, str], Figure]

COUNTRY_COLUMNS: tuple[tuple[str, int], ...] = (
    ("families", 0),
    ("children", 0),
    ("sessions", 0),
    ("game_events", 0),
    ("game_children", 0),
)
"""The figures of the countries table, in order, with their decimals."""


def network_scope(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next(
        (s for s in document.get("scopes") or [] if s.get("scope") == "network"),
        None,
    )


def country_scopes(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in document.get("scopes") or [] if s.get("scope") == "country"]


def figure_map(table: Mapping[str, Any]) -> FigureMap:
    """(row code, column code) -> figure, with the codes ``reports.grid`` gives its axes."""
    dimensions = list(table["dimensions"])
    totals: Mapping[str, Any] = table.get("totals") or {}
    found: FigureMap = {}
    if len(dimensions) == 1:
        dim = dimensions[0]
        for cell in table.get("cells") or []:
            found[str(cell[dim]), VALUE] = cell
        if "all" in totals:
            found[TOTAL, VALUE] = totals["all"]
        return found
    row_dim, column_dim = dimensions
    for cell in table.get("cells") or []:
        found[str(cell[row_dim]), str(cell[column_dim])] = cell
    for entry in totals.get(row_dim) or []:
        found[str(entry[row_dim]), TOTAL] = entry
    for entry in totals.get(column_dim) or []:
        found[TOTAL, str(entry[column_dim])] = entry
    if "all" in totals:
        found[TOTAL, TOTAL] = totals["all"]
    return found


def long_rows(table: Mapping[str, Any]) -> Iterator[tuple[dict[str, str], Figure]]:
    """Every figure of a table with its coordinates (``*`` for a summed dimension)."""
    dimensions = list(table["dimensions"])
    totals: Mapping[str, Any] = table.get("totals") or {}
    for cell in table.get("cells") or []:
        yield {dim: str(cell[dim]) for dim in dimensions}, cell
    for dim, entries in totals.items():
        if dim == "all":
            continue
        for entry in entries:
            yield {d: (str(entry[d]) if d == dim else TOTAL) for d in dimensions}, entry
    if "all" in totals:
        yield dict.fromkeys(dimensions, TOTAL), totals["all"]


def estimate_table(table: Mapping[str, Any]) -> dict[str, Any]:
    """The table with each figure's best single number as its ``value``, for the charts.

    An exact figure keeps its value, a range gives its central estimate, a hidden figure stays
    hidden (``flag: "suppressed"``), so ``reports.grid`` and the member report's charts can
    draw it.
    """

    def one(figure: Figure) -> dict[str, Any]:
        hidden = figure.get("flag") == net.SUPPRESSED
        return {
            **figure,
            "value": net.figure_number(figure),
            "flag": "suppressed" if hidden else None,
        }

    totals: Mapping[str, Any] = table.get("totals") or {}
    return {
        "dimensions": list(table["dimensions"]),
        "cells": [one(cell) for cell in table.get("cells") or []],
        "totals": {
            dim: one(entries) if dim == "all" else [one(e) for e in entries]
            for dim, entries in totals.items()
        },
    }


def has_ranges(table: Mapping[str, Any]) -> bool:
    return any(figure.get("flag") == net.RANGE for _coords, figure in long_rows(table))


@dataclass(frozen=True)
class CountryRow:
    """One row of the countries table: a country (or the whole network) and its figures."""

    code: str | None
    name: str
    network: bool
    organisations: int
    figures: dict[str, Figure | None] = field(default_factory=dict)


def scope_figures(scope: Mapping[str, Any]) -> dict[str, Figure | None]:
    """The headline figures of one scope, by the codes of ``COUNTRY_COLUMNS``."""
    tables: Mapping[str, Any] = scope.get("tables") or {}

    def total(table_id: str) -> Figure | None:
        return ((tables.get(table_id) or {}).get("totals") or {}).get("all")

    def measure(table_id: str, code: str, *, in_totals: bool) -> Figure | None:
        table = tables.get(table_id) or {}
        entries = ((table.get("totals") or {}).get("measure") or []) if in_totals else []
        entries = entries or table.get("cells") or []
        return next((e for e in entries if e.get("measure") == code), None)

    return {
        "families": total("families"),
        "children": total("children_by_age_sex"),
        "sessions": measure("activities", "sessions", in_totals=True),
        "game_events": measure("game_with_mum_and_dad", "events", in_totals=False),
        "game_children": measure("game_with_mum_and_dad", "distinct_children", in_totals=False),
    }


def country_figures(document: Mapping[str, Any]) -> list[CountryRow]:
    """One row per country (by name in the current language), then the whole network."""
    rows = [
        CountryRow(
            code=str(scope.get("country")),
            name=net.scope_label(scope),
            network=False,
            organisations=int(scope.get("organisations") or 0),
            figures=scope_figures(scope),
        )
        for scope in country_scopes(document)
    ]
    rows.sort(key=lambda row: row.name.casefold())
    network = network_scope(document)
    if network is not None:
        rows.append(
            CountryRow(
                code=None,
                name=net.scope_label(network),
                network=True,
                organisations=int(network.get("organisations") or 0),
                figures=scope_figures(network),
            )
        )
    return rows


def game_by_country(
    document: Mapping[str, Any],
) -> tuple[list[str], list[float | None], list[float | None], bool]:
    """Country names, Game events and Game children (numbers for the chart), any range."""
    names: list[str] = []
    events: list[float | None] = []
    children: list[float | None] = []
    ranges = False
    for row in country_figures(document):
        if row.network:
            continue
        names.append(row.name)
        for code, values in (("game_events", events), ("game_children", children)):
            figure = row.figures.get(code)
            number = net.figure_number(figure)
            values.append(float(number) if number is not None else None)
            ranges = ranges or bool(figure and figure.get("flag") == net.RANGE)
    return names, events, children, ranges
