"""Sign-in lockout (R8): five wrong passwords lock the account, the lock grows, then ends.

The clock is a fake one the tests move forward; nothing here waits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase
from sqlalchemy import select

from cope_desktop.db import keys
from cope_desktop.db.models import AuditEvent, User
from cope_desktop.errors import AccountLockedError, WrongCredentialsError
from cope_desktop.services import signin_guard
from cope_desktop.services.accounts import (
    CurrentUser,
    confirm_password,
    find_user,
    finish_sign_in,
    sign_in,
)

START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self) -> None:
        self.time = START

    def __call__(self) -> dt.datetime:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(signin_guard, "now", fake)
    return fake


def attempt(created: CreatedDatabase, username: str, password: str) -> None:
    db, _user = sign_in(created.path, username, password, created.paths.backup_dir)
    db.close()


def fail_times(created: CreatedDatabase, username: str, count: int) -> None:
    for _ in range(count):
        with pytest.raises(WrongCredentialsError):
            attempt(created, username, "not the password")


def audit_rows(created: CreatedDatabase) -> list[tuple[str, str, bool, str]]:
    """(action, username, has a user id, detail) of every audit row, oldest first."""
    db = created.sign_in()
    try:
        with db.session() as session:
            events = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))
            return [(e.action, e.username, e.user_id is not None, e.detail) for e in events]
    finally:
        db.close()


def no_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> bytes:
        raise AssertionError("the key was derived although the account is locked")

    monkeypatch.setattr(keys, "_derive", refuse)


def test_the_lock_starts_at_30_seconds_and_doubles_up_to_an_hour() -> None:
    assert [signin_guard.lock_delay(n) for n in (0, 1, 4)] == [None, None, None]
    seconds = [signin_guard.lock_delay(n).total_seconds() for n in range(5, 14)]  # type: ignore[union-attr]
    assert seconds == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert signin_guard.lock_delay(500) == dt.timedelta(hours=1)


def test_five_wrong_passwords_lock_until_the_delay_has_passed(
    created_db: CreatedDatabase, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_times(created_db, "admin", 4)
    with pytest.raises(AccountLockedError, match="Try again after") as locked:
        attempt(created_db, "admin", "not the password")
    assert locked.value.until == START + dt.timedelta(seconds=30)

    with monkeypatch.context() as patched:
        no_key_derivation(patched)
        clock.advance(29)
        with pytest.raises(AccountLockedError):
            attempt(created_db, "ADMIN", PASSWORD)  # the right password, the name in capitals
    clock.advance(2)
    attempt(created_db, "admin", PASSWORD)
    # The right password reset the count: four more mistakes do not lock again.
    fail_times(created_db, "admin", 4)
    attempt(created_db, "admin", PASSWORD)


def test_each_further_failure_doubles_the_lock(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    fail_times(created_db, "nobody", 4)
    with pytest.raises(AccountLockedError) as first:
        attempt(created_db, "nobody", "guess")
    assert first.value.until == START + dt.timedelta(seconds=30)
    clock.advance(31)
    with pytest.raises(AccountLockedError) as second:
        attempt(created_db, "nobody", "guess")
    assert second.value.until == clock.time + dt.timedelta(seconds=60)
    clock.advance(61)
    with pytest.raises(AccountLockedError) as third:
        attempt(created_db, "Nobody", "guess")
    assert third.value.until == clock.time + dt.timedelta(minutes=2)


def test_an_unknown_user_is_treated_like_a_wrong_password(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    messages = []
    for username in ("admin", "nobody"):
        for _ in range(4):
            with pytest.raises(WrongCredentialsError) as wrong:
                attempt(created_db, username, "not the password")
            assert type(wrong.value) is WrongCredentialsError
            messages.append(wrong.value.message)
        with pytest.raises(AccountLockedError) as locked:
            attempt(created_db, username, "not the password")
        messages.append(locked.value.message)
    assert messages[:5] == messages[5:]
    assert messages[0] == "The user name or password is not correct."


def test_failures_and_lockouts_join_the_audit_trail_at_the_next_sign_in(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    fail_times(created_db, "nobody", 2)
    fail_times(created_db, "admin", 4)
    with pytest.raises(AccountLockedError):
        attempt(created_db, "admin", "not the password")
    guard_file = signin_guard.path_for(created_db.path)
    assert guard_file.exists()
    clock.advance(60)

    rows = audit_rows(created_db)
    at = "at 2026-03-02T09:00:00+00:00"
    assert rows[1:] == [
        ("login_failed", "(unknown)", False, at),
        ("login_failed", "(unknown)", False, at),
        *[("login_failed", "admin", True, at)] * 5,
        ("locked_out", "admin", True, at + " until 2026-03-02T09:00:30+00:00"),
        ("login", "admin", True, ""),
    ]
    assert signin_guard.pending_events(created_db.path) == []
    # Moved, not copied: the next sign-in adds only its own login.
    assert [row[0] for row in audit_rows(created_db)[len(rows) :]] == ["login"]


def test_the_page_check_after_the_window_opens_also_writes_the_pending_events(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    fail_times(created_db, "nobody", 1)
    db, user = sign_in(
        created_db.path, "admin", PASSWORD, created_db.paths.backup_dir, defer_page_check=True
    )
    try:
        assert len(signin_guard.pending_events(created_db.path)) == 1
        finish_sign_in(db, user)
        with db.session() as session:
            actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))
    finally:
        db.close()
    assert actions[-2:] == ["login_failed", "login"]
    assert signin_guard.pending_events(created_db.path) == []


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": "x"}', b"\xff\xfe"])
def test_a_damaged_guard_file_records_no_failures(
    created_db: CreatedDatabase, clock: FakeClock, content: bytes
) -> None:
    signin_guard.path_for(created_db.path).write_bytes(content)
    assert signin_guard.locked_until(created_db.path, "admin") is None
    for _ in range(4):
        assert signin_guard.record_failure(created_db.path, "admin") is None
    assert signin_guard.record_failure(created_db.path, "admin") is not None


def test_a_failed_sign_in_that_cannot_write_the_guard_file_still_says_why(
    tmp_path: Path, clock: FakeClock
) -> None:
    db_path = tmp_path / "missing-folder" / "org.db"
    assert signin_guard.record_failure(db_path, "admin") is None
    assert signin_guard.locked_until(db_path, "admin") is None


def test_the_lock_screen_counts_and_audits_each_try(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    db = created_db.sign_in()
    try:
        with db.session() as session:
            admin = find_user(session, "admin")
            assert admin is not None
            user = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
        with pytest.raises(WrongCredentialsError, match="password is not correct"):
            confirm_password(db, user, "not the password")
        confirm_password(db, user, PASSWORD)
        for _ in range(4):
            signin_guard.record_failure(db.path, "admin", pending=False)
        with pytest.raises(AccountLockedError):
            confirm_password(db, user, "not the password")
        with pytest.raises(AccountLockedError):
            confirm_password(db, user, PASSWORD)  # refused while locked
        with db.session() as session:
            row = session.get(User, user.id)
            assert row is not None
            assert (row.failed_logins, row.locked_until) == (5, START + dt.timedelta(seconds=30))
        clock.advance(31)
        confirm_password(db, user, PASSWORD)
        with db.session() as session:
            actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))
            row = session.get(User, user.id)
            assert row is not None
            assert (row.failed_logins, row.locked_until) == (0, None)
    finally:
        db.close()
    assert actions[-5:] == ["unlock_failed", "unlock", "unlock_failed", "locked_out", "unlock"]
    assert signin_guard.pending_events(created_db.path) == []


def test_a_password_change_with_the_old_password_is_also_guarded(
    created_db: CreatedDatabase, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cope_desktop.services.accounts import set_password

    for _ in range(5):
        signin_guard.record_failure(created_db.path, "admin")
    no_key_derivation(monkeypatch)
    with pytest.raises(AccountLockedError):
        set_password(
            created_db.path,
            "admin",
            "a brand new passphrase",
            created_db.paths.backup_dir,
            old_password=PASSWORD,
        )


def test_a_name_with_no_account_is_never_written_down(
    created_db: CreatedDatabase, clock: FakeClock
) -> None:
    """The guard file is not encrypted: a password typed as the user name must not reach it."""
    fail_times(created_db, "Secret-Typed-As-Name", 2)
    text = signin_guard.path_for(created_db.path).read_text(encoding="utf-8")
    assert "secret-typed-as-name" not in text.casefold()
    assert signin_guard.UNKNOWN_NAME in text
