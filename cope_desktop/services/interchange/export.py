"""Every live record, written to the interchange workbook (INTERCHANGE.md, ``layout.SHEETS``).

One sheet per layout sheet, in layout order; the first row holds the column names exactly as
the layout spells them (they are the interchange contract, never translated); then one row per
record, in a stable order (by reference, then by the other key columns), so two exports of
the same records hold the same rows. Dates are date cells, durations and head counts numbers,
``notes_allowed`` a boolean, categories their codes, and an unknown value an empty cell.

Only live records go out: a record marked deleted (archived) is left out, and so is anything
that belongs to an archived family, activity or person (a child of an archived family, an
attendance at an archived activity, a support service for an archived child). A prison is
written when it is live, or when it is archived but a live relative or activity still points to
it (archiving a prison keeps those links, and every ``prison_ref`` must name a row).

What the layout cannot carry, so an export is not a backup:
- custody history: only the latest status of each relative (its ``since`` date), not the
  events before it, nor the prison of each event;
- caregivers' addresses and which caregiver is the main one;
- children's school level and whether they know where their parent is; families' reasons for
  closing and their history of closing and reopening;
- feedback quotes (and their approval), the face tapped, and feedback not tied to a named
  child's attendance; only the latest rating of a child at an activity is kept;
- activity series, start times, staff, notes, sport and partners; support notes and who gave
  the support; prisons' visiting facilities;
- consent records, users and their accounts (``caseworker`` is a username), the audit trail;
- case notes, never;
- archived records (see above).

The rows are read in one transaction, so the sheets agree with each other even if someone
changes a record while the export runs. Large tables are streamed, and openpyxl's write-only
workbook keeps each sheet in a temporary file until it is saved, so memory stays bounded on
the largest databases. Those temporary files hold the records unencrypted: they are removed
when the export ends, fails or is cancelled.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from cope_desktop.atomic import atomic_write
from cope_desktop.db.database import Database
from cope_desktop.db.enums import AttendeeKind
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    Child,
    ChildRelative,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    Prison,
    SupportService,
    User,
)
from cope_desktop.i18n import _, format_number
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.interchange.layout import SHEETS, Sheet
from cope_desktop.services.permissions import Permission, require

YIELD_PER = 2000
"""Rows fetched from the database at a time."""
PROGRESS_EVERY = 10_000
"""Rows written between two progress reports within a sheet."""

AnySelect: TypeAlias = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    rows: dict[str, int]
    """Sheet name -> rows written (the header row not counted), in layout order."""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def export_records(db: Database, user: CurrentUser, path: Path) -> ProgressGenerator[ExportSummary]:
    """Write every live record to the workbook ``path`` (whole or not at all) and audit it."""
    require(user, Permission.EXPORT_RECORDS)
    steps = len(SHEETS) + 1
    workbook = Workbook(write_only=True)
    rows: dict[str, int] = {}
    try:
        with db.session() as session:
            for index, sheet in enumerate(SHEETS):
                yield Progress(index, steps, _("Writing {sheet}…").format(sheet=sheet.name))
                rows[sheet.name] = yield from _write_sheet(session, workbook, sheet, index, steps)
        yield Progress(len(SHEETS), steps, _("Saving {name}…").format(name=path.name))
        with db.session() as session:
            detail = " ".join(f"{name}={count}" for name, count in rows.items())
            audit.record_by(session, user, "export", "records", None, detail=detail)
            with atomic_write(path) as out:
                workbook.save(cast(BinaryIO, out))
    finally:
        _discard_temporary_files(workbook)
    yield Progress(steps, steps, _("Saved {name}.").format(name=path.name))
    return ExportSummary(path, rows)


def _write_sheet(
    session: Session, workbook: Workbook, sheet: Sheet, index: int, steps: int
) -> ProgressGenerator[int]:
    """Append the header and every row of ``sheet``; return the number of rows."""
    statement = _STATEMENTS[sheet.name]()
    if tuple(statement.selected_columns.keys()) != sheet.column_names:
        raise AssertionError(f"the {sheet.name} query does not match the layout")
    worksheet = workbook.create_sheet(sheet.name)
    worksheet.append(list(sheet.column_names))
    count = 0
    records = session.execute(statement.execution_options(yield_per=YIELD_PER))
    for row in _unique_keys(sheet, records):
        worksheet.append([_cell(worksheet, value) for value in row])
        count += 1
        if count % PROGRESS_EVERY == 0:
            yield Progress(
                index,
                steps,
                _("Writing {sheet}: {rows} rows…").format(
                    sheet=sheet.name, rows=format_number(count)
                ),
            )
    return count


def _unique_keys(sheet: Sheet, rows: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of an attendance sheet once per key (a person entered twice at one activity).

    The rows come sorted by their key, so repeats are next to each other.
    """
    if sheet.name != "attendance":
        yield from (tuple(row) for row in rows)
        return
    previous: tuple[Any, ...] | None = None
    for row in rows:
        key = (row[0], row[1])
        if key != previous:
            yield tuple(row)
        previous = key


