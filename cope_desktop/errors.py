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


class FieldProblem:
    """One rule broken by one field of a form: which field, and what to do about it."""

    __slots__ = ("field", "message")

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message

    def __repr__(self) -> str:
        return f"FieldProblem({self.field!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldProblem) and (self.field, self.message) == (
            other.field,
            other.message,
        )

    def __hash__(self) -> int:
        return hash((self.field, self.message))


class ValidationFailed(UserInputError):
    """A record broke one or more rules; nothing was written.

    ``problems`` names each field so that a form can show each message next to its field;
    ``message`` is the first one, for the CLI and for places that show one line.
    """

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = list(problems)

    def for_field(self, field: str) -> list[str]:
        return [problem.message for problem in self.problems if problem.field == field]


class PermissionDenied(CopeError):
    """The signed-in user's role does not allow the action (R8: refused in the service layer)."""


class RecordNotFound(UserInputError):
    """The record asked for does not exist (or no longer does)."""


class AccountLockedError(WrongCredentialsError):
    """Too many wrong passwords in a row: sign-in is refused until ``until`` (UTC)."""

    def __init__(self, message: str, until: object = None) -> None:
        super().__init__(message)
        self.until = until
