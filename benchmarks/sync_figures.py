"""Issue 10's figures (field laptops): S1 a day's work exchanged, S2 a laptop made.

- S1: a bundle of 500 changes written on a laptop copy of the large demo database and
  imported at the office: export + import seconds, target under 1 s.
- S2: a full bundle of the large demo database written, and a laptop made from it
  (``create_copy``): the slower of the two, target under 30 s each.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.refdb import Workspace
from benchmarks.timing import result

PROBE = Path(__file__).resolve().parent / "probes" / "s1_s2_sync.py"


def _run(workspace: Workspace, repeat: int, mode: str) -> dict[str, Any]:
    large = workspace.database("large")
    done = subprocess.run(
        [sys.executable, str(PROBE), str(workspace.root / "sync"), str(large), str(repeat), mode],
        env=workspace.env(),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def s1_day_exchange(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """A caseworker's day (500 changes) on a laptop: its bundle written and imported."""
    measured = _run(workspace, repeat, "s1")
    return result(
        "S1",
        statistics.median(measured["s1"]),
        "s",
        1.0,
        export=round(statistics.median(measured["export"]), 4),
        apply=round(statistics.median(measured["import"]), 4),
        changes=measured["changes"],
        rows=measured["rows"],
        rows_applied=measured["rows_applied"],
        bundle_bytes=measured["bytes"],
    )


def s2_full_bundle(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """The large demo database: full bundle written, and a laptop made from it."""
    measured = _run(workspace, min(repeat, 2), "s2")
    export = statistics.median(measured["export"])
    create = statistics.median(measured["create_copy"])
    return result(
        "S2",
        max(export, create),
        "s",
        30.0,
        export=round(export, 3),
        create_copy=round(create, 3),
        bundle_bytes=measured["bytes"],
    )


FIGURES = {"S1": s1_day_exchange, "S2": s2_full_bundle}
