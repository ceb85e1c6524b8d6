"""Listings, seller feedback, archived and unshipped orders reports, compared with the
documents the simulator rendered: localised headers, dates the way each marketplace's
site writes them, and a restricted report read with a Restricted Data Token."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.data import MARKETPLACES_BY_ID
from sp_api_simulator.families.reports import store
from sp_api_simulator.report_documents_seller import (
    ARCHIVE_AGE,
    feedback_of,
    listing_state,
)
from tests import instants
from tests.conftest import FAST, run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE, GB, JP = "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1F83G8C2ARO7P", "A1VC38T7YXB528"


def config(sim: Simulator, **overrides: Any) -> dict:
    values: dict[str, Any] = {
        "marketplaces": ["US", "DE", "JP"],
        "start_date": (instants.midnight() - timedelta(days=40)).isoformat(),
        "report_poll_interval": 0.02,
    }
    values.update(overrides)
    return sim.tap_config(**values)


def sync(sim: Simulator, *streams: str, state: dict | None = None, **overrides: Any):
    return run_sync(config(sim, **overrides), catalog=select(*streams), state=state or {})


@pytest.mark.parametrize(
    ("stream", "state"),
    [
        ("active_listings", "Active"),
        ("active_listings_back_compat", "Active"),
        ("inactive_listings", "Inactive"),
        ("cancelled_listings", "Cancelled"),
    ],
)
def test_listings_reports_typed_per_sku(sim: Simulator, stream: str, state: str) -> None:
    rows = sync(sim, stream).records[stream]
    for marketplace in (US, DE, JP):
        products = {
            p.sku: p
            for i, p in enumerate(sim.data.products(marketplace))
            if listing_state(i) == state
        }
        got = {r["seller_sku"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == set(products), marketplace
        for sku, row in got.items():
            assert row["item_name"] == products[sku].name  # Japanese and German names
            assert Decimal(str(row["price"])) == products[sku].price
            assert row["asin1"] == products[sku].asin
            assert row["item_is_marketplace"] is True
            assert row["open_date"] == products[sku].opened.astimezone(UTC).isoformat()
            assert row["quantity"] == (products[sku].quantity if state == "Active" else 0)
    assert any(not r["item_name"].isascii() for r in rows)
    if stream == "active_listings":  # a column the stream does not declare is kept
        assert all(
            Decimal(r["extra_columns"]["Business Price"].replace(",", "."))
            == Decimal(str(r["price"]))
            for r in rows
            if r["marketplace_id"] == DE
        )
    if stream == "cancelled_listings":
        assert {r["status"] for r in rows} == {"Cancelled"}
    assert all(r["marketplace_id"] and r["report_id"] for r in rows)


def test_suppressed_listings_with_local_dates(sim: Simulator) -> None:
    rows = sync(sim, "suppressed_listings", marketplaces=["US", "UK", "DE", "JP"]).records[
        "suppressed_listings"
    ]
    for marketplace in (US, GB, DE, JP):
        products = [p for i, p in enumerate(sim.data.products(marketplace)) if i % 5 == 2]
        got = {r["sku"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert set(got) == {p.sku for p in products}, marketplace
        for index, p in enumerate(products):
            row = got[p.sku]
            i = 5 * index + 2
            # 11/20/2026 in the US, 20/11/2026 in the UK, 20.11.2026 in DE, 2026/11/20 in JP.
            assert (
                row["status_change_date"] == (p.opened + timedelta(days=30 + i)).date().isoformat()
            )
            assert row["product_name"] == p.name
            assert row["status"] == "Search Suppressed"
            assert row["reason"] and row["issue_description"]


def test_seller_feedback_in_each_language_and_date_spelling(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    start = instants.midnight() - timedelta(days=40)
    with caplog.at_level(logging.WARNING):
        result = sync(sim, "seller_feedback", marketplaces=["US", "UK", "DE", "FR", "JP"])
    rows = result.records["seller_feedback"]
    assert "none of its columns" not in caplog.text
    for marketplace in (US, GB, DE, JP, "A13V1IB3VIYZZH"):
        got = {r["order_id"]: r for r in rows if r["marketplace_id"] == marketplace}
        end = max(datetime.fromisoformat(r["report_end_date"]) for r in got.values())
        expected = {
            f[4]: f for f in feedback_of(sim.data, MARKETPLACES_BY_ID[marketplace], start, end)
        }
        assert expected and set(got) == set(expected), marketplace
        for order_id, (left, rating, comment, response, _, email) in expected.items():
            row = got[order_id]
            assert row["date"] == left.date().isoformat()  # 11/20/26, 20/11/26, 20.11.26 ...
            assert row["rating"] == rating
            assert row["comments"] == comment
            assert row["response"] == (response or None)
            assert row["rater_email"] == email
            assert row["extra_columns"] is None
    assert any(not r["comments"].isascii() for r in rows if r["marketplace_id"] == JP)


def test_seller_feedback_incremental_runs_neither_lose_nor_repeat(sim: Simulator) -> None:
    first = sync(sim, "seller_feedback", marketplaces=["US"])
    state = first.states[-1]
    bookmark = state["bookmarks"]["seller_feedback"]["partitions"][0]["replication_key_value"]
    assert bookmark
    second = sync(sim, "seller_feedback", marketplaces=["US"], state=state)
    # Whole days: the second run re-reads at most today's window; nothing before it.
    later = second.records.get("seller_feedback", [])
    midnight = datetime.fromisoformat(bookmark).replace(hour=0, minute=0, second=0)
    assert all(datetime.fromisoformat(r["report_start_date"]) >= midnight for r in later)
    keys = [r["order_id"] for r in first.records["seller_feedback"]]
    assert len(keys) == len(set(keys))


def test_archived_orders_only_older_than_18_months(sim: Simulator) -> None:
    archived_before = sim.data.orders.as_of - ARCHIVE_AGE
    start = archived_before - timedelta(days=40)
    rows = sync(
        sim, "archived_orders_report", marketplaces=["US"], start_date=start.isoformat()
    ).records["archived_orders_report"]
    last_end = max(datetime.fromisoformat(r["report_end_date"]) for r in rows)
    assert last_end <= archived_before - timedelta(days=1)
    expected = {
        (o.order_id, line.product.sku): (o, line)
        for o in sim.data.orders.created_between(US, start, last_end)
        for line in o.lines
    }
    got = {(r["amazon_order_id"], r["sku"]): r for r in rows}
    assert expected and set(got) == set(expected)
    for key, (order, line) in expected.items():
        assert got[key]["purchase_date"] == order.created.astimezone(UTC).isoformat()
        assert got[key]["quantity"] == line.quantity
    # No window was asked for after the archive edge.
    created = [
        r
        for r in store(sim).reports.values()
        if r.report_type.endswith("ARCHIVED_ORDERS_DATA_BY_ORDER_DATE")
    ]
    assert created and all(r.data_end <= archived_before - timedelta(days=1) for r in created)


def test_unshipped_orders_need_include_pii(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        result = sync(sim, "unshipped_orders", marketplaces=["US"])
    assert "unshipped_orders" not in result.records
    assert "include_pii" in caplog.text
    assert not any(
        r.report_type == "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING"
        for r in store(sim).reports.values()
    )


def test_unshipped_orders_read_with_a_restricted_data_token(sim: Simulator) -> None:
    # Seller-fulfilled orders ship within a day or two: place some and make them unshipped.
    sim.data.orders.mutate(sim.data.orders.as_of, new=4, advance=0, cancel=0)
    sim.data.orders.mutate(sim.data.orders.as_of, new=0, advance=8, cancel=0)
    rows = sync(sim, "unshipped_orders", marketplaces=["US", "DE"], include_pii=True).records[
        "unshipped_orders"
    ]
    now = sim.data.orders.as_of
    for marketplace in (US, DE):
        expected = {
            line.item_id: (o, line)
            for o in sim.data.orders.created_between(marketplace, now - timedelta(days=30), now)
            if o.fulfilled_by == "MERCHANT" and o.status in ("UNSHIPPED", "PARTIALLY_SHIPPED")
            for line in o.lines
        }
        got = {r["order_item_id"]: r for r in rows if r["marketplace_id"] == marketplace}
        assert expected and set(got) == set(expected), marketplace
        for item_id, (order, line) in expected.items():
            row = got[item_id]
            assert row["order_id"] == order.order_id
            assert row["buyer_name"] == order.buyer_name == row["recipient_name"]
            assert row["ship_address_1"] == order.street
            assert row["quantity_purchased"] == line.quantity
            assert row["quantity_to_ship"] + row["quantity_shipped"] == line.quantity
            assert row["is_business_order"] is order.business
    assert sim.tokens.rdts_issued == 2  # one per document: the RDT names the document's path


def test_unshipped_orders_without_the_restricted_role_fail_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator = Simulator(
        SimulatorConfig(time_scale=FAST, roles={"Inventory and Order Tracking", "Product Listing"})
    )
    with simulator.running(), caplog.at_level(logging.WARNING):
        result = run_sync(
            config(simulator, marketplaces=["US"], include_pii=True),
            catalog=select("unshipped_orders", "active_listings"),
        )
    assert "Direct-to-Consumer Shipping (restricted)" in caplog.text
    assert "unshipped_orders" not in result.records
    assert result.records["active_listings"]  # the other streams go on
    assert "Atz.sprdt|" not in caplog.text


def test_local_dates_read_by_marketplace() -> None:
    from tap_amazon_seller.reports.spec import columns

    (column,) = columns("Date|Datum:local-date")
    assert column.header_names == ("date", "datum")
    assert columns("日付|Date")[0].header_names == ("日付", "date")
    assert column.caster_for(US)("11/20/26") == "2026-11-20"
    assert column.caster_for(GB)("20/11/2026") == "2026-11-20"
    assert column.caster_for(DE)("20.11.26") == "2026-11-20"
    assert column.caster_for(JP)("2026/11/20") == "2026-11-20"
    assert column.caster_for(GB)("2026-11-20") == "2026-11-20"
    with pytest.raises(ValueError):
        column.caster_for(US)("20/11/2026")  # month 20: an error, not a wrong date


def test_shipping_order_report_xml_restricted_with_buyer_and_address(sim: Simulator) -> None:
    start = instants.midnight() - timedelta(days=40)
    rows = sync(
        sim, "shipping_orders_xml_report", marketplaces=["US", "JP"], include_pii=True
    ).records["shipping_orders_xml_report"]
    for marketplace in (US, JP):
        got = {r["amazon_order_id"]: r for r in rows if r["marketplace_id"] == marketplace}
        end = max(datetime.fromisoformat(r["report_end_date"]) for r in got.values())
        expected = {
            o.order_id: o
            for o in sim.data.orders.created_between(marketplace, start, end)
            if o.fulfilled_by == "MERCHANT" and o.status != "CANCELLED"
        }
        assert expected and set(got) == set(expected), marketplace
        for order_id, order in expected.items():
            row = got[order_id]
            assert row["order_date"] == order.created.astimezone(UTC).isoformat()
            assert row["buyer_name"] == order.buyer_name == row["ship_name"]
            assert row["ship_address_1"] == order.street
            assert row["ship_postal_code"] == order.city[2]
            assert [i["sku"] for i in row["items"]] == [line.product.sku for line in order.lines]
            for item, line in zip(row["items"], order.lines, strict=True):
                assert item["title"] == line.product.name  # Japanese names in Shift_JIS
                assert item["quantity"] == line.quantity
                prices = {p["type"]: p for p in item["item_price"]}
                assert Decimal(str(prices["Principal"]["amount"])) == line.price
                assert prices["Principal"]["currency"] == MARKETPLACES_BY_ID[marketplace].currency
    assert sim.tokens.rdts_issued >= 2  # one per document


def test_shipping_order_report_not_requested_without_include_pii(sim: Simulator) -> None:
    result = sync(sim, "shipping_orders_xml_report", marketplaces=["US"])
    assert "shipping_orders_xml_report" not in result.records
    assert not any(
        r.report_type == "GET_ORDER_REPORT_DATA_SHIPPING" for r in store(sim).reports.values()
    )


def test_all_listings_status_agrees_with_the_other_listings_reports(sim: Simulator) -> None:
    rows = sync(sim, "products_inventory", "inactive_listings", marketplaces=["DE"]).records
    status = {r["seller_sku"]: r["status"] for r in rows["products_inventory"]}
    assert {"Active", "Inactive", "Cancelled"} <= set(status.values())
    assert {r["seller_sku"] for r in rows["inactive_listings"]} == {
        sku for sku, s in status.items() if s == "Inactive"
    }
