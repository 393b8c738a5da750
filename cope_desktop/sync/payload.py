"""Reading synced rows and their metadata in bulk, as the payload of a bundle carries them.

A table travels as ``{"columns": [...], "rows": [[...]], "meta": {id: [vv, fields]},
"deleted": {id: vv}}``: values in the JSON form of ``sync/values.py``; ``meta`` only for rows
that have metadata (genesis rows have none); ``fields`` maps a field (or ``"*"``: every field
without an entry of its own) to ``[device, counter]``, or to its candidates
``[{"value", "device", "counter"}, ...]`` while it is in conflict.
Core selects, not ORM objects: a full bundle of the large demo database reads ~450,000 rows.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from cope_desktop.db.base import Base
from cope_desktop.db.models.sync import SyncDevice, SyncField, SyncRow
from cope_desktop.sync import values
from cope_desktop.sync.capture import EVERY_FIELD, chunks
from cope_desktop.sync.model import GENESIS_DOT, Candidate, Dot, RowState, stored_candidates

Encoder = values.Convert


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def encode_rows(tbl: Table, rows: Iterable[Any]) -> list[list[Any]]:
    encoders = [values.encoder(column) for column in tbl.columns]
    out: list[list[Any]] = []
    for row in rows:
        out.append(
            [
                value if value is None or fn is None else fn(value)
                for value, fn in zip(row, encoders, strict=True)
            ]
        )
    return out


def field_meta(device: uuid.UUID, counter: int, candidates: Any) -> Any:
    if candidates:
        return list(candidates)
    return [str(device), int(counter)]


def _uuid_text(raw: Any) -> str:
    text = bytes(raw).hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _datetime_text(raw: Any) -> str:
    if isinstance(raw, str) and len(raw) == 26 and raw[10] == " ":
        return f"{raw[:10]}T{raw[11:]}+00:00"  # SQLite's storage form, always UTC
    value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    return values.encode_datetime(value)


def _date_text(raw: Any) -> str:
    if isinstance(raw, str) and len(raw) == 10:
        return raw
    return dt.date.fromisoformat(str(raw)[:10]).isoformat()


def _json_value(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str | bytes) else raw


_FROM_STORAGE: dict[str, Encoder] = {
    "uuid": _uuid_text,
    "datetime": _datetime_text,
    "date": _date_text,
    "time": lambda raw: dt.time.fromisoformat(str(raw)).isoformat(),
    "enum": str,
    "bool": bool,
    "int": int,
    "bytes": values.encode_bytes,
    "json": _json_value,
}


def _storage_datetime(text: str) -> str:
    if len(text) == 32 and text[10] == "T" and text.endswith("+00:00"):
        return f"{text[:10]} {text[11:26]}"
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


_TO_STORAGE: dict[str, Encoder] = {
    "uuid": lambda text: bytes.fromhex(str(text).replace("-", "")),
    "datetime": _storage_datetime,
    "date": str,
    "time": lambda text: dt.time.fromisoformat(str(text)).strftime("%H:%M:%S.%f"),
    "enum": str,
    "bool": int,
    "int": int,
    "bytes": lambda text: base64.b64decode(str(text)),
    "json": json.dumps,
}


def storage_rows(tbl: Table, columns: list[str], rows: Iterable[list[Any]]) -> list[list[Any]]:
    """JSON-form rows as SQLite stores them (for ``exec_driver_sql``, no type processing)."""
    converters = [_TO_STORAGE.get(values._kind(tbl.c[name].type)) for name in columns]
    return [
        [
            value if value is None or fn is None else fn(value)
            for value, fn in zip(row, converters, strict=True)
        ]
        for row in rows
    ]


def insert_raw(session: Session, tbl: Table, columns: list[str], rows: list[list[Any]]) -> None:
    """Insert JSON-form rows in bulk through the driver (the large demo: ~450,000 rows)."""
    if not rows:
        return
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _name in columns)
    statement = f'INSERT INTO "{tbl.name}" ({names}) VALUES ({marks})'
    connection = session.connection()
    for start in range(0, len(rows), 20_000):
        batch = storage_rows(tbl, columns, rows[start : start + 20_000])
        connection.exec_driver_sql(statement, [tuple(row) for row in batch])


def _raw_rows(
    session: Session, tbl: Table, batch: list[uuid.UUID] | None
) -> Iterator[tuple[Any, ...]]:
    names = ", ".join(f'"{column.name}"' for column in tbl.columns)
    statement = f'SELECT {names} FROM "{tbl.name}"'
    connection = session.connection()
    if batch is None:
        yield from connection.exec_driver_sql(statement)
        return
    marks = ", ".join("?" for _id in batch)
    yield from connection.exec_driver_sql(
        f"{statement} WHERE id IN ({marks})", tuple(row_id.bytes for row_id in batch)
    )


def encode_raw_rows(tbl: Table, rows: Iterable[Any]) -> list[list[Any]]:
    """Rows read as SQLite stores them, in the JSON form of ``values.encode``."""
    converters = [_FROM_STORAGE.get(values._kind(column.type)) for column in tbl.columns]
    return [
        [
            value if value is None or fn is None else fn(value)
            for value, fn in zip(row, converters, strict=True)
        ]
        for row in rows
    ]


def read_table(session: Session, name: str, ids: list[uuid.UUID] | None) -> dict[str, Any]:
    """One table's rows (all of them with ``ids`` None), with metadata and tombstones."""
    tbl = table(name)
    columns = [column.name for column in tbl.columns]
    rows: list[list[Any]] = []
    meta: dict[str, list[Any]] = {}
    deleted: dict[str, dict[str, int]] = {}
    row_q = select(SyncRow.row_id, SyncRow.vv, SyncRow.deleted).where(SyncRow.table_name == name)
    field_q = select(
        SyncField.row_id,
        SyncField.field,
        SyncField.device,
        SyncField.counter,
        SyncField.candidates,
    ).where(SyncField.table_name == name)
    batches: Iterable[list[uuid.UUID] | None] = [None] if ids is None else chunks(ids)
    for batch in batches:
        rq, fq = row_q, field_q
        if batch is not None:
            rq = rq.where(SyncRow.row_id.in_(batch))
            fq = fq.where(SyncField.row_id.in_(batch))
        rows.extend(encode_raw_rows(tbl, _raw_rows(session, tbl, batch)))
        fields: dict[uuid.UUID, dict[str, Any]] = {}
        for row_id, field, device, counter, candidates in session.execute(fq):
            fields.setdefault(row_id, {})[field] = field_meta(device, counter, candidates)
        for row_id, vv, is_deleted in session.execute(rq):
            if is_deleted:
                deleted[str(row_id)] = dict(vv or {})
            else:
                meta[str(row_id)] = [dict(vv or {}), fields.get(row_id, {})]
    id_index = columns.index("id")
    present = {row[id_index] for row in rows}
    meta = {key: value for key, value in meta.items() if key in present}
    return {"columns": columns, "rows": rows, "meta": meta, "deleted": deleted}


