"""The Game with Mum & Dad campaign for one year: its figures and its events.

The figures are REPORT-SPEC.md table 5 (events, prisons, child attendances, children,
imprisoned parents, caregivers, children's feedback) in exact numbers, for the organisation's
own use; disclosure control belongs to the network return. Everything is read in the
background: first the years that had events, then the chosen year's summary.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.db.database import Database
from cope_desktop.db.enums import Rating
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.services import validation
from cope_desktop.services.activities.campaign import campaign_summary, campaign_years
from cope_desktop.services.activities.views import CampaignSummary
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.models import activity_list as columns
from cope_desktop.ui.models.activity_list import ActivityRowsModel, campaign_title
from cope_desktop.ui.pages.base import CardGrid
from cope_desktop.ui.pages.list_parts import MiddleElided
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyBar, heading, intro, muted, set_state

PREFERRED_SIZE = QSize(960, 700)
TRANSPARENT_SCROLL = "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
RATINGS = (Rating.POSITIVE, Rating.NEUTRAL, Rating.NEGATIVE)
EVENT_COLUMNS = (
    columns.DATE,
    columns.PRISON,
    columns.CHILDREN,
    columns.CAREGIVERS,
    columns.RELATIVES,
    columns.DURATION,
)
"""The type is the same for every event; the reference is in the date's tooltip."""


def default_year(years: list[int]) -> int | None:
    """The year to show first: this one if it had events, else the latest one that had."""
    this_year = validation.today().year
    if this_year in years:
        return this_year
    earlier = [year for year in years if year <= this_year]
    return max(earlier) if earlier else (years[0] if years else None)


