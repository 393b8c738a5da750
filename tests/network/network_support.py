"""Returns and merged documents for the network tests, made by the real pipeline.

``member_return`` writes the return of hand-chosen figures with hand-chosen hidden cells, so a
test knows every answer; ``sample_folder`` and ``merged_document`` give realistic ones.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from cope_desktop.network.sample_returns import write_sample_returns
from cope_desktop.network.service import MergeResult, prepare_merge
from cope_desktop.progress import run_to_end
from cope_desktop.reports import document
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.document import Origin
from cope_desktop.reports.model import RawFigures
from cope_desktop.reports.period import Period

YEAR = 2025


def return_document(
    organisation: str,
    country: str,
    raw: RawFigures,
    hidden: Collection[str] = (),
    *,
    period: Period | None = None,
    threshold: int = 5,
    sent: dt.datetime | None = None,
) -> dict[str, Any]:
    """The return of ``raw`` with exactly the cells ``hidden`` suppressed.

    No protection runs: the test chooses the pattern.
    """
    tables = build_tables(raw)
    for cell_id in hidden:
        tables.cell(cell_id).suppressed = True
    origin = Origin(
        organisation,
        f"Organisation {organisation}",
        country,
        "en",
        sent or dt.datetime(YEAR + 1, 1, 20, 9, tzinfo=dt.UTC),
    )
    return document.network_return(tables, raw, period or Period.year(YEAR), origin, threshold)


def write_document(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def resign(doc: dict[str, Any]) -> dict[str, Any]:
    """Recompute the checksum, as someone editing a return on purpose would."""
    doc["checksum"] = document.checksum(doc)
    return doc


def merge(paths: list[Path], **kwargs: Any) -> MergeResult:
    return run_to_end(prepare_merge(paths, **kwargs))


def figure(result: MergeResult, scope: str | None, table: str, **coords: str) -> dict[str, Any]:
    """One figure of a merged document: ``scope`` None for the network, else a country."""
    scopes = [s for s in result.document["scopes"] if s["country"] == scope]
    tables = scopes[0]["tables"][table]
    dims = tables["dimensions"]
    if len(coords) == len(dims):
        entries = tables["cells"]
    elif not coords:
        return dict(tables["totals"]["all"])
    else:
        (dim,) = coords
        entries = tables["totals"][dim]
    return next(e for e in entries if all(e[k] == v for k, v in coords.items()))


@functools.cache
def sample_folder(organisations: int = 8, years: tuple[int, ...] = (2024, 2025)) -> Path:
    """Realistic returns (cached for the test session, in a temporary folder)."""
    folder = Path(tempfile.mkdtemp(prefix="cope-returns-"))
    write_sample_returns(folder, organisations, years, seed=3)
    return folder


@functools.cache
def _merged(organisations: int) -> MergeResult:
    return merge([sample_folder(organisations)])


def merged_result(organisations: int = 8) -> MergeResult:
    return _merged(organisations)


def merged_document(organisations: int = 8) -> dict[str, Any]:
    """A merged document from realistic returns (the latest year of ``sample_folder``)."""
    return json.loads(json.dumps(_merged(organisations).document))
