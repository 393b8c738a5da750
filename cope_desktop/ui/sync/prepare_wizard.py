"""Prepare a field laptop: the whole record, encrypted, in one file for the laptop to start from.

The folder is remembered as the mailbox (a USB stick or a shared folder). The file opens only
with the passwords of this database's users, and is written in the background with a
progress bar and Cancel; a cancelled or failed write leaves no file behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget, QWizard

from cope_desktop import i18n
from cope_desktop.i18n import N_, _
from cope_desktop.paths import AppPaths
from cope_desktop.progress import Progress
from cope_desktop.settings import Settings
from cope_desktop.sync.preview import TravelPreview, full_preview
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import (
    ExchangeWizard,
    FolderPage,
    bold,
    bundle_name,
    default_folder,
)
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import muted, set_state
from cope_desktop.ui.wizard_pages import FIELD_WIDTH, LAPTOP_NAME_LENGTH, _Page

ROOM_NEEDED = 2
"""Below this many times the file's estimated size free in the folder, the page warns (the
estimate is rough)."""
LAPTOP_INSTRUCTIONS = N_(
    "On the laptop, open COPE Desktop, choose “Set up from a field-laptop bundle” and pick "
    "this file; sign in with your usual user name and password."
)


def write_full(signed_in: SignedIn, path: Path) -> Generator[Progress, None, Path]:
    """The job: a generator of Progress (export_full), returning the path written."""
    from cope_desktop.sync.export import export_full

    yield from export_full(signed_in.db, signed_in.user, path)
    return path


def read_full_preview(signed_in: SignedIn) -> TravelPreview:
    with signed_in.db.session() as session:
        return full_preview(session, signed_in.user)


def free_space(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


class NamePage(FolderPage):
    """The folder to write to, and the laptop's name (it goes into the file name)."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.name_label = QLabel(self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(LAPTOP_NAME_LENGTH)
        self.name.setMaximumWidth(FIELD_WIDTH)
        self.name_label.setBuddy(self.name)
        self.note = muted(self)
        self.form.addRow(self.name_label, self.name)
        self.layout_.addWidget(self.note)
        self.name.textChanged.connect(self.completeChanged)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Prepare a field laptop"),
            _(
                "A file with every record is written to a USB stick or a shared folder. The "
                "laptop starts from it, and its work comes back the same way."
            ),
        )
        self.retranslate_folder(_("Where to write the file"))
        self.name_label.setText(_("&Name of the laptop:"))
        self.name.setPlaceholderText(_("For example: Laptop Anna"))
        self.note.setText(
            _(
                "The folder is remembered as the place where files from the laptops arrive. "
                "A shared folder (a network drive or a synced folder) works as well as a USB "
                "stick."
            )
        )

    def isComplete(self) -> bool:
        return super().isComplete() and bool(self.name.text().strip())


