"""The automatic lock (issue 9, PRIVACY-API.md §3): after a while without use, hide the data.

``IdleLock`` watches every input event of the application (it is an application event
filter). When nobody has typed, clicked, scrolled or moved the mouse in any window for
``PrivacySettings.lock_minutes``, or when the person chooses File ▸ Lock (Ctrl+L), every
visible window gets a ``LockPanel``: an opaque child widget on top of everything else in the
window, which asks for the password again.

Windows are never hidden or closed: a hidden dialog would end its ``exec()`` and whatever was
typed into it would be lost. Their widgets stay as they were, under the panel, and get the
focus back after unlocking. While locked, input meant for anything but a panel is dropped
(keyboard shortcuts too), window titles that could name a family are replaced by a neutral
one, and windows that open meanwhile are covered as they appear.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cope_desktop.db.database import Database
from cope_desktop.i18n import _
from cope_desktop.services import accounts, app_settings, audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.ui.language import follow_language
from cope_desktop.ui.session import SignedIn
from cope_desktop.ui.tasks import TaskFailure, TaskRunner
from cope_desktop.ui.widgets import BusyBar, InlineMessage, heading, muted

log = logging.getLogger(__name__)

MINUTE_MS = 60_000
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.ContextMenu,
    }
)
"""What counts as someone using the application (and, while locked, what is dropped)."""
LOCKED_ONLY_EVENTS = frozenset(
    {
        QEvent.Type.Shortcut,
        QEvent.Type.Show,
        QEvent.Type.Resize,
        QEvent.Type.WindowTitleChange,
        QEvent.Type.ChildAdded,
        QEvent.Type.Close,
        QEvent.Type.DragEnter,
        QEvent.Type.Drop,
        QEvent.Type.LayoutRequest,
    }
)
COVERED_TYPES = frozenset(
    {
        Qt.WindowType.Window,
        Qt.WindowType.Dialog,
        Qt.WindowType.Sheet,
        Qt.WindowType.Drawer,
        Qt.WindowType.Tool,
    }
)
"""Windows that get a panel; popups and tooltips are closed instead."""
SMALLEST_COVER = QSize(440, 330)
"""A smaller window (a short message box) is enlarged while locked, so the panel fits."""
CARD_WIDTH = 460
"""The lock card's width (pixels) in a window wide enough for it."""
PANEL_MARGIN = 12
"""Space (pixels) kept between the card and the window's edges."""
MOST_POPUPS = 8
"""Open popups closed at most when locking (a menu and its submenus); a popup that will not
close must not keep the lock from happening."""

LOCK_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="48" height="48"
 fill="none" stroke="#3d6fa3" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
