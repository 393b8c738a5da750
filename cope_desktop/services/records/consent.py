"""Consent: what a family agreed to, when, and when it was withdrawn.

Without a current data processing consent the organisation keeps what it has (and may
correct it) but records nothing new about the family: no case notes, no new support, no
named attendance.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.db.models import Consent
from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.records._checks import check_consent
from cope_desktop.services.records._common import (
    apply,
    load,
    load_family,
    load_in_family,
    log_change,
    may_edit,
)
from cope_desktop.services.records.drafts import ConsentDraft
from cope_desktop.services.validation import Problems, clean


def consent_values(draft: ConsentDraft) -> dict[str, object]:
    return {
        "kind": draft.kind,
        "given_by": (draft.given_by or "").strip(),
        "given_on": draft.given_on,
        "withdrawn_on": draft.withdrawn_on,
        "child_id": draft.child_id,
        "notes": clean(draft.notes),
    }


def save_consent(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    consent_id: uuid.UUID | None,
    draft: ConsentDraft,
) -> uuid.UUID:
    may_edit(user)
    load_family(session, family_id)
    consent = load_in_family(session, Consent, consent_id, family_id) if consent_id else None
    problems = Problems()
    check_consent(problems, session, family_id, draft)
    problems.raise_if_any()
    created = consent is None
    if consent is None:
        consent = Consent(id=uuid.uuid4(), family_id=family_id)
    changed = apply(consent, consent_values(draft))
    session.add(consent)
    session.flush()
    log_change(session, user, "consent", consent.id, created, changed)
    return consent.id


def withdraw_consent(
    session: Session, user: CurrentUser, consent_id: uuid.UUID, withdrawn_on: dt.date | None
) -> None:
    may_edit(user)
    consent = load(session, Consent, consent_id)
    problems = Problems()
    if consent.withdrawn_on is not None:
        problems.add("withdrawn_on", _("This consent has already been withdrawn."))
    elif problems.required_date("withdrawn_on", withdrawn_on):
        problems.not_in_future("withdrawn_on", withdrawn_on)
        problems.in_order(
            consent.given_on,
            "withdrawn_on",
            withdrawn_on,
            _("The consent cannot be withdrawn before it was given."),
        )
    problems.raise_if_any()
    consent.withdrawn_on = withdrawn_on
    session.flush()
    log_change(session, user, "consent", consent.id, False, ["withdrawn_on"])


def has_data_consent(session: Session, family_id: uuid.UUID, on: dt.date) -> bool:
    """A data processing consent of the family was given by ``on`` and not withdrawn by then."""
    current = select(Consent.id).where(
        Consent.family_id == family_id,
        Consent.kind == ConsentKind.DATA_PROCESSING,
        Consent.deleted_at.is_(None),
        Consent.given_on <= on,
        or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),
    )
    return session.scalar(current.limit(1)) is not None


def consent_blocks() -> list[str]:
    """What cannot be done for a family without a current data processing consent.

    Editing and correcting what is already recorded, and closing the case, stay possible.
    """
    return [
        _("New case notes cannot be added."),
        _("New support services cannot be recorded."),
        _(
            "Its members cannot be picked by name for an activity's attendance; "
            "count them in the anonymous head counts instead."
        ),
    ]


def require_data_consent(session: Session, family_id: uuid.UUID) -> None:
    """Refuse to record something new about a family without a current data consent."""
    if not has_data_consent(session, family_id, validation.today()):
        raise ValidationFailed(
            [
                FieldProblem(
                    "",
                    _(
                        "This family has no current consent to data processing. "
                        "Record the family's consent first."
                    ),
                )
            ]
        )
