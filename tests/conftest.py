"""Shared fixtures: an isolated home folder and a freshly created encrypted database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cope_desktop.db.database import Database
from cope_desktop.i18n import set_language
from cope_desktop.paths import AppPaths, resolve_paths
from cope_desktop.services.accounts import sign_in
from cope_desktop.services.setup import NewDatabase, create_database

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    """Every test gets its own data, backup, log and settings folders, and English."""
    monkeypatch.setenv("COPE_HOME", str(tmp_path / "home"))
    for name in ("COPE_PASSWORD", "COPE_NEW_PASSWORD", "COPE_USER"):
        monkeypatch.delenv(name, raising=False)
    set_language("en")
    yield resolve_paths().ensure()
    set_language("en")


@dataclass
class CreatedDatabase:
    path: Path
    recovery_key: str
    paths: AppPaths

    def sign_in(self, username: str = "admin", password: str = PASSWORD) -> Database:
        return sign_in(self.path, username, password, self.paths.backup_dir)[0]


@pytest.fixture
def created_db(tmp_path: Path, isolated_home: AppPaths) -> CreatedDatabase:
    path = tmp_path / "org.db"
    key = create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
    return CreatedDatabase(path, key, isolated_home)


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
