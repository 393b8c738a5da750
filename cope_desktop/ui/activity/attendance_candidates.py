"""The "Add people" group: search everyone on file and add the chosen person.

People from families linked to the activity's prison come first; the search runs on the
worker a moment after typing stops, and a result overtaken by later typing is dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _, format_number
from cope_desktop.services.activities import attendance
from cope_desktop.services.activities.views import ActivityDetail, Attendee
from cope_desktop.ui.activity.attendance_people import MUTED, PersonKey, key_of, kind_text
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted

ATTENDEE = Qt.ItemDataRole.UserRole
HEADER = QColor("#1b3a5c")
SEARCH_DELAY_MS = 150
CANDIDATE_LIMIT = 200


def folded(text: str) -> str:
    """Lower case without accents, to compare what is typed with names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def narrow(people: list[Attendee], text: str) -> list[Attendee]:
    """The people whose name or references contain every word typed.

    The service finds families (any member's name matches the whole family); in the list,
    the person typed comes first. When nobody matches by name (the words were about the
    family), the whole group is kept.
    """
    words = folded(text).split()
    if not words:
        return people
    found = [
        person
        for person in people
        if all(
            word in folded(f"{person.name} {person.reference} {person.family_reference}")
            for word in words
        )
    ]
    return found


def candidate_text(person: Attendee) -> str:
    text = _("{name}  ·  {kind}  ·  family {family}").format(
        name=person.name, kind=kind_text(person), family=person.family_reference
    )
    if not person.data_consent:
        text = _("{person}  (no data processing consent)").format(person=text)
    return text


