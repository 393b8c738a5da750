"""Merge one period's returns into network figures, in total and by country, and protect them.

Every network figure is the sum of the members' figures for the same cell (totals included,
so a total a member published is used as it is, even when cells under it were hidden). A
figure is exact when no member hid it; otherwise it is a range (the sum of what each member's
return proves, ``bounds``) with a central estimate (the sum of the members' estimates).

Disclosure control runs again on each scope's tables (REPORT-SPEC.md "Network merge"): a
figure that may be a small number — exact from 1 to k-1, or a range whose low end is below
k — is hidden, and ``reports.disclosure.protect`` hides whatever else would let it be worked
out from the scope's totals. A country with a single member therefore never shows that
member's hidden cells as a narrow range. Every network figure is computed from published
returns only, so differencing two scopes can tell no more than the returns themselves do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from cope_desktop.i18n import _
from cope_desktop.network.cells import cell_ids, skeleton
from cope_desktop.network.returns import Loaded
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import MIN_THRESHOLD, protect
from cope_desktop.reports.model import RawFigures
from cope_desktop.reports.period import Period

NETWORK = "network"


@dataclass
class MergedFigure:
    low: float
    high: float
    """``math.inf`` when nothing bounds it above."""
    estimate: float
    exact: bool
    organisations: int
    """Members of the scope whose figure here is not zero (hidden ones included)."""
    suppressed: bool = False
    """Hidden by the network's own disclosure control."""


@dataclass
class Scope:
    key: str
    """``"network"`` or a country code."""
    members: list[Loaded]
    figures: dict[str, MergedFigure] = field(default_factory=dict)
    prison_count: int = 0
    prison_countries: list[str] = field(default_factory=list)

    @property
    def country(self) -> str | None:
        return None if self.key == NETWORK else self.key


@dataclass
class Merged:
    period: Period
    threshold: int
    """The network's k: the requested one or a member's, whichever is higher."""
    returns: list[Loaded]
    scopes: list[Scope]

    @property
    def countries(self) -> list[str]:
        return [scope.key for scope in self.scopes if scope.key != NETWORK]

    def suppressed(self) -> int:
        return sum(
            1 for scope in self.scopes for figure in scope.figures.values() if figure.suppressed
        )


def network_threshold(requested: int, returns: Sequence[Loaded]) -> int:
    """K for the network tables: never below what any member promised its families."""
    return max([requested, MIN_THRESHOLD, *(item.threshold for item in returns)])


def merge(
    returns: Sequence[Loaded], period: Period, requested_threshold: int
) -> ProgressGenerator[Merged]:
    """Network and country figures of ``returns`` (each checked, one per organisation)."""
    threshold = network_threshold(requested_threshold, returns)
    by_country: dict[str, list[Loaded]] = {}
    for item in returns:
        by_country.setdefault(item.country, []).append(item)
    scopes = [Scope(NETWORK, list(returns))]
    scopes += [Scope(code, members) for code, members in sorted(by_country.items())]
    for number, scope in enumerate(scopes):
        name = _("the network") if scope.country is None else scope.country
        yield Progress(number, len(scopes), _("Merging {scope}…").format(scope=name))
        _sum(scope)
        _protect(scope, threshold)
    return Merged(period, threshold, list(returns), scopes)


def _sum(scope: Scope) -> None:
    members = [item.figures for item in scope.members if item.figures is not None]
    for cid in cell_ids():
        low = high = estimate = 0.0
        exact = True
        organisations = 0
        for member in members:
            figure = member.figures[cid]
            low += figure.low
            high += figure.high
            estimate += figure.estimate
            exact = exact and figure.exact
            organisations += figure.hidden or figure.low != 0
        scope.figures[cid] = MergedFigure(
            _tidy(low), _tidy(high), _tidy(estimate), exact, organisations
        )
    countries: set[str] = set()
    for item in scope.members:
        prisons = item.document["prisons"]
        scope.prison_count += int(prisons["count"])
        countries.update(prisons["countries"])
    scope.prison_countries = sorted(countries)


def _tidy(value: float) -> float:
    """Sums of hours in tenths drift (0.1 + 0.2); counts stay whole."""
    return value if math.isinf(value) else round(value, 1)


def _protect(scope: Scope, threshold: int) -> None:
    tables = build_tables(RawFigures())
    sensitive = []
    for cell in tables.all_cells():
        figure = scope.figures[cell.id]
        step_is_whole = isinstance(skeleton().cell(cell.id).value, int)
        cell.value = round(figure.estimate) if step_is_whole else figure.estimate
        if cell.headcount and not figure.exact and figure.low <= threshold - 1:
            sensitive.append(cell.id)
    protect(tables, threshold, sensitive=sensitive)
    for cell in tables.all_cells():
        scope.figures[cell.id].suppressed = cell.suppressed
