"""The blank interchange workbook: the layout's sheets and headers, notes and drop-downs."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cope_desktop.db.enums import ActivityType, PrisonType, Rating, Sex
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.services.interchange.template import write_template


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to write into (``tmp_path`` also holds the test's home folder)."""
    path = tmp_path / "templates"
    path.mkdir()
    return path


@pytest.fixture
def template(folder: Path) -> Workbook:
    path = folder / "template.xlsx"
    write_template(path)
    assert [p.name for p in folder.iterdir()] == ["template.xlsx"]
    return load_workbook(path)


def codes_column(workbook: Workbook, header: str) -> list[str]:
    codes = workbook["codes"]
    number = [cell.value for cell in codes[1]].index(header) + 1
    column = codes.iter_rows(min_row=2, min_col=number, max_col=number, values_only=True)
    return [row[0] for row in column if row[0] is not None]


def test_every_layout_sheet_then_the_codes_sheet(template: Workbook) -> None:
    assert template.sheetnames == [*(sheet.name for sheet in SHEETS), "codes"]
    for sheet in SHEETS:
        worksheet = template[sheet.name]
        assert tuple(cell.value for cell in worksheet[1]) == sheet.column_names
        assert worksheet.max_row == 1  # blank below the headers
        assert worksheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in worksheet[1])


def test_each_header_says_whether_it_is_required_and_what_it_holds(template: Workbook) -> None:
    families = template["families"]
    assert families["A1"].comment.text.startswith("Required. The reference that identifies")
    assert families["B1"].comment.text.startswith("Required. A date, YYYY-MM-DD.")
    assert families["C1"].comment.text.startswith("Optional. A date, YYYY-MM-DD.")
    assert "TRUE or FALSE" in families["F1"].comment.text
    children = template["children"]
    assert children["B1"].comment.text == (
        "Required. The reference of a row of the families sheet."
    )
    assert "codes sheet" in children["H1"].comment.text  # sex
    assert "ISO 3166" in template["prisons"]["C1"].comment.text
    assert "child, caregiver or imprisoned relative" in template["attendance"]["B1"].comment.text
    for sheet in SHEETS:
        for cell in template[sheet.name][1]:
            required = sheet.column(str(cell.value)).required
            assert cell.comment.text.startswith("Required." if required else "Optional.")


def test_the_codes_sheet_lists_each_category_columns_codes(template: Workbook) -> None:
    assert [cell.value for cell in template["codes"][1]] == [
        "referral_source",
        "sex",
        "prisons.type",
        "custody_status",
        "relationship",
        "activities.type",
        "feedback",
        "service",
    ]
    assert codes_column(template, "sex") == [code.value for code in Sex]
    assert codes_column(template, "prisons.type") == [code.value for code in PrisonType]
    assert codes_column(template, "activities.type") == [code.value for code in ActivityType]
    assert codes_column(template, "feedback") == ["positive", "neutral", "negative"]
    assert len(codes_column(template, "feedback")) == len(Rating)


def test_category_columns_offer_their_codes_as_a_drop_down(template: Workbook) -> None:
    found: dict[tuple[str, str], str] = {}
    for sheet in SHEETS:
        worksheet = template[sheet.name]
        for validation in worksheet.data_validations.dataValidation:
            assert validation.type == "list"
            assert validation.allow_blank
            (area,) = str(validation.sqref).split()
            column = worksheet[area.split(":")[0]].column_letter
            assert area == f"{column}2:{column}5000"
            header = worksheet[f"{column}1"].value
            found[(sheet.name, header)] = validation.formula1
    code_columns = {
        (sheet.name, column.name) for sheet in SHEETS for column in sheet.columns if column.codes
    }
    assert set(found) == code_columns
    assert found[("children", "sex")] == "codes!$B$2:$B$5"
    assert found[("prisons", "type")] == "codes!$C$2:$C$5"
    assert found[("activities", "type")] == "codes!$F$2:$F$10"
    assert found[("support", "service")] == "codes!$H$2:$H$8"
    codes = template["codes"]
    for formula in found.values():
        cells = codes[formula.removeprefix("codes!").replace("$", "")]
        assert all(row[0].value for row in cells)  # every cell of the range holds a code


def test_the_template_is_written_whole_or_not_at_all(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder / "template.xlsx"
    path.write_bytes(b"an older template")

    def broken_save(self: Workbook, filename: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_template(path)
    assert path.read_bytes() == b"an older template"
    assert [p.name for p in folder.iterdir()] == ["template.xlsx"]
