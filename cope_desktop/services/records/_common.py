"""What the record services share: loading records, applying drafts, references, names."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.models import Activity, Caregiver, Child, Family, ImprisonedRelative
from cope_desktop.errors import RecordNotFound
from cope_desktop.i18n import _
from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.services.validation import Problems
from cope_desktop.sync.capture import this_device


class _Record(Protocol):
    id: Any
    deleted_at: Any


class _FamilyMember(_Record, Protocol):
    family_id: Any


R = TypeVar("R", bound=_Record)
M = TypeVar("M", bound=_FamilyMember)
Person = type[Child] | type[Caregiver] | type[ImprisonedRelative]
Referenced = type[Family] | type[Activity] | Person

PERSON_PREFIXES: dict[str, Person] = {"C": Child, "G": Caregiver, "R": ImprisonedRelative}
REFERENCE_DIGITS = 6


def load(session: Session, model: type[R], record_id: uuid.UUID) -> R:
    """The record with this id (archived or not), or ``RecordNotFound``."""
    record = session.get(model, record_id)
    if record is None:
        raise RecordNotFound(_("This record does not exist any more."))
    return record


def load_in_family(
    session: Session, model: type[M], record_id: uuid.UUID, family_id: uuid.UUID
) -> M:
    """A record of this family: one of another family is as unknown as a missing one."""
    record = load(session, model, record_id)
    if record.family_id != family_id:
        raise RecordNotFound(_("This record does not exist any more."))
    return record


def load_family(session: Session, family_id: uuid.UUID) -> Family:
    return load(session, Family, family_id)


def may_edit(user: CurrentUser) -> None:
    require(user, Permission.EDIT_RECORDS)


def apply(record: object, values: Mapping[str, object]) -> list[str]:
    """Set the attributes that differ; return the names of those that changed."""
    changed = []
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


def log_change(
    session: Session,
    user: CurrentUser,
    object_type: str,
    object_id: uuid.UUID,
    created: bool,
    changed: list[str],
) -> None:
    """One "create" event, or one "change" event naming the fields (never their values)."""
    if created:
        audit.record_by(session, user, "create", object_type, object_id)
    elif changed:
        audit.record_by(session, user, "change", object_type, object_id, ",".join(changed))


def refresh_terms(session: Session, family_id: uuid.UUID) -> None:
    session.flush()
    search_terms.refresh(session, [family_id])


def now() -> dt.datetime:
    return utcnow()


def person_name(first_name: str | None, last_name: str | None, reference: str) -> str:
    """A person as lists show them: the names, or the reference when none is stored."""
    name = " ".join(part for part in (first_name, last_name) if part)
    return name or reference


def user_label(display_name: str | None, username: str | None) -> str:
    return display_name or username or ""


def next_reference(
    session: Session,
    model: Referenced,
    prefix: str,
    reserved: Collection[str] = (),
) -> str:
    """``PREFIX-000001``: one more than the highest ``PREFIX-<digits>`` in use.

    Only references from ``PREFIX-0`` up to ``PREFIX-9…`` are read (a range of the unique
    index), sorted by their number's length without leading zeros and then its digits, so
    the first one made of digits only is the highest number, whatever its padding.
    ``reserved`` are references about to be written in the same change.

    On a copy made for a field laptop the prefix carries the copy's reference tag
    (``F-7QK2-000001``), so references made on different copies never clash.
    """
    tag = this_device(session).tag
    if tag:
        prefix = f"{prefix}-{tag}"
    column = model.reference
    start = len(prefix) + 2
    digits = func.ltrim(func.substr(column, start), "0")
    query = (
        select(column)
        .where(column >= f"{prefix}-0", column < f"{prefix}-:")
        .order_by(func.length(digits).desc(), digits.desc())
        .execution_options(yield_per=50)
    )
    highest = 0
    for reference in session.scalars(query):
        suffix = reference[start - 1 :]
        if suffix.isdigit():
            highest = int(suffix)
            break
    taken = {reference for reference in reserved if reference.startswith(f"{prefix}-")}
    number = highest + 1
    while (candidate := f"{prefix}-{number:0{REFERENCE_DIGITS}d}") in taken:
        number += 1
    return candidate


def reference_taken(
    session: Session, model: Referenced, reference: str, own_id: uuid.UUID | None
) -> bool:
    """Another record of the table (archived ones too) already has this reference."""
    query = select(model.id).where(model.reference == reference)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return session.scalar(query.limit(1)) is not None


class Part(Problems):
    """The problems of one part of a bigger form: fields are prefixed ("caregiver.email")."""

    def __init__(self, whole: Problems, prefix: str) -> None:
        super().__init__()
        self.found = whole.found
        self.prefix = prefix

    def add(self, field: str, message: str) -> None:
        super().add(self.prefix + field, message)

    def has(self, field: str) -> bool:
        return super().has(self.prefix + field)
