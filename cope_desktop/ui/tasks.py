"""The one helper that runs work off the GUI thread (TARGETS.md P10).

A job is a plain callable, or long work written as a generator of ``Progress`` values
(``cope_desktop.progress``). It runs on a ``QThreadPool`` worker; its result, failure or
cancellation comes back to the GUI thread through Qt signals, where the callbacks run.
Writes go to a pool with a single thread, so they never overlap.

A generator that is still running after ``PROGRESS_DELAY_MS`` gets a progress dialog with a
Cancel button. Cancelling stops pulling from the generator and closes it on the worker, so its
``finally`` blocks and transaction rollbacks run there and nothing is left half-written.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cope_desktop.errors import Cancelled, CopeError
from cope_desktop.i18n import _
from cope_desktop.progress import Progress

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 200
PROGRESS_INTERVAL_S = 0.05
"""Progress values are passed to the GUI at most this often; the rest are dropped."""

Job = Callable[[], Any] | Generator[Progress, None, Any]
SuccessCallback = Callable[[Any], None]


@dataclass(frozen=True)
class TaskFailure:
    """Why a job failed: one sentence for a person, and the exception for the code."""

    message: str
    error: BaseException


FailureCallback = Callable[[TaskFailure], None]


def describe_error(error: BaseException, log_file: Path) -> str:
    """One sentence for a person: a CopeError's own message, else a pointer to the log."""
    if isinstance(error, CopeError):
        return error.message
    return _(
        "Something went wrong and the action was not completed. "
        "The details were written to the log file {path}."
    ).format(path=log_file)


class Task(QObject):
    """One job in flight. The signals are delivered on the GUI thread."""

    progressed = Signal(object)
    """A ``Progress`` value (generators only)."""
    succeeded = Signal(object)
    failed = Signal(object)
    """A ``TaskFailure``."""
    cancelled = Signal()
    ended = Signal()
    """After any of succeeded, failed or cancelled."""

    # Emitted from the worker thread; queued to the GUI thread by Qt.
    _worker_progress = Signal(object)
    _worker_done = Signal(object)
    _worker_failed = Signal(object)
    _worker_cancelled = Signal()

    def __init__(self, job: Job, log_file: Path, parent: QObject) -> None:
        # Owned by the runner in C++, so the object is always destroyed on the GUI thread
        # (deleteLater), never where the worker drops its last Python reference.
        super().__init__(parent)
        self._job = job
        self._log_file = log_file
        self._cancel_requested = threading.Event()
        self._running = True
        self._saw_progress = False
        self._worker_progress.connect(self._on_progress)
        self._worker_done.connect(self._on_done)
        self._worker_failed.connect(self._on_failed)
        self._worker_cancelled.connect(self._on_cancelled)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def reports_progress(self) -> bool:
        """True once the job has yielded a ``Progress`` value (it is a generator)."""
        return self._saw_progress

    def cancel(self) -> None:
        """Ask the worker to stop pulling from the generator (plain callables run to the end)."""
        self._cancel_requested.set()

    # --- worker thread -------------------------------------------------------------------

    def run_on_worker(self) -> None:
        try:
            result = self._job() if callable(self._job) else self._job
            if inspect.isgenerator(result):
                result = self._drive(cast(Generator[Progress, None, Any], result))
        except Cancelled:
            self._worker_cancelled.emit()
        except BaseException as error:  # reported to the GUI thread, never lost
            self._log_failure(error)
            self._worker_failed.emit(error)
        else:
            self._worker_done.emit(result)

    def _drive(self, work: Generator[Progress, None, Any]) -> Any:
        """Pull the generator to its end and return its value; Cancelled if asked to stop."""
        last_sent = 0.0
        while True:
            if self._cancel_requested.is_set():
                work.close()
                raise Cancelled(_("Stopped at your request."))
            try:
                step = next(work)
            except StopIteration as stop:
                return stop.value
            now = time.monotonic()
            if now - last_sent >= PROGRESS_INTERVAL_S:
                last_sent = now
                self._worker_progress.emit(step)

    def _log_failure(self, error: BaseException) -> None:
        if isinstance(error, CopeError):
            log.warning("%s: %s", type(error).__name__, error.message)
        else:
            log.error("background job failed", exc_info=error)

    # --- GUI thread ----------------------------------------------------------------------

    def _on_progress(self, step: Progress) -> None:
        self._saw_progress = True
        if self._running:
            self.progressed.emit(step)

    def _on_done(self, result: object) -> None:
        self._running = False
        self.succeeded.emit(result)
        self.ended.emit()

    def _on_failed(self, error: BaseException) -> None:
        self._running = False
        self.failed.emit(TaskFailure(describe_error(error, self._log_file), error))
        self.ended.emit()

    def _on_cancelled(self) -> None:
        self._running = False
        self.cancelled.emit()
        self.ended.emit()


