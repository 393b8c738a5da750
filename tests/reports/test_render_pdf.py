"""The PDF of a return or an internal report: it opens, and says what the document says."""

from __future__ import annotations

import re
from pathlib import Path

from pdf_support import page_texts, render, rendered_pages
from sample_documents import internal_report, network_return

from cope_desktop import i18n
from cope_desktop.reports.model import RawFigures

TITLES = (
    "Families supported",
    "Children supported by age band and sex",
    "Imprisoned relatives by relationship and custody status",
    "Activities by type",
    "Game with Mum & Dad",
    "Support services given",
    "New families by referral source",
    "Children's feedback by type of activity",
)
MARKING = "INTERNAL — DO NOT SEND"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_network_return_is_a_pdf_every_page_of_which_renders(tmp_path: Path) -> None:
    data = render(network_return())
    assert data.startswith(b"%PDF")
    pages = page_texts(data, tmp_path)
    images = rendered_pages(data, tmp_path)
    assert len(images) == len(pages) >= 5
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_cover_names_the_organisation_period_and_purpose(tmp_path: Path) -> None:
    cover = page_texts(render(network_return()), tmp_path)[0]
    assert "NETWORK RETURN TO CHILDREN OF PRISONERS EUROPE" in cover
    assert "Bambinisenzasbarre — Ł ř ș Ω" in cover
    assert "Italy" in cover
    assert "January 1, 2025 – December 31, 2025" in cover
    assert "Generated on January 15, 2026" in cover
    assert "How the figures are protected" in cover
    assert "In all, 31 figures are hidden" in _flat(cover)
    assert MARKING not in cover


def test_every_table_is_printed_with_its_figures_and_hidden_cells(tmp_path: Path) -> None:
    pages = page_texts(render(network_return()), tmp_path)
    text = "\n".join(pages[1:])
    for title in TITLES:
        assert title in text
    # children by age band and sex: the 0-4 row and the totals row, hidden cells as <5
    assert re.search(r"0-4\s+<5\s+<5\s+0\s+<5\s+33\n", text)
    assert re.search(r"Total\s+<5\s+95\s+<5\s+<5\s+190\n", text)
    # activities: thousands separated, hours with one decimal, no total of distinct counts
    assert re.search(r"Accompanied prison visit\s+212\s+1,046\s+118\s+87\s+424\.0\n", text)
    assert re.search(r"Total\s+344\s+1,927\s+586\.4\n", text)
    assert "<5: fewer than 5, or hidden so that a small number cannot be worked out." in text
    assert "Activities took place in 7 prisons." in text
    assert "Children by age band and sex" in text
    assert "Child attendances by type of activity" in text
    assert MARKING not in text


def test_the_childrens_words_keep_every_script(tmp_path: Path) -> None:
    text = "\n".join(page_texts(render(network_return()), tmp_path, layout=False))
    assert "“I liked playing with my dad, we laughed a lot.”" in _flat(text)
    assert "Ήταν η καλύτερη μέρα" in text
    assert "A child aged 5-9, Italy" in text
    assert "A child aged 10-14, Greece" in text


def test_an_internal_report_is_marked_on_every_page_with_exact_figures(tmp_path: Path) -> None:
    pages = page_texts(render(internal_report()), tmp_path)
    assert all(MARKING in page for page in pages)
    assert "INTERNAL YEARLY REPORT" in pages[0]
    text = "\n".join(pages)
    assert "<5" not in text
    assert re.search(r"0-4\s+14\s+17\s+0\s+2\s+33\n", text)
    for title in ("Figures by prison", "Figures by caseworker", "Figures by month"):
        assert title in text
    assert re.search(r"Casa Circondariale di Bollate \(IT\)\s+61\s+118\s+702\s+96", text)
    assert re.search(r"Łukasz Dvořák\s+47\s+13\s+198", text)
    assert re.search(r"March 2025\s+6\s+23\s+101\s+33", text)


def test_a_french_report_uses_french_numbers_dates_and_names(tmp_path: Path) -> None:
    i18n.set_language("fr")
    try:
        data = render(network_return())
    finally:
        i18n.set_language("en")
    pages = page_texts(data, tmp_path)
    text = "\n".join(pages)
    # Babel writes 1 046 with a narrow no-break space (U+202F); pdftotext gives a plain space.
    assert re.search(r"\s212\s+1 046\s+118\s+87\s+424,0\n", text)
    assert "1,046" not in text
    assert "1 janvier 2025 – 31 décembre 2025" in pages[0]
    assert "Italie" in pages[0]


def test_a_return_with_nothing_to_count_still_renders(tmp_path: Path) -> None:
    document = network_return(RawFigures())
    pages = page_texts(render(document), tmp_path)
    text = "\n".join(pages)
    assert "No figure needed to be hidden in this return." in _flat(text)
    assert "fewer than 5" not in text
    assert "Child attendances by type of activity" not in text  # no chart of zeros


def test_an_empty_breakdown_says_there_is_nothing_to_show(tmp_path: Path) -> None:
    document = internal_report()
    document["breakdowns"]["by_caseworker"]["cells"] = []
    text = _flat("\n".join(page_texts(render(document), tmp_path)))
    assert "Figures by caseworker The period's figures for each caseworker." in text
    assert "Nothing to show for this period." in text


def _in_language(language: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """The return's PDF text and a few headings and figures, in ``language``."""
    from cope_desktop.reports import labels

    if language not in i18n.available_languages():
        import pytest

        pytest.skip(f"no {language} catalog")
    i18n.set_language(language)
    try:
        document = network_return()
        text = _flat("\n".join(page_texts(render(document), tmp_path)))
        expected = {
            "families title": labels.table_title("families"),
            "children title": labels.table_title("children_by_age_sex"),
            "total families": i18n.format_number(134),
            "children total": i18n.format_number(190),
        }
    finally:
        i18n.set_language("en")
    return text, expected


def test_a_return_in_greek_has_its_greek_headings_and_figures(tmp_path: Path) -> None:
    text, expected = _in_language("el", tmp_path)
    for name, value in expected.items():
        assert _flat(value) in text, name
    assert "Families supported" not in text
    assert re.search("[α-ω]{4}", text)  # Greek letters, embedded and extractable


def test_a_return_in_polish_has_its_polish_headings_and_figures(tmp_path: Path) -> None:
    text, expected = _in_language("pl", tmp_path)
    for name, value in expected.items():
        assert _flat(value) in text, name
    assert "Families supported" not in text
    assert re.search("[ąćęłńóśźż]", text)
