"""Schema migrations: the models match the migrations, and opening migrates after a backup."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from db_support import CreatedDatabase, database_files, file_digest
from sqlalchemy import create_engine, text

from cope_desktop.db import migrate
from cope_desktop.db.database import open_database
from cope_desktop.db.engine import connect
from cope_desktop.db.keys import KeyFile
from cope_desktop.db.models import Base
from cope_desktop.errors import SchemaTooNewError


def test_migrations_build_exactly_the_models() -> None:
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        migrate.upgrade_to_head(conn)
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _data_key(created: CreatedDatabase) -> bytes:
    from db_support import PASSWORD

    return KeyFile.load(created.path).unlock("admin", PASSWORD)


def _set_revision(created: CreatedDatabase, revision: str) -> None:
    conn = connect(created.path, _data_key(created))
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def test_newer_schema_is_refused_without_writing(created_db: CreatedDatabase) -> None:
    _set_revision(created_db, "9999_from_the_future")
    before = file_digest(*database_files(created_db.path))
    with pytest.raises(SchemaTooNewError, match="newer version"):
        created_db.sign_in()
    assert file_digest(*database_files(created_db.path)) == before


def test_older_schema_is_backed_up_then_migrated(
    created_db: CreatedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a release whose head is one revision past the file's."""
    upgraded: list[str] = []
    monkeypatch.setattr(migrate, "head_revision", lambda: "0002")
    monkeypatch.setattr(migrate, "known_revisions", lambda: {"0001", "0002"})

    def fake_upgrade(conn: object) -> None:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))  # type: ignore[attr-defined]
        upgraded.append("0002")

    monkeypatch.setattr(migrate, "upgrade_to_head", fake_upgrade)
    key = _data_key(created_db)
    db = open_database(
        created_db.path, key, KeyFile.load(created_db.path), created_db.paths.backup_dir
    )
    db.close()
    assert upgraded == ["0002"]
    backups = list(created_db.paths.backup_dir.glob("org-before-migration-0001-*.db"))
    assert len(backups) == 1
    assert KeyFile.path_for(backups[0]).exists()
    copy = connect(backups[0], key, mode="ro", tune=False)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert copy.execute("SELECT name FROM organisation").fetchone()[0] == "Test Organisation"
    copy.close()
    assert b"Test Organisation" not in backups[0].read_bytes()


def test_revision_list_matches_alembic_history() -> None:
    assert list(migrate.REVISIONS) == migrate.alembic_history()
