"""Requests: a person's or a family's request to see, take away or erase their data.

Find a family, choose the family itself or one of its members, then "Export everything
held…" (GDPR Art. 15 and 20: a readable PDF and a JSON file side by side) or, for an
administrator, "Erase…" (Art. 17), confirmed by typing the reference. Every read and write
runs in the background; refusals come back as one sentence under the buttons.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.paths import AppPaths
from cope_desktop.services import erasure, subject_access
from cope_desktop.services.erasure import ErasurePreview, ErasureResult
from cope_desktop.services.family_list import FamilyRow
from cope_desktop.services.permissions import Permission, can
from cope_desktop.services.subject_access import KIND_LABELS, Member
from cope_desktop.ui.desktop import documents_folder
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.saving import FILE_FILTERS, Saver, ask_save_path
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, dialog_buttons, heading, muted

SEARCH_DELAY_MS = 250


def family_text(row: FamilyRow) -> str:
    """One family in the list: reference, main caregiver, opened date, archived."""
    parts = [row.reference]
    if row.main_caregiver:
        parts.append(row.main_caregiver)
    parts.append(_("opened {date}").format(date=format_date(row.opened_on)))
    if row.archived:
        parts.append(_("archived"))
    return " · ".join(parts)


def _who(member: Member) -> str:
    """A person's names and reference, or the reference alone when no name is kept."""
    if member.name != member.reference:
        return f"{member.name} ({member.reference})"
    return member.reference


def member_text(member: Member) -> str:
    if member.kind == "family":
        text = _("The whole family {reference}").format(reference=member.reference)
    else:
        text = _("{category}: {value}").format(
            category=_(KIND_LABELS[member.kind]), value=_who(member)
        )
    return text + (" · " + _("archived") if member.archived else "")


