"""Add or edit one prison of the register.

The form is a ``FormDialog`` like the family record's editors: the service's messages appear
under the fields they are about, Save (Ctrl+S) runs on the write worker, and Cancel (Esc)
asks before unsaved changes are thrown away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from cope_desktop.db.enums import PrisonType
from cope_desktop.errors import FieldProblem
from cope_desktop.i18n import N_, _
from cope_desktop.services.prisons import PrisonDetail, PrisonDraft, save_prison
from cope_desktop.ui.country_combo import CountryCombo
from cope_desktop.ui.record.combos import EnumCombo
from cope_desktop.ui.record.editor_base import FormDialog, Writer
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner

FIELD_WIDTH = 360


class PrisonDialog(FormDialog):
    """Emits ``saved(uuid)`` with the prison's id once the service has saved it."""

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        prison: PrisonDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.prison = prison
        self.name = QLineEdit(self.body)
        self.country = CountryCombo(self.body)
        self.region = QLineEdit(self.body)
        self.type: EnumCombo[PrisonType] = EnumCombo(PrisonType, N_("Not recorded"), self.body)
        self.reference = QLineEdit(self.body)
        self.facilities = QPlainTextEdit(self.body)
        self.facilities.setTabChangesFocus(True)
        self.facilities.setFixedHeight(96)
        for field in (self.name, self.country, self.region, self.reference, self.facilities):
            field.setMinimumWidth(FIELD_WIDTH)
        self.add_row(N_("&Name:"), "name", self.name)
        self.add_row(N_("C&ountry:"), "country", self.country)
        self.add_row(N_("&Region:"), "region", self.region)
        self.add_row(N_("&Type:"), "type", self.type)
        self.add_row(N_("Re&ference:"), "reference", self.reference)
        self.add_row(N_("&Visiting facilities:"), "visiting_facilities", self.facilities)
        self._fill(
            prison.draft() if prison else PrisonDraft(country=signed_in.organisation.country)
        )
        self.finish_setup()
        self.name.setFocus()

    def _fill(self, draft: PrisonDraft) -> None:
        self.name.setText(draft.name)
        self.country.set_code(draft.country or None)
        self.region.setText(draft.region or "")
        self.type.set_value(draft.type)
        self.reference.setText(draft.reference)
        self.facilities.setPlainText(draft.visiting_facilities or "")

    def retranslate(self) -> None:
        super().retranslate()
        title = _("Edit prison") if self.prison else _("New prison")
        self.setWindowTitle(title)
        self.title.setText(title)
        self.reference.setPlaceholderText(
            _("Kept as it is") if self.prison else _("Given automatically, like P-0001")
        )
        self.facilities.setPlaceholderText(
            _("Visiting room, play area, opening hours, what children may bring…")
        )

    # --- saving ------------------------------------------------------------------------------

    def local_problems(self) -> list[FieldProblem]:
        problems = super().local_problems()
        if self.country.currentText().strip() and self.country.code() is None:
            problems.append(FieldProblem("country", _("Choose a country from the list.")))
        return problems

    def draft(self) -> PrisonDraft:
        return PrisonDraft(
            name=self.name.text(),
            country=self.country.code() or "",
            reference=self.reference.text(),
            region=self.region.text(),
            type=self.type.value(),
            visiting_facilities=self.facilities.toPlainText(),
        )

    def writer(self, draft: Any) -> Writer:
        prison_id = self.prison.id if self.prison else None
        return lambda session, user: save_prison(session, user, prison_id, draft)
