"""The look of quick attendance: large text and targets for a touch screen laptop.

Set on the window on top of the application's style sheet (resources/styles/app.qss).
"""

from __future__ import annotations

FONT_SCALE = 1.2
"""The window's text is this much larger than the rest of the application."""

STYLE = """
QWidget#quickAttendance { background: #f5f7f9; }
QScrollArea#quickList, QWidget#quickBody { background: transparent; border: none; }
QFrame#quickRow {
    background: #ffffff;
    border: 1px solid #dfe5eb;
    border-radius: 10px;
}
QFrame#quickRow[present="true"] { background: #eaf6ef; border-color: #a9d3bd; }
QFrame#quickRow[current="true"] { border: 2px solid #3d6fa3; }
QLabel#quickName { font-size: 15pt; font-weight: 600; color: #1f2a36; }
QLabel#quickFamily { color: #5b6875; font-weight: 600; padding: 8px 4px 0 4px; }
QLabel#quickFlag { color: #8a5a00; }
QCheckBox#quickCheck::indicator { width: 34px; height: 34px; }
QFrame#quickCounter {
    background: #ffffff;
    border: 1px solid #dfe5eb;
    border-radius: 10px;
}
QLabel#quickCaption { color: #5b6875; }
QLabel#quickFigure { font-size: 22pt; font-weight: 600; color: #1b3a5c; }
QPushButton#quickStep { font-size: 22pt; font-weight: 600; padding: 0; border-radius: 10px; }
QLineEdit#quickSearch { font-size: 15pt; padding: 8px 12px; border-radius: 8px; }
QPushButton#quickFinish { font-size: 13pt; padding: 10px 28px; border-radius: 8px; }
QPushButton#quickEveryone {
    text-align: left;
    border: none;
    background: transparent;
    color: #1b3a5c;
    text-decoration: underline;
    padding: 6px 4px;
}
QPushButton#quickEveryone:disabled { color: #5b6875; text-decoration: none; }
QLabel#savedIndicator { font-weight: 600; padding: 6px 10px; }
QLabel#savedIndicator[state="ok"] { color: #2f7a5f; }
QLabel#savedIndicator[state="info"] { color: #5b6875; }
"""
