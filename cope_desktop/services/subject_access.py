"""Subject access (GDPR Art. 15 and 20): everything held about one person or one family.

``collect`` gathers it as a JSON-ready dict; ``write_json`` and ``write_pdf`` write it (the PDF
is laid out by ``subject_access_pdf``). Administrators only; each file written is one audit
row ``subject_access`` with the subject's kind and id, nothing else.

What is included, and what is left out so that nothing about anyone else is given away
(Art. 15(4)):

- A **family** subject (the family's own request) holds every member, every row about any of
  them and every case note of the family, unchanged.
- A **person** subject (a child, a caregiver or an imprisoned relative) holds their own row,
  the family's reference and opening and closing dates, their links to the family's children
  or imprisoned relatives (the other person by reference only, never by name), custody history
  (for an imprisoned relative), consents and support services given to them or to the whole
  family, their attendance and feedback, and the audit entries about any of these rows or
  about the family.
- **Case notes** are kept per family. For a person, only the notes that name them (first name,
  full name or reference, as whole words) are included; in those notes, and in every other
  free text (consent and support notes, quotes), the names and references of the family's
  other members are replaced by "[another person]". A consent's "given by" keeps the name
  of the adult who agreed, and hides other children only.
- Archived (soft-deleted) rows are still held, so they are included, with the date they
  were archived (``deleted_at``).

The JSON document (``format: "cope-subject-access/1"``)::

    {"format": "cope-subject-access/1",
     "generated": {"at": "2026-01-15T09:30:00Z", "software": "cope-desktop 0.1.0",
                   "language": "en", "by": "admin"},
     "organisation": {"name": "...", "country": "IT"},
     "subject": {"kind": "child", "id": "<uuid>", "reference": "C0001"},
     "remarks": ["<sentences in the user's language: what is included and left out>"],
     "sections": {
       "family": {"id", "reference", "opened_on", "closed_on", ...},
       "status_history": [{"id", "status", "changed_on", "reason", "user"}],
       "people": [{"kind": "child"|"caregiver"|"relative", "id", "reference", ...}],
       "relationships": [{"id", "child", "relative", "relationship", "deleted_at"}],
       "custody": [{"id", "relative", "status", "since", "prison", "deleted_at"}],
       "consents": [{"id", "child", "kind", "given_by", "given_on", "withdrawn_on", ...}],
       "support_services": [{"id", "child", "service", "provided_on", "provided_by", ...}],
       "case_notes": [{"id", "written_on", "author", "text", ...}],
       "attendance": [{"id", "person", "person_kind", "activity", "activity_date",
                       "activity_type", "place", ...}],
       "feedback": [{"id", "child", "activity_date", "activity_type", "rating", ...}],
       "audit": [{"sequence", "at", "user", "action", "object_type", "object_id",
                  "detail"}]}}

Every section is always present (an empty list when nothing is held). Keys inside a row are
the database's column names (or, for a value read through a link, the name of what it shows:
``prison``, ``caseworker``, ``author``…); people, children and relatives in links are
given by reference. Dates and times are ISO 8601 (times in UTC), category values are their
codes (``sex: "female"``), ids are UUID strings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cope_desktop import __version__, i18n
from cope_desktop.atomic import atomic_write, atomic_write_text
from cope_desktop.db.base import utcnow
from cope_desktop.db.models import (
    Activity,
    Attendance,
    AuditEvent,
    Caregiver,
    CaseNote,
    CaseStatusChange,
    Child,
    ChildRelative,
    Consent,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    Organisation,
    Prison,
    SupportService,
    User,
)
from cope_desktop.errors import RecordNotFound, UserInputError
from cope_desktop.i18n import N_, _
from cope_desktop.services import audit, family_list
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.erasure import PERSON_MODELS, chunks
from cope_desktop.services.family_list import FamilyFilter, FamilyRow, StatusFilter
from cope_desktop.services.permissions import Permission, require

FORMAT = "cope-subject-access/1"
KINDS = ("family", "child", "caregiver", "relative")
KIND_LABELS: dict[str, str] = {
    "family": N_("Family"),
    "child": N_("Child"),
    "caregiver": N_("Caregiver"),
    "relative": N_("Imprisoned relative"),
}
"""What each kind of subject is called on screen and in the PDF (translate with ``_``)."""

SECTIONS: tuple[tuple[str, str], ...] = (
    ("family", N_("Family")),
    ("status_history", N_("Case closed and reopened")),
    ("people", N_("People")),
    ("relationships", N_("Relationships")),
    ("custody", N_("Custody history")),
    ("consents", N_("Consents")),
    ("support_services", N_("Support given")),
    ("case_notes", N_("Case notes")),
    ("attendance", N_("Attendance at activities")),
    ("feedback", N_("Feedback on activities")),
    ("audit", N_("Audit trail")),
)
"""Every section of the document, in order, with its title (translated where shown)."""

_PERSON = ("reference", "first_name", "last_name")
_KEPT = ("anonymised_at", "created_at", "updated_at", "deleted_at")
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "child": (
        *_PERSON,
        "birth_date",
        "birth_year",
        "birth_month",
        "sex",
        "school_level",
        "knows_parent_location",
        "support_start",
        "support_end",
        *_KEPT,
    ),
    "caregiver": (
        *_PERSON,
        "relationship_to_children",
        "phone",
        "email",
        "address",
        "is_main",
        *_KEPT,
    ),
    "relative": (*_PERSON, *_KEPT),
}
"""The columns of each person's own row that are exported (tests check none is forgotten)."""

