"""API streams (FBA inventory, AWD, feeds) against the simulator: values, paging, roles."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # Pages of 2 items, so every stream pages several times through the small data set.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=2))
    with simulator.running():
        yield simulator


def test_fba_inventory_summaries_page_through_every_sku(sim: Simulator) -> None:
    result = run_sync(
        sim.tap_config(marketplaces=["US", "DE"]), catalog=select("fba_inventory_summaries")
    )
    rows = result.records["fba_inventory_summaries"]
    for marketplace in (US, DE):
        products = {p.sku: p for p in sim.data.products(marketplace)}
        got = {r["sellerSku"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == set(products)
        for sku, row in got.items():
            assert row["inventoryDetails"]["fulfillableQuantity"] == products[sku].quantity
            assert row["productName"] == products[sku].name  # "Küchenmesser Größe M – ..."
            assert row["fnSku"] == products[sku].fnsku
    pages = sum(-(-len(sim.data.products(m)) // 2) for m in (US, DE))
    assert sim.calls["fbaInventory.getInventorySummaries"] == pages


def test_awd_inventory_is_read_in_north_america_only(sim: Simulator) -> None:
    result = run_sync(sim.tap_config(marketplaces=["US", "DE"]), catalog=select("awd_inventory"))
    rows = result.records["awd_inventory"]
    expected = {p.sku for m in ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2") for p in sim.data.products(m)}
    assert {r["sku"] for r in rows} == expected
    assert all(r["region"] == "na" and r["inventoryDetails"] for r in rows)


def test_missing_awd_role_skips_that_stream_and_the_others_go_on(sim: Simulator) -> None:
    sim.config.roles = {"Amazon Fulfillment", "Product Listing"}
    result = run_sync(
        sim.tap_config(marketplaces=["US"]),
        catalog=select("awd_inventory", "fba_inventory_summaries"),
    )
    assert "awd_inventory" not in result.records
    assert len(result.records["fba_inventory_summaries"]) == len(sim.data.products(US))


def test_feeds_page_with_the_token_alone_and_resume_from_the_bookmark(sim: Simulator) -> None:
    config = sim.tap_config(
        marketplaces=["DE"],
        start_date="2026-01-01T00:00:00Z",
        feed_types=["JSON_LISTINGS_FEED", "POST_PRODUCT_DATA"],
    )
    first = run_sync(config, catalog=select("feeds"))
    rows = first.records["feeds"]
    from sp_api_simulator.families.feeds import feeds_of

    expected = {
        f["feedId"]
        for f in feeds_of(sim, "eu")
        if f["feedType"] in ("JSON_LISTINGS_FEED", "POST_PRODUCT_DATA")
    }
    assert {r["feedId"] for r in rows} == expected
    assert len(rows) == len(expected)  # each feed once
    bookmark = first.states[-1]["bookmarks"]["feeds"]["partitions"][0]["replication_key_value"]
    assert bookmark == max(r["createdTime"] for r in rows)
    second = run_sync(config, catalog=select("feeds"), state=first.states[-1])
    # Only the last day is read again (feeds still IN_PROGRESS get their final status).
    assert 0 < len(second.records["feeds"]) < len(rows)


def test_vendor_purchase_orders_incremental_on_change(sim: Simulator) -> None:
    from sp_api_simulator.families.vendor import purchase_orders

    config = sim.tap_config(marketplaces=["US"], start_date="2026-01-01T00:00:00Z")
    first = run_sync(config, catalog=select("vendor_purchase_orders"))
    rows = first.records["vendor_purchase_orders"]
    expected = {o["purchaseOrderNumber"]: o for o in purchase_orders(sim)}
    assert {r["purchaseOrderNumber"] for r in rows} == set(expected)
    assert len(rows) == len(expected)
    for row in rows:
        source = expected[row["purchaseOrderNumber"]]
        assert row["purchaseOrderState"] == source["purchaseOrderState"]
        assert (
            row["orderDetails"]["items"][0]["netCost"]["amount"]
            == source["orderDetails"]["items"][0]["netCost"]["amount"]
        )
        assert row["changedDate"] == source["orderDetails"]["purchaseOrderStateChangedDate"]
    state = first.states[-1]
    assert state["bookmarks"]["vendor_purchase_orders"]["partitions"][0][
        "replication_key_value"
    ] == max(r["changedDate"] for r in rows)
    # Nothing changed since: the next run emits nothing new.
    second = run_sync(config, catalog=select("vendor_purchase_orders"), state=state)
    assert second.records.get("vendor_purchase_orders", []) == []


def test_vendor_api_on_a_seller_account_is_skipped_with_its_role(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.config.roles = {"Amazon Fulfillment"}
    result = run_sync(
        sim.tap_config(marketplaces=["US"]),
        catalog=select("vendor_purchase_orders", "fba_inventory_summaries"),
    )
    assert "vendor_purchase_orders" not in result.records
    assert result.records["fba_inventory_summaries"]
    assert "Inventory and Order Management (vendor)" in caplog.text


def test_product_details_batch_20_asins_from_the_listings_report_shared_with_products_inventory() -> (
    None
):
    simulator = Simulator(SimulatorConfig(time_scale=FAST, size="medium"))
    with simulator.running() as sim:
        result = run_sync(
            sim.tap_config(marketplaces=["US", "JP"]),
            catalog=select("product_details", "products_inventory"),
        )
        details = result.records["product_details"]
        for marketplace in (US, "A1VC38T7YXB528"):
            products = {p.asin: p for p in sim.data.products(marketplace)}
            got = {r["asin"]: r for r in details if r["marketplace_id"] == marketplace}
            assert set(got) == set(products)  # every ASIN of the listings, each once
            for asin, row in got.items():
                assert (
                    row["summaries"][0]["itemName"] == products[asin].name
                )  # "ステンレス包丁 ..."
                types = {i["identifierType"] for i in row["identifiers"][0]["identifiers"]}
                assert {"EAN", "SKU"} <= types
        per_marketplace = -(-len(sim.data.products(US)) // 20)
        assert sim.calls["catalogItems_2022-04-01.searchCatalogItems"] == 2 * per_marketplace
        # One listings report per marketplace serves both streams.
        assert sim.calls["reports_2021-06-30.createReport"] == 2
        assert sim.calls["reports_2021-06-30.getReportDocument"] == 2
        assert len(result.records["products_inventory"]) == 2 * len(sim.data.products(US))


def test_listings_items_page_with_page_token(sim: Simulator) -> None:
    result = run_sync(sim.tap_config(marketplaces=["DE", "JP"]), catalog=select("listings_items"))
    rows = result.records["listings_items"]
    for marketplace in (DE, "A1VC38T7YXB528"):
        products = {p.sku: p for p in sim.data.products(marketplace)}
        got = {r["sku"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == set(products)
        for sku, row in got.items():
            assert row["summaries"][0]["itemName"] == products[sku].name
            assert row["fulfillmentAvailability"][0]["quantity"] == products[sku].quantity
    assert any(r["issues"] for r in rows)
    pages = sum(-(-len(sim.data.products(m)) // 2) for m in (DE, "A1VC38T7YXB528"))
    assert sim.calls["listingsItems_2021-08-01.searchListingsItems"] == pages


def test_listings_items_without_seller_id_says_so_and_skips(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    config = sim.tap_config(marketplaces=["DE"])
    del config["seller_id"]
    result = run_sync(config, catalog=select("listings_items"))
    assert "listings_items" not in result.records
    assert "needs seller_id" in caplog.text
    assert sim.calls["listingsItems_2021-08-01.searchListingsItems"] == 0


def test_direct_fulfillment_orders_invoices_and_shipments_by_7_day_windows(sim: Simulator) -> None:
    from sp_api_simulator.families.vendor import (
        direct_fulfillment_orders,
        purchase_orders,
    )

    start = "2026-10-01T00:00:00Z"
    config = sim.tap_config(marketplaces=["US"], start_date=start)
    result = run_sync(
        config,
        catalog=select(
            "vendor_fulfilment_purchase_orders",
            "vendor_fulfilment_customer_invoices",
            "vendor_shipments",
        ),
    )
    orders = {
        o["purchaseOrderNumber"]: o
        for o in direct_fulfillment_orders(sim)
        if o["orderDetails"]["orderDate"] > start
    }
    got = result.records["vendor_fulfilment_purchase_orders"]
    assert sorted(r["purchaseOrderNumber"] for r in got) == sorted(orders)  # each once
    for row in got:
        assert row["orderDetails"]["shipToParty"]["name"] == "Zoë Åkesson"
    invoices = result.records["vendor_fulfilment_customer_invoices"]
    shipped = {n for n, o in orders.items() if o["orderDetails"]["orderStatus"] == "SHIPPED"}
    assert {r["purchaseOrderNumber"] for r in invoices} == shipped
    closed = {
        f"SHP-{o['purchaseOrderNumber']}"
        for o in purchase_orders(sim)
        if o["purchaseOrderState"] == "Closed"
        and o["orderDetails"]["purchaseOrderStateChangedDate"] > start
    }
    assert {r["vendorShipmentIdentifier"] for r in result.records["vendor_shipments"]} == closed
    # The bookmark is the end of the last window read whole; the next run starts there.
    bookmark = result.states[-1]["bookmarks"]["vendor_fulfilment_purchase_orders"]["partitions"][0][
        "replication_key_value"
    ]
    calls = sim.calls["vendorDirectFulfillmentOrders_2021-12-28.getOrders"]
    again = run_sync(
        config, catalog=select("vendor_fulfilment_purchase_orders"), state=result.states[-1]
    )
    assert sim.calls["vendorDirectFulfillmentOrders_2021-12-28.getOrders"] - calls <= 1
    assert all(
        r["windowEnd"] > bookmark
        for r in again.records.get("vendor_fulfilment_purchase_orders", [])
    )


def test_a_stream_with_no_partition_for_the_config_is_skipped_and_the_sync_goes_on(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A US + CA seller with the EU-only multi-country inventory report selected (as the
    default catalog does): that stream says it has nothing to sync; the next one is read."""
    with caplog.at_level(logging.INFO):
        result = run_sync(
            sim.tap_config(marketplaces=["US", "CA"]),
            catalog=select("afn_inventory_country", "fba_inventory_summaries"),
        )
    assert "afn_inventory_country" not in result.records
    assert "Stream afn_inventory_country has nothing to sync for this config" in caplog.text
    assert len(result.records["fba_inventory_summaries"]) == len(sim.data.products(US)) + len(
        sim.data.products("A2EUQ1WTGCTBG2")
    )
