"""Translation and locale-aware formatting (Babel).

Strings are marked with ``_()`` (translated now), ``N_()`` (marked for extraction, translated
where shown) and ``ngettext()``. Catalogs live in ``translations/<lang>/LC_MESSAGES/``; the
build compiles them to ``.mo`` files, and when a compiled catalog is missing (running from a
source checkout) the ``.po`` file is compiled in memory instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import io
import locale
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cope_desktop.paths import translations_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
PSEUDO_LANGUAGE = "qps"
"""A pseudo-locale for testing layouts: every text accented and 40% longer (``--lang qps``;
listed in the language choosers when COPE_PSEUDO_LOCALE=1)."""
FORMAT_LOCALES = {PSEUDO_LANGUAGE: SOURCE_LANGUAGE, "pt": "pt_PT"}
"""The CLDR locale that formats dates and numbers, where it is not the language code:
the Portuguese catalog is European Portuguese (CLDR's ``pt`` is Brazil's)."""

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def available_languages() -> list[str]:
    """Language codes with a catalog, English first (the pseudo-locale last, when enabled)."""
    folder = translations_dir()
    found = {p.parent.parent.name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    wanted = os.environ.get("COPE_PSEUDO_LOCALE") == "1" or _language == PSEUDO_LANGUAGE
    pseudo = [PSEUDO_LANGUAGE] if wanted else []
    return [SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}), *pseudo]


def language_name(code: str, in_language: str | None = None) -> str:
    """The language's own name from CLDR, e.g. ``fr`` -> ``français``."""
    if code == PSEUDO_LANGUAGE:
        return "Pseudo-locale (testing)"
    try:
        name = Locale.parse(code).get_display_name(in_language or code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def system_language(preferred: Sequence[str] = ()) -> str:
    """The first of the system's languages that has a catalog, else English.

    ``preferred`` is the desktop's own list, most wanted first (the GUI passes Qt's
    ``QLocale.system().uiLanguages()``, e.g. ``["de-AT", "de", "en"]``, which is right on
    Windows too); the process locale comes after it (all the command line has).
    """
    candidates = list(preferred)
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    available = available_languages()
    for tag in candidates:
        code = tag.replace("-", "_").split("_")[0].lower()
        if code in available:
            return code
    return SOURCE_LANGUAGE


def _load(code: str) -> gettext.NullTranslations:
    base = translations_dir() / code / "LC_MESSAGES"
    mo_path = base / f"{DOMAIN}.mo"
    po_path = base / f"{DOMAIN}.po"
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def set_language(code: str) -> str:
    """Switch every later ``_()`` to ``code``; returns the language actually in force."""
    global _translations, _language
    if code not in available_languages() and code != PSEUDO_LANGUAGE:
        log.warning("no catalog for language %r, using English", code)
        code = SOURCE_LANGUAGE
    if code == PSEUDO_LANGUAGE:
        _translations = PseudoTranslations()
    elif code == SOURCE_LANGUAGE:
        _translations = gettext.NullTranslations()
    else:
        _translations = _load(code)
    _language = code
    for listener in list(_listeners):
        listener(code)
    return code


def current_language() -> str:
    return _language


def format_locale(code: str | None = None) -> str:
    """The CLDR locale that formats dates and numbers for language ``code`` (default: now)."""
    code = code or _language
    return FORMAT_LOCALES.get(code, code)


def on_language_changed(listener: Callable[[str], None]) -> None:
    """Call ``listener(code)`` after every language switch (the GUI retranslates itself)."""
    _listeners.append(listener)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form the current language uses for ``n``."""
    return _translations.ngettext(singular, plural, n)


def format_date(value: dt.date, fmt: str = "medium") -> str:
    return babel_dates.format_date(value, format=fmt, locale=format_locale())


def format_datetime(value: dt.datetime, fmt: str = "medium") -> str:
    return babel_dates.format_datetime(value, format=fmt, locale=format_locale())


def format_local_datetime(value: dt.datetime | None, fmt: str = "short") -> str:
    """A stored moment as this computer's clock shows it ("—" when there is none).

    Times are stored in UTC; a value without a time zone is taken as UTC.
    """
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone().replace(tzinfo=None), fmt)


def format_size(size: int) -> str:
    """A file size in the unit a person expects (kB below one megabyte, else MB)."""
    if size < 1_000_000:
        return _("{size} kB").format(size=format_number(max(1, round(size / 1000))))
    return _("{size} MB").format(size=format_number(round(size / 1_000_000, 1)))


def format_number(value: int | float | Decimal) -> str:
    return babel_numbers.format_decimal(value, locale=format_locale())


def format_percent(value: float) -> str:
    """A share (0.25) as a percentage the way the language writes it ("25%", "25 %")."""
    return babel_numbers.format_percent(value, locale=format_locale())


def sort_key(text: str) -> str:
    """Order names alphabetically whatever their accents or case ("Émilie" with the E's).

    Python-side lists in the services use it; the GUI sorts with Qt's QCollator, which
    knows each language's own rules (Swedish å after z).
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def country_name(code: str) -> str:
    """A country's name from CLDR in the current language (ISO 3166 alpha-2 code)."""
    return Locale.parse(format_locale()).territories.get(code.upper(), code.upper())


def country_names() -> dict[str, str]:
    """Every two-letter country code with its name in the current language."""
    territories = Locale.parse(format_locale()).territories
    return {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()}


_PSEUDO_LETTERS = str.maketrans("aAcCeEiInNoOsSuUyYzZ", "åÅçÇéÉîÎñÑöÖšŠûÛýÝžŽ")
_KEEP = re.compile(r"(\{[^{}]*\}|<[^<>]*>|&[a-zA-Z#0-9]+;|%\w|\n)")


def pseudo(message: str) -> str:
    """``message`` accented and 40% longer, placeholders, tags and line breaks kept.

    Short texts grow most in real translations, so the padding is at least two characters.
    """
    if not message.strip():
        return message
    parts = _KEEP.split(message)
    text = "".join(
        part if _KEEP.fullmatch(part) else part.translate(_PSEUDO_LETTERS) for part in parts
    )
    extra = max(2, (len(message) * 4) // 10)
    return f"⟦{text} {'·' * extra}⟧"


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
