"""Fixtures for the synchronisation tests: those of every service test, and one family."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "records"))

from records_support import new_family
from service_support import Users, db, fixed_today, prison_id, session, users
from sqlalchemy.orm import Session

from cope_desktop.services.records import families

__all__ = ["db", "fixed_today", "prison_id", "session", "users"]


@pytest.fixture
def family_id(session: Session, users: Users, prison_id: uuid.UUID) -> uuid.UUID:
    return families.create_family(session, users.caseworker, new_family(prison_id))
