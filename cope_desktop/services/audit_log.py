"""Reading, checking and exporting the audit trail (issue 9; TARGETS.md R9).

Coordinators and administrators read the trail (``Permission.READ_AUDIT_LOG``); every
function here checks that itself. The filtering, counting and paging run in SQL, so a trail
of 100,000 events or more reads one page at a time: the ``at`` and ``action`` columns are
indexed, and ``sequence`` is unique (so indexed too).

Dates in a filter are the person's own calendar days: "from 3 March" starts at local
midnight, converted to UTC, the way every time in the trail is stored.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cope_desktop.atomic import atomic_write
from cope_desktop.db.models import AuditEvent
from cope_desktop.errors import UserInputError
from cope_desktop.i18n import _
from cope_desktop.progress import Progress, ProgressGenerator, run_to_end
from cope_desktop.services import audit, integrity
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.audit_actions import action_label
from cope_desktop.services.permissions import Permission, require

FORMATS = ("csv", "xlsx")
YIELD_PER = 2000
"""Events fetched from the database at a time while exporting."""
PROGRESS_EVERY = 2000
"""Events written between two progress reports."""


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; None means any."""

    username: str | None = None
    action: str | None = None
    object_type: str | None = None
    since: dt.date | None = None
    """First day (local calendar day), included."""
    until: dt.date | None = None
    """Last day (local calendar day), included."""

    def describe(self) -> str:
        """The filter as codes for the audit detail ("action=view since=2024-01-01")."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("user", self.username),
                ("action", self.action),
                ("object", self.object_type),
                ("since", self.since.isoformat() if self.since else None),
                ("until", self.until.isoformat() if self.until else None),
            )
            if value
        ]
        return " ".join(parts) or "all"


@dataclass(frozen=True)
class AuditRow:
    sequence: int
    at: dt.datetime
    """Aware, in UTC."""
    username: str
    action: str
    object_type: str | None
    object_id: uuid.UUID | None
    detail: str
    hash: str = ""


@dataclass(frozen=True)
class AuditChoices:
    """What the filters offer: only values present in the trail."""

    usernames: list[str]
    actions: list[str]
    object_types: list[str]


_COLUMNS = (
    AuditEvent.sequence,
    AuditEvent.at,
    AuditEvent.username,
    AuditEvent.action,
    AuditEvent.object_type,
    AuditEvent.object_id,
    AuditEvent.detail,
    AuditEvent.hash,
)


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` on this computer's clock, as an aware UTC time."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.username:
        conditions.append(AuditEvent.username == flt.username)
    if flt.action:
        conditions.append(AuditEvent.action == flt.action)
    if flt.object_type:
        conditions.append(AuditEvent.object_type == flt.object_type)
    if flt.since is not None:
        conditions.append(AuditEvent.at >= local_day_start(flt.since))
    if flt.until is not None:
        conditions.append(AuditEvent.at < local_day_start(flt.until + dt.timedelta(days=1)))
    return conditions


def _as_row(values: Any) -> AuditRow:
    return AuditRow(
        sequence=values.sequence,
        at=values.at,
        username=values.username or "",
        action=values.action,
        object_type=values.object_type,
        object_id=values.object_id,
        detail=values.detail or "",
        hash=values.hash,
    )


def count_events(session: Session, actor: CurrentUser, flt: AuditFilter) -> int:
    """How many events match ``flt``."""
    require(actor, Permission.READ_AUDIT_LOG)
    return _count(session, _conditions(flt))


def _count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
    statement = select(func.count()).select_from(AuditEvent).where(*conditions)
    return int(session.execute(statement).scalar_one())


def read_events(
    session: Session,
    actor: CurrentUser,
    flt: AuditFilter,
    offset: int = 0,
    limit: int = 100,
    *,
    newest: int | None = None,
) -> list[AuditRow]:
    """One page of the events that match ``flt``, newest first.

    ``newest`` (an event number) leaves out the events recorded after it, so that a list read
    a page at a time does not shift while the trail grows (a screen lock, another window).
    """
    require(actor, Permission.READ_AUDIT_LOG)
    conditions = _conditions(flt)
    if newest is not None:
        conditions.append(AuditEvent.sequence <= newest)
    statement = (
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(AuditEvent.sequence.desc())
        .offset(max(offset, 0))
        .limit(max(limit, 0))
    )
    return [_as_row(values) for values in session.execute(statement)]


def filter_choices(session: Session, actor: CurrentUser) -> AuditChoices:
    """The users, actions and object types that appear in the trail, in code order."""
    require(actor, Permission.READ_AUDIT_LOG)

    def present(column: Any) -> list[str]:
        values = session.scalars(select(column).where(column.is_not(None)).distinct())
        return sorted((value for value in values if value), key=str.casefold)

    return AuditChoices(
        usernames=present(AuditEvent.username),
        actions=present(AuditEvent.action),
        object_types=present(AuditEvent.object_type),
    )


def chain_problems(
    session: Session, actor: CurrentUser, witness_folders: Iterable[Path] = ()
) -> list[str]:
    """Every break in the hash chain (an event edited, removed or slipped in); empty if whole.

    ``witness_folders`` hold backups that recorded the newest event at their time, so events
    deleted from the end of the trail are found too (``integrity.witness_problems``).
    """
    require(actor, Permission.READ_AUDIT_LOG)
    return audit.verify_chain(session) + integrity.witness_problems(session, witness_folders)


def export_events(
    session: Session, actor: CurrentUser, flt: AuditFilter, path: Path, fmt: str = "csv"
) -> int:
    """Write the events that match ``flt`` to ``path`` (whole or not at all); return how many."""
    return run_to_end(write_events(session, actor, flt, path, fmt))


def write_events(
    session: Session, actor: CurrentUser, flt: AuditFilter, path: Path, fmt: str = "csv"
) -> ProgressGenerator[int]:
    """``export_events`` with progress, for the GUI (closing the generator writes nothing).

    Events are written in the order of the chain (oldest first), with their hashes, so the
    file can be checked on its own. The export is itself recorded in the trail.
    """
    require(actor, Permission.READ_AUDIT_LOG)
    if fmt not in FORMATS:
        raise UserInputError(
            _("The audit trail can be saved as {formats}.").format(formats=", ".join(FORMATS))
        )
    conditions = _conditions(flt)
    total = _count(session, conditions)
    message = _("Writing {name}…").format(name=path.name)
    yield Progress(0, total, message)
    statement = (
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(AuditEvent.sequence)
        .execution_options(yield_per=YIELD_PER)
    )
    count = 0
    with atomic_write(path) as out:
        writer = _CsvWriter(out) if fmt == "csv" else _XlsxWriter()
        try:
            writer.add(export_header())
            for values in session.execute(statement):
                writer.add(_values(_as_row(values)))
                count += 1
                if count % PROGRESS_EVERY == 0:
                    yield Progress(count, total, message)
            writer.finish(out)
        finally:
            writer.discard()
        detail = f"{flt.describe()} rows={count} format={fmt} file={path.name}"
        audit.record_by(session, actor, "audit_export", "audit", None, detail)
    yield Progress(total, total, _("Saved {name}.").format(name=path.name))
    return count


def export_header() -> list[str]:
    return [
        _("Event no."),
        _("Time (UTC)"),
        _("User"),
        _("Action code"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Detail"),
        _("Hash"),
    ]


def iso_utc(at: dt.datetime) -> str:
    """``2024-06-15T09:30:00Z``: ISO 8601, in UTC, to the second."""
    return at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def _values(row: AuditRow) -> list[Any]:
    return [
        row.sequence,
        iso_utc(row.at),
        row.username,
        row.action,
        action_label(row.action),
        row.object_type or "",
        str(row.object_id) if row.object_id else "",
        row.detail,
        row.hash,
    ]


class _CsvWriter:
    """UTF-8 with a byte-order mark (so spreadsheet programs read accents right), CRLF lines."""

    def __init__(self, out: IO[Any]) -> None:
        self._text = io.TextIOWrapper(cast(BinaryIO, out), encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text, lineterminator="\r\n")

    def add(self, values: list[Any]) -> None:
        self._writer.writerow(values)

    def finish(self, out: IO[Any]) -> None:
        self._text.flush()

    def discard(self) -> None:
        """Let go of the file without closing it (the atomic write closes it)."""
        with contextlib.suppress(ValueError):  # already detached
            self._text.detach()


class _XlsxWriter:
    def __init__(self) -> None:
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(_("Audit trail")[:31])

    def add(self, values: list[Any]) -> None:
        self._sheet.append([_cell(self._sheet, value) for value in values])

    def finish(self, out: IO[Any]) -> None:
        self._workbook.save(out)

    def discard(self) -> None:
        """Remove the sheet file openpyxl keeps on disk until the workbook is saved."""
        writer = getattr(self._sheet, "_writer", None)
        if writer is None:
            return
        rows = getattr(self._sheet, "_rows", None)
        with contextlib.suppress(Exception):  # already closed by the save, or half-saved
            if rows is not None:
                rows.close()
            writer.close()
        with contextlib.suppress(FileNotFoundError, ValueError):  # already removed by the save
            writer.cleanup()


def _cell(sheet: Any, value: Any) -> Any:
    """Text that can never become a formula when the workbook is opened."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
