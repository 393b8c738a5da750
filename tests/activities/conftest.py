"""Fixtures for the activity services: those of every service test, and a second prison."""

from __future__ import annotations

import uuid

import pytest
from service_support import add_prison, db, fixed_today, prison_id, session, users
from sqlalchemy.orm import Session

__all__ = ["db", "fixed_today", "prison_id", "session", "users"]


@pytest.fixture
def other_prison_id(session: Session) -> uuid.UUID:
    return add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
