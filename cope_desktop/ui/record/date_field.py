"""A date typed the way people write it, or picked from a calendar, or left empty.

``QDateEdit`` always holds some date, so "not known" needs a separate switch and a wrong
date is easy to keep by accident. This field is a line edit instead: it accepts the short
numeric format of the interface language (31/12/2024 in French, 12/31/2024 in English) and
ISO (2024-12-31), shows every date back in the language's format with a four-digit year, and
an empty field means no date.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_date_format
from PySide6.QtCore import QDate, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from cope_desktop import i18n
from cope_desktop.i18n import _
from cope_desktop.ui.language import follow_language

SAMPLE_DATE = dt.date(2024, 12, 31)
"""Shown as the example: day 31 and month 12 make the order of the parts unmistakable."""


def display_pattern(language: str) -> str:
    """The language's short date pattern with a four-digit year (CLDR uses two in some)."""
    pattern = get_date_format("short", locale=language).pattern
    return re.sub(r"y+", "yyyy", pattern)


def _field_order(pattern: str) -> tuple[str, str, str]:
    """The order of day, month and year in a CLDR pattern, as a tuple of "d", "M", "y"."""
    positions = {letter: pattern.find(letter) for letter in "dMy"}
    if any(position < 0 for position in positions.values()):
        return ("y", "M", "d")
    ordered = sorted(positions, key=positions.__getitem__)
    return (ordered[0], ordered[1], ordered[2])


def format_hint(language: str) -> str:
    """The format in letters people know from forms: "DD/MM/YYYY" (translated letters)."""
    letters = {"y": _("YYYY"), "M": _("MM"), "d": _("DD")}
    return re.sub(r"y+|M+|d+", lambda part: letters[part.group()[0]], display_pattern(language))


def format_field_date(value: dt.date) -> str:
    return i18n.format_date(value, display_pattern(i18n.format_locale()))


def parse_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """Read a date in the language's short format or ISO; None if it is not a real date.

    A two-digit year is read as the most recent such year not after this year.
    """
    numbers = re.findall(r"\d+", text)
    if len(numbers) != 3 or re.search(r"[^\d\s./\-,]", text):
        return None
    if len(numbers[0]) == 4:
        order: tuple[str, str, str] = ("y", "M", "d")
    else:
        order = _field_order(get_date_format("short", locale=i18n.format_locale()).pattern)
    parts = dict(zip(order, (int(number) for number in numbers), strict=True))
    year_text = numbers[order.index("y")]
    year = parts["y"]
    if len(year_text) <= 2:
        this_year = (today or dt.date.today()).year
        year += 2000 if 2000 + year <= this_year else 1900
    elif len(year_text) != 4:
        return None
    try:
        return dt.date(year, parts["M"], parts["d"])
    except ValueError:
        return None


def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn in the interface's accent colour (no image file needed)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    accent = QColor("#3d6fa3")
    painter.scale(size / 16, size / 16)
    painter.setPen(QPen(accent, 1.2))
    painter.drawRoundedRect(QRectF(1.5, 2.5, 13, 12), 2, 2)
    painter.fillRect(QRectF(1.5, 2.5, 13, 3.5), accent)
    for row in range(2):
        for column in range(3):
            painter.fillRect(QRectF(3.5 + column * 3.5, 8 + row * 3, 2, 2), accent)
    painter.end()
    return QIcon(pixmap)


class DateField(QWidget):
    """A date or nothing. ``date()`` is None when empty or when the text is not a date."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.button = QToolButton(self)
        self.button.setIcon(calendar_icon(32))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.show_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line_edit)
        self._value: dt.date | None = None
        self.line_edit.textChanged.connect(self._typed)
        self.line_edit.editingFinished.connect(self._tidy)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        hint = format_hint(i18n.format_locale())
        self.line_edit.setPlaceholderText(hint)
        self.button.setToolTip(_("Choose the date on a calendar"))
        side = max(16, self.fontMetrics().height())
        self.button.setIconSize(QSize(side, side))
        metrics = self.line_edit.fontMetrics()
        widest = max(
            metrics.horizontalAdvance(format_field_date(SAMPLE_DATE) + "0"),
            metrics.horizontalAdvance(hint),
        )
        self.line_edit.setMinimumWidth(widest + 30)
        self.line_edit.setMaximumWidth(self.line_edit.minimumWidth() + 40)
        if self._value is not None:
            self._show(self._value)

    # --- value -------------------------------------------------------------------------------

    def date(self) -> dt.date | None:
        return self._value

    def set_date(self, value: dt.date | None) -> None:
        self._value = value
        self._show(value)

    def is_empty(self) -> bool:
        return not self.line_edit.text().strip()

    def problem(self) -> str | None:
        """A sentence when something is typed that is not a date, else None."""
        if self.is_empty() or self._value is not None:
            return None
        return _("This is not a date. Type it like {example}, or leave it empty.").format(
            example=format_field_date(SAMPLE_DATE)
        )

    def _show(self, value: dt.date | None) -> None:
        text = format_field_date(value) if value is not None else ""
        if self.line_edit.text() != text:
            self.line_edit.setText(text)

    def _typed(self, text: str) -> None:
        self._value = parse_date(text) if text.strip() else None
        self.changed.emit()

    def _tidy(self) -> None:
        """Show a date typed in any accepted form in the usual one when the field is left."""
        if self._value is not None:
            self._show(self._value)

    # --- calendar ----------------------------------------------------------------------------

    def show_calendar(self) -> None:
        menu = QMenu(self)
        calendar = QCalendarWidget(menu)
        calendar.setLocale(QLocale(i18n.format_locale()))
        calendar.setGridVisible(False)
        start = self._value or dt.date.today()
        calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(day: QDate) -> None:
            self.set_date(dt.date(day.year(), day.month(), day.day()))
            menu.close()
            self.line_edit.setFocus()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
        calendar.setFocus()
