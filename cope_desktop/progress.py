"""Progress of long work, reported the same way by reports, imports, backups and demo data.

Long work is written as a generator that yields ``Progress`` values. The CLI prints them; the
GUI runs the generator on a worker thread, shows a progress bar and cancels by asking the
worker to stop pulling, which closes the generator (its ``finally`` and transaction
rollback run there, so a cancelled job leaves nothing half-written).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    message: str = ""

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


ProgressGenerator = Generator[Progress, None, T]


def run_to_end(work: ProgressGenerator[T], report: Callable[[Progress], None] | None = None) -> T:
    """Drive a progress generator to its end and return its result."""
    while True:
        try:
            step = next(work)
        except StopIteration as stop:
            return stop.value
        if report is not None:
            report(step)
