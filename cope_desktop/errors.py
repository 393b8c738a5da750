"""Errors that carry a message meant for a person, not a traceback."""


class CopeError(Exception):
    """Base of every error the application reports to its user in one clear sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UserInputError(CopeError):
    """Bad arguments or bad input: the CLI exits 2 and the GUI says what and where."""


class DatabaseOpenError(CopeError):
    """The database could not be opened; nothing was written to it."""


class WrongCredentialsError(DatabaseOpenError):
    """The user name, password or recovery key does not unlock the database."""


class DatabaseDamagedError(DatabaseOpenError):
    """The file is truncated, corrupted or tampered with."""


class SchemaTooNewError(DatabaseOpenError):
    """The database was written by a newer version of the application."""


class EncryptionUnavailableError(DatabaseOpenError):
    """SQLCipher is missing or not working: we fail closed instead of using plain SQLite."""


class Cancelled(CopeError):
    """Long work stopped because the person asked it to."""
