"""One person on the quick attendance list, and the heading of each family.

A row is large enough to tap: the whole row ticks or unticks the person, and a child's row
has the face buttons. The row only asks (signals); the window decides, saves and then shows
the new state with ``show_mark``.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.i18n import _
from cope_desktop.services.activities.views import Attendee
from cope_desktop.ui.activity.feedback_widget import FaceButtons
from cope_desktop.ui.activity.quick_state import Key, Mark
from cope_desktop.ui.language import follow_language

ROW_HEIGHT = 3.0
"""A row's height, in lines of its text."""


def restyle(widget: QWidget, name: str, value: bool) -> None:
    """Set a boolean style property and let the style sheet look at it again."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def kind_text(kind: AttendeeKind) -> str:
    if kind == AttendeeKind.CHILD:
        return _("Child")
    if kind == AttendeeKind.CAREGIVER:
        return _("Caregiver")
    return _("Imprisoned relative")


def age_text(band: str | None) -> str:
    if band is None:
        return _("age not known")
    return _("{band} years").format(band=band.replace("-", "–"))


def detail_text(attendee: Attendee) -> str:
    """What tells two people with the same name apart: "Child · 5–9 years · C-000012"."""
    parts = [kind_text(attendee.kind)]
    if attendee.kind == AttendeeKind.CHILD:
        parts.append(age_text(attendee.age_band))
    if attendee.reference and attendee.reference != attendee.name:
        parts.append(attendee.reference)
    return " · ".join(parts)


def flag_text(attendee: Attendee) -> str:
    """Why this person cannot simply be ticked, or the empty string."""
    if attendee.archived:
        return _("Archived: not counted")
    if not attendee.data_consent:
        return _("No data consent: count in the head count")
    return ""


class FamilyHeading(QLabel):
    """The family reference above its members."""

    def __init__(self, family_reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickFamily")
        self.family_reference = family_reference
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.setText(_("Family {reference}").format(reference=self.family_reference))


class PersonRow(QFrame):
    """A large check box with the person's name; for a child, the three faces."""

    toggle_requested = Signal(object, bool)
    """(key, present)"""
    rating_requested = Signal(object, object)
    """(key, Rating or None)"""
    pressed = Signal(object)
    """(key): the row was touched, it becomes the current row."""

    def __init__(self, mark: Mark, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickRow")
        self.key: Key = mark.key
        self.mark = mark
        self.check = QCheckBox(self)
        self.check.setObjectName("quickCheck")
        self.check.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check.clicked.connect(self._check_clicked)
        self.name = QLabel(self)
        self.name.setObjectName("quickName")
        self.detail = QLabel(self)
        self.detail.setProperty("role", "muted")
        self.flag = QLabel(self)
        self.flag.setObjectName("quickFlag")
        self.faces: FaceButtons | None = None
        details = QHBoxLayout()
        details.setSpacing(14)
        details.addWidget(self.detail)
        details.addWidget(self.flag)
        details.addStretch(1)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.name)
        texts.addLayout(details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 6)
        layout.setSpacing(16)
        layout.addWidget(self.check)
        layout.addLayout(texts, 1)
        # Every row as tall as a child's row with its faces: one size of target to tap.
        layout.addStrut(round(self.fontMetrics().height() * ROW_HEIGHT))
        if mark.attendee.kind == AttendeeKind.CHILD:
            self.faces = FaceButtons(self)
            self.faces.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.faces.rating_changed.connect(self._face_tapped)
            layout.addWidget(self.faces)
        self.check.setEnabled(mark.editable)
        self.show_mark(mark)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        attendee = self.mark.attendee
        self.name.setText(attendee.name)
        self.detail.setText(detail_text(attendee))
        self.flag.setText(flag_text(attendee))
        self.flag.setVisible(bool(self.flag.text()))
        self.check.setAccessibleName(
            _("{name} is here").format(name=attendee.name) if attendee.name else _("Here")
        )

    def show_mark(self, mark: Mark) -> None:
        """Show the tick and the face without asking for them again."""
        self.mark = mark
        with QSignalBlocker(self.check):
            self.check.setChecked(mark.present)
        restyle(self, "present", mark.present)
        if self.faces is not None:
            with QSignalBlocker(self.faces):
                self.faces.set_rating(mark.rating)
            self.faces.setEnabled(mark.editable)

    def set_current(self, current: bool) -> None:
        restyle(self, "current", current)

    def toggle(self) -> None:
        if self.mark.editable:
            self.toggle_requested.emit(self.key, not self.mark.present)

    def rate(self, rating: Rating | None) -> None:
        if self.faces is not None and self.mark.editable:
            self.rating_requested.emit(self.key, rating)

    def _check_clicked(self, checked: bool) -> None:
        self.pressed.emit(self.key)
        self.toggle_requested.emit(self.key, checked)

    def _face_tapped(self, rating: Rating | None) -> None:
        self.pressed.emit(self.key)
        self.rate(rating)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # so that the release comes back to this row
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap anywhere on the row (but the faces) ticks or unticks the person."""
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.pressed.emit(self.key)
            self.toggle()
            event.accept()
            return
        super().mouseReleaseEvent(event)
