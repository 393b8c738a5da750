"""Pick lists shared by several screens (kept light: the main window loads this at start)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.models import Prison
from cope_desktop.i18n import _


def prison_rows(session: Session) -> list[tuple[uuid.UUID, str, str]]:
    """Prisons not archived as (id, name, country), by name ignoring case, then country."""
    rows = session.execute(
        select(Prison.id, Prison.name, Prison.country).where(Prison.deleted_at.is_(None))
    ).all()
    return sorted(
        ((row.id, row.name, row.country) for row in rows),
        key=lambda row: (row[1].casefold(), row[2], row[1]),
    )


def prison_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Prisons not archived, labelled "name (country code)" as on every screen."""
    return [
        (prison_id, _("{name} ({country})").format(name=name, country=country))
        for prison_id, name, country in prison_rows(session)
    ]
