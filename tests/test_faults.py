"""The fault matrix: each of the simulator's fault switches against every stream family.

A sync under the fault must deliver exactly what a clean sync delivered: the same keys,
each once, in every family (reports, orders, finances, vendor, listings and inventory).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller import clock
from tests.conftest import FAST, run_sync, select

FAMILIES = {
    "reports": ("fba_customer_shipment_sales", "warehouse_inventory", "settlement_reports"),
    "orders": ("orders", "order_items"),
    "finances": ("financial_events", "finance_transactions", "financial_event_groups"),
    "vendor": ("vendor_purchase_orders", "vendor_fulfilment_purchase_orders"),
    "listings and inventory": ("listings_items", "fba_inventory_summaries", "product_details"),
    # -- Replenishment API and Direct Fulfillment Shipping (cov-replenish) --
    "replenishment": ("replenishment_daily_metrics", "replenishment_offer_metrics"),
    "vendor shipping": ("vendor_fulfilment_shipping_labels",),
}
STREAMS = tuple(s for streams in FAMILIES.values() for s in streams)
MIDNIGHT = (clock.now() - timedelta(days=40)).replace(hour=0, minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST))
    with simulator.running():
        yield simulator


@pytest.fixture(scope="module")
def clean(sim: Simulator) -> dict[str, Counter]:
    return keys_of(sync(sim, second=1))


def sync(sim: Simulator, second: int, **overrides: object) -> dict[str, list[dict]]:
    # Each run starts a second later, so report windows are new and requested again.
    start = MIDNIGHT + timedelta(seconds=second)
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat(), **overrides)
    return run_sync(config, catalog=select(*STREAMS)).records


def keys_of(records: dict[str, list[dict]]) -> dict[str, Counter]:
    from tap_amazon_seller.tap import TapAmazonSeller

    catalog = TapAmazonSeller(config={}, validate_config=False).catalog_dict
    keys = {e["tap_stream_id"]: e["key_properties"] for e in catalog["streams"]}
    return {
        stream: Counter(tuple(str(r.get(k)) for k in keys[stream]) for r in rows)
        for stream, rows in records.items()
    }


def expire_tokens_meanwhile(sim: Simulator) -> Callable[[], None]:
    """Expire every access token every 50 ms while the sync runs, as a long sync outlives them."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(0.05):
            sim.tokens.expire_all()

    threading.Thread(target=loop, daemon=True).start()
    return stop.set


FAULTS: dict[str, dict] = {
    "5% of calls 500/503": {"error_rate": 0.05},
    "5% dropped connections": {"drop_rate": 0.05},
    "429 storms": {"throttle_rate": 0.15, "retry_after": 0.01},
    "downloads cut short": {"truncate_documents": 2},
    "expired document URLs": {"expire_urls": 2},
    "slow answers and document host": {"latency": 0.002, "document_latency": 0.05},
    "access tokens expiring mid-sync": {},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_sync_under_fault_delivers_what_a_clean_sync_does(
    sim: Simulator, clean: dict[str, Counter], fault: str
) -> None:
    assert set(clean) == set(STREAMS) and all(clean[s] for s in STREAMS)
    sim.faults.update(FAULTS[fault])
    stop = expire_tokens_meanwhile(sim) if "tokens" in fault else (lambda: None)
    refreshed = sim.tokens.issued
    try:
        got = keys_of(sync(sim, second=2, max_retries=10))
    finally:
        stop()
        sim.faults.update(
            {k: type(v)() if not isinstance(v, float) else 0.0 for k, v in FAULTS[fault].items()}
        )
        sim.faults.retry_after = None
    for family, streams in FAMILIES.items():
        for stream in streams:
            assert got.get(stream) == clean[stream], f"{fault} x {family}: {stream} differs"
    if "tokens" in fault:
        assert sim.tokens.issued - refreshed > 2  # the tap refreshed and carried on
