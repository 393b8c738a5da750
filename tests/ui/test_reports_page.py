"""The Reports page: prepare a return, see every table as it will be sent, then export it.

The sample database (sample_data.py) supports 7 families in 2023: 4 opened that year
(F001, F004, F007, F010) and 3 continuing from 2022 (F003, F006, F009).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from cope_desktop.db.enums import Role
from cope_desktop.errors import UserInputError
from cope_desktop.reports import service
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.ui.pages import reports as reports_module
from cope_desktop.ui.pages.reports import CUSTOM, FIRST_HALF, ReportsPage
from cope_desktop.ui.report_view import ReportTable
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

TODAY = dt.date(2024, 6, 15)
PREPARE_TIMEOUT = 30_000


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


def make_page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> ReportsPage:
    page = ReportsPage(signed_in, runner)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


@pytest.fixture
def page(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner) -> ReportsPage:
    return make_page(qtbot, signed_in, runner)


def prepare(qtbot: QtBot, page: ReportsPage, **choices: Any) -> None:
    page.choose(**choices)
    with qtbot.waitSignal(page.prepared_shown, timeout=PREPARE_TIMEOUT):
        page.prepare()


def column(table: ReportTable, number: int) -> list[str]:
    return [table.item(row, number).text() for row in range(table.rowCount())]


def hidden_in_document(table: dict[str, Any]) -> int:
    entries = list(table["cells"])
    for key, totals in table.get("totals", {}).items():
        entries += [totals] if key == "all" else totals
    return sum(1 for entry in entries if entry["flag"] == "suppressed")


def shown_texts(table: ReportTable) -> list[str]:
    return [
        table.item(row, col).text()
        for row in range(table.rowCount())
        for col in range(table.columnCount())
        if table.item(row, col) is not None
    ]


def test_the_years_offered_run_from_this_year_back_to_the_first_record(
    qtbot: QtBot, page: ReportsPage
) -> None:
    qtbot.waitUntil(lambda: page.year.count() == 3, timeout=5000)
    assert [page.year.itemText(n) for n in range(3)] == ["2024 (so far)", "2023", "2022"]
    assert page.year.currentData() == 2023  # the last whole year
    assert [page.part.itemData(n) for n in range(page.part.count())] == ["year", "first", "second"]
    assert page.threshold.value() == 5


def test_a_return_shows_every_table_with_small_figures_hidden(
    qtbot: QtBot, page: ReportsPage
) -> None:
    prepare(qtbot, page, year=2023)
    prepared = page.prepared
    assert prepared is not None and page.preview is not None
    families = page.preview.table("families")
    assert column(families, 0) == ["New", "Continuing", "Total"]
    assert column(families, 1) == ["<5", "<5", "7"]
    assert families.item(2, 1).font().bold()
    tables = prepared.document["tables"]
    assert [view.table_id for view in page.preview.tables] == list(tables)
    for view in page.preview.tables:
        assert shown_texts(view).count("<5") == hidden_in_document(tables[view.table_id])
    assert page.result_title.text().startswith("Network return for 2023, ready to save")
    assert page.export_row.isVisible()
    assert page.preview.explanation_labels[0].text()
    assert page.export_buttons["json"].text() == "Save return (JSON)…"


def test_the_coordinator_sees_why_each_hidden_cell_is_hidden(
    qtbot: QtBot, page: ReportsPage
) -> None:
    prepare(qtbot, page, year=2023)
    assert page.preview is not None
    families = page.preview.table("families")
    new = families.item(0, 1)
    assert new.toolTip() == "Hidden: this figure is from 1 to 4, fewer than 5."
    assert new.data(Qt.ItemDataRole.AccessibleTextRole) == new.toolTip()
    assert new.background().color().name() != families.item(2, 1).background().color().name()
    continuing = families.item(1, 1)
    assert continuing.toolTip() == "Hidden: this figure is from 1 to 4, fewer than 5."
    prepared = page.prepared
    assert prepared is not None and prepared.secondary
    protecting = "Hidden to protect a small figure"
    tips: dict[str, str] = {}
    for view in page.preview.tables:
        for (row, col), figure in view.figures.items():
            if figure.hidden:
                tips[figure.id] = view.item(row, col).toolTip()
    assert set(tips) == prepared.primary | prepared.secondary
    assert all(tips[cell].startswith(protecting) for cell in prepared.secondary)
    assert not any(tips[cell].startswith(protecting) for cell in prepared.primary)


def test_ctrl_return_prepares(qtbot: QtBot, page: ReportsPage) -> None:
    page.activateWindow()
    page.kind.setFocus()
    with qtbot.waitSignal(page.prepared_shown, timeout=PREPARE_TIMEOUT):
        qtbot.keyClick(page.kind, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.prepared is not None


def test_a_higher_threshold_hides_more(qtbot: QtBot, page: ReportsPage) -> None:
    prepare(qtbot, page, year=2023, threshold=8)
    assert page.preview is not None
    assert column(page.preview.table("families"), 1) == ["<8", "<8", "<8"]


def test_the_internal_report_has_exact_figures_and_its_marking(
    qtbot: QtBot, page: ReportsPage
) -> None:
    prepare(qtbot, page, internal=True, year=2023)
    assert page.preview is not None
    assert column(page.preview.table("families"), 1) == ["4", "3", "7"]
    assert page.preview.internal_banner is not None
    assert page.preview.internal_banner.title.text() == "Internal — do not send"
    assert all("<" not in text for view in page.preview.tables for text in shown_texts(view))
    assert {"by_prison", "by_caseworker", "by_month"} <= {v.table_id for v in page.preview.tables}
    assert page.export_buttons["json"].text() == "Save data (JSON)…"
    assert page.threshold.isHidden()


def test_an_internal_report_may_cover_any_dates(qtbot: QtBot, page: ReportsPage) -> None:
    qtbot.waitUntil(lambda: page.year.count() == 3, timeout=5000)
    page.choose(internal=True)
    page.part.setCurrentIndex(page.part.findData(CUSTOM))
    assert page.start.date() == dt.date(2023, 1, 1)
    assert page.end.date() == dt.date(2023, 12, 31)
    prepare(
        qtbot,
        page,
        internal=True,
        part=CUSTOM,
        start=dt.date(2023, 2, 1),
        end=dt.date(2023, 5, 31),
    )
    assert page.preview is not None
    # F001 opened in February and F004 in May; the three from 2022 continue.
    assert column(page.preview.table("families"), 1) == ["2", "3", "5"]


def test_custom_dates_are_checked_before_anything_is_counted(
    qtbot: QtBot, page: ReportsPage
) -> None:
    page.choose(internal=True, part=CUSTOM, start=dt.date(2023, 5, 1), end=dt.date(2023, 1, 1))
    page.prepare()
    assert page.message.isVisible()
    assert "ends" in page.message.text() and "before it starts" in page.message.text()
    assert page.prepared is None
    page.choose(internal=False)
    assert page.part.findData(CUSTOM) == -1


def test_changing_the_period_or_threshold_clears_the_preview(
    qtbot: QtBot, page: ReportsPage
) -> None:
    prepare(qtbot, page, year=2023)
    page.part.setCurrentIndex(page.part.findData(FIRST_HALF))
    assert page.prepared is None and page.preview is None
    assert not page.export_row.isVisible() and page.placeholder.isVisible()
    prepare(qtbot, page, year=2023, part=FIRST_HALF)
    page.threshold.setValue(6)
    assert page.prepared is None
    prepare(qtbot, page, year=2023)
    page.kind.setCurrentIndex(1)
    assert page.prepared is None


def test_a_service_refusal_is_told_in_its_own_words(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise UserInputError("The figures could not be counted.")

    monkeypatch.setattr(service, "prepare_report", refuse)
    page.choose(year=2023)
    page.prepare()
    qtbot.waitUntil(lambda: "could not be counted" in page.message.text(), timeout=5000)
    assert page.prepare_button.isEnabled()
    assert page.prepared is None


def save_as(monkeypatch: pytest.MonkeyPatch, target: Path, asked: list[str]) -> None:
    def ask(parent: object, title: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)


def test_the_return_is_exported_where_the_coordinator_chooses(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare(qtbot, page, year=2023)
    assert page.prepared is not None
    asked: list[str] = []
    save_as(monkeypatch, tmp_path / "return", asked)
    with qtbot.waitSignal(page.saved, timeout=PREPARE_TIMEOUT) as saved:
        qtbot.mouseClick(page.export_buttons["json"], Qt.MouseButton.LeftButton)
    assert Path(asked[0]).name == "network-return-2023.json"
    written = tmp_path / "return.json"  # the extension is added when left out
    assert saved.args == [written]
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["checksum"] == page.prepared.document["checksum"]
    assert document["tables"]["families"]["totals"]["all"]["value"] == 7
    assert page.saved_row.isVisible()
    assert "return.json" in page.saved_text.text() and str(tmp_path) in page.saved_text.text()


def test_every_format_is_written(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare(qtbot, page, internal=True, year=2023)
    for fmt, name in (("pdf", "report.pdf"), ("xlsx", "report.xlsx"), ("csv", "report.zip")):
        save_as(monkeypatch, tmp_path / name, [])
        with qtbot.waitSignal(page.saved, timeout=PREPARE_TIMEOUT):
            page.export(fmt)
        assert (tmp_path / name).stat().st_size > 0


def test_a_failed_export_is_told_without_a_traceback(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare(qtbot, page, year=2023)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    save_as(monkeypatch, tmp_path / "a-file" / "return.json", [])
    page.export("json")
    qtbot.waitUntil(lambda: page.message.isVisible(), timeout=PREPARE_TIMEOUT)
    assert "Traceback" not in page.message.text()
    assert page.export_buttons["json"].isEnabled()
    assert not page.saved_row.isVisible()


def test_warnings_are_shown_and_confirmed_once_before_exporting(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare(qtbot, page, year=2023)
    save_as(monkeypatch, tmp_path / "year.json", [])
    with qtbot.waitSignal(page.saved, timeout=PREPARE_TIMEOUT):
        page.export("json")
    prepare(qtbot, page, year=2023, part=FIRST_HALF)  # overlaps the year just written
    assert page.prepared is not None and page.prepared.warnings
    assert page.warnings.isVisible()
    assert page.warnings.text.text() == "\n".join(page.prepared.warnings)
    answers = [False, True]
    questions: list[list[str]] = []

    def confirm(parent: object, warnings: list[str]) -> bool:
        questions.append(warnings)
        return answers.pop(0)

    monkeypatch.setattr(reports_module, "confirm_warnings", confirm)
    asked: list[str] = []
    save_as(monkeypatch, tmp_path / "half.json", asked)
    page.export("json")
    assert asked == [] and not (tmp_path / "half.json").exists()
    with qtbot.waitSignal(page.saved, timeout=PREPARE_TIMEOUT):
        page.export("json")
    with qtbot.waitSignal(page.saved, timeout=PREPARE_TIMEOUT):
        page.export("json")
    assert len(questions) == 2 and len(asked) == 2


def test_a_caseworker_is_told_who_prepares_reports(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner
) -> None:
    user = signed_in.user
    caseworker = CurrentUser(user.id, "carla", "Carla Rossi", Role.CASEWORKER)
    page = make_page(qtbot, dataclasses.replace(signed_in, user=caseworker), runner)
    assert not page.prepare_button.isEnabled()
    assert not page.kind.isEnabled()
    assert page.not_allowed.isVisible()
    assert "coordinator or an administrator" in page.not_allowed.text()
    page.prepare()
    qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert page.prepared is None and page.message.isHidden()
