"""Send changes: this copy's new work, for one copy or for every copy it knows, in the mailbox.

Each file holds what the other copy has not acknowledged yet, so sending twice does no harm.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import _, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.progress import Progress
from cope_desktop.settings import Settings
from cope_desktop.sync.apply import device_label
from cope_desktop.sync.preview import TravelPreview, changes_preview, this_copy
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import (
    FolderRow,
    bundle_name,
    default_folder,
    folder_problem,
    remember_folder,
)
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyGuard, InlineMessage, form_layout, heading, intro, muted

EVERY_COPY = "every"


def write_changes(
    signed_in: SignedIn, folder: Path, peers: list[Any]
) -> Generator[Progress, None, list[Path]]:
    """One changes file per peer (``None`` in ``peers``: a copy not known yet)."""
    from cope_desktop.sync.export import export_changes

    with signed_in.db.session() as session:
        source = device_label(this_copy(session).name)
    written: list[Path] = []
    for peer in peers:
        target = "" if peer is None else peer.name
        path = folder / bundle_name("changes", source, target)
        peer_id = None if peer is None else peer.device_id
        yield from export_changes(signed_in.db, signed_in.user, path, peer_id)
        written.append(path)
    return written


class SendDialog(BusyGuard, QDialog):
    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        settings: Settings,
        peers: list[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._settings = settings
        self._busy = False
        self.peers = list(peers)
        self.written: list[Path] = []
        self.title = heading(self)
        self.explanation = intro(self)
        self.peer_label = QLabel(self)
        self.peer = QComboBox(self)
        self.peer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.folder_label = QLabel(self)
        self.folder = FolderRow(self)
        self.folder.set_folder(default_folder(settings))
        self.folder_label.setBuddy(self.folder.path)
        self.travel = muted(self)
        self.preview: TravelPreview | None = None
        self.message = InlineMessage(self)
        self.send_button = QPushButton(self)
        self.send_button.setDefault(True)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        form = form_layout()
        form.addRow(self.peer_label, self.peer)
        form.addRow(self.folder_label, self.folder)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.travel)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.reject)
        self.setMinimumWidth(600)
        self.retranslate()
        follow_language(self.retranslate)
        self.peer.currentIndexChanged.connect(self._count)
        self._count()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Send changes"))
        self.title.setText(_("Send changes"))
        self.explanation.setText(
            _(
                "The work done on this copy since the last exchange is written to the folder, "
                "encrypted. The other copy brings it back with “Bring back the day's work”."
            )
        )
        self.peer_label.setText(_("&For:"))
        self.peer_label.setBuddy(self.peer)
        self.folder_label.setText(_("&Folder:"))
        self.folder.retranslate(_("Where to write the file"))
        self.send_button.setText(_("Send"))
        self.close_button.setText(_("Close"))
        current = self.peer.currentIndex()
        self.peer.blockSignals(True)
        self.peer.clear()
        self.peer.blockSignals(False)
        if not self.peers:
            self.peer.addItem(_("Any copy (everything this copy holds)"), None)
        for peer in self.peers:
            self.peer.addItem(peer.name, peer.device_id)
        if len(self.peers) > 1:
            self.peer.addItem(_("Every copy (one file each)"), EVERY_COPY)
        self.peer.blockSignals(True)
        self.peer.setCurrentIndex(max(0, current))
        self.peer.blockSignals(False)
        self._show_preview()

    def _count(self) -> None:
        """What will travel for the chosen copy (the first one, for every copy)."""
        peers = self.chosen_peers()
        if not peers:
            return
        signed_in, peer = self._signed_in, peers[0]
        peer_id = None if peer is None else peer.device_id

        def count() -> TravelPreview:
            with signed_in.db.session() as session:
                return changes_preview(session, signed_in.user, peer_id)

        self.preview = None
        self.travel.setText(_("Counting…"))
        chosen = self.peer.currentData()
        self._runner.run(
            count,
            lambda preview: self._counted(preview, chosen),
            lambda _failure: self.travel.clear(),
            context=self,
        )

    def _counted(self, preview: TravelPreview, chosen: object) -> None:
        if chosen != self.peer.currentData():
            return  # another copy was chosen meanwhile: its own count follows
        self.preview = preview
        self._show_preview()

    def _show_preview(self) -> None:
        preview = self.preview
        if preview is None:
            return
        if preview.rows == 0:
            self.travel.setText(_("No record was changed since the last exchange."))
            return
        self.travel.setText(
            ngettext(
                "{count} changed record will travel (about {size}).",
                "{count} changed records will travel (about {size}).",
                preview.rows,
            ).format(
                count=i18n.format_number(preview.rows), size=i18n.format_size(preview.size_estimate)
            )
        )

    def chosen_peers(self) -> list[Any]:
        chosen = self.peer.currentData()
        if chosen is None:
            return [None]
        if chosen == EVERY_COPY:
            return list(self.peers)
        return [peer for peer in self.peers if peer.device_id == chosen]

    def send(self) -> None:
        if self._busy:
            return
        folder = self.folder.folder()
        problem = folder_problem(folder)
        if problem or folder is None:
            self.message.show_error(problem or "")
            return
        remember_folder(self._paths, self._settings, folder)
        self._set_busy(True)
        self._runner.run(
            write_changes(self._signed_in, folder, self.chosen_peers()),
            self._sent,
            self._failed,
            on_cancel=self._cancelled,
            context=self,
            writes=True,
            progress_parent=self,
            progress_title=_("Writing the changes…"),
        )

    def _sent(self, written: list[Path]) -> None:
        self._set_busy(False)
        self.written = written
        names = ", ".join(path.name for path in written)
        folder = written[0].parent if written else ""
        self.message.show_info(
            ngettext(
                "Written in {folder}: {names}.", "Written in {folder}: {names}.", len(written)
            ).format(folder=folder, names=names)
        )

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self.message.show_info(_("Stopped. No file was written."))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.send_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
