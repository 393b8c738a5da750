"""First-run wizard: language, organisation, administrator, file location, recovery key.

Nothing is written to disk until Finish. Then the request is checked by the setup service,
the database is created on a worker thread (Argon2 takes a moment) with the recovery key that
was shown, and the new administrator is signed in.

A field laptop takes the other path from the first page (issue 10): the file the office
prepared, where to keep the database, a name for the laptop and the person's usual sign-in.
Finish makes the copy from the file (``sync.setup_copy.create_copy``) and signs in.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget, QWizard, QWizardPage

from cope_desktop.db import keys
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths, resource_path
from cope_desktop.progress import Progress
from cope_desktop.services.setup import NewDatabase, create_database, validate
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn, open_signed_in
from cope_desktop.ui.sync.common import laptop_name_from
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyGuard, set_state
from cope_desktop.ui.wizard_buttons import enable_buttons, translate_buttons
from cope_desktop.ui.wizard_pages import (
    AdministratorPage,
    BundleFilePage,
    LanguagePage,
    LaptopPage,
    LocationPage,
    OrganisationPage,
    RecoveryKeyPage,
)


class StepList(QFrame):
    """The wizard's steps down the left side, the current one highlighted."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wizardSteps")
        self.labels = [QLabel(self) for _step in range(count)]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 16, 10, 16)
        layout.setSpacing(4)
        for step in self.labels:
            step.setWordWrap(True)
            layout.addWidget(step)
        layout.addStretch(1)
        self.setFixedWidth(200)

    def set_titles(self, titles: tuple[str, ...]) -> None:
        """Number the steps; a path with fewer steps hides the labels left over."""
        for number, step in enumerate(self.labels, 1):
            step.setVisible(number <= len(titles))
            if number <= len(titles):
                step.setText(f"{number}.  {titles[number - 1]}")

    def set_current(self, current: int) -> None:
        for number, step in enumerate(self.labels):
            set_state(step, "current" if number == current else "done" if number < current else "")


