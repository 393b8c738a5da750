"""The JSON documents: the network return (REPORT-SPEC.md "File") and the internal report.

The JSON document is the source of truth; the PDF, XLSX and CSV render the same dict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cope_desktop import __version__
from cope_desktop.db.base import utcnow
from cope_desktop.reports.model import TOTAL, Breakdown, Cell, Quote, RawFigures, Table, TableSet
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import INTERNAL_SCHEMA_ID, NETWORK_SCHEMA_ID, validate


@dataclass(frozen=True)
class Origin:
    """Who the document is from and when it was made."""

    organisation_id: str
    organisation_name: str
    country: str
    language: str
    at: dt.datetime | None = None


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """The document without its checksum, as canonical JSON (REPORT-SPEC.md)."""
    body = {key: value for key, value in document.items() if key != "checksum"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def checksum(document: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_bytes(document)).hexdigest()


def figures_fingerprint(document: Mapping[str, Any]) -> str:
    """A digest of the published figures alone, to tell a re-issue with changed figures."""
    published = {key: document.get(key) for key in ("period", "disclosure", "prisons", "tables")}
    data = json.dumps(published, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def network_return(
    tables: TableSet, raw: RawFigures, period: Period, origin: Origin, threshold: int
) -> dict[str, Any]:
    """The network return of protected ``tables``, validated, with its checksum."""
    document = _head(NETWORK_SCHEMA_ID, period, origin)
    document["disclosure"] = {
        "method": "threshold+secondary",
        "threshold": threshold,
        "suppressed": len(tables.suppressed_ids()),
    }
    document["prisons"] = {"count": raw.prison_count, "countries": sorted(raw.prison_countries)}
    document["tables"] = {
        tid: table_json(table, published=True) for tid, table in tables.tables.items()
    }
    document["quotes"] = [_quote(quote) for quote in raw.quotes]
    document["checksum"] = checksum(document)
    validate(document)
    return document


def internal_report(
    tables: TableSet,
    raw: RawFigures,
    breakdowns: list[Breakdown],
    period: Period,
    origin: Origin,
) -> dict[str, Any]:
    """The internal report: exact figures and breakdowns, marked, never a return's schema."""
    document = _head(INTERNAL_SCHEMA_ID, period, origin)
    document["marking"] = "internal"
    document["disclosure"] = {"method": "none", "threshold": None, "suppressed": 0}
    document["prisons"] = {"count": raw.prison_count, "countries": sorted(raw.prison_countries)}
    document["tables"] = {
        tid: table_json(table, published=False) for tid, table in tables.tables.items()
    }
    document["breakdowns"] = {item.id: _breakdown_json(item) for item in breakdowns}
    document["quotes"] = [_quote(quote) for quote in raw.quotes]
    document["checksum"] = checksum(document)
    validate(document)
    return document


def _head(schema_id: str, period: Period, origin: Origin) -> dict[str, Any]:
    at = (origin.at or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
    return {
        "schema": schema_id,
        "organisation": {
            "id": origin.organisation_id,
            "name": origin.organisation_name,
            "country": origin.country,
        },
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "generated": {
            "at": at.isoformat().replace("+00:00", "Z"),
            "software": f"cope-desktop {__version__}",
            "language": origin.language,
        },
    }


def _figure(cell: Cell, published: bool) -> dict[str, Any]:
    if published and cell.suppressed:
        return {"value": None, "flag": "suppressed"}
    return {"value": cell.value, "flag": None}


def table_json(table: Table, *, published: bool) -> dict[str, Any]:
    """One table in the regular shape: cells in category order, then totals by dimension."""
    return layout_table(table, lambda cell: _figure(cell, published))


def layout_table(table: Table, figure: Callable[[Cell], dict[str, Any]]) -> dict[str, Any]:
    """``table`` in the regular shape of a return, each figure written by ``figure``."""
    dims = table.dimensions
    ordered = _in_order(table, table.cells.values())
    cells = [
        {**dict(zip(dims, cell.coords, strict=True)), **figure(cell)}
        for cell in ordered
        if not cell.is_total
    ]
    totals: dict[str, Any] = {}
    for cell in ordered:
        if not cell.is_total:
            continue
        kept = [i for i, code in enumerate(cell.coords) if code != TOTAL]
        if not kept:
            totals["all"] = figure(cell)
        else:
            dim = dims[kept[0]]
            totals.setdefault(dim, []).append({dim: cell.coords[kept[0]], **figure(cell)})
    return {"dimensions": list(dims), "cells": cells, "totals": totals}


def _in_order(table: Table, cells: Any) -> list[Cell]:
    """Cells sorted by category order, first dimension outermost (totals after categories)."""
    ranks = [
        {code: rank for rank, code in enumerate(table.categories[dim])} for dim in table.dimensions
    ]

    def key(cell: Cell) -> tuple[int, ...]:
        return tuple(
            rank.get(code, len(rank)) for rank, code in zip(ranks, cell.coords, strict=True)
        )

    return sorted(cells, key=key)


def _breakdown_json(item: Breakdown) -> dict[str, Any]:
    cells = [
        {item.row_dimension: label, "measure": measure, "value": value, "flag": None}
        for label, values in item.rows
        for measure, value in zip(item.measures, values, strict=True)
    ]
    return {"dimensions": [item.row_dimension, "measure"], "cells": cells}


def _quote(quote: Quote) -> dict[str, str]:
    return {"text": quote.text, "age_band": quote.age_band, "country": quote.country}
