"""The families list: which families match a filter, in what order, and one page of their rows.

The list of the stress database has 50,000 families, so it never loads ORM objects. It works
in steps, as a lazy table needs:

- ``family_ids`` runs one query for the ordered keys of every matching family. Keys are the
  values the driver returns for ``family.id`` (16 bytes on SQLite, a UUID on PostgreSQL),
  never converted one by one: converting 50,000 of them costs more than the query.
- ``first_family_ids`` gives the first page of those keys when that is much quicker than
  all of them (while typing a common first letter), so the list can show it at once.
- ``family_rows`` reads what the list shows for one page of keys, in two queries by key.

Archived (soft-deleted) families appear only under the "archived" status filter. A family
"has data consent" when a data processing consent is recorded that is not archived, was given
on or before today and not withdrawn by today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Executable,
    Select,
    and_,
    bindparam,
    exists,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.db.models import (
    Caregiver,
    Child,
    Consent,
    Family,
    ImprisonedRelative,
    Prison,
    SearchTerm,
    User,
)
from cope_desktop.services import choices, search_terms, validation
from cope_desktop.services.row_keys import RowKey, key_uuid, raw_key

HIGHEST_CHARACTER = "\U0010ffff"
"""Appended to a prefix, the upper bound of the words that start with it."""

COMMON_TERMS = 2_000
"""A word that starts this many search terms is common: about one family in 25 or more."""

FamilyKey = RowKey
"""A family id as the driver returns it (``bytes`` on SQLite, ``uuid.UUID`` on PostgreSQL)."""

PAGE_LIMIT = 500
"""``family_rows`` reads at most this many families at once (one page of the list)."""


class StatusFilter(StrEnum):
    ALL = "all"
    """Open and closed families that are not archived."""
    OPEN = "open"
    CLOSED = "closed"
    NO_CONSENT = "no_consent"
    """Families that are not archived and have no current data processing consent."""
    ARCHIVED = "archived"


class SortColumn(StrEnum):
    REFERENCE = "reference"
    MAIN_CAREGIVER = "main_caregiver"
    CHILDREN = "children"
    PRISON = "prison"
    STATUS = "status"
    OPENED = "opened"
    CASEWORKER = "caseworker"


@dataclass(frozen=True)
class FamilyFilter:
    status: StatusFilter = StatusFilter.ALL
    caseworker_id: uuid.UUID | None = None
    prison_id: uuid.UUID | None = None
    """Families with an imprisoned relative (not archived) in this prison."""
    country: str | None = None
    """Families with an imprisoned relative (not archived) in a prison of this country."""
    text: str = ""
    """Words typed in the search field: each one starts a word of a name or reference."""


@dataclass(frozen=True)
class SortKey:
    column: SortColumn = SortColumn.REFERENCE
    descending: bool = False


@dataclass(frozen=True)
class FamilyRow:
    """What the list shows of one family."""

    key: FamilyKey
    id: uuid.UUID
    reference: str
    main_caregiver: str
    """The main caregiver's name, or reference when no name is kept; empty when none."""
    children: int
    prisons: tuple[str, ...]
    """Names of the prisons of the family's imprisoned relatives, without repeats."""
    opened_on: dt.date
    closed_on: dt.date | None
    caseworker: str
    has_data_consent: bool
    archived: bool

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass(frozen=True)
class FilterChoices:
    """What the filter lists offer: only values that occur in the database."""

    caseworkers: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    prisons: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    """Prisons not archived, sorted by name, with their country code: "Fresnes (FR)"."""
    countries: list[str] = field(default_factory=list)
    """ISO codes of the countries of those prisons."""


def family_uuid(key: FamilyKey) -> uuid.UUID:
    """The ``uuid.UUID`` of a family key returned by ``family_ids``."""
    return key_uuid(key)


# --- conditions -------------------------------------------------------------------------------


def current_data_consent(on: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
    """A condition on ``Family``: a data processing consent is in force on ``on``."""
    return exists().where(
        Consent.family_id == Family.id,
        Consent.kind == ConsentKind.DATA_PROCESSING,
        Consent.deleted_at.is_(None),
        Consent.given_on <= on,
        or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > on),
    )


