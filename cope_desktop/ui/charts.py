"""Small bar charts painted with QPainter (PySide6-Essentials has no QtCharts).

Two kinds are enough for the home page: ``HorizontalBarChart`` (one bar per category, the
labels on the left, for long category names) and ``VerticalBarChart`` (categories along the
bottom, one or more series side by side or stacked, with a legend). Every bar has a tooltip
with its figure, and the chart's accessible description lists every figure, so the chart
can be read without seeing it. The numbers are formatted with ``i18n.format_number``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from cope_desktop.i18n import _, format_number

SERIES_COLOURS = ("#3d6fa3", "#e0a458", "#6a9f88", "#a884b0", "#8c9aa8", "#c97b6b")
"""Calm colours that stay apart for the common kinds of colour blindness (blue, amber)."""
TEXT = QColor("#1f2a36")
MUTED = QColor("#5b6875")
GRID = QColor("#e3e8ee")
AXIS = QColor("#b8c3ce")

CARD_STYLE = (
    "QFrame#chartCard { background: #ffffff; border: 1px solid #dfe5eb; border-radius: 10px; }"
    " QFrame#chartCard QLabel { background: transparent; border: none; }"
    " QLabel#chartTitle { color: #1b3a5c; font-weight: 600; }"
)

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One set of values, one per category, drawn in one colour."""

    name: str
    values: tuple[float, ...]
    colour: str = ""


@dataclass(frozen=True)
class ChartData:
    """Categories (already translated) and the series drawn over them."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    category_colours: tuple[str, ...] = ()
    """For a single series: one colour per bar (ratings, for instance)."""

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def top(self, stacked: bool = False) -> float:
        """The largest bar (the largest sum over the series when stacked)."""
        if not self.categories or not self.series:
            return 0.0
        if stacked:
            return max(
                sum(series.values[index] for series in self.series)
                for index in range(len(self.categories))
            )
        return max((max(series.values, default=0.0) for series in self.series), default=0.0)


EMPTY = ChartData((), ())


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten, at least 1) for about ``ticks`` lines."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1.0, factor * power)
    return max(1.0, 10 * power)


@dataclass(frozen=True)
class Bar:
    """A painted bar and where the mouse finds it (``hit`` is wider than a thin bar)."""

    rect: QRectF
    hit: QRectF
    category: int
    series: int


class BarChart(QWidget):
    """What both kinds share: data, empty text, tooltips and the accessible description."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = EMPTY
        self._empty_text = ""
        self._format: Formatter = format_number
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # --- data --------------------------------------------------------------------------------

    @property
    def data(self) -> ChartData:
        return self._data

    def set_data(self, data: ChartData) -> None:
        self._data = data
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def set_empty_text(self, text: str) -> None:
        """What the chart says when every value is zero."""
        self._empty_text = text
        self.setAccessibleDescription(self.describe())
        self.update()

    def set_formatter(self, formatter: Formatter) -> None:
        self._format = formatter
        self.setAccessibleDescription(self.describe())
        self.update()

    def format_value(self, value: float) -> str:
        return self._format(int(value) if float(value).is_integer() else value)

    def describe(self) -> str:
        """Every figure in words, for screen readers: "0-4: Female 3, Male 2; 5-9: …"."""
        data = self._data
        if data.is_empty:
            return self._empty_text
        parts = []
        for index, category in enumerate(data.categories):
            if len(data.series) == 1:
                parts.append(
                    _("{category}: {value}").format(
                        category=category, value=self.format_value(data.series[0].values[index])
                    )
                )
            else:
                values = ", ".join(
                    _("{series} {value}").format(
                        series=series.name, value=self.format_value(series.values[index])
                    )
                    for series in data.series
                )
                parts.append(_("{category}: {value}").format(category=category, value=values))
        return "; ".join(parts)

    def tooltip_for(self, bar: Bar) -> str:
        data = self._data
        category = data.categories[bar.category]
        series = data.series[bar.series]
        value = self.format_value(series.values[bar.category])
        if len(data.series) == 1:
            return _("{category}: {value}").format(category=category, value=value)
        return f"{category}\n" + _("{series}: {value}").format(series=series.name, value=value)

    def tooltip_at(self, point: QPointF) -> str:
        """The tooltip of the bar under ``point`` (widget coordinates), or ""."""
        for bar in self.bars():
            if bar.hit.contains(point):
                return self.tooltip_for(bar)
        return ""

    def bars(self) -> list[Bar]:
        """Where each bar is painted at the widget's current size."""
        raise NotImplementedError

    def colour(self, category: int, series: int) -> QColor:
        data = self._data
        if len(data.series) == 1 and data.category_colours:
            return QColor(data.category_colours[category % len(data.category_colours)])
        chosen = data.series[series].colour
        return QColor(chosen or SERIES_COLOURS[series % len(SERIES_COLOURS)])

    # --- Qt ----------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        if self._data.is_empty:
            self._paint_empty(painter)
        else:
            self.paint_chart(painter)
        painter.end()

    def paint_chart(self, painter: QPainter) -> None:
        raise NotImplementedError

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(MUTED)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(QRectF(self.rect()).adjusted(8, 8, -8, -8), int(flags), self._empty_text)

    def small_font(self) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        return font


