"""The figures of TARGETS.md measured so far. Each takes the workspace and a repeat count."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.refdb import Workspace, run_demo
from benchmarks.sync_figures import FIGURES as SYNC_FIGURES
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


def p2_families_list(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Families list opened on the stress database (signed in), until its first rows are painted."""
    measured = _probe_json("p2_p3_families.py", workspace, repeat, "p2")
    return result(
        "P2",
        statistics.median(measured["p2"]),
        "s",
        0.1,
        cold=round(measured["p2_cold"], 4),
    )


def p3_search_as_you_type(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Typing a family name and a reference: ids query and first rows painted, per keystroke."""
    measured = _probe_json("p2_p3_families.py", workspace, repeat, "p3")
    return result(
        "P3",
        statistics.median(measured["p3"]),
        "s",
        0.05,
        slowest_keystroke=round(max(measured["p3_by_keystroke"].values()), 4),
        by_keystroke=measured["p3_by_keystroke"],
    )


def a2_activities_list(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Activities list opened on the stress database (signed in), first rows painted.

    P2's target applied to the 250,000 activities (an extra figure, not one of TARGETS.md).
    """
    measured = _probe_json("a2_activities.py", workspace, repeat)
    return result(
        "A2",
        statistics.median(measured["a2"]),
        "s",
        0.1,
        cold=round(measured["a2_cold"], 4),
        all_keys=round(statistics.median(measured["all_keys"]), 4),
        sort_by_children=round(measured["sort_children"], 4),
        calendar_month=round(statistics.median(measured["calendar_month"]), 4),
    )


def p6_import(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Import of a generated 10,000-row interchange workbook into an empty database."""
    workdir = workspace.root / "p6"
    output = _run_probe("p6_import.py", str(workdir), str(repeat), env=workspace.env())
    measured = json.loads(output.strip().splitlines()[-1])
    return result(
        "P6",
        statistics.median(measured["p6"]),
        "s",
        5.0,
        rows=measured["rows"],
        added=measured["added"],
    )


def p4_network_return(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Yearly network return on the stress database vs the same SQL through the DB-API driver."""
    measured = _report_probe(workspace, repeat)
    return result(
        "P4",
        statistics.median(measured["p4"]),
        "s",
        1.0,
        baseline=statistics.median(measured["p4_raw"]),
        ratio_target=2.0,
        year=measured["year"],
        suppressed=measured["suppressed"],
    )


def p5_return_pdf(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """The PDF of that return, charts included."""
    measured = _report_probe(workspace, repeat)
    return result("P5", statistics.median(measured["p5"]), "s", 1.5)


def p8_sqlcipher_cost(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """P4 on the encrypted database as a ratio of P4 on an unencrypted copy."""
    measured = _report_probe(workspace, repeat)
    encrypted = statistics.median(measured["p4"])
    plain = statistics.median(measured["p8_plain"])
    return result(
        "P8",
        encrypted / plain,
        "ratio",
        1.3,
        encrypted=round(encrypted, 4),
        unencrypted=round(plain, 4),
    )


def n1_network_merge(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """Issue 7: merge 140 members' returns for a year from a folder of ten years' returns."""
    output = _run_probe(
        "n1_network_merge.py", str(workspace.root / "network"), str(repeat), env=workspace.env()
    )
    measured = json.loads(output.strip().splitlines()[-1])
    return result(
        "N1",
        statistics.median(measured["n1"]),
        "s",
        5.0,
        all_ten_years=round(statistics.median(measured["n2"]), 3),
        files=measured["files"],
        merged=measured["merged"],
        suppressed=measured["suppressed"],
    )


_report_runs: dict[tuple[Path, int], dict[str, Any]] = {}


def _report_probe(workspace: Workspace, repeat: int) -> dict[str, Any]:
    """One probe run measures P4, P5 and P8 together; asking for several reuses it."""
    key = (workspace.root, repeat)
    if key not in _report_runs:
        plain = workspace.root / "stress-plain.db"
        _report_runs[key] = _probe_json("p4_p5_p8_reports.py", workspace, repeat, str(plain))
    return _report_runs[key]


def _probe_json(name: str, workspace: Workspace, repeat: int, *args: str) -> dict[str, Any]:
    """Run a probe on the stress database; it prints one JSON object as its last line."""
    db = workspace.database("stress")
    output = _run_probe(name, str(db), str(repeat), *args, env=workspace.env())
    return dict(json.loads(output.strip().splitlines()[-1]))


def _run_probe(name: str, *args: str, env: dict[str, str]) -> str:
    env = {**env, "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen")}
    done = subprocess.run(
        [sys.executable, str(PROBES / name), *args],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return done.stdout


FIGURES: dict[str, Callable[[Workspace, int], dict[str, Any]]] = {
    "P1": p1_start,
    "P2": p2_families_list,
    "P3": p3_search_as_you_type,
    "P4": p4_network_return,
    "P5": p5_return_pdf,
    "P6": p6_import,
    "P7": p7_demo_stress,
    "P8": p8_sqlcipher_cost,
    "A2": a2_activities_list,
    "N1": n1_network_merge,
    **SYNC_FIGURES,
}
