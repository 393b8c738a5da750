"""Writing a checked ``ImportPlan`` in the caller's transaction: ``apply(session, user, plan)``.

New rows go in with Core ``insert`` and lists of dicts (ids and timestamps already set by the
planner), changed rows with ORM bulk UPDATE by primary key, grouped by the set of fields they
change; no record is loaded. Then the touched families' search terms are refreshed and one
audit event "import" records the counts (no names).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.interchange.check_refs import INSERT_ORDER
from cope_desktop.services.interchange.plan import ImportCounts, ImportPlan

CHUNK = 5000
"""Rows per executemany."""


def apply(session: Session, user: CurrentUser, plan: ImportPlan) -> ImportCounts:
    """Write ``plan``; the caller commits (or rolls back on any exception)."""
    for record in plan.inserts.get(_status_model(), []):
        record["user_id"] = user.id
    for model in INSERT_ORDER:
        rows = plan.inserts.get(model, [])
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(model), rows[start : start + CHUNK])
    for model in INSERT_ORDER:
        for group in _by_fields(plan.updates.get(model, [])):
            for start in range(0, len(group), CHUNK):
                session.execute(update(model), group[start : start + CHUNK])
    if plan.families:
        search_terms.refresh(session, sorted(plan.families))
    audit.record_by(session, user, "import", "records", None, detail=plan.counts.detail())
    return plan.counts


def _status_model() -> type[Any]:
    from cope_desktop.db.models import CaseStatusChange

    return CaseStatusChange


def _by_fields(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by which fields they set (a bulk UPDATE sets the same fields on each)."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[frozenset(row)].append(row)
    return list(groups.values())
