"""One activity: save it (with its rules), read it whole, archive and restore it."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ActivityType, AttendeeKind
from cope_desktop.db.models import Activity, ActivitySeries, Attendance, Prison
from cope_desktop.i18n import _, format_number
from cope_desktop.services import audit, validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities._common import (
    ACTIVITY,
    HEAD_COUNT_KINDS,
    MAX_DURATION,
    load_activity,
    refuse_archived,
)
from cope_desktop.services.activities.attendance import attendees, feedback_views
from cope_desktop.services.activities.drafts import ActivityDraft
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.services.permissions import Permission, require
from cope_desktop.services.records._checks import check_prison
from cope_desktop.services.records._common import (
    apply,
    log_change,
    may_edit,
    next_reference,
    now,
    reference_taken,
)
from cope_desktop.services.validation import Problems, clean

REFERENCE_PREFIX = "A"
REFERENCE_LENGTH = 40
STAFF_LENGTH = 200
SPORT_LENGTH = 100
PARTNERS_LENGTH = 2_000
NOTES_LENGTH = 20_000

"""The records' reference helpers only read ``.reference``, which activities have too."""


def next_activity_reference(session: Session) -> str:
    """The next "A-000001" reference: one more than the highest in use (archived ones too)."""
    return next_reference(session, Activity, REFERENCE_PREFIX)


def check_when(
    problems: Problems, field: str, held_on: dt.date | None, *, required: bool = True
) -> None:
    """A date is needed and may be at most a year from today."""
    if required and not problems.required_date(field, held_on):
        return
    if held_on is not None and held_on > a_year_from(validation.today()):
        problems.add(field, _("This date is more than a year from today."))


def a_year_from(day: dt.date) -> dt.date:
    """The same date next year (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def check_duration(problems: Problems, minutes: int | None) -> None:
    if minutes is not None and not 0 <= minutes <= MAX_DURATION:
        problems.add(
            "duration_minutes",
            _("Enter a duration from 0 to {most} minutes.").format(
                most=format_number(MAX_DURATION)
            ),
        )


def check_activity(
    problems: Problems, session: Session, draft: ActivityDraft, activity_id: uuid.UUID | None
) -> None:
    """Every rule of an activity's fields, all at once."""
    problems.check(draft.type is not None, "type", _("Choose the type of activity."))
    check_when(problems, "held_on", draft.held_on)
    check_duration(problems, draft.duration_minutes)
    check_prison(problems, session, "prison_id", draft.prison_id)
    if draft.type is not ActivityType.GAME_WITH_MUM_AND_DAD:
        if clean(draft.sport):
            problems.add("sport", _("Only a Game with Mum & Dad event has a sport."))
        if clean(draft.partners):
            problems.add("partners", _("Only a Game with Mum & Dad event has partners."))
    problems.length("staff", clean(draft.staff), STAFF_LENGTH)
    problems.length("sport", clean(draft.sport), SPORT_LENGTH)
    problems.length("partners", clean(draft.partners), PARTNERS_LENGTH)
    problems.length("notes", clean(draft.notes), NOTES_LENGTH)
    reference = draft.reference.strip()
    if reference:
        problems.length("reference", reference, REFERENCE_LENGTH)
        if reference_taken(session, Activity, reference, activity_id):
            problems.add("reference", _("Another activity already has this reference."))


def _values(draft: ActivityDraft, reference: str) -> dict[str, object]:
    return {
        "reference": reference,
        "type": draft.type,
        "held_on": draft.held_on,
        "start_time": draft.start_time,
        "duration_minutes": draft.duration_minutes,
        "prison_id": draft.prison_id,
        "staff": clean(draft.staff),
        "notes": clean(draft.notes),
        "sport": clean(draft.sport),
        "partners": clean(draft.partners),
    }


def save_activity(
    session: Session, user: CurrentUser, activity_id: uuid.UUID | None, draft: ActivityDraft
) -> uuid.UUID:
    """Create (``activity_id`` None) or change an activity; returns its id."""
    may_edit(user)
    activity = load_activity(session, activity_id) if activity_id is not None else None
    if activity is not None:
        refuse_archived(activity)
    problems = Problems()
    check_activity(problems, session, draft, activity_id)
    problems.raise_if_any()
    created = activity is None
    reference = draft.reference.strip()
    if activity is None:
        activity = Activity(id=uuid.uuid4())
        reference = reference or next_activity_reference(session)
    changed = apply(activity, _values(draft, reference or activity.reference))
    session.add(activity)
    session.flush()
    log_change(session, user, ACTIVITY, activity.id, created, changed)
    return activity.id


def read_activity(session: Session, user: CurrentUser, activity_id: uuid.UUID) -> ActivityDetail:
    """The whole activity with its attendees and feedback; writes a "view" audit event."""
    activity = load_activity(session, activity_id)
    prison = session.get(Prison, activity.prison_id) if activity.prison_id else None
    series = session.get(ActivitySeries, activity.series_id) if activity.series_id else None
    heads: dict[AttendeeKind, int] = {
        kind: int(total or 0)
        for kind, total in session.execute(
            select(Attendance.kind, func.sum(Attendance.head_count))
            .where(
                Attendance.activity_id == activity_id,
                Attendance.kind.in_(HEAD_COUNT_KINDS),
                Attendance.deleted_at.is_(None),
            )
            .group_by(Attendance.kind)
        )
    }
    audit.record_by(session, user, "view", ACTIVITY, activity_id)
    return ActivityDetail(
        id=activity.id,
        reference=activity.reference,
        type=activity.type,
        held_on=activity.held_on,
        start_time=activity.start_time,
        duration_minutes=activity.duration_minutes,
        prison_id=activity.prison_id,
        prison_name=prison.name if prison else None,
        staff=activity.staff,
        notes=activity.notes,
        sport=activity.sport,
        partners=activity.partners,
        series_id=activity.series_id,
        series_title=series.title if series else None,
        archived=activity.deleted_at is not None,
        attendees=tuple(attendees(session, activity)),
        anonymous_children=heads.get(AttendeeKind.ANONYMOUS_CHILDREN, 0),
        anonymous_adults=heads.get(AttendeeKind.ANONYMOUS_ADULTS, 0),
        feedback=tuple(feedback_views(session, activity, prison)),
    )


def archive_activity(session: Session, user: CurrentUser, activity_id: uuid.UUID) -> None:
    """Archive the activity: it stays on file with its attendance, and no longer counts."""
    may_edit(user)
    activity = load_activity(session, activity_id)
    if activity.deleted_at is not None:
        return
    activity.deleted_at = now()
    session.flush()
    audit.record_by(session, user, "archive", ACTIVITY, activity.id)


def restore_activity(session: Session, user: CurrentUser, activity_id: uuid.UUID) -> None:
    require(user, Permission.RESTORE_RECORDS)
    activity = load_activity(session, activity_id)
    if activity.deleted_at is None:
        return
    activity.deleted_at = None
    session.flush()
    audit.record_by(session, user, "restore", ACTIVITY, activity.id)
