"""A child's feedback on the activity: the face, saved when tapped, and the quote kept with it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from cope_desktop.db.enums import Rating
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities import attendance
from cope_desktop.services.activities.views import ActivityDetail, Attendee
from cope_desktop.ui.activity.attendance_people import Feedback
from cope_desktop.ui.activity.attendance_present import PresentList
from cope_desktop.ui.activity.attendance_writes import ChangeWriter
from cope_desktop.ui.activity.feedback_widget import QuoteDialog
from cope_desktop.ui.record.confirm import ask
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


class ChildFeedback:
    """Saves the faces and quotes of the children in ``present`` (``owner`` parents questions).

    ``quote_saved`` is called after the quote dialog saved; faces go through ``writer``.
    """

    def __init__(
        self,
        owner: QWidget,
        signed_in: SignedIn,
        runner: TaskRunner,
        present: PresentList,
        writer: ChangeWriter,
        quote_saved: Callable[[], None],
    ) -> None:
        self._owner = owner
        self.signed_in = signed_in
        self.runner = runner
        self._present = present
        self._writer = writer
        self._quote_saved = quote_saved
        self.activity_id: uuid.UUID | None = None
        self.country: str | None = None
        """Where the activity took place, for the quote's rules on identifying details."""

    def show_activity(self, detail: ActivityDetail) -> None:
        self.activity_id = detail.id
        self.country = next((view.country for view in detail.feedback if view.country), None)
        if self.country is None and detail.prison_id is None:
            self.country = self.signed_in.organisation.country

    def rate(self, person: Attendee, rating: Rating | None) -> None:
        """Save the face a child tapped; the quote, if any, is kept with it."""
        if self.activity_id is None:
            return
        before = self._present.feedback.get(person.person_id)
        if rating is None and before is not None and before.quote:
            ask(
                self._owner,
                _("Clear the feedback"),
                _("Clear {name}'s feedback?").format(name=person.name),
                _("The child's quote is removed with the face."),
                _("Clear"),
                lambda: self._save_rating(person, None, before),
                destructive=True,
            )
            # Until answered, the faces show what is stored.
            self._present.show_feedback(person, before)
            return
        self._save_rating(person, rating, before)

    def _save_rating(
        self, person: Attendee, rating: Rating | None, before: Feedback | None
    ) -> None:
        assert self.activity_id is not None
        activity_id, child_id = self.activity_id, person.person_id
        after = (
            Feedback(rating, before.quote, before.approved)
            if rating is not None and before is not None
            else (Feedback(rating) if rating is not None else None)
        )

        def change(session: Session, user: CurrentUser) -> None:
            attendance.set_feedback(
                session,
                user,
                activity_id,
                child_id,
                rating,
                quote=after.quote if after else None,
                quote_approved=after.approved if after else False,
            )

        self._present.show_feedback(person, after)
        self._writer.write(
            change,
            lambda: self._saved(person, after),
            undo=lambda: self._present.show_feedback(person, before),
        )

    def _saved(self, person: Attendee, feedback: Feedback | None) -> None:
        if feedback is None:
            self._present.feedback.pop(person.person_id, None)
        else:
            self._present.feedback[person.person_id] = feedback
        self._present.show_feedback(person, feedback)

    def edit_quote(self, person: Attendee) -> None:
        feedback = self._present.feedback.get(person.person_id)
        if self.activity_id is None or feedback is None:
            return
        dialog = QuoteDialog(
            self.signed_in,
            self.runner,
            self._owner.window(),
            activity_id=self.activity_id,
            child_id=person.person_id,
            child_name=person.name,
            rating=feedback.rating,
            quote=feedback.quote,
            approved=feedback.approved,
            age_band=person.age_band,
            country=self.country,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def saved(result: object) -> None:
            quote, approved = cast(tuple[str | None, bool], result)
            self._present.feedback[person.person_id] = Feedback(feedback.rating, quote, approved)
            self._present.show_feedback(person, self._present.feedback[person.person_id])
            self._quote_saved()

        dialog.saved.connect(saved)
        dialog.open()
