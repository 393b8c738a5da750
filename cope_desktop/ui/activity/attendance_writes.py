"""How the attendance part writes: at once, one service call per change, on the write worker.

Like quick attendance, nothing waits for the dialog's Save. The screen keeps its own copy of
what is stored and changes it only when a write succeeded (``done``); a refusal (no consent,
an archived person) is shown in the message at the top of the part and changes nothing
(``undo`` puts back what the screen showed before).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from cope_desktop.services.accounts import CurrentUser
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage

Change = Callable[[Session, CurrentUser], object]


class ChangeWriter:
    """Runs the changes of one attendance part and counts those still on their way."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        context: QWidget,
        message: InlineMessage,
        written: Callable[[], None],
    ) -> None:
        self.signed_in = signed_in
        self.runner = runner
        self._context = context
        self._message = message
        self._written = written
        self._writing = 0

    @property
    def busy(self) -> bool:
        """True while a change is on its way to the database."""
        return self._writing > 0

    def write(
        self, change: Change, done: Callable[[], None], undo: Callable[[], None] | None = None
    ) -> None:
        db, user = self.signed_in.db, self.signed_in.user

        def job() -> None:
            with db.session() as session:
                change(session, user)

        def succeeded(_result: object) -> None:
            self._writing -= 1
            done()
            self._written()

        def failed(failure: TaskFailure) -> None:
            self._writing -= 1
            if undo is not None:
                undo()
            problems = getattr(failure.error, "problems", None)
            if problems:
                self._message.show_error("\n".join(dict.fromkeys(p.message for p in problems)))
            else:
                self._message.show_error(failure.message)

        self._writing += 1
        self.runner.run(job, succeeded, failed, context=self._context, writes=True)
