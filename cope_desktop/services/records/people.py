"""The people of a family: children, caregivers, imprisoned relatives and their custody."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.enums import Relationship
from cope_desktop.db.models import Caregiver, Child, ChildRelative, CustodyEvent, ImprisonedRelative
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.records._checks import (
    check_caregiver,
    check_child,
    check_custody,
    check_links,
    check_person,
    check_prison,
)
from cope_desktop.services.records._common import (
    PERSON_PREFIXES,
    Person,
    apply,
    load,
    load_family,
    load_in_family,
    log_change,
    may_edit,
    next_reference,
    now,
    refresh_terms,
)
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    CustodyDraft,
    RelativeDraft,
)
from cope_desktop.services.validation import Problems, clean

_NAME_FIELDS = {"reference", "first_name", "last_name"}


def person_values(
    session: Session,
    model: Person,
    draft: ChildDraft | CaregiverDraft | RelativeDraft,
    current_reference: str | None,
    reserved: Collection[str] = (),
) -> dict[str, object]:
    """Names and reference; an empty reference keeps the current one or takes the next."""
    reference = draft.reference.strip() or current_reference
    if reference is None:
        prefix = next(key for key, value in PERSON_PREFIXES.items() if value is model)
        reference = next_reference(session, model, prefix, reserved)
    return {
        "reference": reference,
        "first_name": clean(draft.first_name),
        "last_name": clean(draft.last_name),
    }


def child_values(
    session: Session, draft: ChildDraft, current_reference: str | None, reserved: Collection[str]
) -> dict[str, object]:
    return person_values(session, Child, draft, current_reference, reserved) | {
        "birth_date": draft.birth_date,
        "birth_year": draft.birth_year,
        "birth_month": draft.birth_month,
        "sex": draft.sex,
        "school_level": clean(draft.school_level),
        "knows_parent_location": draft.knows_parent_location,
        "support_start": draft.support_start,
        "support_end": draft.support_end,
    }


def caregiver_values(
    session: Session, draft: CaregiverDraft, current_reference: str | None
) -> dict[str, object]:
    return person_values(session, Caregiver, draft, current_reference) | {
        "relationship_to_children": clean(draft.relationship_to_children),
        "phone": clean(draft.phone),
        "email": clean(draft.email),
        "address": clean(draft.address),
    }


def set_links(
    session: Session, child_id: uuid.UUID, relatives: Mapping[uuid.UUID, Relationship]
) -> bool:
    """Make the child's unarchived links exactly ``relatives``; True when any changed.

    A link taken away is archived, and comes back (same row) if it is chosen again.
    """
    existing = {
        link.relative_id: link
        for link in session.scalars(select(ChildRelative).where(ChildRelative.child_id == child_id))
    }
    changed = False
    for relative_id, relationship in relatives.items():
        link = existing.get(relative_id)
        if link is None:
            session.add(
                ChildRelative(
                    child_id=child_id, relative_id=relative_id, relationship_to_child=relationship
                )
            )
            changed = True
        else:
            values = {"relationship_to_child": relationship, "deleted_at": None}
            changed = bool(apply(link, values)) or changed
    for relative_id, link in existing.items():
        if relative_id not in relatives and link.deleted_at is None:
            link.deleted_at = now()
            changed = True
    return changed


def save_child(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    child_id: uuid.UUID | None,
    draft: ChildDraft,
) -> uuid.UUID:
    may_edit(user)
    load_family(session, family_id)
    child = load_in_family(session, Child, child_id, family_id) if child_id else None
    problems = Problems()
    check_person(problems, session, Child, draft, child_id)
    check_child(problems, draft)
    check_links(problems, session, family_id, list(draft.relatives))
    problems.raise_if_any()
    created = child is None
    values = child_values(session, draft, None if child is None else child.reference, ())
    if child is None:
        child = Child(id=uuid.uuid4(), family_id=family_id)
    changed = apply(child, values)
    session.add(child)
    if set_links(session, child.id, draft.relatives):
        changed.append("relatives")
    _finish(session, user, "child", child.id, family_id, created, changed)
    return child.id


def save_caregiver(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    caregiver_id: uuid.UUID | None,
    draft: CaregiverDraft,
) -> uuid.UUID:
    """``is_main`` makes the family's other caregivers not main.

    A family always has a main caregiver: its first one, and the one being saved whenever
    no other unarchived caregiver is main.
    """
    may_edit(user)
    load_family(session, family_id)
    caregiver = (
        load_in_family(session, Caregiver, caregiver_id, family_id) if caregiver_id else None
    )
    problems = Problems()
    check_person(problems, session, Caregiver, draft, caregiver_id)
    check_caregiver(problems, draft)
    problems.raise_if_any()
    created = caregiver is None
    values = caregiver_values(session, draft, None if caregiver is None else caregiver.reference)
    if caregiver is None:
        caregiver = Caregiver(id=uuid.uuid4(), family_id=family_id)
    others = (
        Caregiver.family_id == family_id,
        Caregiver.id != caregiver.id,
        Caregiver.deleted_at.is_(None),
        Caregiver.is_main.is_(True),
    )
    other_main = session.scalar(select(func.count()).where(*others)) or 0
    if draft.is_main and other_main:
        session.execute(update(Caregiver).where(*others).values(is_main=False))
    changed = apply(caregiver, values | {"is_main": draft.is_main or not other_main})
    session.add(caregiver)
    _finish(session, user, "caregiver", caregiver.id, family_id, created, changed)
    return caregiver.id


def save_relative(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    relative_id: uuid.UUID | None,
    draft: RelativeDraft,
) -> uuid.UUID:
    may_edit(user)
    load_family(session, family_id)
    relative = (
        load_in_family(session, ImprisonedRelative, relative_id, family_id) if relative_id else None
    )
    problems = Problems()
    check_person(problems, session, ImprisonedRelative, draft, relative_id)
    check_prison(problems, session, "prison_id", draft.prison_id)
    problems.raise_if_any()
    created = relative is None
    values = person_values(
        session, ImprisonedRelative, draft, None if relative is None else relative.reference
    )
    if relative is None:
        relative = ImprisonedRelative(id=uuid.uuid4(), family_id=family_id)
    changed = apply(relative, values | {"prison_id": draft.prison_id})
    session.add(relative)
    _finish(session, user, "relative", relative.id, family_id, created, changed)
    return relative.id


def add_custody(
    session: Session, user: CurrentUser, relative_id: uuid.UUID, draft: CustodyDraft
) -> uuid.UUID:
    """A new custody status from a date; a prison given also becomes the relative's prison."""
    may_edit(user)
    relative = load(session, ImprisonedRelative, relative_id)
    latest = session.scalar(
        select(func.max(CustodyEvent.since)).where(
            CustodyEvent.relative_id == relative_id, CustodyEvent.deleted_at.is_(None)
        )
    )
    problems = Problems()
    check_custody(problems, session, draft, latest)
    problems.raise_if_any()
    assert draft.since is not None
    event = CustodyEvent(
        id=uuid.uuid4(),
        relative_id=relative_id,
        status=draft.status,
        since=draft.since,
        prison_id=draft.prison_id,
    )
    session.add(event)
    if draft.prison_id is not None:
        relative.prison_id = draft.prison_id
    session.flush()
    log_change(session, user, "custody", event.id, True, [])
    return event.id


def remove_custody(session: Session, user: CurrentUser, custody_id: uuid.UUID) -> None:
    """Archive a custody event entered by mistake (it stays in the database)."""
    may_edit(user)
    event = load(session, CustodyEvent, custody_id)
    if event.deleted_at is None:
        event.deleted_at = now()
        session.flush()
        audit.record_by(session, user, "archive", "custody", event.id)


def _finish(
    session: Session,
    user: CurrentUser,
    object_type: str,
    object_id: uuid.UUID,
    family_id: uuid.UUID,
    created: bool,
    changed: list[str],
) -> None:
    """Audit the saved person; refresh the family's search terms if its words changed."""
    session.flush()
    log_change(session, user, object_type, object_id, created, changed)
    if created or _NAME_FIELDS.intersection(changed):
        refresh_terms(session, family_id)
