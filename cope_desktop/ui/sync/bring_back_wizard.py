"""Bring back the day's work: the bundles found in the mailbox, imported one after the other.

Only each file's header is read to list it (no key needed): which copy made it, when, and how
many changes it holds. Files this copy made itself, or already brought back, are marked and
left unticked. Each bundle is imported in its own transaction; one that cannot be read is
named and the others still come in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
    QWizard,
)

from cope_desktop import i18n
from cope_desktop.errors import CopeError
from cope_desktop.i18n import N_, _, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.progress import Progress
from cope_desktop.settings import Settings
from cope_desktop.sync.apply import ImportResult, device_label
from cope_desktop.sync.preview import organisation_id, their_seq, this_copy
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.sync.common import (
    ExchangeWizard,
    FolderPage,
    bundles_in,
    default_folder,
)
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import muted, set_state
from cope_desktop.ui.wizard_pages import _Page

NEW, OWN, IMPORTED, FULL, FOREIGN, UNREADABLE = (
    "new",
    "own",
    "imported",
    "full",
    "foreign",
    "unreadable",
)
STATES = {
    NEW: N_("New"),
    OWN: N_("Made by this copy"),
    IMPORTED: N_("Already brought back"),
    FULL: N_("Whole record, for setting up a laptop"),
    FOREIGN: N_("From another organisation"),
    UNREADABLE: N_("Cannot be read"),
}
COLUMNS = (N_("From"), N_("Made"), N_("Changes"), N_("State"))


@dataclass(frozen=True)
class FoundBundle:
    path: Path
    header: Any | None
    state: str
    problem: str = ""

    @property
    def tick(self) -> bool:
        return self.state == NEW


@dataclass(frozen=True)
class BundleOutcome:
    path: Path
    result: ImportResult | None
    problem: str = ""


def find_bundles(signed_in: SignedIn, folder: Path) -> list[FoundBundle]:
    """Read the header of every bundle in ``folder`` and say which ones to bring back."""
    from cope_desktop.sync.bundle import read_header

    found: list[FoundBundle] = []
    with signed_in.db.session() as session:
        me = this_copy(session).device_id
        organisation = organisation_id(session)
        for path in bundles_in(folder):
            try:
                header = read_header(path)
            except CopeError as error:
                found.append(FoundBundle(path, None, UNREADABLE, error.message))
                continue
            found.append(FoundBundle(path, header, _state(session, header, me, organisation)))
    return found


def _state(session: Any, header: Any, me: uuid.UUID | None, organisation: Any) -> str:
    if organisation is not None and str(header.organisation_id) != str(organisation):
        return FOREIGN
    if me is not None and str(header.device_id) == str(me):
        return OWN
    if header.kind == "full":
        return FULL
    if their_seq(session, header.device_id) >= header.seq_to:
        return IMPORTED
    return NEW


def import_all(
    signed_in: SignedIn, paths: list[Path]
) -> Generator[Progress, None, list[BundleOutcome]]:
    """Import each bundle in turn (each in its own transaction)."""
    from cope_desktop.sync.apply import import_bundle

    outcomes: list[BundleOutcome] = []
    for number, path in enumerate(paths):
        yield Progress(number, len(paths), _("Bringing back {name}…").format(name=path.name))
        try:
            work = import_bundle(signed_in.db, signed_in.user, path)
            result = yield from work
        except CopeError as error:
            outcomes.append(BundleOutcome(path, None, error.message))
        else:
            outcomes.append(BundleOutcome(path, result))
    yield Progress(len(paths), len(paths))
    return outcomes


class ChooseFolderPage(FolderPage):
    def __init__(self, folder: str) -> None:
        super().__init__(folder)
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Bring back the day's work"),
            _(
                "Plug in the USB stick from the laptop, or open the shared folder, and choose "
                "the folder that holds the files."
            ),
        )
        self.retranslate_folder(_("The folder that holds the files"))


class BundlesPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.tree.header()
        for column in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.status = muted(self)
        self.layout_.addWidget(self.tree, 1)
        self.layout_.addWidget(self.status)
        self.found: list[FoundBundle] | None = None
        self.on_next: Callable[[], bool] = lambda: True
        """Set by the wizard: starts the import and says whether to move on yet."""
        self.tree.itemChanged.connect(lambda *_args: self.completeChanged.emit())
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(
            _("Files found"),
            _("The ticked files are brought back, one after the other."),
        )
        self.tree.setHeaderLabels([_(title) for title in COLUMNS])
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Bring back"))
        if self.found is not None:
            self.show_found(self.found)
        else:
            self.status.setText(_("Looking in the folder…"))

    def show_found(self, found: list[FoundBundle]) -> None:
        ticked = set(self.ticked()) if self.found is not None else None
        self.found = found
        self.tree.blockSignals(True)
        self.tree.clear()
        for bundle in found:
            item = QTreeWidgetItem(self.tree)
            header = bundle.header
            if header is None:
                item.setText(0, bundle.path.name)
                item.setText(3, bundle.problem)
                item.setToolTip(3, bundle.problem)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                continue
            item.setText(0, device_label(header.device_name))
            item.setText(1, i18n.format_local_datetime(header.created_at))
            item.setText(2, i18n.format_number(header.rows))
            item.setText(3, _(STATES[bundle.state]))
            item.setToolTip(0, str(bundle.path))
            item.setData(0, Qt.ItemDataRole.UserRole, str(bundle.path))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            tick = bundle.tick if ticked is None else bundle.path in ticked
            if bundle.state in (OWN, FOREIGN):
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                tick = False
            item.setCheckState(0, Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        if not found:
            self.status.setText(_("There are no files from other copies in this folder."))
        else:
            self.status.setText(
                ngettext("{count} file found.", "{count} files found.", len(found)).format(
                    count=i18n.format_number(len(found))
                )
            )
        self.completeChanged.emit()

    def ticked(self) -> list[Path]:
        paths = []
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                paths.append(Path(str(item.data(0, Qt.ItemDataRole.UserRole))))
        return paths

    def isComplete(self) -> bool:
        return bool(self.ticked())

    def validatePage(self) -> bool:
        return self.on_next()


class SummaryPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.details = muted(self)
        self.conflicts = QLabel(self)
        self.conflicts.setWordWrap(True)
        self.open_conflicts = QPushButton(self)
        self.open_conflicts.setAutoDefault(False)
        self.layout_.addWidget(self.summary)
        self.layout_.addWidget(self.details)
        self.layout_.addWidget(self.conflicts)
        self.layout_.addWidget(self.open_conflicts, 0, Qt.AlignmentFlag.AlignLeft)
        self.outcomes: list[BundleOutcome] = []
        self.finish_layout()

    def retranslate(self) -> None:
        self.set_texts(_("The work is back"), "")
        self.open_conflicts.setText(_("Decide now…"))
        self.show_outcomes(self.outcomes)

    def results(self) -> list[tuple[Path, ImportResult]]:
        return [(o.path, o.result) for o in self.outcomes if o.result is not None]

    def conflict_total(self) -> int:
        return sum(result.conflicts_new for _path, result in self.results())

    def show_outcomes(self, outcomes: list[BundleOutcome]) -> None:
        """A headline, then each file's own summary (the import service's sentence)."""
        self.outcomes = outcomes
        done = self.results()
        applied = sum(result.rows_applied for _path, result in done)
        # two sentences, each with its own plural: "1 file was brought back: 1 changes" read badly
        self.summary.setText(
            " ".join(
                (
                    ngettext(
                        "{count} file was brought back.",
                        "{count} files were brought back.",
                        len(done),
                    ).format(count=i18n.format_number(len(done))),
                    ngettext("{count} change in all.", "{count} changes in all.", applied).format(
                        count=i18n.format_number(applied)
                    ),
                )
            )
            if done
            else _("Nothing was brought back.")
        )
        lines = [f"{path.name}: {result.message}" for path, result in done if result.message]
        lines += [f"{o.path.name}: {o.problem}" for o in outcomes if o.result is None]
        self.details.setText("\n\n".join(lines))
        self.details.setVisible(bool(lines))
        set_state(self.details, "error" if any(o.result is None for o in outcomes) else "")
        conflicts = self.conflict_total()
        self.conflicts.setText(
            ngettext(
                "{count} change needs your decision: it was changed here and on the laptop.",
                "{count} changes need your decision: they were changed here and on the laptop.",
                conflicts,
            ).format(count=i18n.format_number(conflicts))
        )
        self.conflicts.setVisible(conflicts > 0)
        self.open_conflicts.setVisible(conflicts > 0)


class BringBackWizard(ExchangeWizard):
    imported = Signal()
    """At least one bundle was imported (the records shown elsewhere may have changed)."""
    conflicts_requested = Signal()
    """"Decide now…" was chosen: the page opens the conflicts."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        paths: AppPaths,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(signed_in, runner, paths, settings, parent)
        self._done = False
        self.folder_page = ChooseFolderPage(default_folder(settings))
        self.bundles_page = BundlesPage()
        self.summary_page = SummaryPage()
        for page in (self.folder_page, self.bundles_page, self.summary_page):
            self.addPage(page)
        self.bundles_page.on_next = self._import
        self.currentIdChanged.connect(self._entered)
        self.summary_page.open_conflicts.clicked.connect(self._decide_now)
        self.start()

    def title(self) -> str:
        return _("Bring back the day's work")

    def _entered(self, page_id: int) -> None:
        if self.page(page_id) is self.bundles_page and not self._done:
            folder = self.folder_page.folder.folder()
            if folder is None:
                return
            self.remember_folder(folder)
            self.bundles_page.found = None
            self.bundles_page.tree.clear()
            self.bundles_page.retranslate()
            signed_in = self._signed_in
            self._runner.run(
                lambda: find_bundles(signed_in, folder),
                self.bundles_page.show_found,
                lambda failure: self.bundles_page.show_problem(failure.message),
                context=self,
            )

    def _import(self) -> bool:
        if self._done:
            return True
        if self._busy:
            return False
        chosen = self.bundles_page.ticked()
        if not chosen:
            return False
        self._set_busy(True)
        self._runner.run(
            import_all(self._signed_in, chosen),
            self._imported,
            self._failed,
            on_cancel=self._cancelled,
            context=self,
            writes=True,
            progress_parent=self,
            progress_title=_("Bringing back the day's work…"),
        )
        return False

    def _imported(self, outcomes: list[BundleOutcome]) -> None:
        self._set_busy(False)
        self._done = True
        self.summary_page.show_outcomes(outcomes)
        if any(outcome.result is not None for outcome in outcomes):
            self.imported.emit()
        self.next()

    def _failed(self, failure: TaskFailure) -> None:
        self._set_busy(False)
        self.bundles_page.show_problem(failure.message)

    def _cancelled(self) -> None:
        self._set_busy(False)
        self.bundles_page.message.show_info(
            _("Stopped. The file being brought back was left out; those before it are in.")
        )

    def _decide_now(self) -> None:
        self.conflicts_requested.emit()
        self.accept()
