"""The details of the prison chosen in the register: its fields and what is linked to it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.i18n import _, format_date, format_number
from cope_desktop.labels import label
from cope_desktop.services.prisons import LINKED_LIMIT, PrisonDetail, PrisonListRow
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.pages.tables import fit_to_rows, read_only_table
from cope_desktop.ui.widgets import muted, set_state

PANEL_MINIMUM_WIDTH = 260
PANEL_WIDTH = 340


def _caption(parent: QWidget) -> QLabel:
    caption = QLabel(parent)
    font = QFont(caption.font())
    font.setBold(True)
    caption.setFont(font)
    caption.setWordWrap(True)
    return caption


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for number, row in enumerate(rows):
        for column, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(number, column, item)
    fit_to_rows(table)


def _linked_table(columns: int, stretch: int, parent: QWidget) -> QTableWidget:
    table = read_only_table(columns, parent)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    for column in range(columns):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)
    return table


class PrisonDetails(QFrame):
    """Shows nothing, "Reading…", a prison's details, or why they could not be read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prisonDetails")
        self.setMinimumWidth(PANEL_MINIMUM_WIDTH)
        self.detail: PrisonDetail | None = None
        self._row: PrisonListRow | None = None
        self.name = _caption(self)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = muted(self)
        self.facilities_caption = _caption(self)
        self.facilities = QLabel(self)
        self.facilities.setWordWrap(True)
        self.facilities.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = muted(self)
        self.families_caption = _caption(self)
        self.families = _linked_table(3, 0, self)
        self.activities_caption = _caption(self)
        self.activities = _linked_table(2, 1, self)
        self.shown_note = muted(self)
        self._lay_out()
        self.show_nothing()
        follow_language(self.retranslate)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        layout.addWidget(self.status)
        layout.addSpacing(6)
        layout.addWidget(self.facilities_caption)
        layout.addWidget(self.facilities)
        layout.addSpacing(6)
        layout.addWidget(self.families_caption)
        layout.addWidget(self.families, 1)
        layout.addSpacing(6)
        layout.addWidget(self.activities_caption)
        layout.addWidget(self.activities, 1)
        layout.addWidget(self.shown_note)
        layout.addStretch(0)

    def sizeHint(self) -> QSize:
        return QSize(PANEL_WIDTH, super().sizeHint().height())

    def _parts(self) -> list[QWidget]:
        return [
            self.name,
            self.facts,
            self.facilities_caption,
            self.facilities,
            self.families_caption,
            self.families,
            self.activities_caption,
            self.activities,
            self.shown_note,
        ]

    # --- states --------------------------------------------------------------------------------

    def show_nothing(self) -> None:
        self.detail, self._row = None, None
        for part in self._parts():
            part.hide()
        set_state(self.status, "")
        self.status.setText(_("Choose a prison to see its details."))
        self.status.show()

    def show_loading(self, row: PrisonListRow) -> None:
        self.detail, self._row = None, row
        for part in self._parts():
            part.hide()
        self.name.setText(row.name)
        self.name.show()
        set_state(self.status, "")
        self.status.setText(_("Reading…"))
        self.status.show()

    def show_failure(self, message: str) -> None:
        set_state(self.status, "error")
        self.status.setText(message)
        self.status.show()

    def show_detail(self, detail: PrisonDetail) -> None:
        self.detail = detail
        self.status.hide()
        for part in self._parts():
            part.show()
        self._write(detail)

    def retranslate(self) -> None:
        if self.detail is not None:
            self._write(self.detail)
        elif self._row is not None:
            self.show_loading(self._row)
        else:
            self.show_nothing()

    # --- writing out a prison ------------------------------------------------------------------

    def _write(self, detail: PrisonDetail) -> None:
        self.name.setText(detail.name)
        facts = [detail.reference, i18n.country_name(detail.country)]
        facts += [detail.region] if detail.region else []
        facts += [label(detail.type)] if detail.type is not None else []
        facts += [_("Archived")] if detail.archived else []
        self.facts.setText(" · ".join(facts))
        self.facilities_caption.setText(_("Visiting facilities"))
        self.facilities.setText(detail.visiting_facilities or _("Not recorded."))
        self._write_families(detail)
        self._write_activities(detail)
        truncated = max(detail.family_total, detail.activity_total) > LINKED_LIMIT
        self.shown_note.setText(
            _("Only the {count} most recent of each are listed.").format(
                count=format_number(LINKED_LIMIT)
            )
        )
        self.shown_note.setVisible(truncated)

    def _write_families(self, detail: PrisonDetail) -> None:
        self.families_caption.setText(
            _("Families linked: {count}").format(count=format_number(detail.family_total))
        )
        self.families.setHorizontalHeaderLabels([_("Reference"), _("Opened"), _("Status")])
        _fill(
            self.families,
            [
                (family.reference, format_date(family.opened_on), label(family.status))
                for family in detail.families
            ],
        )
        self.families.setVisible(bool(detail.families))

    def _write_activities(self, detail: PrisonDetail) -> None:
        self.activities_caption.setText(
            _("Activities held here: {count}").format(count=format_number(detail.activity_total))
        )
        self.activities.setHorizontalHeaderLabels([_("Date"), _("Type")])
        _fill(
            self.activities,
            [
                (format_date(activity.held_on), label(activity.type))
                for activity in detail.activities
            ],
        )
        self.activities.setVisible(bool(detail.activities))
