"""A scroll area for the long part of a page, on the page's own background."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

CONTENT_NAME = "pageScrollContent"
"""Give the widget put in the area this object name, so it keeps the page's background."""
STYLE = (
    "QScrollArea#pageScroll, QWidget#pageScrollViewport, QWidget#pageScrollContent"
    " { background: transparent; }"
)


def page_scroll(parent: QWidget) -> QScrollArea:
    """A frameless area that scrolls vertically and fits its content to its width."""
    scroll = QScrollArea(parent)
    scroll.setObjectName("pageScroll")
    scroll.viewport().setObjectName("pageScrollViewport")
    scroll.setStyleSheet(STYLE)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
