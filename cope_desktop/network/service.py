"""The network merge as the CLI and the Network screen call it (no database, no sign-in)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from cope_desktop.atomic import atomic_write
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _, current_language
from cope_desktop.network import returns as returns_mod
from cope_desktop.network.document import merged_document
from cope_desktop.network.merge import merge
from cope_desktop.network.returns import Loaded, Rejected
from cope_desktop.network.schema import MERGE_SCHEMA_ID
from cope_desktop.network.schema import validate as validate_merged
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.reports.disclosure import MIN_THRESHOLD
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import validate as validate_return
from cope_desktop.reports.service import write_json

FORMATS = ("json", "pdf", "xlsx", "dhis2-json", "dhis2-adx")
DHIS2_FORMATS = ("dhis2-json", "dhis2-adx")
EXTENSIONS = {
    "json": "json",
    "pdf": "pdf",
    "xlsx": "xlsx",
    "dhis2-json": "dhis2.json",
    "dhis2-adx": "adx.xml",
}


@dataclass(frozen=True)
class ReturnStatus:
    """One line of the validation list: a file, what it is, and whether it was merged."""

    path: Path
    organisation_id: str | None
    organisation_name: str | None
    country: str | None
    period: Period | None
    generated_at: str | None
    merged: bool
    problem: str | None
    message: str


@dataclass(frozen=True)
class MergeResult:
    period: Period
    periods: dict[Period, int]
    """Valid returns found per period (before duplicates are set aside)."""
    statuses: list[ReturnStatus]
    document: dict[str, Any]

    @property
    def merged_count(self) -> int:
        return sum(1 for status in self.statuses if status.merged)


def prepare_merge(
    paths: Sequence[Path], period: Period | None = None, threshold: int = 5
) -> ProgressGenerator[MergeResult]:
    """Read, check and merge the returns in ``paths`` (files or folders) for one period."""
    if threshold < MIN_THRESHOLD:
        raise UserInputError(
            _("The disclosure threshold must be at least {minimum}; {threshold} was given.").format(
                minimum=MIN_THRESHOLD, threshold=threshold
            )
        )
    files = returns_mod.expand(paths)
    if not files:
        raise UserInputError(_("No return to merge: give network return files (.json)."))
    total = 2 * len(files) + 1
    read: list[Loaded | Rejected] = []
    for number, path in enumerate(files):
        if number % 20 == 0:
            yield Progress(number, total, _("Reading {name}…").format(name=path.name))
        read.append(returns_mod.read_head(path))
    candidates = [item for item in read if isinstance(item, Loaded)]
    if not candidates:
        raise UserInputError(_no_return_message(read))
    chosen, periods = returns_mod.choose(candidates, period)
    outcome: dict[Path, Loaded | Rejected] = {item.path: item for item in read}
    in_period: list[Loaded] = []
    for number, item in enumerate(candidates):
        if item.period != chosen:
            outcome[item.path] = returns_mod.other_period(item, chosen)
            continue
        if number % 10 == 0:
            step = len(files) + number
            yield Progress(step, total, _("Checking {name}…").format(name=item.path.name))
        checked = _read_whole(item)
        outcome[item.path] = checked
        if isinstance(checked, Loaded):
            in_period.append(checked)
    if not in_period:
        raise UserInputError(
            _("No valid return for {period}: every file was left out.").format(
                period=chosen.label()
            )
        )
    merged_returns, duplicates = returns_mod.latest_per_organisation(in_period)
    for duplicate in duplicates:
        outcome[duplicate.path] = duplicate
    merged = yield from _merging(merge(merged_returns, chosen, threshold), len(files), total)
    left_out = [item for item in (outcome[p] for p in files) if isinstance(item, Rejected)]
    document = merged_document(merged, left_out, current_language())
    yield Progress(total, total, _("Merged {count} returns.").format(count=len(merged_returns)))
    statuses = [_status(outcome[path]) for path in files]
    return MergeResult(chosen, periods, statuses, document)


def _read_whole(item: Loaded) -> Loaded | Rejected:
    """Read a return of the merged period again, whole, and check it."""
    whole = returns_mod.read(item.path)
    if isinstance(whole, Rejected):
        return whole
    if whole.period != item.period:  # changed since it was first read
        return returns_mod.other_period(whole.head(), item.period)
    return returns_mod.check(whole)


def _merging(work: ProgressGenerator[Any], offset: int, total: int) -> ProgressGenerator[Any]:
    """Pass on the merge's progress in the second half of the bar."""
    while True:
        try:
            step = next(work)
        except StopIteration as stop:
            return stop.value
        done = offset + int(step.fraction * (total - offset - 1))
        yield Progress(done, total, step.message)


