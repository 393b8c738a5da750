"""The PDF rendering of a report document (ReportLab platypus, A4).

A cover a coordinator can send as it is (organisation, country, period, headline figures, the
plain-language note on how the figures are protected, contents), then one section per table
with its charts, the children's words, and for the internal report its breakdowns, marked
"INTERNAL — DO NOT SEND" on every page (the page furniture is in ``pdf_pages``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cope_desktop.i18n import _, country_name, format_number
from cope_desktop.reports import labels
from cope_desktop.reports.explain import explanation
from cope_desktop.reports.facts import (
    key_figures,
    marking,
    prisons_sentence,
    report_facts,
)
from cope_desktop.reports.grid import Grid, breakdown_grids, table_grids
from cope_desktop.reports.pdf_charts import (
    Chart,
    activities_chart,
    age_sex_chart,
    feedback_chart,
)
from cope_desktop.reports.pdf_pages import (
    FRAME_WIDTH,
    SectionedReport,
    boxed,
    build_pdf,
    chart_block,
    heading,
    paragraph,
)
from cope_desktop.reports.pdf_styles import (
    BLUE,
    BLUE_PALE,
    FONT,
    FONT_BOLD,
    GREY_MUTED,
    GREY_RULE,
    register_fonts,
    styles,
    table_style,
    total_column,
    total_row,
)

_CHARTS: dict[str, Callable[[Grid, float], Chart | None]] = {
    "children_by_age_sex": age_sex_chart,
    "activities": activities_chart,
    "child_feedback": feedback_chart,
}


def write_pdf(document: Mapping[str, Any], out: BinaryIO) -> None:
    """Render ``document`` (a network return or an internal report) as a PDF into ``out``."""
    register_fonts()
    report = SectionedReport(report_facts(document), marking(document), document)
    report.sections = _sections(report)
    build_pdf(
        out,
        report,
        _cover(report),
        title=" — ".join(
            part for part in (report.marking, report.facts.kind, report.facts.organisation) if part
        ),
        author=report.facts.organisation,
    )


# -- cover ---------------------------------------------------------------------------------


def _cover(report: SectionedReport) -> list[Flowable]:
    facts = report.facts
    flowables: list[Flowable] = []
    figures = key_figures(report.document)
    if figures:
        flowables += [_figure_tiles(figures), Spacer(1, 7 * mm)]
    title = _("About this report") if facts.internal else _("How the figures are protected")
    flowables += [boxed(title, explanation(report.document)), Spacer(1, 7 * mm)]
    flowables.append(paragraph(_("Contents"), "h2"))
    flowables.append(Spacer(1, 2 * mm))
    flowables.append(_contents([title for title, _flowables in report.sections]))
    generated = _("Generated on {date} with {software}.").format(
        date=facts.generated, software=facts.software or "COPE Desktop"
    )
    flowables += [Spacer(1, 6 * mm), paragraph(generated, "footnote")]
    return flowables


def _figure_tiles(figures: list[tuple[str, str]]) -> Table:
    cells = [
        [paragraph(value, "figure"), paragraph(name, "figure_label")] for name, value in figures
    ]
    gap = 4 * mm
    width = (FRAME_WIDTH - gap * (len(cells) - 1)) / len(cells)
    row: list[Any] = []
    widths: list[float] = []
    for index, cell in enumerate(cells):
        if index:
            row.append("")
            widths.append(gap)
        row.append(cell)
        widths.append(width)
    table = Table([row], colWidths=widths, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
    ]
    for column in range(0, len(row), 2):
        commands.append(("BACKGROUND", (column, 0), (column, 0), BLUE_PALE))
        commands.append(("LINEABOVE", (column, 0), (column, 0), 2, BLUE))
    table.setStyle(TableStyle(commands))
    return table


def _contents(titles: list[str]) -> Table:
    rows = [
        [paragraph(format_number(number), "contents"), paragraph(title, "contents")]
        for number, title in enumerate(titles, start=1)
    ]
    table = Table(rows, colWidths=[9 * mm, FRAME_WIDTH - 9 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TEXTCOLOR", (0, 0), (0, -1), BLUE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GREY_RULE),
            ]
        )
    )
    return table


# -- sections ------------------------------------------------------------------------------


def _sections(report: SectionedReport) -> list[tuple[str, list[Flowable]]]:
    """(title, flowables) for every section after the cover, numbered in the contents."""
    sections: list[tuple[str, list[Flowable]]] = []
    number = 0
    for table_grid in table_grids(report.document):
        number += 1
        after = prisons_sentence(report.document) if table_grid.id == "activities" else ""
        flowables = _table_section(number, table_grid, after)
        sections.append((table_grid.title, flowables))
    quotes = report.document.get("quotes") or []
    if quotes:
        number += 1
        sections.append((_("Children's words"), _quotes_section(number, quotes)))
    for table_grid in breakdown_grids(report.document):
        number += 1
        sections.append((table_grid.title, _table_section(number, table_grid)))
    return sections


def _table_section(number: int, grid: Grid, after: str = "") -> list[Flowable]:
    block: list[Flowable] = [heading(number, grid.title)]
    if grid.note:
        block += [paragraph(grid.note, "note"), Spacer(1, 3 * mm)]
    if grid.rows and grid.columns:
        block.append(_table(grid))
    else:
        block.append(paragraph(labels.nothing_to_show(), "body"))
    if grid.suppressed_count:
        block += [
            Spacer(1, 1.5 * mm),
            paragraph(labels.suppressed_footnote(grid.threshold), "footnote"),
        ]
    if after:
        block += [Spacer(1, 2 * mm), paragraph(after, "note")]
    flowables: list[Flowable] = [KeepTogether(block)]
    chart_maker = _CHARTS.get(grid.id)
    chart = chart_maker(grid, FRAME_WIDTH) if chart_maker else None
    if chart is not None:
        flowables.append(chart_block(chart))
    return flowables


def _column_widths(grid: Grid) -> list[float]:
    """The label column as wide as its labels need, the figures' columns sharing the rest.

    A figures' column is never narrower than the longest word of its heading, so headings
    wrap between words only.
    """
    count = len(grid.columns)
    if count == 1:
        return [95 * mm, 32 * mm]
    padding = 12
    header = styles()["header_cell"]
    narrowest = max(
        max(stringWidth(word, FONT_BOLD, header.fontSize) for word in column.label.split())
        for column in grid.columns
    )
    narrowest = max(narrowest + padding, 16 * mm)
    labels_need = max(
        stringWidth(row.label, FONT_BOLD if row.total else FONT, 8.5) for row in grid.rows
    )
    label = min(labels_need + padding, FRAME_WIDTH - count * narrowest, 0.45 * FRAME_WIDTH)
    label = max(label, 28 * mm)
    return [label, *[(FRAME_WIDTH - label) / count] * count]


def _table(grid: Grid) -> Table:
    columns = grid.columns
    header = [paragraph(grid.row_header, "header_label")]
    header += [paragraph(column.label, "header_cell") for column in columns]
    rows: list[list[Any]] = [header]
    for row in grid.rows:
        label_style = "row_total" if row.total else "row_label"
        rows.append(
            [paragraph(row.label, label_style), *(grid.text(row.code, c.code) for c in columns)]
        )
    table = Table(rows, colWidths=_column_widths(grid), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_table_style(grid)))
    return table


def _table_style(grid: Grid) -> list[tuple[Any, ...]]:
    commands = table_style(3.5, 6)
    commands.append(("ALIGN", (1, 1), (-1, -1), "RIGHT"))
    for index, column in enumerate(grid.columns, start=1):
        if column.total:
            commands += [("FONT", (index, 1), (index, -1), FONT_BOLD, 8.5), *total_column(index)]
    for index, row in enumerate(grid.rows, start=1):
        if row.total:
            commands += [("FONT", (0, index), (-1, index), FONT_BOLD, 8.5), *total_row(index)]
        for column_index, column in enumerate(grid.columns, start=1):
            cell = grid.cell(row.code, column.code)
            if cell is not None and cell.suppressed:
                position = (column_index, index)
                commands.append(("TEXTCOLOR", position, position, GREY_MUTED))
    return commands


def _quotes_section(number: int, quotes: list[Mapping[str, Any]]) -> list[Flowable]:
    opening: list[Flowable] = [
        heading(number, _("Children's words")),
        paragraph(_("What children said about the activities, in their own words."), "note"),
        Spacer(1, 4 * mm),
    ]
    blocks = [[_quote(quote), Spacer(1, 4 * mm)] for quote in quotes]
    return [KeepTogether(opening + blocks[0]), *(f for block in blocks[1:] for f in block)]


def _quote(quote: Mapping[str, Any]) -> Table:
    age_band = str(quote.get("age_band") or "")
    country = country_name(str(quote.get("country") or "")) if quote.get("country") else ""
    if age_band and age_band != "unknown":
        by = _("A child aged {age_band}, {country}").format(age_band=age_band, country=country)
    else:
        by = _("A child of unknown age, {country}").format(country=country)
    text = Paragraph("“" + escape(str(quote.get("text", ""))) + "”", styles()["quote"])
    table = Table(
        [[[_Slanted(text), Spacer(1, 1.5 * mm), paragraph("— " + by, "quote_by")]]],
        colWidths=[FRAME_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, BLUE),
                ("BACKGROUND", (0, 0), (-1, -1), BLUE_PALE),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


class _Slanted(Flowable):
    """A paragraph drawn slanted like italics (DejaVu Sans ships upright only)."""

    SLANT = 0.19  # tan(about 11 degrees), the slant of a typical oblique

    def __init__(self, paragraph: Paragraph) -> None:
        super().__init__()
        self.paragraph = paragraph

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _width, height = self.paragraph.wrap(available_width, available_height)
        _width, height = self.paragraph.wrap(
            available_width - self.SLANT * height, available_height
        )
        self.width, self.height = available_width, height
        return available_width, height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.transform(1, 0, self.SLANT, 1, 0, 0)
        self.paragraph.drawOn(self.canv, 0, 0)
        self.canv.restoreState()
