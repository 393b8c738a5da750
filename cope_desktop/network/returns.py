"""Reading members' network returns and deciding which ones a merge takes (TARGETS.md R6).

Every file is judged on its own and gets one reason when it is left out: it cannot be read,
it is not JSON, it is not a network return (an internal report is said to be one), it was made
for another version of the format, its checksum does not match (changed or damaged after it
was written), it does not match the JSON Schema, a table lists a category twice or misses
one, or its figures contradict its own totals. Then, among the good ones, one period is
chosen; returns for another period and older returns of the same organisation are left out,
each said so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cope_desktop.i18n import _
from cope_desktop.network import fast_schema
from cope_desktop.network.bounds import Inconsistent, MemberFigures, member_bounds
from cope_desktop.network.cells import DuplicateCell, cell_ids, figures_by_id
from cope_desktop.reports import document as report_document
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import INTERNAL_SCHEMA_ID, NETWORK_SCHEMA_ID, InvalidReturn

MAX_RETURN_BYTES = 5 * 1024 * 1024
"""A return is tens of kilobytes; anything much larger is not one (and is not read)."""

RETURN_FAMILY = "cope-network-return/"


@dataclass(frozen=True)
class Loaded:
    """A file that is a network return in the current format with a matching checksum."""

    path: Path
    document: dict[str, Any]
    period: Period
    figures: MemberFigures | None = None
    """Set once the return passed every check (``check``)."""

    def head(self) -> Loaded:
        """The same return without its tables: enough to list it and choose a period.

        A folder may hold hundreds of years' returns; only the merged period's are kept whole.
        """
        body = {
            key: value for key, value in self.document.items() if key not in ("tables", "quotes")
        }
        return replace(self, document=body)

    @property
    def organisation(self) -> dict[str, str]:
        return dict(self.document["organisation"])

    @property
    def organisation_id(self) -> str:
        return str(self.document["organisation"]["id"])

    @property
    def country(self) -> str:
        return str(self.document["organisation"]["country"])

    @property
    def generated_at(self) -> str:
        return str(self.document["generated"]["at"])

    @property
    def threshold(self) -> int:
        return int(self.document["disclosure"]["threshold"])

    @property
    def checksum(self) -> str:
        return str(self.document["checksum"])


@dataclass(frozen=True)
class Rejected:
    """A file left out of the merge, with why (a code of ``PROBLEMS`` and one line)."""

    path: Path
    problem: str
    reason: str
    loaded: Loaded | None = None
    """What could be read of it, when it is a return (left out as a duplicate, say)."""


@dataclass(frozen=True)
class Choice:
    """The returns a merge takes for one period, and every file it leaves out."""

    period: Period
    periods: dict[Period, int]
    """Valid returns found per period."""
    merged: list[Loaded]
    left_out: list[Rejected]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given and the ``*.json`` files of folders (not recursive), each once."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".json"))
        else:
            result.append(path)
    seen: set[Path] = set()
    unique = []
    for path in result:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


_HEADS: dict[tuple[str, int, int], Loaded | Rejected] = {}
_MAX_HEADS = 20_000
"""Heads remembered at most (a few kilobytes each): 140 members' returns for a century."""


def read_head(path: Path) -> Loaded | Rejected:
    """``read`` without the tables, remembered while the file stays the same.

    The Network screen merges again whenever the period or the threshold changes; a folder
    of ten years' returns is then not read and checksummed again each time. A changed file
    has another modification time or size, so it is read again.
    """
    try:
        stat = path.stat()
    except OSError:
        return read(path)
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    found = _HEADS.get(key)
    if found is None:
        item = read(path)
        found = item.head() if isinstance(item, Loaded) else item
        if len(_HEADS) >= _MAX_HEADS:
            _HEADS.clear()
        _HEADS[key] = found
    return found


def read(path: Path) -> Loaded | Rejected:
    """Read one file as far as its header and checksum (cheap; ``check`` does the rest)."""
    try:
        if path.stat().st_size > MAX_RETURN_BYTES:
            return Rejected(path, "not_a_return", _("too large to be a network return"))
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return Rejected(path, "unreadable", _("cannot be read ({error})").format(error=reason))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Rejected(path, "not_json", _("not a text file in UTF-8"))
    except json.JSONDecodeError as error:
        return Rejected(
            path,
            "not_json",
            _("not valid JSON (line {line}, column {column}: {problem})").format(
                line=error.lineno, column=error.colno, problem=error.msg
            ),
        )
    return _header(path, document)


