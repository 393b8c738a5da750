"""Users and roles: who may open this database, and what each may do (R8).

Only an administrator manages users (``Permission.MANAGE_USERS``, checked here). Each user
has a key slot of their own, in the key file beside the database and mirrored in the
``key_slot`` table: adding or enabling a user wraps the data key under their password,
disabling removes their slot, so a disabled user's password no longer opens anything. The
database changes commit first and the key file is written after, so a refused or failed
change leaves both as they were. Nothing is ever re-encrypted.

Every change is one audit row with object type ``user``; its detail holds the user name and
role (account names, not case data).
"""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cope_desktop.db import keys
from cope_desktop.db.database import Database
from cope_desktop.db.enums import KeySlotKind, Role
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import KeySlot, User
from cope_desktop.errors import RecordNotFound, UserInputError, WrongCredentialsError
from cope_desktop.i18n import _, sort_key
from cope_desktop.services import audit, signin_guard
from cope_desktop.services.accounts import CurrentUser, publish_slots, slot_row, stage_user
from cope_desktop.services.permissions import Permission, require


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    is_active: bool
    last_login_at: dt.datetime | None
    failed_logins: int
    locked_until: dt.datetime | None
    """As last seen at a sign-in or unlock (the guard file beside the database is the truth)."""


def list_users(session: Session, actor: CurrentUser) -> list[UserRow]:
    """Every user, active and disabled, by user name."""
    require(actor, Permission.MANAGE_USERS)
    users = sorted(session.scalars(select(User)), key=lambda u: sort_key(u.username))
    return [
        UserRow(
            u.id,
            u.username,
            u.display_name,
            u.role,
            u.is_active,
            u.last_login_at,
            u.failed_logins,
            u.locked_until,
        )
        for u in users
    ]


def add_user(
    db: Database,
    actor: CurrentUser,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
) -> uuid.UUID:
    """A new user with a key slot of their own; the data key comes from the open database."""
    require(actor, Permission.MANAGE_USERS)
    with db.session() as session:
        user_id, slot = stage_user(
            session, db.data_key, username, password, role, display_name.strip(), actor
        )
    _publish(db.key_file, lambda: publish_slots(db.key_file, [slot]))
    signin_guard.reset(db.path, username)
    return user_id


def disable_user(db: Database, actor: CurrentUser, user_id: uuid.UUID) -> None:
    """The user can no longer sign in: their key slot leaves the key file and the database."""
    require(actor, Permission.MANAGE_USERS)
    if user_id == actor.id:
        raise UserInputError(_("You cannot disable your own account."))
    with db.session() as session:
        user = _user(session, user_id)
        if not user.is_active:
            raise UserInputError(_("{name} is already disabled.").format(name=user.username))
        if user.role is Role.ADMINISTRATOR:
            _keep_an_administrator(session, user)
        user.is_active = False
        session.execute(
            delete(KeySlot).where(KeySlot.user_id == user.id, KeySlot.kind == KeySlotKind.USER)
        )
        _audit(session, actor, "user_disabled", user)
        username = user.username
    _publish(db.key_file, lambda: _remove_slot(db.key_file, username))


def enable_user(db: Database, actor: CurrentUser, user_id: uuid.UUID, new_password: str) -> None:
    """A disabled user may sign in again, with a new password (a new key slot)."""
    require(actor, Permission.MANAGE_USERS)
    keys.check_password_strength(new_password)
    with db.session() as session:
        user = _user(session, user_id)
        if user.is_active:
            raise UserInputError(_("{name} is already active.").format(name=user.username))
        slot = _new_slot(session, db.data_key, user, new_password)
        user.is_active = True
        _audit(session, actor, "user_enabled", user)
        username = user.username
    _publish(db.key_file, lambda: publish_slots(db.key_file, [slot]))
    signin_guard.reset(db.path, username)


def change_role(session: Session, actor: CurrentUser, user_id: uuid.UUID, role: Role) -> None:
    """Give a user another role; it applies from their next sign-in."""
    require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    if user.role is role:
        return
    if user.role is Role.ADMINISTRATOR and user.is_active:
        _keep_an_administrator(session, user)
    before = user.role
    user.role = role
    audit.record_by(
        session,
        actor,
        "role_changed",
        "user",
        user.id,
        f"{user.username} ({before.value} -> {role.value})",
    )