def _status_condition(status: StatusFilter) -> ColumnElement[bool]:
    live = Family.deleted_at.is_(None)
    if status == StatusFilter.ARCHIVED:
        return Family.deleted_at.is_not(None)
    if status == StatusFilter.OPEN:
        return and_(live, Family.closed_on.is_(None))
    if status == StatusFilter.CLOSED:
        return and_(live, Family.closed_on.is_not(None))
    if status == StatusFilter.NO_CONSENT:
        return and_(live, not_(current_data_consent(validation.today())))
    return live


def _has_relative(where: ColumnElement[bool], *, one_by_one: bool) -> ColumnElement[bool]:
    """The family has an imprisoned relative (not archived) that meets ``where``.

    ``one_by_one`` checks each family in turn (see the search section below), otherwise
    the families are listed first.
    """
    live = ImprisonedRelative.deleted_at.is_(None)
    if one_by_one:
        return exists().where(ImprisonedRelative.family_id == Family.id, live, where)
    return Family.id.in_(select(ImprisonedRelative.family_id).where(live, where))


def _filter_conditions(
    wanted: FamilyFilter, *, one_by_one: bool = False
) -> list[ColumnElement[bool]]:
    conditions = [_status_condition(wanted.status)]
    if wanted.caseworker_id is not None:
        conditions.append(Family.caseworker_id == wanted.caseworker_id)
    if wanted.prison_id is not None:
        # One prison holds few of the relatives: listing them is quick. (Checked one by
        # one, SQLite would look each family's relatives up by prison: 800 ms on stress.)
        in_prison = ImprisonedRelative.prison_id == wanted.prison_id
        conditions.append(_has_relative(in_prison, one_by_one=False))
    if wanted.country:
        # A country often holds nearly all of them: the list would be long.
        in_country = ImprisonedRelative.prison_id.in_(
            select(Prison.id).where(Prison.country == wanted.country)
        )
        conditions.append(_has_relative(in_country, one_by_one=one_by_one))
    return conditions


# --- search -------------------------------------------------------------------------------------
#
# Each typed word must start one of the family's search terms (``search_terms``). How the
# condition is written decides the speed on 50,000 families: a list of the families that
# have the word (``search_terms.matches``) is quick to build for a rare word and slow for a
# common one ("d" starts a term of every family); a check of one family at a time
# (``_has_term_starting``) costs one step in the (family_id, term) key, nothing for a family
# that another condition already picked.


def _words(text: str) -> list[str]:
    return list(dict.fromkeys(search_terms.query_words(text)))


def _terms_starting(session: Session, word: str) -> int:
    """How many search terms start with ``word``, counted up to ``COMMON_TERMS``."""
    found = (
        select(SearchTerm.family_id)
        .where(SearchTerm.term >= word, SearchTerm.term < word + HIGHEST_CHARACTER)
        .limit(COMMON_TERMS)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(found)) or 0)


def _has_term_starting(word: str) -> ColumnElement[bool]:
    """The family has a search term that starts with ``word``, checked family by family."""
    return exists().where(
        SearchTerm.family_id == Family.id,
        SearchTerm.term >= word,
        SearchTerm.term < word + HIGHEST_CHARACTER,
    )


def _search_conditions(session: Session, text: str) -> list[ColumnElement[bool]]:
    """The rarest word lists the candidates; the others are checked for each candidate.

    Typing "D1-F025001" then reads one candidate rather than 50,000 for "d1".
    """
    words = _words(text)
    if len(words) > 1:
        counts = {word: _terms_starting(session, word) for word in words}
        words.sort(key=lambda word: (counts[word], -len(word)))
    if not words:
        return []
    candidates = search_terms.matches(words[0])
    assert candidates is not None
    return [candidates, *(_has_term_starting(word) for word in words[1:])]


# --- order --------------------------------------------------------------------------------------


def _main_caregivers() -> Any:
    """The main caregiver's sort name per family (family name first), one row per family."""
    sort_name = func.lower(
        func.coalesce(Caregiver.last_name, Caregiver.first_name, Caregiver.reference)
        + " "
        + func.coalesce(Caregiver.first_name, "")
    )
    return (
        select(Caregiver.family_id, func.min(sort_name).label("sort_name"))
        .where(Caregiver.is_main.is_(True), Caregiver.deleted_at.is_(None))
        .group_by(Caregiver.family_id)
        .subquery()
    )


