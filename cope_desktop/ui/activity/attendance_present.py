"""The people on file who were at the activity: one row each, in a grid that scrolls.

People whose record or family is archived stay in the list, struck through and marked
"(archived)".
"""

from __future__ import annotations

import html
import uuid
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.i18n import _
from cope_desktop.services.activities.views import ActivityDetail, Attendee
from cope_desktop.ui.activity.attendance_people import (
    MUTED,
    Feedback,
    PersonKey,
    key_of,
    kind_text,
    sort_key,
)
from cope_desktop.ui.activity.feedback_widget import FaceButtons
from cope_desktop.ui.widgets import link_button, muted

VISIBLE_ROWS = 8
"""The list of people present is this many rows high before it scrolls."""


class RowActions(Protocol):
    """What the buttons of a row ask for."""

    def rate(self, person: Attendee, rating: Rating | None) -> None: ...

    def edit_quote(self, person: Attendee) -> None: ...

    def ask_to_remove(self, person: Attendee) -> None: ...


class PresentRow:
    """One person present: who, and for a child the faces and the quote."""

    def __init__(self, actions: RowActions, person: Attendee, parent: QWidget) -> None:
        self.person = person
        self.label = QLabel(parent)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        # Two lines and some air: rows without faces are nearly as tall as those with.
        self.label.setMinimumHeight(self.label.fontMetrics().lineSpacing() * 2 + 14)
        self.faces: FaceButtons | None = None
        self.quote: QPushButton | None = None
        if person.kind == AttendeeKind.CHILD:
            self.faces = FaceButtons(parent)
            self.faces.setEnabled(not person.archived)
            self.faces.rating_changed.connect(lambda rating: actions.rate(person, rating))
            self.quote = QPushButton(parent)
            self.quote.setAutoDefault(False)
            self.quote.clicked.connect(lambda: actions.edit_quote(person))
        self.remove = link_button(parent)
        self.remove.clicked.connect(lambda: actions.ask_to_remove(person))

    @property
    def widgets(self) -> list[QWidget | None]:
        return [self.label, self.faces, self.quote, self.remove]

    def retranslate(self, feedback: Feedback | None) -> None:
        person = self.person
        name = html.escape(person.name)
        details = html.escape(
            _("{kind}  ·  family {family}").format(
                kind=kind_text(person), family=person.family_reference
            )
        )
        if person.archived:
            name = html.escape(_("{name} (archived)").format(name=person.name))
            self.label.setText(
                f'<span style="color:{MUTED.name()}"><s>{name}</s><br/><s>{details}</s></span>'
            )
            self.label.setToolTip(_("This person or their family is archived: not counted."))
        else:
            self.label.setText(f'{name}<br/><span style="color:#5b6875">{details}</span>')
            self.label.setToolTip(_("Reference {reference}").format(reference=person.reference))
        self.remove.setText(_("Remove"))
        self.remove.setAccessibleName(_("Remove {name}").format(name=person.name))
        if self.faces is not None:
            self.faces.setAccessibleName(_("How {name} felt").format(name=person.name))
            self.faces.set_rating(feedback.rating if feedback else None)
        if self.quote is not None:
            self.show_quote(feedback)

    def show_quote(self, feedback: Feedback | None) -> None:
        if self.quote is None:
            return
        has_quote = feedback is not None and bool(feedback.quote)
        self.quote.setText(_("Quote ✓") if has_quote else _("Quote…"))
        self.quote.setEnabled(feedback is not None and not self.person.archived)
        if feedback is None:
            self.quote.setToolTip(_("Choose a face first: the quote is kept with it."))
        elif has_quote:
            state = (
                _("Approved for publication.")
                if feedback.approved
                else _("Not approved for publication.")
            )
            self.quote.setToolTip(f"“{feedback.quote}”\n{state}")
        else:
            self.quote.setToolTip(_("Write down what the child said."))


