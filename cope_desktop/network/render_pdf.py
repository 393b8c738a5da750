"""The PDF rendering of a merged network document (ReportLab platypus, A4).

A cover saying what was merged and how to read a merged figure, the network's tables laid
out as in a member's report (each figure exact, a range or hidden, with the number of
organisations behind it in small print), charts, a table of the countries, and the returns
merged with their checksums and the files left out. The page furniture, styles and charts are
the member report's (``reports.pdf_pages``, ``pdf_styles``, ``pdf_charts``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
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

from cope_desktop.i18n import _, format_number
from cope_desktop.network import labels as net
from cope_desktop.network.render_figures import (
    COUNTRY_COLUMNS,
    FigureMap,
    country_figures,
    estimate_table,
    figure_map,
    game_by_country,
    has_ranges,
    network_scope,
)
from cope_desktop.reports import labels
from cope_desktop.reports.facts import ReportFacts, date_text
from cope_desktop.reports.grid import Grid, grid
from cope_desktop.reports.pdf_charts import (
    Chart,
    activities_chart,
    age_sex_chart,
    category_bars,
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
    FONT,
    FONT_BOLD,
    GREY,
    GREY_MUTED,
    GREY_RULE,
    GREY_STRIPE,
    INK,
    WHITE,
    register_fonts,
    styles,
    table_style,
    total_column,
    total_row,
)

_CHARTS: dict[str, Callable[[Grid, float], Chart | None]] = {
    "children_by_age_sex": age_sex_chart,
    "activities": activities_chart,
}
_PAD = 12.0


def write_pdf(document: Mapping[str, Any], out: BinaryIO) -> None:
    """Render a merged network document as a PDF into ``out``, in the current language."""
    register_fonts()
    facts = net.merge_facts(document)
    page = SectionedReport(_page_facts(facts), "", document)
    page.sections = _sections(document)
    build_pdf(
        out,
        page,
        _cover(page, facts),
        title=f"{facts.title} — {facts.period}",
        author=facts.network,
    )


def _page_facts(facts: net.MergeFacts) -> ReportFacts:
    """The cover band and page header read a member report's facts: fill them for the network."""
    return ReportFacts(
        internal=False,
        kind=facts.network,
        organisation=facts.title,
        country=facts.returns_line,
        start=None,
        end=None,
        period=facts.period,
        generated=facts.generated,
        software=facts.software,
    )


# -- styles --------------------------------------------------------------------------------


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = styles()["body"]
    return {
        "figure": ParagraphStyle("net_figure", base, fontSize=8.5, leading=10, alignment=TA_RIGHT),
        "figure_left": ParagraphStyle(
            "net_figure_left", base, fontSize=8.5, leading=10, alignment=TA_LEFT
        ),
        "small": ParagraphStyle(
            "net_small", base, fontSize=6.5, leading=8, textColor=GREY_MUTED, alignment=TA_LEFT
        ),
        "fact_name": ParagraphStyle(
            "net_fact_name", base, fontName=FONT_BOLD, fontSize=9, leading=12, textColor=GREY
        ),
        "fact": ParagraphStyle("net_fact", base, fontSize=9, leading=12),
    }


def _figure_cell(text: str, organisations: int | None, *, bold: bool, muted: bool) -> Paragraph:
    """A figure with, in small grey print under it, how many organisations stand behind it."""
    colour = GREY_MUTED if muted else INK
    markup = f'<font color="#{colour.hexval()[2:]}">{_keep_numbers(text)}</font>'
    if bold:
        markup = f"<b>{markup}</b>"
    if organisations is not None:
        small = _keep_numbers(net.organisations_text(organisations))
        markup += f'<br/><font size="6.3" color="#{GREY.hexval()[2:]}">{small}</font>'
    return Paragraph(markup, _styles()["figure"])


# -- cover ---------------------------------------------------------------------------------


def _cover(page: SectionedReport, facts: net.MergeFacts) -> list[Flowable]:
    flowables: list[Flowable] = [_facts_table(facts), Spacer(1, 7 * mm)]
    flowables += [
        boxed(_("How to read these figures"), net.how_to_read(page.document)),
        Spacer(1, 7 * mm),
        paragraph(_("Contents"), "h2"),
        Spacer(1, 2 * mm),
        _contents([title for title, _flowables in page.sections]),
    ]
    return flowables


