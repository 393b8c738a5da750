"""Quick attendance: tick who came to an activity, full screen, on a laptop at a prison site.

The expected people (everyone already ticked, and the members of the open families with a
relative in the activity's prison) are listed by family, with large check boxes and, for
children, the face buttons. Typing narrows the list; Enter ticks the first person found.
Someone who is not expected can be found among every family on file ("search everyone") and
is then added to the list, unticked.

Every tick, face and head count is written at once in its own short transaction (the runner's
write thread keeps them in order), so there is no "Save": a closed lid or a crash loses
nothing that the window showed as saved. A change the services refuse (a family without
data consent, say) is undone on screen and the service's sentence is shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from cope_desktop.db.enums import AttendeeKind, Rating
from cope_desktop.i18n import _, format_number
from cope_desktop.labels import label
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import activities, attendance
from cope_desktop.services.activities.views import ActivityDetail, Attendee
from cope_desktop.ui.activity.quick_everyone import SearchEveryone
from cope_desktop.ui.activity.quick_list import QuickList
from cope_desktop.ui.activity.quick_panels import QuickHeader, QuickTotals
from cope_desktop.ui.activity.quick_saver import SaveQueue
from cope_desktop.ui.activity.quick_state import Key, Mark, key_of, totals
from cope_desktop.ui.activity.quick_style import FONT_SCALE, STYLE
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.banner import Banner
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted

MAX_HEAD_COUNT = 10_000
CHILDREN, ADULTS = 0, 1
Quotes = dict[uuid.UUID, tuple[str | None, bool]]
"""A child's stored quote and its approval, kept when quick attendance changes the face."""


