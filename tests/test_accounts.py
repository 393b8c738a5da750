"""Passwords, the recovery key (R4) and key slots that stay in step with the database."""

from __future__ import annotations

import pytest
from db_support import PASSWORD, CreatedDatabase

from cope_desktop.db.enums import Role
from cope_desktop.db.keys import KeyFile, normalise_recovery_key
from cope_desktop.errors import UserInputError, WrongCredentialsError
from cope_desktop.services.accounts import add_user, set_password, sign_in
from cope_desktop.services.integrity import check_database

NEW_PASSWORD = "a brand new passphrase"


def test_recovery_key_resets_a_forgotten_password(created_db: CreatedDatabase) -> None:
    typed = created_db.recovery_key.lower().replace("-", " ")
    set_password(
        created_db.path, "admin", NEW_PASSWORD, created_db.paths.backup_dir, recovery_key=typed
    )
    with pytest.raises(WrongCredentialsError):
        sign_in(created_db.path, "admin", PASSWORD, created_db.paths.backup_dir)
    db = created_db.sign_in(password=NEW_PASSWORD)
    try:
        assert check_database(db) == []
    finally:
        db.close()


def test_wrong_recovery_key_changes_nothing(created_db: CreatedDatabase) -> None:
    key_file_before = KeyFile.path_for(created_db.path).read_bytes()
    wrong = "AAAAA-" * 7 + "AAAAA"
    with pytest.raises(WrongCredentialsError, match="recovery key is not correct"):
        set_password(
            created_db.path, "admin", NEW_PASSWORD, created_db.paths.backup_dir, recovery_key=wrong
        )
    assert KeyFile.path_for(created_db.path).read_bytes() == key_file_before
    created_db.sign_in().close()


def test_password_change_with_old_password(created_db: CreatedDatabase) -> None:
    set_password(
        created_db.path, "admin", NEW_PASSWORD, created_db.paths.backup_dir, old_password=PASSWORD
    )
    created_db.sign_in(password=NEW_PASSWORD).close()


def test_short_new_password_is_refused(created_db: CreatedDatabase) -> None:
    with pytest.raises(UserInputError, match="at least 10 characters"):
        set_password(
            created_db.path, "admin", "short", created_db.paths.backup_dir, old_password=PASSWORD
        )
    created_db.sign_in().close()


def test_added_user_has_own_slot_and_recovery_still_works(created_db: CreatedDatabase) -> None:
    db = created_db.sign_in()
    try:
        add_user(db, "maria", "maria's own passphrase", Role.CASEWORKER, "Maria Rossi")
        with pytest.raises(UserInputError, match="already a user"):
            add_user(db, "MARIA", "another passphrase", Role.CASEWORKER)
        assert check_database(db) == []
    finally:
        db.close()
    maria_db, maria = sign_in(
        created_db.path, "Maria", "maria's own passphrase", created_db.paths.backup_dir
    )
    maria_db.close()
    assert maria.role is Role.CASEWORKER and maria.display_name == "Maria Rossi"
    created_db.sign_in().close()


def test_recovery_key_normalisation() -> None:
    assert normalise_recovery_key("abcde fghij") == "ABCDE-FGHIJ"
    assert normalise_recovery_key("ab0de-1f8hi") == "ABODE-IFBHI"


def test_key_file_out_of_step_is_reported(created_db: CreatedDatabase) -> None:
    db = created_db.sign_in()
    try:
        db.key_file.slots.pop()  # as if the recovery slot had been lost from the file
        problems = check_database(db)
    finally:
        db.close()
    assert any("missing from the key file" in p for p in problems)
