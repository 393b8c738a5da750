"""Children's approved quotes for a return, after a check for names and places on file.

A quote enters a return only when it was approved for publication, and only with the
child's age band and a country. Before that, it is compared with every name, prison and
place held in the database, and left out (counted, never shown) when it mentions one:

- words of the first and last names of children, caregivers and imprisoned relatives, and of
  users' display names (3 letters or more; particles such as "del" or "van" are not names);
- prison names, as a whole phrase and by their distinctive words (4 letters or more, not a
  word every prison name has, such as "casa" or "prison");
- prison regions, likewise;
- capitalised words of caregivers' addresses (places: towns, streets), except the words that
  only say what kind of place it is ("via", "street", "piano").

Every record counts here, deleted or not: an archived child's name is still a name. The
names of people on file are looked up word by word in the ``search_term`` index, which holds
the folded words of every family's members (so 120,000 names are never read for a handful
of quotes); the names of deleted people, which that index leaves out, come from the partial
indexes of deleted rows. Prisons, regions, addresses and users are read with SELECT
DISTINCT. Everything is compared folded (lower case, no accents), word by word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from cope_desktop.db.models import (
    Activity,
    Caregiver,
    Child,
    Feedback,
    ImprisonedRelative,
    Organisation,
    Prison,
    SearchTerm,
    User,
)
from cope_desktop.reports.model import Quote
from cope_desktop.reports.period import Period
from cope_desktop.reports.queries_common import (
    AnySelect,
    Rows,
    activity_held,
    age_band_at,
    dead_ids,
)
from cope_desktop.services.search_terms import fold, query_words

NAME, PRISON, REGION, ADDRESS = "name", "prison", "region", "address"
MIN_NAME_WORD = 3
MIN_PLACE_WORD = 4
MIN_ADDRESS_WORD = 3


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


NAME_PARTICLES = _word_set(
    "del della dello delle dei degli van von der den des dos das les los las bin ibn ter ten "
    "zur zum vom"
)
GENERIC_PRISON_WORDS = _word_set(
    "casa circondariale reclusione istituto penale penitenziario minorile minorenni carcere "
    "femminile maschile nuovo complesso colonia agricola lavoro custodia attenuata "
    "prison prisons jail gaol penitentiary correctional facility institution centre center "
    "detention young offender offenders remand women mens maison arret centrale penitentiaire "
    "etablissement pour peines justizvollzugsanstalt jugendstrafanstalt anstalt zaklad karny "
    "areszt sledczy centro penitenciario establecimiento region province provincia"
)
GENERIC_ADDRESS_WORDS = _word_set(
    "via viale vicolo piazza piazzale corso largo strada stretto contrada borgo localita "
    "frazione piano appartamento scala interno int rue avenue boulevard chemin place allee "
    "impasse quai route street road lane drive close court flat apartment floor house "
    "strasse platz weg ulica aleja plac calle avenida plaza piso puerta"
)
_TOKENS = re.compile(r"[^\W\d_]+")


def quote_statements(period: Period) -> list[AnySelect]:
    """The quotes of the period (text, age band, country), then the texts to check against."""
    return [_quotes(period), _forbidden_texts()]


def approved_quotes(session: Session, period: Period) -> tuple[list[Quote], int]:
    """Approved quotes of feedback on activities in the period, and how many were withheld."""
    quote_statement, text_statement = quote_statements(period)
    quote_rows = session.execute(quote_statement).all()
    if not quote_rows:
        return [], 0
    text_rows = session.execute(text_statement).all()
    return screen(quote_rows, text_rows, session.execute(name_terms(quote_rows)).all())


def name_terms(quote_rows: Rows) -> AnySelect:
    """The words of the quotes that are words of a name of someone on file."""
    candidates = {
        word
        for text, _band, _country in quote_rows
        for word in query_words(str(text))
        if len(word) >= MIN_NAME_WORD and word.isalpha() and word not in NAME_PARTICLES
    }
    return select(SearchTerm.term).where(SearchTerm.term.in_(sorted(candidates))).distinct()


def screen(quote_rows: Rows, text_rows: Rows, term_rows: Rows = ()) -> tuple[list[Quote], int]:
    """The quotes that mention nothing on file, and the number left out."""
    if not quote_rows:
        return [], 0
    forbidden = Forbidden.from_rows(text_rows)
    forbidden.words.update(str(term) for (term,) in term_rows)
    kept = [
        Quote(str(text), str(band), str(country))
        for text, band, country in quote_rows
        if not forbidden.found_in(str(text))
    ]
    return kept, len(quote_rows) - len(kept)


def _quotes(period: Period) -> AnySelect:
    home_country = select(Organisation.country).limit(1).scalar_subquery()
    return (
        select(
            Feedback.quote,
            age_band_at(period.end),
            func.coalesce(Prison.country, home_country),
        )
        .select_from(Feedback)
        .join(Activity, Activity.id == Feedback.activity_id)
        .outerjoin(Prison, Prison.id == Activity.prison_id)
        .outerjoin(Child, Child.id == Feedback.child_id)
        .where(
            activity_held(period),
            Feedback.deleted_at.is_(None),
            Feedback.quote_approved.is_(True),
            Feedback.quote.is_not(None),
            or_(Feedback.child_id.is_(None), Feedback.child_id.not_in(dead_ids(Child))),
        )
        .order_by(Activity.held_on, Activity.reference, Feedback.created_at)
    )


def _forbidden_texts() -> AnySelect:
    """(kind, text) for users' names, prisons, regions, addresses and deleted people's names.

    UNION ALL of one SELECT DISTINCT per column: a single UNION would sort every row of
    every table together, several times slower; the few repeats across columns are harmless.
    """
    texts: list[tuple[str, Any]] = [
        (NAME, User.display_name),
        (PRISON, Prison.name),
        (REGION, Prison.region),
        (ADDRESS, Caregiver.address),
    ]
    parts = [
        select(literal(kind).label("kind"), column.label("text"))
        .where(column.is_not(None))
        .distinct()
        for kind, column in texts
    ]
    for model in (Child, Caregiver, ImprisonedRelative):
        deleted = model.deleted_at.is_not(None)
        parts += [
            select(literal(NAME).label("kind"), column.label("text")).where(deleted)
            for column in (model.first_name, model.last_name)
        ]
    return select(union_all(*parts).subquery())


@dataclass
class Forbidden:
    """Folded words, and phrases of several words, that no published quote may contain."""

    words: set[str] = field(default_factory=set)
    phrases: set[str] = field(default_factory=set)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str | None]]) -> Forbidden:
        forbidden = cls()
        for kind, text in rows:
            if text:
                forbidden.add(kind, text)
        return forbidden

    def add(self, kind: str, text: str) -> None:
        if kind == NAME:
            self.words.update(
                word
                for word in query_words(text)
                if len(word) >= MIN_NAME_WORD and word not in NAME_PARTICLES
            )
        elif kind == ADDRESS:
            self.words.update(
                folded
                for token in _TOKENS.findall(text)
                if token[0].isupper()
                and len(folded := fold(token)) >= MIN_ADDRESS_WORD
                and folded not in GENERIC_ADDRESS_WORDS
            )
        else:
            phrase = query_words(text)
            if len(phrase) > 1:
                self.phrases.add(" ".join(phrase))
            elif phrase:
                self.words.add(phrase[0])  # a one-word name is its whole phrase
            self.words.update(
                word
                for word in phrase
                if len(word) >= MIN_PLACE_WORD and word not in GENERIC_PRISON_WORDS
            )

    def found_in(self, text: str) -> bool:
        found = query_words(text)
        if not self.words.isdisjoint(found):
            return True
        padded = f" {' '.join(found)} "
        return any(f" {phrase} " in padded for phrase in self.phrases)