def _cell(worksheet: Any, value: Any) -> Any:
    """A value as the workbook holds it: codes as text, text that can never be a formula."""
    if isinstance(value, Enum):
        return value.value
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):  # text, not a formula someone could make run on opening
        cell = WriteOnlyCell(worksheet, value)
        cell.data_type = "s"
        return cell
    return value


def _discard_temporary_files(workbook: Workbook) -> None:
    """Remove the unencrypted sheet files openpyxl keeps until the workbook is saved."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        if writer is None:
            continue
        rows = getattr(worksheet, "_rows", None)
        with contextlib.suppress(Exception):  # already closed by the save, or half-saved
            if rows is not None:
                rows.close()
            writer.close()
        with contextlib.suppress(FileNotFoundError, ValueError):  # already removed by save
            writer.cleanup()


# --- which records, and which columns, go in each sheet --------------------------------------


def _live_family(family: Any = Family) -> ColumnElement[bool]:
    return cast(ColumnElement[bool], family.deleted_at.is_(None))


def _families() -> AnySelect:
    return (
        select(
            Family.reference.label("family_ref"),
            Family.opened_on.label("opened"),
            Family.closed_on.label("closed"),
            Family.referral_source.label("referral_source"),
            User.username.label("caseworker"),
            Family.notes_allowed.label("notes_allowed"),
        )
        .outerjoin(User, User.id == Family.caseworker_id)
        .where(_live_family())
        .order_by(Family.reference)
    )


def _children() -> AnySelect:
    no_date = Child.birth_date.is_(None)
    return (
        select(
            Child.reference.label("child_ref"),
            Family.reference.label("family_ref"),
            Child.first_name.label("first_name"),
            Child.last_name.label("last_name"),
            Child.birth_date.label("birth_date"),
            case((no_date, Child.birth_year)).label("birth_year"),
            case((no_date, Child.birth_month)).label("birth_month"),
            Child.sex.label("sex"),
            Child.support_start.label("support_start"),
            Child.support_end.label("support_end"),
        )
        .join(Family, Family.id == Child.family_id)
        .where(Child.deleted_at.is_(None), _live_family())
        .order_by(Child.reference)
    )


def _caregivers() -> AnySelect:
    return (
        select(
            Caregiver.reference.label("caregiver_ref"),
            Family.reference.label("family_ref"),
            Caregiver.first_name.label("first_name"),
            Caregiver.last_name.label("last_name"),
            Caregiver.relationship_to_children.label("relationship"),
            Caregiver.phone.label("phone"),
            Caregiver.email.label("email"),
        )
        .join(Family, Family.id == Caregiver.family_id)
        .where(Caregiver.deleted_at.is_(None), _live_family())
        .order_by(Caregiver.reference)
    )


def _prisons() -> AnySelect:
    held = (
        select(ImprisonedRelative.prison_id)
        .join(Family, Family.id == ImprisonedRelative.family_id)
        .where(ImprisonedRelative.deleted_at.is_(None), _live_family())
    )
    visited = select(Activity.prison_id).where(Activity.deleted_at.is_(None))
    referenced = union_all(held, visited)
    return (
        select(
            Prison.reference.label("prison_ref"),
            Prison.name.label("name"),
            Prison.country.label("country"),
            Prison.region.label("region"),
            Prison.type.label("type"),
        )
        .where(or_(Prison.deleted_at.is_(None), Prison.id.in_(referenced)))
        .order_by(Prison.reference)
    )


def _latest_custody() -> Any:
    """Each relative's latest live custody event (by date, then when it was entered)."""
    rank = func.row_number().over(
        partition_by=CustodyEvent.relative_id,
        order_by=(CustodyEvent.since.desc(), CustodyEvent.created_at.desc(), CustodyEvent.id),
    )
    return (
        select(
            CustodyEvent.relative_id, CustodyEvent.status, CustodyEvent.since, rank.label("rank")
        )
        .where(CustodyEvent.deleted_at.is_(None))
        .subquery("latest_custody")
    )


def _imprisoned_relatives() -> AnySelect:
    custody = _latest_custody()
    return (
        select(
            ImprisonedRelative.reference.label("relative_ref"),
            Family.reference.label("family_ref"),
            ImprisonedRelative.first_name.label("first_name"),
            ImprisonedRelative.last_name.label("last_name"),
            Prison.reference.label("prison_ref"),
            custody.c.status.label("custody_status"),
            custody.c.since.label("status_since"),
        )
        .join(Family, Family.id == ImprisonedRelative.family_id)
        .outerjoin(Prison, Prison.id == ImprisonedRelative.prison_id)
        .outerjoin(
            custody,
            and_(custody.c.relative_id == ImprisonedRelative.id, custody.c.rank == 1),
        )
        .where(ImprisonedRelative.deleted_at.is_(None), _live_family())
        .order_by(ImprisonedRelative.reference)
    )


