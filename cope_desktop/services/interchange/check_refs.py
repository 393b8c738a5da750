"""Matching parsed rows to the records on file and to each other, and planning the changes.

Sheets are planned in layout order, which is the order of their dependencies (families before
their members, prisons before the relatives and activities held there), so a row may refer to
a row of an earlier sheet of the same workbook or to a record already on file.

Decisions where the spec is silent:
- A record is matched by its key; an archived (deleted) record keeps its key: when the row
  equals it, it is unchanged; when it would change it, that is a problem (restore it first).
  An import never restores, archives or deletes anything.
- ``caseworker`` is a username (any case), or else a display name that exactly one user has;
  former (inactive) staff are accepted, as a closed case keeps its caseworker.
- ``closed`` adds a "closed" case status change dated that day when a case becomes closed;
  a new closing date moves the latest "closed" change; an empty ``closed`` on a closed case
  reopens it today (an "open" change), so ``Family.closed_on`` follows the latest change.
- A child with ``birth_date`` keeps whatever year and month were stored with it; the year and
  month are compared only for children without a full date.
- ``custody_status`` with ``status_since`` adds a custody event (at the relative's prison) unless
  the same status on the same date is on file; one without the other is a problem.
- A child and an imprisoned relative are linked only within one family (as on the forms).
- ``anonymous_children``/``anonymous_adults`` set the activity's head count row of that kind
  (one is added when missing; an empty cell or 0 with none on file adds nothing).
- ``feedback`` (children only) sets the rating of the child's latest feedback for the activity,
  or adds one; an empty cell leaves feedback as it is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from cope_desktop.db.base import utcnow
from cope_desktop.db.enums import AttendeeKind, CaseStatus, Sex
from cope_desktop.db.models import (
    Activity,
    Attendance,
    Caregiver,
    CaseStatusChange,
    Child,
    ChildRelative,
    CustodyEvent,
    Family,
    Feedback,
    ImprisonedRelative,
    Prison,
    SupportService,
)
from cope_desktop.i18n import _
from cope_desktop.services import validation
from cope_desktop.services.interchange.check import ParsedRow, ParsedSheet
from cope_desktop.services.interchange.plan import ImportPlan
from cope_desktop.services.interchange.problems import Problem
from cope_desktop.services.interchange.state import Existing, Fields
from cope_desktop.services.records._checks import EMAIL, check_child
from cope_desktop.services.records.drafts import ChildDraft
from cope_desktop.services.validation import Problems

CHILD_FIELDS = ("birth_date", "birth_year", "birth_month", "support_start", "support_end")
"""The child's columns that the record services' ``check_child`` judges (same names there)."""
LENGTHS = {
    "first_name": 100,
    "last_name": 100,
    "relationship": 60,
    "phone": 40,
    "email": 200,
    "name": 200,
    "region": 100,
}
INSERT_ORDER: tuple[type[Any], ...] = (
    Family,
    CaseStatusChange,
    Child,
    Caregiver,
    Prison,
    ImprisonedRelative,
    CustodyEvent,
    ChildRelative,
    Activity,
    Attendance,
    Feedback,
    SupportService,
)
_DEFAULTS: dict[type[Any], dict[str, Any]] = {
    Family: {
        "closed_on": None,
        "referral_source": None,
        "caseworker_id": None,
        "notes_allowed": True,
        "close_reason": None,
        "anonymised_at": None,
    },
    Child: {
        "first_name": None,
        "last_name": None,
        "birth_date": None,
        "birth_year": None,
        "birth_month": None,
        "sex": Sex.NOT_STATED,
        "support_start": None,
        "support_end": None,
        "anonymised_at": None,
    },
    Caregiver: {
        "first_name": None,
        "last_name": None,
        "relationship_to_children": None,
        "phone": None,
        "email": None,
        "is_main": False,
        "anonymised_at": None,
    },
    Prison: {"region": None, "type": None},
    ImprisonedRelative: {
        "first_name": None,
        "last_name": None,
        "prison_id": None,
        "anonymised_at": None,
    },
    Activity: {"prison_id": None, "duration_minutes": None},
}
_FIELD_OF = {
    "opened": "opened_on",
    "closed": "closed_on",
    "relationship": "relationship_to_children",
    "date": "held_on",
}


class Planner:
    def __init__(self, existing: Existing, problems: list[Problem]) -> None:
        self.existing = existing
        self.problems = problems
        self.plan = ImportPlan(
            inserts={model: [] for model in INSERT_ORDER},
            updates={model: [] for model in INSERT_ORDER},
        )
        self.now = utcnow()
        self.today = validation.today()
        self.child_family: dict[uuid.UUID, uuid.UUID] = {}
        self.relative_prison: dict[uuid.UUID, uuid.UUID | None] = {}
        for fields in existing.by_reference[Child].values():
            self.child_family[fields["id"]] = fields["family_id"]
        for fields in existing.by_reference[ImprisonedRelative].values():
            self.child_family[fields["id"]] = fields["family_id"]
            self.relative_prison[fields["id"]] = fields["prison_id"]
        self.new_named: set[tuple[uuid.UUID, str, uuid.UUID]] = set()

    # --- driving ------------------------------------------------------------------------

    def run(self, sheets: dict[str, ParsedSheet]) -> ImportPlan:
        steps: dict[str, Callable[[ParsedSheet, ParsedRow], None]] = {
            "families": self._family,
            "children": self._child,
            "caregivers": self._caregiver,
            "prisons": self._prison,
            "imprisoned_relatives": self._relative,
            "child_relatives": self._link,
            "activities": self._activity,
            "attendance": self._attendance_row,
        }
        for name, step in steps.items():
            sheet = sheets.get(name)
            if sheet is not None:
                for row in sheet.rows:
                    step(sheet, row)
        if "support" in sheets:
            self._support(sheets["support"])
        return self.plan

    def problem(self, sheet: ParsedSheet, row: ParsedRow, column: str | None, message: str) -> None:
        self.problems.append(Problem(sheet.name, row.number, column, message))

    def count(self, sheet: ParsedSheet, outcome: str) -> None:
        counts = self.plan.counts.sheets[sheet.name]
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    def insert(self, model: type[Any], values: dict[str, Any]) -> uuid.UUID:
        new_id = uuid.uuid4()
        record = {"id": new_id, **values, "created_at": self.now, "updated_at": self.now}
        if model is not CaseStatusChange:
            record["deleted_at"] = None
        self.plan.inserts[model].append(record)
        return new_id

    def update(self, model: type[Any], record_id: uuid.UUID, changed: dict[str, Any]) -> None:
        values = {"id": record_id, **changed, "updated_at": self.now}
        self.plan.updates[model].append(values)

    # --- shared rules -------------------------------------------------------------------

    def ref_id(
        self, sheet: ParsedSheet, row: ParsedRow, column: str, model: type[Any], what: str
    ) -> uuid.UUID | None:
        """The id of the record ``row[column]`` names (None, with a problem, when unknown)."""
        reference = row.values.get(column)
        if reference is None:
            return None
        known = self.existing.by_reference[model].get(reference)
        if known is None:
            self.problem(
                sheet,
                row,
                column,
                _("No {what} {reference} in this file or on record.").format(
                    what=what, reference=reference
                ),
            )
            return None
        return known["id"]

    def not_in_future(self, sheet: ParsedSheet, row: ParsedRow, column: str) -> None:
        value = row.values.get(column)
        if value is not None and value > self.today:
            self.problem(sheet, row, column, _("This date is in the future."))

    def in_order(
        self, sheet: ParsedSheet, row: ParsedRow, first: str, last: str, message: str
    ) -> None:
        start, end = row.values.get(first), row.values.get(last)
        if start is not None and end is not None and end < start:
            self.problem(sheet, row, last, message)

    def lengths(self, sheet: ParsedSheet, row: ParsedRow) -> bool:
        ok = True
        for column, limit in LENGTHS.items():
            value = row.values.get(column)
            if isinstance(value, str) and len(value) > limit:
                self.problem(
                    sheet,
                    row,
                    column,
                    _("This is longer than {limit} characters.").format(limit=limit),
                )
                ok = False
        return ok

    def desired(
        self, sheet: ParsedSheet, row: ParsedRow, columns: tuple[str, ...]
    ) -> dict[str, Any]:
        """The record fields of the columns present in the sheet, by their model names."""
        return {
            _FIELD_OF.get(column, column): row.values.get(column)
            for column in columns
            if column in sheet.columns
        }

    def upsert(
        self,
        sheet: ParsedSheet,
        row: ParsedRow,
        model: type[Any],
        reference: str,
        desired: dict[str, Any],
    ) -> tuple[uuid.UUID, Fields | None]:
        """Plan the record ``reference`` with the ``desired`` fields and count the row.

        Returns its id and, for an existing record, its fields as they were.
        """
        records = self.existing.by_reference[model]
        known = records.get(reference)
        if known is None:
            values = {**_DEFAULTS[model], **desired, "reference": reference}
            new_id = self.insert(model, values)
            records[reference] = {"id": new_id, "deleted_at": None, **values}
            self.count(sheet, "added")
            return new_id, None
        changed = {name: value for name, value in desired.items() if known.get(name) != value}
        if not changed:
            self.count(sheet, "unchanged")
        elif known["deleted_at"] is not None:
            self.archived(sheet, row, reference)
        else:
            self.update(model, known["id"], changed)
            records[reference] = {**known, **changed}
            self.count(sheet, "updated")
        return known["id"], known

    def reserve(self, model: type[Any], reference: str | None, **fields: Any) -> None:
        """Make a row with problems known by its reference.

        Rows naming it then add no problems of their own (and nothing is written anyway).
        """
        records = self.existing.by_reference[model]
        if reference is not None and reference not in records:
            records[reference] = {"id": uuid.uuid4(), "deleted_at": None, **fields}
            if "family_id" in fields:
                self.child_family[records[reference]["id"]] = fields["family_id"]

    def archived(self, sheet: ParsedSheet, row: ParsedRow, reference: str) -> None:
        self.problem(
            sheet,
            row,
            None,
            _("{reference} is archived; restore it before importing changes.").format(
                reference=reference
            ),
        )

    # --- families -----------------------------------------------------------------------

    def _family(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        self.not_in_future(sheet, row, "opened")
        self.not_in_future(sheet, row, "closed")
        self.in_order(sheet, row, "opened", "closed", _("The case is closed before it opened."))
        desired = self.desired(sheet, row, ("opened", "closed", "referral_source", "notes_allowed"))
        if desired.get("notes_allowed", True) is None:
            del desired["notes_allowed"]
        if "caseworker" in sheet.columns:
            desired["caseworker_id"] = self._caseworker(sheet, row)
        reference = row.values.get("family_ref")
        if reference is None or len(self.problems) > before:
            self.reserve(Family, reference)
            return
        family_id, known = self.upsert(sheet, row, Family, reference, desired)
        self.plan.families.add(family_id)
        if "closed_on" in desired:
            was = known["closed_on"] if known is not None else None
            self._status(family_id, was, desired["closed_on"])

    def _caseworker(self, sheet: ParsedSheet, row: ParsedRow) -> uuid.UUID | None:
        name = row.values.get("caseworker")
        if name is None:
            return None
        folded = name.casefold()
        for member in self.existing.staff:
            if member.username.casefold() == folded:
                return member.id
        named = [
            member for member in self.existing.staff if member.display_name.casefold() == folded
        ]
        if len(named) == 1:
            return named[0].id
        self.problem(
            sheet,
            row,
            "caseworker",
            _("No user has the username or name {name}.").format(name=name)
            if not named
            else _("More than one user is named {name}; enter the username.").format(name=name),
        )
        return None

    def _status(self, family_id: uuid.UUID, was: dt.date | None, closed: dt.date | None) -> None:
        if was == closed:
            return
        latest = self.existing.latest_status.get(family_id)
        if closed is None:
            values = {"family_id": family_id, "status": CaseStatus.OPEN, "changed_on": self.today}
        elif was is not None and latest is not None and latest[1] == CaseStatus.CLOSED:
            self.update(CaseStatusChange, latest[0], {"changed_on": closed})
            return
        else:
            values = {"family_id": family_id, "status": CaseStatus.CLOSED, "changed_on": closed}
        values.update(reason=None, user_id=None)
        self.insert(CaseStatusChange, values)

    # --- people -------------------------------------------------------------------------

    def _member_family(self, sheet: ParsedSheet, row: ParsedRow) -> uuid.UUID | None:
        return self.ref_id(sheet, row, "family_ref", Family, _("family"))

    def _child(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        family_id = self._member_family(sheet, row)
        self.lengths(sheet, row)
        values = row.values
        self.record_rules(sheet, row, check_child, ChildDraft, CHILD_FIELDS)
        reference = values.get("child_ref")
        if reference is None or family_id is None or len(self.problems) > before:
            self.reserve(Child, reference, family_id=family_id)
            return
        desired = self.desired(
            sheet, row, ("first_name", "last_name", "support_start", "support_end", "birth_date")
        )
        desired["family_id"] = family_id
        if "sex" in sheet.columns:
            desired["sex"] = values.get("sex") or Sex.NOT_STATED
        if values.get("birth_date") is None:
            desired.update(self.desired(sheet, row, ("birth_year", "birth_month")))
        child_id, known = self.upsert(sheet, row, Child, reference, desired)
        self._touch(family_id, known)
        self.child_family[child_id] = family_id

    def record_rules(
        self,
        sheet: ParsedSheet,
        row: ParsedRow,
        rules: Callable[[Problems, Any], None],
        draft: Callable[..., Any],
        fields: tuple[str, ...],
    ) -> None:
        """The record services' own rules for a row (a field there is a column here)."""
        found = Problems()
        rules(found, draft(**{name: row.values.get(name) for name in fields}))
        for problem in found.found:
            self.problem(sheet, row, problem.field, problem.message)

    def _touch(self, family_id: uuid.UUID, known: Fields | None) -> None:
        self.plan.families.add(family_id)
        if known is not None:
            self.plan.families.add(known["family_id"])

    def _caregiver(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        family_id = self._member_family(sheet, row)
        self.lengths(sheet, row)
        email = row.values.get("email")
        if email is not None and not EMAIL.match(email):
            self.problem(sheet, row, "email", _("Enter an email address such as name@example.org."))
        reference = row.values.get("caregiver_ref")
        if reference is None or family_id is None or len(self.problems) > before:
            self.reserve(Caregiver, reference, family_id=family_id)
            return
        desired = self.desired(
            sheet, row, ("first_name", "last_name", "relationship", "phone", "email")
        )
        desired["family_id"] = family_id
        _id, known = self.upsert(sheet, row, Caregiver, reference, desired)
        self._touch(family_id, known)

    def _prison(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        self.lengths(sheet, row)
        reference = row.values.get("prison_ref")
        if reference is None or len(self.problems) > before:
            self.reserve(Prison, reference)
            return
        desired = self.desired(sheet, row, ("name", "country", "region", "type"))
        self.upsert(sheet, row, Prison, reference, desired)

    def _relative(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        family_id = self._member_family(sheet, row)
        prison_id = self.ref_id(sheet, row, "prison_ref", Prison, _("prison"))
        self.lengths(sheet, row)
        status, since = row.values.get("custody_status"), row.values.get("status_since")
        if status is not None and since is None:
            self.problem(
                sheet, row, "status_since", _("status_since is required with custody_status.")
            )
        if since is not None and status is None:
            self.problem(
                sheet, row, "custody_status", _("custody_status is required with status_since.")
            )
        self.not_in_future(sheet, row, "status_since")
        reference = row.values.get("relative_ref")
        if reference is None or family_id is None or len(self.problems) > before:
            self.reserve(ImprisonedRelative, reference, family_id=family_id)
            return
        desired = self.desired(sheet, row, ("first_name", "last_name"))
        desired["family_id"] = family_id
        if "prison_ref" in sheet.columns:
            desired["prison_id"] = prison_id
        counts = self.plan.counts.sheets[sheet.name]
        unchanged_before = counts.unchanged
        relative_id, known = self.upsert(sheet, row, ImprisonedRelative, reference, desired)
        self._touch(family_id, known)
        self.child_family[relative_id] = family_id
        prison = self.existing.by_reference[ImprisonedRelative][reference].get("prison_id")
        self.relative_prison[relative_id] = prison
        if (
            status is None
            or since is None
            or (relative_id, str(status), since) in self.existing.custody
        ):
            return
        if known is not None and known["deleted_at"] is not None:
            self.archived(sheet, row, reference)
            return
        self.existing.custody.add((relative_id, str(status), since))
        self.insert(
            CustodyEvent,
            {"relative_id": relative_id, "status": status, "since": since, "prison_id": prison},
        )
        if counts.unchanged > unchanged_before:
            counts.unchanged -= 1
            counts.updated += 1

    def _link(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        child_id = self.ref_id(sheet, row, "child_ref", Child, _("child"))
        relative_id = self.ref_id(
            sheet, row, "relative_ref", ImprisonedRelative, _("imprisoned relative")
        )
        relationship = row.values.get("relationship")
        if child_id is None or relative_id is None or relationship is None:
            return
        if self.child_family.get(child_id) != self.child_family.get(relative_id):
            self.problem(
                sheet,
                row,
                "relative_ref",
                _("The child and the imprisoned relative belong to different families."),
            )
            return
        key = (child_id, relative_id)
        known = self.existing.links.get(key)
        if known is None:
            new_id = self.insert(
                ChildRelative,
                {
                    "child_id": child_id,
                    "relative_id": relative_id,
                    "relationship_to_child": relationship,
                },
            )
            self.existing.links[key] = {
                "id": new_id,
                "deleted_at": None,
                "relationship_to_child": relationship,
            }
            self.count(sheet, "added")
        elif known["relationship_to_child"] == relationship:
            self.count(sheet, "unchanged")
        elif known["deleted_at"] is not None:
            self.archived(sheet, row, f"{row.values['child_ref']} + {row.values['relative_ref']}")
        else:
            self.update(ChildRelative, known["id"], {"relationship_to_child": relationship})
            known["relationship_to_child"] = relationship
            self.count(sheet, "updated")
        self.plan.families.add(self.child_family[child_id])

    # --- activities ---------------------------------------------------------------------

    def _activity(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        before = len(self.problems)
        prison_id = self.ref_id(sheet, row, "prison_ref", Prison, _("prison"))
        values = row.values
        for column in ("duration_hours", "anonymous_children", "anonymous_adults"):
            value = values.get(column)
            if value is not None and value < 0:
                self.problem(sheet, row, column, _("Enter a number that is 0 or more."))
        reference = values.get("activity_ref")
        if reference is None or len(self.problems) > before:
            self.reserve(Activity, reference)
            return
        desired = self.desired(sheet, row, ("type", "date"))
        if "prison_ref" in sheet.columns:
            desired["prison_id"] = prison_id
        if "duration_hours" in sheet.columns:
            hours = values.get("duration_hours")
            desired["duration_minutes"] = None if hours is None else round(hours * 60)
        counts = self.plan.counts.sheets[sheet.name]
        counts_before = (counts.added, counts.updated, counts.unchanged)
        activity_id, known = self.upsert(sheet, row, Activity, reference, desired)
        if len(self.problems) > before:
            return
        changed = False
        for column, kind in (
            ("anonymous_children", AttendeeKind.ANONYMOUS_CHILDREN),
            ("anonymous_adults", AttendeeKind.ANONYMOUS_ADULTS),
        ):
            head_count = values.get(column)
            if head_count is not None:
                changed |= self._head_count(activity_id, kind, head_count)
        if changed and known is not None and counts.unchanged > counts_before[2]:
            if known["deleted_at"] is not None:
                self.archived(sheet, row, reference)
                return
            counts.unchanged -= 1
            counts.updated += 1

    def _head_count(self, activity_id: uuid.UUID, kind: AttendeeKind, head_count: int) -> bool:
        rows = self.existing.anonymous.get((activity_id, str(kind)), [])
        if sum(count for _id, count in rows) == head_count:
            return False
        if not rows:
            if head_count == 0:
                return False
            self.insert(Attendance, self._attendance(activity_id, kind, None, head_count))
            return True
        self.update(Attendance, rows[0][0], {"head_count": head_count})
        for other_id, count in rows[1:]:
            if count:
                self.update(Attendance, other_id, {"head_count": 0})
        return True

    @staticmethod
    def _attendance(
        activity_id: uuid.UUID, kind: AttendeeKind, person_id: uuid.UUID | None, head_count: int = 1
    ) -> dict[str, Any]:
        return {
            "activity_id": activity_id,
            "kind": kind,
            "child_id": person_id if kind is AttendeeKind.CHILD else None,
            "caregiver_id": person_id if kind is AttendeeKind.CAREGIVER else None,
            "relative_id": person_id if kind is AttendeeKind.RELATIVE else None,
            "head_count": head_count,
        }

    def _person(self, sheet: ParsedSheet, row: ParsedRow) -> tuple[AttendeeKind, uuid.UUID] | None:
        reference = row.values.get("person_ref")
        if reference is None:
            return None
        found = [
            (kind, self.existing.by_reference[model][reference]["id"])
            for kind, model in (
                (AttendeeKind.CHILD, Child),
                (AttendeeKind.CAREGIVER, Caregiver),
                (AttendeeKind.RELATIVE, ImprisonedRelative),
            )
            if reference in self.existing.by_reference[model]
        ]
        if len(found) == 1:
            return found[0]
        if found:
            message = _(
                "{reference} is the reference of more than one person (a child, a "
                "caregiver or a relative); it must name one."
            ).format(reference=reference)
        else:
            message = _(
                "No child, caregiver or imprisoned relative {reference} in this file or on record."
            ).format(reference=reference)
        self.problem(sheet, row, "person_ref", message)
        return None

    def _attendance_row(self, sheet: ParsedSheet, row: ParsedRow) -> None:
        activity_id = self.ref_id(sheet, row, "activity_ref", Activity, _("activity"))
        person = self._person(sheet, row)
        rating = row.values.get("feedback")
        if person is not None and rating is not None and person[0] is not AttendeeKind.CHILD:
            self.problem(sheet, row, "feedback", _("Only a child's attendance can have feedback."))
            return
        if activity_id is None or person is None:
            return
        kind, person_id = person
        key = (activity_id, str(kind), person_id)
        known = self.existing.named.get(key)
        outcome = "unchanged"
        if known is None and key not in self.new_named:
            self.new_named.add(key)
            self.insert(Attendance, self._attendance(activity_id, kind, person_id))
            outcome = "added"
        if rating is not None:
            latest = self.existing.feedback.get((activity_id, person_id))
            if latest is None or latest[1] != rating:
                if known is not None and known["deleted_at"] is not None:
                    self.archived(
                        sheet, row, f"{row.values['activity_ref']} + {row.values['person_ref']}"
                    )
                    return
                if latest is None:
                    new_id = self.insert(
                        Feedback,
                        {
                            "activity_id": activity_id,
                            "child_id": person_id,
                            "rating": rating,
                            "face": None,
                            "quote": None,
                            "quote_approved": False,
                        },
                    )
                else:
                    new_id = latest[0]
                    self.update(Feedback, new_id, {"rating": rating})
                self.existing.feedback[(activity_id, person_id)] = (new_id, str(rating))
                if outcome == "unchanged":
                    outcome = "updated"
        self.count(sheet, outcome)

    # --- support ------------------------------------------------------------------------

    def _support(self, sheet: ParsedSheet) -> None:
        wanted: Counter[tuple[Any, ...]] = Counter()
        rows_of: dict[tuple[Any, ...], list[ParsedRow]] = defaultdict(list)
        for row in sheet.rows:
            before = len(self.problems)
            family_id = self._member_family(sheet, row)
            child_id = self.ref_id(sheet, row, "child_ref", Child, _("child"))
            self.not_in_future(sheet, row, "date")
            if (
                child_id is not None
                and family_id is not None
                and self.child_family.get(child_id) != family_id
            ):
                self.problem(
                    sheet,
                    row,
                    "child_ref",
                    _("This child is not a child of family {family}.").format(
                        family=row.values.get("family_ref")
                    ),
                )
            service, provided_on = row.values.get("service"), row.values.get("date")
            if (
                family_id is None
                or service is None
                or provided_on is None
                or len(self.problems) > before
            ):
                continue
            key = (family_id, child_id, str(service), provided_on)
            wanted[key] += 1
            rows_of[key].append(row)
        for key, count in wanted.items():
            on_file = self.existing.support.get(key, 0)
            family_id, child_id, service, provided_on = key
            for index in range(count):
                if index < on_file:
                    self.count(sheet, "unchanged")
                    continue
                self.insert(
                    SupportService,
                    {
                        "family_id": family_id,
                        "child_id": child_id,
                        "service": rows_of[key][index].values["service"],
                        "provided_on": provided_on,
                        "provided_by_id": None,
                        "notes": None,
                    },
                )
                self.count(sheet, "added")