class TravelPage(_Page):
    """What will travel: counts read in the background, and the size of the file."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(6)
        self.figures: list[tuple[QLabel, QLabel]] = []
        for row in range(6):
            value, caption = QLabel(self), QLabel(self)
            value.setObjectName("figureValueSmall")
            self.grid.addWidget(value, row, 0)
            self.grid.addWidget(caption, row, 1)
            self.figures.append((value, caption))
        self.grid.setColumnStretch(1, 1)
        self.status = muted(self)
        self.warning = muted(self)
        self.layout_.addLayout(self.grid)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.warning)
        self.preview: TravelPreview | None = None
        self.free: int | None = None
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("What will travel"),
            _("The laptop receives every record of this database, with its users and settings."),
        )
        self.warning.setText(
            _(
                "The file is encrypted and opens only with a password of this database. Still, "
                "it is the whole record: keep the USB stick safe, and delete the file once the "
                "laptop is set up."
            )
        )
        if self.preview is not None:
            self.show_preview(self.preview, self.free)
        else:
            self.status.setText(_("Counting…"))

    def show_preview(self, preview: TravelPreview, free: int | None) -> None:
        self.preview, self.free = preview, free
        others = preview.rows - (
            preview.families + preview.children + preview.activities + preview.attendances
        )
        lines = (
            (preview.families, _("families")),
            (preview.children, _("children")),
            (preview.activities, _("activities")),
            (preview.attendances, _("attendances")),
            (max(0, others), _("other records (carers, notes, consents, prisons…)")),
            (preview.audit_events, _("entries of the audit trail")),
        )
        for (value, caption), (number, text) in zip(self.figures, lines, strict=True):
            value.setText(i18n.format_number(number))
            caption.setText(text)
        size = _("The file will be about {size}.").format(
            size=i18n.format_size(preview.size_estimate)
        )
        if free is not None and free < preview.size_estimate * ROOM_NEEDED:
            set_state(self.status, "error")
            size += " " + _("There is only {free} free in the folder.").format(
                free=i18n.format_size(free)
            )
        else:
            set_state(self.status, "")
        self.status.setText(size)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.preview is not None


class WritePage(_Page):
    """The file name and Next to write it (the progress dialog has Cancel)."""

    def __init__(self) -> None:
        super().__init__()
        self.file = QLabel(self)
        self.file.setWordWrap(True)
        self.working = muted(self)
        self.layout_.addWidget(self.file)
        self.layout_.addWidget(self.working)
        self.working.hide()
        self.path: Path | None = None
        self.on_next: Callable[[], bool] = lambda: True
        """Set by the wizard: starts the writing and says whether to move on yet."""
        self.finish_layout()

    def validatePage(self) -> bool:
        return self.on_next()

    def retranslate(self) -> None:
        self.set_texts(
            _("Write the file"),
            _(
                "The file is written when you choose “Write the file”. It takes a moment for a "
                "large database."
            ),
        )
        if self.path is not None:
            self.set_path(self.path)
        self.working.setText(_("Writing the file…"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Write the file"))

    def set_path(self, path: Path) -> None:
        self.path = path
        self.file.setText(
            _("File: {name}\nFolder: {folder}").format(name=path.name, folder=path.parent)
        )


class DonePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.written = QLabel(self)
        self.written.setWordWrap(True)
        self.instructions = QLabel(self)
        self.instructions.setWordWrap(True)
        bold(self.instructions)
        self.layout_.addWidget(self.written)
        self.layout_.addWidget(self.instructions)
        self.path: Path | None = None
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(_("The file is ready"), _("Now set up the laptop."))
        self.instructions.setText(_(LAPTOP_INSTRUCTIONS))
        if self.path is not None:
            self.show_written(self.path)

    def show_written(self, path: Path) -> None:
        self.path = path
        try:
            size = i18n.format_size(path.stat().st_size)
        except OSError:
            size = "—"
        self.written.setText(
            _("{name} ({size}) was written in {folder}.").format(
                name=path.name, size=size, folder=path.parent
            )
        )


class PrepareWizard(ExchangeWizard):
    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(signed_in, runner, paths, settings, parent)
        self.written: Path | None = None
        self.folder_page = NamePage(default_folder(settings))
        self.travel_page = TravelPage()
        self.write_page = WritePage()
        self.done_page = DonePage()
        for page in (self.folder_page, self.travel_page, self.write_page, self.done_page):
            self.addPage(page)
        self.write_page.on_next = self._write
        self.currentIdChanged.connect(self._entered)
        self.start()

    def title(self) -> str:
        return _("Prepare a field laptop")

    def target(self) -> Path:
        folder = self.folder_page.folder.folder() or Path.cwd()
        return folder / bundle_name("full", self.folder_page.name.text())

    def _entered(self, page_id: int) -> None:
        page = self.page(page_id)
        if page is self.travel_page and self.travel_page.preview is None:
            folder = self.folder_page.folder.folder()
            if folder is not None:
                self.remember_folder(folder)
            signed_in = self._signed_in

            def read() -> tuple[TravelPreview, int | None]:
                return read_full_preview(signed_in), free_space(folder) if folder else None

            self._runner.run(
                read,
                lambda result: self.travel_page.show_preview(*result),
                self._preview_failed,
                context=self,
            )
        elif page is self.write_page:
            self.write_page.set_path(self.target())
        elif page is self.done_page and self.written is not None:
            self.done_page.show_written(self.written)

    def _preview_failed(self, failure: TaskFailure) -> None:
        self.travel_page.show_problem(failure.message)

    def _write(self) -> bool:
        """Next on the write page: write in the background, then move on by itself."""
        if self.written is not None:
            return True
        if self._busy:
            return False
        path = self.target()
        if path.exists():
            self.write_page.show_problem(
                _("A file named {name} is already there.").format(name=path.name)
            )
            return False
        self.write_page.message.clear_message()
        self._set_busy(True)
        self._runner.run(
            write_full(self._signed_in, path),
            lambda _result: self._written(path),
            self._failed,
            on_cancel=self._cancelled,
            context=self,
            writes=True,
            progress_parent=self,
            progress_title=_("Writing the file for the laptop…"),
        )
        return False

    def _written(self, path: Path) -> None:
        self._set_busy(False)
        self.written = path
        self.next()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.write_page.show_problem(failure.message)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self.write_page.message.show_info(_("Writing was stopped. No file was written."))

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        self.write_page.working.setVisible(busy)
