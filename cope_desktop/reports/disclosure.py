"""Disclosure control of the network return: which cells are published as "<k".

Primary suppression hides every head count from 1 to k-1 and the measures (sessions, hours)
that describe a hidden count of people. Secondary suppression then hides more cells until no
hidden cell can be worked out, or narrowed to inside [1, k-1], from the published cells and
the relations between them (``audit``). The cells chosen are, in order of preference: those
hidden in the previous period's return (R13: a stable pattern cannot be differenced across
years), inner cells rather than totals, small values rather than large; ties go by cell id,
so the same figures always give the same pattern. Zero head counts are never hidden.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.reports.audit import Auditor, fails, lower_bound
from cope_desktop.reports.model import Cell, Relation, TableSet

MIN_THRESHOLD = 3


def protect(
    tables: TableSet,
    threshold: int,
    preferred: Collection[str] = (),
    sensitive: Collection[str] = (),
) -> None:
    """Mark the cells of ``tables`` to suppress for threshold ``threshold`` (k).

    ``preferred`` holds the ids of the cells suppressed in the previous period's return:
    where two choices protect equally well, those are hidden again. Marks left by an
    earlier call are cleared first. The result passes ``audit`` unless nothing more can be
    hidden (not seen in practice: hiding every non-zero cell of a group always protects it).
    ``sensitive`` holds ids to hide as primary whatever their value: the network merge's
    figures that may be small because a member hid a small number behind them.
    """
    if threshold < MIN_THRESHOLD:
        raise UserInputError(
            _("The disclosure threshold must be at least {minimum}; {threshold} was given.").format(
                minimum=MIN_THRESHOLD, threshold=threshold
            )
        )
    _Protection(tables, threshold, frozenset(preferred), frozenset(sensitive)).run()


class _Protection:
    def __init__(
        self,
        tables: TableSet,
        threshold: int,
        preferred: frozenset[str],
        sensitive: frozenset[str] = frozenset(),
    ) -> None:
        self.tables = tables
        self.threshold = threshold
        self.preferred = preferred
        self.sensitive = sensitive
        self.cells = {cell.id: cell for cell in tables.all_cells()}
        self.followers: dict[str, list[Cell]] = {}
        for cell in self.cells.values():
            if cell.follows is not None:
                self.followers.setdefault(cell.follows, []).append(cell)
        self.auditor = Auditor(tables, threshold)

    def run(self) -> None:
        for cell in self.cells.values():
            cell.suppressed = cell.primary = False
        self._primary()
        while True:
            self._classic_pass()
            failing = self.auditor.failing()
            if not failing or not self._fix(failing):
                break
        self._minimise()

    def _primary(self) -> None:
        for cell in self.cells.values():
            small = cell.headcount and 1 <= cell.value <= self.threshold - 1
            if small or cell.id in self.sensitive:
                cell.suppressed = cell.primary = True
        for cell in self.cells.values():
            if cell.follows is not None and self.cells[cell.follows].suppressed:
                cell.suppressed = cell.primary = True

    def _suppress(self, cell: Cell) -> None:
        """Hide ``cell`` as a secondary suppression, with the measures that follow it."""
        cell.suppressed = True
        for follower in self.followers.get(cell.id, []):
            follower.suppressed = True

    def _cost(self, cell: Cell, covers: int = 0) -> tuple[bool, bool, int, bool, float, str]:
        """Cheapest first: non-zero, hidden last time, closing many relations, inner, small."""
        return (
            cell.value == 0,
            cell.id not in self.preferred,
            -covers,
            cell.is_total,
            float(cell.value),
            cell.id,
        )

    def _hideable(self, relation: Relation) -> set[str]:
        """The published cells of ``relation`` that may be hidden (never a zero head count)."""
        return {
            cid
            for cid, _coef in relation.terms
            if not self.cells[cid].suppressed
            and not (self.cells[cid].headcount and self.cells[cid].value == 0)
        }

    def _cheapest(self, relations: Iterable[Relation]) -> Cell | None:
        """The cheapest published cell of ``relations`` that may be hidden, if any."""
        candidates = {cid for relation in relations for cid in self._hideable(relation)}
        return min((self.cells[cid] for cid in candidates), key=self._cost, default=None)

    def _classic_pass(self) -> None:
        """Hide more cells until no relation gives away a lone hidden cell by subtraction.

        Each step hides the cell that closes the most such relations at once (in a table,
        the fourth corner of a rectangle), so that hidden cells form short cycles.
        """
        while True:
            covers: Counter[str] = Counter()
            for relation in self.tables.relations:
                hidden = [cid for cid, _coef in relation.terms if self.cells[cid].suppressed]
                if len(hidden) == 1 and self._pins(relation, hidden[0]):
                    covers.update(self._hideable(relation))
            if not covers:
                return
            choice = min(covers, key=lambda cid: self._cost(self.cells[cid], covers[cid]))
            self._suppress(self.cells[choice])

    def _pins(self, relation: Relation, cell_id: str) -> bool:
        """Whether ``relation`` alone gives away its only hidden cell."""
        if relation.kind == "eq":
            return True
        cell = self.cells[cell_id]
        coef = next(c for cid, c in relation.terms if cid == cell_id)
        if coef < 0:
            return False
        rest = sum(c * self.cells[cid].value for cid, c in relation.terms if cid != cell_id)
        highest = -rest / coef
        return fails(cell, lower_bound(cell), highest, self.threshold)

    def _fix(self, failing: list[str]) -> bool:
        """Hide one more cell near each failing cell; False when nothing more can be hidden."""
        added: set[str] = set()
        for cell_id in failing:
            near = self._nearest_with_candidates(cell_id)
            if any(cid in added for relation in near for cid, _coef in relation.terms):
                continue
            choice = self._loosest(near)
            if choice is not None:
                self._suppress(choice)
                added.add(choice.id)
        return bool(added)

    def _nearest_with_candidates(self, cell_id: str) -> list[Relation]:
        """The relations around ``cell_id`` that have a cell that may be hidden.

        First those that contain the cell, then, widening through hidden cells, those around
        them, until some relation has a candidate (empty when none has).
        """
        relations = self.tables.relations
        seen_cells = {cell_id}
        frontier = [cell_id]
        seen: set[int] = set()
        while frontier:
            numbers = sorted(
                {n for cid in frontier for n in self.auditor.rows_of(cid)}.difference(seen)
            )
            seen.update(numbers)
            ring = [relations[n] for n in numbers]
            if any(self._hideable(relation) for relation in ring):
                return ring
            frontier = sorted(
                {cid for relation in ring for cid, _coef in relation.terms}.difference(seen_cells)
            )
            seen_cells.update(frontier)
        return []

    def _loosest(self, relations: list[Relation]) -> Cell | None:
        """The cell to hide among ``relations``.

        After the usual costs, prefer the relation whose hidden cells add up to least: a small
        sum is what pins or narrows them.
        """
        mass: dict[str, float] = {}
        for relation in relations:
            hidden = sum(
                abs(coef * self.cells[cid].value)
                for cid, coef in relation.terms
                if self.cells[cid].suppressed
            )
            for cid in self._hideable(relation):
                mass[cid] = min(mass.get(cid, math.inf), hidden)

        def cost(cid: str) -> tuple[bool, bool, float, bool, float, str]:
            cell = self.cells[cid]
            base = self._cost(cell)
            return (base[0], base[1], mass[cid], *base[3:])

        best = min(mass, key=cost, default=None)
        return None if best is None else self.cells[best]

    def _minimise(self) -> None:
        """Publish again every secondary cell the protection does not need, largest first."""
        secondary = [cell for cell in self.cells.values() if cell.suppressed and not cell.primary]
        secondary.sort(key=lambda cell: (cell.id in self.preferred, -cell.value, cell.id))
        for cell in secondary:
            if not cell.suppressed:
                continue
            if cell.follows is not None and self.cells[cell.follows].suppressed:
                continue
            group = [cell] + [
                follower
                for follower in self.followers.get(cell.id, [])
                if follower.suppressed and not follower.primary
            ]
            for member in group:
                member.suppressed = False
            if self._gives_away(group) or self.auditor.failing():
                for member in group:
                    member.suppressed = True

    def _gives_away(self, cells: list[Cell]) -> bool:
        """Whether a relation of ``cells`` now pins a lone hidden cell (no solver needed)."""
        relations = self.tables.relations
        for cell in cells:
            for number in self.auditor.rows_of(cell.id):
                relation = relations[number]
                hidden = [cid for cid, _coef in relation.terms if self.cells[cid].suppressed]
                if len(hidden) == 1 and self._pins(relation, hidden[0]):
                    return True
        return False
