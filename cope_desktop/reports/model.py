"""The figures of a return before and after disclosure control, as plain data.

``RawFigures`` is what the counting queries return: exact numbers, nothing suppressed.
``TableSet`` is the same figures laid out as the tables of REPORT-SPEC.md, every cell and
total an addressable ``Cell``, together with the linear ``Relation``s that hold between them
(row and column totals, the same count published in two tables, a distinct count never above
the attendances it comes from). Disclosure control marks cells of a ``TableSet`` as
suppressed; the JSON document is written from it.

A cell is addressed by its table and one category per dimension; a total has ``"*"`` in
each dimension it sums over: ``children_by_age_sex/0-4/*`` is the 0-4 row total,
``children_by_age_sex/*/*`` the grand total, ``families/*`` all families.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

TOTAL = "*"

Number = int | float


@dataclass
class Cell:
    table: str
    coords: tuple[str, ...]
    value: Number
    headcount: bool = True
    """A count of people (or of families, or of feedback given): threshold k applies to it.
    False for measures such as sessions and hours, which are published as they are."""
    follows: str | None = None
    """For a measure: the id of the head-count cell whose suppression it follows."""
    suppressed: bool = False
    primary: bool = False
    """Suppressed because its own value is from 1 to k-1 (or it follows such a cell)."""

    @property
    def id(self) -> str:
        return "/".join((self.table, *self.coords))

    @property
    def is_total(self) -> bool:
        return TOTAL in self.coords


@dataclass(frozen=True)
class Relation:
    """``sum(coefficient * value) == 0`` (kind "eq") or ``<= 0`` (kind "le") over cell ids."""

    terms: tuple[tuple[str, int], ...]
    kind: Literal["eq", "le"] = "eq"


@dataclass
class Table:
    id: str
    dimensions: tuple[str, ...]
    categories: dict[str, tuple[str, ...]]
    """Every category of every dimension, in the published order."""
    cells: dict[tuple[str, ...], Cell] = field(default_factory=dict)
    """Inner cells and totals, keyed by ``Cell.coords``."""

    def inner(self) -> Iterator[Cell]:
        return (cell for cell in self.cells.values() if not cell.is_total)

    def totals(self) -> Iterator[Cell]:
        return (cell for cell in self.cells.values() if cell.is_total)


@dataclass
class TableSet:
    tables: dict[str, Table]
    relations: list[Relation] = field(default_factory=list)

    def all_cells(self) -> Iterator[Cell]:
        for table in self.tables.values():
            yield from table.cells.values()

    def cell(self, cell_id: str) -> Cell:
        table_id, *coords = cell_id.split("/")
        return self.tables[table_id].cells[tuple(coords)]

    def suppressed_ids(self) -> list[str]:
        return sorted(cell.id for cell in self.all_cells() if cell.suppressed)


@dataclass(frozen=True)
class ActivityFigures:
    """One activity type's row of the ``activities`` table."""

    sessions: int = 0
    child_attendances: int = 0
    """Named child attendances plus anonymous children's head counts."""
    distinct_children: int = 0
    """Named child attendances only, each child once."""
    distinct_relatives: int = 0
    minutes: int = 0
    """Sum of the activities' durations; published as hours with one decimal."""


@dataclass(frozen=True)
class GameFigures:
    """The ``game_with_mum_and_dad`` table (its feedback comes from ``RawFigures.feedback``)."""

    events: int = 0
    prisons: int = 0
    child_attendances: int = 0
    distinct_children: int = 0
    imprisoned_parents: int = 0
    """Distinct imprisoned relatives who attended a Game event (named attendances)."""
    caregivers: int = 0
    """Distinct caregivers who attended a Game event (named attendances)."""


@dataclass(frozen=True)
class Quote:
    """A child's quote approved for publication, with what may be published beside it."""

    text: str
    age_band: str
    country: str


@dataclass
class RawFigures:
    """Exact counts for one period, as the counting rules of REPORT-SPEC.md define them.

    Dictionaries hold only the categories that occur; a missing key means zero.
    """

    families_new: int = 0
    families_continuing: int = 0
    children: dict[tuple[str, str], int] = field(default_factory=dict)
    """(age_band, sex) -> children supported."""
    relatives: dict[tuple[str, str], int] = field(default_factory=dict)
    """(relationship father|mother|other, custody pre_trial|sentenced|released|unknown)."""
    activities: dict[str, ActivityFigures] = field(default_factory=dict)
    """Activity type code -> its row."""
    game: GameFigures = field(default_factory=GameFigures)
    services: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Service type code -> (distinct families, distinct children)."""
    referrals: dict[str, int] = field(default_factory=dict)
    """Referral source code, or "unknown" when not recorded -> new families."""
    feedback: dict[tuple[str, str], int] = field(default_factory=dict)
    """(activity type code, rating code) -> feedback given."""
    prison_count: int = 0
    prison_countries: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quotes_withheld: int = 0
    """Approved quotes left out because they mention a name, prison or place on file."""


@dataclass(frozen=True)
class Breakdown:
    """An internal-report table: one row per prison, caseworker or month, fixed measures."""

    id: str
    """"by_prison", "by_caseworker" or "by_month"."""
    row_dimension: str
    """"prison", "caseworker" or "month"."""
    measures: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    """(row label, one value per measure), in the order to print."""


@dataclass
class InternalFigures:
    """The internal yearly report: the return's exact figures and more breakdowns."""

    figures: RawFigures
    breakdowns: list[Breakdown] = field(default_factory=list)
