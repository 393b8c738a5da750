"""The prisons of a demo fill, named in the style of the organisation's country."""

from __future__ import annotations

from dataclasses import dataclass

from cope_desktop.db.enums import PrisonType
from cope_desktop.db.models import Prison
from cope_desktop.services.demo.context import DemoContext
from cope_desktop.services.demo.names import prison_name

# Share of each type among the prisons; men's prisons are the most common.
TYPE_SHARES = ((PrisonType.WOMEN, 0.12), (PrisonType.YOUTH, 0.12), (PrisonType.MIXED, 0.15))

# How many people a prison of each type holds, relative to the others (low, high).
CAPACITY = {
    PrisonType.MEN: (1.0, 5.0),
    PrisonType.MIXED: (1.0, 3.0),
    PrisonType.WOMEN: (0.5, 1.5),
    PrisonType.YOUTH: (0.3, 1.0),
}


@dataclass(frozen=True)
class DemoPrison:
    index: int
    id: bytes
    type: PrisonType
    city: str
    capacity: float


def prison_types(count: int) -> list[PrisonType]:
    """At least one women's, youth and mixed prison; the rest hold men."""
    types: list[PrisonType] = []
    for prison_type, share in TYPE_SHARES:
        types += [prison_type] * max(1, round(count * share))
    return [PrisonType.MEN] * (count - len(types)) + types


def make_prisons(ctx: DemoContext) -> list[DemoPrison]:
    """Buffer the prison rows and return what later parts need to know of each prison."""
    rng, new_id = ctx.stream(ctx.size.prisons)
    count = ctx.size.prisons
    types = prison_types(count)
    rng.shuffle(types)
    places = list(ctx.pools.prison_places)
    rng.shuffle(places)
    rows = ctx.writer.buffer(
        Prison,
        ("id", "reference", "name", "country", "region", "type", "visiting_facilities"),
    )
    names: set[str] = set()
    prisons: list[DemoPrison] = []
    for index, prison_type in enumerate(types):
        # More prisons than cities: a city holds two, named in different styles if it can.
        city, region = places[index % len(places)]
        name = prison_name(ctx.country, prison_type, city, rng.randrange(3) + index // len(places))
        if name in names:
            name = f"{name} ({index + 1})"
        names.add(name)
        prison = DemoPrison(index, new_id(), prison_type, city, rng.uniform(*CAPACITY[prison_type]))
        facilities = rng.choice(ctx.texts.visiting_facilities) if rng.random() < 0.6 else None
        rows.append(
            (
                prison.id,
                f"{ctx.tag}-P{index + 1:03d}",
                name,
                ctx.country,
                region,
                prison_type.value,
                facilities,
            )
        )
        prisons.append(prison)
    return prisons
