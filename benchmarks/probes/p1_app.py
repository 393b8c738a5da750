"""P1 probe: start, sign in to the given database, show the main window, quit when it is idle.

The password is supplied as the login dialog would receive it; the rest is the application's
own start-up path (QApplication, style, catalogs, sign-in with key derivation and the page
check at open, main window). Phases are printed to stderr for diagnosis.
"""

import os
import sys
import time
from pathlib import Path

start = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402

from cope_desktop import i18n  # noqa: E402
from cope_desktop.paths import resolve_paths  # noqa: E402
from cope_desktop.settings import Settings  # noqa: E402
from cope_desktop.ui.app import make_application  # noqa: E402
from cope_desktop.ui.main_window import MainWindow  # noqa: E402
from cope_desktop.ui.session import open_signed_in  # noqa: E402
from cope_desktop.ui.tasks import TaskRunner  # noqa: E402

imported = time.perf_counter()
paths = resolve_paths().ensure()
app = make_application()
i18n.set_language("en")
runner = TaskRunner(paths.log_file)
signed_in = open_signed_in(
    Path(sys.argv[1]),
    "admin",
    os.environ["COPE_PASSWORD"],
    paths.backup_dir,
    defer_page_check=True,  # as the login dialog does; the page check follows in the background
)
opened = time.perf_counter()
window = MainWindow(signed_in, paths, Settings(), runner)
window.show()
shown = time.perf_counter()
QTimer.singleShot(0, app.quit)
app.exec()
print(
    f"imports {imported - start:.3f}s, sign-in {opened - imported:.3f}s, "
    f"window {shown - opened:.3f}s",
    file=sys.stderr,
)
runner.shutdown()
signed_in.db.close()
