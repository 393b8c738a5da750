"""Record of processing tab: the record shown, saved as a PDF, in the screen's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.paths import AppPaths
from cope_desktop.ui.privacy.processing_tab import Tab
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000


def make_tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Tab:
    parent = QWidget()
    qtbot.addWidget(parent)
    tab = Tab(signed_in, runner, paths, parent)
    parent.resize(1024, 640)
    tab.resize(1024, 640)
    parent.show()
    tab.keep_parent = parent  # type: ignore[attr-defined]  # pytest-qt holds it weakly
    qtbot.waitUntil(tab.save_button.isEnabled, timeout=WAIT)
    return tab


def test_the_record_is_shown_and_saved(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, tmp_path: Path
) -> None:
    tab = make_tab(qtbot, signed_in, runner, paths)
    text = tab.browser.toPlainText()
    assert "Record of processing activities" in text
    assert "Test Org" in text
    assert "No automatic rule is set" in text
    with qtbot.waitSignal(tab.saver.saved, timeout=WAIT):
        tab.write(tmp_path / "record.pdf")
    assert (tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")
    tab.grab().save(str(tmp_path / "processing.png"))


def test_the_record_follows_the_language(
    qtbot: QtBot,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    pseudo_language: str,
) -> None:
    tab = make_tab(qtbot, signed_in, runner, paths)
    before = tab.browser.toPlainText()
    i18n.set_language(pseudo_language)
    qtbot.waitUntil(lambda: tab.browser.toPlainText() != before, timeout=WAIT)
    # the stretched pseudo-language brackets every translated text
    assert tab.browser.toPlainText().startswith("[Record of processing activities")
