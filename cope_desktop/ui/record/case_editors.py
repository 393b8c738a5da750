"""Editors of the case itself: its details, closing and reopening, consent, support, notes."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtWidgets import QCheckBox, QWidget

from cope_desktop.db.enums import ConsentKind, ReferralSource, ServiceType
from cope_desktop.i18n import N_, _, format_date
from cope_desktop.services.records import consent, families, notes, support
from cope_desktop.services.records.drafts import ConsentDraft, FamilyDraft, SupportDraft
from cope_desktop.services.records.views import ConsentView, NoteView, SupportView
from cope_desktop.services.validation import today
from cope_desktop.ui.record.combos import EnumCombo, IdCombo
from cope_desktop.ui.record.context import RecordContext
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.display import person_label
from cope_desktop.ui.record.editor_base import RecordEditor, Writer, line_edit, text_box
from cope_desktop.ui.widgets import intro


def child_choices(context: RecordContext) -> list[tuple[uuid.UUID, str]]:
    return [
        (child.id, person_label(child)) for child in context.record.children if not child.deleted
    ]


class FamilyDetailsEditor(RecordEditor):
    """Reference, opening date, referral source, caseworker, whether notes are kept."""

    def __init__(self, context: RecordContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        record = context.record
        body = self.body
        self.reference = line_edit(body, 16)
        self.add_row(N_("&Reference:"), "reference", self.reference)
        self.opened_on = DateField(body)
        self.add_row(N_("&Opened on:"), "opened_on", self.opened_on)
        self.referral = EnumCombo(list(ReferralSource), N_("Not recorded"), body)
        self.add_row(N_("Referred &by:"), "referral_source", self.referral)
        self.caseworker = IdCombo(context.choices.staff, N_("Nobody yet"), body)
        self.add_row(N_("&Caseworker:"), "caseworker_id", self.caseworker)
        self.notes_allowed = QCheckBox(body)
        self.add_row(N_("Case notes:"), "notes_allowed", self.notes_allowed)
        self.reference.setText(record.reference)
        self.opened_on.set_date(record.opened_on)
        self.referral.set_value(record.referral_source)
        self.caseworker.set_value(record.caseworker_id, record.caseworker)
        self.notes_allowed.setChecked(record.notes_allowed)
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Family details"))
        self.title.setText(_("Family {reference}").format(reference=self.context.record.reference))
        self.notes_allowed.setText(_("Case notes may be kept for this family"))

    def draft(self) -> FamilyDraft:
        return FamilyDraft(
            reference=self.reference.text(),
            opened_on=self.opened_on.date(),
            referral_source=self.referral.value(),
            caseworker_id=self.caseworker.value(),
            notes_allowed=self.notes_allowed.isChecked(),
        )

    def writer(self, draft: FamilyDraft) -> Writer:
        family_id = self.context.family_id
        return lambda session, user: families.update_family(session, user, family_id, draft)


class CaseStatusDialog(RecordEditor):
    """Close an open case, or reopen a closed one: a date (today by default) and a reason."""

    def __init__(self, context: RecordContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.closing = context.record.is_open
        body = self.body
        self.explanation = intro(body)
        self.form.addRow(self.explanation)
        self.date = DateField(body)
        self.add_row(
            N_("&Closed on:") if self.closing else N_("&Reopened on:"),
            ("closed_on", "reopened_on"),
            self.date,
        )
        self.reason = line_edit(body, 44)
        self.add_row(N_("R&eason:"), "reason", self.reason)
        self.date.set_date(today())
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        record = self.context.record
        if self.closing:
            self.setWindowTitle(_("Close the case"))
            self.explanation.setText(
                _(
                    "The family's record stays on file, and the case can be reopened later. "
                    "The case was opened on {date}."
                ).format(date=format_date(record.opened_on))
            )
            self.reason.setPlaceholderText(_("For example: support goals reached"))
            self.save_button.setText(_("&Close the case"))
        else:
            self.setWindowTitle(_("Reopen the case"))
            closed_on = record.closed_on or record.opened_on
            self.explanation.setText(
                _("The case was closed on {date}.").format(date=format_date(closed_on))
            )
            self.reason.setPlaceholderText(_("For example: the family asked for support again"))
            self.save_button.setText(_("&Reopen the case"))
        self.title.setText(self.windowTitle())

    def is_dirty(self) -> bool:
        # Only the reason is worth asking about: the date is filled in for the person.
        return bool(self.reason.text().strip())

    def draft(self) -> tuple[dt.date | None, str]:
        return self.date.date(), self.reason.text()

    def writer(self, draft: tuple[dt.date | None, str]) -> Writer:
        family_id, (day, reason) = self.context.family_id, draft
        change = families.close_family if self.closing else families.reopen_family
        return lambda session, user: change(session, user, family_id, day, reason)


class ConsentEditor(RecordEditor):
    def __init__(
        self,
        context: RecordContext,
        record: ConsentView | None,
        parent: QWidget | None = None,
        kind: ConsentKind = ConsentKind.DATA_PROCESSING,
    ) -> None:
        super().__init__(context, parent)
        self.consent = record
        body = self.body
        self.kind = EnumCombo(list(ConsentKind), parent=body)
        self.add_row(N_("&Consent to:"), "kind", self.kind)
        self.child = IdCombo(child_choices(context), N_("Whole family"), body)
        self.add_row(N_("&For:"), "child_id", self.child)
        self.given_by = line_edit(body, 36)
        self.add_row(N_("&Given by:"), "given_by", self.given_by)
        self.given_on = DateField(body)
        self.add_row(N_("Given &on:"), "given_on", self.given_on)
        self.withdrawn_on = DateField(body)
        self.add_row(N_("&Withdrawn on:"), "withdrawn_on", self.withdrawn_on)
        self.notes = text_box(body, 3)
        self.add_row(N_("&Notes:"), "notes", self.notes)
        if record is None:
            self.kind.set_value(kind)
            self.given_on.set_date(today())
        else:
            self.kind.set_value(record.kind)
            self.child.set_value(record.child_id)
            self.given_by.setText(record.given_by)
            self.given_on.set_date(record.given_on)
            self.withdrawn_on.set_date(record.withdrawn_on)
            self.notes.setPlainText(record.notes or "")
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Record a consent") if self.consent is None else _("Consent"))
        self.title.setText(self.windowTitle())
        self.given_by.setPlaceholderText(_("For example: the mother, Anna Rossi"))
        self.withdrawn_on.line_edit.setPlaceholderText(_("Not withdrawn"))

    def draft(self) -> ConsentDraft:
        return ConsentDraft(
            kind=self.kind.value() or ConsentKind.DATA_PROCESSING,
            given_by=self.given_by.text(),
            given_on=self.given_on.date(),
            withdrawn_on=self.withdrawn_on.date(),
            child_id=self.child.value(),
            notes=self.notes.toPlainText(),
        )

    def writer(self, draft: ConsentDraft) -> Writer:
        family_id = self.context.family_id
        consent_id = self.consent.id if self.consent else None
        return lambda session, user: consent.save_consent(
            session, user, family_id, consent_id, draft
        )


class SupportEditor(RecordEditor):
    def __init__(
        self, context: RecordContext, record: SupportView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self.support = record
        body = self.body
        self.service = EnumCombo(list(ServiceType), parent=body)
        self.add_row(N_("&Support:"), "service", self.service)
        self.provided_on = DateField(body)
        self.add_row(N_("&Date:"), "provided_on", self.provided_on)
        self.child = IdCombo(child_choices(context), N_("Whole family"), body)
        self.add_row(N_("&For:"), "child_id", self.child)
        self.notes = text_box(body, 4)
        self.add_row(N_("&Notes:"), "notes", self.notes)
        if record is None:
            self.provided_on.set_date(today())
        else:
            self.service.set_value(record.service)
            self.provided_on.set_date(record.provided_on)
            self.child.set_value(record.child_id)
            self.notes.setPlainText(record.notes or "")
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        if self.support is None:
            self.setWindowTitle(_("Record support given"))
        else:
            self.setWindowTitle(_("Support given"))
        self.title.setText(self.windowTitle())

    def draft(self) -> SupportDraft:
        return SupportDraft(
            service=self.service.value() or ServiceType.OTHER,
            provided_on=self.provided_on.date(),
            child_id=self.child.value(),
            notes=self.notes.toPlainText(),
        )

    def writer(self, draft: SupportDraft) -> Writer:
        family_id = self.context.family_id
        support_id = self.support.id if self.support else None
        return lambda session, user: support.save_support(
            session, user, family_id, support_id, draft
        )


class NoteEditor(RecordEditor):
    def __init__(
        self, context: RecordContext, record: NoteView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self.note = record
        body = self.body
        self.written_on = DateField(body)
        self.add_row(N_("&Date:"), "written_on", self.written_on)
        self.text = text_box(body, 12)
        self.text.setMinimumWidth(460)
        self.add_row(N_("&Note:"), "text", self.text)
        if record is None:
            self.written_on.set_date(today())
        else:
            self.written_on.set_date(record.written_on)
            self.text.setPlainText(record.text)
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Write a case note") if self.note is None else _("Case note"))
        self.title.setText(self.windowTitle())

    def draft(self) -> tuple[dt.date | None, str]:
        return self.written_on.date(), self.text.toPlainText()

    def writer(self, draft: tuple[dt.date | None, str]) -> Writer:
        written_on, text = draft
        if self.note is None:
            family_id = self.context.family_id
            return lambda session, user: notes.add_note(session, user, family_id, written_on, text)
        note_id = self.note.id
        return lambda session, user: notes.update_note(session, user, note_id, written_on, text)
