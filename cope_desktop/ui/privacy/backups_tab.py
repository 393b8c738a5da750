"""Backups: where and how often, how many are kept, back up now, verify and restore (R10).

Everything that reads a folder or the database runs in the background: the folder may be a
USB stick or a network drive, and verifying a large backup takes seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.errors import WrongCredentialsError
from cope_desktop.i18n import N_, _
from cope_desktop.paths import AppPaths
from cope_desktop.services.app_settings import (
    KEEP_RANGE,
    BackupSchedule,
    PrivacySettings,
    read_settings,
    save_settings,
)
from cope_desktop.services.backups import (
    BackupInfo,
    BackupKind,
    PreparedRestore,
    backup_folder,
    check_backup,
    discard_restore,
    list_backups,
    make_backup,
    prepare_restore,
)
from cope_desktop.ui.backup_restore import (
    ask_password,
    restore_handler,
    wrong_backup_password,
)
from cope_desktop.ui.desktop import open_folder
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import ElidedPathLabel, InlineMessage, form_layout, link_button

KIND_LABELS: dict[str, str] = {
    BackupKind.MANUAL: N_("On request"),
    BackupKind.SCHEDULED: N_("Scheduled"),
    BackupKind.BEFORE_MIGRATION: N_("Before an update"),
}
SCHEDULES = (
    (BackupSchedule.DAILY, N_("Every day")),
    (BackupSchedule.WEEKLY, N_("Every week")),
    (BackupSchedule.OFF, N_("Never (no scheduled backups)")),
)
LIST_MIN_ROWS = 3
"""The list of backups always shows this many rows; below that the tab scrolls."""
TRANSPARENT_SCROLL = "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
COLUMNS = (N_("Made"), N_("Kind"), N_("Size"), N_("Check"))
SIZE_COLUMN = COLUMNS.index(N_("Size"))
CHECK_COLUMN = COLUMNS.index(N_("Check"))
"""The last column, the check's result or first problem, takes the width left over."""


