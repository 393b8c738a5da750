"""The prisons register: list, add, edit, archive and restore prisons.

The list carries, for each prison, how many families and activities are linked to it. Both
counts are one GROUP BY query each (never an ORM object per row), so the register stays quick
on the stress database (250,000 activities). A family counts when it is not archived and has
an unarchived imprisoned relative in the prison; an activity counts when it is not archived.

Archiving a prison is allowed while records point to it: they keep their link, and the
prison is no longer offered when someone chooses a prison. Only an administrator restores.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cope_desktop import i18n
from cope_desktop.db.enums import ActivityType, CaseStatus, PrisonType
from cope_desktop.db.models import Activity, Family, ImprisonedRelative, Prison
from cope_desktop.errors import RecordNotFound, UserInputError
from cope_desktop.i18n import _
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.services.records import archive
from cope_desktop.services.records.archive import RecordKind
from cope_desktop.services.search_terms import fold
from cope_desktop.services.setup import check_country
from cope_desktop.services.validation import Problems, clean
from cope_desktop.sync.capture import this_device

OBJECT_TYPE = "prison"
REFERENCE_PREFIX = "P-"
LINKED_LIMIT = 100
"""At most this many linked families and activities are listed in a prison's details."""

REFERENCE_MAX = 40
NAME_MAX = 200
REGION_MAX = 100
FACILITIES_MAX = 2000


@dataclass(frozen=True)
class PrisonListRow:
    """One prison in the register, with the number of families and activities linked to it."""

    id: uuid.UUID
    reference: str
    name: str
    country: str
    region: str
    type: PrisonType | None
    families: int
    activities: int
    archived: bool


@dataclass
class PrisonDraft:
    """What the prison form hands to ``save_prison``; the service strips and checks it."""

    name: str = ""
    country: str = ""
    """ISO 3166 alpha-2 code."""
    reference: str = ""
    """Empty: a new prison gets the next free "P-0001" reference; an edited one keeps its own."""
    region: str | None = None
    type: PrisonType | None = None
    visiting_facilities: str | None = None


@dataclass(frozen=True)
class LinkedFamily:
    id: uuid.UUID
    reference: str
    status: CaseStatus
    opened_on: dt.date


@dataclass(frozen=True)
class LinkedActivity:
    id: uuid.UUID
    reference: str
    held_on: dt.date
    type: ActivityType


@dataclass(frozen=True)
class PrisonDetail:
    id: uuid.UUID
    reference: str
    name: str
    country: str
    region: str
    type: PrisonType | None
    visiting_facilities: str
    archived: bool
    families: tuple[LinkedFamily, ...]
    """The most recently opened first, at most ``LINKED_LIMIT``."""
    family_total: int
    activities: tuple[LinkedActivity, ...]
    """The most recent first, at most ``LINKED_LIMIT``."""
    activity_total: int

    def draft(self) -> PrisonDraft:
        """The prison's fields as a draft, to fill the edit form."""
        return PrisonDraft(
            name=self.name,
            country=self.country,
            reference=self.reference,
            region=self.region or None,
            type=self.type,
            visiting_facilities=self.visiting_facilities or None,
        )


# --- reading ---------------------------------------------------------------------------------


def _linked_family_ids(prison_id: uuid.UUID) -> Select[Any]:
    """Families with an unarchived imprisoned relative in the prison."""
    return select(ImprisonedRelative.family_id).where(
        ImprisonedRelative.prison_id == prison_id, ImprisonedRelative.deleted_at.is_(None)
    )


def _archived_families() -> Select[Any]:
    return select(Family.id).where(Family.deleted_at.is_not(None))


def _by_prison(session: Session, query: Select[uuid.UUID | None, int]) -> dict[uuid.UUID, int]:
    rows = session.execute(query)
    return {prison_id: int(count) for prison_id, count in rows if prison_id is not None}


def _family_counts(session: Session) -> dict[uuid.UUID, int]:
    query = (
        select(ImprisonedRelative.prison_id, func.count(ImprisonedRelative.family_id.distinct()))
        .where(
            ImprisonedRelative.prison_id.is_not(None),
            ImprisonedRelative.deleted_at.is_(None),
            ImprisonedRelative.family_id.not_in(_archived_families()),
        )
        .group_by(ImprisonedRelative.prison_id)
    )
    return _by_prison(session, query)


def _activity_counts(session: Session) -> dict[uuid.UUID, int]:
    query = (
        select(Activity.prison_id, func.count())
        .where(Activity.prison_id.is_not(None), Activity.deleted_at.is_(None))
        .group_by(Activity.prison_id)
    )
    return _by_prison(session, query)


