"""Importing a bundle: merge every row it carries, in one transaction, or change nothing.

Rows are merged field by field (``sync/model.py``) and written through ``sync/state.py``
with capture turned off (``session.info["sync_applying"]``): parents before children for
live rows, children before parents for tombstones. A tombstone also deletes the local rows
that depend on it (a child added here to a family erased elsewhere), as erasure does. Then
the rules every copy applies alike: one attendance per person and activity, no two rows
with one reference. Search words of the families touched are recomputed, the audit events
this copy has not seen join its chain, and the peer's marks are updated.

Anything that goes wrong rolls the whole import back: the database is as it was.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy.exc
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.enums import Role
from cope_desktop.db.models import AppSetting, AuditEvent, Organisation, SearchTerm, User
from cope_desktop.db.models.sync import SyncDevice, SyncHistory, SyncPeer, SyncRow
from cope_desktop.i18n import _, format_number, ngettext
from cope_desktop.progress import Progress, ProgressGenerator
from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.permissions import Permission, require
from cope_desktop.sync import capture, values
from cope_desktop.sync import payload as pl
from cope_desktop.sync.bundle import BundleError, BundleHeader, read_bundle
from cope_desktop.sync.export import audit_marks_key
from cope_desktop.sync.model import SYNCED_TABLES, Candidate, RowState, conflicted, merge
from cope_desktop.sync.state import read_states, write_state, write_states

log = logging.getLogger(__name__)

REFERENCED_TABLES = ("prison", "family", "child", "caregiver", "imprisoned_relative", "activity")
"""Tables whose ``reference`` is unique: a clash between copies is renamed, never refused."""
PERSON_COLUMNS = {"child": "child_id", "caregiver": "caregiver_id", "relative": "relative_id"}
FAMILY_MEMBERS = ("child", "caregiver", "imprisoned_relative")
_SYNCED = frozenset(SYNCED_TABLES)


@dataclass(frozen=True)
class ImportResult:
    rows_applied: int
    rows_unchanged: int
    conflicts_new: int
    tombstones: int
    references_renamed: int
    audit_events: int
    message: str
    local_rows_removed: int = 0
    attendances_merged: int = 0
    device_name: str = ""


@dataclass
class _Counts:
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    tombstones: int = 0
    renamed: int = 0
    cascaded: int = 0
    attendances: int = 0
    audit_events: int = 0
    families: set[uuid.UUID] = field(default_factory=set)
    activities: set[uuid.UUID] = field(default_factory=set)
    incoming: dict[uuid.UUID, str] = field(default_factory=dict)
    """References the bundle's live rows of the table being written will hold (by row id)."""


Links = dict[str, list[tuple[str, str]]]


def _links() -> tuple[Links, Links]:
    """The foreign keys between synced tables, seen from the child and from the parent."""
    parents: Links = defaultdict(list)
    dependents: Links = defaultdict(list)
    for name in SYNCED_TABLES:
        for fk in pl.table(name).foreign_keys:
            target = fk.column.table.name
            if target in _SYNCED:
                parents[name].append((fk.parent.name, target))
                dependents[target].append((name, fk.parent.name))
    return parents, dependents


PARENTS, DEPENDENTS = _links()
"""Per synced table: (column, parent table) of its foreign keys; (table, column) of the
synced rows whose foreign key points to it."""


def _same(a: RowState | None, b: RowState) -> bool:
    if a is None or a.deleted != b.deleted or dict(a.vv) != dict(b.vv):
        return False
    if set(a.fields) != set(b.fields):
        return False
    return all(set(a.fields[name]) == set(b.fields[name]) for name in a.fields)


def device_label(name: str) -> str:
    """A device's name as shown; the original database has none until it is given one."""
    return name or _("the original copy")


def _refuse_own(path: Path) -> BundleError:
    return BundleError(
        _("The bundle {name} was written by this copy; import it on the other computer.").format(
            name=path.name
        )
    )


