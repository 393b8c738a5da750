"""Saving a document in the background: the Reports page's and the Network window's way.

``ask_save_path`` asks where, offering a default name, and adds the suffix when it is left
out. ``Saver`` writes in the background (writes queue, progress and Cancel), then says
"Saved … in …" with an Open folder link on its ``row``, or why nothing was written in the
screen's message. What is written, and what else a screen does first, stays with the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMainWindow, QWidget

from cope_desktop.i18n import N_, _
from cope_desktop.ui.desktop import open_folder
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, link_button

FILE_FILTERS = {
    "json": N_("JSON file (*.json)"),
    "pdf": N_("PDF document (*.pdf)"),
    "xlsx": N_("Excel workbook (*.xlsx)"),
}
"""The file types both screens save; each adds its own."""
STATUS_MS = 8000


def ask_save_path(
    parent: QWidget,
    title: str,
    suggested: Path,
    file_filter: str,
    suffix: str,
    ending: str | None = None,
) -> Path | None:
    """Ask where to save; ``suffix`` is added to a name that does not end with ``ending``.

    ``ending`` defaults to ``suffix``; it is shorter for double suffixes (".dhis2.json"),
    so that a name the person ended with ".json" is kept as it is.
    """
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if not path.name.lower().endswith(ending or suffix):
        path = path.with_name(path.name + suffix)
    return path


class Saver(QObject):
    """Writes one screen's files in the background and shows where the last one went."""

    busy = Signal(bool)
    """True when a file starts being written, False when it is written, failed or stopped."""
    saved = Signal(object)
    """A file was written (its Path)."""

    def __init__(self, screen: QWidget, runner: TaskRunner, message: InlineMessage) -> None:
        super().__init__(screen)
        self._screen = screen
        self._runner = runner
        self._message = message
        self.last_saved: Path | None = None
        self.row = QWidget(screen)
        self.text = QLabel(self.row)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = link_button(self.row)
        layout = QHBoxLayout(self.row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_folder_button)
        self.row.hide()
        self.open_folder_button.clicked.connect(self._open_folder)

    def retranslate(self) -> None:
        self.open_folder_button.setText(_("Open folder"))
        if self.last_saved is not None:
            self._show_saved(self.last_saved)

    def forget(self) -> None:
        """Hide the last file saved (what the screen shows no longer matches it)."""
        self.last_saved = None
        self.row.hide()

    def write(self, job: Callable[[], object], path: Path) -> None:
        """Run ``job`` (which writes ``path`` and returns it) in the background."""
        self.busy.emit(True)
        self.row.hide()
        self._runner.run(
            job,
            self._written,
            self._failed,
            on_cancel=self._cancelled,
            context=self._screen,
            writes=True,
            progress_parent=self._screen.window(),
            progress_title=_("Saving {name}…").format(name=path.name),
        )

    def _written(self, path: Path) -> None:
        self.busy.emit(False)
        self._message.clear_message()
        self.last_saved = path
        self._show_saved(path)
        window = self._screen.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("Saved {path}").format(path=path), STATUS_MS)
        self.saved.emit(path)

    def _show_saved(self, path: Path) -> None:
        self.text.setText(_("Saved {name} in {folder}.").format(name=path.name, folder=path.parent))
        self.text.setToolTip(str(path))
        self.row.show()

    def _failed(self, failure: TaskFailure) -> None:
        self.busy.emit(False)
        self._message.show_error(failure.message)

    def _cancelled(self) -> None:
        self.busy.emit(False)
        self._message.show_info(_("Saving was stopped. No file was written."))

    def _open_folder(self) -> None:
        if self.last_saved is not None and not open_folder(self.last_saved.parent):
            self._message.show_info(
                _("The file is in {folder}.").format(folder=self.last_saved.parent)
            )
