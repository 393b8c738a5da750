"""What every record editor shares: a form, the services' messages, saving off the GUI thread.

A subclass adds its rows with ``add_row``, fills them from the record, and says how to turn
the fields into a draft (``draft``) and the draft into a service call (``writer``: a plain
function of session and user, run on the write worker, touching no widget). Saving shows
the service's messages next to the fields; closing with unsaved changes asks first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.confirm import ask_to_discard
from cope_desktop.ui.record.context import RecordContext
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.field_errors import FieldErrors
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import (
    BusyBar,
    BusyGuard,
    InlineMessage,
    dialog_buttons,
    form_layout,
    heading,
)

Writer = Callable[[Session, CurrentUser], Any]


class _CheckedOnly(Exception):
    """Rolls back a save that was only a check (the form had problems of its own)."""


EDITOR_WIDTH = 600


def text_box(parent: QWidget, lines: int = 4) -> QPlainTextEdit:
    """A text box several lines high, where Tab moves on to the next field."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    height = box.fontMetrics().lineSpacing() * lines + 16
    if lines <= 4:
        box.setFixedHeight(height)
    else:
        box.setMinimumHeight(height)
    box.setMinimumWidth(320)
    return box


def line_edit(parent: QWidget, characters: int = 28) -> QLineEdit:
    """A one-line field about ``characters`` wide (it grows with the font)."""
    field = QLineEdit(parent)
    field.setMinimumWidth(field.fontMetrics().averageCharWidth() * characters)
    return field


def fit_placeholder(field: QLineEdit) -> None:
    """Make a field wide enough to show its example text whole."""
    text = field.placeholderText()
    if text and field.maximumWidth() > field.minimumWidth():
        field.ensurePolished()
        wanted = field.fontMetrics().horizontalAdvance(text) + 40
        field.setMinimumWidth(min(max(field.minimumWidth(), wanted), field.maximumWidth()))


def record_form(parent: QWidget | None = None) -> QFormLayout:
    """The shared form layout, with each label level with its field's first line.

    Labels are as tall as a one-line field and sit at the top of their row, so that a
    message shown under a field, or a taller field, does not move the label down.
    """
    form = form_layout(parent)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return form


def widget_state(root: QWidget) -> tuple[Hashable, ...]:
    """What the person can change in ``root``, to tell whether anything was changed."""
    state: list[Hashable] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            state.append(widget.text())
        elif isinstance(widget, QComboBox):
            state.append(widget.currentIndex())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QPlainTextEdit):
            state.append(widget.toPlainText())
    return tuple(state)


