"""The spreadsheet rendering of a merged network document (openpyxl).

A cover sheet (what was merged, how to read a merged figure), a "Countries" sheet, one sheet
per table in long layout — one row per figure of every scope, with its codes beside its
labels, its value or central estimate as a number, its bounds and the organisations behind
it — then the returns merged and the files left out. Numbers stay numbers so a secretariat
can filter, sum and pivot; header rows are bold and frozen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cope_desktop.i18n import _
from cope_desktop.network import labels as net
from cope_desktop.network.render_figures import (
    COUNTRY_COLUMNS,
    country_figures,
    long_rows,
    network_scope,
)
from cope_desktop.reports import labels
from cope_desktop.reports.grid import TOTAL
from cope_desktop.reports.render_xlsx import sheet_names

BLUE = "2B5C8A"
BLUE_DARK = "1D4366"
GREY = "5F6B77"
MUTED = "8D96A0"
HEADER_FILL = PatternFill("solid", fgColor="D6E2EE")
TOTAL_FILL = PatternFill("solid", fgColor="EEF2F6")
HEADER_RULE = Side(style="medium", color=BLUE)
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
APPROXIMATE = '"≈"#,##0'
APPROXIMATE_DECIMAL = '"≈"#,##0.0'
_NUMERIC = object()
"""Marks a column of numbers (right-aligned) in ``_header``'s column list."""


def write_xlsx(document: Mapping[str, Any], out: BinaryIO) -> None:
    """Render a merged network document as an .xlsx workbook into ``out``."""
    facts = net.merge_facts(document)
    tables: Mapping[str, Any] = (network_scope(document) or {}).get("tables") or {}
    names = sheet_names(
        [
            _("About these figures"),
            _("Countries"),
            *(labels.short_title(table_id) for table_id in tables),
            _("Returns"),
            _("Not merged"),
        ]
    )
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = names[0]
    _write_cover(cover, document, facts)
    _write_countries(workbook.create_sheet(names[1]), document)
    for name, table_id in zip(names[2:-2], tables, strict=True):
        _write_table(workbook.create_sheet(name), document, table_id)
    _write_returns(workbook.create_sheet(names[-2]), document)
    _write_not_merged(workbook.create_sheet(names[-1]), document)
    for sheet in workbook.worksheets:
        _page_setup(sheet, facts)
    workbook.properties.title = f"{facts.title} — {facts.period}"
    workbook.properties.creator = facts.software or "cope-desktop"
    workbook.properties.subject = facts.period
    workbook.save(out)


# -- cover ---------------------------------------------------------------------------------


def _write_cover(sheet: Worksheet, document: Mapping[str, Any], facts: net.MergeFacts) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    sheet.cell(row=1, column=1, value=facts.network).font = Font(bold=True, color=BLUE, size=11)
    sheet.cell(row=2, column=1, value=facts.title).font = Font(bold=True, color=BLUE_DARK, size=18)
    row = 4
    for name, value in (
        (_("Period"), facts.period),
        (_("Returns merged"), facts.returns),
        (_("Countries"), net.join_names(facts.countries)),
        (_("Files not merged"), facts.not_merged),
        (_("Threshold of the network's disclosure control"), facts.threshold),
        (_("Generated"), facts.generated),
        (_("Software"), facts.software),
        (_("Checksum"), str(document.get("checksum") or "")),
    ):
        sheet.cell(row=row, column=1, value=name).font = Font(bold=True, color=GREY)
        cell = sheet.cell(row=row, column=2, value=value)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        row += 1
    row += 1
    heading = sheet.cell(row=row, column=1, value=_("How to read these figures"))
    heading.font = Font(bold=True, color=BLUE_DARK, size=12)
    row += 1
    for paragraph in [*net.how_to_read(document), _long_layout_note()]:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = sheet.cell(row=row, column=1, value=paragraph)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (len(paragraph) // 110 + 1)
        row += 1


def _long_layout_note() -> str:
    return _(
        "Each table's sheet has one row per figure, for the network and for each country. "
        'The column "Value or estimate" holds the exact figure or, for a range, its central '
        'estimate; "Low" and "High" hold the range (equal to the figure when it is exact); a '
        "hidden figure is left empty and explained in the last column. A total over a category is "
        'marked with the code "*".'
    )


# -- sheets --------------------------------------------------------------------------------


def _header(sheet: Worksheet, titles: Sequence[tuple[str, object | None]], row: int = 1) -> None:
    """A bold, filled, frozen header row; numeric columns are right-aligned."""
    for column, (title, kind) in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True, color=BLUE_DARK)
        cell.fill = HEADER_FILL
        cell.border = Border(bottom=HEADER_RULE)
        cell.alignment = Alignment(
            horizontal="right" if kind is _NUMERIC else "left",
            vertical="bottom",
            wrap_text=True,
        )
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(len(titles))}{row}"


