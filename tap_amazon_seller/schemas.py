"""Record schemas taken from Amazon's models (see scripts/update_model_schemas.py)."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def _model_schemas() -> dict[str, Any]:
    text = (
        resources.files("tap_amazon_seller").joinpath("data/model_schemas.json").read_text("utf-8")
    )
    return json.loads(text)


def model_schema(name: str, **extra_properties: dict[str, Any]) -> dict[str, Any]:
    """The schema of definition `name` ("<model>.<definition>"), plus the tap's own fields."""
    schema = copy.deepcopy(_model_schemas()[name])
    schema["type"] = "object"
    schema["properties"] = {**extra_properties, **schema.get("properties", {})}
    return schema
