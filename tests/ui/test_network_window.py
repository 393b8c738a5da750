"""The Network window: returns dropped, checked, merged, browsed by scope and saved.

No database: the secretariat drops members' returns, sees what became of each file, browses
the merged figures by scope and saves them.

Six synthetic members (``network.sample_returns``, seed 1) sent returns for 2024 and 2025;
the folder also holds a copy of one return with a figure changed (its checksum no longer
matches) and an identical copy of another (a duplicate).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cope_desktop import i18n
from cope_desktop.network.sample_returns import write_sample_returns
from cope_desktop.paths import AppPaths
from cope_desktop.reports.period import Period
from cope_desktop.settings import Settings
from cope_desktop.ui.app import run_network
from cope_desktop.ui.login import LoginDialog
from cope_desktop.ui.main_window import MainWindow
from cope_desktop.ui.network import window as window_module
from cope_desktop.ui.network.returns_model import COUNTRY, FILE, ORGANISATION, PERIOD, STATUS
from cope_desktop.ui.network.window import NetworkWindow
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.wizard import SetupWizard

MERGE_TIMEOUT = 60_000
ORGANISATIONS = 6
TAMPERED, DUPLICATE = "zz-tampered.json", "0-copy.json"
"""The copy sorts first, so the original (the last file of the two) is the one merged."""


@pytest.fixture(scope="module")
def returns_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 good returns (6 members, 2024 and 2025), a tampered one and a duplicate."""
    folder = tmp_path_factory.mktemp("returns")
    written = write_sample_returns(folder, ORGANISATIONS, (2024, 2025))
    first_2025 = next(path for path in written if path.name.endswith("-2025.json"))
    tampered = json.loads(first_2025.read_text(encoding="utf-8"))
    tampered["tables"]["families"]["totals"]["all"]["value"] = 999_999
    (folder / TAMPERED).write_text(json.dumps(tampered), encoding="utf-8")
    shutil.copyfile(first_2025, folder / DUPLICATE)
    return folder


@pytest.fixture
def window(qtbot: QtBot, runner: TaskRunner) -> NetworkWindow:
    shown = NetworkWindow(runner)
    qtbot.addWidget(shown)
    shown.resize(1280, 760)
    shown.show()
    return shown