class Tab(QWidget):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._settings = PrivacySettings()
        self._chosen_folder: str | None = None
        self._backups: list[BackupInfo] = []
        self._checked: dict[Path, tuple[dt.datetime, list[str]]] = {}
        self._busy = False
        self._settings_read = False
        """Until the settings are read, the folder to list is not known."""
        self._build()
        self.retranslate()
        follow_language(self.retranslate)
        self.reload()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.settings_group = QGroupBox(self)
        self.folder_label = QLabel(self)
        self.folder = ElidedPathLabel(self)
        self.choose_folder = QPushButton(self)
        self.default_folder = link_button(self)
        self.schedule_label = QLabel(self)
        self.schedule = QComboBox(self)
        self.schedule.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.keep_label = QLabel(self)
        self.keep_daily, self.keep_weekly, self.keep_monthly = (QSpinBox(self) for _i in range(3))
        self.keep_texts = [QLabel(self) for _i in range(3)]
        for spin in (self.keep_daily, self.keep_weekly, self.keep_monthly):
            spin.setRange(*KEEP_RANGE)
        self.save_button = QPushButton(self)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder)
        folder_row.addWidget(self.default_folder)
        keep_row = QHBoxLayout()
        for spin, text in zip(
            (self.keep_daily, self.keep_weekly, self.keep_monthly), self.keep_texts, strict=True
        ):
            keep_row.addWidget(spin)
            keep_row.addWidget(text)
            keep_row.addSpacing(10)
        keep_row.addStretch(1)
        form = form_layout(self.settings_group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.folder_label, folder_row)
        schedule_row = QHBoxLayout()
        schedule_row.addWidget(self.schedule)
        schedule_row.addStretch(1)
        schedule_row.addWidget(self.save_button)  # not a row of its own: the list needs room
        form.addRow(self.schedule_label, schedule_row)
        form.addRow(self.keep_label, keep_row)

        self.list_group = QGroupBox(self)
        self.back_up_now = QPushButton(self)
        self.verify_button = QPushButton(self)
        self.restore_button = QPushButton(self)
        self.open_folder_button = link_button(self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(CHECK_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CHECK_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_now)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder_button)
        list_layout = QVBoxLayout(self.list_group)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty)

        self.message = InlineMessage(self)
        # At 640 px high the list would shrink to half a row under a long message: it keeps
        # room for a few backups and the tab scrolls instead.
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height()
            + LIST_MIN_ROWS * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 12, 0, 0)
        body_layout.setSpacing(12)
        body_layout.addWidget(self.intro)
        body_layout.addWidget(self.settings_group)
        body_layout.addWidget(self.message)
        body_layout.addWidget(self.list_group, 1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setStyleSheet(TRANSPARENT_SCROLL)
        self.scroll_area.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        self.choose_folder.clicked.connect(self._choose_folder)
        self.default_folder.clicked.connect(self._use_default_folder)
        self.save_button.clicked.connect(self.save)
        self.back_up_now.clicked.connect(self.make_backup_now)
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.table.itemSelectionChanged.connect(self._update_buttons)

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "A backup is an encrypted copy of the whole database with its key file. It opens "
                "with the passwords and the recovery key of the day it was made. Keep backups "
                "away from this computer: on a USB stick or a network drive."
            )
        )
        self.settings_group.setTitle(_("Where and when"))
        self.folder_label.setText(_("Folder:"))
        self.choose_folder.setText(_("Choose…"))
        self.default_folder.setText(_("Use the usual folder"))
        self.schedule_label.setText(_("Back up:"))
        current = self.schedule.currentData()
        self.schedule.clear()
        for value, title in SCHEDULES:
            self.schedule.addItem(_(title), value)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(current)))
        self.keep_label.setText(_("Keep:"))
        for label, text in zip(
            self.keep_texts, (_("daily"), _("weekly"), _("monthly")), strict=True
        ):
            label.setText(text)
        self.save_button.setText(_("Save these settings"))
        self.list_group.setTitle(_("Backups in the folder"))
        self.back_up_now.setText(_("Back up now"))
        self.verify_button.setText(_("Verify"))
        self.restore_button.setText(_("Restore…"))
        self.open_folder_button.setText(_("Open folder"))
        self.table.setHorizontalHeaderLabels([_(title) for title in COLUMNS])
        self.empty.setText(_("There are no backups in this folder yet."))
        self._fill_table()

    # --- reading ------------------------------------------------------------------------------

    def folder_path(self) -> Path:
        return backup_folder(
            dataclasses.replace(self._settings, backup_folder=self._chosen_folder),
            self._paths.backup_dir,
        )

    def reload(self) -> None:
        """Read the settings and the list of backups in the background."""
        db, default = self._signed_in.db, self._paths.backup_dir

        def read() -> tuple[PrivacySettings, list[BackupInfo]]:
            with db.session() as session:
                settings = read_settings(session)
            return settings, self._read_backups(backup_folder(settings, default), default)

        self._runner.run(read, self._loaded, self._failed, context=self)

    def showEvent(self, event: QShowEvent) -> None:
        """Each time the tab is shown the list is read again: a scheduled backup may be new."""
        super().showEvent(event)
        if not self._busy and self._settings_read:  # else ``reload`` is reading the list
            self.refresh_list()

    def refresh_list(self) -> None:
        """Read the list of backups again, leaving the settings being edited as they are."""
        folder, default = self.folder_path(), self._paths.backup_dir

        def read() -> list[BackupInfo]:
            return self._read_backups(folder, default)

        self._runner.run(read, self._list_loaded, self._failed, context=self)

    def _list_loaded(self, backups: list[BackupInfo]) -> None:
        self._backups = backups
        self._fill_table()

    def _read_backups(self, folder: Path, default: Path) -> list[BackupInfo]:
        """The backups of this database in the chosen folder (and those made before updates)."""
        found = list_backups(folder)
        if folder != default:
            found += [b for b in list_backups(default) if b.kind == BackupKind.BEFORE_MIGRATION]
        stem = self._signed_in.db.path.stem
        mine = [b for b in found if b.database == stem]
        return sorted(mine, key=lambda b: b.created, reverse=True)

    def _loaded(self, result: tuple[PrivacySettings, list[BackupInfo]]) -> None:
        self._settings, self._backups = result
        self._settings_read = True
        self._chosen_folder = self._settings.backup_folder
        self._show_settings()
        self._fill_table()

    def _show_settings(self) -> None:
        self.folder.set_path(self.folder_path())
        self.schedule.setCurrentIndex(
            max(0, self.schedule.findData(self._settings.backup_schedule))
        )
        self.keep_daily.setValue(self._settings.keep_daily)
        self.keep_weekly.setValue(self._settings.keep_weekly)
        self.keep_monthly.setValue(self._settings.keep_monthly)

    def _fill_table(self) -> None:
        selected = self.selected()
        self.table.setRowCount(len(self._backups))
        for row, info in enumerate(self._backups):
            kind = KIND_LABELS.get(info.kind)
            cells = (
                i18n.format_local_datetime(info.created),
                _(kind) if kind else info.kind,
                i18n.format_size(info.size),
                self.status_text(info),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(info.path) if column == 0 else text)
                if column == SIZE_COLUMN:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            if selected is not None and info.path == selected.path:
                self.table.selectRow(row)
        self.table.setVisible(bool(self._backups))
        self.empty.setVisible(not self._backups)
        self._update_buttons()

    def status_text(self, info: BackupInfo) -> str:
        """Verified (when), or the first problem found."""
        checked = self._checked.get(info.path)
        if checked is not None:
            when, problems = checked
            if problems:
                return problems[0]
            return _("Verified {time}").format(time=i18n.format_local_datetime(when))
        if info.problems:
            return info.problems[0]
        if info.verified_at is not None:
            return _("Verified {time}").format(time=i18n.format_local_datetime(info.verified_at))
        return _("Not verified yet")

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._backups):
            return None
        return self._backups[rows[0].row()]

    def _update_buttons(self) -> None:
        has = self.selected() is not None and not self._busy
        self.verify_button.setEnabled(has)
        self.restore_button.setEnabled(has)
        for widget in (self.back_up_now, self.save_button, self.choose_folder):
            widget.setEnabled(not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.message.show_error(failure.message)

    # --- settings -----------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Choose the backup folder"), str(self.folder_path())
        )
        if chosen:
            self._chosen_folder = chosen
            self.folder.set_path(Path(chosen))
            self.message.show_info(_("Save the settings to use this folder."))

    def _use_default_folder(self) -> None:
        self._chosen_folder = None
        self.folder.set_path(self._paths.backup_dir)
        self.message.show_info(_("Save the settings to use this folder."))

    def settings_from_form(self) -> PrivacySettings:
        return dataclasses.replace(
            self._settings,
            backup_folder=self._chosen_folder,
            backup_schedule=BackupSchedule(self.schedule.currentData()),
            keep_daily=self.keep_daily.value(),
            keep_weekly=self.keep_weekly.value(),
            keep_monthly=self.keep_monthly.value(),
        )

    def save(self) -> None:
        db, user = self._signed_in.db, self._signed_in.user
        wanted = self.settings_from_form()

        def store() -> PrivacySettings:
            with db.session() as session:
                save_settings(session, user, wanted)
            return wanted

        self._set_busy(True)
        self._runner.run(store, self._saved, self._failed, context=self, writes=True)

    def _saved(self, settings: PrivacySettings) -> None:
        self._set_busy(False)
        self._settings = settings
        self.message.show_info(_("The backup settings are saved."))
        self.reload()

    # --- backing up and verifying -------------------------------------------------------------

    def make_backup_now(self) -> None:
        db, user, folder = self._signed_in.db, self._signed_in.user, self.folder_path()
        self.message.clear_message()
        self._set_busy(True)
        self._runner.run(
            lambda: make_backup(db, user, folder),
            self._made,
            self._failed,
            on_cancel=self._stopped,
            context=self,
            writes=True,
            progress_parent=self.window(),
            progress_title=_("Backing up…"),
        )

    def _made(self, info: BackupInfo) -> None:
        self._set_busy(False)
        self.message.show_info(
            _("Backed up and verified: {name} ({records} records).").format(
                name=info.path.name, records=i18n.format_number(info.total_records)
            )
        )
        self.reload()

    def _stopped(self) -> None:
        self._set_busy(False)
        self.message.show_info(_("The backup was stopped. Nothing was written."))

    def verify_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        db, user = self._signed_in.db, self._signed_in.user
        self._set_busy(True)
        self._runner.run(
            lambda: check_backup(db, user, info.path),
            lambda problems: self._verified(info, problems),
            self._failed,
            on_cancel=lambda: self._set_busy(False),
            context=self,
            writes=True,
            progress_parent=self.window(),
            progress_title=_("Verifying {name}…").format(name=info.path.name),
        )

    def _verified(self, info: BackupInfo, problems: list[str]) -> None:
        self._set_busy(False)
        self._checked[info.path] = (dt.datetime.now(dt.UTC), problems)
        if problems:
            self.message.show_error(
                _("The backup {name} cannot be used: {problem}").format(
                    name=info.path.name, problem=problems[0]
                )
            )
        else:
            self.message.show_info(
                _("The backup {name} is whole: it can be restored.").format(name=info.path.name)
            )
        self._fill_table()

    def _open_folder(self) -> None:
        folder = self.folder_path()
        if not open_folder(folder):
            self.message.show_info(_("The backups are in {folder}.").format(folder=folder))

    # --- restoring ----------------------------------------------------------------------------

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        user = self._signed_in.user
        password = ask_password(self, user.username, info.path.name)
        if password is None:
            return
        db_path = self._signed_in.db.path
        self._set_busy(True)
        self._runner.run(
            lambda: prepare_restore(info.path, db_path, user.username, password),
            self._prepared,
            self._restore_failed,
            on_cancel=lambda: self._set_busy(False),
            context=self,
            writes=True,
            progress_parent=self.window(),
            progress_title=_("Checking the backup…"),
        )

    def _restore_failed(self, failure: TaskFailure) -> None:
        if isinstance(failure.error, WrongCredentialsError):
            failure = TaskFailure(wrong_backup_password(), failure.error)
        self._failed(failure)

    def _prepared(self, prepared: PreparedRestore) -> None:
        self._set_busy(False)
        answer = QMessageBox.question(
            self,
            _("Restore this backup?"),
            _(
                "The backup of {time} is whole. Restoring it replaces the database with it: "
                "what was recorded after that time will no longer be in the database. The "
                "current database is kept in {folder}.\n\nAfter the restore, everyone signs in "
                "again."
            ).format(
                time=i18n.format_local_datetime(prepared.created), folder=self._paths.backup_dir
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            discard_restore(prepared)
            self.message.show_info(_("Nothing was restored."))
            return
        handler = restore_handler()
        if handler is None:
            discard_restore(prepared)
            self.message.show_error(
                _(
                    "The backup cannot be restored from here. Close COPE Desktop and restore it "
                    "from the sign-in window."
                )
            )
            return
        handler(prepared)
