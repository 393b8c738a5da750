"""A head count with large "−" and "+" buttons, for people who are not on file."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cope_desktop.i18n import format_number
from cope_desktop.ui.language import follow_language

BUTTON_SIZE = 56


class HeadCounter(QFrame):
    """Emits ``step_requested(+1 or -1)``; the window decides and calls ``set_value``."""

    step_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickCounter")
        self._value = 0
        self.caption = QLabel(self)
        self.caption.setObjectName("quickCaption")
        self.caption.setWordWrap(True)
        self.value_label = QLabel("0", self)
        self.value_label.setObjectName("quickFigure")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value_label.setMinimumWidth(64)
        self.minus = self._button("−", -1)
        self.plus = self._button("+", +1)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.minus)
        row.addWidget(self.value_label, 1)
        row.addWidget(self.plus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.caption)
        layout.addLayout(row)
        follow_language(self.retranslate)

    def _button(self, text: str, step: int) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("quickStep")
        button.setFixedSize(BUTTON_SIZE, BUTTON_SIZE)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)
        button.setAutoRepeat(True)
        button.setAutoRepeatDelay(500)
        button.setAutoRepeatInterval(200)
        button.clicked.connect(lambda: self.step_requested.emit(step))
        return button

    def value(self) -> int:
        return self._value

    def set_value(self, value: int) -> None:
        self._value = value
        self.value_label.setText(format_number(value))
        self.minus.setEnabled(value > 0)

    def set_texts(self, caption: str, less: str, more: str) -> None:
        """The caption, and what the two buttons do (for tooltips and screen readers)."""
        self.caption.setText(caption)
        self.minus.setToolTip(less)
        self.minus.setAccessibleName(less)
        self.plus.setToolTip(more)
        self.plus.setAccessibleName(more)
        self.value_label.setAccessibleName(caption)

    def retranslate(self) -> None:
        """Numbers follow the language's format; the texts are set by the window."""
        self.set_value(self._value)
