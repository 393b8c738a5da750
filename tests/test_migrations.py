"""Schema migrations: the models match the migrations, and opening migrates after a backup."""

from __future__ import annotations

import uuid

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


def _downgrade_to_0001_with_a_closed_family(created: CreatedDatabase) -> None:
    """Turn a new database into one written by release 0001, holding one closed case."""
    from alembic import command

    key = _data_key(created)
    engine = create_engine("sqlite://", creator=lambda: connect(created.path, key))
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO family (id, reference, opened_on, closed_on, close_reason, "
                "notes_allowed, created_at, updated_at) VALUES (:id, 'F-7', '2023-01-02', "
                "'2024-05-06', 'Moved away', 1, '2023-01-02 00:00:00', '2023-01-02 00:00:00')"
            ),
            {"id": uuid.UUID(int=7).bytes},
        )
        conn.execute(
            text(
                "INSERT INTO child (id, reference, first_name, last_name, family_id, sex, "
                "created_at, updated_at) VALUES (:id, 'C-1', 'Zoë', 'Łukasiewicz', :family, "
                "'female', '2023-01-02 00:00:00', '2023-01-02 00:00:00')"
            ),
            {"id": uuid.UUID(int=8).bytes, "family": uuid.UUID(int=7).bytes},
        )
    engine.dispose()


def test_a_0001_database_is_backed_up_then_migrated(created_db: CreatedDatabase) -> None:
    _downgrade_to_0001_with_a_closed_family(created_db)
    key = _data_key(created_db)
    db = open_database(
        created_db.path, key, KeyFile.load(created_db.path), created_db.paths.backup_dir
    )
    with db.session() as session:
        changes = session.execute(
            text("SELECT status, changed_on, reason FROM case_status_change")
        ).all()
        terms = set(session.scalars(text("SELECT term FROM search_term")))
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.close()
    assert revision == migrate.head_revision()
    assert [tuple(row) for row in changes] == [("closed", "2024-05-06", "Moved away")]
    assert {"f", "7", "zoe", "lukasiewicz", "c"} <= terms
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