def _facts_table(facts: net.MergeFacts) -> Table:
    rows = [
        (_("Period"), facts.period),
        (_("Returns merged"), format_number(facts.returns)),
        (_("Countries"), net.join_names(facts.countries) or "—"),
        (_("Files not merged"), format_number(facts.not_merged)),
        (
            _("Threshold of the network's disclosure control"),
            format_number(facts.threshold) if facts.threshold is not None else "—",
        ),
        (_("Generated"), " · ".join(p for p in (facts.generated, facts.software) if p)),
    ]
    data = [
        [Paragraph(escape(name), _styles()["fact_name"]), Paragraph(escape(v), _styles()["fact"])]
        for name, v in rows
    ]
    table = Table(data, colWidths=[55 * mm, FRAME_WIDTH - 55 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GREY_RULE),
            ]
        )
    )
    return table


def _contents(titles: list[str]) -> Table:
    """The sections, numbered, in two columns (the cover has room for little else)."""
    entries = [
        [paragraph(format_number(number), "contents"), paragraph(title, "contents")]
        for number, title in enumerate(titles, start=1)
    ]
    half = (len(entries) + 1) // 2
    gap = 6 * mm
    number_width = 8 * mm
    title_width = (FRAME_WIDTH - gap) / 2 - number_width
    rows = []
    for index in range(half):
        right = entries[index + half] if index + half < len(entries) else ["", ""]
        rows.append([*entries[index], "", *right])
    table = Table(
        rows,
        colWidths=[number_width, title_width, gap, number_width, title_width],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (1, -1), 0.25, GREY_RULE),
                ("LINEBELOW", (3, 0), (4, len(entries) - half - 1), 0.25, GREY_RULE),
            ]
        )
    )
    return table


# -- sections ------------------------------------------------------------------------------


def _sections(document: Mapping[str, Any]) -> list[tuple[str, list[Flowable]]]:
    sections: list[tuple[str, list[Flowable]]] = []
    k = net.threshold(document)
    scope = network_scope(document)
    tables: Mapping[str, Any] = (scope or {}).get("tables") or {}
    for table_id, table in tables.items():
        title = labels.table_title(table_id)
        flowables = _table_section(len(sections) + 1, table_id, table, k)
        sections.append((title, flowables))
    if len(document.get("scopes") or []) > 1:
        title = _("Figures by country")
        sections.append((title, _countries_section(len(sections) + 1, title, document, k)))
    title = _("Returns merged")
    sections.append((title, _returns_section(len(sections) + 1, title, document)))
    if document.get("not_merged"):
        title = _("Files not merged")
        sections.append((title, _not_merged_section(len(sections) + 1, title, document)))
    return sections


def _table_section(
    number: int, table_id: str, table: Mapping[str, Any], k: int | None
) -> list[Flowable]:
    layout = grid(table_id, table, k)
    figures = figure_map(table)
    block: list[Flowable] = [heading(number, layout.title)]
    if layout.note:
        block += [paragraph(layout.note, "note"), Spacer(1, 3 * mm)]
    block.append(_figures_table(layout, figures, k))
    if any(f.get("flag") == net.SUPPRESSED for f in figures.values()):
        block += [Spacer(1, 1.5 * mm), paragraph(labels.suppressed_footnote(k), "footnote")]
    flowables: list[Flowable] = [KeepTogether(block)]
    chart_maker = _CHARTS.get(table_id)
    if chart_maker is not None:
        chart = chart_maker(grid(table_id, estimate_table(table), k), FRAME_WIDTH)
        if chart is not None:
            flowables.append(chart_block(chart, _estimates_note(table)))
    return flowables


def _estimates_note(table: Mapping[str, Any]) -> str:
    if not has_ranges(table):
        return ""
    return _("Figures known as a range are drawn at their central estimate.")


def _keep_numbers(text: str) -> str:
    """Escaped text whose numbers never break.

    ReportLab wraps at a narrow no-break space (French thousands), not at a no-break space.
    """
    return escape(text).replace("\u202f", "\xa0")


def _text_width(text: str, bold: bool, size: float = 8.5) -> float:
    return stringWidth(text.replace("\u202f", "\xa0"), FONT_BOLD if bold else FONT, size)


def _column_need(header: str, texts: Sequence[tuple[str, bool]]) -> tuple[float, float]:
    """(narrowest, preferred) width of a figures' column.

    Never narrower than a heading's word or a figure's word; preferably as wide as its widest
    figure on one line.
    """
    words = [_text_width(w, True, 7.5) for w in header.split()]
    words += [_text_width(w, bold) for text, bold in texts for w in text.split(" ")]
    whole = [_text_width(text, bold) for text, bold in texts]
    narrowest = max([*words, 0.0]) + _PAD
    return max(narrowest, 14 * mm), max(narrowest, max([*whole, 0.0]) + _PAD, 14 * mm)