def import_bundle(db: Database, actor: CurrentUser, path: Path) -> ProgressGenerator[ImportResult]:
    """Apply a bundle of another copy of this organisation; returns an ``ImportResult``."""
    require(actor, Permission.SYNC_EXCHANGE)
    total = len(SYNCED_TABLES) + 3
    yield Progress(0, total, _("Reading the bundle…"))
    with db.session() as session:
        organisation_id = session.scalars(select(Organisation.id)).one()
        me = pl.self_device(session)
        self_id = me.id
    header, payload = read_bundle(path, db.data_key, organisation_id)
    if header.device_id == str(self_id):
        raise _refuse_own(path)
    counts = _Counts()
    try:
        with db.session() as session:
            session.info[capture.APPLYING] = True
            yield from _apply(session, header, payload, self_id, counts, total)
            message = _message(header, counts)
            _record(session, actor, path, header, counts, message)
    except sqlalchemy.exc.IntegrityError as exc:
        log.error("bundle %s does not fit this copy: %s", path.name, exc.orig)
        raise BundleError(
            _(
                "The bundle {name} could not be applied to this copy (its records do not fit "
                "the ones here); nothing was changed."
            ).format(name=path.name)
        ) from None
    yield Progress(total, total, message)
    return ImportResult(
        rows_applied=counts.applied,
        rows_unchanged=counts.unchanged,
        conflicts_new=counts.conflicts,
        tombstones=counts.tombstones,
        references_renamed=counts.renamed,
        audit_events=counts.audit_events,
        message=message,
        local_rows_removed=counts.cascaded,
        attendances_merged=counts.attendances,
        device_name=header.device_name,
    )


def _apply(
    session: Session,
    header: BundleHeader,
    payload: dict[str, Any],
    self_id: uuid.UUID,
    counts: _Counts,
    total: int,
) -> Iterator[Progress]:
    _merge_devices(session, payload.get("devices", []), self_id)
    _ensure_users(session, payload.get("users", []))
    tables: dict[str, Any] = payload.get("tables", {})
    merged: dict[str, dict[uuid.UUID, RowState]] = {}
    locals_: dict[str, dict[uuid.UUID, RowState]] = {}
    for name in SYNCED_TABLES:
        if name in tables:
            remote = pl.remote_states(name, tables[name])
            local = read_states(session, name, list(remote))
            locals_[name] = local
            merged[name] = {
                row_id: merge(local.get(row_id), state) for row_id, state in remote.items()
            }
    dead = _dead_set(session, merged)
    step = 1
    for name in SYNCED_TABLES:
        batch: dict[uuid.UUID, RowState] = {}
        counts.incoming = {
            row_id: str(state.value("reference"))
            for row_id, state in merged.get(name, {}).items()
            if not state.deleted and "reference" in state.fields
        }
        for row_id, state in merged.get(name, {}).items():
            if state.deleted:
                continue
            settled = _upsert(session, name, row_id, state, locals_[name].get(row_id), dead, counts)
            if settled is not None:
                batch[row_id] = settled
        _write(session, name, batch)
        yield Progress(step, total, _("Applying changes…"))
        step += 1
    for name in reversed(SYNCED_TABLES):
        for row_id, state in merged.get(name, {}).items():
            if not state.deleted:
                continue
            known = locals_[name].get(row_id)
            if _same(known, state):
                counts.unchanged += 1
                continue
            counts.tombstones += 1
            counts.applied += 1
            _remove(session, name, row_id, state, counts, cascaded=False)
    _merge_attendances(session, counts)
    session.expire_all()
    families = _existing_families(session, counts.families)
    if families:
        search_terms.refresh(session, families)
    yield Progress(total - 2, total, _("Adding the audit trail…"))
    counts.audit_events = _append_audit(session, payload.get("audit", []), self_id)
    _update_peer(session, header, payload, self_id)


