"""P2 and P3 probe: the families list on the given database, already signed in.

    python p2_p3_families.py DB REPEAT p2|p3

P2, per run: a new families page is made and shown; the clock stops when its first rows are
painted (the first keys and their rows read on a worker, the model reset and the table
painted). The rest of the list may still be on its way.

P3, per keystroke: the first five letters of the commonest family name of the children,
then a family reference, typed one character at a time; the clock runs from the search being
applied (after the typing pause, which is not counted) to the first matching rows painted.
The next letter is typed once the whole list has arrived.

Prints one JSON object: {"p2_cold": s, "p2": [s...]} or {"p3": [s...], "p3_by_keystroke":
{typed text: median s}}.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from paint_watch import PaintWatch
from PySide6.QtCore import QEventLoop, QSize, QTimer
from sqlalchemy import func, select

from cope_desktop import i18n
from cope_desktop.db.database import Database
from cope_desktop.db.models import Child, Family
from cope_desktop.paths import resolve_paths
from cope_desktop.ui.app import make_application
from cope_desktop.ui.pages.families import FamiliesPage
from cope_desktop.ui.session import open_signed_in
from cope_desktop.ui.tasks import TaskRunner

PAGE_SIZE = QSize(1366 - 200, 720)
TIMEOUT_MS = 30_000


def wait_for(page: FamiliesPage, done: Callable[[], bool]) -> None:
    """Run the event loop until ``done()`` (checked whenever the model reports)."""
    if done():
        return
    loop = QEventLoop()

    def check() -> None:
        if done():
            loop.quit()

    model = page.model
    signals = (model.rows_shown, model.loaded, model.failed)
    for signal in signals:
        signal.connect(check)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    for signal in signals:
        signal.disconnect(check)
    if not done():
        raise SystemExit("the families list did not answer")


def wait_for_rows(page: FamiliesPage) -> None:
    """Return once the table has painted the first rows of the latest query."""
    loop = QEventLoop()
    watch = PaintWatch(page.model, loop)
    viewport = page.table.viewport()
    viewport.installEventFilter(watch)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    viewport.removeEventFilter(watch)
    if not watch.painted:
        raise SystemExit("the families list did not answer")


def wait_for_all(page: FamiliesPage) -> None:
    """Return once every row of the latest query is in (the count is known)."""
    wait_for(page, lambda: not page.model.busy)


def first_rows(db: Database, runner: TaskRunner) -> tuple[float, FamiliesPage]:
    start = time.perf_counter()
    page = FamiliesPage(db, runner)
    page.resize(PAGE_SIZE)
    page.show()
    wait_for_rows(page)
    return time.perf_counter() - start, page


def typed(prefix_of: str) -> list[str]:
    return [prefix_of[:n] for n in range(1, len(prefix_of) + 1)]


def texts_to_type(db: Database) -> list[str]:
    """A common child's family name (first five letters) and a reference in the middle."""
    with db.session() as session:
        name = session.scalar(
            select(Child.last_name)
            .where(Child.last_name.is_not(None))
            .group_by(Child.last_name)
            .order_by(func.count().desc(), Child.last_name)
            .limit(1)
        )
        total = session.scalar(select(func.count()).select_from(Family)) or 1
        reference = session.scalar(
            select(Family.reference).order_by(Family.reference).offset(total // 2).limit(1)
        )
    return [str(name)[:5].lower(), str(reference)]


def keystrokes(page: FamiliesPage, text: str) -> list[float]:
    samples = []
    for prefix in typed(text):
        page.search.setText(prefix)
        start = time.perf_counter()
        page.apply_filter()
        if page.model.busy:  # else the same search as before: nothing to do
            wait_for_rows(page)
        samples.append(time.perf_counter() - start)
        wait_for_all(page)  # people type slower than the rest of the list arrives
    page.search.clear()
    page.apply_filter()
    wait_for_all(page)
    return samples


def p2(db: Database, runner: TaskRunner, repeat: int) -> dict[str, object]:
    samples: list[float] = []
    page = None
    for _ in range(repeat + 1):
        if page is not None:
            page.deleteLater()
        seconds, page = first_rows(db, runner)
        samples.append(seconds)
    # The first run reads the file's pages into the connections' caches; P1 measures that.
    return {"p2_cold": samples[0], "p2": samples[1:]}


def p3(db: Database, runner: TaskRunner, repeat: int) -> dict[str, object]:
    _seconds, page = first_rows(db, runner)
    wait_for_all(page)
    by_keystroke: dict[str, list[float]] = {}
    for text in texts_to_type(db):
        for _ in range(repeat):
            for prefix, seconds in zip(typed(text), keystrokes(page, text), strict=True):
                by_keystroke.setdefault(prefix, []).append(seconds)
    return {
        "p3": [s for samples in by_keystroke.values() for s in samples],
        "p3_by_keystroke": {
            prefix: round(statistics.median(samples), 4) for prefix, samples in by_keystroke.items()
        },
    }


def main() -> None:
    db_path, repeat, figure = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    paths = resolve_paths().ensure()
    make_application()
    i18n.set_language("en")
    runner = TaskRunner(paths.log_file)
    signed_in = open_signed_in(db_path, "admin", os.environ["COPE_PASSWORD"], paths.backup_dir)
    measure = p2 if figure == "p2" else p3
    print(json.dumps(measure(signed_in.db, runner, repeat)))
    runner.shutdown()
    signed_in.db.close()


if __name__ == "__main__":
    main()
