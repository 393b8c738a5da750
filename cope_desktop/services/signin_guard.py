"""Sign-in lockout: too many wrong passwords in a row lock the account for a while (R8).

A failed sign-in has no key, so it cannot write into the encrypted database. The count of
failures and the lockouts are kept in a small JSON file beside it (``<database>.signin``)
and the failed attempts wait there as *pending events* until the next successful sign-in
moves them into the audit trail. The file holds user names and times only.

A missing or damaged file counts as "no failures recorded": it never stops anyone signing
in, and deleting it only gives back the attempts the lockout had taken away, which anyone
able to delete it could do to the key derivation by copying the files anyway.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from babel import dates as babel_dates

from cope_desktop.atomic import atomic_write_text
from cope_desktop.errors import AccountLockedError
from cope_desktop.i18n import _, format_datetime, format_locale

log = logging.getLogger(__name__)

FILE_FORMAT = "cope-signin/1"
LOCK_AFTER = 5
"""Failures in a row before the account is locked."""
FIRST_LOCK = dt.timedelta(seconds=30)
LONGEST_LOCK = dt.timedelta(hours=1)
MAX_PENDING = 1000
"""Pending events kept at most (the oldest go first), so guessing cannot fill the disk."""
LOGIN_FAILED = "login_failed"
LOCKED_OUT = "locked_out"


def now() -> dt.datetime:
    """The current time (UTC). Tests replace this function."""
    return dt.datetime.now(dt.UTC)


def path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".signin")


UNKNOWN_NAME = "(unknown)"
"""Failures with a name that has no account are counted under this one key. What was typed is
never kept: this file is not encrypted, and a password typed into the name field by mistake
must not end up in it. (It cannot be a real user name: those start with a letter or digit.)"""


def user_key(username: str) -> str:
    """The name as the guard counts it: the same however it was capitalised."""
    return username.strip().casefold()[:64]


def lock_delay(failures: int) -> dt.timedelta | None:
    """How long ``failures`` wrong passwords in a row lock the account (None: not locked)."""
    if failures < LOCK_AFTER:
        return None
    doublings = min(failures - LOCK_AFTER, 20)
    return min(FIRST_LOCK * (2**doublings), LONGEST_LOCK)


@dataclass
class Attempts:
    failures: int = 0
    locked_until: dt.datetime | None = None


@dataclass(frozen=True)
class PendingEvent:
    """A failed sign-in or a lockout, waiting to be written into the audit trail."""

    at: dt.datetime
    username: str
    action: str
    until: dt.datetime | None = None

    def detail(self) -> str:
        """What the audit row says besides the action: when it happened (and until when)."""
        text = f"at {self.at.isoformat(timespec='seconds')}"
        if self.until is not None:
            text += f" until {self.until.isoformat(timespec='seconds')}"
        return text


@dataclass
class GuardState:
    users: dict[str, Attempts] = field(default_factory=dict)
    pending: list[PendingEvent] = field(default_factory=list)


# --- the file ---------------------------------------------------------------------------------


def load(db_path: Path) -> GuardState:
    """What the file records; a missing or damaged file records nothing."""
    try:
        document = json.loads(path_for(db_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return GuardState()
    except (OSError, UnicodeDecodeError, ValueError):
        log.warning("sign-in guard file %s is damaged; starting afresh", path_for(db_path))
        return GuardState()
    try:
        return _from_json(document)
    except (KeyError, TypeError, ValueError, AttributeError):
        log.warning("sign-in guard file %s is damaged; starting afresh", path_for(db_path))
        return GuardState()


def save(db_path: Path, state: GuardState) -> None:
    """Write the state atomically; a file that cannot be written is logged, never fatal."""
    state.pending = state.pending[-MAX_PENDING:]
    try:
        atomic_write_text(path_for(db_path), json.dumps(_to_json(state), indent=1) + "\n")
    except OSError:
        log.warning("could not write the sign-in guard file %s", path_for(db_path), exc_info=True)


def _time(value: object) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


def _from_json(document: object) -> GuardState:
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ValueError("not a sign-in guard file")
    state = GuardState()
    for name, item in dict(document["users"]).items():
        state.users[str(name)] = Attempts(int(item["failures"]), _time(item.get("locked_until")))
    for item in list(document["pending"]):
        at = _time(item["at"])
        assert at is not None
        action = str(item["action"])
        if action not in (LOGIN_FAILED, LOCKED_OUT):
            raise ValueError("unknown action")
        state.pending.append(
            PendingEvent(at, str(item["username"]), action, _time(item.get("until")))
        )
    return state


def _to_json(state: GuardState) -> dict[str, object]:
    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "format": FILE_FORMAT,
        "users": {
            name: {"failures": a.failures, "locked_until": iso(a.locked_until)}
            for name, a in sorted(state.users.items())
        },
        "pending": [
            {"at": iso(e.at), "username": e.username, "action": e.action, "until": iso(e.until)}
            for e in state.pending
        ],
    }


# --- the rules --------------------------------------------------------------------------------


def locked_until(db_path: Path, username: str) -> dt.datetime | None:
    """When the account's lock ends, or None if it may sign in now."""
    attempts = load(db_path).users.get(user_key(username))
    if attempts is None or attempts.locked_until is None:
        return None
    return attempts.locked_until if attempts.locked_until > now() else None