class SetupWizard(BusyGuard, QWizard):
    """Emits ``created(SignedIn)`` once the database exists and its administrator is in."""

    created = Signal(object)

    def __init__(self, paths: AppPaths, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._paths = paths
        self._runner = runner
        self._busy = False
        self.recovery_key = keys.new_recovery_key()
        self.language_page = LanguagePage()
        self.organisation_page = OrganisationPage()
        self.administrator_page = AdministratorPage()
        self.location_page = LocationPage(paths.default_db)
        self.recovery_page = RecoveryKeyPage(self.recovery_key, self._key_details)
        self.bundle_page = BundleFilePage()
        self.laptop_location_page = LocationPage(paths.default_db)
        self.laptop_page = LaptopPage()
        for page in (
            self.language_page,
            self.organisation_page,
            self.administrator_page,
            self.location_page,
            self.recovery_page,
            self.bundle_page,
            self.laptop_location_page,
            self.laptop_page,
        ):
            self.addPage(page)
        # Classic style: the pages carry their own headings, the steps are listed on the side.
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
        self.steps = StepList(len(self.new_database_path()))
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self._show_step)
        self.language_page.network.clicked.connect(self.open_network)
        self.language_page.from_bundle.toggled.connect(self._path_changed)
        self.bundle_page.on_next = self._read_bundle
        self.setMinimumSize(780, 520)
        self.resize(900, 580)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set up COPE Desktop"))
        titles: tuple[str, ...]
        if self.from_bundle:
            titles = (
                _("Language"),
                _("File from the office"),
                _("Database file"),
                _("This laptop"),
            )
        else:
            titles = (
                _("Language"),
                _("Organisation"),
                _("Administrator"),
                _("Database file"),
                _("Recovery key"),
            )
        self.steps.set_titles(titles)
        translate_buttons(self)

    def open_network(self) -> None:
        """The secretariat's Network window: no database is needed to merge returns."""
        from cope_desktop.ui.network import open_network_window

        open_network_window(self._runner)

    # --- the two paths: a new database, or a field laptop from a bundle ----------------------

    @property
    def from_bundle(self) -> bool:
        """Whether the person chose "Set up from a field-laptop bundle"."""
        return self.language_page.from_bundle.isChecked()

    def new_database_path(self) -> list[QWizardPage]:
        return [
            self.language_page,
            self.organisation_page,
            self.administrator_page,
            self.location_page,
            self.recovery_page,
        ]

    def laptop_path(self) -> list[QWizardPage]:
        return [self.language_page, self.bundle_page, self.laptop_location_page, self.laptop_page]

    def current_path(self) -> list[QWizardPage]:
        return self.laptop_path() if self.from_bundle else self.new_database_path()

    def nextId(self) -> int:
        pages = self.current_path()
        current = self.currentPage()
        if current not in pages:
            return -1
        position = pages.index(current)
        if position + 1 >= len(pages):
            return -1
        following = pages[position + 1]
        return next(page_id for page_id in self.pageIds() if self.page(page_id) is following)

    def _read_bundle(self) -> bool:
        """Next on the file page: read the file's header in the background, then move on."""
        if self._busy:
            return False
        from cope_desktop.sync.bundle import read_header

        path = self.bundle_page.chosen_path()
        self._set_reading(True)
        self._runner.run(
            lambda: read_header(path),
            self._bundle_read,
            self._bundle_unreadable,
            context=self,
        )
        return False

    def _bundle_read(self, header: object) -> None:
        self._set_reading(False)
        problem = self.bundle_page.take_header(header)
        if problem:
            self.bundle_page.show_problem(problem)
        else:
            self.next()

    def _bundle_unreadable(self, failure: TaskFailure) -> None:
        self._set_reading(False)
        self.bundle_page.show_problem(failure.message)

    def _set_reading(self, reading: bool) -> None:
        self._busy = reading
        self.bundle_page.set_busy(reading)
        enable_buttons(
            self,
            not reading,
            (
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.CancelButton,
            ),
        )

    def _path_changed(self) -> None:
        self.retranslate()
        self._show_step(self.currentId())

    def _show_step(self, page_id: int) -> None:
        pages = self.current_path()
        page = self.page(page_id)
        self.steps.set_current(pages.index(page) if page in pages else -1)
        if page is self.laptop_page and not self.laptop_page.name.text():
            self.laptop_page.name.setText(laptop_name_from(self.bundle_page.chosen_path()))

    def request(self) -> NewDatabase:
        """Return what was typed, as the setup service's request."""
        admin = self.administrator_page
        return NewDatabase(
            path=self.location_page.chosen_path(),
            organisation_name=self.organisation_page.name.text(),
            country=self.organisation_page.country.code() or "",
            admin_username=admin.username.text(),
            admin_password=admin.passwords.value(),
            admin_display_name=admin.display_name.text(),
        )

    def _key_details(self) -> tuple[str, Path]:
        return self.organisation_page.name.text().strip(), self.location_page.chosen_path()

    # --- Finish ------------------------------------------------------------------------------

    def accept(self) -> None:
        """Finish: check, then create the database off the GUI thread; close when signed in."""
        if self._busy:
            return
        if self.from_bundle:
            self._create_from_bundle()
            return
        try:
            request = validate(self.request())
        except UserInputError as error:
            self._show_problem(error.message)
            return
        self._set_creating(True)
        paths, key = self._paths, self.recovery_key

        def create() -> SignedIn:
            create_database(request, recovery_key=key)
            return open_signed_in(
                request.path, request.admin_username, request.admin_password, paths.backup_dir
            )

        self._runner.run(create, self._created, self._failed, context=self, writes=True)

    def _created(self, signed_in: SignedIn) -> None:
        self._set_creating(False)
        self.created.emit(signed_in)
        super().accept()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_creating(False)
        if isinstance(failure.error, UserInputError):
            self._show_problem(failure.message)
        else:
            self.recovery_page.show_problem(failure.message)

    def _show_problem(self, message: str) -> None:
        """Go back to the first page whose fields are wrong and show the message there."""
        for page in (self.organisation_page, self.administrator_page, self.location_page):
            problem = page.problem()
            if problem:
                while self.currentPage() is not page and self.currentId() != self.startId():
                    self.back()
                page.show_problem(problem)
                return
        self.recovery_page.show_problem(message)

    def _create_from_bundle(self) -> None:
        """A field laptop: the copy is made from the office's file, then its user signs in."""
        from cope_desktop.services.setup import check_new_location

        page = self.laptop_page
        problem = page.problem()
        if problem is None:
            try:
                check_new_location(self.laptop_location_page.chosen_path())
            except UserInputError as error:
                while self.currentPage() is not self.laptop_location_page:
                    self.back()
                self.laptop_location_page.show_problem(error.message)
                return
        if problem:
            page.show_problem(problem)
            return
        bundle = self.bundle_page.chosen_path()
        db_path = self.laptop_location_page.chosen_path()
        username, password = page.username.text().strip(), page.password.text()
        name = page.name.text().strip()
        backup_dir = self._paths.backup_dir

        def create() -> Generator[Progress, None, SignedIn]:
            from cope_desktop.sync.setup_copy import create_copy

            yield from create_copy(bundle, db_path, username, password, name)
            return open_signed_in(db_path, username, password, backup_dir)

        self._set_creating(True)
        self._runner.run(
            create(),
            self._created,
            self._laptop_failed,
            on_cancel=lambda: self._set_creating(False),
            context=self,
            writes=True,
            progress_parent=self,
            progress_title=_("Setting up the laptop…"),
        )

    def _laptop_failed(self, failure: TaskFailure) -> None:
        self._set_creating(False)
        self.laptop_page.show_problem(failure.message)

    def _set_creating(self, creating: bool) -> None:
        self._busy = creating
        self.laptop_page.set_busy(creating)
        self.recovery_page.set_busy(creating)
        enable_buttons(self, not creating)

    @property
    def creating(self) -> bool:
        return self._busy

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().keyPressEvent(event)
