"""Reports as the CLI and the GUI ask for them: prepare, look, then write (REPORT-SPEC.md).

Preparing counts, protects and audits the figures and returns the document a coordinator can
look at before anything is written. Writing renders that same document to a file, atomically,
and records it in the release log and the audit trail in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cope_desktop.atomic import atomic_write
from cope_desktop.db.database import Database
from cope_desktop.db.engine import larger_page_cache
from cope_desktop.db.enums import ReleaseKind
from cope_desktop.db.models import Activity, Family, Organisation
from cope_desktop.errors import CopeError, UserInputError
from cope_desktop.i18n import _, current_language
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.reports import release
from cope_desktop.reports.build import build_tables
from cope_desktop.reports.document import (
    Origin,
    figures_fingerprint,
    internal_report,
    network_return,
)
from cope_desktop.reports.period import Period
from cope_desktop.reports.schema import validate
from cope_desktop.services import audit as audit_trail
from cope_desktop.services import validation
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3
FORMATS = ("json", "pdf", "xlsx", "csv")
EXTENSIONS = {"json": "json", "pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}


class DisclosureRefused(CopeError):
    """The audit found a hidden cell that could be worked out: the return is not written."""


@dataclass(frozen=True)
class PreparedReport:
    kind: ReleaseKind
    period: Period
    document: dict[str, Any]
    explanation: list[str]
    warnings: list[str]
    """Overlapping or re-issued periods (R13) and withheld quotes, for the coordinator."""
    primary: frozenset[str]
    """Cells hidden because they are from 1 to k-1 (shown to the coordinator only)."""
    secondary: frozenset[str]
    """Cells hidden so that the small ones cannot be worked out."""

    @property
    def internal(self) -> bool:
        return self.kind is ReleaseKind.INTERNAL_REPORT


def check_request(user: CurrentUser, period: Period, *, internal: bool, threshold: int) -> None:
    """Refuse what may not be prepared, before any counting."""
    require(user, Permission.EXPORT_RETURNS)
    if not internal and not period.is_standard:
        raise UserInputError(
            _(
                "A network return covers a calendar year or a half year ({period} is neither). "
                "Use the internal report for any other period."
            ).format(period=period.label())
        )
    if threshold < MIN_THRESHOLD:
        raise UserInputError(
            _("The threshold must be at least {minimum} (it is {value}).").format(
                minimum=MIN_THRESHOLD, value=threshold
            )
        )


def prepare_report(
    db: Database,
    user: CurrentUser,
    period: Period,
    *,
    internal: bool = False,
    threshold: int = DEFAULT_THRESHOLD,
) -> ProgressGenerator[PreparedReport]:
    """Count, protect and audit the figures of ``period``; nothing is written."""
    from cope_desktop.reports import queries

    check_request(user, period, internal=internal, threshold=threshold)
    steps = 4
    yield Progress(0, steps, _("Counting families, children and activities…"))
    with db.session() as session, larger_page_cache(session.connection()):
        if internal:
            figures = queries.internal_figures(session, period)
            raw, breakdowns = figures.figures, figures.breakdowns
        else:
            raw, breakdowns = queries.count_figures(session, period), []
        origin = _origin(session)
        preferred = set() if internal else release.preferred_cells(session, period)
    tables = build_tables(raw)
    if internal:
        yield Progress(2, steps, _("Laying out the report…"))
        document = internal_report(tables, raw, breakdowns, period, origin)
        primary: frozenset[str] = frozenset()
        secondary: frozenset[str] = frozenset()
        warnings: list[str] = []
    else:
        yield Progress(1, steps, _("Hiding small numbers…"))
        primary, secondary = _protect(tables, threshold, preferred)
        yield Progress(3, steps, _("Checking the return…"))
        document = network_return(tables, raw, period, origin, threshold)
        with db.session() as session:
            warnings = release.warnings(session, period, figures_fingerprint(document))
    warnings += _quote_warnings(raw.quotes_withheld)
    explanation = _explain(document)
    yield Progress(steps, steps, _("Ready."))
    kind = ReleaseKind.INTERNAL_REPORT if internal else ReleaseKind.NETWORK_RETURN
    return PreparedReport(kind, period, document, explanation, warnings, primary, secondary)


def _protect(
    tables: Any, threshold: int, preferred: set[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Suppress, then audit every hidden cell against every published figure (R7)."""
    from cope_desktop.reports.audit import audit
    from cope_desktop.reports.disclosure import protect

    protect(tables, threshold, preferred)
    result = audit(tables, threshold)
    if not result.ok:
        raise DisclosureRefused(
            _(
                "The return was not written: {count} hidden figures could still be worked out "
                "from the published ones. Please report this problem."
            ).format(count=len(result.failures))
        )
    hidden = [cell for cell in tables.all_cells() if cell.suppressed]
    return (
        frozenset(cell.id for cell in hidden if cell.primary),
        frozenset(cell.id for cell in hidden if not cell.primary),
    )


def _explain(document: dict[str, Any]) -> list[str]:
    from cope_desktop.reports.explain import explanation

    return explanation(document)


def _quote_warnings(withheld: int) -> list[str]:
    if not withheld:
        return []
    from cope_desktop.i18n import ngettext

    return [
        ngettext(
            "{count} approved quote was left out because it mentions a name, a prison or a "
            "place held in the records.",
            "{count} approved quotes were left out because they mention a name, a prison or "
            "a place held in the records.",
            withheld,
        ).format(count=withheld)
    ]


