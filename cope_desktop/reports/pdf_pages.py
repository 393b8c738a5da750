"""The page furniture of the PDF reports: cover band, header, footer, internal marking.

Drawn on the canvas rather than flowed: the cover's band and the internal report's red banner
sit behind or above the frames, and "Page n of m" needs the page count, which is known only
when every page is laid out, so the canvas holds its pages back until it is saved.

Also the document's setup (``build_pdf``) and the blocks every PDF document lays out the same
way (numbered headings, the boxed note, a chart with its caption), for the member's report
and the network's figures alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from cope_desktop.i18n import _, current_language, format_number
from cope_desktop.reports.facts import ReportFacts
from cope_desktop.reports.pdf_charts import Chart
from cope_desktop.reports.pdf_styles import (
    BLUE,
    BLUE_DARK,
    FONT,
    FONT_BOLD,
    GREY,
    GREY_RULE,
    GREY_STRIPE,
    RED,
    WHITE,
    styles,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TOP = 24 * mm
BOTTOM = 20 * mm
BANNER = 9 * mm
BAND = 72 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


@dataclass
class PageInfo:
    """What every page repeats: the report's facts and, for an internal report, its marking."""

    facts: ReportFacts
    marking: str


@dataclass
class SectionedReport(PageInfo):
    """A PDF document: its page furniture, the document it renders and its numbered sections.

    ``sections`` are (title, flowables), in the order of the cover's contents.
    """

    document: Mapping[str, Any] = field(default_factory=dict)
    sections: list[tuple[str, list[Flowable]]] = field(default_factory=list)


def paragraph(text: str, style: str) -> Paragraph:
    """Plain text (escaped, never markup) as a paragraph of the named style."""
    return Paragraph(escape(text), styles()[style])


def build_pdf(
    out: BinaryIO, report: SectionedReport, cover: list[Flowable], *, title: str, author: str
) -> None:
    """Lay ``cover`` out under the cover's band and the sections on the headed pages after it.

    A4, in the current language, every page numbered "Page n of m".
    """
    template = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title,
        author=author,
        subject=report.facts.period,
        creator=report.facts.software or "cope-desktop",
        lang=current_language(),
    )
    cover_top = BAND + (BANNER if report.marking else 0) + 10 * mm
    cover_frame = Frame(
        MARGIN, BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - cover_top - BOTTOM, id="cover", **_NO_PADDING
    )
    body_frame = Frame(
        MARGIN, BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, id="body", **_NO_PADDING
    )
    template.addPageTemplates(
        [
            PageTemplate("cover", [cover_frame], onPage=partial(draw_cover, report)),
            PageTemplate("page", [body_frame], onPage=partial(draw_header, report)),
        ]
    )
    # the next template is set first, so a cover that runs over continues on a plain page
    story: list[Flowable] = [NextPageTemplate("page"), *cover, PageBreak()]
    for _title, flowables in report.sections:
        story.extend(flowables)
    template.build(story, canvasmaker=numbered_canvas(report))


def heading(number: int, title: str) -> Paragraph:
    """A section's heading, its number in blue before its title."""
    return Paragraph(
        f'<font color="#{BLUE.hexval()[2:]}">{format_number(number)}</font>&nbsp;&nbsp;'
        + escape(title),
        styles()["h1"],
    )


def boxed(title: str, paragraphs: list[str]) -> Table:
    """A titled note in a grey box with a blue rule on its left (the cover's explanation)."""
    content: list[Flowable] = [paragraph(title, "box_title")]
    content += [paragraph(text, "box") for text in paragraphs]
    table = Table([[content]], colWidths=[FRAME_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), GREY_STRIPE),
                ("BOX", (0, 0), (-1, -1), 0.6, GREY_RULE),
                ("LINEBEFORE", (0, 0), (0, -1), 3, BLUE),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def chart_block(chart: Chart, note: str = "") -> KeepTogether:
    """A chart under its title, with its caption and ``note`` (if any) in small print."""
    parts: list[Flowable] = [
        paragraph(chart.title, "chart_title"),
        Spacer(1, 2 * mm),
        chart.drawing,
    ]
    caption = " ".join(part for part in (chart.caption, note) if part)
    if caption:
        parts.append(paragraph(caption, "footnote"))
    return KeepTogether(parts)


