"""Collecting the rules a record breaks, field by field, before anything is written.

Services build a ``Problems``, check every rule, then call ``raise_if_any``: the caller gets
all the problems at once (a form shows each next to its field; the CLI and the importer print
them with where they are), and nothing has been written.
"""

from __future__ import annotations

import datetime as dt

from cope_desktop.errors import FieldProblem, ValidationFailed
from cope_desktop.i18n import _


def today() -> dt.date:
    """Today's date where the application runs (a function so tests can move it)."""
    return dt.date.today()


class Problems:
    def __init__(self) -> None:
        self.found: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.found.append(FieldProblem(field, message))

    def check(self, ok: bool, field: str, message: str) -> bool:
        """Add the problem unless ``ok``; return ``ok``."""
        if not ok:
            self.add(field, message)
        return ok

    def has(self, field: str) -> bool:
        return any(problem.field == field for problem in self.found)

    def required_text(self, field: str, value: str | None, message: str) -> str | None:
        """Stripped text, or a problem when it is empty."""
        text = (value or "").strip()
        self.check(bool(text), field, message)
        return text or None

    def length(self, field: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(
                field,
                _("This is too long: at most {limit} characters.").format(limit=limit),
            )

    def required_date(self, field: str, value: dt.date | None) -> bool:
        return self.check(value is not None, field, _("Enter a date."))

    def not_in_future(self, field: str, value: dt.date | None) -> None:
        if value is not None and value > today():
            self.add(field, _("This date is in the future."))

    def in_order(
        self, first: dt.date | None, later_field: str, later: dt.date | None, message: str
    ) -> None:
        """``later`` must not come before ``first`` (either may be missing)."""
        if first is not None and later is not None and later < first:
            self.add(later_field, message)

    def raise_if_any(self) -> None:
        if self.found:
            raise ValidationFailed(self.found)


def clean(value: str | None) -> str | None:
    """Stripped text, None when empty."""
    text = (value or "").strip()
    return text or None
