"""File > Import records…: choose a spreadsheet, match its columns, check it, then import.

Nothing is written until the last step. The file is read and checked off the GUI thread (a
dry run of the importer, with progress and Cancel); the Import button is offered only when the
check found no problem, and the import itself is one transaction, so it is whole or nothing.
The columns a person matched are remembered in the settings for the next file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from cope_desktop.i18n import _, format_number
from cope_desktop.paths import resource_path
from cope_desktop.services.interchange.layout import SHEETS
from cope_desktop.settings import Settings
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.import_pages import (
    CountsTable,
    Mapping_,
    MappingForm,
    PreviewTabs,
    ProblemList,
    clean_mapping,
    problem_summary,
    unmatched_columns,
)
from cope_desktop.ui.saving import ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import (
    BusyBar,
    BusyGuard,
    ElidedPathLabel,
    InlineMessage,
    heading,
    intro,
    muted,
    set_state,
)
from cope_desktop.ui.wizard import StepList
from cope_desktop.ui.wizard_buttons import enable_buttons, translate_buttons

if TYPE_CHECKING:
    from cope_desktop.services.interchange.plan import ImportCounts
    from cope_desktop.services.interchange.service import ImportResult

CHOOSE, MATCH, CHECK, IMPORT = range(4)
TEMPLATE_NAME = "cope-import-template.xlsx"


@dataclass
class ImportState:
    """What the pages share: the file, its columns per sheet and the chosen mapping."""

    path: Path | None = None
    columns: dict[str, list[str]] = field(default_factory=dict)
    mapping: Mapping_ = field(default_factory=dict)


def count_rows(counts: ImportCounts) -> list[tuple[str, int, int, int]]:
    """(sheet, added, updated, unchanged) for each sheet with rows, in layout order."""
    rows = []
    for sheet in SHEETS:
        figures = counts.sheets.get(sheet.name)
        if figures is not None and (figures.added or figures.updated or figures.unchanged):
            rows.append((sheet.name, figures.added, figures.updated, figures.unchanged))
    return rows


class _Page(QWizardPage):
    """A page with a heading, an introduction and an inline message (as in the first run)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.import_wizard = wizard
        self.heading = heading(self)
        self.intro = intro(self)
        self.message = InlineMessage(self)
        self.busy = BusyBar(self)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 4, 8, 4)
        self.layout_.setSpacing(10)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.intro)

    @property
    def state(self) -> ImportState:
        return self.import_wizard.state

    def finish_layout(self, *, stretch: bool = True) -> None:
        if stretch:
            self.layout_.addStretch(1)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.busy)
        self.retranslate()

    def retranslate(self) -> None:
        raise NotImplementedError

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.import_wizard.set_busy(busy)
        self.completeChanged.emit()