class HorizontalBarChart(BarChart):
    """One bar per category, the category names on the left and the figure after each bar."""

    GAP = 8
    BAR_SHARE = 0.7

    def row_height(self) -> float:
        return max(22.0, QFontMetricsF(self.font()).height() + 10)

    def sizeHint(self) -> QSize:
        rows = max(1, len(self._data.categories))
        return QSize(360, int(rows * self.row_height()) + 8)

    def minimumSizeHint(self) -> QSize:
        rows = max(2, len(self._data.categories))
        return QSize(200, int(rows * self.row_height()) + 8)

    def _columns(self) -> tuple[float, float, float]:
        """(label width, bar start, longest bar) at the current width."""
        metrics = QFontMetricsF(self.font())
        width = float(self.width())
        labels = max((metrics.horizontalAdvance(name) for name in self._data.categories), default=0)
        label_width = min(labels, width * 0.42)
        values = [value for series in self._data.series for value in series.values]
        value_width = max(
            (metrics.horizontalAdvance(self.format_value(v)) for v in values), default=0
        )
        start = label_width + self.GAP
        longest = max(10.0, width - start - self.GAP - value_width - 4)
        return label_width, start, longest

    def bars(self) -> list[Bar]:
        data = self._data
        if data.is_empty:
            return []
        _label_width, start, longest = self._columns()
        top = data.top() or 1.0
        row = self.row_height()
        result = []
        for index, value in enumerate(data.series[0].values):
            y = 4 + index * row
            height = row * self.BAR_SHARE
            rect = QRectF(start, y + (row - height) / 2, longest * value / top, height)
            hit = QRectF(0, y, float(self.width()), row)
            result.append(Bar(rect, hit, index, 0))
        return result

    def paint_chart(self, painter: QPainter) -> None:
        metrics = QFontMetricsF(self.font())
        label_width, start, _longest = self._columns()
        row = self.row_height()
        values = self._data.series[0].values
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(QPointF(start, 2), QPointF(start, 6 + len(values) * row))
        for bar in self.bars():
            y = 4 + bar.category * row
            name = self._data.categories[bar.category]
            painter.setPen(TEXT)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_width)
            text_rect = QRectF(0, y, label_width, row)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(text_rect, int(align), shown)
            if bar.rect.width() > 0:
                painter.fillRect(bar.rect, self.colour(bar.category, 0))
            painter.setPen(MUTED)
            value_rect = QRectF(bar.rect.right() + 6, y, float(self.width()), row)
            left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(value_rect, int(left), self.format_value(values[bar.category]))


