"""Erasure of one person or one family on request (GDPR Art. 17; TARGETS.md R14).

Erasing deletes every row about the person or family, archived rows included: the
person and family rows, the links between children and imprisoned relatives, custody
events, consents, support services, case notes, case history, attendance and feedback,
and the search terms built from their names. It happens in one transaction, with one
audit row (``erase``) that holds the object type, the id and row counts, never a name.
Form drafts are never stored in the database (they live in the open window only), so
there is nothing of them to erase.

SQLite does not overwrite what it deletes by itself, and in WAL mode the old pages stay in
the main file until a checkpoint. Every connection runs with ``secure_delete`` on
(``db/engine.py``), and ``compact`` then checkpoints the WAL into the main file, rebuilds
the file with VACUUM and truncates the WAL, so no page of the file keeps the values.

The returns already written are not changed (they are files that left the organisation);
the preview lists the ones whose period these records counted in, so the screen can say so.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from cope_desktop.db.database import Database
from cope_desktop.db.enums import ReleaseKind
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
    Feedback,
    ImprisonedRelative,
    ReleaseLog,
    SearchTerm,
    SupportService,
)
from cope_desktop.errors import RecordNotFound, UserInputError
from cope_desktop.i18n import N_, _, ngettext
from cope_desktop.reports import quotes
from cope_desktop.reports.period import Period
from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require

log = logging.getLogger(__name__)

PersonKind = Literal["child", "caregiver", "relative"]
PERSON_KINDS: tuple[PersonKind, ...] = get_args(PersonKind)
CHUNK = 500
"""Ids per IN (...) list: well under SQLite's limit of bound parameters."""
CHECKPOINT_TRIES = 20
"""Checkpoint attempts while another connection reads (waiting 50 ms more each time, about
10 s in all) before the erasure reports the file as not compacted yet."""
CHECKPOINT_WAIT = 0.05
"""Seconds added to the wait before each further checkpoint attempt."""

ROW_KINDS: dict[str, str] = {
    "family": N_("Family"),
    "child": N_("Children"),
    "caregiver": N_("Caregivers"),
    "relative": N_("Imprisoned relatives"),
    "child_relative": N_("Links between children and relatives"),
    "custody_event": N_("Custody history entries"),
    "consent": N_("Consents"),
    "support_service": N_("Support services"),
    "case_note": N_("Case notes"),
    "case_status_change": N_("Case history entries"),
    "attendance": N_("Attendances at activities"),
    "feedback": N_("Feedback from children"),
    "search_term": N_("Search words"),
}
"""Every kind of row an erasure removes, in the order the preview lists them."""

PERSON_MODELS: dict[str, type[Child] | type[Caregiver] | type[ImprisonedRelative]] = {
    "child": Child,
    "caregiver": Caregiver,
    "relative": ImprisonedRelative,
}
"""The model of each kind of person (also the subjects of ``subject_access``)."""
_MODELS: dict[str, Any] = {
    "family": Family,
    **PERSON_MODELS,
    "child_relative": ChildRelative,
    "custody_event": CustodyEvent,
    "consent": Consent,
    "support_service": SupportService,
    "case_note": CaseNote,
    "case_status_change": CaseStatusChange,
    "attendance": Attendance,
    "feedback": Feedback,
}
_DELETE_ORDER = (
    "attendance",
    "feedback",
    "child_relative",
    "custody_event",
    "consent",
    "support_service",
    "case_note",
    "case_status_change",
    "child",
    "caregiver",
    "relative",
    "family",
)
"""Rows that refer to others go first (foreign keys are enforced)."""


def row_kind_label(kind: str) -> str:
    """The translated name of a kind of row (a key of ``ROW_KINDS``)."""
    return _(ROW_KINDS.get(kind, kind))


@dataclass(frozen=True)
class ReleasedReturn:
    """A return or report already written for a period these records counted in."""

    kind: ReleaseKind
    period: Period
    generated_at: Any
    file_name: str

    @property
    def is_network_return(self) -> bool:
        return self.kind is ReleaseKind.NETWORK_RETURN


