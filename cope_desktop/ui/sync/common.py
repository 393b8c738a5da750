"""What the Field laptops screens share: the mailbox folder, file names, values as people read them.

The mailbox is the folder bundles travel through: a USB stick, a network drive or a synced
folder. It is this computer's own preference (``Settings.sync_folder``), offered again the
next time.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    QWizard,
)

from cope_desktop import i18n
from cope_desktop.i18n import _
from cope_desktop.labels import label
from cope_desktop.paths import AppPaths
from cope_desktop.settings import Settings
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import BusyGuard, form_layout
from cope_desktop.ui.wizard_buttons import enable_buttons, translate_buttons
from cope_desktop.ui.wizard_pages import FIELD_WIDTH, _Page

BUNDLE_SUFFIX = ".copesync"
"""Bundle files end so; the folder lists show only these."""


def bold(widget: QWidget) -> None:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)


def safe_name(text: str) -> str:
    """A name that can go into a file name on every system."""
    cleaned = re.sub(r"[^\w-]+", "-", text.strip(), flags=re.UNICODE).strip("-")
    return cleaned[:40] or "copy"


MOMENT = "%Y-%m-%d-%H%M"
"""When a bundle was written, at the end of its file name (strftime format)."""
FULL_NAME = re.compile(r"^full-(?P<name>.+)-\d{4}-\d{2}-\d{2}-\d{4}$")
"""A full bundle's file name without its suffix, as ``bundle_name`` writes it."""


def bundle_name(kind: str, source: str, target: str = "", when: dt.datetime | None = None) -> str:
    """``full-Laptop-1-2026-11-24-1530.copesync`` or ``changes-Office-to-Laptop-1-….copesync``."""
    moment = (when or dt.datetime.now()).strftime(MOMENT)
    parts = [kind, safe_name(source)]
    if target:
        parts += ["to", safe_name(target)]
    return "-".join([*parts, moment]) + BUNDLE_SUFFIX


def laptop_name_from(path: Path) -> str:
    """The laptop's name the office gave in a full bundle's file name (``full-Laptop-Anna-…``)."""
    match = FULL_NAME.match(path.stem)
    return match.group("name").replace("-", " ") if match else ""


def bundles_in(folder: Path) -> list[Path]:
    """The bundle files in ``folder``, oldest name first (runs in the background)."""
    try:
        return sorted(
            path for path in folder.iterdir() if path.suffix == BUNDLE_SUFFIX and path.is_file()
        )
    except OSError:
        return []


# --- the mailbox ----------------------------------------------------------------------------


def remember_folder(paths: AppPaths, settings: Settings, folder: Path) -> None:
    """Keep ``folder`` as the mailbox offered next time."""
    settings.sync_folder = str(folder)
    settings.save_or_warn(paths.settings_file)


def default_folder(settings: Settings) -> str:
    return settings.sync_folder or ""


class FolderRow(QWidget):
    """A folder path with a Choose… button; ``changed`` when the text changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = QLineEdit(self)
        self.path.setMinimumWidth(FIELD_WIDTH)
        self.choose = QPushButton(self)
        self.choose.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path, 1)
        layout.addWidget(self.choose)
        self.path.textChanged.connect(self.changed)
        self.choose.clicked.connect(self._choose)
        self.title = ""

    def retranslate(self, title: str) -> None:
        self.title = title
        self.choose.setText(_("Choose…"))

    def folder(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def set_folder(self, folder: str | Path) -> None:
        self.path.setText(str(folder))

    def _choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.title, self.path.text().strip())
        if chosen:
            self.path.setText(chosen)


def folder_problem(folder: Path | None) -> str | None:
    """Why bundles cannot be written to or read from ``folder``, or None."""
    if folder is None:
        return _("Choose the folder: a USB stick or a shared folder.")
    if not folder.is_dir():
        return _("The folder {folder} cannot be found. Is the USB stick plugged in?").format(
            folder=folder
        )
    return None


class FolderPage(_Page):
    """The first page of both wizards: the mailbox folder, checked when Next is chosen.

    A subclass adds its own rows to ``form``, then calls ``finish_layout()``.
    """

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder_label = QLabel(self)
        self.folder = FolderRow(self)
        self.folder.set_folder(folder)
        self.folder_label.setBuddy(self.folder.path)
        self.form = form_layout()
        self.form.addRow(self.folder_label, self.folder)
        self.layout_.addLayout(self.form)
        self.folder.changed.connect(self.completeChanged)
        self.folder.changed.connect(self.message.clear_message)

    def retranslate_folder(self, choose_title: str) -> None:
        """The folder row's texts; ``choose_title`` titles the Choose… dialog."""
        self.folder_label.setText(_("&Folder:"))
        self.folder.retranslate(choose_title)

    def isComplete(self) -> bool:
        return bool(self.folder.path.text().strip())

    def problem(self) -> str | None:
        return folder_problem(self.folder.folder())


