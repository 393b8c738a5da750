"""Quick attendance as a separate process, for the crash test (``test_attendance_crash``).

Usage: python tick_until_killed.py DB BACKUP_DIR PASSWORD ACTIVITY_ID CHILD_ID...

Ticks the children one by one, each tick in its own ``db.session()`` as quick attendance
does, and prints ``ticked <child id>`` once that session has committed. Then it keeps
changing the head count (``count <n>`` after each commit) until it is killed.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from pathlib import Path

from cope_desktop.db.enums import AttendeeKind
from cope_desktop.services.accounts import CurrentUser, find_user, sign_in
from cope_desktop.services.activities.attendance import set_head_counts, set_present


def main(arguments: list[str]) -> None:
    path, backup_dir, password, activity = arguments[:4]
    activity_id = uuid.UUID(activity)
    db = sign_in(Path(path), "admin", password, Path(backup_dir))[0]
    with db.session() as session:
        admin = find_user(session, "admin")
        assert admin is not None
        user = CurrentUser(admin.id, admin.username, admin.display_name, admin.role)
    for child in arguments[4:]:
        with db.session() as session:
            set_present(session, user, activity_id, AttendeeKind.CHILD, uuid.UUID(child), True)
        print("ticked", child, flush=True)
    for number in itertools.count(1):
        with db.session() as session:
            set_head_counts(session, user, activity_id, number % 10_000, 0)
        print("count", number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
