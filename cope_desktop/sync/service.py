"""What the sync screens and commands show and do: peers, history, conflicts, resolving.

Every function checks the permission itself (``SYNC_EXCHANGE``); conflicts in case notes
are listed and resolved only for roles that may read case notes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cope_desktop.db.base import utcnow
from cope_desktop.db.database import Database
from cope_desktop.db.models import User
from cope_desktop.db.models.sync import SyncDevice, SyncField, SyncHistory, SyncPeer
from cope_desktop.errors import RecordNotFound, UserInputError
from cope_desktop.i18n import _
from cope_desktop.services import audit, search_terms
from cope_desktop.services.accounts import CurrentUser
from cope_desktop.services.audit_actions import object_label
from cope_desktop.services.field_text import FIELD_LABELS, field_label, value_text
from cope_desktop.services.permissions import Permission, can, require
from cope_desktop.sync import capture, values
from cope_desktop.sync import payload as pl
from cope_desktop.sync.apply import device_label
from cope_desktop.sync.model import (
    LATEST_WINS,
    SYNCED_TABLES,
    Candidate,
    choices,
    stored_candidates,
)
from cope_desktop.sync.state import read_states

AUDIT_OBJECTS = {
    "imprisoned_relative": "relative",
    "custody_event": "custody",
    "support_service": "support",
}
"""Synced table → the object type the audit trail uses for it."""
PEOPLE = ("child", "caregiver", "imprisoned_relative")
NOTES_TABLES = frozenset({"case_note"})


@dataclass(frozen=True)
class PeerInfo:
    device_id: uuid.UUID
    name: str
    tag: str
    their_seq: int
    acked_seq: int
    last_import_at: dt.datetime | None
    last_export_at: dt.datetime | None


@dataclass(frozen=True)
class HistoryEntry:
    id: uuid.UUID
    device_id: uuid.UUID | None
    device_name: str
    direction: str
    at: dt.datetime
    file_name: str
    kind: str
    rows: int
    conflicts: int
    detail: str
    username: str


@dataclass(frozen=True)
class ConflictCandidate:
    value: Any
    """The value as the column holds it (a date, an enum, a string…)."""
    text: str
    """The value as shown to a person."""
    device_id: str
    device_name: str
    is_mine: bool
    current: bool
    """The value the record holds now (until someone decides)."""


@dataclass(frozen=True)
class ConflictInfo:
    table: str
    row_id: uuid.UUID
    field: str
    record_label: str
    field_label: str
    table_label: str
    candidates: tuple[ConflictCandidate, ...]


def peers(session: Session, actor: CurrentUser) -> list[PeerInfo]:
    """The copies this one has exchanged bundles with, most recent exchange first."""
    require(actor, Permission.SYNC_EXCHANGE)
    names = {d.id: d for d in session.scalars(select(SyncDevice))}
    found = []
    for peer in session.scalars(select(SyncPeer)):
        device = names.get(peer.device_id)
        found.append(
            PeerInfo(
                peer.device_id,
                device_label(device.name if device else ""),
                device.tag if device else "",
                peer.their_seq,
                peer.acked_seq,
                peer.last_import_at,
                peer.last_export_at,
            )
        )
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    found.sort(
        key=lambda p: max(p.last_import_at or never, p.last_export_at or never), reverse=True
    )
    return found


def find_peer(session: Session, actor: CurrentUser, text: str | None) -> PeerInfo | None:
    """A peer named by its device id, the first characters of it, or its name.

    No text: the only peer when there is exactly one, else None (everything is sent).
    """
    known = peers(session, actor)
    if not text:
        return known[0] if len(known) == 1 else None
    wanted = text.strip().casefold()
    matches = [
        p for p in known if str(p.device_id).startswith(wanted) or p.name.casefold() == wanted
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UserInputError(
            _("No copy called {peer} has exchanged bundles with this one.").format(peer=text)
        )
    raise UserInputError(
        _("{peer} names more than one copy; give more of its id.").format(peer=text)
    )


def history(
    session: Session, actor: CurrentUser, device_id: uuid.UUID | None = None
) -> list[HistoryEntry]:
    """Bundles written and read, newest first (those exchanged with one device if given)."""
    require(actor, Permission.SYNC_EXCHANGE)
    devices = {d.id: d.name for d in session.scalars(select(SyncDevice))}
    users = {u.id: u.username for u in session.scalars(select(User))}
    query = select(SyncHistory).order_by(SyncHistory.at.desc())
    if device_id is not None:
        query = query.where(SyncHistory.device_id == device_id)
    return [
        HistoryEntry(
            h.id,
            h.device_id,
            device_label(devices.get(h.device_id, "")) if h.device_id else "",
            h.direction,
            h.at,
            h.file_name,
            h.kind,
            h.rows,
            h.conflicts,
            h.detail,
            users.get(h.user_id, "") if h.user_id else "",
        )
        for h in session.scalars(query)
    ]


def _field_label(name: str) -> str:

    return field_label(name if name in FIELD_LABELS else name.removesuffix("_id"))


def table_label(table: str) -> str:
    return object_label(AUDIT_OBJECTS.get(table, table))


def _record_labels(session: Session, table: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """A name a person recognises: a reference, a person's name, the family's reference."""
    source = pl.table(table)
    wanted = list(ids)
    labels: dict[uuid.UUID, str] = {}
    columns = source.c
    for chunk in capture.chunks(wanted):
        for row in session.execute(select(source).where(columns.id.in_(chunk))).mappings():
            labels[row["id"]] = _label_of(session, table, row)
    return labels


def _label_of(session: Session, table: str, row: Any) -> str:
    if table in PEOPLE:
        name = " ".join(str(row[key]) for key in ("first_name", "last_name") if row.get(key))
        return f"{name} ({row['reference']})" if name else str(row["reference"])
    if row.get("reference"):
        return str(row["reference"])
    if row.get("title"):
        return str(row["title"])
    if row.get("family_id"):
        family = pl.table("family")
        reference = session.scalar(
            select(family.c.reference).where(family.c.id == row["family_id"])
        )
        if reference:
            return _("{record} of family {reference}").format(
                record=table_label(table), reference=reference
            )
    if row.get("activity_id"):
        activity = pl.table("activity")
        reference = session.scalar(
            select(activity.c.reference).where(activity.c.id == row["activity_id"])
        )
        if reference:
            return _("{record} of activity {reference}").format(
                record=table_label(table), reference=reference
            )
    return table_label(table)


def _shown(field: str, value: Any) -> str:
    """A candidate as a person reads it (as the subject access report shows values)."""
    return _("(empty)") if value is None else value_text(field, value)


def may_see(actor: CurrentUser, table: str) -> bool:
    return table not in NOTES_TABLES or can(actor, Permission.READ_CASE_NOTES)


def conflicts(session: Session, actor: CurrentUser) -> list[ConflictInfo]:
    """Every field changed differently on two copies, waiting for a person to choose."""
    require(actor, Permission.SYNC_EXCHANGE)
    me = capture.this_device(session)
    devices = {str(d.id): d.name for d in session.scalars(select(SyncDevice))}
    rows = session.execute(
        select(SyncField.table_name, SyncField.row_id, SyncField.field, SyncField.candidates)
        .where(SyncField.candidates.is_not(None))
        .order_by(SyncField.table_name, SyncField.row_id, SyncField.field)
    ).all()
    pending: list[tuple[str, uuid.UUID, str, tuple[Candidate, ...]]] = []
    for table, row_id, field, stored in rows:
        if field in LATEST_WINS or not stored or not may_see(actor, table):
            continue
        distinct = choices(stored_candidates(stored))
        if len(distinct) > 1:
            pending.append((table, row_id, field, distinct))
    labels: dict[str, dict[uuid.UUID, str]] = {}
    for table in {item[0] for item in pending}:
        labels[table] = _record_labels(session, table, {i[1] for i in pending if i[0] == table})
    order = {name: index for index, name in enumerate(SYNCED_TABLES)}
    found = []
    for table, row_id, field, distinct in pending:
        if row_id not in labels[table]:
            continue  # the row is gone (a tombstone wins over a conflict)
        column = pl.table(table).c[field]
        shown = []
        for index, candidate in enumerate(distinct):
            value = values.decode(column, candidate.value)
            shown.append(
                ConflictCandidate(
                    value=value,
                    text=_shown(field, value),
                    device_id=candidate.dot.device,
                    device_name=device_label(devices.get(candidate.dot.device, "")),
                    is_mine=candidate.dot.device == str(me.id),
                    current=index == 0,
                )
            )
        found.append(
            ConflictInfo(
                table,
                row_id,
                field,
                labels[table][row_id],
                _field_label(field),
                table_label(table),
                tuple(shown),
            )
        )
    found.sort(key=lambda c: (order.get(c.table, 99), c.record_label, c.field))
    return found


def _refresh_search_words(session: Session, table: str, row_id: uuid.UUID) -> None:
    """A family's reference or a member's name decided: its search words follow."""
    if table == "family":
        search_terms.refresh(session, [row_id])
    elif table in PEOPLE:
        source = pl.table(table)
        family_id = session.scalar(select(source.c.family_id).where(source.c.id == row_id))
        if family_id is not None:
            search_terms.refresh(session, [family_id])


def resolve(
    db: Database, actor: CurrentUser, table: str, row_id: uuid.UUID, field: str, value: Any
) -> None:
    """Decide a conflict: ``value`` (one of the candidates, or an edited value) wins everywhere.

    It is a new write on this copy: its dot is newer than every candidate, so it replaces
    them on each copy the next bundles reach.
    """
    require(actor, Permission.SYNC_EXCHANGE)
    if table not in SYNCED_TABLES:
        raise UserInputError(_("{table} is not a synchronised table.").format(table=table))
    if table in NOTES_TABLES:
        require(actor, Permission.WRITE_CASE_NOTES)
    source = pl.table(table)
    if field not in source.c or source.c[field].primary_key:
        raise UserInputError(_("{field} is not a field of this record.").format(field=field))
    column = source.c[field]
    if isinstance(value, str) and values._kind(column.type) not in ("str", "json", "enum"):
        value = values.decode(column, value)
    with db.session() as session:
        state = read_states(session, table, [row_id]).get(row_id)
        if state is None or state.deleted:
            raise RecordNotFound(_("This record no longer exists; there is nothing to decide."))
        changes: dict[str, Any] = {field: value}
        if "updated_at" in source.c and field != "updated_at":
            changes["updated_at"] = utcnow()
        session.connection().execute(update(source).where(source.c.id == row_id).values(changes))
        capture.record_fields(session, table, row_id, [field])
        _refresh_search_words(session, table, row_id)
        audit.record_by(
            session,
            actor,
            "sync_resolve",
            AUDIT_OBJECTS.get(table, table),
            row_id,
            f"field={field}",
        )
        session.expire_all()
