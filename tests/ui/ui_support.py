"""Helpers shared by the GUI tests and tests/ui/screenshots.py.

They live here rather than in conftest.py, because ``import conftest`` could find the
top-level tests/conftest.py instead.
"""

from __future__ import annotations

import gettext

PASSWORD = "correct horse battery"


class Stretched(gettext.NullTranslations):
    """A pseudo-locale: every text marked and 40% longer, to check layouts and retranslation."""

    def gettext(self, message: str) -> str:
        return stretch(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return stretch(singular if n == 1 else plural)


def stretch(message: str) -> str:
    """Lengthen by 40% with short filler words, so the text still wraps like a real language."""
    if not message.strip():
        return message
    extra = max(2, (len(message) * 4) // 10)
    filler = " ".join(["~~~~"] * (extra // 5 + 1))[:extra]
    return f"[{message} {filler}]"
