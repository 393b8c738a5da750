"""The figures of TARGETS.md measured so far. Each takes the workspace and a repeat count."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.refdb import Workspace, run_demo
from benchmarks.timing import median_seconds, result

PROBES = Path(__file__).resolve().parent / "probes"


def p1_start(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Process start to main window shown and usable, on the large database, vs a bare window."""
    db = workspace.database("large")

    def app() -> None:
        _run_probe("p1_app.py", str(db), env=workspace.env())

    def bare() -> None:
        _run_probe("p1_bare.py", env=workspace.env())

    app()  # warm the file cache and compiled bytecode, as a second start would be
    bare()
    return result(
        "P1",
        median_seconds(app, repeat),
        "s",
        1.0,
        baseline=median_seconds(bare, repeat),
        ratio_target=4.0,
    )


def p7_demo_stress(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """``demo --size stress`` into a new database, wall time of the whole command."""
    with tempfile.TemporaryDirectory(
        dir=workspace.root if workspace.root.exists() else None
    ) as tmp:
        counter = iter(range(1_000_000))

        def demo() -> None:
            run_demo(workspace, Path(tmp) / f"stress-{next(counter)}.db", "stress")

        return result("P7", median_seconds(demo, min(repeat, 2)), "s", 60.0)


def _run_probe(name: str, *args: str, env: dict[str, str]) -> None:
    env = {**env, "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen")}
    subprocess.run([sys.executable, str(PROBES / name), *args], env=env, check=True)


FIGURES: dict[str, Callable[[Workspace, int], dict[str, Any]]] = {
    "P1": p1_start,
    "P7": p7_demo_stress,
}
