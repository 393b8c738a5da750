"""File > Import records…: choose, match, check, import (administrators only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QWizard
from pytestqt.qtbot import QtBot
from ui_support import PASSWORD

from cope_desktop.db.enums import Role
from cope_desktop.paths import AppPaths
from cope_desktop.progress import run_to_end
from cope_desktop.services.interchange.export import export_records
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.settings import Settings
from cope_desktop.ui.import_wizard import CHECK, IMPORT, MATCH, ImportWizard, count_rows
from cope_desktop.ui.main_window import MainWindow
from cope_desktop.ui.session import SignedIn, open_signed_in
from cope_desktop.ui.tasks import TaskRunner

WAIT_MS = 30_000


@pytest.fixture
def exported(signed_in: SignedIn, tmp_path: Path) -> Path:
    """Every record of the sample database, as File > Export every record writes them."""
    path = tmp_path / "export.xlsx"
    summary = run_to_end(export_records(signed_in.db, signed_in.user, path))
    assert summary.rows["children"] > 0
    return path


@pytest.fixture
def empty_org(org_db: Path, paths: AppPaths) -> Iterator[SignedIn]:
    """The administrator of a database with no records yet."""
    session = open_signed_in(org_db, "admin", PASSWORD, paths.backup_dir)
    yield session
    session.db.close()


def make_wizard(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, settings: Settings, paths: AppPaths
) -> ImportWizard:
    wizard = ImportWizard(signed_in, runner, settings, paths.settings_file)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def choose(qtbot: QtBot, wizard: ImportWizard, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    wizard.choose_page.choose.click()
    qtbot.waitUntil(wizard.choose_page.isComplete, timeout=WAIT_MS)


def check(qtbot: QtBot, wizard: ImportWizard) -> None:
    """Go on to the check page and wait for the dry run."""
    wizard.next()
    assert wizard.currentId() == CHECK
    qtbot.waitUntil(lambda: wizard.check_page.result is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT_MS)


def import_now(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    assert wizard.currentId() == IMPORT
    qtbot.waitUntil(lambda: wizard.import_page.done, timeout=WAIT_MS)


def commit_enabled(wizard: ImportWizard) -> bool:
    button = wizard.button(QWizard.WizardButton.CommitButton)
    return button.isVisible() and button.isEnabled()


def test_only_administrators_see_the_import(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, runner: TaskRunner
) -> None:
    window = MainWindow(signed_in, paths, Settings(), runner)
    qtbot.addWidget(window)
    assert window.import_action.isVisible()
    actions = window.file_menu.actions()
    assert actions.index(window.import_action) == actions.index(window.export_action) - 1
    window.import_action.trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible() and wizard.currentId() == 0
    wizard.reject()
    for role in (Role.CASEWORKER, Role.COORDINATOR):
        other = dataclasses.replace(signed_in, user=dataclasses.replace(signed_in.user, role=role))
        window = MainWindow(other, paths, Settings(), runner)
        qtbot.addWidget(window)
        assert not window.import_action.isVisible()


def test_an_export_imports_into_an_empty_database_and_again_changes_nothing(
    qtbot: QtBot,
    exported: Path,
    empty_org: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = load_workbook(exported)
    rows = {sheet.name: written[sheet.name].max_row - 1 for sheet in SHEETS}
    written.close()

    wizard = make_wizard(qtbot, empty_org, runner, Settings(), paths)
    choose(qtbot, wizard, exported, monkeypatch)
    check(qtbot, wizard)  # every column is an interchange column: no matching step
    result = wizard.check_page.result
    assert result is not None and result.problems == []
    assert commit_enabled(wizard)
    assert wizard.check_page.previews.count() == len(SHEETS)

    import_now(qtbot, wizard)
    imported = wizard.import_page.result
    assert imported is not None and imported.written
    added = {sheet: figures[0] for sheet, *figures in count_rows(imported.counts)}
    assert added["children"] == rows["children"] > 0
    assert added["families"] == rows["families"] > 0

    again = make_wizard(qtbot, empty_org, runner, Settings(), paths)
    choose(qtbot, again, exported, monkeypatch)
    check(qtbot, again)
    import_now(qtbot, again)
    second = again.import_page.result
    assert second is not None and second.written
    for sheet, added_now, updated, unchanged in count_rows(second.counts):
        assert (added_now, updated) == (0, 0), sheet
        assert unchanged == rows[sheet], sheet
    assert "nothing changed" in again.import_page.summary.text()


def test_a_bad_date_is_shown_where_it_is_and_keeps_import_off(
    qtbot: QtBot,
    exported: Path,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workbook = load_workbook(exported)
    children = workbook["children"]
    headers = [cell.value for cell in children[1]]
    children.cell(row=3, column=headers.index("birth_date") + 1, value="31/31/2019")
    workbook.save(exported)

    wizard = make_wizard(qtbot, signed_in, runner, Settings(), paths)
    choose(qtbot, wizard, exported, monkeypatch)
    check(qtbot, wizard)

    result = wizard.check_page.result
    assert result is not None
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("children", 3, "birth_date")]
    assert not wizard.check_page.isComplete()
    assert not commit_enabled(wizard)
    assert "1 problem in 1 sheet" in wizard.check_page.summary.text()
    sheet_item = wizard.check_page.problems.topLevelItem(0)
    assert sheet_item is not None and sheet_item.childCount() == 1
    assert sheet_item.child(0).text(0).startswith("children, row 3, column birth_date: ")
    previews = wizard.check_page.previews
    assert previews.tabText(previews.currentIndex()) == "children"


def test_a_renamed_column_is_matched_and_the_match_remembered(
    qtbot: QtBot,
    exported: Path,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workbook = load_workbook(exported)
    children = workbook["children"]
    for cell in children[1]:
        if cell.value == "birth_date":
            cell.value = "Date of birth"
    workbook.save(exported)
    settings = Settings()

    wizard = make_wizard(qtbot, signed_in, runner, settings, paths)
    choose(qtbot, wizard, exported, monkeypatch)
    wizard.next()
    assert wizard.currentId() == MATCH
    combos = wizard.match_page.form.combos
    assert list(combos) == ["children"] and list(combos["children"]) == ["date of birth"]
    combo = combos["children"]["date of birth"]
    assert combo.currentData() == ""  # "(not imported)": nothing matches the name
    combo.setCurrentIndex(combo.findData("birth_date"))
    check(qtbot, wizard)
    result = wizard.check_page.result
    assert result is not None and result.problems == []
    import_now(qtbot, wizard)
    assert wizard.import_page.result is not None and wizard.import_page.result.written

    assert settings.import_mappings == {"children": {"date of birth": "birth_date"}}
    assert Settings.load(paths.settings_file).import_mappings == settings.import_mappings
    again = make_wizard(qtbot, signed_in, runner, settings, paths)
    choose(qtbot, again, exported, monkeypatch)
    again.next()
    assert again.match_page.form.combos["children"]["date of birth"].currentData() == "birth_date"


def test_an_unmatched_column_is_reported_by_the_check(
    qtbot: QtBot,
    exported: Path,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workbook = load_workbook(exported)
    workbook["prisons"].cell(row=1, column=6, value="Visiting hours")
    workbook["prisons"].cell(row=2, column=6, value="9-12")
    workbook.save(exported)

    wizard = make_wizard(qtbot, signed_in, runner, Settings(), paths)
    choose(qtbot, wizard, exported, monkeypatch)
    wizard.next()
    assert wizard.currentId() == MATCH
    check(qtbot, wizard)  # left "(not imported)"
    result = wizard.check_page.result
    assert result is not None
    assert {(p.sheet, p.column) for p in result.problems} == {("prisons", "visiting hours")}
    assert not commit_enabled(wizard)


def test_the_template_button_saves_a_blank_workbook(
    qtbot: QtBot,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offered: list[str] = []

    def save_as(*args: object, **kwargs: object) -> tuple[str, str]:
        offered.append(str(args[2]))
        return str(tmp_path / "blank"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    wizard = make_wizard(qtbot, signed_in, runner, Settings(), paths)

    wizard.choose_page.template.click()

    target = tmp_path / "blank.xlsx"
    qtbot.waitUntil(wizard.choose_page.message.isVisible, timeout=WAIT_MS)
    assert str(target) in wizard.choose_page.message.text()
    assert offered[0].endswith("cope-import-template.xlsx")
    workbook = load_workbook(target, read_only=True)
    assert workbook.sheetnames == [*(sheet.name for sheet in SHEETS), "codes"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_first_page(
    qtbot: QtBot,
    signed_in: SignedIn,
    runner: TaskRunner,
    paths: AppPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notes = tmp_path / "notes.xlsx"
    notes.write_text("not a workbook", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(notes), ""))
    wizard = make_wizard(qtbot, signed_in, runner, Settings(), paths)

    wizard.choose_page.choose.click()

    message = wizard.choose_page.message
    qtbot.waitUntil(message.isVisible, timeout=WAIT_MS)
    assert "notes.xlsx" in message.text()
    assert not wizard.choose_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