@dataclass(frozen=True)
class ErasurePreview:
    subject_type: str
    """"family", "child", "caregiver" or "relative"."""
    subject_id: uuid.UUID
    reference: str
    family_id: uuid.UUID
    counts: dict[str, int]
    """Rows that will be removed, by kind (``ROW_KINDS``); kinds with none are left out."""
    releases: list[ReleasedReturn]
    notes: list[str] = field(default_factory=list)
    """Sentences the person must read first (what stays, what to check by hand); the one
    about returns already written is ``returns_note(preview)``."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class ErasureResult:
    subject_type: str
    subject_id: uuid.UUID
    counts: dict[str, int]
    """Rows removed, by kind: the same as the preview's counts."""
    compacted: bool
    """True when the file was rebuilt and the WAL emptied (False: another window was
    reading; the deleted values are overwritten with zeros, and the next compaction
    finishes the work)."""


# --- what an erasure touches -----------------------------------------------------------


@dataclass
class ErasurePlan:
    """The ids of every row to delete, by kind, and the search words that go."""

    ids: dict[str, set[uuid.UUID]]
    search_terms: int = 0
    consent_signers: set[uuid.UUID] = field(default_factory=set)
    """Consents whose "given by" names the erased caregiver: that value is cleared."""

    def counts(self) -> dict[str, int]:
        found = {kind: len(ids) for kind, ids in self.ids.items() if ids}
        if self.search_terms:
            found["search_term"] = self.search_terms
        return {kind: found[kind] for kind in ROW_KINDS if kind in found}


