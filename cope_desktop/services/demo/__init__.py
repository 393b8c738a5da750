"""Synthetic demo data: a realistic organisation's records, deterministic for a seed.

Used by ``cope-desktop demo`` (CLI.md), by the benchmarks' reference databases and by tests.
``fill_demo`` is a progress generator like every long piece of work (see
``cope_desktop.progress``); nothing here imports Qt.
"""

from cope_desktop.services.demo.fill import DemoSummary, fill_demo, seed_tag
from cope_desktop.services.demo.names import organisation_name
from cope_desktop.services.demo.sizes import SIZES, DemoSize

__all__ = ["SIZES", "DemoSize", "DemoSummary", "fill_demo", "organisation_name", "seed_tag"]
