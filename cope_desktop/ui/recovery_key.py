"""The recovery key shown once: large and selectable, with Copy, Save to file… and Print…."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.atomic import atomic_write_text
from cope_desktop.i18n import _, format_date
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.widgets import muted

log = logging.getLogger(__name__)

Details = Callable[[], tuple[str, Path]]
"""Returns the organisation's name and the database path, for the saved or printed copy."""


def can_print() -> bool:
    return importlib.util.find_spec("PySide6.QtPrintSupport") is not None


def key_document(recovery_key: str, organisation: str, db_path: Path) -> str:
    """Return the text saved to a file or printed: a short explanation above the key."""
    lines = [
        _("COPE Desktop recovery key"),
        "",
        _("Organisation: {name}").format(name=organisation),
        _("Database: {path}").format(path=db_path),
        _("Created: {date}").format(date=format_date(dt.date.today(), "long")),
        "",
        _(
            "This key opens the database if every password is forgotten: with it, an "
            "administrator can set a new password. Keep it somewhere safe and private, away "
            "from this computer. Anyone who has this key and the database file can read the "
            "records."
        ),
        "",
        recovery_key,
        "",
    ]
    return "\n".join(lines)


def key_lines(recovery_key: str) -> str:
    """Show the key in two lines of four groups: easier to copy by hand, and it always fits."""
    groups = recovery_key.split("-")
    if len(groups) < 2:
        return recovery_key
    half = (len(groups) + 1) // 2
    return "-".join(groups[:half]) + "\n" + "-".join(groups[half:])


class RecoveryKeyPanel(QWidget):
    def __init__(self, recovery_key: str, details: Details, parent: QWidget | None = None):
        super().__init__(parent)
        self._key = recovery_key
        self._details = details
        self.explanation = muted(self)
        self.key = QLabel(key_lines(recovery_key), self)
        self.key.setObjectName("recoveryKey")
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key.setWordWrap(True)
        self.key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.copy = QPushButton(self)
        self.save = QPushButton(self)
        self.print_ = QPushButton(self) if can_print() else None
        self.feedback = muted(self)
        buttons = QHBoxLayout()
        for button in (self.copy, self.save, self.print_):
            if button is not None:
                button.setAutoDefault(False)
                buttons.addWidget(button)
        buttons.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.explanation)
        layout.addWidget(self.key)
        layout.addLayout(buttons)
        self.copy.clicked.connect(self._copy)
        self.save.clicked.connect(self._save)
        if self.print_ is not None:
            self.print_.clicked.connect(self._print)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.explanation.setText(
            _(
                "Print it, write it down or save it to a USB stick, and keep it away from this "
                "computer, where only trusted people can reach it."
            )
        )
        self.copy.setText(_("&Copy"))
        self.save.setText(_("&Save to file…"))
        if self.print_ is not None:
            self.print_.setText(_("&Print…"))
        self.feedback.clear()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self._key)
        self.feedback.setText(_("Copied. Paste it somewhere safe, then clear the clipboard."))

    def _save(self) -> None:
        organisation, db_path = self._details()
        # Suggest the documents folder, not the database's: the key belongs elsewhere.
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = Path(folder or Path.home()) / (_("COPE Desktop recovery key") + ".txt")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key"), str(suggested), _("Text files (*.txt)")
        )
        if not chosen:
            return
        try:
            atomic_write_text(chosen, key_document(self._key, organisation, db_path))
        except OSError as error:
            log.warning("could not save the recovery key to %s: %s", chosen, error)
            QMessageBox.warning(
                self,
                _("Save the recovery key"),
                _("The recovery key could not be saved to {path}: {reason}").format(
                    path=chosen, reason=error.strerror or error
                ),
            )
            return
        self.feedback.setText(_("Saved to {name}.").format(name=Path(chosen).name))

    def _print(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        organisation, db_path = self._details()
        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print the recovery key"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        text = key_document(self._key, organisation, db_path).replace(self._key, "").strip()
        document = QTextDocument()
        document.setHtml(
            "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
            + f'<p style="font-family: monospace; font-size: 18pt">{html.escape(self._key)}</p>'
        )
        document.print_(printer)
        self.feedback.setText(_("Sent to the printer."))
