"""The home page's bar charts: they paint with and without figures, and say every figure."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.ui.charts import (
    ChartCard,
    ChartData,
    HorizontalBarChart,
    VerticalBarChart,
    nice_step,
    series_of,
    tooltip_point,
)

TYPES = ChartData(
    ("Accompanied prison visit", "Support group", "Family day"),
    (series_of("Activities", [39, 28, 0]),),
)
CHILDREN = ChartData(
    ("0-4", "5-9", "10-14"),
    (series_of("Female", [22, 32, 12]), series_of("Male", [7, 21, 1234])),
)


def shown(qtbot: QtBot, chart: HorizontalBarChart | VerticalBarChart, data: ChartData) -> None:
    qtbot.addWidget(chart)
    chart.set_empty_text("Nothing yet")
    chart.set_data(data)
    chart.resize(420, 260)
    chart.show()


@pytest.mark.parametrize("kind", [HorizontalBarChart, VerticalBarChart])
def test_an_empty_chart_paints_its_message(qtbot: QtBot, kind: type) -> None:
    chart = kind()
    shown(qtbot, chart, ChartData(("A", "B"), (series_of("S", [0, 0]),)))
    assert not chart.grab().isNull()
    assert chart.bars() == []
    assert chart.accessibleDescription() == "Nothing yet"
    assert chart.tooltip_at(QPointF(100, 100)) == ""


def test_a_chart_with_no_categories_at_all_paints(qtbot: QtBot) -> None:
    chart = VerticalBarChart()
    shown(qtbot, chart, ChartData((), ()))
    assert not chart.grab().isNull()


def test_horizontal_bars_grow_with_their_figures_and_tell_them(qtbot: QtBot) -> None:
    chart = HorizontalBarChart()
    shown(qtbot, chart, TYPES)
    assert not chart.grab().isNull()
    visits, group, day = chart.bars()
    assert visits.rect.width() > group.rect.width() > day.rect.width() == 0
    assert visits.rect.left() == group.rect.left()
    assert chart.tooltip_at(QPointF(tooltip_point(chart, 1))) == "Support group: 28"
    assert chart.accessibleDescription() == (
        "Accompanied prison visit: 39; Support group: 28; Family day: 0"
    )


def test_grouped_bars_stand_side_by_side_with_a_legend(qtbot: QtBot) -> None:
    chart = VerticalBarChart()
    chart.set_axis_title("Children")
    shown(qtbot, chart, CHILDREN)
    assert not chart.grab().isNull()
    bars = {(bar.category, bar.series): bar.rect for bar in chart.bars()}
    assert bars[(0, 0)].right() <= bars[(0, 1)].left() + 1  # female beside male
    assert bars[(0, 0)].bottom() == pytest.approx(bars[(0, 1)].bottom())
    assert bars[(1, 0)].height() > bars[(0, 0)].height()
    tip = chart.tooltip_at(QPointF(tooltip_point(chart, 2, 1)))
    assert tip == "10-14\nMale: 1,234"
    assert chart.accessibleDescription() == (
        "0-4: Female 22, Male 7; 5-9: Female 32, Male 21; 10-14: Female 12, Male 1,234"
    )


def test_stacked_bars_sit_on_each_other(qtbot: QtBot) -> None:
    chart = VerticalBarChart(stacked=True)
    shown(qtbot, chart, CHILDREN)
    assert not chart.grab().isNull()
    bars = {(bar.category, bar.series): bar.rect for bar in chart.bars()}
    assert bars[(1, 1)].bottom() == pytest.approx(bars[(1, 0)].top())
    assert bars[(1, 0)].left() == bars[(1, 1)].left()


def test_per_category_colours_are_used_for_a_single_series(qtbot: QtBot) -> None:
    chart = HorizontalBarChart()
    data = ChartData(("Happy", "Unhappy"), (series_of("Answers", [5, 2]),), ("#00aa00", "#aa0000"))
    shown(qtbot, chart, data)
    assert chart.colour(0, 0).name() == "#00aa00"
    assert chart.colour(1, 0).name() == "#aa0000"


def test_figures_follow_the_language(qtbot: QtBot) -> None:
    chart = VerticalBarChart()
    shown(qtbot, chart, CHILDREN)
    i18n.set_language("fr")
    chart.set_data(CHILDREN)
    assert "1\u202f234" in chart.accessibleDescription()


@pytest.mark.parametrize("kind", [HorizontalBarChart, VerticalBarChart])
def test_charts_paint_in_a_small_card(qtbot: QtBot, kind: type) -> None:
    chart = kind()
    card = ChartCard(chart)
    qtbot.addWidget(card)
    card.set_title("Activities held, by type")
    chart.set_data(TYPES)
    card.resize(220, 160)
    card.show()
    assert not card.grab().isNull()
    assert chart.accessibleName() == "Activities held, by type"
    assert all(bar.rect.width() >= 0 and bar.rect.height() >= 0 for bar in chart.bars())


@pytest.mark.parametrize(
    ("top", "step"), [(0, 1), (3, 1), (8, 2), (37, 10), (180, 50), (1234, 500)]
)
def test_the_value_axis_steps_are_round(top: float, step: float) -> None:
    assert nice_step(top) == step
