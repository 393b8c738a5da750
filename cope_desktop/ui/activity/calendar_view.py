"""The activities of one month on a calendar: weeks of days, each with its first activities.

``MonthGrid`` paints the month itself (one widget, not 42 widgets of labels): each day shows
as many of its activities as fit, by time, with the colour of their type, and "+N more"
when the day has more. It reads nothing: the page reads the month in the background
(``activity_list.calendar_month``) and hands it over with ``show_month``.

Mouse: a click selects a day (and the activity under the pointer); a double-click opens the
activity, shows the day's activities in the list, or records a new activity on an empty day;
"+N more" shows the day in the list. Keyboard: arrows move by day and week, Page Up/Down by
month, Home goes to today, Enter acts as a double-click on the selected day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_skeleton, get_day_names
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cope_desktop import i18n
from cope_desktop.db.enums import ActivityType
from cope_desktop.i18n import _, format_date, format_number, ngettext
from cope_desktop.labels import label
from cope_desktop.services import validation
from cope_desktop.services.activities.activity_list import CalendarMonth
from cope_desktop.services.activities.views import ActivityRow
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.models.activity_list import (
    adults_present,
    children_present,
    format_duration,
    short_time,
)

TYPE_COLOURS = {
    ActivityType.PRISON_VISIT: "#3d6fa3",
    ActivityType.FAMILY_DAY: "#c27c2c",
    ActivityType.GAME_WITH_MUM_AND_DAD: "#2f8a5f",
    ActivityType.SUPPORT_GROUP: "#8a5aa8",
    ActivityType.SCHOOL_SESSION: "#b08a1e",
    ActivityType.VISITING_ROOM_SESSION: "#c2547a",
    ActivityType.PARENTING_COURSE: "#4f8a9a",
    ActivityType.HELPLINE: "#7d8b3a",
    ActivityType.OTHER: "#7a8694",
}
"""One quiet colour per type, beside each activity's line."""

INK = QColor("#1f2a36")
MUTED = QColor("#5b6875")
FAINT = QColor("#9aa5b1")
ACCENT = QColor("#3d6fa3")
GRID = QColor("#dfe5eb")
HEADER_BACK = QColor("#eef2f6")
OTHER_MONTH_BACK = QColor("#f7f9fb")
SELECTED_BACK = QColor("#d6e3f0")
PAPER = QColor("#ffffff")

MIN_CELL = QSize(72, 40)

MOVES = {
    int(Qt.Key.Key_Left): -1,
    int(Qt.Key.Key_Right): 1,
    int(Qt.Key.Key_Up): -7,
    int(Qt.Key.Key_Down): 7,
}
"""Days to move for each arrow key."""


@dataclass(frozen=True)
class Spot:
    """A part of the grid under the pointer: a day, one of its activities, or its "+N more"."""

    day: dt.date
    kind: str
    """"day", "activity" or "more"."""
    rect: QRect
    activity: ActivityRow | None = None


def month_title(year: int, month: int) -> str:
    """The month and year as a title: "March 2025", "mars 2025"."""
    title = format_skeleton("yMMMM", dt.date(year, month, 1), locale=i18n.format_locale())
    return title[:1].upper() + title[1:]  # "octobre 2026" is a title too


def first_weekday() -> int:
    """The first day of the week in the current language (0 is Monday)."""
    return int(Locale.parse(i18n.format_locale()).first_week_day)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def activity_line(row: ActivityRow) -> str:
    kind = label(row.type)
    if row.start_time is None:
        return kind
    return _("{time} {type}").format(time=short_time(row.start_time), type=kind)


