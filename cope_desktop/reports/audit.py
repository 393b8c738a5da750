"""How much could a reader of a protected return find out about each suppressed cell?

The attacker model of REPORT-SPEC.md: a reader knows every published cell and every linear
relation between the cells (``TableSet.relations``), that a hidden head count is at least 1
(zeros are always published) and that a hidden measure is at least 0, and that counts are
whole numbers and hours have one decimal. For every suppressed cell the audit computes the
smallest and largest value it can take under all of that together, with at most one integer
program per bound (``scipy.optimize.milp``, HiGHS; see ``_Problem`` for the calls it saves).
A cell fails when it is pinned to one value or, for a head count, narrowed to inside [1, k-1].

Suppressed cells only interact through relations, so the problem splits into connected
components that are solved separately. ``Auditor`` remembers each component's bounds, keyed
by its suppressed cells: disclosure control audits the same tables many times while it adds
or removes a few suppressions, and most components do not change between two audits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cope_desktop.reports.model import Cell, TableSet

TENTHS = 10
"""Every relation is solved in tenths, the finest unit published (hours have one decimal)."""

_OPTIMAL = 0
_UNBOUNDED = (3, 4)
"""HiGHS may answer "unbounded" or "infeasible or unbounded"; the true values are feasible."""

_MILP_OPTIONS = {"mip_rel_gap": 0.0}
"""The default relative gap (1e-4) could stop short of the true bound on large values."""


@dataclass(frozen=True)
class AuditFailure:
    """A suppressed cell that a reader can work out (``lo == hi``) or tell is below k."""

    cell_id: str
    lo: float
    hi: float


@dataclass
class AuditResult:
    ok: bool
    bounds: dict[str, tuple[float, float]]
    """Suppressed cell id -> the smallest and largest value it can take (``hi`` may be inf)."""
    failures: list[AuditFailure]


def audit(tables: TableSet, threshold: int) -> AuditResult:
    """Bounds of every suppressed cell of ``tables``, and the cells left unprotected."""
    return Auditor(tables, threshold).run()


def steps(cell: Cell) -> int:
    """How many steps of the cell's precision make one unit: 1 for counts, 10 for hours."""
    return 1 if isinstance(cell.value, int) else TENTHS


def lower_bound(cell: Cell) -> int:
    """What a reader knows a hidden cell is at least: zeros are published, so 1 for a count."""
    return 1 if cell.headcount else 0


def fails(cell: Cell, lo: float, hi: float, threshold: int) -> bool:
    """Whether bounds ``lo``..``hi`` of a suppressed ``cell`` disclose too much."""
    if hi - lo < 0.5 / steps(cell):
        return True
    return cell.headcount and lo >= 1 and hi <= threshold - 1


@dataclass(frozen=True)
class _Row:
    """One relation in integer steps: ``sum(coefficient * steps value) (== or <=) 0``."""

    terms: tuple[tuple[str, int], ...]
    kind: str


