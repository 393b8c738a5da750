"""Who was at a saved activity: named people, children's faces and quotes, head counts.

This part puts the pieces together: the people present (``attendance_present``), the
children's feedback (``attendance_feedback``), the head counts of people not on file
(``head_counts``) and the search for people to add (``attendance_candidates``). Every change
is written at once (``attendance_writes``), so nothing here waits for the dialog's Save; a
refusal (no consent, an archived person) is shown in the message at the top of the part.

People whose record or family is archived stay in the list, struck through and marked
"(archived)", and are left out of the totals (REPORT-SPEC.md: a deleted record never counts).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import attendance
from cope_desktop.services.activities.views import ActivityDetail, Attendee
from cope_desktop.ui.activity.attendance_candidates import CandidateSearch
from cope_desktop.ui.activity.attendance_feedback import ChildFeedback
from cope_desktop.ui.activity.attendance_people import PersonKey, totals_text
from cope_desktop.ui.activity.attendance_present import PresentList, PresentRow
from cope_desktop.ui.activity.attendance_writes import ChangeWriter
from cope_desktop.ui.activity.head_counts import HeadCounts
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.confirm import ask
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import InlineMessage


class AttendancePicker(QWidget):
    """The attendance of one saved activity. Emits ``changed()`` after every saved change."""

    changed = Signal()

    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self.runner = runner
        self.detail: ActivityDetail | None = None
        self.tab_after: QWidget | None = None
        """The widget before this part in the dialog's tab order (rows are made later)."""
        self.message = InlineMessage(self)
        self.writer = ChangeWriter(signed_in, runner, self, self.message, self.changed.emit)
        self._build_present()
        self.candidate_search = CandidateSearch(
            self,
            signed_in,
            runner,
            self.message,
            is_present=lambda key: key in self.present_list.present,
            add=lambda person: self.set_present(person, True),
        )
        self.search_group = self.candidate_search.group
        self.search = self.candidate_search.search
        self.candidates = self.candidate_search.candidates
        self.add_button = self.candidate_search.add_button
        self.child_feedback = ChildFeedback(
            self, signed_in, runner, self.present_list, self.writer, self.changed.emit
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.message)
        layout.addWidget(self.present_group, 3)
        layout.addWidget(self.search_group, 2)
        self.retranslate()
        follow_language(self.retranslate)

    def _build_present(self) -> None:
        """The "Who was there" group: the totals, the rows of people, the head counts."""
        group = self.present_group = QGroupBox(self)
        self.totals = QLabel(group)
        self.totals.setWordWrap(True)
        self.present_list = PresentList(self, group, self)
        self.head_counts = HeadCounts(group, self.writer, self._show_totals)
        self.children_count = self.head_counts.children_count
        self.adults_count = self.head_counts.adults_count
        layout = QVBoxLayout(group)
        layout.setSpacing(8)
        layout.addWidget(self.totals)
        layout.addWidget(self.present_list.area, 1)
        layout.addWidget(self.present_list.empty)
        layout.addSpacing(4)
        layout.addWidget(self.head_counts.intro)
        layout.addLayout(self.head_counts.row)

    @property
    def rows(self) -> dict[PersonKey, PresentRow]:
        return self.present_list.rows

    def retranslate(self) -> None:
        self.present_group.setTitle(_("Who was there"))
        self.present_list.retranslate()
        self.head_counts.retranslate()
        self._show_totals()
        self.candidate_search.retranslate()

    # --- showing an activity -----------------------------------------------------------------

    def show_activity(self, detail: ActivityDetail) -> None:
        """Show the stored attendance of ``detail`` and start listing who may be added."""
        self.detail = detail
        self.present_list.show_activity(detail)
        self.child_feedback.show_activity(detail)
        self.head_counts.show_activity(detail)
        self.candidate_search.show_activity(detail)
        self.head_counts.set_enabled(not detail.archived)
        if detail.archived:
            self.message.show_info(
                _("This activity is archived: its attendance is shown but cannot be changed.")
            )
        self._rebuild_rows()
        self.candidate_search.refresh()

    def _rebuild_rows(self) -> None:
        self.present_list.rebuild()
        self._show_totals()
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab goes through the rows in order, then the head counts, then the search."""
        chain: list[QWidget] = [self.tab_after] if self.tab_after is not None else []
        for row in self.rows.values():
            chain.extend(
                widget
                for widget in (row.faces, row.quote, row.remove)
                if widget is not None and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            )
        chain += [self.children_count.box, self.adults_count.box, self.search]
        chain += [self.add_button, self.candidates]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def set_stacked(self, stacked: bool) -> None:
        """Under the form (the dialog scrolls) or beside it (the lists share its height)."""
        policy = QSizePolicy.Policy.Preferred if stacked else QSizePolicy.Policy.Ignored
        self.candidates.setSizePolicy(QSizePolicy.Policy.Preferred, policy)
        self.present_list.set_stacked(stacked)

    def _show_totals(self) -> None:
        children, adults = self.head_counts.values()
        self.totals.setText(totals_text(self.present_list.present.values(), children, adults))

    def focus_search(self) -> None:
        self.candidate_search.focus()

    # --- changes -------------------------------------------------------------------------------

    def ask_to_remove(self, person: Attendee) -> None:
        """Take a person off the list; a child's feedback goes with it, so ask first then."""
        if person.person_id in self.present_list.feedback and person.kind == AttendeeKind.CHILD:
            ask(
                self,
                _("Remove from the activity"),
                _("Remove {name} from this activity?").format(name=person.name),
                _("The child's feedback on this activity is removed with their attendance."),
                _("Remove"),
                lambda: self.set_present(person, False),
                destructive=True,
            )
        else:
            self.set_present(person, False)

    def set_present(self, person: Attendee, present: bool) -> None:
        if self.detail is None:
            return
        activity_id, kind, person_id = self.detail.id, person.kind, person.person_id

        def change(session: Session, user: CurrentUser) -> None:
            attendance.set_present(session, user, activity_id, kind, person_id, present)

        self.writer.write(change, lambda: self._presence_saved(person, present))

    def _presence_saved(self, person: Attendee, present: bool) -> None:
        self.present_list.mark(person, present)
        if present:
            self.message.show_info(_("{name} was added.").format(name=person.name))
        else:
            self.message.clear_message()
        self._rebuild_rows()
        self.candidate_search.refresh()
        self.present_list.ensure_visible(person)

    def rate(self, person: Attendee, rating: Rating | None) -> None:
        self.child_feedback.rate(person, rating)

    def edit_quote(self, person: Attendee) -> None:
        self.child_feedback.edit_quote(person)

    # --- head counts ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the head counts now if they changed (when the dialog closes, for one)."""
        self.head_counts.flush()

    @property
    def writing(self) -> bool:
        """True while a change is on its way to the database."""
        return self.writer.busy or self.head_counts.pending
