"""The scrolling list of quick attendance: families and their people, narrowed by the search.

Rows are made when they are first shown and then kept, and at most ``MAX_SHOWN`` people are
shown at a time: a prison with hundreds of linked families still opens at once, and typing
part of a name finds the others. The list has a current row, moved with the arrow keys;
keys that type text go to the search field.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from cope_desktop.i18n import _, format_number
from cope_desktop.ui.activity.feedback_widget import KEYS as FACE_KEYS
from cope_desktop.ui.activity.quick_rows import FamilyHeading, PersonRow
from cope_desktop.ui.activity.quick_state import Key, Mark, haystack, matches, search_words
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.widgets import muted

MAX_SHOWN = 150
FIRST_ROWS = 16
"""Rows laid out at once when the list changes; the others follow between keystrokes."""
MORE_ROWS = 12
PAGE_STEP = 8
CLEAR_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete)
"""With the face buttons' keys 1, 2, 3 (from the left): the keys that clear a child's face."""


class QuickList(QScrollArea):
    toggle_requested = Signal(object, bool)
    rating_requested = Signal(object, object)
    leave_up = Signal()
    """Up was pressed on the first row: the search field takes the focus back."""
    typing = Signal(object)
    """A ``QKeyEvent`` (a copy) that types text or Backspace: it is meant for the search."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickList")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._marks: list[Mark] = []
        self._hays: list[str] = []
        self._rows: dict[int, PersonRow] = {}
        self._headings: dict[str, FamilyHeading] = {}
        self._index: dict[Key, int] = {}
        self._order: list[int] = []
        """The people's positions in ``_marks`` in the order shown (rows are kept by position)."""
        self._shown: list[int] = []
        self._matched = 0
        self._current: int | None = None
        self._text = ""
        self._generation = 0
        self._laid = 0
        self._family: str | None = None
        self.body = QWidget(self)
        self.body.setObjectName("quickBody")
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setSpacing(6)
        self.note = muted(self.body)
        self.note.setObjectName("quickNote")
        self.setWidget(self.body)
        self.retranslate()
        follow_language(self.retranslate)

    # --- content -------------------------------------------------------------------------

    def set_people(self, marks: list[Mark]) -> None:
        """The people in the order shown (grouped by family); rows are made when shown."""
        self._marks = list(marks)
        self._hays = [haystack(mark.attendee) for mark in marks]
        self._index = {mark.key: n for n, mark in enumerate(marks)}
        self._order = list(range(len(marks)))
        self._shown = []
        self.apply_filter(self._text, force=True)

    def add_people(self, marks: list[Mark]) -> None:
        """More people, each shown after the last one of their family already on the list.

        People of a family not on the list yet follow the others, in the order given.
        """
        for mark in marks:
            if mark.key in self._index:
                continue
            n = len(self._marks)
            self._marks.append(mark)
            self._hays.append(haystack(mark.attendee))
            self._index[mark.key] = n
            family = mark.attendee.family_reference
            places = [
                place
                for place, m in enumerate(self._order)
                if self._marks[m].attendee.family_reference == family
            ]
            self._order.insert(places[-1] + 1 if places else len(self._order), n)
        self.apply_filter(self._text, force=True)

    def show_loading(self, text: str) -> None:
        self._generation += 1
        self._clear_layout()
        self.note.setText(text)
        self._layout.addWidget(self.note)
        self.note.show()
        self._layout.addStretch(1)

    def show_mark(self, mark: Mark) -> None:
        n = self._index.get(mark.key)
        if n is None:
            return
        self._marks[n] = mark
        row = self._rows.get(n)
        if row is not None:
            row.show_mark(mark)

    def row_for(self, key: Key) -> PersonRow | None:
        """The row of a person, if it has been shown (tests and the window use it)."""
        n = self._index.get(key)
        return None if n is None else self._rows.get(n)

    @property
    def matched(self) -> int:
        return self._matched

    @property
    def shown(self) -> int:
        return len(self._shown)

    # --- filter --------------------------------------------------------------------------

    def apply_filter(self, text: str, *, force: bool = False) -> None:
        """Show the people whose name or reference contains every typed word."""
        self._text = text
        words = search_words(text)
        if words:
            matched = [n for n in self._order if matches(self._hays[n], words)]
        else:
            matched = list(self._order)
        self._matched = len(matched)
        shown = matched[:MAX_SHOWN]
        if shown != self._shown or force:
            self._shown = shown
            self._lay_out()
        self._set_current(shown[0] if shown else None)
        self._show_note()

    def _lay_out(self) -> None:
        """Put the shown people in the layout: the first ones now, the others bit by bit.

        Making a row takes a few milliseconds, so a long list is finished between keystrokes
        (a newer search stops the unfinished one).
        """
        self._clear_layout()
        self._generation += 1
        self._laid = 0
        self._family = None
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)
        self._add_rows(FIRST_ROWS)
        self._continue_later()

    def _continue_later(self) -> None:
        if self._laid < len(self._shown):
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._continue(generation))

    def _continue(self, generation: int) -> None:
        if generation == self._generation:
            self._add_rows(MORE_ROWS)
            self._continue_later()

    def _add_rows(self, count: int) -> None:
        """Lay out the next ``count`` shown people (and their families' headings)."""
        end = min(len(self._shown), self._laid + count)
        for n in self._shown[self._laid : end]:
            family = self._marks[n].attendee.family_reference
            if family != self._family:
                self._family = family
                self._insert(self._heading(family))
            self._insert(self._row(n))
        self._laid = end

    def _insert(self, widget: QWidget) -> None:
        self._layout.insertWidget(self._layout.count() - 2, widget)  # before the note
        widget.show()

    def _ensure_laid(self, n: int) -> PersonRow:
        """The row of the n-th person, laying out the rows before it first if needed."""
        position = self._shown.index(n)
        if position >= self._laid:
            self._add_rows(position + 1 - self._laid)
        return self._rows[n]

    def _clear_layout(self) -> None:
        while (item := self._layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()

    def _heading(self, family: str) -> FamilyHeading:
        if family not in self._headings:
            self._headings[family] = FamilyHeading(family, self.body)
        return self._headings[family]

    def _row(self, n: int) -> PersonRow:
        row = self._rows.get(n)
        if row is None:
            row = PersonRow(self._marks[n], self.body)
            row.toggle_requested.connect(self.toggle_requested)
            row.rating_requested.connect(self.rating_requested)
            row.pressed.connect(self._pressed)
            self._rows[n] = row
        return row

    def _show_note(self) -> None:
        self.note.setText(self._note_text())
        self.note.setVisible(bool(self.note.text()))

    def _note_text(self) -> str:
        if not self._marks:
            return _(
                "No one is on the list: no open family has a relative in the activity's "
                "prison. Count the people who came with the buttons for people not on file."
            )
        if self._matched == 0:
            return _(
                "No one on the list matches “{text}”. Someone who is not on file can be "
                "counted with the buttons for people not on file."
            ).format(text=self._text.strip())
        if self._matched > len(self._shown):
            return _(
                "The first {shown} of {matched} people are shown: type part of a name "
                "to find the others."
            ).format(shown=format_number(len(self._shown)), matched=format_number(self._matched))
        return ""

    def retranslate(self) -> None:
        if self._marks or self._shown:
            self._show_note()

    # --- current row and keys ------------------------------------------------------------

    def current_key(self) -> Key | None:
        return None if self._current is None else self._marks[self._current].key

    def first_shown(self) -> Key | None:
        return self._marks[self._shown[0]].key if self._shown else None

    def set_current_key(self, key: Key) -> None:
        n = self._index.get(key)
        if n is not None and n in self._shown:
            self._set_current(n)

    def _pressed(self, key: Key) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_current_key(key)

    def _set_current(self, n: int | None) -> None:
        if self._current is not None and self._current in self._rows:
            self._rows[self._current].set_current(False)
        self._current = n
        if n is not None:
            row = self._ensure_laid(n)
            row.set_current(self.hasFocus())
            if self.hasFocus():
                self.ensureWidgetVisible(row, 0, 24)

    def move_current(self, step: int) -> None:
        if not self._shown:
            return
        position = self._shown.index(self._current) if self._current in self._shown else 0
        wanted = position + step
        if step == -1 and position == 0:
            self.leave_up.emit()
            return
        self._set_current(self._shown[max(0, min(len(self._shown) - 1, wanted))])

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._set_current(self._current)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._current is not None:
            self._rows[self._current].set_current(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._key_action(event)
        if action is not None:
            action()
            event.accept()
        elif event.text().isprintable() and event.text() and not _has_command(event):
            self._type_into_search(event)
        else:
            super().keyPressEvent(event)

    def _key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        if _has_command(event):
            return None
        key = Qt.Key(event.key())
        moves = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -PAGE_STEP,
            Qt.Key.Key_PageDown: PAGE_STEP,
            Qt.Key.Key_Home: -len(self._shown),
            Qt.Key.Key_End: len(self._shown),
        }
        if key in moves:
            return lambda: self.move_current(moves[key])
        row = self._rows.get(self._current) if self._current is not None else None
        if row is None:
            return None
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return row.toggle
        if key in FACE_KEYS:
            return lambda: row.rate(FACE_KEYS[key])
        if key in CLEAR_KEYS:
            return lambda: row.rate(None)
        if key == Qt.Key.Key_Backspace:
            return lambda: self._type_into_search(event)
        return None

    def _type_into_search(self, event: QKeyEvent) -> None:
        """Letters typed on the list search again: the window hands them to the search."""
        self.typing.emit(QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))


def _has_command(event: QKeyEvent) -> bool:
    modifiers = event.modifiers()
    return bool(
        modifiers
        & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
    )
