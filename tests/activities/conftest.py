"""Fixtures for the activity services: a database, users of each role, prisons, a fixed today."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from activity_support import TODAY, Users, add_prison, add_user
from db_support import CreatedDatabase
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser, find_user


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(validation, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def db(created_db: CreatedDatabase) -> Iterator[Database]:
    database = created_db.sign_in()
    yield database
    database.close()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as session:
        yield session


@pytest.fixture
def users(session: Session) -> Users:
    admin = find_user(session, "admin")
    assert admin is not None
    return Users(
        admin=CurrentUser(admin.id, admin.username, admin.display_name, admin.role),
        caseworker=add_user(session, "carla", "Carla Rossi", Role.CASEWORKER),
        coordinator=add_user(session, "marco", "Marco Bianchi", Role.COORDINATOR),
    )


@pytest.fixture
def prison_id(session: Session) -> uuid.UUID:
    return add_prison(session, "Casa Circondariale di Bollate", "P1")


@pytest.fixture
def other_prison_id(session: Session) -> uuid.UUID:
    return add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
