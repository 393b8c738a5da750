"""What one member's return proves about each of its hidden figures, and a central estimate.

A hidden head count is at least 1, because zeros are always published; REPORT-SPEC.md gives it
the interval [1, k-1]. But a cell hidden to protect another can be any size, so the interval
of each hidden cell is what the member's own published figures prove: the relations of
``reports.build`` (totals, the same count in two tables, distinct <= attendances) tighten it
by interval propagation. A head count that takes part in no relation can only have been hidden
for being small, so it gets [1, k-1]. The result always contains the true value.

The estimate fills every hidden cell of the return with values that satisfy all of its
relations (whole numbers; hours in tenths), as close as possible to k/2 for head counts (the
middle of [1, k-1], where most hidden cells are; rounded up to a whole number, so that the
linear programme's answer is whole without branching) and to the lowest possible value for measures
(one small integer program per return, HiGHS). Because every member's filling satisfies the
relations, their sums do too, and the network tables can be protected again like a return.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from cope_desktop.i18n import _
from cope_desktop.network.cells import figures_by_id, skeleton
from cope_desktop.reports import labels as report_labels
from cope_desktop.reports.audit import TENTHS
from cope_desktop.reports.model import Relation

EPSILON = 1e-6
"""Tolerance for sums of floats (hours) when an interval is rounded to its precision."""
_MAX_PASSES = 50
"""Interval propagation stops earlier when nothing changes; a return's relations settle in a
handful of passes, so this only bounds the work on a return built to make it loop."""


class Inconsistent(ValueError):
    """The published figures of a return contradict its own relations (edited by hand?)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Figure:
    """One figure of a member's return: exact (low == high) or an interval with an estimate."""

    low: float
    high: float
    """``math.inf`` when nothing bounds it above."""
    estimate: float
    hidden: bool

    @property
    def exact(self) -> bool:
        return not self.hidden


@dataclass(frozen=True)
class MemberFigures:
    figures: dict[str, Figure]
    """Cell id -> figure, for every cell and total of the return."""
    threshold: int


@dataclass
class _Cells:
    """Per cell id: published value or None, and for hidden cells their interval so far."""

    known: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]
    steps: dict[str, int]


def member_bounds(document: Mapping[str, Any]) -> MemberFigures:
    """The figures of one validated network return; raises ``Inconsistent``."""
    threshold = int(document["disclosure"]["threshold"])
    cells = _cells(figures_by_id(document["tables"]), threshold)
    _propagate(cells)
    estimates = _estimates(cells, threshold)
    figures = {cid: Figure(value, value, value, False) for cid, value in cells.known.items()}
    for cid in cells.low:
        figures[cid] = Figure(cells.low[cid], cells.high[cid], estimates[cid], True)
    return MemberFigures(figures, threshold)


def _cells(published: Mapping[str, Mapping[str, Any]], threshold: int) -> _Cells:
    tables = skeleton()
    related = {cid for relation in tables.relations for cid, _coef in relation.terms}
    result = _Cells({}, {}, {}, {})
    for cell in tables.all_cells():
        figure = published[cell.id]
        step = 1 if isinstance(cell.value, int) else TENTHS
        result.steps[cell.id] = step
        if figure["flag"] is None:
            result.known[cell.id] = float(figure["value"])
            continue
        result.low[cell.id] = 1.0 if cell.headcount else 0.0
        bounded = cell.headcount and cell.id not in related
        result.high[cell.id] = float(threshold - 1) if bounded else math.inf
    return result


def _propagate(cells: _Cells) -> None:
    """Tighten the hidden cells' intervals through every relation until nothing changes."""
    relations = skeleton().relations
    for relation in relations:
        if not any(cid in cells.low for cid, _coef in relation.terms):
            _check_known(relation, cells)
    active = [r for r in relations if any(cid in cells.low for cid, _coef in r.terms)]
    for _pass in range(_MAX_PASSES):
        changed = False
        for relation in active:
            changed |= _tighten(relation, cells)
        if not changed:
            return


def _check_known(relation: Relation, cells: _Cells) -> None:
    total = sum(coef * cells.known[cid] for cid, coef in relation.terms)
    if (relation.kind == "eq" and abs(total) > 0.05 + EPSILON) or (
        relation.kind == "le" and total > EPSILON
    ):
        raise Inconsistent(_relation_message(relation))