class ChoosePage(_Page):
    """Choose the workbook (or CSV file); its column names are read at once."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._reading = False
        self.file_label = QLabel(self)
        self.path = ElidedPathLabel(self)
        self.path.setObjectName("importPath")
        self.choose = QPushButton(self)
        self.choose.setAutoDefault(False)
        self.choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        self.how = muted(self)
        self.template_note = muted(self)
        self.template = QPushButton(self)
        self.template.setAutoDefault(False)
        self.template.clicked.connect(self.save_template)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template)
        template_row.addStretch(1)
        self.layout_.addSpacing(6)
        self.layout_.addWidget(self.file_label)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.how)
        self.layout_.addSpacing(12)
        self.layout_.addWidget(self.template_note)
        self.layout_.addLayout(template_row)
        self.finish_layout()

    def retranslate(self) -> None:
        self.heading.setText(_("Import records from a spreadsheet"))
        self.intro.setText(
            _(
                "Records come in from an interchange workbook: one sheet for each kind of record "
                "(families, children, caregivers, prisons, activities…), with the column names "
                "in its first row. A file saved by File > Export every record is one."
            )
        )
        self.file_label.setText(_("Spreadsheet (.xlsx or .csv):"))
        if self.state.path is None:
            self.path.set_path(_("No file chosen yet."))
        self.choose.setText(_("&Choose a file…"))
        self.how.setText(
            _(
                "A row whose reference (family_ref, child_ref…) is already in the database "
                "updates that record; the other rows are added. The whole file is checked first, "
                "and nothing changes until you press Import."
            )
        )
        self.template_note.setText(
            _(
                "Starting a new spreadsheet? The blank template has every sheet and column, "
                "with a note on each column saying what it holds."
            )
        )
        self.template.setText(_("Save a blank &template…"))

    def isComplete(self) -> bool:
        return self.state.path is not None and not self._reading

    def nextId(self) -> int:
        return MATCH if unmatched_columns(self.state.columns) else CHECK

    def choose_file(self) -> None:
        start = self.state.path.parent if self.state.path else documents_folder()
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the spreadsheet to import"),
            str(start),
            _("Spreadsheets (*.xlsx *.csv)"),
        )
        if chosen:
            self.read_columns(Path(chosen))

    def read_columns(self, path: Path) -> None:
        """Read the file's column names off the GUI thread; the page completes when done."""
        from cope_desktop.services.interchange import service

        self.state.path, self.state.columns, self.state.mapping = None, {}, {}
        self.path.set_path(path)
        self.message.clear_message()
        self._reading = True
        self.set_busy(True)

        def done(columns: dict[str, list[str]]) -> None:
            self._reading = False
            self.state.path, self.state.columns = path, columns
            self.set_busy(False)

        def failed(failure: TaskFailure) -> None:
            self._reading = False
            self.set_busy(False)
            self.message.show_error(failure.message)

        self.import_wizard.runner.run(
            lambda: service.column_names(path), done, failed, context=self
        )

    def save_template(self) -> None:
        from cope_desktop.services.interchange.template import write_template

        path = ask_save_path(
            self,
            _("Save a blank template"),
            documents_folder() / TEMPLATE_NAME,
            _("Excel workbook (*.xlsx)"),
            ".xlsx",
        )
        if path is None:
            return

        def done(_result: object) -> None:
            self.message.show_info(_("The blank template was saved to {path}.").format(path=path))

        def failed(failure: TaskFailure) -> None:
            self.message.show_error(failure.message)

        self.import_wizard.runner.run(lambda: write_template(path), done, failed, context=self)


