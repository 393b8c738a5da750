"""Prisons: the register of the prisons the organisation works with.

A table of prisons (name, country, region, type, and how many families and activities are
linked to each), a filter, "Show archived", and the details of the chosen prison with the
families and activities linked to it. Adding and editing open ``PrisonDialog``; archiving
asks first and says what is linked; only an administrator restores.

Keys: Ctrl+N adds a prison while this page is shown; Enter or a double click edits the chosen
one; Delete archives it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.db.database import Database
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.services.accounts import CurrentUser, OrganisationInfo, organisation_info
from cope_desktop.services.permissions import Permission, can
from cope_desktop.services.prisons import (
    PrisonDetail,
    PrisonListRow,
    archive_prison,
    list_prisons,
    read_prison,
    restore_prison,
)
from cope_desktop.ui.models import prison_table
from cope_desktop.ui.models.prison_table import PrisonTableModel
from cope_desktop.ui.pages.base import PAGE_MARGINS, SummaryPage
from cope_desktop.ui.pages.prison_details import PANEL_MINIMUM_WIDTH, PANEL_WIDTH, PrisonDetails
from cope_desktop.ui.record.confirm import ask
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted

FILTER_MINIMUM_WIDTH = 180
COMPACT_WIDTH = 1000
"""Below this page width the table leaves out country, region and type (the details show them)."""
DETAILS_SHARE = 0.3
"""The details' share of the width (between their smallest and usual width), until the
person drags the divider."""


if TYPE_CHECKING:
    from cope_desktop.ui.prison_dialog import PrisonDialog


@dataclass(frozen=True)
class Register:
    """What the page reads in the background: every prison, also the archived ones."""

    organisation: OrganisationInfo
    rows: list[PrisonListRow]


def read_register(session: Session) -> Register:
    return Register(organisation_info(session), list_prisons(session, include_archived=True))


def archive_question(row: PrisonListRow) -> tuple[str, str]:
    """The question before archiving, and what it means for the records linked to it."""
    question = _("Archive the prison “{name}”?").format(name=row.name)
    if not row.families and not row.activities:
        return question, _(
            "No family or activity is linked to it. It will no longer be offered when you "
            "choose a prison. An administrator can restore it."
        )
    families = ngettext(
        "{count} family is linked to it.", "{count} families are linked to it.", row.families
    ).format(count=format_number(row.families))
    activities = ngettext(
        "{count} activity was held there.", "{count} activities were held there.", row.activities
    ).format(count=format_number(row.activities))
    outcome = _(
        "They keep their link to the prison, but it will no longer be offered when you choose "
        "a prison. An administrator can restore it."
    )
    return question, " ".join((families, activities, outcome))


class PrisonsPage(SummaryPage):
    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        user: CurrentUser | None = None,
    ) -> None:
        super().__init__(db, runner, read_register, parent)
        self.user = user
        self._select_after_load: uuid.UUID | None = None
        self._detail_request = 0
        self._opening = False
        self.dialog: PrisonDialog | None = None
        self.model = PrisonTableModel()
        self._make_toolbar()
        self._make_table()
        self.details = PrisonDetails(self)
        self.message = InlineMessage(self)
        self.empty = muted(self)
        self.empty.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.body.addLayout(self.toolbar)
        self.body.addWidget(self.message)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.splitter, 1)
        self.splitter.hide()
        self._splitter_moved = False
        self.splitter.splitterMoved.connect(self._remember_splitter)
        self._make_shortcuts()
        self._update_buttons()
        self.follow_language()

    # --- construction --------------------------------------------------------------------------

    def _make_toolbar(self) -> None:
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumWidth(FILTER_MINIMUM_WIDTH)
        self.filter.textChanged.connect(self._filter_changed)
        self.show_archived = QCheckBox(self)
        self.show_archived.toggled.connect(self._show_archived_toggled)
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.archive_button = QPushButton(self)
        self.restore_button = QPushButton(self)
        self.restore_button.setVisible(self._may_restore())
        self.add_button.clicked.connect(self.add_prison)
        self.edit_button.clicked.connect(self.edit_prison)
        self.archive_button.clicked.connect(self.archive_prison)
        self.restore_button.clicked.connect(self.restore_prison)
        self.action_buttons = QWidget(self)
        actions = QHBoxLayout(self.action_buttons)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(8)
        for button in (
            self.add_button,
            self.edit_button,
            self.archive_button,
            self.restore_button,
        ):
            actions.addWidget(button)
        self.filter_row, self.buttons_row = QHBoxLayout(), QHBoxLayout()
        self.filter_row.setSpacing(8)
        self.filter_row.addWidget(self.filter, 2)
        self.filter_row.addWidget(self.show_archived)
        self.filter_row.addStretch(1)
        self.filter_row.addWidget(self.action_buttons)
        self.buttons_row.addStretch(1)
        self.toolbar = QVBoxLayout()
        self.toolbar.setSpacing(8)
        self.toolbar.addLayout(self.filter_row)
        self.toolbar.addLayout(self.buttons_row)
        self._two_rows = False

    def _arrange_toolbar(self) -> None:
        """Buttons beside the filter when they fit, else on a row of their own."""
        room = self.width() - PAGE_MARGINS[0] - PAGE_MARGINS[2]
        needed = (
            FILTER_MINIMUM_WIDTH
            + self.show_archived.sizeHint().width()
            + self.action_buttons.sizeHint().width()
            + 3 * self.filter_row.spacing()
        )
        two_rows = needed > room
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        source, target = (
            (self.filter_row, self.buttons_row) if two_rows else (self.buttons_row, self.filter_row)
        )
        source.removeWidget(self.action_buttons)
        target.addWidget(self.action_buttons)

    def _make_table(self) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        # Names often share their start ("Casa Circondariale di …"): keep both ends.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(prison_table.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(prison_table.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        for column in range(1, prison_table.COLUMN_COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumWidth(360)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.edit_prison())

    def _make_shortcuts(self) -> None:
        # The page is hidden while another page is shown, and a hidden widget's window
        # shortcut does not fire: Ctrl+N adds a prison only while this page is current.
        QShortcut(QKeySequence.StandardKey.New, self, self.add_prison)
        QShortcut(QKeySequence("Ctrl+F"), self, self._focus_filter)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table, self.archive_prison)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_toolbar()
        compact = self.width() < COMPACT_WIDTH
        for column in (prison_table.COUNTRY, prison_table.REGION, prison_table.TYPE):
            self.table.setColumnHidden(column, compact)
        if not self._splitter_moved:
            total = self.splitter.width()
            details = min(max(int(total * DETAILS_SHARE), PANEL_MINIMUM_WIDTH), PANEL_WIDTH)
            self.splitter.setSizes([total - details, details])

    def _remember_splitter(self) -> None:
        self._splitter_moved = True

    def retranslate(self) -> None:
        self.heading.setText(_("Prisons"))
        self.intro.setText(
            _(
                "The prisons your organisation works with. Choose a prison to see the families "
                "and activities linked to it."
            )
        )
        self.filter.setPlaceholderText(_("Filter by name or region (Ctrl+F)"))
        self.show_archived.setText(_("Show a&rchived"))
        self.add_button.setText(_("&Add prison…"))
        self.add_button.setToolTip(_("Add a prison (Ctrl+N)"))
        self.edit_button.setText(_("&Edit…"))
        self.edit_button.setToolTip(_("Edit the chosen prison (Enter)"))
        self.archive_button.setText(_("Arc&hive…"))
        self.archive_button.setToolTip(_("Archive the chosen prison (Delete)"))
        self.restore_button.setText(_("Re&store"))
        self.restore_button.setToolTip(_("Bring the chosen archived prison back"))
        self.model.retranslate()
        self._update_empty()
        self._arrange_toolbar()
        super().retranslate()

    # --- the list ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the register again; once shown, the table stays in place while it is read."""
        super().refresh()
        if self.register is not None:
            self.status.hide()

    @property
    def register(self) -> Register | None:
        figures = self.figures
        return figures if isinstance(figures, Register) else None

    def show_figures(self, figures: object) -> None:
        assert isinstance(figures, Register)
        after_write = self._select_after_load is not None
        chosen = self._select_after_load or self.selected_id()
        self._select_after_load = None
        if figures.rows != self.model.all_rows():
            self.model.set_rows(figures.rows)
            self._select(chosen)
        elif after_write:
            # Same row values, but the details (visiting facilities) may have changed.
            self._select(chosen)
            self._selection_changed()
        self.splitter.show()
        self._update_empty()
        self._update_buttons()

    def _filter_changed(self, text: str) -> None:
        chosen = self.selected_id()
        self.model.set_filter(text)
        self._select(chosen)
        self._update_empty()

    def _show_archived_toggled(self, show: bool) -> None:
        self.message.clear_message()
        chosen = self.selected_id()
        self.model.set_show_archived(show)
        self._select(chosen)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.register is None or self.model.rowCount():
            self.empty.hide()
            return
        if not self.model.all_rows():
            text = _("No prisons are recorded yet. Add the prisons your organisation works with.")
        elif self.filter.text().strip():
            text = _("No prison matches “{text}”.").format(text=self.filter.text().strip())
        else:
            text = _("Every prison on file is archived. Tick “Show archived” to see them.")
        self.empty.setText(text)
        self.empty.show()

    def _focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # --- the chosen prison ---------------------------------------------------------------------

    def selected_row(self) -> PrisonListRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.prison(rows[0].row()) if rows else None

    def selected_id(self) -> uuid.UUID | None:
        row = self.selected_row()
        return row.id if row else None

    def _select(self, prison_id: uuid.UUID | None) -> None:
        row = self.model.row_of(prison_id) if prison_id else None
        if row is None:
            self.table.clearSelection()
            self._selection_changed()
            return
        index = self.model.index(row, prison_table.NAME)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        self._update_buttons()
        row = self.selected_row()
        self._detail_request += 1
        if row is None:
            self.details.show_nothing()
            return
        self.details.show_loading(row)
        request, db, prison_id = self._detail_request, self._db, row.id

        def read() -> PrisonDetail:
            with db.session() as session:
                return read_prison(session, prison_id)

        self._runner.run(
            read,
            lambda detail: self._detail_loaded(request, detail),
            lambda failure: self._detail_failed(request, failure),
            context=self,
        )

    def _detail_loaded(self, request: int, detail: PrisonDetail) -> None:
        if request == self._detail_request:
            self.details.show_detail(detail)

    def _detail_failed(self, request: int, failure: TaskFailure) -> None:
        if request == self._detail_request:
            self.details.show_failure(failure.message)

    def _may_write(self) -> bool:
        return self.user is not None and can(self.user, Permission.EDIT_RECORDS)

    def _may_restore(self) -> bool:
        return self.user is not None and can(self.user, Permission.RESTORE_RECORDS)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        live = row is not None and not row.archived
        loaded = self.register is not None
        self.add_button.setEnabled(loaded and self._may_write())
        self.edit_button.setEnabled(live and self._may_write())
        self.archive_button.setEnabled(live and self._may_write())
        self.restore_button.setEnabled(row is not None and row.archived)

    # --- adding and editing --------------------------------------------------------------------

    def _signed_in(self) -> SignedIn | None:
        register = self.register
        if self.user is None or register is None:
            return None
        return SignedIn(self._db, self.user, register.organisation)

    def add_prison(self) -> None:
        if self.add_button.isEnabled():
            self._open_dialog(None)

    def edit_prison(self) -> None:
        """Read the chosen prison afresh, then open the form with what is on file now."""
        row = self.selected_row()
        if row is None or not self.edit_button.isEnabled() or self._opening:
            return
        self._opening = True
        db, prison_id = self._db, row.id

        def read() -> PrisonDetail:
            with db.session() as session:
                return read_prison(session, prison_id)

        def failed(failure: TaskFailure) -> None:
            self._opening = False
            self._write_failed(failure)

        self._runner.run(read, self._open_dialog, failed, context=self)

    def _open_dialog(self, detail: PrisonDetail | None) -> None:
        self._opening = False
        signed_in = self._signed_in()
        if signed_in is None or (self.dialog is not None and self.dialog.isVisible()):
            return
        self.message.clear_message()
        from cope_desktop.ui.prison_dialog import PrisonDialog  # start-up time (P1)

        dialog = PrisonDialog(signed_in, self._runner, detail, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.destroyed.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.dialog = None

    def _saved(self, prison_id: object) -> None:
        if isinstance(prison_id, uuid.UUID):
            self._select_after_load = prison_id
        self.refresh()

    # --- archiving and restoring ---------------------------------------------------------------

    def archive_prison(self) -> None:
        row = self.selected_row()
        if row is None or not self.archive_button.isEnabled() or self.user is None:
            return
        question, detail = archive_question(row)
        user, db, prison_id = self.user, self._db, row.id

        def archive() -> None:
            with db.session() as session:
                archive_prison(session, user, prison_id)

        def confirmed() -> None:
            self._runner.run(
                archive,
                lambda _result: self._archived(row),
                self._write_failed,
                context=self,
                writes=True,
            )

        ask(self, _("Archive prison"), question, detail, _("Archive"), confirmed, destructive=True)

    def _archived(self, row: PrisonListRow) -> None:
        if self.show_archived.isChecked():
            self._select_after_load = row.id
            text = _("“{name}” was archived.").format(name=row.name)
        else:
            text = _("“{name}” was archived. Tick “Show archived” to see it.").format(name=row.name)
        self.message.show_info(text)
        self.refresh()

    def restore_prison(self) -> None:
        row = self.selected_row()
        if row is None or not row.archived or self.user is None or not self._may_restore():
            return
        user, db, prison_id = self.user, self._db, row.id

        def restore() -> None:
            with db.session() as session:
                restore_prison(session, user, prison_id)

        def restored(_result: object) -> None:
            self.message.show_info(_("“{name}” was restored.").format(name=row.name))
            self._select_after_load = prison_id
            self.refresh()

        self.message.clear_message()
        self._runner.run(restore, restored, self._write_failed, context=self, writes=True)

    def _write_failed(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)
        self.refresh()