class TaskRunner(QObject):
    """Starts jobs on worker threads and hands their outcome to callbacks on the GUI thread."""

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self._pool = QThreadPool(self)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._tasks: set[Task] = set()

    @property
    def log_file(self) -> Path:
        return self._log_file

    def run(
        self,
        job: Job,
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
        *,
        on_cancel: Callable[[], None] | None = None,
        context: QObject | None = None,
        writes: bool = False,
        progress_parent: QWidget | None = None,
        progress_title: str = "",
    ) -> Task:
        """Run ``job`` off the GUI thread.

        The callbacks run on the GUI thread, and only while ``context`` (usually the widget
        that asked) still exists. ``writes`` puts the job in the single-thread write queue.
        A generator job still running after 200 ms shows a cancellable progress dialog over
        ``progress_parent``.
        """
        task = Task(job, self._log_file, self)
        self._tasks.add(task)
        task.ended.connect(lambda: self._forget(task))

        def alive() -> bool:
            return context is None or shiboken6.isValid(context)

        if on_success is not None:
            task.succeeded.connect(lambda result: on_success(result) if alive() else None)
        if on_failure is not None:
            task.failed.connect(lambda failure: on_failure(failure) if alive() else None)
        if on_cancel is not None:
            task.cancelled.connect(lambda: on_cancel() if alive() else None)
        if progress_parent is not None or progress_title:
            ProgressWindow(task, progress_parent, progress_title)
        pool = self._write_pool if writes else self._pool
        pool.start(task.run_on_worker)
        return task

    def _forget(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    @property
    def active(self) -> int:
        return len(self._tasks)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel what can be cancelled and wait for the workers (when the application quits)."""
        for task in list(self._tasks):
            task.cancel()
        done = self._pool.waitForDone(timeout_ms) and self._write_pool.waitForDone(timeout_ms)
        return bool(done)


class ProgressWindow(QObject):
    """The progress dialog of one generator job, shown only if the job takes a while."""

    def __init__(self, task: Task, parent: QWidget | None, title: str) -> None:
        super().__init__(task)
        self._task = task
        self._parent = parent
        self._title = title
        self._dialog: QProgressDialog | None = None
        task.progressed.connect(self._on_progress)
        task.ended.connect(self._close)
        QTimer.singleShot(PROGRESS_DELAY_MS, self, self._maybe_show)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _maybe_show(self) -> None:
        if not self._task.running or not self._task.reports_progress:
            return
        if self._parent is not None and not shiboken6.isValid(self._parent):
            return
        dialog = QProgressDialog(self._parent)
        dialog.setWindowTitle(self._title or _("Working…"))
        dialog.setLabelText(self._title or _("Working…"))
        dialog.setCancelButtonText(_("Cancel"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setRange(0, 0)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self._cancel)
        self._dialog = dialog
        dialog.show()

    def _on_progress(self, step: Progress) -> None:
        # setValue on a modal dialog runs the event loop: the job may end (and the dialog be
        # closed) inside it, so keep the dialog in hand for the whole update.
        dialog = self._dialog
        if dialog is None:
            return
        if step.total > 0:
            dialog.setRange(0, step.total)
            dialog.setValue(min(step.done, step.total))
        else:
            dialog.setRange(0, 0)
        if step.message and shiboken6.isValid(dialog):
            dialog.setLabelText(step.message)

    def _cancel(self) -> None:
        self._task.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(_("Stopping…"))
            self._dialog.setCancelButton(None)

    def _close(self) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._cancel)
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None