<rect x="5" y="10.5" width="14" height="10" rx="2"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/>
<path d="M12 14.5v2.5"/></svg>"""

PANEL_STYLE = """
QWidget#lockPanel { background: #e9eef3; }
QFrame#lockCard { background: #ffffff; border: 1px solid #cfd9e3; border-radius: 10px; }
"""


def record_lock(db: Database, user: CurrentUser) -> None:
    """One ``lock`` row in the audit trail (no object: the whole application was locked)."""
    with db.session() as session:
        audit.record(session, "lock", user_id=user.id, username=user.username)


def read_lock_minutes(db: Database) -> int:
    with db.session() as session:
        return app_settings.read_settings(session).lock_minutes


def neutral_title() -> str:
    """The title of every window while locked: it must not name a family or a person."""
    return _("COPE Desktop (locked)")


class LockPanel(QWidget):
    """What covers one window while locked: a heading, one sentence, the password and Unlock.

    Emits ``unlock_requested(password)``. Tab moves between its own two fields only, never to
    the covered widgets underneath.
    """

    unlock_requested = Signal(str)

    def __init__(self, user_name: str, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(PANEL_STYLE)
        self._user_name = user_name
        self.card = QFrame(self)
        self.card.setObjectName("lockCard")
        self.icon = QLabel(self.card)
        pixmap = QPixmap()
        if pixmap.loadFromData(QByteArray(LOCK_SVG), "SVG"):
            self.icon.setPixmap(pixmap)
        self.heading = heading(self.card)
        self.explanation = QLabel(self.card)
        self.explanation.setWordWrap(True)
        self.kept = muted(self.card)
        self.password_label = QLabel(self.card)
        self.password = QLineEdit(self.card)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setMinimumWidth(140)
        self.password_label.setBuddy(self.password)
        self.unlock_button = QPushButton(self.card)
        self.unlock_button.setAutoDefault(False)  # never a covered dialog's default button
        self.busy = BusyBar(self.card)
        self.message = InlineMessage(self.card)
        self._build_layout()
        self.password.returnPressed.connect(self._request)
        self.unlock_button.clicked.connect(self._request)
        self.retranslate()
        follow_language(self.retranslate)

    def _build_layout(self) -> None:
        title_row = QHBoxLayout()
        title_row.setSpacing(12)
        title_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.heading, 1)
        field_row = QHBoxLayout()
        field_row.setSpacing(10)
        field_row.addWidget(self.password_label)
        field_row.addWidget(self.password, 1)
        field_row.addWidget(self.unlock_button)
        card = self._card_layout = QVBoxLayout(self.card)
        card.setContentsMargins(24, 20, 24, 20)
        card.setSpacing(10)
        card.addLayout(title_row)
        card.addWidget(self.explanation)
        card.addWidget(self.kept)
        card.addSpacing(4)
        card.addLayout(field_row)
        card.addWidget(self.busy)
        card.addWidget(self.message)
        # The card is placed by hand (``_place_card``): a layout would not give wrapped texts
        # the height they need, and a small window (a message box) needs fewer of them.

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_card()

    def _place_card(self) -> None:
        """Centre the card; in a window too small for it, leave out the longer sentences."""
        width = max(0, min(CARD_WIDTH, self.width() - 2 * PANEL_MARGIN))
        room = max(0, self.height() - 2 * PANEL_MARGIN)
        height = 0
        for level in range(3):
            self.kept.setHidden(level >= 1)
            self.icon.setHidden(level >= 2)
            self.explanation.setHidden(level >= 2)
            height = self._card_height(width)
            if height <= room:
                break
        height = min(height, room)
        top = max(PANEL_MARGIN, (self.height() - height) // 3)
        self.card.setGeometry((self.width() - width) // 2, top, width, height)

    def _card_height(self, width: int) -> int:
        layout = self._card_layout
        layout.invalidate()
        if layout.hasHeightForWidth():
            return int(layout.totalHeightForWidth(width))
        return int(layout.totalSizeHint().height())

    def retranslate(self) -> None:
        self.heading.setText(_("COPE Desktop is locked"))
        self.explanation.setText(
            _("Signed in as {name}. Type your password to go on.").format(name=self._user_name)
        )
        self.kept.setText(
            _(
                "The records stay hidden until then. Unsaved work is kept: it will be there "
                "again when you unlock."
            )
        )
        self.password_label.setText(_("&Password:"))
        self.unlock_button.setText(_("&Unlock"))
        self._place_card()

    def _request(self) -> None:
        if self.password.isEnabled():
            self.unlock_requested.emit(self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.message.show_info(_("Checking the password…"))
        else:
            self.message.clear_message()
        self._place_card()

    def show_error(self, text: str) -> None:
        self.message.show_error(text)
        self.password.clear()
        self._place_card()
        self.focus_field()

    def focus_field(self) -> None:
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Keep Tab inside the panel: the covered widgets must not take the keyboard."""
        target = self.unlock_button if self.password.hasFocus() else self.password
        if not target.isEnabled():
            target = self.password
        target.setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True

    def fit(self) -> None:
        """Cover the whole window, menu bar and status bar included, on top of everything."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()


@dataclass
class _Cover:
    window: QWidget
    panel: LockPanel
    title: str
    focus: QWidget | None
    sizes_before: tuple[QSize, QSize, QSize] | None = None
    """Size, minimum and maximum of a window enlarged while locked."""


def _alive(obj: QObject | None) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def in_panel(widget: QWidget) -> bool:
    """True if ``widget`` is a lock panel or inside one."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, LockPanel):
            return True
        if current.isWindow():
            return False
        current = current.parentWidget()
    return False


