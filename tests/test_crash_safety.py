"""The writer process killed at random moments keeps every committed record (R3).

``crash_writer.py`` signs in through the real services and creates families (about ten
tables and the audit trail per transaction), printing one line after each commit returns.
The test kills it with SIGKILL (no clean-up, no rollback, no closing) at a random moment,
opens the database again as the application does, and checks that every acknowledged
family is there whole, that no family is there in part, and that ``check`` finds nothing.
Rounds are repeated on the same database; one kills inside a large multi-family transaction.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.db.models import (
    AuditEvent,
    Caregiver,
    CaseNote,
    Child,
    Consent,
    Family,
    ImprisonedRelative,
)
from cope_desktop.services.integrity import check_database

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL"), reason="needs a kill that gives the process no chance to react"
)

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 8
BULK_ROUNDS = {3, 6}
"""Rounds killed inside one transaction of many families (the bulk size is the writer's)."""
BULK_FAMILIES = 60
LINE_TIMEOUT = 60.0
"""Seconds to wait for one line from the writer before the test gives up (never hangs)."""

PER_FAMILY = {"children": 2, "caregivers": 1, "relatives": 1, "consents": 1, "notes": 1}
"""What ``crash_writer.new_family`` + its case note put in every family, all or nothing."""


@dataclass
class Acknowledged:
    """What the writer reported as committed, over all rounds."""

    families: dict[uuid.UUID, str] = field(default_factory=dict)
    notes: set[uuid.UUID] = field(default_factory=set)
    bulk_rounds: set[int] = field(default_factory=set)


@dataclass
class Round:
    number: int
    bulk: bool
    lines: list[str]

    @property
    def bulk_committed(self) -> bool:
        return "committed" in self.lines


def _read_lines(stream: object, into: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line.strip())
    into.put(None)


def run_and_kill(created: CreatedDatabase, number: int, bulk: bool, errors: Path) -> Round:
    """Start the writer, kill it at a moment chosen by this round's seed, return its lines."""
    rng = random.Random(number)
    command = [
        sys.executable,
        str(WRITER),
        str(created.path),
        str(created.paths.backup_dir),
        PASSWORD,
        str(number),
        "bulk" if bulk else "families",
    ]
    with errors.open("w") as stderr:
        writer = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=dict(os.environ)
        )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(writer.stdout, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        # Kill after this many lines: "ready", then some acknowledged families, or "begin"
        # and some families of the large transaction (well before its end).
        wait_for = 2 + rng.randint(5, BULK_FAMILIES // 2) if bulk else rng.randint(1, 30)
        while len(seen) < wait_for:
            line = lines.get(timeout=LINE_TIMEOUT)
            assert line is not None, f"the writer stopped: {errors.read_text()}"
            seen.append(line)
        time.sleep(rng.uniform(0.0, 0.015))  # a random moment within a family's writing
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait(timeout=LINE_TIMEOUT)
        reader.join(timeout=LINE_TIMEOUT)
    assert writer.returncode == -signal.SIGKILL
    while (line := lines.get_nowait()) is not None:
        seen.append(line)  # acknowledged before the kill, read after it
    return Round(number, bulk, seen)


def remember(acknowledged: Acknowledged, done: Round) -> None:
    for line in done.lines:
        words = line.split()
        if words[0] == "family":
            family_id, reference, note_id = uuid.UUID(words[1]), words[2], uuid.UUID(words[3])
            acknowledged.families[family_id] = reference
            acknowledged.notes.add(note_id)
    if done.bulk_committed:
        acknowledged.bulk_rounds.add(done.number)


def family_parts(session: Session) -> dict[uuid.UUID, Counter[str]]:
    """For every family: how many of each part it has."""
    parts: dict[uuid.UUID, Counter[str]] = {}
    for family_id in session.scalars(select(Family.id)):
        parts[family_id] = Counter()
    tables = {
        "children": Child,
        "caregivers": Caregiver,
        "relatives": ImprisonedRelative,
        "consents": Consent,
        "notes": CaseNote,
    }
    for name, model in tables.items():
        rows = session.execute(select(model.family_id, func.count()).group_by(model.family_id))
        for family_id, count in rows:
            parts.setdefault(family_id, Counter())[name] = count
    return parts


def check_after_restart(db: Database, acknowledged: Acknowledged, done: Round) -> None:
    where = f"after round {done.number} ({len(done.lines)} lines: {done.lines[-3:]})"
    assert check_database(db) == [], where
    with db.session() as session:
        rows = session.execute(select(Family.id, Family.reference))
        references = {family_id: reference for family_id, reference in rows}
        parts = family_parts(session)
        stored_notes = set(session.scalars(select(CaseNote.id)))
        created_events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "create", AuditEvent.object_type == "family")
        )
    for family_id, reference in acknowledged.families.items():
        assert references.get(family_id) == reference, f"{reference} lost {where}"
    assert acknowledged.notes <= stored_notes, where
    for family_id, counts in parts.items():
        assert counts == Counter(PER_FAMILY), f"{references.get(family_id)} is partial {where}"
    assert set(parts) == set(references), where
    assert created_events == len(references), f"audit and records out of step {where}"

    this_round = [r for r in references.values() if r.startswith(f"CR{done.number:02d}-")]
    acked_now = [r for r in acknowledged.families.values() if r.startswith(f"CR{done.number:02d}-")]
    # At most one family committed whose acknowledgement the kill cut off.
    assert len(acked_now) <= len(this_round) <= len(acked_now) + 1, where
    bulk = [r for r in references.values() if r.startswith(f"BK{done.number:02d}-")]
    if done.bulk:
        assert len(bulk) in (0, BULK_FAMILIES), f"half a transaction kept {where}"
        if done.bulk_committed:
            assert len(bulk) == BULK_FAMILIES, where
    for number in acknowledged.bulk_rounds:
        kept = [r for r in references.values() if r.startswith(f"BK{number:02d}-")]
        assert len(kept) == BULK_FAMILIES, where


def test_killed_writers_lose_no_acknowledged_commit(
    created_db: CreatedDatabase, tmp_path: Path
) -> None:
    acknowledged = Acknowledged()
    bulk_killed_inside = 0
    for number in range(1, ROUNDS + 1):
        done = run_and_kill(created_db, number, number in BULK_ROUNDS, tmp_path / "writer.err")
        remember(acknowledged, done)
        if done.bulk and not done.bulk_committed:
            bulk_killed_inside += 1
        db = created_db.sign_in()  # opens as the application does after a crash
        try:
            check_after_restart(db, acknowledged, done)
        finally:
            db.close()
    assert len(acknowledged.families) >= ROUNDS, "the writer must have committed in every round"
    assert bulk_killed_inside >= 1, "no kill landed inside the large transaction"
