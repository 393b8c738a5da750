"""Activities: what the organisation ran, on which days, where and with whom.

The activities are planned first (type, day, prison, start time) and then written in date
order, each with its attendance. Family counts per activity are scaled to the size's target
number of attendance rows.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from cope_desktop.db.enums import ActivityType
from cope_desktop.db.models import Activity
from cope_desktop.i18n import _
from cope_desktop.progress import ProgressGenerator
from cope_desktop.services.demo.attendance import Attendances
from cope_desktop.services.demo.bulk import iso_date, iso_time
from cope_desktop.services.demo.context import DemoContext, cumulative, weighted
from cope_desktop.services.demo.names import language_of
from cope_desktop.services.demo.people import People
from cope_desktop.services.demo.prisons import DemoPrison
from cope_desktop.services.demo.profiles import PROFILES, Profile

GAME_MONTHS = (4, 5, 6, 7)
"""Game with Mum & Dad events are held from April to July (the network's campaign season)."""

GAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("Football", "{city} Football Club"),
        ("Basketball", "{city} Basketball Club"),
        ("Volleyball", "{city} Volleyball Club"),
        ("Board games", "{city} Chess and Games Club"),
    ),
    "it": (
        ("Calcio", "ASD Calcio {city}"),
        ("Pallacanestro", "Basket {city}"),
        ("Pallavolo", "Volley {city}"),
        ("Giochi da tavolo", "Circolo Scacchi {city}"),
    ),
    "fr": (
        ("Football", "FC {city}"),
        ("Basket-ball", "{city} Basket Club"),
        ("Volley-ball", "{city} Volley-Ball"),
        ("Jeux de société", "Club de jeux de {city}"),
    ),
    "de": (
        ("Fußball", "FC {city}"),
        ("Basketball", "Basketballverein {city}"),
        ("Volleyball", "VC {city}"),
        ("Brettspiele", "Spieleclub {city}"),
    ),
    "es": (
        ("Fútbol", "CF {city}"),
        ("Baloncesto", "Club Baloncesto {city}"),
        ("Voleibol", "Club Voleibol {city}"),
        ("Juegos de mesa", "Club de Juegos {city}"),
    ),
}
"""Game with Mum & Dad: the sport played and the local club that partners the event.

Record contents in the organisation's language, like ``texts.py``; football first.
"""
GAME_WEIGHTS = cumulative((70, 12, 10, 8))

FEEDBACK_SHARE = 0.15
"""About this many feedback rows per attendance row."""
SATURDAY, SUNDAY = 5, 6


class _Planned(NamedTuple):
    day: int
    type: ActivityType
    prison: DemoPrison | None
    start_time: str