FAMILY_FIELDS = (
    "reference",
    "opened_on",
    "closed_on",
    "close_reason",
    "referral_source",
    "notes_allowed",
    *_KEPT,
)
"""The family's columns in a family's own export; a person's export has the first three."""
FAMILY_FIELDS_FOR_PERSON = ("reference", "opened_on", "closed_on")

ANOTHER_PERSON = N_("[another person]")


@dataclass(frozen=True)
class Subject:
    """Whose data is asked for: ``kind`` is "family", "child", "caregiver" or "relative"."""

    kind: str
    id: uuid.UUID


@dataclass
class Held:
    """Everything held about a subject, with its values as they are stored (typed)."""

    subject: Subject
    reference: str
    organisation: tuple[str, str]
    generated_at: dt.datetime
    generated_by: str
    remarks: list[str] = field(default_factory=list)
    family: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# --- who is in scope -------------------------------------------------------------------------


@dataclass
class _Scope:
    family: Family
    children: list[Child]
    caregivers: list[Caregiver]
    relatives: list[ImprisonedRelative]
    others: list[Child | Caregiver | ImprisonedRelative]
    """The family's members who are not the subject (empty for a family subject)."""

    person: Child | Caregiver | ImprisonedRelative | None = None
    """The subject when it is one person; None for a family."""

    @property
    def is_family(self) -> bool:
        return self.person is None

    @property
    def people(self) -> list[Child | Caregiver | ImprisonedRelative]:
        return [*self.children, *self.caregivers, *self.relatives]


def _members(session: Session, family_id: uuid.UUID) -> tuple[list[Any], list[Any], list[Any]]:
    def of(model: Any) -> list[Any]:
        return list(
            session.scalars(
                select(model).where(model.family_id == family_id).order_by(model.reference)
            )
        )

    return of(Child), of(Caregiver), of(ImprisonedRelative)


def _scope(session: Session, subject: Subject) -> _Scope:
    if subject.kind not in KINDS:
        raise UserInputError(_("Choose a family, a child, a caregiver or a relative."))
    if subject.kind == "family":
        family = session.get(Family, subject.id)
        if family is None:
            raise RecordNotFound(_("This record does not exist any more."))
        children, caregivers, relatives = _members(session, family.id)
        return _Scope(family, children, caregivers, relatives, others=[])
    model: Any = PERSON_MODELS[subject.kind]
    person = cast(Child | Caregiver | ImprisonedRelative | None, session.get(model, subject.id))
    if person is None:
        raise RecordNotFound(_("This record does not exist any more."))
    family = session.get(Family, person.family_id)
    assert family is not None
    children, caregivers, relatives = _members(session, family.id)
    others = [p for p in (*children, *caregivers, *relatives) if p.id != person.id]
    return _Scope(
        family,
        [person] if isinstance(person, Child) else [],
        [person] if isinstance(person, Caregiver) else [],
        [person] if isinstance(person, ImprisonedRelative) else [],
        others=others,
        person=person,
    )


