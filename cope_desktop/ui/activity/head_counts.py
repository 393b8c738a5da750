"""The head counts of people not on file: children and adults, written together.

Also ``plain_number_box``, the look of every number box in the activity dialogs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import attendance
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.ui.activity.attendance_writes import ChangeWriter
from cope_desktop.ui.widgets import muted

MAX_HEAD_COUNT = 10_000
HEAD_COUNT_DELAY_MS = 600
"""Arrow clicks on a head count are written together, once the person pauses."""

COUNTER_STYLE = """
QToolButton {
    background: #ffffff;
    border: 1px solid #c3cdd8;
    border-radius: 6px;
    font-weight: 600;
}
QToolButton:hover { background: #eef3f8; }
QToolButton:pressed { background: #e1e9f1; }
QToolButton:disabled { color: #9aa5b1; background: #f2f4f6; border-color: #dde2e7; }
"""


def plain_number_box(box: QSpinBox) -> None:
    """A spin box that looks like the other fields: no arrows (keys and wheel still step).

    Qt's NoButtons gives the text no room under a style sheet, so the arrows are kept and
    made zero wide instead.
    """
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
    box.setStyleSheet("QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }")
    box.lineEdit().setTextMargins(6, 0, 6, 0)


class Counter(QWidget):
    """A head count: a number box between large − and + buttons (easy to tap on a laptop)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setStyleSheet(COUNTER_STYLE)
        self.box = QSpinBox(self)
        self.box.setRange(0, MAX_HEAD_COUNT)
        plain_number_box(self.box)
        self.box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.box.setFixedWidth(self.box.fontMetrics().horizontalAdvance("00000") + 36)
        self.setFocusProxy(self.box)
        self.less = self._button("−", -1)
        self.more = self._button("+", 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.less)
        layout.addWidget(self.box)
        layout.addWidget(self.more)

    def _button(self, text: str, step: int) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoRepeat(True)
        side = self.box.sizeHint().height()
        button.setFixedSize(side, side)
        button.clicked.connect(lambda: self.box.stepBy(step))
        return button

    def retranslate(self, name: str) -> None:
        self.box.setAccessibleName(name)
        self.less.setToolTip(_("One less"))
        self.more.setToolTip(_("One more"))

    def value(self) -> int:
        return self.box.value()

    def set_value(self, value: int) -> None:
        """Show a stored count (no write follows)."""
        self.box.blockSignals(True)
        self.box.setValue(value)
        self.box.blockSignals(False)


class HeadCounts(QObject):
    """The two counters of one activity, and when what they show is written.

    A change waits for a pause (``HEAD_COUNT_DELAY_MS``); Enter, leaving the box or
    ``flush()`` (when the dialog closes) writes it at once. Both numbers go in one write.
    The widgets are made in ``group``, whose layout places ``intro`` and ``row``.
    """

    def __init__(self, group: QWidget, writer: ChangeWriter, counted: Callable[[], None]) -> None:
        super().__init__(group)
        self._writer = writer
        self._counted = counted
        self.activity_id: uuid.UUID | None = None
        self.read_only = False
        self._written = (0, 0)
        self.children_count = Counter(group)
        self.adults_count = Counter(group)
        self.intro = muted(group)
        self.children_label = QLabel(group)
        self.children_label.setBuddy(self.children_count.box)
        self.adults_label = QLabel(group)
        self.adults_label.setBuddy(self.adults_count.box)
        for counter in (self.children_count, self.adults_count):
            counter.box.valueChanged.connect(self.count_changed)
            counter.box.editingFinished.connect(self.flush)
            counter.box.installEventFilter(self)
        self.row = QHBoxLayout()
        self.row.setSpacing(8)
        self.row.addWidget(self.children_label)
        self.row.addWidget(self.children_count)
        self.row.addSpacing(20)
        self.row.addWidget(self.adults_label)
        self.row.addWidget(self.adults_count)
        self.row.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(HEAD_COUNT_DELAY_MS)
        self.timer.timeout.connect(self.flush)

    def retranslate(self) -> None:
        self.intro.setText(
            _("Count here the people who are not on file, or whose family has not consented.")
        )
        self.children_label.setText(_("C&hildren not on file:"))
        self.adults_label.setText(_("Adu&lts not on file:"))
        self.children_count.retranslate(_("Children not on file"))
        self.adults_count.retranslate(_("Adults not on file"))

    def show_activity(self, detail: ActivityDetail) -> None:
        """Show the stored counts of ``detail`` (no write follows)."""
        self.activity_id = detail.id
        self.read_only = detail.archived
        self._written = (detail.anonymous_children, detail.anonymous_adults)
        self.children_count.set_value(detail.anonymous_children)
        self.adults_count.set_value(detail.anonymous_adults)

    def set_enabled(self, enabled: bool) -> None:
        self.children_count.setEnabled(enabled)
        self.adults_count.setEnabled(enabled)

    def values(self) -> tuple[int, int]:
        return self.children_count.value(), self.adults_count.value()

    @property
    def pending(self) -> bool:
        """True while a change waits for the pause before it is written."""
        return self.timer.isActive()

    def count_changed(self, _value: int) -> None:
        self._counted()
        self.timer.start()

    def flush(self) -> None:
        """Write the head counts now if they changed (when the dialog closes, for one)."""
        self.timer.stop()
        counts = self.values()
        if self.activity_id is None or counts == self._written or self.read_only:
            return
        activity_id, before = self.activity_id, self._written
        self._written = counts

        def change(session: Session, user: CurrentUser) -> None:
            attendance.set_head_counts(session, user, activity_id, *counts)

        def undo() -> None:
            if self._written == counts:
                self._written = before

        self._writer.write(change, lambda: None, undo=undo)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a count writes both counts (never the dialog's Save)."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched in (self.children_count.box, self.adults_count.box) and enter:
            self.flush()
            return True
        return super().eventFilter(watched, event)
