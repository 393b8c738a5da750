"""Reading one cell as the kind its column holds (layout ``Kind``), or saying why it cannot be.

Accepted, where the spec is silent:
- dates: a date cell, a date-and-time cell at midnight, ISO text (YYYY-MM-DD), or the short
  date format of the user's language (babel, e.g. 15/06/2024 in French); nothing else;
- whole numbers: numbers, or text holding one ("12", "12.0"); decimals also with the
  language's decimal sign ("1,5" in French);
- booleans: TRUE/FALSE, yes/no, 1/0, and those words in the user's language;
- codes: the code (any case), or the category's name in the user's language or in English;
- countries: a two-letter ISO 3166 code, any case.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import cache
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from cope_desktop import labels
from cope_desktop.i18n import _, format_locale
from cope_desktop.services.interchange.layout import Column, Kind


class BadValue(Exception):
    """A cell that cannot be read as its column's kind; the message says what is expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SHORT_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?$")


def parse(column: Column, value: object) -> Any:
    """The cell ``value`` (never None) as ``column`` holds it; ``BadValue`` when it is not."""
    kind = column.kind
    if kind is Kind.DATE:
        return parse_date(value)
    if kind is Kind.INTEGER:
        return parse_integer(value)
    if kind is Kind.DECIMAL:
        return parse_decimal(value)
    if kind is Kind.BOOLEAN:
        return parse_boolean(value)
    if kind is Kind.CODE:
        assert column.codes is not None
        return parse_code(column.codes, value)
    if kind is Kind.COUNTRY:
        return parse_country(value)
    return as_text(value)


def as_text(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise BadValue(_("Enter a date without a time of day."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        midnight = _ISO_MIDNIGHT.match(text)
        if midnight:
            text = midnight.group(1)
        try:
            if _ISO_DATE.match(text):
                return dt.date.fromisoformat(text)
            if _SHORT_DATE.match(text):
                return babel_dates.parse_date(text, locale=format_locale())
        except ValueError:
            pass
    raise BadValue(_("Enter a date as YYYY-MM-DD (for example 2024-06-15)."))


def parse_integer(value: object) -> int:
    if isinstance(value, bool):
        raise BadValue(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is not None and number.is_integer():
                return int(number)
    raise BadValue(_("Enter a whole number."))


def parse_decimal(value: object) -> float:
    if isinstance(value, bool):
        raise BadValue(_("Enter a number."))
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            try:
                return float(babel_numbers.parse_decimal(text, locale=format_locale()))
            except (babel_numbers.NumberFormatError, ValueError):
                pass
    raise BadValue(_("Enter a number."))


def parse_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"true", "yes", "1", _("TRUE").lower(), _("yes").lower()}:
            return True
        if text in {"false", "no", "0", _("FALSE").lower(), _("no").lower()}:
            return False
    raise BadValue(_("Enter TRUE or FALSE."))


def parse_code(codes: type[StrEnum], value: object) -> StrEnum:
    text = as_text(value).strip().casefold()
    found = _code_names(codes, format_locale()).get(text)
    if found is None:
        allowed = ", ".join(member.value for member in codes)
        raise BadValue(_("Enter one of the codes: {codes}.").format(codes=allowed))
    return found


@cache
def _code_names(codes: type[StrEnum], language: str) -> dict[str, StrEnum]:
    """Code, English name and name in ``language`` (casefolded) -> member."""
    english: dict[str, str] = labels._NAMES.get(codes, {})  # the untranslated source names
    names: dict[str, StrEnum] = {}
    for member in codes:
        names.setdefault(member.value.casefold(), member)
        source = english.get(member.value)
        if source is not None:
            names.setdefault(source.casefold(), member)
        names.setdefault(labels.label(member).casefold(), member)
    return names


@cache
def _countries() -> frozenset[str]:
    territories = Locale.parse("en").territories
    codes = (str(code) for code in territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def parse_country(value: object) -> str:
    text = as_text(value).strip().upper()
    if text not in _countries():
        raise BadValue(_("Enter a two-letter country code (ISO 3166), for example IT."))
    return text
