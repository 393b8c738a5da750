"""Small widgets of the Network window: the empty state to drop files on, and the file list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from cope_desktop.ui.widgets import muted

DROP_STYLE = (
    "QFrame#dropZone { background: #ffffff; border: 2px dashed #b8c4d0; border-radius: 12px; }"
    ' QFrame#dropZone[dragging="true"] { border-color: #3d6fa3; background: #edf4fb; }'
    " QFrame#dropZone QLabel { background: transparent; border: none; }"
)


def local_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files and folders a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DropZone(QFrame):
    """The empty state: what to drop here, and the buttons to add files instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setStyleSheet(DROP_STYLE)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = muted(self)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(12)
        layout.addStretch(1)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text, 4)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def set_dragging(self, dragging: bool) -> None:
        self.setProperty("dragging", dragging)
        self.style().unpolish(self)
        self.style().polish(self)


class FileTable(QTableView):
    """The validation list; Delete or Backspace asks to take the selected files off it."""

    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)
