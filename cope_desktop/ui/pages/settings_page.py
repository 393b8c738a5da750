"""Settings: the language of the application, and where its files are kept."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.keys import KeyFile
from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths
from cope_desktop.settings import Settings
from cope_desktop.ui.desktop import open_folder
from cope_desktop.ui.pages.base import Page
from cope_desktop.ui.widgets import ElidedPathLabel, InlineMessage, form_layout

log = logging.getLogger(__name__)


class SettingsPage(Page):
    def __init__(
        self, paths: AppPaths, db_path: Path, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._settings = settings
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
            button.clicked.connect(lambda _checked=False, f=folder: self._open(f))
            files.addWidget(caption, row, 0)
            files.addWidget(shown, row, 1)
            files.addWidget(button, row, 2)
            self._files.append((caption, shown, button, folder))
        self.message = InlineMessage(self)
        self.body.addWidget(self.language_group)
        self.body.addWidget(self.files_group)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.follow_language()

    def retranslate(self) -> None:
        self.heading.setText(_("Settings"))
        self.intro.setText(
            _("This page shows the language of COPE Desktop and where its files are kept.")
        )
        self.language_group.setTitle(_("Language"))
        self.language_label.setText(_("&Language:"))
        self.files_group.setTitle(_("Where your data is"))
        captions = (_("Database file:"), _("Key file:"), _("Backup folder:"), _("Log folder:"))
        for (caption, _shown, button, _folder), text in zip(self._files, captions, strict=True):
            caption.setText(text)
            button.setText(_("Open folder"))
        self.language.blockSignals(True)
        self.language.setCurrentIndex(self.language.findData(i18n.current_language()))
        self.language.blockSignals(False)
        self.message.clear_message()

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
