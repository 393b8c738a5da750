"""A small hand-built merged document ("cope-network-merge/1", API.md) for the DHIS2 tests.

Two real sample member returns (one Italian, one French) are summed cell by cell: a cell with
no suppressed member figure is exact; one with a suppressed member figure is a range (head
counts [1, k-1] per hidden figure, hours unbounded above); a small exact figure or a range whose
low is under k is suppressed. Then a few figures the tests know are set (``KNOWN``), so every
kind of figure is there for certain: exact, range with and without a high end, suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cope_desktop.network.sample_returns import Member, network_return
from cope_desktop.reports.document import checksum
from cope_desktop.reports.period import Period

THRESHOLD = 5
PERIOD = Period.year(2025)
MEMBERS = (
    Member("org-it-01", "Associazione Filo Rosso", "IT", 40),
    Member("org-fr-01", "Relais Enfants Parents", "FR", 80),
)

EXACT = {"value": 1234, "low": 1234, "high": 1234, "estimate": 1234, "flag": None}
RANGE = {"value": None, "low": 11, "high": 14, "estimate": 12, "flag": "range"}
OPEN_HOURS = {"value": None, "low": 38.0, "high": None, "estimate": 40.5, "flag": "range"}
HIDDEN = {"value": None, "low": None, "high": None, "estimate": None, "flag": "suppressed"}

KNOWN: dict[tuple[str, str, tuple[str, ...]], dict[str, Any]] = {
    ("network", "families", ("new",)): EXACT,
    ("IT", "children_by_age_sex", ("0-4", "female")): RANGE,
    ("network", "activities", ("prison_visit", "hours")): OPEN_HOURS,
    ("FR", "children_by_age_sex", ("18+", "other")): HIDDEN,
    ("network", "game_with_mum_and_dad", ("events",)): HIDDEN,
}
"""(scope: "network" or country, table, coords) -> figure set there."""


def member_returns() -> list[dict[str, Any]]:
    """The members' returns, in organisation id order."""
    returns = [network_return(member, PERIOD, seed=11) for member in MEMBERS]
    return sorted(returns, key=lambda doc: doc["organisation"]["id"])


def single_return() -> dict[str, Any]:
    """The Italian member's return (it has suppressed cells)."""
    return next(doc for doc in member_returns() if doc["organisation"]["country"] == "IT")


def merged_document() -> dict[str, Any]:
    documents = member_returns()
    countries = sorted({doc["organisation"]["country"] for doc in documents})
    scopes = [_scope("network", None, documents)]
    for country in countries:
        members = [doc for doc in documents if doc["organisation"]["country"] == country]
        scopes.append(_scope("country", country, members))
    for (where, table_id, coords), figure in KNOWN.items():
        scope = next(s for s in scopes if (s["country"] or "network") == where)
        table = scope["tables"][table_id]
        cell = next(c for c in table["cells"] if tuple(c[d] for d in table["dimensions"]) == coords)
        cell.update(figure)
    document: dict[str, Any] = {
        "schema": "cope-network-merge/1",
        "period": {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()},
        "generated": {
            "at": "2026-02-01T10:00:00Z",
            "software": "cope-desktop 0.7.0",
            "language": "en",
        },
        "disclosure": {
            "method": "threshold+secondary",
            "threshold": THRESHOLD,
            "suppressed": sum(_suppressed(scope["tables"]) for scope in scopes),
        },
        "returns": [
            {
                "organisation": dict(doc["organisation"]),
                "file": f"{doc['organisation']['country']}-{doc['organisation']['id']}-2025.json",
                "checksum": doc["checksum"],
                "generated_at": doc["generated"]["at"],
                "threshold": doc["disclosure"]["threshold"],
                "suppressed": doc["disclosure"]["suppressed"],
            }
            for doc in documents
        ],
        "not_merged": [{"file": "notes.json", "problem": "not_json", "organisation": None}],
        "countries": countries,
        "scopes": scopes,
    }
    document["checksum"] = checksum(document)
    return document


def _scope(kind: str, country: str | None, documents: Sequence[Mapping[str, Any]]) -> dict:
    tables = {}
    for table_id, table in documents[0]["tables"].items():
        member_tables = [doc["tables"][table_id] for doc in documents]
        totals: dict[str, Any] = {}
        for dim, entries in table["totals"].items():
            if dim == "all":
                totals[dim] = _merge([t["totals"]["all"] for t in member_tables])
            else:
                totals[dim] = [
                    _merge([t["totals"][dim][i] for t in member_tables])
                    for i in range(len(entries))
                ]
        tables[table_id] = {
            "dimensions": list(table["dimensions"]),
            "cells": [
                _merge([t["cells"][i] for t in member_tables]) for i in range(len(table["cells"]))
            ],
            "totals": totals,
        }
    return {
        "scope": kind,
        "country": country,
        "organisations": len(documents),
        "prisons": {
            "count": sum(doc["prisons"]["count"] for doc in documents),
            "countries": sorted({c for doc in documents for c in doc["prisons"]["countries"]}),
        },
        "tables": tables,
    }


def _merge(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    coords = {key: value for key, value in entries[0].items() if key not in ("value", "flag")}
    hours = coords.get("measure") == "hours"
    known = sum(e["value"] for e in entries if e["flag"] is None)
    hidden = sum(1 for e in entries if e["flag"] == "suppressed")
    organisations = sum(1 for e in entries if e["flag"] == "suppressed" or e["value"])
    if hours:
        known = round(known, 1)
    figure: dict[str, Any]
    if not hidden:
        figure = {"value": known, "low": known, "high": known, "estimate": known, "flag": None}
        if not hours and 1 <= known < THRESHOLD:
            figure = dict(HIDDEN)
    elif hours:
        estimate = round(known + 2.5 * hidden, 1)
        figure = {"value": None, "low": known, "high": None, "estimate": estimate}
        figure["flag"] = "range"
    else:
        low, high = known + hidden, known + hidden * (THRESHOLD - 1)
        estimate = known + hidden * THRESHOLD // 2
        figure = {"value": None, "low": low, "high": high, "estimate": estimate, "flag": "range"}
        if low < THRESHOLD:
            figure = dict(HIDDEN)
    return {**coords, **figure, "organisations": organisations}


def _suppressed(tables: Mapping[str, Any]) -> int:
    count = 0
    for table in tables.values():
        entries = list(table["cells"])
        for dim, totals in table["totals"].items():
            entries += [totals] if dim == "all" else totals
        count += sum(1 for entry in entries if entry["flag"] == "suppressed")
    return count
