"""What the long list pages share (families, activities): filter lists and the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)


def filter_combo(parent: QWidget) -> QComboBox:
    """A filter list whose width does not follow its longest item."""
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.setMaxVisibleItems(20)
    return combo


def refill(combo: QComboBox, items: list[tuple[Any, str]]) -> None:
    """Replace every item after the first ("All ...") and keep the choice when still there."""
    chosen = combo.currentData()
    while combo.count() > 1:
        combo.removeItem(1)
    for value, text in items:
        combo.addItem(text, value)
    values = [combo.itemData(number) for number in range(combo.count())]
    combo.setCurrentIndex(values.index(chosen) if chosen in values else 0)


def widen_popup(combo: QComboBox) -> None:
    """Let the open list be wider than the closed one, to show long names whole."""
    view = combo.view()
    view.setMinimumWidth(max(combo.width(), view.sizeHintForColumn(0) + 24))


class MiddleElided(QStyledItemDelegate):
    """Shortens long texts in the middle: prison names differ at their end, not their start."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def list_table(
    model: QAbstractItemModel,
    parent: QWidget,
    *,
    sorted_by: int,
    order: Qt.SortOrder,
    middle_elided: int | None = None,
) -> QTableView:
    """A read-only table of whole rows, one selected at a time, sorted by its model."""
    table = QTableView(parent)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(sorted_by, order)
    table.setSortingEnabled(True)
    if middle_elided is not None:
        table.setItemDelegateForColumn(middle_elided, MiddleElided(table))
    return table
