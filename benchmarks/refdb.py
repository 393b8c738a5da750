"""Reference databases made by ``cope-desktop demo`` (CLI.md), cached in the work folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "benchmark-password"
SEED = 1


@dataclass
class Workspace:
    root: Path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(COPE_HOME=str(self.root / "home"), COPE_PASSWORD=PASSWORD, COPE_USER="admin")
        return env

    def database(self, size: str) -> Path:
        """The ``demo --size SIZE`` database, made once and reused."""
        path = self.root / f"{size}.db"
        done = self.root / f"{size}.done"
        if not done.exists():
            for leftover in self.root.glob(f"{size}.db*"):
                leftover.unlink()
            self.root.mkdir(parents=True, exist_ok=True)
            print(f"making the {size} reference database in {path} ...", file=sys.stderr)
            run_demo(self, path, size)
            done.write_text("ok\n")
        return path


def run_demo(workspace: Workspace, path: Path, size: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cope_desktop",
            "demo",
            "--db",
            str(path),
            "--size",
            size,
            "--seed",
            str(SEED),
        ],
        env=workspace.env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
