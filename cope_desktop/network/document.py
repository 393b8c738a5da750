"""The merged network figures as JSON (``cope-network-merge/1``, see API.md).

The tables keep the shape of a return's tables, so whoever reads returns reads this too; each
figure carries its range, estimate and the number of organisations behind it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from cope_desktop import __version__
from cope_desktop.db.base import utcnow
from cope_desktop.network.cells import skeleton
from cope_desktop.network.merge import Merged, MergedFigure, Scope
from cope_desktop.network.returns import Loaded, Rejected
from cope_desktop.network.schema import MERGE_SCHEMA_ID, validate
from cope_desktop.reports.document import checksum, layout_table
from cope_desktop.reports.model import Cell


def merged_document(
    merged: Merged,
    left_out: Sequence[Rejected],
    language: str,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The validated JSON document of ``merged``, with its checksum."""
    moment = (at or utcnow()).astimezone(dt.UTC).replace(microsecond=0)
    document: dict[str, Any] = {
        "schema": MERGE_SCHEMA_ID,
        "period": {
            "start": merged.period.start.isoformat(),
            "end": merged.period.end.isoformat(),
        },
        "generated": {
            "at": moment.isoformat().replace("+00:00", "Z"),
            "software": f"cope-desktop {__version__}",
            "language": language,
        },
        "disclosure": {
            "method": "threshold+secondary",
            "threshold": merged.threshold,
            "suppressed": merged.suppressed(),
        },
        "returns": [_return(item) for item in merged.returns],
        "not_merged": [_left_out(item) for item in left_out],
        "countries": merged.countries,
        "scopes": [_scope(scope) for scope in merged.scopes],
    }
    document["checksum"] = checksum(document)
    validate(document)
    return document


def _return(item: Loaded) -> dict[str, Any]:
    return {
        "organisation": item.organisation,
        "file": item.path.name,
        "checksum": item.checksum,
        "generated_at": item.generated_at,
        "threshold": item.threshold,
        "suppressed": int(item.document["disclosure"]["suppressed"]),
    }


def _left_out(item: Rejected) -> dict[str, Any]:
    organisation = item.loaded.organisation_id if item.loaded is not None else None
    return {"file": item.path.name, "problem": item.problem, "organisation": organisation}


def _scope(scope: Scope) -> dict[str, Any]:
    return {
        "scope": "network" if scope.country is None else "country",
        "country": scope.country,
        "organisations": len(scope.members),
        "prisons": {"count": scope.prison_count, "countries": scope.prison_countries},
        "tables": {
            table_id: layout_table(table, lambda cell: _figure(cell, scope.figures[cell.id]))
            for table_id, table in skeleton().tables.items()
        },
    }


def _number(cell: Cell, value: float) -> int | float:
    return round(value) if isinstance(cell.value, int) else round(value, 1)


def _figure(cell: Cell, figure: MergedFigure) -> dict[str, Any]:
    base: dict[str, Any] = {"organisations": figure.organisations}
    if figure.suppressed:
        nothing = {"value": None, "low": None, "high": None, "estimate": None}
        return {**nothing, **base, "flag": "suppressed"}
    low = _number(cell, figure.low)
    estimate = _number(cell, figure.estimate)
    if figure.exact:
        return {"value": low, "low": low, "high": low, "estimate": low, **base, "flag": None}
    high = None if math.isinf(figure.high) else _number(cell, figure.high)
    return {"value": None, "low": low, "high": high, "estimate": estimate, **base, "flag": "range"}