def _tighten(relation: Relation, cells: _Cells) -> bool:
    """Bound each hidden cell of ``relation`` by the others; True if an interval shrank."""
    known = sum(coef * cells.known[cid] for cid, coef in relation.terms if cid in cells.known)
    hidden = [(cid, coef) for cid, coef in relation.terms if cid in cells.low]
    lows = [coef * (cells.low[cid] if coef > 0 else cells.high[cid]) for cid, coef in hidden]
    highs = [coef * (cells.high[cid] if coef > 0 else cells.low[cid]) for cid, coef in hidden]
    changed = False
    for index, (cid, coef) in enumerate(hidden):
        rest_low = known + _sum_except(lows, index)
        rest_high = known + _sum_except(highs, index)
        # coef * x + rest == 0 (or <= 0): coef * x lies in [-rest_high, -rest_low]
        upper = -rest_low
        lower = -rest_high if relation.kind == "eq" else -math.inf
        low, high = (lower / coef, upper / coef) if coef > 0 else (upper / coef, lower / coef)
        changed |= _narrow(cells, cid, low, high, relation)
    return changed


def _sum_except(values: list[float], index: int) -> float:
    total = 0.0
    for position, value in enumerate(values):
        if position != index:
            total += value
    return total


def _narrow(cells: _Cells, cid: str, low: float, high: float, relation: Relation) -> bool:
    step = cells.steps[cid]
    if math.isfinite(low):
        low = math.ceil(low * step - EPSILON) / step
    if math.isfinite(high):
        high = math.floor(high * step + EPSILON) / step
    changed = False
    if low > cells.low[cid]:
        cells.low[cid] = low
        changed = True
    if high < cells.high[cid]:
        cells.high[cid] = high
        changed = True
    if cells.low[cid] > cells.high[cid]:
        raise Inconsistent(_relation_message(relation))
    return changed


def _relation_message(relation: Relation) -> str:
    table_id = relation.terms[0][0].split("/")[0]
    names = ", ".join(cid.split("/", 1)[1].replace("*", _("total")) for cid, _c in relation.terms)
    return _("its figures do not add up in “{table}” ({cells})").format(
        table=report_labels.table_title(table_id), cells=names
    )


def _estimates(cells: _Cells, threshold: int) -> dict[str, float]:
    """A filling of the hidden cells that satisfies every relation, near the usual values."""
    hidden = sorted(cells.low)
    if not hidden:
        return {}
    index = {cid: number for number, cid in enumerate(hidden)}
    targets = [_target(cells, cid, threshold) for cid in hidden]
    count = len(hidden)
    rows: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []
    for relation in skeleton().relations:
        if not any(cid in index for cid, _coef in relation.terms):
            continue
        row = np.zeros(2 * count)
        constant = 0.0
        for cid, coef in relation.terms:
            if cid in index:
                row[index[cid]] += coef / cells.steps[cid]
            else:
                constant += coef * cells.known[cid]
        rows.append(row)
        lower.append(-constant if relation.kind == "eq" else -np.inf)
        upper.append(-constant)
    for number, cid in enumerate(hidden):  # t >= |x - target| in steps
        step = cells.steps[cid]
        for sign in (1.0, -1.0):
            row = np.zeros(2 * count)
            row[number] = sign
            row[count + number] = -1.0
            rows.append(row)
            lower.append(-np.inf)
            upper.append(sign * targets[number] * step)
    low = [cells.low[cid] * cells.steps[cid] for cid in hidden] + [0.0] * count
    high = [cells.high[cid] * cells.steps[cid] for cid in hidden] + [np.inf] * count
    objective = np.concatenate([np.zeros(count), np.ones(count)])
    integrality = np.concatenate([np.ones(count), np.zeros(count)])
    constraints = LinearConstraint(np.array(rows), lower, upper)
    result = milp(objective, constraints=constraints, bounds=Bounds(low, high))
    if result.x is not None and not _whole(result.x[:count]):
        result = milp(
            objective, constraints=constraints, bounds=Bounds(low, high), integrality=integrality
        )
    if result.x is None:
        raise Inconsistent(_("its hidden figures cannot satisfy its own totals"))
    return {cid: round(result.x[index[cid]]) / cells.steps[cid] for cid in hidden}


def _whole(values: np.ndarray) -> bool:
    return bool(np.all(np.abs(values - np.round(values)) < EPSILON))


def _target(cells: _Cells, cid: str, threshold: int) -> float:
    """Where the estimate of a hidden cell is drawn to: k/2 for a count, else its lowest."""
    low, high = cells.low[cid], cells.high[cid]
    headcount = skeleton().cell(cid).headcount
    wanted = math.ceil(threshold / 2) if headcount else low
    return min(max(wanted, low), high)
