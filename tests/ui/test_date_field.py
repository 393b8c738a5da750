"""Dates typed the way people write them in their language, or ISO, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.ui.record.date_field import DateField, format_hint, parse_date

TODAY = dt.date(2026, 5, 1)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "12/31/2024", dt.date(2024, 12, 31)),
        ("en", "2/3/2024", dt.date(2024, 2, 3)),
        ("en", "2024-02-03", dt.date(2024, 2, 3)),
        ("en", "2/3/24", dt.date(2024, 2, 3)),
        ("en", "2/3/99", dt.date(1999, 2, 3)),
        ("en", "31/12/2024", None),
        ("en", "2/30/2024", None),
        ("en", "yesterday", None),
        ("en", "2/3", None),
        ("fr", "31/12/2024", dt.date(2024, 12, 31)),
        ("fr", "3.2.2024", dt.date(2024, 2, 3)),
        ("fr", " 2024-12-31 ", dt.date(2024, 12, 31)),
    ],
)
def test_dates_are_read_in_the_language_order_and_iso(
    language: str, text: str, expected: dt.date | None
) -> None:
    i18n._language = language  # the catalog does not matter, only the date order
    try:
        assert parse_date(text, TODAY) == expected
    finally:
        i18n._language = "en"


def test_the_hint_shows_the_order_of_the_parts() -> None:
    assert format_hint("en") == "MM/DD/YYYY"
    assert format_hint("fr") == "DD/MM/YYYY"


def test_an_empty_field_is_no_date_and_a_wrong_one_says_so(qtbot: QtBot) -> None:
    field = DateField()
    qtbot.addWidget(field)
    assert field.date() is None and field.problem() is None
    qtbot.keyClicks(field.line_edit, "2024-02-30")
    assert field.date() is None
    assert field.problem() == ("This is not a date. Type it like 12/31/2024, or leave it empty.")
    field.line_edit.clear()
    qtbot.keyClicks(field.line_edit, "2024-02-29")
    assert field.date() == dt.date(2024, 2, 29)
    field.line_edit.editingFinished.emit()
    assert field.line_edit.text() == "2/29/2024"
    field.set_date(None)
    assert field.line_edit.text() == "" and field.date() is None
