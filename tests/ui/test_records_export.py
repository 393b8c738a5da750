"""File > Export every record: administrators only, written in the background."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from cope_desktop.db.enums import Role
from cope_desktop.paths import AppPaths
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.settings import Settings
from cope_desktop.ui.main_window import MainWindow
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner


def make_window(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, runner: TaskRunner
) -> MainWindow:
    window = MainWindow(signed_in, paths, Settings(), runner)
    qtbot.addWidget(window)
    return window


def test_only_administrators_see_the_export(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, runner: TaskRunner
) -> None:
    assert make_window(qtbot, signed_in, paths, runner).export_action.isVisible()
    for role in (Role.CASEWORKER, Role.COORDINATOR):
        other = dataclasses.replace(signed_in, user=dataclasses.replace(signed_in.user, role=role))
        assert not make_window(qtbot, other, paths, runner).export_action.isVisible()


def test_the_export_writes_every_sheet_where_the_user_chose(
    qtbot: QtBot,
    signed_in: SignedIn,
    paths: AppPaths,
    runner: TaskRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "all records"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window = make_window(qtbot, signed_in, paths, runner)

    window.export_action.trigger()

    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    written = target.with_name("all records.xlsx")
    assert str(written) in told[0] and "not encrypted" in told[0]
    workbook = load_workbook(written, read_only=True)
    assert workbook.sheetnames == [sheet.name for sheet in SHEETS]
