"""What the service tests share: a fixed today, a signed-in database, users of each role, prisons.

The fixtures are imported by the conftest of each service test folder.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from db_support import CreatedDatabase
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.db.models import Prison, User
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser, find_user

TODAY = dt.date(2024, 6, 15)
OPENED = dt.date(2024, 1, 10)


@dataclass
class Users:
    admin: CurrentUser
    caseworker: CurrentUser
    coordinator: CurrentUser
    other_caseworker: CurrentUser


def add_user(session: Session, username: str, display_name: str, role: Role) -> CurrentUser:
    user = User(username=username, display_name=display_name, role=role)
    session.add(user)
    session.flush()
    return CurrentUser(user.id, user.username, user.display_name, user.role)


def add_prison(
    session: Session, name: str, reference: str, country: str = "IT", archived: bool = False
) -> uuid.UUID:
    prison = Prison(reference=reference, name=name, country=country)
    if archived:
        prison.deleted_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    session.add(prison)
    session.flush()
    return prison.id


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
        other_caseworker=add_user(session, "giulia", "Giulia Verdi", Role.CASEWORKER),
    )


@pytest.fixture
def prison_id(session: Session) -> uuid.UUID:
    return add_prison(session, "Casa Circondariale di Bollate", "P1")
