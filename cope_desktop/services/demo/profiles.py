"""How each type of activity runs: how often, where, how long, and who comes."""

from __future__ import annotations

from dataclasses import dataclass

from cope_desktop.db.enums import ActivityType


@dataclass(frozen=True)
class Profile:
    """How one type of activity runs; family counts are scaled to the size's attendance."""

    weight: float
    """Share of all activities."""
    at_prison: float
    """Chance that an activity of this type is held at a prison."""
    families: float
    """Mean number of families present, before scaling."""
    children: float
    """Chance that each child of a family present comes."""
    relative: float
    caregiver: float
    anonymous_children: float
    """Chance of a head count of children not on file."""
    anonymous_adults: float
    feedback: float
    """Chance that a child present gives feedback."""
    minutes: tuple[int, int]
    hours: tuple[int, int]
    parents_only: bool = False
    """Only prisons holding parents, and only relatives who are parents, take part."""
    group: bool = False
    """A group of either children or caregivers (support groups)."""
    scaled: bool = True


PROFILES: dict[ActivityType, Profile] = {
    ActivityType.PRISON_VISIT: Profile(
        24, 1.0, 1.6, 0.85, 1.0, 0.3, 0.03, 0.02, 0.1, (60, 120), (9, 15)
    ),
    ActivityType.VISITING_ROOM_SESSION: Profile(
        12, 1.0, 3.0, 0.9, 1.0, 0.6, 0.1, 0.05, 0.2, (60, 120), (9, 16)
    ),
    ActivityType.FAMILY_DAY: Profile(
        6, 1.0, 7.0, 0.95, 1.0, 0.8, 0.5, 0.4, 0.3, (180, 300), (10, 11)
    ),
    ActivityType.GAME_WITH_MUM_AND_DAD: Profile(
        4, 1.0, 8.0, 0.95, 1.0, 0.4, 0.4, 0.2, 0.7, (90, 180), (10, 15), parents_only=True
    ),
    ActivityType.PARENTING_COURSE: Profile(
        6, 1.0, 6.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, (90, 120), (9, 14), parents_only=True
    ),
    ActivityType.SUPPORT_GROUP: Profile(
        22, 0.0, 5.0, 0.9, 0.0, 1.0, 0.05, 0.05, 0.15, (90, 120), (15, 18), group=True
    ),
    ActivityType.SCHOOL_SESSION: Profile(
        8, 0.0, 0.4, 1.0, 0.0, 0.0, 1.0, 0.1, 0.05, (45, 90), (8, 12)
    ),
    ActivityType.HELPLINE: Profile(
        14, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, (30, 45), (9, 17), scaled=False
    ),
    ActivityType.OTHER: Profile(4, 0.5, 2.0, 0.8, 0.8, 0.5, 0.1, 0.1, 0.1, (30, 180), (9, 16)),
}
