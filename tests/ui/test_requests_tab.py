"""Requests tab: find a family, export everything held about one member, erase on request.

The sample database (sample_data.py) has families F001 to F012; F003 has two children
(C0030, C0031), a caregiver G003 and an imprisoned relative R003.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from cope_desktop.paths import AppPaths
from cope_desktop.services.erasure import ErasurePreview
from cope_desktop.services.subject_access import Member
from cope_desktop.ui.privacy.requests_tab import EraseDialog, Tab
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000


@pytest.fixture
def tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Tab:
    parent = QWidget()
    qtbot.addWidget(parent)
    made = Tab(signed_in, runner, paths, parent)
    parent.resize(1024, 640)
    made.resize(1024, 640)
    parent.show()
    made.keep_parent = parent  # type: ignore[attr-defined]  # pytest-qt holds it weakly
    qtbot.waitUntil(lambda: made.families.count() > 0, timeout=WAIT)
    return made


def open_family(qtbot: QtBot, tab: Tab, reference: str) -> None:
    tab.search.setText(reference)
    qtbot.waitUntil(lambda: tab.families.count() == 1, timeout=WAIT)
    assert tab.choose_family(reference)
    qtbot.waitUntil(lambda: tab.people.count() > 0, timeout=WAIT)


def test_the_family_and_each_member_are_listed(qtbot: QtBot, tab: Tab) -> None:
    open_family(qtbot, tab, "F003")
    texts = [tab.people.item(i).text() for i in range(tab.people.count())]
    assert texts == [
        "The whole family F003",
        "Child: Child 3.0 (C0030)",
        "Child: Child 3.1 (C0031)",
        "Caregiver: G003",
        "Imprisoned relative: R003",
    ]
    assert tab.export_button.isEnabled()
    assert tab.erase_button.isVisible()


def test_an_archived_family_is_found_too(qtbot: QtBot, tab: Tab) -> None:
    tab.search.setText("F012")
    qtbot.waitUntil(lambda: tab.families.count() == 1, timeout=WAIT)
    assert tab.families.item(0).text().endswith("archived")


def test_export_writes_the_pdf_and_the_json_file(qtbot: QtBot, tab: Tab, tmp_path: Path) -> None:
    open_family(qtbot, tab, "F003")
    tab.people.setCurrentRow(1)
    member = tab.current_member()
    assert member is not None and member.reference == "C0030"
    with qtbot.waitSignal(tab.saver.saved, timeout=WAIT):
        tab.write_files(member, tmp_path / "C0030-subject-access.pdf")
    pdf = tmp_path / "C0030-subject-access.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    document = json.loads((tmp_path / "C0030-subject-access.json").read_text(encoding="utf-8"))
    assert document["format"] == "cope-subject-access/1"
    assert document["subject"]["reference"] == "C0030"
    assert "Child 3.1" not in json.dumps(document)
    assert "C0030-subject-access.json" in tab.message.text()
    tab.grab().save(str(tmp_path / "requests.png"))


def test_erasing_asks_for_the_reference_then_erases(qtbot: QtBot, tab: Tab) -> None:
    open_family(qtbot, tab, "F003")
    tab.people.setCurrentRow(2)
    tab.ask_erase()
    qtbot.waitUntil(lambda: tab.findChild(EraseDialog) is not None, timeout=WAIT)
    dialog = tab.findChild(EraseDialog)
    assert isinstance(dialog, EraseDialog)
    assert not dialog.erase_button.isEnabled()
    dialog.confirmation.setText("C0030")
    assert not dialog.erase_button.isEnabled()
    dialog.confirmation.setText("C0031")
    assert dialog.erase_button.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: "was erased" in tab.message.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.people.count() == 4, timeout=WAIT)
    texts = [tab.people.item(i).text() for i in range(tab.people.count())]
    assert "Child: Child 3.1 (C0031)" not in texts


def test_the_erase_question_reads_as_a_sentence_and_lists_the_counts(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    family_id = uuid.uuid4()
    preview = ErasurePreview("family", family_id, "F003", family_id, {"family": 1, "child": 2}, [])
    dialog = EraseDialog(preview, Member("family", family_id, "F003", "F003", False), parent)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Erase the whole family F003?" in texts
    assert "Family: 1\nChildren: 2" in texts
    dialog.confirmation.setText(" F003 ")
    assert dialog.erase_button.isEnabled()
