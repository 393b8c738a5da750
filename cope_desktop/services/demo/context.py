"""What every part of one demo fill shares: size, dates, random streams, names and the writer."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from cope_desktop.progress import Progress
from cope_desktop.services.demo.bulk import BulkWriter, iso_date
from cope_desktop.services.demo.ids import id_maker
from cope_desktop.services.demo.names import NamePools
from cope_desktop.services.demo.sizes import DemoSize
from cope_desktop.services.demo.texts import Texts

T = TypeVar("T")


@dataclass
class DemoContext:
    size: DemoSize
    seed: int
    tag: str
    """Prefix of every reference this fill writes (``D1`` for seed 1), unique per seed."""
    country: str
    start: int
    """First day of the demo period, as a date ordinal."""
    anchor: int
    """The demo's "today" (ordinal): every date lies before it."""
    pools: NamePools
    texts: Texts
    stores_names: bool
    caseworkers: tuple[bytes | None, ...]
    """User ids (storage form) that families are assigned to."""
    caseworker_weights: tuple[float, ...]
    staff: tuple[str, ...]
    writer: BulkWriter
    total: int
    """Estimated number of rows, the denominator of the progress bar."""
    chunk: int
    """Rows buffered before each insert; also how often progress is reported."""
    master: random.Random = field(repr=False)

    def stream(self, expected_ids: int) -> tuple[random.Random, Callable[[], bytes]]:
        """Return a new random stream and an id source for one part of the fill.

        Each part draws from its own stream, so a change inside one part leaves the records
        of the others as they were.
        """
        rng = random.Random(self.master.getrandbits(64))
        return rng, id_maker(random.Random(rng.getrandbits(64)), expected_ids)

    def progress(self, message: str) -> Progress:
        """Report the rows written so far (never the whole: the commit is still to come)."""
        done = min(self.writer.written, self.total - 1)
        return Progress(done, self.total, message)

    def ref(self, letter: str, number: int) -> str:
        """Return a reference such as ``D1-A000042`` (family F, child C, activity A, ...)."""
        return f"{self.tag}-{letter}{number:06d}"

    def deleted_stamp(self, rng: random.Random, after: int) -> str:
        """Return a soft-deletion time on a day between ``after`` and the anchor."""
        day = after + rng.randrange(max(1, self.anchor - after))
        return f"{iso_date(day)} {rng.randrange(8, 19):02d}:{rng.randrange(60):02d}:00.000000"


def weighted(rng: random.Random, values: Sequence[T], cum_weights: Sequence[float]) -> T:
    """Pick one of ``values`` by cumulative weights (``random.choices`` for one, but faster)."""
    index = bisect_right(cum_weights, rng.random() * cum_weights[-1])
    return values[min(index, len(values) - 1)]


def cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out