class Auditor:
    """Audits one ``TableSet`` as often as needed while its suppression pattern changes.

    Only the ``suppressed`` flags may change while an auditor is in use, not the figures.
    """

    def __init__(self, tables: TableSet, threshold: int) -> None:
        self.tables = tables
        self.threshold = threshold
        self._cells = {cell.id: cell for cell in tables.all_cells()}
        self._value = {cid: round(cell.value * steps(cell)) for cid, cell in self._cells.items()}
        self._rows = [
            _Row(
                tuple((cid, coef * TENTHS // steps(self._cells[cid])) for cid, coef in rel.terms),
                rel.kind,
            )
            for rel in tables.relations
        ]
        self._rows_of: dict[str, list[int]] = {}
        for number, row in enumerate(self._rows):
            for cid, _coef in row.terms:
                self._rows_of.setdefault(cid, []).append(number)
        self._check_true_values()
        self._bounds: dict[frozenset[str], dict[str, tuple[float, float]]] = {}
        self._failing: dict[frozenset[str], list[str]] = {}

    def _check_true_values(self) -> None:
        """The exact figures must satisfy every relation, else the tables are built wrong."""
        for row in self._rows:
            total = sum(coef * self._value[cid] for cid, coef in row.terms)
            if total > 0 or (row.kind == "eq" and total != 0):
                raise ValueError(f"relation {row.terms} does not hold for the figures")

    def run(self) -> AuditResult:
        """Audit the tables' current suppression pattern."""
        bounds: dict[str, tuple[float, float]] = {}
        for component in self.components():
            key = frozenset(component)
            if key not in self._bounds:
                self._bounds[key] = self._component_bounds(component)
            bounds.update(self._bounds[key])
        failures = [
            AuditFailure(cid, lo, hi)
            for cid, (lo, hi) in sorted(bounds.items())
            if fails(self._cells[cid], lo, hi, self.threshold)
        ]
        return AuditResult(not failures, bounds, failures)

    def failing(self) -> list[str]:
        """The ids of the cells ``run`` would report as failures, found with fewer solves.

        Deciding whether a cell fails rarely needs both of its exact bounds: two possible
        values seen for it, one of them at least k for a count, show that it is safe.
        """
        failing: list[str] = []
        for component in self.components():
            key = frozenset(component)
            if key not in self._failing:
                problem = self._problem(component)
                self._failing[key] = [component[i] for i in problem.failing(self.threshold)]
            failing.extend(self._failing[key])
        return sorted(failing)

    def components(self) -> list[list[str]]:
        """The suppressed cells, grouped by the relations that link them (sorted ids)."""
        hidden = [cid for cid, cell in self._cells.items() if cell.suppressed]
        parent = {cid: cid for cid in hidden}

        def root(cid: str) -> str:
            while parent[cid] != cid:
                parent[cid] = parent[parent[cid]]
                cid = parent[cid]
            return cid

        for row in self._rows:
            linked = [cid for cid, _coef in row.terms if cid in parent]
            for other in linked[1:]:
                parent[root(other)] = root(linked[0])
        groups: dict[str, list[str]] = {}
        for cid in hidden:
            groups.setdefault(root(cid), []).append(cid)
        return sorted(sorted(group) for group in groups.values())

    def rows_of(self, cell_id: str) -> list[int]:
        """Indices into ``tables.relations`` of the relations that contain ``cell_id``."""
        return self._rows_of.get(cell_id, [])

    def _problem(self, ids: Sequence[str]) -> _Problem:
        return _Problem(ids, self._cells, self._value, self._rows, self._rows_of)

    def _component_bounds(self, ids: Sequence[str]) -> dict[str, tuple[float, float]]:
        lo, hi = self._problem(ids).bounds()
        result: dict[str, tuple[float, float]] = {}
        for cid, low, high in zip(ids, lo, hi, strict=True):
            unit = steps(self._cells[cid])
            result[cid] = (_to_units(low, unit), _to_units(high, unit))
        return result


def _to_units(value: float, unit: int) -> float:
    if math.isinf(value):
        return math.inf
    return float(value) if unit == 1 else round(float(value) / unit, 1)


class _Problem:
    """One component: its suppressed cells are the variables (in steps), the rest constants.

    Solver calls dominate the cost, so they are avoided where possible. Propagating the
    relations gives outer bounds for free; every point found by the solver (and the true
    values) is kept as a witness, a possible set of hidden values, and a witness that reaches
    an outer bound proves it exact. Each remaining bound is sought with the linear relaxation
    first, several times faster than the integer program: when its optimum is a whole-number
    point, that point is also the integer optimum (tables with totals nearly always give one);
    otherwise the integer program is solved.
    """

    def __init__(
        self,
        ids: Sequence[str],
        cells: dict[str, Cell],
        values: dict[str, int],
        rows: Sequence[_Row],
        rows_of: dict[str, list[int]],
    ) -> None:
        index = {cid: i for i, cid in enumerate(ids)}
        numbers = sorted({n for cid in ids for n in rows_of.get(cid, [])})
        self.n = len(ids)
        self.cells = [cells[cid] for cid in ids]
        self.matrix = np.zeros((len(numbers), self.n))
        self.rhs = np.zeros(len(numbers))
        self.equal = np.zeros(len(numbers), dtype=bool)
        for r, number in enumerate(numbers):
            row = rows[number]
            for cid, coef in row.terms:
                if cid in index:
                    self.matrix[r, index[cid]] += coef
                else:
                    self.rhs[r] -= coef * values[cid]
            self.equal[r] = row.kind == "eq"
        self.lower = np.array([lower_bound(cell) for cell in self.cells], dtype=float)
        self.witnesses = [np.array([values[cid] for cid in ids], dtype=float)]
        if np.any(self.witnesses[0] < self.lower):
            raise ValueError("a zero head count is suppressed: zeros are always published")
        from scipy.optimize import Bounds, LinearConstraint  # slow to import: only when needed

        self._constraint = LinearConstraint(
            self.matrix, np.where(self.equal, self.rhs, -np.inf), self.rhs
        )
        self._bounds = Bounds(self.lower, np.full(self.n, np.inf))
        self._propagate()

    def bounds(self) -> tuple[list[float], list[float]]:
        """The smallest and largest value of every variable, in steps."""
        if self.n == 1:  # propagating its relations is exact for one variable
            return list(self.outer_lo), list(self.outer_hi)
        hi: dict[int, float] = {}
        for i in range(self.n):
            if i not in hi:
                hi[i] = self._maximum(i)
                if math.isinf(hi[i]):
                    hi.update((j, math.inf) for j in self._unbounded())
        return [self._minimum(i) for i in range(self.n)], [hi[i] for i in range(self.n)]

    def failing(self, threshold: int) -> list[int]:
        """The variables that fail the audit, solving only what deciding that needs."""
        if self.n == 1:
            unit = steps(self.cells[0])
            lo, hi = self.outer_lo[0] / unit, self.outer_hi[0] / unit
            return [0] if fails(self.cells[0], lo, hi, threshold) else []
        # A witness that raises the small counts most at once decides many cells together.
        truth = self.witnesses[0]
        small = [cell.headcount and truth[i] < threshold for i, cell in enumerate(self.cells)]
        free = self._free(np.where(small, 2.0, 1.0))
        failing = []
        for i in range(self.n):
            if i in free or self._shown_safe(i, threshold):
                continue
            if self.outer_lo[i] == self.outer_hi[i] or (
                self.cells[i].headcount and self.outer_hi[i] <= threshold - 1
            ):
                failing.append(i)
                continue
            hi = self._maximum(i)
            narrowed = self.cells[i].headcount and hi <= threshold - 1
            if narrowed or (not self._shown_safe(i, threshold) and self._minimum(i) == hi):
                failing.append(i)
        return failing

    def _free(self, weights: np.ndarray) -> set[int]:
        """The variables with no upper bound, maximising ``weights`` (> 0) times the variables.

        Every ray of the feasible set is >= 0 (each variable has a lower bound and no upper
        bound), so that weighted sum is unbounded exactly when some variable is: one linear
        program, which leaves a witness when it is bounded, usually settles it.
        """
        remaining = np.ones(self.n, dtype=bool)
        free: set[int] = set()
        while remaining.any():
            if self._optimise(-np.where(remaining, weights, 0.0)) is not None:
                return free
            if free:
                raise RuntimeError("disclosure audit: unbounded after removing every ray")
            free = set(self._unbounded())
            remaining[list(free)] = False
        return free

    def _shown_safe(self, i: int, threshold: int) -> bool:
        """Whether two witnesses differ in variable i, one of them k or more for a count."""
        seen = {w[i] for w in self.witnesses}
        return len(seen) > 1 and (not self.cells[i].headcount or max(seen) >= threshold)

    def _maximum(self, i: int) -> float:
        if any(w[i] >= self.outer_hi[i] for w in self.witnesses):
            return float(self.outer_hi[i])
        objective = np.zeros(self.n)
        objective[i] = -1.0
        found = self._optimise(objective)
        return math.inf if found is None else found[i]

    def _minimum(self, i: int) -> float:
        if any(w[i] <= self.outer_lo[i] for w in self.witnesses):
            return float(self.outer_lo[i])
        objective = np.zeros(self.n)
        objective[i] = 1.0
        found = self._optimise(objective)
        if found is None:
            raise RuntimeError("a suppressed cell has no lower bound")
        return found[i]

    def _propagate(self, rounds: int = 8) -> None:
        """Outer bounds by propagating each relation's bounds to its variables in turn.

        They cost no solver call and are often exact: a possible value (witness) that
        reaches one is then the optimum, and the integer program for it is not needed.
        """
        lo = [float(b) for b in self.lower]
        hi = [math.inf] * self.n
        rows = []  # (terms, rhs) for sum(coef * x) <= rhs
        for r in range(len(self.rhs)):
            terms = [(int(j), float(self.matrix[r, j])) for j in np.flatnonzero(self.matrix[r])]
            rows.append((terms, float(self.rhs[r])))
            if self.equal[r]:
                rows.append(([(j, -a) for j, a in terms], -float(self.rhs[r])))
        for _round in range(rounds):
            changed = False
            for terms, rhs in rows:
                for j, a in terms:
                    rest = sum(b * (lo[k] if b > 0 else hi[k]) for k, b in terms if k != j)
                    if math.isinf(rest):
                        continue
                    limit = (rhs - rest) / a
                    if a > 0 and math.floor(limit + 1e-9) < hi[j]:
                        hi[j] = math.floor(limit + 1e-9)
                        changed = True
                    elif a < 0 and math.ceil(limit - 1e-9) > lo[j]:
                        lo[j] = math.ceil(limit - 1e-9)
                        changed = True
            if not changed:
                break
        self.outer_lo, self.outer_hi = np.array(lo), np.array(hi)

    def _optimise(self, objective: np.ndarray) -> np.ndarray | None:
        """A whole-number optimum of ``objective`` (kept as a witness); None when unbounded."""
        from scipy.optimize import milp

        for integrality in (None, np.ones(self.n)):
            result = milp(
                objective,
                integrality=integrality,
                bounds=self._bounds,
                constraints=self._constraint,
                options=dict(_MILP_OPTIONS),
            )
            if result.status in _UNBOUNDED:
                return None
            if result.status != _OPTIMAL or result.x is None:
                raise RuntimeError(f"disclosure audit could not be solved: {result.message}")
            point = np.round(result.x)
            if np.all(np.abs(result.x - point) < 1e-6):
                self.witnesses.append(point)
                return point
        raise RuntimeError("the integer program returned a fractional point")

    def _unbounded(self) -> list[int]:
        """Variables that can grow without limit: those some ray of the feasible set raises.

        One linear program over directions d >= 0 with ``A d (== or <=) 0`` finds all of them
        at once: maximise the sum of t_j <= min(d_j, 1). (For a feasible integer program with
        rational data, unbounded means the same as for its linear relaxation.)
        """
        from scipy.optimize import Bounds, LinearConstraint, milp

        n, m = self.n, len(self.rhs)
        direction = np.hstack([self.matrix, np.zeros((m, n))])
        capped = np.hstack([-np.eye(n), np.eye(n)])
        constraint = LinearConstraint(
            np.vstack([direction, capped]),
            np.concatenate([np.where(self.equal, 0.0, -np.inf), np.full(n, -np.inf)]),
            np.zeros(m + n),
        )
        upper = np.concatenate([np.full(n, np.inf), np.ones(n)])
        result = milp(
            np.concatenate([np.zeros(n), -np.ones(n)]),
            bounds=Bounds(np.zeros(2 * n), upper),
            constraints=constraint,
        )
        if result.status != _OPTIMAL or result.x is None:
            raise RuntimeError(f"disclosure audit could not be solved: {result.message}")
        return [j for j in range(n) if result.x[n + j] > 0.5]