def chunks(ids: Iterable[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    """``ids`` in lists of at most ``CHUNK``, for ``IN (...)`` conditions."""
    values = list(ids)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _ids_where(
    session: Session,
    column: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[Any],
    values: Collection[uuid.UUID],
) -> set[uuid.UUID]:
    """Ids (``column``) of the rows whose ``key`` is one of ``values``."""
    found: set[uuid.UUID] = set()
    for chunk in chunks(values):
        found.update(session.scalars(select(column).where(key.in_(chunk))))
    return found


def families_plan(session: Session, family_ids: Collection[uuid.UUID]) -> ErasurePlan:
    """Every row of these families and of the people in them (archived or not)."""
    families = set(family_ids)
    children = _ids_where(session, Child.id, Child.family_id, families)
    caregivers = _ids_where(session, Caregiver.id, Caregiver.family_id, families)
    relatives = _ids_where(session, ImprisonedRelative.id, ImprisonedRelative.family_id, families)
    ids: dict[str, set[uuid.UUID]] = {
        "family": families,
        "child": children,
        "caregiver": caregivers,
        "relative": relatives,
        "child_relative": _ids_where(session, ChildRelative.id, ChildRelative.child_id, children)
        | _ids_where(session, ChildRelative.id, ChildRelative.relative_id, relatives),
        "custody_event": _ids_where(session, CustodyEvent.id, CustodyEvent.relative_id, relatives),
        "consent": _ids_where(session, Consent.id, Consent.family_id, families)
        | _ids_where(session, Consent.id, Consent.child_id, children),
        "support_service": _ids_where(
            session, SupportService.id, SupportService.family_id, families
        )
        | _ids_where(session, SupportService.id, SupportService.child_id, children),
        "case_note": _ids_where(session, CaseNote.id, CaseNote.family_id, families),
        "case_status_change": _ids_where(
            session, CaseStatusChange.id, CaseStatusChange.family_id, families
        ),
        "attendance": _ids_where(session, Attendance.id, Attendance.child_id, children)
        | _ids_where(session, Attendance.id, Attendance.caregiver_id, caregivers)
        | _ids_where(session, Attendance.id, Attendance.relative_id, relatives),
        "feedback": _ids_where(session, Feedback.id, Feedback.child_id, children),
    }
    terms = 0
    for chunk in chunks(families):
        terms += (
            session.scalar(
                select(func.count()).select_from(SearchTerm).where(SearchTerm.family_id.in_(chunk))
            )
            or 0
        )
    return ErasurePlan(ids, terms)


def _person_plan(session: Session, kind: PersonKind, person: Any) -> ErasurePlan:
    one = {person.id}
    ids: dict[str, set[uuid.UUID]] = {kind: one}
    if kind == "child":
        ids["child_relative"] = _ids_where(session, ChildRelative.id, ChildRelative.child_id, one)
        ids["consent"] = _ids_where(session, Consent.id, Consent.child_id, one)
        ids["support_service"] = _ids_where(
            session, SupportService.id, SupportService.child_id, one
        )
        ids["attendance"] = _ids_where(session, Attendance.id, Attendance.child_id, one)
        ids["feedback"] = _ids_where(session, Feedback.id, Feedback.child_id, one)
    elif kind == "caregiver":
        ids["attendance"] = _ids_where(session, Attendance.id, Attendance.caregiver_id, one)
    else:
        ids["child_relative"] = _ids_where(
            session, ChildRelative.id, ChildRelative.relative_id, one
        )
        ids["custody_event"] = _ids_where(session, CustodyEvent.id, CustodyEvent.relative_id, one)
        ids["attendance"] = _ids_where(session, Attendance.id, Attendance.relative_id, one)
    plan = ErasurePlan(ids, _terms_lost(session, person))
    if kind == "caregiver":
        plan.consent_signers = _consents_signed_by(session, person)
    return plan


def _terms_lost(session: Session, person: Any) -> int:
    """How many of the family's search words come only from this person."""
    family = session.get(Family, person.family_id)
    assert family is not None
    kept: set[str] = set(search_terms.words(family.reference))
    for model in PERSON_MODELS.values():
        rows = session.execute(
            select(model.id, model.reference, model.first_name, model.last_name).where(
                model.family_id == family.id, model.deleted_at.is_(None)
            )
        )
        for member_id, reference, first_name, last_name in rows:
            if member_id == person.id and isinstance(person, model):
                continue
            for text in (reference, first_name, last_name):
                kept.update(search_terms.words(text))
    current = set(session.scalars(select(SearchTerm.term).where(SearchTerm.family_id == family.id)))
    return len(current - kept)


def _consents_signed_by(session: Session, caregiver: Caregiver) -> set[uuid.UUID]:
    """Consents of the family whose "given by" holds every word of the caregiver's name."""
    name = set(
        search_terms.query_words(f"{caregiver.first_name or ''} {caregiver.last_name or ''}")
    )
    if not name:
        return set()
    rows = session.execute(
        select(Consent.id, Consent.given_by).where(Consent.family_id == caregiver.family_id)
    )
    return {
        consent_id
        for consent_id, given_by in rows
        if name <= set(search_terms.query_words(given_by or ""))
    }


# --- returns already written -----------------------------------------------------------


def _activity_dates(session: Session, plan: ErasurePlan) -> set[Any]:
    dates: set[Any] = set()
    for kind, model in (("attendance", Attendance), ("feedback", Feedback)):
        for chunk in chunks(plan.ids.get(kind, ())):
            dates.update(
                session.scalars(
                    select(Activity.held_on)
                    .join(model, model.activity_id == Activity.id)
                    .where(model.id.in_(chunk))
                    .distinct()
                )
            )
    for chunk in chunks(plan.ids.get("support_service", ())):
        dates.update(
            session.scalars(
                select(SupportService.provided_on).where(SupportService.id.in_(chunk)).distinct()
            )
        )
    return dates


def _releases(
    session: Session, spans: list[tuple[Any, Any]], dates: set[Any]
) -> list[ReleasedReturn]:
    """Releases whose period overlaps a span the records count in, or holds one of the dates."""
    rows = list(session.scalars(select(ReleaseLog).order_by(ReleaseLog.generated_at)))
    matching: list[ReleasedReturn] = []
    for row in rows:
        in_span = any(
            row.period_end >= start and (end is None or row.period_start <= end)
            for start, end in spans
        )
        on_date = any(row.period_start <= day <= row.period_end for day in dates)
        if in_span or on_date:
            matching.append(
                ReleasedReturn(
                    row.kind,
                    Period(row.period_start, row.period_end),
                    row.generated_at,
                    row.file_name,
                )
            )
    matching.sort(key=lambda release: (release.period.start, release.generated_at))
    return matching


def _family_span(family: Family) -> tuple[Any, Any]:
    return family.opened_on, family.closed_on


def _child_span(family: Family, child: Child) -> tuple[Any, Any] | None:
    start, end = family.opened_on, family.closed_on
    if child.support_start is not None and child.support_start > start:
        start = child.support_start
    if child.support_end is not None and (end is None or child.support_end < end):
        end = child.support_end
    if end is not None and end < start:
        return None
    return start, end


# --- previews ----------------------------------------------------------------------------


def _load_family(session: Session, family_id: uuid.UUID) -> Family:
    family = session.get(Family, family_id)
    if family is None:
        raise RecordNotFound(_("This record does not exist any more."))
    return family


def _load_person(session: Session, kind: str, person_id: uuid.UUID) -> Any:
    model = PERSON_MODELS.get(kind)
    if model is None:
        raise UserInputError(
            _("A person to erase is a child, a caregiver or an imprisoned relative.")
        )
    person = session.get(model, person_id)
    if person is None:
        raise RecordNotFound(_("This record does not exist any more."))
    return person


def releases_for(
    session: Session, spans: list[tuple[Any, Any]], plan: ErasurePlan
) -> list[ReleasedReturn]:
    """Releases overlapping the cases' spans (opened, closed) or the dates of ``plan``'s rows."""
    return _releases(session, spans, _activity_dates(session, plan))


def preview_family(session: Session, actor: CurrentUser, family_id: uuid.UUID) -> ErasurePreview:
    """What erasing this family removes, and the returns already written that counted it."""
    require(actor, Permission.ERASE_RECORDS)
    family = _load_family(session, family_id)
    plan = families_plan(session, [family_id])
    releases = _releases(session, [_family_span(family)], _activity_dates(session, plan))
    return ErasurePreview("family", family.id, family.reference, family.id, plan.counts(), releases)


def preview_person(
    session: Session, actor: CurrentUser, kind: str, person_id: uuid.UUID
) -> ErasurePreview:
    """What erasing one child, caregiver or imprisoned relative removes (the family stays)."""
    require(actor, Permission.ERASE_RECORDS)
    person = _load_person(session, kind, person_id)
    family = _load_family(session, person.family_id)
    plan = _person_plan(session, cast(PersonKind, kind), person)
    spans: list[tuple[Any, Any]] = []
    if kind == "child":
        span = _child_span(family, person)
        spans = [span] if span is not None else []
    elif kind == "relative":
        spans = [_family_span(family)]
    releases = _releases(session, spans, _activity_dates(session, plan))
    notes = _person_notes(session, cast(PersonKind, kind), person, plan)
    return ErasurePreview(
        kind, person.id, person.reference, family.id, plan.counts(), releases, notes
    )


def _person_notes(session: Session, kind: PersonKind, person: Any, plan: ErasurePlan) -> list[str]:
    model = PERSON_MODELS[kind]
    others = session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.family_id == person.family_id, model.id != person.id)
    )
    notes: list[str] = []
    if not others:
        notes.append(
            {
                "child": _(
                    "This is the only child of the family. The family record stays, with no "
                    "child; erasing the whole family is a separate action."
                ),
                "caregiver": _(
                    "This is the only caregiver of the family. The family record stays, with "
                    "no caregiver; erasing the whole family is a separate action."
                ),
                "relative": _(
                    "This is the only imprisoned relative of the family. The family record "
                    "stays; erasing the whole family is a separate action."
                ),
            }[kind]
        )
    if kind == "relative":
        orphans = _children_left_without_relative(session, person)
        if orphans:
            notes.append(
                ngettext(
                    "{count} child will have no imprisoned relative on file any more.",
                    "{count} children will have no imprisoned relative on file any more.",
                    orphans,
                ).format(count=orphans)
            )
    if plan.consent_signers:
        notes.append(
            ngettext(
                "The name in \u201cgiven by\u201d of {count} consent is removed; the consent "
                "itself stays.",
                "The name in \u201cgiven by\u201d of {count} consents is removed; the consents "
                "themselves stay.",
                len(plan.consent_signers),
            ).format(count=len(plan.consent_signers))
        )
    notes.append(
        _(
            "Case notes about the family stay: if they mention this person, read them and "
            "change them by hand."
        )
    )
    return notes