# --- names of other people, hidden in free text ----------------------------------------------


def _words_of(person: Child | Caregiver | ImprisonedRelative) -> list[str]:
    full = " ".join(part for part in (person.first_name, person.last_name) if part)
    return [w for w in (full, person.first_name, person.last_name, person.reference) if w]


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({w.strip() for w in words if len(w.strip()) >= 2}, key=len, reverse=True)
    if not unique:
        return None
    alternatives = "|".join(re.escape(w) for w in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _redactor(scope: _Scope, people: Sequence[Any]) -> Callable[[str | None], str | None]:
    """Replace the names and references of ``people`` (not the subject's own words)."""
    own = {w.casefold() for w in _words_of(scope.person)} if scope.person else set()
    pattern = _pattern(w for p in people for w in _words_of(p) if w.casefold() not in own)

    def hide(text: str | None) -> str | None:
        if text is None or pattern is None:
            return text
        return pattern.sub(_(ANOTHER_PERSON), text)

    return hide


def _names_subject(scope: _Scope) -> Callable[[str], bool]:
    """Whether a note names the subject: their first name, full name or reference."""
    person = scope.person
    if person is None:
        return lambda _text: True
    full = " ".join(part for part in (person.first_name, person.last_name) if part)
    pattern = _pattern(w for w in (person.first_name, full, person.reference) if w)
    return lambda text: bool(pattern and pattern.search(text))


# --- reading ---------------------------------------------------------------------------------


def _row(record: Any, names: Sequence[str], **extra: Any) -> dict[str, Any]:
    values = {"id": record.id}
    values.update({name: getattr(record, name) for name in names})
    values.update(extra)
    return values


def _user_names(session: Session) -> dict[uuid.UUID, str]:
    return {user.id: user.display_name or user.username for user in session.scalars(select(User))}


def _prison_names(session: Session) -> dict[uuid.UUID, str]:
    return {prison.id: prison.name for prison in session.scalars(select(Prison))}


def _gather(session: Session, actor: CurrentUser, subject: Subject) -> Held:
    require(actor, Permission.SUBJECT_ACCESS)
    scope = _scope(session, subject)
    organisation = session.scalars(select(Organisation)).first()
    users, prisons = _user_names(session), _prison_names(session)
    references = {p.id: p.reference for p in (*scope.people, *scope.others)}
    hide = _redactor(scope, scope.others)
    hide_children = _redactor(scope, [p for p in scope.others if isinstance(p, Child)])
    reference = scope.person.reference if scope.person else scope.family.reference
    held = Held(
        subject=subject,
        reference=reference,
        organisation=(organisation.name, organisation.country) if organisation else ("", ""),
        generated_at=utcnow().replace(microsecond=0),
        generated_by=actor.username,
    )
    family = scope.family
    if scope.is_family:
        caseworker = users.get(family.caseworker_id) if family.caseworker_id else None
        held.family = _row(family, FAMILY_FIELDS, caseworker=caseworker)
    else:
        held.family = _row(family, FAMILY_FIELDS_FOR_PERSON)
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name, _title in SECTIONS}
    sections.pop("family")
    if scope.is_family:
        sections["status_history"] = [
            _row(
                change,
                ("status", "changed_on", "reason"),
                user=users.get(change.user_id) if change.user_id else None,
            )
            for change in session.scalars(
                select(CaseStatusChange)
                .where(CaseStatusChange.family_id == family.id)
                .order_by(CaseStatusChange.changed_on, CaseStatusChange.created_at)
            )
        ]
    sections["people"] = _people(scope, prisons)
    child_ids = [c.id for c in scope.children]
    relative_ids = [r.id for r in scope.relatives]
    caregiver_ids = [c.id for c in scope.caregivers]
    sections["relationships"] = [
        _row(
            link,
            ("relationship_to_child", "deleted_at"),
            child=references.get(link.child_id),
            relative=references.get(link.relative_id),
        )
        for link in session.scalars(
            select(ChildRelative).where(
                or_(
                    ChildRelative.child_id.in_(child_ids),
                    ChildRelative.relative_id.in_(relative_ids),
                )
            )
        )
    ]
    sections["custody"] = [
        _row(
            event,
            ("status", "since", "deleted_at"),
            relative=references.get(event.relative_id),
            prison=prisons.get(event.prison_id) if event.prison_id else None,
        )
        for event in session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.relative_id.in_(relative_ids))
            .order_by(CustodyEvent.since)
        )
    ]
    sections["consents"] = _consents(session, scope, references, hide, hide_children)
    sections["support_services"] = _support(session, scope, references, users, hide)
    sections["case_notes"] = _notes(session, scope, users, hide, held)
    sections["attendance"] = _attendance(
        session, child_ids, caregiver_ids, relative_ids, references, prisons
    )
    sections["feedback"] = _feedback(session, child_ids, references, hide)
    row_ids = [family.id, *(row["id"] for rows in sections.values() for row in rows)]
    sections["audit"] = _audit(session, row_ids, users)
    held.sections = sections
    held.remarks = _remarks(scope)
    return held


