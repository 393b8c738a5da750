"""Column values as JSON and back, for every column type a synced table uses.

Bundles carry, and ``sync_field.candidates`` stores, JSON values: UUIDs, dates, times and
timestamps as ISO strings (timestamps always in UTC with microseconds, so they also sort
as text), enums as their codes, bytes as base64. ``decode(column, encode(column, v)) == v``.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Enum, Integer, LargeBinary, Time
from sqlalchemy.sql.schema import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

from cope_desktop.db.base import UTCDateTime, UUIDType

JsonValue = Any
"""None, bool, int, float, str, or lists and dicts of them."""

AnyColumn = Column[Any] | ColumnElement[Any]


def _kind(type_: TypeEngine[Any]) -> str:
    if isinstance(type_, UUIDType):
        return "uuid"
    if isinstance(type_, UTCDateTime | DateTime):
        return "datetime"
    if isinstance(type_, Enum):
        return "enum"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, Time):
        return "time"
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, Integer):
        return "int"
    if isinstance(type_, JSON):
        return "json"
    if isinstance(type_, LargeBinary):
        return "bytes"
    if isinstance(type_, TypeDecorator):
        return _kind(type_.impl_instance)
    return "str"


def encode(column: AnyColumn, value: Any) -> JsonValue:
    """The JSON form of ``value`` held in ``column``."""
    if value is None:
        return None
    kind = _kind(column.type)
    if kind == "uuid":
        return str(value)
    if kind == "datetime":
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return str(value.astimezone(dt.UTC).isoformat(timespec="microseconds"))
    if kind in ("date", "time"):
        return str(value.isoformat())
    if kind == "enum":
        return str(value.value) if isinstance(value, enum.Enum) else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def decode(column: AnyColumn, value: JsonValue) -> Any:
    """The Python value of ``column`` that ``encode`` turned into ``value``."""
    if value is None:
        return None
    type_ = column.type
    kind = _kind(type_)
    if kind == "uuid":
        return uuid.UUID(str(value))
    if kind == "datetime":
        parsed = dt.datetime.fromisoformat(str(value))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "time":
        return dt.time.fromisoformat(str(value))
    if kind == "enum":
        assert isinstance(type_, Enum)
        enum_class = type_.enum_class
        return enum_class(value) if enum_class is not None else str(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "bytes":
        return base64.b64decode(str(value))
    return value