def _widths(label_need: float, needs: Sequence[tuple[float, float]]) -> list[float]:
    """The label column and the figures' columns, filling the frame.

    Figures get their preferred width when the labels still fit; else the labels wrap down
    to a minimum; else the figures wrap between words (a range under its estimate).
    """
    smallest_label = 26 * mm
    label = min(max(label_need + _PAD, smallest_label), 0.42 * FRAME_WIDTH)
    if len(needs) == 1:
        return [max(label, 70 * mm), max(needs[0][1], 36 * mm)]
    preferred = [p for _n, p in needs]
    narrowest = [n for n, _p in needs]
    if label + sum(preferred) > FRAME_WIDTH:
        label = max(smallest_label, FRAME_WIDTH - sum(preferred))
    columns = preferred if label + sum(preferred) <= FRAME_WIDTH else narrowest
    if label + sum(columns) > FRAME_WIDTH:
        label = max(smallest_label, FRAME_WIDTH - sum(columns))
    spare = FRAME_WIDTH - label - sum(columns)
    if spare >= 0:
        return [label, *(c + spare / len(columns) for c in columns)]
    scale = (FRAME_WIDTH - label) / sum(columns)
    return [label, *(c * scale for c in columns)]


def _label_need(names: Sequence[str], header: str) -> float:
    return max([_text_width(header, True, 7.5), *(_text_width(n, True) for n in names)])


def _figures_table(layout: Grid, figures: FigureMap, k: int | None) -> Table:
    columns = layout.columns
    header = [paragraph(layout.row_header, "header_label")]
    header += [paragraph(column.label, "header_cell") for column in columns]
    rows: list[list[Any]] = [header]
    texts: dict[str, list[tuple[str, bool]]] = {column.code: [] for column in columns}
    for row in layout.rows:
        cells: list[Any] = [paragraph(row.label, "row_total" if row.total else "row_label")]
        for column in columns:
            figure = figures.get((row.code, column.code))
            cell = layout.cell(row.code, column.code)
            if figure is None or cell is None:
                cells.append("")
                continue
            text = net.figure_text(figure, k, cell.decimals)
            bold = row.total or column.total
            texts[column.code].append((text, bold))
            cells.append(
                _figure_cell(
                    text,
                    figure.get("organisations"),
                    bold=bold,
                    muted=figure.get("flag") == net.SUPPRESSED,
                )
            )
        rows.append(cells)
    widths = _widths(
        _label_need([r.label for r in layout.rows], layout.row_header),
        [_column_need(column.label, texts[column.code]) for column in columns],
    )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(_grid_style(layout)))
    return table


def _grid_style(layout: Grid) -> list[tuple[Any, ...]]:
    commands = table_style(3, 5)
    for index, column in enumerate(layout.columns, start=1):
        if column.total:
            commands += total_column(index)
    for index, row in enumerate(layout.rows, start=1):
        if row.total:
            commands += total_row(index)
    return commands


# -- countries -----------------------------------------------------------------------------


def _countries_section(
    number: int, title: str, document: Mapping[str, Any], k: int | None
) -> list[Flowable]:
    rows_data = country_figures(document)
    header = [paragraph(_("Country"), "header_label")]
    header += [paragraph(name, "header_cell") for name in _country_headings()]
    rows: list[list[Any]] = [header]
    total_rows: list[int] = []
    texts: list[list[tuple[str, bool]]] = [[] for _heading in _country_headings()]
    for index, row in enumerate(rows_data, start=1):
        bold = row.network
        if bold:
            total_rows.append(index)
        cells: list[Any] = [paragraph(row.name, "row_total" if bold else "row_label")]
        shown = [(format_number(row.organisations), False)]
        for code, decimals in COUNTRY_COLUMNS:
            figure = row.figures.get(code)
            muted = bool(figure and figure.get("flag") == net.SUPPRESSED)
            shown.append((net.figure_text(figure, k, decimals), muted))
        for column, (text, muted) in enumerate(shown):
            texts[column].append((text, bold))
            cells.append(_figure_cell(text, None, bold=bold, muted=muted))
        rows.append(cells)
    widths = _widths(
        _label_need([r.name for r in rows_data], _("Country")),
        [
            _column_need(name, column_texts)
            for name, column_texts in zip(_country_headings(), texts, strict=True)
        ],
    )
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = table_style(3, 5)
    for index in total_rows:
        commands += total_row(index)
    table.setStyle(TableStyle(commands))
    note = _(
        "One row per country, then the whole network. Organisations: the returns merged "
        "from the country."
    )
    flowables: list[Flowable] = [
        KeepTogether([heading(number, title), paragraph(note, "note"), Spacer(1, 3 * mm), table])
    ]
    chart = _game_chart(document, k)
    if chart is not None:
        flowables.append(chart_block(chart))
    return flowables