def make_activities(
    ctx: DemoContext, prisons: list[DemoPrison], people: People
) -> ProgressGenerator[None]:
    """Buffer the activities in date order, each with its attendance and feedback."""
    size = ctx.size
    rng, new_id = ctx.stream(size.activities + int(size.attendances * (1 + FEEDBACK_SHARE)))
    activities_out = ctx.writer.buffer(
        Activity,
        ("id", "reference", "type", "held_on", "start_time", "duration_minutes", "prison_id",
         "staff", "notes", "deleted_at", "sport", "partners"),
    )  # fmt: skip
    # Drawn from a stream of their own, so the other activity columns stay as they were.
    game_rng = random.Random(ctx.master.getrandbits(64))
    games = GAMES.get(language_of(ctx.country), GAMES["en"])
    attendances = Attendances(ctx, people, rng, new_id)
    plan = _plan(ctx, rng, prisons, people)
    sizer = _Sizer(ctx, plan, people)
    rand, staff, notes = rng.random, ctx.staff, ctx.texts.activity_notes
    message = _("Creating activities and attendance…")
    for number, planned in enumerate(plan, start=1):
        profile = PROFILES[planned.type]
        activity_id = new_id()
        low, high = profile.minutes
        duration = None if rand() < 0.01 else low + int(rand() * ((high - low) // 15 + 1)) * 15
        crew = staff[int(rand() * len(staff))]
        if rand() < 0.4:
            other = staff[int(rand() * len(staff))]
            crew = crew if other == crew else f"{crew}, {other}"
        sport = partners = None
        if planned.type is ActivityType.GAME_WITH_MUM_AND_DAD:
            sport, club = weighted(game_rng, games, GAME_WEIGHTS)
            partners = club.format(city=planned.prison.city) if planned.prison else None
        activities_out.append(
            (activity_id, ctx.ref("A", number), planned.type.value, iso_date(planned.day),
             planned.start_time, duration, planned.prison.id if planned.prison else None, crew,
             notes[int(rand() * len(notes))] if rand() < 0.05 else None,
             ctx.deleted_stamp(rng, planned.day) if rand() < 0.003 else None, sport, partners)
        )  # fmt: skip
        families = sizer.families(rng, planned.type, profile)
        named = attendances.add(
            activity_id, planned.type, planned.day, planned.prison, profile, families
        )
        sizer.record(profile, named)
        if ctx.writer.pending >= ctx.chunk:
            ctx.writer.flush()
            yield ctx.progress(message)
    ctx.writer.flush()
    yield ctx.progress(message)


class _Sizer:
    """Decides how many families come to each activity, to land near the size's attendance.

    The families actually available vary (few in a small database, none in some months), so
    later activities are nudged up or down by how far the rows so far are from the aim.
    """

    def __init__(self, ctx: DemoContext, plan: list[_Planned], people: People) -> None:
        children = sum(len(f.children) for f in people.families) / len(people.families)
        scaled = [p for p in plan if PROFILES[p.type].scaled]
        anonymous = sum(
            PROFILES[p.type].anonymous_children + PROFILES[p.type].anonymous_adults for p in plan
        )
        target = max(len(scaled), ctx.size.attendances - anonymous - (len(plan) - len(scaled)))
        rows = {t: _rows_per_family(p, children) for t, p in PROFILES.items()}
        base = sum(PROFILES[p.type].families * rows[p.type] for p in scaled)
        self.scale = target / max(1.0, base)
        self.per_activity = target / max(1, len(scaled))
        self.aimed = self.made = 0.0

    def families(self, rng: random.Random, activity_type: ActivityType, profile: Profile) -> int:
        if not profile.scaled:
            return 1
        steer = min(2.0, max(0.3, self.aimed / self.made)) if self.made else 1.0
        mean = profile.families * self.scale * steer * rng.uniform(0.5, 1.5)
        count = int(mean) + (rng.random() < mean - int(mean))
        return count if activity_type is ActivityType.SCHOOL_SESSION else max(1, count)

    def record(self, profile: Profile, named_rows: int) -> None:
        if profile.scaled:
            self.aimed += self.per_activity
            self.made += named_rows


def _rows_per_family(profile: Profile, children: float) -> float:
    """Return the attendance rows one family present adds, on average."""
    if profile.group:
        return (profile.children * children + profile.caregiver) / 2
    return profile.children * children + profile.relative + profile.caregiver


def _plan(
    ctx: DemoContext, rng: random.Random, prisons: list[DemoPrison], people: People
) -> list[_Planned]:
    """Decide the type, day, place and start time of every activity, in date order."""
    total = ctx.size.activities
    types = list(PROFILES)
    shares = [PROFILES[t].weight for t in types]
    counts = _apportion(total, shares)
    first, last = ctx.start, ctx.anchor - 1
    game_days = [
        day
        for day in range(first, last + 1)
        if dt.date.fromordinal(day).month in GAME_MONTHS and _weekday(day) != SUNDAY
    ]
    everyone = cumulative([float(n) for n in people.relatives_at])
    parents = cumulative([float(n) for n in people.parents_at])
    planned: list[_Planned] = []
    for activity_type, count in zip(types, counts, strict=True):
        profile = PROFILES[activity_type]
        if activity_type is ActivityType.SUPPORT_GROUP:
            days = _weekly(rng, first, last, count)
        elif activity_type is ActivityType.GAME_WITH_MUM_AND_DAD:
            days = [game_days[int(rng.random() * len(game_days))] for _ in range(count)]
        else:
            days = [
                _working_day(
                    first + int(rng.random() * (last - first + 1)),
                    first,
                    last,
                    saturday=activity_type is ActivityType.FAMILY_DAY,
                    weekdays_only=activity_type is ActivityType.HELPLINE,
                )
                for _ in range(count)
            ]
        weights = parents if profile.parents_only else everyone
        for day in days:
            prison = None
            if weights and weights[-1] > 0 and rng.random() < profile.at_prison:
                prison = weighted(rng, prisons, weights)
            low, high = profile.hours
            helpline = activity_type is ActivityType.HELPLINE
            minute = 5 * int(rng.random() * 12) if helpline else 30 * (rng.random() < 0.5)
            start_time = iso_time(low + int(rng.random() * (high - low + 1)), minute)
            planned.append(_Planned(day, activity_type, prison, start_time))
    order = {t: i for i, t in enumerate(types)}
    planned.sort(key=lambda p: (p.day, order[p.type], p.start_time))
    return planned


def _apportion(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``shares`` (largest remainders), summing exactly."""
    whole = sum(shares)
    exact = [total * s / whole for s in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _weekly(rng: random.Random, first: int, last: int, count: int) -> list[int]:
    """Sessions of weekly groups: each group meets on its own weekday, most weeks of a year."""
    weeks = (last - first) // 7
    groups = max(1, -(-count // max(1, int(weeks * 0.75))))
    weekdays = [rng.randrange(5) for _ in range(groups)]
    slots = rng.sample(range(groups * weeks), min(count, groups * weeks))
    days = []
    for slot in slots:
        group, week = divmod(slot, weeks)
        monday = first + 7 * week - _weekday(first)
        day = monday + weekdays[group]
        days.append(min(max(day, first), last))
    return days


def _working_day(day: int, first: int, last: int, *, saturday: bool, weekdays_only: bool) -> int:
    """Move ``day`` off Sunday (or to a Saturday, or to a weekday), staying in the period."""
    weekday = _weekday(day)
    if saturday:
        moved = day + (SATURDAY - weekday)
        return moved if first <= moved <= last else moved - 7 if moved - 7 >= first else day
    if weekdays_only and weekday >= SATURDAY:
        moved = day - (weekday - 4)
        return moved if moved >= first else day + (7 - weekday)
    if weekday == SUNDAY:
        return day - 1 if day - 1 >= first else day + 1
    return day


def _weekday(day: int) -> int:
    return (day - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
