"""Helpers shared by the non-GUI tests: a created database and file fingerprints."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cope_desktop.db.database import Database
from cope_desktop.paths import AppPaths
from cope_desktop.services.accounts import sign_in

PASSWORD = "correct horse battery"


@dataclass
class CreatedDatabase:
    path: Path
    recovery_key: str
    paths: AppPaths

    def sign_in(self, username: str = "admin", password: str = PASSWORD) -> Database:
        return sign_in(self.path, username, password, self.paths.backup_dir)[0]


def file_digest(*paths: Path) -> str:
    """A hash of the files that make up a database (missing files count too)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def database_files(path: Path) -> list[Path]:
    return [
        path,
        path.with_name(path.name + ".keys"),
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
    ]