def _draw_banner(report: PageInfo, canvas: Canvas) -> float:
    """The internal report's red marking across the top; returns the height it takes."""
    if not report.marking:
        return 0
    canvas.setFillColor(RED)
    canvas.rect(0, PAGE_HEIGHT - BANNER, PAGE_WIDTH, BANNER, stroke=0, fill=1)
    canvas.setFillColor(WHITE)
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - BANNER + 3.2 * mm, report.marking)
    return BANNER


def draw_cover(report: PageInfo, canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - _draw_banner(report, canvas)
    canvas.setFillColor(BLUE_DARK)
    canvas.rect(0, top - BAND, PAGE_WIDTH, BAND, stroke=0, fill=1)
    canvas.setFillColor(BLUE)
    canvas.rect(0, top - BAND, PAGE_WIDTH, 2.2 * mm, stroke=0, fill=1)
    facts = report.facts
    width = PAGE_WIDTH - 2 * MARGIN
    y = top - 18 * mm
    for text, style, gap in (
        (facts.kind.upper(), "cover_kind", 7 * mm),
        (facts.organisation, "cover_org", 5 * mm),
        (facts.country, "cover_line", 0.0),
        (facts.period, "cover_line", 0.0),
    ):
        if not text:
            continue
        line = _organisation(text, width) if style == "cover_org" else paragraph(text, style)
        _w, height = line.wrap(width, BAND)
        y -= height
        line.drawOn(canvas, MARGIN, y)
        y -= gap
    canvas.restoreState()


def _organisation(name: str, width: float) -> Paragraph:
    """The organisation's name on the cover, smaller for a long name, in two lines at most."""
    base = styles()["cover_org"]
    for size in (24, 20, 17, 15):
        style = ParagraphStyle(f"cover_org_{size}", base, fontSize=size, leading=size * 1.2)
        line = Paragraph(escape(name), style)
        _w, height = line.wrap(width, BAND)
        if height <= 2 * style.leading + 0.1:
            return line
    return line


def draw_header(report: PageInfo, canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.saveState()
    _draw_banner(report, canvas)
    y = PAGE_HEIGHT - TOP + 7 * mm
    kind = report.facts.kind
    room = FRAME_WIDTH - stringWidth(kind, FONT, 8) - 6 * mm
    canvas.setFont(FONT_BOLD, 8)
    canvas.setFillColor(BLUE_DARK)
    canvas.drawString(MARGIN, y, _fit(report.facts.organisation, FONT_BOLD, 8, room))
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, kind)
    canvas.setStrokeColor(GREY_RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 2.5 * mm, PAGE_WIDTH - MARGIN, y - 2.5 * mm)
    canvas.restoreState()


def _draw_footer(report: PageInfo, canvas: Canvas, page: int, pages: int) -> None:
    canvas.saveState()
    y = 11 * mm
    canvas.setStrokeColor(GREY_RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + 4 * mm, PAGE_WIDTH - MARGIN, y + 4 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(GREY)
    number = _("Page {page} of {pages}").format(
        page=format_number(page), pages=format_number(pages)
    )
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, number)
    room = FRAME_WIDTH - stringWidth(number, FONT, 7.5) - 6 * mm
    period = report.facts.period
    organisation = _fit(
        report.facts.organisation, FONT, 7.5, room - stringWidth(" · " + period, FONT, 7.5)
    )
    canvas.drawString(MARGIN, y, " · ".join(part for part in (organisation, period) if part))
    canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def numbered_canvas(report: PageInfo) -> type[Canvas]:
    """A canvas that holds its pages back until the end, to print "Page n of m" on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for page, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _draw_footer(report, self, page, pages)
                super().showPage()
            super().save()

    return NumberedCanvas
