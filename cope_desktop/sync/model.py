"""The state of one synced row and how two states merge (pure: no database here).

A field is a multi-value register: a set of candidates ``(value, dot)``. Merging keeps a
candidate of one side when the other side also has it or has not seen its dot; the row's
version vector becomes the element-wise maximum. That join is commutative, associative and
idempotent, so copies converge whatever order bundles arrive in.

Candidates of **equal value** stay in the state (dropping one would lose the fact that its
write happened, and the join would no longer be associative), but they are one choice:
``choices`` collapses them to the greatest dot and ``conflicted`` counts distinct values.

``updated_at`` changes with every edit of a row: it is not a conflict when two copies edit
different fields. It merges as "the latest time wins" (a max register, also a join).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENESIS = "00000000-0000-0000-0000-000000000000"
"""The device of values written before synchronisation (or bulk-loaded): dot counter 0."""

SYNCED_TABLES: tuple[str, ...] = (
    "prison",
    "activity_series",
    "family",
    "case_status_change",
    "child",
    "caregiver",
    "imprisoned_relative",
    "custody_event",
    "child_relative",
    "consent",
    "support_service",
    "case_note",
    "activity",
    "attendance",
    "feedback",
    "release_log",
)
"""Every synchronised table, each after the tables its foreign keys point to."""

LATEST_WINS: frozenset[str] = frozenset({"updated_at"})
"""Fields that merge as "the greatest value wins" instead of becoming conflicts."""


@functools.total_ordering
@dataclass(frozen=True)
class Dot:
    """One write: the ``counter``-th transaction of ``device``. Ordered by (counter, device)."""

    device: str
    counter: int

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Dot):
            return NotImplemented
        return (self.counter, self.device) < (other.counter, other.device)


GENESIS_DOT = Dot(GENESIS, 0)


@dataclass(frozen=True)
class Candidate:
    """A field's value (JSON form, see ``sync/values.py``) and the write that produced it."""

    value: Any
    dot: Dot


@dataclass(frozen=True)
class RowState:
    """A synced row: its version vector, its fields' candidates, or a tombstone."""

    vv: Mapping[str, int] = field(default_factory=dict)
    fields: Mapping[str, tuple[Candidate, ...]] = field(default_factory=dict)
    deleted: bool = False

    def value(self, name: str) -> Any:
        """The value the row's column holds: the candidate with the greatest dot."""
        return winner(self.fields[name]).value


def stored_candidates(stored: Iterable[Mapping[str, Any]]) -> tuple[Candidate, ...]:
    """Candidates from their stored form (``sync_field.candidates``, a bundle's conflicts)."""
    return tuple(
        Candidate(item["value"], Dot(str(item["device"]), int(item["counter"]))) for item in stored
    )


def storable(candidates: Iterable[Candidate]) -> list[dict[str, Any]]:
    """The stored form of candidates: ``[{"value", "device", "counter"}, ...]``."""
    return [
        {"value": c.value, "device": c.dot.device, "counter": c.dot.counter} for c in candidates
    ]


def _seen(vv: Mapping[str, int], dot: Dot) -> bool:
    return vv.get(dot.device, 0) >= dot.counter


def _value_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _sorted(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """Greatest dot first; candidates of one dot (only in damaged states) by value."""
    unique = {(c.dot, _value_key(c.value)): c for c in candidates}
    return tuple(unique[key] for key in sorted(unique, reverse=True))


def winner(candidates: Iterable[Candidate]) -> Candidate:
    """The candidate the row's column holds (copies agree on it)."""
    return _sorted(candidates)[0]


def _merge_field(
    name: str,
    mine: tuple[Candidate, ...],
    mine_vv: Mapping[str, int],
    theirs: tuple[Candidate, ...],
    theirs_vv: Mapping[str, int],
) -> tuple[Candidate, ...]:
    if name in LATEST_WINS:
        best = max((*mine, *theirs), key=lambda c: (_value_key(c.value), c.dot))
        return (best,)
    mine_dots = {c.dot for c in mine}
    theirs_dots = {c.dot for c in theirs}
    kept = [c for c in mine if c.dot in theirs_dots or not _seen(theirs_vv, c.dot)]
    kept += [c for c in theirs if c.dot in mine_dots or not _seen(mine_vv, c.dot)]
    return _sorted(kept)


def merge(local: RowState | None, remote: RowState) -> RowState:
    """The join of two states of the same row (``local`` None: the row is new here)."""
    if local is None:
        return remote
    vv = dict(local.vv)
    for device, counter in remote.vv.items():
        vv[device] = max(vv.get(device, 0), counter)
    if local.deleted or remote.deleted:
        return RowState(vv, {}, True)
    fields: dict[str, tuple[Candidate, ...]] = {}
    for name in sorted(set(local.fields) | set(remote.fields)):
        mine = local.fields.get(name, ())
        theirs = remote.fields.get(name, ())
        if not mine or not theirs:
            fields[name] = _sorted(mine or theirs)
            continue
        merged = _merge_field(name, mine, local.vv, theirs, remote.vv)
        # A field both sides lost entirely cannot happen for well-formed states; keep the
        # greatest write rather than an empty field.
        fields[name] = merged or (winner((*mine, *theirs)),)
    return RowState(vv, fields, False)


def choices(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    """The distinct values of a field, each with its greatest dot, greatest dot first."""
    best: dict[str, Candidate] = {}
    for candidate in _sorted(candidates):
        best.setdefault(_value_key(candidate.value), candidate)
    return tuple(best.values())


def conflicted(state: RowState) -> list[str]:
    """The fields of ``state`` holding two or more different values, for a person to resolve."""
    return sorted(
        name
        for name, candidates in state.fields.items()
        if name not in LATEST_WINS and len(choices(candidates)) > 1
    )