def _children_left_without_relative(session: Session, relative: ImprisonedRelative) -> int:
    linked = set(
        session.scalars(
            select(ChildRelative.child_id).where(ChildRelative.relative_id == relative.id)
        )
    )
    if not linked:
        return 0
    still = set(
        session.scalars(
            select(ChildRelative.child_id).where(
                ChildRelative.child_id.in_(linked), ChildRelative.relative_id != relative.id
            )
        )
    )
    return len(linked - still)


def _returns_note(releases: list[ReleasedReturn]) -> str:
    periods = ", ".join(dict.fromkeys(release.period.label() for release in releases))
    return _(
        "Returns or reports already written for {periods} counted these records. The files "
        "already sent do not change; a return made again for those periods will count "
        "fewer people."
    ).format(periods=periods)


def returns_note(preview: ErasurePreview) -> str:
    """The sentence about returns already written ("" when there are none)."""
    return _returns_note(preview.releases) if preview.releases else ""


# --- erasing -----------------------------------------------------------------------------


def delete_plan(session: Session, plan: ErasurePlan, refresh: Collection[uuid.UUID] = ()) -> None:
    """Delete every row of ``plan`` (the caller's transaction), quotes kept safe.

    ``refresh``: families that stay, whose search words are recomputed (erasing a person).
    """
    withheld = withheld_quotes(session)
    for chunk in chunks(plan.ids.get("family", ())):
        session.execute(delete(SearchTerm).where(SearchTerm.family_id.in_(chunk)))
    for kind in _DELETE_ORDER:
        model = _MODELS[kind]
        for chunk in chunks(plan.ids.get(kind, ())):
            session.execute(delete(model).where(model.id.in_(chunk)))
    for chunk in chunks(plan.consent_signers):
        session.execute(update(Consent).where(Consent.id.in_(chunk)).values(given_by=""))
    session.flush()
    session.expire_all()
    if refresh:
        search_terms.refresh(session, refresh)
    keep_withheld(session, withheld)


