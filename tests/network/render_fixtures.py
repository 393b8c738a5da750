"""A merged document for the renderers' tests: seven members in four countries.

Built by ``hand_merged`` from real sample returns; a few network figures are then set to
values the tests look for (``KNOWN``), each said to come from four organisations, and the list
of files not merged has one of each kind the renderers word differently.
"""

from __future__ import annotations

from typing import Any

from hand_merged import HIDDEN, member_returns, seal, set_figure
from hand_merged import merged_document as hand_merged_document

from cope_desktop.network.sample_returns import Member

MEMBERS = (
    Member("org-0001", "Bambinisenzasbarre", "IT", 150),
    Member("org-0002", "Associazione Filo Rosso", "IT", 40),
    Member("org-0003", "Fondazione Ponte", "IT", 12),
    Member("org-0004", "Relais Enfants Parents", "FR", 80),
    Member("org-0005", "Association Lien Familial", "FR", 25),
    Member("org-0006", "Treffpunkt e.V. — Łódź ř ș", "DE", 40),
    Member("org-0007", "Verein Kinder von Inhaftierten", "AT", 6),
)
NOT_MERGED: list[dict[str, Any]] = [
    {"file": "AT-org-0007-2024.json", "problem": "other_period", "organisation": "org-0007"},
    {"file": "notes.json", "problem": "not_json", "organisation": None},
    {"file": "IT-org-0001-2025 (copy).json", "problem": "duplicate", "organisation": "org-0001"},
]

KNOWN: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    "families_new": (
        "families",
        {"value": 1234, "low": 1234, "high": 1234, "estimate": 1234, "flag": None},
        {"status": "new"},
    ),
    "children_0_4_female": (
        "children_by_age_sex",
        {"value": None, "low": 11, "high": 14, "estimate": 12, "flag": "range"},
        {"age_band": "0-4", "sex": "female"},
    ),
    "children_18_other": ("children_by_age_sex", HIDDEN, {"age_band": "18+", "sex": "other"}),
    "prison_visit_hours": (
        "activities",
        {"value": None, "low": 38.0, "high": None, "estimate": 40.5, "flag": "range"},
        {"activity_type": "prison_visit", "measure": "hours"},
    ),
}
"""Network figures the tests look for: name -> (table, figure, coordinates)."""


def merged_document() -> dict[str, Any]:
    """The merged document of ``MEMBERS`` with the ``KNOWN`` figures on the network scope."""
    document = hand_merged_document(member_returns(MEMBERS, seed=7), NOT_MERGED)
    for table_id, figure, coords in KNOWN.values():
        set_figure(document, "network", table_id, {**figure, "organisations": 4}, **coords)
    return seal(document)