def _dead_set(
    session: Session, merged: dict[str, dict[uuid.UUID, RowState]]
) -> set[tuple[str, uuid.UUID]]:
    """Rows that are tombstones here or in this bundle, among the parents rows point to."""
    dead = {
        (name, row_id)
        for name, states in merged.items()
        for row_id, state in states.items()
        if state.deleted
    }
    wanted: dict[str, set[uuid.UUID]] = defaultdict(set)
    for name, states in merged.items():
        for state in states.values():
            if state.deleted:
                continue
            for column, parent in PARENTS.get(name, ()):
                if column in state.fields and state.value(column):
                    wanted[parent].add(uuid.UUID(str(state.value(column))))
    for parent, ids in wanted.items():
        for chunk in capture.chunks(ids):
            for row_id in session.scalars(
                select(SyncRow.row_id).where(
                    SyncRow.table_name == parent, SyncRow.deleted, SyncRow.row_id.in_(chunk)
                )
            ):
                dead.add((parent, row_id))
    return dead


def _upsert(
    session: Session,
    name: str,
    row_id: uuid.UUID,
    state: RowState,
    local: RowState | None,
    dead: set[tuple[str, uuid.UUID]],
    counts: _Counts,
) -> RowState | None:
    """The state to write for a live row (None: unchanged, or gone with its parent)."""
    for column, parent in PARENTS.get(name, ()):
        value = state.value(column) if column in state.fields else None
        if value and (parent, uuid.UUID(str(value))) in dead:
            # Its parent was erased (here or in this bundle): it goes with it.
            dead.add((name, row_id))
            counts.cascaded += 1
            _remove(session, name, row_id, RowState(state.vv, {}, True), counts, cascaded=True)
            return None
    if _same(local, state):
        counts.unchanged += 1
        return None
    if name in REFERENCED_TABLES and _new_reference(local, state):
        state = _settle_reference(session, name, row_id, state, counts)
    counts.applied += 1
    if any(len(candidates) > 1 for candidates in state.fields.values()):
        before = set(conflicted(local)) if local is not None and not local.deleted else set()
        counts.conflicts += len(set(conflicted(state)) - before)
    _note_touched(name, row_id, state, counts)
    return state


def _new_reference(local: RowState | None, state: RowState) -> bool:
    if "reference" not in state.fields:
        return False
    if local is None or local.deleted or "reference" not in local.fields:
        return True
    return bool(local.value("reference") != state.value("reference"))


def _write(session: Session, name: str, states: dict[uuid.UUID, RowState]) -> None:
    """Write the rows of one table in one batch."""
    if not states:
        return
    if name in REFERENCED_TABLES and len(states) > 1:
        _vacate_references(session, name, states)
    write_states(session, name, states)


def _note_touched(name: str, row_id: uuid.UUID, state: RowState, counts: _Counts) -> None:
    if name == "family":
        counts.families.add(row_id)
    elif name in FAMILY_MEMBERS and "family_id" in state.fields:
        counts.families.add(uuid.UUID(str(state.value("family_id"))))
    elif name == "attendance" and "activity_id" in state.fields:
        counts.activities.add(uuid.UUID(str(state.value("activity_id"))))


def _remove(
    session: Session,
    name: str,
    row_id: uuid.UUID,
    state: RowState,
    counts: _Counts,
    *,
    cascaded: bool,
) -> None:
    """Delete a row as a tombstone, after the local rows that depend on it."""
    for child, column in DEPENDENTS.get(name, ()):
        source = pl.table(child)
        ids = list(session.scalars(select(source.c.id).where(source.c[column] == row_id)))
        if not ids:
            continue
        states = read_states(session, child, ids)
        for child_id in ids:
            child_state = states.get(child_id)
            vv = child_state.vv if child_state is not None else {}
            counts.cascaded += 1
            _remove(session, child, child_id, RowState(vv, {}, True), counts, cascaded=True)
    if name == "family":
        session.execute(delete(SearchTerm).where(SearchTerm.family_id == row_id))
        counts.families.discard(row_id)
    elif name in FAMILY_MEMBERS:
        family_id = session.scalar(
            select(pl.table(name).c.family_id).where(pl.table(name).c.id == row_id)
        )
        if family_id is not None:
            counts.families.add(family_id)
    write_state(session, name, row_id, state)