class EraseDialog(QDialog):
    """What erasing removes, and the reference to type before it can be done."""

    def __init__(self, preview: ErasurePreview, member: Member, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("eraseDialog")
        self.preview = preview
        self.setWindowTitle(_("Erase"))
        title = heading(self)
        if member.kind == "family":
            question = _("Erase the whole family {reference}?").format(reference=member.reference)
        else:
            question = _("Erase {what}?").format(what=_who(member))
        title.setText(question)
        title.setWordWrap(True)
        lines = [
            _("{kind}: {count}").format(kind=erasure.row_kind_label(kind), count=format_number(n))
            for kind, n in preview.counts.items()
        ]
        counts = QLabel("\n".join(lines), self)
        explanation = muted(self)
        notes = [
            _(
                "Everything listed here is removed for good, including archived records. "
                "It cannot be undone, and backups made before keep it until they are removed."
            ),
            *preview.notes,
        ]
        note = erasure.returns_note(preview)
        if note:
            notes.append(note)
        explanation.setText("\n\n".join(notes))
        explanation.setWordWrap(True)
        self.prompt = QLabel(
            _("Type {reference} to confirm.").format(reference=preview.reference), self
        )
        self.confirmation = QLineEdit(self)
        self.confirmation.setObjectName("confirmation")
        buttons, self.erase_button, cancel = dialog_buttons(self)
        self.erase_button.setText(_("Erase for good"))
        self.erase_button.setEnabled(False)
        self.erase_button.setDefault(False)
        cancel.setText(_("Cancel"))
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.confirmation.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        for widget in (title, counts, explanation, self.prompt, self.confirmation, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)

    def _check(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip() == self.preview.reference)


class Tab(QWidget):
    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, paths: AppPaths, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self._paths = paths
        self._last_folder: Path | None = None
        self._members: list[Member] = []
        self._searching = False
        self._search_again = False
        self._busy = False
        self.title = heading(self)
        self.intro = muted(self)
        self.intro.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.families = QListWidget(self)
        self.families.setObjectName("families")
        self.families.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.family_count = muted(self)
        self.people = QListWidget(self)
        self.people.setObjectName("people")
        self.people_label = muted(self)
        self.export_button = QPushButton(self)
        self.erase_button = QPushButton(self)
        self.erase_button.setVisible(can(signed_in.user, Permission.ERASE_RECORDS))
        self.message = InlineMessage(self)
        self.saver = Saver(self, runner, self.message)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._lay_out()
        self._timer.timeout.connect(self.search_families)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.families.currentItemChanged.connect(lambda *_args: self._read_members())
        self.people.currentItemChanged.connect(lambda *_args: self._update())
        self.export_button.clicked.connect(self.export)
        self.erase_button.clicked.connect(self.ask_erase)
        self.saver.busy.connect(self._set_busy)
        self.saver.saved.connect(self._saved)
        self.retranslate()
        follow_language(self.retranslate)
        self._update()
        self.search_families()

    def _lay_out(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.families, 1)
        left_layout.addWidget(self.family_count)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.people_label)
        right_layout.addWidget(self.people, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([400, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        self.title.hide()  # the tab already names it; the page has the heading
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.saver.row)

    def retranslate(self) -> None:
        self.title.setText(_("Requests from the people in the records"))
        self.intro.setText(
            _(
                "Find the family, then choose the family or one of its members. You can give "
                "them everything the organisation holds about them (a PDF to read and a JSON "
                "file to take elsewhere) or erase them on request."
            )
        )
        self.search.setPlaceholderText(_("Family reference or a name"))
        self.people_label.setText(_("Whose data"))
        self.export_button.setText(_("Export everything held…"))
        self.erase_button.setText(_("Erase…"))
        self.saver.retranslate()
        for index in range(self.families.count()):
            item = self.families.item(index)
            item.setText(family_text(item.data(Qt.ItemDataRole.UserRole)))
        for index in range(self.people.count()):
            item = self.people.item(index)
            item.setText(member_text(item.data(Qt.ItemDataRole.UserRole)))
        self._show_count()

    # --- finding a family -----------------------------------------------------------------------

    def search_families(self) -> None:
        """Search in the background (once at a time; the latest text wins)."""
        if self._searching:
            self._search_again = True
            return
        self._searching = True
        text, db, user = self.search.text(), self._signed_in.db, self._signed_in.user

        def job() -> list[FamilyRow]:
            with db.session() as session:
                return subject_access.find_families(session, user, text)

        self._runner.run(job, self._found, self._search_failed, context=self)

    def _found(self, rows: list[FamilyRow]) -> None:
        self._searching = False
        if self._search_again:
            self._search_again = False
            self.search_families()
            return
        chosen = self.current_family()
        self.families.blockSignals(True)
        self.families.clear()
        for row in rows:
            item = QListWidgetItem(family_text(row))
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.families.addItem(item)
            if chosen is not None and row.id == chosen.id:
                self.families.setCurrentItem(item)
        self.families.blockSignals(False)
        if self.current_family() is None or chosen is None:
            self.people.clear()
            self._members = []
        self._show_count()
        self._update()

    def _search_failed(self, failure: TaskFailure) -> None:
        self._searching = False
        self.message.show_error(failure.message)

    def _show_count(self) -> None:
        shown = self.families.count()
        if shown >= subject_access.FIND_LIMIT:
            text = ngettext(
                "The first {n} family found. Type more to narrow the search.",
                "The first {n} families found. Type more to narrow the search.",
                shown,
            ).format(n=format_number(shown))
        elif shown == 0:
            text = _("No family found.")
        else:
            text = ""
        self.family_count.setText(text)

    def current_family(self) -> FamilyRow | None:
        item = self.families.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose_family(self, reference: str) -> bool:
        """Select the family with this reference if it is listed (for tests and links)."""
        for index in range(self.families.count()):
            row = self.families.item(index).data(Qt.ItemDataRole.UserRole)
            if row.reference == reference:
                self.families.setCurrentRow(index)
                return True
        return False

    # --- its members ----------------------------------------------------------------------------

    def _read_members(self) -> None:
        family = self.current_family()
        self.people.clear()
        self._members = []
        self.saver.forget()
        self._update()
        if family is None:
            return
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> list[Member]:
            with db.session() as session:
                return subject_access.members(session, user, family.id)

        self._runner.run(job, self._show_members, self._failed, context=self)

    def _show_members(self, found: list[Member]) -> None:
        family = self.current_family()
        if family is None or not found or found[0].id != family.id:
            return
        self._members = found
        self.people.clear()
        for member in found:
            item = QListWidgetItem(member_text(member))
            item.setData(Qt.ItemDataRole.UserRole, member)
            self.people.addItem(item)
        self.people.setCurrentRow(0)
        self._update()

    def current_member(self) -> Member | None:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _update(self) -> None:
        chosen = self.current_member() is not None and not self._busy
        self.export_button.setEnabled(chosen)
        self.erase_button.setEnabled(chosen)

    def _failed(self, failure: TaskFailure) -> None:
        self._busy = False
        self.message.show_error(failure.message)
        self._update()

    # --- export ---------------------------------------------------------------------------------

    def export(self) -> None:
        """Ask for the PDF's name; the JSON file is written beside it with the same name."""
        member = self.current_member()
        if member is None:
            return
        stem = subject_access.file_stem(member.reference)
        path = ask_save_path(
            self,
            _("Save everything held as"),
            (self._last_folder or documents_folder()) / f"{stem}.pdf",
            _(FILE_FILTERS["pdf"]),
            ".pdf",
        )
        if path is None:
            return
        self.write_files(member, path)

    def write_files(self, member: Member, pdf_path: Path) -> None:
        """Write the PDF at ``pdf_path`` and the JSON file beside it, in the background."""
        self._last_folder = pdf_path.parent
        json_path = pdf_path.with_suffix(".json")
        db, user, subject = self._signed_in.db, self._signed_in.user, member.subject

        def job() -> Path:
            with db.session() as session:
                subject_access.write_json(session, user, subject, json_path)
            with db.session() as session:
                subject_access.write_pdf(session, user, subject, pdf_path)
            return pdf_path

        self.saver.write(job, pdf_path)

    def _saved(self, path: Path) -> None:
        self.message.show_info(
            _("The same data is in {name}, for use in other software.").format(
                name=path.with_suffix(".json").name
            )
        )

    # --- erase ----------------------------------------------------------------------------------

    def ask_erase(self) -> None:
        member = self.current_member()
        if member is None or not can(self._signed_in.user, Permission.ERASE_RECORDS):
            return
        db, user = self._signed_in.db, self._signed_in.user

        def job() -> ErasurePreview:
            with db.session() as session:
                if member.kind == "family":
                    return erasure.preview_family(session, user, member.id)
                return erasure.preview_person(session, user, member.kind, member.id)

        self._runner.run(
            job, lambda preview: self._confirm_erase(member, preview), self._failed, context=self
        )

    def _confirm_erase(self, member: Member, preview: ErasurePreview) -> None:
        dialog = EraseDialog(preview, member, self)

        def answered(result: int) -> None:
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self.erase(member)

        dialog.finished.connect(answered)
        dialog.open()

    def erase(self, member: Member) -> None:
        db, user = self._signed_in.db, self._signed_in.user
        self._set_busy(True)

        def job() -> ErasureResult:
            if member.kind == "family":
                return erasure.erase_family(db, user, member.id)
            return erasure.erase_person(db, user, member.kind, member.id)

        self._runner.run(
            job,
            lambda result: self._erased(member, result),
            self._failed,
            context=self,
            writes=True,
            progress_parent=self.window(),
            progress_title=_("Erasing…"),
        )

    def _erased(self, member: Member, result: ErasureResult) -> None:
        self._busy = False
        removed = sum(result.counts.values())
        self.saver.forget()
        self.message.show_info(
            ngettext(
                "{what} was erased: {n} record removed.",
                "{what} was erased: {n} records removed.",
                removed,
            ).format(what=member.reference, n=format_number(removed))
        )
        if member.kind == "family":
            self.families.setCurrentRow(-1)
        else:
            self._read_members()
        self.search_families()
        self._update()

    def members_shown(self) -> list[Member]:
        return list(self._members)
