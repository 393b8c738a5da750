"""One family as a whole, in its own window: the case, its people, consent, support, notes.

The record is read in the background (reading it is audited as a view). Every part is
edited in a dialog; after any save the window reads the record again and emits
``changed(family_id)`` so that the list of families can refresh. ``open_family_window``
brings an already open window of the same family to the front instead of opening another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.db.enums import ConsentKind
from cope_desktop.i18n import _
from cope_desktop.labels import label
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, can
from cope_desktop.services.records import archive, consent, families
from cope_desktop.services.records.archive import RecordKind
from cope_desktop.services.records.views import FamilyRecord
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record.banner import Banner
from cope_desktop.ui.record.case_editors import (
    CaseStatusDialog,
    ConsentEditor,
    FamilyDetailsEditor,
    NoteEditor,
    SupportEditor,
)
from cope_desktop.ui.record.confirm import ask, ask_to_discard
from cope_desktop.ui.record.context import Choices, RecordContext
from cope_desktop.ui.record.display import case_status_text, person_label
from cope_desktop.ui.record.editor_base import FormDialog
from cope_desktop.ui.record.people_editors import CaregiverEditor, ChildEditor
from cope_desktop.ui.record.record_tabs import RecordTabs
from cope_desktop.ui.record.relative_editor import RelativeEditor
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import InlineMessage, heading, muted

PREFERRED_SIZE = QSize(1180, 760)
MINIMUM_SIZE = QSize(860, 560)
Write = Callable[[Session, CurrentUser], object]


class FamilyWindow(QMainWindow):
    """Emits ``changed(family_id)`` after anything in the family's record was saved."""

    changed = Signal(object)
    loaded = Signal()
    """After each reading of the record has been shown."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        family_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.signed_in = signed_in
        self.runner = runner
        self.family_id = family_id
        self.record: FamilyRecord | None = None
        self.choices: Choices | None = None
        self.editor: FormDialog | None = None
        self.can_restore = can(signed_in.user, Permission.RESTORE_RECORDS)
        self._failure = ""
        self._build_header()
        self.tabs = RecordTabs(self.can_restore, self)
        self.tabs.setEnabled(False)
        self._connect_sections()
        self._build_actions()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(28, 20, 28, 16)
        layout.setSpacing(10)
        layout.addLayout(self.header)
        layout.addWidget(self.consent_banner)
        layout.addWidget(self.archived_banner)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(MINIMUM_SIZE)
        screen = self.screen().availableGeometry().size()
        self.resize(PREFERRED_SIZE.boundedTo(screen - QSize(40, 40)).expandedTo(MINIMUM_SIZE))
        self.retranslate()
        follow_language(self.retranslate)
        self.reload()

    # --- construction ------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.title = heading(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.details = muted(self)
        self.edit_details_button = QPushButton(self)
        self.status_button = QPushButton(self)
        self.archive_family_button = QPushButton(self)
        self.edit_details_button.clicked.connect(self.edit_details)
        self.status_button.clicked.connect(self.change_status)
        self.archive_family_button.clicked.connect(self.archive_or_restore_family)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self.title)
        texts.addWidget(self.status)
        texts.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.edit_details_button, self.status_button, self.archive_family_button):
            button.setAutoDefault(False)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.header = QHBoxLayout()
        self.header.setSpacing(20)
        self.header.addLayout(texts, 1)
        self.header.addLayout(buttons)
        self.consent_banner = Banner("warning", self)
        self.consent_banner.button.clicked.connect(self.record_data_consent)
        self.archived_banner = Banner("info", self)
        self.archived_banner.button.clicked.connect(self.restore_family)
        self.archived_banner.button.setVisible(self.can_restore)
        self.message = InlineMessage(self)

    def _connect_sections(self) -> None:
        actions = {
            RecordKind.CHILD: (self.add_child, self.edit_child),
            RecordKind.CAREGIVER: (self.add_caregiver, self.edit_caregiver),
            RecordKind.RELATIVE: (self.add_relative, self.edit_relative),
            RecordKind.CONSENT: (self.add_consent, self.edit_consent),
            RecordKind.SUPPORT: (self.add_support, self.edit_support),
            RecordKind.CASE_NOTE: (self.add_note, self.edit_note),
        }
        for kind, section in self.tabs.sections.items():
            add, edit = actions[kind]
            section.add_requested.connect(add)
            section.edit_requested.connect(edit)
            section.archive_requested.connect(
                lambda record_id, k=kind: self.archive_record(k, record_id)
            )
            section.restore_requested.connect(
                lambda record_id, k=kind: self.restore_record(k, record_id)
            )

    def _build_actions(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.add_to_current_section)
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(self.save_editor)
        self.close_action = QAction(self)
        self.close_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Esc")])
        self.close_action.triggered.connect(self.close)
        self.reload_action = QAction(self)
        self.reload_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.reload_action.triggered.connect(self.reload)
        self.edit_details_action = QAction(self)
        self.edit_details_action.triggered.connect(self.edit_details)
        self.status_action = QAction(self)
        self.status_action.triggered.connect(self.change_status)
        self.archive_family_action = QAction(self)
        self.archive_family_action.triggered.connect(self.archive_or_restore_family)
        self.show_archived_action = QAction(self)
        self.show_archived_action.setCheckable(True)
        self.show_archived_action.toggled.connect(self.tabs.show_archived.setChecked)
        self.tabs.show_archived.toggled.connect(self.show_archived_action.setChecked)
        self.family_menu = self.menuBar().addMenu("")
        self.family_menu.addActions(
            [
                self.new_action,
                self.save_action,
                self.edit_details_action,
                self.status_action,
                self.archive_family_action,
            ]
        )
        self.family_menu.addSeparator()
        self.family_menu.addActions([self.reload_action, self.close_action])
        self.view_menu = self.menuBar().addMenu("")
        self.view_menu.addAction(self.show_archived_action)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.tabs.show_archived.toggle)

    # --- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.family_menu.setTitle(_("&Family"))
        self.view_menu.setTitle(_("&View"))
        self.new_action.setText(_("&Add to this list…"))
        self.save_action.setText(_("&Save"))
        self.close_action.setText(_("&Close the window"))
        self.reload_action.setText(_("&Read the record again"))
        self.edit_details_action.setText(_("&Edit the family's details…"))
        self.show_archived_action.setText(_("Show &archived records"))
        self.edit_details_button.setText(_("Edit details…"))
        self._show_record()

    # --- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the record again, in the background (reading it is audited, so on the writer)."""
        db, user, family_id = self.signed_in.db, self.signed_in.user, self.family_id

        def read() -> tuple[FamilyRecord, Choices]:
            with db.session() as session:
                return families.read_family(session, user, family_id), Choices.read(session)

        self.runner.run(read, self._loaded, self._not_loaded, context=self, writes=True)

    def _loaded(self, result: tuple[FamilyRecord, Choices]) -> None:
        self.record, self.choices = result
        self._failure = ""
        self.message.clear_message()
        self.tabs.setEnabled(True)
        self._show_record()
        self.loaded.emit()

    def _not_loaded(self, failure: TaskFailure) -> None:
        self._failure = failure.message
        self.message.show_error(failure.message)
        self._show_record()

    # --- showing -------------------------------------------------------------------------------

    def _show_record(self) -> None:
        record = self.record
        loaded = record is not None
        for widget in (self.edit_details_button, self.status_button, self.archive_family_button):
            widget.setEnabled(loaded)
        for action in (self.edit_details_action, self.status_action, self.archive_family_action):
            action.setEnabled(loaded)
        if record is None:
            self.setWindowTitle(_("Family – COPE Desktop"))
            self.title.setText(_("Family"))
            self.status.setText("" if self._failure else _("Reading the family's record…"))
            self.status_button.setText(_("Close the case…"))
            self.archive_family_button.setText(_("Archive the family…"))
            self.status_action.setText(_("Close the case…"))
            self.archive_family_action.setText(_("Archive the family…"))
            return
        self.setWindowTitle(
            _("Family {reference} – COPE Desktop").format(reference=record.reference)
        )
        self.title.setText(_("Family {reference}").format(reference=record.reference))
        self._show_status(record)
        self._show_banners(record)
        user = self.signed_in.user
        self.tabs.show_record(record, user.display_name or user.username)

    def _show_status(self, record: FamilyRecord) -> None:
        status = case_status_text(record)
        if record.closed_on is not None and record.close_reason:
            status = _("{status}. Reason: {reason}").format(
                status=status, reason=record.close_reason
            )
        self.status.setText(status)
        details = [
            _("Caseworker: {name}").format(name=record.caseworker or _("nobody yet")),
            _("Referred by: {source}").format(
                source=label(record.referral_source)
                if record.referral_source
                else _("not recorded")
            ),
        ]
        if not record.notes_allowed:
            details.append(_("No case notes are kept for this family."))
        self.details.setText("  ·  ".join(details))
        closing = record.is_open
        status_text = _("Close the case…") if closing else _("Reopen the case…")
        self.status_button.setText(status_text)
        self.status_action.setText(status_text)
        # An archived family is restored from its banner.
        family_text = _("Restore the family") if record.deleted else _("Archive the family…")
        self.archive_family_button.setVisible(not record.deleted)
        self.archive_family_button.setText(family_text)
        self.archive_family_action.setText(family_text)
        self.archive_family_action.setEnabled(not record.deleted or self.can_restore)

    def _show_banners(self, record: FamilyRecord) -> None:
        banner = self.consent_banner
        banner.title.setText(_("No current consent to data processing"))
        banner.text.setText(
            "\n".join(
                [_("Until the family's consent is recorded:")]
                + [f"•  {sentence}" for sentence in consent.consent_blocks()]
                + [_("Correcting what is on file and closing the case stay possible.")]
            )
        )
        banner.button.setText(_("Record the consent…"))
        banner.setVisible(not record.has_data_consent and not record.deleted)
        archived = self.archived_banner
        archived.title.setText(_("This family is archived"))
        archived.text.setText(
            _("It is left out of the lists of families. Nothing was erased.")
            if self.can_restore
            else _(
                "It is left out of the lists of families. Nothing was erased: "
                "an administrator can restore it."
            )
        )
        archived.button.setText(_("Restore the family"))
        archived.setVisible(record.deleted)

    # --- editors -------------------------------------------------------------------------------

    def context(self) -> RecordContext | None:
        if self.record is None or self.choices is None:
            return None
        return RecordContext(self.signed_in, self.runner, self.record, self.choices)

    def open_editor(self, make: Callable[[RecordContext], FormDialog]) -> FormDialog | None:
        """Open one editor at a time, over this window; after a save, read the record again."""
        context = self.context()
        if context is None:
            return None
        if self.editor is not None and shiboken6.isValid(self.editor):
            self.editor.raise_()
            self.editor.activateWindow()
            return self.editor
        editor = make(context)
        self.editor = editor
        editor.saved.connect(self._saved)
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        editor.open()
        return editor

    def _editor_closed(self, editor: FormDialog) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def save_editor(self) -> None:
        if self.editor is not None and shiboken6.isValid(self.editor):
            self.editor.save()

    def add_child(self) -> None:
        self.open_editor(lambda context: ChildEditor(context, None, self))

    def edit_child(self, child_id: uuid.UUID) -> None:
        if self.record is not None:
            child = next((c for c in self.record.children if c.id == child_id), None)
            self.open_editor(lambda context: ChildEditor(context, child, self))

    def add_caregiver(self) -> None:
        self.open_editor(lambda context: CaregiverEditor(context, None, self))

    def edit_caregiver(self, caregiver_id: uuid.UUID) -> None:
        if self.record is not None:
            found = next((c for c in self.record.caregivers if c.id == caregiver_id), None)
            self.open_editor(lambda context: CaregiverEditor(context, found, self))

    def add_relative(self) -> None:
        self.open_editor(lambda context: RelativeEditor(context, None, self))

    def edit_relative(self, relative_id: uuid.UUID) -> None:
        if self.record is not None:
            found = next((r for r in self.record.relatives if r.id == relative_id), None)
            self.open_editor(lambda context: RelativeEditor(context, found, self))

    def add_consent(self) -> None:
        self.open_editor(lambda context: ConsentEditor(context, None, self))

    def record_data_consent(self) -> None:
        self.open_editor(
            lambda context: ConsentEditor(context, None, self, ConsentKind.DATA_PROCESSING)
        )

    def edit_consent(self, consent_id: uuid.UUID) -> None:
        if self.record is not None:
            found = next((c for c in self.record.consents if c.id == consent_id), None)
            self.open_editor(lambda context: ConsentEditor(context, found, self))

    def add_support(self) -> None:
        self.open_editor(lambda context: SupportEditor(context, None, self))

    def edit_support(self, support_id: uuid.UUID) -> None:
        if self.record is not None:
            found = next((s for s in self.record.support if s.id == support_id), None)
            self.open_editor(lambda context: SupportEditor(context, found, self))

    def add_note(self) -> None:
        self.open_editor(lambda context: NoteEditor(context, None, self))

    def edit_note(self, note_id: uuid.UUID) -> None:
        if self.record is not None:
            found = next((n for n in self.record.notes or () if n.id == note_id), None)
            self.open_editor(lambda context: NoteEditor(context, found, self))

    def edit_details(self) -> None:
        self.open_editor(lambda context: FamilyDetailsEditor(context, self))

    def change_status(self) -> None:
        self.open_editor(lambda context: CaseStatusDialog(context, self))

    def add_to_current_section(self) -> None:
        """Ctrl+N: add to the list in view (on the People tab, the one last used)."""
        section = self.tabs.section_in_view()
        if section is not None and section.add_button.isEnabled():
            section.add_requested.emit()

    # --- archiving -----------------------------------------------------------------------------

    def archive_record(self, kind: RecordKind, record_id: uuid.UUID) -> None:
        question = self._archive_question(kind, record_id)
        ask(
            self,
            _("Archive"),
            question,
            _(
                "It will be hidden from this record and from the lists. Nothing is erased: "
                "an administrator can restore it."
            ),
            _("Archive"),
            lambda: self.run_write(
                lambda session, user: archive.archive(session, user, kind, record_id)
            ),
            destructive=True,
        )

    def _archive_question(self, kind: RecordKind, record_id: uuid.UUID) -> str:
        record = self.record
        assert record is not None
        people: dict[uuid.UUID, str] = {c.id: person_label(c) for c in record.children}
        people.update({c.id: person_label(c) for c in record.caregivers})
        people.update({r.id: person_label(r) for r in record.relatives})
        name = people.get(record_id, "")
        questions: dict[RecordKind, str] = {
            RecordKind.CHILD: _("Archive the child {name}?"),
            RecordKind.CAREGIVER: _("Archive the caregiver {name}?"),
            RecordKind.RELATIVE: _("Archive the imprisoned relative {name}?"),
            RecordKind.CONSENT: _("Archive this consent?"),
            RecordKind.SUPPORT: _("Archive this record of support?"),
            RecordKind.CASE_NOTE: _("Archive this case note?"),
        }
        return questions[kind].format(name=name)

    def restore_record(self, kind: RecordKind, record_id: uuid.UUID) -> None:
        self.run_write(lambda session, user: archive.restore(session, user, kind, record_id))

    def archive_or_restore_family(self) -> None:
        record = self.record
        if record is None:
            return
        if record.deleted:
            self.restore_family()
            return
        family_id = self.family_id
        ask(
            self,
            _("Archive the family"),
            _("Archive the family {reference}?").format(reference=record.reference),
            _(
                "The family and everyone in it will be left out of the lists. Nothing is "
                "erased: an administrator can restore it."
            ),
            _("Archive the family"),
            lambda: self.run_write(
                lambda session, user: archive.archive(session, user, RecordKind.FAMILY, family_id)
            ),
            destructive=True,
        )

    def restore_family(self) -> None:
        family_id = self.family_id
        self.run_write(
            lambda session, user: archive.restore(session, user, RecordKind.FAMILY, family_id)
        )

    def run_write(self, write: Write) -> None:
        db, user = self.signed_in.db, self.signed_in.user

        def job() -> object:
            with db.session() as session:
                return write(session, user)

        self.message.clear_message()
        self.runner.run(job, self._saved, self._write_failed, context=self, writes=True)

    def _saved(self, _result: object = None) -> None:
        self.changed.emit(self.family_id)
        self.reload()

    def _write_failed(self, failure: TaskFailure) -> None:
        self.message.show_error(failure.message)

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        editor = self.editor
        if editor is not None and shiboken6.isValid(editor) and editor.isVisible():
            if editor.saving:
                event.ignore()
                return
            if editor.is_dirty():
                event.ignore()
                editor.raise_()
                ask_to_discard(editor, lambda: self._discard_and_close(editor))
                return
            editor.discard()
        super().closeEvent(event)

    def _discard_and_close(self, editor: FormDialog) -> None:
        if shiboken6.isValid(editor):
            editor.discard()
        self.close()


def family_windows() -> list[FamilyWindow]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, FamilyWindow) and widget.isVisible()
    ]


def open_family_window(
    signed_in: SignedIn,
    runner: TaskRunner,
    family_id: uuid.UUID,
    parent: QWidget | None = None,
    on_changed: Callable[[object], None] | None = None,
) -> FamilyWindow:
    """Show the family's window, bringing an open one to the front rather than making another.

    ``on_changed(family_id)`` is connected to a new window's ``changed`` signal.
    """
    for window in family_windows():
        if window.family_id == family_id and window.signed_in.db is signed_in.db:
            if window.isMinimized():
                window.showNormal()
            window.raise_()
            window.activateWindow()
            return window
    window = FamilyWindow(signed_in, runner, family_id, parent)
    if on_changed is not None:
        window.changed.connect(on_changed)
    window.show()
    return window


def close_family_windows() -> bool:
    """Close every family window (signing out, quitting); False if one is kept open.

    A window whose editor has unsaved changes asks first and stays open until answered.
    """
    for window in family_windows():
        window.close()
    return not family_windows()
