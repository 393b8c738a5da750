"""The GUI entry point: ``run_gui`` is what ``cope-desktop`` runs without a sub-command."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QMessageBox

from cope_desktop import APP_AUTHOR, APP_NAME, __version__, i18n
from cope_desktop.i18n import _
from cope_desktop.logging_setup import setup_logging
from cope_desktop.paths import AppPaths, resource_path
from cope_desktop.settings import Settings
from cope_desktop.ui.flow import StartupFlow
from cope_desktop.ui.language import language_bridge
from cope_desktop.ui.main_window import icon
from cope_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def choose_language(argument: str | None, settings: Settings) -> str:
    """Pick the language asked for, else the one saved, else the system's."""
    return argument or settings.language or i18n.system_language(QLocale.system().uiLanguages())


def database_path(paths: AppPaths, argument: Path | None, settings: Settings) -> Path:
    """Pick the database asked for, else the last one opened, else the default file."""
    if argument is not None:
        return argument.expanduser().absolute()
    if settings.last_database:
        return Path(settings.last_database)
    return paths.default_db


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app"))
    app.setStyle("Fusion")
    apply_stylesheet(app)
    return app


def apply_stylesheet(app: QApplication) -> None:
    """Load resources/styles/app.qss, pointing its ``@ICONS@`` urls at the icons folder."""
    try:
        text = resource_path("styles", "app.qss").read_text(encoding="utf-8")
    except OSError as error:
        log.warning("stylesheet not loaded: %s", error)
        return
    app.setStyleSheet(text.replace("@ICONS@", resource_path("icons").as_posix()))


def make_excepthook(log_file: Path) -> ExceptHook:
    """Log an unexpected error with its traceback and tell the person calmly, once."""
    showing = False

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        nonlocal showing
        log.critical("unexpected error", exc_info=(kind, error, trace))
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            QMessageBox.critical(
                QApplication.activeWindow(),
                _("Something went wrong"),
                _(
                    "COPE Desktop met an unexpected problem and could not finish what it was "
                    "doing. The details were written to the log file {path}."
                ).format(path=log_file),
            )
        finally:
            showing = False

    return hook


def start_application(paths: AppPaths, language: str | None) -> tuple[QApplication, Settings]:
    """What every window needs first: folders, logging, language, style (``run_*``)."""
    paths.ensure()
    setup_logging(paths.log_file)
    settings = Settings.load(paths.settings_file)
    app = make_application()
    i18n.set_language(choose_language(language, settings))
    language_bridge().install_qt_translations(i18n.current_language())
    return app, settings


def run_gui(paths: AppPaths, db_path: Path | None = None, language: str | None = None) -> int:
    """Open the setup wizard (no database yet) or the login dialog, then the main window."""
    app, settings = start_application(paths, language)
    previous_hook = sys.excepthook
    sys.excepthook = make_excepthook(paths.log_file)
    runner = TaskRunner(paths.log_file)
    flow = StartupFlow(paths, settings, runner, database_path(paths, db_path, settings))
    try:
        flow.start()
        code = app.exec()
    finally:
        runner.shutdown()
        flow.close()
        sys.excepthook = previous_hook
    log.info("GUI closed with exit code %s", code)
    return int(code)


def run_network(paths: AppPaths, language: str | None = None) -> int:
    """Only the Network window (``cope-desktop network``): no database and no sign-in."""
    from cope_desktop.ui.network import open_network_window

    app, _settings = start_application(paths, language)
    previous_hook = sys.excepthook
    sys.excepthook = make_excepthook(paths.log_file)
    runner = TaskRunner(paths.log_file)
    try:
        open_network_window(runner)
        code = app.exec()
    finally:
        runner.shutdown()
        sys.excepthook = previous_hook
    log.info("Network window closed with exit code %s", code)
    return int(code)
