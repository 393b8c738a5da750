"""The main window: navigation on the left, one page at a time, a status bar and two menus.

Kept small on purpose: each page lives in its own module under ``ui.pages`` and reads its own
figures; this class only lays them out and switches between them.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import N_, _
from cope_desktop.labels import label
from cope_desktop.paths import AppPaths, resource_path
from cope_desktop.services.database_info import cipher_version
from cope_desktop.services.permissions import Permission, can
from cope_desktop.settings import Settings
from cope_desktop.ui.about import AboutDialog
from cope_desktop.ui.backup_scheduler import BackupScheduler
from cope_desktop.ui.desktop import open_folder
from cope_desktop.ui.idle_lock import IdleLock
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.pages.families import FamiliesPage
from cope_desktop.ui.pages.home import HomePage
from cope_desktop.ui.pages.prisons import PrisonsPage
from cope_desktop.ui.pages.settings_page import SettingsPage
from cope_desktop.ui.privacy.page import PrivacyPage, page_visible
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.page import SyncPage
from cope_desktop.ui.tasks import TaskFailure, TaskRunner

if TYPE_CHECKING:
    from cope_desktop.ui.pages.reports import ReportsPage

log = logging.getLogger(__name__)

HOME, FAMILIES, ACTIVITIES, PRISONS, REPORTS, SYNC, PRIVACY, SETTINGS = range(8)
NAV_ICONS = (
    "nav-home",
    "nav-families",
    "nav-activities",
    "nav-prisons",
    "nav-reports",
    "nav-sync",
    "nav-privacy",
    "nav-settings",
)
NAV_TITLES = (
    N_("Home"),
    N_("Families"),
    N_("Activities"),
    N_("Prisons"),
    N_("Reports"),
    N_("Field laptops"),
    N_("Privacy & safety"),
    N_("Settings"),
)
MINIMUM_SIZE = QSize(960, 600)
NAV_WIDTH = (200, 260)
"""The navigation's width: at least the first, wider for longer titles up to the second."""
PREFERRED_SIZE = QSize(1280, 760)