class FeedbackCard(QFrame):
    """The children's feedback: how many chose each face, one line each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.title = QLabel(self)
        self.title.setObjectName("figureCaption")
        self.names = [QLabel(self) for _rating in RATINGS]
        self.values = [QLabel(self) for _rating in RATINGS]
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setVerticalSpacing(6)
        grid.addWidget(self.title, 0, 0, 1, 2)
        for row, (name, value) in enumerate(zip(self.names, self.values, strict=True), 1):
            value.setObjectName("figureValue")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = value.font()
            font.setBold(True)
            value.setFont(font)
            value.setStyleSheet("font-size: 13pt;")
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
        grid.setRowStretch(len(RATINGS) + 1, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def retranslate(self) -> None:
        self.title.setText(_("Children's feedback"))
        for name, rating in zip(self.names, RATINGS, strict=True):
            name.setText(label(rating))

    def set_counts(self, positive: int, neutral: int, negative: int) -> None:
        for value, count in zip(self.values, (positive, neutral, negative), strict=True):
            value.setText(format_number(count))


class CampaignDialog(QDialog):
    """Figures and events of one year of the Game with Mum & Dad campaign."""

    open_activity = Signal(object)
    """A ``uuid.UUID``: the person asked to open one of the events."""

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignDialog")
        self._db = db
        self._runner = runner
        self._wanted_year = year
        self._summary: CampaignSummary | None = None
        self._years: list[int] | None = None
        self._sequence = 0
        self._make_widgets()
        self._lay_out()
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.events.activated.connect(self._event_activated)
        self.buttons.rejected.connect(self.reject)
        self._fit_to_screen()
        self.retranslate()
        follow_language(self.retranslate)
        self._read_years()

    # --- construction ------------------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.title = heading(self)
        self.explanation = intro(self)
        self.year_label = QLabel(self)
        self.year_combo = QComboBox(self)
        self.year_combo.setMinimumContentsLength(6)
        self.year_label.setBuddy(self.year_combo)
        self.status = muted(self)
        self.busy = BusyBar(self)
        self.busy.setMaximumWidth(160)
        self.figures = CardGrid(6, columns=3, parent=self)
        for card in self.figures.cards:  # room for a caption on two lines, in every card
            card.caption.setMinimumHeight(card.caption.fontMetrics().lineSpacing() * 2)
        self.feedback = FeedbackCard(self)
        self.events_title = QLabel(self)
        self.events_title.setObjectName("sectionTitle")
        self.model = ActivityRowsModel(self)
        self.events = _events_table(self.model, self)
        self.empty = muted(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)

    def _lay_out(self) -> None:
        chooser = QHBoxLayout()
        chooser.setSpacing(8)
        chooser.addWidget(self.year_label)
        chooser.addWidget(self.year_combo)
        chooser.addSpacing(12)
        chooser.addWidget(self.status, 1)
        chooser.addWidget(self.busy)
        self.content = QWidget(self)
        body = QVBoxLayout(self.content)
        body.setContentsMargins(0, 0, 8, 0)
        body.setSpacing(10)
        figures = QHBoxLayout()
        figures.setSpacing(14)
        figures.addWidget(self.figures, 3)
        figures.addWidget(self.feedback, 1)
        body.addLayout(figures)
        body.addWidget(self.events_title)
        body.addWidget(self.events, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setStyleSheet(TRANSPARENT_SCROLL)
        scroll.setWidget(self.content)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(chooser)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.buttons)
        self.empty.hide()
        font = self.events_title.font()
        font.setBold(True)
        self.events_title.setFont(font)

    def _fit_to_screen(self) -> None:
        size = PREFERRED_SIZE
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            size = size.boundedTo(screen.size() - QSize(40, 60))
        self.resize(size)

    def retranslate(self) -> None:
        self.setWindowTitle(campaign_title())
        self.title.setText(campaign_title())
        self.explanation.setText(
            _(
                "The year's events, who took part and the children's feedback, in exact "
                "numbers for your own use: the network return hides small numbers before "
                "anything is shared."
            )
        )
        self.year_label.setText(_("&Year:"))
        self.feedback.retranslate()
        tips = (
            _("Game with Mum & Dad events held in the year."),
            _("Different prisons where the events were held."),
            _(
                "Every child present at every event: children on file and those counted "
                "without names."
            ),
            _("Different children on file who attended at least one event."),
            _("Different imprisoned parents or relatives on file who attended."),
            _("Different caregivers on file who attended."),
        )
        for card, tip in zip(self.figures.cards, tips, strict=True):
            card.setToolTip(tip)
        self.events_title.setText(_("Events"))
        self.empty.setText(
            _("No Game with Mum & Dad event is recorded yet. Record one as a new activity.")
        )
        self.model.retranslate()
        if self._summary is not None:
            self._show(self._summary)
        elif self.busy.isVisible():
            self.status.setText(_("Counting…"))

    # --- reading -----------------------------------------------------------------------------

    def _read_years(self) -> None:
        db = self._db

        def read() -> list[int]:
            with db.session() as session:
                return campaign_years(session)

        self._set_busy(True)
        self._runner.run(read, self._years_arrived, self._failed, context=self)

    def _years_arrived(self, years: list[int]) -> None:
        self._years = years
        if not years:
            self._set_busy(False)
            self.scroll_area.hide()
            self.year_combo.setEnabled(False)
            self.empty.show()
            return
        chosen = self._wanted_year if self._wanted_year in years else default_year(years)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(chosen)))
        self.year_combo.blockSignals(False)
        self._year_chosen()

    def year(self) -> int | None:
        value = self.year_combo.currentData()
        return int(value) if value is not None else None

    def set_year(self, year: int) -> None:
        """Show another year (one that had events)."""
        index = self.year_combo.findData(year)
        if index >= 0:
            self.year_combo.setCurrentIndex(index)

    def _year_chosen(self) -> None:
        year = self.year()
        if year is None:
            return
        self._sequence += 1
        sequence, db = self._sequence, self._db

        def read() -> CampaignSummary:
            with db.session() as session:
                return campaign_summary(session, year)

        self._set_busy(True)
        self._runner.run(
            read,
            lambda summary: self._summary_arrived(sequence, summary),
            self._failed,
            context=self,
        )

    def _summary_arrived(self, sequence: int, summary: CampaignSummary) -> None:
        if sequence != self._sequence:
            return
        self._set_busy(False)
        self._summary = summary
        self._show(summary)

    def _failed(self, failure: TaskFailure) -> None:
        self.busy.hide()
        set_state(self.status, "error")
        self.status.setText(failure.message)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        set_state(self.status, "")
        self.status.setText(_("Counting…") if busy else "")

    @property
    def summary(self) -> CampaignSummary | None:
        """The figures shown, or None before they arrive."""
        return self._summary

    # --- showing -----------------------------------------------------------------------------

    def _show(self, summary: CampaignSummary) -> None:
        cards = self.figures.cards
        figures = (
            (summary.events, ngettext("event", "events", summary.events)),
            (summary.prisons, ngettext("prison", "prisons", summary.prisons)),
            (
                summary.child_attendances,
                ngettext("child attendance", "child attendances", summary.child_attendances),
            ),
            (summary.children, ngettext("different child", "different children", summary.children)),
            (
                summary.imprisoned_parents,
                ngettext(
                    "imprisoned parent attending",
                    "imprisoned parents attending",
                    summary.imprisoned_parents,
                ),
            ),
            (
                summary.caregivers,
                ngettext("caregiver attending", "caregivers attending", summary.caregivers),
            ),
        )
        for card, (value, caption) in zip(cards, figures, strict=True):
            card.set_figure(format_number(value), caption)
        self.feedback.set_counts(summary.positive, summary.neutral, summary.negative)
        self.model.set_rows(summary.event_rows)
        self.events_title.setText(
            ngettext("{count} event in {year}", "{count} events in {year}", summary.events).format(
                count=format_number(summary.events), year=summary.year
            )
        )
        self._fit_columns()

    def _fit_columns(self) -> None:
        header = self.events.horizontalHeader()
        header.setResizeContentsPrecision(50)  # a year may have a thousand events
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(columns.PRISON, QHeaderView.ResizeMode.Stretch)

    def _event_activated(self, index: QModelIndex) -> None:
        activity_id: uuid.UUID | None = self.model.activity_id(index.row())
        if activity_id is not None:
            self.open_activity.emit(activity_id)


def _events_table(model: ActivityRowsModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setMinimumHeight(120)
    table.setItemDelegateForColumn(columns.PRISON, MiddleElided(table))
    for column in range(columns.COLUMN_COUNT):
        table.setColumnHidden(column, column not in EVENT_COLUMNS)
    return table
