"""Fonts, colours and paragraph styles of the PDF reports.

DejaVu Sans (shipped in resources/fonts) covers every European script — Greek, Cyrillic,
Polish ł, Czech ř, Romanian ș — so it is the only font used; it is registered once per process.
The palette is calm blue and grey, with red kept for the internal report's marking.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cope_desktop.paths import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

INK = colors.HexColor("#1F2933")
BLUE = colors.HexColor("#2B5C8A")
BLUE_DARK = colors.HexColor("#1D4366")
BLUE_PALE = colors.HexColor("#E9F0F7")
BLUE_HEADER = colors.HexColor("#D6E2EE")
GREY = colors.HexColor("#5F6B77")
GREY_MUTED = colors.HexColor("#8D96A0")
GREY_RULE = colors.HexColor("#C8D0D8")
GREY_STRIPE = colors.HexColor("#F5F7F9")
TOTAL_FILL = colors.HexColor("#EEF2F6")
RED = colors.HexColor("#B3261E")
WHITE = colors.white

SERIES = (
    colors.HexColor("#2B5C8A"),
    colors.HexColor("#5FA3B8"),
    colors.HexColor("#A7BFD6"),
    colors.HexColor("#B9B4A8"),
    colors.HexColor("#7A8794"),
)
RATING_COLOURS = {
    "positive": colors.HexColor("#4E8F6E"),
    "neutral": colors.HexColor("#D9B45A"),
    "negative": colors.HexColor("#C0695A"),
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans (normal and bold) with ReportLab, once per process."""
    global _registered
    with _lock:
        if _registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(
            TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
        )
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )
        _registered = True


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, by name (built once, after the fonts are registered)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK)
    made = {
        "body": base,
        "cover_kind": ParagraphStyle(
            "cover_kind", base, fontName=FONT_BOLD, fontSize=11, leading=15, textColor=WHITE
        ),
        "cover_org": ParagraphStyle(
            "cover_org", base, fontName=FONT_BOLD, fontSize=24, leading=29, textColor=WHITE
        ),
        "cover_line": ParagraphStyle(
            "cover_line", base, fontSize=12, leading=17, textColor=colors.HexColor("#DCE7F2")
        ),
        "h1": ParagraphStyle(
            "h1",
            base,
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=BLUE_DARK,
            spaceBefore=30,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, textColor=BLUE_DARK
        ),
        "chart_title": ParagraphStyle(
            "chart_title",
            base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            textColor=BLUE_DARK,
            spaceBefore=18,
        ),
        "box_title": ParagraphStyle(
            "box_title",
            base,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=14,
            textColor=BLUE_DARK,
            spaceAfter=3,
        ),
        "box": ParagraphStyle("box", base, fontSize=9, leading=13, spaceAfter=4),
        "note": ParagraphStyle("note", base, fontSize=8.5, leading=12, textColor=GREY),
        "footnote": ParagraphStyle(
            "footnote", base, fontSize=7.5, leading=10, textColor=GREY_MUTED
        ),
        "contents": ParagraphStyle("contents", base, fontSize=9.5, leading=15),
        "header_cell": ParagraphStyle(
            "header_cell", base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5, alignment=TA_RIGHT
        ),
        "header_label": ParagraphStyle(
            "header_label", base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5, alignment=TA_LEFT
        ),
        "row_label": ParagraphStyle("row_label", base, fontSize=8.5, leading=10.5),
        "row_total": ParagraphStyle(
            "row_total", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5
        ),
        "figure": ParagraphStyle(
            "figure", base, fontName=FONT_BOLD, fontSize=20, leading=24, textColor=BLUE_DARK
        ),
        "figure_label": ParagraphStyle(
            "figure_label", base, fontSize=8, leading=10, textColor=GREY
        ),
        "quote": ParagraphStyle("quote", base, fontSize=11, leading=16, textColor=INK),
        "quote_by": ParagraphStyle("quote_by", base, fontSize=8.5, leading=12, textColor=GREY),
    }
    return made


def table_style(vertical: float, horizontal: float) -> list[tuple[Any, ...]]:
    """The commands of a figures' table: a blue header row, striped rows, thin rules.

    ``vertical`` and ``horizontal`` are the cells' padding, in points.
    """
    return [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), vertical),
        ("BOTTOMPADDING", (0, 0), (-1, -1), vertical),
        ("LEFTPADDING", (0, 0), (-1, -1), horizontal),
        ("RIGHTPADDING", (0, 0), (-1, -1), horizontal),
        ("BACKGROUND", (0, 0), (-1, 0), BLUE_HEADER),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, GREY_STRIPE]),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, BLUE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GREY_RULE),
    ]


def total_column(index: int) -> list[tuple[Any, ...]]:
    """The commands that set a table's total column (``index``) apart."""
    return [
        ("BACKGROUND", (index, 1), (index, -1), TOTAL_FILL),
        ("LINEBEFORE", (index, 0), (index, -1), 0.6, GREY_RULE),
    ]


def total_row(index: int) -> list[tuple[Any, ...]]:
    """The commands that set a table's total row (``index``) apart."""
    return [
        ("BACKGROUND", (0, index), (-1, index), TOTAL_FILL),
        ("LINEABOVE", (0, index), (-1, index), 0.9, BLUE_DARK),
    ]