class PresentList:
    """Who is present as stored, their children's feedback, and the rows that show them.

    The widgets are made in ``group``, whose layout places ``area`` and ``empty``; ``owner``
    (the attendance part) lends its font to size the group.
    """

    def __init__(self, owner: QWidget, group: QWidget, actions: RowActions) -> None:
        self._owner = owner
        self.group = group
        self._actions = actions
        self.present: dict[PersonKey, Attendee] = {}
        self.feedback: dict[uuid.UUID, Feedback] = {}
        self.rows: dict[PersonKey, PresentRow] = {}
        self.read_only = False
        self._stacked = False
        self.box = QWidget()
        self.grid = QGridLayout(self.box)
        self.grid.setContentsMargins(0, 0, 8, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.area = QScrollArea(group)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setWidget(self.box)
        # After setWidget, which turns it on: the group's white shows through.
        self.box.setAutoFillBackground(False)
        self.area.viewport().setAutoFillBackground(False)
        self.area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.empty = muted(group)

    def retranslate(self) -> None:
        self.empty.setText(_("Nobody on file is marked as present yet. Add people below."))
        for key, row in self.rows.items():
            row.retranslate(self.feedback.get(key[1]) if key[0] == AttendeeKind.CHILD else None)

    def show_activity(self, detail: ActivityDetail) -> None:
        """Take the stored attendance of ``detail`` (``rebuild()`` shows it)."""
        self.read_only = detail.archived
        self.present = {
            key_of(person): person
            for person in sorted(detail.attendees, key=sort_key)
            if person.present
        }
        self.feedback = {
            view.child_id: Feedback(view.rating, view.quote, view.quote_approved)
            for view in detail.feedback
            if view.child_id is not None
        }

    def mark(self, person: Attendee, present: bool) -> None:
        """Note a stored change of presence; a child's feedback goes with their attendance."""
        key = key_of(person)
        if present:
            self.present[key] = replace(person, present=True)
        else:
            self.present.pop(key, None)
            self.feedback.pop(person.person_id, None)

    def rebuild(self) -> None:
        for row in self.rows.values():
            for widget in row.widgets:
                if widget is not None:
                    self.grid.removeWidget(widget)
                    widget.deleteLater()
        self.rows = {}
        top = Qt.AlignmentFlag.AlignVCenter
        for number, (key, person) in enumerate(sorted(self.present.items(), key=_by_person)):
            row = PresentRow(self._actions, person, self.box)
            self.rows[key] = row
            for column, widget in enumerate(row.widgets):
                if widget is not None:
                    self.grid.addWidget(widget, number, column, top)
            if row.remove is not None and self.read_only:
                row.remove.hide()
            if row.faces is not None and self.read_only:
                row.faces.setEnabled(False)
            row.retranslate(self.feedback.get(person.person_id) if row.faces else None)
            if row.quote is not None and self.read_only:
                row.quote.setEnabled(False)
        self.grid.setColumnStretch(0, 1)
        self.grid.setRowStretch(len(self.present), 1)
        self.area.setVisible(bool(self.present))
        self.empty.setVisible(not self.present)
        self.fit_height()
        # New rows are laid out only on the next turn of the event loop: measure again then,
        # or the grid is measured as empty and the area shrinks to a few pixels.
        QTimer.singleShot(0, self.box, self.fit_height)

    def show_feedback(self, person: Attendee, feedback: Feedback | None) -> None:
        row = self.rows.get(key_of(person))
        if row is not None and row.faces is not None:
            row.faces.set_rating(feedback.rating if feedback else None)
            row.show_quote(feedback)

    def ensure_visible(self, person: Attendee) -> None:
        row = self.rows.get(key_of(person))
        if row is not None:
            self.area.ensureWidgetVisible(row.label)

    def set_stacked(self, stacked: bool) -> None:
        """Under the form (the dialog scrolls) or beside it (the lists share its height)."""
        self._stacked = stacked
        policy = QSizePolicy.Policy.Preferred if stacked else QSizePolicy.Policy.Ignored
        self.area.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.fit_height()

    def fit_height(self) -> None:
        """At least two rows, at most all of them; the list of candidates gets the rest.

        Beside the form, the rows' area ignores its own size hint (it takes what the dialog
        can spare), and the group stops growing once every row shows, so no blank space
        opens under them. Under the form, every row shows and the dialog scrolls.
        """
        self.box.adjustSize()
        hint = self.grid.sizeHint()
        rows = max(len(self.present), 1)
        row_height = hint.height() / rows
        low, high = int(row_height * min(rows, 2)) + 4, hint.height() + 8
        self.area.setMinimumHeight(high if self._stacked else low)
        self.area.setMaximumHeight(high)
        self.area.setMinimumWidth(hint.width() + 24)
        self.group.setMaximumHeight(16_777_215)
        if not self._stacked:
            wanted = self.group.minimumSizeHint().height() + high - low
            self.group.setMaximumHeight(wanted + 2 * self._owner.fontMetrics().lineSpacing())


def _by_person(item: tuple[PersonKey, Attendee]) -> tuple[str, int, str]:
    return sort_key(item[1])