def _child_relatives() -> AnySelect:
    child_family = aliased(Family)
    relative_family = aliased(Family)
    return (
        select(
            Child.reference.label("child_ref"),
            ImprisonedRelative.reference.label("relative_ref"),
            ChildRelative.relationship_to_child.label("relationship"),
        )
        .join(Child, Child.id == ChildRelative.child_id)
        .join(child_family, child_family.id == Child.family_id)
        .join(ImprisonedRelative, ImprisonedRelative.id == ChildRelative.relative_id)
        .join(relative_family, relative_family.id == ImprisonedRelative.family_id)
        .where(
            ChildRelative.deleted_at.is_(None),
            Child.deleted_at.is_(None),
            ImprisonedRelative.deleted_at.is_(None),
            _live_family(child_family),
            _live_family(relative_family),
        )
        .order_by(Child.reference, ImprisonedRelative.reference)
    )


def _activities() -> AnySelect:
    def head_count(kind: AttendeeKind) -> Any:
        return func.sum(case((Attendance.kind == kind, Attendance.head_count)))

    anonymous = (
        select(
            Attendance.activity_id,
            head_count(AttendeeKind.ANONYMOUS_CHILDREN).label("children"),
            head_count(AttendeeKind.ANONYMOUS_ADULTS).label("adults"),
        )
        .where(
            Attendance.deleted_at.is_(None),
            Attendance.kind.in_((AttendeeKind.ANONYMOUS_CHILDREN, AttendeeKind.ANONYMOUS_ADULTS)),
        )
        .group_by(Attendance.activity_id)
        .subquery("anonymous")
    )
    return (
        select(
            Activity.reference.label("activity_ref"),
            Activity.type.label("type"),
            Activity.held_on.label("date"),
            Prison.reference.label("prison_ref"),
            (Activity.duration_minutes / literal(60.0)).label("duration_hours"),
            anonymous.c.children.label("anonymous_children"),
            anonymous.c.adults.label("anonymous_adults"),
        )
        .outerjoin(Prison, Prison.id == Activity.prison_id)
        .outerjoin(anonymous, anonymous.c.activity_id == Activity.id)
        .where(Activity.deleted_at.is_(None))
        .order_by(Activity.reference)
    )


def _latest_feedback() -> Any:
    """Each child's latest live rating of each activity (by when it was entered)."""
    rank = func.row_number().over(
        partition_by=(Feedback.activity_id, Feedback.child_id),
        order_by=(Feedback.created_at.desc(), Feedback.id),
    )
    return (
        select(Feedback.activity_id, Feedback.child_id, Feedback.rating, rank.label("rank"))
        .where(Feedback.deleted_at.is_(None), Feedback.child_id.is_not(None))
        .subquery("latest_feedback")
    )


def _attendance() -> AnySelect:
    feedback = _latest_feedback()

    def named(person: Any, person_id: Any, kind: AttendeeKind, rating: Any) -> AnySelect:
        statement = (
            select(
                Activity.reference.label("activity_ref"),
                person.reference.label("person_ref"),
                rating.label("feedback"),
            )
            .select_from(Attendance)
            .join(Activity, Activity.id == Attendance.activity_id)
            .join(person, person.id == person_id)
            .join(Family, Family.id == person.family_id)
        )
        if person is Child:
            statement = statement.outerjoin(
                feedback,
                and_(
                    feedback.c.activity_id == Attendance.activity_id,
                    feedback.c.child_id == Attendance.child_id,
                    feedback.c.rank == 1,
                ),
            )
        return statement.where(
            Attendance.deleted_at.is_(None),
            Attendance.kind == kind,
            Activity.deleted_at.is_(None),
            person.deleted_at.is_(None),
            _live_family(),
        )

    everyone = union_all(
        named(Child, Attendance.child_id, AttendeeKind.CHILD, feedback.c.rating),
        named(Caregiver, Attendance.caregiver_id, AttendeeKind.CAREGIVER, null()),
        named(ImprisonedRelative, Attendance.relative_id, AttendeeKind.RELATIVE, null()),
    ).subquery("everyone")
    return select(everyone.c.activity_ref, everyone.c.person_ref, everyone.c.feedback).order_by(
        everyone.c.activity_ref, everyone.c.person_ref
    )


def _support() -> AnySelect:
    return (
        select(
            Family.reference.label("family_ref"),
            Child.reference.label("child_ref"),
            SupportService.service.label("service"),
            SupportService.provided_on.label("date"),
        )
        .join(Family, Family.id == SupportService.family_id)
        .outerjoin(Child, Child.id == SupportService.child_id)
        .where(
            SupportService.deleted_at.is_(None),
            _live_family(),
            or_(SupportService.child_id.is_(None), Child.deleted_at.is_(None)),
        )
        .order_by(
            Family.reference,
            Child.reference.nulls_first(),
            SupportService.provided_on,
            SupportService.service,
            SupportService.id,
        )
    )


_STATEMENTS: dict[str, Callable[[], AnySelect]] = {
    "families": _families,
    "children": _children,
    "caregivers": _caregivers,
    "prisons": _prisons,
    "imprisoned_relatives": _imprisoned_relatives,
    "child_relatives": _child_relatives,
    "activities": _activities,
    "attendance": _attendance,
    "support": _support,
}
if set(_STATEMENTS) != {sheet.name for sheet in SHEETS}:  # pragma: no cover - a layout change
    raise AssertionError("every interchange sheet needs an export query")

__all__ = ["ExportSummary", "export_records"]
