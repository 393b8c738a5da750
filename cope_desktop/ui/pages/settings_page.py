"""Settings: the language, the idle time before the automatic lock, and where files are kept.

The language is this computer's own choice (``Settings``); the lock time is the
organisation's (``app_settings``, in the database), changed by an administrator only.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.keys import KeyFile
from cope_desktop.i18n import _, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.services import app_settings, backups
from cope_desktop.services.permissions import Permission, can
from cope_desktop.settings import Settings
from cope_desktop.ui.desktop import open_folder
from cope_desktop.ui.pages.base import Page
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import ElidedPathLabel, InlineMessage, form_layout, muted

log = logging.getLogger(__name__)

BACKUP_ROW = 2
"""The row of "Where your data is" that shows the backup folder (the organisation's choice)."""


def read_privacy_settings(signed_in: SignedIn) -> app_settings.PrivacySettings:
    with signed_in.db.session() as session:
        return app_settings.read_settings(session)


def save_lock_minutes(signed_in: SignedIn, minutes: int) -> int:
    """Store a new lock time, keeping the organisation's other privacy settings as they are."""
    with signed_in.db.session() as session:
        current = app_settings.read_settings(session)
        app_settings.save_settings(
            session, signed_in.user, dataclasses.replace(current, lock_minutes=minutes)
        )
    return minutes


class SettingsPage(Page):
    lock_minutes_changed = Signal(int)
    """After an administrator saved a new idle time (the running lock follows it)."""

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
        self._can_change = can(signed_in.user, Permission.CHANGE_SETTINGS)
        self._stored_minutes: int | None = None
        self._saving = False
        db_path = signed_in.db.path
        self.language_group = QGroupBox(self)
        self.language_label = QLabel(self)
        self.language = QComboBox(self)
        self.language.setMinimumWidth(240)
        for code in i18n.available_languages():
            self.language.addItem(i18n.language_name(code), code)
        self.language_label.setBuddy(self.language)
        language_form = form_layout(self.language_group)
        language_form.addRow(self.language_label, self.language)
        self.files_group = QGroupBox(self)
        self._files: list[tuple[QLabel, ElidedPathLabel, QPushButton, Path]] = []
        files = QGridLayout(self.files_group)
        files.setHorizontalSpacing(14)
        files.setVerticalSpacing(8)
        files.setColumnStretch(1, 1)
        for row, (path, folder) in enumerate(
            (
                (db_path, db_path.parent),
                (KeyFile.path_for(db_path), db_path.parent),
                (paths.backup_dir, paths.backup_dir),
                (paths.log_dir, paths.log_dir),
            )
        ):
            caption, shown, button = QLabel(self), ElidedPathLabel(self), QPushButton(self)
            shown.set_path(path)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, r=row: self._open(self._files[r][3]))
            files.addWidget(caption, row, 0)
            files.addWidget(shown, row, 1)
            files.addWidget(button, row, 2)
            self._files.append((caption, shown, button, folder))
        self._build_privacy_group()
        self.message = InlineMessage(self)
        self.body.addWidget(self.language_group)
        self.body.addWidget(self.privacy_group)
        self.body.addWidget(self.files_group)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.follow_language()

    def _build_privacy_group(self) -> None:
        self.privacy_group = QGroupBox(self)
        self.lock_note = muted(self.privacy_group)
        self.lock_label = QLabel(self.privacy_group)
        self.lock_minutes = QSpinBox(self.privacy_group)
        self.lock_minutes.setRange(*app_settings.LOCK_MINUTES_RANGE)
        self.lock_minutes.setValue(app_settings.PrivacySettings().lock_minutes)
        self.lock_minutes.setMinimumWidth(90)
        self.lock_minutes.setEnabled(False)  # until the stored value has been read
        self.lock_label.setBuddy(self.lock_minutes)
        self.lock_save = QPushButton(self.privacy_group)
        self.lock_save.setAutoDefault(False)
        self.lock_save.setEnabled(False)
        self.lock_save.setVisible(self._can_change)
        self.lock_admin_only = muted(self.privacy_group)
        self.lock_admin_only.setVisible(not self._can_change)
        self.lock_message = InlineMessage(self.privacy_group)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.lock_minutes)
        row.addWidget(self.lock_save)
        row.addStretch(1)
        form = form_layout(self.privacy_group)
        form.addRow(self.lock_note)
        form.addRow(self.lock_label, row)
        form.addRow(self.lock_admin_only)
        form.addRow(self.lock_message)
        self.lock_minutes.valueChanged.connect(self._lock_minutes_edited)
        self.lock_save.clicked.connect(self._save_lock_minutes)

    def showEvent(self, event: QShowEvent) -> None:
        """Read the settings each time the page is shown: the backup folder may have moved."""
        super().showEvent(event)
        if not event.spontaneous() and not self._saving:
            self.refresh()

    def refresh(self) -> None:
        """Read the organisation's lock time and backup folder again, in the background."""
        signed_in = self._signed_in
        self._runner.run(
            lambda: read_privacy_settings(signed_in),
            self._settings_read,
            lambda failure: self.lock_message.show_error(failure.message),
            context=self,
        )

    def _settings_read(self, settings: app_settings.PrivacySettings) -> None:
        caption, shown, button, _folder = self._files[BACKUP_ROW]
        folder = backups.backup_folder(settings, self._paths.backup_dir)
        shown.set_path(folder)
        self._files[BACKUP_ROW] = (caption, shown, button, folder)
        if self._saving:
            return
        edited = self._stored_minutes is not None and self.lock_minutes.value() != (
            self._stored_minutes
        )
        self._stored_minutes = settings.lock_minutes
        if not edited:  # a time typed and not saved yet stays
            self.lock_minutes.blockSignals(True)
            self.lock_minutes.setValue(settings.lock_minutes)
            self.lock_minutes.blockSignals(False)
        self.lock_minutes.setEnabled(True)
        if not self._can_change:
            self.lock_minutes.setReadOnly(True)
            self.lock_minutes.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self._lock_minutes_edited()

    def _lock_minutes_edited(self) -> None:
        changed = self.lock_minutes.value() != self._stored_minutes
        self.lock_save.setEnabled(self._can_change and self._stored_minutes is not None and changed)
        if changed:
            self.lock_message.clear_message()

    def _save_lock_minutes(self) -> None:
        if not self._can_change:
            return
        minutes = self.lock_minutes.value()
        self.lock_save.setEnabled(False)
        self.lock_minutes.setEnabled(False)
        self.lock_message.clear_message()
        self._saving = True
        signed_in = self._signed_in
        self._runner.run(
            lambda: save_lock_minutes(signed_in, minutes),
            self._lock_minutes_saved,
            self._lock_minutes_failed,
            context=self,
            writes=True,
        )

    def _lock_minutes_saved(self, minutes: int) -> None:
        self._saving = False
        self._stored_minutes = minutes
        self.lock_minutes.setEnabled(True)
        self._lock_minutes_edited()
        self.lock_message.show_info(self._saved_text(minutes))
        self.lock_minutes_changed.emit(minutes)

    @staticmethod
    def _saved_text(minutes: int) -> str:
        return ngettext(
            "Saved. COPE Desktop now locks after {count} minute without use.",
            "Saved. COPE Desktop now locks after {count} minutes without use.",
            minutes,
        ).format(count=i18n.format_number(minutes))

    def _lock_minutes_failed(self, failure: TaskFailure) -> None:
        self._saving = False
        self.lock_minutes.setEnabled(True)
        self._lock_minutes_edited()
        self.lock_message.show_error(failure.message)

    def retranslate(self) -> None:
        self.heading.setText(_("Settings"))
        self.intro.setText(
            _(
                "This page shows the language of COPE Desktop, when it locks itself, "
                "and where its files are kept."
            )
        )
        self.language_group.setTitle(_("Language"))
        self.language_label.setText(_("&Language:"))
        self.privacy_group.setTitle(_("Privacy"))
        self.lock_note.setText(
            _(
                "When nobody uses COPE Desktop for this long, it hides the records and asks "
                "for the password again. Unsaved work is kept."
            )
        )
        self.lock_label.setText(_("Lock after (&minutes without use):"))
        self.lock_save.setText(_("&Save"))
        self.lock_admin_only.setText(
            _("This applies to everyone in the organisation; an administrator sets it.")
        )
        self.files_group.setTitle(_("Where your data is"))
        captions = (_("Database file:"), _("Key file:"), _("Backup folder:"), _("Log folder:"))
        for (caption, _shown, button, _folder), text in zip(self._files, captions, strict=True):
            caption.setText(text)
            button.setText(_("Open folder"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.blockSignals(False)
        self.message.clear_message()
        info_shown = (
            not self.lock_message.isHidden() and self.lock_message.property("state") == "info"
        )
        if info_shown and self._stored_minutes is not None:
            self.lock_message.show_info(self._saved_text(self._stored_minutes))

    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if not code:
            return
        self._settings.language = i18n.set_language(str(code))
        if not self._settings.save_or_warn(self._paths.settings_file):
            self.message.show_error(
                _("The language has changed, but it could not be saved for next time.")
            )

    def _open(self, folder: Path) -> None:
        if not open_folder(folder):
            self.message.show_error(_("The folder {path} could not be opened.").format(path=folder))
