"""New family in a few steps: one scrolling form, saved together or not at all.

What a caseworker knows after a first meeting: the family (reference, date, who referred
it, its caseworker), the main caregiver, the imprisoned relative and the prison, the
children and how they are related to the relative, and whether the family consented to
its data being kept. Everything else is completed later on the family's record.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.db.enums import ConsentKind, CustodyStatus, ReferralSource, Relationship, Sex
from cope_desktop.i18n import N_, _
from cope_desktop.services.records import consent, families
from cope_desktop.services.records.drafts import (
    CaregiverDraft,
    ChildDraft,
    ConsentDraft,
    CustodyDraft,
    FamilyDraft,
    NewChild,
    NewFamily,
    RelativeDraft,
)
from cope_desktop.services.validation import today
from cope_desktop.ui.record.combos import EnumCombo, IdCombo
from cope_desktop.ui.record.context import Choices
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.editor_base import FormDialog, Writer, line_edit, record_form
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskRunner
from cope_desktop.ui.widgets import intro, link_button, muted


@dataclass(frozen=True)
class Start:
    """What the form needs before it can be filled in."""

    reference: str
    choices: Choices


def read_start(signed_in: SignedIn) -> Start:
    with signed_in.db.session() as session:
        return Start(families.next_family_reference(session), Choices.read(session))


class ChildRow:
    """One child of the new family: one line of the children's grid."""

    def __init__(self, dialog: NewFamilyDialog, parent: QWidget) -> None:
        self.first_name = line_edit(parent, 14)
        self.last_name = line_edit(parent, 14)
        self.birth_date = DateField(parent)
        self.sex = EnumCombo(list(Sex), parent=parent)
        self.sex.set_value(Sex.NOT_STATED)
        self.relationship: EnumCombo[Relationship] = EnumCombo(
            list(Relationship), N_("Choose…"), parent
        )
        self.remove = link_button(parent)
        self.fields: list[tuple[str, QWidget]] = [
            ("first_name", self.first_name),
            ("last_name", self.last_name),
            ("birth_date", self.birth_date),
            ("sex", self.sex),
            ("relationship", self.relationship),
        ]
        self.boxes = [dialog.errors.wrap("", widget, 0) for _name, widget in self.fields]

    def rename(self, dialog: NewFamilyDialog, index: int) -> None:
        for name, widget in self.fields:
            names = [f"children.{index}.{name}"]
            if name == "first_name":
                names.append(f"children.{index}.reference")
            dialog.errors.rename(widget, names)
        dialog.dates_renamed(self.birth_date, f"children.{index}.birth_date")

    def draft(self) -> NewChild:
        return NewChild(
            ChildDraft(
                first_name=self.first_name.text(),
                last_name=self.last_name.text(),
                birth_date=self.birth_date.date(),
                sex=self.sex.value() or Sex.NOT_STATED,
            ),
            # Not chosen yet: the service says so next to the field.
            cast(Relationship, self.relationship.value()),
        )


