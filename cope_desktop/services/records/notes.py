"""Case notes: dated free text by a caseworker, read and written by the roles allowed to.

Notes are never returned by any list or report function; ``read_family`` gives them only to
roles that may read them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from cope_desktop.db.models import CaseNote
from cope_desktop.errors import FieldProblem, PermissionDenied, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.services.records._common import apply, load, load_family, log_change
from cope_desktop.services.records.consent import require_data_consent
from cope_desktop.services.validation import Problems

TEXT_LIMIT = 20_000


def _check(written_on: dt.date | None, text: str) -> str:
    """The note's text, stripped; every broken rule raised at once."""
    problems = Problems()
    if problems.required_date("written_on", written_on):
        problems.not_in_future("written_on", written_on)
    cleaned = problems.required_text("text", text, _("Write the note."))
    problems.length("text", cleaned, TEXT_LIMIT)
    problems.raise_if_any()
    return cleaned or ""


def add_note(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    written_on: dt.date | None,
    text: str,
) -> uuid.UUID:
    require(user, Permission.WRITE_CASE_NOTES)
    family = load_family(session, family_id)
    if not family.notes_allowed:
        raise ValidationFailed(
            [FieldProblem("", _("This family has asked that no case notes be kept."))]
        )
    require_data_consent(session, family_id)
    cleaned = _check(written_on, text)
    assert written_on is not None
    note = CaseNote(
        id=uuid.uuid4(),
        family_id=family_id,
        author_id=user.id,
        written_on=written_on,
        text=cleaned,
    )
    session.add(note)
    session.flush()
    log_change(session, user, "case_note", note.id, True, [])
    return note.id


def update_note(
    session: Session,
    user: CurrentUser,
    note_id: uuid.UUID,
    written_on: dt.date | None,
    text: str,
) -> None:
    """Correct a note: only its author may."""
    require(user, Permission.WRITE_CASE_NOTES)
    note = load(session, CaseNote, note_id)
    if note.author_id != user.id:
        raise PermissionDenied(_("Only the author of a case note can change it."))
    cleaned = _check(written_on, text)
    changed = apply(note, {"written_on": written_on, "text": cleaned})
    session.flush()
    log_change(session, user, "case_note", note.id, False, changed)