def _children_counts() -> Any:
    return (
        select(Child.family_id, func.count().label("children"))
        .where(Child.deleted_at.is_(None))
        .group_by(Child.family_id)
        .subquery()
    )


def _first_prisons() -> Any:
    return (
        select(ImprisonedRelative.family_id, func.min(func.lower(Prison.name)).label("prison"))
        .join(Prison, Prison.id == ImprisonedRelative.prison_id)
        .where(ImprisonedRelative.deleted_at.is_(None))
        .group_by(ImprisonedRelative.family_id)
        .subquery()
    )


def _ordered(query: Select[Any], sort: SortKey) -> Select[Any]:
    """Order by the sort column, then by reference so the order is always the same."""
    keys: list[Any] = []
    column = sort.column
    if column == SortColumn.MAIN_CAREGIVER:
        main = _main_caregivers()
        query = query.outerjoin(main, main.c.family_id == Family.id)
        keys = [main.c.sort_name]
    elif column == SortColumn.CHILDREN:
        counts = _children_counts()
        query = query.outerjoin(counts, counts.c.family_id == Family.id)
        keys = [func.coalesce(counts.c.children, 0)]
    elif column == SortColumn.PRISON:
        prisons = _first_prisons()
        query = query.outerjoin(prisons, prisons.c.family_id == Family.id)
        keys = [prisons.c.prison]
    elif column == SortColumn.STATUS:
        keys = [Family.closed_on.is_not(None)]
    elif column == SortColumn.OPENED:
        keys = [Family.opened_on]
    elif column == SortColumn.CASEWORKER:
        query = query.outerjoin(User, User.id == Family.caseworker_id)
        keys = [func.lower(func.coalesce(func.nullif(User.display_name, ""), User.username))]
    # Families without a value go last (first when reversed). Only the computed keys can be
    # NULL: NULLS LAST on the reference would keep SQLite from reading its index in order.
    if sort.descending:
        order = [key.desc().nulls_first() for key in keys] + [Family.reference.desc()]
    else:
        order = [key.asc().nulls_last() for key in keys] + [Family.reference.asc()]
    return query.order_by(*order)


# --- queries ------------------------------------------------------------------------------------


def family_ids(
    session: Session, wanted: FamilyFilter | None = None, sort: SortKey | None = None
) -> list[FamilyKey]:
    """The keys of every family that matches ``wanted``, in the order of ``sort``."""
    wanted = wanted or FamilyFilter()
    conditions = [*_filter_conditions(wanted), *_search_conditions(session, wanted.text)]
    query = _ordered(select(raw_key(Family.id)).where(*conditions), sort or SortKey())
    # Core result of the session's connection: the ORM result layer costs about as much
    # again as the query itself for 50,000 rows.
    return list(session.connection().execute(query).scalars())


def first_family_ids(
    session: Session,
    wanted: FamilyFilter | None = None,
    sort: SortKey | None = None,
    limit: int = 100,
) -> list[FamilyKey] | None:
    """The first ``limit`` keys of ``family_ids``, or None when they would not come quicker.

    They come much quicker when the order is the reference's and every typed word (and the
    country, if chosen) is common: the families are then read along the reference index and
    checked one by one until ``limit`` match, where ``family_ids`` reads and sorts all
    50,000. When a word or the country is rare, ``family_ids`` is quick itself.
    """
    wanted, sort = wanted or FamilyFilter(), sort or SortKey()
    words = _words(wanted.text)
    if sort.column != SortColumn.REFERENCE:
        return None
    if any(_terms_starting(session, word) < COMMON_TERMS for word in words):
        return None
    if wanted.country and _relatives_in(session, wanted.country) < COMMON_TERMS:
        return None
    conditions = [
        *_filter_conditions(wanted, one_by_one=True),
        *(_has_term_starting(word) for word in words),
    ]
    query = _ordered(select(raw_key(Family.id)).where(*conditions), sort).limit(limit)
    return list(session.connection().execute(query).scalars())


