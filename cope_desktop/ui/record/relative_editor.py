"""The imprisoned relative: names, prison, and the custody history (status changes by date).

The history is changed together with the relative: a status change added or one taken
away (entered by mistake) is written when Save is pressed, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from cope_desktop.db.enums import CustodyStatus
from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import N_, _, format_date
from cope_desktop.labels import label
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.records import people
from cope_desktop.services.records.drafts import CustodyDraft, RelativeDraft
from cope_desktop.services.records.views import CustodyView, RelativeView
from cope_desktop.ui.record.combos import EnumCombo, IdCombo
from cope_desktop.ui.record.context import RecordContext
from cope_desktop.ui.record.date_field import DateField
from cope_desktop.ui.record.display import optional, person_label
from cope_desktop.ui.record.editor_base import RecordEditor, Writer, record_form
from cope_desktop.ui.record.people_editors import PersonFields
from cope_desktop.ui.record.sections import fit_table_height, record_table
from cope_desktop.ui.widgets import muted

EVENT_ID = Qt.ItemDataRole.UserRole


@dataclass
class RelativeChanges:
    relative: RelativeDraft
    removed: tuple[uuid.UUID, ...]
    custody: CustodyDraft | None


def save_relative_and_custody(
    session: Session,
    user: CurrentUser,
    family_id: uuid.UUID,
    relative_id: uuid.UUID | None,
    changes: RelativeChanges,
) -> uuid.UUID:
    """Save the relative, then its custody changes; any refusal leaves all of it unwritten."""
    saved_id = people.save_relative(session, user, family_id, relative_id, changes.relative)
    for custody_id in changes.removed:
        people.remove_custody(session, user, custody_id)
    if changes.custody is not None:
        try:
            people.add_custody(session, user, saved_id, changes.custody)
        except ValidationFailed as refused:
            raise ValidationFailed(
                [
                    FieldProblem(f"custody.{p.field}" if p.field else "", p.message)
                    for p in refused.problems
                ]
            ) from refused
    return saved_id


class RelativeEditor(RecordEditor):
    def __init__(
        self,
        context: RecordContext,
        relative: RelativeView | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.relative = relative
        self._removed: set[uuid.UUID] = set()
        body = self.body
        self.person = PersonFields(
            self,
            relative.reference if relative else "",
            relative.first_name or "" if relative else "",
            relative.last_name or "" if relative else "",
        )
        prisons = context.choices.prisons
        self.prison = IdCombo(prisons, N_("Not known"), body)
        self.add_row(N_("&Prison:"), "prison_id", self.prison)
        if relative is not None:
            self.prison.set_value(relative.prison_id, relative.prison_name)
        self.history_group = QGroupBox(body)
        self._build_history(relative.custody if relative else ())
        self.body_layout.addWidget(self.history_group)
        self.finish_setup()

    def _build_history(self, events: tuple[CustodyView, ...]) -> None:
        group = self.history_group
        self.history = record_table(3, group)
        self.history.setRowCount(len(events))
        for row, event in enumerate(reversed(events)):
            status = QTableWidgetItem(label(event.status))
            status.setData(EVENT_ID, event.id)
            self.history.setItem(row, 0, status)
            self.history.setItem(row, 1, QTableWidgetItem(format_date(event.since)))
            self.history.setItem(row, 2, QTableWidgetItem(optional(event.prison_name)))
        self.history.horizontalHeader().sectionResized.connect(self._rewrap_later)
        self.history_empty = muted(group)
        self.history_empty.setVisible(not events)
        self.history.setVisible(bool(events))
        self.remove_button = QPushButton(group)
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.remove_button.setVisible(bool(events))
        self.remove_button.clicked.connect(self._toggle_removed)
        self.history.itemSelectionChanged.connect(self._update_remove)
        self.add_button = QPushButton(group)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._show_new_change)
        self.new_change = QWidget(group)
        self.status = EnumCombo(list(CustodyStatus), parent=self.new_change)
        self.since = DateField(self.new_change)
        self.change_prison = IdCombo(self.context.choices.prisons, N_("Not known"), self.new_change)
        self.change_prison.set_value(self.prison.value())
        form = record_form(self.new_change)
        form.setContentsMargins(0, 4, 0, 0)
        self.new_change_intro = muted(self.new_change)
        form.addRow(self.new_change_intro)
        self.add_row(N_("S&tatus:"), "custody.status", self.status, form)
        self.add_row(N_("Si&nce:"), "custody.since", self.since, form)
        self.add_row(N_("Pri&son:"), "custody.prison_id", self.change_prison, form)
        self.new_change.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(group)
        layout.setSpacing(8)
        layout.addWidget(self.history)
        layout.addWidget(self.history_empty)
        layout.addLayout(buttons)
        layout.addWidget(self.new_change)

    def fit_to_contents(self) -> None:
        self._rewrap()
        super().fit_to_contents()

    def _rewrap_later(self, column: int, _old: int, _new: int) -> None:
        if column == 2:
            QTimer.singleShot(0, self, self._rewrap)

    def _rewrap(self) -> None:
        """Wrapped prison names make rows taller: show up to five rows without scrolling."""
        self.history.resizeRowsToContents()
        fit_table_height(self.history, 5)

    def retranslate(self) -> None:
        super().retranslate()
        self.person.retranslate()
        if self.relative is None:
            self.setWindowTitle(_("Add an imprisoned relative"))
        else:
            self.setWindowTitle(
                _("Imprisoned relative {name}").format(name=person_label(self.relative))
            )
        self.title.setText(self.windowTitle())
        self.history_group.setTitle(_("Custody history"))
        self.history_empty.setText(_("No custody status recorded yet."))
        self.add_button.setText(_("&Add a status change"))
        self.new_change_intro.setText(
            _("The new custody status, from the day it began. It is added when you save.")
        )
        self._update_remove()
        self.history.setHorizontalHeaderLabels([_("Status"), _("Since"), _("Prison")])

    def _show_new_change(self) -> None:
        self.new_change.show()
        self.add_button.hide()
        self.fit_to_contents()
        self.status.setFocus()

    def _selected_event(self) -> uuid.UUID | None:
        selected = self.history.selectionModel().selectedRows()
        if not selected:
            return None
        item = self.history.item(selected[0].row(), 0)
        return item.data(EVENT_ID) if item is not None else None

    def _update_remove(self) -> None:
        selected = self._selected_event()
        self.remove_button.setEnabled(selected is not None)
        self.remove_button.setText(
            _("&Keep this status change") if selected in self._removed else _("&Remove")
        )

    def _toggle_removed(self) -> None:
        """Mark the selected status change to be taken away on Save (struck through)."""
        selected = self._selected_event()
        if selected is None:
            return
        if selected in self._removed:
            self._removed.discard(selected)
        else:
            self._removed.add(selected)
        row = self.history.selectionModel().selectedRows()[0].row()
        for column in range(self.history.columnCount()):
            item = self.history.item(row, column)
            if item is None:
                continue
            font = item.font()
            font.setStrikeOut(selected in self._removed)
            item.setFont(font)
            item.setToolTip(_("Taken away when you save.") if selected in self._removed else "")
        self._update_remove()

    def extra_state(self) -> Hashable:
        return tuple(sorted(str(removed) for removed in self._removed))

    def is_dirty(self) -> bool:
        return super().is_dirty() or self.new_change.isVisibleTo(self)

    def draft(self) -> RelativeChanges:
        custody = None
        if self.new_change.isVisibleTo(self):
            custody = CustodyDraft(
                status=self.status.value() or CustodyStatus.PRE_TRIAL,
                since=self.since.date(),
                prison_id=self.change_prison.value(),
            )
        return RelativeChanges(
            relative=RelativeDraft(
                reference=self.person.reference.text(),
                first_name=self.person.first_name.text(),
                last_name=self.person.last_name.text(),
                prison_id=self.prison.value(),
            ),
            removed=tuple(sorted(self._removed, key=str)),
            custody=custody,
        )

    def writer(self, draft: RelativeChanges) -> Writer:
        family_id = self.context.family_id
        relative_id = self.relative.id if self.relative else None
        return lambda session, user: save_relative_and_custody(
            session, user, family_id, relative_id, draft
        )
