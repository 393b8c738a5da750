"""The merged figures of the Network window: a scope (the network or a country), its tables.

Tables are laid out like the Reports page's (``report_view.ReportTable``); only the figures
differ: exact "12", a range "≈12 (11–14)" or "≈12 (≥11)" where a member's figure was hidden,
"<k" where the network's own disclosure control hides it. Each figure's tooltip gives the
range, the estimate and how many organisations it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import _, format_number
from cope_desktop.network import labels as net
from cope_desktop.reports import labels
from cope_desktop.ui.pages.scroll import CONTENT_NAME, page_scroll
from cope_desktop.ui.report_view import (
    HIDDEN_BACKGROUND,
    HIDDEN_TEXT,
    ReportTable,
    paint,
    section_title,
)
from cope_desktop.ui.widgets import muted

RANGE_TEXT = QColor("#1b3a5c")
RANGE_BACKGROUND = QColor("#edf4fb")
NETWORK = ""
"""The scope combo's data for the whole network (a country's is its code)."""


def figure_tooltip(entry: Mapping[str, Any], *, decimals: int, threshold: int | None) -> str:
    """What a figure means, its range and estimate, and how many organisations it comes from."""
    flag = entry.get("flag")
    if flag == net.RANGE:
        estimate = net.number(entry.get("estimate") or 0, decimals)
        what = (
            net.figure_note(entry, threshold, decimals)
            + " "
            + _("Estimate: {estimate}.").format(estimate=estimate)
        )
    elif flag == net.SUPPRESSED:
        what = net.figure_note(entry, threshold, decimals)
    else:
        what = _("Exact figure.")
    source = _("From {organisations}.").format(
        organisations=net.organisations_long(int(entry.get("organisations") or 0))
    )
    return f"{what} {source}"


class MergedTable(ReportTable):
    """One table of a merged scope: the Reports page's layout with ranges and estimates."""

    def _fill_figure(
        self, item: QTableWidgetItem, entry: Mapping[str, Any], identity: str, decimals: int
    ) -> tuple[int | float | None, bool]:
        """The merged text ("≈12 (11–14)", "<5"), its tooltip and colours; the estimate shown."""
        flag = entry.get("flag")
        item.setText(net.figure_text(entry, self._threshold, decimals))
        tip = figure_tooltip(entry, decimals=decimals, threshold=self._threshold)
        item.setToolTip(tip)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, tip)
        if flag == net.SUPPRESSED:
            paint(item, HIDDEN_BACKGROUND, HIDDEN_TEXT)
        elif flag == net.RANGE:
            paint(item, RANGE_BACKGROUND, RANGE_TEXT)
        shown = entry.get("value") if flag is None else entry.get("estimate")
        return shown, flag == net.SUPPRESSED


def scope_of(document: Mapping[str, Any], country: str) -> Mapping[str, Any]:
    """The document's scope for ``country`` (``NETWORK`` for the whole network)."""
    for scope in document.get("scopes") or []:
        if (scope.get("country") or NETWORK) == country:
            return dict(scope)
    raise KeyError(country)


