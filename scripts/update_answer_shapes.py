"""Regenerate tap_amazon_seller/data/answer_shapes.json from Amazon's models.

Every SP-API answer is checked against the shape Amazon's model gives it before its
records are trusted (tap_amazon_seller/shapes.py): an answer whose envelope is wrong
(a list that is a string, a required field missing, a status the model does not have)
is an error, never "no data". This script copies the part of each operation's success
schema that the check needs into the package, which must not read ../shared:

- objects and arrays, with their `required` fields, down to the records: an array's
  items are checked to be objects but not opened (records are the streams' business,
  and Amazon adds fields freely);
- required strings, with their `enum` if they have one (a report's `processingStatus`);
- nothing else: leaf types are left to the streams' casting, extra fields stay allowed.

tests/test_conformance.py checks that the shipped file is current.

Usage: python scripts/update_answer_shapes.py [path/to/shared/sp-api/models]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ROOT.parent / "shared" / "sp-api" / "models"
OUTPUT = ROOT / "tap_amazon_seller" / "data" / "answer_shapes.json"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
#: Objects are opened this deep; below, only their type is checked.
MAX_DEPTH = 4


def _resolved(model: dict[str, Any], node: dict[str, Any], seen: tuple[str, ...]) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return {"type": "object"}
        seen = (*seen, name)
        node = {**model["definitions"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    if "allOf" in node:  # merge the parts' properties and required fields
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = _resolved(model, part, seen)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        node = merged
    return node


def shape(model: dict[str, Any], node: dict[str, Any], depth: int = 0, seen: tuple = ()) -> dict:
    node = _resolved(model, node, seen)
    kind = node.get("type") or ("object" if "properties" in node else None)
    if kind == "array":
        items = _resolved(model, node.get("items", {}), seen)
        item_kind = items.get("type") or ("object" if "properties" in items else None)
        return {"type": "array", **({"items": {"type": item_kind}} if item_kind else {})}
    if kind != "object":
        return {}
    out: dict[str, Any] = {"type": "object"}
    if depth >= MAX_DEPTH:
        return out
    required = [r for r in node.get("required", []) if r in node.get("properties", {})]
    properties = {}
    for name, sub in node.get("properties", {}).items():
        sub_resolved = _resolved(model, sub, seen)
        if name in required and sub_resolved.get("type") == "string":
            enum = sub_resolved.get("enum")
            properties[name] = {"enum": sorted(enum)} if enum else {"type": "string"}
            continue
        sub_shape = shape(model, sub, depth + 1, seen)
        if sub_shape:
            properties[name] = sub_shape
    if required:
        out["required"] = required
    if properties:
        out["properties"] = properties
    return out


def relax(answer: dict[str, Any], example: Any) -> None:
    """Drop the requirements an example answer of Amazon's own does not meet: what Amazon
    shows it sends wins over what its definitions say (e.g. vendorOrders.getPurchaseOrder's
    example has no `purchaseOrderState`)."""
    if answer.get("type") != "object" or not isinstance(example, dict):
        return
    if "required" in answer:
        answer["required"] = [r for r in answer["required"] if example.get(r) is not None]
        if not answer["required"]:
            del answer["required"]
    for name, sub in answer.get("properties", {}).items():
        relax(sub, example.get(name))


def examples(response: dict[str, Any]) -> list[Any]:
    """The example answers a model gives for a response: `examples` and sandbox cases."""
    found = []
    if "application/json" in response.get("examples", {}):
        found.append(response["examples"]["application/json"])
    for case in response.get("x-amzn-api-sandbox", {}).get("static", []):
        if "response" in case:
            found.append(case["response"])
    return found


def read_answer_shapes(models_dir: Path) -> dict[str, dict]:
    """Return {"<model>.<operationId>": shape of its success answer} for every model."""
    shapes: dict[str, dict] = {}
    for model_path in sorted(models_dir.glob("*.json")):
        model = json.loads(model_path.read_text(encoding="utf-8"))
        for item in model["paths"].values():
            for method, operation in item.items():
                if method not in HTTP_METHODS:
                    continue
                responses = operation.get("responses", {})
                codes = [c for c in sorted(responses) if c < "300"]
                schema = responses[codes[0]].get("schema") if codes else None
                answer = shape(model, schema) if schema else {}
                for code in codes:
                    for example in examples(responses[code]):
                        relax(answer, example)
                if answer:
                    shapes[f"{model_path.stem}.{operation['operationId']}"] = answer
    return shapes


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MODELS
    shapes = read_answer_shapes(models_dir)
    OUTPUT.write_text(json.dumps(shapes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote the answer shapes of {len(shapes)} operations to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
