"""Alphabetical order the way the current language has it (Qt's QCollator, ICU rules).

Swedish puts "Österrike" after "Z", Czech puts "Chorvatsko" after "H"; an accent-folding key
(``i18n.sort_key``) cannot know that.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCollator, QLocale, Qt

from cope_desktop import i18n


def name_order() -> Callable[[str], Any]:
    """A sort key for names in the current language: ``sorted(names, key=name_order())``."""
    collator = QCollator(QLocale(i18n.format_locale()))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    return functools.cmp_to_key(collator.compare)
