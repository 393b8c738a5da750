"""One conflict at a time, side by side: what this copy holds and what the other copy sent.

A conflict is a field changed on two copies before they exchanged. Nothing is decided
silently: the person keeps one of the values or writes another, and Save records the choice
as a new change that travels to every copy. Previous and Next walk the list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import (
    bold,
    display_value,
    editable_as_text,
    is_long_text,
    typed_value,
)
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyGuard, InlineMessage, muted

QWIDGETSIZE_MAX = 16_777_215
"""Qt's "no maximum" for a widget's height (QWIDGETSIZE_MAX in C++, not exported by PySide6)."""
SHORT_VALUE_HEIGHT = 56
"""The height of a value panel for a short value (a name, a date): about two lines."""
EDITOR_HEIGHT = 110
"""The most the editor for a long text grows to (about five lines); the panels get the rest."""
EDIT = 1000
"""The choice id of "Write another value" (the values are 0, 1…; -1 means none in Qt)."""


def resolve_conflict(signed_in: SignedIn, conflict: Any, value: object) -> None:
    """Record the person's choice (a worker-thread job)."""
    from cope_desktop.sync import service

    service.resolve(
        signed_in.db, signed_in.user, conflict.table, conflict.row_id, conflict.field, value
    )


def ordered_candidates(conflict: Any) -> list[Any]:
    """The value on this copy first, then the others in the order the service gave."""
    candidates = list(conflict.candidates)
    return sorted(candidates, key=lambda candidate: not candidate.is_mine)


