"""The spreadsheet rendering of a report document (openpyxl).

A cover sheet (who, which period, when, how the figures are protected, links to the tables),
then one sheet per table: numbers stay numbers so they can be summed, a hidden figure is the
text "<k" with a note, totals are bold. The internal report says "INTERNAL — DO NOT SEND" at the
top of every sheet, in its printed header, and its sheet tabs are red.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cope_desktop.i18n import _
from cope_desktop.reports import labels
from cope_desktop.reports.explain import explanation
from cope_desktop.reports.facts import ReportFacts, marking, prisons_sentence, report_facts
from cope_desktop.reports.grid import Grid, breakdown_grids, table_grids

BLUE = "2B5C8A"
BLUE_DARK = "1D4366"
HEADER_FILL = PatternFill("solid", fgColor="D6E2EE")
TOTAL_FILL = PatternFill("solid", fgColor="EEF2F6")
RED = "B3261E"
GREY = "5F6B77"
MUTED = "8D96A0"
RULE = Side(style="thin", color="C8D0D8")
HEADER_RULE = Side(style="medium", color=BLUE)

_INVALID_IN_SHEET_NAME = re.compile(r"[\\/*?:\[\]]")
_MAX_SHEET_NAME = 31


def write_xlsx(document: Mapping[str, Any], out: BinaryIO) -> None:
    """Render ``document`` as an .xlsx workbook into ``out``."""
    facts = report_facts(document)
    mark = marking(document)
    grids = [*table_grids(document), *breakdown_grids(document)]
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    names = sheet_names([_("About this report"), *(labels.short_title(g.id) for g in grids)])
    cover.title = names[0]
    _write_cover(cover, document, facts, mark, list(zip(names[1:], grids, strict=True)))
    for name, table_grid in zip(names[1:], grids, strict=True):
        sheet = workbook.create_sheet(name)
        after = prisons_sentence(document) if table_grid.id == "activities" else ""
        _write_table(sheet, table_grid, mark, after)
    for sheet in workbook.worksheets:
        _page_setup(sheet, facts, mark)
    workbook.properties.title = f"{facts.kind} — {facts.organisation}"
    workbook.properties.creator = facts.software or "cope-desktop"
    workbook.properties.subject = facts.period
    workbook.save(out)


def sheet_names(titles: list[str]) -> list[str]:
    """Valid, unique sheet names (at most 31 characters, no slash, star, colon...)."""
    names: list[str] = []
    for title in titles:
        base = _INVALID_IN_SHEET_NAME.sub("-", title).strip("' ") or "Sheet"
        name = _shorten(base, _MAX_SHEET_NAME)
        number = 2
        while name.casefold() in (n.casefold() for n in names):
            suffix = f" ({number})"
            name = _shorten(base, _MAX_SHEET_NAME - len(suffix)) + suffix
            number += 1
        names.append(name)
    return names


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a word boundary where there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" -'") + "…"


def _marking_row(sheet: Worksheet, row: int, mark: str) -> int:
    """Write the internal marking on ``row``; returns the next free row."""
    if not mark:
        return row
    cell = sheet.cell(row=row, column=1, value=mark)
    cell.font = Font(bold=True, color="FFFFFF", size=12)
    cell.fill = PatternFill("solid", fgColor=RED)
    for column in range(2, 7):
        sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor=RED)
    sheet.sheet_properties.tabColor = RED
    return row + 2


def _write_cover(
    sheet: Worksheet,
    document: Mapping[str, Any],
    facts: ReportFacts,
    mark: str,
    contents: list[tuple[str, Grid]],
) -> None:
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    row = _marking_row(sheet, 1, mark)
    sheet.cell(row=row, column=1, value=facts.kind).font = Font(bold=True, color=BLUE, size=11)
    row += 1
    sheet.cell(row=row, column=1, value=facts.organisation).font = Font(
        bold=True, color=BLUE_DARK, size=18
    )
    row += 2
    for name, value in facts.labelled():
        sheet.cell(row=row, column=1, value=name).font = Font(bold=True, color=GREY)
        sheet.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    heading = _("About this report") if facts.internal else _("How the figures are protected")
    sheet.cell(row=row, column=1, value=heading).font = Font(bold=True, color=BLUE_DARK, size=12)
    row += 1
    for paragraph in explanation(document):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = sheet.cell(row=row, column=1, value=paragraph)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (len(paragraph) // 105 + 1)
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Contents")).font = Font(
        bold=True, color=BLUE_DARK, size=12
    )
    row += 1
    for number, (name, table_grid) in enumerate(contents, start=1):
        sheet.cell(row=row, column=1, value=number).alignment = Alignment(horizontal="left")
        link = sheet.cell(row=row, column=2, value=table_grid.title)
        link.hyperlink = "#'{}'!A1".format(name.replace("'", "''"))
        link.font = Font(color=BLUE, underline="single")
        row += 1


def _write_table(sheet: Worksheet, grid: Grid, mark: str, after: str) -> None:
    row = _marking_row(sheet, 1, mark)
    sheet.cell(row=row, column=1, value=grid.title).font = Font(bold=True, color=BLUE_DARK, size=14)
    row += 1
    if grid.note:
        sheet.cell(row=row, column=1, value=grid.note).font = Font(italic=True, color=GREY)
        row += 1
    row += 1
    if not (grid.rows and grid.columns):
        sheet.cell(row=row, column=1, value=labels.nothing_to_show())
        _column_widths(sheet, grid)
        return
    header_row = row
    _write_header(sheet, grid, header_row)
    for row_axis in grid.rows:
        row += 1
        _write_row(sheet, grid, row, row_axis.code, row_axis.label, row_axis.total)
    row += 2
    if grid.suppressed_count:
        note = sheet.cell(row=row, column=1, value=labels.suppressed_footnote(grid.threshold))
        note.font = Font(italic=True, color=MUTED, size=9)
        row += 1
    if after:
        sheet.cell(row=row, column=1, value=after).font = Font(italic=True, color=GREY, size=9)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    _column_widths(sheet, grid)


def _write_header(sheet: Worksheet, grid: Grid, row: int) -> None:
    titles = [grid.row_header, *(column.label for column in grid.columns)]
    for column, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True, color=BLUE_DARK)
        cell.fill = HEADER_FILL
        cell.border = Border(bottom=HEADER_RULE)
        cell.alignment = Alignment(
            horizontal="left" if column == 1 else "right", vertical="bottom", wrap_text=True
        )
    longest = max(len(title) for title in titles[1:])
    sheet.row_dimensions[row].height = 15 * (1 + (longest > 16) + (longest > 32))


def _write_row(sheet: Worksheet, grid: Grid, row: int, code: str, name: str, total: bool) -> None:
    label_cell = sheet.cell(row=row, column=1, value=name)
    label_cell.font = Font(bold=total)
    label_cell.border = Border(bottom=RULE)
    for index, column in enumerate(grid.columns, start=2):
        cell = sheet.cell(row=row, column=index)
        cell.border = Border(bottom=RULE)
        grid_cell = grid.cell(code, column.code)
        bold = total or column.total
        if bold:
            cell.fill = TOTAL_FILL
        if grid_cell is None:
            continue
        if grid_cell.suppressed or grid_cell.value is None:
            cell.value = labels.suppressed_text(grid.threshold)
            cell.font = Font(bold=bold, color=MUTED)
            cell.alignment = Alignment(horizontal="right")
            cell.comment = Comment(labels.suppressed_footnote(grid.threshold), "COPE Desktop")
            continue
        cell.value = grid_cell.value
        cell.number_format = "#,##0.0" if grid_cell.decimals else "#,##0"
        cell.font = Font(bold=bold)
    if total:
        label_cell.fill = TOTAL_FILL


def _column_widths(sheet: Worksheet, grid: Grid) -> None:
    longest_label = max([len(grid.row_header), *(len(row.label) for row in grid.rows)], default=0)
    sheet.column_dimensions["A"].width = min(max(longest_label + 3, 18), 48)
    for index, column in enumerate(grid.columns, start=2):
        words = max((len(word) for word in column.label.split()), default=8)
        width = max(12, words + 3, min(len(column.label) // 2 + 3, 24))
        sheet.column_dimensions[get_column_letter(index)].width = width


def _page_setup(sheet: Worksheet, facts: ReportFacts, mark: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = _header_text(facts.organisation)
    if mark:
        sheet.oddHeader.center.text = _header_text(mark)
        sheet.oddHeader.center.color = RED
    sheet.oddFooter.left.text = _header_text(facts.period)
    sheet.oddFooter.right.text = _("Page {page} of {pages}").format(page="&P", pages="&N")


def _header_text(text: str) -> str:
    """Text for a printed header or footer, where "&" starts a code ("&P" is the page)."""
    return text.replace("&", "&&")
