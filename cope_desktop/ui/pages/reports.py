"""Reports: prepare the network return (or the internal report), look at it, then export it.

Preparing counts, protects and audits the figures in the background (``reports.service``)
and shows every table exactly as it will leave the organisation, with what was hidden and
why. Nothing is written until the coordinator chooses a format; each file is written in the
background too, and recorded in the release log by the service. Changing the report, the
period or the threshold clears the preview, since it would no longer match.

``reports.service`` (and through it SciPy) is imported on the worker thread the first time a
report is prepared, never at start-up.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import N_, _, format_number
from cope_desktop.reports.period import Period
from cope_desktop.services import validation
from cope_desktop.services.permissions import Permission, can
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.pages.base import PAGE_MARGINS, Page
from cope_desktop.ui.pages.scroll import CONTENT_NAME, page_scroll
from cope_desktop.ui.record.banner import Banner
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.saving import FILE_FILTERS as COMMON_FILTERS
from cope_desktop.ui.saving import Saver, ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import Task, TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, muted

if TYPE_CHECKING:
    from cope_desktop.reports.service import PreparedReport
    from cope_desktop.ui.report_view import ReportPreview

NETWORK, INTERNAL = "network", "internal"
WHOLE, FIRST_HALF, SECOND_HALF, CUSTOM = "year", "first", "second", "custom"
PARTS = (
    (WHOLE, N_("Whole year")),
    (FIRST_HALF, N_("First half")),
    (SECOND_HALF, N_("Second half")),
)
FORMATS = ("json", "pdf", "xlsx", "csv")
FILE_FILTERS = {**COMMON_FILTERS, "csv": N_("Zip of CSV files (*.zip)")}
SUFFIXES = {"json": ".json", "pdf": ".pdf", "xlsx": ".xlsx", "csv": ".zip"}
DEFAULT_THRESHOLD, MIN_THRESHOLD, MAX_THRESHOLD = 5, 3, 20


def plain_number_box(box: QSpinBox) -> None:
    """No arrows (keys and wheel still step), as ``ui.activity.head_counts`` does it."""
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
    box.setStyleSheet("QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }")
    box.lineEdit().setTextMargins(6, 0, 6, 0)


def threshold_box(parent: QWidget, width: int) -> QSpinBox:
    """The disclosure threshold: 3 to 20, 5 (COPE's) to start with (also the Network window's)."""
    box = QSpinBox(parent)
    box.setRange(MIN_THRESHOLD, MAX_THRESHOLD)
    box.setValue(DEFAULT_THRESHOLD)
    plain_number_box(box)
    box.setFixedWidth(width)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    return box


def explain_threshold(box: QSpinBox, label: QLabel, tip: str) -> None:
    """Say what the threshold does on the box and its label, for the mouse and screen readers."""
    for widget in (box, label):
        widget.setToolTip(tip)
    box.setAccessibleDescription(tip)


def confirm_warnings(parent: QWidget, warnings: list[str]) -> bool:
    """Ask once whether the coordinator has read the warnings before the first export."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Before you export"))
    box.setText(_("This report comes with warnings. Have you read them?"))
    box.setInformativeText("\n\n".join(warnings))
    export = box.addButton(_("I have read them, export"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(export)
    box.exec()
    return box.clickedButton() is export


class ReportsPage(Page):
    """Choose a report and a period, prepare it, look at every table, export it."""

    prepared_shown = Signal()
    """A prepared report is on the page (for tests and the main window)."""
    saved = Signal(object)
    """A file was written (its Path)."""

    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._may_export = can(signed_in.user, Permission.EXPORT_RETURNS)
        self._years_requested = False
        self._year_picked = False
        """True once a year was chosen (by the person or ``choose``): kept when years arrive."""
        self._generation = 0
        self._task: Task | None = None
        self._prepared: PreparedReport | None = None
        self._warnings_confirmed = False
        self._last_folder: Path | None = None
        self.preview: ReportPreview | None = None
        self._make_controls()
        self._lay_out()
        self._connect()
        self._fill_years([])
        self._update()
        self.follow_language()

    # --- construction ------------------------------------------------------------------------

    def _make_controls(self) -> None:
        self.kind_label, self.period_label = QLabel(self), QLabel(self)
        self.threshold_label, self.dates_label = QLabel(self), QLabel(self)
        self.kind = QComboBox(self)
        self.kind.addItem("", NETWORK)
        self.kind.addItem("", INTERNAL)
        self.year = QComboBox(self)
        self.part = QComboBox(self)
        for combo in (self.kind, self.year, self.part):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, _text in PARTS:
            self.part.addItem("", code)
        self.start = DateField(self)
        self.end = DateField(self)
        self.to_label = QLabel(self)
        self.threshold = threshold_box(self, 64)
        self.threshold_note = muted(self)
        self.prepare_button = QPushButton(self)
        self.prepare_button.setProperty("primary", True)
        self.prepare_button.setAutoDefault(False)
        self.prepare_shortcuts = [
            QShortcut(QKeySequence(keys), self) for keys in ("Ctrl+Return", "Ctrl+Enter")
        ]
        for shortcut in self.prepare_shortcuts:
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.not_allowed = muted(self)
        self.message = InlineMessage(self)
        self.result_title = QLabel(self)
        self.result_title.setWordWrap(True)
        self.result_title.setStyleSheet("font-weight: 600; color: #1b3a5c;")
        self.warnings = Banner("warning", self)
        self.warnings.button.hide()
        self.export_buttons = {fmt: QPushButton(self) for fmt in FORMATS}
        for button in self.export_buttons.values():
            button.setAutoDefault(False)
        self.saver = Saver(self, self._runner, self.message)
        self.saved_row = self.saver.row
        self.saved_text, self.open_folder_button = self.saver.text, self.saver.open_folder_button
        self.placeholder = muted(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_area = page_scroll(self)

    def _lay_out(self) -> None:
        """The report and its period, then the threshold or the dates and Prepare (``_arrange``)."""
        self.period_box = QWidget(self)
        period = QHBoxLayout(self.period_box)
        period.setContentsMargins(0, 0, 0, 0)
        period.setSpacing(8)
        period.addWidget(self.year)
        period.addWidget(self.part)
        period.addStretch(1)
        self.second_box = QWidget(self)
        second = QHBoxLayout(self.second_box)
        second.setContentsMargins(0, 0, 0, 0)
        second.setSpacing(8)
        second.addWidget(self.threshold)
        second.addSpacing(2)
        second.addWidget(self.threshold_note, 1)
        for widget in (self.start, self.to_label, self.end):
            second.addWidget(widget)
        second.addStretch(0)
        second.addSpacing(12)
        second.addWidget(self.prepare_button)
        self.form = QGridLayout()
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(10)
        self.export_row = QWidget(self)
        self.exports = QGridLayout(self.export_row)
        self.exports.setContentsMargins(0, 0, 0, 0)
        self.exports.setSpacing(8)
        self._wide: bool | None = None
        self._arrange()
        self.body.setSpacing(10)
        self.body.addLayout(self.form)
        self.body.addWidget(self.not_allowed)
        self.body.addWidget(self.message)
        self.body.addWidget(self.result_title)
        self.body.addWidget(self.warnings)
        self.body.addWidget(self.export_row)
        self.body.addWidget(self.saved_row)
        self.body.addWidget(self.placeholder, 1)
        self.body.addWidget(self.preview_area, 1)
        self.preview_area.hide()

    def _arrange(self) -> None:
        """Two rows of choices and one of export buttons when they fit, else more rows."""
        room = self.width() - PAGE_MARGINS[0] - PAGE_MARGINS[2]
        spacing = self.form.horizontalSpacing()
        first_row = [self.kind_label, self.kind, self.period_label, self.period_box]
        wide = sum(w.sizeHint().width() for w in first_row) + 3 * spacing <= room
        if wide != self._wide:
            self._wide = wide
            self._place_form(wide)
        buttons = list(self.export_buttons.values())
        needed = sum(b.sizeHint().width() for b in buttons) + 3 * self.exports.spacing()
        columns = len(buttons) if needed <= room else 2
        if self.exports.columnCount() != columns or self.exports.count() != len(buttons):
            for button in buttons:
                self.exports.removeWidget(button)
            for number, button in enumerate(buttons):
                self.exports.addWidget(button, number // columns, number % columns)
            for column in range(len(buttons) + 1):
                self.exports.setColumnStretch(column, 1 if column == columns else 0)

    def _place_form(self, wide: bool) -> None:
        form, left = self.form, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        widgets = (self.kind_label, self.kind, self.period_label, self.period_box)
        for widget in (*widgets, self.threshold_label, self.dates_label, self.second_box):
            form.removeWidget(widget)
        form.addWidget(self.kind_label, 0, 0, left)
        if wide:
            form.addWidget(self.kind, 0, 1, left)
            form.addWidget(self.period_label, 0, 2, left)
            form.addWidget(self.period_box, 0, 3)
        else:
            form.addWidget(self.kind, 0, 1, 1, 3, left)
            form.addWidget(self.period_label, 1, 0, left)
            form.addWidget(self.period_box, 1, 1, 1, 3)
        last = 1 if wide else 2
        form.addWidget(self.threshold_label, last, 0, left)
        form.addWidget(self.dates_label, last, 0, left)
        form.addWidget(self.second_box, last, 1, 1, 3)
        form.setColumnStretch(3, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _connect(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.part.currentIndexChanged.connect(self._part_changed)
        self.year.currentIndexChanged.connect(self._period_changed)
        self.year.activated.connect(self._pick_year)
        self.start.changed.connect(self._period_changed)
        self.end.changed.connect(self._period_changed)
        self.threshold.valueChanged.connect(self._period_changed)
        self.threshold.valueChanged.connect(self._describe_threshold)
        self.prepare_button.clicked.connect(self.prepare)
        for shortcut in self.prepare_shortcuts:
            shortcut.activated.connect(self.prepare)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
        self.saver.busy.connect(self._set_saving)
        self.saver.saved.connect(self.saved)

    def retranslate(self) -> None:
        self.heading.setText(_("Reports"))
        self.intro.setText(
            _(
                "Prepare the return for COPE or an internal report, and check every table "
                "before saving it."
            )
        )
        self.kind_label.setText(_("Report"))
        self.kind.setItemText(0, _("Network return to COPE"))
        self.kind.setItemText(1, _("Internal yearly report"))
        self.period_label.setText(_("Period"))
        for number, (_code, text) in enumerate(PARTS):
            self.part.setItemText(number, _(text))
        if self.part.count() > len(PARTS):
            self.part.setItemText(len(PARTS), _("Custom dates"))
        self.to_label.setText(_("to"))
        self._name_years()
        self.threshold_label.setText(_("Threshold"))
        # The fields stay put when the threshold row gives way to the dates (internal report).
        self.dates_label.setText(_("Dates"))
        labels = (self.kind_label, self.threshold_label, self.dates_label)
        self.form.setColumnMinimumWidth(0, max(label.sizeHint().width() for label in labels))
        tip = _(
            "Figures from 1 to one less than this number are hidden (shown as “<5” for 5), "
            "together with other figures that would give them away. COPE asks for 5; a higher "
            "number hides more."
        )
        explain_threshold(self.threshold, self.threshold_label, tip)
        self._describe_threshold()
        self.prepare_button.setText(_("Prepare"))
        self.prepare_button.setToolTip(
            _("Count the figures and show the report ({shortcut}). Nothing is saved yet.").format(
                shortcut=QKeySequence("Ctrl+Return").toString(
                    QKeySequence.SequenceFormat.NativeText
                )
            )
        )
        self.not_allowed.setText(
            _(
                "Reports are prepared by a coordinator or an administrator. Your role can "
                "see the figures on the home page."
            )
        )
        self._name_export_buttons()
        self.saver.retranslate()
        self.placeholder.setText(
            _(
                "Choose the report and the period, then Prepare. Every table appears here as "
                "it will be sent, before anything is saved."
            )
        )
        self.warnings.title.setText(_("Please check before you send this"))
        self._show_result_title()
        if self.preview is not None:
            self.preview.retranslate()

    def _describe_threshold(self) -> None:
        k = self.threshold.value()
        self.threshold_note.setText(
            _("Figures from 1 to {largest} are shown as “<{k}”.").format(
                largest=format_number(k - 1), k=format_number(k)
            )
        )

    def _name_export_buttons(self) -> None:
        internal = self.internal
        texts = {
            "json": _("Save data (JSON)…") if internal else _("Save return (JSON)…"),
            "pdf": _("PDF…"),
            "xlsx": _("Spreadsheet (XLSX)…"),
            "csv": _("CSV (zip)…"),
        }
        for fmt, button in self.export_buttons.items():
            button.setText(texts[fmt])
        self._arrange()

    # --- choices -----------------------------------------------------------------------------

    @property
    def internal(self) -> bool:
        return self.kind.currentData() == INTERNAL

    @property
    def may_export(self) -> bool:
        return self._may_export

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._years_requested:
            self._read_years()

    def _read_years(self) -> None:
        self._years_requested = True
        db = self._signed_in.db

        def read() -> list[int]:
            from cope_desktop.reports.service import report_years

            with db.session() as session:
                return report_years(session)

        self._runner.run(read, self._fill_years, lambda _failure: None, context=self)

    def _fill_years(self, years: list[int]) -> None:
        """Offer the years with records and this year, newest first, keeping the choice."""
        this_year = validation.today().year
        offered = sorted({*years, this_year}, reverse=True)
        chosen = self.year.currentData() if self._year_picked else None
        if chosen not in offered:
            ended = [year for year in offered if year < this_year]
            chosen = ended[0] if ended else this_year
        self.year.blockSignals(True)
        self.year.clear()
        for year in offered:
            self.year.addItem("", year)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))
        self.year.blockSignals(False)
        self._name_years()

    def _pick_year(self) -> None:
        self._year_picked = True

    def _name_years(self) -> None:
        this_year = validation.today().year
        for index in range(self.year.count()):
            year = self.year.itemData(index)
            text = str(year)
            if year == this_year:
                text = _("{year} (so far)").format(year=year)
            self.year.setItemText(index, text)

    def choose(
        self,
        *,
        internal: bool = False,
        year: int | None = None,
        part: str = WHOLE,
        start: dt.date | None = None,
        end: dt.date | None = None,
        threshold: int | None = None,
    ) -> None:
        """Set the choices as a person would (used by the home page's shortcut and tests)."""
        self.kind.setCurrentIndex(self.kind.findData(INTERNAL if internal else NETWORK))
        if year is not None:
            self._year_picked = True
            if self.year.findData(year) < 0:
                self._fill_years([*(self.year.itemData(i) for i in range(self.year.count())), year])
            self.year.setCurrentIndex(self.year.findData(year))
        self.part.setCurrentIndex(max(0, self.part.findData(part)))
        if start is not None:
            self.start.set_date(start)
        if end is not None:
            self.end.set_date(end)
        if threshold is not None:
            self.threshold.setValue(threshold)

    def prepare_year(self, year: int) -> None:
        """Choose the network return of ``year`` and prepare it (the home page's shortcut)."""
        self.choose(year=year)
        if self._may_export:
            self.prepare()

    def period(self) -> Period:
        """The period chosen; UserInputError with a sentence when the dates do not make one."""
        from cope_desktop.errors import UserInputError

        part = self.part.currentData()
        if part == CUSTOM:
            problems = [field.problem() for field in (self.start, self.end)]
            first, last = self.start.date(), self.end.date()
            if any(problems) or first is None or last is None:
                raise UserInputError(
                    next((p for p in problems if p), None)
                    or _("Give the first and the last day of the period.")
                )
            return Period(first, last)
        year = int(self.year.currentData() or validation.today().year)
        if part == FIRST_HALF:
            return Period.half(year, 1)
        if part == SECOND_HALF:
            return Period.half(year, 2)
        return Period.year(year)

    def _kind_changed(self) -> None:
        custom = self.part.findData(CUSTOM)
        if self.internal and custom < 0:
            self.part.addItem(_("Custom dates"), CUSTOM)
        elif not self.internal and custom >= 0:
            if self.part.currentIndex() == custom:
                self.part.setCurrentIndex(0)
            self.part.removeItem(custom)
        self._name_export_buttons()
        self._period_changed()

    def _period_changed(self) -> None:
        """Any change of choice: the preview no longer matches, so it goes."""
        self.clear_preview()
        self._update()

    def _part_changed(self) -> None:
        """Custom dates start as the chosen year so far, ready to be changed."""
        if self.part.currentData() == CUSTOM and self.start.is_empty() and self.end.is_empty():
            year = int(self.year.currentData() or validation.today().year)
            self.start.set_date(dt.date(year, 1, 1))
            self.end.set_date(
                min(dt.date(year, 12, 31), max(validation.today(), dt.date(year, 1, 1)))
            )
        self._period_changed()

    def _update(self) -> None:
        custom = self.part.currentData() == CUSTOM
        self.year.setVisible(not custom)
        dates: list[QWidget] = [self.dates_label, self.start, self.to_label, self.end]
        for widget in dates:
            widget.setVisible(custom)
        network = not self.internal
        threshold: list[QWidget] = [self.threshold_label, self.threshold, self.threshold_note]
        for widget in threshold:
            widget.setVisible(network)
        fields: list[QWidget] = [self.kind, self.year, self.part, self.start, self.end]
        for widget in [*fields, self.threshold]:
            widget.setEnabled(self._may_export)
        self.prepare_button.setEnabled(self._may_export)
        self.not_allowed.setVisible(not self._may_export)
        shown = self._prepared is not None
        self.result_title.setVisible(shown)
        self.export_row.setVisible(shown)
        self.preview_area.setVisible(shown)
        self.placeholder.setVisible(not shown and self._may_export)
        warnings = self._prepared.warnings if self._prepared is not None else []
        self.warnings.setVisible(bool(warnings))

    # --- preparing ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Prepare the chosen report in the background (progress and Cancel if it takes long)."""
        from cope_desktop.errors import UserInputError

        if not self._may_export or (self._task is not None and self._task.running):
            return
        try:
            period = self.period()
        except UserInputError as error:
            self.message.show_error(error.message)
            return
        self.clear_preview()
        self._generation += 1
        generation = self._generation
        db, user = self._signed_in.db, self._signed_in.user
        internal, threshold = self.internal, self.threshold.value()

        def job() -> object:
            from cope_desktop.reports.service import prepare_report

            return prepare_report(db, user, period, internal=internal, threshold=threshold)

        self.prepare_button.setEnabled(False)
        self.message.show_info(
            _("Preparing the report for {period}…").format(period=period.label())
        )
        self._task = self._runner.run(
            job,
            lambda prepared: self._prepared_ready(generation, prepared),
            lambda failure: self._prepare_failed(generation, failure),
            on_cancel=lambda: self._prepare_cancelled(generation),
            context=self,
            progress_parent=self.window(),
            progress_title=_("Preparing the report…"),
        )

    def _prepared_ready(self, generation: int, prepared: PreparedReport) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.message.clear_message()
        self.show_prepared(prepared)

    def _prepare_failed(self, generation: int, failure: TaskFailure) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.message.show_error(failure.message)
        self._update()

    def _prepare_cancelled(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.message.show_info(_("Preparing was stopped. Nothing was saved."))
        self._update()

    def show_prepared(self, prepared: PreparedReport) -> None:
        """Show ``prepared``: warnings, what was hidden and why, then every table."""
        from cope_desktop.ui.report_view import ReportPreview

        self._prepared = prepared
        self._warnings_confirmed = False
        self.preview = ReportPreview(
            prepared.document,
            primary=prepared.primary,
            secondary=prepared.secondary,
        )
        holder = QWidget()
        holder.setObjectName(CONTENT_NAME)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 4, 12, 12)
        layout.addWidget(self.preview)
        self.preview_area.setWidget(holder)
        self.warnings.text.setText("\n".join(prepared.warnings))
        self.preview_area.verticalScrollBar().setValue(0)
        self._name_export_buttons()
        self._show_result_title()
        self._update()
        self.prepared_shown.emit()

    @property
    def prepared(self) -> PreparedReport | None:
        return self._prepared

    def _show_result_title(self) -> None:
        prepared = self._prepared
        if prepared is None:
            return
        hidden = int(prepared.document.get("disclosure", {}).get("suppressed") or 0)
        if prepared.internal:
            text = _("Internal report for {period}: exact figures, not to be sent.")
        elif hidden:
            text = _("Network return for {period}, ready to save: {hidden} figures are hidden.")
        else:
            text = _("Network return for {period}, ready to save: no figure needed hiding.")
        self.result_title.setText(
            text.format(period=prepared.period.label(), hidden=format_number(hidden))
        )

    def clear_preview(self) -> None:
        """Forget the prepared report (and any report still being prepared)."""
        if self._task is not None and self._task.running:
            self._task.cancel()
        self._task = None
        self._generation += 1
        self._prepared = None
        self._warnings_confirmed = False
        if self.preview is not None:
            holder = self.preview_area.takeWidget()
            if holder is not None:
                holder.deleteLater()
            self.preview = None
        self.saver.forget()
        self.message.clear_message()
        self._update()

    # --- exporting ---------------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        """Ask where to save ``fmt`` and write it in the background."""
        prepared = self._prepared
        if prepared is None:
            return
        if prepared.warnings and not self._warnings_confirmed:
            if not confirm_warnings(self, prepared.warnings):
                return
            self._warnings_confirmed = True
        from cope_desktop.reports.service import default_file_name

        path = ask_save_path(
            self,
            _("Save the report as"),
            (self._last_folder or documents_folder()) / default_file_name(prepared, fmt),
            _(FILE_FILTERS[fmt]),
            SUFFIXES[fmt],
        )
        if path is None:
            return
        self._last_folder = path.parent
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> object:
            from cope_desktop.reports.service import write_report

            return write_report(db, user, prepared, fmt, path)

        self.saver.write(job, path)

    def _set_saving(self, saving: bool) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(not saving)
