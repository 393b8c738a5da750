"""Editors of the people of a family: a child, a caregiver, an imprisoned relative."""

from __future__ import annotations

import uuid

from babel.dates import get_month_names
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.enums import Relationship, Sex
from cope_desktop.errors import FieldProblem
from cope_desktop.i18n import N_, _
from cope_desktop.services.records import people
from cope_desktop.services.records.drafts import CaregiverDraft, ChildDraft
from cope_desktop.services.records.views import CaregiverView, ChildView
from cope_desktop.ui.record.combos import EnumCombo
from cope_desktop.ui.record.context import RecordContext
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.display import person_label
from cope_desktop.ui.record.editor_base import RecordEditor, Writer, line_edit, text_box
from cope_desktop.ui.widgets import muted


class PersonFields:
    """Reference, first and last name: the first rows of every person's form."""

    def __init__(self, editor: RecordEditor, reference: str, first: str, last: str) -> None:
        body = editor.body
        # Made in the order of the form, which is the order Tab follows.
        self.first_name = line_edit(body)
        self.last_name = line_edit(body)
        self.reference = line_edit(body, 16)
        editor.add_row(N_("&First name:"), "first_name", self.first_name)
        editor.add_row(N_("&Last name:"), "last_name", self.last_name)
        editor.add_row(N_("&Reference:"), "reference", self.reference)
        self.reference.setText(reference)
        self.first_name.setText(first)
        self.last_name.setText(last)

    def retranslate(self) -> None:
        self.reference.setPlaceholderText(_("Given when you save"))


class ChildEditor(RecordEditor):
    def __init__(
        self, context: RecordContext, child: ChildView | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(context, parent)
        self.child = child
        body = self.body
        self.person = PersonFields(
            self,
            child.reference if child else "",
            child.first_name or "" if child else "",
            child.last_name or "" if child else "",
        )
        self.birth_date = DateField(body)
        self.add_row(N_("Date of &birth:"), "birth_date", self.birth_date)
        self.birth_year = line_edit(body, 6)
        self.birth_year.setValidator(QIntValidator(0, 9999, self.birth_year))
        self.birth_year.setMaxLength(4)
        self.birth_month = QComboBox(body)
        self.birth_month.addItem("", None)
        for month in range(1, 13):
            self.birth_month.addItem("", month)
        year_and_month = QWidget(body)
        row = QHBoxLayout(year_and_month)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.birth_year)
        row.addWidget(self.birth_month)
        year_and_month.setFocusProxy(self.birth_year)
        self.add_row(N_("Or &year and month:"), ("birth_year", "birth_month"), year_and_month)
        self.sex = EnumCombo(list(Sex), parent=body)
        self.sex.set_value(Sex.NOT_STATED)
        self.add_row(N_("Se&x:"), "sex", self.sex)
        self.school_level = line_edit(body, 20)
        self.add_row(N_("S&chool level:"), "school_level", self.school_level)
        self.knows = QComboBox(body)
        for value in (None, True, False):
            self.knows.addItem("", value)
        self.add_row(N_("&Knows where the parent is:"), "knows_parent_location", self.knows)
        self.support_start = DateField(body)
        self.add_row(N_("Support &from:"), "support_start", self.support_start)
        self.support_end = DateField(body)
        self.add_row(N_("Support &until:"), "support_end", self.support_end)
        self._relative_rows: list[tuple[uuid.UUID, QCheckBox, EnumCombo[Relationship]]] = []
        self.relatives_note = muted(body)
        self.add_row(N_("Imprisoned &relatives:"), "relatives", self._relatives_box())
        self._fill(child)
        self.finish_setup()

    def _relatives_box(self) -> QWidget:
        box = QWidget(self.body)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        relatives = [r for r in self.context.record.relatives if not r.deleted]
        for number, relative in enumerate(relatives):
            check = QCheckBox(person_label(relative), box)
            combo: EnumCombo[Relationship] = EnumCombo(list(Relationship), N_("How related?"), box)
            combo.setEnabled(False)
            check.toggled.connect(combo.setEnabled)
            grid.addWidget(check, number, 0)
            grid.addWidget(combo, number, 1)
            self._relative_rows.append((relative.id, check, combo))
        grid.addWidget(self.relatives_note, len(relatives), 0, 1, 2)
        grid.setColumnStretch(2, 1)
        return box

    def _fill(self, child: ChildView | None) -> None:
        if child is None:
            if len(self._relative_rows) == 1:
                self._relative_rows[0][1].setChecked(True)
            return
        self.birth_date.set_date(child.birth_date)
        if child.birth_year is not None:
            self.birth_year.setText(str(child.birth_year))
        self.birth_month.setCurrentIndex(max(self.birth_month.findData(child.birth_month), 0))
        self.sex.set_value(child.sex)
        self.school_level.setText(child.school_level or "")
        self.knows.setCurrentIndex(max(self.knows.findData(child.knows_parent_location), 0))
        self.support_start.set_date(child.support_start)
        self.support_end.set_date(child.support_end)
        links = {link.relative_id: link.relationship for link in child.links}
        for relative_id, check, combo in self._relative_rows:
            if relative_id in links:
                check.setChecked(True)
                combo.set_value(links[relative_id])

    def retranslate(self) -> None:
        super().retranslate()
        self.person.retranslate()
        if self.child is None:
            self.setWindowTitle(_("Add a child"))
        else:
            self.setWindowTitle(_("Child {name}").format(name=person_label(self.child)))
        self.title.setText(self.windowTitle())
        self.birth_year.setPlaceholderText(_("Year"))
        metrics = self.birth_year.fontMetrics()
        wide = max(metrics.horizontalAdvance("0000"), metrics.horizontalAdvance(_("Year")))
        self.birth_year.setFixedWidth(wide + 40)
        months = get_month_names("wide", context="stand-alone", locale=i18n.format_locale())
        self.birth_month.setItemText(0, _("Month not known"))
        for month in range(1, 13):
            self.birth_month.setItemText(month, months[month])
        for index, text in enumerate((_("Not known"), _("Yes"), _("No"))):
            self.knows.setItemText(index, text)
        self.relatives_note.setText(
            _("Add the imprisoned relative to the family first, then the child.")
        )
        self.relatives_note.setVisible(not self._relative_rows)

    def local_problems(self) -> list[FieldProblem]:
        problems = super().local_problems()
        if any(
            check.isChecked() and combo.value() is None for _id, check, combo in self._relative_rows
        ):
            problems.append(
                FieldProblem("relatives", _("Say how the child is related to each one ticked."))
            )
        return problems

    def draft(self) -> ChildDraft:
        year = self.birth_year.text().strip()
        relatives: dict[uuid.UUID, Relationship] = {}
        for relative_id, check, combo in self._relative_rows:
            relationship = combo.value()
            if check.isChecked() and relationship is not None:
                relatives[relative_id] = relationship
        return ChildDraft(
            reference=self.person.reference.text(),
            first_name=self.person.first_name.text(),
            last_name=self.person.last_name.text(),
            birth_date=self.birth_date.date(),
            birth_year=int(year) if year else None,
            birth_month=self.birth_month.currentData(),
            sex=self.sex.value() or Sex.NOT_STATED,
            school_level=self.school_level.text(),
            knows_parent_location=self.knows.currentData(),
            support_start=self.support_start.date(),
            support_end=self.support_end.date(),
            relatives=relatives,
        )

    def writer(self, draft: ChildDraft) -> Writer:
        family_id, child_id = self.context.family_id, self.child.id if self.child else None
        return lambda session, user: people.save_child(session, user, family_id, child_id, draft)


