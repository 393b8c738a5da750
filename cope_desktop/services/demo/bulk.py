"""Fast bulk inserts of rows already in SQLite's storage form.

A stress fill writes about 2.3 million rows. Passing ``uuid.UUID`` and ``datetime.date``
objects through SQLAlchemy's bind processors costs more than the inserts themselves, so the
generator builds each value directly in the form SQLAlchemy would store on SQLite (UUIDs as
their 16 bytes, dates as ISO text, booleans as 0/1) and hands tuples to the driver's
``executemany`` through the session's own connection and transaction. ``check_storage_forms``
proves at the start of every fill that these forms are exactly what the models' column types
write, so records read back through the ORM are the same as if they had been added one by one.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, Time
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from cope_desktop.db.base import Base, UTCDateTime, UUIDType
from cope_desktop.services.demo.ids import uuid_bytes

Row = tuple[object, ...]


@cache
def iso_date(ordinal: int) -> str:
    """Write a date, given as its proleptic Gregorian ordinal, in SQLite's storage form."""
    return dt.date.fromordinal(ordinal).isoformat()


@cache
def iso_time(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}:00.000000"


def iso_timestamp(value: dt.datetime) -> str:
    """Write an aware datetime in the storage form of ``UTCDateTime`` (naive UTC text)."""
    utc = value.astimezone(dt.UTC)
    return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def check_storage_forms(dialect: Dialect) -> None:
    """Fail unless the column types store values exactly as this module writes them."""
    our_id = uuid_bytes(random.Random(0).getrandbits(128))
    sample_id = uuid.UUID(bytes=our_id)
    sample_day = dt.date(2024, 2, 29)
    sample_at = dt.datetime(2024, 2, 29, 13, 5, 7, 123456, tzinfo=dt.UTC)
    expected: list[tuple[object, object]] = [
        (_bind(UUIDType(), dialect, sample_id), our_id),
        (_bind(Date(), dialect, sample_day), iso_date(sample_day.toordinal())),
        (_bind(Time(), dialect, dt.time(9, 30)), iso_time(9, 30)),
        (_bind(UTCDateTime(), dialect, sample_at), iso_timestamp(sample_at)),
        (_bind(Boolean(), dialect, True), 1),
    ]
    if dialect.name != "sqlite" or any(stored != ours for stored, ours in expected):
        raise RuntimeError(
            f"demo bulk inserts do not match the {dialect.name} storage forms: {expected}"
        )


def _bind(column_type: TypeEngine[Any], dialect: Dialect, value: object) -> object:
    impl = column_type.dialect_impl(dialect)
    processor = impl.bind_processor(dialect)
    return processor(value) if processor is not None else value


STAMP_COLUMNS = ("created_at", "updated_at")
_STAMP_FORM = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")


class BulkWriter:
    """Buffers rows per table and inserts them, in the order the tables were registered.

    Register parent tables before the tables that refer to them: every flush inserts the
    buffers in registration order, so foreign keys always find their rows. Every row gets
    ``stamp`` (the time of the fill) as its ``created_at`` and ``updated_at``.
    """

    def __init__(self, connection: Connection, stamp: dt.datetime) -> None:
        self._connection = connection
        self._stamp = iso_timestamp(stamp)
        if not _STAMP_FORM.match(self._stamp):  # it is written into the SQL text below
            raise ValueError(f"unexpected timestamp form {self._stamp!r}")
        self._buffers: list[tuple[Table, str, list[Row]]] = []
        self._lists: list[list[Row]] = []
        self.counts: dict[str, int] = {}
        self.written = 0

    def buffer(self, model: type[Base], columns: Sequence[str]) -> list[Row]:
        """Return the list to append rows of ``model`` to, as tuples of values for ``columns``.

        Column defaults of the models do not apply to these inserts, so every required
        column must be given.
        """
        table = model.__table__
        assert isinstance(table, Table)
        stamped = [name for name in STAMP_COLUMNS if name in table.c]
        given = set(columns) | set(stamped)
        unknown = given - set(table.c.keys())
        missing = [
            c.name
            for c in table.c
            if not c.nullable and c.server_default is None and c.name not in given
        ]
        if unknown or missing:
            raise ValueError(f"{table.name}: unknown columns {unknown}, missing {missing}")
        prep = self._connection.dialect.identifier_preparer
        names = ", ".join(prep.format_column(table.c[name]) for name in [*columns, *stamped])
        values = ", ".join(["?"] * len(columns) + [f"'{self._stamp}'"] * len(stamped))
        sql = f"INSERT INTO {prep.format_table(table)} ({names}) VALUES ({values})"
        rows: list[Row] = []
        self._buffers.append((table, sql, rows))
        self._lists.append(rows)
        self.counts.setdefault(table.name, 0)
        return rows

    @property
    def pending(self) -> int:
        return sum(map(len, self._lists))

    def flush(self) -> int:
        """Insert every buffered row; returns the number of rows written so far."""
        for table, sql, rows in self._buffers:
            if rows:
                self._connection.exec_driver_sql(sql, rows)
                self.counts[table.name] += len(rows)
                self.written += len(rows)
                rows.clear()
        return self.written
