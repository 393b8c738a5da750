"""Reporting periods: a calendar year, a half year, or (internal reports) any range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, format_date


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    """Both inclusive."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise UserInputError(
                _("The period ends ({end}) before it starts ({start}).").format(
                    start=self.start.isoformat(), end=self.end.isoformat()
                )
            )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """The first (1) or second (2) half of ``year``."""
        if half == 1:
            return cls(dt.date(year, 1, 1), dt.date(year, 6, 30))
        return cls(dt.date(year, 7, 1), dt.date(year, 12, 31))

    @property
    def is_standard(self) -> bool:
        """A calendar year or a half year: the only periods offered for network returns."""
        year = self.start.year
        return self in (Period.year(year), Period.half(year, 1), Period.half(year, 2))

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def previous(self) -> Period | None:
        """The standard period just before this one (for stable suppression), if standard."""
        year = self.start.year
        if self == Period.year(year):
            return Period.year(year - 1)
        if self == Period.half(year, 1):
            return Period.half(year - 1, 2)
        if self == Period.half(year, 2):
            return Period.half(year, 1)
        return None

    def label(self) -> str:
        """How the period is named to people, in the current language."""
        year = self.start.year
        if self == Period.year(year):
            return str(year)
        if self == Period.half(year, 1):
            return _("{year}, first half").format(year=year)
        if self == Period.half(year, 2):
            return _("{year}, second half").format(year=year)
        return _("{start} to {end}").format(
            start=format_date(self.start), end=format_date(self.end)
        )

    def slug(self) -> str:
        """For file names: 2025, 2025-H1, 2025-01-01_2025-03-31."""
        year = self.start.year
        if self == Period.year(year):
            return str(year)
        if self in (Period.half(year, 1), Period.half(year, 2)):
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"