def icon(name: str) -> QIcon:
    return QIcon(str(resource_path("icons", f"{name}.svg")))


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        signed_in: SignedIn,
        paths: AppPaths,
        settings: Settings,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._paths = paths
        self._settings = settings
        self._runner = runner
        self._activities_built = False
        self._reports_page: ReportsPage | None = None
        # The Activities page is built when first shown (start-up time, TARGETS.md P1).
        self._activities_placeholder = QWidget(self)
        self._reports_placeholder = QWidget(self)  # likewise the Reports page
        self.sync_page = SyncPage(signed_in, runner, paths, settings)
        self.privacy_page = PrivacyPage(signed_in, runner, paths)  # tabs made when shown
        # The automatic lock of this signed-in session: it ends when this window closes.
        self.idle_lock = IdleLock(signed_in, runner, self)
        self.settings_page = SettingsPage(signed_in, runner, paths, settings)
        self.settings_page.lock_minutes_changed.connect(self.idle_lock.set_minutes)
        db = signed_in.db
        self.setWindowIcon(icon("app"))
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(22, 22))
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.navigation.setFixedWidth(NAV_WIDTH[0])
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("pages")
        self.home_page = HomePage(signed_in, runner)
        self.home_page.prepare_return.connect(self.prepare_return)
        # Built now but reads its list only when first shown (start-up time, P1).
        self.families_page = FamiliesPage(db, runner)
        self.families_page.open_family.connect(self.open_family)
        self.families_page.new_family.connect(self.new_family)
        for page in (
            self.home_page,
            self.families_page,
            self._activities_placeholder,
            PrisonsPage(db, runner, user=signed_in.user),
            self._reports_placeholder,
            self.sync_page,
            self.privacy_page,
            self.settings_page,
        ):
            self.pages.addWidget(page)
        for name in NAV_ICONS:
            self.navigation.addItem(QListWidgetItem(icon(name), ""))
        self.navigation.setRowHidden(PRIVACY, not page_visible(signed_in))
        self.navigation.setRowHidden(SYNC, not can(signed_in.user, Permission.SYNC_EXCHANGE))
        self.sync_page.exchanged.connect(self.families_page.refresh)
        self.sync_page.exchanged.connect(self.home_page.refresh)
        self.navigation.currentRowChanged.connect(self._switch_page)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._make_actions()
        self._make_status_bar()
        self.setMinimumSize(MINIMUM_SIZE)
        self._restore_geometry()
        self.navigation.setCurrentRow(HOME)
        self.retranslate()
        follow_language(self.retranslate)
        self.idle_lock.start()
        # Scheduled backups of this session: first check after a short while, then every 30 min.
        self.backup_scheduler = BackupScheduler(signed_in, runner, paths, self)
        self.backup_scheduler.start()

    # --- construction ------------------------------------------------------------------------

    def _make_actions(self) -> None:
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.log_folder_action = QAction(self)
        self.log_folder_action.triggered.connect(self._open_log_folder)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self._import_records)
        self.import_action.setVisible(can(self._signed_in.user, Permission.IMPORT_RECORDS))
        self.export_action = QAction(self)
        self.export_action.triggered.connect(self._export_records)
        self.export_action.setVisible(can(self._signed_in.user, Permission.EXPORT_RECORDS))
        self.network_action = QAction(self)
        self.network_action.triggered.connect(self._open_network)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # any window
        self.lock_action.triggered.connect(self.idle_lock.lock_now)
        self.page_actions: list[QAction] = []
        for number in range(len(NAV_ICONS)):
            action = QAction(icon(NAV_ICONS[number]), "", self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _checked=False, n=number: self.show_page(n))
            self.page_actions.append(action)
        menu_bar = self.menuBar()
        self.file_menu = menu_bar.addMenu("")
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.network_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.quit_action)
        self.view_menu = menu_bar.addMenu("")
        self.page_actions[PRIVACY].setVisible(page_visible(self._signed_in))
        self.page_actions[SYNC].setVisible(can(self._signed_in.user, Permission.SYNC_EXCHANGE))
        self.view_menu.addActions(self.page_actions)
        self.help_menu = menu_bar.addMenu("")
        self.help_menu.addAction(self.about_action)
        self.help_menu.addAction(self.log_folder_action)

    def _make_status_bar(self) -> None:
        self.organisation_status = QLabel(self)
        self.user_status = QLabel(self)
        self.database_status = QLabel(self)
        self.database_status.setToolTip(str(self._signed_in.db.path))
        status = self.statusBar()
        status.setSizeGripEnabled(True)
        status.addWidget(self.organisation_status, 1)
        status.addPermanentWidget(self.user_status)
        status.addPermanentWidget(self.database_status)

    def _fit_navigation(self) -> None:
        """Widen the navigation to its longest title in this language (elided past the limit)."""
        nav = self.navigation
        needed = nav.sizeHintForColumn(0) + 2 * nav.frameWidth() + 8
        nav.setFixedWidth(max(NAV_WIDTH[0], min(NAV_WIDTH[1], needed)))

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("{organisation} – COPE Desktop").format(
                organisation=self._signed_in.organisation.name
            )
        )
        for row, title in enumerate(NAV_TITLES):
            item = self.navigation.item(row)
            if item is not None:
                item.setText(_(title))
                item.setToolTip(_(title))
            self.page_actions[row].setText(_(title))
        self._fit_navigation()
        self.file_menu.setTitle(_("&File"))
        self.view_menu.setTitle(_("&View"))
        self.help_menu.setTitle(_("&Help"))
        self.quit_action.setText(_("&Quit"))
        self.lock_action.setText(_("&Lock"))
        self.about_action.setText(_("&About COPE Desktop…"))
        self.import_action.setText(_("&Import records…"))
        self.export_action.setText(_("&Export every record…"))
        self.log_folder_action.setText(_("Open the &log folder"))
        self.network_action.setText(_("&Network merge (secretariat)…"))
        organisation, user = self._signed_in.organisation, self._signed_in.user
        self.organisation_status.setText(
            _("{organisation} · {country}").format(
                organisation=organisation.name, country=i18n.country_name(organisation.country)
            )
        )
        self.user_status.setText(
            _("Signed in as {name} ({role})").format(
                name=user.display_name or user.username, role=label(user.role)
            )
        )
        self.database_status.setText(
            _("Database: {name}").format(name=self._signed_in.db.path.name)
        )

    # --- behaviour ---------------------------------------------------------------------------

    def _switch_page(self, number: int) -> None:
        if number == ACTIVITIES and not self._activities_built:
            self._build_activities_page()
        if number == REPORTS:
            self._build_reports_page()
        self.pages.setCurrentIndex(number)

    def _build_activities_page(self) -> None:
        """Replace the placeholder with the real page the first time it is wanted."""
        from cope_desktop.ui.pages.activities import ActivitiesPage

        page = ActivitiesPage(self._signed_in.db, self._runner, signed_in=self._signed_in)
        self.pages.insertWidget(ACTIVITIES, page)
        self.pages.removeWidget(self._activities_placeholder)
        self._activities_placeholder.deleteLater()
        self._activities_built = True

    def _build_reports_page(self) -> ReportsPage:
        if self._reports_page is None:
            from cope_desktop.ui.pages.reports import ReportsPage

            page = ReportsPage(self._signed_in, self._runner)
            self.pages.insertWidget(REPORTS, page)
            self.pages.removeWidget(self._reports_placeholder)
            self._reports_placeholder.deleteLater()
            self._reports_page = page
        return self._reports_page

    @property
    def reports_page(self) -> ReportsPage:
        """The Reports page (made now if it was not shown yet)."""
        return self._build_reports_page()

    def show_page(self, number: int) -> None:
        self.navigation.setCurrentRow(number)

    def current_page(self) -> int:
        return self.pages.currentIndex()

    def prepare_return(self, year: int) -> None:
        """Show Reports with the network return of ``year`` being prepared (from Home)."""
        self.show_page(REPORTS)
        self.reports_page.prepare_year(year)

    def open_family(self, family_id: object) -> None:
        """Open the family's own window (the list refreshes after each save there)."""
        from cope_desktop.ui.record.family_window import open_family_window  # start-up time

        open_family_window(
            self._signed_in,
            self._runner,
            cast(uuid.UUID, family_id),
            parent=self,
            on_changed=lambda _id: self.families_page.refresh(),
        )

    def new_family(self) -> None:
        from cope_desktop.ui.record.new_family import NewFamilyDialog  # start-up time (P1)

        dialog = NewFamilyDialog(self._signed_in, self._runner, self)
        dialog.created.connect(self._family_created)
        dialog.open()

    def _family_created(self, family_id: object) -> None:
        self.families_page.refresh()
        self.open_family(family_id)

    def show_about(self) -> None:
        db = self._signed_in.db

        def read_version() -> str:
            with db.session() as session:
                return cipher_version(session)

        def show(version: str) -> None:
            AboutDialog(self._paths, db.path, version, self).open()

        def without_version(failure: TaskFailure) -> None:
            show("")

        self._runner.run(read_version, show, without_version, context=self)

    def _export_records(self) -> None:
        from cope_desktop.ui.records_export import export_all_records  # start-up time (P1)

        export_all_records(self, self._signed_in, self._runner)

    def _import_records(self) -> None:
        from cope_desktop.ui.import_wizard import open_import_wizard  # start-up time (P1)

        wizard = open_import_wizard(
            self, self._signed_in, self._runner, self._settings, self._paths.settings_file
        )
        wizard.imported.connect(self.families_page.refresh)
        wizard.imported.connect(self.home_page.refresh)

    def _open_network(self) -> None:
        from cope_desktop.ui.network import open_network_window  # start-up time (P1)

        open_network_window(self._runner)

    def _open_log_folder(self) -> None:
        if not open_folder(self._paths.log_dir):
            QMessageBox.information(
                self,
                _("Open the log folder"),
                _("The log folder is {path}.").format(path=self._paths.log_dir),
            )

    def _restore_geometry(self) -> None:
        saved = self._settings.window_geometry
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            return
        screen = self.screen().availableGeometry()
        size = PREFERRED_SIZE.boundedTo(screen.size())
        self.resize(size.expandedTo(MINIMUM_SIZE))
        frame = self.frameGeometry()
        frame.moveCenter(screen.center())
        self.move(frame.topLeft())

    def save_geometry(self) -> None:
        self._settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode(
            "ascii"
        )
        self._settings.save_or_warn(self._paths.settings_file)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if not event.spontaneous():  # closed, or replaced by the sign-in dialog; not minimised
            self.idle_lock.stop()
            self.backup_scheduler.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        from cope_desktop.ui.record.family_window import close_family_windows

        if not close_family_windows():
            event.ignore()
            return
        self.idle_lock.stop()
        self.backup_scheduler.stop()
        self.save_geometry()
        super().closeEvent(event)
        self.closed.emit()
