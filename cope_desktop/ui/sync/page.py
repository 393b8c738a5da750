"""Field laptops: the copies this one exchanges work with, their history, and the conflicts.

Every role exchanges (a caseworker brings back the day's work); only an administrator
prepares a laptop, because a full bundle is the whole record. Everything is read in the
background and read again after each exchange or decision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import N_, _, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.services.permissions import Permission, can
from cope_desktop.settings import Settings
from cope_desktop.sync.preview import CopyInfo, this_copy
from cope_desktop.ui.pages.base import Page
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import bold, display_value
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted, set_state

PEER_COLUMNS = (N_("Copy"), N_("Last exchange"))
HISTORY_COLUMNS = (N_("When"), N_("Records"), N_("Conflicts"), N_("What"))
CONFLICT_COLUMNS = (N_("Record"), N_("Field"), N_("On this copy"), N_("From the other copy"))
DIRECTIONS = {"export": N_("Sent"), "import": N_("Received")}
KINDS = {"full": N_("Whole record"), "changes": N_("Changes")}


@dataclass(frozen=True)
class Overview:
    """What the page shows, read in one go on a worker thread."""

    copy: CopyInfo
    peers: list[Any]
    conflicts: list[Any]
    history: dict[uuid.UUID, list[Any]] = field(default_factory=dict)


def read_overview(signed_in: SignedIn) -> Overview:
    from cope_desktop.sync import service

    with signed_in.db.session() as session:
        copy = this_copy(session)
        peers = list(service.peers(session, signed_in.user))
        conflicts = list(service.conflicts(session, signed_in.user))
        history = {
            peer.device_id: list(service.history(session, signed_in.user, peer.device_id))
            for peer in peers
        }
    return Overview(copy, peers, conflicts, history)


def copy_description(copy: CopyInfo) -> str:
    if copy.is_original:
        return _("This is the office copy: the original database field laptops are made from.")
    return _(
        "This is the field laptop “{name}”. Records made here carry {tag} in their "
        "reference, so they never clash with records made elsewhere."
    ).format(name=copy.name, tag=copy.tag)


def conflict_count_text(count: int) -> str:
    if count == 0:
        return _("No changes need your decision.")
    return ngettext(
        "{count} change needs your decision.", "{count} changes need your decision.", count
    ).format(count=i18n.format_number(count))


def last_exchange(peer: Any) -> dt.datetime | None:
    """The later of the last bundle received from the copy and the last one sent to it."""
    times = [time for time in (peer.last_import_at, peer.last_export_at) if time is not None]
    return max(times) if times else None


def one_line(conflict: Any, candidate: Any) -> str:
    """A candidate's value on one line, for a table cell (the dialog shows it whole)."""
    return " ".join(display_value(conflict.table, conflict.field, candidate.value).split())