class CandidatePanel(QGroupBox):
    """One value: whose it is, the value as a person reads it, and the radio to keep it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = QLabel(self)
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.value.setFont(font)
        self.value_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.value)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self.choice = QRadioButton(self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.choice)


class ConflictDialog(BusyGuard, QDialog):
    """Walks ``conflicts`` (``ConflictInfo`` values); ``resolved`` after each Save."""

    resolved = Signal(object)
    """The conflict just resolved."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        conflicts: list[Any],
        index: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self.conflicts = list(conflicts)
        self.index = max(0, min(index, len(self.conflicts) - 1))
        self._busy = False
        self._long_text = False
        self._build()
        self.retranslate()
        follow_language(self.retranslate)
        self.show_conflict()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.position = muted(self)
        self.record = QLabel(self)
        bold(self.record)
        self.record.setWordWrap(True)
        self.field = QLabel(self)
        self.field.setWordWrap(True)
        self.explanation = muted(self)
        self.panels_row = QHBoxLayout()
        self.panels_row.setSpacing(12)
        self.panels: list[CandidatePanel] = []
        self.choices = QButtonGroup(self)
        self.edit_choice = QRadioButton(self)
        self.choices.addButton(self.edit_choice, EDIT)
        self.line_editor = QLineEdit(self)
        self.text_editor = QPlainTextEdit(self)
        self.text_editor.setMaximumHeight(EDITOR_HEIGHT)
        self.edit_note = muted(self)
        self.message = InlineMessage(self)
        self.previous_button = QPushButton(self)
        self.next_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self)
        for button in (self.previous_button, self.next_button, self.close_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.position)
        layout.addWidget(self.record)
        layout.addWidget(self.field)
        layout.addWidget(self.explanation)
        layout.addLayout(self.panels_row)
        layout.addWidget(self.edit_choice)
        layout.addWidget(self.line_editor)
        layout.addWidget(self.text_editor)
        layout.addWidget(self.edit_note)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.choices.idToggled.connect(self._choice_changed)
        self.line_editor.textEdited.connect(self._editing)
        self.text_editor.textChanged.connect(self._text_changed)
        self.previous_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.setMinimumSize(600, 400)
        self.resize(760, 460)

    def retranslate(self) -> None:
        self.setWindowTitle(_("A change needs your decision"))
        self.explanation.setText(
            _(
                "This was changed on two copies before they exchanged their work. Choose the "
                "value to keep, or write the right one. Your choice goes to every copy with the "
                "next exchange."
            )
        )
        self.edit_choice.setText(_("Write another value:"))
        self.previous_button.setText(_("< Previous"))
        self.next_button.setText(_("Next >"))
        self.save_button.setText(_("Save"))
        self.close_button.setText(_("Close"))
        if self.conflicts:
            self._show_texts()

    # --- showing one conflict -------------------------------------------------------------

    @property
    def current(self) -> Any | None:
        return self.conflicts[self.index] if self.conflicts else None

    def go(self, index: int) -> None:
        if 0 <= index < len(self.conflicts) and not self._busy:
            self.index = index
            self.show_conflict()

    def show_conflict(self) -> None:
        """Fill the panels for the current conflict, nothing chosen yet."""
        self.message.clear_message()
        conflict = self.current
        if conflict is None:
            return
        candidates = ordered_candidates(conflict)
        self._make_panels(len(candidates))
        values = [typed_value(conflict.table, conflict.field, c.value) for c in candidates]
        editable = editable_as_text(conflict.table, conflict.field, values)
        long_text = self._long_text = is_long_text(values)
        for panel in self.panels:
            # a short value in a short box; a long text gets room and a scroll bar
            panel.value_area.setMaximumHeight(QWIDGETSIZE_MAX if long_text else SHORT_VALUE_HEIGHT)
        mine = next((value for value, c in zip(values, candidates, strict=True) if c.is_mine), None)
        prefill = "" if mine is None else str(mine)
        self.line_editor.setText(prefill)
        self.text_editor.setPlainText(prefill)
        self.edit_choice.setEnabled(editable)
        self.line_editor.setVisible(editable and not long_text)
        self.text_editor.setVisible(editable and long_text)
        self.edit_note.setVisible(not editable)
        self.choices.setExclusive(False)
        for button in self.choices.buttons():
            button.setChecked(False)
        self.choices.setExclusive(True)
        self._show_texts()
        self._update_buttons()

    def _make_panels(self, count: int) -> None:
        while len(self.panels) < count:
            panel = CandidatePanel(self)
            self.choices.addButton(panel.choice, len(self.panels))
            self.panels_row.addWidget(panel, 1)
            self.panels.append(panel)
        for number, panel in enumerate(self.panels):
            panel.setVisible(number < count)

    def _show_texts(self) -> None:
        conflict = self.current
        if conflict is None:
            return
        self.position.setText(
            _("Change {number} of {count}").format(number=self.index + 1, count=len(self.conflicts))
        )
        self.record.setText(str(conflict.record_label))
        self.field.setText(_("Field: {field}").format(field=conflict.field_label))
        for panel, candidate in zip(self.panels, ordered_candidates(conflict), strict=False):
            if candidate.is_mine:
                panel.setTitle(_("On this copy"))
                panel.choice.setText(_("Keep this copy's value"))
            else:
                panel.setTitle(_("From {name}").format(name=candidate.device_name))
                panel.choice.setText(
                    _("Take the value from {name}").format(name=candidate.device_name)
                )
            panel.value.setText(display_value(conflict.table, conflict.field, candidate.value))
        self.edit_note.setText(
            _("Only text can be written here. Keep one of the values, then change the record.")
        )

    def _choice_changed(self, choice: int, checked: bool) -> None:
        if checked:
            self.message.clear_message()
        self._update_buttons()

    def _editing(self) -> None:
        if self.edit_choice.isEnabled():
            self.edit_choice.setChecked(True)

    def _text_changed(self) -> None:
        if self.text_editor.hasFocus():
            self._editing()

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self.index > 0 and not self._busy)
        self.next_button.setEnabled(self.index < len(self.conflicts) - 1 and not self._busy)
        self.save_button.setEnabled(self.choices.checkedButton() is not None and not self._busy)

    # --- saving ---------------------------------------------------------------------------

    def chosen_value(self) -> object:
        """The value the person chose (an edited text is stripped; empty means no value)."""
        conflict = self.current
        button = self.choices.checkedButton()
        if conflict is None or button is None:
            raise LookupError("nothing chosen")
        if button is self.edit_choice:
            editor_text = (
                self.text_editor.toPlainText() if self._long_text else self.line_editor.text()
            )
            text = editor_text.strip()
            return text or None
        number = self.choices.id(button)
        return ordered_candidates(conflict)[number].value

    def save(self) -> None:
        conflict = self.current
        if conflict is None or self._busy:
            return
        try:
            value = self.chosen_value()
        except LookupError:
            self.message.show_error(_("Choose the value to keep."))
            return
        self._set_busy(True)
        signed_in = self._signed_in
        self._runner.run(
            lambda: resolve_conflict(signed_in, conflict, value),
            lambda _none: self._saved(conflict),
            self._failed,
            context=self,
            writes=True,
        )

    def _saved(self, conflict: Any) -> None:
        self._set_busy(False)
        if conflict in self.conflicts:
            self.conflicts.remove(conflict)
        self.resolved.emit(conflict)
        if not self.conflicts:
            self.accept()
            return
        self.index = min(self.index, len(self.conflicts) - 1)
        self.show_conflict()
        self.message.show_info(_("Saved. Here is the next change to decide."))

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.close_button.setEnabled(not busy)
        self._update_buttons()
