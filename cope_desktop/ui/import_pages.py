"""The widgets of the import wizard's pages: column matching, problems, counts and previews.

Plain display widgets that take the importer's values (``services.interchange``) and show
them; the wizard (``ui.import_wizard``) decides when to read, check and import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.services.interchange.layout import SHEETS, SHEETS_BY_NAME
from cope_desktop.ui.pages import scroll
from cope_desktop.ui.widgets import form_layout

if TYPE_CHECKING:
    from cope_desktop.services.interchange.problems import Problem
    from cope_desktop.services.interchange.reader import RawSheet

Mapping_ = dict[str, dict[str, str]]
"""Per sheet: the file's column name -> the interchange column name."""


def normal_name(name: str) -> str:
    """A column name as compared for a likely match: lower case, spaces and dashes as ``_``."""
    return re.sub(r"[\s_\-]+", "_", name.strip().lower()).strip("_")


def unmatched_columns(columns: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Per interchange sheet of the file, its columns whose names are not interchange names."""
    unmatched: dict[str, list[str]] = {}
    for sheet_name, names in columns.items():
        sheet = SHEETS_BY_NAME.get(sheet_name)
        if sheet is None:
            continue
        strangers = [name for name in names if name not in sheet.column_names]
        if strangers:
            unmatched[sheet_name] = strangers
    return unmatched


def clean_mapping(value: object) -> Mapping_:
    """The remembered mapping from the settings file, keeping only well-formed entries."""
    if not isinstance(value, dict):
        return {}
    cleaned: Mapping_ = {}
    for sheet, columns in value.items():
        if isinstance(sheet, str) and isinstance(columns, dict):
            pairs = {k: v for k, v in columns.items() if isinstance(k, str) and isinstance(v, str)}
            if pairs:
                cleaned[sheet] = pairs
    return cleaned


class MappingForm(QScrollArea):
    """One combo box per column of the file that has no interchange name, grouped by sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setObjectName("pageScroll")  # on the page's own background (ui.pages.scroll)
        self.viewport().setObjectName("pageScrollViewport")
        self.setStyleSheet(scroll.STYLE)
        self.combos: dict[str, dict[str, QComboBox]] = {}

    def build(
        self,
        columns: Mapping[str, list[str]],
        unmatched: Mapping[str, list[str]],
        remembered: Mapping_,
    ) -> None:
        """Offer, for each unmatched column, the sheet's interchange columns not in the file."""
        inner = QWidget(self)
        inner.setObjectName(scroll.CONTENT_NAME)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(6)
        self.combos = {}
        for sheet_name, strangers in unmatched.items():
            sheet = SHEETS_BY_NAME[sheet_name]
            present = set(columns.get(sheet_name, ()))
            free = [name for name in sheet.column_names if name not in present]
            title = QLabel(_("Sheet {sheet}").format(sheet=sheet_name), inner)
            title.setObjectName("sectionTitle")
            title.setStyleSheet("font-weight: bold;")
            layout.addWidget(title)
            form = form_layout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            for name in strangers:
                combo = QComboBox(inner)
                combo.setMinimumWidth(220)
                combo.addItem(_("(not imported)"), "")
                for option in free:
                    combo.addItem(option, option)
                guess = _guess(name, free, remembered.get(sheet_name, {}))
                if guess:
                    combo.setCurrentIndex(combo.findData(guess))
                label = QLabel(name, inner)
                label.setBuddy(combo)
                form.addRow(label, combo)
                self.combos.setdefault(sheet_name, {})[name] = combo
            layout.addLayout(form)
            layout.addSpacing(8)
        layout.addStretch(1)
        self.setWidget(inner)

    def mapping(self) -> Mapping_:
        """The columns given an interchange name (those left "not imported" are left out)."""
        chosen: Mapping_ = {}
        for sheet, combos in self.combos.items():
            for name, combo in combos.items():
                target = str(combo.currentData() or "")
                if target:
                    chosen.setdefault(sheet, {})[name] = target
        return chosen


def _guess(name: str, free: list[str], remembered: Mapping[str, str]) -> str | None:
    """The remembered choice for this column, else an interchange name that matches loosely."""
    if remembered.get(name) in free:
        return remembered[name]
    wanted = normal_name(name)
    return next((option for option in free if normal_name(option) == wanted), None)


def read_only_table(columns: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class CountsTable(QTableWidget):
    """Per sheet: how many rows are (or would be) added, updated and left unchanged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(110)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def show_counts(self, rows: list[tuple[str, int, int, int]]) -> None:
        """``rows``: sheet, added, updated, unchanged, in layout order."""
        self.setHorizontalHeaderLabels([_("Sheet"), _("Added"), _("Updated"), _("Unchanged")])
        self.setRowCount(len(rows))
        for number, (sheet, *figures) in enumerate(rows):
            self.setItem(number, 0, QTableWidgetItem(sheet))
            for column, figure in enumerate(figures, start=1):
                item = QTableWidgetItem(format_number(figure))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(number, column, item)


class ProblemList(QTreeWidget):
    """Every problem, grouped under its sheet, each as one readable line."""

    sheet_chosen = Signal(str)
    """The sheet of the problem (or group) a person clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentItemChanged.connect(self._chosen)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def show_problems(self, problems: list[Problem]) -> None:
        from cope_desktop.services.interchange.problems import format_problem

        self.clear()
        for sheet, found in group_by_sheet(problems).items():
            top = QTreeWidgetItem(
                [
                    ngettext(
                        "{sheet}: {count} problem", "{sheet}: {count} problems", len(found)
                    ).format(sheet=sheet or _("The file"), count=format_number(len(found)))
                ]
            )
            top.setData(0, Qt.ItemDataRole.UserRole, sheet)
            for problem in found:
                child = QTreeWidgetItem([format_problem(problem)])
                child.setToolTip(0, format_problem(problem))
                child.setData(0, Qt.ItemDataRole.UserRole, sheet)
                top.addChild(child)
            self.addTopLevelItem(top)
        self.expandAll()

    def _chosen(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.sheet_chosen.emit(str(item.data(0, Qt.ItemDataRole.UserRole) or ""))


def group_by_sheet(problems: list[Problem]) -> dict[str, list[Problem]]:
    """Problems per sheet, in the order the importer listed them."""
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:  # sorted by the importer (which may add a closing note)
        grouped.setdefault(problem.sheet, []).append(problem)
    return grouped


def problem_summary(problems: list[Problem], total: int) -> str:
    """For example "12 problems in 3 sheets: fix the spreadsheet and check again."."""
    count = ngettext("{count} problem", "{count} problems", total).format(
        count=format_number(total)
    )
    sheets = len({problem.sheet for problem in problems if problem.sheet})
    if not sheets:
        return _("{count}: fix the spreadsheet and check again.").format(count=count)
    where = ngettext("in {sheets} sheet", "in {sheets} sheets", sheets).format(
        sheets=format_number(sheets)
    )
    return _("{count} {where}: fix the spreadsheet and check again.").format(
        count=count, where=where
    )


class PreviewTabs(QTabWidget):
    """The first rows of each sheet, as read (after matching the columns), one tab each."""

    def show_preview(self, sheets: Mapping[str, RawSheet]) -> None:
        while self.count():
            page = self.widget(0)
            self.removeTab(0)
            if page is not None:
                page.deleteLater()
        order = [sheet.name for sheet in SHEETS]
        for name in sorted(sheets, key=lambda n: order.index(n) if n in order else len(order)):
            sheet = sheets[name]
            table = read_only_table(len(sheet.columns), self)
            table.setHorizontalHeaderLabels(list(sheet.columns))
            table.setRowCount(len(sheet.rows))
            table.setVerticalHeaderLabels([str(row.number) for row in sheet.rows])
            for number, row in enumerate(sheet.rows):
                for column, key in enumerate(sheet.columns):
                    table.setItem(number, column, QTableWidgetItem(cell_text(row.values.get(key))))
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
            self.addTab(table, name)

    def show_sheet(self, name: str) -> None:
        """Bring the preview of sheet ``name`` to the front, if the file has it."""
        for index in range(self.count()):
            if self.tabText(index) == name:
                self.setCurrentIndex(index)


def cell_text(value: object) -> str:
    """A spreadsheet value as the preview shows it (whole numbers as written: 2013)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return format_date(value.date()) if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float | Decimal):
        return format_number(value)
    return str(value)


__all__ = [
    "CountsTable",
    "MappingForm",
    "PreviewTabs",
    "ProblemList",
    "clean_mapping",
    "problem_summary",
    "unmatched_columns",
]
