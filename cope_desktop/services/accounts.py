"""Signing in, and setting passwords: with the old one, or with the recovery key (R4)."""

from __future__ import annotations

import contextlib
import hmac
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
from cope_desktop.errors import AccountLockedError, UserInputError, WrongCredentialsError
from cope_desktop.i18n import _
from cope_desktop.services import audit, signin_guard

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

    The lockout guard is asked first (``AccountLockedError`` before any key derivation); a
    wrong password and an unknown user name are counted alike, so the lockout does not tell
    who has an account. The failures kept since the last sign-in join the audit trail with
    the login.

    With ``defer_page_check`` nothing is written yet: the caller shows its window and then
    calls ``finish_sign_in``, which authenticates every page before recording the login. On a
    large database that check takes most of a second, and a damaged file is still never
    written to.
    """
    key_file = KeyFile.load(path)
    data_key = _unlock_counted(path, key_file, username, password)
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
    with _signed_in_session(db) as session:
        user = session.get(User, current.id)
        if user is not None:
            user.last_login_at = utcnow()
        audit.record(session, "login", user_id=current.id, username=current.username)


@contextlib.contextmanager
def _signed_in_session(db: Database) -> Iterator[Session]:
    """A session for after a right password, with the sign-in guard's news written in.

    The failures kept beside the database join the audit trail first, and the user rows get
    the guard's counts (``mirror_attempts``) at the end.
    """
    events = signin_guard.pending_events(db.path)
    with db.session() as session:
        write_pending_events(session, events)
        yield session
        mirror_attempts(session, db.path)
    signin_guard.forget_events(db.path, events)


def _unlock_counted(path: Path, key_file: KeyFile, username: str, password: str) -> bytes:
    """The data key; a wrong password (or unknown user) counts towards the lockout.

    The guard is asked first: a locked account raises ``AccountLockedError`` before any key
    derivation.
    """
    signin_guard.check(path, guard_name(key_file, username))
    try:
        data_key = key_file.unlock(username, password)
    except AccountLockedError:
        raise
    except WrongCredentialsError:
        until = signin_guard.record_failure(path, guard_name(key_file, username))
        if until is not None:
            raise AccountLockedError(signin_guard.locked_message(until), until) from None
        raise
    signin_guard.reset(path, username)
    return data_key


def guard_name(key_file: KeyFile, username: str) -> str:
    """The name the lockout counts: the user's, or one shared key for names with no account."""
    return username if key_file.user_slot(username) is not None else signin_guard.UNKNOWN_NAME


def write_pending_events(session: Session, events: list[signin_guard.PendingEvent]) -> None:
    """Move the failed sign-ins and lockouts kept beside the database into the audit trail."""
    if not events:
        return
    ids = {user.username.casefold(): user.id for user in session.scalars(select(User))}
    for event in events:
        audit.record(
            session,
            event.action,
            user_id=ids.get(event.username.casefold()),
            username=event.username,
            object_type="user" if event.username.casefold() in ids else None,
            object_id=ids.get(event.username.casefold()),
            detail=event.detail(),
        )


def mirror_attempts(session: Session, db_path: Path) -> None:
    """Copy the guard's failure counts and locks into the user rows (for the Users tab)."""
    attempts = signin_guard.attempts_of(db_path)
    for user in session.scalars(select(User)):
        counted = attempts.get(signin_guard.user_key(user.username))
        failures = counted.failures if counted else 0
        until = counted.locked_until if counted else None
        if user.failed_logins != failures:
            user.failed_logins = failures
        if user.locked_until != until:
            user.locked_until = until


def confirm_password(db: Database, user: CurrentUser, password: str) -> None:
    """The signed-in user proves their password again (the lock screen).

    Same lockout as signing in; each try is audited at once (``unlock`` or
    ``unlock_failed``), since the database is open. Raises ``WrongCredentialsError`` (or
    ``AccountLockedError``) when the password is not accepted.
    """
    signin_guard.check(db.path, user.username)
    try:
        key = db.key_file.unlock(user.username, password)
        accepted = hmac.compare_digest(key, db.data_key)
    except AccountLockedError:
        raise
    except WrongCredentialsError:
        accepted = False
    if not accepted:
        _unlock_failed(db, user)
    signin_guard.reset(db.path, user.username)
    with _signed_in_session(db) as session:
        audit.record(session, "unlock", user_id=user.id, username=user.username)


def _unlock_failed(db: Database, user: CurrentUser) -> None:
    until = signin_guard.record_failure(db.path, user.username, pending=False)
    with db.session() as session:
        audit.record(session, "unlock_failed", user_id=user.id, username=user.username)
        if until is not None:
            audit.record(
                session,
                signin_guard.LOCKED_OUT,
                user_id=user.id,
                username=user.username,
                object_type="user",
                object_id=user.id,
                detail=f"until {until.isoformat(timespec='seconds')}",
            )
        mirror_attempts(session, db.path)
    if until is not None:
        raise AccountLockedError(signin_guard.locked_message(until), until)
    raise WrongCredentialsError(_("The password is not correct."))


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
        data_key = _unlock_counted(path, key_file, username, old_password)
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
        signin_guard.reset(path, username)
    finally:
        db.close()


def stage_user(
    session: Session,
    data_key: bytes,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    actor: CurrentUser | None = None,
) -> tuple[uuid.UUID, Slot]:
    """Add a user and their key slot inside ``session``; return the id and the new slot.

    The slot reaches the key file only when the caller passes it to ``publish_slots`` after
    the transaction commits, so a rollback leaves the key file as it was. ``actor`` is the
    administrator who adds the user, named in the audit row.
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
        user_id=actor.id if actor else None,
        username=actor.username if actor else "",
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