class MatchPage(_Page):
    """Say which interchange column each of the file's other columns holds."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.form = MappingForm(self)
        self.layout_.addSpacing(4)
        self.layout_.addWidget(self.form, 1)
        self.finish_layout(stretch=False)

    def retranslate(self) -> None:
        self.heading.setText(_("Match the columns"))
        self.intro.setText(
            _(
                "Some columns of the file do not have the name of an interchange column. Choose "
                "what each one holds. A column left as “(not imported)” is reported by the "
                "check, so you can rename or remove it in the spreadsheet instead."
            )
        )

    def initializePage(self) -> None:
        remembered = clean_mapping(self.import_wizard.settings.import_mappings)
        columns = self.state.columns
        self.form.build(columns, unmatched_columns(columns), remembered)

    def validatePage(self) -> bool:
        self.state.mapping = self.form.mapping()
        return True


class CheckPage(_Page):
    """The dry run: every problem, or what would change; and a preview of each sheet."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.result: ImportResult | None = None
        self._checking = False
        self.setCommitPage(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.again = QPushButton(self)
        self.again.setAutoDefault(False)
        self.again.clicked.connect(self.start_check)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.again, 0, Qt.AlignmentFlag.AlignTop)
        self.problems = ProblemList(self)
        self.counts = CountsTable(self)
        self.findings = QStackedWidget(self)
        self.findings.addWidget(self.problems)
        self.findings.addWidget(self.counts)
        self.preview_label = QLabel(self)
        self.previews = PreviewTabs(self)
        self.problems.sheet_chosen.connect(self.previews.show_sheet)
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 4, 0, 0)
        below_layout.addWidget(self.preview_label)
        below_layout.addWidget(self.previews, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.findings)
        self.splitter.addWidget(below)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([200, 240])
        self.findings.setMinimumHeight(90)
        below.setMinimumHeight(120)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self.splitter, 1)
        self.finish_layout(stretch=False)

    def retranslate(self) -> None:
        self.heading.setText(_("Check the file"))
        self.intro.setText(
            _("Every row is checked with the same rules as the forms before anything is imported.")
        )
        self.again.setText(_("Check &again"))
        self.preview_label.setText(_("The first rows of each sheet, as they were read:"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Import"))

    def initializePage(self) -> None:
        self.start_check()

    def cleanupPage(self) -> None:
        self.result = None

    def isComplete(self) -> bool:
        return self.result is not None and not self.result.problems and not self._checking

    def start_check(self) -> None:
        """Read the file again and check it (a dry run), with its preview."""
        from cope_desktop.services.interchange import service

        state, signed_in = self.state, self.import_wizard.signed_in
        path, mapping = state.path, state.mapping or None
        if path is None:
            return
        self.result = None
        self._checking = True
        self.summary.setText(_("Checking {name}…").format(name=path.name))
        self.message.clear_message()
        self.set_busy(True)

        self.import_wizard.runner.run(
            service.import_file(signed_in.db, signed_in.user, path, dry_run=True, mapping=mapping),
            self._checked,
            self._failed,
            on_cancel=self._cancelled,
            context=self,
            writes=True,
            progress_parent=self.import_wizard,
            progress_title=_("Checking {name}…").format(name=path.name),
        )

    def _checked(self, result: ImportResult) -> None:
        self._checking = False
        self.result = result
        self.previews.show_preview(result.preview)
        if result.problems:
            set_summary(
                self.summary,
                problem_summary(result.problems, max(result.problem_count, len(result.problems))),
                "error",
            )
            self.problems.show_problems(result.problems)
            self.findings.setCurrentWidget(self.problems)
            self.previews.show_sheet(next((p.sheet for p in result.problems if p.sheet), ""))
        else:
            rows = count_rows(result.counts)
            total = sum(added + updated for _sheet, added, updated, _same in rows)
            text = (
                _(
                    "No problems found. Importing adds or updates {count} rows; the table "
                    "shows each sheet. Press Import to go ahead."
                ).format(count=format_number(total))
                if total
                else _(
                    "No problems found. Every row is already in the database as it is in the "
                    "file: importing changes nothing."
                )
            )
            set_summary(self.summary, text, "ok")
            self.counts.show_counts(rows)
            self.findings.setCurrentWidget(self.counts)
        self.set_busy(False)

    def _failed(self, failure: TaskFailure) -> None:
        self._checking = False
        set_summary(self.summary, _("The file could not be checked."), "error")
        self.message.show_error(failure.message)
        self.set_busy(False)

    def _cancelled(self) -> None:
        self._checking = False
        set_summary(self.summary, _("The check was stopped. Press Check again to finish it."), "")
        self.set_busy(False)


def set_summary(label: QLabel, text: str, state: str) -> None:
    label.setText(text)
    set_state(label, state)


class ImportPage(_Page):
    """The import itself: whole or nothing, then what was added, updated and left alone."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.done = False
        self.result: ImportResult | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.counts = CountsTable(self)
        self.problems = ProblemList(self)
        self.problems.hide()
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.counts, 1)
        self.layout_.addWidget(self.problems, 1)
        self.finish_layout(stretch=False)

    def retranslate(self) -> None:
        self.heading.setText(_("Import"))
        if not self.done:
            self.intro.setText(_("Importing the records…"))

    def isComplete(self) -> bool:
        return self.done

    def initializePage(self) -> None:
        from cope_desktop.services.interchange import service

        state, signed_in = self.state, self.import_wizard.signed_in
        path, mapping = state.path, state.mapping or None
        if path is None:
            return
        self.done = False
        self.counts.hide()
        self.problems.hide()
        self.summary.clear()
        self.set_busy(True)
        self.import_wizard.runner.run(
            service.import_file(signed_in.db, signed_in.user, path, mapping=mapping),
            self._imported,
            self._failed,
            on_cancel=self._cancelled,
            context=self,
            writes=True,
            progress_parent=self.import_wizard,
            progress_title=_("Importing {name}…").format(name=path.name),
        )

    def _imported(self, result: ImportResult) -> None:
        self.result = result
        if result.written:
            self.intro.setText(_("The records were imported."))
            rows = count_rows(result.counts)
            self.counts.show_counts(rows)
            self.counts.show()
            changed = sum(added + updated for _sheet, added, updated, _same in rows)
            set_summary(
                self.summary,
                _("Every row was already in the database as it is in the file: nothing changed.")
                if not changed
                else _("{count} rows were added or updated; the table shows each sheet.").format(
                    count=format_number(changed)
                ),
                "ok",
            )
            self.import_wizard.remember_mapping()
            self.import_wizard.imported.emit()
        else:
            self.intro.setText(_("Nothing was imported."))
            set_summary(
                self.summary,
                _(
                    "The file changed after it was checked and now has problems. Nothing was "
                    "changed: fix the spreadsheet and import it again."
                ),
                "error",
            )
            self.problems.show_problems(result.problems)
            self.problems.show()
        self._finish()

    def _failed(self, failure: TaskFailure) -> None:
        self.intro.setText(_("Nothing was imported."))
        self.message.show_error(failure.message)
        self._finish()

    def _cancelled(self) -> None:
        self.intro.setText(_("Nothing was imported."))
        set_summary(self.summary, _("The import was stopped at your request. Nothing changed."), "")
        self._finish()

    def _finish(self) -> None:
        self.done = True
        self.set_busy(False)


class ImportWizard(BusyGuard, QWizard):
    """The four steps of an import, modal to the main window."""

    imported = Signal()
    """Records were written (the lists on show need reading again)."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        settings: Settings,
        settings_file: Path | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.signed_in = signed_in
        self.runner = runner
        self.settings = settings
        self._settings_file = settings_file
        self._busy = False
        self.state = ImportState()
        self.choose_page = ChoosePage(self)
        self.match_page = MatchPage(self)
        self.check_page = CheckPage(self)
        self.import_page = ImportPage(self)
        for number, page in enumerate(
            (self.choose_page, self.match_page, self.check_page, self.import_page)
        ):
            self.setPage(number, page)
        self.setStartId(CHOOSE)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.steps = StepList(4)
        self.setSideWidget(self.steps)
        self.currentIdChanged.connect(self.steps.set_current)
        self.setMinimumSize(760, 500)
        self.resize(900, 600)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import records"))
        self.steps.set_titles((_("Choose a file"), _("Match columns"), _("Check"), _("Import")))
        translate_buttons(self, _("&Close"))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        enable_buttons(self, not busy)

    @property
    def busy(self) -> bool:
        return self._busy

    def remember_mapping(self) -> None:
        """Keep the columns matched in this import for the next file (merged per sheet)."""
        if not self.state.mapping:
            return
        remembered = clean_mapping(self.settings.import_mappings)
        for sheet, pairs in self.state.mapping.items():
            remembered.setdefault(sheet, {}).update(pairs)
        self.settings.import_mappings = remembered
        if self._settings_file is not None:
            self.settings.save_or_warn(self._settings_file)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._busy and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)


def open_import_wizard(
    parent: QWidget,
    signed_in: SignedIn,
    runner: TaskRunner,
    settings: Settings,
    settings_file: Path | None,
) -> ImportWizard:
    """Open the wizard, modal to ``parent``; it deletes itself when closed."""
    wizard = ImportWizard(signed_in, runner, settings, settings_file, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard


__all__ = ["ImportWizard", "open_import_wizard"]
