"""The user's preferences (language, last database, window geometry…) in a small JSON file.

Plain values only: the GUI reads and writes them, the file is written atomically (R15), and
a damaged file falls back to defaults instead of stopping the application.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from cope_desktop.atomic import atomic_write_text

log = logging.getLogger(__name__)


@dataclass
class Settings:
    language: str | None = None
    """None follows the system language."""
    last_database: str | None = None
    last_username: str | None = None
    window_geometry: str | None = None
    """Base64 of QMainWindow.saveGeometry(), kept opaque outside the GUI."""
    recent_databases: list[str] = field(default_factory=list)
    import_mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per interchange sheet: a spreadsheet's column name -> the interchange column it holds,
    as matched in the import wizard, offered again for the next file."""
    sync_folder: str | None = None
    """The mailbox for field-laptop bundles: a USB stick or a shared folder (issue 10)."""

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings file %s is unreadable; using defaults", path)
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in raw.items() if k in known}
        try:
            return cls(**values)
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        atomic_write_text(path, json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")

    def save_or_warn(self, path: Path) -> bool:
        """Save; on failure log it and return False (a preference is never worth a crash)."""
        try:
            self.save(path)
        except OSError as error:
            log.warning("could not save the settings to %s: %s", path, error)
            return False
        return True

    def remember_database(self, db_path: Path) -> None:
        text = str(db_path)
        self.last_database = text
        self.recent_databases = [text, *[p for p in self.recent_databases if p != text]][:8]
