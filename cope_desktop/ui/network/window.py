"""The Network window: the COPE secretariat merges the members' network returns.

No database and no sign-in: files are dropped on the window (or added with the buttons), each
is checked and the valid returns of one period are merged in the background by
``network.service.prepare_merge``, again after every change of files, period or threshold.
The validation list says what became of each file; the merged figures are browsed by scope
and saved in any format by ``network.service.write_merge``, also in the background.

``network.service`` is imported on the worker thread the first time, never at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.paths import resource_path
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.network.figures_view import FiguresView
from cope_desktop.ui.network.parts import DropZone, FileTable, local_paths
from cope_desktop.ui.network.returns_model import (
    COUNTRY,
    FILE,
    ORGANISATION,
    PERIOD,
    STATUS,
    ReturnsModel,
    json_files,
)
from cope_desktop.ui.network.saving import ask_merge_path, ask_return_path
from cope_desktop.ui.pages.reports import explain_threshold, threshold_box
from cope_desktop.ui.saving import Saver
from cope_desktop.ui.tasks import Task, TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, heading, intro, link_button

if TYPE_CHECKING:
    from cope_desktop.network.service import MergeResult
    from cope_desktop.reports.period import Period

log = logging.getLogger(__name__)

RETHRESHOLD_MS = 500
"""A change of threshold merges again once the spin box has been still this long."""
MINIMUM_WIDTH, MINIMUM_HEIGHT = 900, 560
SIDE_MARGIN = 28


class NetworkWindow(QMainWindow):
    """Add return files, see what became of each, browse and save the merged figures."""

    settled = Signal()
    """A merge ended (shown, refused or stopped): for tests and screenshots."""
    saved = Signal(object)
    """A file was written (its Path)."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._task: Task | None = None
        self._generation = 0
        self._result: MergeResult | None = None
        self._period: Period | None = None
        """The period chosen in the combo; None lets the service choose."""
        self._split_done = False
        self._note = ""
        """What the last files added left out (not .json, empty folders), kept on show."""
        self._last_folder: Path | None = None
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
        self.setAcceptDrops(True)
        self.model = ReturnsModel(self)
        self._make_controls()
        self._lay_out()
        self._connect()
        self.setMinimumSize(MINIMUM_WIDTH, MINIMUM_HEIGHT)
        self.resize(1280, 760)
        self.retranslate()
        follow_language(self._language_changed)
        self._update()

    # --- construction --------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.heading = heading(self)
        self.intro = intro(self)
        self.add_files_button = QPushButton(self)
        self.add_folder_button = QPushButton(self)
        self.clear_button = QPushButton(self)
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            button.setAutoDefault(False)
        self.period_label, self.threshold_label = QLabel(self), QLabel(self)
        self.period = QComboBox(self)
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_label.setBuddy(self.period)
        self.threshold = threshold_box(self, 56)
        self.threshold_label.setBuddy(self.threshold)
        self.threshold_timer = QTimer(self)
        self.threshold_timer.setSingleShot(True)
        self.threshold_timer.setInterval(RETHRESHOLD_MS)
        self.message = InlineMessage(self)
        self.again_button = link_button(self)
        self.again_button.hide()
        self.drop_zone = DropZone(self)
        self.list_title = QLabel(self)
        self.list_title.setStyleSheet("font-weight: 600; color: #1b3a5c;")
        self.list_title.setWordWrap(True)
        self.table = FileTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column in (FILE, ORGANISATION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column in (COUNTRY, PERIOD):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Stretch)
        self.remove_action = QAction(self)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.remove_action)
        self.export_return_action = QAction(self)
        self.figures = FiguresView(self)
        self.export_buttons: dict[str, QPushButton] = {
            fmt: QPushButton(self) for fmt in ("json", "pdf", "xlsx")
        }
        self.dhis2_button = QPushButton(self)
        self.dhis2_menu = QMenu(self.dhis2_button)
        self.dhis2_actions = {
            fmt: self.dhis2_menu.addAction("") for fmt in ("dhis2-json", "dhis2-adx")
        }
        self.dhis2_button.setMenu(self.dhis2_menu)
        for button in (*self.export_buttons.values(), self.dhis2_button):
            button.setAutoDefault(False)
        self.saver = Saver(self, self._runner, self.message)
        self.saved_row = self.saver.row
        self.saved_text, self.open_folder_button = self.saver.text, self.saver.open_folder_button

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(8)
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.period_label)
        top.addWidget(self.period)
        top.addSpacing(12)
        top.addWidget(self.threshold_label)
        top.addWidget(self.threshold)
        message_row = QHBoxLayout()
        message_row.setSpacing(10)
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.again_button)
        self.files_panel = QWidget(self)
        files = QVBoxLayout(self.files_panel)
        files.setContentsMargins(0, 0, 0, 6)
        files.setSpacing(6)
        files.addWidget(self.list_title)
        files.addWidget(self.table, 1)
        self.figures_panel = QWidget(self)
        figures = QVBoxLayout(self.figures_panel)
        figures.setContentsMargins(0, 8, 0, 0)
        figures.setSpacing(6)
        self.exports_label = QLabel(self)
        self.exports_box = QWidget(self)
        exports = QHBoxLayout(self.exports_box)
        exports.setContentsMargins(0, 0, 0, 0)
        exports.setSpacing(8)
        exports.addWidget(self.exports_label)
        for button in (*self.export_buttons.values(), self.dhis2_button):
            exports.addWidget(button)
        self._exports_beside: bool | None = None
        figures.addWidget(self.figures, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.files_panel)
        self.splitter.addWidget(self.figures_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.files_panel.setMinimumHeight(120)
        self.figures_panel.setMinimumHeight(180)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(SIDE_MARGIN, 20, SIDE_MARGIN, 12)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(4)
        layout.addLayout(top)
        layout.addLayout(message_row)
        layout.addWidget(self.saved_row)
        layout.addWidget(self.drop_zone, 1)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.add_files_button.clicked.connect(self.add_files)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.clear_button.clicked.connect(self.clear)
        self.period.activated.connect(self._period_chosen)
        self.threshold.valueChanged.connect(lambda _value: self.threshold_timer.start())
        self.threshold.editingFinished.connect(self._threshold_done)
        self.threshold_timer.timeout.connect(self.merge)
        self.again_button.clicked.connect(self.merge)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.remove_action.triggered.connect(self.remove_selected)
        self.table.remove_requested.connect(self.remove_selected)
        self.export_return_action.triggered.connect(self.export_selected_return)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
        for fmt, action in self.dhis2_actions.items():
            action.triggered.connect(lambda _checked=False, f=fmt: self.export(f))
        self.saver.busy.connect(self._set_saving)
        self.saver.saved.connect(self.saved)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Network merge – COPE Desktop"))
        self.heading.setText(_("Merge network returns"))
        self.intro.setText(
            _(
                "For the COPE secretariat: check the returns members sent and merge one "
                "period's figures for the whole network and for each country."
            )
        )
        self.add_files_button.setText(_("Add files…"))
        self.add_folder_button.setText(_("Add folder…"))
        self.clear_button.setText(_("Clear"))
        self.clear_button.setToolTip(
            _("Take every file off the list (the files stay as they are).")
        )
        self.period_label.setText(_("Period"))
        self.threshold_label.setText(_("Threshold"))
        tip = _(
            "Network figures from 1 to one less than this number are hidden (shown as “<5” for "
            "5), with other figures that would give them away. Never lower than the highest "
            "threshold of the returns merged."
        )
        explain_threshold(self.threshold, self.threshold_label, tip)
        self.again_button.setText(_("Merge again"))
        self.drop_zone.title.setText(_("Drop the network returns here"))
        self.drop_zone.text.setText(
            _(
                "Drop the return files (.json) members sent, or a folder holding them, anywhere "
                "on this window; or use the buttons above. Each file is checked (its checksum, "
                "version and figures), then the returns of one period are merged. The files are "
                "not changed and nothing is sent anywhere."
            )
        )
        self.remove_action.setText(_("Remove from the list"))
        self.export_return_action.setText(_("Export this return for DHIS2…"))
        self.exports_label.setText(_("Save as"))
        self.export_buttons["json"].setText(_("JSON…"))
        self.export_buttons["pdf"].setText(_("PDF…"))
        self.export_buttons["xlsx"].setText(_("XLSX…"))
        self.export_buttons["xlsx"].setToolTip(_("An Excel workbook: one sheet per table."))
        self.dhis2_button.setText(_("For DHIS2"))
        self.dhis2_actions["dhis2-json"].setText(_("DHIS2 data value set (JSON)…"))
        self.dhis2_actions["dhis2-adx"].setText(_("ADX XML…"))
        self.saver.retranslate()
        self.model.retranslate()
        self._name_periods()
        self.figures.retranslate()
        self._describe_list()
        self._exports_beside = None
        self._arrange_exports()

    def _language_changed(self) -> None:
        """Every word again; the statuses and the files to save are made again in the language."""
        self.retranslate()
        if self._result is not None:
            self.merge()

    # --- files ---------------------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path]) -> None:
        """Add files and folders (a folder's ``*.json`` files), then merge again."""
        files: list[Path] = []
        skipped = 0
        empty: list[Path] = []
        for path in paths:
            if path.is_dir():
                try:
                    found = json_files(path)
                except OSError as error:
                    log.warning("folder %s not read: %s", path, error)
                    self.message.show_error(
                        _("The folder {folder} could not be read.").format(folder=path)
                    )
                    continue
                files += found
                if not found:
                    empty.append(path)
            elif path.suffix.lower() == ".json" and path.is_file():
                files.append(path)
            else:
                skipped += 1
        added = self.model.add(files)
        notes: list[str] = []
        if empty:
            notes.append(
                _("There is no .json file in {folder}.").format(
                    folder=", ".join(str(p) for p in empty)
                )
            )
        if skipped:
            notes.append(
                ngettext(
                    "{count} file was not added: network returns are .json files.",
                    "{count} files were not added: network returns are .json files.",
                    skipped,
                ).format(count=format_number(skipped))
            )
        self._note = " ".join(notes)
        if added:
            self._period = None
            self.merge()
        if notes:
            self.message.show_info(self._note)
        self._update()

    def add_files(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Add network returns"),
            str(self._last_folder or documents_folder()),
            _("Network returns (*.json);;All files (*)"),
        )
        if chosen:
            self._last_folder = Path(chosen[0]).parent
            self.add_paths(Path(name) for name in chosen)

    def add_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Add a folder of network returns"), str(self._last_folder or documents_folder())
        )
        if chosen:
            self._last_folder = Path(chosen)
            self.add_paths([Path(chosen)])

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def remove_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        self._note = ""
        self.model.remove_rows(rows)
        self._period = None
        self.merge()

    def clear(self) -> None:
        """Take every file off the list and forget the merge."""
        self._stop()
        self.model.clear()
        self._note = ""
        self._period = None
        self._show_result(None)
        self.message.clear_message()
        self._update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event):
            event.acceptProposedAction()
            self.drop_zone.set_dragging(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_zone.set_dragging(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_zone.set_dragging(False)
        paths = local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    # --- merging -------------------------------------------------------------------------------

    def _period_chosen(self, index: int) -> None:
        chosen = self.period.itemData(index)
        if chosen is not None and (self._result is None or chosen != self._result.period):
            self._period = chosen
            self.merge()

    def _threshold_done(self) -> None:
        if self.threshold_timer.isActive():
            self.threshold_timer.stop()
            self.merge()

    def merge(self) -> None:
        """Check every file and merge the period's returns in the background."""
        self.threshold_timer.stop()
        self._stop()
        files = self.model.paths()
        if not files:
            self._show_result(None)
            self._update()
            self.settled.emit()
            return
        self._generation += 1
        generation = self._generation
        period, threshold = self._period, self.threshold.value()

        def job() -> object:
            from cope_desktop.network.service import prepare_merge

            return prepare_merge(files, period, threshold)

        self.message.show_info(
            ngettext(
                "Checking {count} file and merging…",
                "Checking {count} files and merging…",
                len(files),
            ).format(count=format_number(len(files)))
        )
        self.again_button.hide()
        self._task = self._runner.run(
            job,
            lambda result: self._merged(generation, result),
            lambda failure: self._failed(generation, failure),
            on_cancel=lambda: self._cancelled(generation),
            context=self,
            progress_parent=self,
            progress_title=_("Merging the network returns…"),
        )

    def _stop(self) -> None:
        """Forget the merge running (its result would no longer match the list)."""
        if self._task is not None and self._task.running:
            self._task.cancel()
        self._task = None
        self._generation += 1

    @property
    def busy(self) -> bool:
        return self._task is not None and self._task.running

    def _merged(self, generation: int, result: MergeResult) -> None:
        if generation != self._generation:
            return
        self._task = None
        if self._note:
            self.message.show_info(self._note)
        else:
            self.message.clear_message()
        self.model.set_statuses(result.statuses)
        self._show_result(result)
        self._update()
        self.settled.emit()

    def _failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.model.forget_statuses()
        self._show_result(None)
        self.message.show_error(failure.message)
        self._update()
        self.settled.emit()

    def _cancelled(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.model.forget_statuses()
        self._show_result(None)
        self.message.show_info(_("Merging was stopped. Nothing was saved."))
        self.again_button.show()
        self._update()
        self.settled.emit()

    @property
    def result(self) -> MergeResult | None:
        """The merge shown, or None."""
        return self._result

    def _show_result(self, result: MergeResult | None) -> None:
        self._result = result
        self.saver.forget()
        self._fill_periods()
        self.figures.set_document(result.document if result is not None else None)
        self._exports_beside = None
        self._arrange_exports()
        self._describe_list()

    def _fill_periods(self) -> None:
        """The periods found, latest first, the one merged chosen."""
        self.period.blockSignals(True)
        self.period.clear()
        if self._result is not None:
            for period in sorted(self._result.periods, reverse=True):
                self.period.addItem("", period)
            self.period.setCurrentIndex(max(0, self.period.findData(self._result.period)))
        self.period.blockSignals(False)
        self._name_periods()

    def _name_periods(self) -> None:
        if self._result is None:
            return
        for index in range(self.period.count()):
            period = self.period.itemData(index)
            count = self._result.periods.get(period, 0)
            self.period.setItemText(
                index,
                ngettext("{period} ({count} return)", "{period} ({count} returns)", count).format(
                    period=period.label(), count=format_number(count)
                ),
            )

    def _describe_list(self) -> None:
        counts = self.model.counts()
        total = self.model.rowCount()
        files = ngettext("{count} file", "{count} files", total).format(count=format_number(total))
        if self._result is None:
            self.list_title.setText(files)
            return
        left_out = counts["set_aside"] + counts["refused"]
        self.list_title.setText(
            _("{files}: {merged} merged for {period}, {left_out} left out.").format(
                files=files,
                merged=format_number(counts["merged"]),
                period=self._result.period.label(),
                left_out=format_number(left_out),
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()
        self._arrange_exports()

    def _arrange_exports(self) -> None:
        """The save buttons beside the scope when they fit, else on a row of their own."""
        room = self.width() - 2 * SIDE_MARGIN
        scope = self.figures.scope_label.sizeHint().width() + self.figures.scope.sizeHint().width()
        beside = scope + self.exports_box.sizeHint().width() + 48 <= room
        if beside == self._exports_beside:
            return
        self._exports_beside = beside
        controls, rows = self.figures.controls, self.figures.rows
        controls.removeWidget(self.exports_box)
        rows.removeWidget(self.exports_box)
        if beside:
            controls.addWidget(self.exports_box)
        else:
            rows.insertWidget(1, self.exports_box, 0, Qt.AlignmentFlag.AlignLeft)

    def _fit_columns(self) -> None:
        """File and organisation names get a fair share; the status takes the rest."""
        share = max(150, (self.width() - 2 * SIDE_MARGIN) // 5)
        for column in (FILE, ORGANISATION):
            self.table.setColumnWidth(column, share)

    def _split(self) -> None:
        """Two fifths for the list, the rest for the figures (once, when they first appear)."""
        if self._split_done or not self.splitter.isVisible():
            return
        total = sum(self.splitter.sizes())
        if total > 0:
            self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])
            self._split_done = True

    def _update(self) -> None:
        has_files = self.model.rowCount() > 0
        self.drop_zone.setVisible(not has_files)
        self.splitter.setVisible(has_files)
        self.clear_button.setEnabled(has_files)
        merged = self._result is not None
        self.figures_panel.setVisible(merged)
        if merged:
            self._split()
        for widget in (self.period_label, self.period):
            widget.setVisible(merged)
        for button in (*self.export_buttons.values(), self.dhis2_button):
            button.setEnabled(merged)
        self._describe_list()

    # --- saving --------------------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        """Ask where to save the merged figures as ``fmt`` and write them in the background."""
        result = self._result
        if result is None:
            return
        path = ask_merge_path(self, self._last_folder or documents_folder(), result, fmt)
        if path is None:
            return
        self._last_folder = path.parent

        def job() -> object:
            from cope_desktop.network.service import write_merge

            return write_merge(result, fmt, path)

        self.saver.write(job, path)

    def export_selected_return(self) -> None:
        """Save the one return selected as DHIS2 JSON or ADX XML (chosen by the file type)."""
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        source = self.model.path(rows[0])
        chosen = ask_return_path(self, self._last_folder or source.parent, source)
        if chosen is None:
            return
        path, fmt = chosen
        self._last_folder = path.parent

        def job() -> object:
            from cope_desktop.network.service import write_return_dhis2

            return write_return_dhis2(source, fmt, path)

        self.saver.write(job, path)

    def _set_saving(self, saving: bool) -> None:
        merged = self._result is not None
        for button in (*self.export_buttons.values(), self.dhis2_button):
            button.setEnabled(merged and not saving)
        self.export_return_action.setEnabled(not saving)

    # --- the list's menu -----------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid() and index.row() not in self.selected_rows():
            self.table.selectRow(index.row())
        rows = self.selected_rows()
        if not rows:
            return
        menu = QMenu(self)
        self.export_return_action.setEnabled(len(rows) == 1)
        menu.addAction(self.export_return_action)
        menu.addSeparator()
        menu.addAction(self.remove_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop()
        super().closeEvent(event)
