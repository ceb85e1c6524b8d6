"""Answers generated from Amazon's models (hypothesis-jsonschema over the definitions in
../shared/sp-api/models), fed through each API stream's mapping.

An oracle this project did not write: whatever the model allows (optional fields absent,
empty lists, extra fields), and what Amazon is known to send besides (nulls, numbers and
booleans as strings), comes out as records that validate against the stream's schema, or
is refused loudly (a TapError naming the operation); never an unhandled exception.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tap_amazon_seller import shapes
from tap_amazon_seller.errors import AnswerShapeError, TapError
from tap_amazon_seller.tap import TapAmazonSeller
from tests.conftest import schema_errors, shared_models
from tests.instants import days_ago

EXAMPLES = int(os.environ.get("TAP_FUZZ_EXAMPLES", "20"))
RUN: Counter[str] = Counter()

#: API stream -> the operations its pages come from.
STREAMS: dict[str, tuple[str, ...]] = {
    "fba_inventory_summaries": ("fbaInventory.getInventorySummaries",),
    "awd_inventory": ("awd_2024-05-09.listInventory",),
    "feeds": ("feeds_2021-06-30.getFeeds",),
    "financial_event_groups": ("financesV0.listFinancialEventGroups",),
    "financial_events": ("financesV0.listFinancialEvents",),
    "finance_transactions": ("finances_2024-06-19.listTransactions",),
    "listings_items": ("listingsItems_2021-08-01.searchListingsItems",),
    "vendor_purchase_orders": ("vendorOrders.getPurchaseOrders",),
    "vendor_fulfilment_purchase_orders": ("vendorDirectFulfillmentOrders_2021-12-28.getOrders",),
    "vendor_fulfilment_customer_invoices": (
        "vendorDirectFulfillmentShipping_2021-12-28.getCustomerInvoices",
    ),
    "vendor_fulfilment_shipping_labels": (
        "vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels",
    ),
    "vendor_fulfilment_packing_slips": (
        "vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips",
    ),
    "vendor_shipments": ("vendorShipments.GetShipmentDetails",),
    "marketplaces": ("sellers.getMarketplaceParticipations",),
    "account": ("sellers.getAccount",),
}
_DROP = {"example", "examples", "description", "x-docgen-enum-table-extension"}


@cache
def answer_schema(operation: str) -> dict[str, Any]:
    """The JSON Schema of an operation's success answer, refs inlined (a recursive
    definition stops as an open object, its depth capped so answers stay small)."""
    stem, operation_id = operation.rsplit(".", 1)
    model = json.loads((shared_models() / f"{stem}.json").read_text(encoding="utf-8"))

    def inline(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(n, seen) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            if name in seen or len(seen) > 6:
                return {"type": "object"}
            return inline(model["definitions"][name], (*seen, name))
        out = {
            k: inline(v, seen) for k, v in node.items() if k not in _DROP and not k.startswith("x-")
        }
        if out.get("type") == "array":
            out.setdefault("maxItems", 3)
        return out

    for item in model["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                codes = sorted(c for c in op["responses"] if c < "300")
                return inline(op["responses"][codes[0]]["schema"], ())
    raise KeyError(operation)


def loosen(value: Any, rng: random.Random) -> Any:
    """What Amazon sends besides what its models say: a few values null, numbers and
    booleans as strings."""
    if isinstance(value, dict):
        return {k: loosen(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [loosen(v, rng) for v in value]
    roll = rng.random()
    if isinstance(value, bool):
        return str(value).lower() if roll < 0.2 else value
    if isinstance(value, int | float):
        return str(value) if roll < 0.2 else value
    if roll < 0.05:
        return None
    return value


def no_next_page(answer: Any) -> Any:
    """One page: drop every next-page token the answer holds."""
    if isinstance(answer, dict):
        return {
            k: no_next_page(v)
            for k, v in answer.items()
            if k not in ("nextToken", "NextToken", "paginationToken", "next_token")
        }
    return answer


class GeneratedClient:
    """A region's client whose answers are the drawn ones, checked as the real client
    checks them (the shape of Amazon's model)."""

    def __init__(self, region: str, answers: dict[str, Any]) -> None:
        self.region = region
        self.answers = answers

    def call(self, operation_name: str, **_: Any) -> dict[str, Any]:
        body = self.answers[operation_name]
        found = shapes.problems(operation_name, body)
        if found:
            raise AnswerShapeError("; ".join(found), operation=operation_name)
        return body if isinstance(body, dict) else {"payload": body}

    def pages(self, operation_name: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        yield self.call(operation_name, **kwargs)


def make_tap() -> TapAmazonSeller:
    config = {
        "refresh_token": "r",
        "lwa_client_id": "c",
        "lwa_client_secret": "s",
        "marketplaces": ["US"],
        "seller_id": "A2SIMULATED0SELLER",
        # One window of a day: every windowed stream asks once.
        "start_date": days_ago(1).isoformat(),
    }
    tap = TapAmazonSeller(config=config)
    tap._partitions = [{"region": "na", "marketplace_id": "ATVPDKIKX0DER"}]
    return tap


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_answers_generated_from_amazons_model_become_valid_records_or_a_loud_refusal(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tap = make_tap()
    stream = tap.streams[name]
    validator = jsonschema.Draft7Validator(stream.schema)
    operations = STREAMS[name]
    strategies = {op: from_schema(answer_schema(op)) for op in operations}
    context = (stream.partitions or [None])[0]
    if context is None and name == "account":
        context = {"region": "eu"}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answers=st.fixed_dictionaries(strategies), seed=st.integers(0, 2**16))
    def check(answers: dict[str, Any], seed: int) -> None:
        RUN["generated answers"] += 1
        rng = random.Random(seed)
        drawn = {op: no_next_page(loosen(a, rng)) for op, a in answers.items()}
        monkeypatch.setattr(tap, "client", lambda region: GeneratedClient(region, drawn))
        try:
            records = [stream.post_process(r, context) for r in stream.get_records(context)]
        except TapError:
            RUN["refused"] += 1
            return  # refused loudly: the partition stops, naming the operation
        for record in records:
            if record is None:
                continue
            errors = schema_errors(validator, record)
            assert not errors, (errors[:3], drawn)

    check()


def amazon_examples(operation: str) -> list[Any]:
    """The example answers Amazon's model ships for `operation` (`examples` and the
    sandbox's static responses)."""
    from tests.test_conformance import model_examples

    return [body for name, body in model_examples() if name == operation]


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_amazons_own_example_answers_become_valid_records(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tap = make_tap()
    stream = tap.streams[name]
    validator = jsonschema.Draft7Validator(stream.schema)
    (operation,) = STREAMS[name]
    examples = amazon_examples(operation)
    if not examples:
        pytest.skip(f"Amazon's model has no example answer of {operation}")
    context = (stream.partitions or [None])[0] or {"region": "eu"}
    emitted = 0
    for example in examples:
        answer = no_next_page(example)
        monkeypatch.setattr(
            tap, "client", lambda region, a=answer: GeneratedClient(region, {operation: a})
        )
        records = [stream.post_process(r, context) for r in stream.get_records(context)]
        for record in records:
            assert record is not None
            errors = schema_errors(validator, record)
            assert not errors, errors[:3]
        emitted += len(records)
    assert emitted > 0, f"none of Amazon's {len(examples)} example answers gave a record"
