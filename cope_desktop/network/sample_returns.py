"""Synthetic network returns, so the secretariat's merge can be tried without real members.

Each return goes through the real pipeline (``reports.build``, ``reports.disclosure``,
``reports.document``): its figures are invented, but their shape, relations and suppression
pattern are exactly what a member's COPE Desktop would send. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cope_desktop.atomic import atomic_write_text
from cope_desktop.reports import categories as cat
from cope_desktop.reports import document
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import protect
from cope_desktop.reports.document import Origin
from cope_desktop.reports.model import ActivityFigures, GameFigures, RawFigures
from cope_desktop.reports.period import Period
from cope_desktop.services.demo.names import organisation_name

COUNTRIES = (
    "IT", "FR", "DE", "AT", "ES", "PT", "NL", "BE", "PL", "RO",
    "CZ", "HR", "GR", "SE", "GB", "IE", "DK", "FI", "NO", "CH",
    "SK", "SI", "HU", "BG", "LT", "LV", "EE", "LU", "MT", "CY",
)  # fmt: skip
"""Thirty countries, as in the network."""


@dataclass(frozen=True)
class Member:
    """A synthetic member organisation: its id, country and size (families per year)."""

    id: str
    name: str
    country: str
    size: int


def members(count: int, seed: int = 1) -> list[Member]:
    """``count`` members spread over the countries (a few large countries hold more)."""
    rng = random.Random(seed)
    result = []
    for number in range(count):
        country = COUNTRIES[number % len(COUNTRIES)] if number < 60 else rng.choice(COUNTRIES[:12])
        size = rng.choice((6, 12, 25, 40, 80, 150, 400))
        name = organisation_name(country, seed * 1000 + number)
        result.append(Member(f"org-{seed:02d}{number:04d}", name, country, size))
    return result


def figures(rng: random.Random, size: int) -> RawFigures:
    """A year of an organisation supporting about ``size`` families."""
    raw = RawFigures()
    referrals = {source: rng.randint(0, max(1, size // 6)) for source in cat.REFERRAL_SOURCES}
    raw.referrals = {source: value for source, value in referrals.items() if value}
    raw.families_new = sum(referrals.values())
    raw.families_continuing = rng.randint(size // 2, size * 2)
    raw.children = {
        (band, sex): _count(rng, size, weight * (1.0 if sex in ("female", "male") else 0.04))
        for band, weight in zip(cat.AGE_BANDS, (0.5, 0.8, 0.7, 0.35, 0.1, 0.1), strict=True)
        for sex in cat.SEXES
    }
    raw.relatives = {
        (group, custody): _count(rng, size, weight * share)
        for group, weight in (("father", 1.0), ("mother", 0.15), ("other", 0.05))
        for custody, share in zip(cat.CUSTODY_AT_END, (0.2, 0.7, 0.15, 0.05), strict=True)
    }
    raw.activities = {kind: _activity(rng, size) for kind in cat.ACTIVITY_TYPES}
    game_row = raw.activities[cat.ActivityType.GAME_WITH_MUM_AND_DAD.value]
    raw.game = GameFigures(
        events=game_row.sessions,
        prisons=min(game_row.sessions, rng.randint(0, 3)),
        child_attendances=game_row.child_attendances,
        distinct_children=game_row.distinct_children,
        imprisoned_parents=game_row.distinct_relatives,
        caregivers=rng.randint(0, game_row.distinct_children),
    )
    raw.services = {
        kind: (families := _count(rng, size, 0.3), rng.randint(families, families * 2))
        for kind in cat.SERVICE_TYPES
    }
    raw.feedback = {
        (kind, rating): _count(rng, size, weight * 0.3)
        for kind in cat.ACTIVITY_TYPES
        for rating, weight in zip(cat.RATINGS, (1.0, 0.3, 0.08), strict=True)
    }
    raw.prison_count = rng.randint(1, 4 + size // 40)
    return raw


def _count(rng: random.Random, size: int, weight: float) -> int:
    """A head count around ``size * weight``, sometimes zero, often small for small members."""
    mean = size * weight
    if rng.random() < 0.08:
        return 0
    return max(0, round(rng.gauss(mean, max(1.0, mean / 3))))


def _activity(rng: random.Random, size: int) -> ActivityFigures:
    sessions = rng.randint(0, max(1, size // 4))
    if sessions == 0:
        return ActivityFigures()
    distinct = rng.randint(1, max(1, size // 2))
    attendances = distinct + rng.randint(0, distinct * 3)
    return ActivityFigures(
        sessions=sessions,
        child_attendances=attendances,
        distinct_children=distinct,
        distinct_relatives=rng.randint(0, distinct),
        minutes=sessions * rng.choice((60, 90, 120, 150)),
    )


def network_return(member: Member, period: Period, seed: int, threshold: int = 5) -> dict[str, Any]:
    """The protected, validated return ``member`` would send for ``period``."""
    rng = random.Random(f"{seed}/{member.id}/{period.start}")
    raw = figures(rng, member.size)
    raw.prison_countries = [member.country]
    tables = build_tables(raw)
    protect(tables, threshold)
    sent = dt.datetime.combine(period.end + dt.timedelta(days=20), dt.time(9), dt.UTC)
    origin = Origin(member.id, member.name, member.country, "en", sent)
    return document.network_return(tables, raw, period, origin, threshold)


def sample_returns(
    organisations: int, years: tuple[int, ...], seed: int = 1
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file name, return) for every member and year."""
    for member in members(organisations, seed):
        for year in years:
            name = f"{member.country}-{member.id}-{year}.json"
            yield name, network_return(member, Period.year(year), seed)


def write_sample_returns(
    folder: Path, organisations: int, years: tuple[int, ...], seed: int = 1
) -> list[Path]:
    """Write the sample returns into ``folder`` (created) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, doc in sample_returns(organisations, years, seed):
        path = folder / name
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        atomic_write_text(path, text + "\n")
        paths.append(path)
    return paths
