"""Approved quotes: only with age band and country, never one that names a person or place."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from reports_support import Rows
from service_support import Users, add_prison
from sqlalchemy import update
from sqlalchemy.orm import Session

from cope_desktop.db.models import Prison
from cope_desktop.reports import queries
from cope_desktop.reports.model import Quote
from cope_desktop.reports.period import Period
from cope_desktop.reports.quotes import approved_quotes

Y2023 = Period.year(2023)
D = dt.date


@pytest.fixture
def rows(session: Session) -> Rows:
    return Rows(session)


@pytest.fixture
def held(session: Session, rows: Rows, prison_id: uuid.UUID) -> dict[str, object]:
    """A family with named people, a caregiver's address and a prison in a region."""
    session.execute(update(Prison).where(Prison.id == prison_id).values(region="Lombardia"))
    family = rows.family(D(2022, 1, 1))
    child = rows.child(family, born=D(2012, 5, 1), first_name="Zoë", last_name="Del Monte")
    rows.caregiver(family, first_name="Ada", address="Via Garibaldi 5, 20021 Sesto Calende")
    rows.child(family, first_name="Ottavio", last_name="Brambilla", deleted=True)
    archived = rows.family(D(2021, 1, 1), deleted=True)
    rows.relative(archived, first_name="Ludovico")
    return {"family": family, "child": child, "prison": prison_id}


def quote(rows: Rows, text: str, *, child: object = None, prison: object = None) -> None:
    activity = rows.activity(D(2023, 5, 1), prison_id=prison)  # type: ignore[arg-type]
    rows.feedback(activity, child=child, quote=text, approved=True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "I played football with Zoe!",  # a child's first name, accents folded
        "Monte is my best friend",  # a word of a child's last name
        "Ada made us laugh",  # a caregiver's first name
        "The visit at Bollate was fun",  # a distinctive word of a prison's name
        "We drove through Lombardia",  # a prison's region
        "My home is in Sesto Calende",  # a place in a caregiver's address
        "Garibaldi was there",  # the street
        "Ottavio came too",  # an archived child's name is still a name
        "Ludovico is my dad",  # someone in an archived family
        "Carla Rossi helped us",  # a user of the application
    ],
)
def test_a_quote_that_mentions_something_on_file_is_withheld(
    session: Session, rows: Rows, held: dict[str, object], text: str, users: Users
) -> None:
    quote(rows, "A clean quote.")
    quote(rows, text)

    quotes, withheld = approved_quotes(session, Y2023)

    assert [q.text for q in quotes] == ["A clean quote."]
    assert withheld == 1


def test_common_words_of_names_and_addresses_do_not_withhold_a_quote(
    session: Session, rows: Rows, held: dict[str, object]
) -> None:
    texts = [
        "I went away early, via the park, del tutto felice.",  # "via", "del" are no names
        "La casa era bella.",  # "casa" is in every Italian prison's name
        "I am 10 and I love it.",  # the house number and postcode are not words
    ]
    for text in texts:
        quote(rows, text)

    quotes, withheld = approved_quotes(session, Y2023)

    assert ([q.text for q in quotes], withheld) == (texts, 0)


def test_a_kept_quote_carries_the_childs_age_band_and_the_country(
    session: Session, rows: Rows, held: dict[str, object]
) -> None:
    fresnes = add_prison(session, "Maison d'arrêt de Fresnes", "P2", country="FR")
    quote(rows, "Best day of the year!", child=held["child"], prison=fresnes)
    quote(rows, "We played a lot.", prison=held["prison"])
    quote(rows, "Lovely.")  # no child, no prison: the organisation's country

    quotes, withheld = approved_quotes(session, Y2023)

    assert quotes == [
        Quote("Best day of the year!", "10-14", "FR"),
        Quote("We played a lot.", "unknown", "IT"),
        Quote("Lovely.", "unknown", "IT"),
    ]
    assert withheld == 0


def test_unapproved_deleted_and_out_of_period_quotes_are_never_included(
    session: Session, rows: Rows, held: dict[str, object]
) -> None:
    activity = rows.activity(D(2023, 5, 1))
    rows.feedback(activity, quote="Not approved, mentions Zoe.")
    rows.feedback(activity, quote="Deleted.", approved=True, deleted=True)
    rows.feedback(rows.activity(D(2023, 5, 2), deleted=True), quote="Gone.", approved=True)
    rows.feedback(rows.activity(D(2022, 5, 2)), quote="Last year.", approved=True)
    archived = rows.child(held["family"], deleted=True)  # type: ignore[arg-type]
    rows.feedback(activity, child=archived, quote="Archived child.", approved=True)

    assert approved_quotes(session, Y2023) == ([], 0)


def test_the_return_carries_the_quotes_and_how_many_were_withheld(
    session: Session, rows: Rows, held: dict[str, object]
) -> None:
    quote(rows, "Great!")
    quote(rows, "Zoe was there.")

    raw = queries.count_figures(session, Y2023)

    assert (raw.quotes, raw.quotes_withheld) == ([Quote("Great!", "unknown", "IT")], 1)