class CaregiverEditor(RecordEditor):
    def __init__(
        self,
        context: RecordContext,
        caregiver: CaregiverView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.caregiver = caregiver
        body = self.body
        self.person = PersonFields(
            self,
            caregiver.reference if caregiver else "",
            caregiver.first_name or "" if caregiver else "",
            caregiver.last_name or "" if caregiver else "",
        )
        self.relationship = line_edit(body, 34)
        self.add_row(
            N_("Relationship to the &children:"), "relationship_to_children", self.relationship
        )
        self.phone = line_edit(body, 20)
        self.add_row(N_("&Phone:"), "phone", self.phone)
        self.email = line_edit(body)
        self.add_row(N_("&Email:"), "email", self.email)
        self.address = text_box(body, 3)
        self.add_row(N_("&Address:"), "address", self.address)
        self.is_main = QCheckBox(body)
        self.add_row(N_("Main caregiver:"), "is_main", self.is_main)
        first = not any(not c.deleted for c in context.record.caregivers)
        if caregiver is not None:
            self.relationship.setText(caregiver.relationship_to_children or "")
            self.phone.setText(caregiver.phone or "")
            self.email.setText(caregiver.email or "")
            self.address.setPlainText(caregiver.address or "")
            self.is_main.setChecked(caregiver.is_main)
        else:
            self.is_main.setChecked(first)
        self.finish_setup()

    def retranslate(self) -> None:
        super().retranslate()
        self.person.retranslate()
        if self.caregiver is None:
            self.setWindowTitle(_("Add a caregiver"))
        else:
            self.setWindowTitle(_("Caregiver {name}").format(name=person_label(self.caregiver)))
        self.title.setText(self.windowTitle())
        self.relationship.setPlaceholderText(_("For example: mother, grandmother"))
        self.is_main.setText(_("The main caregiver of the children"))

    def draft(self) -> CaregiverDraft:
        return CaregiverDraft(
            reference=self.person.reference.text(),
            first_name=self.person.first_name.text(),
            last_name=self.person.last_name.text(),
            relationship_to_children=self.relationship.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            is_main=self.is_main.isChecked(),
        )

    def writer(self, draft: CaregiverDraft) -> Writer:
        family_id = self.context.family_id
        caregiver_id = self.caregiver.id if self.caregiver else None
        return lambda session, user: people.save_caregiver(
            session, user, family_id, caregiver_id, draft
        )
