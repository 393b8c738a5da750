"""Archiving (soft deletion) and restoring records.

An archived record stays in the database, so history, audit and figures already reported stay
whole; lists leave it out, and an archived family hides its whole record from them. Only an
administrator restores.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from cope_desktop.db.models import (
    Caregiver,
    CaseNote,
    Child,
    ChildRelative,
    Consent,
    Family,
    ImprisonedRelative,
    Prison,
    SupportService,
)
from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import _
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.services.records._common import load, now, refresh_terms


class RecordKind(StrEnum):
    FAMILY = "family"
    CHILD = "child"
    CAREGIVER = "caregiver"
    RELATIVE = "relative"
    CONSENT = "consent"
    SUPPORT = "support"
    CASE_NOTE = "case_note"
    PRISON = "prison"


_Archivable = (
    Family | Child | Caregiver | ImprisonedRelative | Consent | SupportService | CaseNote | Prison
)
_MODELS: dict[RecordKind, type[_Archivable]] = {
    RecordKind.FAMILY: Family,
    RecordKind.CHILD: Child,
    RecordKind.CAREGIVER: Caregiver,
    RecordKind.RELATIVE: ImprisonedRelative,
    RecordKind.CONSENT: Consent,
    RecordKind.SUPPORT: SupportService,
    RecordKind.CASE_NOTE: CaseNote,
    RecordKind.PRISON: Prison,
}


def archive(session: Session, user: CurrentUser, kind: RecordKind, record_id: uuid.UUID) -> None:
    """Mark the record archived (nothing happens if it already is)."""
    require(
        user,
        Permission.WRITE_CASE_NOTES if kind == RecordKind.CASE_NOTE else Permission.EDIT_RECORDS,
    )
    record = load(session, _MODELS[kind], record_id)
    if record.deleted_at is not None:
        return
    if kind == RecordKind.RELATIVE:
        _refuse_orphans(session, record_id)
    record.deleted_at = now()
    _done(session, user, "archive", kind, record)


def restore(session: Session, user: CurrentUser, kind: RecordKind, record_id: uuid.UUID) -> None:
    """Bring an archived record back (nothing happens if it is not archived)."""
    require(user, Permission.RESTORE_RECORDS)
    record = load(session, _MODELS[kind], record_id)
    if record.deleted_at is None:
        return
    record.deleted_at = None
    _done(session, user, "restore", kind, record)


def _done(
    session: Session,
    user: CurrentUser,
    action: str,
    kind: RecordKind,
    record: _Archivable,
) -> None:
    """Audit; a member's archiving or restoring changes its family's search terms."""
    session.flush()
    audit.record_by(session, user, action, kind.value, record.id)
    if isinstance(record, Child | Caregiver | ImprisonedRelative):
        refresh_terms(session, record.family_id)


def _refuse_orphans(session: Session, relative_id: uuid.UUID) -> None:
    """Refuse when an unarchived child would be left without an unarchived relative."""
    children = select(ChildRelative.child_id).where(
        ChildRelative.relative_id == relative_id, ChildRelative.deleted_at.is_(None)
    )
    others = (
        select(ChildRelative.child_id)
        .join(ImprisonedRelative, ImprisonedRelative.id == ChildRelative.relative_id)
        .where(
            ChildRelative.child_id.in_(children),
            ChildRelative.relative_id != relative_id,
            ChildRelative.deleted_at.is_(None),
            ImprisonedRelative.deleted_at.is_(None),
        )
    )
    orphans = session.scalars(
        select(Child.reference)
        .where(Child.id.in_(children), Child.deleted_at.is_(None), Child.id.not_in(others))
        .order_by(Child.reference)
    ).all()
    if orphans:
        raise ValidationFailed(
            [
                FieldProblem(
                    "",
                    _(
                        "Child {reference} would have no imprisoned relative left. Link the "
                        "child to another relative first, or archive the child."
                    ).format(reference=reference),
                )
                for reference in orphans
            ]
        )
