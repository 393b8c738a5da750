"""Logging to a rotating file in the log folder (and to stderr for the command line)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path, *, verbose: bool = False, to_stderr: bool = False) -> None:
    """Send every record to ``log_file`` (1 MB x 5 files); warnings to stderr when asked."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_cope", False):
            root.removeHandler(handler)
            handler.close()
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        file_handler = logging.StreamHandler()
    file_handler.setFormatter(logging.Formatter(FORMAT))
    file_handler._cope = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if to_stderr:
        console = logging.StreamHandler()
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        console._cope = True  # type: ignore[attr-defined]
        root.addHandler(console)