def _relatives_in(session: Session, country: str) -> int:
    """How many imprisoned relatives are in a prison of ``country``, up to ``COMMON_TERMS``."""
    found = (
        select(ImprisonedRelative.id)
        .join(Prison, Prison.id == ImprisonedRelative.prison_id)
        .where(Prison.country == country)
        .limit(COMMON_TERMS)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(found)) or 0)


def _full_name(first: str | None, last: str | None, reference: str | None) -> str:
    name = " ".join(part for part in (first, last) if part)
    return name or reference or ""


def family_rows(session: Session, keys: Sequence[FamilyKey]) -> list[FamilyRow | None]:
    """The rows of these families, in the same order; None for a key no longer on file.

    Two queries by key: the families with their main caregiver, caseworker, number of
    children and consent, then the prisons of their imprisoned relatives.
    """
    keys = list(keys)
    if len(keys) > PAGE_LIMIT:
        raise ValueError(f"at most {PAGE_LIMIT} families at once")
    if not keys:
        return []
    connection = session.connection()
    on = validation.today()
    families = connection.execute(_families_statement(), {"keys": keys, "today": on})
    prisons = _prisons_by_family(connection.execute(_prisons_statement(), {"keys": keys}))
    found = {
        row[0]: FamilyRow(
            key=row[0],
            id=row[1],
            reference=row[2],
            main_caregiver=_full_name(row[9], row[10], row[11]),
            children=int(row[7] or 0),
            prisons=tuple(prisons.get(row[0], ())),
            opened_on=row[3],
            closed_on=row[4],
            caseworker=row[6] or "",
            has_data_consent=bool(row[8]),
            archived=row[5] is not None,
        )
        for row in families  # of two main caregivers (never saved so), the lowest reference
    }
    return [found.get(key) for key in keys]


@lru_cache(maxsize=1)
def _families_statement() -> Executable:
    """Built once: for a page of 100 rows, building the statement costs more than running it."""
    children = (
        select(func.count())
        .where(Child.family_id == Family.id, Child.deleted_at.is_(None))
        .scalar_subquery()
    )
    main = (
        select(Caregiver.family_id, Caregiver.first_name, Caregiver.last_name, Caregiver.reference)
        .where(Caregiver.is_main.is_(True), Caregiver.deleted_at.is_(None))
        .subquery()
    )
    return (
        select(
            raw_key(Family.id),
            Family.id,
            Family.reference,
            Family.opened_on,
            Family.closed_on,
            Family.deleted_at,
            func.coalesce(func.nullif(User.display_name, ""), User.username),
            children,
            current_data_consent(bindparam("today", type_=Date())),
            main.c.first_name,
            main.c.last_name,
            main.c.reference,
        )
        .outerjoin(User, User.id == Family.caseworker_id)
        .outerjoin(main, main.c.family_id == Family.id)
        .where(raw_key(Family.id).in_(bindparam("keys", expanding=True)))
        .order_by(main.c.reference.desc())
    )


@lru_cache(maxsize=1)
def _prisons_statement() -> Executable:
    family = raw_key(ImprisonedRelative.family_id)
    return (
        select(family, Prison.name)
        .join(Prison, Prison.id == ImprisonedRelative.prison_id)
        .where(
            family.in_(bindparam("keys", expanding=True)), ImprisonedRelative.deleted_at.is_(None)
        )
        .order_by(ImprisonedRelative.created_at, ImprisonedRelative.reference)
    )


def _prisons_by_family(rows: Iterable[Any]) -> dict[FamilyKey, list[str]]:
    names: dict[FamilyKey, list[str]] = {}
    for key, name in rows:
        found = names.setdefault(key, [])
        if name not in found:
            found.append(name)
    return names


def filter_choices(session: Session) -> FilterChoices:
    """Caseworkers with at least one family, and the prisons and countries on file."""
    assigned = select(Family.caseworker_id).where(Family.caseworker_id.is_not(None)).distinct()
    name = func.coalesce(func.nullif(User.display_name, ""), User.username)
    caseworkers = session.execute(
        select(User.id, name).where(User.id.in_(assigned)).order_by(func.lower(name))
    ).all()
    prisons = choices.prison_rows(session)
    return FilterChoices(
        caseworkers=[(user_id, str(label)) for user_id, label in caseworkers],
        prisons=choices.prison_choices(session),
        countries=sorted({country for _id, _name, country in prisons}),
    )