def _no_return_message(read: Sequence[Loaded | Rejected]) -> str:
    first = next(item for item in read if isinstance(item, Rejected))
    if len(read) == 1:
        return _("{file} cannot be merged: {reason}.").format(
            file=first.path.name, reason=first.reason
        )
    return _("None of the {count} files is a network return that can be merged.").format(
        count=len(read)
    )


def _status(item: Loaded | Rejected) -> ReturnStatus:
    loaded = item if isinstance(item, Loaded) else item.loaded
    if isinstance(item, Loaded):
        merged, problem, message = True, None, _("Merged.")
    else:
        merged, problem = False, item.problem
        message = _("Left out: {reason}.").format(reason=item.reason)
    organisation = loaded.organisation if loaded is not None else {}
    return ReturnStatus(
        path=item.path,
        organisation_id=organisation.get("id"),
        organisation_name=organisation.get("name"),
        country=organisation.get("country"),
        period=loaded.period if loaded is not None else None,
        generated_at=loaded.generated_at if loaded is not None else None,
        merged=merged,
        problem=problem,
        message=message,
    )


def default_file_name(result: MergeResult, fmt: str) -> str:
    """``network-figures-2025.pdf``, ``network-figures-2025-H1.dhis2.json``, ..."""
    return f"network-figures-{result.period.slug()}.{EXTENSIONS[_format(fmt)]}"


def write_merge(result: MergeResult, fmt: str, path: Path) -> ProgressGenerator[Path]:
    """Write the merged figures as ``fmt`` to ``path``, whole or not at all."""
    writer = _writer(_format(fmt))
    validate_merged(result.document)
    yield Progress(0, 1, _("Writing {name}…").format(name=path.name))
    with atomic_write(path) as out:
        writer(result.document, cast(BinaryIO, out))
    yield Progress(1, 1, _("Saved {name}.").format(name=path.name))
    return path


def write_return_dhis2(return_path: Path, fmt: str, path: Path) -> Path:
    """One member's return as a DHIS2 data value set (JSON or ADX), checked like any other."""
    if _format(fmt) not in DHIS2_FORMATS:
        raise UserInputError(
            _("A single return can be written for DHIS2 only: {formats}.").format(
                formats=", ".join(DHIS2_FORMATS)
            )
        )
    item = returns_mod.read(return_path)
    if isinstance(item, Loaded):
        item = returns_mod.check(item)
    if isinstance(item, Rejected):
        raise UserInputError(
            _("{file} cannot be used: {reason}.").format(file=return_path.name, reason=item.reason)
        )
    validate_return(item.document)
    with atomic_write(path) as out:
        _writer(fmt)(item.document, cast(BinaryIO, out))
    return path


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UserInputError(
            _("Unknown format {fmt}; use one of: {formats}.").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    return fmt


def _writer(fmt: str) -> Callable[[dict[str, Any], BinaryIO], None]:
    if fmt == "json":
        return write_json
    if fmt == "pdf":
        from cope_desktop.network.render_pdf import write_pdf

        return write_pdf
    if fmt == "xlsx":
        from cope_desktop.network.render_xlsx import write_xlsx

        return write_xlsx
    from cope_desktop.network import dhis2

    return dhis2.write_data_value_set if fmt == "dhis2-json" else dhis2.write_adx


__all__ = [
    "FORMATS",
    "MERGE_SCHEMA_ID",
    "MergeResult",
    "ReturnStatus",
    "default_file_name",
    "prepare_merge",
    "write_merge",
    "write_return_dhis2",
]
