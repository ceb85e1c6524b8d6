"""Is an SP-API answer in the shape Amazon's model gives it? (data/answer_shapes.json)

An answer whose envelope is wrong would otherwise read as "no data": a records list that
is a string yields nothing, a status Amazon does not have polls forever. The shapes
(from scripts/update_answer_shapes.py) hold objects, arrays, required fields and the enums
of required strings down to the records; the records themselves, leaf types and extra
fields are not judged here. Written by hand rather than with jsonschema: the check runs on
every page, needs only these four rules, and its messages name the field as a user reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
}


@cache
def answer_shapes() -> dict[str, dict[str, Any]]:
    raw = resources.files("tap_amazon_seller").joinpath("data/answer_shapes.json")
    return json.loads(raw.read_text("utf-8"))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return f"the number {value}"


def _problems(shape: dict[str, Any], value: Any, where: str = "") -> Iterator[str]:
    """`where` is the field's path in the answer ("payload.inventorySummaries")."""
    kind = shape.get("type")
    field = where or "the answer"
    expected = _TYPES.get(kind) if kind else None
    if expected is not None and (not isinstance(value, expected) or isinstance(value, bool)):
        yield f"{field} must be {'an' if kind in ('object', 'array') else 'a'} {kind}, not {_kind(value)}"
        return
    if "enum" in shape and value not in shape["enum"]:
        yield f"{field} is {_kind(value)}, which is not one of {', '.join(shape['enum'])}"
        return
    if kind == "object":
        for name in shape.get("required", ()):
            if value.get(name) is None:
                yield f"{_join(where, name)} is missing (the model requires it)"
        for name, sub in shape.get("properties", {}).items():
            if value.get(name) is not None:
                yield from _problems(sub, value[name], _join(where, name))
    elif kind == "array" and "items" in shape:
        for index, item in enumerate(value):
            found = list(_problems(shape["items"], item, f"{field}[{index}]"))
            if found:
                yield found[0]
                return


def problems(operation: str, body: Any) -> list[str]:
    """What makes `body` (a parsed success answer of `operation`) unlike Amazon's model;
    empty when it is fine or the model gives no shape."""
    shape = answer_shapes().get(operation)
    if not shape:
        return []
    return list(_problems(shape, body))[:3]


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