def _origin(session: Session) -> Origin:
    organisation = session.scalars(select(Organisation).limit(1)).one()
    return Origin(
        organisation_id=organisation.cope_member_id or str(organisation.id),
        organisation_name=organisation.name,
        country=organisation.country.upper(),
        language=current_language(),
    )


def default_file_name(prepared: PreparedReport, fmt: str) -> str:
    """``network-return-2025.json``, ``internal-report-2025-H1.pdf``, ..."""
    stem = "internal-report" if prepared.internal else "network-return"
    return f"{stem}-{prepared.period.slug()}.{EXTENSIONS[fmt]}"


def write_report(
    db: Database, user: CurrentUser, prepared: PreparedReport, fmt: str, path: Path
) -> ProgressGenerator[Path]:
    """Write ``prepared`` as ``fmt`` to ``path`` (whole or not at all) and log the release."""
    require(user, Permission.EXPORT_RETURNS)
    if fmt not in FORMATS:
        raise UserInputError(
            _("Unknown format {fmt}; use one of: {formats}.").format(
                fmt=fmt, formats=", ".join(FORMATS)
            )
        )
    document = prepared.document
    validate(document)
    if not prepared.internal:
        _refuse_small_figures(document)
    writer = _writer(fmt)
    yield Progress(0, 2, _("Writing {name}…").format(name=path.name))
    with db.session() as session:
        release.log_release(session, user.id, _release(prepared, fmt, path))
        audit_trail.record_by(
            session,
            user,
            "export",
            prepared.kind.value,
            None,
            f"period={prepared.period.start}..{prepared.period.end} format={fmt}",
        )
        with atomic_write(path) as out:
            writer(document, cast(BinaryIO, out))
    yield Progress(2, 2, _("Saved {name}.").format(name=path.name))
    return path


NOT_HEAD_COUNTS = frozenset({"sessions", "hours", "events", "prisons"})
"""Measures published as they are (REPORT-SPEC.md: hours and sessions are not head counts)."""


def published_figures(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every cell and total of every table of a document."""
    figures: list[dict[str, Any]] = []
    for table in document["tables"].values():
        figures += table["cells"]
        for key, totals in table["totals"].items():
            figures += [totals] if key == "all" else totals
    return figures


def _refuse_small_figures(document: dict[str, Any]) -> None:
    """The last check before a return leaves: no head count from 1 to k-1 is published."""
    threshold = int(document["disclosure"]["threshold"])
    small = [
        figure
        for figure in published_figures(document)
        if figure.get("measure") not in NOT_HEAD_COUNTS
        and figure["value"] is not None
        and 0 < figure["value"] < threshold
    ]
    if small:
        raise DisclosureRefused(
            _(
                "The return was not written: {count} published figures are below the "
                "threshold of {threshold}. Please report this problem."
            ).format(count=len(small), threshold=threshold)
        )


def _release(prepared: PreparedReport, fmt: str, path: Path) -> release.Release:
    document = prepared.document
    return release.Release(
        kind=prepared.kind,
        period=prepared.period,
        file_format=fmt,
        file_name=path.name,
        threshold=document["disclosure"]["threshold"],
        checksum=document.get("checksum"),
        fingerprint=figures_fingerprint(document),
        suppressed=sorted(prepared.primary | prepared.secondary),
    )


def _writer(fmt: str) -> Callable[[dict[str, Any], BinaryIO], None]:
    if fmt == "json":
        return write_json
    if fmt == "pdf":
        from cope_desktop.reports.render_pdf import write_pdf

        return write_pdf
    if fmt == "xlsx":
        from cope_desktop.reports.render_xlsx import write_xlsx

        return write_xlsx
    from cope_desktop.reports.render_csv import write_csv_zip

    return write_csv_zip


def write_json(document: dict[str, Any], out: BinaryIO) -> None:
    """Readable JSON; the checksum is over the canonical form, so indentation is harmless."""
    out.write(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def report_years(session: Session) -> list[int]:
    """Calendar years from the first record to this year, newest first."""
    first = session.execute(
        select(func.min(Family.opened_on)).where(Family.deleted_at.is_(None))
    ).scalar()
    first_activity = session.execute(
        select(func.min(Activity.held_on)).where(Activity.deleted_at.is_(None))
    ).scalar()
    this_year = validation.today().year
    starts = [d.year for d in (first, first_activity) if d is not None]
    start = min(starts) if starts else this_year
    return list(range(this_year, min(start, this_year) - 1, -1))


def parse_period(year: int | None, start: str | None, end: str | None) -> Period:
    """A period from ``--year`` or ``--from/--to`` (ISO dates), with clear messages."""
    import datetime as dt

    if year is not None:
        if start or end:
            raise UserInputError(_("Give either --year or --from and --to, not both."))
        return Period.year(year)
    if not start or not end:
        raise UserInputError(_("Give --year YYYY, or both --from DATE and --to DATE."))
    try:
        return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except ValueError:
        raise UserInputError(
            _("Dates are written YYYY-MM-DD (got {start} and {end}).").format(start=start, end=end)
        ) from None


__all__ = [
    "DEFAULT_THRESHOLD",
    "FORMATS",
    "PreparedReport",
    "default_file_name",
    "prepare_report",
    "report_years",
    "write_report",
]
