"""Families (cases): references, "New family", the family's details, closing and reopening."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import CaseStatus, ConsentKind, Relationship
from cope_desktop.db.models import (
    Caregiver,
    CaseStatusChange,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    ImprisonedRelative,
    User,
)
from cope_desktop.errors import FieldProblem, UserInputError, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services import audit, choices
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.records import _read
from cope_desktop.services.records._checks import (
    check_caregiver,
    check_child,
    check_consent,
    check_custody,
    check_family,
    check_person,
    check_prison,
)
from cope_desktop.services.records._common import (
    PERSON_PREFIXES,
    Part,
    apply,
    load_family,
    log_change,
    may_edit,
    next_reference,
    refresh_terms,
    user_label,
)
from cope_desktop.services.records.consent import consent_values
from cope_desktop.services.records.drafts import FamilyDraft, NewFamily
from cope_desktop.services.records.people import caregiver_values, child_values, person_values
from cope_desktop.services.records.views import FamilyRecord
from cope_desktop.services.validation import Problems

ACTIVITY_LIMIT = _read.ACTIVITY_LIMIT
"""At most this many attended activities in a ``FamilyRecord`` (most recent first)."""


def next_family_reference(session: Session) -> str:
    return next_reference(session, Family, "F")


def next_person_reference(session: Session, prefix: str) -> str:
    """``prefix`` "C" (child), "G" (caregiver) or "R" (imprisoned relative)."""
    if prefix not in PERSON_PREFIXES:
        raise UserInputError(_("Unknown kind of person: {prefix}.").format(prefix=prefix))
    return next_reference(session, PERSON_PREFIXES[prefix], prefix)


def create_family(session: Session, user: CurrentUser, new: NewFamily) -> uuid.UUID:
    """Save a whole new family, or nothing: every rule of every part is checked first."""
    may_edit(user)
    _check_new_family(session, new)
    with session.begin_nested():
        family_id = _write_new_family(session, user, new)
    return family_id


def _check_new_family(session: Session, new: NewFamily) -> None:
    problems = Problems()
    check_family(Part(problems, "family."), session, new.family, None)
    caregiver = Part(problems, "caregiver.")
    check_person(caregiver, session, Caregiver, new.caregiver, None)
    check_caregiver(caregiver, new.caregiver)
    relative = Part(problems, "relative.")
    check_person(relative, session, ImprisonedRelative, new.relative, None)
    check_prison(relative, session, "prison_id", new.relative.prison_id)
    if new.custody is not None:
        check_custody(Part(problems, "custody."), session, new.custody, None)
    problems.check(bool(new.children), "children", _("Add at least one child."))
    typed: list[str] = []
    for index, new_child in enumerate(new.children):
        child = Part(problems, f"children.{index}.")
        check_person(child, session, Child, new_child.draft, None, typed)
        check_child(child, new_child.draft)
        if not isinstance(new_child.relationship, Relationship):
            child.add(
                "relationship", _("Choose how the imprisoned relative is related to the child.")
            )
        typed.append(new_child.draft.reference.strip())
    if new.data_consent is not None:
        check_consent(Part(problems, "data_consent."), session, None, new.data_consent)
    problems.raise_if_any()


def _write_new_family(session: Session, user: CurrentUser, new: NewFamily) -> uuid.UUID:
    family = Family(id=uuid.uuid4())
    apply(family, _family_values(session, new.family, None))
    session.add(family)
    caregiver = Caregiver(id=uuid.uuid4(), family_id=family.id, is_main=True)
    apply(caregiver, caregiver_values(session, new.caregiver, None))
    session.add(caregiver)
    relative = ImprisonedRelative(id=uuid.uuid4(), family_id=family.id)
    values = person_values(session, ImprisonedRelative, new.relative, None)
    apply(relative, values | {"prison_id": new.relative.prison_id})
    custody = new.custody
    if custody is not None and custody.prison_id is not None:
        relative.prison_id = custody.prison_id
    session.add(relative)
    if custody is not None and custody.since is not None:
        session.add(
            CustodyEvent(
                relative_id=relative.id,
                status=custody.status,
                since=custody.since,
                prison_id=custody.prison_id,
            )
        )
    typed = [new_child.draft.reference.strip() for new_child in new.children]
    for new_child in new.children:
        child = Child(id=uuid.uuid4(), family_id=family.id)
        apply(child, child_values(session, new_child.draft, None, typed))
        session.add(child)
        session.add(
            ChildRelative(
                child_id=child.id,
                relative_id=relative.id,
                relationship_to_child=new_child.relationship,
            )
        )
        session.flush()
    if new.data_consent is not None:
        consent = Consent(family_id=family.id)
        values = consent_values(new.data_consent)
        apply(consent, values | {"kind": ConsentKind.DATA_PROCESSING, "child_id": None})
        session.add(consent)
    session.flush()
    audit.record_by(session, user, "create", "family", family.id)
    refresh_terms(session, family.id)
    return family.id


def _family_values(
    session: Session, draft: FamilyDraft, current_reference: str | None
) -> dict[str, object]:
    """An empty reference keeps the current one, or takes the next free one."""
    reference = draft.reference.strip() or current_reference or next_family_reference(session)
    return {
        "reference": reference,
        "opened_on": draft.opened_on,
        "referral_source": draft.referral_source,
        "caseworker_id": draft.caseworker_id,
        "notes_allowed": draft.notes_allowed,
    }


def read_family(session: Session, user: CurrentUser, family_id: uuid.UUID) -> FamilyRecord:
    """The whole record as the family screen shows it; the view is audited (BRIEF R9)."""
    record = _read.family_record(session, user, family_id)
    audit.record_by(session, user, "view", "family", family_id)
    return record


def update_family(
    session: Session, user: CurrentUser, family_id: uuid.UUID, draft: FamilyDraft
) -> None:
    may_edit(user)
    family = load_family(session, family_id)
    problems = Problems()
    check_family(problems, session, draft, family_id)
    first_change = _latest_change(session, family_id, None, first=True)
    problems.in_order(
        draft.opened_on,
        "opened_on",
        first_change,
        _("The case was closed before this date; the opening date must come first."),
    )
    problems.raise_if_any()
    changed = apply(family, _family_values(session, draft, family.reference))
    session.flush()
    log_change(session, user, "family", family_id, False, changed)
    if "reference" in changed:
        refresh_terms(session, family_id)


def close_family(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    closed_on: dt.date | None,
    reason: str,
) -> None:
    may_edit(user)
    family = load_family(session, family_id)
    if family.closed_on is not None:
        raise ValidationFailed([FieldProblem("", _("This case is already closed."))])
    problems = Problems()
    if problems.required_date("closed_on", closed_on):
        problems.not_in_future("closed_on", closed_on)
        problems.in_order(
            family.opened_on,
            "closed_on",
            closed_on,
            _("The closing date is before the case was opened."),
        )
        problems.in_order(
            _latest_change(session, family_id, CaseStatus.OPEN),
            "closed_on",
            closed_on,
            _("The closing date is before the case was last reopened."),
        )
    cleaned = _reason(problems, reason, _("Enter the reason for closing the case."))
    problems.raise_if_any()
    _change_status(session, user, family, CaseStatus.CLOSED, closed_on, cleaned)


def reopen_family(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    reopened_on: dt.date | None,
    reason: str,
) -> None:
    may_edit(user)
    family = load_family(session, family_id)
    if family.closed_on is None:
        raise ValidationFailed([FieldProblem("", _("This case is already open."))])
    problems = Problems()
    if problems.required_date("reopened_on", reopened_on):
        problems.not_in_future("reopened_on", reopened_on)
        problems.in_order(
            family.closed_on,
            "reopened_on",
            reopened_on,
            _("The reopening date is before the case was closed."),
        )
    cleaned = _reason(problems, reason, _("Enter the reason for reopening the case."))
    problems.raise_if_any()
    _change_status(session, user, family, CaseStatus.OPEN, reopened_on, cleaned)


def _reason(problems: Problems, reason: str, missing: str) -> str | None:
    cleaned = problems.required_text("reason", reason, missing)
    problems.length("reason", cleaned, 200)
    return cleaned


def _latest_change(
    session: Session, family_id: uuid.UUID, status: CaseStatus | None, first: bool = False
) -> dt.date | None:
    """The date of the family's latest (or first) status change, of one status or any."""
    date = func.min(CaseStatusChange.changed_on) if first else func.max(CaseStatusChange.changed_on)
    query = select(date).where(CaseStatusChange.family_id == family_id)
    if status is not None:
        query = query.where(CaseStatusChange.status == status)
    return session.scalar(query)


def _change_status(
    session: Session,
    user: CurrentUser,
    family: Family,
    status: CaseStatus,
    changed_on: dt.date | None,
    reason: str | None,
) -> None:
    """Add to the history; ``closed_on`` and ``close_reason`` follow the latest change."""
    assert changed_on is not None
    session.add(
        CaseStatusChange(
            family_id=family.id,
            status=status,
            changed_on=changed_on,
            reason=reason,
            user_id=user.id,
        )
    )
    closed = status == CaseStatus.CLOSED
    family.closed_on = changed_on if closed else None
    family.close_reason = reason if closed else None
    session.flush()
    audit.record_by(session, user, "close" if closed else "reopen", "family", family.id)


def staff_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Active users, for the caseworker field: (id, display name or user name), sorted."""
    rows = session.execute(
        select(User.id, User.display_name, User.username).where(User.is_active.is_(True))
    )
    choices = [(row.id, user_label(row.display_name, row.username)) for row in rows]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def prison_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Prisons not archived, sorted by name: (id, "name (country code)")."""
    return choices.prison_choices(session)
