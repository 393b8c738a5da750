"""The spreadsheet of a report: a cover sheet, one sheet per table, the document's numbers."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sample_documents import internal_report, network_return

from cope_desktop import i18n
from cope_desktop.reports.render_xlsx import write_xlsx

MARKING = "INTERNAL — DO NOT SEND"
SHEETS = [
    "About this report",
    "Families",
    "Children by age and sex",
    "Imprisoned relatives",
    "Activities",
    "Game with Mum & Dad",
    "Support services",
    "Referral sources",
    "Children's feedback",
]


def _workbook(document: Mapping[str, Any]) -> Workbook:
    buffer = io.BytesIO()
    write_xlsx(document, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def _table(sheet: Worksheet, first_header: str) -> dict[tuple[str, str], Any]:
    """(row label, column heading) -> value, below the header row starting ``first_header``."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == first_header)
    header = rows[start]
    found = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        for heading, value in zip(header[1:], row[1:], strict=False):
            if heading is not None:
                found[row[0], heading] = value
    return found


def test_one_sheet_per_table_after_a_cover() -> None:
    workbook = _workbook(network_return())
    assert workbook.sheetnames == SHEETS
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    cover = [row[0] for row in workbook["About this report"].iter_rows(values_only=True) if row[0]]
    assert cover[:2] == [
        "Network return to Children of Prisoners Europe",
        "Bambinisenzasbarre — Ł ř ș Ω",
    ]
    assert "How the figures are protected" in cover
    assert any(str(line).startswith("In all, 31 figures are hidden") for line in cover)
    assert not any(MARKING in str(line) for line in cover)


def test_figures_are_numbers_and_hidden_cells_say_so() -> None:
    workbook = _workbook(network_return())
    children = _table(workbook["Children by age and sex"], "Age band")
    assert children["5-9", "Female"] == 31
    assert children["0-4", "Female"] == "<5"
    assert children["Total", "Total"] == 190
    assert children["Total", "Other"] == "<5"
    sheet = workbook["Children by age and sex"]
    hidden = next(c for row in sheet.iter_rows() for c in row if c.value == "<5")
    assert hidden.comment is not None
    assert "fewer than 5" in hidden.comment.text
    activities = _table(workbook["Activities"], "Type of activity")
    assert activities["Accompanied prison visit", "Child attendances"] == 1046
    assert activities["Accompanied prison visit", "Hours of activity"] == 424.0
    assert activities["Total", "Hours of activity"] == 586.4
    assert activities["Total", "Children (each counted once)"] is None
    families = _table(workbook["Families"], "Status")
    assert families == {
        ("New", "Families"): 38,
        ("Continuing", "Families"): 96,
        ("Total", "Families"): 134,
    }


def test_headers_are_styled_and_frozen() -> None:
    sheet = _workbook(network_return())["Children by age and sex"]
    header_row = next(row for row in sheet.iter_rows() if row[0].value == "Age band")
    assert all(cell.font.bold for cell in header_row)
    assert header_row[0].fill.fgColor.rgb.endswith("D6E2EE")
    assert sheet.freeze_panes == f"B{header_row[0].row + 1}"
    total_row = next(row for row in sheet.iter_rows() if row[0].value == "Total")
    assert all(cell.font.bold for cell in total_row)


def test_an_internal_report_is_marked_on_every_sheet_with_its_breakdowns() -> None:
    workbook = _workbook(internal_report())
    assert workbook.sheetnames == [*SHEETS, "By prison", "By caseworker", "By month"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == MARKING
        assert MARKING in sheet.oddHeader.center.text
    children = _table(workbook["Children by age and sex"], "Age band")
    assert children["0-4", "Female"] == 14
    months = _table(workbook["By month"], "Month")
    assert months["March 2025", "Child attendances"] == 101
    prisons = _table(workbook["By prison"], "Prison")
    assert prisons["Κορυδαλλός (GR)", "Families supported"] == 2


def test_a_french_workbook_has_french_words_and_the_same_numbers() -> None:
    i18n.set_language("fr")
    try:
        workbook = _workbook(network_return())
    finally:
        i18n.set_language("en")
    cover = workbook.worksheets[0]
    period = next(
        row[1] for row in cover.iter_rows(values_only=True) if row[1] and "2025" in row[1]
    )
    assert period == "1 janvier 2025 – 31 décembre 2025"
    activities = workbook.worksheets[SHEETS.index("Activities")]
    values = [c.value for row in activities.iter_rows() for c in row]
    assert 1046 in values
    assert 586.4 in values


def test_the_contents_link_to_each_sheet_and_an_empty_breakdown_still_has_one() -> None:
    document = internal_report()
    document["breakdowns"]["by_caseworker"]["cells"] = []
    workbook = _workbook(document)
    links = [
        cell.hyperlink.location or cell.hyperlink.target
        for row in workbook.worksheets[0].iter_rows()
        for cell in row
        if cell.hyperlink is not None
    ]
    assert "#'Children''s feedback'!A1" in links or "'Children''s feedback'!A1" in links
    assert len(links) == len(workbook.sheetnames) - 1
    values = [c.value for row in workbook["By caseworker"].iter_rows() for c in row]
    assert "Nothing to show for this period." in values
