"""Who attended an activity: ticks, head counts and children's feedback; who may attend.

Every write here changes one thing and commits nothing: quick attendance calls one function
per tick, each in its own short ``db.session()``, so every tick is on disk as soon as it is
made and a crash mid-event loses none of the ticks already made (TARGETS.md R3).

The people offered for ticking are read with one query per kind of person (children,
caregivers, imprisoned relatives), never one per person; families linked to the activity's
prison are found through the index on ``imprisoned_relative.prison_id`` and their members
through the indexes on ``family_id``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from cope_desktop.db.enums import AttendeeKind, ConsentKind, Rating
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    Consent,
    Family,
    Feedback,
    ImprisonedRelative,
    Organisation,
    Prison,
)
from cope_desktop.errors import FieldProblem, UserInputError, ValidationFailed
from cope_desktop.i18n import _, format_number
from cope_desktop.services import audit, search_terms, validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.activities._common import (
    ATTENDANCE,
    FEEDBACK,
    HEAD_COUNT_KINDS,
    KIND_ORDER,
    NAMED_KINDS,
    age_band,
    load_activity,
    refuse_archived,
)
from cope_desktop.services.activities.views import Attendee, FeedbackView
from cope_desktop.services.records._common import (
    apply,
    load,
    log_change,
    may_edit,
    now,
    person_name,
)
from cope_desktop.services.records.consent import has_data_consent
from cope_desktop.services.validation import Problems, clean

MAX_HEAD_COUNT = 10_000
QUOTE_LENGTH = 1_000
CHUNK = 500
"""Ids per ``IN`` list."""

_PersonModel = type[Child] | type[Caregiver] | type[ImprisonedRelative]
_MODELS: dict[AttendeeKind, _PersonModel] = {
    AttendeeKind.CHILD: Child,
    AttendeeKind.CAREGIVER: Caregiver,
    AttendeeKind.RELATIVE: ImprisonedRelative,
}
_COLUMNS: dict[AttendeeKind, InstrumentedAttribute[uuid.UUID | None]] = {
    AttendeeKind.CHILD: Attendance.child_id,
    AttendeeKind.CAREGIVER: Attendance.caregiver_id,
    AttendeeKind.RELATIVE: Attendance.relative_id,
}
_FACES = {Rating.NEGATIVE: (1, 2), Rating.NEUTRAL: (3,), Rating.POSITIVE: (4, 5)}


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed([FieldProblem("", message)])


def _person_model(kind: AttendeeKind) -> _PersonModel:
    model = _MODELS.get(kind)
    if model is None:
        raise UserInputError(_("Choose a child, a caregiver or an imprisoned relative."))
    return model


# --- Ticks ------------------------------------------------------------------------------


def set_present(
    session: Session,
    user: CurrentUser,
    activity_id: uuid.UUID,
    kind: AttendeeKind,
    person_id: uuid.UUID,
    present: bool,
) -> None:
    """Tick a person present (or not); doing it twice changes nothing.

    Present adds the person's attendance row, or restores the one archived earlier; not
    present archives it, and a child's feedback on the activity with it.
    """
    may_edit(user)
    activity = load_activity(session, activity_id)
    refuse_archived(activity)
    person = load(session, _person_model(kind), person_id)
    column = _COLUMNS[kind]
    rows = list(
        session.scalars(
            select(Attendance)
            .where(Attendance.activity_id == activity_id, column == person_id)
            .order_by(Attendance.created_at)
        )
    )
    current = [row for row in rows if row.deleted_at is None]
    if present:
        if not current:
            _may_attend(session, person)
            _add_row(session, user, activity_id, kind, person_id, rows)  # all archived
        return
    for row in current:
        row.deleted_at = now()
        session.flush()
        audit.record_by(session, user, "archive", ATTENDANCE, row.id)
    if current and kind is AttendeeKind.CHILD:
        _archive_feedback(session, user, activity_id, person_id)


def _add_row(
    session: Session,
    user: CurrentUser,
    activity_id: uuid.UUID,
    kind: AttendeeKind,
    person_id: uuid.UUID,
    archived_rows: list[Attendance],
) -> None:
    if archived_rows:
        row = archived_rows[-1]
        row.deleted_at = None
        session.flush()
        audit.record_by(session, user, "restore", ATTENDANCE, row.id)
        return
    row = Attendance(id=uuid.uuid4(), activity_id=activity_id, kind=kind, head_count=1)
    setattr(row, _COLUMNS[kind].key, person_id)
    session.add(row)
    session.flush()
    audit.record_by(session, user, "create", ATTENDANCE, row.id)


def _may_attend(session: Session, person: Child | Caregiver | ImprisonedRelative) -> None:
    """Refuse a person who is archived, or whose family is, or has no current data consent."""
    if person.deleted_at is not None:
        raise _refused(_("This person is archived, so they cannot be ticked as present."))
    family = load(session, Family, person.family_id)
    if family.deleted_at is not None:
        raise _refused(_("This person's family is archived, so they cannot be ticked as present."))
    if not has_data_consent(session, family.id, validation.today()):
        raise _refused(
            _(
                "This person's family has no current data processing consent: "
                "count them in the anonymous head count instead."
            )
        )


def _archive_feedback(
    session: Session, user: CurrentUser, activity_id: uuid.UUID, child_id: uuid.UUID
) -> None:
    for feedback in _feedback_rows(session, activity_id, child_id):
        if feedback.deleted_at is None:
            feedback.deleted_at = now()
            session.flush()
            audit.record_by(session, user, "archive", FEEDBACK, feedback.id)


def is_present(
    session: Session, activity_id: uuid.UUID, kind: AttendeeKind, person_id: uuid.UUID
) -> bool:
    """The person has an unarchived attendance row at the activity."""
    query = select(Attendance.id).where(
        Attendance.activity_id == activity_id,
        _COLUMNS[kind] == person_id,
        Attendance.deleted_at.is_(None),
    )
    return session.scalar(query.limit(1)) is not None


# --- Head counts ------------------------------------------------------------------------


def set_head_counts(
    session: Session, user: CurrentUser, activity_id: uuid.UUID, children: int, adults: int
) -> None:
    """Set the numbers of children and of adults present who are not on file.

    Each activity has one row per head count, changed in place.
    """
    may_edit(user)
    activity = load_activity(session, activity_id)
    refuse_archived(activity)
    problems = Problems()
    for field, value in (("children", children), ("adults", adults)):
        if not 0 <= value <= MAX_HEAD_COUNT:
            problems.add(
                field,
                _("Enter a number from 0 to {most}.").format(most=format_number(MAX_HEAD_COUNT)),
            )
    problems.raise_if_any()
    rows = list(
        session.scalars(
            select(Attendance)
            .where(Attendance.activity_id == activity_id, Attendance.kind.in_(HEAD_COUNT_KINDS))
            .order_by(Attendance.created_at)
        )
    )
    for kind, value in zip(HEAD_COUNT_KINDS, (children, adults), strict=True):
        _set_count(session, user, activity_id, kind, value, [r for r in rows if r.kind is kind])


def _set_count(
    session: Session,
    user: CurrentUser,
    activity_id: uuid.UUID,
    kind: AttendeeKind,
    value: int,
    rows: list[Attendance],
) -> None:
    current = [row for row in rows if row.deleted_at is None]
    keep = current[0] if current else (rows[-1] if rows else None)
    if keep is None:
        if value:
            row = Attendance(id=uuid.uuid4(), activity_id=activity_id, kind=kind, head_count=value)
            session.add(row)
            session.flush()
            audit.record_by(session, user, "create", ATTENDANCE, row.id)
        return
    if keep.deleted_at is not None and not value:
        return
    changed = apply(keep, {"head_count": value, "deleted_at": None})
    session.flush()
    log_change(session, user, ATTENDANCE, keep.id, False, changed)
    for extra in current[1:]:  # never made here: a head count is one row per activity
        extra.deleted_at = now()
        session.flush()
        audit.record_by(session, user, "archive", ATTENDANCE, extra.id)


# --- Feedback ---------------------------------------------------------------------------


def set_feedback(
    session: Session,
    user: CurrentUser,
    activity_id: uuid.UUID,
    child_id: uuid.UUID,
    rating: Rating | None,
    quote: str | None = None,
    quote_approved: bool = False,
) -> None:
    """Record a present child's rating of the activity (one per child); None removes it.

    A face chosen on the five-face scale is kept while it agrees with the rating.
    """
    may_edit(user)
    activity = load_activity(session, activity_id)
    refuse_archived(activity)
    child = load(session, Child, child_id)
    rows = _feedback_rows(session, activity_id, child_id)
    current = [row for row in rows if row.deleted_at is None]
    if rating is None:
        _archive_feedback(session, user, activity_id, child_id)
        return
    text = clean(quote)
    problems = Problems()
    problems.check(
        is_present(session, activity_id, AttendeeKind.CHILD, child_id),
        "child_id",
        _("Tick the child as present before recording their feedback."),
    )
    problems.length("quote", text, QUOTE_LENGTH)
    if quote_approved and text is None:
        problems.add("quote", _("Write the child's words before approving them for publication."))
    problems.raise_if_any()
    row = current[0] if current else (rows[-1] if rows else None)
    if row is None:
        if not has_data_consent(session, child.family_id, validation.today()):
            raise _refused(_("This child's family has no current data processing consent."))
        row = Feedback(id=uuid.uuid4(), activity_id=activity_id, child_id=child_id)
        session.add(row)
    values: dict[str, object] = {
        "rating": rating,
        "quote": text,
        "quote_approved": quote_approved,
        "deleted_at": None,
    }
    if row.face is not None and row.face not in _FACES[rating]:
        values["face"] = None
    created = row.rating is None
    changed = apply(row, values)
    session.flush()
    log_change(session, user, FEEDBACK, row.id, created, changed)


def _feedback_rows(session: Session, activity_id: uuid.UUID, child_id: uuid.UUID) -> list[Feedback]:
    return list(
        session.scalars(
            select(Feedback)
            .where(Feedback.activity_id == activity_id, Feedback.child_id == child_id)
            .order_by(Feedback.created_at)
        )
    )


# --- Who may attend ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    kind: AttendeeKind
    id: uuid.UUID
    name: str
    reference: str
    family_id: uuid.UUID
    family_reference: str
    age_band: str | None
    archived: bool

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.family_reference, KIND_ORDER[self.kind], self.name.casefold(), self.reference)


def _people(
    session: Session, kind: AttendeeKind, on: dt.date, *conditions: ColumnElement[bool]
) -> list[_Person]:
    """The people of one kind meeting ``conditions``, with their family (one query)."""
    model = _MODELS[kind]
    columns: list[Any] = [
        model.id,
        model.reference,
        model.first_name,
        model.last_name,
        model.deleted_at,
        Family.id.label("family_id"),
        Family.reference.label("family_reference"),
        Family.deleted_at.label("family_deleted_at"),
    ]
    if kind is AttendeeKind.CHILD:
        columns += [Child.birth_date, Child.birth_year, Child.birth_month]
    query = select(*columns).join(Family, Family.id == model.family_id).where(*conditions)
    return [
        _Person(
            kind=kind,
            id=row.id,
            name=person_name(row.first_name, row.last_name, row.reference),
            reference=row.reference,
            family_id=row.family_id,
            family_reference=row.family_reference,
            age_band=(
                age_band(row.birth_date, row.birth_year, row.birth_month, on)
                if kind is AttendeeKind.CHILD
                else None
            ),
            archived=row.deleted_at is not None or row.family_deleted_at is not None,
        )
        for row in session.execute(query)
    ]


def _with_rows(session: Session, activity: Activity, *, archived_too: bool) -> list[_Person]:
    """People with a named attendance row at the activity (unarchived rows only, or all)."""
    found: list[_Person] = []
    for kind in NAMED_KINDS:
        rows = select(_COLUMNS[kind]).where(
            Attendance.activity_id == activity.id, Attendance.kind == kind
        )
        if not archived_too:
            rows = rows.where(Attendance.deleted_at.is_(None))
        found += _people(session, kind, activity.held_on, _MODELS[kind].id.in_(rows))
    return found


def _linked_families(activity: Activity) -> Any:
    """Ids of the families linked to the activity's prison whose case was not closed before.

    A family is linked when one of its unarchived imprisoned relatives is in that prison.
    """
    return (
        select(ImprisonedRelative.family_id)
        .join(Family, Family.id == ImprisonedRelative.family_id)
        .where(
            ImprisonedRelative.prison_id == activity.prison_id,
            ImprisonedRelative.deleted_at.is_(None),
            Family.deleted_at.is_(None),
            or_(Family.closed_on.is_(None), Family.closed_on >= activity.held_on),
        )
    )


def _members(
    session: Session, activity: Activity, families: Any, *, at_prison: bool = False
) -> list[_Person]:
    """Unarchived members of ``families``.

    With ``at_prison``, imprisoned relatives only when held in the activity's prison: one
    held elsewhere cannot come to it (a search still finds them).
    """
    found: list[_Person] = []
    for kind in NAMED_KINDS:
        model = _MODELS[kind]
        conditions: list[ColumnElement[bool]] = [
            model.family_id.in_(families),
            model.deleted_at.is_(None),
        ]
        if kind is AttendeeKind.RELATIVE and at_prison:
            conditions.append(ImprisonedRelative.prison_id == activity.prison_id)
        found += _people(session, kind, activity.held_on, *conditions)
    return found


class _Group:
    """Collects people without repeats, remembering whom it has seen."""

    def __init__(self) -> None:
        self.seen: set[tuple[AttendeeKind, uuid.UUID]] = set()

    def new(self, people: Iterable[_Person]) -> list[_Person]:
        fresh = []
        for person in sorted(people, key=_Person.sort_key):
            if (person.kind, person.id) not in self.seen:
                self.seen.add((person.kind, person.id))
                fresh.append(person)
        return fresh


def candidates(
    session: Session, activity_id: uuid.UUID, text: str = "", limit: int = 200
) -> list[Attendee]:
    """People who may attend: present ones, then the linked families, then those found.

    Each group is sorted by family reference, kind (child, caregiver, relative) and name;
    at most ``limit`` people in all. ``text`` searches families as the families list does;
    with no text only the first two groups are offered. Archived people (or members of an
    archived family) are left out unless present.
    """
    activity = load_activity(session, activity_id)
    group = _Group()
    people = group.new(_with_rows(session, activity, archived_too=False))
    linked: set[uuid.UUID] = set()
    if activity.prison_id is not None:
        families = _linked_families(activity)
        linked = set(session.scalars(families))
        # Enough families: each linked one has a member, its relative in the prison.
        first = select(Family.id).where(Family.id.in_(families)).order_by(Family.reference)
        people += group.new(_members(session, activity, first.limit(limit), at_prison=True))
    match = search_terms.matches(text)
    if match is not None and len(people) < limit:
        found = (
            select(Family.id)
            .where(match, Family.deleted_at.is_(None))
            .order_by(Family.reference)
            .limit(limit)
        )
        people += group.new(_members(session, activity, found))
    return _attendees(session, activity, people[:limit], linked)


def expected_people(session: Session, activity_id: uuid.UUID) -> list[Attendee]:
    """Quick attendance's list: present people and the linked families' members.

    Sorted by family reference, then kind (child, caregiver, relative), then name.
    """
    activity = load_activity(session, activity_id)
    people = _with_rows(session, activity, archived_too=False)
    linked: set[uuid.UUID] = set()
    if activity.prison_id is not None:
        families = _linked_families(activity)
        linked = set(session.scalars(families))
        people += _members(session, activity, families, at_prison=True)
    return _attendees(session, activity, _Group().new(people), linked)


def attendees(session: Session, activity: Activity) -> list[Attendee]:
    """Everyone with a named attendance row: present first, then those whose row is archived."""
    people = _Group().new(_with_rows(session, activity, archived_too=True))
    linked: set[uuid.UUID] = set()
    if activity.prison_id is not None:
        linked = set(session.scalars(_linked_families(activity)))
    listed = _attendees(session, activity, people, linked)
    return [a for a in listed if a.present] + [a for a in listed if not a.present]


def _attendees(
    session: Session, activity: Activity, people: list[_Person], linked: set[uuid.UUID]
) -> list[Attendee]:
    """Add presence, ratings and consent to the people (a few queries for all of them)."""
    present: set[tuple[AttendeeKind, uuid.UUID | None]] = set()
    for kind, child_id, caregiver_id, relative_id in session.execute(
        select(
            Attendance.kind, Attendance.child_id, Attendance.caregiver_id, Attendance.relative_id
        ).where(
            Attendance.activity_id == activity.id,
            Attendance.kind.in_(NAMED_KINDS),
            Attendance.deleted_at.is_(None),
        )
    ):
        present.add((kind, child_id or caregiver_id or relative_id))
    ratings: dict[uuid.UUID | None, Rating] = {
        child_id: rating
        for child_id, rating in session.execute(
            select(Feedback.child_id, Feedback.rating).where(
                Feedback.activity_id == activity.id,
                Feedback.child_id.is_not(None),
                Feedback.deleted_at.is_(None),
            )
        )
    }
    consenting = _consenting(session, {person.family_id for person in people})
    return [
        Attendee(
            kind=person.kind,
            person_id=person.id,
            name=person.name,
            reference=person.reference,
            family_reference=person.family_reference,
            age_band=person.age_band,
            present=(person.kind, person.id) in present,
            rating=ratings.get(person.id) if person.kind is AttendeeKind.CHILD else None,
            archived=person.archived,
            linked_to_prison=person.family_id in linked,
            data_consent=person.family_id in consenting,
        )
        for person in people
    ]


def _consenting(session: Session, family_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """The families among these with a data processing consent current today."""
    on = validation.today()
    ids = list(family_ids)
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            session.scalars(
                select(Consent.family_id).where(
                    Consent.family_id.in_(ids[start : start + CHUNK]),
                    Consent.kind == ConsentKind.DATA_PROCESSING,
                    Consent.deleted_at.is_(None),
                    Consent.given_on <= on,
                    or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),
                )
            )
        )
    return found


# --- Feedback views ---------------------------------------------------------------------


def feedback_views(
    session: Session, activity: Activity, prison: Prison | None
) -> list[FeedbackView]:
    """The activity's unarchived feedback, in the order it was given."""
    country = prison.country if prison is not None else None
    if country is None:
        country = session.scalar(select(Organisation.country).limit(1))
    rows = session.execute(
        select(Feedback, Child.birth_date, Child.birth_year, Child.birth_month)
        .outerjoin(Child, Child.id == Feedback.child_id)
        .where(Feedback.activity_id == activity.id, Feedback.deleted_at.is_(None))
        .order_by(Feedback.created_at, Feedback.id)
    )
    return [
        FeedbackView(
            id=feedback.id,
            child_id=feedback.child_id,
            rating=feedback.rating,
            quote=feedback.quote,
            quote_approved=feedback.quote_approved,
            age_band=age_band(birth_date, birth_year, birth_month, activity.held_on),
            country=country,
            face=feedback.face,
        )
        for feedback, birth_date, birth_year, birth_month in rows
    ]
