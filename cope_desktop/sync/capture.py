"""Recording every local change of a synced row: its version vector and its fields' dots.

Listeners on the SQLAlchemy ``Session`` class (registered once, when this module is
imported) see every flush and every ORM ``insert``/``update``/``delete`` statement run
through a session. Each transaction that changes synced rows takes one **dot**: the self
device's next ``counter`` (and the next local ``seq``). Every changed row gets
``sync_row.vv[self] = counter`` and ``seq``; every written column a ``sync_field`` row with
the dot (updates: the columns that changed; an inserted row: one row of field ``"*"``, the
dot of every field without a row of its own, which keeps inserts cheap); a deleted row
becomes a tombstone. Nothing is recorded while ``session.info["sync_applying"]`` is true (an import
writes the metadata itself, through ``sync/state.py``).

Statements run on a ``Connection`` directly (demo bulk loading, migrations) are not seen:
those rows stay **genesis** rows.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Table, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, SessionTransaction, UOWTransaction

from cope_desktop.db.base import Base
from cope_desktop.db.models import SyncDevice, SyncField
from cope_desktop.sync.model import SYNCED_TABLES, Dot

APPLYING = "sync_applying"
"""``session.info`` key: true while an import writes rows (no capture)."""

_SELF = "sync_self"
_DOT = "sync_dot"
_SEQ = "sync_seq"
_OWNER = "sync_owner"

CHUNK = 500
"""Ids per ``IN (…)`` list."""

_SYNCED = frozenset(SYNCED_TABLES)

T = TypeVar("T")

EVERY_FIELD = "*"
"""``sync_field.field`` of the dot of every field that has no row of its own (a new row)."""
_NEW_ROW = frozenset({EVERY_FIELD})


class ThisDevice(NamedTuple):
    id: uuid.UUID
    tag: str


# --- tables and columns ------------------------------------------------------------------


def synced_table(name: str) -> Table:
    """The ``Table`` of a synced table name."""
    return Base.metadata.tables[name]


def fields_of(table_name: str) -> tuple[str, ...]:
    """The synced fields of a table: every column but the primary key ``id``."""
    return _FIELDS[table_name]


_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(column.name for column in synced_table(name).columns if not column.primary_key)
    for name in SYNCED_TABLES
}

_MAPPED: dict[type, tuple[str, dict[str, str], bool] | None] = {}


def _mapping(cls: type) -> tuple[str, dict[str, str], bool] | None:
    """For a mapped class of a synced table: its table, attribute → column, has updated_at."""
    if cls not in _MAPPED:
        mapper: Mapper[Any] = inspect(cls)
        table = mapper.local_table
        name = getattr(table, "name", "")
        if name not in _SYNCED:
            _MAPPED[cls] = None
        else:
            columns = {
                prop.key: prop.columns[0].name
                for prop in mapper.column_attrs
                if not prop.columns[0].primary_key
            }
            _MAPPED[cls] = (name, columns, "updated_at" in _FIELDS[name])
    return _MAPPED[cls]


# --- this device, its dot and sequence ----------------------------------------------------


def this_device(session: Session) -> ThisDevice:
    """Return this copy's device id and reference tag ("" on the original database)."""
    cached = session.info.get(_SELF)
    if cached is None:
        cached = _load_self(session.connection())
        session.info[_SELF] = cached
    return ThisDevice(*cached)


def _load_self(conn: Connection) -> tuple[uuid.UUID, str]:
    row = conn.execute(
        select(SyncDevice.id, SyncDevice.tag).where(SyncDevice.is_self.is_(True)).limit(1)
    ).first()
    if row is not None:
        return row.id, row.tag
    # A schema built without migration 0006's data (tests that create tables directly).
    device_id = uuid.uuid4()
    conn.execute(
        insert(SyncDevice).values(id=device_id, name="", tag="", is_self=True, counter=0, seq=0)
    )
    return device_id, ""


def _owner(session: Session) -> SessionTransaction | None:
    """The transaction a dot belongs to: the innermost savepoint, else the outermost one."""
    return session.get_nested_transaction() or session.get_transaction()


