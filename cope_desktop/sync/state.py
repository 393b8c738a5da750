"""Reading and writing the ``RowState`` of synced rows (the row's columns plus its metadata).

A row without ``sync_row`` is a genesis row (``vv = {}``); a field without ``sync_field``
holds one candidate with the genesis dot. Values in a ``RowState`` are JSON values
(``sync/values.py``).

``write_states`` is what an import does after ``merge``: it runs its statements on the
session's connection, so the capture listeners never see them, and it stamps every row with
this transaction's local ``seq`` (so the change travels on to other copies). Objects the
session has already loaded may be stale afterwards: call ``session.expire_all()``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from cope_desktop.db.models import SyncField, SyncRow
from cope_desktop.sync import capture
from cope_desktop.sync.capture import EVERY_FIELD, chunks
from cope_desktop.sync.model import (
    GENESIS_DOT,
    SYNCED_TABLES,
    Candidate,
    Dot,
    RowState,
    storable,
    stored_candidates,
    winner,
)
from cope_desktop.sync.values import decode, encode

_ORDER = {name: index for index, name in enumerate(SYNCED_TABLES)}


def read_states(
    session: Session, table: str, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, RowState]:
    """The state of each row of ``ids`` this copy has (live rows and tombstones)."""
    source = capture.synced_table(table)
    fields = capture.fields_of(table)
    conn = session.connection()
    states: dict[uuid.UUID, RowState] = {}
    for chunk in chunks(ids):
        rows = {row.id: row for row in conn.execute(select(source).where(source.c.id.in_(chunk)))}
        meta = {
            row.row_id: row
            for row in conn.execute(
                select(SyncRow.row_id, SyncRow.vv, SyncRow.deleted).where(
                    SyncRow.table_name == table, SyncRow.row_id.in_(chunk)
                )
            )
        }
        dots: dict[uuid.UUID, dict[str, Any]] = {}
        for found in conn.execute(
            select(
                SyncField.row_id,
                SyncField.field,
                SyncField.device,
                SyncField.counter,
                SyncField.candidates,
            ).where(SyncField.table_name == table, SyncField.row_id.in_(chunk))
        ):
            dots.setdefault(found.row_id, {})[found.field] = found
        for row_id in chunk:
            row = rows.get(row_id)
            info = meta.get(row_id)
            vv = dict(info.vv or {}) if info is not None else {}
            if row is None:
                if info is not None and info.deleted:
                    states[row_id] = RowState(vv, {}, True)
                continue
            mapping = row._mapping
            own = dots.get(row_id, {})
            every = own.get(EVERY_FIELD)
            default = Dot(str(every.device), every.counter) if every else GENESIS_DOT
            values: dict[str, tuple[Candidate, ...]] = {}
            for name in fields:
                stored = own.get(name)
                if stored is not None and stored.candidates:
                    values[name] = stored_candidates(stored.candidates)
                    continue
                dot = Dot(str(stored.device), stored.counter) if stored else default
                values[name] = (Candidate(encode(source.c[name], mapping[name]), dot),)
            states[row_id] = RowState(vv, values, False)
    return states


def write_state(session: Session, table: str, row_id: uuid.UUID, state: RowState) -> None:
    """Make the row (and its metadata) what ``state`` says; see ``write_states``."""
    write_states(session, table, {row_id: state})


def write_states(session: Session, table: str, states: Mapping[uuid.UUID, RowState]) -> None:
    """Upsert each row's columns (the winning candidates) and metadata; delete tombstones.

    A tombstone deletes only that row: rows that depend on it must be written (as
    tombstones) or deleted first. ``sync_row.seq`` becomes this transaction's local seq.
    """
    if not states:
        return
    source = capture.synced_table(table)
    conn = session.connection()
    seq = capture.transaction_seq(session)
    live = {row_id: state for row_id, state in states.items() if not state.deleted}
    dead = [row_id for row_id, state in states.items() if state.deleted]
    for chunk in chunks(dead):
        conn.execute(delete(source).where(source.c.id.in_(chunk)))
    _write_columns(conn, source, live)
    _write_meta(conn, table, states, seq)


def _write_columns(conn: Connection, source: Table, states: Mapping[uuid.UUID, RowState]) -> None:
    if not states:
        return
    existing: set[uuid.UUID] = set()
    for chunk in chunks(states):
        existing.update(conn.scalars(select(source.c.id).where(source.c.id.in_(chunk))))
    inserts: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, state in states.items():
        names = tuple(sorted(name for name in state.fields if name in source.c))
        values = {name: decode(source.c[name], state.value(name)) for name in names}
        if row_id in existing:
            bound = {f"v_{name}": value for name, value in values.items()}
            updates.setdefault(names, []).append({"v__id": row_id, **bound})
        else:
            inserts.setdefault(names, []).append({"id": row_id, **values})
    for rows in inserts.values():
        conn.execute(insert(source), rows)
    for names, rows in updates.items():
        if not names:
            continue
        statement = (
            update(source)
            .where(source.c.id == bindparam("v__id", type_=source.c.id.type))
            .values({name: bindparam(f"v_{name}", type_=source.c[name].type) for name in names})
        )
        conn.execute(statement, rows)


def _stored(candidates: tuple[Candidate, ...]) -> list[dict[str, Any]] | None:
    return storable(candidates) if len(candidates) > 1 else None


def _write_meta(
    conn: Connection, table: str, states: Mapping[uuid.UUID, RowState], seq: int
) -> None:
    for chunk in chunks(states):
        conn.execute(
            delete(SyncField).where(SyncField.table_name == table, SyncField.row_id.in_(chunk))
        )
    capture.put_sync_rows(
        conn, table, [(row_id, s.vv, s.deleted) for row_id, s in states.items()], seq
    )
    fields: list[dict[str, Any]] = []
    for row_id, state in states.items():
        if not state.deleted:
            fields += _field_rows(table, row_id, state)
    # Rows without candidates leave the column out: given None, the JSON type would store
    # the text 'null', not SQL NULL (which is what capture writes and conflicts look for).
    plain = [row for row in fields if "candidates" not in row]
    conflicting = [row for row in fields if "candidates" in row]
    for rows in (plain, conflicting):
        if rows:
            conn.execute(insert(SyncField), rows)


def _field_rows(table: str, row_id: uuid.UUID, state: RowState) -> list[dict[str, Any]]:
    """The sync_field rows of a live state: the most common dot once as "*", then the rest."""
    singles = Counter(c[0].dot for c in state.fields.values() if len(c) == 1)
    common = singles.most_common(1)[0][0] if singles else GENESIS_DOT
    rows = []
    if common != GENESIS_DOT:
        rows.append(_field_row(table, row_id, EVERY_FIELD, common, None))
    for name, candidates in state.fields.items():
        if not candidates or (len(candidates) == 1 and candidates[0].dot == common):
            continue
        best = winner(candidates)
        rows.append(_field_row(table, row_id, name, best.dot, _stored(candidates)))
    return rows


def _field_row(
    table: str, row_id: uuid.UUID, name: str, dot: Dot, stored: list[dict[str, Any]] | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "table_name": table,
        "row_id": row_id,
        "field": name,
        "device": uuid.UUID(dot.device),
        "counter": dot.counter,
    }
    if stored is not None:
        row["candidates"] = stored
    return row


def changed_since(session: Session, seq: int) -> Iterator[tuple[str, uuid.UUID]]:
    """Synced rows changed here after local sequence ``seq``, parents before children."""
    found = session.connection().execute(
        select(SyncRow.table_name, SyncRow.row_id).where(SyncRow.seq > seq)
    )
    rows = sorted(
        ((table, row_id) for table, row_id in found if table in _ORDER),
        key=lambda item: (_ORDER[item[0]], item[1]),
    )
    yield from rows
