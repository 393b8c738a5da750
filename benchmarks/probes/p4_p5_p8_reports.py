"""P4, P5 and P8 probe: the yearly network return on the given database.

    python p4_p5_p8_reports.py DB REPEAT PLAIN_COPY

P4: ``prepare_report`` for the last full calendar year (counting queries, tables, disclosure
control with its audit, the validated JSON document), against the baseline of the same SQL
statements run directly through the DB-API driver on a connection tuned like the report's
(the same page cache).
P5: the PDF of that return, with its charts, written to memory.
P8: P4 on an unencrypted copy of the same database (made once with sqlcipher_export),
as a ratio: SQLCipher's cost.

Prints one JSON object: {"p4": [s...], "p4_raw": [s...], "p5": [s...], "p8_plain": [s...],
"year": YYYY, "suppressed": n}.
"""

import datetime as dt
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.dialects import sqlite

from cope_desktop.db import engine as engine_mod
from cope_desktop.db.database import Database
from cope_desktop.paths import resolve_paths
from cope_desktop.progress import run_to_end
from cope_desktop.reports import queries
from cope_desktop.reports.period import Period
from cope_desktop.reports.render_pdf import write_pdf
from cope_desktop.reports.service import prepare_report
from cope_desktop.services.accounts import sign_in

PASSWORD = "benchmark-password"


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    action()  # warm: imports, statement caches, the page cache
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def raw_sql(period: Period) -> list[str]:
    dialect = sqlite.dialect()
    return [
        str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for stmt in queries.figure_statements(period)
    ]


def run_raw(path: Path, key: bytes, statements: list[str]) -> Callable[[], None]:
    conn = engine_mod.connect(path, key, mode="ro")
    conn.execute(f"PRAGMA cache_size = -{engine_mod.REPORT_CACHE_KIB}")  # as the report's

    def run() -> None:
        for sql in statements:
            conn.execute(sql).fetchall()

    return run


def plain_copy(db: Database, target: Path) -> Path:
    """An unencrypted copy of the database, made once (P8 compares the same queries on it)."""
    if target.exists():
        return target
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    conn = engine_mod.connect(db.path, db.data_key, mode="ro")
    conn.execute(f"ATTACH DATABASE '{partial}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    partial.rename(target)
    return target


def plain_database(db: Database, path: Path) -> Database:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def tune(conn: Any, _record: Any) -> None:
        conn.execute(f"PRAGMA cache_size = -{engine_mod.PAGE_CACHE_KIB}")

    return Database.from_engine(path, engine, db.key_file, b"")


def main() -> None:
    db_path, repeat, plain_path = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    paths = resolve_paths().ensure()
    db, user = sign_in(db_path, "admin", PASSWORD, paths.backup_dir)
    period = Period.year(dt.date.today().year - 1)
    prepared: list[Any] = []

    def p4() -> None:
        prepared[:] = [run_to_end(prepare_report(db, user, period))]

    p4_samples = timed(p4, repeat)
    document = prepared[0].document
    raw_samples = timed(run_raw(db_path, db.data_key, raw_sql(period)), repeat)
    p5_samples = timed(lambda: write_pdf(document, io.BytesIO()), repeat)
    plain = plain_database(db, plain_copy(db, plain_path))
    plain_samples = timed(lambda: run_to_end(prepare_report(plain, user, period)), repeat)
    print(
        json.dumps(
            {
                "p4": p4_samples,
                "p4_raw": raw_samples,
                "p5": p5_samples,
                "p8_plain": plain_samples,
                "year": period.start.year,
                "suppressed": document["disclosure"]["suppressed"],
            }
        )
    )


if __name__ == "__main__":
    main()
