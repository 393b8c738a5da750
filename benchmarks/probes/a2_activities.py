"""A2 probe: the activities list on the given database, already signed in.

    python a2_activities.py DB REPEAT

Per run, like P2 for the families: a new activities page is made and shown; the clock stops
when its first rows are painted (the first keys and their rows read on a worker, the model
reset and the table painted). Then, not timed against a target: until every key is in (the
count is known), a sort by the number of children, and one month of the calendar.

Prints one JSON object: {"a2_cold": s, "a2": [s...], "all_keys": [s...],
"sort_children": s, "calendar_month": [s...]}.
"""

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from paint_watch import PaintWatch
from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer

from cope_desktop import i18n
from cope_desktop.db.database import Database
from cope_desktop.paths import resolve_paths
from cope_desktop.ui.app import make_application
from cope_desktop.ui.models import activity_list as columns
from cope_desktop.ui.pages.activities import ActivitiesPage
from cope_desktop.ui.session import open_signed_in
from cope_desktop.ui.tasks import TaskRunner

PAGE_SIZE = QSize(1366 - 200, 720)
TIMEOUT_MS = 60_000


def wait_for(done: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``done()``."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: loop.quit() if done() else None)
    timer.start()
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    if not done():
        loop.exec()
    timer.stop()
    if not done():
        raise SystemExit(f"the activities page did not answer: {what}")


def wait_for_rows(page: ActivitiesPage) -> None:
    loop = QEventLoop()
    watch = PaintWatch(page.model, loop)
    viewport = page.table.viewport()
    viewport.installEventFilter(watch)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    viewport.removeEventFilter(watch)
    if not watch.painted:
        raise SystemExit("the activities list did not answer")


def first_rows(db: Database, runner: TaskRunner) -> tuple[float, float, ActivitiesPage]:
    start = time.perf_counter()
    page = ActivitiesPage(db, runner)
    page.resize(PAGE_SIZE)
    page.show()
    wait_for_rows(page)
    painted = time.perf_counter() - start
    wait_for(lambda: page.model.has_answer and not page.model.busy, "every key")
    return painted, time.perf_counter() - start, page


def measure(db: Database, runner: TaskRunner, repeat: int) -> dict[str, object]:
    painted: list[float] = []
    every: list[float] = []
    page = None
    for _ in range(repeat + 1):
        if page is not None:
            page.deleteLater()
        seconds, all_keys, page = first_rows(db, runner)
        painted.append(seconds)
        every.append(all_keys)
    assert page is not None
    start = time.perf_counter()
    page.model.sort(columns.CHILDREN, Qt.SortOrder.DescendingOrder)
    wait_for(lambda: not page.model.busy, "the sort by children")
    sort_children = time.perf_counter() - start
    months: list[float] = []
    page.show_view(page.CALENDAR)
    grid = page.calendar.grid
    for step in range(repeat):
        start = time.perf_counter()
        page.calendar.move_months(-1 - step)
        wait_for(lambda: grid.has_data, "a month")
        grid.repaint()
        months.append(time.perf_counter() - start)
    # The first run reads the file's pages into the connections' caches; P1 measures that.
    return {
        "a2_cold": painted[0],
        "a2": painted[1:],
        "all_keys": every[1:],
        "sort_children": sort_children,
        "calendar_month": months,
        "rows": page.model.rowCount(),
    }


def main() -> None:
    db_path, repeat = Path(sys.argv[1]), int(sys.argv[2])
    paths = resolve_paths().ensure()
    make_application()
    i18n.set_language("en")
    runner = TaskRunner(paths.log_file)
    signed_in = open_signed_in(db_path, "admin", os.environ["COPE_PASSWORD"], paths.backup_dir)
    print(json.dumps(measure(signed_in.db, runner, repeat)))
    runner.shutdown()
    signed_in.db.close()


if __name__ == "__main__":
    main()
