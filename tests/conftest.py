"""Shared fixtures: an isolated home folder and a freshly created encrypted database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from db_support import PASSWORD, CreatedDatabase

from cope_desktop.i18n import set_language
from cope_desktop.paths import AppPaths, resolve_paths
from cope_desktop.services.setup import NewDatabase, create_database


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppPaths]:
    """Every test gets its own data, backup, log and settings folders, and English."""
    monkeypatch.setenv("COPE_HOME", str(tmp_path / "home"))
    for name in ("COPE_PASSWORD", "COPE_NEW_PASSWORD", "COPE_USER"):
        monkeypatch.delenv(name, raising=False)
    set_language("en")
    yield resolve_paths().ensure()
    set_language("en")


@pytest.fixture
def created_db(tmp_path: Path, isolated_home: AppPaths) -> CreatedDatabase:
    path = tmp_path / "org.db"
    key = create_database(NewDatabase(path, "Test Organisation", "IT", "admin", PASSWORD))
    return CreatedDatabase(path, key, isolated_home)
