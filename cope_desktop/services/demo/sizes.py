"""How much the demo generator makes for each size (CLI.md, ``demo --size``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoSize:
    """The volumes of one demo size; the people in each family follow from ``families``."""

    name: str
    families: int
    years: int
    """Dates are spread over this many years before the anchor day."""
    activities: int
    attendances: int
    """Target number of attendance rows (named people plus anonymous head counts)."""
    prisons: int
    staff: int
    """People named as staff on activities (the demo caseworkers are the first of them)."""


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        "small", families=60, years=2, activities=300, attendances=1_100, prisons=8, staff=6
    ),
    "large": DemoSize(
        "large",
        families=5_000,
        years=10,
        activities=40_000,
        attendances=300_000,
        prisons=24,
        staff=12,
    ),
    "stress": DemoSize(
        "stress",
        families=50_000,
        years=10,
        activities=250_000,
        attendances=1_000_000,
        prisons=40,
        staff=20,
    ),
}