def drop(window: NetworkWindow, *paths: Path) -> None:
    """Drop ``paths`` on the window as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    copy, left, plain = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(200, 200), copy, mime, left, plain)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), copy, mime, left, plain))


def dropped(qtbot: QtBot, window: NetworkWindow, *paths: Path) -> None:
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        drop(window, *paths)


def rows(window: NetworkWindow) -> dict[str, list[str]]:
    model = window.model
    return {
        model.text(row, FILE): [model.text(row, c) for c in (ORGANISATION, COUNTRY, PERIOD, STATUS)]
        for row in range(model.rowCount())
    }


def merged_2025(returns_folder: Path) -> list[dict[str, Any]]:
    paths = sorted(returns_folder.glob("*-2025.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def test_the_window_opens_without_a_database_and_says_what_to_drop(
    window: NetworkWindow,
) -> None:
    assert window.windowTitle() == "Network merge – COPE Desktop"
    assert window.drop_zone.isVisible()
    assert "Drop the return files (.json)" in window.drop_zone.text.text()
    assert not window.splitter.isVisible()
    assert not window.clear_button.isEnabled()
    assert window.threshold.value() == 5
    assert (window.threshold.minimum(), window.threshold.maximum()) == (3, 20)


def test_a_dropped_folder_lists_every_file_with_what_became_of_it(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    (returns_folder.parent / "notes.txt").write_text("not a return", encoding="utf-8")
    dropped(qtbot, window, returns_folder, returns_folder.parent / "notes.txt")
    assert window.message.text() == "1 file was not added: network returns are .json files."
    listed = rows(window)
    assert len(listed) == 14
    merged = [name for name, row in listed.items() if row[3] == "Merged."]
    assert sorted(merged) == sorted(p.name for p in returns_folder.glob("*-2025.json"))
    italian = next(
        doc["organisation"]
        for doc in merged_2025(returns_folder)
        if doc["organisation"]["country"] == "IT"
    )
    assert listed[f"IT-{italian['id']}-2025.json"][:3] == [italian["name"], "Italy", "2025"]
    other = [name for name, row in listed.items() if name.endswith("-2024.json")]
    assert len(other) == 6
    assert all(listed[name][3].startswith("Left out") for name in other)
    assert "checksum does not match" in listed[TAMPERED][3]
    assert listed[TAMPERED][3].startswith("Left out")
    assert listed[DUPLICATE][3].startswith("Left out")
    assert "same return" in listed[DUPLICATE][3]
    assert window.list_title.text() == "14 files: 6 merged for 2025, 8 left out."
    assert window.period.currentData() == Period.year(2025)
    assert [window.period.itemText(n) for n in range(2)] == ["2025 (7 returns)", "2024 (6 returns)"]
    assert window.drop_zone.isHidden() and window.figures_panel.isVisible()


def test_the_network_tables_show_exact_figures_and_ranges(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    dropped(qtbot, window, returns_folder)
    assert window.result is not None
    network = window.result.document["scopes"][0]
    assert network["scope"] == "network" and network["organisations"] == 6
    families = window.figures.table("families")
    assert [families.item(row, 0).text() for row in range(3)] == ["New", "Continuing", "Total"]
    figures = network["tables"]["families"]
    entries = [*figures["cells"], figures["totals"]["all"]]
    texts = [families.item(row, 1).text() for row in range(3)]
    for entry, text in zip(entries, texts, strict=True):
        if entry["flag"] is None:
            assert text == f"{entry['value']:,}"
        elif entry["flag"] == "range":
            assert text.startswith(f"≈{entry['estimate']:,} (")
    # Every member sends an exact total of children; hidden cells make ranges inside.
    children = window.figures.table("children_by_age_sex")
    shown = [
        children.item(row, column).text()
        for row in range(children.rowCount())
        for column in range(1, children.columnCount())
        if children.item(row, column) is not None
    ]
    assert any(text.startswith("≈") and "–" in text for text in shown)
    total = children.item(children.rowCount() - 1, children.columnCount() - 1)
    exact_total = sum(
        doc["tables"]["children_by_age_sex"]["totals"]["all"]["value"]
        for doc in merged_2025(returns_folder)
    )
    assert total.text() == f"{exact_total:,}"
    assert total.toolTip() == "Exact figure. From 6 organisations."
    ranged = next(
        children.item(row, column)
        for row in range(children.rowCount())
        for column in range(1, children.columnCount())
        if children.item(row, column) is not None
        and children.item(row, column).text().startswith("≈")
    )
    assert "the true figure is between" in ranged.toolTip()
    assert "Estimate:" in ranged.toolTip() and "organisation" in ranged.toolTip()


def test_choosing_a_country_shows_its_figures(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    dropped(qtbot, window, returns_folder)
    scope = window.figures.scope
    assert scope.itemText(0) == "Network (6 organisations)"
    names = [scope.itemText(n) for n in range(1, scope.count())]
    assert names == sorted(names)
    assert "France (1 organisation)" in names
    with qtbot.waitSignal(window.figures.scope_changed):
        window.figures.choose_scope("FR")
    french = next(d for d in merged_2025(returns_folder) if d["organisation"]["country"] == "FR")
    children = window.figures.table("children_by_age_sex")
    total = children.item(children.rowCount() - 1, children.columnCount() - 1)
    assert total.text() == f"{french['tables']['children_by_age_sex']['totals']['all']['value']:,}"
    assert total.toolTip().endswith("From 1 organisation.")


def test_choosing_the_other_period_merges_it(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    dropped(qtbot, window, returns_folder)
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        window.period.setCurrentIndex(1)
        window.period.activated.emit(1)
    assert window.result is not None and window.result.period == Period.year(2024)
    listed = rows(window)
    assert all(listed[n][3] == "Merged." for n in listed if n.endswith("-2024.json"))
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        window.threshold.setValue(7)
    assert window.result.document["disclosure"]["threshold"] == 7
    assert window.result.period == Period.year(2024)


def save_as(monkeypatch: pytest.MonkeyPatch, target: Path, asked: list[str]) -> None:
    def ask(parent: object, title: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), filters.split(";;")[0]

    monkeypatch.setattr(window_module.QFileDialog, "getSaveFileName", ask)


def test_the_merged_figures_are_saved_as_json(
    qtbot: QtBot,
    window: NetworkWindow,
    returns_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    dropped(qtbot, window, returns_folder)
    asked: list[str] = []
    save_as(monkeypatch, tmp_path / "merged", asked)
    with qtbot.waitSignal(window.saved, timeout=MERGE_TIMEOUT) as saved:
        qtbot.mouseClick(window.export_buttons["json"], Qt.MouseButton.LeftButton)
    assert Path(asked[0]).name == "network-figures-2025.json"
    written = tmp_path / "merged.json"
    assert saved.args == [written]
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["schema"] == "cope-network-merge/1"
    assert len(document["returns"]) == 6
    assert {item["file"]: item["problem"] for item in document["not_merged"]}[
        TAMPERED
    ] == "checksum"
    assert window.saved_row.isVisible() and "merged.json" in window.saved_text.text()


def test_every_format_is_written_and_the_folder_offered(
    qtbot: QtBot,
    window: NetworkWindow,
    returns_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    dropped(qtbot, window, returns_folder)
    expected = {
        "pdf": ("figures.pdf", b"%PDF"),
        "xlsx": ("figures.xlsx", b"PK"),
        "dhis2-json": ("figures.dhis2.json", b"{"),
        "dhis2-adx": ("figures.adx.xml", b"<?xml"),
    }
    for fmt, (name, start) in expected.items():
        asked: list[str] = []
        save_as(monkeypatch, tmp_path / name, asked)
        with qtbot.waitSignal(window.saved, timeout=MERGE_TIMEOUT):
            window.export(fmt)
        assert Path(asked[0]).name.startswith("network-figures-2025.")
        assert (tmp_path / name).read_bytes().startswith(start)
    assert window.open_folder_button.isVisible()
    assert window.saved_text.text() == f"Saved figures.adx.xml in {tmp_path}."


def test_a_language_switch_translates_the_window_and_merges_again(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path, pseudo_language: str
) -> None:
    dropped(qtbot, window, returns_folder)
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        i18n.set_language(pseudo_language)
    assert window.heading.text().startswith("[Merge network returns")
    assert window.model.headerData(STATUS, Qt.Orientation.Horizontal).startswith("[Status")
    assert rows(window)[TAMPERED][3].startswith("[Left out")
    assert window.result is not None
    assert window.result.document["generated"]["language"] == "fr"
    assert window.figures.scope.itemText(0).startswith("[")


def test_one_return_is_exported_for_dhis2_from_the_list(
    qtbot: QtBot,
    window: NetworkWindow,
    returns_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    dropped(qtbot, window, returns_folder)
    row = next(
        r
        for r in range(window.model.rowCount())
        if rows(window)[window.model.text(r, FILE)][3] == "Merged."
    )
    window.table.selectRow(row)
    asked: list[str] = []
    save_as(monkeypatch, tmp_path / "one.dhis2.json", asked)
    with qtbot.waitSignal(window.saved, timeout=MERGE_TIMEOUT):
        window.export_return_action.trigger()
    assert Path(asked[0]).name == window.model.path(row).stem + ".dhis2.json"
    values = json.loads((tmp_path / "one.dhis2.json").read_text(encoding="utf-8"))
    assert values["dataValues"]


def test_removing_and_clearing_files(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    dropped(qtbot, window, returns_folder)
    tampered = next(
        r for r in range(window.model.rowCount()) if window.model.text(r, FILE) == TAMPERED
    )
    window.table.selectRow(tampered)
    window.table.setFocus()
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert TAMPERED not in rows(window) and window.model.rowCount() == 13
    window.clear_button.click()
    assert window.model.rowCount() == 0 and window.result is None
    assert window.drop_zone.isVisible()


def test_a_folder_without_a_valid_return_is_said_in_a_sentence(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path, tmp_path: Path
) -> None:
    shutil.copyfile(returns_folder / TAMPERED, tmp_path / TAMPERED)
    (tmp_path / "notes.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "readme.txt").write_text("hello", encoding="utf-8")
    dropped(qtbot, window, tmp_path / TAMPERED, tmp_path / "notes.json", tmp_path / "readme.txt")
    assert window.message.isVisible()
    assert "Traceback" not in window.message.text() and window.message.text()
    assert window.result is None and not window.figures_panel.isVisible()
    assert window.model.rowCount() == 2


def test_a_merge_can_be_stopped_and_started_again(
    qtbot: QtBot, window: NetworkWindow, returns_folder: Path
) -> None:
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        window.add_paths([returns_folder])
        assert window.busy
        window._task.cancel() if window._task is not None else None
    assert window.result is None
    assert window.message.text() == "Merging was stopped. Nothing was saved."
    assert window.again_button.isVisible()
    assert rows(window)[TAMPERED][3] == "Not checked yet"
    with qtbot.waitSignal(window.settled, timeout=MERGE_TIMEOUT):
        window.again_button.click()
    assert window.result is not None and not window.again_button.isVisible()


def network_windows() -> list[NetworkWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, NetworkWindow)]


def close_network_windows() -> None:
    for shown in network_windows():
        shown.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_someone_without_a_database_reaches_it_from_sign_in_and_the_wizard(
    qtbot: QtBot, runner: TaskRunner, paths: AppPaths
) -> None:
    login = LoginDialog(paths, runner, paths.default_db)
    qtbot.addWidget(login)
    login.show()
    assert login.network.text() == "Merge network returns (COPE secretariat)…"
    login.network.click()
    opened = [w for w in network_windows() if w.isVisible()]
    assert len(opened) == 1
    wizard = SetupWizard(paths, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.language_page.network.isVisible()
    wizard.language_page.network.click()
    assert [w for w in network_windows() if w.isVisible()] == opened  # the same window
    close_network_windows()
    assert not network_windows()


def test_run_network_shows_only_the_network_window(qtbot: QtBot, paths: AppPaths) -> None:
    seen: list[list[str]] = []

    def close_it() -> None:
        visible = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
        if "NetworkWindow" not in visible:
            QTimer.singleShot(50, close_it)
            return
        seen.append(visible)
        close_network_windows()

    QTimer.singleShot(50, close_it)
    assert run_network(paths, "en") == 0
    assert seen and "LoginDialog" not in seen[0] and "SetupWizard" not in seen[0]
    assert not paths.default_db.exists()


def test_the_main_window_file_menu_opens_it(
    qtbot: QtBot, signed_in: SignedIn, paths: AppPaths, runner: TaskRunner
) -> None:
    main = MainWindow(signed_in, paths, Settings(), runner)
    qtbot.addWidget(main)
    assert main.network_action in main.file_menu.actions()
    assert main.network_action.text() == "&Network merge (secretariat)…"
    main.network_action.trigger()
    assert [w.isVisible() for w in network_windows()] == [True]
    close_network_windows()
