"""``python -m benchmarks [ID ...] [--work DIR] [--repeat N]``: one JSON object per figure."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.figures import FIGURES
from benchmarks.refdb import Workspace


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "ids", nargs="*", help="figures to run (default: all): " + " ".join(FIGURES)
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(".benchwork"),
        help="folder caching the reference databases",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    unknown = [i for i in args.ids if i.upper() not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")
    workspace = Workspace(args.work.resolve())
    ok = True
    for figure_id in [i.upper() for i in args.ids] or list(FIGURES):
        result = FIGURES[figure_id](workspace, max(1, args.repeat))
        ok = ok and bool(result.get("ok"))
        print(json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
