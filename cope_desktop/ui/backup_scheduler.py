"""Scheduled backups while someone is signed in: checked at sign-in and every 30 minutes.

The check and the backup run in the background (the backup in the write queue), silently.
A failure is logged and said once in the status bar; the next check tries again.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths
from cope_desktop.progress import ProgressGenerator
from cope_desktop.services.app_settings import PrivacySettings, read_settings
from cope_desktop.services.backups import BackupInfo, check_schedule, scheduled_backup
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import Task, TaskFailure, TaskRunner

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30 * 60 * 1000
FIRST_CHECK_MS = 20 * 1000
"""After sign-in, the first check waits a little: the window and the page check come first."""
STATUS_MS = 15_000


class BackupScheduler(QObject):
    """Runs ``scheduled_backup`` when it is due; owned by the main window."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        window: QMainWindow | None = None,
    ) -> None:
        super().__init__(window)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._window = window
        self._task: Task | None = None
        self._stopped = False
        """The session ended: a check that finds the backup due no longer makes it."""
        self.last_made: BackupInfo | None = None
        self.last_failure: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_now)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.check_now)

    def start(self, first_check_ms: int = FIRST_CHECK_MS) -> None:
        self._stopped = False
        self.timer.start()
        self._first.start(first_check_ms)

    def stop(self) -> None:
        """No more checks (the session ended); a backup already running finishes."""
        self._stopped = True
        self.timer.stop()
        self._first.stop()

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def check_now(self) -> Task | None:
        """Make the scheduled backup if it is due (in the background); None if one is running.

        Whether it is due is found beside other reading work; only the backup itself waits
        in the write queue, so a slow backup folder holds up no save.
        """
        if self.busy:
            return None
        db, default_folder = self._signed_in.db, self._paths.backup_dir

        def due() -> PrivacySettings | None:
            with db.session() as session:
                settings = read_settings(session)
            now = dt.datetime.now(dt.UTC)
            return (
                settings
                if check_schedule(db, settings, now, default_folder=default_folder)
                else None
            )

        self._task = self._runner.run(due, self._back_up_if_due, self._failed, context=self)
        return self._task

    def _back_up_if_due(self, settings: PrivacySettings | None) -> None:
        if settings is None or self._stopped:
            self._made(None)
            return
        db, user, default_folder = self._signed_in.db, self._signed_in.user, self._paths.backup_dir

        def job() -> ProgressGenerator[BackupInfo | None]:
            now = dt.datetime.now(dt.UTC)
            return scheduled_backup(db, user, settings, now, default_folder=default_folder)

        self._task = self._runner.run(job, self._made, self._failed, context=self, writes=True)

    def _made(self, info: BackupInfo | None) -> None:
        self.last_failure = None
        if info is not None:
            self.last_made = info
            log.info("scheduled backup %s made (%s records)", info.path, info.total_records)

    def _failed(self, failure: TaskFailure) -> None:
        repeated = failure.message == self.last_failure  # said already: not every 30 minutes
        self.last_failure = failure.message
        log.warning("scheduled backup failed: %s", failure.message)
        if self._window is not None and not repeated:
            self._window.statusBar().showMessage(
                _("The scheduled backup was not made: {reason}").format(reason=failure.message),
                STATUS_MS,
            )
