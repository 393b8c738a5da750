"""Small widgets shared by the dialogs and pages (no texts of their own: callers set them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.errors import UserInputError


def set_state(widget: QWidget, state: str) -> None:
    """Set the ``state`` style property ("error", "ok", "info" or "") and restyle the widget."""
    if widget.property("state") == state:
        return
    widget.setProperty("state", state)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """Make a form with the same spacing and label alignment everywhere."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(10)
    return form


def fit_height(window: QWidget) -> None:
    """Make a window tall enough for its wrapped texts at its current width.

    Qt sizes a window from its labels' one-line size hints; text that wraps onto more lines
    (a longer translation) would otherwise squeeze the rows below it.
    """
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    needed = layout.totalHeightForWidth(window.width())
    window.setMinimumHeight(needed)
    if window.height() < needed:
        window.resize(window.width(), needed)


def heading(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("heading")
    label.setWordWrap(True)
    return label


def intro(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("intro")
    label.setWordWrap(True)
    return label


def muted(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def dialog_buttons(parent: QWidget) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """A button box with a default "accept" button and a "reject" button (texts set later)."""
    box = QDialogButtonBox(parent)
    accept, reject = QPushButton(parent), QPushButton(parent)
    accept.setDefault(True)
    box.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(reject, QDialogButtonBox.ButtonRole.RejectRole)
    return box, accept, reject


def link_button(parent: QWidget | None = None) -> QPushButton:
    """Make a button that looks like a quiet link (for secondary actions in a dialog)."""
    button = QPushButton(parent)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setAutoDefault(False)
    button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return button


class InlineMessage(QLabel):
    """A message shown inside a dialog or page, next to what it is about; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inlineMessage")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def clear_message(self) -> None:
        self.clear()
        self.hide()

    def _show(self, text: str, state: str) -> None:
        set_state(self, state)
        self.setText(text)
        self.show()


class BusyBar(QProgressBar):
    """A thin bar that moves while work runs in the background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busy")
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        # Keep the layout steady: the space is reserved, the bar only appears while busy.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()


class ElidedPathLabel(QLabel):
    """A file path shortened in the middle to fit; the full path is in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = ""
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_path(self, path: Path | str) -> None:
        self._path = str(path)
        self.setToolTip(self._path)
        self._elide()

    def path(self) -> str:
        return self._path

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._path, Qt.TextElideMode.ElideMiddle, self.width()))


class FigureCard(QFrame):
    """One figure on an overview page: a large number above a short caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.value = QLabel(self)
        self.value.setObjectName("figureValue")
        self.caption = QLabel(self)
        self.caption.setObjectName("figureCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_figure(self, value: str, caption: str) -> None:
        self.value.setText(value)
        self.caption.setText(caption)


def first_problem(*checks: Callable[[], object]) -> str | None:
    """The message of the first service check that refuses the value, or None."""
    for check in checks:
        try:
            check()
        except UserInputError as error:
            return error.message
    return None


class BusyGuard:
    """Mixed into a dialog: it cannot be closed or cancelled while its background work runs.

    The dialog sets ``self._busy``; put this class before the Qt dialog class in the bases.
    """

    _busy = False

    def reject(self) -> None:
        if not self._busy:
            super().reject()  # type: ignore[misc]

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
        else:
            super().closeEvent(event)  # type: ignore[misc]