def transaction_seq(session: Session) -> int:
    """The local change sequence of this transaction (taken once, on first use)."""
    seq = session.info.get(_SEQ)
    if seq is None:
        device = this_device(session)
        conn = session.connection()
        conn.execute(
            update(SyncDevice).where(SyncDevice.id == device.id).values(seq=SyncDevice.seq + 1)
        )
        seq = conn.execute(select(SyncDevice.seq).where(SyncDevice.id == device.id)).scalar_one()
        session.info[_SEQ] = seq
        session.info[_OWNER] = _owner(session)
    return int(seq)


def transaction_dot(session: Session) -> Dot:
    """The dot of this transaction's local writes (the self device's next counter)."""
    dot = session.info.get(_DOT)
    if dot is None:
        transaction_seq(session)
        device = this_device(session)
        conn = session.connection()
        conn.execute(
            update(SyncDevice)
            .where(SyncDevice.id == device.id)
            .values(counter=SyncDevice.counter + 1)
        )
        counter = conn.execute(
            select(SyncDevice.counter).where(SyncDevice.id == device.id)
        ).scalar_one()
        dot = Dot(str(device.id), counter)
        session.info[_DOT] = dot
    assert isinstance(dot, Dot)
    return dot


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A dot and a sequence never outlive the transaction (or savepoint) that took them."""
    if transaction.parent is None or session.info.get(_OWNER) is transaction:
        for key in (_DOT, _SEQ, _OWNER):
            session.info.pop(key, None)
    if transaction.parent is None:
        session.info.pop(_SELF, None)


# --- what changed -------------------------------------------------------------------------


@dataclass
class Changes:
    """Rows of one statement or flush: written fields of live rows, and deleted rows."""

    written: dict[str, dict[uuid.UUID, frozenset[str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    deleted: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))

    def write(self, table: str, row_id: uuid.UUID, fields: Iterable[str]) -> None:
        self.write_many(table, (row_id,), frozenset(fields))

    def write_many(self, table: str, ids: Iterable[uuid.UUID], fields: frozenset[str]) -> None:
        rows = self.written[table]
        for row_id in ids:
            known = rows.get(row_id)
            rows[row_id] = fields if known is None else known | fields

    def delete(self, table: str, row_id: uuid.UUID) -> None:
        self.deleted[table].add(row_id)
        self.written[table].pop(row_id, None)

    def __bool__(self) -> bool:
        return any(self.written.values()) or any(self.deleted.values())


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get(APPLYING):
        return
    changes = Changes()
    for obj in session.new:
        mapping = _mapping(type(obj))
        if mapping is not None:
            changes.write(mapping[0], obj.id, (EVERY_FIELD,))
    for obj in session.dirty:
        mapping = _mapping(type(obj))
        if mapping is not None:
            fields = _changed_fields(obj, mapping[1])
            if fields:
                if mapping[2]:
                    fields.add("updated_at")
                changes.write(mapping[0], obj.id, fields)
    for obj in session.deleted:
        mapping = _mapping(type(obj))
        if mapping is not None:
            changes.delete(mapping[0], obj.id)
    if changes:
        record(session, changes)


def _changed_fields(obj: object, columns: Mapping[str, str]) -> set[str]:
    state = inspect(obj)
    return {
        columns[key]
        for key in list(state.committed_state)
        if key in columns and state.attrs[key].history.has_changes()
    }


@event.listens_for(Session, "do_orm_execute")
def _on_execute(orm_state: ORMExecuteState) -> Any:
    if not (orm_state.is_insert or orm_state.is_update or orm_state.is_delete):
        return None
    session = orm_state.session
    if session.info.get(APPLYING):
        return None
    statement: Any = orm_state.statement
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name not in _SYNCED:
        return None
    assert isinstance(table, Table)
    params = orm_state.parameters
    rows: Sequence[dict[str, Any]] = (
        [params] if isinstance(params, dict) else list(params or ())  # type: ignore[arg-type]
    )
    changes = Changes()
    if orm_state.is_insert:
        result = _capture_insert(orm_state, name, rows, changes)
    elif rows and all("id" in row for row in rows):
        # Bulk UPDATE (or DELETE) by primary key: one parameter dict per row.
        result = orm_state.invoke_statement()
        written: dict[frozenset[str], frozenset[str]] = {}
        for row in rows:
            if orm_state.is_delete:
                changes.delete(name, row["id"])
                continue
            keys = frozenset(row)
            if keys not in written:
                written[keys] = frozenset(_statement_fields(name, keys))
            changes.write_many(name, (row["id"],), written[keys])
    else:
        ids = _matching_ids(session, table, statement.whereclause)
        result = orm_state.invoke_statement()
        fields = () if orm_state.is_delete else _statement_fields(name, _value_keys(statement))
        if orm_state.is_delete:
            for row_id in ids:
                changes.delete(name, row_id)
        else:
            changes.write_many(name, ids, frozenset(fields))
    if changes:
        record(session, changes)
    return result


def _capture_insert(
    orm_state: ORMExecuteState, name: str, rows: Sequence[dict[str, Any]], changes: Changes
) -> Any:
    statement: Any = orm_state.statement
    if rows:
        for row in rows:
            row.setdefault("id", uuid.uuid4())
        ids = [row["id"] for row in rows]
    else:
        values = {_key_name(key): value for key, value in (statement._values or {}).items()}
        if "id" in values:
            ids = [getattr(values["id"], "value", values["id"])]
        else:
            ids = [uuid.uuid4()]
            orm_state.statement = statement.values(id=ids[0])
    result = orm_state.invoke_statement()
    changes.write_many(name, ids, _NEW_ROW)
    return result


def _key_name(key: Any) -> str:
    return str(getattr(key, "name", None) or getattr(key, "key", None) or key)


def _value_keys(statement: Any) -> list[str]:
    keys = list((statement._values or {}).keys())
    keys += [key for key, _value in (getattr(statement, "_ordered_values", None) or ())]
    return [_key_name(key) for key in keys]


def _statement_fields(name: str, keys: Iterable[str]) -> set[str]:
    fields = set(_FIELDS[name])
    written = {key for key in keys if key in fields}
    if written and "updated_at" in fields:
        written.add("updated_at")
    return written


def _matching_ids(session: Session, table: Table, whereclause: Any) -> list[uuid.UUID]:
    """The ids an UPDATE or DELETE with this WHERE clause is about to change."""
    if session.autoflush:
        session.flush()
    query = select(table.c.id)
    if whereclause is not None:
        query = query.where(whereclause)
    return list(session.connection().scalars(query))


# --- writing the metadata ------------------------------------------------------------------


def record(session: Session, changes: Changes) -> None:
    """Give the changed rows this transaction's dot (a local write)."""
    dot = transaction_dot(session)
    seq = transaction_seq(session)
    conn = session.connection()
    for table, rows in changes.written.items():
        if not rows:
            continue
        touch_rows(conn, table, list(rows), dot, seq, deleted=False)
        by_fields: dict[frozenset[str], list[uuid.UUID]] = defaultdict(list)
        for row_id, fields in rows.items():
            by_fields[frozenset(fields)].append(row_id)
        for field_set, ids in by_fields.items():
            write_dots(conn, table, ids, sorted(field_set), dot)
    for table, gone in changes.deleted.items():
        if gone:
            touch_rows(conn, table, list(gone), dot, seq, deleted=True)
            drop_fields(conn, table, list(gone))


