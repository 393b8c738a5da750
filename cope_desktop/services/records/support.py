"""Individual support given to a family, or to one of its children, on a date."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cope_desktop.db.models import SupportService
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.records._checks import check_child_of
from cope_desktop.services.records._common import (
    apply,
    load_family,
    load_in_family,
    log_change,
    may_edit,
)
from cope_desktop.services.records.consent import require_data_consent
from cope_desktop.services.records.drafts import SupportDraft
from cope_desktop.services.validation import Problems, clean


def save_support(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    support_id: uuid.UUID | None,
    draft: SupportDraft,
) -> uuid.UUID:
    """Record support (a new one needs a current data consent) or correct a recorded one."""
    may_edit(user)
    family = load_family(session, family_id)
    support = load_in_family(session, SupportService, support_id, family_id) if support_id else None
    if support is None:
        require_data_consent(session, family_id)
    problems = Problems()
    if problems.required_date("provided_on", draft.provided_on):
        problems.not_in_future("provided_on", draft.provided_on)
        problems.in_order(
            family.opened_on,
            "provided_on",
            draft.provided_on,
            _("This date is before the case was opened."),
        )
    if draft.child_id is not None:
        check_child_of(problems, session, family_id, draft.child_id)
    problems.raise_if_any()
    created = support is None
    if support is None:
        support = SupportService(id=uuid.uuid4(), family_id=family_id, provided_by_id=user.id)
    values = {
        "service": draft.service,
        "provided_on": draft.provided_on,
        "child_id": draft.child_id,
        "notes": clean(draft.notes),
    }
    changed = apply(support, values)
    session.add(support)
    session.flush()
    log_change(session, user, "support", support.id, created, changed)
    return support.id
