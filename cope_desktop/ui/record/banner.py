"""A coloured box across the family window: what is special about the record, what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

BANNER_STYLES = {
    "warning": ("#fff8e6", "#ecd9a6", "#5c4300"),
    "info": ("#edf4fb", "#c7d9ec", "#1b3a5c"),
}


class Banner(QFrame):
    """A coloured box across the window: what is special about this record, and what to do."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        background, border, colour = BANNER_STYLES[kind]
        self.setObjectName(f"{kind}Banner")
        self.setStyleSheet(
            f"QFrame#{kind}Banner {{ background: {background}; border: 1px solid {border};"
            f" border-radius: 8px; }}"
            f" QFrame#{kind}Banner QLabel {{ background: transparent; border: none;"
            f" color: {colour}; }}"
        )
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.setAutoDefault(False)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self.title)
        texts.addWidget(self.text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(16)
        layout.addLayout(texts, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()
