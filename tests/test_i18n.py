"""Catalogs: the template matches the code, every catalog is complete and its placeholders match."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from cope_desktop import i18n

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "translations" / "messages.pot"
CATALOGS = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _ids(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def test_template_lists_every_marked_string() -> None:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    in_code = {
        _ids(found[2])
        for found in extract_from_dir(
            str(ROOT / "cope_desktop"), method_map=[("**.py", "python")], keywords=keywords
        )
    }
    with TEMPLATE.open("rb") as handle:
        in_template = {_ids(m.id) for m in read_po(handle) if m.id}
    missing = sorted(in_code - in_template)
    assert not missing, f"run the extraction in translations/README.md; missing: {missing[:5]}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_is_complete_with_matching_placeholders(path: Path) -> None:
    with TEMPLATE.open("rb") as handle:
        template = {_ids(m.id) for m in read_po(handle) if m.id}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    untranslated, mismatched = [], []
    for message in catalog:
        if not message.id or _ids(message.id) not in template:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            untranslated.append(ids[0])
            continue
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - expected or (
                set(PLACEHOLDER.findall(ids[0])) - {"{count}"} - set(PLACEHOLDER.findall(text))
            ):
                mismatched.append(ids[0])
    translated = {_ids(m.id) for m in catalog if m.id and not m.fuzzy and m.string}
    untranslated += sorted(template - translated - set(untranslated))
    assert not untranslated, f"untranslated: {untranslated[:5]}"
    assert not mismatched, f"placeholders differ: {mismatched[:5]}"


def test_switching_language_translates_and_formats() -> None:
    if "fr" not in i18n.available_languages():
        pytest.skip("no French catalog")
    message = "The user name or password is not correct."
    assert i18n._(message) == message
    i18n.set_language("fr")
    assert i18n._(message) != message
    assert i18n.format_date(dt.date(2026, 3, 5), "long") == "5 mars 2026"
    assert i18n.format_number(12345) == "12\u202f345"
    assert i18n.country_name("IT") == "Italie"
    i18n.set_language("en")
    assert i18n._(message) == message


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.set_language("tlh") == "en"


LANGUAGES = {"en", "fr", "de", "it", "es", "ca", "pt", "nl", "pl", "ro", "cs", "hr", "el", "sv"}


def test_the_fourteen_languages_are_offered() -> None:
    assert set(i18n.available_languages()) == LANGUAGES
    assert i18n.available_languages()[0] == "en"
    assert i18n.PSEUDO_LANGUAGE not in i18n.available_languages()


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_plural_forms_are_the_languages_own(path: Path) -> None:
    """The header's plural rule is CLDR's for the language.

    Every plural entry has exactly that many forms (Polish, Czech and Croatian have three).
    """
    from babel.messages.plurals import get_plural

    code = path.parent.parent.name
    expected = get_plural(i18n.format_locale(code))
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == expected.num_plurals
    for message in catalog:
        if isinstance(message.id, tuple) and message.string:
            assert len(message.string) == expected.num_plurals, message.id


@pytest.mark.parametrize(
    ("language", "forms"), [("pl", 3), ("cs", 3), ("hr", 2), ("fr", 2), ("el", 2)]
)
def test_plural_messages_take_the_languages_forms(language: str, forms: int) -> None:
    """1, 3 and 5 files: three different words in Polish, two in French, none English.

    (Croatian has three forms too, but "datoteka" is both its singular and its "5" form.)
    """
    i18n.set_language(language)
    try:
        texts = [
            i18n.ngettext("{count} file", "{count} files", n).format(count=n) for n in (1, 3, 5)
        ]
    finally:
        i18n.set_language("en")
    assert len(set(texts)) == 3  # the number differs anyway; the words are checked below
    words = {text.split(" ", 1)[1] for text in texts}
    assert len(words) == forms
    assert not words & {"file", "files"}


def test_the_pseudo_locale_lengthens_and_keeps_placeholders() -> None:
    i18n.set_language(i18n.PSEUDO_LANGUAGE)
    try:
        text = i18n._("{count} files were left out at <b>{path}</b>")
        assert "{count}" in text and "{path}" in text and "<b>" in text
        assert len(text) >= 1.4 * len("{count} files were left out at <b>{path}</b>")
        assert "Families" not in i18n._("Families") and "Fåmîlîéš" in i18n._("Families")
        assert i18n.format_number(12345) == "12,345"  # formatted as English
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("language", "date", "number", "percent"),
    [
        ("de", "5. März 2026", "12.345,5", "25 %"),
        ("pl", "5 marca 2026", "12 345,5", "25%"),
        ("el", "5 Μαρτίου 2026", "12.345,5", "25%"),
        ("sv", "5 mars 2026", "12 345,5", "25 %"),
        ("pt", "5 de março de 2026", "12 345,5", "25%"),
    ],
)
def test_dates_numbers_and_percentages_follow_the_language(
    language: str, date: str, number: str, percent: str
) -> None:
    if language not in i18n.available_languages():
        pytest.skip(f"no {language} catalog")
    i18n.set_language(language)
    try:
        assert i18n.format_date(dt.date(2026, 3, 5), "long") == date
        assert i18n.format_number(12345.5).replace("\u202f", " ").replace("\xa0", " ") == number
        assert i18n.format_percent(0.25).replace("\xa0", " ").replace("\u202f", " ") == percent
    finally:
        i18n.set_language("en")


def test_names_sort_whatever_their_accents() -> None:
    names = ["Zoé", "émilie", "Łukasz", "Adam", "Ölund"]
    assert sorted(names, key=i18n.sort_key) == ["Adam", "émilie", "Łukasz", "Ölund", "Zoé"]


def test_the_system_language_is_the_first_preferred_one_with_a_catalog() -> None:
    assert i18n.system_language(["el-GR", "en-GB"]) == "el"
    assert i18n.system_language(["gsw-CH", "de-CH", "fr"]) == "de"
    assert i18n.system_language(["pt-PT"]) == "pt"
    assert i18n.system_language(["ja-JP"]) in ("en", *i18n.available_languages())
