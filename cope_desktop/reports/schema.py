"""The JSON Schemas of the network return and of the internal report, and validation.

The schema files shipped in ``reports/schemas/`` are generated from ``categories`` by
``python -m cope_desktop.reports.schema`` (a test checks that they are up to date), so the
categories of a table can never drift between the code and the schema the secretariat uses.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from cope_desktop.atomic import atomic_write_text
from cope_desktop.errors import CopeError
from cope_desktop.i18n import _
from cope_desktop.reports import categories as cat

NETWORK_SCHEMA_ID = "cope-network-return/1"
INTERNAL_SCHEMA_ID = "cope-internal-report/1"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = {
    NETWORK_SCHEMA_ID: "network-return-1.schema.json",
    INTERNAL_SCHEMA_ID: "internal-report-1.schema.json",
}

TABLE_SHAPES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "families": (("status", cat.FAMILY_STATUSES),),
    "children_by_age_sex": (("age_band", cat.AGE_BANDS), ("sex", cat.SEXES)),
    "imprisoned_relatives": (
        ("relationship", cat.RELATIONSHIP_GROUPS),
        ("custody_status", cat.CUSTODY_AT_END),
    ),
    "activities": (("activity_type", cat.ACTIVITY_TYPES), ("measure", cat.ACTIVITY_MEASURES)),
    "game_with_mum_and_dad": (("measure", cat.GAME_MEASURES),),
    "support_services": (("service_type", cat.SERVICE_TYPES), ("measure", cat.SERVICE_MEASURES)),
    "referral_sources": (("referral_source", cat.REFERRAL_SOURCES),),
    "child_feedback": (("activity_type", cat.ACTIVITY_TYPES), ("rating", cat.RATINGS)),
}
"""Each table's dimensions and their categories, in order."""


COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
PERIOD = {
    "type": "object",
    "required": ["start", "end"],
    "properties": {"start": DATE, "end": DATE},
    "additionalProperties": False,
}
GENERATED = {
    "type": "object",
    "required": ["at", "software", "language"],
    "properties": {
        "at": {"type": "string"},
        "software": {"type": "string"},
        "language": {"type": "string"},
    },
}
ORGANISATION = {
    "type": "object",
    "required": ["id", "name", "country"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string"},
        "country": COUNTRY,
    },
}
"""Parts of a document's head, shared with the merged network figures' schema."""


class InvalidReturn(CopeError):
    """A document that does not match its schema (a bug when we wrote it; bad input when read)."""


def _value(internal: bool) -> dict[str, Any]:
    """A published figure: a number with flag null, or null with flag "suppressed"."""
    if internal:
        return {
            "type": "object",
            "required": ["value", "flag"],
            "properties": {"value": {"type": "number", "minimum": 0}, "flag": {"type": "null"}},
        }
    return {
        "type": "object",
        "required": ["value", "flag"],
        "properties": {
            "value": {"type": ["number", "null"], "minimum": 0},
            "flag": {"enum": [None, "suppressed"]},
        },
        # the published form first: a compiled validator stops at the first branch that fits
        "anyOf": [
            {"properties": {"flag": {"const": None}, "value": {"type": "number"}}},
            {"properties": {"flag": {"const": "suppressed"}, "value": {"type": "null"}}},
        ],
    }


def _keyed_value(internal: bool, keys: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    base = _value(internal)
    return {
        **base,
        "required": [*keys, "value", "flag"],
        "properties": {
            **{name: {"enum": list(values)} for name, values in keys.items()},
            **base["properties"],
        },
        "additionalProperties": False,
    }


def _table(internal: bool, dims: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, Any]:
    names = [name for name, _values in dims]
    count = 1
    for _name, values in dims:
        count *= len(values)
    totals: dict[str, Any] = {"all": _keyed_value(internal, {})}
    for name, values in dims:
        totals[name] = {
            "type": "array",
            "maxItems": len(values),
            "items": _keyed_value(internal, {name: values}),
        }
    return {
        "type": "object",
        "required": ["dimensions", "cells", "totals"],
        "additionalProperties": False,
        "properties": {
            "dimensions": {"const": names},
            "cells": {
                "type": "array",
                "minItems": count,
                "maxItems": count,
                "items": _keyed_value(internal, dict(dims)),
            },
            "totals": {"type": "object", "properties": totals, "additionalProperties": False},
        },
    }


def _breakdowns() -> dict[str, Any]:
    cell = {
        "type": "object",
        "required": ["measure", "value", "flag"],
        "properties": {"value": {"type": "number"}, "flag": {"type": "null"}},
    }
    table = {
        "type": "object",
        "required": ["dimensions", "cells"],
        "properties": {
            "dimensions": {"type": "array", "items": {"type": "string"}},
            "cells": {"type": "array", "items": cell},
        },
    }
    return {"type": "object", "additionalProperties": table}


def build_schema(schema_id: str) -> dict[str, Any]:
    """The JSON Schema of a network return (or, for the internal id, an internal report)."""
    internal = schema_id == INTERNAL_SCHEMA_ID
    properties: dict[str, Any] = {
        "schema": {"const": schema_id},
        "organisation": ORGANISATION,
        "period": PERIOD,
        "generated": GENERATED,
        "disclosure": {
            "type": "object",
            "required": ["method", "threshold", "suppressed"],
            "properties": {
                "method": {"const": "none" if internal else "threshold+secondary"},
                "threshold": {"type": "null"} if internal else {"type": "integer", "minimum": 3},
                "suppressed": {"type": "integer", "minimum": 0},
            },
        },
        "prisons": {
            "type": "object",
            "required": ["count", "countries"],
            "properties": {
                "count": {"type": "integer", "minimum": 0},
                "countries": {
                    "type": "array",
                    "items": COUNTRY,
                    "uniqueItems": True,
                },
            },
        },
        "tables": {
            "type": "object",
            "required": list(TABLE_SHAPES),
            "additionalProperties": False,
            "properties": {
                table_id: _table(internal, dims) for table_id, dims in TABLE_SHAPES.items()
            },
        },
        "quotes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["text", "age_band", "country"],
                "additionalProperties": False,
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "age_band": {"enum": list(cat.AGE_BANDS)},
                    "country": COUNTRY,
                },
            },
        },
        "checksum": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
    }
    required = [name for name in properties if name != "quotes"]
    if internal:
        properties["marking"] = {"const": "internal"}
        properties["breakdowns"] = _breakdowns()
        required += ["marking", "breakdowns"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": "COPE internal yearly report" if internal else "COPE network return",
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


@functools.cache
def _validator(schema_id: str) -> Draft202012Validator:
    path = SCHEMA_DIR / SCHEMA_FILES[schema_id]
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def validate(document: Mapping[str, Any]) -> None:
    """Raise ``InvalidReturn`` with the first problem and where it is."""
    schema_id = document.get("schema")
    if schema_id not in SCHEMA_FILES:
        raise InvalidReturn(
            _("This is not a COPE return: its schema is {schema!r}.").format(schema=schema_id)
        )
    error: ValidationError | None = best_match(_validator(str(schema_id)).iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "/"
        raise InvalidReturn(
            _("The return does not match its schema at {where}: {problem}").format(
                where=where, problem=error.message
            )
        )


def write_schema_files() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for schema_id, name in SCHEMA_FILES.items():
        text = json.dumps(build_schema(schema_id), indent=2, ensure_ascii=False) + "\n"
        atomic_write_text(SCHEMA_DIR / name, text)


if __name__ == "__main__":
    write_schema_files()
