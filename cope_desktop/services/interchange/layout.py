"""The sheets and columns of the interchange workbook (INTERCHANGE.md), in their fixed order.

One description serves the export, the blank template and the importer, so the three can
never disagree about a column's name, whether it is required, or which codes it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cope_desktop.db.enums import (
    ActivityType,
    CustodyStatus,
    PrisonType,
    Rating,
    ReferralSource,
    Relationship,
    ServiceType,
    Sex,
)


class Kind(StrEnum):
    """What a column holds, which says how it is written and read."""

    TEXT = "text"
    REF = "ref"
    """A reference (a key of this sheet, or of another sheet's rows)."""
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CODE = "code"
    COUNTRY = "country"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    codes: type[StrEnum] | None = None
    """For CODE columns: the enum whose codes (or names in the user's language) are allowed."""
    refers_to: str | None = None
    """For REF columns that point elsewhere: the sheet whose key they name."""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    """The columns that identify a row: importing a row with a known key updates that record."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _ref(name: str, refers_to: str | None = None, *, required: bool = True) -> Column:
    return Column(name, Kind.REF, required, refers_to=refers_to)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "families",
        (
            _ref("family_ref"),
            Column("opened", Kind.DATE, True),
            Column("closed", Kind.DATE),
            Column("referral_source", Kind.CODE, codes=ReferralSource),
            Column("caseworker"),
            Column("notes_allowed", Kind.BOOLEAN),
        ),
        ("family_ref",),
    ),
    Sheet(
        "children",
        (
            _ref("child_ref"),
            _ref("family_ref", "families"),
            Column("first_name"),
            Column("last_name"),
            Column("birth_date", Kind.DATE),
            Column("birth_year", Kind.INTEGER),
            Column("birth_month", Kind.INTEGER),
            Column("sex", Kind.CODE, codes=Sex),
            Column("support_start", Kind.DATE),
            Column("support_end", Kind.DATE),
        ),
        ("child_ref",),
    ),
    Sheet(
        "caregivers",
        (
            _ref("caregiver_ref"),
            _ref("family_ref", "families"),
            Column("first_name"),
            Column("last_name"),
            Column("relationship"),
            Column("phone"),
            Column("email"),
        ),
        ("caregiver_ref",),
    ),
    Sheet(
        "prisons",
        (
            _ref("prison_ref"),
            Column("name", required=True),
            Column("country", Kind.COUNTRY, True),
            Column("region"),
            Column("type", Kind.CODE, codes=PrisonType),
        ),
        ("prison_ref",),
    ),
    Sheet(
        "imprisoned_relatives",
        (
            _ref("relative_ref"),
            _ref("family_ref", "families"),
            Column("first_name"),
            Column("last_name"),
            _ref("prison_ref", "prisons", required=False),
            Column("custody_status", Kind.CODE, codes=CustodyStatus),
            Column("status_since", Kind.DATE),
        ),
        ("relative_ref",),
    ),
    Sheet(
        "child_relatives",
        (
            _ref("child_ref", "children"),
            _ref("relative_ref", "imprisoned_relatives"),
            Column("relationship", Kind.CODE, True, codes=Relationship),
        ),
        ("child_ref", "relative_ref"),
    ),
    Sheet(
        "activities",
        (
            _ref("activity_ref"),
            Column("type", Kind.CODE, True, codes=ActivityType),
            Column("date", Kind.DATE, True),
            _ref("prison_ref", "prisons", required=False),
            Column("duration_hours", Kind.DECIMAL),
            Column("anonymous_children", Kind.INTEGER),
            Column("anonymous_adults", Kind.INTEGER),
        ),
        ("activity_ref",),
    ),
    Sheet(
        "attendance",
        (
            _ref("activity_ref", "activities"),
            _ref("person_ref"),
            Column("feedback", Kind.CODE, codes=Rating),
        ),
        ("activity_ref", "person_ref"),
    ),
    Sheet(
        "support",
        (
            _ref("family_ref", "families"),
            _ref("child_ref", "children", required=False),
            Column("service", Kind.CODE, True, codes=ServiceType),
            Column("date", Kind.DATE, True),
        ),
        ("family_ref", "child_ref", "service", "date"),
    ),
)

SHEETS_BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}
