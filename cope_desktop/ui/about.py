"""About COPE Desktop: what it is, the versions it runs on, and where its files are."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
import sqlalchemy
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import APP_NAME, __version__
from cope_desktop.i18n import _
from cope_desktop.paths import AppPaths, resource_path
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.widgets import fit_height, form_layout, heading, muted


def sqlcipher_module_version() -> str:
    """Return the driver's own version, for when the database cannot be asked."""
    try:
        import sqlcipher3
    except ImportError:
        return ""
    return f"sqlcipher3 {getattr(sqlcipher3, 'version', '?')}"


def _selectable(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AboutDialog(QDialog):
    def __init__(
        self,
        paths: AppPaths,
        db_path: Path,
        cipher_version: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.icon = QLabel(self)
        self.icon.setPixmap(QIcon(str(resource_path("icons", "app.svg"))).pixmap(64))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = heading(self)
        self.summary = muted(self)
        self.made_for = muted(self)
        self.versions_group = QGroupBox(self)
        self.folders_group = QGroupBox(self)
        self._version_rows = [
            (QLabel(self), _selectable(value, self))
            for value in (
                __version__,
                platform.python_version(),
                f"{qVersion()} / PySide6 {PySide6.__version__}",
                sqlalchemy.__version__,
                cipher_version or sqlcipher_module_version() or "?",
            )
        ]
        self._folder_rows = [
            (QLabel(self), _selectable(str(path), self))
            for path in (db_path, paths.backup_dir, paths.log_dir, paths.config_dir)
        ]
        for group, rows in (
            (self.versions_group, self._version_rows),
            (self.folders_group, self._folder_rows),
        ):
            form = form_layout(group)
            for caption, value in rows:
                form.addRow(caption, value)
        self.close_button = QPushButton(self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        self._lay_out(buttons)
        self.setMinimumWidth(600)
        self.retranslate()
        follow_language(self.retranslate)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(self.title)
        text.addWidget(self.summary)
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(self.icon)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.versions_group)
        layout.addWidget(self.folders_group)
        layout.addWidget(self.made_for)
        layout.addWidget(buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("About COPE Desktop"))
        self.title.setText(APP_NAME)
        self.summary.setText(
            _(
                "COPE Desktop keeps the confidential records of an organisation that supports "
                "children with an imprisoned parent: families, activities and the yearly return. "
                "It works without a network and keeps everything encrypted on this computer."
            )
        )
        self.made_for.setText(_("Made for the Children of Prisoners Europe network."))
        self.versions_group.setTitle(_("Versions"))
        self.folders_group.setTitle(_("Data folders"))
        for (caption, _value), text in zip(
            self._version_rows,
            (_("COPE Desktop:"), _("Python:"), _("Qt:"), _("SQLAlchemy:"), _("SQLCipher:")),
            strict=True,
        ):
            caption.setText(text)
        for (caption, _value), text in zip(
            self._folder_rows,
            (_("Database:"), _("Backups:"), _("Logs:"), _("Settings:")),
            strict=True,
        ):
            caption.setText(text)
        self.close_button.setText(_("Close"))
        if self.isVisible():
            fit_height(self)
