"""The fixed tables of the network return: their ids, dimensions and categories, in order.

REPORT-SPEC.md fixes the table ids and the order of their categories; the JSON Schema, the
renderers and the network merge all read them from here.
"""

from __future__ import annotations

from cope_desktop.db.enums import ActivityType, Rating, ReferralSource, ServiceType, Sex

UNKNOWN = "unknown"

AGE_BANDS = ("0-4", "5-9", "10-14", "15-17", "18+", UNKNOWN)
AGE_BAND_LOWER = ((0, "0-4"), (5, "5-9"), (10, "10-14"), (15, "15-17"), (18, "18+"))
"""(lowest age, band): a child aged a is in the last band whose lowest age is <= a."""
SEXES = tuple(sex.value for sex in Sex)
RELATIONSHIP_GROUPS = ("father", "mother", "other")
CUSTODY_AT_END = ("pre_trial", "sentenced", "released", UNKNOWN)
ACTIVITY_TYPES = tuple(kind.value for kind in ActivityType)
ACTIVITY_MEASURES = (
    "sessions",
    "child_attendances",
    "distinct_children",
    "distinct_relatives",
    "hours",
)
ADDITIVE_ACTIVITY_MEASURES = ("sessions", "child_attendances", "hours")
"""Measures whose total over activity types is their sum (distinct counts are not)."""
GAME_MEASURES = (
    "events",
    "prisons",
    "child_attendances",
    "distinct_children",
    "imprisoned_parents",
    "caregivers",
    "feedback_positive",
    "feedback_neutral",
    "feedback_negative",
)
SERVICE_TYPES = tuple(kind.value for kind in ServiceType)
SERVICE_MEASURES = ("distinct_families", "distinct_children")
REFERRAL_SOURCES = (*(source.value for source in ReferralSource), UNKNOWN)
RATINGS = tuple(rating.value for rating in Rating)
FAMILY_STATUSES = ("new", "continuing")

TABLE_IDS = (
    "families",
    "children_by_age_sex",
    "imprisoned_relatives",
    "activities",
    "game_with_mum_and_dad",
    "support_services",
    "referral_sources",
    "child_feedback",
)


def age_band(age: int | None) -> str:
    """The band of a child aged ``age`` completed years (None: unknown)."""
    if age is None or age < 0:
        return UNKNOWN
    band = AGE_BANDS[0]
    for lowest, name in AGE_BAND_LOWER:
        if age >= lowest:
            band = name
    return band