def activity_tip(row: ActivityRow) -> str:
    """Everything the list shows of an activity, one fact a line."""
    when = format_date(row.held_on, "full")
    if row.start_time is not None:
        when = _("{date}, {time}").format(date=when, time=short_time(row.start_time))
    lines = [f"{label(row.type)} · {row.reference}", when]
    if row.prison_name:
        lines.append(row.prison_name)
    lines.append(
        _("Children: {children}, caregivers: {adults}, imprisoned relatives: {relatives}").format(
            children=format_number(children_present(row)),
            adults=format_number(adults_present(row)),
            relatives=format_number(row.relatives),
        )
    )
    if row.duration_minutes is not None:
        lines.append(format_duration(row.duration_minutes))
    if row.archived:
        lines.append(_("This activity is archived."))
    return "\n".join(lines)


class MonthGrid(QWidget):
    """The weeks of one month, painted; the day and activity the person picked."""

    day_selected = Signal(object)
    """A ``datetime.date``: the selected day changed."""
    day_opened = Signal(object)
    """A day with activities, to show in the list (double-click, Enter or "+N more")."""
    new_on_day = Signal(object)
    """A day without activities was double-clicked (or Enter): record one on that day."""
    activity_opened = Signal(object)
    """An activity's ``uuid.UUID``: its line was double-clicked (or Enter while selected)."""
    month_requested = Signal(int, int)
    """The person moved to a day of another month (year, month)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = validation.today()
        self._year, self._month = today.year, today.month
        self._selected = today
        self._activity: uuid.UUID | None = None
        self._data = CalendarMonth(today.year, today.month)
        self._has_data = False
        self._spots: list[Spot] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_CELL.width() * 7, MIN_CELL.height() * 4)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    # --- state ---------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year

    @property
    def month(self) -> int:
        return self._month

    @property
    def data(self) -> CalendarMonth:
        """The activities of the month shown (none until they arrive)."""
        return self._data

    @property
    def has_data(self) -> bool:
        """True once the activities of the month shown have arrived."""
        return self._has_data

    def selected_day(self) -> dt.date:
        return self._selected

    def selected_activity(self) -> ActivityRow | None:
        """The activity picked on the selected day, if it is shown."""
        if self._activity is None:
            return None
        for row in self._data.days.get(self._selected.day, ()):
            if row.id == self._activity and self._selected.month == self._month:
                return row
        return None

    def day_count(self, day: dt.date) -> int:
        """How many activities the day has (0 for a day of another month)."""
        if (day.year, day.month) != (self._year, self._month):
            return 0
        return self._data.counts.get(day.day, 0)

    def set_month(self, year: int, month: int, selected: dt.date | None = None) -> None:
        """Show another month (empty until ``show_month``); the selection moves into it."""
        if (year, month) != (self._year, self._month):
            self._year, self._month = year, month
            self._data = CalendarMonth(year, month)
            self._has_data = False
        if selected is None or (selected.year, selected.month) != (year, month):
            selected = dt.date(year, month, min(self._selected.day, _days_in(year, month)))
        self._select(selected, None)
        self._changed()

    def show_month(self, data: CalendarMonth) -> None:
        """The month's activities, read in the background (ignored for another month)."""
        if (data.year, data.month) != (self._year, self._month):
            return
        self._data = data
        self._has_data = True
        if self.selected_activity() is None:
            self._activity = None
        self._changed()
        self._describe()

    def select(self, day: dt.date, activity_id: uuid.UUID | None = None) -> None:
        """Select a day (moving to its month if needed) and perhaps one of its activities."""
        if (day.year, day.month) != (self._year, self._month):
            self.set_month(day.year, day.month, day)
            self.month_requested.emit(day.year, day.month)
        self._select(day, activity_id)
        self.update()

    def _select(self, day: dt.date, activity_id: uuid.UUID | None) -> None:
        changed = (day, activity_id) != (self._selected, self._activity)
        self._selected, self._activity = day, activity_id
        if changed:
            self._describe()
            self.day_selected.emit(day)

    def _changed(self) -> None:
        self._spots = None
        self.update()

    def retranslate(self) -> None:
        self._changed()
        self._describe()

    # --- geometry ------------------------------------------------------------------------------

    def weeks(self) -> list[list[dt.date]]:
        weeks = calendar.Calendar(first_weekday()).monthdatescalendar(self._year, self._month)
        return [list(week) for week in weeks]

    def _header_height(self) -> int:
        return self.fontMetrics().height() + 10

    def _line_height(self) -> int:
        return self.fontMetrics().height() + 4

    def cell_rect(self, day: dt.date) -> QRect | None:
        """Where a day is drawn, or None when it is not on the grid."""
        for row, week in enumerate(self.weeks()):
            if day in week:
                return self._cell(row, week.index(day), len(self.weeks()))
        return None

    def _cell(self, row: int, column: int, rows: int) -> QRect:
        top = self._header_height()
        width, height = self.width() - 1, self.height() - 1 - top
        left, right = column * width // 7, (column + 1) * width // 7
        upper, lower = top + row * height // rows, top + (row + 1) * height // rows
        return QRect(left, upper, right - left, lower - upper)

    def spots(self) -> list[Spot]:
        """Every day, activity line and "+N more" on the grid, with where they are drawn."""
        if self._spots is None:
            self._spots = self._lay_out()
        return self._spots

    def _lay_out(self) -> list[Spot]:
        weeks = self.weeks()
        line = self._line_height()
        spots: list[Spot] = []
        for row, week in enumerate(weeks):
            for column, day in enumerate(week):
                cell = self._cell(row, column, len(weeks))
                spots.append(Spot(day, "day", cell))
                if (day.year, day.month) != (self._year, self._month):
                    continue
                spots.extend(self._day_lines(day, cell, line))
        return spots

    def _day_lines(self, day: dt.date, cell: QRect, line: int) -> list[Spot]:
        """The activity lines of one day that fit in its cell, then "+N more" if needed.

        The first line starts beside the day's number, so a small cell still shows one.
        """
        rows = self._data.days.get(day.day, [])
        count = self._data.counts.get(day.day, len(rows))
        top = cell.top() + 3
        fits = max(0, (cell.bottom() - top - 2) // line)
        shown = min(len(rows), fits if count <= fits else max(0, fits - 1))
        beside = self._number_rect(cell).width() + 4
        spots = []
        for number in range(shown + (count > shown)):
            indent = beside if number == 0 else 0
            rect = QRect(
                cell.left() + 4 + indent, top + number * line, cell.width() - 8 - indent, line
            )
            if number < shown:
                spots.append(Spot(day, "activity", rect, rows[number]))
            else:
                spots.append(Spot(day, "more", rect))
        return spots

    def _number_rect(self, cell: QRect) -> QRect:
        """Where the day's number is drawn in its cell."""
        height = self._line_height()
        return QRect(cell.left() + 4, cell.top() + 3, height + 4, height)

    def spot_at(self, point: QPoint) -> Spot | None:
        """The most precise spot under ``point``: a line before its day."""
        found = None
        for spot in self.spots():
            if spot.rect.contains(point):
                if spot.kind != "day":
                    return spot
                found = spot
        return found

    def more_count(self, day: dt.date) -> int:
        """How many activities of the day the "+N more" line stands for (0 without one)."""
        shown = sum(1 for spot in self.spots() if spot.day == day and spot.kind == "activity")
        has_more = any(spot.day == day and spot.kind == "more" for spot in self.spots())
        return self.day_count(day) - shown if has_more else 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._spots = None
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(MIN_CELL.width() * 7 + 200, MIN_CELL.height() * 6 + 120)

    # --- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), PAPER)
        self._paint_header(painter)
        today = validation.today()
        for spot in self.spots():
            if spot.kind == "day":
                self._paint_day(painter, spot, today)
            elif spot.kind == "activity" and spot.activity is not None:
                self._paint_activity(painter, spot.rect, spot.activity)
            else:
                self._paint_more(painter, spot)
        painter.setPen(QPen(GRID, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _paint_header(self, painter: QPainter) -> None:
        height = self._header_height()
        painter.fillRect(QRect(0, 0, self.width(), height), HEADER_BACK)
        names = get_day_names("abbreviated", locale=i18n.format_locale())
        start = first_weekday()
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(MUTED)
        width = self.width() - 1
        for column in range(7):
            rect = QRect(column * width // 7, 0, width // 7, height)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(names[(start + column) % 7]))
        painter.setFont(self.font())

    def _paint_day(self, painter: QPainter, spot: Spot, today: dt.date) -> None:
        cell, day = spot.rect, spot.day
        inside = (day.year, day.month) == (self._year, self._month)
        painter.fillRect(cell, PAPER if inside else OTHER_MONTH_BACK)
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(cell.topLeft(), cell.topRight())
        painter.drawLine(cell.topLeft(), cell.bottomLeft())
        number = self._number_rect(cell)
        if day == today:
            painter.setBrush(ACCENT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(number, number.height() / 2, number.height() / 2)
            painter.setPen(PAPER)
        else:
            painter.setPen(INK if inside else FAINT)
        painter.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if day == self._selected:
            width = 2 if self.hasFocus() else 1
            painter.setPen(QPen(ACCENT, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(cell.adjusted(1, 1, -width, -width))

    def _paint_activity(self, painter: QPainter, rect: QRect, row: ActivityRow) -> None:
        if row.id == self._activity:
            painter.fillRect(rect, SELECTED_BACK)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(TYPE_COLOURS.get(row.type, "#7a8694")))
        mark = QRect(rect.left() + 1, rect.top() + 3, 4, rect.height() - 6)
        painter.drawRoundedRect(mark, 2, 2)
        font = QFont(self.font())
        font.setItalic(row.archived)
        painter.setFont(font)
        painter.setPen(FAINT if row.archived else INK)
        text_rect = rect.adjusted(9, 0, -2, 0)
        metrics = QFontMetrics(font)
        line = activity_line(row)
        if row.start_time is not None:
            time_and_word = f"{short_time(row.start_time)} {label(row.type)[:6]}"
            if metrics.horizontalAdvance(time_and_word) > text_rect.width():
                line = label(row.type)  # in a narrow cell the type tells more than the time
        text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text
        )
        painter.setFont(self.font())

    def _paint_more(self, painter: QPainter, spot: Spot) -> None:
        painter.setPen(ACCENT)
        text = ngettext("+{count} more", "+{count} more", self.more_count(spot.day)).format(
            count=format_number(self.more_count(spot.day))
        )
        rect = spot.rect.adjusted(9, 0, -2, 0)
        text = self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    # --- mouse and keys ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        spot = self.spot_at(event.position().toPoint())
        if spot is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        activity = spot.activity.id if spot.activity is not None else None
        self.select(spot.day, activity)
        if spot.kind == "more":
            self.day_opened.emit(spot.day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        spot = self.spot_at(event.position().toPoint())
        if spot is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        self.select(spot.day, spot.activity.id if spot.activity is not None else None)
        if spot.activity is not None:
            self.activity_opened.emit(spot.activity.id)
        elif spot.kind == "day":
            self.open_day(spot.day)

    def open_day(self, day: dt.date) -> None:
        """The day's activities in the list, or a new activity when it has none."""
        if not self._has_data:
            return  # not read yet: whether the day is empty is not known
        if self.day_count(day):
            self.day_opened.emit(day)
        else:
            self.new_on_day.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = int(event.key())
        day = self._selected
        if key in MOVES:
            step = MOVES[key]
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft and abs(step) == 1:
                step = -step
            self.select(day + dt.timedelta(days=step))
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.select(add_months(day, -1 if key == Qt.Key.Key_PageUp else 1))
        elif key == Qt.Key.Key_Home:
            self.select(validation.today())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.selected_activity()
            if selected is not None:
                self.activity_opened.emit(selected.id)
            else:
                self.open_day(day)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def tip_at(self, point: QPoint) -> str:
        spot = self.spot_at(point)
        if spot is None:
            return ""
        if spot.activity is not None:
            return activity_tip(spot.activity)
        if spot.kind == "more":
            return _("Show every activity of this day in the list.")
        return self.day_text(spot.day)

    def day_text(self, day: dt.date) -> str:
        """The day and what it holds, in words (tooltips and screen readers)."""
        when = format_date(day, "full")
        if (day.year, day.month) != (self._year, self._month) or not self._has_data:
            return when
        count = self.day_count(day)
        if not count:
            return _("{date}: no activity. Double-click to record one.").format(date=when)
        return ngettext("{date}: {count} activity.", "{date}: {count} activities.", count).format(
            date=when, count=format_number(count)
        )

    def _describe(self) -> None:
        """Tell screen readers which day is selected and what it holds."""
        month = month_title(self._year, self._month)
        self.setAccessibleName(_("Calendar of {month}").format(month=month))
        self.setAccessibleDescription(self.day_text(self._selected))


def _arrow_button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    button.setFixedWidth(button.fontMetrics().height() * 2 + 6)
    return button


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class CalendarView(QWidget):
    """The month grid with the month's name and buttons to move between months."""

    month_changed = Signal(int, int)
    """The month shown changed (year, month): read its activities."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = MonthGrid(self)
        self.navigation = QWidget(self)
        """The month's name and the buttons to move; the page may show it elsewhere."""
        self.previous_button = _arrow_button("‹", self.navigation)
        self.next_button = _arrow_button("›", self.navigation)
        self.title = QLabel(self.navigation)
        self.title.setObjectName("calendarTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title_font)
        self.today_button = QPushButton(self.navigation)
        self.today_button.setAutoDefault(False)
        bar = QHBoxLayout(self.navigation)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.title)
        bar.addWidget(self.next_button)
        bar.addSpacing(8)
        bar.addWidget(self.today_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.navigation, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.grid, 1)
        self.previous_button.clicked.connect(lambda: self.move_months(-1))
        self.next_button.clicked.connect(lambda: self.move_months(1))
        self.today_button.clicked.connect(self.go_to_today)
        self.grid.month_requested.connect(self._month_moved)
        self.setFocusProxy(self.grid)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        self.previous_button.setToolTip(_("Previous month (Page Up)"))
        self.previous_button.setAccessibleName(_("Previous month"))
        self.next_button.setToolTip(_("Next month (Page Down)"))
        self.next_button.setAccessibleName(_("Next month"))
        self.today_button.setText(_("Today"))
        self.today_button.setToolTip(_("Show this month and select today (Home)"))
        metrics = QFontMetrics(self.title.font())
        widest = max(metrics.horizontalAdvance(month_title(2000, month)) for month in range(1, 13))
        self.title.setMinimumWidth(widest + 16)
        self._show_title()
        self.grid.retranslate()

    def take_navigation(self) -> QWidget:
        """The month's name and buttons, out of this view, for the page to place."""
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.navigation)
        return self.navigation

    @property
    def year(self) -> int:
        return self.grid.year

    @property
    def month(self) -> int:
        return self.grid.month

    def set_month(self, year: int, month: int, selected: dt.date | None = None) -> None:
        """Show a month (``month_changed`` is emitted when it is another one)."""
        other = (year, month) != (self.grid.year, self.grid.month)
        self.grid.set_month(year, month, selected)
        self._show_title()
        if other:
            self.month_changed.emit(year, month)

    def move_months(self, months: int) -> None:
        target = add_months(self.grid.selected_day(), months)
        self.set_month(target.year, target.month, target)

    def go_to_today(self) -> None:
        today = validation.today()
        self.set_month(today.year, today.month, today)
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_month(self, data: CalendarMonth) -> None:
        self.grid.show_month(data)

    def _month_moved(self, year: int, month: int) -> None:
        self._show_title()
        self.month_changed.emit(year, month)

    def _show_title(self) -> None:
        self.title.setText(month_title(self.grid.year, self.grid.month))
