"""The PDF report's charts, drawn with ReportLab's own graphics (no other plotting library).

A hidden figure ("<k") is never plotted as a number: it is a missing bar, and the caption under
the chart says so. Each chart is built from a ``Grid`` so it shows exactly the table's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from cope_desktop.i18n import _, format_number
from cope_desktop.reports import labels
from cope_desktop.reports.grid import Axis, Grid
from cope_desktop.reports.pdf_styles import (
    FONT,
    GREY,
    GREY_MUTED,
    GREY_RULE,
    INK,
    RATING_COLOURS,
    SERIES,
    WHITE,
)

Series = list[list[float | None]]


@dataclass(frozen=True)
class Chart:
    title: str
    drawing: Drawing
    caption: str


def age_sex_chart(grid: Grid, width: float) -> Chart | None:
    """Children by age band (groups) and sex (bars within a group, with a legend)."""
    rows, columns = grid.inner_rows(), grid.inner_columns()
    data: Series = [[_value(grid, r.code, c.code) for r in rows] for c in columns]
    if not _has_figures(data):
        return None
    legend_width = _legend_width([c.label for c in columns])
    drawing = Drawing(width, 190)
    chart = VerticalBarChart()
    chart.x, chart.y = 38, 28
    chart.width, chart.height = width - chart.x - legend_width - 24, 150
    chart.data = data
    chart.groupSpacing = 10
    chart.barSpacing = 1
    _style_bars(chart, SERIES)
    _style_value_axis(chart)
    _style_category_axis(chart, [r.label for r in rows])
    chart.categoryAxis.labels.angle = 0
    drawing.add(chart)
    drawing.add(
        _legend(
            [(SERIES[i % len(SERIES)], c.label) for i, c in enumerate(columns)],
            x=width - legend_width,
            y=chart.y + chart.height,
        )
    )
    return Chart(_("Children by age band and sex"), drawing, _caption(grid, data))


def activities_chart(grid: Grid, width: float) -> Chart | None:
    """Child attendances per type of activity, as horizontal bars labelled with their figure."""
    measure = "child_attendances"
    rows = list(reversed(grid.inner_rows()))  # a horizontal chart draws its first bar lowest
    data: Series = [[_value(grid, r.code, measure) for r in rows]]
    if not _has_figures(data):
        return None
    names = [r.label for r in rows]
    left = _label_width(names) + 10
    bar_height = 13
    drawing = Drawing(width, len(rows) * bar_height + 34)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, 22
    chart.width, chart.height = width - left - 40, len(rows) * bar_height
    chart.data = data
    chart.barSpacing = 0
    chart.groupSpacing = 4
    _style_bars(chart, SERIES)
    _style_value_axis(chart)
    _style_category_axis(chart, names)
    chart.barLabelFormat = _format
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.naLabel = NA_Label()
    chart.naLabel.text = labels.suppressed_text(grid.threshold)
    chart.naLabel.fontName = FONT
    chart.naLabel.fontSize = 7.5
    chart.naLabel.fillColor = GREY_MUTED
    chart.naLabel.boxAnchor = "w"
    chart.naLabel.dx = 3
    drawing.add(chart)
    return Chart(_("Child attendances by type of activity"), drawing, _caption(grid, data))


def feedback_chart(grid: Grid, width: float) -> Chart | None:
    """Children's feedback per type of activity: one stacked bar per type that has any."""
    columns = grid.inner_columns()
    rows = [
        r
        for r in grid.inner_rows()
        if any(grid.cell(r.code, c.code) and _value(grid, r.code, c.code) != 0 for c in columns)
    ]
    rows += [Axis(r.code, _("All activities"), True) for r in grid.rows if r.total]
    rows.reverse()
    data: Series = [[_value(grid, r.code, c.code) for r in rows] for c in columns]
    if not rows or not _has_figures(data):
        return None
    names = [r.label for r in rows]
    left = _label_width(names) + 10
    bar_height = 18
    legend_height = 18
    drawing = Drawing(width, len(rows) * bar_height + 34 + legend_height)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, 22
    chart.width, chart.height = width - left - 20, len(rows) * bar_height
    chart.data = data
    chart.categoryAxis.style = "stacked"
    chart.barWidth = 10
    chart.groupSpacing = 6
    colours = [RATING_COLOURS.get(c.code, SERIES[i % len(SERIES)]) for i, c in enumerate(columns)]
    _style_bars(chart, colours)
    _style_value_axis(chart)
    _style_category_axis(chart, names)
    drawing.add(chart)
    legend = _legend(
        [(colours[i], c.label) for i, c in enumerate(columns)],
        x=left,
        y=chart.y + chart.height + legend_height,
    )
    legend.columnMaximum = 1
    legend.deltax = max(stringWidth(c.label, FONT, 8) for c in columns) + 28
    drawing.add(legend)
    return Chart(_("Children's feedback by type of activity"), drawing, _caption(grid, data))


