"""Recurring activities (a weekly support group): made once, one activity per session."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.models import Activity, ActivitySeries, Attendance
from cope_desktop.i18n import _, format_number
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities._common import ACTIVITY, SERIES, activity_rows_where
from cope_desktop.services.activities.activities import (
    REFERENCE_PREFIX,
    STAFF_LENGTH,
    check_duration,
    check_when,
    next_activity_reference,
)
from cope_desktop.services.activities.drafts import SeriesDraft
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.services.records._checks import check_prison
from cope_desktop.services.records._common import REFERENCE_DIGITS, load, may_edit, now
from cope_desktop.services.validation import Problems, clean

MAX_SESSIONS = 104
"""Two years of weekly sessions."""
MAX_INTERVAL = 52
TITLE_LENGTH = 200


def session_dates(first_on: dt.date, last_on: dt.date, interval_weeks: int) -> list[dt.date]:
    """Every ``interval_weeks`` weeks from ``first_on`` up to ``last_on`` (both included)."""
    step = dt.timedelta(weeks=interval_weeks)
    count = (last_on - first_on) // step + 1
    return [first_on + step * number for number in range(max(0, count))]


def _check(problems: Problems, session: Session, draft: SeriesDraft) -> list[dt.date]:
    """Every rule of the draft; the session dates when the dates and interval are right."""
    title = problems.required_text("title", draft.title, _("Enter a title for the series."))
    problems.length("title", title, TITLE_LENGTH)
    problems.check(draft.type is not None, "type", _("Choose the type of activity."))
    check_when(problems, "first_on", draft.first_on)
    check_when(problems, "last_on", draft.last_on)
    problems.in_order(
        draft.first_on,
        "last_on",
        draft.last_on,
        _("The last session is before the first one."),
    )
    problems.check(
        1 <= draft.interval_weeks <= MAX_INTERVAL,
        "interval_weeks",
        _("Enter an interval from 1 to {most} weeks.").format(most=format_number(MAX_INTERVAL)),
    )
    check_duration(problems, draft.duration_minutes)
    check_prison(problems, session, "prison_id", draft.prison_id)
    problems.length("staff", clean(draft.staff), STAFF_LENGTH)
    if draft.first_on is None or draft.last_on is None or problems.found:
        return []
    dates = session_dates(draft.first_on, draft.last_on, draft.interval_weeks)
    if len(dates) > MAX_SESSIONS:
        problems.add(
            "last_on",
            _(
                "A series has at most {most} sessions: choose an earlier last date "
                "or a longer interval."
            ).format(most=format_number(MAX_SESSIONS)),
        )
    return dates


def create_series(session: Session, user: CurrentUser, draft: SeriesDraft) -> tuple[uuid.UUID, int]:
    """Create the series and its sessions; returns the series' id and the number of sessions."""
    may_edit(user)
    problems = Problems()
    dates = _check(problems, session, draft)
    problems.raise_if_any()
    assert draft.type is not None and draft.first_on is not None and draft.last_on is not None
    series = ActivitySeries(
        id=uuid.uuid4(),
        title=(draft.title or "").strip(),
        type=draft.type,
        first_on=draft.first_on,
        last_on=draft.last_on,
        interval_weeks=draft.interval_weeks,
        start_time=draft.start_time,
        duration_minutes=draft.duration_minutes,
        prison_id=draft.prison_id,
        staff=clean(draft.staff),
    )
    session.add(series)
    session.flush()
    audit.record_by(session, user, "create", SERIES, series.id)
    first = int(next_activity_reference(session).rsplit("-", 1)[1])
    sessions = [
        Activity(
            id=uuid.uuid4(),
            reference=f"{REFERENCE_PREFIX}-{first + number:0{REFERENCE_DIGITS}d}",
            type=draft.type,
            held_on=day,
            start_time=draft.start_time,
            duration_minutes=draft.duration_minutes,
            prison_id=draft.prison_id,
            staff=series.staff,
            series_id=series.id,
        )
        for number, day in enumerate(dates)
    ]
    session.add_all(sessions)
    session.flush()
    for activity in sessions:
        audit.record_by(session, user, "create", ACTIVITY, activity.id)
    return series.id, len(sessions)


def series_sessions(session: Session, series_id: uuid.UUID) -> list[ActivityRow]:
    """The series' sessions, archived ones too, oldest first."""
    load(session, ActivitySeries, series_id)
    return activity_rows_where(session, Activity.series_id == series_id)


def archive_series(session: Session, user: CurrentUser, series_id: uuid.UUID) -> int:
    """Archive the series and its sessions that have no attendance yet.

    A session with an unarchived attendance row (a person, or a head count above zero)
    stays, so that what happened stays on file; returns the number of sessions kept.
    """
    may_edit(user)
    series = load(session, ActivitySeries, series_id)
    attended = select(Attendance.activity_id).where(
        Attendance.activity_id.in_(select(Activity.id).where(Activity.series_id == series_id)),
        Attendance.deleted_at.is_(None),
        Attendance.head_count > 0,
    )
    unarchived = select(Activity).where(
        Activity.series_id == series_id, Activity.deleted_at.is_(None)
    )
    with_attendance = set(session.scalars(attended))
    kept = 0
    for activity in session.scalars(unarchived).all():
        if activity.id in with_attendance:
            kept += 1
            continue
        activity.deleted_at = now()
        session.flush()
        audit.record_by(session, user, "archive", ACTIVITY, activity.id)
    if series.deleted_at is None:
        series.deleted_at = now()
        session.flush()
        audit.record_by(session, user, "archive", SERIES, series.id)
    return kept
