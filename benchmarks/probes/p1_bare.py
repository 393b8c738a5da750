"""Baseline for P1: a bare PySide6 window process (import, show, quit)."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1366, 768)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
