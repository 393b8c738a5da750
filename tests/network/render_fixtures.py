"""A hand-built merged network document ("cope-network-merge/1") for the renderers' tests.

It has the shape API.md gives, built from real sample member returns by a plain sum (a
suppressed member figure counts as the range [1, k-1], a measure's as [0, open]), followed by a
simple network threshold (no secondary suppression): good enough to lay out, not a merge.
A few network figures are then set to values the tests know (see ``KNOWN``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from cope_desktop.network.sample_returns import Member, network_return
from cope_desktop.reports.document import checksum
from cope_desktop.reports.period import Period

THRESHOLD = 5
PERIOD = Period.year(2025)
MEMBERS = (
    Member("org-0001", "Bambinisenzasbarre", "IT", 150),
    Member("org-0002", "Associazione Filo Rosso", "IT", 40),
    Member("org-0003", "Fondazione Ponte", "IT", 12),
    Member("org-0004", "Relais Enfants Parents", "FR", 80),
    Member("org-0005", "Association Lien Familial", "FR", 25),
    Member("org-0006", "Treffpunkt e.V. — Łódź ř ș", "DE", 40),
    Member("org-0007", "Verein Kinder von Inhaftierten", "AT", 6),
)
NOT_MERGED = [
    {"file": "AT-org-0007-2024.json", "problem": "other_period", "organisation": "org-0007"},
    {"file": "notes.json", "problem": "not_json", "organisation": None},
    {"file": "IT-org-0001-2025 (copy).json", "problem": "duplicate", "organisation": "org-0001"},
]

KNOWN = {
    # (table, path in the network scope) -> figure set on the network scope
    "families_new": {"value": 1234, "low": 1234, "high": 1234, "estimate": 1234, "flag": None},
    "children_0_4_female": {"value": None, "low": 11, "high": 14, "estimate": 12, "flag": "range"},
    "children_18_other": {
        "value": None,
        "low": None,
        "high": None,
        "estimate": None,
        "flag": "suppressed",
    },
    "prison_visit_hours": {
        "value": None,
        "low": 38.0,
        "high": None,
        "estimate": 40.5,
        "flag": "range",
    },
}
"""Figures the tests look for; "organisations" is added when they are set."""


def member_returns() -> list[tuple[str, dict[str, Any]]]:
    """(file name, return) of every member, in organisation id order."""
    return [
        (f"{m.country}-{m.id}-{PERIOD.start.year}.json", network_return(m, PERIOD, seed=7))
        for m in MEMBERS
    ]


def merged_document() -> dict[str, Any]:
    """The merged document of ``MEMBERS`` with the ``KNOWN`` figures on the network scope."""
    returns = member_returns()
    documents = [doc for _name, doc in returns]
    countries = sorted({doc["organisation"]["country"] for doc in documents})
    scopes = [_scope("network", None, documents)]
    for country in countries:
        members = [d for d in documents if d["organisation"]["country"] == country]
        scopes.append(_scope("country", country, members))
    _set_known(scopes[0]["tables"])
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
        "returns": [_return_entry(name, doc) for name, doc in returns],
        "not_merged": copy.deepcopy(NOT_MERGED),
        "countries": countries,
        "scopes": scopes,
    }
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
    prisons = sorted({c for d in documents for c in d["prisons"]["countries"]})
    first = documents[0]["tables"]
    tables = {}
    for table_id, table in first.items():
        member_tables = [d["tables"][table_id] for d in documents]
        tables[table_id] = {
            "dimensions": list(table["dimensions"]),
            "cells": [
                _merge([t["cells"][i] for t in member_tables]) for i in range(len(table["cells"]))
            ],
            "totals": {
                dim: (
                    _merge([t["totals"]["all"] for t in member_tables])
                    if dim == "all"
                    else [
                        _merge([t["totals"][dim][i] for t in member_tables])
                        for i in range(len(entries))
                    ]
                )
                for dim, entries in table["totals"].items()
            },
        }
    return {
        "scope": kind,
        "country": country,
        "organisations": len(documents),
        "prisons": {"count": sum(d["prisons"]["count"] for d in documents), "countries": prisons},
        "tables": tables,
    }


def _merge(entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One merged figure from the members' figures at the same place."""
    coords = {key: value for key, value in entries[0].items() if key not in ("value", "flag")}
    hours = "hours" in coords.values()
    known = sum(e["value"] for e in entries if e["flag"] is None)
    hidden = sum(1 for e in entries if e["flag"] == "suppressed")
    organisations = sum(1 for e in entries if e["flag"] == "suppressed" or e["value"])
    if hours:
        known = round(known, 1)
    if not hidden:
        figure = {"value": known, "low": known, "high": known, "estimate": known, "flag": None}
        if not hours and 1 <= known < THRESHOLD:
            figure = _hidden()
    elif hours:
        figure = {"value": None, "low": known, "high": None, "flag": "range"}
        figure["estimate"] = round(known + 2.5 * hidden, 1)
    else:
        low, high = known + hidden, known + hidden * (THRESHOLD - 1)
        estimate = known + hidden * THRESHOLD // 2
        figure = {"value": None, "low": low, "high": high, "estimate": estimate, "flag": "range"}
        if low < THRESHOLD:
            figure = _hidden()
    return {**coords, **figure, "organisations": organisations}


def _hidden() -> dict[str, Any]:
    return {"value": None, "low": None, "high": None, "estimate": None, "flag": "suppressed"}


def _find(cells: Sequence[dict[str, Any]], **coords: str) -> dict[str, Any]:
    return next(c for c in cells if all(c[key] == value for key, value in coords.items()))


def _set_known(tables: dict[str, Any]) -> None:
    places = {
        "families_new": _find(tables["families"]["cells"], status="new"),
        "children_0_4_female": _find(
            tables["children_by_age_sex"]["cells"], age_band="0-4", sex="female"
        ),
        "children_18_other": _find(
            tables["children_by_age_sex"]["cells"], age_band="18+", sex="other"
        ),
        "prison_visit_hours": _find(
            tables["activities"]["cells"], activity_type="prison_visit", measure="hours"
        ),
    }
    for name, cell in places.items():
        cell.update(KNOWN[name])
        cell["organisations"] = 4


def _suppressed(tables: Mapping[str, Any]) -> int:
    count = 0
    for table in tables.values():
        entries = list(table["cells"])
        for dim, totals in table["totals"].items():
            entries += [totals] if dim == "all" else totals
        count += sum(1 for e in entries if e["flag"] == "suppressed")
    return count
