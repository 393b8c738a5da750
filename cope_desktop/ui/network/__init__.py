"""The Network window of the COPE secretariat: merge the members' network returns.

Reached without a database: from the login dialog, the first-run wizard, the main window's
File menu, or ``cope-desktop network`` (``ui.app.run_network``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt

from cope_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from cope_desktop.ui.network.window import NetworkWindow

_open: list[NetworkWindow] = []
"""The one Network window open (kept here: it has no parent that would keep it)."""


def open_network_window(runner: TaskRunner) -> NetworkWindow:
    """Show the Network window (the one already open, if any) and return it."""
    from cope_desktop.ui.network.window import NetworkWindow

    for window in list(_open):
        if shiboken6.isValid(window):
            window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
    _open.clear()
    window = NetworkWindow(runner)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(lambda _object=None: _open.clear())
    _open.append(window)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
