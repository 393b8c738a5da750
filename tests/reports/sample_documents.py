"""Realistic report documents (the JSON shape of API.md) for the renderer tests, without a database.

The figures go through ``build.build_tables`` like real ones; a small stand-in for disclosure
control hides the counts from 1 to k-1 and then, relation by relation, one more cell wherever a
hidden cell could be worked out by subtraction. It is not the real ``disclosure.protect`` (it
needs no solver), but the documents it gives have the same shape and the same kinds of flags.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cope_desktop.reports.build import build_tables
from cope_desktop.reports.model import (
    TOTAL,
    ActivityFigures,
    Breakdown,
    Cell,
    GameFigures,
    Quote,
    RawFigures,
    TableSet,
)

THRESHOLD = 5
ORGANISATION = {"id": "org-7f3a", "name": "Bambinisenzasbarre — Ł ř ș Ω", "country": "IT"}
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


def sample_figures() -> RawFigures:
    """A year of a mid-sized organisation, with a few small counts that must be hidden."""
    return RawFigures(
        families_new=38,
        families_continuing=96,
        children={
            ("0-4", "female"): 14,
            ("0-4", "male"): 17,
            ("0-4", "not_stated"): 2,
            ("5-9", "female"): 31,
            ("5-9", "male"): 28,
            ("5-9", "other"): 1,
            ("10-14", "female"): 26,
            ("10-14", "male"): 24,
            ("15-17", "female"): 9,
            ("15-17", "male"): 12,
            ("18+", "female"): 5,
            ("18+", "male"): 6,
            ("unknown", "female"): 7,
            ("unknown", "male"): 8,
        },
        relatives={
            ("father", "pre_trial"): 18,
            ("father", "sentenced"): 74,
            ("father", "released"): 11,
            ("father", "unknown"): 6,
            ("mother", "pre_trial"): 5,
            ("mother", "sentenced"): 13,
            ("mother", "released"): 3,
            ("other", "sentenced"): 9,
            ("other", "unknown"): 5,
        },
        activities={
            "prison_visit": ActivityFigures(212, 1046, 118, 87, 25_440),
            "family_day": ActivityFigures(6, 143, 71, 39, 2_160),
            "game_with_mum_and_dad": ActivityFigures(14, 97, 41, 33, 1_680),
            "support_group": ActivityFigures(40, 312, 27, 0, 3_600),
            "school_session": ActivityFigures(11, 264, 0, 0, 990),
            "visiting_room_session": ActivityFigures(3, 4, 3, 2, 270),
            "helpline": ActivityFigures(58, 61, 22, 0, 1_045),
        },
        game=GameFigures(
            events=14,
            prisons=3,
            child_attendances=97,
            distinct_children=41,
            imprisoned_parents=33,
            caregivers=29,
        ),
        services={
            "information_advice": (88, 141),
            "emotional_support": (52, 77),
            "visit_preparation": (61, 102),
            "school_liaison": (14, 19),
            "referral": (9, 12),
            "practical_help": (3, 4),
            "other": (0, 0),
        },
        referrals={
            "self": 9,
            "school": 6,
            "prison": 11,
            "social_services": 7,
            "police_or_court": 2,
            "other_ngo": 3,
        },
        feedback={
            ("prison_visit", "positive"): 64,
            ("prison_visit", "neutral"): 18,
            ("prison_visit", "negative"): 7,
            ("family_day", "positive"): 41,
            ("family_day", "neutral"): 5,
            ("game_with_mum_and_dad", "positive"): 52,
            ("game_with_mum_and_dad", "neutral"): 9,
            ("game_with_mum_and_dad", "negative"): 3,
            ("support_group", "positive"): 12,
            ("support_group", "neutral"): 6,
        },
        prison_count=7,
        prison_countries=["IT"],
        quotes=[
            Quote("I liked playing with my dad, we laughed a lot.", "5-9", "IT"),
            Quote("Ήταν η καλύτερη μέρα — we could hug at the end.", "10-14", "GR"),
        ],
    )


def hide_small_counts(tables: TableSet, k: int = THRESHOLD) -> None:
    """A stand-in for disclosure control: primary cells, then one partner per exposed relation."""
    for cell in tables.all_cells():
        if cell.headcount and 0 < cell.value < k:
            cell.suppressed = cell.primary = True
    changed = True
    while changed:
        changed = _follow(tables)
        for relation in tables.relations:
            if relation.kind != "eq":
                continue
            terms = [tables.cell(cell_id) for cell_id, _ in relation.terms]
            if sum(term.suppressed for term in terms) != 1:
                continue
            candidates = [t for t in terms if not t.suppressed and (t.value or not t.headcount)]
            if candidates:
                min(candidates, key=lambda t: (t.value == 0, t.is_total, t.value)).suppressed = True
                changed = True


def _follow(tables: TableSet) -> bool:
    changed = False
    for cell in tables.all_cells():
        if cell.follows and not cell.suppressed and tables.cell(cell.follows).suppressed:
            cell.suppressed = True
            changed = True
    return changed


def tables_json(tables: TableSet, *, exact: bool = False) -> dict[str, Any]:
    """The ``tables`` object of a document, laid out as API.md describes."""
    return {table_id: _table_json(tables, table_id, exact) for table_id in tables.tables}


def _entry(cell: Cell, exact: bool) -> dict[str, Any]:
    hidden = cell.suppressed and not exact
    return {"value": None if hidden else cell.value, "flag": "suppressed" if hidden else None}


def _table_json(tables: TableSet, table_id: str, exact: bool) -> dict[str, Any]:
    table = tables.tables[table_id]
    dims = table.dimensions
    cells = [
        {**dict(zip(dims, cell.coords, strict=True)), **_entry(cell, exact)}
        for cell in table.inner()
    ]
    totals: dict[str, Any] = {}
    for position, dim in enumerate(dims):
        entries = [
            {dim: cell.coords[position], **_entry(cell, exact)}
            for cell in table.totals()
            if cell.coords[position] != TOTAL
            and all(c == TOTAL for i, c in enumerate(cell.coords) if i != position)
        ]
        if entries and len(dims) > 1:
            totals[dim] = entries
    grand = table.cells.get(tuple(TOTAL for _ in dims))
    if grand is not None:
        totals["all"] = _entry(grand, exact)
    return {"dimensions": list(dims), "cells": cells, "totals": totals}


def _checksum(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _quotes(raw: RawFigures) -> list[dict[str, str]]:
    return [{"text": q.text, "age_band": q.age_band, "country": q.country} for q in raw.quotes]


def network_return(raw: RawFigures | None = None, k: int = THRESHOLD) -> dict[str, Any]:
    raw = raw or sample_figures()
    tables = build_tables(raw)
    hide_small_counts(tables, k)
    document: dict[str, Any] = {
        "schema": "cope-network-return/1",
        "organisation": dict(ORGANISATION),
        "period": dict(PERIOD),
        "generated": {
            "at": "2026-01-15T09:30:00Z",
            "software": "cope-desktop 0.5.0",
            "language": "en",
        },
        "disclosure": {
            "method": "threshold+secondary",
            "threshold": k,
            "suppressed": len(tables.suppressed_ids()),
        },
        "prisons": {"count": raw.prison_count, "countries": list(raw.prison_countries)},
        "tables": tables_json(tables),
        "quotes": _quotes(raw),
    }
    document["checksum"] = _checksum(document)
    return document


def sample_breakdowns() -> list[Breakdown]:
    months = tuple(
        (f"2025-{month:02d}", (3 + month % 4, 20 + month, 80 + 7 * month, 30 + month))
        for month in range(1, 13)
    )
    return [
        Breakdown(
            "by_prison",
            "prison",
            ("families_supported", "activities", "child_attendances", "distinct_children"),
            (
                ("Casa Circondariale di Bollate (IT)", (61, 118, 702, 96)),
                ("Casa Circondariale San Vittore (IT)", (44, 96, 511, 71)),
                ("Istituto Penale Femminile Rebibbia (IT)", (17, 23, 122, 25)),
                ("Κορυδαλλός (GR)", (2, 3, 9, 3)),
            ),
        ),
        Breakdown(
            "by_caseworker",
            "caseworker",
            ("families_supported", "families_new", "support_services"),
            (("Giulia Rossi", (52, 14, 230)), ("Łukasz Dvořák", (47, 13, 198))),
        ),
        Breakdown(
            "by_month",
            "month",
            ("families_new", "activities", "child_attendances", "distinct_children"),
            months,
        ),
    ]


def breakdowns_json(breakdowns: list[Breakdown]) -> dict[str, Any]:
    return {
        b.id: {
            "dimensions": [b.row_dimension, "measure"],
            "cells": [
                {b.row_dimension: row, "measure": measure, "value": value, "flag": None}
                for row, values in b.rows
                for measure, value in zip(b.measures, values, strict=True)
            ],
        }
        for b in breakdowns
    }


def internal_report(raw: RawFigures | None = None) -> dict[str, Any]:
    raw = raw or sample_figures()
    tables = build_tables(raw)
    document: dict[str, Any] = {
        "schema": "cope-internal-report/1",
        "marking": "internal",
        "organisation": dict(ORGANISATION),
        "period": dict(PERIOD),
        "generated": {
            "at": "2026-01-15T09:30:00Z",
            "software": "cope-desktop 0.5.0",
            "language": "en",
        },
        "disclosure": {"method": "none", "threshold": None, "suppressed": 0},
        "prisons": {"count": raw.prison_count, "countries": list(raw.prison_countries)},
        "tables": tables_json(tables, exact=True),
        "quotes": _quotes(raw),
        "breakdowns": breakdowns_json(sample_breakdowns()),
    }
    document["checksum"] = _checksum(document)
    return document


def suppressed_ids(document: dict[str, Any]) -> list[str]:
    """``table/row/column`` of every hidden inner cell (for assertions)."""
    found = []
    for table_id, table in document["tables"].items():
        for cell in table["cells"]:
            if cell["flag"] == "suppressed":
                found.append("/".join([table_id, *(str(cell[d]) for d in table["dimensions"])]))
    return found
