"""Realistic report documents (the JSON shape of API.md) for the renderer tests, without a database.

The figures go through the real pipeline: ``build.build_tables``, ``disclosure.protect`` and
``document``, so the renderers are tested on exactly what the service would give them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cope_desktop.reports import document
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.disclosure import protect
from cope_desktop.reports.document import Origin
from cope_desktop.reports.model import (
    ActivityFigures,
    Breakdown,
    GameFigures,
    Quote,
    RawFigures,
)
from cope_desktop.reports.period import Period

THRESHOLD = 5
ORGANISATION = {"id": "org-7f3a", "name": "Bambinisenzasbarre — Ł ř ș Ω", "country": "IT"}
ORIGIN = Origin(
    ORGANISATION["id"],
    ORGANISATION["name"],
    ORGANISATION["country"],
    "en",
    dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC),
)
PERIOD = Period.year(2025)


def sample_figures() -> RawFigures:
    """A year of a mid-sized organisation, with a few small counts that must be hidden."""
    return RawFigures(
        families_new=38,
        families_continuing=96,
        children={
            ("0-4", "female"): 14,
            ("0-4", "male"): 17,
            ("0-4", "not_stated"): 2,
            ("5-9", "female"): 31,
            ("5-9", "male"): 28,
            ("5-9", "other"): 1,
            ("10-14", "female"): 26,
            ("10-14", "male"): 24,
            ("15-17", "female"): 9,
            ("15-17", "male"): 12,
            ("18+", "female"): 5,
            ("18+", "male"): 6,
            ("unknown", "female"): 7,
            ("unknown", "male"): 8,
        },
        relatives={
            ("father", "pre_trial"): 18,
            ("father", "sentenced"): 74,
            ("father", "released"): 11,
            ("father", "unknown"): 6,
            ("mother", "pre_trial"): 5,
            ("mother", "sentenced"): 13,
            ("mother", "released"): 3,
            ("other", "sentenced"): 9,
            ("other", "unknown"): 5,
        },
        activities={
            "prison_visit": ActivityFigures(212, 1046, 118, 87, 25_440),
            "family_day": ActivityFigures(6, 143, 71, 39, 2_160),
            "game_with_mum_and_dad": ActivityFigures(14, 97, 41, 33, 1_680),
            "support_group": ActivityFigures(40, 312, 27, 0, 3_600),
            "school_session": ActivityFigures(11, 264, 0, 0, 990),
            "visiting_room_session": ActivityFigures(3, 4, 3, 2, 270),
            "helpline": ActivityFigures(58, 61, 22, 0, 1_045),
        },
        game=GameFigures(
            events=14,
            prisons=3,
            child_attendances=97,
            distinct_children=41,
            imprisoned_parents=33,
            caregivers=29,
        ),
        services={
            "information_advice": (88, 141),
            "emotional_support": (52, 77),
            "visit_preparation": (61, 102),
            "school_liaison": (14, 19),
            "referral": (9, 12),
            "practical_help": (3, 4),
            "other": (0, 0),
        },
        referrals={
            "self": 9,
            "school": 6,
            "prison": 11,
            "social_services": 7,
            "police_or_court": 2,
            "other_ngo": 3,
        },
        feedback={
            ("prison_visit", "positive"): 64,
            ("prison_visit", "neutral"): 18,
            ("prison_visit", "negative"): 7,
            ("family_day", "positive"): 41,
            ("family_day", "neutral"): 5,
            ("game_with_mum_and_dad", "positive"): 52,
            ("game_with_mum_and_dad", "neutral"): 9,
            ("game_with_mum_and_dad", "negative"): 3,
            ("support_group", "positive"): 12,
            ("support_group", "neutral"): 6,
        },
        prison_count=7,
        prison_countries=["IT"],
        quotes=[
            Quote("I liked playing with my dad, we laughed a lot.", "5-9", "IT"),
            Quote("Ήταν η καλύτερη μέρα — we could hug at the end.", "10-14", "GR"),
        ],
    )


def network_return(raw: RawFigures | None = None, k: int = THRESHOLD) -> dict[str, Any]:
    """The sample figures through the real pipeline: tables, disclosure control, document."""
    raw = raw or sample_figures()
    tables = build_tables(raw)
    protect(tables, k)
    return document.network_return(tables, raw, PERIOD, ORIGIN, k)


def sample_breakdowns() -> list[Breakdown]:
    months = tuple(
        (f"2025-{month:02d}", (3 + month % 4, 20 + month, 80 + 7 * month, 30 + month))
        for month in range(1, 13)
    )
    return [
        Breakdown(
            "by_prison",
            "prison",
            ("families_supported", "activities", "child_attendances", "distinct_children"),
            (
                ("Casa Circondariale di Bollate (IT)", (61, 118, 702, 96)),
                ("Casa Circondariale San Vittore (IT)", (44, 96, 511, 71)),
                ("Istituto Penale Femminile Rebibbia (IT)", (17, 23, 122, 25)),
                ("Κορυδαλλός (GR)", (2, 3, 9, 3)),
            ),
        ),
        Breakdown(
            "by_caseworker",
            "caseworker",
            ("families_supported", "families_new", "support_services"),
            (("Giulia Rossi", (52, 14, 230)), ("Łukasz Dvořák", (47, 13, 198))),
        ),
        Breakdown(
            "by_month",
            "month",
            ("families_new", "activities", "child_attendances", "distinct_children"),
            months,
        ),
    ]


def internal_report(raw: RawFigures | None = None) -> dict[str, Any]:
    raw = raw or sample_figures()
    return document.internal_report(build_tables(raw), raw, sample_breakdowns(), PERIOD, ORIGIN)


def suppressed_ids(document: dict[str, Any]) -> list[str]:
    """``table/row/column`` of every hidden inner cell (for assertions)."""
    found = []
    for table_id, table in document["tables"].items():
        for cell in table["cells"]:
            if cell["flag"] == "suppressed":
                found.append("/".join([table_id, *(str(cell[d]) for d in table["dimensions"])]))
    return found
