"""The Retention tab: the rule saved, the preview listed, the rule applied after a question."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cope_desktop.db.models import Family
from cope_desktop.paths import AppPaths
from cope_desktop.services import app_settings, validation
from cope_desktop.ui.privacy.retention_tab import Tab
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

WAIT = 10_000
TODAY = dt.date(2026, 6, 1)
"""The sample's closed cases: F004 closed 26 November 2023, F012 (archived) 29 July 2022."""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validation, "today", lambda: TODAY)


@pytest.fixture
def tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Tab:
    widget = Tab(signed_in, runner, paths)
    qtbot.addWidget(widget)
    widget.resize(1024, 640)
    widget.show()
    qtbot.waitUntil(lambda: widget._saved is not None, timeout=WAIT)
    return widget


def set_rule(tab: Tab, anonymise: int | None, erase: int | None) -> None:
    tab.anonymise.setChecked(anonymise is not None)
    tab.erase.setChecked(erase is not None)
    if anonymise is not None:
        tab.anonymise_years.setValue(anonymise)
    if erase is not None:
        tab.erase_years.setValue(erase)


def answer(qtbot: QtBot, parent: QWidget, button_text: str) -> None:
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "question") is not None, timeout=WAIT)
    box = parent.findChild(QMessageBox, "question")
    assert box is not None
    next(b for b in box.buttons() if b.text() == button_text).click()


def rows(tab: Tab) -> list[tuple[str, str]]:
    return [
        (tab.cases.item(row, 0).text(), tab.cases.item(row, 1).text())
        for row in range(tab.cases.rowCount())
    ]


def test_the_rule_is_saved_for_the_organisation(
    qtbot: QtBot, tab: Tab, signed_in: SignedIn
) -> None:
    assert not tab.anonymise.isChecked() and not tab.erase.isChecked()
    assert not tab.anonymise_years.isEnabled()
    set_rule(tab, 2, 3)
    assert tab.anonymise_years.isEnabled()
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.message.text() == "The retention rule was saved.", timeout=WAIT)
    with signed_in.db.session() as session:
        saved = app_settings.read_settings(session)
    assert (saved.anonymise_after_years, saved.erase_after_years) == (2, 3)


def test_erasing_before_anonymising_is_refused_on_the_spot(tab: Tab) -> None:
    set_rule(tab, 5, 3)
    tab.save_button.click()
    assert tab.message.text() == (
        "Cases cannot be erased before they are anonymised: give at least 5 years."
    )


def test_preview_lists_the_cases_and_apply_does_it_after_the_question(
    qtbot: QtBot, tab: Tab, signed_in: SignedIn, tmp_path: Path
) -> None:
    set_rule(tab, 2, 3)
    assert not tab.apply_button.isEnabled()
    tab.preview_button.click()
    qtbot.waitUntil(lambda: tab.cases.rowCount() == 2, timeout=WAIT)
    assert rows(tab) == [("Erase", "F012 (archived)"), ("Anonymise", "F004")]
    assert "1 case closed on or before" in tab.summary.text()
    assert tab.apply_button.isEnabled()
    tab.grab().save(str(tmp_path / "retention_tab.png"))

    tab.erase_years.setValue(4)  # a rule not previewed cannot be applied
    assert not tab.apply_button.isEnabled()
    tab.erase_years.setValue(3)
    tab.preview_button.click()
    qtbot.waitUntil(tab.apply_button.isEnabled, timeout=WAIT)

    tab.apply_button.click()
    answer(qtbot, tab, "Apply the rule")
    qtbot.waitUntil(lambda: tab.message.text().startswith("Done."), timeout=WAIT)
    assert tab.message.text() == "Done. Cases anonymised: 1. Cases erased: 1."
    with signed_in.db.session() as session:
        references = set(session.scalars(select(Family.reference)))
    assert "F012" not in references and "F004" not in references
    assert any(reference.startswith("ANON") for reference in references)
    assert tab.cases.rowCount() == 0