def _fit_columns(sheet: Worksheet, smallest: int = 8, largest: int = 60) -> None:
    """Each column as wide as its longest entry (headings may wrap at a word)."""
    widths: dict[int, float] = {}
    for row_number, row in enumerate(sheet.iter_rows(), start=1):
        for cell in row:
            if cell.value is None:
                continue
            text = str(cell.value)
            if isinstance(cell.value, int | float):
                text = f"{cell.value:,.1f}"
            length = len(text)
            if row_number == 1 and text.split():
                # a heading may wrap between words, in two lines if it can
                longest = max(len(word) for word in text.split())
                length = max(longest + 2, min(len(text) // 2 + 3, 24))
            widths[cell.column] = max(widths.get(cell.column, 0), length + 2)
    lines = 1
    for column, width in widths.items():
        letter = get_column_letter(column)
        fitted = min(max(width, smallest), largest)
        sheet.column_dimensions[letter].width = fitted
        heading = sheet.cell(row=1, column=column).value
        if heading is not None:
            lines = max(lines, math.ceil(len(str(heading)) / max(fitted - 2, 1)))
    sheet.row_dimensions[1].height = 15 * min(lines, 4)


def _write_countries(sheet: Worksheet, document: Mapping[str, Any]) -> None:
    k = net.threshold(document)
    headings = [
        (_("Country code"), None),
        (_("Country"), None),
        (_("Organisations"), _NUMERIC),
        (_("Families supported"), _NUMERIC),
        (_("Children supported"), _NUMERIC),
        (_("Activity sessions"), _NUMERIC),
        (_("Game with Mum & Dad: events"), _NUMERIC),
        (_("Game with Mum & Dad: children"), _NUMERIC),
    ]
    _header(sheet, headings)
    row = 1
    for entry in country_figures(document):
        row += 1
        bold = Font(bold=entry.network)
        sheet.cell(row=row, column=1, value=entry.code or "").font = bold
        sheet.cell(row=row, column=2, value=entry.name).font = bold
        organisations = sheet.cell(row=row, column=3, value=entry.organisations)
        organisations.number_format = INTEGER
        organisations.font = bold
        for column, (code, decimals) in enumerate(COUNTRY_COLUMNS, start=4):
            figure = entry.figures.get(code)
            cell = sheet.cell(row=row, column=column)
            cell.font = bold
            _figure_cell(cell, figure, k, decimals)
        if entry.network:
            for column in range(1, len(headings) + 1):
                sheet.cell(row=row, column=column).fill = TOTAL_FILL
    _fit_columns(sheet, largest=40)
    row += 2
    note = sheet.cell(
        row=row,
        column=1,
        value=_(
            "≈: a central estimate (some members hid small numbers; the range is in the cell's "
            "comment and on the tables' sheets). {marker}: hidden by the network's disclosure "
            "control."
        ).format(marker=labels.suppressed_text(k)),
    )
    note.font = Font(italic=True, color=MUTED, size=9)


def _figure_cell(cell: Any, figure: Mapping[str, Any] | None, k: int | None, decimals: int) -> None:
    cell.alignment = Alignment(horizontal="right")
    if figure is None:
        return
    flag = figure.get("flag")
    if flag == net.SUPPRESSED:
        cell.value = labels.suppressed_text(k)
        cell.font = Font(bold=cell.font.bold, color=MUTED)
        cell.comment = Comment(net.figure_note(figure, k, decimals), "COPE Desktop")
        return
    cell.value = net.figure_number(figure)
    if flag == net.RANGE:
        cell.number_format = APPROXIMATE_DECIMAL if decimals else APPROXIMATE
        cell.comment = Comment(net.figure_note(figure, k, decimals), "COPE Desktop")
    else:
        cell.number_format = DECIMAL if decimals else INTEGER


def _write_table(sheet: Worksheet, document: Mapping[str, Any], table_id: str) -> None:
    k = net.threshold(document)
    scopes = document.get("scopes") or []
    first = next(s for s in scopes if table_id in (s.get("tables") or {}))
    dimensions = list(first["tables"][table_id]["dimensions"])
    headings: list[tuple[str, object | None]] = [
        (_("Scope"), None),
        (_("Country code"), None),
        (_("Country"), None),
    ]
    for dimension in dimensions:
        name = labels.dimension_label(dimension)
        headings += [(name, None), (_("{name} (code)").format(name=name), None)]
    headings += [
        (_("Value or estimate"), _NUMERIC),
        (_("Low"), _NUMERIC),
        (_("High"), _NUMERIC),
        (_("Organisations"), _NUMERIC),
        (_("Precision"), None),
        (_("Note"), None),
    ]
    _header(sheet, headings)
    row = 1
    for scope in scopes:
        table = (scope.get("tables") or {}).get(table_id)
        if table is None:
            continue
        for coords, figure in long_rows(table):
            row += 1
            _write_long_row(sheet, row, scope, dimensions, coords, figure, k)
    _fit_columns(sheet, largest=48)
    note_column = get_column_letter(len(headings))
    sheet.column_dimensions[note_column].width = 60


def _write_long_row(
    sheet: Worksheet,
    row: int,
    scope: Mapping[str, Any],
    dimensions: Sequence[str],
    coords: Mapping[str, str],
    figure: Mapping[str, Any],
    k: int | None,
) -> None:
    country = scope.get("country")
    values: list[Any] = [
        net.scope_label(scope) if scope.get("scope") == "network" else _("Country"),
        country or "",
        net.country_label(country) if country else "",
    ]
    total = False
    for dimension in dimensions:
        code = coords[dimension]
        if code == TOTAL:
            total = True
            values += [labels.total_label(), TOTAL]
        else:
            values += [labels.category_label(dimension, code), code]
    decimals = 1 if "hours" in coords.values() else 0
    flag = figure.get("flag")
    hidden = flag == net.SUPPRESSED
    status = {
        None: _("Exact"),
        net.RANGE: _("Range"),
        net.SUPPRESSED: _("Hidden ({marker})").format(marker=labels.suppressed_text(k)),
    }.get(flag, str(flag))
    values += [
        net.figure_number(figure),
        None if hidden else figure.get("low"),
        None if hidden else figure.get("high"),
        figure.get("organisations"),
        status,
        net.figure_note(figure, k, decimals),
    ]
    number_format = DECIMAL if decimals else INTEGER
    first_number = len(values) - 6
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if total:
            cell.font = Font(bold=True)
        if first_number < column <= first_number + 4:
            cell.alignment = Alignment(horizontal="right")
            cell.number_format = INTEGER if column == first_number + 4 else number_format


def _write_returns(sheet: Worksheet, document: Mapping[str, Any]) -> None:
    _header(
        sheet,
        [
            (_("Organisation id"), None),
            (_("Organisation"), None),
            (_("Country code"), None),
            (_("Country"), None),
            (_("File"), None),
            (_("Checksum"), None),
            (_("Generated at"), None),
            (_("Threshold"), _NUMERIC),
            (_("Hidden figures"), _NUMERIC),
        ],
    )
    for row, entry in enumerate(document.get("returns") or [], start=2):
        organisation = entry.get("organisation") or {}
        country = organisation.get("country")
        values = [
            organisation.get("id"),
            organisation.get("name"),
            country,
            net.country_label(country),
            entry.get("file"),
            entry.get("checksum"),
            entry.get("generated_at"),
            entry.get("threshold"),
            entry.get("suppressed"),
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, int):
                cell.number_format = INTEGER
    _fit_columns(sheet, largest=80)


def _write_not_merged(sheet: Worksheet, document: Mapping[str, Any]) -> None:
    _header(
        sheet,
        [
            (_("File"), None),
            (_("Organisation id"), None),
            (_("Problem (code)"), None),
            (_("Why it was left out"), None),
        ],
    )
    for row, entry in enumerate(document.get("not_merged") or [], start=2):
        problem = entry.get("problem")
        values = [entry.get("file"), entry.get("organisation"), problem, net.problem_label(problem)]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    _fit_columns(sheet, largest=80)


def _page_setup(sheet: Worksheet, facts: net.MergeFacts) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = facts.title.replace("&", "&&")
    sheet.oddFooter.left.text = facts.period.replace("&", "&&")
    sheet.oddFooter.right.text = _("Page {page} of {pages}").format(page="&P", pages="&N")
