"""What the Backups tab and the sign-in window share to restore a backup (R10, R12).

The Backups tab verifies a copy of the backup while the database is still open, asks, and
then hands the verified copy to whoever can close the main window and return to sign-in:
the start-up flow registers itself with ``set_restore_handler``. The sign-in window restores
directly, since nothing is open there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLabel, QLineEdit, QWidget

from cope_desktop.errors import (
    DatabaseOpenError,
    EncryptionUnavailableError,
    SchemaTooNewError,
    WrongCredentialsError,
)
from cope_desktop.i18n import _
from cope_desktop.services.backups import PreparedRestore

PASSWORD_DIALOG_WIDTH = 420
"""The password dialog's text wraps at this width: a backup's name alone is ~50 characters."""

RestoreHandler = Callable[[PreparedRestore], None]
_handler: RestoreHandler | None = None


def set_restore_handler(handler: RestoreHandler | None) -> None:
    """Register who puts a verified backup in place of the open database (the start-up flow)."""
    global _handler
    _handler = handler


def restore_handler() -> RestoreHandler | None:
    return _handler


def restore_offered(error: BaseException) -> bool:
    """Whether a failure to open the database is one a backup can mend (damaged, key file lost).

    A wrong password, a database from a newer version or a missing encryption library are
    not mended by replacing the file.
    """
    if not isinstance(error, DatabaseOpenError):
        return False
    return not isinstance(
        error, (WrongCredentialsError, SchemaTooNewError, EncryptionUnavailableError)
    )


def ask_password(parent: QWidget, username: str, backup_name: str) -> str | None:
    """The password that opens the backup (the one the user had when it was made)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(_("Restore a backup"))
    dialog.setLabelText(
        _(
            "Type the password of {user} as it was when the backup {name} was made. "
            "The backup is checked before anything is replaced."
        ).format(user=username, name=backup_name)
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    label = dialog.findChild(QLabel)
    if label is not None:  # QInputDialog.getText would make the dialog as wide as the text
        label.setWordWrap(True)
        label.setMinimumWidth(PASSWORD_DIALOG_WIDTH)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    return text if accepted and text else None


def choose_backup(parent: QWidget, folder: Path) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Choose a backup"),
        str(folder),
        _("COPE Desktop backups (*.db);;All files (*)"),
    )
    return Path(chosen) if chosen else None


def wrong_backup_password() -> str:
    return _(
        "This password does not open the backup. Type the password you had when the backup "
        "was made, then try again."
    )
