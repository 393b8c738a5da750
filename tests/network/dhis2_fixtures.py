"""A small merged document for the DHIS2 tests: two members, every kind of figure.

Built by ``hand_merged`` from a real Italian and a real French sample return; then the
figures in ``KNOWN`` are set, so an exact figure, a range with and without a high end and
suppressed figures are there for certain, in the network and in country scopes.
"""

from __future__ import annotations

from typing import Any

from hand_merged import HIDDEN, member_returns, seal, set_figure
from hand_merged import merged_document as hand_merged_document

from cope_desktop.network.sample_returns import Member

MEMBERS = (
    Member("org-it-01", "Associazione Filo Rosso", "IT", 40),
    Member("org-fr-01", "Relais Enfants Parents", "FR", 80),
)
SEED = 11

EXACT = {"value": 1234, "low": 1234, "high": 1234, "estimate": 1234, "flag": None}
RANGE = {"value": None, "low": 11, "high": 14, "estimate": 12, "flag": "range"}
OPEN_HOURS = {"value": None, "low": 38.0, "high": None, "estimate": 40.5, "flag": "range"}

KNOWN: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
    ("network", "families", EXACT, {"status": "new"}),
    ("IT", "children_by_age_sex", RANGE, {"age_band": "0-4", "sex": "female"}),
    ("network", "activities", OPEN_HOURS, {"activity_type": "prison_visit", "measure": "hours"}),
    ("FR", "children_by_age_sex", HIDDEN, {"age_band": "18+", "sex": "other"}),
    ("network", "game_with_mum_and_dad", HIDDEN, {"measure": "events"}),
]
"""(scope: "network" or country, table, figure set there, its coordinates)."""


def single_return() -> dict[str, Any]:
    """The Italian member's return (it has suppressed cells)."""
    returns = member_returns(MEMBERS, SEED)
    return next(doc for _name, doc in returns if doc["organisation"]["country"] == "IT")


def merged_document() -> dict[str, Any]:
    not_merged = [{"file": "notes.json", "problem": "not_json", "organisation": None}]
    document = hand_merged_document(member_returns(MEMBERS, SEED), not_merged)
    for scope, table_id, figure, coords in KNOWN:
        set_figure(document, scope, table_id, figure, **coords)
    return seal(document)