# The size both wizards open at, and the least they shrink to with their texts still whole.
WIZARD_SIZE = QSize(720, 480)
WIZARD_MINIMUM_SIZE = QSize(640, 440)
BUSY_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.CancelButton,
)


class ExchangeWizard(BusyGuard, QWizard):
    """What Prepare a field laptop and Bring back the day's work share.

    The copy signed in, the mailbox preference, the look, and the buttons held while a file
    is written or read.

    A subclass adds its pages, then calls ``start()``; ``title()`` names the window.
    """

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
        self._busy = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(WIZARD_MINIMUM_SIZE)
        self.resize(WIZARD_SIZE)

    def start(self) -> None:
        """Once the pages are added: texts in the current language, and on each switch."""
        self.retranslate()
        follow_language(self.retranslate)

    def title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.setWindowTitle(self.title())
        translate_buttons(self)

    def remember_folder(self, folder: Path) -> None:
        remember_folder(self._paths, self._settings, folder)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        enable_buttons(self, not busy, BUSY_BUTTONS)


# --- values as people read them -------------------------------------------------------------


def column_type(table: str, field: str) -> Any:
    """The SQLAlchemy type of ``table.field`` (None if unknown)."""
    from cope_desktop.db import models  # noqa: F401  (registers every table)
    from cope_desktop.db.base import Base

    found = Base.metadata.tables.get(table)
    if found is None or field not in found.c:
        return None
    return found.c[field].type


def typed_value(table: str, field: str, value: object) -> object:
    """A value as its column holds it: an enum member, a date (JSON text is decoded)."""
    kind = column_type(table, field)
    if value is None or kind is None:
        return value
    enum_class = getattr(kind, "enum_class", None)
    if enum_class is not None and isinstance(value, str) and not isinstance(value, Enum):
        try:
            return enum_class(value)
        except ValueError:
            return value
    python_type = _python_type(kind)
    if isinstance(value, str) and python_type in (dt.date, dt.datetime):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return parsed.date() if python_type is dt.date else parsed
    return value


def _python_type(kind: Any) -> type | None:
    try:
        return kind.python_type
    except NotImplementedError:
        impl = getattr(kind, "impl", None)
        try:
            return impl.python_type if impl is not None else None
        except NotImplementedError:
            return None


def display_value(table: str, field: str, value: object) -> str:
    """The value as a caseworker reads it: dates formatted, categories named, Yes/No."""
    value = typed_value(table, field, value)
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, dt.datetime):
        return i18n.format_local_datetime(value)
    if isinstance(value, dt.date):
        return i18n.format_date(value)
    if isinstance(value, int | float):
        return i18n.format_number(value)
    if isinstance(value, uuid.UUID):
        return _("another record")
    return str(value)


def editable_as_text(table: str, field: str, values: list[object]) -> bool:
    """Whether a person can type a third value (text columns only)."""
    kind = column_type(table, field)
    if kind is not None:
        return getattr(kind, "enum_class", None) is None and _python_type(kind) is str
    return all(isinstance(value, str) or value is None for value in values)


def is_long_text(values: list[object]) -> bool:
    return any(isinstance(value, str) and (len(value) > 80 or "\n" in value) for value in values)
