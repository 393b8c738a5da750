"""The top of the quick attendance window: the activity, "Saved", Finish, and the totals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.services.activities.views import ActivityDetail
from cope_desktop.ui.activity.quick_counter import HeadCounter
from cope_desktop.ui.activity.quick_state import Totals
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.widgets import FigureCard, heading, muted, set_state


class QuickHeader(QWidget):
    """What the activity is, whether everything is saved, and the way out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: ActivityDetail | None = None
        self._pending = 0
        self.title = heading(self)
        self.details = muted(self)
        self.saved = QLabel(self)
        self.saved.setObjectName("savedIndicator")
        self.saved.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.finish = QPushButton(self)
        self.finish.setObjectName("quickFinish")
        self.finish.setProperty("primary", True)
        self.finish.setAutoDefault(False)
        self.finish.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title)
        texts.addWidget(self.details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(20)
        layout.addLayout(texts, 1)
        layout.addWidget(self.saved)
        layout.addWidget(self.finish)
        self.retranslate()
        follow_language(self.retranslate)

    def show_activity(self, detail: ActivityDetail | None) -> None:
        self._detail = detail
        self.retranslate()

    def show_pending(self, pending: int) -> None:
        self._pending = pending
        self._show_saved()

    def retranslate(self) -> None:
        self.finish.setText(_("Finish"))
        self.finish.setToolTip(_("Everything is saved as you go (Esc)"))
        detail = self._detail
        if detail is None:
            self.title.setText(_("Quick attendance"))
            self.details.setText(_("Reading the activity…"))
        else:
            self.title.setText(label(detail.type))
            parts = [_("Quick attendance"), format_date(detail.held_on, "full")]
            parts.append(detail.prison_name or _("no prison"))
            parts.append(detail.reference)
            self.details.setText("  ·  ".join(parts))
        self._show_saved()

    def _show_saved(self) -> None:
        if self._pending:
            self.saved.setText(_("Saving…"))
            set_state(self.saved, "info")
        else:
            self.saved.setText(_("✓ Saved"))
            set_state(self.saved, "ok")


class QuickTotals(QWidget):
    """Who is ticked, and the head counts of people not on file with their − and + buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._totals = Totals(0, 0, 0, 0, 0)
        self.children_card = FigureCard(self)
        self.caregivers_card = FigureCard(self)
        self.relatives_card = FigureCard(self)
        self.anonymous_children = HeadCounter(self)
        self.anonymous_adults = HeadCounter(self)
        self.in_all = muted(self)
        self.in_all.setObjectName("quickInAll")
        row = QHBoxLayout()
        row.setSpacing(12)
        for card in (self.children_card, self.caregivers_card, self.relatives_card):
            row.addWidget(card, 2)
        row.addSpacing(8)
        row.addWidget(self.anonymous_children, 3)
        row.addWidget(self.anonymous_adults, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.in_all)
        self.retranslate()
        follow_language(self.retranslate)

    def show_totals(self, totals: Totals) -> None:
        self._totals = totals
        self._show_figures()

    def retranslate(self) -> None:
        self.anonymous_children.set_texts(
            _("Children not on file"),
            _("One child fewer not on file (Ctrl+−)"),
            _("One more child not on file (Ctrl++)"),
        )
        self.anonymous_adults.set_texts(
            _("Adults not on file"),
            _("One adult fewer not on file (Alt+−)"),
            _("One more adult not on file (Alt++)"),
        )
        self._show_figures()

    def _show_figures(self) -> None:
        totals = self._totals
        self.children_card.set_figure(format_number(totals.children), _("Children ticked"))
        self.caregivers_card.set_figure(format_number(totals.caregivers), _("Caregivers ticked"))
        self.relatives_card.set_figure(
            format_number(totals.relatives), _("Imprisoned relatives ticked")
        )
        self.anonymous_children.set_value(totals.anonymous_children)
        self.anonymous_adults.set_value(totals.anonymous_adults)
        children = ngettext("{count} child", "{count} children", totals.all_children).format(
            count=format_number(totals.all_children)
        )
        adults = ngettext("{count} adult", "{count} adults", totals.all_adults).format(
            count=format_number(totals.all_adults)
        )
        self.in_all.setText(
            _("In all, with the people not on file: {children} and {adults}.").format(
                children=children, adults=adults
            )
        )
