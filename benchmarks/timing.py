"""Small helpers to time things and shape the JSON result of one figure."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def result(
    figure_id: str,
    value: float,
    unit: str,
    target: float,
    *,
    baseline: float | None = None,
    ratio_target: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The line TARGETS.md asks for; ``ok`` needs both the target and the ratio target met."""
    line: dict[str, Any] = {
        "id": figure_id,
        "value": round(value, 4),
        "unit": unit,
        "target": target,
    }
    ok = value <= target
    if baseline is not None and ratio_target is not None:
        ratio = value / baseline if baseline else float("inf")
        line.update(baseline=round(baseline, 4), ratio=round(ratio, 2), ratio_target=ratio_target)
        ok = ok and ratio <= ratio_target
    line["ok"] = ok
    line.update(extra)
    return line