def list_prisons(session: Session, *, include_archived: bool = False) -> list[PrisonListRow]:
    """The prisons in the register, sorted by name; archived ones only when asked."""
    query = select(
        Prison.id,
        Prison.reference,
        Prison.name,
        Prison.country,
        Prison.region,
        Prison.type,
        Prison.deleted_at,
    ).order_by(Prison.name, Prison.reference)
    if not include_archived:
        query = query.where(Prison.deleted_at.is_(None))
    prisons = session.execute(query).all()
    families, activities = _family_counts(session), _activity_counts(session)
    return [
        PrisonListRow(
            id=row.id,
            reference=row.reference,
            name=row.name,
            country=row.country,
            region=row.region or "",
            type=row.type,
            families=families.get(row.id, 0),
            activities=activities.get(row.id, 0),
            archived=row.deleted_at is not None,
        )
        for row in prisons
    ]


def _get(session: Session, prison_id: uuid.UUID) -> Prison:
    prison = session.get(Prison, prison_id)
    if prison is None:
        raise RecordNotFound(_("This prison is not on file (any more)."))
    return prison


def _linked_families(session: Session, prison_id: uuid.UUID) -> tuple[list[LinkedFamily], int]:
    where = (Family.id.in_(_linked_family_ids(prison_id)), Family.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Family).where(*where)) or 0
    rows = session.execute(
        select(Family.id, Family.reference, Family.closed_on, Family.opened_on)
        .where(*where)
        .order_by(Family.opened_on.desc(), Family.reference.desc())
        .limit(LINKED_LIMIT)
    )
    families = [
        LinkedFamily(
            family_id,
            reference,
            CaseStatus.OPEN if closed_on is None else CaseStatus.CLOSED,
            opened_on,
        )
        for family_id, reference, closed_on, opened_on in rows
    ]
    return families, int(total)


def _linked_activities(session: Session, prison_id: uuid.UUID) -> tuple[list[LinkedActivity], int]:
    where = (Activity.prison_id == prison_id, Activity.deleted_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Activity).where(*where)) or 0
    rows = session.execute(
        select(Activity.id, Activity.reference, Activity.held_on, Activity.type)
        .where(*where)
        .order_by(Activity.held_on.desc(), Activity.reference.desc())
        .limit(LINKED_LIMIT)
    )
    activities = [LinkedActivity(*row) for row in rows]
    return activities, int(total)


def read_prison(session: Session, prison_id: uuid.UUID) -> PrisonDetail:
    """A prison's fields and the families and activities linked to it (most recent first)."""
    prison = _get(session, prison_id)
    families, family_total = _linked_families(session, prison_id)
    activities, activity_total = _linked_activities(session, prison_id)
    return PrisonDetail(
        id=prison.id,
        reference=prison.reference,
        name=prison.name,
        country=prison.country,
        region=prison.region or "",
        type=prison.type,
        visiting_facilities=prison.visiting_facilities or "",
        archived=prison.deleted_at is not None,
        families=tuple(families),
        family_total=family_total,
        activities=tuple(activities),
        activity_total=activity_total,
    )


# --- writing ---------------------------------------------------------------------------------


