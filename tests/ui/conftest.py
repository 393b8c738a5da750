"""Fixtures for the GUI tests: offscreen Qt, a private COPE_HOME, a real encrypted database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sample_data import add_sample_records
from ui_support import PASSWORD, Stretched

from cope_desktop import i18n
from cope_desktop.db.keys import KeyFile
from cope_desktop.paths import AppPaths, resolve_paths
from cope_desktop.services.setup import NewDatabase, create_database
from cope_desktop.settings import Settings
from cope_desktop.ui.session import SignedIn, open_signed_in
from cope_desktop.ui.tasks import TaskRunner


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    """Every folder of the application under tmp_path, never the real user folders."""
    monkeypatch.setenv("COPE_HOME", str(tmp_path / "home"))
    return resolve_paths().ensure()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One real database made once (Argon2 is slow on purpose); tests get copies."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "org.db"
    key = create_database(NewDatabase(path, "Test Org", "IT", "admin", PASSWORD))
    return path, key


@pytest.fixture(scope="session")
def sample_template(
    template_db: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Make the template database with a few records of every kind (sample_data.py)."""
    folder = tmp_path_factory.mktemp("sample")
    path = copy_database(template_db[0], folder / "org.db")
    add_sample_records(path, "admin", PASSWORD, folder / "backups")
    return path


def copy_database(source: Path, target: Path) -> Path:
    shutil.copy2(source, target)
    shutil.copy2(KeyFile.path_for(source), KeyFile.path_for(target))
    return target


@pytest.fixture
def org_db(template_db: tuple[Path, str], tmp_path: Path) -> Path:
    """Copy the empty template database (and its key file) for one test."""
    return copy_database(template_db[0], tmp_path / "org.db")


@pytest.fixture
def sample_db(sample_template: Path, tmp_path: Path) -> Path:
    """Copy the database with sample records for one test."""
    return copy_database(sample_template, tmp_path / "org.db")


@pytest.fixture
def signed_in(sample_db: Path, paths: AppPaths) -> Iterator[SignedIn]:
    """Open the sample database, signed in as its administrator."""
    session = open_signed_in(sample_db, "admin", PASSWORD, paths.backup_dir)
    yield session
    session.db.close()


@pytest.fixture
def recovery_key(template_db: tuple[Path, str]) -> str:
    return template_db[1]


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def runner(qapp: object, paths: AppPaths) -> Iterator[TaskRunner]:
    task_runner = TaskRunner(paths.log_file)
    yield task_runner
    task_runner.shutdown()
    task_runner.deleteLater()


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """Every test starts and ends in English, whatever it switched to."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def pseudo_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Make "fr" a language whose catalog stretches every text (no real catalog needed)."""
    real_load = i18n._load
    monkeypatch.setattr(i18n, "available_languages", lambda: ["en", "fr"])
    monkeypatch.setattr(
        i18n, "_load", lambda code: Stretched() if code == "fr" else real_load(code)
    )
    yield "fr"
    i18n.set_language("en")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Ignore the offscreen platform's warnings about what it cannot do.

    It cannot raise windows, grab the keyboard or pass size limits on: those warnings are
    about the test platform, not about our code.
    """
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("^This plugin does not support"))