def _value(grid: Grid, row: str, column: str) -> float | None:
    cell = grid.cell(row, column)
    if cell is None or cell.suppressed or cell.value is None:
        return None
    return float(cell.value)


def _has_figures(data: Series) -> bool:
    return any(value for series in data for value in series)


def _caption(grid: Grid, data: Series) -> str:
    if any(value is None for series in data for value in series):
        return _(
            "Figures shown as {marker} in the table are hidden: the chart leaves them out."
        ).format(marker=labels.suppressed_text(grid.threshold))
    return ""


def _format(value: float | None) -> str:
    if value is None:
        return ""
    return format_number(int(value)) if float(value).is_integer() else format_number(value)


def _label_width(names: Sequence[str]) -> float:
    return max((stringWidth(name, FONT, 8) for name in names), default=40)


def _legend_width(names: Sequence[str]) -> float:
    return _label_width(names) + 22


def _style_bars(chart: VerticalBarChart | HorizontalBarChart, palette: Sequence[Color]) -> None:
    chart.bars.strokeColor = WHITE
    chart.bars.strokeWidth = 0.4
    for index, colour in enumerate(palette):
        chart.bars[index].fillColor = colour


def _style_value_axis(chart: VerticalBarChart | HorizontalBarChart) -> None:
    axis = chart.valueAxis
    axis.valueMin = 0
    axis.forceZero = 1
    axis.labels.fontName = FONT
    axis.labels.fontSize = 7
    axis.labels.fillColor = GREY
    axis.labelTextFormat = _format
    axis.strokeColor = GREY_RULE
    axis.visibleGrid = 1
    axis.gridStrokeColor = GREY_RULE
    axis.gridStrokeWidth = 0.3
    axis.visibleTicks = 0
    axis.visibleAxis = 0


def _style_category_axis(chart: VerticalBarChart | HorizontalBarChart, names: list[str]) -> None:
    axis = chart.categoryAxis
    axis.categoryNames = names
    axis.labels.fontName = FONT
    axis.labels.fontSize = 8
    axis.labels.fillColor = INK
    axis.strokeColor = GREY
    axis.strokeWidth = 0.6
    axis.visibleTicks = 0
    if isinstance(chart, HorizontalBarChart):
        axis.labels.boxAnchor = "e"
        axis.labels.dx = -5
    else:
        axis.labels.boxAnchor = "n"
        axis.labels.dy = -4


def _legend(pairs: list[tuple[Color, str]], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.colorNamePairs = pairs
    legend.fontName = FONT
    legend.fontSize = 8
    legend.fillColor = INK
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = len(pairs)
    legend.dx = legend.dy = 8
    legend.deltay = 13
    legend.dxTextSpace = 6
    legend.strokeColor = None
    legend.strokeWidth = 0
    return legend


def category_bars(
    title: str,
    names: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: float,
    missing: str,
    caption: str = "",
    max_height: float = 600,
) -> Chart | None:
    """Horizontal bars by category (one bar per series in each), labelled with their figure.

    A generic chart for figures that do not come from one grid (the network's figures by
    country). A ``None`` figure is drawn as no bar with ``missing`` ("<5") beside it. Bars get
    thinner for many categories, so the drawing stays within ``max_height`` points.
    """
    # a horizontal chart draws its first category lowest, and its first series lowest in a group
    data: Series = [list(reversed(list(values))) for _name, values in reversed(series)]
    colours = [SERIES[i % len(SERIES)] for i in range(len(series))]
    if not names or not _has_figures(data):
        return None
    labels_drawn = list(reversed(list(names)))
    left = _label_width(labels_drawn) + 10
    legend_height = 18 if len(series) > 1 else 0
    room = max_height - 34 - legend_height - 6 * len(names)
    bar_height = max(3.0, min(9.0, room / (len(names) * len(series))))
    group_height = bar_height * len(series) + 6
    drawing = Drawing(width, len(names) * group_height + 34 + legend_height)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, 22
    chart.width, chart.height = width - left - 40, len(names) * group_height
    chart.data = data
    chart.barSpacing = 0
    chart.groupSpacing = 6
    _style_bars(chart, list(reversed(colours)))
    _style_value_axis(chart)
    _style_category_axis(chart, labels_drawn)
    chart.barLabelFormat = _format
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.naLabel = NA_Label()
    chart.naLabel.text = missing
    chart.naLabel.fontName = FONT
    chart.naLabel.fontSize = 7
    chart.naLabel.fillColor = GREY_MUTED
    chart.naLabel.boxAnchor = "w"
    chart.naLabel.dx = 3
    drawing.add(chart)
    if legend_height:
        legend = _legend(
            [(colours[i], name) for i, (name, _values) in enumerate(series)],
            x=left,
            y=chart.y + chart.height + legend_height,
        )
        legend.columnMaximum = 1
        legend.deltax = max(stringWidth(name, FONT, 8) for name, _values in series) + 28
        drawing.add(legend)
    return Chart(title, drawing, caption)
