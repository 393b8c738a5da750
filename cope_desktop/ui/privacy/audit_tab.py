"""Audit trail: who signed in, viewed, changed and exported what (Privacy & safety tab; R9).

At the top, whether the trail is intact (the hash chain checked in the background). Below,
filters by user, action, kind of record and dates, and the events newest first, read a page
at a time as the list scrolls (``audit_model``). Export… saves the events shown as CSV or
an Excel workbook; the export is itself recorded in the trail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.progress import ProgressGenerator
from cope_desktop.services import audit_log, backups
from cope_desktop.services.app_settings import read_settings
from cope_desktop.services.audit_actions import action_label, object_label
from cope_desktop.services.audit_log import AuditChoices, AuditFilter
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.pages.list_parts import filter_combo, refill, widen_popup
from cope_desktop.ui.privacy.audit_model import (
    ACTION,
    NUMBER,
    RECORD,
    TIME,
    USER,
    AuditModel,
)
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.saving import Saver, ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted, set_state

DATES_DELAY_MS = 400
"""Typing a date waits this long after the last keystroke before the list is read again."""
PROBLEMS_SHOWN = 10
"""Chain problems listed at most; the rest are counted."""
COLUMN_WIDTHS = {USER: 100, ACTION: 170, RECORD: 120}
"""Starting widths (pixels) of the columns whose texts vary, so that at 1024 pixels the detail
keeps some room; the person can drag them wider."""
SAMPLE_TIME = dt.datetime(2026, 12, 28, 23, 59, 59, tzinfo=dt.UTC)
"""A moment whose text is among the longest in every language, to size the time column."""
CELL_PADDING = 12
"""Room beside a cell's text (pixels), so the widest time is not cut."""


@dataclass(frozen=True)
class ChainCheck:
    problems: list[str]
    events: int


