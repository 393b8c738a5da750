"""P6 probe: importing a 10,000-row interchange workbook into an empty database.

    python p6_import.py WORKDIR REPEAT

The workbook is generated (every sheet, references between them, 10,000 data rows in all)
and written once; each run creates a new empty database (not timed), then times
``import_file`` from the start of reading to the commit.

Prints one JSON object: {"p6": [s...], "rows": n, "added": n}.
"""

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cope_desktop.paths import resolve_paths
from cope_desktop.progress import run_to_end
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.services.interchange.service import import_file
from cope_desktop.services.setup import NewDatabase, create_database

PASSWORD = "benchmark-password"
FAMILIES = 1000
ROWS = 10_000
START = dt.date(2020, 1, 1)
SEXES = ("female", "male", "other", "not_stated")
SERVICES = ("information_advice", "emotional_support", "referral", "practical_help")


def day(number: int) -> dt.date:
    return START + dt.timedelta(days=number % 1400)


def sheets() -> dict[str, list[list[Any]]]:
    """Exactly ``ROWS`` data rows over every sheet, referring to each other.

    1,000 families, about 2,500 children, 1,200 caregivers, 1,000 relatives in 50 prisons,
    2,500 child-relative links, 250 activities, 1,000 attendances; support rows make up the rest.
    """
    rows: dict[str, list[list[Any]]] = {sheet.name: [] for sheet in SHEETS}
    for f in range(FAMILIES):
        ref = f"F-{f:05d}"
        closed = day(f + 300) if f % 5 == 0 else None
        rows["families"].append([ref, day(f), closed, "school", None, True])
        rows["imprisoned_relatives"].append(
            [f"R-{f:05d}", ref, "Marco", f"Rossi{f}", f"P-{f % 50:03d}", "sentenced", day(f + 10)]
        )
        for c in range(2 + (f % 2)):
            if len(rows["children"]) < 2500:
                child = f"C-{f:05d}-{c}"
                rows["children"].append(
                    [
                        child,
                        ref,
                        "Ada",
                        f"Rossi{f}",
                        day(f * 7 + c),
                        None,
                        None,
                        SEXES[c % 4],
                        day(f),
                        None,
                    ]
                )
                rows["child_relatives"].append([child, f"R-{f:05d}", "father"])
        if f % 5 != 4:
            rows["caregivers"].append(
                [f"G-{f:05d}-0", ref, "Anna", f"Rossi{f}", "mother", "+39 02 1234", None]
            )
        if len(rows["caregivers"]) < 1200 and f % 4 == 0:
            rows["caregivers"].append(
                [f"G-{f:05d}-1", ref, "Nonna", None, "grandmother", None, None]
            )
        if f % 2 == 0:
            rows["support"].append([ref, None, SERVICES[f % 4], day(f + 20)])
    for p in range(50):
        rows["prisons"].append([f"P-{p:03d}", f"Prison {p}", "IT", "Lombardia", "men"])
    for a in range(250):
        rows["activities"].append(
            [f"A-{a:04d}", "family_day", day(a * 3), f"P-{a % 50:03d}", 2.5, 3, 2]
        )
    children = [row[0] for row in rows["children"]]
    for index in range(1000):
        rows["attendance"].append([f"A-{index % 250:04d}", children[index * 2], "positive"])
    number = 0
    while sum(len(sheet) for sheet in rows.values()) < ROWS:
        number += 1
        ref = f"F-{number % FAMILIES:05d}"
        rows["support"].append([ref, None, SERVICES[number % 4], day(number * 13)])
    return rows


def write(path: Path) -> int:
    workbook = Workbook(write_only=True)
    total = 0
    generated = sheets()
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list(sheet.column_names))
        for row in generated[sheet.name]:
            worksheet.append(row)
            total += 1
    workbook.save(path)
    return total


def main() -> None:
    workdir, repeat = Path(sys.argv[1]), int(sys.argv[2])
    workdir.mkdir(parents=True, exist_ok=True)
    book = workdir / "p6-10000.xlsx"
    rows = write(book)
    paths = resolve_paths().ensure()
    times: list[float] = []
    added = 0
    for run in range(repeat):
        db_path = workdir / f"p6-{run}.db"
        for leftover in workdir.glob(f"p6-{run}.db*"):
            leftover.unlink()
        create_database(NewDatabase(db_path, "P6", "IT", "admin", PASSWORD))
        db, user = sign_in(db_path, "admin", PASSWORD, paths.backup_dir)
        try:
            start = time.perf_counter()
            result = run_to_end(import_file(db, user, book))
            times.append(time.perf_counter() - start)
        finally:
            db.close()
        if result.problems:
            raise SystemExit(f"the generated workbook has problems: {result.problems[:5]}")
        added = result.counts.added
    print(json.dumps({"p6": times, "rows": rows, "added": added}))


if __name__ == "__main__":
    main()
