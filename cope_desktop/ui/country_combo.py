"""A searchable list of countries: CLDR names in the current language, stored as ISO codes."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from cope_desktop import i18n
from cope_desktop.i18n import _
from cope_desktop.ui.collation import name_order
from cope_desktop.ui.language import follow_language


def system_country() -> str | None:
    """Return the territory of the system locale (``it_IT`` -> ``IT``), if it has one."""
    parts = QLocale.system().name().split("_")
    code = parts[1].upper() if len(parts) > 1 else ""
    return code if code in i18n.country_names() else None


class CountryCombo(QComboBox):
    """Type a few letters of a country's name to find it; ``code()`` gives its ISO code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        """Refill the names in the current language, keeping the chosen country."""
        chosen = self.code()
        self.blockSignals(True)
        try:
            self.clear()
            order = name_order()
            names = sorted(i18n.country_names().items(), key=lambda item: order(item[1]))
            for code, name in names:
                self.addItem(name, code)
            self.set_code(chosen)
        finally:
            self.blockSignals(False)
        line_edit = self.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(_("Type to search…"))

    def code(self) -> str | None:
        """Return the ISO code of the country whose name is in the box, or None."""
        index = self.findText(self.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        if index < 0:
            return None
        data = self.itemData(index)
        return str(data) if data else None

    def set_code(self, code: str | None) -> None:
        index = self.findData(code) if code else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")
