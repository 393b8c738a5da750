"""A blank interchange workbook to fill in: the sheets and column names of ``layout.SHEETS``.

Each header cell carries a note saying whether the column is required and what it holds (in
the user's language; the column names themselves are the interchange contract and stay as
they are). Category columns offer a drop-down of their codes, listed on a last sheet named
``codes``, which the importer ignores. A value outside the list only raises a warning: the
importer also accepts a category's name in the user's language.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, cast

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cope_desktop.atomic import atomic_write
from cope_desktop.i18n import N_, _
from cope_desktop.services.interchange.layout import SHEETS, Column, Kind, Sheet

CODES_SHEET = "codes"
"""The last sheet: the allowed codes of each category column (not an interchange sheet)."""
LAST_ROW = 5000
"""Drop-downs are offered on rows 2 to this one."""
AUTHOR = "COPE Desktop"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D6E2EE")
DATE_FORMAT = "yyyy-mm-dd"

_WIDTHS = {
    Kind.TEXT: 20,
    Kind.REF: 14,
    Kind.DATE: 13,
    Kind.INTEGER: 12,
    Kind.DECIMAL: 14,
    Kind.BOOLEAN: 14,
    Kind.CODE: 22,
    Kind.COUNTRY: 10,
}

_WHAT_KIND_HOLDS = {
    Kind.TEXT: N_("Text."),
    Kind.DATE: N_("A date, YYYY-MM-DD."),
    Kind.INTEGER: N_("A whole number."),
    Kind.DECIMAL: N_("A number (decimals allowed, for example 1.5)."),
    Kind.BOOLEAN: N_("TRUE or FALSE."),
    Kind.CODE: N_("One of the codes listed in the codes sheet, or its name in your language."),
    Kind.COUNTRY: N_("A two-letter country code (ISO 3166), for example IT."),
}

_ABOUT = {
    ("families", "opened"): N_("The date the case was opened."),
    ("families", "closed"): N_("The date the case was closed; empty while it is open."),
    ("families", "referral_source"): N_("Who referred the family."),
    ("families", "caseworker"): N_("The username of the family's caseworker."),
    ("families", "notes_allowed"): N_("Whether case notes may be kept for this family."),
    ("children", "birth_date"): N_(
        "Leave empty and fill birth_year (and birth_month) instead when only the year is known."
    ),
    ("children", "birth_year"): N_("Only when the full birth date is unknown."),
    ("children", "birth_month"): N_("1 to 12, only when the full birth date is unknown."),
    ("children", "support_start"): N_("The date support for this child began."),
    ("children", "support_end"): N_("The date support for this child ended."),
    ("caregivers", "relationship"): N_("How the caregiver is related to the children."),
    ("prisons", "name"): N_("The prison's name."),
    ("imprisoned_relatives", "custody_status"): N_("The relative's current custody status."),
    ("imprisoned_relatives", "status_since"): N_("The date the current custody status began."),
    ("child_relatives", "relationship"): N_("How the imprisoned relative is related to the child."),
    ("activities", "date"): N_("The date the activity was held."),
    ("activities", "duration_hours"): N_(
        "How long it lasted, in hours (1.5 for an hour and a half)."
    ),
    ("activities", "anonymous_children"): N_("How many children attended who are not on file."),
    ("activities", "anonymous_adults"): N_("How many adults attended who are not on file."),
    ("attendance", "feedback"): N_("The child's own rating of the activity."),
    ("support", "child_ref"): N_("Empty when the support was for the whole family."),
    ("support", "date"): N_("The date the support was given."),
}


def write_template(path: Path) -> None:
    """Write the blank workbook to ``path`` (whole or not at all)."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    sheets = [(sheet, workbook.create_sheet(sheet.name)) for sheet in SHEETS]
    codes = workbook.create_sheet(CODES_SHEET)
    ranges = _write_codes(codes)
    for sheet, worksheet in sheets:
        _write_header(worksheet, sheet)
        _add_drop_downs(worksheet, sheet, ranges)
    workbook.properties.creator = AUTHOR
    with atomic_write(path) as out:
        workbook.save(cast(BinaryIO, out))


def _code_columns() -> list[tuple[Sheet, Column]]:
    return [(sheet, column) for sheet in SHEETS for column in sheet.columns if column.codes]


def _codes_header(sheet: Sheet, column: Column) -> str:
    """The column's name, or ``sheet.column`` when two category columns share a name."""
    shared = sum(1 for _sheet, other in _code_columns() if other.name == column.name) > 1
    return f"{sheet.name}.{column.name}" if shared else column.name


def _write_codes(codes: Worksheet) -> dict[tuple[str, str], str]:
    """One column per category column: header, then its codes. Return where each list is."""
    ranges: dict[tuple[str, str], str] = {}
    for number, (sheet, column) in enumerate(_code_columns(), start=1):
        enum = cast(type[StrEnum], column.codes)
        letter = get_column_letter(number)
        header = codes.cell(row=1, column=number, value=_codes_header(sheet, column))
        header.font, header.fill = HEADER_FONT, HEADER_FILL
        for row, member in enumerate(enum, start=2):
            codes.cell(row=row, column=number, value=member.value)
        width = max(len(str(header.value)), *(len(member.value) for member in enum))
        codes.column_dimensions[letter].width = width + 3
        ranges[(sheet.name, column.name)] = (
            f"{CODES_SHEET}!${letter}$2:${letter}${len(list(enum)) + 1}"
        )
    codes.freeze_panes = "A2"
    return ranges


def _write_header(worksheet: Worksheet, sheet: Sheet) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=number, value=column.name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.comment = Comment(header_note(sheet, column), AUTHOR, height=120, width=280)
        dimension = worksheet.column_dimensions[get_column_letter(number)]
        dimension.width = max(_WIDTHS[column.kind], len(column.name) + 3)
        if column.kind is Kind.DATE:
            dimension.number_format = DATE_FORMAT
    worksheet.freeze_panes = "A2"


def header_note(sheet: Sheet, column: Column) -> str:
    """What a column's header note says: required or not, then what it holds."""
    required = _("Required.") if column.required else _("Optional.")
    parts = [f"{required} {_holds(sheet, column)}"]
    about = _ABOUT.get((sheet.name, column.name))
    if about is not None:
        parts.append(_(about))
    return "\n".join(parts)


def _holds(sheet: Sheet, column: Column) -> str:
    if column.kind is not Kind.REF:
        return _(_WHAT_KIND_HOLDS[column.kind])
    if column.name == "person_ref":
        return _("The reference of a child, caregiver or imprisoned relative.")
    if column.refers_to is None:
        return _(
            "The reference that identifies this row (for example F-0001): importing a row "
            "with a known reference updates that record."
        )
    return _("The reference of a row of the {sheet} sheet.").format(sheet=column.refers_to)


def _add_drop_downs(worksheet: Worksheet, sheet: Sheet, ranges: dict[tuple[str, str], str]) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        source = ranges.get((sheet.name, column.name))
        if source is None:
            continue
        letter = get_column_letter(number)
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not a listed code"),
            error=_(
                "This is not one of the codes in the codes sheet. Keep it only if it is the "
                "category's name in your language."
            ),
        )
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        worksheet.add_data_validation(validation)