class QuickAttendanceWindow(QWidget):
    """Emits ``closed(activity_id)`` when it closes, so that other screens can read again."""

    closed = Signal(object)
    loaded = Signal()

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        activity_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setObjectName("quickAttendance")
        self.setStyleSheet(STYLE)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)
        self.setFont(font)
        self.signed_in = signed_in
        self.runner = runner
        self.activity_id = activity_id
        self.detail: ActivityDetail | None = None
        self.marks: dict[Key, Mark] = {}
        self._confirmed: dict[Key, tuple[bool, Rating | None]] = {}
        self._quotes: Quotes = {}
        self.counts = (0, 0)
        self._confirmed_counts = (0, 0)
        self._replace_search = False
        self.saves = SaveQueue(signed_in, runner, self)
        self._build()
        self._build_shortcuts()
        self.retranslate()
        follow_language(self.retranslate)
        self.reload()

    # --- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        self.header = QuickHeader(self)
        self.header.finish.clicked.connect(self.close)
        self.saves.pending_changed.connect(self.header.show_pending)
        self.totals = QuickTotals(self)
        self.totals.anonymous_children.step_requested.connect(
            lambda step: self.step_head_count(CHILDREN, step)
        )
        self.totals.anonymous_adults.step_requested.connect(
            lambda step: self.step_head_count(ADULTS, step)
        )
        self.archived_banner = Banner("info", self)
        self.message = InlineMessage(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("quickSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setEnabled(False)
        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self.tick_first_match)
        self.search.installEventFilter(self)
        self.found = muted(self)
        self.found.setWordWrap(False)
        self.list = QuickList(self)
        self.list.toggle_requested.connect(self.set_present)
        self.list.rating_requested.connect(self.set_rating)
        self.list.typing.connect(self._typed_on_list)
        self.list.leave_up.connect(lambda: self.search.setFocus(Qt.FocusReason.OtherFocusReason))
        self.everyone = SearchEveryone(self.signed_in, self.runner, self.activity_id, self)
        self.everyone.clicked.connect(self.search_everyone)
        self.everyone.found.connect(self._found_elsewhere)
        self.everyone.failed.connect(self.message.show_error)
        self.hint = muted(self)
        self.hint.setObjectName("quickHint")
        search_row = QHBoxLayout()
        search_row.setSpacing(14)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.found)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 12)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addWidget(self.totals)
        layout.addWidget(self.archived_banner)
        layout.addWidget(self.message)
        layout.addLayout(search_row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.everyone)
        layout.addWidget(self.hint)

    def _build_shortcuts(self) -> None:
        steps: list[tuple[tuple[str, ...], int, int]] = [
            (("Ctrl++", "Ctrl+="), CHILDREN, 1),
            (("Ctrl+-",), CHILDREN, -1),
            (("Alt++", "Alt+="), ADULTS, 1),
            (("Alt+-",), ADULTS, -1),
        ]
        for keys, which, step in steps:
            for key in keys:
                QShortcut(
                    QKeySequence(key),
                    self,
                    lambda w=which, s=step: self.step_head_count(w, s),
                )
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_search)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, self.search_everyone)

    def retranslate(self) -> None:
        detail = self.detail
        if detail is None:
            self.setWindowTitle(_("Quick attendance – COPE Desktop"))
        else:
            self.setWindowTitle(
                _("Quick attendance: {activity}, {reference} – COPE Desktop").format(
                    activity=label(detail.type), reference=detail.reference
                )
            )
        self.search.setPlaceholderText(_("Type a name or a reference to find a person"))
        self.search.setAccessibleName(_("Find a person"))
        self.list.setAccessibleName(_("Expected people"))
        self.hint.setText(
            _(
                "Type a name, then Enter ticks the first person found  ·  "
                "Ctrl+Enter searches everyone on file  ·  ↑ ↓ choose a person  "
                "·  Space ticks or unticks  ·  1 2 3 the child's face, 0 clears it  ·  "
                "Ctrl+ and Ctrl− children not on file  ·  Alt+ and Alt− adults not on file  ·  "
                "Esc clears the search, then finishes. Everything is saved as you go."
            )
        )
        self.archived_banner.title.setText(_("This activity is archived"))
        self.archived_banner.text.setText(
            _("Its attendance is shown as it was and cannot be changed here.")
        )
        self.archived_banner.button.hide()
        self._show_found()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the activity and the expected people (reading is audited: on the writer)."""
        db, user, activity_id = self.signed_in.db, self.signed_in.user, self.activity_id

        def read() -> tuple[ActivityDetail, list[Attendee]]:
            with db.session() as session:
                detail = activities.read_activity(session, user, activity_id)
                return detail, attendance.expected_people(session, activity_id)

        self.list.show_loading(_("Reading the list of expected people…"))
        self.runner.run(read, self._loaded, self._not_loaded, context=self, writes=True)

    def _loaded(self, result: tuple[ActivityDetail, list[Attendee]]) -> None:
        detail, people = result
        self.detail = detail
        self.marks = {key_of(a): Mark(a, a.present, a.rating) for a in people}
        self._confirmed = {key: (m.present, m.rating) for key, m in self.marks.items()}
        self._quotes = {
            view.child_id: (view.quote, view.quote_approved)
            for view in detail.feedback
            if view.child_id is not None
        }
        self.counts = self._confirmed_counts = (
            detail.anonymous_children,
            detail.anonymous_adults,
        )
        self.header.show_activity(detail)
        self.archived_banner.setVisible(detail.archived)
        self.totals.setEnabled(not detail.archived)
        self.list.set_people(list(self.marks.values()))
        self.search.setEnabled(True)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_totals()
        self.retranslate()
        self._offer_everyone()
        self.loaded.emit()

    def _not_loaded(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)
        self.list.show_loading("")

    # --- ticks and faces -----------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.detail is not None and not self.detail.archived

    def set_present(self, key: Key, present: bool) -> None:
        """Tick or untick a person on screen and write it at once."""
        mark = self.marks.get(key)
        if mark is None:
            return
        if mark.present == present or not mark.editable or not self.editable:
            self.list.show_mark(mark)  # the check box shows the person as they are
            return
        mark.present = present
        if not present:
            mark.rating = None  # unticking a child also removes the child's feedback
        self._changed(mark)
        kind, person_id = key
        activity_id = self.activity_id

        def write(session: Session, user: CurrentUser) -> None:
            attendance.set_present(session, user, activity_id, kind, person_id, present)

        self._write(key, write, lambda: self._present_saved(key, present))

    def set_rating(self, key: Key, rating: Rating | None) -> None:
        """Set a child's face (ticking the child first if needed) and write it at once."""
        mark = self.marks.get(key)
        if mark is None or mark.attendee.kind != AttendeeKind.CHILD:
            return
        if not mark.editable or not self.editable:
            self.list.show_mark(mark)
            return
        if rating is not None and not mark.present:
            self.set_present(key, True)
        if mark.rating == rating or not mark.present:
            self.list.show_mark(mark)  # the faces show the child's feedback as it is
            return
        mark.rating = rating
        self._changed(mark)
        activity_id, child_id = self.activity_id, mark.attendee.person_id
        quote, approved = self._quotes.get(child_id, (None, False))

        def write(session: Session, user: CurrentUser) -> None:
            attendance.set_feedback(
                session, user, activity_id, child_id, rating, quote=quote, quote_approved=approved
            )

        self._write(key, write, lambda: self._rating_saved(key, rating))

    def _write(
        self, key: Key, write: Callable[[Session, CurrentUser], None], saved: Callable[[], None]
    ) -> None:
        self.saves.write(key, write, saved, lambda failure: self._person_failed(key, failure))

    def _present_saved(self, key: Key, present: bool) -> None:
        _was, rating = self._confirmed.get(key, (False, None))
        self._confirmed[key] = (present, rating if present else None)
        if not present:
            self._quotes.pop(key[1], None)  # the child's feedback went with the tick

    def _rating_saved(self, key: Key, rating: Rating | None) -> None:
        self._confirmed[key] = (True, rating)
        if rating is None:
            self._quotes.pop(key[1], None)

    def _person_failed(self, key: Key, failure: TaskFailure) -> None:
        """Undo on screen what was not saved (once nothing else about the person is on its way)."""
        mark = self.marks.get(key)
        if mark is None:
            self.message.show_error(failure.message)
            return
        self.message.show_error(
            _("{name} was not changed. {reason}").format(
                name=mark.attendee.name, reason=failure.message
            )
        )
        if self.saves.pending_for(key):
            return
        mark.present, mark.rating = self._confirmed.get(key, (False, None))
        self.list.show_mark(mark)
        self._show_totals()

    def _changed(self, mark: Mark) -> None:
        self.message.clear_message()
        self.list.show_mark(mark)
        self._show_totals()

    # --- head counts ---------------------------------------------------------------------------

    def step_head_count(self, which: int, step: int) -> None:
        """One more or one fewer child or adult not on file, written at once."""
        if not self.editable:
            return
        counts = list(self.counts)
        counts[which] = max(0, min(MAX_HEAD_COUNT, counts[which] + step))
        if tuple(counts) == self.counts:
            return
        children, adults = self.counts = (counts[CHILDREN], counts[ADULTS])
        self.message.clear_message()
        self._show_totals()
        activity_id = self.activity_id

        def write(session: Session, user: CurrentUser) -> None:
            attendance.set_head_counts(session, user, activity_id, children, adults)

        self.saves.write(
            "heads",
            write,
            lambda: self._heads_saved((children, adults)),
            self._heads_failed,
        )

    def _heads_saved(self, counts: tuple[int, int]) -> None:
        self._confirmed_counts = counts

    def _heads_failed(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)
        if not self.saves.pending_for("heads"):
            self.counts = self._confirmed_counts
            self._show_totals()

    def _show_totals(self) -> None:
        self.totals.show_totals(totals(self.marks.values(), *self.counts))

    # --- keyboard ----------------------------------------------------------------------------

    def tick_first_match(self) -> None:
        """Enter in the search field: tick (or untick) the first person found."""
        key = self.list.first_shown()
        if key is None:
            return
        mark = self.marks[key]
        self.set_present(key, not mark.present)
        self.list.set_current_key(key)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        self._replace_search = True

    def _search_changed(self, text: str) -> None:
        self.list.apply_filter(text)
        self._show_found()
        self._offer_everyone()

    def _offer_everyone(self) -> None:
        self.everyone.offer(self.search.text(), self.list.matched, self.editable)

    # --- people not on the list ----------------------------------------------------------------

    def search_everyone(self) -> None:
        """Ctrl+Enter or the line under the list: search every family for the text typed."""
        self.everyone.start(len(self.marks))

    def _found_elsewhere(self, people: list[Attendee]) -> None:
        """Add the people found who are not listed yet, unticked, with their families."""
        new = [Mark(a, a.present, a.rating) for a in people if key_of(a) not in self.marks]
        for mark in new:
            self.marks[mark.key] = mark
            self._confirmed[mark.key] = (mark.present, mark.rating)
        self.list.add_people(new)
        self.everyone.answered(self.search.text(), len(new))
        self._offer_everyone()
        self._show_found()
        self._show_totals()

    def _show_found(self) -> None:
        if not self.marks:
            self.found.setText("")
            return
        self.found.setText(
            _("{matched} of {total} people").format(
                matched=format_number(self.list.matched), total=format_number(len(self.marks))
            )
        )

    def _typed_on_list(self, event: QKeyEvent) -> None:
        """Letters typed while the list has the focus go to the search field.

        Right after Enter ticked someone, the next letters start a new search.
        """
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._replace_search:
            self.search.selectAll()
            self._replace_search = False
        QApplication.sendEvent(self.search, event)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _escape(self) -> None:
        if self.search.text():
            self.search.clear()
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down (or Page Down) in the search field goes to the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            control = isinstance(event, QKeyEvent) and bool(
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            )
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and control:
                self.search_everyone()  # not Enter's "tick the first person found"
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.list.first_shown():
                self._replace_search = False
                self.list.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing to save: changes still on their way are written by the runner anyway."""
        self.closed.emit(self.activity_id)
        super().closeEvent(event)


def quick_attendance_windows() -> list[QuickAttendanceWindow]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QuickAttendanceWindow) and shiboken6.isValid(widget)
    ]


def open_quick_attendance(
    signed_in: SignedIn,
    runner: TaskRunner,
    activity_id: uuid.UUID,
    parent: QWidget | None = None,
) -> QuickAttendanceWindow:
    """Show quick attendance for the activity full screen (the open one, if there is one)."""
    for window in quick_attendance_windows():
        if window.activity_id == activity_id and window.isVisible():
            window.showFullScreen()
            window.raise_()
            window.activateWindow()
            return window
    window = QuickAttendanceWindow(signed_in, runner, activity_id, parent)
    window.showFullScreen()
    window.activateWindow()
    return window
