"""Building a ``FamilyRecord``: one query per part of the record, none per row.

The activities part looks attendance up by the family's children, caregivers and imprisoned
relatives (all three columns indexed) and keeps the ``ACTIVITY_LIMIT`` most recent activities
plus a count.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    CaseNote,
    CaseStatusChange,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    Prison,
    SupportService,
    User,
)
from cope_desktop.errors import RecordNotFound
from cope_desktop.i18n import _
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, can
from cope_desktop.services.records._common import person_name, user_label
from cope_desktop.services.records.views import (
    AttendedActivity,
    CaregiverView,
    ChildView,
    ConsentView,
    CustodyView,
    FamilyRecord,
    LinkView,
    NoteView,
    RelativeView,
    StatusChangeView,
    SupportView,
)

ACTIVITY_LIMIT = 50


def family_record(session: Session, user: CurrentUser, family_id: uuid.UUID) -> FamilyRecord:
    row = session.execute(
        select(Family, User.display_name, User.username)
        .outerjoin(User, User.id == Family.caseworker_id)
        .where(Family.id == family_id)
    ).first()
    if row is None:
        raise RecordNotFound(_("This family does not exist any more."))
    family: Family = row[0]
    children = _children(session, family_id)
    relatives = _relatives(session, family_id)
    consents = _consents(session, family_id)
    caregivers = _caregivers(session, family_id)
    activities, total = _activities(session, children, caregivers, relatives)
    return FamilyRecord(
        id=family.id,
        reference=family.reference,
        opened_on=family.opened_on,
        closed_on=family.closed_on,
        close_reason=family.close_reason,
        referral_source=family.referral_source,
        caseworker_id=family.caseworker_id,
        caseworker=user_label(row.display_name, row.username),
        notes_allowed=family.notes_allowed,
        deleted=family.deleted_at is not None,
        children=children,
        caregivers=caregivers,
        relatives=relatives,
        consents=consents,
        support=_support(session, family_id),
        activities=activities,
        activities_total=total,
        history=_history(session, family_id),
        notes=_notes(session, family_id) if can(user, Permission.READ_CASE_NOTES) else None,
        has_data_consent=any(
            consent.kind == ConsentKind.DATA_PROCESSING and consent.is_current(validation.today())
            for consent in consents
        ),
    )


def _children(session: Session, family_id: uuid.UUID) -> tuple[ChildView, ...]:
    links: dict[uuid.UUID, list[LinkView]] = defaultdict(list)
    for link in session.scalars(
        select(ChildRelative)
        .join(Child, Child.id == ChildRelative.child_id)
        .where(Child.family_id == family_id, ChildRelative.deleted_at.is_(None))
    ):
        links[link.child_id].append(
            LinkView(link.id, link.child_id, link.relative_id, link.relationship_to_child)
        )
    children = session.scalars(
        select(Child).where(Child.family_id == family_id).order_by(Child.reference)
    )
    return tuple(
        ChildView(
            id=child.id,
            reference=child.reference,
            first_name=child.first_name,
            last_name=child.last_name,
            birth_date=child.birth_date,
            birth_year=child.birth_year,
            birth_month=child.birth_month,
            sex=child.sex,
            school_level=child.school_level,
            knows_parent_location=child.knows_parent_location,
            support_start=child.support_start,
            support_end=child.support_end,
            links=tuple(links[child.id]),
            deleted=child.deleted_at is not None,
        )
        for child in children
    )


def _caregivers(session: Session, family_id: uuid.UUID) -> tuple[CaregiverView, ...]:
    caregivers = session.scalars(
        select(Caregiver)
        .where(Caregiver.family_id == family_id)
        .order_by(Caregiver.is_main.desc(), Caregiver.reference)
    )
    return tuple(
        CaregiverView(
            id=caregiver.id,
            reference=caregiver.reference,
            first_name=caregiver.first_name,
            last_name=caregiver.last_name,
            relationship_to_children=caregiver.relationship_to_children,
            phone=caregiver.phone,
            email=caregiver.email,
            address=caregiver.address,
            is_main=caregiver.is_main,
            deleted=caregiver.deleted_at is not None,
        )
        for caregiver in caregivers
    )


def _relatives(session: Session, family_id: uuid.UUID) -> tuple[RelativeView, ...]:
    custody: dict[uuid.UUID, list[CustodyView]] = defaultdict(list)
    for event, prison_name in session.execute(
        select(CustodyEvent, Prison.name)
        .join(ImprisonedRelative, ImprisonedRelative.id == CustodyEvent.relative_id)
        .outerjoin(Prison, Prison.id == CustodyEvent.prison_id)
        .where(ImprisonedRelative.family_id == family_id, CustodyEvent.deleted_at.is_(None))
        .order_by(CustodyEvent.since, CustodyEvent.created_at)
    ):
        custody[event.relative_id].append(
            CustodyView(event.id, event.status, event.since, event.prison_id, prison_name)
        )
    rows = session.execute(
        select(ImprisonedRelative, Prison.name)
        .outerjoin(Prison, Prison.id == ImprisonedRelative.prison_id)
        .where(ImprisonedRelative.family_id == family_id)
        .order_by(ImprisonedRelative.reference)
    )
    return tuple(
        RelativeView(
            id=relative.id,
            reference=relative.reference,
            first_name=relative.first_name,
            last_name=relative.last_name,
            prison_id=relative.prison_id,
            prison_name=prison_name,
            custody=tuple(custody[relative.id]),
            deleted=relative.deleted_at is not None,
        )
        for relative, prison_name in rows
    )


def _consents(session: Session, family_id: uuid.UUID) -> tuple[ConsentView, ...]:
    consents = session.scalars(
        select(Consent)
        .where(Consent.family_id == family_id)
        .order_by(Consent.given_on.desc(), Consent.created_at.desc())
    )
    return tuple(
        ConsentView(
            id=consent.id,
            kind=consent.kind,
            child_id=consent.child_id,
            given_by=consent.given_by,
            given_on=consent.given_on,
            withdrawn_on=consent.withdrawn_on,
            notes=consent.notes,
            deleted=consent.deleted_at is not None,
        )
        for consent in consents
    )


def _support(session: Session, family_id: uuid.UUID) -> tuple[SupportView, ...]:
    rows = session.execute(
        select(SupportService, User.display_name, User.username)
        .outerjoin(User, User.id == SupportService.provided_by_id)
        .where(SupportService.family_id == family_id)
        .order_by(SupportService.provided_on.desc(), SupportService.created_at.desc())
    )
    return tuple(
        SupportView(
            id=support.id,
            service=support.service,
            provided_on=support.provided_on,
            child_id=support.child_id,
            provided_by=user_label(display_name, username),
            notes=support.notes,
            deleted=support.deleted_at is not None,
        )
        for support, display_name, username in rows
    )


def _history(session: Session, family_id: uuid.UUID) -> tuple[StatusChangeView, ...]:
    """Oldest first, as the case went."""
    rows = session.execute(
        select(CaseStatusChange, User.display_name, User.username)
        .outerjoin(User, User.id == CaseStatusChange.user_id)
        .where(CaseStatusChange.family_id == family_id)
        .order_by(CaseStatusChange.changed_on, CaseStatusChange.created_at)
    )
    return tuple(
        StatusChangeView(
            change.status, change.changed_on, change.reason, user_label(display_name, username)
        )
        for change, display_name, username in rows
    )


def _notes(session: Session, family_id: uuid.UUID) -> tuple[NoteView, ...]:
    """Unarchived notes, most recent first."""
    rows = session.execute(
        select(CaseNote, User.display_name, User.username)
        .outerjoin(User, User.id == CaseNote.author_id)
        .where(CaseNote.family_id == family_id, CaseNote.deleted_at.is_(None))
        .order_by(CaseNote.written_on.desc(), CaseNote.created_at.desc())
    )
    return tuple(
        NoteView(note.id, note.written_on, user_label(display_name, username), note.text)
        for note, display_name, username in rows
    )


def _activities(
    session: Session,
    children: tuple[ChildView, ...],
    caregivers: tuple[CaregiverView, ...],
    relatives: tuple[RelativeView, ...],
) -> tuple[tuple[AttendedActivity, ...], int]:
    """The most recent activities attended by the family's unarchived members."""
    members: list[ChildView | CaregiverView | RelativeView] = [*children, *caregivers, *relatives]
    names: dict[uuid.UUID | None, str] = {
        person.id: person_name(person.first_name, person.last_name, person.reference)
        for person in members
        if not person.deleted
    }
    child_ids = [child.id for child in children if child.id in names]
    caregiver_ids = [caregiver.id for caregiver in caregivers if caregiver.id in names]
    relative_ids = [relative.id for relative in relatives if relative.id in names]
    if not names:
        return (), 0
    attended = or_(
        Attendance.child_id.in_(child_ids),
        Attendance.caregiver_id.in_(caregiver_ids),
        Attendance.relative_id.in_(relative_ids),
    )
    attendance: Select[Any] = select(Attendance.activity_id).where(
        attended, Attendance.deleted_at.is_(None)
    )
    held = (Activity.id.in_(attendance), Activity.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Activity).where(*held)) or 0
    recent = session.execute(
        select(Activity.id, Activity.held_on, Activity.type, Prison.name)
        .outerjoin(Prison, Prison.id == Activity.prison_id)
        .where(*held)
        .order_by(Activity.held_on.desc(), Activity.id)
        .limit(ACTIVITY_LIMIT)
    ).all()
    people: dict[uuid.UUID, list[str]] = defaultdict(list)
    if recent:
        rows = session.execute(
            select(
                Attendance.activity_id,
                Attendance.child_id,
                Attendance.caregiver_id,
                Attendance.relative_id,
            ).where(
                attended,
                Attendance.deleted_at.is_(None),
                Attendance.activity_id.in_([row.id for row in recent]),
            )
        )
        for activity_id, child_id, caregiver_id, relative_id in rows:
            name = names.get(child_id) or names.get(caregiver_id) or names.get(relative_id)
            if name and name not in people[activity_id]:
                people[activity_id].append(name)
    activities = tuple(
        AttendedActivity(
            row.id, row.held_on, row.type, row.name, tuple(sorted(people[row.id], key=str.casefold))
        )
        for row in recent
    )
    return activities, total
