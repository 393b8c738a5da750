"""A new password typed twice, with the length rule and live feedback beside each field.

Used by the first-run wizard, the forgotten-password dialog and the users tab. The rule
itself is the service's (``keys.check_password_strength``); this only says early what it
will say. The recovery key's field is here too, for the dialogs that reset a password.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from cope_desktop.db import keys
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.widgets import muted, set_state

FIELD_WIDTH = 240


class PasswordFields(QObject):
    """Two password fields and their notes, added as two rows of the caller's form."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.password = self._field(parent)
        self.repeat = self._field(parent)
        self.password_label = QLabel(parent)
        self.repeat_label = QLabel(parent)
        self.password_note = muted(parent)
        self.repeat_note = muted(parent)
        for note in (self.password_note, self.repeat_note):
            # Room for two lines from the start, so the form does not jump while typing.
            note.setMinimumHeight(2 * note.fontMetrics().lineSpacing() + 2)
            note.setMinimumWidth(160)
        self.password_label.setBuddy(self.password)
        self.repeat_label.setBuddy(self.repeat)
        self.password.textChanged.connect(self._update)
        self.repeat.textChanged.connect(self._update)
        self.retranslate()
        follow_language(self.retranslate)

    @staticmethod
    def _field(parent: QWidget) -> QLineEdit:
        field = QLineEdit(parent)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMinimumWidth(FIELD_WIDTH)
        field.setMaximumWidth(FIELD_WIDTH + 80)
        return field

    def add_to(self, form: QFormLayout) -> None:
        for label, field, note in (
            (self.password_label, self.password, self.password_note),
            (self.repeat_label, self.repeat, self.repeat_note),
        ):
            row = QHBoxLayout()
            row.setSpacing(12)
            row.addWidget(field)
            row.addWidget(note, 1)
            form.addRow(label, row)

    def retranslate(self) -> None:
        self.password_label.setText(_("&Password:"))
        self.repeat_label.setText(_("&Repeat the password:"))
        self._update()

    def value(self) -> str:
        return self.password.text()

    def problem(self) -> str | None:
        """Say what stops this password from being used, in one sentence, or return None."""
        try:
            keys.check_new_password(self.password.text(), self.repeat.text())
        except UserInputError as error:
            return error.message
        return None

    def clear(self) -> None:
        self.password.clear()
        self.repeat.clear()

    def _update(self) -> None:
        text, repeat = self.password.text(), self.repeat.text()
        rule = _("At least {count} characters.").format(count=keys.MIN_PASSWORD_LENGTH)
        if not text:
            self._note(self.password_note, rule, "")
        elif len(text) < keys.MIN_PASSWORD_LENGTH:
            self._note(self.password_note, _("Too short. {rule}").format(rule=rule), "error")
        else:
            self._note(self.password_note, _("Long enough."), "ok")
        if not repeat:
            self._note(self.repeat_note, "", "")
        elif repeat != text:
            self._note(self.repeat_note, _("The passwords do not match."), "error")
        else:
            self._note(self.repeat_note, _("The passwords match."), "ok")
        self.changed.emit()

    @staticmethod
    def _note(label: QLabel, text: str, state: str) -> None:
        label.setText(text)
        set_state(label, state)


RECOVERY_KEY_PATTERN = "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
"""The shape of a recovery key as the first-run wizard shows it (eight groups of five)."""
RECOVERY_KEY_WIDTH = 300


def recovery_key_field(parent: QWidget) -> QLineEdit:
    """A field for typing the recovery key, showing its shape until something is typed."""
    field = QLineEdit(parent)
    field.setPlaceholderText(RECOVERY_KEY_PATTERN)
    field.setMinimumWidth(RECOVERY_KEY_WIDTH)
    return field
