"""Folded words of each family's names and references, for search-as-you-type (P3).

A family is found by any word of its reference or of its members' names and references
(children, caregivers, imprisoned relatives that are not deleted). Words are folded so that
typing ``lukasz`` finds "Łukasz" and ``zoe`` finds "Zoë"; a query matches when each of its
words is the start of one of the family's words.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, LargeBinary, and_, delete, insert, select, type_coerce
from sqlalchemy.orm import Session

from cope_desktop.db.models import Caregiver, Child, Family, ImprisonedRelative, SearchTerm

TERM_LENGTH = 100
_SPECIAL = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe"}
)
_SEPARATORS = re.compile(r"[^\w]+|_")
_HIGHEST = "\U0010ffff"


def fold(text: str) -> str:
    """Lower case without accents: how terms are stored and queries compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=100_000)
def words(text: str | None) -> tuple[str, ...]:
    """The folded words of a name or reference ("D1-F000123" gives d1, f000123, 123)."""
    if not text:
        return ()
    found: list[str] = []
    for word in _SEPARATORS.split(fold(text)):
        if not word:
            continue
        found.append(word[:TERM_LENGTH])
        digits = word.lstrip("abcdefghijklmnopqrstuvwxyz").lstrip("0")
        if digits and digits != word and digits.isdigit():
            found.append(digits)
    return tuple(found)


def query_words(text: str) -> list[str]:
    """The folded words of what someone typed (the digits rule is not applied to queries)."""
    return [word[:TERM_LENGTH] for word in _SEPARATORS.split(fold(text)) if word]


def matches(query: str) -> ColumnElement[bool] | None:
    """A condition on ``Family.id``: every typed word starts one of the family's words.

    None when the query has no words (everything matches).
    """
    conditions = [
        Family.id.in_(
            select(SearchTerm.family_id).where(
                SearchTerm.term >= word, SearchTerm.term < word + _HIGHEST
            )
        )
        for word in dict.fromkeys(query_words(query))
    ]
    if not conditions:
        return None
    return and_(*conditions)


def _member_texts(
    session: Session, family_ids: list[uuid.UUID] | None, *, raw_ids: bool = False
) -> Iterator[tuple[Any, str | None]]:
    """(family id, text) for the families given, or for all families when None.

    With ``raw_ids`` the ids come back in their storage form (no UUID object per row).
    """
    family_id: Any = Family.id
    if raw_ids:
        family_id = type_coerce(Family.id, LargeBinary)
    families = select(family_id, Family.reference)
    if family_ids is not None:
        families = families.where(Family.id.in_(family_ids))
    yield from session.execute(families)
    for model in (Child, Caregiver, ImprisonedRelative):
        member_family: Any = (
            type_coerce(model.family_id, LargeBinary) if raw_ids else model.family_id
        )
        members = select(member_family, model.reference, model.first_name, model.last_name)
        members = members.where(model.deleted_at.is_(None))
        if family_ids is not None:
            members = members.where(model.family_id.in_(family_ids))
        for family, reference, first_name, last_name in session.execute(members):
            yield family, reference
            yield family, first_name
            yield family, last_name


def _pairs(texts: Iterable[tuple[Any, str | None]]) -> list[tuple[Any, str]]:
    """Distinct (family id, term) pairs."""
    terms: dict[Any, set[str]] = {}
    for family_id, text in texts:
        if text:
            found = terms.get(family_id)
            if found is None:
                found = terms[family_id] = set()
            found.update(words(text))
    return [(family_id, term) for family_id, found in terms.items() for term in found]


def refresh(session: Session, family_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the terms of these families after they or their members changed."""
    ids = list(dict.fromkeys(family_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.execute(delete(SearchTerm).where(SearchTerm.family_id.in_(chunk)))
        rows = [
            {"family_id": family_id, "term": term}
            for family_id, term in _pairs(_member_texts(session, chunk))
        ]
        if rows:
            session.execute(insert(SearchTerm), rows)


def rebuild_all(session: Session) -> int:
    """Recompute every family's terms (demo data, migrations); returns the number written.

    Ids are read and written in their storage form and the rows go to the driver's
    ``executemany``: through the ORM's type processing, the stress database's million terms
    would take several times longer.
    """
    session.execute(delete(SearchTerm))
    connection = session.connection()
    rows = _pairs(_member_texts(session, None, raw_ids=True))
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO search_term (family_id, term) VALUES ({marker}, {marker})"
    for start in range(0, len(rows), 50000):
        connection.exec_driver_sql(statement, rows[start : start + 50000])
    return len(rows)
