"""Drop-down lists of categories (translated names) and of records (by id), with "none"."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Generic, TypeVar

from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from cope_desktop.i18n import _
from cope_desktop.labels import label
from cope_desktop.ui.language import follow_language

E = TypeVar("E", bound=StrEnum)


class EnumCombo(QComboBox, Generic[E]):
    """One category, shown by its translated name; optionally a first "none" item."""

    def __init__(
        self,
        members: Iterable[E],
        none_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._members: list[E] = list(members)
        self._none_text = none_text
        # Qt would hand a StrEnum back as a plain str: the items keep the member's index.
        if none_text is not None:
            self.addItem("", -1)
        for index in range(len(self._members)):
            self.addItem("", index)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.retranslate()
        follow_language(self.retranslate)

    def retranslate(self) -> None:
        for row in range(self.count()):
            index = self.itemData(row)
            if index >= 0:
                self.setItemText(row, label(self._members[index]))
            elif self._none_text is not None:
                self.setItemText(row, _(self._none_text))

    def value(self) -> E | None:
        index = self.currentData()
        return self._members[index] if isinstance(index, int) and index >= 0 else None

    def set_value(self, value: E | None) -> None:
        index = self._members.index(value) if value in self._members else -1
        self.setCurrentIndex(max(self.findData(index), 0))


class IdCombo(QComboBox):
    """A record picked by its label (a prison, a caseworker, a child); optionally "none"."""

    def __init__(
        self,
        choices: Sequence[tuple[uuid.UUID, str]],
        none_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(16)
        self.set_choices(choices)
        follow_language(self.retranslate)

    def set_choices(self, choices: Sequence[tuple[uuid.UUID, str]]) -> None:
        """Offer ``choices`` (the first item is "none" if the combo has one)."""
        self.clear()
        if self._none_text is not None:
            self.addItem("", None)
        for record_id, text in choices:
            self.addItem(text, record_id)
        self.retranslate()

    def retranslate(self) -> None:
        if self._none_text is not None:
            self.setItemText(0, _(self._none_text))

    def value(self) -> uuid.UUID | None:
        data = self.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def set_value(self, value: uuid.UUID | None, fallback: str | None = None) -> None:
        """Select ``value``; one no longer offered (an archived prison) is kept as it was."""
        if value is None:
            self.setCurrentIndex(0)
            return
        # findData compares Python objects by identity; equal ids may be different objects.
        index = next((row for row in range(self.count()) if self.itemData(row) == value), -1)
        if index < 0:
            self.addItem(fallback or _("(no longer in the list)"), value)
            index = self.count() - 1
        self.setCurrentIndex(index)