class FormDialog(BusyGuard, QDialog):
    """A dialog with a heading, a scrolling form, messages, Save and Cancel.

    Subclasses call ``finish_setup`` at the end of their constructor.
    """

    saved = Signal(object)
    """The service's answer (usually the saved record's id)."""

    def __init__(self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self.runner = runner
        self._busy = False
        self._loaded = True
        self._leaving = False
        self._initial: tuple[Hashable, ...] = ()
        self._labels: list[tuple[QLabel, str]] = []
        self._dates: list[tuple[str, DateField]] = []
        self._one_line = 0
        self._shown = False
        self._local: list[FieldProblem] = []
        self.title = heading(self)
        self.message = InlineMessage(self)
        self.errors = FieldErrors(self.message, self)
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(2, 2, 12, 2)
        self.body_layout.setSpacing(14)
        self.form = record_form()
        self.body_layout.addLayout(self.form)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.body)
        self.scroll_area.viewport().setAutoFillBackground(False)
        self.body.setAutoFillBackground(False)
        self.busy = BusyBar(self)
        self.buttons, self.save_button, self.cancel_button = dialog_buttons(self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)

    # --- building the form -------------------------------------------------------------------

    def add_row(
        self,
        text: str,
        names: str | tuple[str, ...],
        field: QWidget,
        form: QFormLayout | None = None,
    ) -> QLabel:
        """Add "label: field" with room for the field's message; ``text`` is an N_ string."""
        label = self._label(text, field)
        (form or self.form).addRow(label, self.errors.wrap(names, field))
        if isinstance(field, DateField):
            self._dates.append((names if isinstance(names, str) else names[0], field))
        return label

    def add_plain_row(
        self, text: str, field: QWidget, buddy: QWidget, form: QFormLayout | None = None
    ) -> QLabel:
        """Add "label: field" where ``field`` holds wrapped fields of its own."""
        label = self._label(text, buddy)
        (form or self.form).addRow(label, field)
        return label

    def _label(self, text: str, field: QWidget) -> QLabel:
        """A label level with the first line of its field, even when a message shows below."""
        label = QLabel(self.body)
        label.setBuddy(field)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        field.ensurePolished()
        height = min(field.sizeHint().height(), self._line_height())
        label.setMinimumHeight(height)
        label.setMaximumHeight(height)
        self._labels.append((label, text))
        return label

    def _line_height(self) -> int:
        if not self._one_line:
            probe = QLineEdit()
            probe.ensurePolished()
            self._one_line = probe.sizeHint().height()
        return self._one_line

    def remember_label(self, label: QLabel, text: str) -> None:
        """Translate ``label`` with the form's other labels (``text`` is an N_ string)."""
        self._labels.append((label, text))

    def finish_setup(self) -> None:
        self.body_layout.addStretch(1)
        self._buttons_last()
        self.retranslate()
        follow_language(self.retranslate)
        self.mark_saved()
        self.fit_to_contents()

    def _buttons_last(self) -> None:
        """Tab goes through the form in its order, then to Save and Cancel."""
        fields: list[QWidget] = []
        widget: QWidget | None = self.nextInFocusChain()
        while widget is not None and widget is not self and len(fields) < 2000:
            if self.body.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                fields.append(widget)
            widget = widget.nextInFocusChain()
        for first, second in itertools.pairwise([*fields, self.save_button, self.cancel_button]):
            QWidget.setTabOrder(first, second)
        if fields:
            fields[0].setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            # Sizes are right only once the style sheet and fonts apply: fit on first show.
            self._shown = True
            for field in self.body.findChildren(QLineEdit):
                fit_placeholder(field)
            self.fit_to_contents()

    def fit_to_contents(self) -> None:
        self.body.adjustSize()
        wanted = self.body.sizeHint()
        screen = self.screen().availableGeometry()
        width = min(max(EDITOR_WIDTH, wanted.width() + 80), screen.width() - 40)
        chrome = self.sizeHint().height() - self.scroll_area.sizeHint().height()
        height = min(wanted.height() + chrome + 24, screen.height() - 60)
        self.resize(width, max(height, 320))

    def retranslate(self) -> None:
        for label, text in self._labels:
            label.setText(_(text))
        # One label column for the whole dialog, also across its groups.
        width = max((label.sizeHint().width() for label, _text in self._labels), default=0)
        for label, _text in self._labels:
            label.setMinimumWidth(width)
        self.save_button.setText(_("&Save"))
        self.cancel_button.setText(_("Cancel"))
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        for field in self.body.findChildren(QLineEdit):
            fit_placeholder(field)

    # --- changes -------------------------------------------------------------------------------

    def extra_state(self) -> Hashable:
        """State kept outside the widgets (pending list changes); part of "is it changed"."""
        return None

    def state(self) -> tuple[Hashable, ...]:
        return (*widget_state(self.body), self.extra_state())

    def mark_saved(self) -> None:
        self._initial = self.state()

    def is_dirty(self) -> bool:
        return self.state() != self._initial

    # --- saving ----------------------------------------------------------------------------

    def local_problems(self) -> list[FieldProblem]:
        """Problems found before asking the service: dates that cannot be read."""
        return [
            FieldProblem(name, problem)
            for name, field in self._dates
            if (problem := field.problem()) is not None and field.isVisibleTo(self)
        ]

    def draft(self) -> Any:
        raise NotImplementedError

    def writer(self, draft: Any) -> Writer:
        raise NotImplementedError

    def save(self) -> None:
        """Save through the service; every problem is shown next to its field.

        Problems the form finds itself (a date that cannot be read) are shown together with
        the service's: the service then checks the rest and its work is rolled back.
        """
        if self._busy or not self._loaded:
            return
        local = self.local_problems()
        self._local = local
        self.errors.clear()
        write = self.writer(self.draft())
        db, user = self.signed_in.db, self.signed_in.user

        def job() -> Any:
            try:
                with db.session() as session:
                    result = write(session, user)
                    if local:
                        raise _CheckedOnly
            except _CheckedOnly:
                return _CheckedOnly
            return result

        self.set_busy(True)
        self.runner.run(job, self._saved, self._failed, context=self, writes=True)

    def _saved(self, result: object) -> None:
        self.set_busy(False)
        if result is _CheckedOnly:
            self.errors.show(self._local)
            return
        self._leaving = True
        self.saved.emit(result)
        self.accept()

    def _failed(self, failure: TaskFailure) -> None:
        self.set_busy(False)
        if isinstance(failure.error, ValidationFailed) and failure.error.problems:
            mine = {problem.field for problem in self._local}
            others = [p for p in failure.error.problems if not p.field or p.field not in mine]
            self.errors.show([*self._local, *others])
        elif self._local:
            self.errors.show(self._local)
        else:
            self.errors.clear()
            self.message.show_error(failure.message)

    def load_first(
        self, read: Callable[[], Any], loaded: Callable[[Any], None], *, writes: bool = False
    ) -> None:
        """Read what the form needs (choices, the record) in the background.

        Until it has arrived the form is busy and cannot be saved; if it fails, the form says why.
        """
        self._loaded = False
        self.set_busy(True)

        def done(result: Any) -> None:
            self._loaded = True
            self.set_busy(False)
            loaded(result)

        self.runner.run(read, done, self._not_loaded, context=self, writes=writes)

    def _not_loaded(self, failure: TaskFailure) -> None:
        self.set_busy(False)
        self.body.setEnabled(False)
        self.save_button.setEnabled(False)
        self.message.show_error(failure.message)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.body.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        if not busy:
            self.errors.clear()

    @property
    def saving(self) -> bool:
        return self._busy

    # --- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        if self._busy:
            return
        if self._leaving or not self.is_dirty():
            super().reject()
            return
        if self.findChild(QWidget, "question") is None:
            ask_to_discard(self, self.discard)

    def discard(self) -> None:
        """Close without saving and without asking."""
        self._leaving = True
        self.reject()


class RecordEditor(FormDialog):
    """An editor of one part of one family's record."""

    def __init__(self, context: RecordContext, parent: QWidget | None) -> None:
        super().__init__(context.signed_in, context.runner, parent)
        self.context = context