class FiguresView(QWidget):
    """A scope chooser above the tables of the scope chosen (in a scroll area of its own)."""

    scope_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Mapping[str, Any] | None = None
        self.tables: list[MergedTable] = []
        self._titles: list[tuple[QLabel, QLabel, str]] = []
        self.scope_label = QLabel(self)
        self.scope = QComboBox(self)
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope_label.setBuddy(self.scope)
        self.scope_summary = muted(self)
        self.area = page_scroll(self)
        self.controls = QHBoxLayout()
        self.controls.setContentsMargins(0, 0, 0, 0)
        self.controls.setSpacing(8)
        self.controls.addWidget(self.scope_label)
        self.controls.addWidget(self.scope)
        self.controls.addStretch(1)
        layout = self.rows = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self.controls)
        layout.addWidget(self.scope_summary)
        layout.addWidget(self.area, 1)
        self.scope.currentIndexChanged.connect(self._show_scope)

    @property
    def threshold(self) -> int | None:
        disclosure = (self.document or {}).get("disclosure") or {}
        value = disclosure.get("threshold")
        return int(value) if value is not None else None

    def set_document(self, document: Mapping[str, Any] | None) -> None:
        """Show ``document`` (a merged document), keeping the scope chosen when it is there."""
        chosen = self.current_scope()
        self.document = document
        self._fill_scopes(chosen)
        self._show_scope()

    def current_scope(self) -> str:
        """``NETWORK`` or the country code of the scope shown."""
        data = self.scope.currentData()
        return str(data) if data is not None else NETWORK

    def choose_scope(self, country: str | None) -> None:
        """Show the network (None) or ``country``'s figures."""
        index = self.scope.findData(country or NETWORK)
        if index >= 0:
            self.scope.setCurrentIndex(index)

    def table(self, table_id: str) -> MergedTable:
        for view in self.tables:
            if view.table_id == table_id:
                return view
        raise KeyError(table_id)

    def retranslate(self) -> None:
        self.scope_label.setText(_("Figures for"))
        self._fill_scopes(self.current_scope())
        self._show_scope()

    # --- scopes --------------------------------------------------------------------------------

    def _fill_scopes(self, chosen: str) -> None:
        """The network first, then the countries by name in the current language."""
        scopes = list((self.document or {}).get("scopes") or [])
        countries = sorted(
            (str(s["country"]) for s in scopes if s.get("country")),
            key=lambda code: i18n.country_name(code).casefold(),
        )
        self.scope.blockSignals(True)
        self.scope.clear()
        if scopes:
            self.scope.addItem(self._scope_name(NETWORK), NETWORK)
            for code in countries:
                self.scope.addItem(self._scope_name(code), code)
        self.scope.setCurrentIndex(max(0, self.scope.findData(chosen)))
        self.scope.blockSignals(False)

    def _scope_name(self, country: str) -> str:
        assert self.document is not None
        count = int(scope_of(self.document, country).get("organisations") or 0)
        name = net.country_label(country) if country else _("Network")
        return i18n.ngettext(
            "{name} ({count} organisation)", "{name} ({count} organisations)", count
        ).format(name=name, count=format_number(count))

    def _show_scope(self) -> None:
        """Lay out the tables of the scope chosen."""
        old = self.area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.tables, self._titles = [], []
        has_document = self.document is not None and self.scope.count() > 0
        for widget in (self.scope_label, self.scope, self.scope_summary, self.area):
            widget.setVisible(has_document)
        if not has_document or self.document is None:
            return
        scope = scope_of(self.document, self.current_scope())
        self._describe(scope)
        holder = QWidget()
        holder.setObjectName(CONTENT_NAME)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 12, 12)
        layout.setSpacing(6)
        for table_id, table in (scope.get("tables") or {}).items():
            title, note = section_title(holder), muted(holder)
            title.setText(labels.table_title(table_id))
            note.setText(labels.table_note(table_id))
            note.setVisible(bool(note.text()))
            view = MergedTable(table_id, table, threshold=self.threshold, parent=holder)
            layout.addWidget(title)
            layout.addWidget(note)
            layout.addWidget(view, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addSpacing(12)
            self._titles.append((title, note, table_id))
            self.tables.append(view)
        layout.addStretch(1)
        self.area.setWidget(holder)
        self.scope_changed.emit()

    def _describe(self, scope: Mapping[str, Any]) -> None:
        """Where the activities took place, and how to read the figures."""
        prisons = scope.get("prisons") or {}
        count = int(prisons.get("count") or 0)
        countries = len(prisons.get("countries") or [])
        where = i18n.ngettext(
            "Activities in {count} prison", "Activities in {count} prisons", count
        ).format(count=format_number(count))
        where = i18n.ngettext(
            "{where}, {count} country.", "{where}, {count} countries.", countries
        ).format(where=where, count=format_number(countries))
        how = _(
            "“≈” marks an estimate, with the range the figure lies in (some members hid a small "
            "number there). Point at a figure for its details."
        )
        self.scope_summary.setText(f"{where} {how}")
