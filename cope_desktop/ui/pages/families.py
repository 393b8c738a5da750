"""Families: every family on file, to find one by name or reference and open it.

The table is a lazy model (``ui.models.family_list``): the ids of the matching families are
queried in the background whenever the search, a filter or the sort order changes, and rows
are read one page at a time as the table shows them. Typing in the search field waits for a
short pause before it queries, so each keystroke does not start a query of its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import uuid
from collections.abc import Iterator

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.database import Database
from cope_desktop.i18n import N_, _, format_date, format_number, ngettext
from cope_desktop.services.family_list import (
    FamilyFilter,
    FilterChoices,
    StatusFilter,
    filter_choices,
)
from cope_desktop.ui.models import family_list as columns
from cope_desktop.ui.models.family_list import DatabaseSource, FamilyListModel
from cope_desktop.ui.pages.list_page import LazyListPage
from cope_desktop.ui.pages.list_parts import filter_combo, list_table, refill, widen_popup
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import BusyBar, link_button, muted, set_state

SEARCH_DELAY_MS = 150
"""Typing waits this long after the last keystroke before it queries."""
BUSY_DELAY_MS = 200
"""A query that takes longer shows a moving bar beside the count."""

STATUS_CHOICES = (
    (StatusFilter.ALL, N_("Open and closed")),
    (StatusFilter.OPEN, N_("Open")),
    (StatusFilter.CLOSED, N_("Closed")),
    (StatusFilter.NO_CONSENT, N_("No data consent")),
    (StatusFilter.ARCHIVED, N_("Archived")),
)

STRETCHED = {columns.MAIN_CAREGIVER: 3, columns.PRISON: 4, columns.CASEWORKER: 2}
"""Columns that share the width left by the others, and their shares."""
MIN_STRETCHED_WIDTH = 110
WIDEST_REFERENCE = "D1-F000000"


class FilterBar(QWidget):
    """The search field and the filter lists above the families table."""

    changed = Signal()
    """The search (after the typing pause) or a filter changed."""
    go_to_results = Signal()
    """Enter or Down in the search field: the person wants the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.status_filter = filter_combo(self)
        for status, _text in STATUS_CHOICES:
            self.status_filter.addItem("", status)
        self.caseworker_filter = filter_combo(self)
        self.prison_filter = filter_combo(self)
        self.country_filter = filter_combo(self)
        for combo in (self.caseworker_filter, self.prison_filter, self.country_filter):
            combo.addItem("", None)
        self.top_row = QHBoxLayout()
        self.top_row.setSpacing(10)
        self.top_row.addWidget(self.search, 1)
        lists = QHBoxLayout()
        lists.setSpacing(8)
        for combo in self.combos:
            lists.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(self.top_row)
        layout.addLayout(lists)
        self.search.textChanged.connect(self.search_timer.start)
        self.search.returnPressed.connect(self.go_to_results)
        self.search_timer.timeout.connect(self.changed)
        for combo in self.combos:
            combo.currentIndexChanged.connect(self.changed)

    @property
    def combos(self) -> list[QComboBox]:
        return [self.status_filter, self.caseworker_filter, self.prison_filter, self.country_filter]

    @property
    def typing(self) -> bool:
        """True during the pause after a keystroke, before the search is applied."""
        return self.search_timer.isActive()

    def current(self) -> FamilyFilter:
        """The filter shown; a search still in its typing pause is taken as it is now."""
        self.search_timer.stop()
        return FamilyFilter(
            status=self.status_filter.currentData() or StatusFilter.ALL,
            caseworker_id=self.caseworker_filter.currentData(),
            prison_id=self.prison_filter.currentData(),
            country=self.country_filter.currentData(),
            text=self.search.text().strip(),
        )

    def clear(self) -> None:
        """Empty the search and choose "all" in every list (``changed`` is emitted once)."""
        with self._quiet():
            self.search.clear()
            for combo in self.combos:
                combo.setCurrentIndex(0)
        self.changed.emit()

    def fill(self, choices: FilterChoices) -> None:
        """Offer these choices, keeping the ones made when they are still offered."""
        with self._quiet():
            refill(self.caseworker_filter, choices.caseworkers)
            refill(self.prison_filter, choices.prisons)
            refill(self.country_filter, [(code, code) for code in choices.countries])
        self._name_countries()
        for combo in self.combos:
            widen_popup(combo)
        self.changed.emit()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search names and references"))
        self.search.setAccessibleName(_("Search names and references"))
        self.search.setToolTip(
            _("Type the start of a name or reference of the family or one of its members.")
        )
        for number, (_status, text) in enumerate(STATUS_CHOICES):
            self.status_filter.setItemText(number, _(text))
        self.status_filter.setItemData(
            self.status_filter.findData(StatusFilter.NO_CONSENT),
            _("Families without a current data processing consent"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.status_filter.setAccessibleName(_("Status"))
        self.caseworker_filter.setItemText(0, _("All caseworkers"))
        self.caseworker_filter.setAccessibleName(_("Caseworker"))
        self.prison_filter.setItemText(0, _("All prisons"))
        self.prison_filter.setAccessibleName(_("Prison"))
        self.country_filter.setItemText(0, _("All countries"))
        self.country_filter.setAccessibleName(_("Country of the prison"))
        self._name_countries()

    def _name_countries(self) -> None:
        for number in range(1, self.country_filter.count()):
            code = self.country_filter.itemData(number)
            self.country_filter.setItemText(number, i18n.country_name(code))

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Change the controls without a ``changed`` for every step."""
        widgets = [self.search, *self.combos]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            yield
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self.go_to_results.emit()
            return True
        return super().eventFilter(watched, event)


class FamiliesPage(LazyListPage):
    open_family = Signal(object)
    """A ``uuid.UUID``: the person asked to open this family."""
    new_family = Signal()
    """The person asked to record a new family."""

    def __init__(self, db: Database, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._focus_table_when_loaded = False
        self._kept: uuid.UUID | None = None
        self.model = FamilyListModel(DatabaseSource(db), runner, self)
        self.filters = FilterBar(self)
        self.search = self.filters.search
        self.status_filter = self.filters.status_filter
        self.caseworker_filter = self.filters.caseworker_filter
        self.prison_filter = self.filters.prison_filter
        self.country_filter = self.filters.country_filter
        self._make_controls()
        self.table = list_table(
            self.model,
            self,
            sorted_by=columns.REFERENCE,
            order=Qt.SortOrder.AscendingOrder,
            middle_elided=columns.PRISON,
        )
        self.table.viewport().installEventFilter(self)
        self._lay_out()
        self._connect()
        self.follow_language()

    # --- construction ------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.new_button = QPushButton(self)
        self.new_button.setProperty("primary", True)
        self.new_button.setAutoDefault(False)
        self.count = muted(self)
        self.busy = BusyBar(self)
        self.busy.setMaximumWidth(160)
        self.busy_timer = QTimer(self)
        self.busy_timer.setSingleShot(True)
        self.busy_timer.setInterval(BUSY_DELAY_MS)
        self.message = muted(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = link_button(self)
        self.find_shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        self.new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)

    def _lay_out(self) -> None:
        self.filters.top_row.addWidget(self.new_button)
        status = QHBoxLayout()
        status.addWidget(self.count, 1)
        status.addWidget(self.busy)
        empty = QWidget(self)
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.message)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.results = QStackedLayout()
        self.results.addWidget(self.table)
        self.results.addWidget(empty)
        self.body.setSpacing(10)
        self.body.addWidget(self.filters)
        self.body.addLayout(status)
        self.body.addLayout(self.results, 1)
        order = [self.search, *self.filters.combos, self.table, self.new_button]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    def _connect(self) -> None:
        self.filters.changed.connect(self.apply_filter)
        self.filters.go_to_results.connect(self._go_to_results)
        self.new_button.clicked.connect(self.new_family)
        self.new_shortcut.activated.connect(self.new_family)
        self.find_shortcut.activated.connect(self.focus_search)
        self.clear_button.clicked.connect(self.filters.clear)
        self.table.activated.connect(self._activated)
        self.busy_timer.timeout.connect(self._show_busy)
        model = self.model
        model.query_started.connect(self.busy_timer.start)
        model.modelAboutToBeReset.connect(self._keep_selection)
        model.rows_shown.connect(self._rows_shown)
        model.loaded.connect(self._loaded)
        model.failed.connect(self._failed)

    @property
    def filter_combos(self) -> list[QComboBox]:
        return self.filters.combos

    @property
    def search_timer(self) -> QTimer:
        return self.filters.search_timer

    def retranslate(self) -> None:
        self.heading.setText(_("Families"))
        self.intro.setText(_("Find a family by a name or reference, or record a new family."))
        self.filters.retranslate()
        self.new_button.setText(_("New family"))
        self.new_button.setToolTip(
            _("Record a new family ({shortcut}).").format(
                shortcut=self.new_shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.clear_button.setText(_("Clear the search and filters"))
        self.model.retranslate()
        self._show_count()

    # --- behaviour -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the list and the filter choices again (after a family was saved)."""
        self.model.refresh()
        db = self._db

        def read() -> FilterChoices:
            with db.session() as session:
                return filter_choices(session)

        self._runner.run(read, self.filters.fill, self._failed_choices, context=self)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def clear_filters(self) -> None:
        """Show every open and closed family again."""
        self.filters.clear()

    def current_filter(self) -> FamilyFilter:
        return self.filters.current()

    def apply_filter(self) -> None:
        """Query for the search and filters shown now, without waiting for the typing pause."""
        self.model.set_filter(self.filters.current())

    def selected_family(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.family_id(index.row())

    def _go_to_results(self) -> None:
        """Enter in the search field: query now if a query waits, then move to the table."""
        typing = self.filters.typing
        self.apply_filter()
        if typing or self.model.busy:
            self._focus_table_when_loaded = True
        else:
            self._focus_table()

    def _focus_table(self) -> None:
        self._focus_table_when_loaded = False
        if self.model.rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection():
            current = self.table.currentIndex()
            self.table.selectRow(current.row() if current.isValid() else 0)

    def _activated(self, index: QModelIndex) -> None:
        family_id = self.model.family_id(index.row())
        if family_id is not None:
            self.open_family.emit(family_id)

    def _keep_selection(self) -> None:
        """Before the rows change: remember the selected family, to select it again."""
        if self._kept is None:
            self._kept = self.selected_family()

    def _rows_shown(self) -> None:
        self._select_kept()
        if self._focus_table_when_loaded and self.model.rowCount():
            self._focus_table()

    def _show_busy(self) -> None:
        self.busy.setVisible(self.model.busy)

    def _loaded(self) -> None:
        self.busy_timer.stop()
        self.busy.hide()
        set_state(self.count, "")
        self._show_count()
        self._select_kept()
        self._kept = None
        if self._focus_table_when_loaded:
            self._focus_table()

    def _show_count(self) -> None:
        if not self.model.has_answer:
            self.count.setText(_("Reading the list of families…"))
            self.results.setCurrentIndex(0)
            return
        total = self.model.rowCount()
        self.count.setText(
            ngettext("{count} family", "{count} families", total).format(count=format_number(total))
        )
        filtered = self.model.filter() != FamilyFilter()
        self.results.setCurrentIndex(0 if total else 1)
        if filtered:
            self.message.setText(_("No family matches the search and filters."))
        else:
            self.message.setText(
                _("No families are recorded yet. Choose New family to record the first one.")
            )
        self.clear_button.setVisible(filtered)

    # --- layout --------------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Give the short columns their natural width and share the rest out.

        Widths come from sample texts, never from the rows: measuring the rows would read
        pages of a 50,000-row list.
        """
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        samples = {
            columns.REFERENCE: WIDEST_REFERENCE,
            columns.CHILDREN: "000",
            columns.STATUS: max((_(text) for _status, text in STATUS_CHOICES[1:3]), key=len),
            columns.OPENED: format_date(dt.date(2000, 9, 30)),
        }
        used = 0
        for column, sample in samples.items():
            padding = 48 if column == columns.STATUS else 24  # the status has an icon
            width = max(metrics.horizontalAdvance(sample) + padding, header.sectionSizeHint(column))
            header.resizeSection(column, width)
            used += width
        room = self.table.viewport().width() - used
        shares = sum(STRETCHED.values())
        for column, share in STRETCHED.items():
            least = max(MIN_STRETCHED_WIDTH, header.sectionSizeHint(column))
            header.resizeSection(column, max(least, room * share // shares))
