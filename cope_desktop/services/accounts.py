"""Signing in, and setting passwords: with the old one, or with the recovery key (R4)."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cope_desktop.db import keys
from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database, damaged_error, open_database, verify_pages
from cope_desktop.db.enums import KeySlotKind, Role
from cope_desktop.db.keys import KeyFile, Slot
from cope_desktop.db.models import KeySlot, Organisation, User
from cope_desktop.errors import UserInputError, WrongCredentialsError
from cope_desktop.i18n import _
from cope_desktop.services import audit

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class CurrentUser:
    """Who is signed in, as plain values the GUI and services pass around."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class OrganisationInfo:
    id: uuid.UUID
    name: str
    country: str


def check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise UserInputError(
            _(
                "A user name has 1 to 64 letters, digits, dots, dashes or underscores, "
                "and starts with a letter or digit."
            )
        )
    return username


def slot_row(slot: Slot, user_id: uuid.UUID | None) -> KeySlot:
    """The database mirror of a key-file slot."""
    return KeySlot(
        id=slot.id,
        kind=slot.kind,
        user_id=user_id,
        time_cost=slot.kdf.time_cost,
        memory_cost_kib=slot.kdf.memory_cost_kib,
        parallelism=slot.kdf.parallelism,
        salt=slot.salt,
        nonce=slot.nonce,
        wrapped_key=slot.wrapped_key,
        created_at=slot.created_at,
    )


def sign_in(
    path: Path,
    username: str,
    password: str,
    backup_dir: Path,
    *,
    defer_page_check: bool = False,
) -> tuple[Database, CurrentUser]:
    """Unlock and open the database as ``username`` and record the login in the audit trail.

    With ``defer_page_check`` nothing is written yet: the caller shows its window and then
    calls ``finish_sign_in``, which authenticates every page before recording the login. On a
    large database that check takes most of a second, and a damaged file is still never
    written to.
    """
    key_file = KeyFile.load(path)
    data_key = key_file.unlock(username, password)
    db = open_database(path, data_key, key_file, backup_dir, defer_page_check=defer_page_check)
    try:
        with _damage_reported(db), db.session() as session:
            user = find_user(session, username)
            if user is None or not user.is_active:
                raise WrongCredentialsError(_("This user account is disabled or does not exist."))
            current = CurrentUser(user.id, user.username, user.display_name, user.role)
        if not defer_page_check:
            _record_login(db, current)
    except BaseException:
        db.close()
        raise
    return db, current


@contextlib.contextmanager
def _damage_reported(db: Database) -> Iterator[None]:
    """A page that fails to decrypt while reading becomes the one clear 'damaged' message."""
    try:
        yield
    except sqlalchemy.exc.OperationalError:
        raise
    except sqlalchemy.exc.DatabaseError:
        raise damaged_error(db.path) from None


def finish_sign_in(db: Database, user: CurrentUser) -> None:
    """Authenticate every page (DatabaseDamagedError if one fails), then record the login."""
    verify_pages(db)
    _record_login(db, user)


def _record_login(db: Database, current: CurrentUser) -> None:
    with db.session() as session:
        user = session.get(User, current.id)
        if user is not None:
            user.last_login_at = utcnow()
        audit.record(session, "login", user_id=current.id, username=current.username)


def find_user(session: Session, username: str) -> User | None:
    wanted = username.strip().casefold()
    for user in session.scalars(select(User)):
        if user.username.casefold() == wanted:
            return user
    return None


def organisation_info(session: Session) -> OrganisationInfo:
    org = session.scalars(select(Organisation)).one()
    return OrganisationInfo(org.id, org.name, org.country)


def set_password(
    path: Path,
    username: str,
    new_password: str,
    backup_dir: Path,
    *,
    old_password: str | None = None,
    recovery_key: str | None = None,
) -> None:
    """Give ``username`` a new password, proving the old password or the recovery key.

    The data key is unwrapped with the proof and wrapped again under the new password; the
    database is never re-encrypted. The database mirror is updated first, then the key file is
    replaced atomically, so a failure leaves the old password working.
    """
    keys.check_password_strength(new_password)
    key_file = KeyFile.load(path)
    if recovery_key is not None:
        data_key = key_file.unlock_with_recovery(recovery_key)
    elif old_password is not None:
        data_key = key_file.unlock(username, old_password)
    else:
        raise UserInputError(_("Give the current password or the recovery key."))
    db = open_database(path, data_key, key_file, backup_dir)
    try:
        with db.session() as session:
            user = find_user(session, username)
            if user is None:
                raise UserInputError(_("There is no user {name}.").format(name=username))
            slot = keys.wrap(data_key, new_password, KeySlotKind.USER, user.username)
            session.execute(
                delete(KeySlot).where(KeySlot.user_id == user.id, KeySlot.kind == KeySlotKind.USER)
            )
            session.add(slot_row(slot, user.id))
            user.failed_logins = 0
            user.locked_until = None
            audit.record(
                session,
                "password_reset" if recovery_key is not None else "password_change",
                user_id=user.id,
                username=user.username,
                object_type="user",
                object_id=user.id,
            )
        publish_slots(key_file, [slot])
    finally:
        db.close()


def stage_user(
    session: Session,
    data_key: bytes,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
) -> tuple[uuid.UUID, Slot]:
    """Add a user and their key slot inside ``session``; return the id and the new slot.

    The slot reaches the key file only when the caller passes it to ``publish_slots`` after
    the transaction commits, so a rollback leaves the key file as it was.
    """
    username = check_username(username)
    keys.check_password_strength(password)
    if find_user(session, username) is not None:
        raise UserInputError(_("There is already a user {name}.").format(name=username))
    user = User(username=username, display_name=display_name or username, role=role)
    session.add(user)
    session.flush()
    slot = keys.wrap(data_key, password, KeySlotKind.USER, username)
    session.add(slot_row(slot, user.id))
    audit.record(
        session,
        "user_added",
        object_type="user",
        object_id=user.id,
        detail=f"{username} ({role.value})",
    )
    return user.id, slot


def publish_slots(key_file: KeyFile, slots: list[Slot]) -> None:
    """Write committed user slots to the key file (atomically, replacing older ones)."""
    for slot in slots:
        key_file.replace_user_slot(slot)
    if slots:
        key_file.save()


def add_user(
    db: Database, username: str, password: str, role: Role, display_name: str = ""
) -> uuid.UUID:
    """Add a user with a key slot of their own; the data key is taken from the open database."""
    with db.session() as session:
        user_id, slot = stage_user(session, db.data_key, username, password, role, display_name)
    publish_slots(db.key_file, [slot])
    return user_id