class CandidateSearch(QObject):
    """The search box, the list of people who may be added, and the Add button.

    ``is_present`` tells who is already on the list of people present (left out here);
    ``add`` is called with the chosen person. The widgets are made in ``owner``, which is
    also the context of the searches.
    """

    def __init__(
        self,
        owner: QWidget,
        signed_in: SignedIn,
        runner: TaskRunner,
        message: InlineMessage,
        is_present: Callable[[PersonKey], bool],
        add: Callable[[Attendee], None],
    ) -> None:
        super().__init__(owner)
        self._owner = owner
        self.signed_in = signed_in
        self.runner = runner
        self._message = message
        self._is_present = is_present
        self._add = add
        self.detail: ActivityDetail | None = None
        self.read_only = False
        self._serial = 0
        self._build()

    def _build(self) -> None:
        group = self.group = QGroupBox(self._owner)
        self.search = QLineEdit(group)
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self.timer.start)
        self.candidates = QListWidget(group)
        self.candidates.installEventFilter(self)
        self.candidates.setMinimumHeight(self._owner.fontMetrics().lineSpacing() * 5)
        self.candidates.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.candidates.itemDoubleClicked.connect(lambda _item: self.add_selected())
        self.candidates.currentItemChanged.connect(lambda *_items: self._update_add())
        self.add_button = QPushButton(group)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_selected)
        self.hint = muted(group)
        search_row = QHBoxLayout()
        search_row.setSpacing(8)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.add_button)
        layout = QVBoxLayout(group)
        layout.setSpacing(8)
        layout.addLayout(search_row)
        layout.addWidget(self.candidates, 1)
        layout.addWidget(self.hint)

    def retranslate(self) -> None:
        self.group.setTitle(_("Add people"))
        self.search.setPlaceholderText(_("Search everyone on file: name or reference (Ctrl+F)"))
        self.add_button.setText(_("&Add"))
        self.add_button.setToolTip(_("Add the chosen person (Enter, or double-click them)"))
        if self.detail is not None:
            self.refresh()

    def show_activity(self, detail: ActivityDetail) -> None:
        """Search for people to add to ``detail`` from now on (``refresh()`` lists them)."""
        self.detail = detail
        self.read_only = detail.archived
        self.group.setEnabled(not detail.archived)

    def focus(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- the list ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.detail is None:
            return
        self.timer.stop()
        self._serial += 1
        serial, activity_id = self._serial, self.detail.id
        text = self.search.text().strip()
        db = self.signed_in.db

        def find() -> list[Attendee]:
            with db.session() as session:
                return attendance.candidates(session, activity_id, text, CANDIDATE_LIMIT)

        self.runner.run(
            find,
            lambda found: self._show(serial, text, found),
            lambda failure: self._failed(serial, failure),
            context=self._owner,
        )

    def _show(self, serial: int, text: str, found: list[Attendee]) -> None:
        if serial != self._serial:
            return  # an older search, overtaken by later typing
        chosen = self.selected()
        chosen_key = key_of(chosen) if chosen else None
        people = [p for p in found if not p.present and not self._is_present(key_of(p))]
        linked = narrow([p for p in people if p.linked_to_prison], text)
        others = [p for p in people if not p.linked_to_prison]
        others = narrow(others, text) or others
        people = linked + others
        self.candidates.clear()
        if linked:
            prison = self.detail.prison_name if self.detail else ""
            self._header(_("From families linked to {prison}").format(prison=prison or ""))
            for person in linked:
                self._candidate(person, linked=True)
        if others:
            if linked:
                self._header(_("Everyone else on file"))
            for person in others:
                self._candidate(person, linked=False)
        self._select(chosen_key)
        self._show_hint(text, people, len(found))
        self._update_add()

    def _show_hint(self, text: str, people: list[Attendee], found: int) -> None:
        if found >= CANDIDATE_LIMIT:
            hint = _("Only the first {n} people are listed: type more to narrow the search.")
            self.hint.setText(hint.format(n=format_number(CANDIDATE_LIMIT)))
        elif not people and text:
            self.hint.setText(_("Nobody else on file matches “{text}”.").format(text=text))
        elif not people:
            self.hint.setText(
                _(
                    "No one from a family linked to this prison is left to add. Type a name or a "
                    "reference to search everyone on file."
                )
            )
        elif not text:
            self.hint.setText(
                _(
                    "Type a name or a reference to search everyone on file. Enter or a "
                    "double-click adds the chosen person."
                )
            )
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def _failed(self, serial: int, failure: TaskFailure) -> None:
        if serial == self._serial:
            self._message.show_error(failure.message)

    def _header(self, text: str) -> None:
        item = QListWidgetItem(text, self.candidates)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(self.candidates.font())
        font.setBold(True)
        item.setFont(font)
        item.setForeground(HEADER)

    def _candidate(self, person: Attendee, *, linked: bool) -> None:
        item = QListWidgetItem(candidate_text(person), self.candidates)
        item.setData(ATTENDEE, person)
        tips = [_("Reference {reference}").format(reference=person.reference)]
        if linked:
            tips.append(_("Their family has a relative in this activity's prison."))
        if not person.data_consent:
            tips.append(
                _(
                    "Their family has no current data processing consent: count them in the "
                    "head count instead."
                )
            )
            item.setForeground(MUTED)
        item.setToolTip("\n".join(tips))

    def _select(self, key: PersonKey | None) -> None:
        first: QListWidgetItem | None = None
        for row in range(self.candidates.count()):
            item = self.candidates.item(row)
            person = item.data(ATTENDEE)
            if not isinstance(person, Attendee):
                continue
            if first is None:
                first = item
            if key is not None and key_of(person) == key:
                self.candidates.setCurrentItem(item)
                return
        if first is not None:
            self.candidates.setCurrentItem(first)

    def selected(self) -> Attendee | None:
        item = self.candidates.currentItem()
        person = item.data(ATTENDEE) if item is not None else None
        return person if isinstance(person, Attendee) else None

    def _update_add(self) -> None:
        self.add_button.setEnabled(self.selected() is not None and not self.read_only)

    def add_selected(self) -> None:
        person = self.selected()
        if person is None or self.detail is None or self.read_only:
            return
        self._add(person)

    # --- keys ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter adds the chosen person (never the dialog's Save); arrows move in the list."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched in (self.search, self.candidates) and enter:
            self.add_selected()
            return True
        moves = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        if watched is self.search and key in moves:
            moved = QKeyEvent(QEvent.Type.KeyPress, key, event.modifiers())
            QCoreApplication.sendEvent(self.candidates, moved)
            return True
        return super().eventFilter(watched, event)
