"""The network return's JSON Schema, compiled to Python code for reading many returns.

``jsonschema`` walks the schema for every document (about 8 ms a return); a merge of a
hundred and forty returns wants the schema compiled once (``fastjsonschema``, about 3 ms).
The schema is the one shipped in ``reports/schemas``; it uses only keywords that mean the same
in draft 7, the newest draft ``fastjsonschema`` compiles. When a return fails, ``jsonschema``
explains where and why, in the same words as everywhere else.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import fastjsonschema

from cope_desktop.i18n import _
from cope_desktop.reports.schema import NETWORK_SCHEMA_ID, SCHEMA_DIR, SCHEMA_FILES, InvalidReturn
from cope_desktop.reports.schema import validate as full_validate

DRAFT_7 = "http://json-schema.org/draft-07/schema#"


@functools.cache
def _compiled() -> Callable[[Any], Any]:
    path = SCHEMA_DIR / SCHEMA_FILES[NETWORK_SCHEMA_ID]
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["$schema"] = DRAFT_7
    return fastjsonschema.compile(schema)


def is_valid(document: Mapping[str, Any]) -> bool:
    try:
        _compiled()(document)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


def explain(document: Mapping[str, Any]) -> str:
    """One line saying where ``document`` breaks the schema, and how."""
    try:
        full_validate(document)
    except InvalidReturn as problem:
        return problem.message
    return _("it does not match the network return format")
