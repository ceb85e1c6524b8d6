"""The Singer SDK features the README claims: stream maps, flattening, BATCH messages, metrics."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path

import pytest

from sp_api_simulator import Simulator
from tests.conftest import run_sync, select


def test_stream_maps_hash_pii_and_drop_fields(simulator: Simulator) -> None:
    config = simulator.tap_config(
        marketplaces=["US"],
        orders_source="api",
        include_pii=True,
        stream_maps={
            "order_buyer_info": {"buyerEmail": "md5(buyerEmail) if buyerEmail else None"},
            "orders": {"programs": None},
        },
    )
    plain = run_sync({**config, "stream_maps": {}}, catalog=select("orders", "order_buyer_info"))
    mapped = run_sync(config, catalog=select("orders", "order_buyer_info"))
    emails = {b["orderId"]: b["buyerEmail"] for b in plain.records["order_buyer_info"]}
    for buyer in mapped.records["order_buyer_info"]:
        assert buyer["buyerEmail"] == hashlib.md5(emails[buyer["orderId"]].encode()).hexdigest()
    assert all("programs" not in o for o in mapped.records["orders"])
    assert len(mapped.records["orders"]) == len(plain.records["orders"])


def test_flattening_turns_nested_objects_into_columns(simulator: Simulator) -> None:
    config = simulator.tap_config(
        marketplaces=["US"], orders_source="api", flattening_enabled=True, flattening_max_depth=2
    )
    orders = run_sync(config, catalog=select("orders")).records["orders"]
    assert orders and all(o["salesChannel__marketplaceId"] == "ATVPDKIKX0DER" for o in orders)
    assert all("fulfillment__fulfillmentStatus" in o for o in orders)


def test_batch_messages_hold_every_record(simulator: Simulator, tmp_path: Path) -> None:
    streams = ("orders", "fba_customer_shipment_sales")
    config = simulator.tap_config(marketplaces=["US", "DE"], orders_source="api")
    plain = run_sync(config, catalog=select(*streams))
    batch_config = {
        "encoding": {"format": "jsonl", "compression": "gzip"},
        "storage": {"root": f"file://{tmp_path}", "prefix": "batch-"},
    }
    batched = run_sync({**config, "batch_config": batch_config}, catalog=select(*streams))
    assert not batched.records  # records travel in files, announced by BATCH messages
    files = sorted(tmp_path.glob("batch-*.json.gz"))
    assert files
    rows: dict[str, list[dict]] = {}
    for path in files:
        stream = next(s for s in streams if s in path.name)
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows.setdefault(stream, []).extend(json.loads(line) for line in lines)
    for stream in streams:
        assert len(rows[stream]) == len(plain.records[stream])
    assert sorted(o["orderId"] for o in rows["orders"]) == sorted(
        o["orderId"] for o in plain.records["orders"]
    )


def test_metrics_are_logged(simulator: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        run_sync(simulator.tap_config(marketplaces=["US"]), catalog=select("marketplaces"))
    metrics = [r.getMessage() for r in caplog.records if "METRIC" in r.getMessage()]
    assert any('"metric":"record_count"' in m and '"stream":"marketplaces"' in m for m in metrics)
