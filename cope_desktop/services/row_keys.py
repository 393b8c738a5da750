"""Record ids as the driver returns them, for the long lazy lists (families, activities).

A lazy list holds the ordered ids of every matching record: 250,000 on the stress database.
Converting each one to ``uuid.UUID`` costs more than the query that finds them, so the lists
keep the driver's own value (16 bytes on SQLite, a UUID on PostgreSQL), pass it back as a
query parameter as it is, and convert only the few that a person acts on.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, LargeBinary, TypeDecorator, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from cope_desktop.db.base import UUIDType

RowKey = Any
"""A record id as the driver returns it (``bytes`` on SQLite, ``uuid.UUID`` on PostgreSQL)."""


class RawKey(TypeDecorator[Any]):
    """An id as the driver stores it: results are not converted, parameters may be keys.

    Stored like ``UUIDType``; only the Python side differs.
    """

    impl = LargeBinary(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return UUIDType().load_dialect_impl(dialect)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        return UUIDType().process_bind_param(value, dialect)


def raw_key(column: Any) -> ColumnElement[Any]:
    """``column`` (an id column) read and compared as keys."""
    return type_coerce(column, RawKey())


def key_uuid(key: RowKey) -> uuid.UUID:
    """The ``uuid.UUID`` of a key."""
    if isinstance(key, uuid.UUID):
        return key
    return uuid.UUID(bytes=bytes(key))


def key_forms(record_id: uuid.UUID) -> set[Any]:
    """Every form a key of ``record_id`` may take, to find it in a list of keys."""
    return {record_id, record_id.bytes}