def record_fields(session: Session, table: str, row_id: uuid.UUID, fields: Collection[str]) -> None:
    """Record ``fields`` of a row as written now, changed or not (resolving a conflict)."""
    changes = Changes()
    changes.write(table, row_id, set(fields) | ({"updated_at"} & set(_FIELDS[table])))
    record(session, changes)


def chunks(items: Collection[T]) -> Iterator[list[T]]:
    """``items`` in lists of ``CHUNK``, for ``IN (…)`` lists."""
    listed = list(items)
    for start in range(0, len(listed), CHUNK):
        yield listed[start : start + CHUNK]


def _marker(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _stored_id(conn: Connection, value: uuid.UUID) -> Any:
    """A UUID in its storage form: 16 bytes on SQLite (see ``UUIDType``)."""
    return value.bytes if conn.dialect.name == "sqlite" else value


def _loaded_id(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(bytes=bytes(value))


def _in_list(conn: Connection, count: int) -> str:
    return "(" + ", ".join([_marker(conn)] * count) + ")"


def _existing_vvs(conn: Connection, table: str, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The stored ``vv`` (JSON text) of each row of ``ids`` that has a sync_row."""
    mark = _marker(conn)
    existing: dict[uuid.UUID, Any] = {}
    for chunk in chunks(ids):
        found = conn.exec_driver_sql(
            f"SELECT row_id, vv FROM sync_row WHERE table_name = {mark} "
            f"AND row_id IN {_in_list(conn, len(chunk))}",
            (table, *(_stored_id(conn, row_id) for row_id in chunk)),
        )
        existing.update((_loaded_id(row_id), vv) for row_id, vv in found)
    return existing


def _upsert_sync_rows(
    conn: Connection,
    table: str,
    rows: Sequence[tuple[uuid.UUID, str, bool]],
    existing: Collection[uuid.UUID],
    seq: int,
) -> None:
    """Insert or update sync_row ``(row id, vv as JSON text, deleted)`` with ``seq``.

    Rows go to the driver's ``executemany`` in their storage form (as
    ``search_terms.rebuild_all`` does): through the ORM's type processing, an import of
    thousands of rows would be several times slower.
    """
    mark = _marker(conn)
    new_rows = [
        (table, _stored_id(conn, row_id), vv, deleted, seq)
        for row_id, vv, deleted in rows
        if row_id not in existing
    ]
    old_rows = [
        (vv, seq, deleted, table, _stored_id(conn, row_id))
        for row_id, vv, deleted in rows
        if row_id in existing
    ]
    if new_rows:
        conn.exec_driver_sql(
            "INSERT INTO sync_row (table_name, row_id, vv, deleted, seq) "
            f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark})",
            new_rows,
        )
    if old_rows:
        conn.exec_driver_sql(
            f"UPDATE sync_row SET vv = {mark}, seq = {mark}, deleted = {mark} "
            f"WHERE table_name = {mark} AND row_id = {mark}",
            old_rows,
        )


def touch_rows(
    conn: Connection,
    table: str,
    ids: Sequence[uuid.UUID],
    dot: Dot,
    seq: int,
    *,
    deleted: bool,
) -> None:
    """Set ``vv[dot.device] = dot.counter``, ``seq`` and ``deleted`` on each row's sync_row.

    Rows with the same old vector share one new JSON text.
    """
    existing = _existing_vvs(conn, table, ids)
    texts: dict[str | None, str] = {}

    def new_vv(old: str | None) -> str:
        if old not in texts:
            vv = dict(json.loads(old)) if isinstance(old, str) else dict(old or {})
            vv[dot.device] = max(int(vv.get(dot.device, 0)), dot.counter)
            texts[old] = json.dumps(vv)
        return texts[old]

    flag = bool(deleted)
    rows = [(row_id, new_vv(existing.get(row_id)), flag) for row_id in ids]
    _upsert_sync_rows(conn, table, rows, existing, seq)


def put_sync_rows(
    conn: Connection,
    table: str,
    rows: Sequence[tuple[uuid.UUID, Mapping[str, int], bool]],
    seq: int,
) -> None:
    """Upsert sync_row ``(row id, vv, deleted)`` of ``table`` with ``seq`` (an import)."""
    existing = _existing_vvs(conn, table, [row_id for row_id, _vv, _deleted in rows])
    texts = [(row_id, json.dumps(dict(vv)), bool(deleted)) for row_id, vv, deleted in rows]
    _upsert_sync_rows(conn, table, texts, existing, seq)


def write_dots(
    conn: Connection, table: str, ids: Sequence[uuid.UUID], fields: Sequence[str], dot: Dot
) -> None:
    """Give ``fields`` of every row in ``ids`` the single candidate of ``dot``."""
    mark = _marker(conn)
    device = _stored_id(conn, uuid.UUID(dot.device))
    for chunk in chunks(ids):
        sql = (
            f"DELETE FROM sync_field WHERE table_name = {mark} "
            f"AND row_id IN {_in_list(conn, len(chunk))}"
        )
        params: list[Any] = [table, *(_stored_id(conn, row_id) for row_id in chunk)]
        if EVERY_FIELD not in fields:
            # A new row's "*" replaces every field; otherwise only the fields written.
            sql += f" AND field IN {_in_list(conn, len(fields))}"
            params += fields
        conn.exec_driver_sql(sql, tuple(params))
    conn.exec_driver_sql(
        "INSERT INTO sync_field (table_name, row_id, field, device, counter, candidates) "
        f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, NULL)",
        [
            (table, _stored_id(conn, row_id), name, device, dot.counter)
            for row_id in ids
            for name in fields
        ],
    )


def drop_fields(conn: Connection, table: str, ids: Sequence[uuid.UUID]) -> None:
    for chunk in chunks(ids):
        conn.execute(
            delete(SyncField).where(SyncField.table_name == table, SyncField.row_id.in_(chunk))
        )