def _local_write(session: Session, state: RowState, column: str, value: Any) -> RowState:
    """``state`` with ``column`` set to ``value`` by this copy (a new dot that supersedes)."""
    dot = capture.transaction_dot(session)
    vv = dict(state.vv)
    vv[dot.device] = max(vv.get(dot.device, 0), dot.counter)
    fields = dict(state.fields)
    fields[column] = (Candidate(value, dot),)
    return replace(state, vv=vv, fields=fields)


def _vacate_references(session: Session, name: str, states: dict[uuid.UUID, RowState]) -> None:
    """Rows of the batch leaving their reference free it first (rows are written one by one)."""
    source = pl.table(name)
    wanted = {row_id: state.value("reference") for row_id, state in states.items()}
    moving: list[uuid.UUID] = []
    for chunk in capture.chunks(wanted):
        query = select(source.c.id, source.c.reference).where(source.c.id.in_(chunk))
        moving += [row.id for row in session.execute(query) if row.reference != wanted[row.id]]
    for row_id in moving:
        session.execute(update(source).where(source.c.id == row_id).values(reference=f"~{row_id}"))


def _settle_reference(
    session: Session, name: str, row_id: uuid.UUID, state: RowState, counts: _Counts
) -> RowState:
    """Two rows claiming one reference: the one with the greater id gets " (2)" appended."""
    if "reference" not in state.fields:
        return state
    reference = state.value("reference")
    source = pl.table(name)
    holders = session.scalars(
        select(source.c.id).where(source.c.reference == reference, source.c.id != row_id)
    ).all()
    # a row of this bundle that moves to another reference does not clash
    others = [held for held in holders if counts.incoming.get(held, reference) == reference]
    others += [
        held
        for held, ref in counts.incoming.items()
        if ref == reference and held != row_id and held not in holders
    ]
    if not others:
        return state
    other = min(others)
    counts.renamed += 1
    renamed = _free_reference(session, name, str(reference), set(counts.incoming.values()))
    if row_id > other:
        counts.incoming[row_id] = renamed
        return _local_write(session, state, "reference", renamed)
    if other in counts.incoming:
        return state  # the other is in this bundle too: it is renamed when its turn comes
    theirs = _local_write(session, read_states(session, name, [other])[other], "reference", renamed)
    write_state(session, name, other, theirs)
    _note_touched(name, other, theirs, counts)  # its search words change with its reference
    return state


def _free_reference(session: Session, name: str, reference: str, claimed: set[str]) -> str:
    source = pl.table(name)
    width = source.c.reference.type.length or 40  # type: ignore[attr-defined]
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = reference[: width - len(suffix)] + suffix
        taken = session.scalar(select(source.c.id).where(source.c.reference == candidate))
        if taken is None and candidate not in claimed:
            return candidate
        number += 1


def _merge_attendances(session: Session, counts: _Counts) -> None:
    """One attendance per person and activity: the smallest id stays, the others go."""
    if not counts.activities:
        return
    source = pl.table("attendance")
    groups: dict[tuple[Any, ...], list[uuid.UUID]] = defaultdict(list)
    for chunk in capture.chunks(sorted(counts.activities)):
        query = select(
            source.c.id,
            source.c.activity_id,
            source.c.kind,
            source.c.child_id,
            source.c.caregiver_id,
            source.c.relative_id,
        ).where(source.c.activity_id.in_(chunk), source.c.kind.in_(list(PERSON_COLUMNS)))
        for row in session.execute(query):
            person = row.child_id or row.caregiver_id or row.relative_id
            groups[(row.activity_id, str(row.kind), person)].append(row.id)
    extra = [row_id for ids in groups.values() for row_id in sorted(ids)[1:]]
    if not extra:
        return
    states = read_states(session, "attendance", extra)
    for row_id in extra:
        vv = states[row_id].vv if row_id in states else {}
        counts.attendances += 1
        _remove(session, "attendance", row_id, RowState(vv, {}, True), counts, cascaded=True)


