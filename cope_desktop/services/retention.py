"""The retention rule: anonymise cases closed N years ago, erase those closed M years ago.

Anonymising removes every value that identifies someone and keeps every value a return
counts, so a return made again for any past period has the same figures (REPORT-SPEC.md).
What a return counts of a family and its people: the case's opening and closing dates and
referral source, the caseworker (internal report), each child's sex, support dates and age
band at the end of the period, the relationships between children and imprisoned relatives,
the custody history and prisons, support services given (type, date, child), attendance and
feedback ratings, and the approved quotes that passed the check for names.

What goes: names; references (replaced by a neutral code, ``ANON`` and 8 random hex
digits, so lists still show a row); caregivers' phone, e-mail, address and relationship
text; school level; who gave consent and consent notes; support service notes; the close
reason and the reasons in the case history; case notes (deleted); feedback quotes never
published; and the search words of the names.

The exact date of birth is replaced by the first of January or of July of the birth year.
Returns are for a calendar year or a half year (``reports/period.py``), and a child's age
band is taken at the end of the period, 30 June or 31 December. A child born in the first
half of a year reaches each age on or before 30 June of that year of age, and one born in
the second half after 30 June and on or before 31 December, so 1 January (resp. 1 July) of
the birth year gives the same completed age on every 30 June and every 31 December. A
birth month alone is moved to January or July in the same way. (An internal report for any
other range of dates may see an age a few months off.)

Erasing deletes the cases as ``erasure.erase_family`` does. Families are handled in batches,
each its own transaction, so the run can be cancelled between batches; at the end the file is
compacted (``erasure.compact``) so that nothing removed stays in it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.models import (
    Caregiver,
    CaseNote,
    CaseStatusChange,
    Child,
    Consent,
    Family,
    Feedback,
    ImprisonedRelative,
    SupportService,
)
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit, erasure, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.app_settings import PrivacySettings
from cope_desktop.services.permissions import Permission, require

log = logging.getLogger(__name__)

BATCH = 50
"""Families per transaction: small enough to cancel quickly, large enough to be fast."""
ANON_PREFIX = "ANON"
"""Neutral references are ``ANON`` and 8 hex digits, one word with digits in it: the
quote check (``reports/quotes.py``) never takes it for a name."""


@dataclass(frozen=True)
class RetentionCase:
    family_id: uuid.UUID
    reference: str
    closed_on: dt.date
    archived: bool
    children: int


@dataclass(frozen=True)
class RetentionPreview:
    today: dt.date
    anonymise_before: dt.date | None
    """Cases closed on or before this date are anonymised (None: the rule is off)."""
    erase_before: dt.date | None
    to_anonymise: list[RetentionCase]
    to_erase: list[RetentionCase]
    counts: dict[str, int] = field(default_factory=dict)
    """``anonymise_children``, ``anonymise_caregivers``, ``anonymise_relatives``,
    ``case_notes`` (deleted when anonymising), and for erasure the rows by kind
    (``erasure.ROW_KINDS``) prefixed ``erase_``."""
    releases: list[erasure.ReleasedReturn] = field(default_factory=list)
    """Returns already written that counted the families to erase."""
    backup_years: int | None = None
    """Backups older than this many years are removed by the rotation (``backups.rotate``:
    the smaller of the two delays)."""

    @property
    def rule_on(self) -> bool:
        return self.anonymise_before is not None or self.erase_before is not None

    @property
    def nothing_to_do(self) -> bool:
        return not self.to_anonymise and not self.to_erase

    def sentences(self) -> list[str]:
        """What applying the rule today would do, in plain words."""
        if not self.rule_on:
            return [_("No retention rule is set: nothing is anonymised or erased.")]
        found: list[str] = []
        if self.anonymise_before is not None:
            found.append(
                ngettext(
                    "{count} case closed on or before {date} will be anonymised: names, "
                    "contact details, notes and other free text are removed; the figures "
                    "of every return stay the same.",
                    "{count} cases closed on or before {date} will be anonymised: names, "
                    "contact details, notes and other free text are removed; the figures "
                    "of every return stay the same.",
                    len(self.to_anonymise),
                ).format(
                    count=format_number(len(self.to_anonymise)),
                    date=format_date(self.anonymise_before),
                )
            )
        if self.erase_before is not None:
            found.append(
                ngettext(
                    "{count} case closed on or before {date} will be erased completely.",
                    "{count} cases closed on or before {date} will be erased completely.",
                    len(self.to_erase),
                ).format(
                    count=format_number(len(self.to_erase)), date=format_date(self.erase_before)
                )
            )
        if self.releases:
            periods = ", ".join(dict.fromkeys(r.period.label() for r in self.releases))
            found.append(
                _(
                    "Returns already written for {periods} counted the cases to erase. The "
                    "files already sent do not change."
                ).format(periods=periods)
            )
        if self.backup_years is not None:
            found.append(
                ngettext(
                    "Backups made before today still hold these records until they are "
                    "deleted; backups older than {years} year are deleted when backups are "
                    "rotated.",
                    "Backups made before today still hold these records until they are "
                    "deleted; backups older than {years} years are deleted when backups are "
                    "rotated.",
                    self.backup_years,
                ).format(years=format_number(self.backup_years))
            )
        return found


@dataclass(frozen=True)
class RetentionResult:
    anonymised: int
    erased: int
    erased_rows: dict[str, int]
    stopped: bool
    """True when the run was cancelled between two batches (those done stay done)."""
    compacted: bool


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def coarse_birth_date(born: dt.date) -> dt.date:
    """1 January or 1 July of the birth year: the same age on every 30 June and 31 December."""
    return dt.date(born.year, 1 if born.month <= 6 else 7, 1)


def coarse_birth_month(month: int | None) -> int | None:
    """January or July, as ``coarse_birth_date`` (no month stays no month)."""
    if month is None:
        return None
    return 1 if month <= 6 else 7


# --- which cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cutoffs:
    anonymise: dt.date | None
    erase: dt.date | None


def _cutoffs(settings: PrivacySettings, today: dt.date) -> _Cutoffs:
    settings.check()
    anonymise = settings.anonymise_after_years
    erase = settings.erase_after_years
    return _Cutoffs(
        years_before(today, anonymise) if anonymise is not None else None,
        years_before(today, erase) if erase is not None else None,
    )


def _cases(session: Session, *conditions: Any) -> list[RetentionCase]:
    children = (
        select(func.count())
        .select_from(Child)
        .where(Child.family_id == Family.id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Family.id, Family.reference, Family.closed_on, Family.deleted_at, children)
        .where(Family.closed_on.is_not(None), *conditions)
        .order_by(Family.closed_on, Family.reference)
    )
    return [
        RetentionCase(family_id, reference, closed_on, deleted_at is not None, int(count))
        for family_id, reference, closed_on, deleted_at, count in rows
    ]


def _to_erase(session: Session, cutoffs: _Cutoffs) -> list[RetentionCase]:
    if cutoffs.erase is None:
        return []
    return _cases(session, Family.closed_on <= cutoffs.erase)


def _to_anonymise(session: Session, cutoffs: _Cutoffs) -> list[RetentionCase]:
    if cutoffs.anonymise is None:
        return []
    conditions = [Family.closed_on <= cutoffs.anonymise, Family.anonymised_at.is_(None)]
    if cutoffs.erase is not None:
        conditions.append(Family.closed_on > cutoffs.erase)
    return _cases(session, *conditions)


def preview(
    session: Session, actor: CurrentUser, settings: PrivacySettings, today: dt.date
) -> RetentionPreview:
    """What ``apply`` would do today with ``settings``; nothing is changed."""
    require(actor, Permission.APPLY_RETENTION)
    cutoffs = _cutoffs(settings, today)
    to_erase = _to_erase(session, cutoffs)
    to_anonymise = _to_anonymise(session, cutoffs)
    anonymise_ids = [case.family_id for case in to_anonymise]
    counts = {
        "anonymise_children": _count_members(session, Child, anonymise_ids),
        "anonymise_caregivers": _count_members(session, Caregiver, anonymise_ids),
        "anonymise_relatives": _count_members(session, ImprisonedRelative, anonymise_ids),
        "case_notes": _count_members(session, CaseNote, anonymise_ids),
    }
    releases: list[erasure.ReleasedReturn] = []
    if to_erase:
        plan = erasure.families_plan(session, [case.family_id for case in to_erase])
        counts.update({f"erase_{kind}": count for kind, count in plan.counts().items()})
        releases = _erase_releases(session, to_erase, plan)
    return RetentionPreview(
        today,
        cutoffs.anonymise,
        cutoffs.erase,
        to_anonymise,
        to_erase,
        counts,
        releases,
        _backup_years(settings),
    )


def _backup_years(settings: PrivacySettings) -> int | None:
    """The window past which backups are removed, as ``backups.rotate`` takes it."""
    years = [y for y in (settings.anonymise_after_years, settings.erase_after_years) if y]
    return min(years) if years else None


def _count_members(session: Session, model: Any, family_ids: list[uuid.UUID]) -> int:
    total = 0
    for chunk in erasure.chunks(family_ids):
        total += (
            session.scalar(
                select(func.count()).select_from(model).where(model.family_id.in_(chunk))
            )
            or 0
        )
    return total


def _erase_releases(
    session: Session, cases: list[RetentionCase], plan: erasure.ErasurePlan
) -> list[erasure.ReleasedReturn]:
    """Returns already written whose period the families to erase counted in."""
    spans: list[tuple[Any, Any]] = []
    for chunk in erasure.chunks(case.family_id for case in cases):
        spans += [
            (opened, closed)
            for opened, closed in session.execute(
                select(Family.opened_on, Family.closed_on).where(Family.id.in_(chunk))
            )
        ]
    return erasure.releases_for(session, spans, plan)


# --- applying ------------------------------------------------------------------------------


def apply(
    db: Database, actor: CurrentUser, settings: PrivacySettings, today: dt.date
) -> ProgressGenerator[RetentionResult]:
    """Erase, then anonymise, batch by batch; returns a ``RetentionResult``.

    Each batch is its own transaction, with one audit row per family (``erase`` or
    ``anonymise``, ids only). Closing the generator between batches stops the run: the
    batches done stay done, and the run is recorded (``retention_run``) and the file
    compacted either way.
    """
    require(actor, Permission.APPLY_RETENTION)
    with db.session() as session:
        cutoffs = _cutoffs(settings, today)
        erase_ids = [case.family_id for case in _to_erase(session, cutoffs)]
        anonymise_ids = [case.family_id for case in _to_anonymise(session, cutoffs)]
    total = len(erase_ids) + len(anonymise_ids)
    state = _RunState()
    yield Progress(0, total, _("Applying the retention rule…"))
    try:
        for start in range(0, len(erase_ids), BATCH):
            batch = erase_ids[start : start + BATCH]
            with db.session() as session:
                _erase_batch(session, actor, batch, cutoffs, state)
            yield Progress(state.done, total, _("Erasing closed cases…"))
        for start in range(0, len(anonymise_ids), BATCH):
            batch = anonymise_ids[start : start + BATCH]
            with db.session() as session:
                _anonymise_batch(session, actor, batch, cutoffs, state)
            yield Progress(state.done, total, _("Anonymising closed cases…"))
        state.all_batches_done = True
        yield Progress(
            total, total, _("Rewriting the database file so that nothing removed stays in it…")
        )
    except GeneratorExit:
        state.stopped = not state.all_batches_done
        _finish(db, actor, state)
        raise
    except BaseException:
        state.stopped = True
        try:
            _finish(db, actor, state)
        except Exception:  # the original failure is the one to report
            log.exception("the retention run could not be recorded after a failure")
        raise
    _finish(db, actor, state)
    return RetentionResult(
        state.anonymised, state.erased, dict(state.erased_rows), False, state.compacted
    )


@dataclass
class _RunState:
    anonymised: int = 0
    erased: int = 0
    erased_rows: dict[str, int] = field(default_factory=dict)
    stopped: bool = False
    compacted: bool = False
    all_batches_done: bool = False

    @property
    def done(self) -> int:
        return self.anonymised + self.erased


def _finish(db: Database, actor: CurrentUser, state: _RunState) -> None:
    with db.session() as session:
        detail = f"anonymised={state.anonymised},erased={state.erased}"
        if state.stopped:
            detail += ",stopped"
        audit.record_by(session, actor, "retention_run", "retention", None, detail)
    state.compacted = erasure.compact(db)


def _still(session: Session, ids: list[uuid.UUID], *conditions: Any) -> list[uuid.UUID]:
    """The families of ``ids`` that still qualify (another window may have changed them)."""
    return list(
        session.scalars(
            select(Family.id).where(Family.id.in_(ids), Family.closed_on.is_not(None), *conditions)
        )
    )


def _erase_batch(
    session: Session,
    actor: CurrentUser,
    ids: list[uuid.UUID],
    cutoffs: _Cutoffs,
    state: _RunState,
) -> None:
    assert cutoffs.erase is not None
    families = _still(session, ids, Family.closed_on <= cutoffs.erase)
    if not families:
        return
    plan = erasure.families_plan(session, families)
    erasure.delete_plan(session, plan)
    for family_id in families:
        audit.record_by(session, actor, "erase", "family", family_id, "retention")
    for kind, count in plan.counts().items():
        state.erased_rows[kind] = state.erased_rows.get(kind, 0) + count
    state.erased += len(families)


def _anonymise_batch(
    session: Session,
    actor: CurrentUser,
    ids: list[uuid.UUID],
    cutoffs: _Cutoffs,
    state: _RunState,
) -> None:
    assert cutoffs.anonymise is not None
    families = _still(
        session, ids, Family.closed_on <= cutoffs.anonymise, Family.anonymised_at.is_(None)
    )
    if not families:
        return
    withheld = erasure.withheld_quotes(session)
    now = utcnow()
    codes = _CodeMaker(session)
    for family_id in families:
        anonymise_family(session, family_id, now, codes, withheld)
        audit.record_by(session, actor, "anonymise", "family", family_id, "retention")
    session.flush()
    search_terms.refresh(session, families)
    session.expire_all()
    erasure.keep_withheld(session, withheld)
    state.anonymised += len(families)


class _CodeMaker:
    """Neutral references, unique in each table."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._given: set[str] = set()

    def new(self, model: Any) -> str:
        while True:
            code = ANON_PREFIX + secrets.token_hex(4).upper()
            if code in self._given:
                continue
            taken = self._session.scalar(
                select(func.count()).select_from(model).where(model.reference == code)
            )
            if not taken:
                self._given.add(code)
                return code


