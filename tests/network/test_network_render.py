"""The PDF and the workbook of a merged network document say what the document says."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from render_fixtures import merged_document

from cope_desktop import i18n
from cope_desktop.network import labels
from cope_desktop.network.render_pdf import write_pdf
from cope_desktop.network.render_xlsx import write_xlsx

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


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return merged_document()


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return found


def _pdf_pages(document: Mapping[str, Any], tmp_path: Path) -> list[str]:
    """The text of each page, spaces of every kind as plain spaces."""
    buffer = io.BytesIO()
    write_pdf(document, buffer)
    data = buffer.getvalue()
    assert data.startswith(b"%PDF")
    source = tmp_path / "network.pdf"
    source.write_bytes(data)
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
    )
    text = result.stdout.decode("utf-8").replace("\xa0", " ").replace("\u202f", " ")
    return [page for page in text.split("\f") if page.strip()]


def _workbook(document: Mapping[str, Any]) -> Workbook:
    buffer = io.BytesIO()
    write_xlsx(document, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def _rows(workbook: Workbook, sheet: str) -> list[dict[str, Any]]:
    """The rows of a sheet below its header up to the first empty row, as {heading: value}."""
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header = rows[0]
    found = []
    for row in rows[1:]:
        if not any(value is not None for value in row):
            break
        found.append(dict(zip(header, row, strict=True)))
    return found


# -- wording -------------------------------------------------------------------------------


def test_a_merged_figure_is_written_exact_as_a_range_or_hidden() -> None:
    exact = {"value": 1234, "low": 1234, "high": 1234, "estimate": 1234, "flag": None}
    bounded = {"value": None, "low": 11, "high": 14, "estimate": 12, "flag": "range"}
    open_ended = {"value": None, "low": 38.0, "high": None, "estimate": 40.5, "flag": "range"}
    hidden = {"value": None, "low": None, "high": None, "estimate": None, "flag": "suppressed"}
    assert labels.figure_text(exact, 5) == "1,234"
    assert labels.figure_text(bounded, 5) == "≈12 (11–14)"
    assert labels.figure_text(open_ended, 5, decimals=1) == "≈40.5 (≥38.0)"
    assert labels.figure_text(hidden, 5) == "<5"
    assert labels.figure_number(bounded) == 12
    assert labels.figure_number(hidden) is None


def test_country_names_come_from_cldr_in_the_current_language(french: None) -> None:
    assert labels.country_label("DE") == "Allemagne"
    assert labels.scope_label({"scope": "country", "country": "IT"}) == "Italie"
    assert labels.figure_text({"value": 1234, "flag": None}, 5).replace("\u202f", " ") == "1 234"


# -- PDF -----------------------------------------------------------------------------------


def test_the_cover_says_what_was_merged_and_how_to_read_it(
    document: dict[str, Any], tmp_path: Path
) -> None:
    pages = _pdf_pages(document, tmp_path)
    cover = re.sub(r"\s+", " ", pages[0])
    assert "Network figures" in cover
    assert "January 1, 2025 – December 31, 2025" in cover
    assert "7 returns merged · 4 countries" in cover
    assert "Austria, France, Germany, Italy" in cover
    assert "February 1, 2026" in cover
    assert "How to read these figures" in cover
    assert "≈12 (11–14) means the true figure lies between 11 and 14" in cover
    assert "≈12 (≥11) means the figure is at least 11" in cover
    assert "<5 means the network's own disclosure control hid the figure" in cover
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_network_tables_show_exact_range_and_hidden_figures(
    document: dict[str, Any], tmp_path: Path
) -> None:
    text = "\n".join(_pdf_pages(document, tmp_path)[1:])
    for title in TITLES:
        assert title in text
    # a figure on its line, the row's label beside it, the organisations under it
    assert re.search(r"1,234\s+New\s+4 org\.", text)
    assert re.search(r"^\s*≈12 \(11–14\)\s+≈\S+ \(\S+\)\s+≈\S+ \(\S+\)\s+<5\s", text, re.M)
    assert re.search(r"Accompanied prison\s+≈18 \(17–20\).*≈40\.5 \(≥38\.0\)\n", text)
    assert re.search(r"^\s*≈\S+ \(\S+\)\s+≈\S+ \(\S+\)\s+<5\s+<5\s+≈\S+ \(\S+\)\s+18\+", text, re.M)
    assert "<5: fewer than 5, or hidden so that a small number cannot be worked out." in text
    assert "Children by age band and sex" in text
    assert "Child attendances by type of activity" in text
    assert "Game with Mum & Dad by country" in text


def test_countries_returns_and_files_left_out_are_listed(
    document: dict[str, Any], tmp_path: Path
) -> None:
    text = "\n".join(_pdf_pages(document, tmp_path)[1:])
    countries = text[text.index("Figures by country") :]
    # one row per country by name, then the network: organisations, families, children...
    assert re.search(r"Austria\s+1\s+11\s+24\s+7\s+<5\s+<5\n", countries)
    assert re.search(r"Italy\s+3\s+442\s+≈781 \(780–783\)\s+228\s+≈9 \(8–11\)\s+25\n", countries)
    assert re.search(r"≈1,569\s+≈17\s+≈48\s+Network\s+7\s+739\s+396\s+\(1,568–1,571\)", countries)
    returns = text[text.index("Returns merged") :]
    first = document["returns"][0]
    assert first["checksum"].startswith("sha256:e9fbfb970687")
    assert re.search(
        r"Bambinisenzasbarre\s+Italy\s+IT-org-0001-2025\.json\s+.*e9fbfb970687…", returns
    )
    assert first["checksum"] in returns
    assert "Treffpunkt e.V. — Łódź ř ș" in returns
    assert re.search(r"notes\.json\s+—\s+Not a JSON file", returns)


def test_a_french_pdf_uses_french_words_numbers_and_country_names(
    document: dict[str, Any], tmp_path: Path, french: None
) -> None:
    pages = _pdf_pages(document, tmp_path)
    text = "\n".join(pages)
    assert "1 janvier 2025 – 31 décembre 2025" in pages[0]
    assert "Allemagne, Autriche, France, Italie" in pages[0]
    assert "Familles accompagnées" in text
    assert "Enfants accompagnés par tranche d'âge et sexe" in text
    assert re.search(r"1 234\s+Nouvelles\s+4 org\.", text)
    assert re.search(r"^\s*≈12 \(11–14\)\s+≈129 \(122–137\)", text, re.M)
    assert "≈40,5 (≥38,0)" in text
    assert re.search(r"Italie\s+3\s+442\s+≈781 \(780–783\)", text)
    assert f"Page 1 sur {len(pages)}" in pages[0]


def test_a_table_longer_than_a_page_repeats_its_header(
    document: dict[str, Any], tmp_path: Path
) -> None:
    many = dict(document)
    many["returns"] = [
        {**entry, "file": f"file-{number:03d}.json"}
        for number, entry in enumerate(document["returns"] * 12)
    ]
    pages = _pdf_pages(many, tmp_path)
    with_returns = [page for page in pages if "file-" in page]
    assert len(with_returns) >= 3
    for page in with_returns:
        assert re.search(r"Organisation\s+Country\s+File\s+Generated\s+Checksum", page)
    text = "\n".join(pages)
    assert all(f"file-{number:03d}.json" in text for number in range(84))


# -- XLSX ----------------------------------------------------------------------------------


def test_the_workbook_has_a_cover_countries_tables_returns_and_files_left_out(
    document: dict[str, Any],
) -> None:
    workbook = _workbook(document)
    assert workbook.sheetnames == [
        "About these figures",
        "Countries",
        "Families",
        "Children by age and sex",
        "Imprisoned relatives",
        "Activities",
        "Game with Mum & Dad",
        "Support services",
        "Referral sources",
        "Children's feedback",
        "Returns",
        "Not merged",
    ]
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
    cover = [row[0] for row in workbook["About these figures"].iter_rows(values_only=True)]
    assert cover[:2] == ["Children of Prisoners Europe", "Network figures"]


def test_a_table_sheet_lists_every_figure_of_every_scope_as_numbers(
    document: dict[str, Any],
) -> None:
    rows = _rows(_workbook(document), "Children by age and sex")
    scopes = {(row["Scope"], row["Country code"]) for row in rows}
    assert scopes == {("Network", None), ("Country", "AT"), ("Country", "DE")} | {
        ("Country", "FR"),
        ("Country", "IT"),
    }
    # 6 age bands x 4 sexes + 6 + 4 totals + the grand total, per scope
    assert len(rows) == 5 * (24 + 10 + 1)
    network = [row for row in rows if row["Scope"] == "Network"]
    female_0_4 = next(
        r for r in network if r["Age band (code)"] == "0-4" and r["Sex (code)"] == "female"
    )
    assert female_0_4["Age band"] == "0-4"
    assert female_0_4["Sex"] == "Female"
    assert (female_0_4["Value or estimate"], female_0_4["Low"], female_0_4["High"]) == (12, 11, 14)
    assert female_0_4["Organisations"] == 4
    assert female_0_4["Precision"] == "Range"
    assert "between 11 and 14" in female_0_4["Note"]
    hidden = next(
        r for r in network if r["Age band (code)"] == "18+" and r["Sex (code)"] == "other"
    )
    assert (hidden["Value or estimate"], hidden["Low"], hidden["High"]) == (None, None, None)
    assert hidden["Precision"] == "Hidden (<5)"
    total = next(r for r in network if r["Age band (code)"] == "*" and r["Sex (code)"] == "*")
    assert total["Age band"] == "Total"
    italy = [r for r in rows if r["Country code"] == "IT"]
    assert {r["Country"] for r in italy} == {"Italy"}


def test_exact_figures_and_open_ranges_in_the_workbook(document: dict[str, Any]) -> None:
    workbook = _workbook(document)
    families = _rows(workbook, "Families")
    new = next(r for r in families if r["Scope"] == "Network" and r["Status (code)"] == "new")
    assert new["Value or estimate"] == 1234
    assert isinstance(new["Value or estimate"], int)
    assert new["Precision"] == "Exact"
    activities = _rows(workbook, "Activities")
    hours = next(
        r
        for r in activities
        if r["Scope"] == "Network"
        and r["Type of activity (code)"] == "prison_visit"
        and r["Figure (code)"] == "hours"
    )
    assert (hours["Value or estimate"], hours["Low"], hours["High"]) == (40.5, 38.0, None)
    assert "at least 38.0" in hours["Note"]


def test_the_countries_returns_and_not_merged_sheets(document: dict[str, Any]) -> None:
    workbook = _workbook(document)
    countries = _rows(workbook, "Countries")
    assert [row["Country"] for row in countries[:5]] == [
        "Austria",
        "France",
        "Germany",
        "Italy",
        "Network",
    ]
    italy = countries[3]
    assert italy["Organisations"] == 3
    assert italy["Children supported"] == 781
    assert italy["Game with Mum & Dad: events"] == 9
    assert countries[0]["Game with Mum & Dad: events"] == "<5"
    sheet = workbook["Countries"]
    assert sheet["E5"].number_format == '"≈"#,##0'
    assert "between 780 and 783" in sheet["E5"].comment.text
    returns = _rows(workbook, "Returns")
    assert [row["Organisation id"] for row in returns] == [f"org-000{n}" for n in range(1, 8)]
    assert returns[0]["Checksum"] == document["returns"][0]["checksum"]
    assert returns[0]["Country"] == "Italy"
    assert returns[0]["Generated at"] == "2026-01-20T09:00:00Z"
    not_merged = _rows(workbook, "Not merged")
    assert [(r["File"], r["Problem (code)"]) for r in not_merged] == [
        ("AT-org-0007-2024.json", "other_period"),
        ("notes.json", "not_json"),
        ("IT-org-0001-2025 (copy).json", "duplicate"),
    ]


def test_a_french_workbook_has_french_headers_and_the_same_numbers(
    document: dict[str, Any], french: None
) -> None:
    workbook = _workbook(document)
    countries = _rows(workbook, workbook.sheetnames[1])
    assert "Pays" in countries[0]
    assert "Familles accompagnées" in countries[0]
    assert [row["Pays"] for row in countries[:4]] == ["Allemagne", "Autriche", "France", "Italie"]
    header, first = list(workbook.worksheets[3].iter_rows(max_row=2, values_only=True))
    assert {"Tranche d'âge", "Sexe", "Pays"} <= set(header)
    # scope, country code and name, age band and code, sex and code, then the numbers
    assert first[3:7] == ("0-4", "0-4", "Féminin", "female")
    assert first[7:11] == (12, 11, 14, 4)


# -- a document made by the real merge -----------------------------------------------------


@pytest.fixture(scope="module")
def real_document() -> dict[str, Any]:
    from network_support import merged_document as real_merged_document

    return real_merged_document()


def test_a_real_merged_document_renders_every_table_country_and_return(
    real_document: dict[str, Any], tmp_path: Path
) -> None:
    pages = _pdf_pages(real_document, tmp_path)
    text = "\n".join(pages)
    for title in TITLES:
        assert title in text
    countries = text[text.index("Figures by country") :]
    for code in real_document["countries"]:
        assert labels.country_label(code) in countries
    returns = text[text.index("Returns merged\nEach") :]
    for entry in real_document["returns"]:
        assert labels.short_checksum(entry["checksum"]) + "…" in returns
        assert entry["checksum"] in returns
    network = real_document["scopes"][0]["tables"]["children_by_age_sex"]["totals"]["all"]
    assert labels.figure_text(network, real_document["disclosure"]["threshold"]) in text


def test_a_real_merged_document_in_the_workbook_keeps_every_figure(
    real_document: dict[str, Any],
) -> None:
    workbook = _workbook(real_document)
    rows = _rows(workbook, "Families")
    expected = [
        (scope["country"], figure)
        for scope in real_document["scopes"]
        for figure in [
            *scope["tables"]["families"]["cells"],
            scope["tables"]["families"]["totals"]["all"],
        ]
    ]
    assert len(rows) == len(expected)
    for row, (country, figure) in zip(rows, expected, strict=True):
        assert row["Country code"] == country
        assert row["Value or estimate"] == labels.figure_number(figure)
        assert row["Organisations"] == figure["organisations"]
        if figure["flag"] == "range":
            assert (row["Low"], row["High"]) == (figure["low"], figure["high"])
    countries = _rows(workbook, "Countries")
    assert len(countries) == len(real_document["countries"]) + 1
    assert countries[-1]["Organisations"] == len(real_document["returns"])