def _existing_families(session: Session, ids: set[uuid.UUID]) -> list[uuid.UUID]:
    source = pl.table("family")
    found: list[uuid.UUID] = []
    for chunk in capture.chunks(sorted(ids)):
        found.extend(session.scalars(select(source.c.id).where(source.c.id.in_(chunk))))
    return found


def _merge_devices(session: Session, devices: list[dict[str, Any]], self_id: uuid.UUID) -> None:
    for item in devices:
        device_id = uuid.UUID(str(item["id"]))
        if device_id == self_id:
            continue
        row = session.get(SyncDevice, device_id)
        if row is None:
            session.add(
                SyncDevice(
                    id=device_id,
                    name=str(item.get("name", "")),
                    tag=str(item.get("tag", "")),
                    is_self=False,
                    counter=int(item.get("counter", 0)),
                    seq=0,
                )
            )
        else:
            row.name = str(item.get("name", row.name)) or row.name
            row.tag = str(item.get("tag", row.tag))
            row.counter = max(row.counter, int(item.get("counter", 0)))
    session.flush()


def _ensure_users(session: Session, users: list[dict[str, Any]]) -> None:
    """Users of another copy that records point to: here as disabled accounts (no sign-in)."""
    known = {user.id: user for user in session.scalars(select(User))}
    names = {user.username.casefold() for user in known.values()}
    for item in users:
        user_id = uuid.UUID(str(item["id"]))
        if user_id in known:
            continue
        username = str(item["username"])
        base, number = username, 2
        while username.casefold() in names:
            username = f"{base[:58]}-{number}"
            number += 1
        names.add(username.casefold())
        session.add(
            User(
                id=user_id,
                username=username,
                display_name=str(item.get("display_name", "")),
                role=Role(str(item.get("role", Role.CASEWORKER.value))),
                is_active=False,
            )
        )
    session.flush()


def _append_audit(session: Session, events: list[list[Any]], self_id: uuid.UUID) -> int:
    """Append the events this copy has not seen (by origin), in their original order."""
    if not events:
        return 0
    users = set(session.scalars(select(User.id)))
    seen: dict[str, set[int]] = defaultdict(set)
    for device, number in session.execute(
        select(AuditEvent.origin_device, AuditEvent.origin_sequence).where(
            AuditEvent.origin_device.is_not(None)
        )
    ):
        seen[str(device)].add(int(number or 0))
    new: list[AuditEvent] = []
    for row in events:
        origin, number = str(row[0]), int(row[1])
        if origin == str(self_id) or number in seen[origin]:
            continue
        new.append(foreign_event(row, users))
        seen[origin].add(number)
    audit.append_chained(session, new)
    return len(new)


def foreign_event(row: list[Any], users: set[uuid.UUID]) -> AuditEvent:
    """An audit event of another copy, as a bundle carries it, with its origin and time."""
    origin, number, at, user_id, username, action, object_type, object_id, detail = row
    user = uuid.UUID(user_id) if user_id else None
    return AuditEvent(
        at=values.decode_datetime(at),
        user_id=user if user in users else None,
        username=str(username or ""),
        action=str(action),
        object_type=object_type,
        object_id=uuid.UUID(object_id) if object_id else None,
        detail=str(detail or ""),
        origin_device=uuid.UUID(origin),
        origin_sequence=int(number),
    )