def anonymise_family(
    session: Session,
    family_id: uuid.UUID,
    now: dt.datetime,
    codes: _CodeMaker,
    withheld: set[uuid.UUID],
) -> None:
    """Remove every identifying value of one family; keep every value a return counts.

    ``withheld``: the approved quotes the return's check left out before this batch began.
    The caller refreshes the family's search words afterwards.
    """
    # Every identifying value is cleared by an UPDATE statement, not by setting attributes:
    # the sync capture records a statement's fields for every row it matches, value changed
    # or not, so a name still waiting in an unresolved field-laptop conflict (``sync_field``
    # candidates) is dropped even when the column itself already holds nothing.
    session.execute(
        update(Family)
        .where(Family.id == family_id)
        .values(reference=codes.new(Family), close_reason=None, anonymised_at=now)
    )
    session.execute(
        update(CaseStatusChange).where(CaseStatusChange.family_id == family_id).values(reason=None)
    )
    session.execute(delete(CaseNote).where(CaseNote.family_id == family_id))
    session.execute(
        update(Consent).where(Consent.family_id == family_id).values(given_by="", notes=None)
    )
    session.execute(
        update(SupportService).where(SupportService.family_id == family_id).values(notes=None)
    )
    children = session.execute(
        select(Child.id, Child.birth_date, Child.birth_month).where(Child.family_id == family_id)
    ).all()
    for child_id, birth_date, birth_month in children:
        session.execute(
            update(Child)
            .where(Child.id == child_id)
            .values(
                reference=codes.new(Child),
                first_name=None,
                last_name=None,
                school_level=None,
                birth_date=coarse_birth_date(birth_date) if birth_date is not None else None,
                birth_month=coarse_birth_month(birth_month),
                anonymised_at=now,
            )
        )
    for model, cleared in (
        (
            Caregiver,
            {"relationship_to_children": None, "phone": None, "email": None, "address": None},
        ),
        (ImprisonedRelative, {}),
    ):
        people = list(session.scalars(select(model.id).where(model.family_id == family_id)))
        for person_id in people:
            session.execute(
                update(model)
                .where(model.id == person_id)
                .values(
                    reference=codes.new(model),
                    first_name=None,
                    last_name=None,
                    anonymised_at=now,
                    **cleared,
                )
            )
    _clear_quotes(session, [child_id for child_id, _born, _month in children], withheld)


def _clear_quotes(session: Session, child_ids: list[uuid.UUID], withheld: set[uuid.UUID]) -> None:
    """Quotes never published go; approved ones that returns publish stay (no name in them).

    An approved quote that the return's check withholds mentions a name or place on file:
    it is removed too, as it was never published.
    """
    if not child_ids:
        return
    for feedback in session.scalars(select(Feedback).where(Feedback.child_id.in_(child_ids))):
        if feedback.quote is None:
            continue
        if not feedback.quote_approved or feedback.id in withheld:
            feedback.quote = None
            feedback.quote_approved = False
