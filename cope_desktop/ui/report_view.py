"""A prepared report shown exactly as it will leave the organisation, before it is written.

``ReportTable`` lays out one table of the JSON document (REPORT-SPEC.md): the first
dimension's categories as rows, the second's as columns, totals in bold, and every hidden
cell as "<k" on a distinct background. ``ReportPreview`` shows the whole document: the
marking of an internal report, what was hidden and why, every table with its note, the
internal breakdowns and the children's quotes.

Only this preview tells the coordinator, in a cell's tooltip, whether a hidden cell is small
itself or was hidden to protect a small one; the files never say which is which.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import _, format_number
from cope_desktop.reports import labels
from cope_desktop.reports.categories import UNKNOWN
from cope_desktop.reports.explain import explanation
from cope_desktop.reports.model import TOTAL

HIDDEN_BACKGROUND = QColor("#fbecc8")
HIDDEN_TEXT = QColor("#6b4a00")
TOTAL_BACKGROUND = QColor("#eef2f6")
LABEL_COLUMN = 160
FIGURE_COLUMN = 72
"""The narrowest label and figure columns, so small tables still line up."""
WIDEST_LABEL = 220
"""Longer row labels wrap onto a second line."""
HEADER_LINE = 16
"""Column headings longer than this many characters are broken onto more lines."""
FREE_TEXT_ROWS = ("prison", "caseworker")
"""Breakdown row labels that are names, shown as they are."""
INTERNAL_STYLE = (
    "QFrame#internalBanner { background: #fbeeee; border: 1px solid #d99a9a;"
    " border-radius: 8px; }"
    " QFrame#internalBanner QLabel { background: transparent; border: none; color: #8a2424; }"
)


@dataclass(frozen=True)
class Figure:
    """One cell of the document as it is shown: its id, value and whether it is hidden."""

    id: str
    value: int | float | None
    hidden: bool
    total: bool


def paint(item: QTableWidgetItem, background: QColor, text: QColor) -> None:
    """Colour a cell that is not an exact figure (hidden, or a range in the Network window)."""
    item.setBackground(QBrush(background))
    item.setForeground(QBrush(text))


def wrap_heading(text: str, width: int = HEADER_LINE) -> str:
    """Break a long column heading onto lines of about ``width`` characters at spaces."""
    if len(text) <= width:
        return text
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "\n".join(lines)


def cell_id(table_id: str, dimensions: Sequence[str], coords: Mapping[str, str]) -> str:
    """``children_by_age_sex/0-4/*``: the id the service uses for a cell or a total."""
    return "/".join([table_id, *(coords.get(dim, TOTAL) for dim in dimensions)])


def categories(cells: Sequence[Mapping[str, Any]], dimension: str) -> list[str]:
    """The categories of ``dimension`` in the order the cells list them (first appearance)."""
    seen: dict[str, None] = {}
    for cell in cells:
        seen.setdefault(str(cell[dimension]), None)
    return list(seen)


class ReportTable(QTableWidget):
    """One table of a report, read-only, as tall as its rows (the page scrolls, not the table)."""

    def __init__(
        self,
        table_id: str,
        table: Mapping[str, Any],
        *,
        threshold: int | None,
        primary: Collection[str] = (),
        secondary: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table_id = table_id
        self._table = table
        self._threshold = threshold
        self._primary = primary
        self._secondary = secondary
        self.figures: dict[tuple[int, int], Figure] = {}
        """What each shown cell holds, by (row, column)."""
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(60)
        self.fill()

    # --- filling -----------------------------------------------------------------------------

    def fill(self) -> None:
        """Lay the table out again (also after a language switch)."""
        dimensions: list[str] = list(self._table["dimensions"])
        cells: list[Mapping[str, Any]] = list(self._table["cells"])
        totals: Mapping[str, Any] = self._table.get("totals") or {}
        self.clear()
        self.figures = {}
        if len(dimensions) == 1:
            self._fill_list(dimensions[0], cells, totals)
        else:
            self._fill_grid(dimensions[0], dimensions[1], cells, totals)
        for column in range(1, self.columnCount()):
            item = self.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._fit_columns()
        self.resizeRowsToContents()
        self._fit_height()

    def _fill_list(
        self, dimension: str, cells: list[Mapping[str, Any]], totals: Mapping[str, Any]
    ) -> None:
        """A one-dimensional table: one row per category and a total row when there is one."""
        rows = categories(cells, dimension)
        has_total = "all" in totals
        self.setColumnCount(2)
        self.setRowCount(len(rows) + (1 if has_total else 0))
        self.setHorizontalHeaderLabels(
            [labels.dimension_label(dimension), wrap_heading(labels.value_label(self.table_id))]
        )
        for row, code in enumerate(rows):
            self._set_label(row, labels.category_label(dimension, code))
        for cell in cells:
            row = rows.index(str(cell[dimension]))
            self._set_figure(row, 1, cell, {dimension: str(cell[dimension])}, [dimension], False)
        if has_total:
            self._set_label(len(rows), labels.total_label(), total=True)
            self._set_figure(len(rows), 1, totals["all"], {}, [dimension], True)

    def _fill_grid(
        self,
        row_dim: str,
        column_dim: str,
        cells: list[Mapping[str, Any]],
        totals: Mapping[str, Any],
    ) -> None:
        """Rows of ``row_dim`` by columns of ``column_dim``, with a total column and row."""
        dims = [row_dim, column_dim]
        rows = categories(cells, row_dim)
        columns = categories(cells, column_dim)
        total_column = row_dim in totals
        total_row = column_dim in totals
        self.setColumnCount(1 + len(columns) + (1 if total_column else 0))
        self.setRowCount(len(rows) + (1 if total_row else 0))
        headings = [labels.dimension_label(row_dim)]
        headings += [wrap_heading(labels.category_label(column_dim, code)) for code in columns]
        if total_column:
            headings.append(labels.total_label())
        self.setHorizontalHeaderLabels(headings)
        for row, code in enumerate(rows):
            self._set_label(row, self._row_label(row_dim, code))
        for cell in cells:
            coords = {row_dim: str(cell[row_dim]), column_dim: str(cell[column_dim])}
            position = (rows.index(coords[row_dim]), 1 + columns.index(coords[column_dim]))
            self._set_figure(*position, cell, coords, dims, False)
        last_column = len(columns) + 1
        if total_column:
            for entry in totals[row_dim]:
                code = str(entry[row_dim])
                self._set_figure(rows.index(code), last_column, entry, {row_dim: code}, dims, True)
        if total_row:
            bottom = len(rows)
            self._set_label(bottom, labels.total_label(), total=True)
            given = {str(entry[column_dim]): entry for entry in totals[column_dim]}
            for number, code in enumerate(columns):
                if code in given:
                    self._set_figure(
                        bottom, 1 + number, given[code], {column_dim: code}, dims, True
                    )
                else:
                    self._set_no_total(bottom, 1 + number)
            if total_column and "all" in totals:
                self._set_figure(bottom, last_column, totals["all"], {}, dims, True)

    def _row_label(self, dimension: str, code: str) -> str:
        if dimension in FREE_TEXT_ROWS:
            return code
        return labels.category_label(dimension, code)

    # --- items -------------------------------------------------------------------------------

    def _set_label(self, row: int, text: str, *, total: bool = False) -> None:
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        if total:
            self._mark_total(item)
        self.setItem(row, 0, item)

    def _set_figure(
        self,
        row: int,
        column: int,
        entry: Mapping[str, Any],
        coords: Mapping[str, str],
        dimensions: Sequence[str],
        total: bool,
    ) -> None:
        identity = cell_id(self.table_id, dimensions, coords)
        decimals = 1 if "hours" in coords.values() else 0
        item = QTableWidgetItem()
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value, hidden = self._fill_figure(item, entry, identity, decimals)
        self.figures[(row, column)] = Figure(identity, value, hidden, total)
        if total:
            self._mark_total(item)
        self.setItem(row, column, item)

    def _fill_figure(
        self, item: QTableWidgetItem, entry: Mapping[str, Any], identity: str, decimals: int
    ) -> tuple[int | float | None, bool]:
        """Put ``entry``'s text, colours and tooltip on ``item``; its value and if it is hidden."""
        value = entry.get("value")
        hidden = entry.get("flag") == "suppressed" or value is None
        if hidden:
            item.setText(labels.suppressed_text(self._threshold))
            paint(item, HIDDEN_BACKGROUND, HIDDEN_TEXT)
            reason = self.hidden_reason(identity)
            item.setToolTip(reason)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, reason)
        else:
            item.setText(labels.format_value(value or 0, decimals=decimals))
        return value, hidden

    def _set_no_total(self, row: int, column: int) -> None:
        item = QTableWidgetItem("–")
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setForeground(QBrush(QColor("#8a96a3")))
        item.setToolTip(
            _("No total for this column: the same person can be counted in several rows.")
        )
        self._mark_total(item)
        self.setItem(row, column, item)

    def _mark_total(self, item: QTableWidgetItem) -> None:
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        if item.background().style() == Qt.BrushStyle.NoBrush:
            item.setBackground(QBrush(TOTAL_BACKGROUND))

    def hidden_reason(self, identity: str) -> str:
        """Why a hidden cell is hidden, for the coordinator's eyes only."""
        k = self._threshold or 0
        if identity in self._primary:
            return _("Hidden: this figure is from 1 to {largest}, fewer than {k}.").format(
                largest=format_number(k - 1), k=format_number(k)
            )
        if identity in self._secondary:
            return _(
                "Hidden to protect a small figure: with this one shown, a hidden figure could be "
                "worked out from the totals."
            )
        return _("Hidden: the return shows {marker} here.").format(
            marker=labels.suppressed_text(self._threshold)
        )

    # --- size --------------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Every column as wide as its content: the table is no wider than its figures."""
        self.ensurePolished()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        for column in range(self.columnCount()):
            smallest = LABEL_COLUMN if column == 0 else FIGURE_COLUMN
            content = max(self.sizeHintForColumn(column), header.sectionSizeHint(column)) + 8
            if column == 0:
                content = min(content, max(WIDEST_LABEL, header.sectionSizeHint(0) + 8))
            self.setColumnWidth(column, max(smallest, content))
        self.updateGeometry()

    def content_width(self) -> int:
        return self.horizontalHeader().length() + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        return QSize(self.content_width(), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self.content_width(), 240), self.height())

    def _fit_height(self) -> None:
        rows = sum(self.rowHeight(row) for row in range(self.rowCount()))
        header = self.horizontalHeader().sizeHint().height()
        scroll = self.horizontalScrollBar()
        bar = scroll.sizeHint().height() if scroll.maximum() > 0 else 0
        self.setFixedHeight(rows + header + bar + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()


class InternalBanner(QFrame):
    """The red marking of an internal report: exact figures, never to be sent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("internalBanner")
        self.setStyleSheet(INTERNAL_STYLE)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Internal — do not send"))
        self.text.setText(
            _(
                "This report has the exact figures, small numbers included, which could "
                "identify a family. Keep it inside the organisation; the network return is the "
                "one to send to COPE."
            )
        )


def quote_line(quote: Mapping[str, str]) -> str:
    """A child's quote with what is published beside it: age band and country."""
    country = i18n.country_name(quote["country"])
    if quote["age_band"] == UNKNOWN:
        return _("“{text}” — a child of unknown age, {country}").format(
            text=quote["text"], country=country
        )
    return _("“{text}” — a child aged {band}, {country}").format(
        text=quote["text"], band=quote["age_band"], country=country
    )


def section_title(parent: QWidget) -> QLabel:
    title = QLabel(parent)
    title.setWordWrap(True)
    title.setStyleSheet("font-weight: 600; color: #1b3a5c;")
    return title


class ReportPreview(QWidget):
    """Every part of a prepared document, one below the other (put it in a scroll area)."""

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        primary: Collection[str] = (),
        secondary: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.internal = document.get("marking") == "internal"
        disclosure = document.get("disclosure") or {}
        self.threshold: int | None = disclosure.get("threshold")
        self.internal_banner = InternalBanner(self) if self.internal else None
        self.explanation_title = section_title(self)
        self.explanation_labels: list[QLabel] = []
        self.tables: list[ReportTable] = []
        self._titles: list[tuple[QLabel, QLabel, str]] = []
        self.prisons = QLabel(self)
        self.prisons.setWordWrap(True)
        self.quotes_title = section_title(self)
        self.quotes = QLabel(self)
        self.quotes.setWordWrap(True)
        self.quotes.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        if self.internal_banner is not None:
            layout.addWidget(self.internal_banner)
            layout.addSpacing(6)
        layout.addWidget(self.explanation_title)
        self._explanation_layout = QVBoxLayout()
        self._explanation_layout.setSpacing(6)
        layout.addLayout(self._explanation_layout)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        layout.addWidget(self.hint)
        layout.addWidget(self.prisons)
        for table_id, table in self._all_tables():
            title, note = section_title(self), QLabel(self)
            note.setWordWrap(True)
            note.setProperty("role", "muted")
            view = ReportTable(
                table_id,
                table,
                threshold=self.threshold,
                primary=primary,
                secondary=secondary,
                parent=self,
            )
            layout.addSpacing(14)
            layout.addWidget(title)
            layout.addWidget(note)
            layout.addSpacing(2)
            layout.addWidget(view, 0, Qt.AlignmentFlag.AlignLeft)
            self._titles.append((title, note, table_id))
            self.tables.append(view)
        layout.addSpacing(14)
        layout.addWidget(self.quotes_title)
        layout.addWidget(self.quotes)
        layout.addStretch(1)
        self.retranslate()

    def _all_tables(self) -> list[tuple[str, Mapping[str, Any]]]:
        tables = list((self.document.get("tables") or {}).items())
        tables += list((self.document.get("breakdowns") or {}).items())
        return tables

    def table(self, table_id: str) -> ReportTable:
        for view in self.tables:
            if view.table_id == table_id:
                return view
        raise KeyError(table_id)

    def retranslate(self) -> None:
        """Every word again in the current language (the figures do not change)."""
        if self.internal_banner is not None:
            self.internal_banner.retranslate()
        self.explanation_title.setText(
            _("About this report") if self.internal else _("What is hidden, and why")
        )
        self._show_explanation(explanation(self.document))
        for title, note, table_id in self._titles:
            title.setText(labels.table_title(table_id))
            note.setText(labels.table_note(table_id))
            note.setVisible(bool(note.text()))
        for view in self.tables:
            view.fill()
        self._show_prisons()
        self._show_quotes()

    def _show_explanation(self, paragraphs: Sequence[str]) -> None:
        while len(self.explanation_labels) < len(paragraphs):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._explanation_layout.addWidget(label)
            self.explanation_labels.append(label)
        for number, label in enumerate(self.explanation_labels):
            label.setVisible(number < len(paragraphs))
            label.setText(paragraphs[number] if number < len(paragraphs) else "")
        hidden = int((self.document.get("disclosure") or {}).get("suppressed") or 0)
        self.hint.setVisible(not self.internal and hidden > 0)
        self.hint.setText(
            _(
                "Point at a figure shown as {marker} to see why it is hidden. Only this preview "
                "says why; the files show {marker} and nothing more."
            ).format(marker=labels.suppressed_text(self.threshold))
        )

    def _show_prisons(self) -> None:
        prisons = self.document.get("prisons") or {}
        count = int(prisons.get("count") or 0)
        countries = [i18n.country_name(code) for code in prisons.get("countries") or []]
        self.prisons.setVisible(count > 0)
        self.prisons.setText(
            i18n.ngettext(
                "Activities took place in {count} prison ({countries}).",
                "Activities took place in {count} prisons ({countries}).",
                count,
            ).format(count=format_number(count), countries=", ".join(countries))
        )

    def _show_quotes(self) -> None:
        quotes = self.document.get("quotes") or []
        self.quotes_title.setText(_("Children's words"))
        self.quotes_title.setVisible(bool(quotes))
        self.quotes.setVisible(bool(quotes))
        lines = [quote_line(quote) for quote in quotes]
        self.quotes.setText("\n\n".join(lines))
