"""The services' messages shown next to the fields they are about.

A service refuses a record with ``ValidationFailed``: one ``FieldProblem(field, message)`` per
broken rule, ``field`` being the draft's attribute name. A form registers each of its widgets
under those names; ``FieldErrors.show`` puts every message in a red line under its field,
sends the rest (field ``""`` or a field the form does not show) to the message at the top,
and moves the focus to the first broken field in the order of the form.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from cope_desktop.errors import FieldProblem
from cope_desktop.ui.widgets import InlineMessage, set_state

MESSAGE_WIDTH = 300


class _Field:
    __slots__ = ("label", "names", "widget")

    def __init__(self, names: tuple[str, ...], widget: QWidget, label: QLabel) -> None:
        self.names = names
        self.widget = widget
        self.label = label


def error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setObjectName("fieldError")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_state(label, "error")
    label.hide()
    return label


class FieldErrors(QObject):
    """Messages under the fields of one form, and the form's message at the top."""

    def __init__(self, top: InlineMessage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.top = top
        self._fields: list[_Field] = []

    def wrap(
        self, names: str | Iterable[str], widget: QWidget, message_width: int = MESSAGE_WIDTH
    ) -> QWidget:
        """Return ``widget`` with room for its message underneath, to put in the form.

        The field keeps its own width; the message may be wider (``message_width``), so that
        a sentence under a short date field does not wrap into a narrow column.
        """
        box = QWidget(widget.parentWidget())
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        label = error_label(box)
        label.setMinimumWidth(message_width)
        layout.addWidget(label)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box.setFocusProxy(widget)
        self.add(names, widget, label)
        return box

    def add(self, names: str | Iterable[str], widget: QWidget, label: QLabel) -> None:
        """Register a field whose message label the caller has placed itself."""
        key = (names,) if isinstance(names, str) else tuple(names)
        self._fields.append(_Field(key, widget, label))

    def rename(self, widget: QWidget, names: str | Iterable[str]) -> None:
        """Register ``widget`` under other names (a row that moved up in a list)."""
        key = (names,) if isinstance(names, str) else tuple(names)
        for field in self._fields:
            if field.widget is widget:
                field.names = key

    def forget(self, widget: QWidget) -> None:
        """Stop showing messages for ``widget`` (a row that was removed)."""
        self._fields = [field for field in self._fields if field.widget is not widget]

    def show(self, problems: Iterable[FieldProblem]) -> None:
        self.clear()
        placed: dict[int, list[str]] = {}
        elsewhere: list[str] = []
        for problem in problems:
            index = self._index(problem.field)
            if index is None:
                elsewhere.append(problem.message)
            elif problem.message not in placed.setdefault(index, []):
                placed[index].append(problem.message)
        for index, messages in placed.items():
            label = self._fields[index].label
            label.setText("\n".join(messages))
            label.show()
        if elsewhere:
            self.top.show_error("\n".join(dict.fromkeys(elsewhere)))
        if placed:
            self._fields[min(placed)].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.top.clear_message()
        for field in self._fields:
            field.label.clear()
            field.label.hide()

    def message(self, name: str) -> str:
        """The message shown under the field registered as ``name`` (empty if none)."""
        index = self._index(name)
        if index is None:
            return ""
        label = self._fields[index].label
        return label.text() if not label.isHidden() else ""

    def _index(self, name: str) -> int | None:
        """The visible field registered under ``name``; None sends the message to the top."""
        if not name:
            return None
        for index, field in enumerate(self._fields):
            if name in field.names and not field.widget.isHidden():
                return index
        return None