def erase_family(db: Database, actor: CurrentUser, family_id: uuid.UUID) -> ErasureResult:
    """Delete the family and everything about it, then compact the file."""
    require(actor, Permission.ERASE_RECORDS)
    with db.session() as session:
        _load_family(session, family_id)
        plan = families_plan(session, [family_id])
        delete_plan(session, plan)
        counts = plan.counts()
        audit.record_by(session, actor, "erase", "family", family_id, _count_detail(counts))
    return ErasureResult("family", family_id, counts, compact(db))


def erase_person(
    db: Database, actor: CurrentUser, kind: str, person_id: uuid.UUID
) -> ErasureResult:
    """Delete one child, caregiver or imprisoned relative and every row about them."""
    require(actor, Permission.ERASE_RECORDS)
    with db.session() as session:
        person = _load_person(session, kind, person_id)
        family_id = person.family_id
        plan = _person_plan(session, cast(PersonKind, kind), person)
        delete_plan(session, plan, refresh=[family_id])
        counts = plan.counts()
        audit.record_by(session, actor, "erase", kind, person_id, _count_detail(counts))
    return ErasureResult(kind, person_id, counts, compact(db))


def _count_detail(counts: dict[str, int]) -> str:
    return ",".join(f"{kind}={count}" for kind, count in counts.items())


# --- quotes that a removed name was keeping out of returns --------------------------------


def withheld_quotes(session: Session) -> set[uuid.UUID]:
    """Approved quotes that the return's check leaves out (they mention a name on file).

    When a name leaves the database, a quote that mentions it would pass the check and be
    published in the next return. ``keep_withheld`` prevents that.
    """
    rows = session.execute(
        select(Feedback.id, Feedback.quote).where(
            Feedback.quote_approved.is_(True), Feedback.quote.is_not(None)
        )
    ).all()
    if not rows:
        return set()
    texts = session.execute(quotes.quote_statements(Period.year(2000))[1]).all()
    forbidden = quotes.Forbidden.from_rows(texts)
    quote_rows = cast(Any, [(text, None, None) for _id, text in rows])
    terms = session.execute(quotes.name_terms(quote_rows)).all()
    forbidden.words.update(str(term) for (term,) in terms)
    return {feedback_id for feedback_id, text in rows if forbidden.found_in(str(text))}


def keep_withheld(session: Session, withheld_before: set[uuid.UUID]) -> int:
    """Withdraw the approval of quotes that were withheld and would now be published."""
    if not withheld_before:
        return 0
    now = withheld_quotes(session)
    freed = [
        feedback_id
        for feedback_id in withheld_before - now
        if session.get(Feedback, feedback_id) is not None
    ]
    for chunk in chunks(freed):
        session.execute(update(Feedback).where(Feedback.id.in_(chunk)).values(quote_approved=False))
    return len(freed)


# --- leaving nothing in the file -----------------------------------------------------------


def compact(db: Database) -> bool:
    """Move the WAL into the file, rebuild the file and empty the WAL (R14).

    With ``secure_delete`` on, SQLite overwrites deleted values with zeros; VACUUM then
    rewrites every page (no free page is left holding old content) and the TRUNCATE
    checkpoint writes the rebuilt pages over the old ones and empties the WAL. Returns False
    if another connection was reading and the checkpoint could not finish.
    """
    raw = db.engine.raw_connection()
    try:
        driver = cast(Any, raw.driver_connection)
        _checkpoint(driver)
        driver.execute("VACUUM")
        return _checkpoint(driver)
    finally:
        raw.close()


def _checkpoint(driver: Any) -> bool:
    for attempt in range(CHECKPOINT_TRIES):
        busy, _log_frames, _done = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            return True
        time.sleep(CHECKPOINT_WAIT * (attempt + 1))
    log.warning("the WAL could not be checkpointed: another connection is reading")
    return False
