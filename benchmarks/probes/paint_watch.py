"""What the list probes share: stopping the clock when a lazy list's latest rows are painted."""

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

from cope_desktop.ui.models.lazy_list import LazyListModel


class PaintWatch(QObject):
    """Quits ``loop`` just after the table has painted the rows of the model's latest query."""

    def __init__(self, model: LazyListModel, loop: QEventLoop) -> None:
        super().__init__()
        self._model = model
        self._loop = loop
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._model.showing_latest:
            QTimer.singleShot(0, self._after_paint)  # runs once this paint event is done
        return False

    def _after_paint(self) -> None:
        self.painted = True
        self._loop.quit()