def _people(scope: _Scope, prisons: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for kind, people in (
        ("child", scope.children),
        ("caregiver", scope.caregivers),
        ("relative", scope.relatives),
    ):
        for person in people:
            extra: dict[str, Any] = {}
            if isinstance(person, ImprisonedRelative):
                extra["prison"] = prisons.get(person.prison_id) if person.prison_id else None
            rows.append({"kind": kind, **_row(person, PERSON_FIELDS[kind], **extra)})
    return rows


def _family_wide(scope: _Scope, child_column: Any) -> Any:
    """Rows for the subject: the whole family's, a child's own, or an adult's family-wide."""
    in_family = child_column.class_.family_id == scope.family.id
    if scope.is_family:
        return in_family
    if scope.children:
        return in_family & or_(child_column.is_(None), child_column == scope.children[0].id)
    return in_family & child_column.is_(None)


def _consents(
    session: Session,
    scope: _Scope,
    references: dict[uuid.UUID, str],
    hide: Callable[[str | None], str | None],
    hide_children: Callable[[str | None], str | None],
) -> list[dict[str, Any]]:
    return [
        _row(
            consent,
            ("kind", "given_on", "withdrawn_on", "deleted_at"),
            child=references.get(consent.child_id) if consent.child_id else None,
            given_by=hide_children(consent.given_by),
            notes=hide(consent.notes),
        )
        for consent in session.scalars(
            select(Consent)
            .where(_family_wide(scope, Consent.child_id))
            .order_by(Consent.given_on, Consent.created_at)
        )
    ]


def _support(
    session: Session,
    scope: _Scope,
    references: dict[uuid.UUID, str],
    users: dict[uuid.UUID, str],
    hide: Callable[[str | None], str | None],
) -> list[dict[str, Any]]:
    return [
        _row(
            service,
            ("service", "provided_on", "deleted_at"),
            child=references.get(service.child_id) if service.child_id else None,
            provided_by=users.get(service.provided_by_id) if service.provided_by_id else None,
            notes=hide(service.notes),
        )
        for service in session.scalars(
            select(SupportService)
            .where(_family_wide(scope, SupportService.child_id))
            .order_by(SupportService.provided_on, SupportService.created_at)
        )
    ]


def _notes(
    session: Session,
    scope: _Scope,
    users: dict[uuid.UUID, str],
    hide: Callable[[str | None], str | None],
    held: Held,
) -> list[dict[str, Any]]:
    names_subject = _names_subject(scope)
    rows: list[dict[str, Any]] = []
    for note in session.scalars(
        select(CaseNote)
        .where(CaseNote.family_id == scope.family.id)
        .order_by(CaseNote.written_on, CaseNote.created_at)
    ):
        if not names_subject(note.text):
            continue
        rows.append(
            _row(
                note,
                ("written_on", "deleted_at"),
                author=users.get(note.author_id) if note.author_id else None,
                text=hide(note.text),
            )
        )
    return rows


def _attendance(
    session: Session,
    child_ids: list[uuid.UUID],
    caregiver_ids: list[uuid.UUID],
    relative_ids: list[uuid.UUID],
    references: dict[uuid.UUID, str],
    prisons: dict[uuid.UUID, str],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    query = (
        select(Attendance, Activity)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(
            or_(
                Attendance.child_id.in_(child_ids),
                Attendance.caregiver_id.in_(caregiver_ids),
                Attendance.relative_id.in_(relative_ids),
            )
        )
        .order_by(Activity.held_on, Activity.reference)
    )
    for attendance, activity in session.execute(query):
        person = attendance.child_id or attendance.caregiver_id or attendance.relative_id
        rows.append(
            {
                "id": attendance.id,
                "person": references.get(person) if person else None,
                "person_kind": attendance.kind,
                "activity": activity.reference,
                "activity_date": activity.held_on,
                "activity_type": activity.type,
                "place": prisons.get(activity.prison_id) if activity.prison_id else None,
                "start_time": activity.start_time,
                "duration_minutes": activity.duration_minutes,
                "created_at": attendance.created_at,
                "deleted_at": attendance.deleted_at or activity.deleted_at,
            }
        )
    return rows


def _feedback(
    session: Session,
    child_ids: list[uuid.UUID],
    references: dict[uuid.UUID, str],
    hide: Callable[[str | None], str | None],
) -> list[dict[str, Any]]:
    query = (
        select(Feedback, Activity)
        .join(Activity, Activity.id == Feedback.activity_id)
        .where(Feedback.child_id.in_(child_ids))
        .order_by(Activity.held_on, Activity.reference)
    )
    return [
        {
            "id": feedback.id,
            "child": references.get(feedback.child_id) if feedback.child_id else None,
            "activity": activity.reference,
            "activity_date": activity.held_on,
            "activity_type": activity.type,
            "rating": feedback.rating,
            "face": feedback.face,
            "quote": hide(feedback.quote),
            "quote_approved": feedback.quote_approved,
            "created_at": feedback.created_at,
            "deleted_at": feedback.deleted_at,
        }
        for feedback, activity in session.execute(query)
    ]


def _audit(
    session: Session, ids: Sequence[uuid.UUID], users: dict[uuid.UUID, str]
) -> list[dict[str, Any]]:
    """Every audit entry about one of ``ids``; the user as the trail names them."""
    events: list[AuditEvent] = []
    for chunk in chunks(dict.fromkeys(ids)):
        events.extend(session.scalars(select(AuditEvent).where(AuditEvent.object_id.in_(chunk))))
    events.sort(key=lambda event: event.sequence)
    return [
        {
            "sequence": event.sequence,
            "at": event.at,
            "user": (users.get(event.user_id) if event.user_id else None) or event.username,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "detail": event.detail,
        }
        for event in events
    ]


def _remarks(scope: _Scope) -> list[str]:
    if scope.is_family:
        return [
            _(
                "This is everything the organisation holds about the family and each of its "
                "members, including archived records and the whole case file."
            )
        ]
    return [
        _(
            "This is everything the organisation holds about this person, including archived "
            "records."
        ),
        _(
            "Case notes are written about the whole family: only the notes that name this "
            "person are included. Names of other people in the family are replaced by "
            "“{another}” in notes and other free text."
        ).format(another=_(ANOTHER_PERSON)),
        _(
            "Other people in a relationship are shown by their reference only. A request by "
            "the family as a whole gives the whole case file."
        ),
    ]


# --- JSON ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A stored value as JSON: ISO dates and times, codes for categories, ids as strings."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _plain(value) for key, value in row.items()}


def as_document(held: Held) -> dict[str, Any]:
    """The JSON document of ``held`` (see the module's docstring)."""
    sections: dict[str, Any] = {"family": _plain_row(held.family)}
    for name, rows in held.sections.items():
        sections[name] = [_plain_row(row) for row in rows]
    return {
        "format": FORMAT,
        "generated": {
            "at": _plain(held.generated_at),
            "software": f"cope-desktop {__version__}",
            "language": i18n.current_language(),
            "by": held.generated_by,
        },
        "organisation": {"name": held.organisation[0], "country": held.organisation[1]},
        "subject": {
            "kind": held.subject.kind,
            "id": str(held.subject.id),
            "reference": held.reference,
        },
        "remarks": list(held.remarks),
        "sections": {name: sections[name] for name, _title in SECTIONS},
    }


def collect(session: Session, actor: CurrentUser, subject: Subject) -> dict[str, Any]:
    """Everything held about ``subject``, as the JSON document (administrators only)."""
    return as_document(_gather(session, actor, subject))


def _audited(session: Session, actor: CurrentUser, subject: Subject) -> None:
    audit.record_by(session, actor, "subject_access", subject.kind, subject.id)


def write_json(session: Session, actor: CurrentUser, subject: Subject, path: Path) -> Path:
    """Write the JSON document to ``path`` (whole or not at all); one audit row."""
    document = collect(session, actor, subject)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(path, text)
    _audited(session, actor, subject)
    return Path(path)


def write_pdf(session: Session, actor: CurrentUser, subject: Subject, path: Path) -> Path:
    """Write a readable PDF of everything held, in the current language."""
    from cope_desktop.services.subject_access_pdf import render

    held = _gather(session, actor, subject)
    with atomic_write(path, "wb") as out:
        render(held, cast(BinaryIO, out))
    _audited(session, actor, subject)
    return Path(path)


def file_stem(reference: str) -> str:
    """The name both files share: ``F0012-subject-access`` (unsafe characters replaced)."""
    safe = re.sub(r"[^\w.-]+", "_", reference).strip("._") or "subject"
    return f"{safe}-subject-access"


# --- who can be chosen -----------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A family or one of its members, as the requests screen lists them."""

    kind: str
    id: uuid.UUID
    reference: str
    name: str
    """The names as the records show them; the reference when no name is kept."""
    archived: bool

    @property
    def subject(self) -> Subject:
        return Subject(self.kind, self.id)


def members(session: Session, actor: CurrentUser, family_id: uuid.UUID) -> list[Member]:
    """The family itself, then its children, caregivers and imprisoned relatives."""
    require(actor, Permission.SUBJECT_ACCESS)
    family = session.get(Family, family_id)
    if family is None:
        raise RecordNotFound(_("This record does not exist any more."))
    found = [
        Member(
            "family", family.id, family.reference, family.reference, family.deleted_at is not None
        )
    ]
    children, caregivers, relatives = _members(session, family_id)
    for kind, people in (("child", children), ("caregiver", caregivers), ("relative", relatives)):
        for person in people:
            name = " ".join(part for part in (person.first_name, person.last_name) if part)
            found.append(
                Member(
                    kind,
                    person.id,
                    person.reference,
                    name or person.reference,
                    person.deleted_at is not None,
                )
            )
    return found


FIND_LIMIT = 50


def find_families(session: Session, actor: CurrentUser, text: str) -> list[FamilyRow]:
    """Families whose reference or names start with the words typed, archived ones too.

    At most ``FIND_LIMIT``, in reference order: the family list's own search.
    """
    require(actor, Permission.SUBJECT_ACCESS)
    keys: list[Any] = []
    for status in (StatusFilter.ALL, StatusFilter.ARCHIVED):
        wanted = FamilyFilter(status=status, text=text)
        keys += family_list.family_ids(session, wanted)[: FIND_LIMIT - len(keys)]
    return [row for row in family_list.family_rows(session, keys) if row is not None]
