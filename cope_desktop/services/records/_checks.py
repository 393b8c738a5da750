"""The rules of each draft, shared by the form that saves one record and by "New family".

Each ``check_*`` adds every broken rule to ``problems`` (a ``Part`` prefixes the fields for
"New family") and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.db.models import Caregiver, Child, Family, ImprisonedRelative, Prison, User
from cope_desktop.i18n import _
from cope_desktop.services import validation
from cope_desktop.services.records._common import Person, Referenced, reference_taken
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    RelativeDraft,
)
from cope_desktop.services.validation import Problems, clean

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
EARLIEST_BIRTH_YEAR = 1990
NAME_LENGTH = 100
REFERENCE_LENGTH = 40


def _taken_message(model: Referenced) -> str:
    messages = {
        Family: _("Another family already has this reference."),
        Child: _("Another child already has this reference."),
        Caregiver: _("Another caregiver already has this reference."),
        ImprisonedRelative: _("Another imprisoned relative already has this reference."),
    }
    return messages[model]


def check_reference(
    problems: Problems,
    session: Session,
    model: Referenced,
    reference: str,
    own_id: uuid.UUID | None,
    reserved: Collection[str] = (),
) -> None:
    """A typed reference must fit and be free (empty ones are filled in when saving)."""
    reference = reference.strip()
    if not reference:
        return
    problems.length("reference", reference, REFERENCE_LENGTH)
    if reference in reserved or reference_taken(session, model, reference, own_id):
        problems.add("reference", _taken_message(model))


def check_person(
    problems: Problems,
    session: Session,
    model: Person,
    draft: ChildDraft | CaregiverDraft | RelativeDraft,
    own_id: uuid.UUID | None,
    reserved: Collection[str] = (),
) -> None:
    """A name or a reference (pseudonymous code) is needed; names and reference fit."""
    has_identity = any(clean(text) for text in (draft.first_name, draft.last_name, draft.reference))
    problems.check(has_identity, "first_name", _("Enter a first name, a last name or a reference."))
    problems.length("first_name", clean(draft.first_name), NAME_LENGTH)
    problems.length("last_name", clean(draft.last_name), NAME_LENGTH)
    check_reference(problems, session, model, draft.reference, own_id, reserved)


def check_child(problems: Problems, draft: ChildDraft) -> None:
    """The rules of a child's own fields (its relatives are checked by ``check_links``)."""
    problems.not_in_future("birth_date", draft.birth_date)
    if draft.birth_date is not None and (draft.birth_year or draft.birth_month):
        problems.add(
            "birth_year", _("Enter either the date of birth or the year and month, not both.")
        )
    if draft.birth_month is not None:
        if not 1 <= draft.birth_month <= 12:
            problems.add("birth_month", _("The month is a number from 1 to 12."))
        if draft.birth_year is None:
            problems.add("birth_month", _("Enter the year of birth too, or leave the month empty."))
    if draft.birth_year is not None:
        if draft.birth_year > validation.today().year:
            problems.add("birth_year", _("This year is in the future."))
        elif draft.birth_year < EARLIEST_BIRTH_YEAR:
            problems.add(
                "birth_year",
                _("Enter a year from {year} on.").format(year=EARLIEST_BIRTH_YEAR),
            )
    problems.length("school_level", clean(draft.school_level), 60)
    problems.in_order(
        draft.support_start,
        "support_end",
        draft.support_end,
        _("The end of support is before its start."),
    )


def check_links(
    problems: Problems, session: Session, family_id: uuid.UUID, relative_ids: Collection[uuid.UUID]
) -> None:
    """At least one imprisoned relative, each an unarchived relative of this family."""
    if not relative_ids:
        problems.add("relatives", _("Choose at least one imprisoned relative of the child."))
        return
    found = set(
        session.scalars(
            select(ImprisonedRelative.id).where(
                ImprisonedRelative.id.in_(list(relative_ids)),
                ImprisonedRelative.family_id == family_id,
                ImprisonedRelative.deleted_at.is_(None),
            )
        )
    )
    if found != set(relative_ids):
        problems.add(
            "relatives",
            _("Choose imprisoned relatives of this family only, and not archived ones."),
        )


def check_caregiver(problems: Problems, draft: CaregiverDraft) -> None:
    email = clean(draft.email)
    if email is not None and not EMAIL.match(email):
        problems.add("email", _("Enter an email address such as name@example.org."))
    problems.length("email", email, 200)
    problems.length("phone", clean(draft.phone), 40)
    problems.length("relationship_to_children", clean(draft.relationship_to_children), 60)


def check_prison(
    problems: Problems, session: Session, field: str, prison_id: uuid.UUID | None
) -> None:
    """A chosen prison must be in the register and not archived."""
    if prison_id is None:
        return
    prison = session.get(Prison, prison_id)
    if prison is None or prison.deleted_at is not None:
        problems.add(field, _("Choose a prison from the register; this one is archived or gone."))


def check_custody(
    problems: Problems, session: Session, draft: CustodyDraft, latest: dt.date | None
) -> None:
    """``latest``: the date of the relative's latest custody event, if any."""
    if problems.required_date("since", draft.since):
        problems.not_in_future("since", draft.since)
        problems.in_order(
            latest,
            "since",
            draft.since,
            _("This date is before the latest custody change."),
        )
    check_prison(problems, session, "prison_id", draft.prison_id)


def check_consent(
    problems: Problems, session: Session, family_id: uuid.UUID | None, draft: ConsentDraft
) -> None:
    """``family_id`` None: a consent of a new family, which has no children on file yet."""
    given_by = problems.required_text("given_by", draft.given_by, _("Enter who gave the consent."))
    problems.length("given_by", given_by, 200)
    if problems.required_date("given_on", draft.given_on):
        problems.not_in_future("given_on", draft.given_on)
    problems.not_in_future("withdrawn_on", draft.withdrawn_on)
    problems.in_order(
        draft.given_on,
        "withdrawn_on",
        draft.withdrawn_on,
        _("The consent cannot be withdrawn before it was given."),
    )
    if family_id is None:
        return
    if draft.kind == ConsentKind.CHILD_ASSENT and draft.child_id is None:
        problems.add("child_id", _("Choose the child whose assent this is."))
    if draft.child_id is not None:
        check_child_of(problems, session, family_id, draft.child_id)


def check_child_of(
    problems: Problems, session: Session, family_id: uuid.UUID, child_id: uuid.UUID
) -> None:
    child = session.get(Child, child_id)
    if child is None or child.family_id != family_id:
        problems.add("child_id", _("Choose a child of this family."))


def check_family(
    problems: Problems, session: Session, draft: FamilyDraft, family_id: uuid.UUID | None
) -> None:
    check_reference(problems, session, Family, draft.reference, family_id)
    if problems.required_date("opened_on", draft.opened_on):
        problems.not_in_future("opened_on", draft.opened_on)
    if draft.caseworker_id is not None:
        user = session.get(User, draft.caseworker_id)
        if user is None or not user.is_active:
            problems.add("caseworker_id", _("Choose an active member of staff."))
