"""The parts of a family's record, one tab each: people, consent, support, activities, notes.

Each list is a ``RecordSection``; this widget lays them out, names their columns and fills
them from a ``FamilyRecord``. What the buttons do is the family window's business.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.services.records.archive import RecordKind
from cope_desktop.services.records.views import FamilyRecord
from cope_desktop.services.validation import today
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.record import rows
from cope_desktop.ui.record.sections import RecordSection

PAGE_MARGINS = (2, 14, 2, 8)


def padded(*widgets: QWidget, stretches: tuple[int, ...] = ()) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(*PAGE_MARGINS)
    layout.setSpacing(12)
    for number, widget in enumerate(widgets):
        layout.addWidget(widget, stretches[number] if number < len(stretches) else 0)
    return page


class RecordTabs(QTabWidget):
    """The family's lists; "Show archived records" in the corner shows archived rows too."""

    def __init__(self, can_restore: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self.record: FamilyRecord | None = None
        self.author = ""
        self.children_section = RecordSection(5, can_restore=can_restore, fit_rows=True)
        self.caregivers_section = RecordSection(5, can_restore=can_restore, fit_rows=True)
        self.relatives_section = RecordSection(
            5, can_restore=can_restore, fit_rows=True, wrap_column=3
        )
        self.consent_section = RecordSection(6, can_restore=can_restore, wrap_column=2)
        self.support_section = RecordSection(5, can_restore=can_restore)
        self.activities_section = RecordSection(4, editable=False)
        self.notes_section = RecordSection(3)
        self.history_section = RecordSection(4, editable=False)
        self.sections: dict[RecordKind, RecordSection] = {
            RecordKind.CHILD: self.children_section,
            RecordKind.CAREGIVER: self.caregivers_section,
            RecordKind.RELATIVE: self.relatives_section,
            RecordKind.CONSENT: self.consent_section,
            RecordKind.SUPPORT: self.support_section,
            RecordKind.CASE_NOTE: self.notes_section,
        }
        self.people_page = self._people_page()
        self.note_text = QPlainTextEdit()
        self.note_text.setReadOnly(True)
        self.note_text.setTabChangesFocus(True)
        self.note_text.hide()
        self.notes_section.table.itemSelectionChanged.connect(self._show_note)
        self.consent_page = padded(self.consent_section)
        self.support_page = padded(self.support_section)
        self.notes_page = padded(self.notes_section, self.note_text, stretches=(2, 1))
        for page in (
            self.people_page,
            self.consent_page,
            self.support_page,
            padded(self.activities_section),
            self.notes_page,
            padded(self.history_section),
        ):
            self.addTab(page, "")
        self.show_archived = QCheckBox(self)
        self.show_archived.toggled.connect(lambda _on: self._show_rows())
        self.setCornerWidget(self.show_archived, Qt.Corner.TopRightCorner)
        self.retranslate()
        follow_language(self.retranslate)

    def _people_page(self) -> QScrollArea:
        people = QWidget()
        layout = QVBoxLayout(people)
        layout.setContentsMargins(2, 14, 14, 14)
        layout.setSpacing(26)
        for section in (self.children_section, self.caregivers_section, self.relatives_section):
            layout.addWidget(section)
        layout.addStretch(1)
        page = QScrollArea()
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setWidget(people)
        page.viewport().setAutoFillBackground(False)
        people.setAutoFillBackground(False)
        return page

    # --- texts -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        titles = (
            _("People"),
            _("Consent"),
            _("Support"),
            _("Activities"),
            _("Case notes"),
            _("History"),
        )
        for index, title in enumerate(titles):
            self.setTabText(index, title)
        self.show_archived.setText(_("Show archived records"))
        name, reference = _("Name"), _("Reference")
        self.children_section.set_texts(
            _("Children"),
            (name, reference, _("Born"), _("Sex"), _("Imprisoned relative")),
            _("No children recorded."),
        )
        self.caregivers_section.set_texts(
            _("Caregivers"),
            (name, reference, _("Relationship"), _("Phone"), ""),
            _("No caregivers recorded."),
        )
        self.relatives_section.set_texts(
            _("Imprisoned relatives"),
            (name, reference, _("Prison"), _("Custody history"), _("Children")),
            _("No imprisoned relatives recorded."),
        )
        self.consent_section.set_texts(
            _("Consents"),
            (_("Consent to"), _("For"), _("Given by"), _("Given on"), _("Withdrawn on"), ""),
            _("No consent recorded."),
        )
        self.support_section.set_texts(
            _("Support given"),
            (_("Date"), _("Support"), _("For"), _("Given by"), _("Notes")),
            _("No support recorded."),
        )
        self.activities_section.set_texts(
            _("Activities attended"),
            (_("Date"), _("Activity"), _("Prison"), _("Who attended")),
            _("No one in this family has attended an activity yet."),
        )
        self.notes_section.set_texts(
            _("Case notes"),
            (_("Date"), _("Written by"), _("Note")),
            _("No case notes written."),
        )
        self.history_section.set_texts(
            _("Case history"), (_("Date"), _("Change"), _("Reason"), _("By")), ""
        )
        self.children_section.set_add_label(_("Add a child…"))
        self.caregivers_section.set_add_label(_("Add a caregiver…"))
        self.relatives_section.set_add_label(_("Add an imprisoned relative…"))
        self.consent_section.set_add_label(_("Record a consent…"))
        self.support_section.set_add_label(_("Record support…"))
        self.notes_section.set_add_label(_("Write a note…"))
        self._show_rows()

    # --- rows ----------------------------------------------------------------------------------

    def show_record(self, record: FamilyRecord, author: str) -> None:
        """``author``: how the signed-in user is named (they may change their own notes)."""
        self.record = record
        self.author = author
        self._show_rows()

    def _show_rows(self) -> None:
        record = self.record
        if record is None:
            return
        shown = self.show_archived.isChecked()
        self.children_section.set_rows(rows.child_rows(record), shown)
        self.caregivers_section.set_rows(rows.caregiver_rows(record), shown)
        self.relatives_section.set_rows(rows.relative_rows(record), shown)
        self.consent_section.set_rows(rows.consent_rows(record, today()), shown)
        self.support_section.set_rows(rows.support_rows(record), shown)
        self.activities_section.set_rows(rows.activity_rows(record), shown)
        self.notes_section.set_rows(rows.note_rows(record, self.author), shown)
        self.history_section.set_rows(rows.history_rows(record), shown)
        self._show_limits(record)
        self._show_note()

    def _show_limits(self, record: FamilyRecord) -> None:
        """Say what cannot be added, and why (no consent; notes not kept)."""
        no_consent = _("First record the family's consent to data processing.")
        self.support_section.set_add_allowed(record.has_data_consent, no_consent)
        self.support_section.set_note("" if record.has_data_consent else no_consent)
        notes_allowed = record.notes_allowed and record.has_data_consent
        reason = (
            _("No case notes are kept for this family (see its details).")
            if not record.notes_allowed
            else no_consent
        )
        self.notes_section.set_add_allowed(notes_allowed, reason)
        self.notes_section.set_note(
            reason
            if not notes_allowed
            else _(
                "Case notes never appear in lists, reports or exports, except in a copy of a "
                "person's own data that they ask for. You can change your own notes."
            )
        )
        self.setTabVisible(self.indexOf(self.notes_page), record.notes is not None)
        shown, total = len(record.activities), record.activities_total
        if total > shown:
            note = _("The {shown} most recent of {total} activities.").format(
                shown=format_number(shown), total=format_number(total)
            )
        elif total:
            note = ngettext("{count} activity.", "{count} activities.", total).format(
                count=format_number(total)
            )
        else:
            note = ""
        self.activities_section.set_note(note)

    def _show_note(self) -> None:
        """The whole text of the case note chosen in the list, below it."""
        notes = {note.id: note for note in (self.record.notes or ())} if self.record else {}
        note_id = self.notes_section.current_id()
        note = notes.get(note_id) if note_id is not None else None
        self.note_text.setVisible(note is not None)
        if note is not None:
            self.note_text.setPlainText(note.text)

    # --- where Ctrl+N adds -----------------------------------------------------------------

    def section_in_view(self) -> RecordSection | None:
        """The list in view (on the People tab, the one holding the focus, else children)."""
        page = self.currentWidget()
        if page is self.people_page:
            focused = QApplication.focusWidget()
            for section in (self.caregivers_section, self.relatives_section):
                if focused is not None and section.isAncestorOf(focused):
                    return section
            return self.children_section
        pages = {
            self.consent_page: self.consent_section,
            self.support_page: self.support_section,
            self.notes_page: self.notes_section,
        }
        return pages.get(page) if page is not None else None