def remote_states(name: str, data: dict[str, Any]) -> dict[uuid.UUID, RowState]:
    """The states a table's payload describes (live rows and tombstones)."""
    columns: list[str] = data["columns"]
    meta: dict[str, Any] = data.get("meta", {})
    states: dict[uuid.UUID, RowState] = {}
    id_index = columns.index("id")
    for row in data["rows"]:
        row_id = str(row[id_index])
        vv, field_info = meta.get(row_id, ({}, {}))
        fields: dict[str, tuple[Candidate, ...]] = {}
        every = field_info.get(EVERY_FIELD)
        default = Dot(str(every[0]), int(every[1])) if every else GENESIS_DOT
        for index, column in enumerate(columns):
            if index == id_index:
                continue
            info = field_info.get(column)
            if info is None:
                fields[column] = (Candidate(row[index], default),)
            elif info and isinstance(info[0], dict):
                fields[column] = stored_candidates(info)
            else:
                fields[column] = (Candidate(row[index], Dot(str(info[0]), int(info[1]))),)
        states[uuid.UUID(row_id)] = RowState(dict(vv), fields, False)
    for row_id, vv in data.get("deleted", {}).items():
        states[uuid.UUID(row_id)] = RowState(dict(vv), {}, True)
    return states


def self_device(session: Session) -> SyncDevice:
    device = session.scalars(select(SyncDevice).where(SyncDevice.is_self)).first()
    if device is None:  # pragma: no cover - migration 0006 makes it
        raise RuntimeError("this database has no sync device")
    return device
