"""Hand-built merged documents ("cope-network-merge/1", API.md) for the DHIS2 and renderer tests.

Real sample member returns are summed cell by cell with a deliberately simple rule: a cell
with no suppressed member figure is exact; with one, a range (a hidden head count counts as
[1, k-1], hidden hours as [0, open]); a small exact figure, or a range whose low is under k,
is suppressed. It gives documents of the right shape, with every kind of figure, whose
numbers the tests can set (``set_figure``); the real merge is tested in test_network_merge.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cope_desktop.network.sample_returns import Member, network_return
from cope_desktop.reports.document import checksum
from cope_desktop.reports.period import Period

THRESHOLD = 5
PERIOD = Period.year(2025)
HIDDEN = {"value": None, "low": None, "high": None, "estimate": None, "flag": "suppressed"}


def member_returns(members: Sequence[Member], seed: int) -> list[tuple[str, dict[str, Any]]]:
    """(file name, return) of every member, in organisation id order."""
    named = [
        (f"{m.country}-{m.id}-{PERIOD.start.year}.json", network_return(m, PERIOD, seed=seed))
        for m in members
    ]
    return sorted(named, key=lambda item: item[1]["organisation"]["id"])


def merged_document(
    returns: Sequence[tuple[str, Mapping[str, Any]]], not_merged: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The merged document of ``returns``: the network scope, then one per country."""
    documents = [doc for _name, doc in returns]
    countries = sorted({doc["organisation"]["country"] for doc in documents})
    scopes = [_scope("network", None, documents)]
    for country in countries:
        members = [d for d in documents if d["organisation"]["country"] == country]
        scopes.append(_scope("country", country, members))
    document: dict[str, Any] = {
        "schema": "cope-network-merge/1",
        "period": {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()},
        "generated": {
            "at": "2026-02-01T10:00:00Z",
            "software": "cope-desktop 0.7.0",
            "language": "en",
        },
        "disclosure": {"method": "threshold+secondary", "threshold": THRESHOLD, "suppressed": 0},
        "returns": [_return_entry(name, doc) for name, doc in returns],
        "not_merged": [dict(entry) for entry in not_merged],
        "countries": countries,
        "scopes": scopes,
    }
    return seal(document)


def set_figure(
    document: dict[str, Any], scope: str, table_id: str, figure: Mapping[str, Any], **coords: str
) -> None:
    """Put ``figure`` in one cell (``scope`` "network" or a country code); call ``seal`` after."""
    found = next(s for s in document["scopes"] if (s["country"] or "network") == scope)
    cells = found["tables"][table_id]["cells"]
    cell = next(c for c in cells if all(c[key] == value for key, value in coords.items()))
    cell.update(figure)


def seal(document: dict[str, Any]) -> dict[str, Any]:
    """Count the suppressed figures again and recompute the checksum."""
    document["disclosure"]["suppressed"] = sum(
        _suppressed(scope["tables"]) for scope in document["scopes"]
    )
    document["checksum"] = checksum(document)
    return document


def _return_entry(name: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "organisation": dict(doc["organisation"]),
        "file": name,
        "checksum": doc["checksum"],
        "generated_at": doc["generated"]["at"],
        "threshold": doc["disclosure"]["threshold"],
        "suppressed": doc["disclosure"]["suppressed"],
    }


def _scope(kind: str, country: str | None, documents: Sequence[Mapping[str, Any]]) -> dict:
    tables = {}
    for table_id, table in documents[0]["tables"].items():
        member_tables = [d["tables"][table_id] for d in documents]
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
            "count": sum(d["prisons"]["count"] for d in documents),
            "countries": sorted({c for d in documents for c in d["prisons"]["countries"]}),
        },
        "tables": tables,
    }


def _merge(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One merged figure from the members' figures at the same place."""
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
        figure = {"value": None, "low": known, "high": None, "estimate": estimate, "flag": "range"}
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
