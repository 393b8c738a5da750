"""Paths, settings and atomic writes (R15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cope_desktop.atomic import atomic_write, atomic_write_text
from cope_desktop.paths import resolve_paths
from cope_desktop.settings import Settings


def test_portable_home_keeps_everything_below_one_folder(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "portable").ensure()
    for folder in (paths.data_dir, paths.backup_dir, paths.log_dir, paths.config_dir):
        assert folder.is_dir() and folder.is_relative_to(tmp_path / "portable")
    assert paths.default_db.parent == paths.data_dir


def test_platform_folders_when_no_home_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPE_HOME")
    paths = resolve_paths()
    assert "COPE Desktop" in str(paths.data_dir) or "cope" in str(paths.data_dir).lower()


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    target = folder / "settings.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_write(target, "w", encoding="utf-8") as handle:
        handle.write("half of the new")
        raise RuntimeError("power cut")
    assert target.read_text() == "old"
    assert [p.name for p in folder.iterdir()] == ["settings.json"]


def test_settings_round_trip_and_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(language="fr")
    settings.remember_database(Path("/data/a.db"))
    settings.remember_database(Path("/data/b.db"))
    settings.remember_database(Path("/data/a.db"))
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded.language == "fr"
    assert loaded.recent_databases == ["/data/a.db", "/data/b.db"]
    path.write_text("{not json")
    assert Settings.load(path) == Settings()
