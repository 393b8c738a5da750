"""From start to the main window: the setup wizard or the login dialog, then the main window."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from cope_desktop import i18n
from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths
from cope_desktop.services.accounts import finish_sign_in
from cope_desktop.services.backups import PreparedRestore, discard_restore, finish_restore
from cope_desktop.settings import Settings
from cope_desktop.ui.backup_restore import restore_offered, set_restore_handler
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.main_window import MainWindow
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.wizard import SetupWizard

log = logging.getLogger(__name__)


class StartupFlow(QObject):
    """Shows one window at a time and keeps the open database until the end."""

    def __init__(
        self, paths: AppPaths, settings: Settings, runner: TaskRunner, db_path: Path
    ) -> None:
        super().__init__()
        self._paths = paths
        self._settings = settings
        self._runner = runner
        self._db_path = db_path
        self._window: QWidget | None = None
        self.signed_in: SignedIn | None = None
        set_restore_handler(self.restore_backup)

    @property
    def window(self) -> QWidget | None:
        """The window currently shown (wizard, login dialog or main window)."""
        return self._window

    def start(self) -> None:
        if self._db_path.exists():
            self.show_login(self._db_path)
        else:
            self.show_wizard(back_to_login=False)

    def show_wizard(self, back_to_login: bool) -> None:
        wizard = SetupWizard(self._paths, self._runner)
        wizard.created.connect(self._created)
        if back_to_login:
            wizard.rejected.connect(lambda: self.show_login(self._db_path))
        self._replace(wizard)

    def show_login(self, db_path: Path) -> LoginDialog:
        self._db_path = db_path
        login = LoginDialog(self._paths, self._runner, db_path, self._settings.last_username or "")
        login.signed_in.connect(self._logged_in)
        login.create_requested.connect(lambda: self.show_wizard(back_to_login=True))
        self._replace(login)
        return login

    def _created(self, signed_in: SignedIn) -> None:
        self._settings.language = i18n.current_language()
        self._open_main(signed_in)

    def _logged_in(self, signed_in: SignedIn) -> None:
        self._open_main(signed_in)

    def _open_main(self, signed_in: SignedIn) -> None:
        self.signed_in = signed_in
        self._settings.remember_database(signed_in.db.path)
        self._settings.last_username = signed_in.user.username
        self._settings.save_or_warn(self._paths.settings_file)
        window = MainWindow(signed_in, self._paths, self._settings, self._runner)
        self._replace(window)
        if not signed_in.pages_checked:
            self._runner.run(
                lambda: finish_sign_in(signed_in.db, signed_in.user),
                on_failure=lambda failure: self._damaged(signed_in, failure),
                context=window,
                writes=True,
            )

    def _damaged(self, signed_in: SignedIn, failure: TaskFailure) -> None:
        """The background page check failed: close the database and go back to sign-in."""
        if self.signed_in is signed_in:
            self.signed_in = None
        signed_in.db.close()
        login = self.show_login(signed_in.db.path)
        if restore_offered(failure.error):
            login.offer_restore(failure.message)
        else:
            QMessageBox.critical(login, _("The database cannot be opened"), failure.message)

    def restore_backup(self, prepared: PreparedRestore) -> None:
        """Put a backup verified by the Backups tab in place, then ask everyone to sign in again.

        The family windows are closed first (one with unsaved changes may ask and stay open:
        then nothing is restored), then the database, then the main window.
        """
        from cope_desktop.ui.record.family_window import close_family_windows

        if not close_family_windows():
            discard_restore(prepared)
            return
        signed_in, self.signed_in = self.signed_in, None
        if signed_in is not None:
            signed_in.db.close()
        login = self.show_login(prepared.db_path)
        backup_dir = self._paths.backup_dir
        login.complete_restore(
            lambda: finish_restore(prepared, backup_dir),
            _("The backup of {time} has been restored. Sign in again to continue.").format(
                time=i18n.format_local_datetime(prepared.created)
            ),
        )

    def _replace(self, window: QWidget) -> None:
        """Show ``window`` first, then close the previous one (so the app does not quit)."""
        previous, self._window = self._window, window
        window.show()
        window.raise_()
        window.activateWindow()
        if previous is not None:
            previous.hide()
            previous.deleteLater()

    def close(self) -> None:
        """Close the database when the application ends."""
        set_restore_handler(None)
        if self.signed_in is not None:
            self.signed_in.db.close()
            self.signed_in = None
