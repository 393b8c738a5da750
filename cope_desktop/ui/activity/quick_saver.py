"""Every tap of quick attendance written at once, each in its own short transaction.

The writes go through the runner's single write thread, so they reach the database in the
order they were made; each one commits before the next starts, so a closed lid or a crash
loses nothing that was shown as saved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from cope_desktop.services.accounts import CurrentUser
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner

Change = Callable[[Session, CurrentUser], object]


class SaveQueue(QObject):
    """Runs changes one by one and says whether any is still on its way to the disk."""

    pending_changed = Signal(int)
    """The number of changes not yet written (0: everything shown is saved)."""

    def __init__(self, signed_in: SignedIn, runner: TaskRunner, parent: QObject) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._pending: Counter[Hashable] = Counter()

    @property
    def pending(self) -> int:
        return self._pending.total()

    def pending_for(self, topic: Hashable) -> int:
        """Changes of one topic (one person's tick, one child's face) still being written."""
        return self._pending[topic]

    def write(
        self,
        topic: Hashable,
        change: Change,
        on_saved: Callable[[], None],
        on_failed: Callable[[TaskFailure], None],
    ) -> None:
        """Write ``change`` in its own committed session; the callbacks run on the GUI thread.

        When a callback runs, the change no longer counts in ``pending_for(topic)``.
        """
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> None:
            with db.session() as session:
                change(session, user)

        def saved(_result: object) -> None:
            self._done(topic)
            on_saved()

        def failed(failure: TaskFailure) -> None:
            self._done(topic)
            on_failed(failure)

        self._pending[topic] += 1
        self.pending_changed.emit(self.pending)
        self._runner.run(job, saved, failed, context=self, writes=True)

    def _done(self, topic: Hashable) -> None:
        self._pending[topic] -= 1
        if self._pending[topic] <= 0:
            del self._pending[topic]
        self.pending_changed.emit(self.pending)