def next_prison_reference(session: Session) -> str:
    """The next free reference, "P-0001" style: one more than the highest in use (also archived).

    On a field laptop's copy the prefix carries the copy's reference tag ("P-7QK2-0001"), so
    two copies never give out the same reference (sync/API.md).
    """
    tag = this_device(session).tag
    prefix = f"{REFERENCE_PREFIX}{tag}-" if tag else REFERENCE_PREFIX
    numbered = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    references = session.scalars(
        select(Prison.reference).where(Prison.reference.like(f"{prefix}%"))
    )
    numbers = [int(found.group(1)) for ref in references if (found := numbered.match(ref))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _same_name_elsewhere(
    session: Session, name: str, country: str, prison_id: uuid.UUID | None
) -> bool:
    """Whether another unarchived prison in the country has this name (case and accents aside)."""
    query = select(Prison.id, Prison.name).where(
        Prison.country == country, Prison.deleted_at.is_(None)
    )
    if prison_id is not None:
        query = query.where(Prison.id != prison_id)
    wanted = fold(name)
    return any(fold(other) == wanted for _id, other in session.execute(query))


def _check_country(problems: Problems, value: str) -> str | None:
    if not value.strip():
        problems.add("country", _("Choose a country."))
        return None
    try:
        return check_country(value)
    except UserInputError as error:
        problems.add("country", error.message)
        return None


def _check_reference(
    problems: Problems, session: Session, reference: str | None, prison_id: uuid.UUID | None
) -> None:
    if reference is None:
        return
    problems.length("reference", reference, REFERENCE_MAX)
    query = select(Prison.id).where(Prison.reference == reference)
    if prison_id is not None:
        query = query.where(Prison.id != prison_id)
    if session.scalar(query.limit(1)) is not None:
        problems.add(
            "reference",
            _("Another prison already has the reference {reference}.").format(reference=reference),
        )


def _checked(
    session: Session, prison_id: uuid.UUID | None, draft: PrisonDraft
) -> tuple[str | None, str, str, str | None, str | None]:
    """Reference, name, country, region and visiting facilities, cleaned; every problem raised."""
    problems = Problems()
    reference = clean(draft.reference)
    _check_reference(problems, session, reference, prison_id)
    name = problems.required_text("name", draft.name, _("Enter the prison's name.")) or ""
    problems.length("name", name, NAME_MAX)
    country = _check_country(problems, draft.country)
    region, facilities = clean(draft.region), clean(draft.visiting_facilities)
    problems.length("region", region, REGION_MAX)
    problems.length("visiting_facilities", facilities, FACILITIES_MAX)
    if name and country and _same_name_elsewhere(session, name, country, prison_id):
        problems.add(
            "name",
            _("Another prison in {country} already has this name.").format(
                country=i18n.country_name(country)
            ),
        )
    problems.raise_if_any()
    return reference, name, country or "", region, facilities


def save_prison(
    session: Session, user: CurrentUser, prison_id: uuid.UUID | None, draft: PrisonDraft
) -> uuid.UUID:
    """Add a prison (``prison_id`` None) or change one; return its id.

    Raises ``ValidationFailed`` with a problem per field ("reference", "name", "country",
    "region", "visiting_facilities") and writes nothing when a rule is broken.
    """
    require(user, Permission.EDIT_RECORDS)
    prison = _get(session, prison_id) if prison_id is not None else None
    reference, name, country, region, facilities = _checked(session, prison_id, draft)
    if prison is None:
        prison = Prison(reference=reference or next_prison_reference(session))
        session.add(prison)
        action, changed = "create", []
    else:
        action = "change"
        changed = _changed_fields(prison, reference or prison.reference, name, country, region)
        changed += _changed_details(prison, draft.type, facilities)
    prison.reference = reference or prison.reference
    prison.name, prison.country, prison.region = name, country, region
    prison.type, prison.visiting_facilities = draft.type, facilities
    session.flush()
    audit.record_by(session, user, action, OBJECT_TYPE, prison.id, ",".join(changed))
    return prison.id


def _changed_fields(
    prison: Prison, reference: str, name: str, country: str, region: str | None
) -> list[str]:
    before = {
        "reference": prison.reference,
        "name": prison.name,
        "country": prison.country,
        "region": prison.region,
    }
    after = {"reference": reference, "name": name, "country": country, "region": region}
    return [field for field in before if before[field] != after[field]]


def _changed_details(
    prison: Prison, prison_type: PrisonType | None, facilities: str | None
) -> list[str]:
    changed = []
    if prison.type != prison_type:
        changed.append("type")
    if prison.visiting_facilities != facilities:
        changed.append("visiting_facilities")
    return changed


def archive_prison(session: Session, user: CurrentUser, prison_id: uuid.UUID) -> None:
    """Archive (soft delete) a prison; the families and activities linked to it keep the link.

    Archiving an archived prison changes nothing.
    """
    archive.archive(session, user, RecordKind.PRISON, prison_id)


def restore_prison(session: Session, user: CurrentUser, prison_id: uuid.UUID) -> None:
    """Bring an archived prison back into the register (administrators only).

    Refused when an unarchived prison in the same country has taken its name meanwhile.
    """
    require(user, Permission.RESTORE_RECORDS)
    prison = _get(session, prison_id)
    if prison.deleted_at is not None and _same_name_elsewhere(
        session, prison.name, prison.country, prison.id
    ):
        problems = Problems()
        problems.add(
            "name",
            _(
                "Another prison in {country} has this name now. "
                "Rename or archive that prison first."
            ).format(country=i18n.country_name(prison.country)),
        )
        problems.raise_if_any()
    archive.restore(session, user, RecordKind.PRISON, prison_id)
