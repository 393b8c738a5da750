"""Questions that do not block: the answer comes back through a callback.

A window-modal question opened with ``open()`` keeps the event loop running, so background
work goes on and tests can answer it like a person would, by clicking its button.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from cope_desktop.i18n import _


def ask(
    parent: QWidget,
    title: str,
    text: str,
    detail: str,
    yes_text: str,
    on_yes: Callable[[], None],
    *,
    no_text: str = "",
    destructive: bool = False,
) -> QMessageBox:
    """Open a question with two buttons; call ``on_yes`` only if the first is chosen."""
    box = QMessageBox(parent)
    box.setObjectName("question")
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    yes = box.addButton(yes_text, role)
    no = box.addButton(no_text or _("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no if destructive else yes)
    box.setEscapeButton(no)

    def answered() -> None:
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is yes:
            on_yes()

    box.finished.connect(answered)
    box.open()
    return box


def ask_to_discard(parent: QWidget, on_discard: Callable[[], None]) -> QMessageBox:
    """The one question before unsaved changes are thrown away."""
    return ask(
        parent,
        _("Unsaved changes"),
        _("Discard your changes?"),
        _("What you typed in this form has not been saved."),
        _("Discard changes"),
        on_discard,
        no_text=_("Keep editing"),
        destructive=True,
    )