class VerticalBarChart(BarChart):
    """Categories along the bottom; several series side by side (or stacked), with a legend."""

    SWATCH = 10

    def __init__(self, stacked: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stacked = stacked
        self._axis_title = ""

    def set_axis_title(self, text: str) -> None:
        """What the figures count ("Children", "Activities"), written above the value axis."""
        self._axis_title = text
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 190)

    # --- layout ------------------------------------------------------------------------------

    def _legend_items(self, width: float) -> list[tuple[QRectF, int]]:
        """(swatch and name area, series) laid out in lines across ``width``."""
        if len(self._data.series) < 2:
            return []
        metrics = QFontMetricsF(self.small_font())
        line = metrics.height() + 4
        x, y = 0.0, 0.0
        items = []
        for number, series in enumerate(self._data.series):
            wanted = self.SWATCH + 6 + metrics.horizontalAdvance(series.name) + 16
            if x > 0 and x + wanted > width:
                x, y = 0.0, y + line
            items.append((QRectF(x, y, wanted, line), number))
            x += wanted
        return items

    def _legend_height(self) -> float:
        items = self._legend_items(float(self.width()))
        if not items:
            return 0.0
        return items[-1][0].bottom() + 6

    def _plot(self) -> tuple[QRectF, float]:
        """The plotting area and the value at its top."""
        small = QFontMetricsF(self.small_font())
        step = nice_step(self._data.top(self.stacked))
        top = step * max(1, math.ceil(self._data.top(self.stacked) / step))
        widest = max(
            small.horizontalAdvance(self.format_value(step * n))
            for n in range(round(top / step) + 1)
        )
        title = small.height() + 4 if self._axis_title else 0.0
        left = widest + 8
        upper = self._legend_height() + title + small.height() / 2
        bottom = float(self.height()) - small.height() - 8
        return QRectF(left, upper, max(10.0, self.width() - left - 4), bottom - upper), top

    def bars(self) -> list[Bar]:
        data = self._data
        if data.is_empty:
            return []
        plot, top = self._plot()
        slot = plot.width() / len(data.categories)
        group = slot * 0.72
        series_count = len(data.series)
        result = []
        for index in range(len(data.categories)):
            left = plot.left() + index * slot + (slot - group) / 2
            base = plot.bottom()
            for number, series in enumerate(data.series):
                height = plot.height() * series.values[index] / top
                if self.stacked:
                    rect = QRectF(left, base - height, group, height)
                    base -= height
                    hit = rect if height >= 6 else QRectF(left, rect.top() - 3, group, 6)
                else:
                    width = group / series_count
                    x = left + number * width
                    rect = QRectF(x + 0.5, plot.bottom() - height, max(1.0, width - 1), height)
                    hit = QRectF(x, plot.top(), width, plot.height())
                result.append(Bar(rect, hit, index, number))
        return result

    # --- painting ----------------------------------------------------------------------------

    def paint_chart(self, painter: QPainter) -> None:
        plot, top = self._plot()
        small = self.small_font()
        metrics = QFontMetricsF(small)
        painter.setFont(small)
        self._paint_legend(painter, metrics)
        if self._axis_title:
            painter.setPen(MUTED)
            title_top = self._legend_height()
            painter.drawText(
                QRectF(0, title_top, float(self.width()), metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self._axis_title,
            )
        self._paint_grid(painter, metrics, plot, top)
        for bar in self.bars():
            if bar.rect.height() > 0:
                painter.fillRect(bar.rect, self.colour(bar.category, bar.series))
        self._paint_categories(painter, metrics, plot)

    def _paint_legend(self, painter: QPainter, metrics: QFontMetricsF) -> None:
        for area, number in self._legend_items(float(self.width())):
            swatch = QRectF(
                area.left(), area.center().y() - self.SWATCH / 2, self.SWATCH, self.SWATCH
            )
            painter.fillRect(swatch, self.colour(0, number))
            painter.setPen(TEXT)
            text = QRectF(swatch.right() + 6, area.top(), area.width(), area.height())
            painter.drawText(
                text,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                self._data.series[number].name,
            )

    def _paint_grid(
        self, painter: QPainter, metrics: QFontMetricsF, plot: QRectF, top: float
    ) -> None:
        step = nice_step(self._data.top(self.stacked))
        lines = round(top / step)
        for n in range(lines + 1):
            y = plot.bottom() - plot.height() * n / lines
            painter.setPen(QPen(AXIS if n == 0 else GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            label = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            painter.drawText(
                label,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self.format_value(step * n),
            )

    def _paint_categories(self, painter: QPainter, metrics: QFontMetricsF, plot: QRectF) -> None:
        slot = plot.width() / len(self._data.categories)
        painter.setPen(MUTED)
        for index, name in enumerate(self._data.categories):
            area = QRectF(plot.left() + index * slot, plot.bottom() + 4, slot, metrics.height())
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, slot - 2)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), shown)


class ChartCard(QFrame):
    """A chart on a white card under its title; the title is also the chart's accessible name."""

    def __init__(self, chart: BarChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.setStyleSheet(CARD_STYLE)
        self.title = QLabel(self)
        self.title.setObjectName("chartTitle")
        self.title.setWordWrap(True)
        self.chart = chart
        chart.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(chart, 1)

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.chart.setAccessibleName(text)


def tooltip_point(chart: BarChart, category: int, series: int = 0) -> QPoint:
    """The centre of a bar's mouse area (for tests and for keyboard help)."""
    for bar in chart.bars():
        if (bar.category, bar.series) == (category, series):
            return bar.hit.center().toPoint()
    raise LookupError((category, series))


def series_of(name: str, values: Sequence[float], colour: str = "") -> Series:
    return Series(name, tuple(float(value) for value in values), colour)
