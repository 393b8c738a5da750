"""Privacy & safety > Audit trail: the events listed, filtered, exported and the chain checked."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from cope_desktop import i18n
from cope_desktop.db.enums import Role
from cope_desktop.db.models import AuditEvent
from cope_desktop.paths import AppPaths
from cope_desktop.services import audit
from cope_desktop.ui.privacy.audit_model import ACTION, PAGE_SIZE, TIME, USER, WAITING
from cope_desktop.ui.privacy.audit_tab import Tab
from cope_desktop.ui.privacy.page import PrivacyPage
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

TIMEOUT = 20_000


def events(signed_in: SignedIn, action: str | None = None) -> int:
    with signed_in.db.session() as session:
        query = select(func.count()).select_from(AuditEvent)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return int(session.execute(query).scalar_one())


def add_events(signed_in: SignedIn) -> None:
    """Three records created and two viewed by the administrator."""
    with signed_in.db.session() as session:
        for action in ("create", "view", "create", "view", "create"):
            audit.record_by(session, signed_in.user, action, "family", None)


def make_tab(qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths) -> Tab:
    tab = Tab(signed_in, runner, paths, None)
    qtbot.addWidget(tab)
    tab.resize(1024, 640)
    tab.show()
    qtbot.waitUntil(lambda: tab.model.has_count and tab.chain_status.text() != "", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: tab.chain_status.property("state") in ("ok", "error"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: tab.action_filter.count() > 1, timeout=TIMEOUT)
    return tab


def shown(tab: Tab, row: int, column: int) -> str:
    return str(tab.model.data(tab.model.index(row, column)))


def test_the_tab_lists_every_event_newest_first(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    total = events(signed_in)
    tab = make_tab(qtbot, signed_in, runner, paths)
    assert tab.model.rowCount() == total
    assert tab.count_label.text() == f"{total} events"
    # the newest event is the sign-in that opened this window
    assert (shown(tab, 0, ACTION), shown(tab, 0, USER)) == ("Signed in", "admin")
    first = tab.model.row_at(0)
    assert first is not None
    assert shown(tab, 0, TIME) == i18n.format_datetime(first.at.astimezone(), "medium")
    sequences = [row.sequence for n in range(total) if (row := tab.model.row_at(n))]
    assert sequences == sorted(sequences, reverse=True)


def test_the_chain_status_says_the_trail_is_intact(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    total = events(signed_in)
    tab = make_tab(qtbot, signed_in, runner, paths)
    assert tab.chain_status.text() == (
        f"The audit trail is intact: {total} events, each chained to the one before."
    )
    assert tab.chain_status.property("state") == "ok"


def test_a_changed_trail_is_reported_in_the_error_colour(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    with signed_in.db.session() as session:
        session.execute(text("UPDATE audit_event SET username = 'nobody' WHERE sequence = 2"))
    tab = make_tab(qtbot, signed_in, runner, paths)
    assert tab.chain_status.property("state") == "error"
    lines = tab.chain_status.text().split("\n")
    assert lines[0].startswith("The audit trail was changed outside COPE Desktop.")
    assert lines[1:] == ["Audit event 2 was altered."]


def test_filtering_by_action_narrows_the_list_and_clearing_shows_all(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    add_events(signed_in)
    total, created = events(signed_in), events(signed_in, "create")
    assert (created, total) == (3, 8)
    tab = make_tab(qtbot, signed_in, runner, paths)
    tab.action_filter.setCurrentIndex(tab.action_filter.findData("create"))
    assert tab.action_filter.currentText() == "Created"

    qtbot.waitUntil(lambda: tab.model.rowCount() == created, timeout=TIMEOUT)
    assert {shown(tab, row, ACTION) for row in range(created)} == {"Created"}
    assert tab.count_label.text() == f"{created} events match the filters"

    tab.clear_button.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == total, timeout=TIMEOUT)
    assert tab.action_filter.currentIndex() == 0


def test_showing_the_tab_again_lists_what_was_done_meanwhile(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    tab = make_tab(qtbot, signed_in, runner, paths)
    tab.hide()
    add_events(signed_in)
    tab.show()
    total = events(signed_in)
    qtbot.waitUntil(lambda: tab.model.rowCount() == total, timeout=TIMEOUT)
    assert shown(tab, 0, ACTION) == "Created"
    intact = f"The audit trail is intact: {total} events, each chained to the one before."
    qtbot.waitUntil(lambda: tab.chain_status.text() == intact, timeout=TIMEOUT)


def test_filtering_by_user_and_dates(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    total = events(signed_in)
    tab = make_tab(qtbot, signed_in, runner, paths)
    assert tab.user_filter.findData("admin") > 0
    tab.user_filter.setCurrentIndex(tab.user_filter.findData("admin"))
    qtbot.waitUntil(lambda: not tab.model.busy, timeout=TIMEOUT)
    assert {shown(tab, row, USER) for row in range(tab.model.rowCount())} == {"admin"}

    tab.clear_filters()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    tab.since.set_date(tomorrow)
    tab.apply_filters()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0, timeout=TIMEOUT)
    assert tab.count_label.text() == "0 events match the filters"

    tab.since.set_date(None)
    tab.until.set_date(tomorrow)
    tab.apply_filters()
    qtbot.waitUntil(lambda: tab.model.rowCount() == total, timeout=TIMEOUT)


def test_a_date_that_is_not_a_date_is_explained(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    tab = make_tab(qtbot, signed_in, runner, paths)
    tab.since.line_edit.setText("31/31/2024")
    tab.apply_filters()
    assert tab.message.isVisible()
    assert tab.message.text().startswith("This is not a date.")
    tab.since.set_date(dt.date(2024, 5, 2))
    tab.until.set_date(dt.date(2024, 5, 1))
    tab.apply_filters()
    assert tab.message.text() == "The end date is before the start date."


def test_pages_are_read_as_the_list_scrolls(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    with signed_in.db.session() as session:
        for _ in range(2 * PAGE_SIZE):
            audit.record_by(session, signed_in.user, "view", "family", None)
    total = events(signed_in)
    tab = make_tab(qtbot, signed_in, runner, paths)
    assert tab.model.pages_in_memory == [0]
    last = tab.model.index(total - 1, TIME)
    assert tab.model.data(last) == WAITING

    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.row_at(total - 1) is not None, timeout=TIMEOUT)
    oldest = tab.model.row_at(total - 1)
    assert oldest is not None and oldest.sequence == 1
    assert oldest.action == "database_created"


def test_events_recorded_while_the_list_is_shown_do_not_shift_its_rows(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    with signed_in.db.session() as session:
        for _ in range(2 * PAGE_SIZE):
            audit.record_by(session, signed_in.user, "view", "family", None)
    total = events(signed_in)
    tab = make_tab(qtbot, signed_in, runner, paths)
    with signed_in.db.session() as session:  # the screen locks and unlocks meanwhile
        for action in ("lock", "unlock"):
            audit.record(session, action, user_id=signed_in.user.id, username="admin")

    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.row_at(total - 1) is not None, timeout=TIMEOUT)
    numbers = {n: row.sequence for n in range(total) if (row := tab.model.row_at(n))}
    assert total - 1 in numbers and len(numbers) > PAGE_SIZE  # the first page and the last
    assert all(sequence == total - n for n, sequence in numbers.items())

    tab.model.refresh()  # the next reading lists them
    qtbot.waitUntil(lambda: tab.model.rowCount() == total + 2, timeout=TIMEOUT)
    assert shown(tab, 0, ACTION) == "Screen unlocked"


def test_the_events_shown_are_exported_and_the_export_is_listed(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, tmp_path: Path
) -> None:
    logins = events(signed_in, "login")
    tab = make_tab(qtbot, signed_in, runner, paths)
    tab.action_filter.setCurrentIndex(tab.action_filter.findData("login"))
    qtbot.waitUntil(lambda: tab.model.rowCount() == logins, timeout=TIMEOUT)
    target = tmp_path / "audit.csv"

    tab.export_to(target, "csv")

    qtbot.waitUntil(lambda: tab.saver.last_saved == target, timeout=TIMEOUT)
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == logins + 1
    assert {row[3] for row in rows[1:]} == {"login"}
    qtbot.waitUntil(lambda: tab.action_filter.findData("audit_export") > 0, timeout=TIMEOUT)
    tab.clear_filters()
    qtbot.waitUntil(lambda: shown(tab, 0, ACTION) == "Audit trail exported", timeout=TIMEOUT)


def test_a_coordinator_finds_the_tab_on_the_privacy_page(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    user = dataclasses.replace(signed_in.user, role=Role.COORDINATOR)
    coordinator = dataclasses.replace(signed_in, user=user)
    page = PrivacyPage(coordinator, runner, paths)
    qtbot.addWidget(page)
    tab = page.tab("audit_tab")
    assert isinstance(tab, Tab)
    tab.start()
    qtbot.waitUntil(lambda: tab.model.has_count, timeout=TIMEOUT)
    assert tab.model.rowCount() == events(signed_in)


def test_the_tab_follows_the_language(
    qtbot: QtBot, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths
) -> None:
    tab = make_tab(qtbot, signed_in, runner, paths)
    i18n.set_language(i18n.PSEUDO_LANGUAGE)
    assert tab.clear_button.text() == i18n.pseudo("Clear filters")
    assert tab.model.headerData(ACTION, Qt.Orientation.Horizontal) == i18n.pseudo("Action")
    assert shown(tab, 0, ACTION) == i18n.pseudo("Signed in")
    assert tab.action_filter.itemText(0) == i18n.pseudo("All actions")
