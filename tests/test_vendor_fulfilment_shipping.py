"""Direct Fulfillment Shipping labels and packing slips: 7-day windows, values, bookmarks."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.families.vendor import (
    LABEL_DELAY,
    PACKING_SLIP_DELAY,
    direct_fulfillment_orders,
    packing_slip_of,
    shipping_label_of,
)
from tap_amazon_seller import clock
from tests import instants
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

LABELS, SLIPS = "vendor_fulfilment_shipping_labels", "vendor_fulfilment_packing_slips"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # Pages of 2: every busy window pages several times.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=2))
    with simulator.running():
        yield simulator


def _available_since(sim: Simulator, delay: timedelta, start: datetime) -> dict[str, dict]:
    now = clock.now()
    found = {}
    for order in direct_fulfillment_orders(sim):
        ordered = datetime.fromisoformat(order["orderDetails"]["orderDate"].replace("Z", "+00:00"))
        if start < ordered + delay < now - timedelta(minutes=2):
            found[order["purchaseOrderNumber"]] = order
    return found


def test_labels_and_packing_slips_keep_amazons_base64_and_each_order_once(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["US"],
        start_date=instants.days_ago(61, at_midnight=True).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    result = run_sync(config, catalog=select(LABELS, SLIPS))

    labels = result.records[LABELS]
    expected = _available_since(sim, LABEL_DELAY, instants.days_ago(61, at_midnight=True))
    assert sorted(r["purchaseOrderNumber"] for r in labels) == sorted(expected)  # each once
    for row in labels:
        order = expected[row["purchaseOrderNumber"]]
        assert row["region"] == "na"
        assert row["labelFormat"] == "ZPL"
        assert row["sellingParty"] == {"partyId": "VNDR1"}
        assert row["labelData"] == shipping_label_of(order)["labelData"]
        zpl = base64.b64decode(row["labelData"][0]["content"]).decode("utf-8")
        assert "Zoë Åkesson, Seattle" in zpl  # the Base64 text arrives byte for byte
        assert row["labelData"][0]["trackingNumber"] in zpl
        # windowEnd: the end of the 7-day window the label was listed in.
        window_end = datetime.fromisoformat(row["windowEnd"].replace("Z", "+00:00"))
        ordered = datetime.fromisoformat(order["orderDetails"]["orderDate"].replace("Z", "+00:00"))
        assert timedelta(0) < window_end - (ordered + LABEL_DELAY) <= timedelta(days=7)

    slips = result.records[SLIPS]
    expected_slips = _available_since(
        sim, PACKING_SLIP_DELAY, instants.days_ago(61, at_midnight=True)
    )
    assert sorted(r["purchaseOrderNumber"] for r in slips) == sorted(expected_slips)
    for row in slips:
        order = expected_slips[row["purchaseOrderNumber"]]
        assert row["contentType"] == "application/pdf"
        assert row["content"] == packing_slip_of(order)["content"]
        pdf = base64.b64decode(row["content"])
        assert pdf.startswith(b"%PDF-")
        title = order["orderDetails"]["items"][0]["title"]
        assert title.encode("utf-8") in pdf  # "Café Crème Mug, Größe L #3"

    # 7-day windows, Amazon's maximum: the calls are at least one per window.
    days = (clock.now() - instants.days_ago(61, at_midnight=True)).days
    assert sim.calls["vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels"] >= days / 7


def test_the_next_run_starts_at_the_bookmark(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["US"],
        start_date=instants.days_ago(61, at_midnight=True).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    first = run_sync(config, catalog=select(LABELS))
    state = first.states[-1]
    bookmark = state["bookmarks"][LABELS]["partitions"][0]["replication_key_value"]
    assert bookmark == max(r["windowEnd"] for r in first.records[LABELS])
    calls = sim.calls["vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels"]
    again = run_sync(config, catalog=select(LABELS), state=state)
    # One short window from the bookmark to now: labels of the last minutes at most.
    assert sim.calls["vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels"] - calls <= 1
    assert all(r["windowEnd"] > bookmark for r in again.records.get(LABELS, []))


def test_a_failed_call_keeps_the_bookmark_before_the_records_it_cut_short(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["US"],
        start_date=instants.days_ago(61, at_midnight=True).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )

    # A bookmark whose next 7-day window holds more than one page (of 2) of packing slips.
    def slips_in_week(start: datetime) -> int:
        return len(_available_since(sim, PACKING_SLIP_DELAY, start)) - len(
            _available_since(sim, PACKING_SLIP_DELAY, start + timedelta(days=7))
        )

    bookmark = next(
        start
        for start in (instants.days_ago(days) for days in range(20, 50))
        if slips_in_week(start) > 3
    )
    old = bookmark.strftime("%Y-%m-%dT%H:%M:%SZ")
    state = {
        "bookmarks": {
            SLIPS: {"partitions": [{"context": {"region": "na"}, "replication_key_value": old}]}
        }
    }
    # The first page of the first window is read; Amazon refuses the second for good.
    sim.faults.script["vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips"] = [200, 400]
    result = run_sync(config, catalog=select(SLIPS), state=state)
    assert len(result.records[SLIPS]) == 2  # emitted, but their window was not read whole
    after = result.states[-1]["bookmarks"][SLIPS]["partitions"][0]["replication_key_value"]
    assert after == old


def test_a_seller_account_without_the_vendor_role_skips_both_streams(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.config.roles = {"Amazon Fulfillment"}
    result = run_sync(sim.tap_config(marketplaces=["US"]), catalog=select(LABELS, SLIPS))
    assert LABELS not in result.records and SLIPS not in result.records
    assert "Direct-to-Consumer Shipping (vendor)" in caplog.text
