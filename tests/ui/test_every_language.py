"""Every screen in every language: no English text left where the catalog has a translation.

The walk opens the main window's pages, a family's window with its tabs, the new-family form,
the Network screen, the sign-in window, the first-run wizard and the About box in each
language, and collects every text a person can see (labels, buttons, titles, tabs, headers,
menus, list and combo items, placeholders). A text that is an English source string whose
translation in that language differs is a string that escaped ``_()`` or a retranslation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.paths import AppPaths, translations_dir
from cope_desktop.settings import Settings
from cope_desktop.ui.about import AboutDialog
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.main_window import NAV_TITLES, MainWindow
from cope_desktop.ui.network.window import NetworkWindow
from cope_desktop.ui.record.family_window import FamilyWindow, family_windows
from cope_desktop.ui.record.new_family import NewFamilyDialog
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard

LANGUAGES = [code for code in i18n.available_languages() if code != i18n.SOURCE_LANGUAGE]
WAIT = 10_000


def _translated_sources(language: str) -> set[str]:
    """English source strings whose translation in ``language`` is not the same text."""
    path = translations_dir() / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = set()
    translations = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        translations.add(message.string)
        if message.string and message.string != message.id and "{" not in message.id:
            found.add(message.id)
    # a translation may be another English word ("Home" is Catalan for "Male")
    return found - translations


def _model_texts(model: QAbstractItemModel | None) -> Iterator[str]:
    if model is None:
        return
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        count = model.columnCount() if orientation == Qt.Orientation.Horizontal else 0
        for section in range(count):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value
    for row in range(min(model.rowCount(), 30)):
        for column in range(model.columnCount()):
            value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value


def visible_texts(root: QWidget) -> Iterator[str]:
    """Every text of ``root`` and its children that a person can read."""
    yield root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget.title()
        elif isinstance(widget, QLineEdit):
            yield widget.placeholderText()
        elif isinstance(widget, QComboBox):
            yield from (widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QListWidget):
            yield from (widget.item(i).text() for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView):
            yield from _model_texts(widget.model())
        elif isinstance(widget, QMenu):
            yield widget.title()
            yield from (action.text() for action in widget.actions())
        yield widget.toolTip()


def _plain(text: str) -> str:
    """Without accelerator ampersands or rich-text tags."""
    return re.sub(r"<[^>]+>", "", text).replace("&&", "&").strip()


def untranslated(root: QWidget, sources: set[str]) -> set[str]:
    plain_sources = {_plain(source) for source in sources}
    return {
        text
        for text in visible_texts(root)
        if text and (text in sources or _plain(text) in plain_sources)
    }


def settle(qtbot: QtBot) -> None:
    qtbot.wait(50)
    QCoreApplication.processEvents()


@pytest.fixture
def first_family(signed_in: SignedIn) -> uuid.UUID:
    from cope_desktop.services.family_list import family_ids, family_uuid

    with signed_in.db.session() as session:
        return family_uuid(family_ids(session)[0])


@pytest.mark.skipif(not LANGUAGES, reason="only English is installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_text_is_left_on_any_screen(
    qtbot: QtBot,
    language: str,
    signed_in: SignedIn,
    paths: AppPaths,
    runner: TaskRunner,
    first_family: uuid.UUID,
    tmp_path: Path,
) -> None:
    sources = _translated_sources(language)
    i18n.set_language(language)
    left: dict[str, set[str]] = {}

    window = MainWindow(signed_in, paths, Settings(), runner)
    qtbot.addWidget(window)
    window.show()
    for page in range(len(NAV_TITLES)):
        window.show_page(page)
        settle(qtbot)
        left[f"page {page}"] = untranslated(window, sources)

    family = FamilyWindow(signed_in, runner, first_family)
    qtbot.addWidget(family)
    family.show()
    qtbot.waitUntil(lambda: family.record is not None, timeout=WAIT)
    for tab in range(family.tabs.count()):
        family.tabs.setCurrentIndex(tab)
        settle(qtbot)
        left[f"family tab {tab}"] = untranslated(family, sources)

    others: list[QWidget] = [
        NewFamilyDialog(signed_in, runner),
        NetworkWindow(runner),
        LoginDialog(paths, runner, tmp_path / "org.db"),
        SetupWizard(paths, runner),
        AboutDialog(paths, tmp_path / "org.db", "4.6.1"),
    ]
    for other in others:
        qtbot.addWidget(other)
        other.show()
        settle(qtbot)
        left[type(other).__name__] = untranslated(other, sources)
    for opened in family_windows():
        opened.close()

    found = {where: texts for where, texts in left.items() if texts}
    assert not found, f"English left in {language}: {found}"


def test_qt_formats_numbers_in_the_chosen_language(qtbot: QtBot) -> None:
    from PySide6.QtCore import QLocale

    from cope_desktop.ui.language import language_bridge

    language_bridge()
    i18n.set_language("de")
    assert QLocale().toString(12345.5, "f", 1) == "12.345,5"
    i18n.set_language("en")
    assert QLocale().toString(12345.5, "f", 1) == "12,345.5"