class Tab(QWidget):
    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._started = False
        self._choices = AuditChoices([], [], [])
        self._chain: ChainCheck | None = None
        self.chain_status = QLabel(self)
        self.chain_status.setWordWrap(True)
        self.chain_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = AuditModel(signed_in, runner, self)
        self._make_filters()
        self.count_label = muted(self)
        self.table = self._make_table()
        self.message = InlineMessage(self)
        self.export_button = QPushButton(self)
        self.export_menu = QMenu(self.export_button)
        self.csv_action = self.export_menu.addAction("")
        self.xlsx_action = self.export_menu.addAction("")
        self.export_button.setMenu(self.export_menu)
        self.saver = Saver(self, runner, self.message)
        self._lay_out()
        self._connect()
        self.retranslate()
        follow_language(self.retranslate)

    # --- building ------------------------------------------------------------------------

    def _make_filters(self) -> None:
        self.user_filter = filter_combo(self)
        self.user_filter.addItem("", None)
        self.action_filter = filter_combo(self)
        self.action_filter.addItem("", None)
        self.object_filter = filter_combo(self)
        self.object_filter.addItem("", None)
        self.since_label = QLabel(self)
        self.since = DateField(self)
        self.until_label = QLabel(self)
        self.until = DateField(self)
        self.since_label.setBuddy(self.since.line_edit)
        self.until_label.setBuddy(self.until.line_edit)
        self.clear_button = QPushButton(self)
        self.dates_timer = QTimer(self)
        self.dates_timer.setSingleShot(True)
        self.dates_timer.setInterval(DATES_DELAY_MS)

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return table

    def _fit_columns(self) -> None:
        """Widths for this language: the number and time whole, each header readable."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        sample = i18n.format_local_datetime(SAMPLE_TIME, "medium")
        contents = {
            NUMBER: metrics.horizontalAdvance("999999") + CELL_PADDING,
            TIME: metrics.horizontalAdvance(sample) + CELL_PADDING,
            **COLUMN_WIDTHS,
        }
        for column, width in contents.items():
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))

    def _lay_out(self) -> None:
        lists = QHBoxLayout()
        lists.setSpacing(8)
        for combo in self.combos:
            lists.addWidget(combo, 1)
        dates = QHBoxLayout()
        dates.setSpacing(8)
        dates.addWidget(self.since_label)
        dates.addWidget(self.since)
        dates.addSpacing(8)
        dates.addWidget(self.until_label)
        dates.addWidget(self.until)
        dates.addStretch(1)
        dates.addWidget(self.clear_button)
        bottom = QHBoxLayout()
        bottom.setSpacing(10)
        bottom.addWidget(self.saver.row, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.chain_status)
        layout.addLayout(lists)
        layout.addLayout(dates)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        for combo in self.combos:
            combo.currentIndexChanged.connect(self.apply_filters)
        for field in (self.since, self.until):
            field.changed.connect(self.dates_timer.start)
            field.line_edit.returnPressed.connect(self.apply_filters)
        self.dates_timer.timeout.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.model.counted.connect(self._show_count)
        self.model.failed.connect(self.message.show_error)
        self.csv_action.triggered.connect(lambda: self.ask_export("csv"))
        self.xlsx_action.triggered.connect(lambda: self.ask_export("xlsx"))
        self.saver.saved.connect(self._exported)
        self.saver.busy.connect(lambda busy: self.export_button.setEnabled(not busy))

    @property
    def combos(self) -> list[QComboBox]:
        return [self.user_filter, self.action_filter, self.object_filter]

    # --- reading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """The first time, read everything; later, list what was done meanwhile."""
        super().showEvent(event)
        if self._started and not event.spontaneous():
            self._read_again()
        self.start()

    def _read_again(self) -> None:
        """The trail grew (an export, work elsewhere): list it, its choices, check it again."""
        self.model.refresh()
        self.load_choices()
        self.check_chain()

    def start(self) -> None:
        """Read the filters' choices, the first events and the chain (the first time shown)."""
        if self._started:
            return
        self._started = True
        self.load_choices()
        self.model.set_filter(self.current_filter())
        self.check_chain()

    def load_choices(self) -> None:
        db, user = self._signed_in.db, self._signed_in.user

        def read() -> AuditChoices:
            with db.session() as session:
                return audit_log.filter_choices(session, user)

        self._runner.run(read, self._fill_choices, self._failed, context=self)

    def check_chain(self) -> None:
        """Check every event's link to the one before, in the background.

        The result shown stays until the new one comes, so the status does not flicker.
        """
        db, user = self._signed_in.db, self._signed_in.user
        default_folder = self._paths.backup_dir

        def check() -> ChainCheck:
            with db.session() as session:
                folders = backups.backup_folders(read_settings(session), default_folder)
                problems = audit_log.chain_problems(session, user, folders)
                events = audit_log.count_events(session, user, AuditFilter())
            return ChainCheck(problems, events)

        self._runner.run(check, self._chain_checked, self._failed, context=self)

    def _chain_checked(self, check: ChainCheck) -> None:
        self._chain = check
        self._show_chain()

    def _failed(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)

    def _fill_choices(self, choices: AuditChoices) -> None:
        self._choices = choices
        with self._quiet():
            refill(self.user_filter, [(name, name) for name in choices.usernames])
            refill(self.action_filter, _labelled(choices.actions, action_label))
            refill(self.object_filter, _labelled(choices.object_types, object_label))
        for combo in self.combos:
            widen_popup(combo)
        self.apply_filters()

    # --- filters ---------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        return AuditFilter(
            username=self.user_filter.currentData(),
            action=self.action_filter.currentData(),
            object_type=self.object_filter.currentData(),
            since=self.since.date(),
            until=self.until.date(),
        )

    def date_problem(self) -> str | None:
        for field in (self.since, self.until):
            problem = field.problem()
            if problem:
                return problem
        since, until = self.since.date(), self.until.date()
        if since is not None and until is not None and until < since:
            return _("The end date is before the start date.")
        return None

    def apply_filters(self) -> None:
        """Show the events the filters choose (read again only when the filter changed)."""
        self.dates_timer.stop()
        problem = self.date_problem()
        if problem:
            self.message.show_error(problem)
            return
        self.message.clear_message()
        wanted = self.current_filter()
        if wanted != self.model.filter:
            self.saver.forget()
            self.model.set_filter(wanted)

    def clear_filters(self) -> None:
        """Every user, action and record; no dates (read once)."""
        with self._quiet():
            for combo in self.combos:
                combo.setCurrentIndex(0)
            self.since.set_date(None)
            self.until.set_date(None)
        self.apply_filters()

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        widgets: list[QObject] = [*self.combos, self.since, self.until]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            yield
        finally:
            for widget in widgets:
                widget.blockSignals(False)
            self.dates_timer.stop()

    # --- export ----------------------------------------------------------------------------

    def ask_export(self, fmt: str) -> None:
        if fmt == "xlsx":
            file_filter, suffix = _("Excel workbook (*.xlsx)"), ".xlsx"
        else:
            file_filter, suffix = _("CSV file (*.csv)"), ".csv"
        name = f"cope-audit-trail-{dt.date.today().isoformat()}{suffix}"
        path = ask_save_path(
            self, _("Export the audit trail"), documents_folder() / name, file_filter, suffix
        )
        if path is not None:
            self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Save the events the filters choose to ``path`` in the background."""
        db, user, flt = self._signed_in.db, self._signed_in.user, self.model.filter

        def write() -> ProgressGenerator[Path]:
            with db.session() as session:
                yield from audit_log.write_events(session, user, flt, path, fmt)
            return path

        self.saver.write(write, path)

    def _exported(self, _path: Path) -> None:
        """The export is an event too: list it, and offer its action in the filter."""
        self._read_again()

    # --- texts -------------------------------------------------------------------------------

    def _show_count(self, total: int) -> None:
        if self.model.filter == AuditFilter():
            text = ngettext("{count} event", "{count} events", total)
        else:
            text = ngettext(
                "{count} event matches the filters", "{count} events match the filters", total
            )
        self.count_label.setText(text.format(count=format_number(total)))

    def _show_chain(self) -> None:
        check = self._chain
        if check is None:
            set_state(self.chain_status, "")
            self.chain_status.setText(_("Checking that the audit trail is intact…"))
            return
        if not check.problems:
            set_state(self.chain_status, "ok")
            text = ngettext(
                "The audit trail is intact: {count} event, chained to the one before.",
                "The audit trail is intact: {count} events, each chained to the one before.",
                check.events,
            )
            self.chain_status.setText(text.format(count=format_number(check.events)))
            return
        set_state(self.chain_status, "error")
        lines = [
            _(
                "The audit trail was changed outside COPE Desktop. Keep this database as it "
                "is and tell the person responsible for data protection."
            ),
            *check.problems[:PROBLEMS_SHOWN],
        ]
        hidden = len(check.problems) - PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(
                ngettext(
                    "…and {count} more problem.", "…and {count} more problems.", hidden
                ).format(count=format_number(hidden))
            )
        self.chain_status.setText("\n".join(lines))

    def retranslate(self) -> None:
        self.user_filter.setItemText(0, _("All users"))
        self.user_filter.setAccessibleName(_("User"))
        self.action_filter.setItemText(0, _("All actions"))
        self.action_filter.setAccessibleName(_("Action"))
        self.object_filter.setItemText(0, _("All kinds of record"))
        self.object_filter.setAccessibleName(_("Kind of record"))
        with self._quiet():
            refill(self.action_filter, _labelled(self._choices.actions, action_label))
            refill(self.object_filter, _labelled(self._choices.object_types, object_label))
        self.since_label.setText(_("&From:"))
        self.until_label.setText(_("&To:"))
        self.clear_button.setText(_("Clear filters"))
        self.export_button.setText(_("Export…"))
        self.export_button.setToolTip(_("Save the events listed as a file"))
        self.csv_action.setText(_("CSV file…"))
        self.xlsx_action.setText(_("Excel workbook…"))
        self.saver.retranslate()
        self.model.announce_new_texts()
        self._fit_columns()
        self._show_chain()
        if self.model.has_count:
            self._show_count(self.model.total)


def _labelled(codes: list[str], label: Callable[[str], str]) -> list[tuple[str, str]]:
    """Codes with their names, in the order of their names."""
    return sorted(((code, label(code)) for code in codes), key=lambda item: item[1].casefold())
