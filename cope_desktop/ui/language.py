"""Live language switching: one Qt signal relays ``i18n`` language changes to the widgets.

``i18n.on_language_changed`` keeps plain callables for the life of the process. Widgets come
and go, so they never register there directly: they connect their ``retranslate`` to the
signal of one ``LanguageBridge`` owned by the application, and Qt drops the connection when a
widget is destroyed. The bridge also keeps Qt's own translations (OK, Cancel, file dialogs)
in the same language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

from cope_desktop import i18n

log = logging.getLogger(__name__)

BRIDGE_NAME = "cope-language-bridge"
QT_CATALOGS = {"pt": "pt_BR"}
"""Qt ships Brazilian Portuguese only; its button texts read the same in Portugal. (Qt has no
Greek or Romanian catalog: its few own texts stay in English there.)"""


class LanguageBridge(QObject):
    """Emits ``changed(code)`` after every ``i18n.set_language``."""

    changed = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(BRIDGE_NAME)
        self._qt_translator: QTranslator | None = None
        self.install_qt_translations(i18n.current_language())
        self.changed.connect(self.install_qt_translations)

    def install_qt_translations(self, code: str) -> None:
        """Load Qt's own catalog (``qtbase_<code>``) so standard buttons match our language."""
        app = QCoreApplication.instance()
        if app is None:
            return
        # Qt's own number and date display (spin boxes, progress bars, calendars) follows too
        QLocale.setDefault(QLocale(i18n.format_locale(code)))
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if code in (i18n.SOURCE_LANGUAGE, i18n.PSEUDO_LANGUAGE):
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{QT_CATALOGS.get(code, code)}", folder):
            app.installTranslator(translator)
            self._qt_translator = translator
        else:
            log.info("no Qt translations for %s in %s", code, folder)


def _relay(bridge: LanguageBridge) -> Callable[[str], None]:
    def relay(code: str) -> None:
        if shiboken6.isValid(bridge):
            bridge.changed.emit(code)

    return relay


def language_bridge() -> LanguageBridge:
    """Return the application's bridge, made (and registered with ``i18n``) on first use."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the QApplication must exist before widgets follow the language")
    bridge = app.findChild(LanguageBridge, BRIDGE_NAME)
    if bridge is None:
        bridge = LanguageBridge(app)
        i18n.on_language_changed(_relay(bridge))
    return bridge


def follow_language(retranslate: Callable[[], None]) -> None:
    """Call ``retranslate`` (a bound method of a QObject) after every language switch."""
    language_bridge().changed.connect(retranslate)