def check(db_path: Path, username: str) -> None:
    """Raise ``AccountLockedError`` if the account is locked now (before any key derivation)."""
    until = locked_until(db_path, username)
    if until is not None:
        raise AccountLockedError(locked_message(until), until)


def record_failure(db_path: Path, username: str, *, pending: bool = True) -> dt.datetime | None:
    """Count one wrong password; return the end of the lock it starts, if it starts one.

    ``pending`` keeps the failure (and the lockout) as events for the audit trail; the lock
    screen writes its own audit rows and passes False.
    """
    state = load(db_path)
    key = user_key(username)
    attempts = state.users.setdefault(key, Attempts())
    attempts.failures += 1
    at = now()
    delay = lock_delay(attempts.failures)
    attempts.locked_until = at + delay if delay is not None else None
    if pending:
        state.pending.append(PendingEvent(at, key, LOGIN_FAILED))
        if attempts.locked_until is not None:
            state.pending.append(PendingEvent(at, key, LOCKED_OUT, attempts.locked_until))
    save(db_path, state)
    return attempts.locked_until


def reset(db_path: Path, username: str) -> None:
    """Forget the user's failures (a right password, or an administrator clearing the lock)."""
    state = load(db_path)
    if state.users.pop(user_key(username), None) is not None:
        save(db_path, state)


def pending_events(db_path: Path) -> list[PendingEvent]:
    return list(load(db_path).pending)


def forget_events(db_path: Path, written: list[PendingEvent]) -> None:
    """Drop the events now in the audit trail (those added since are kept)."""
    if not written:
        return
    state = load(db_path)
    remaining = list(written)
    kept = []
    for event in state.pending:
        if event in remaining:
            remaining.remove(event)
        else:
            kept.append(event)
    state.pending = kept
    save(db_path, state)


def attempts_of(db_path: Path) -> dict[str, Attempts]:
    """The counts of every user name the file knows (casefolded)."""
    return dict(load(db_path).users)


def locked_message(until: dt.datetime) -> str:
    """The one sentence a person sees while the account is locked."""
    return _(
        "Too many wrong passwords in a row: this account is locked for now. Try again after {time}."
    ).format(time=local_time(until))


def local_time(moment: dt.datetime) -> str:
    """A time as the computer's clock shows it: the time alone today, else date and time."""
    local = moment.astimezone()
    if local.date() == now().astimezone().date():
        return str(babel_dates.format_time(local, "medium", locale=format_locale()))
    return format_datetime(local, "medium")