def _header(path: Path, document: Any) -> Loaded | Rejected:
    schema = document.get("schema") if isinstance(document, dict) else None
    if schema == INTERNAL_SCHEMA_ID:
        return Rejected(
            path,
            "not_a_return",
            _("an internal report: it has exact figures and is never sent to the network"),
        )
    if not isinstance(schema, str) or not schema.startswith(RETURN_FAMILY):
        return Rejected(path, "not_a_return", _("not a COPE network return"))
    if schema != NETWORK_SCHEMA_ID:
        return Rejected(
            path,
            "version",
            _("made in format {schema}; this version of COPE Desktop reads {supported}").format(
                schema=schema, supported=NETWORK_SCHEMA_ID
            ),
        )
    if document.get("checksum") != report_document.checksum(document):
        return Rejected(
            path,
            "checksum",
            _("its checksum does not match: the file was changed or damaged after it was written"),
        )
    period = _period(document)
    if period is None:
        return _schema_problem(path, document)
    return Loaded(path, document, period)


def _period(document: dict[str, Any]) -> Period | None:
    try:
        period = document["period"]
        return Period(dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"]))
    except (KeyError, TypeError, ValueError, InvalidReturn):
        return None
    except Exception:
        return None


def check(loaded: Loaded) -> Loaded | Rejected:
    """The full checks: JSON Schema, every category once, figures that add up."""
    if not fast_schema.is_valid(loaded.document):
        return _schema_problem(loaded.path, loaded.document)
    try:
        ids = figures_by_id(loaded.document["tables"]).keys()
    except DuplicateCell as duplicate:
        return Rejected(
            loaded.path,
            "schema",
            _("a table lists the same figure twice ({cell})").format(cell=duplicate.args[0]),
        )
    missing = sorted(cell_ids().difference(ids))
    if missing:
        return Rejected(
            loaded.path,
            "schema",
            _("a table misses a figure ({cell})").format(cell=missing[0]),
        )
    try:
        figures = member_bounds(loaded.document)
    except Inconsistent as problem:
        return Rejected(loaded.path, "inconsistent", problem.message)
    return replace(loaded, figures=figures)


def _schema_problem(path: Path, document: dict[str, Any]) -> Rejected:
    return Rejected(path, "schema", fast_schema.explain(document))


def choose(loaded: Sequence[Loaded], period: Period | None) -> tuple[Period, dict[Period, int]]:
    """The period to merge: ``period`` if given, else the one most returns are for."""
    periods = Counter(item.period for item in loaded)
    if period is not None:
        return period, dict(periods)
    ranked = sorted(periods.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return ranked[0][0], dict(periods)


def latest_per_organisation(returns: Sequence[Loaded]) -> tuple[list[Loaded], list[Rejected]]:
    """One return per organisation: the latest generated (then the last file).

    The others are left out as duplicates, each naming the one kept.
    """
    best: dict[str, Loaded] = {}
    for item in returns:
        kept = best.get(item.organisation_id)
        if kept is None or (item.generated_at, str(item.path)) > (
            kept.generated_at,
            str(kept.path),
        ):
            best[item.organisation_id] = item
    left_out = [
        Rejected(item.path, "duplicate", _duplicate_reason(item, best[item.organisation_id]), item)
        for item in returns
        if best[item.organisation_id] is not item
    ]
    merged = sorted(best.values(), key=lambda item: item.organisation_id)
    return merged, left_out


def _duplicate_reason(item: Loaded, kept: Loaded) -> str:
    if item.checksum == kept.checksum:
        return _("the same return as {file}, which is merged").format(file=kept.path.name)
    return _(
        "{organisation} sent a later return for this period ({file}); only that one is merged"
    ).format(organisation=kept.organisation["name"] or kept.organisation_id, file=kept.path.name)


def other_period(item: Loaded, period: Period) -> Rejected:
    return Rejected(
        item.path,
        "other_period",
        _("for {period}, not for {merged}").format(
            period=item.period.label(), merged=period.label()
        ),
        item,
    )
