"""A crash mid-event (the process killed) keeps every attendance already ticked (R3)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from activity_support import make_activity, make_family
from db_support import PASSWORD, CreatedDatabase
from sqlalchemy import select

from cope_desktop.db.models import Attendance
from cope_desktop.services.accounts import CurrentUser, find_user
from cope_desktop.services.integrity import check_database

SCRIPT = Path(__file__).with_name("tick_until_killed.py")
CHILDREN = 40
KILL_AFTER = 15
"""Ticks reported before the process is killed: it is killed in the middle of the event."""


def prepare(created_db: CreatedDatabase) -> tuple[str, list[str]]:
    """An activity and one family of ``CHILDREN`` children; returns their ids as text."""
    db = created_db.sign_in()
    try:
        with db.session() as session:
            admin = find_user(session, "admin")
            assert admin is not None
            user = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
            family = make_family(
                session, user, None, "F-1", [(f"Child {n}", 2015) for n in range(CHILDREN)]
            )
            activity_id = make_activity(session, user)
    finally:
        db.close()
    return str(activity_id), [str(child) for child in family.children]


def test_a_crash_mid_event_keeps_every_attendance_ticked(
    created_db: CreatedDatabase, tmp_path: Path
) -> None:
    activity, children = prepare(created_db)
    errors = tmp_path / "ticker.err"
    command = [
        sys.executable,
        str(SCRIPT),
        str(created_db.path),
        str(created_db.paths.backup_dir),
        PASSWORD,
        activity,
        *children,
    ]
    with errors.open("w") as stderr:
        ticker = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=dict(os.environ)
        )
        watchdog = threading.Timer(120, ticker.kill)  # never hang the test run
        watchdog.start()
        reported: list[str] = []
        try:
            assert ticker.stdout is not None
            while len(reported) < KILL_AFTER:
                line = ticker.stdout.readline()
                assert line, errors.read_text()
                reported.append(line.split()[1])
            ticker.kill()  # SIGKILL: no clean-up, no rollback, no closing of the database
            ticker.wait(timeout=60)
        finally:
            watchdog.cancel()
            ticker.kill()
            ticker.wait()
    assert ticker.returncode != 0  # killed

    db = created_db.sign_in()
    try:
        assert check_database(db) == []
        with db.session() as session:
            stored = {
                str(child_id)
                for child_id in session.scalars(
                    select(Attendance.child_id).where(Attendance.deleted_at.is_(None))
                )
            }
        assert set(reported) <= stored
        assert stored <= set(children)
    finally:
        db.close()
