"""The JSON Schema of the merged network figures (``cope-network-merge/1``).

Generated from ``reports.schema.TABLE_SHAPES`` like the return's own schema, by
``python -m cope_desktop.network.schema`` (a test checks the shipped file is current).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import fastjsonschema

from cope_desktop.atomic import atomic_write_text
from cope_desktop.reports.schema import (
    COUNTRY,
    GENERATED,
    ORGANISATION,
    PERIOD,
    TABLE_SHAPES,
    InvalidReturn,
)

MERGE_SCHEMA_ID = "cope-network-merge/1"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "network-merge-1.schema.json"
PROBLEM_CODES = (
    "unreadable",
    "not_json",
    "not_a_return",
    "version",
    "checksum",
    "schema",
    "inconsistent",
    "duplicate",
    "other_period",
)

_NUMBER = {"type": "number", "minimum": 0}
_NULL = {"type": "null"}


def _figure(keys: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Exact (flag null), a range with an estimate, or suppressed (every number null).

    ``anyOf`` with the exact shape first: most figures are exact, and the compiled validator
    stops at the first shape that fits.
    """
    coords = {name: {"enum": list(values)} for name, values in keys.items()}

    def shape(flag: str | None, **fields: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "required": [*keys, "value", "low", "high", "estimate", "organisations", "flag"],
            "additionalProperties": False,
            "properties": {
                **coords,
                **fields,
                "organisations": {"type": "integer", "minimum": 0},
                "flag": {"const": flag},
            },
        }

    maybe = {"type": ["number", "null"], "minimum": 0}
    return {
        "anyOf": [
            shape(None, value=_NUMBER, low=_NUMBER, high=_NUMBER, estimate=_NUMBER),
            shape("range", value=_NULL, low=_NUMBER, high=maybe, estimate=_NUMBER),
            shape("suppressed", value=_NULL, low=_NULL, high=_NULL, estimate=_NULL),
        ]
    }


def _table(dims: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, Any]:
    count = 1
    for _name, values in dims:
        count *= len(values)
    totals: dict[str, Any] = {"all": _figure({})}
    for name, values in dims:
        totals[name] = {"type": "array", "maxItems": len(values), "items": _figure({name: values})}
    return {
        "type": "object",
        "required": ["dimensions", "cells", "totals"],
        "additionalProperties": False,
        "properties": {
            "dimensions": {"const": [name for name, _values in dims]},
            "cells": {
                "type": "array",
                "minItems": count,
                "maxItems": count,
                "items": _figure(dict(dims)),
            },
            "totals": {"type": "object", "properties": totals, "additionalProperties": False},
        },
    }


def _scope() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["scope", "country", "organisations", "prisons", "tables"],
        "additionalProperties": False,
        "properties": {
            "scope": {"enum": ["network", "country"]},
            "country": {"oneOf": [COUNTRY, _NULL]},
            "organisations": {"type": "integer", "minimum": 1},
            "prisons": {
                "type": "object",
                "required": ["count", "countries"],
                "additionalProperties": False,
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "countries": {"type": "array", "items": COUNTRY, "uniqueItems": True},
                },
            },
            "tables": {
                "type": "object",
                "required": list(TABLE_SHAPES),
                "additionalProperties": False,
                "properties": {table_id: _table(dims) for table_id, dims in TABLE_SHAPES.items()},
            },
        },
    }


def build_schema() -> dict[str, Any]:
    merged_return = {
        "type": "object",
        "required": ["organisation", "file", "checksum", "generated_at", "threshold", "suppressed"],
        "additionalProperties": False,
        "properties": {
            "organisation": ORGANISATION,
            "file": {"type": "string"},
            "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
            "generated_at": {"type": "string"},
            "threshold": {"type": "integer", "minimum": 3},
            "suppressed": {"type": "integer", "minimum": 0},
        },
    }
    not_merged = {
        "type": "object",
        "required": ["file", "problem", "organisation"],
        "additionalProperties": False,
        "properties": {
            "file": {"type": "string"},
            "problem": {"enum": list(PROBLEM_CODES)},
            "organisation": {"type": ["string", "null"]},
        },
    }
    properties = {
        "schema": {"const": MERGE_SCHEMA_ID},
        "period": PERIOD,
        "generated": GENERATED,
        "disclosure": {
            "type": "object",
            "required": ["method", "threshold", "suppressed"],
            "additionalProperties": False,
            "properties": {
                "method": {"const": "threshold+secondary"},
                "threshold": {"type": "integer", "minimum": 3},
                "suppressed": {"type": "integer", "minimum": 0},
            },
        },
        "returns": {"type": "array", "minItems": 1, "items": merged_return},
        "not_merged": {"type": "array", "items": not_merged},
        "countries": {"type": "array", "items": COUNTRY, "uniqueItems": True},
        "scopes": {"type": "array", "minItems": 2, "items": _scope()},
        "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": MERGE_SCHEMA_ID,
        "title": "COPE network figures (merged returns)",
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


@functools.cache
def _compiled() -> Callable[[Any], Any]:
    return fastjsonschema.compile(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def validate(document: Mapping[str, Any]) -> None:
    """Raise ``InvalidReturn`` when ``document`` does not match the merged figures' schema."""
    try:
        _compiled()(document)
    except fastjsonschema.JsonSchemaValueException as error:
        raise InvalidReturn(f"{error.name}: {error.message}") from error


def write_schema_file() -> None:
    SCHEMA_FILE.parent.mkdir(exist_ok=True)
    text = json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(SCHEMA_FILE, text)


if __name__ == "__main__":
    write_schema_file()
