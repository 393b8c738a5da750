"""The background helper: results, errors and cancellation come back on the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from cope_desktop.errors import CopeError, UserInputError
from cope_desktop.progress import Progress
from cope_desktop.ui.tasks import ProgressWindow, Task, TaskFailure, TaskRunner


def wait_for_end(qtbot: QtBot, task: Task) -> None:
    if task.running:
        with qtbot.waitSignal(task.ended, timeout=5000):
            pass


def test_a_result_arrives_on_the_gui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    worker_threads: list[threading.Thread] = []
    results: list[tuple[int, threading.Thread]] = []

    def job() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    task = runner.run(job, lambda value: results.append((value, threading.current_thread())))
    wait_for_end(qtbot, task)
    assert results == [(42, threading.main_thread())]
    assert worker_threads[0] is not threading.main_thread()


def test_a_cope_error_becomes_its_message(qtbot: QtBot, runner: TaskRunner) -> None:
    failures: list[TaskFailure] = []

    def job() -> None:
        raise UserInputError("The country code XX is unknown.")

    wait_for_end(qtbot, runner.run(job, on_failure=failures.append))
    assert failures[0].message == "The country code XX is unknown."
    assert isinstance(failures[0].error, UserInputError)


def test_an_unexpected_error_is_logged_and_described_calmly(
    qtbot: QtBot, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    failures: list[TaskFailure] = []

    def job() -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR):
        wait_for_end(qtbot, runner.run(job, on_failure=failures.append))
    message = failures[0].message
    assert str(runner.log_file) in message
    assert "boom" not in message and "Traceback" not in message
    assert any(record.exc_info for record in caplog.records)


def test_a_generator_reports_progress_and_returns(qtbot: QtBot, runner: TaskRunner) -> None:
    steps: list[Progress] = []
    results: list[str] = []

    def work() -> Generator[Progress, None, str]:
        for done in range(3):
            yield Progress(done, 3, "counting")
            time.sleep(0.06)
        return "done"

    task = runner.run(work, results.append)
    task.progressed.connect(steps.append)
    wait_for_end(qtbot, task)
    assert results == ["done"]
    assert steps and all(step.total == 3 for step in steps)


def test_cancelling_closes_the_generator_on_the_worker(qtbot: QtBot, runner: TaskRunner) -> None:
    closed_on: list[threading.Thread] = []
    cancelled: list[bool] = []
    succeeded: list[object] = []

    def endless() -> Generator[Progress, None, None]:
        try:
            done = 0
            while True:
                done += 1
                yield Progress(done, 0)
                time.sleep(0.01)
        finally:
            closed_on.append(threading.current_thread())

    task = runner.run(endless, succeeded.append, on_cancel=lambda: cancelled.append(True))
    qtbot.waitSignal(task.progressed, timeout=5000).wait()
    task.cancel()
    wait_for_end(qtbot, task)
    assert cancelled == [True]
    assert succeeded == []
    assert closed_on and closed_on[0] is not threading.main_thread()


def test_a_slow_generator_gets_a_progress_dialog_with_cancel(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    cancelled: list[bool] = []

    def slow() -> Generator[Progress, None, None]:
        for done in range(500):
            yield Progress(done, 500, "Counting families")
            time.sleep(0.01)

    task = runner.run(slow, on_cancel=lambda: cancelled.append(True), progress_title="Counting")
    window = task.findChild(ProgressWindow)
    assert window is not None
    qtbot.waitUntil(lambda: window.dialog is not None and window.dialog.isVisible(), timeout=3000)
    assert window.dialog is not None
    cancel_button = window.dialog.findChild(QPushButton)
    assert cancel_button is not None
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    wait_for_end(qtbot, task)
    assert cancelled == [True]


def test_a_quick_job_never_shows_a_dialog(qtbot: QtBot, runner: TaskRunner) -> None:
    def quick() -> Generator[Progress, None, int]:
        yield Progress(1, 1)
        return 1

    task = runner.run(quick, progress_title="Counting")
    window = task.findChild(ProgressWindow)
    wait_for_end(qtbot, task)
    qtbot.wait(300)
    assert window is None or window.dialog is None


def test_callbacks_are_skipped_once_their_widget_is_gone(qtbot: QtBot, runner: TaskRunner) -> None:
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    calls: list[object] = []
    gate = threading.Event()

    def job() -> int:
        gate.wait(5)
        return 1

    task = runner.run(job, calls.append, context=owner)
    owner.deleteLater()
    qtbot.wait(50)
    gate.set()
    wait_for_end(qtbot, task)
    assert calls == []


def test_writes_run_one_at_a_time(qtbot: QtBot, runner: TaskRunner) -> None:
    active = 0
    most = 0
    lock = threading.Lock()

    def write() -> None:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.05)
        with lock:
            active -= 1

    tasks = [runner.run(write, writes=True) for _ in range(4)]
    for task in tasks:
        wait_for_end(qtbot, task)
    assert most == 1


def test_shutdown_cancels_running_generators(qtbot: QtBot, runner: TaskRunner) -> None:
    def endless() -> Generator[Progress, None, None]:
        while True:
            yield Progress(0, 0)
            time.sleep(0.01)

    runner.run(endless)
    assert runner.shutdown(timeout_ms=3000)


def test_cope_error_keeps_its_own_words() -> None:
    from pathlib import Path

    from cope_desktop.ui.tasks import describe_error

    assert describe_error(CopeError("Plain words."), Path("/x.log")) == "Plain words."
    assert "/x.log" in describe_error(RuntimeError("internal"), Path("/x.log"))