def _table(columns: int, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setMinimumHeight(100)
    header = table.horizontalHeader()
    for column in range(columns - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class SyncPage(Page):
    exchanged = Signal()
    """After bundles were brought back or conflicts resolved (other pages may read again)."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._settings = settings
        """The main window's settings (it saves them at close); the mailbox is kept in them."""
        self.overview: Overview | None = None
        self._requested = False
        self._open_conflicts_when_read = False
        self._build()
        self.follow_language()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.identity = QLabel(self)
        bold(self.identity)
        self.identity.setWordWrap(True)
        self.prepare_button = QPushButton(self)
        self.send_button = QPushButton(self)
        self.bring_back_button = QPushButton(self)
        self.prepare_button.setVisible(can(self._signed_in.user, Permission.PREPARE_LAPTOP))
        actions = QHBoxLayout()
        actions.addWidget(self.bring_back_button)
        actions.addWidget(self.send_button)
        actions.addWidget(self.prepare_button)
        actions.addStretch(1)
        self.status = muted(self)
        self.message = InlineMessage(self)

        self.peers_group = QGroupBox(self)
        self.peers = _table(len(PEER_COLUMNS), self)
        peers_header = self.peers.horizontalHeader()
        peers_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        peers_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.no_peers = muted(self)
        peers_layout = QVBoxLayout(self.peers_group)
        peers_layout.addWidget(self.peers, 1)
        peers_layout.addWidget(self.no_peers)
        self.history_group = QGroupBox(self)
        self.history = _table(len(HISTORY_COLUMNS), self)
        history_layout = QVBoxLayout(self.history_group)
        history_layout.addWidget(self.history, 1)
        lists_widget = QWidget(self)
        lists = QHBoxLayout(lists_widget)
        lists.setContentsMargins(0, 0, 0, 0)
        lists.setSpacing(12)
        lists.addWidget(self.peers_group, 2)
        lists.addWidget(self.history_group, 3)

        self.conflicts_group = QGroupBox(self)
        self.conflict_count = QLabel(self)
        self.conflict_count.setWordWrap(True)
        self.resolve_button = QPushButton(self)
        self.conflicts = _table(len(CONFLICT_COLUMNS), self)
        self.conflicts.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        count_row = QHBoxLayout()
        count_row.addWidget(self.conflict_count, 1)
        count_row.addWidget(self.resolve_button)
        conflicts_layout = QVBoxLayout(self.conflicts_group)
        conflicts_layout.addLayout(count_row)
        conflicts_layout.addWidget(self.conflicts, 1)

        self.body.setSpacing(10)
        self.body.addWidget(self.identity)
        self.body.addLayout(actions)
        self.body.addWidget(self.message)
        self.body.addWidget(self.status)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(lists_widget)
        self.splitter.addWidget(self.conflicts_group)
        self.splitter.setSizes([1000, 1000])
        self.body.addWidget(self.splitter, 1)

        self.prepare_button.clicked.connect(self.prepare_laptop)
        self.send_button.clicked.connect(self.send_changes)
        self.bring_back_button.clicked.connect(self.bring_back)
        self.resolve_button.clicked.connect(lambda: self.resolve())
        self.peers.itemSelectionChanged.connect(self._show_history)
        self.conflicts.itemDoubleClicked.connect(lambda item: self.resolve(item.row()))

    def retranslate(self) -> None:
        self.heading.setText(_("Field laptops"))
        self.intro.setText(
            _(
                "Work recorded on a field laptop comes back to the office in an encrypted file, "
                "on a USB stick or through a shared folder. Nothing is ever overwritten "
                "silently: when the same detail was changed on two copies, you decide."
            )
        )
        self.prepare_button.setText(_("Prepare a field laptop…"))
        self.send_button.setText(_("Send changes…"))
        self.bring_back_button.setText(_("Bring back the day's work…"))
        self.peers_group.setTitle(_("Copies this one exchanges with"))
        self.history_group.setTitle(_("Exchanges with the selected copy"))
        self.conflicts_group.setTitle(_("Changes that need your decision"))
        self.resolve_button.setText(_("Resolve…"))
        self.no_peers.setText(
            _("No exchange yet. Prepare a field laptop, or bring back a file from another copy.")
        )
        for table, columns in (
            (self.peers, PEER_COLUMNS),
            (self.history, HISTORY_COLUMNS),
            (self.conflicts, CONFLICT_COLUMNS),
        ):
            table.setHorizontalHeaderLabels([_(title) for title in columns])
        if self.overview is not None:
            self._show(self.overview)
        elif self._requested:
            self.status.setText(_("Reading…"))

    # --- reading --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._requested:
            self.refresh()

    def refresh(self) -> None:
        """Read the copies, the history and the conflicts again, in the background."""
        self._requested = True
        set_state(self.status, "")
        self.status.setText(_("Reading…"))
        self.status.show()
        signed_in = self._signed_in
        self._runner.run(lambda: read_overview(signed_in), self._loaded, self._failed, context=self)

    def _loaded(self, overview: Overview) -> None:
        self.status.hide()
        self._show(overview)
        if self._open_conflicts_when_read:
            self._open_conflicts_when_read = False
            self.resolve(0)

    def _failed(self, failure: TaskFailure) -> None:
        set_state(self.status, "error")
        self.status.setText(failure.message)
        self.status.show()

    def _show(self, overview: Overview) -> None:
        selected = self.selected_peer()
        self.overview = overview
        self.identity.setText(copy_description(overview.copy))
        self._show_peers(overview.peers, selected)
        self._show_conflicts(overview.conflicts)

    def _show_peers(self, peers: list[Any], selected: uuid.UUID | None) -> None:
        self.peers.blockSignals(True)
        self.peers.setRowCount(len(peers))
        for row, peer in enumerate(peers):
            self.peers.setItem(row, 0, _item(peer.name, peer.device_id))
            when = _item(i18n.format_local_datetime(last_exchange(peer)))
            when.setToolTip(
                _("Last received: {received}\nLast sent: {sent}").format(
                    received=i18n.format_local_datetime(peer.last_import_at),
                    sent=i18n.format_local_datetime(peer.last_export_at),
                )
            )
            self.peers.setItem(row, 1, when)
        self.peers.blockSignals(False)
        self.no_peers.setVisible(not peers)
        self.peers.setVisible(bool(peers))
        self.history_group.setVisible(bool(peers))
        rows = [row for row, peer in enumerate(peers) if peer.device_id == selected]
        if peers:
            self.peers.selectRow(rows[0] if rows else 0)
        self._show_history()

    def selected_peer(self) -> uuid.UUID | None:
        rows = self.peers.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.peers.item(rows[0].row(), 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _show_history(self) -> None:
        peer = self.selected_peer()
        entries = (
            [] if self.overview is None or peer is None else self.overview.history.get(peer, [])
        )
        self.history.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            what = f"{_(DIRECTIONS.get(entry.direction, entry.direction))}: " + _(
                KINDS.get(entry.kind, entry.kind)
            )
            cells = (
                i18n.format_local_datetime(entry.at),
                i18n.format_number(entry.rows),
                i18n.format_number(entry.conflicts),
                what,
            )
            for column, text in enumerate(cells):
                item = _item(text)
                item.setToolTip(_("File: {name}").format(name=entry.file_name))
                self.history.setItem(row, column, item)

    def _show_conflicts(self, conflicts: list[Any]) -> None:
        self.conflict_count.setText(conflict_count_text(len(conflicts)))
        set_state(self.conflict_count, "error" if conflicts else "")
        self.resolve_button.setEnabled(bool(conflicts))
        self.conflicts.setRowCount(len(conflicts))
        for row, conflict in enumerate(conflicts):
            mine = [c for c in conflict.candidates if c.is_mine]
            theirs = [c for c in conflict.candidates if not c.is_mine]
            cells = (
                str(conflict.record_label),
                str(conflict.field_label),
                "; ".join(one_line(conflict, c) for c in mine),
                "; ".join(f"{c.device_name}: {one_line(conflict, c)}" for c in theirs),
            )
            for column, text in enumerate(cells):
                self.conflicts.setItem(row, column, _item(text))
        self.conflicts.setVisible(bool(conflicts))

    # --- actions --------------------------------------------------------------------------

    def resolve(self, index: int | None = None) -> None:
        """Open the side-by-side dialog on the selected conflict (or the first)."""
        from cope_desktop.ui.sync.conflict_dialog import ConflictDialog

        if self.overview is None or not self.overview.conflicts:
            return
        if index is None:
            rows = self.conflicts.selectionModel().selectedRows()
            index = rows[0].row() if rows else 0
        dialog = ConflictDialog(
            self._signed_in, self._runner, self.overview.conflicts, index, self.window()
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resolved.connect(lambda _conflict: self.exchanged.emit())
        dialog.finished.connect(lambda _code: self.refresh())
        self.conflict_dialog = dialog
        dialog.open()

    def prepare_laptop(self) -> None:
        from cope_desktop.ui.sync.prepare_wizard import PrepareWizard

        wizard = PrepareWizard(
            self._signed_in, self._runner, self._paths, self._settings, self.window()
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _code: self.refresh())
        self.prepare_wizard = wizard
        wizard.open()

    def bring_back(self) -> None:
        from cope_desktop.ui.sync.bring_back_wizard import BringBackWizard

        wizard = BringBackWizard(
            self._signed_in, self._runner, self._paths, self._settings, self.window()
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.imported.connect(self.exchanged)
        wizard.conflicts_requested.connect(self._open_conflicts_after_import)
        wizard.finished.connect(lambda _code: self.refresh())
        self.bring_back_wizard = wizard
        wizard.open()

    def _open_conflicts_after_import(self) -> None:
        self._open_conflicts_when_read = True

    def send_changes(self) -> None:
        from cope_desktop.ui.sync.send_dialog import SendDialog

        dialog = SendDialog(
            self._signed_in,
            self._runner,
            self._paths,
            self._settings,
            self.overview.peers if self.overview is not None else [],
            self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.refresh())
        self.send_dialog = dialog
        dialog.open()
