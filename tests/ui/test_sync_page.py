"""The Field laptops page and its guided screens, driven to the end (a folder is the USB stick)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import sync_ui_support
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sync_ui_support import (
    LAPTOP_NAME,
    first_child,
    make_conflicts,
    read_child,
    self_device,
    send,
    set_child,
)

from cope_desktop.db.enums import Role
from cope_desktop.paths import AppPaths
from cope_desktop.settings import Settings
from cope_desktop.sync.bundle import read_header
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.bring_back_wizard import IMPORTED, NEW, OWN, BringBackWizard
from cope_desktop.ui.sync.page import SyncPage
from cope_desktop.ui.sync.prepare_wizard import PrepareWizard
from cope_desktop.ui.sync.send_dialog import SendDialog
from cope_desktop.ui.tasks import TaskRunner

# The fixtures shared with the other Field laptops tests (sync_ui_support.py).
two_copies = sync_ui_support.two_copies
copies = sync_ui_support.copies


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def shown_page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> SyncPage:
    page = SyncPage(signed_in, runner, paths, Settings())
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None, timeout=10_000)
    return page


def cells(table: Any, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_the_office_lists_the_laptop_its_exchanges_and_the_conflicts(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    copies: tuple[SignedIn, SignedIn],
    tmp_path: Path,
) -> None:
    office, laptop = copies
    make_conflicts(office, laptop, tmp_path, first_name=("Giulia", "Giulia Maria"))

    page = shown_page(qtbot, office, runner, paths)
    assert page.identity.text().startswith("This is the office copy")
    assert page.peers.rowCount() == 1
    assert page.peers.item(0, 0).text() == LAPTOP_NAME
    assert page.selected_peer() == self_device(laptop)
    history = [cells(page.history, row) for row in range(page.history.rowCount())]
    assert history[0][1:] == ["1", "1", "Received: Changes"]
    assert page.history.item(0, 0).toolTip() == "File: day.copesync"
    assert page.conflict_count.text() == "1 change needs your decision."
    assert cells(page.conflicts, 0)[2:] == ["Giulia", f"{LAPTOP_NAME}: Giulia Maria"]
    assert page.resolve_button.isEnabled()
    assert page.prepare_button.isVisibleTo(page), "an administrator prepares laptops"


def test_the_laptop_names_itself_and_a_caseworker_cannot_prepare_a_laptop(
    qtbot: QtBot, runner: TaskRunner, paths: AppPaths, copies: tuple[SignedIn, SignedIn]
) -> None:
    _office, laptop = copies
    caseworker = dataclasses.replace(
        laptop, user=dataclasses.replace(laptop.user, role=Role.CASEWORKER)
    )
    page = shown_page(qtbot, caseworker, runner, paths)
    assert page.identity.text().startswith(f"This is the field laptop “{LAPTOP_NAME}”")
    assert not page.prepare_button.isVisibleTo(page)
    assert page.bring_back_button.isVisibleTo(page) and page.send_button.isVisibleTo(page)
    assert page.conflict_count.text() == "No changes need your decision."
    assert cells(page.peers, 0)[0] == "the original copy", "the office it came from is listed"


def test_prepare_a_laptop_writes_the_whole_record_to_the_folder(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    copies: tuple[SignedIn, SignedIn],
    usb: Path,
) -> None:
    office, _laptop = copies
    settings = Settings()
    wizard = PrepareWizard(office, runner, paths, settings)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.folder_page.folder.set_folder(usb)
    qtbot.keyClicks(wizard.folder_page.name, "Laptop Marco")
    wizard.next()
    assert wizard.currentPage() is wizard.travel_page
    qtbot.waitUntil(lambda: wizard.travel_page.preview is not None, timeout=10_000)
    preview = wizard.travel_page.preview
    assert preview is not None
    assert (preview.families, preview.children) == (12, 18), "the sample data's records"
    assert settings.sync_folder == str(usb), "the folder is remembered as the mailbox"
    wizard.next()
    assert wizard.currentPage() is wizard.write_page
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=20_000)
    written = list(usb.iterdir())
    assert len(written) == 1 and written[0].name.startswith("full-Laptop-Marco-")
    assert read_header(written[0]).kind == "full"
    assert "Set up from a field-laptop bundle" in wizard.done_page.instructions.text()


def test_send_from_the_laptop_and_bring_back_at_the_office(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    copies: tuple[SignedIn, SignedIn],
    usb: Path,
) -> None:
    office, laptop = copies
    child = first_child(office)
    set_child(laptop, child, first_name="Written in the field")
    send(office, usb / "changes-office-own.copesync")  # the office's own file: left out

    from cope_desktop.sync import service

    with laptop.db.session() as session:
        peers = list(service.peers(session, laptop.user))
    dialog = SendDialog(laptop, runner, paths, Settings(), peers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder.set_folder(usb)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.travel.text() == "1 changed record will travel (about 1 kB).", (
        dialog.travel.text()
    )
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.written), timeout=20_000)
    sent = dialog.written[0]
    assert sent.parent == usb and read_header(sent).device_name == LAPTOP_NAME

    settings = Settings(sync_folder=str(usb))
    wizard = BringBackWizard(office, runner, paths, settings)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.folder_page.folder.folder() == usb, "the mailbox is offered"
    wizard.next()
    page = wizard.bundles_page
    qtbot.waitUntil(lambda: page.found is not None, timeout=10_000)
    states = {bundle.path.name: bundle.state for bundle in page.found or []}
    assert states == {sent.name: NEW, "changes-office-own.copesync": OWN}
    assert page.ticked() == [sent]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)
    assert read_child(office, child).first_name == "Written in the field"
    assert wizard.summary_page.summary.text() == "1 file was brought back. 1 change in all."
    assert not wizard.summary_page.open_conflicts.isVisibleTo(wizard.summary_page)

    # the same folder again: the file is marked as brought back already
    again = BringBackWizard(office, runner, paths, settings)
    qtbot.addWidget(again)
    again.show()
    again.next()
    qtbot.waitUntil(lambda: again.bundles_page.found is not None, timeout=10_000)
    assert {b.path.name: b.state for b in again.bundles_page.found or []}[sent.name] == IMPORTED
    assert again.bundles_page.ticked() == []


def test_resolve_from_the_page_and_the_list_is_read_again(
    qtbot: QtBot,
    runner: TaskRunner,
    paths: AppPaths,
    copies: tuple[SignedIn, SignedIn],
    tmp_path: Path,
) -> None:

    office, laptop = copies
    child = make_conflicts(office, laptop, tmp_path, first_name=("Giulia", "Giulia Maria"))
    page = shown_page(qtbot, office, runner, paths)
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    dialog = page.conflict_dialog
    assert dialog.isVisible() and dialog.current.field == "first_name"
    dialog.panels[1].choice.click()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.conflict_count.text() == "No changes need your decision.")
    assert not page.resolve_button.isEnabled()
    assert read_child(office, child).first_name == "Giulia Maria"