def _update_peer(
    session: Session, header: BundleHeader, payload: dict[str, Any], self_id: uuid.UUID
) -> None:
    sender = uuid.UUID(header.device_id)
    if session.get(SyncDevice, sender) is None:
        session.add(
            SyncDevice(id=sender, name=header.device_name, tag="", is_self=False, counter=0, seq=0)
        )
        session.flush()
    peer = session.get(SyncPeer, sender)
    if peer is None:
        peer = SyncPeer(device_id=sender, their_seq=0, acked_seq=0)
        session.add(peer)
    marks = payload.get("marks", {})
    peer.their_seq = max(peer.their_seq or 0, header.seq_to)
    peer.acked_seq = max(peer.acked_seq or 0, int(marks.get(str(self_id), 0)))
    peer.last_import_at = utcnow()
    store_audit_marks(session, sender, payload.get("audit_marks", {}))


def store_audit_marks(session: Session, sender: uuid.UUID, marks: dict[str, Any]) -> None:
    key = audit_marks_key(sender)
    row = session.get(AppSetting, key)
    old = dict(row.value) if row is not None and isinstance(row.value, dict) else {}
    for device, number in marks.items():
        old[str(device)] = max(int(old.get(str(device), 0)), int(number))
    if row is None:
        session.add(AppSetting(key=key, value=old))
    else:
        row.value = old
        row.changed_at = utcnow()


def _message(header: BundleHeader, counts: _Counts) -> str:
    if counts.applied == 0 and counts.cascaded == 0 and counts.attendances == 0:
        parts = [
            _(
                "Nothing new from {device}: this copy already had every change in the bundle."
            ).format(device=device_label(header.device_name))
        ]
    else:
        parts = [
            ngettext(
                "Imported {count} change from {device}.",
                "Imported {count} changes from {device}.",
                counts.applied,
            ).format(count=format_number(counts.applied), device=device_label(header.device_name))
        ]
    if counts.conflicts:
        parts.append(
            ngettext(
                "{count} field was changed on both copies and needs a decision.",
                "{count} fields were changed on both copies and need a decision.",
                counts.conflicts,
            ).format(count=format_number(counts.conflicts))
        )
    if counts.cascaded:
        parts.append(
            ngettext(
                "{count} record belonged to a record erased on another copy and was removed too.",
                "{count} records belonged to records erased on another copy and were removed too.",
                counts.cascaded,
            ).format(count=format_number(counts.cascaded))
        )
    if counts.attendances:
        parts.append(
            ngettext(
                "{count} attendance recorded on both copies was kept once.",
                "{count} attendances recorded on both copies were kept once.",
                counts.attendances,
            ).format(count=format_number(counts.attendances))
        )
    if counts.renamed:
        parts.append(
            ngettext(
                "{count} reference was used on both copies; one of them now ends in (2).",
                "{count} references were used on both copies; one of each now ends in (2).",
                counts.renamed,
            ).format(count=format_number(counts.renamed))
        )
    return " ".join(parts)


def _record(
    session: Session,
    actor: CurrentUser,
    path: Path,
    header: BundleHeader,
    counts: _Counts,
    message: str,
) -> None:
    sender = uuid.UUID(header.device_id)
    detail = (
        f"kind={header.kind} rows={counts.applied} unchanged={counts.unchanged} "
        f"conflicts={counts.conflicts} tombstones={counts.tombstones} "
        f"removed={counts.cascaded} attendances_merged={counts.attendances} "
        f"renamed={counts.renamed} audit_events={counts.audit_events}"
    )
    session.add(
        SyncHistory(
            device_id=sender,
            direction="import",
            file_name=path.name,
            kind=header.kind,
            rows=counts.applied,
            conflicts=counts.conflicts,
            detail=message,
            user_id=actor.id,
        )
    )
    audit.record_by(session, actor, "sync_import", "sync_device", sender, detail)
