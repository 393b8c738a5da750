"""The system's folders: opening one in the file manager, and where documents go."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

log = logging.getLogger(__name__)


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the file manager; False when the system could not do it."""
    if not folder.is_dir():
        log.info("folder %s does not exist", folder)
        return False
    opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    if not opened:
        log.info("the system could not open %s", folder)
    return bool(opened)


def documents_folder() -> Path:
    """The user's Documents folder (the home folder if the system has none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()
