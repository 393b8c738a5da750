"""Opening folders in the system's file manager."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
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
