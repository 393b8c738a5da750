"""The buttons every wizard of the application shares: their texts and their busy state."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWizard

from cope_desktop.i18n import _

Button = QWizard.WizardButton


def translate_buttons(wizard: QWizard, finish: str | None = None) -> None:
    """Give the wizard's buttons their texts in the current language (Qt's own are English).

    ``finish`` replaces "Finish" where the last step only closes the wizard.
    """
    for which, text in (
        (Button.BackButton, _("< &Back")),
        (Button.NextButton, _("&Next >")),
        (Button.FinishButton, finish if finish is not None else _("&Finish")),
        (Button.CancelButton, _("Cancel")),
    ):
        wizard.setButtonText(which, text)


def enable_buttons(
    wizard: QWizard,
    enabled: bool,
    buttons: Iterable[QWizard.WizardButton] = (Button.BackButton, Button.CancelButton),
) -> None:
    """Enable or disable ``buttons`` (by default Back and Cancel, while work runs)."""
    for which in buttons:
        button = wizard.button(which)
        if button is not None:
            button.setEnabled(enabled)
