"""Users and roles (R8): each change is refused or done whole, audited, and the key file agrees."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest
from db_support import CreatedDatabase
from sqlalchemy import select

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import AuditEvent
from cope_desktop.errors import (
    PermissionDenied,
    RecordNotFound,
    UserInputError,
    WrongCredentialsError,
)
from cope_desktop.services import signin_guard, users
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.integrity import check_database

MARIA_PASSWORD = "maria's own passphrase"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def db(created_db: CreatedDatabase) -> Iterator[Database]:
    database = created_db.sign_in()
    yield database
    database.close()


@pytest.fixture
def admin(db: Database) -> CurrentUser:
    with db.session() as session:
        row = find_user(session, "admin")
        assert row is not None
        return CurrentUser(row.id, row.username, row.display_name, row.role)


def can_sign_in(created: CreatedDatabase, username: str, password: str) -> bool:
    try:
        opened, _user = sign_in(created.path, username, password, created.paths.backup_dir)
    except WrongCredentialsError:
        return False
    opened.close()
    return True


def listed(db: Database, admin: CurrentUser) -> dict[str, tuple[Role, bool]]:
    with db.session() as session:
        return {row.username: (row.role, row.is_active) for row in users.list_users(session, admin)}


def user_audit(db: Database, user_id: uuid.UUID) -> list[tuple[str, str, str]]:
    """(action, who did it, detail) of the audit rows of changes to one user.

    (Failed sign-ins, also about the user, are left out: test_signin_guard.py has them.)
    """
    with db.session() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == "user",
                AuditEvent.object_id == user_id,
                AuditEvent.action.not_in(("login_failed", "locked_out")),
            )
            .order_by(AuditEvent.sequence)
        )
        return [(e.action, e.username, e.detail) for e in events]


def test_add_disable_and_enable_a_user(
    created_db: CreatedDatabase, db: Database, admin: CurrentUser
) -> None:
    maria = users.add_user(db, admin, "maria", MARIA_PASSWORD, Role.CASEWORKER, " Maria Rossi ")
    assert check_database(db) == []
    assert listed(db, admin) == {
        "admin": (Role.ADMINISTRATOR, True),
        "maria": (Role.CASEWORKER, True),
    }
    with db.session() as session:
        row = next(r for r in users.list_users(session, admin) if r.id == maria)
    assert (row.display_name, row.last_login_at, row.failed_logins) == ("Maria Rossi", None, 0)
    assert can_sign_in(created_db, "maria", MARIA_PASSWORD)

    users.disable_user(db, admin, maria)
    assert check_database(db) == []
    assert listed(db, admin)["maria"] == (Role.CASEWORKER, False)
    assert KeyFile.load(created_db.path).user_slot("maria") is None
    assert not can_sign_in(created_db, "maria", MARIA_PASSWORD)

    users.enable_user(db, admin, maria, NEW_PASSWORD)
    assert check_database(db) == []
    assert listed(db, admin)["maria"] == (Role.CASEWORKER, True)
    assert can_sign_in(created_db, "maria", NEW_PASSWORD)
    assert user_audit(db, maria) == [
        ("user_added", "admin", "maria (caseworker)"),
        ("user_disabled", "admin", "maria (caseworker)"),
        ("user_enabled", "admin", "maria (caseworker)"),
    ]
    # The key file on disk and the one the open database holds agree.
    reopened = created_db.sign_in()
    try:
        assert check_database(reopened) == []
    finally:
        reopened.close()


def test_refusals_change_nothing(
    created_db: CreatedDatabase, db: Database, admin: CurrentUser
) -> None:
    maria = users.add_user(db, admin, "maria", MARIA_PASSWORD, Role.CASEWORKER)
    key_file = KeyFile.path_for(created_db.path).read_bytes()
    refusals: list[tuple[Callable[[], object], str]] = [
        (lambda: users.disable_user(db, admin, admin.id), "your own account"),
        (
            lambda: users.add_user(db, admin, "MARIA", NEW_PASSWORD, Role.CASEWORKER),
            "already a user",
        ),
        (lambda: users.add_user(db, admin, "luca", "short", Role.CASEWORKER), "at least 10"),
        (lambda: users.add_user(db, admin, "no spaces", NEW_PASSWORD, Role.CASEWORKER), "letters"),
        (lambda: users.enable_user(db, admin, maria, NEW_PASSWORD), "already active"),
        (
            lambda: users.reset_password(db, admin, maria, created_db.recovery_key, "short"),
            "at least 10",
        ),
        (lambda: users.clear_lockout(db, admin, uuid.uuid4()), "does not exist"),
    ]
    for action, message in refusals:
        with pytest.raises(UserInputError, match=message):
            action()
    with db.session() as session, pytest.raises(UserInputError, match="only active admin"):
        users.change_role(session, admin, admin.id, Role.COORDINATOR)
    # An administrator disabled meanwhile (signed in before) cannot remove the last one.
    ghost = CurrentUser(uuid.uuid4(), "ghost", "", Role.ADMINISTRATOR)
    with pytest.raises(UserInputError, match="only active administrator"):
        users.disable_user(db, ghost, admin.id)
    with pytest.raises(RecordNotFound):
        users.disable_user(db, admin, uuid.uuid4())

    users.disable_user(db, admin, maria)
    key_file = KeyFile.path_for(created_db.path).read_bytes()
    with pytest.raises(UserInputError, match="already disabled"):
        users.disable_user(db, admin, maria)
    with pytest.raises(UserInputError, match="enable the account"):
        users.reset_password(db, admin, maria, created_db.recovery_key, NEW_PASSWORD)
    with pytest.raises(UserInputError, match="at least 10"):
        users.enable_user(db, admin, maria, "short")
    assert KeyFile.path_for(created_db.path).read_bytes() == key_file
    assert listed(db, admin)["admin"] == (Role.ADMINISTRATOR, True)
    assert check_database(db) == []
    assert [a for a, _who, _detail in user_audit(db, maria)] == ["user_added", "user_disabled"]


def test_roles_change_while_an_administrator_remains(db: Database, admin: CurrentUser) -> None:
    maria = users.add_user(db, admin, "maria", MARIA_PASSWORD, Role.CASEWORKER)
    with db.session() as session:
        users.change_role(session, admin, maria, Role.ADMINISTRATOR)
        users.change_role(session, admin, maria, Role.ADMINISTRATOR)  # no change, no audit row
        users.change_role(session, admin, admin.id, Role.COORDINATOR)
    assert listed(db, admin) == {
        "admin": (Role.COORDINATOR, True),
        "maria": (Role.ADMINISTRATOR, True),
    }
    assert user_audit(db, maria)[1:] == [
        ("role_changed", "admin", "maria (caseworker -> administrator)")
    ]
    assert user_audit(db, admin.id) == [
        ("role_changed", "admin", "admin (administrator -> coordinator)")
    ]
    assert check_database(db) == []


def test_reset_a_password_with_the_recovery_key(
    created_db: CreatedDatabase, db: Database, admin: CurrentUser
) -> None:
    maria = users.add_user(db, admin, "maria", MARIA_PASSWORD, Role.COORDINATOR)
    wrong_key = "AAAAA-" * 7 + "AAAAA"
    with pytest.raises(WrongCredentialsError, match="recovery key is not correct"):
        users.reset_password(db, admin, maria, wrong_key, NEW_PASSWORD)
    typed = created_db.recovery_key.lower().replace("-", " ")
    users.reset_password(db, admin, maria, typed, NEW_PASSWORD)
    assert check_database(db) == []
    assert not can_sign_in(created_db, "maria", MARIA_PASSWORD)
    assert can_sign_in(created_db, "maria", NEW_PASSWORD)
    assert user_audit(db, maria)[-1] == ("password_reset", "admin", "maria (coordinator)")


def test_clear_a_lockout(
    created_db: CreatedDatabase, db: Database, admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(signin_guard, "now", lambda: start)
    maria = users.add_user(db, admin, "maria", MARIA_PASSWORD, Role.CASEWORKER)
    for _ in range(5):
        signin_guard.record_failure(created_db.path, "Maria")
    row = next(r for r in users.read_users(db, admin) if r.id == maria)
    assert (row.failed_logins, row.locked_until) == (5, start + dt.timedelta(seconds=30))

    users.clear_lockout(db, admin, maria)
    row = next(r for r in users.read_users(db, admin) if r.id == maria)
    assert (row.failed_logins, row.locked_until) == (0, None)
    assert can_sign_in(created_db, "maria", MARIA_PASSWORD)
    assert user_audit(db, maria)[-1] == ("lockout_cleared", "admin", "maria (caseworker)")


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR])
def test_only_an_administrator_manages_users(
    created_db: CreatedDatabase, db: Database, admin: CurrentUser, role: Role
) -> None:
    someone = CurrentUser(uuid.uuid4(), "someone", "Someone", role)
    key_file = KeyFile.path_for(created_db.path).read_bytes()
    key = created_db.recovery_key
    with db.session() as session:
        audit_rows = len(list(session.scalars(select(AuditEvent.id))))
    attempts: list[Callable[[], object]] = [
        lambda: users.read_users(db, someone),
        lambda: users.add_user(db, someone, "luca", NEW_PASSWORD, Role.ADMINISTRATOR),
        lambda: users.disable_user(db, someone, admin.id),
        lambda: users.enable_user(db, someone, admin.id, NEW_PASSWORD),
        lambda: users.reset_password(db, someone, admin.id, key, NEW_PASSWORD),
        lambda: users.clear_lockout(db, someone, admin.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="Only an administrator can manage users"):
            attempt()
    with db.session() as session:
        with pytest.raises(PermissionDenied):
            users.list_users(session, someone)
        with pytest.raises(PermissionDenied):
            users.change_role(session, someone, someone.id, Role.ADMINISTRATOR)
        assert len(list(session.scalars(select(AuditEvent.id)))) == audit_rows
    assert KeyFile.path_for(created_db.path).read_bytes() == key_file
    assert listed(db, admin) == {"admin": (Role.ADMINISTRATOR, True)}