def _country_headings() -> list[str]:
    return [
        _("Organisations"),
        _("Families supported"),
        _("Children supported"),
        _("Activity sessions"),
        _("Game with Mum & Dad: events"),
        _("Game with Mum & Dad: children"),
    ]


def _game_chart(document: Mapping[str, Any], k: int | None) -> Chart | None:
    names, events, children, ranges = game_by_country(document)
    caption = ""
    if any(value is None for value in (*events, *children)):
        caption = _(
            "Figures shown as {marker} in the table are hidden: the chart leaves them out."
        ).format(marker=labels.suppressed_text(k))
    if ranges:
        caption = " ".join(
            p
            for p in (caption, _("Figures known as a range are drawn at their central estimate."))
            if p
        )
    return category_bars(
        _("Game with Mum & Dad by country"),
        names,
        [(_("Events held"), events), (_("Children (each counted once)"), children)],
        FRAME_WIDTH,
        labels.suppressed_text(k),
        caption,
    )


# -- returns -------------------------------------------------------------------------------


def _returns_section(number: int, title: str, document: Mapping[str, Any]) -> list[Flowable]:
    returns = document.get("returns") or []
    header = [
        paragraph(_("Organisation"), "header_label"),
        paragraph(_("Country"), "header_label"),
        paragraph(_("File"), "header_label"),
        paragraph(_("Generated"), "header_label"),
        paragraph(_("Checksum"), "header_label"),
    ]
    rows: list[list[Any]] = [header]
    commands = table_style(3, 5)
    commands.remove(("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, GREY_STRIPE]))
    commands.remove(("LINEBELOW", (0, 1), (-1, -1), 0.25, GREY_RULE))
    commands.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    small = _styles()["small"]
    for index, entry in enumerate(returns):
        organisation = entry.get("organisation") or {}
        name = Paragraph(
            escape(str(organisation.get("name") or ""))
            + f'<br/><font size="6.3" color="#{GREY.hexval()[2:]}">'
            + escape(str(organisation.get("id") or ""))
            + "</font>",
            _styles()["figure_left"],
        )
        checksum = str(entry.get("checksum") or "")
        rows.append(
            [
                name,
                paragraph(net.country_label(organisation.get("country")), "row_label"),
                paragraph(str(entry.get("file") or ""), "row_label"),
                paragraph(date_text(entry.get("generated_at"), "medium"), "row_label"),
                paragraph(net.short_checksum(checksum) + "…", "row_label"),
            ]
        )
        rows.append(["", Paragraph(escape(checksum), small), "", "", ""])
        first = 1 + 2 * index
        commands += [
            ("SPAN", (1, first + 1), (-1, first + 1)),
            ("NOSPLIT", (0, first), (-1, first + 1)),
            ("TOPPADDING", (0, first + 1), (-1, first + 1), 0),
            ("LINEBELOW", (0, first + 1), (-1, first + 1), 0.25, GREY_RULE),
        ]
        if index % 2:
            commands.append(("BACKGROUND", (0, first), (-1, first + 1), GREY_STRIPE))
    widths = [50 * mm, 22 * mm, 44 * mm, 24 * mm, 30 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    note = _(
        "Each return merged, with the checksum it carries (in full under it): a member can "
        "compare it with the one COPE Desktop showed when the return was made."
    )
    return [
        KeepTogether([heading(number, title), paragraph(note, "note"), Spacer(1, 3 * mm)]),
        table,
    ]


def _not_merged_section(number: int, title: str, document: Mapping[str, Any]) -> list[Flowable]:
    header = [
        paragraph(_("File"), "header_label"),
        paragraph(_("Organisation"), "header_label"),
        paragraph(_("Why it was left out"), "header_label"),
    ]
    rows: list[list[Any]] = [header]
    for entry in document.get("not_merged") or []:
        rows.append(
            [
                paragraph(str(entry.get("file") or ""), "row_label"),
                paragraph(str(entry.get("organisation") or "—"), "row_label"),
                paragraph(net.problem_label(entry.get("problem")), "row_label"),
            ]
        )
    table = Table(rows, colWidths=[60 * mm, 28 * mm, FRAME_WIDTH - 88 * mm], repeatRows=1)
    table.setStyle(TableStyle([*table_style(3, 5), ("VALIGN", (0, 1), (-1, -1), "TOP")]))
    note = _("Files that were read but not merged, and why.")
    return [
        KeepTogether([heading(number, title), paragraph(note, "note"), Spacer(1, 3 * mm), table])
    ]
