"""The About box's facts about the open database."""

from __future__ import annotations

from db_support import CreatedDatabase

from cope_desktop.services.database_info import cipher_version


def test_the_connection_reports_its_sqlcipher_version(created_db: CreatedDatabase) -> None:
    db = created_db.sign_in()
    try:
        with db.session() as session:
            version = cipher_version(session)
    finally:
        db.close()
    assert version[0].isdigit() and "." in version
