"""Regenerate tap_amazon_seller/data/model_schemas.json from Amazon's models.

Streams read from the SP-API take their record schema from the model's definition
(refs resolved, every field nullable, Amazon's field names), declared once here in
MODEL_SCHEMAS; the package ships the result because it must not read ../shared.
tests/test_conformance.py checks that the shipped file is current.

Usage: python scripts/update_model_schemas.py [path/to/shared/sp-api/models]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODELS = ROOT.parent / "shared" / "sp-api" / "models"
OUTPUT = ROOT / "tap_amazon_seller" / "data" / "model_schemas.json"

# "<model file stem>.<definition>" of every record type a stream emits.
MODEL_SCHEMAS = (
    "fbaInventory.InventorySummary",
    "awd_2024-05-09.InventorySummary",
    "feeds_2021-06-30.Feed",
    "vendorOrders.Order",
    "catalogItems_2022-04-01.Item",
    "listingsItems_2021-08-01.Item",
    "vendorDirectFulfillmentOrders_2021-12-28.Order",
    "vendorDirectFulfillmentShipping_2021-12-28.CustomerInvoice",
    "vendorShipments.Shipment",
    "financesV0.FinancialEventGroup",
    "finances_2024-06-19.Transaction",
    "orders_2026-01-01.Order",
    "orders_2026-01-01.OrderItem",
    "orders_2026-01-01.Buyer",
    "orders_2026-01-01.CustomerAddress",
    # -- Direct Fulfillment Shipping labels and packing slips (cov-replenish) --
    "vendorDirectFulfillmentShipping_2021-12-28.ShippingLabel",
    "vendorDirectFulfillmentShipping_2021-12-28.PackingSlip",
    # -- Replenishment API (cov-replenish) --
    "replenishment-2022-11-07.GetSellingPartnerMetricsResponseMetric",
    "replenishment-2022-11-07.ListOfferMetricsResponseOffer",
    "replenishment-2022-11-07.ListOffersResponseOffer",
)
# `enum` too: Amazon adds values, and its own examples spell some in another case
# ("CASES" for "Cases"): a record schema that lists them would make targets refuse real data.
_DROP = {
    "example",
    "examples",
    "x-docgen-enum-table-extension",
    "required",
    "additionalProperties",
    "enum",
}


def resolve(model: dict[str, Any], node: Any, seen: tuple[str, ...] = ()) -> Any:
    """Inline $refs, make every typed node nullable, drop doc-only keys."""
    if isinstance(node, list):
        return [resolve(model, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:  # a recursive definition: stop with an open object
            return {"type": ["object", "null"]}
        merged = {**model["definitions"][name], **{k: v for k, v in node.items() if k != "$ref"}}
        return resolve(model, merged, (*seen, name))
    out = {k: resolve(model, v, seen) for k, v in node.items() if k not in _DROP}
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    if out.get("format") in ("int64", "int32", "double", "float"):
        out.pop("format")
    return out


def build(models_dir: Path) -> dict[str, Any]:
    schemas = {}
    for name in MODEL_SCHEMAS:
        model_name, definition = name.rsplit(".", 1)
        model = json.loads((models_dir / f"{model_name}.json").read_text(encoding="utf-8"))
        schemas[name] = resolve(model, {"$ref": f"#/definitions/{definition}"})
    return schemas


def main() -> None:
    models_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MODELS
    schemas = build(models_dir)
    OUTPUT.write_text(
        json.dumps(schemas, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(schemas)} schemas to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
