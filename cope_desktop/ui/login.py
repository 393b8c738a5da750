"""Sign in to a database: user name and password, checked on a worker thread.

A wrong password is said inside the dialog; a database that cannot be opened (damaged,
too new, no encryption) gets one clear message box. Signing in never writes to a file that
cannot be opened: the services check it read-only first. When a backup can mend it (a damaged
file, a lost key file: R12), the message box offers to restore one, then signs in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.errors import DatabaseOpenError, WrongCredentialsError
from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths, resource_path
from cope_desktop.progress import ProgressGenerator
from cope_desktop.ui.backup_restore import (
    ask_password,
    choose_backup,
    restore_offered,
    wrong_backup_password,
)
from cope_desktop.ui.forgot_password import ForgotPasswordDialog
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn, open_signed_in
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import (
    BusyBar,
    BusyGuard,
    ElidedPathLabel,
    InlineMessage,
    dialog_buttons,
    form_layout,
    heading,
    link_button,
)


class LoginDialog(BusyGuard, QDialog):
    """Emits ``signed_in(SignedIn)``, or ``create_requested()`` for the setup wizard."""

    signed_in = Signal(object)
    create_requested = Signal()

    def __init__(
        self,
        paths: AppPaths,
        runner: TaskRunner,
        db_path: Path,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._runner = runner
        self._busy = False
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
        self.title = heading(self)
        self.logo = QLabel(self)
        self.logo.setPixmap(QIcon(str(resource_path("icons", "app.svg"))).pixmap(40))
        self.database_label = QLabel(self)
        self.database = ElidedPathLabel(self)
        self.database.set_path(db_path)
        self.open_other = link_button(self)
        self.create_new = link_button(self)
        self.network = link_button(self)
        self.username = QLineEdit(username, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label, self.password_label = QLabel(self), QLabel(self)
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.forgot = link_button(self)
        self.restore_link = link_button(self)
        self.restore_link.hide()  # shown when the database is damaged (R12)
        self.message = InlineMessage(self)
        self.busy = BusyBar(self)
        self.buttons, self.sign_in_button, self.quit_button = dialog_buttons(self)
        self._lay_out()
        self.buttons.accepted.connect(self.sign_in)
        self.buttons.rejected.connect(self.reject)
        self.open_other.clicked.connect(self._open_other)
        self.create_new.clicked.connect(self.create_requested)
        self.forgot.clicked.connect(self._forgot)
        self.restore_link.clicked.connect(lambda: self.restore_from_backup())
        self.network.clicked.connect(self.open_network)
        self.username.textEdited.connect(self.message.clear_message)
        self.password.textEdited.connect(self.message.clear_message)
        self.setMinimumWidth(500)
        self.retranslate()
        follow_language(self.retranslate)
        (self.password if username else self.username).setFocus()

    def _lay_out(self) -> None:
        database_row = QHBoxLayout()
        database_row.addWidget(self.database_label)
        database_row.addWidget(self.database, 1)
        file_actions = QHBoxLayout()
        file_actions.setSpacing(16)
        file_actions.addWidget(self.open_other)
        file_actions.addWidget(self.create_new)
        file_actions.addStretch(1)
        form = form_layout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow("", self.forgot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.logo)
        title_row.addWidget(self.title, 1)
        layout.addLayout(title_row)
        layout.addSpacing(4)
        layout.addLayout(database_row)
        layout.addLayout(file_actions)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.restore_link, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        layout.addSpacing(2)
        layout.addWidget(self.network, 0, Qt.AlignmentFlag.AlignLeft)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in – COPE Desktop"))
        self.title.setText(_("Sign in"))
        self.database_label.setText(_("Database:"))
        self.open_other.setText(_("Open another database…"))
        self.create_new.setText(_("Create a new database…"))
        self.username_label.setText(_("&User name:"))
        self.password_label.setText(_("&Password:"))
        self.forgot.setText(_("Forgot your password?"))
        self.restore_link.setText(_("Restore from a backup…"))
        self.network.setText(_("Merge network returns (COPE secretariat)…"))
        self.network.setToolTip(_("No database or sign-in needed."))
        self.sign_in_button.setText(_("&Sign in"))
        self.quit_button.setText(_("&Quit"))

    def db_path(self) -> Path:
        return Path(self.database.path())

    # --- signing in --------------------------------------------------------------------------

    def sign_in(self) -> None:
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.show_error(_("Type your user name and password."))
            (self.username if not username else self.password).setFocus()
            return
        self.message.clear_message()
        self._set_busy(True)
        path, backup_dir = self.db_path(), self._paths.backup_dir
        self._runner.run(
            lambda: open_signed_in(path, username, password, backup_dir, defer_page_check=True),
            self._signed_in,
            self._failed,
            context=self,
        )

    def _signed_in(self, signed_in: SignedIn) -> None:
        self._set_busy(False)
        self.password.clear()
        self.signed_in.emit(signed_in)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        if isinstance(failure.error, WrongCredentialsError):
            self.message.show_error(failure.message)
            self.password.clear()
            self.password.setFocus()
            return
        if restore_offered(failure.error):
            self.offer_restore(failure.message)
            return
        title = (
            _("The database cannot be opened")
            if isinstance(failure.error, DatabaseOpenError)
            else _("Signing in did not work")
        )
        QMessageBox.critical(self, title, failure.message)

    # --- restoring a backup (R12) -------------------------------------------------------------

    def offer_restore(self, message: str) -> None:
        """Say why the database cannot be opened, and show the way to restore a backup."""
        self.restore_link.show()
        QMessageBox.critical(
            self,
            _("The database cannot be opened"),
            message
            + "\n\n"
            + _(
                "You can restore a backup in its place: choose “Restore from a backup…” in the "
                "sign-in window. The backup is checked first, and the damaged file is kept in "
                "the backup folder, not deleted."
            ),
        )

    def restore_from_backup(self, backup: Path | None = None) -> None:
        """Choose a backup, restore it with the typed user name and password, then sign in."""
        username = self.username.text().strip()
        if not username:
            self.message.show_error(_("Type your user name first, then restore the backup."))
            self.username.setFocus()
            return
        backup = backup or choose_backup(self, self._paths.backup_dir)
        if backup is None:
            return
        password = self.password.text() or ask_password(self, username, backup.name)
        if not password:
            return
        self.password.setText(password)
        self.message.clear_message()
        self._set_busy(True)
        path, backup_dir = self.db_path(), self._paths.backup_dir

        def job() -> ProgressGenerator[Path | None]:
            from cope_desktop.services.backups import restore

            return restore(backup, path, username, password, backup_dir)

        self._runner.run(
            job,
            self._restored,
            self._restore_failed,
            on_cancel=lambda: self._set_busy(False),
            context=self,
            writes=True,
            progress_parent=self,
            progress_title=_("Restoring the backup…"),
        )

    def _restored(self, _aside: object) -> None:
        self._set_busy(False)
        self.restore_link.hide()
        self.message.show_info(_("The backup has been restored. Signing in…"))
        self.sign_in()

    def _restore_failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        if isinstance(failure.error, WrongCredentialsError):
            self.message.show_error(wrong_backup_password())
            self.password.clear()
            self.password.setFocus()
            return
        QMessageBox.critical(self, _("The backup was not restored"), failure.message)

    def complete_restore(self, job: Callable[[], object], description: str) -> None:
        """Put in place a backup verified by the Backups tab (the database is closed already)."""
        self._set_busy(True)
        self.message.show_info(_("Restoring the backup…"))
        self._runner.run(
            job,
            lambda _aside: self._tab_restore_done(description),
            self._tab_restore_failed,
            context=self,
            writes=True,
        )

    def _tab_restore_done(self, description: str) -> None:
        self._set_busy(False)
        self.message.show_info(description)
        self.password.setFocus()

    def _tab_restore_failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.clear_message()
        QMessageBox.critical(self, _("The backup was not restored"), failure.message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (
            self.username,
            self.password,
            self.sign_in_button,
            self.forgot,
            self.open_other,
            self.create_new,
            self.restore_link,
        ):
            widget.setEnabled(not busy)

    @property
    def busy_signing_in(self) -> bool:
        return self._busy

    # --- other databases, forgotten passwords ---------------------------------------------------

    def _open_other(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Open a database"),
            str(self.db_path().parent),
            _("COPE Desktop databases (*.db);;All files (*)"),
        )
        if chosen:
            self.database.set_path(Path(chosen))
            self.restore_link.hide()
            self.message.clear_message()
            self.password.clear()
            self.password.setFocus()

    def _forgot(self) -> None:
        dialog = ForgotPasswordDialog(
            self._runner, self.db_path(), self._paths.backup_dir, self.username.text(), self
        )
        dialog.password_changed.connect(self._password_changed)
        dialog.open()

    def open_network(self) -> None:
        """The secretariat's Network window, which needs no database."""
        from cope_desktop.ui.network import open_network_window  # start-up time (P1)

        open_network_window(self._runner)

    def _password_changed(self, username: str) -> None:
        self.username.setText(username)
        self.password.clear()
        self.message.clear_message()
        self.password.setFocus()