def reset_password(
    db: Database,
    actor: CurrentUser,
    user_id: uuid.UUID,
    recovery_key: str,
    new_password: str,
) -> None:
    """Give a user a new password; the administrator proves the database's recovery key."""
    require(actor, Permission.MANAGE_USERS)
    keys.check_password_strength(new_password)
    if not recovery_key.strip():
        raise UserInputError(_("Type the recovery key."))
    proven = db.key_file.unlock_with_recovery(recovery_key)
    if not hmac.compare_digest(proven, db.data_key):
        raise WrongCredentialsError(_("The recovery key is not correct."))
    with db.session() as session:
        user = _user(session, user_id)
        if not user.is_active:
            raise UserInputError(
                _("{name} is disabled: enable the account with a new password instead.").format(
                    name=user.username
                )
            )
        slot = _new_slot(session, db.data_key, user, new_password)
        _audit(session, actor, "password_reset", user)
        username = user.username
    _publish(db.key_file, lambda: publish_slots(db.key_file, [slot]))
    signin_guard.reset(db.path, username)


def clear_lockout(db: Database, actor: CurrentUser, user_id: uuid.UUID) -> None:
    """Let a locked-out user try again at once (their count of wrong passwords starts afresh)."""
    require(actor, Permission.MANAGE_USERS)
    with db.session() as session:
        user = _user(session, user_id)
        signin_guard.reset(db.path, user.username)
        user.failed_logins = 0
        user.locked_until = None
        _audit(session, actor, "lockout_cleared", user)


# --- helpers ----------------------------------------------------------------------------------


def _user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise RecordNotFound(_("This user does not exist any more."))
    return user


def _keep_an_administrator(session: Session, leaving: User) -> None:
    """Refuse a change that would leave no active administrator to manage the database."""
    others = session.scalars(
        select(User.id).where(
            User.role == Role.ADMINISTRATOR, User.is_active.is_(True), User.id != leaving.id
        )
    ).first()
    if others is None:
        raise UserInputError(
            _(
                "{name} is the only active administrator. Make another user an administrator "
                "first, so that someone can still manage this database."
            ).format(name=leaving.username)
        )


def _new_slot(session: Session, data_key: bytes, user: User, password: str) -> keys.Slot:
    """Wrap the data key under ``password`` for ``user``, replacing their slot in the mirror."""
    slot = keys.wrap(data_key, password, KeySlotKind.USER, user.username)
    session.execute(
        delete(KeySlot).where(KeySlot.user_id == user.id, KeySlot.kind == KeySlotKind.USER)
    )
    session.add(slot_row(slot, user.id))
    user.failed_logins = 0
    user.locked_until = None
    return slot


def _audit(session: Session, actor: CurrentUser, action: str, user: User) -> None:
    audit.record_by(session, actor, action, "user", user.id, f"{user.username} ({user.role.value})")


def _remove_slot(key_file: KeyFile, username: str) -> None:
    if key_file.remove_user_slot(username):
        key_file.save()


def _publish(key_file: KeyFile, change: Callable[[], None]) -> None:
    """Change and save the key file; if saving fails, the copy in memory stays as the disk's."""
    before = list(key_file.slots)
    try:
        change()
    except BaseException:
        key_file.slots = before
        raise


def read_users(db: Database, actor: CurrentUser) -> list[UserRow]:
    """``list_users`` with each lockout as it stands now (from the guard file beside the file).

    The rows' copies are brought up to date only at a sign-in; a lock that began since, or
    has ended, shows here as it is.
    """
    with db.session() as session:
        rows = list_users(session, actor)
    attempts = signin_guard.attempts_of(db.path)
    current = signin_guard.now()
    result = []
    for row in rows:
        counted = attempts.get(signin_guard.user_key(row.username))
        until = counted.locked_until if counted else None
        result.append(
            replace(
                row,
                failed_logins=counted.failures if counted else 0,
                locked_until=until if until is not None and until > current else None,
            )
        )
    return result
