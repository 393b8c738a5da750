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
from collections.abc import Callable
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


Convert = Callable[[Any], Any]


def encode_datetime(value: dt.datetime) -> str:
    """A timestamp as ISO text in UTC with microseconds (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def encode_bytes(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def decode_datetime(text: str) -> dt.datetime:
    """The aware timestamp ``encode_datetime`` wrote (text without an offset is UTC)."""
    parsed = dt.datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


_ENCODERS: dict[str, Convert] = {
    "uuid": str,
    "datetime": encode_datetime,
    "date": lambda value: value.isoformat(),
    "time": lambda value: value.isoformat(),
    "enum": lambda value: str(value.value) if isinstance(value, enum.Enum) else str(value),
    "bool": bool,
    "int": int,
    "bytes": encode_bytes,
}
"""Per kind, the JSON form of a value (kinds not listed are JSON already)."""

_DECODERS: dict[str, Convert] = {
    "uuid": lambda value: uuid.UUID(str(value)),
    "datetime": decode_datetime,
    "date": lambda value: dt.date.fromisoformat(str(value)),
    "time": lambda value: dt.time.fromisoformat(str(value)),
    "bool": bool,
    "int": int,
    "bytes": lambda value: base64.b64decode(str(value)),
}
"""Per kind, the Python value of a JSON form (enums need their column: see ``decoder``)."""


def encoder(column: AnyColumn) -> Convert | None:
    """``encode`` for one column, chosen once for many values (None: the value is JSON)."""
    return _ENCODERS.get(_kind(column.type))


def decoder(column: AnyColumn) -> Convert | None:
    """``decode`` for one column, chosen once for many values (None: the value is as stored)."""
    type_ = column.type
    kind = _kind(type_)
    if kind == "enum":
        assert isinstance(type_, Enum)
        enum_class = type_.enum_class
        return enum_class if enum_class is not None else str
    return _DECODERS.get(kind)


def encode(column: AnyColumn, value: Any) -> JsonValue:
    """The JSON form of ``value`` held in ``column``."""
    convert = encoder(column)
    return value if value is None or convert is None else convert(value)


def decode(column: AnyColumn, value: JsonValue) -> Any:
    """The Python value of ``column`` that ``encode`` turned into ``value``."""
    convert = decoder(column)
    return value if value is None or convert is None else convert(value)
