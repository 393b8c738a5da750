"""A child's feedback: three large faces to tap, and the quote dialog.

``FaceButtons`` is the one widget for the three-face scale, used in the activity editor and
in quick attendance::

    faces = FaceButtons(parent)                  # faces only; captions=True adds the words
    faces.set_rating(Rating.POSITIVE)            # show a stored rating (emits nothing)
    faces.rating_changed.connect(on_rating)      # Rating | None, only when the person acts
    faces.rating()                               # what is shown now

The person taps a face (tapping the chosen face again keeps it: children tap twice), or,
with the widget focused, presses 1, 2 or 3 (happy, so-so, unhappy) or 0 to clear; the small
× next to the faces clears too. The faces are drawn, so they look the same on every system
(no emoji font needed), and differ by shape as well as colour.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.db.enums import Rating
from cope_desktop.i18n import N_, _, country_name
from cope_desktop.labels import label
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import attendance
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.editor_base import FormDialog, Writer, text_box
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import muted

FACES: tuple[Rating, ...] = (Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE)
"""Left to right, and the keys 1, 2, 3."""

COLOURS = {
    Rating.POSITIVE: ("#2f7a5f", "#dcf0e6"),
    Rating.NEUTRAL: ("#a8741a", "#fbefd3"),
    Rating.NEGATIVE: ("#a8473a", "#f8e0dc"),
}
"""Line and fill of each face once chosen; faces not chosen are grey."""
GREY = ("#7d8a97", "#ffffff")
ACCENT = "#3d6fa3"

KEYS = {
    Qt.Key.Key_1: Rating.POSITIVE,
    Qt.Key.Key_2: Rating.NEUTRAL,
    Qt.Key.Key_3: Rating.NEGATIVE,
}
CLEAR_KEYS = (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

STYLE = """
QToolButton#face {
    background: #ffffff;
    border: 2px solid #dfe5eb;
    border-radius: 12px;
    padding: 4px;
}
QToolButton#face:hover { background: #eef3f8; }
QToolButton#face:disabled { background: #f2f4f6; }
QToolButton#face[rating="positive"]:checked { background: #dcf0e6; border-color: #2f7a5f; }
QToolButton#face[rating="neutral"]:checked { background: #fbefd3; border-color: #a8741a; }
QToolButton#face[rating="negative"]:checked { background: #f8e0dc; border-color: #a8473a; }
QToolButton#clearRating {
    border: none;
    background: transparent;
    color: #5b6875;
    font-weight: 600;
    padding: 2px 4px;
}
QToolButton#clearRating:hover { color: #1b3a5c; }
"""


def draw_face(painter: QPainter, rating: Rating, box: QRectF, line: str, fill: str) -> None:
    """A round face in ``box``: a smile, a straight mouth or a frown."""
    width = box.width() / 14
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(line), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(QColor(fill))
    inset = width / 2 + 0.5
    painter.drawEllipse(box.adjusted(inset, inset, -inset, -inset))

    def at(x: float, y: float) -> QPointF:
        return QPointF(box.left() + x * box.width(), box.top() + y * box.height())

    painter.setBrush(QColor(line))
    eye = box.width() * 0.065
    for x in (0.36, 0.64):
        painter.drawEllipse(at(x, 0.4), eye, eye)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if rating == Rating.POSITIVE:
        mouth = QRectF(at(0.29, 0.36), at(0.71, 0.74))
        painter.drawArc(mouth, 205 * 16, 130 * 16)
    elif rating == Rating.NEGATIVE:
        mouth = QRectF(at(0.3, 0.63), at(0.7, 0.95))
        painter.drawArc(mouth, 30 * 16, 120 * 16)
    else:
        painter.drawLine(at(0.34, 0.68), at(0.66, 0.68))


def face_icon(rating: Rating, side: int, ratio: float = 1.0) -> QIcon:
    """The face grey when not chosen (Off) and in its colour when chosen (On)."""
    icon = QIcon()
    for state, (line, fill) in (
        (QIcon.State.Off, GREY),
        (QIcon.State.On, COLOURS[rating]),
    ):
        pixmap = QPixmap(round(side * ratio), round(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        draw_face(painter, rating, QRectF(0, 0, side, side), line, fill)
        painter.end()
        icon.addPixmap(pixmap, QIcon.Mode.Normal, state)
    return icon


class FaceButtons(QWidget):
    """Three faces, happy / so-so / unhappy, one of which may be chosen.

    ``rating_changed(object)`` carries the new ``Rating`` or None; it is emitted only when the
    person changes the rating (a tap, a key, the × button), never by ``set_rating``, so a
    screen can show stored ratings without writing them back.
    """

    rating_changed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        side: int | None = None,
        captions: bool = False,
        clearable: bool = True,
    ) -> None:
        """``side`` is the faces' size in pixels (default: grows with the font, >= 32)."""
        super().__init__(parent)
        self._rating: Rating | None = None
        self.setObjectName("faceButtons")
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._side = side or max(32, round(self.fontMetrics().height() * 1.9))
        self._buttons: dict[Rating, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(6)
        for rating in FACES:
            button = QToolButton(self)
            button.setObjectName("face")
            button.setProperty("rating", rating.value)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setIcon(face_icon(rating, self._side, self.devicePixelRatioF()))
            button.setIconSize(QSize(self._side, self._side))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            if captions:
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.clicked.connect(lambda _checked=False, r=rating: self._tapped(r))
            layout.addWidget(button)
            self._buttons[rating] = button
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearRating")
        self.clear_button.setText("×")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.clicked.connect(lambda: self._choose(None))
        policy = self.clear_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.clear_button.setSizePolicy(policy)
        self.clear_button.setVisible(False)
        self._clearable = clearable
        if clearable:
            layout.addWidget(self.clear_button)
        else:
            self.clear_button.hide()
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        for number, (rating, button) in enumerate(self._buttons.items(), 1):
            name = label(rating)
            button.setText(name)
            button.setAccessibleName(name)
            button.setToolTip(_("{face} (key {number})").format(face=name, number=number))
        self.clear_button.setToolTip(_("Clear the rating (key 0)"))
        self.clear_button.setAccessibleName(_("Clear the rating"))

    # --- value -------------------------------------------------------------------------------

    def rating(self) -> Rating | None:
        return self._rating

    def set_rating(self, rating: Rating | None) -> None:
        """Show ``rating`` (None: no face chosen) without emitting ``rating_changed``."""
        self._rating = rating
        for face, button in self._buttons.items():
            button.setChecked(face == rating)
        self.clear_button.setVisible(self._clearable and rating is not None)

    def button(self, rating: Rating) -> QToolButton:
        """The button of one face (for tests and for screens that label it further)."""
        return self._buttons[rating]

    # --- the person's actions ----------------------------------------------------------------

    def _tapped(self, rating: Rating) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._choose(rating)

    def _choose(self, rating: Rating | None) -> None:
        changed = rating != self._rating
        self.set_rating(rating)
        if changed:
            self.rating_changed.emit(rating)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self._choose(KEYS[Qt.Key(key)])
        elif key in CLEAR_KEYS and self._clearable:
            self._choose(None)
        else:
            super().keyPressEvent(event)

    # --- focus ring ------------------------------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(ACCENT), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 12, 12)
            painter.end()


class QuoteDialog(FormDialog):
    """What the child said about the activity, and whether it may be published.

    Saved with the child's rating through ``attendance.set_feedback``; ``saved`` carries
    ``(quote, approved)`` as stored.
    """

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        parent: QWidget | None,
        *,
        activity_id: uuid.UUID,
        child_id: uuid.UUID,
        child_name: str,
        rating: Rating,
        quote: str | None,
        approved: bool,
        age_band: str | None,
        country: str | None,
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.setObjectName("quoteDialog")
        self._ids = (activity_id, child_id)
        self._rating = rating
        self._child_name = child_name
        self._age_band = age_band
        self._country = country
        body = self.body
        self.quote = text_box(body, 5)
        self.add_row(N_("&Quote:"), "quote", self.quote)
        self.approved = QCheckBox(body)
        self.add_row(N_("Publication:"), "quote_approved", self.approved)
        self.published_note = muted(body)
        self.form.addRow(self.published_note)
        self.quote.setPlainText(quote or "")
        self.approved.setChecked(approved)
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Quote from {name}").format(name=self._child_name))
        self.title.setText(self.windowTitle())
        self.quote.setPlaceholderText(_("What the child said, in their own words"))
        self.approved.setText(_("Approved for publication"))
        band = self._age_band or _("age not known")
        country = country_name(self._country) if self._country else ""
        if country:
            what = _("the child's age band ({band}) and country ({country})").format(
                band=band, country=country
            )
        else:
            what = _("the child's age band ({band}) and country").format(band=band)
        self.published_note.setText(
            _(
                "Tick the box only if the child and their caregiver agreed. A published quote "
                "is shown with {what} only: never a name or anything else about the child."
            ).format(what=what)
        )
        self.save_button.setText(_("&Save the quote"))

    def draft(self) -> tuple[str | None, bool]:
        text = self.quote.toPlainText().strip()
        return (text or None), self.approved.isChecked()

    def writer(self, draft: tuple[str | None, bool]) -> Writer:
        (activity_id, child_id), rating = self._ids, self._rating
        quote, approved = draft

        def write(session: Session, user: CurrentUser) -> tuple[str | None, bool]:
            attendance.set_feedback(
                session,
                user,
                activity_id,
                child_id,
                rating,
                quote=quote,
                quote_approved=approved,
            )
            return quote, approved

        return write