class NewFamilyDialog(FormDialog):
    """Emits ``created(family_id)`` once the whole family is saved."""

    created = Signal(object)

    def __init__(
        self, signed_in: SignedIn, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(signed_in, runner, parent)
        self.setObjectName("newFamily")
        self._group_titles: list[tuple[QGroupBox, str]] = []
        self.intro = intro(self.body)
        self.body_layout.insertWidget(0, self.intro)
        self._build_family()
        self._build_caregiver()
        self._build_relative()
        self._build_children()
        self._build_consent()
        self.saved.connect(self.created)
        self.finish_setup()
        self.load_first(lambda: read_start(signed_in), self._started)

    # --- the parts of the form ---------------------------------------------------------------

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(self.body)
        self._group_titles.append((group, title))
        form = record_form(group)
        self.body_layout.addWidget(group)
        return group, form

    def _build_family(self) -> None:
        _group, form = self._group(N_("Family"))
        body = self.body
        self.reference = line_edit(body, 16)
        self.add_row(N_("&Reference:"), "family.reference", self.reference, form)
        self.opened_on = DateField(body)
        self.opened_on.set_date(today())
        self.add_row(N_("&Opened on:"), "family.opened_on", self.opened_on, form)
        self.referral = EnumCombo(list(ReferralSource), N_("Not recorded"), body)
        self.add_row(N_("Referred &by:"), "family.referral_source", self.referral, form)
        self.caseworker = IdCombo((), N_("Nobody yet"), body)
        self.add_row(N_("&Caseworker:"), "family.caseworker_id", self.caseworker, form)

    def _build_caregiver(self) -> None:
        _group, form = self._group(N_("Main caregiver"))
        body = self.body
        self.caregiver_first = line_edit(body)
        self.add_row(
            N_("First name:"),
            ("caregiver.first_name", "caregiver.reference"),
            self.caregiver_first,
            form,
        )
        self.caregiver_last = line_edit(body)
        self.add_row(N_("Last name:"), "caregiver.last_name", self.caregiver_last, form)
        self.caregiver_relationship = line_edit(body, 34)
        self.add_row(
            N_("Relationship to the children:"),
            "caregiver.relationship_to_children",
            self.caregiver_relationship,
            form,
        )
        self.caregiver_phone = line_edit(body, 20)
        self.add_row(N_("Phone:"), "caregiver.phone", self.caregiver_phone, form)

    def _build_relative(self) -> None:
        _group, form = self._group(N_("Imprisoned relative"))
        body = self.body
        self.relative_first = line_edit(body)
        self.add_row(
            N_("First name:"),
            ("relative.first_name", "relative.reference"),
            self.relative_first,
            form,
        )
        self.relative_last = line_edit(body)
        self.add_row(N_("Last name:"), "relative.last_name", self.relative_last, form)
        self.prison = IdCombo((), N_("Not known"), body)
        self.add_row(N_("Prison:"), ("relative.prison_id", "custody.prison_id"), self.prison, form)
        self.custody_status: EnumCombo[CustodyStatus] = EnumCombo(
            list(CustodyStatus), N_("Not known"), body
        )
        self.add_row(N_("Custody status:"), "custody.status", self.custody_status, form)
        self.custody_since = DateField(body)
        self.custody_since.setEnabled(False)
        self.add_row(N_("Since:"), "custody.since", self.custody_since, form)
        self.custody_status.currentIndexChanged.connect(
            lambda _index: self.custody_since.setEnabled(self.custody_status.value() is not None)
        )

    def _build_children(self) -> None:
        self.children_group = QGroupBox(self.body)
        self._group_titles.append((self.children_group, N_("Children")))
        self.children_grid = QGridLayout()
        self.children_grid.setHorizontalSpacing(10)
        self.children_grid.setVerticalSpacing(6)
        self.child_headers = [QLabel(self.children_group) for _column in range(5)]
        for column, header in enumerate(self.child_headers):
            header.setWordWrap(True)
            self.children_grid.addWidget(header, 0, column, Qt.AlignmentFlag.AlignBottom)
        self.children_grid.setColumnStretch(5, 1)
        self.child_rows: list[ChildRow] = []
        self.children_note = muted(self.children_group)
        self.add_child_button = link_button(self.children_group)
        self.add_child_button.clicked.connect(self.add_child)
        layout = QVBoxLayout(self.children_group)
        layout.setSpacing(8)
        layout.addWidget(self.children_note)
        layout.addLayout(self.children_grid)
        layout.addWidget(self.add_child_button)
        self.body_layout.addWidget(self.children_group)
        self.add_child()

    def _build_consent(self) -> None:
        _group, form = self._group(N_("Consent to data processing"))
        body = self.body
        self.consent_given = QCheckBox(body)
        self.consent_given.setChecked(True)
        form.addRow(self.consent_given)
        self.consent_by = line_edit(body, 36)
        self.add_row(N_("Given by:"), "data_consent.given_by", self.consent_by, form)
        self.consent_on = DateField(body)
        self.consent_on.set_date(today())
        self.add_row(N_("Given on:"), "data_consent.given_on", self.consent_on, form)
        self.consent_note = muted(body)
        form.addRow(self.consent_note)
        self.consent_given.toggled.connect(self._consent_toggled)
        self._consent_toggled(True)

    def _consent_toggled(self, given: bool) -> None:
        self.consent_by.setEnabled(given)
        self.consent_on.setEnabled(given)
        self.consent_note.setVisible(not given)

    # --- children ------------------------------------------------------------------------------

    def add_child(self) -> None:
        row = ChildRow(self, self.children_group)
        self.child_rows.append(row)
        number = len(self.child_rows)
        for column, box in enumerate(row.boxes):
            self.children_grid.addWidget(box, number, column, Qt.AlignmentFlag.AlignTop)
        self.children_grid.addWidget(row.remove, number, 5, Qt.AlignmentFlag.AlignTop)
        row.remove.clicked.connect(lambda: self.remove_child(row))
        self._renumber()
        self.retranslate_children()
        if number > 1:
            row.first_name.setFocus()
        self._chain_tab_order()

    def remove_child(self, row: ChildRow) -> None:
        if len(self.child_rows) <= 1:
            return
        index = self.child_rows.index(row)
        self.child_rows.remove(row)
        for name, widget in row.fields:
            self.errors.forget(widget)
            if name == "birth_date":
                self.dates_renamed(row.birth_date, None)
        for box in (*row.boxes, row.remove):
            self.children_grid.removeWidget(box)
            box.deleteLater()
        # Move the rows below up one line, so the grid has no gap.
        for later in self.child_rows[index:]:
            number = self.child_rows.index(later) + 1
            for column, box in enumerate(later.boxes):
                self.children_grid.addWidget(box, number, column, Qt.AlignmentFlag.AlignTop)
            self.children_grid.addWidget(later.remove, number, 5, Qt.AlignmentFlag.AlignTop)
        self._renumber()
        self.child_rows[min(index, len(self.child_rows) - 1)].first_name.setFocus()
        self._chain_tab_order()

    def _renumber(self) -> None:
        for index, row in enumerate(self.child_rows):
            row.rename(self, index)
            row.remove.setVisible(len(self.child_rows) > 1)

    def dates_renamed(self, field: DateField, name: str | None) -> None:
        self._dates = [(n, f) for n, f in self._dates if f is not field]
        if name is not None:
            self._dates.append((name, field))

    def _chain_tab_order(self) -> None:
        """Tab goes along each child's line, then to the next child, then on."""
        chain: list[QWidget] = []
        for row in self.child_rows:
            chain.extend(
                [
                    row.first_name,
                    row.last_name,
                    row.birth_date.line_edit,
                    row.sex,
                    row.relationship,
                    row.remove,
                ]
            )
        chain.append(self.add_child_button)
        if hasattr(self, "consent_given"):
            chain.append(self.consent_given)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("New family"))
        self.title.setText(_("New family"))
        self.intro.setText(
            _(
                "Fill in what you know now. Everything can be completed or corrected later "
                "on the family's record. Nothing is saved until you press Save."
            )
        )
        for group, title in self._group_titles:
            group.setTitle(_(title))
        self.reference.setPlaceholderText(_("Given when you save"))
        self.caregiver_relationship.setPlaceholderText(_("For example: mother, grandmother"))
        self.consent_given.setText(_("The family consented to their data being kept"))
        self.consent_by.setPlaceholderText(_("For example: the mother, Anna Rossi"))
        self.consent_note.setText(
            "\n".join(
                [_("Without this consent, until it is recorded:")]
                + [f"•  {sentence}" for sentence in consent.consent_blocks()]
            )
        )
        self.save_button.setText(_("&Save the family"))
        self.retranslate_children()

    def retranslate_children(self) -> None:
        headers = (
            _("First name"),
            _("Last name"),
            _("Date of birth"),
            _("Sex"),
            _("Relationship"),
        )
        for header, text in zip(self.child_headers, headers, strict=True):
            header.setText(text)
        self.children_note.setText(
            _(
                "One line per child. Under Relationship, say who the imprisoned relative is "
                "to the child: father, mother…"
            )
        )
        self.add_child_button.setText(_("+ Add another child"))
        for row in self.child_rows:
            row.remove.setText(_("Remove"))
            row.first_name.setAccessibleName(_("First name"))

    # --- loading and saving ------------------------------------------------------------------

    def _started(self, start: Start) -> None:
        if not self.reference.text():
            self.reference.setText(start.reference)
        self.caseworker.set_choices(start.choices.staff)
        me = self.signed_in.user.id
        if any(user_id == me for user_id, _name in start.choices.staff):
            self.caseworker.set_value(me)
        self.prison.set_choices(start.choices.prisons)
        self.mark_saved()
        self.caregiver_first.setFocus()

    def draft(self) -> NewFamily:
        status = self.custody_status.value()
        given = self.consent_given.isChecked()
        return NewFamily(
            family=FamilyDraft(
                reference=self.reference.text(),
                opened_on=self.opened_on.date(),
                referral_source=self.referral.value(),
                caseworker_id=self.caseworker.value(),
            ),
            caregiver=CaregiverDraft(
                first_name=self.caregiver_first.text(),
                last_name=self.caregiver_last.text(),
                relationship_to_children=self.caregiver_relationship.text(),
                phone=self.caregiver_phone.text(),
                is_main=True,
            ),
            relative=RelativeDraft(
                first_name=self.relative_first.text(),
                last_name=self.relative_last.text(),
                prison_id=self.prison.value(),
            ),
            custody=(
                CustodyDraft(status, self.custody_since.date(), self.prison.value())
                if status is not None
                else None
            ),
            children=[row.draft() for row in self.child_rows],
            data_consent=(
                ConsentDraft(
                    ConsentKind.DATA_PROCESSING, self.consent_by.text(), self.consent_on.date()
                )
                if given
                else None
            ),
        )

    def writer(self, draft: NewFamily) -> Writer:
        return lambda session, user: families.create_family(session, user, draft)