class IdleLock(QObject):
    """Locks every window of the application after a time without input, or on request.

    Input only notes its time (cheap: it comes with every mouse move); the timer then checks
    how long it has been and waits again for the rest. ``clock`` (seconds, monotonic) is a
    public attribute so tests can move time on without waiting.
    """

    def __init__(
        self,
        signed_in: SignedIn,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._signed_in = signed_in
        self._runner = runner
        self.clock = clock
        self._interval_ms = app_settings.PrivacySettings().lock_minutes * MINUTE_MS
        self._last_input = clock()
        self._covers: list[_Cover] = []
        self._locked = False
        self._checking = False
        self._running = False
        self._active_window: QWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_idle)
        follow_language(self._retitle)

    # --- state ---------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._locked

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    @property
    def timer(self) -> QTimer:
        return self._timer

    @property
    def checking(self) -> bool:
        """True while a password is being checked in the background."""
        return self._checking

    def panels(self) -> list[LockPanel]:
        return [cover.panel for cover in self._covers if _alive(cover.panel)]

    def panel_of(self, window: QWidget) -> LockPanel | None:
        for cover in self._covers:
            if cover.window is window and _alive(cover.panel):
                return cover.panel
        return None

    # --- starting, stopping, the time ----------------------------------------------------------

    def start(self) -> None:
        """Watch the application's input, and read the organisation's lock time."""
        app = QApplication.instance()
        if app is None or self._running:
            return
        self._running = True
        app.installEventFilter(self)
        self.note_input()
        db = self._signed_in.db
        self._runner.run(lambda: read_lock_minutes(db), self.set_minutes, context=self)

    def stop(self) -> None:
        """Stop watching (the main window closes); any panel is removed."""
        self._timer.stop()
        if self._locked:
            self._remove_covers()
        app = QApplication.instance()
        if app is not None and self._running:
            app.removeEventFilter(self)
        self._running = False

    def set_minutes(self, minutes: int) -> None:
        """Use a new lock time (read at start, and after an administrator changes it)."""
        self.set_interval_ms(int(minutes) * MINUTE_MS)

    def set_interval_ms(self, interval_ms: int) -> None:
        self._interval_ms = max(1, int(interval_ms))
        if self._running and not self._locked:
            self._arm()

    def note_input(self) -> None:
        """Someone used the application now: the idle time starts again."""
        self._last_input = self.clock()
        if self._running and not self._locked:
            self._arm()

    def _idle_ms(self) -> int:
        return int((self.clock() - self._last_input) * 1000)

    def _arm(self) -> None:
        """Let the timer fire when the idle time would be reached if nobody touches anything."""
        self._timer.start(max(0, self._interval_ms - self._idle_ms()))

    def check_idle(self) -> None:
        """Lock if nobody has used the application for the whole interval (the timer's call)."""
        if self._locked or not self._running:
            return
        if self._idle_ms() >= self._interval_ms:
            self.lock_now()
        else:
            self._arm()

    # --- locking -------------------------------------------------------------------------------

    def lock_now(self) -> None:
        """Cover every visible window and ask for the password; record ``lock``."""
        if self._locked or not self._running:
            return
        self._locked = True
        self._timer.stop()
        self._active_window = QApplication.activeWindow()
        self._close_popups()
        QToolTip.hideText()
        for widget in QApplication.topLevelWidgets():
            if self._should_cover(widget):
                self._cover(widget)
        self._focus_active_panel()
        db, user = self._signed_in.db, self._signed_in.user
        self._runner.run(lambda: record_lock(db, user), writes=True)
        log.info("locked")

    @staticmethod
    def _close_popups() -> None:
        for _attempt in range(MOST_POPUPS):
            popup = QApplication.activePopupWidget()
            if popup is None:
                return
            popup.close()

    def _should_cover(self, widget: QWidget) -> bool:
        return (
            widget.isWindow()
            and widget.isVisible()
            and widget.windowType() in COVERED_TYPES
            and not isinstance(widget, LockPanel)
            and self.panel_of(widget) is None
        )

    def _cover(self, window: QWidget) -> None:
        panel = LockPanel(
            self._signed_in.user.display_name or self._signed_in.user.username, window
        )
        panel.unlock_requested.connect(lambda password, p=panel: self._try_unlock(p, password))
        cover = _Cover(window, panel, window.windowTitle(), window.focusWidget())
        self._covers.append(cover)
        self._enlarge(cover)
        window.setWindowTitle(neutral_title())
        panel.fit()
        panel.show()
        panel.set_busy(self._checking)
        panel.focus_field()

    @staticmethod
    def _enlarge(cover: _Cover) -> None:
        """Give a small window (a message box, even of fixed size) room for the panel."""
        window = cover.window
        size = window.size()
        if size.width() >= SMALLEST_COVER.width() and size.height() >= SMALLEST_COVER.height():
            return
        cover.sizes_before = (size, window.minimumSize(), window.maximumSize())
        larger = size.expandedTo(SMALLEST_COVER)
        window.setMaximumSize(window.maximumSize().expandedTo(larger))
        window.setMinimumSize(larger)
        window.resize(larger)

    @staticmethod
    def _shrink(cover: _Cover) -> None:
        if cover.sizes_before is None:
            return
        size, minimum, maximum = cover.sizes_before
        cover.window.setMinimumSize(minimum)
        cover.window.setMaximumSize(maximum)
        cover.window.resize(size)
        QApplication.postEvent(cover.window, QEvent(QEvent.Type.LayoutRequest))

    def _focus_active_panel(self) -> None:
        active = QApplication.activeWindow()
        panel = self.panel_of(active) if active is not None else None
        if panel is not None:
            panel.focus_field()

    # --- unlocking -----------------------------------------------------------------------------

    def _try_unlock(self, panel: LockPanel, password: str) -> None:
        if self._checking or not self._locked:
            return
        if not password:
            panel.show_error(_("Type your password to unlock."))
            return
        self._checking = True
        for each in self.panels():
            each.set_busy(True)
        db, user = self._signed_in.db, self._signed_in.user
        self._runner.run(
            lambda: accounts.confirm_password(db, user, password),
            lambda _result: self._unlocked(),
            lambda failure: self._refused(panel, failure),
            context=self,
            writes=True,
        )

    def _refused(self, panel: LockPanel, failure: TaskFailure) -> None:
        self._checking = False
        for each in self.panels():
            each.set_busy(False)
        target = panel if _alive(panel) else next(iter(self.panels()), None)
        if target is not None:
            target.show_error(failure.message)

    def _unlocked(self) -> None:
        self._checking = False
        if not self._locked:
            return
        self._remove_covers()
        self.note_input()
        log.info("unlocked")

    def _remove_covers(self) -> None:
        """Take every panel away and give each window back its title, size and focus."""
        self._locked = False  # first: the titles set below must not be caught as new ones
        covers, self._covers = self._covers, []
        for cover in covers:
            if _alive(cover.panel):
                cover.panel.hide()
                cover.panel.deleteLater()
            if not _alive(cover.window):
                continue
            cover.window.setWindowTitle(cover.title)
            self._shrink(cover)
            if _alive(cover.focus) and cover.focus is not None:
                cover.focus.setFocus(Qt.FocusReason.OtherFocusReason)
        active, self._active_window = self._active_window, None
        if active is not None and _alive(active) and active.isVisible():
            active.activateWindow()  # its own focus widget was given back above

    # --- the event filter ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            if not self._locked:
                self._last_input = self.clock()
                return False
            return self._drop(watched, event)
        if not self._locked or kind not in LOCKED_ONLY_EVENTS:
            return False
        if kind == QEvent.Type.Shortcut:  # sent to a QAction or QShortcut, or a label's buddy
            return not (isinstance(watched, QWidget) and in_panel(watched))
        if isinstance(watched, QWidget):
            return self._while_locked(watched, event, kind)
        return False

    def _drop(self, watched: QObject, event: QEvent) -> bool:
        """While locked, input reaches the panels only (the window system's part goes on)."""
        if not isinstance(watched, QWidget) or in_panel(watched):
            return False
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.ShortcutOverride:
            return False  # asking is harmless; the Shortcut event itself is dropped
        event.accept()
        return True

    def _while_locked(self, watched: QWidget, event: QEvent, kind: QEvent.Type) -> bool:
        if kind in (QEvent.Type.DragEnter, QEvent.Type.Drop):
            return not in_panel(watched)
        if kind == QEvent.Type.Show:
            if self._should_cover(watched):
                self._cover(watched)
            elif watched.isWindow() and watched.windowType() == Qt.WindowType.Popup:
                QTimer.singleShot(0, watched, watched.close)
            return False
        cover = next((c for c in self._covers if c.window is watched), None)
        if cover is None or not _alive(cover.panel):
            return False
        if kind == QEvent.Type.Resize:
            cover.panel.setGeometry(watched.rect())
        elif kind == QEvent.Type.ChildAdded:
            QTimer.singleShot(0, cover.panel, cover.panel.raise_)
        elif kind == QEvent.Type.WindowTitleChange:
            self._keep_title_neutral(cover)
        elif kind == QEvent.Type.LayoutRequest and cover.sizes_before is not None:
            return True  # a message box would shrink back to its own fixed size
        elif kind == QEvent.Type.Close and event.spontaneous():
            event.ignore()  # the window's close button: unsaved work would be lost
            return True
        return False

    def _keep_title_neutral(self, cover: _Cover) -> None:
        title = cover.window.windowTitle()
        if title != neutral_title():
            cover.title = title  # the window's own new title, given back after unlocking
            cover.window.setWindowTitle(neutral_title())

    def _retitle(self) -> None:
        if not self._locked:
            return
        for cover in self._covers:
            if _alive(cover.window):
                cover.window.setWindowTitle(neutral_title())
