"""Where the application keeps its files, resolved in one place and never at import time.

By default the platform's per-user folders (platformdirs). A portable installation, or a test,
sets ``COPE_HOME`` (or passes ``home=``) and then data, backups, logs and settings all live
below that one folder. ``--db`` chooses another database file without moving the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cope_desktop import APP_AUTHOR, APP_NAME

HOME_ENV = "COPE_HOME"
DEFAULT_DB_NAME = "cope-desktop.db"


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one installation."""

    data_dir: Path
    backup_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def default_db(self) -> Path:
        return self.data_dir / DEFAULT_DB_NAME

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "cope-desktop.log"

    def ensure(self) -> AppPaths:
        """Create the folders (private to the user where the platform allows)."""
        for folder in (self.data_dir, self.backup_dir, self.log_dir, self.config_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self


def resolve_paths(home: str | Path | None = None) -> AppPaths:
    """Resolve the folders: an explicit home, then ``COPE_HOME``, then platformdirs."""
    chosen = home if home is not None else os.environ.get(HOME_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(root / "data", root / "backups", root / "logs", root / "config")
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
    data = Path(dirs.user_data_dir)
    return AppPaths(data, data / "backups", Path(dirs.user_log_dir), Path(dirs.user_config_dir))


def resource_path(*parts: str) -> Path:
    """A file shipped with the application: inside the installed package, or the source tree."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir.joinpath("resources", *parts)
    if installed.exists():
        return installed
    return package_dir.parent.joinpath("resources", *parts)


def translations_dir() -> Path:
    """The folder holding ``<lang>/LC_MESSAGES/messages.po`` (and compiled ``.mo``) catalogs."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "translations"
    return installed if installed.exists() else package_dir.parent / "translations"
