"""Quick attendance's "search everyone": find a person who is not on the expected list.

When what was typed matches few of the expected people, a calm line under the list offers
to search every family on file (a child of another family who came with friends, say).
The search runs off the GUI thread; an answer for an older search is dropped.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from cope_desktop.i18n import _
from cope_desktop.services.activities import attendance
from cope_desktop.services.activities.views import Attendee
from cope_desktop.ui.activity.quick_state import fold
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner

MIN_CHARACTERS = 2
FEW_MATCHES = 3
"""The line is offered when fewer expected people than this match the search."""
MORE_PEOPLE = 200
"""How many people a search may bring beyond those already on the list."""


class SearchEveryone(QPushButton):
    """The line "Not on this list? Search everyone for …"; emits the people found.

    The window connects ``clicked`` to ``start`` (it knows how many people are listed).
    """

    found = Signal(object)
    """list[Attendee]: everyone the search found (the window keeps those not listed yet)."""
    failed = Signal(str)

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        activity_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quickEveryone")
        self.setFlat(True)
        self.signed_in = signed_in
        self.runner = runner
        self.activity_id = activity_id
        self._text = ""
        self._searching: str | None = None
        self._answered: dict[str, int] = {}
        """How many new people each search (by its folded text) added to the list."""
        self._generation = 0
        self.hide()
        self.retranslate()
        follow_language(self.retranslate)

    def offer(self, text: str, matched: int, editable: bool) -> None:
        """Show the line or not, for what is typed now and how many expected people match."""
        text = text.strip()
        if text != self._text:
            self._text = text
            self._generation += 1  # an answer for an older text is no longer wanted
            self._searching = None
        wanted = editable and len(text) >= MIN_CHARACTERS and matched < FEW_MATCHES
        if self._answered.get(fold(text), 0) > 0:
            wanted = False  # the people found are on the list now
        self.setVisible(wanted)
        self.retranslate()

    def start(self, listed: int) -> None:
        """Search every family for the text typed (``listed``: people already on the list)."""
        if not self.isVisible() or not self.isEnabled() or self._searching is not None:
            return
        self._generation += 1
        generation, text = self._generation, self._text
        db, activity_id = self.signed_in.db, self.activity_id
        limit = listed + MORE_PEOPLE

        def search() -> list[Attendee]:
            with db.session() as session:
                return attendance.candidates(session, activity_id, text, limit=limit)

        self._searching = text
        self.retranslate()
        self.runner.run(
            search,
            lambda people: self._answer(generation, text, people),
            lambda failure: self._failure(generation, failure),
            context=self,
        )

    def answered(self, text: str, added: int) -> None:
        """The window says how many new people the search for ``text`` added to the list.

        The window then offers the line again (``offer``) for what is typed now.
        """
        self._answered[fold(text)] = added

    def _answer(self, generation: int, text: str, people: list[Attendee]) -> None:
        if generation != self._generation:
            return
        self._searching = None
        self.found.emit(people)

    def _failure(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._searching = None
        self.retranslate()
        self.failed.emit(failure.message)

    def retranslate(self) -> None:
        text = self._text
        if self._searching is not None:
            self.setText(_("Searching everyone for “{text}”…").format(text=self._searching))
            self.setEnabled(False)
        elif self._answered.get(fold(text)) == 0:
            self.setText(_("No one else on file matches “{text}”.").format(text=text))
            self.setEnabled(False)
        else:
            self.setText(_("Not on this list? Search everyone for “{text}”").format(text=text))
            self.setEnabled(True)
        self.setAccessibleName(self.text())
