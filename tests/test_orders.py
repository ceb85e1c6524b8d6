"""Orders family: every order and item once per change, from either source, per marketplace."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from sp_api_simulator.orders_data import SimOrder
from tap_amazon_seller import clock
from tap_amazon_seller.streams.orders import ReportShapeError, order_from_report, order_from_v0
from tests import instants
from tests.conftest import FAST, run_sync, select
from tests.test_conformance import access_token, call, response_validator

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
FAMILY = ("orders", "order_items", "order_buyer_info", "order_address")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, page_size=25))
    with simulator.running():
        yield simulator


def truth(sim: Simulator, since: datetime | None = None) -> dict[str, SimOrder]:
    """The simulator's orders updated since `since` (the test's start date), as they stand
    now, by id."""
    since = since or instants.days_ago(45)
    now = clock.now()
    return {o.order_id: o for m in (US, DE) for o in sim.data.orders.updated_between(m, since, now)}


def config(sim: Simulator, **overrides: object) -> dict:
    return sim.tap_config(
        **{
            "marketplaces": ["US", "DE"],
            "start_date": instants.days_ago(45).isoformat(),
            **overrides,
        }
    )


def assert_matches(records: dict[str, list[dict]], expected: dict[str, SimOrder]) -> None:
    orders = records["orders"]
    assert Counter(o["orderId"] for o in orders) == Counter(list(expected)), (
        "each order exactly once"
    )
    for order in orders:
        sim_order = expected[order["orderId"]]
        assert order["lastUpdatedTime"] == sim_order.last_updated.isoformat()
        assert order["createdTime"] == sim_order.created.isoformat()
        assert order["fulfillment"]["fulfillmentStatus"] == sim_order.status
        assert order["marketplace_id"] == sim_order.marketplace_id
        assert order["salesChannel"]["marketplaceId"] == sim_order.marketplace_id
    items = records["order_items"]
    # Every line once under its own id, from either source: two lines of one SKU included.
    assert Counter((i["orderId"], i["orderItemId"]) for i in items) == Counter(
        (o.order_id, line.item_id) for o in expected.values() for line in o.lines
    )
    lines = {(o.order_id, line.item_id): (o, line) for o in expected.values() for line in o.lines}
    for item in items:
        sim_order, line = lines[(item["orderId"], item["orderItemId"])]
        assert item["sellerSku"] == item["product"]["sellerSku"] == line.product.sku
        assert item["quantityOrdered"] == line.quantity
        assert item["product"]["title"] == line.product.name  # é, ü, ß, ñ, Japanese
        if sim_order.status != "CANCELLED":  # the report has no prices for cancelled orders
            item_total = next(b for b in item["proceeds"]["breakdowns"] if b["type"] == "ITEM")
            assert Decimal(item_total["subtotal"]["amount"]) == line.price
            assert item_total["subtotal"]["currencyCode"] == sim_order.currency
    for stream in ("order_buyer_info", "order_address"):
        assert Counter(r["orderId"] for r in records[stream]) == Counter(list(expected))
    for address in records["order_address"]:
        sim_order = expected[address["orderId"]]
        assert address["city"] == sim_order.city[0]
        assert address["countryCode"] == sim_order.country


@pytest.mark.parametrize("source", ["auto", "report", "api"])
def test_each_source_delivers_every_order_and_item_once(sim: Simulator, source: str) -> None:
    result = run_sync(config(sim, orders_source=source), catalog=select(*FAMILY))
    expected = truth(sim)
    assert len(expected) > 100
    # The data has orders with two lines of one SKU: a key of order and SKU would merge them.
    assert any(
        len({line.product.sku for line in o.lines}) < len(o.lines) for o in expected.values()
    )
    assert_matches(result.records, expected)
    # No call per order, whatever the source.
    assert sim.calls["orders_2026-01-01.getOrder"] == 0
    assert sim.calls["ordersV0.getOrderItems"] == 0
    reports = sim.calls["reports_2021-06-30.createReport"]
    searches = sim.calls["orders_2026-01-01.searchOrders"]
    if source == "api":
        assert reports == 0 and searches >= 2
    elif source == "report":
        assert reports == 4 and searches == 0  # 45 days: two 30-day windows, two marketplaces
    else:  # the backfill from reports, the last day from the API
        assert reports == 4 and 2 <= searches < len(expected) / 25
    # Orders placed and updated on midnight (a window edge) are there too.
    assert any(o["lastUpdatedTime"].endswith("T00:00:00+00:00") for o in result.records["orders"])


def test_one_bookmark_per_marketplace_and_stream_at_the_latest_update(sim: Simulator) -> None:
    result = run_sync(config(sim), catalog=select(*FAMILY))
    expected = truth(sim)
    final = result.states[-1]["bookmarks"]
    for stream in FAMILY:
        partitions = final[stream]["partitions"]
        assert sorted(p["context"]["marketplace_id"] for p in partitions) == [DE, US]
        for partition in partitions:
            market = partition["context"]["marketplace_id"]
            latest = max(o.last_updated for o in expected.values() if o.marketplace_id == market)
            assert partition["replication_key_value"] == latest.isoformat()  # never "now"


def test_incremental_run_after_changes_delivers_each_change_once(sim: Simulator) -> None:
    first = run_sync(config(sim), catalog=select(*FAMILY))
    before = truth(sim)
    touched = sim.mutate_orders(marketplace_ids=[US, DE], new=2, advance=2, cancel=1)
    changed = {i for ids in touched.values() for i in ids}
    # 2 new and 2 moved on in each of US and DE, and a cancellation where an order is open.
    assert len(touched["new"]) == len(touched["advanced"]) == 4
    assert len(changed) == sum(len(ids) for ids in touched.values())
    second = run_sync(config(sim), catalog=select(*FAMILY), state=first.states[-1])
    after = truth(sim)
    got = Counter(o["orderId"] for o in second.records["orders"])
    # Every change, once, with its new status; besides them only the order(s) updated exactly
    # at the old bookmark are read again (the bookmark is inclusive: an upsert, not a loss).
    assert set(changed) <= set(got) and all(got[i] == 1 for i in got)
    bookmarks = {
        p["context"]["marketplace_id"]: p["replication_key_value"]
        for p in first.states[-1]["bookmarks"]["orders"]["partitions"]
    }
    for order_id in set(got) - changed:
        order = after[order_id]
        assert order.last_updated.isoformat() == bookmarks[order.marketplace_id]
    for order in second.records["orders"]:
        assert order["fulfillment"]["fulfillmentStatus"] == after[order["orderId"]].status
    for order_id in touched["cancelled"]:
        assert after[order_id].status == "CANCELLED"
    # The union of both runs, latest record per key, equals the simulator's orders now.
    union = {o["orderId"]: o for o in first.records["orders"] + second.records["orders"]}
    assert set(union) == set(after) == set(before) | set(touched["new"])
    assert all(union[i]["lastUpdatedTime"] == after[i].last_updated.isoformat() for i in after)
    # A tail this short reads the API only: no report, one or two searches per marketplace.
    assert sim.calls["reports_2021-06-30.createReport"] == 4  # the first run's


def test_interrupted_sync_resumed_from_its_state_loses_nothing(sim: Simulator) -> None:
    # The DE report of the first window fails: DE stops there, US goes on.
    sim.faults.fatal_report_types = {
        f"GET_XML_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL@{DE}@{instants.days_ago(45).date().isoformat()}"
    }
    broken = run_sync(config(sim), catalog=select(*FAMILY))
    expected = truth(sim)
    assert {o["marketplace_id"] for o in broken.records["orders"]} == {US}
    de_state = [
        p
        for p in broken.states[-1]["bookmarks"]["orders"]["partitions"]
        if p["context"]["marketplace_id"] == DE
    ]
    assert not de_state or "replication_key_value" not in de_state[0]  # did not move
    sim.faults.fatal_report_types = set()
    resumed = run_sync(config(sim), catalog=select(*FAMILY), state=broken.states[-1])
    union = {o["orderId"] for o in broken.records["orders"] + resumed.records["orders"]}
    assert union == set(expected)
    assert {o["marketplace_id"] for o in resumed.records["orders"]} >= {DE}


def test_a_failed_api_tail_holds_the_bookmark_at_the_last_complete_window(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    # Reports for the backfill succeed; searchOrders for the tail fails past max_retries.
    sim.faults.script["orders_2026-01-01.searchOrders"] = [500] * 10
    with caplog.at_level(logging.ERROR):
        broken = run_sync(config(sim, marketplaces=["US"], max_retries=1), catalog=select(*FAMILY))
    assert "could not be read" in caplog.text
    bookmark = broken.states[-1]["bookmarks"]["orders"]["partitions"][0]["replication_key_value"]
    tail_start = max(o["lastUpdatedTime"] for o in broken.records["orders"])
    assert bookmark <= tail_start
    sim.faults.script.clear()
    resumed = run_sync(
        config(sim, marketplaces=["US"]), catalog=select(*FAMILY), state=broken.states[-1]
    )
    union = {o["orderId"] for o in broken.records["orders"] + resumed.records["orders"]}
    assert union == {i for i, o in truth(sim).items() if o.marketplace_id == US}


def test_a_child_stream_alone_keeps_its_own_bookmark(sim: Simulator) -> None:
    first = run_sync(config(sim, orders_source="api"), catalog=select("order_items"))
    assert "orders" not in first.records and first.records["order_items"]
    calls = sim.calls["orders_2026-01-01.searchOrders"]
    second = run_sync(
        config(sim, orders_source="api"), catalog=select("order_items"), state=first.states[-1]
    )
    # The second run starts at order_items' bookmark: a page or so, not the whole range again.
    assert sim.calls["orders_2026-01-01.searchOrders"] - calls <= 2
    assert len(second.records.get("order_items", [])) < 10


def test_pii_only_with_the_opt_in_and_one_token_per_region(sim: Simulator) -> None:
    plain = run_sync(config(sim, orders_source="api"), catalog=select(*FAMILY))
    assert not any("buyerEmail" in b for b in plain.records["order_buyer_info"])
    assert not any("addressLine1" in a for a in plain.records["order_address"])
    assert sim.tokens.rdts_issued == 0
    with_pii = run_sync(config(sim, orders_source="api", include_pii=True), catalog=select(*FAMILY))
    buyers = with_pii.records["order_buyer_info"]
    assert buyers and all(b["buyerEmail"].endswith(("amazon.com", "amazon.de")) for b in buyers)
    expected = truth(sim)
    assert {b["buyerName"] for b in buyers} == {o.buyer_name for o in expected.values()}
    assert all(a["addressLine1"] for a in with_pii.records["order_address"])
    assert sim.tokens.rdts_issued == 2  # one for NA, one for EU, however many pages


def test_pii_refused_goes_on_without_it(caplog: pytest.LogCaptureFixture) -> None:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, roles={"Inventory and Order Tracking"}))
    with simulator.running(), caplog.at_level(logging.ERROR):
        result = run_sync(
            config(simulator, orders_source="api", include_pii=True), catalog=select(*FAMILY)
        )
    assert "Direct-to-Consumer Shipping (restricted)" in caplog.text
    assert len(result.records["orders"]) == len(truth(simulator))
    assert not any("buyerEmail" in b for b in result.records["order_buyer_info"])


def test_order_ids_syncs_just_those_and_leaves_bookmarks_alone(sim: Simulator) -> None:
    first = run_sync(config(sim), catalog=select(*FAMILY))
    wanted = [*sorted(truth(sim))[:3], "111-0000000-0000000"]  # the last one does not exist
    result = run_sync(
        config(sim, order_ids=wanted), catalog=select(*FAMILY), state=first.states[-1]
    )
    assert sorted(o["orderId"] for o in result.records["orders"]) == wanted[:3]
    assert sorted(i["orderId"] for i in result.records["order_items"]) == sorted(
        o.order_id for o in truth(sim).values() if o.order_id in wanted for _ in o.lines
    )
    assert result.states[-1]["bookmarks"] == first.states[-1]["bookmarks"]


def test_search_orders_answers_with_pii_match_the_model(sim: Simulator) -> None:
    token = access_token(sim)
    rdt = call(
        sim,
        "tokens_2021-03-01.createRestrictedDataToken",
        "na",
        {},
        {},
        token,
        {
            "restrictedResources": [
                {
                    "method": "GET",
                    "path": "/orders/2026-01-01/orders",
                    "dataElements": ["buyerInfo", "shippingAddress"],
                }
            ]
        },
    ).json()["restrictedDataToken"]
    query = {
        "lastUpdatedAfter": instants.days_ago(45).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "marketplaceIds": US,
        "includedData": "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT",
    }
    answer = call(sim, "orders_2026-01-01.searchOrders", "na", {}, query, rdt)
    assert answer.status_code == 200
    assert answer.json()["orders"][0]["buyer"]["buyerEmail"]
    assert not list(
        response_validator("orders_2026-01-01.searchOrders", 200).iter_errors(answer.json())
    )


@pytest.mark.parametrize(
    "query",
    [
        {"createdAfter": "2026-10-01T00:00:00Z", "lastUpdatedAfter": "2026-10-01T00:00:00Z"},
        {"createdAfter": "2026-10-01T00:00:00Z", "lastUpdatedBefore": "2026-10-02T00:00:00Z"},
        {"lastUpdatedBefore": "2026-10-02T00:00:00Z"},
        {
            "lastUpdatedAfter": "2026-10-01T00:00:00Z",
            "lastUpdatedBefore": "NOW",  # now when the test runs, not when collected
        },
        {"lastUpdatedAfter": "2026-10-02T00:00:00Z", "lastUpdatedBefore": "2026-10-01T00:00:00Z"},
        {"lastUpdatedAfter": "2026-10-01T00:00:00Z", "maxResultsPerPage": 101},
        {"lastUpdatedAfter": "2026-10-01T00:00:00Z", "includedData": "EVERYTHING"},
    ],
)
def test_search_orders_refuses_what_the_model_forbids(sim: Simulator, query: dict) -> None:
    now = clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {k: now if v == "NOW" else v for k, v in query.items()}
    answer = call(sim, "orders_2026-01-01.searchOrders", "na", {}, query, access_token(sim))
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"
    assert not list(
        response_validator("orders_2026-01-01.searchOrders", 400).iter_errors(answer.json())
    )


def test_v0_fallback_reads_every_page_of_an_orders_items() -> None:
    # One item a page: an order's second line comes only with its NextToken.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, orders_2026_regions={"na"}, page_size=1))
    start = instants.days_ago(4)
    with simulator.running():
        result = run_sync(
            config(
                simulator, marketplaces=["DE"], orders_source="api", start_date=start.isoformat()
            ),
            catalog=select("orders", "order_items"),
        )
        expected = {
            o.order_id: o for o in simulator.data.orders.updated_between(DE, start, clock.now())
        }
    assert any(len(o.lines) > 1 for o in expected.values())
    calls = (
        simulator.calls["ordersV0.getOrderItems"] - simulator.throttled["ordersV0.getOrderItems"]
    )
    assert calls == sum(len(o.lines) for o in expected.values())  # a page per line
    got = Counter((i["orderId"], i["orderItemId"]) for i in result.records["order_items"])
    assert got == Counter((o.order_id, line.item_id) for o in expected.values() for line in o.lines)


def test_report_orders_read_defensively() -> None:
    """Amazon's own spellings: `Shipped`, `Amazon`, components by type, no prices when
    cancelled, discounts of either sign."""
    element = {
        "amazon_order_id": "028-1234567-1234567",
        "merchant_order_id": None,
        "purchase_date": "2026-11-20T09:00:00+00:00",
        "last_updated_date": "2026-11-21T09:00:00+00:00",
        "order_status": "Shipped",
        "fulfillment_channel": "Amazon",
        "sales_channel": "Amazon.de",
        "ship_service_level": "Expedited",
        "is_business_order": False,
        "order_items": [
            {
                "amazon_order_item_code": "11111111111111",
                "product_name": "Weißbier-Gläser",
                "sku": "A-1",
                "asin": "B000000001",
                "item_status": "Shipped",
                "quantity": 2,
                "item_price": [
                    {"type": "Principal", "amount": Decimal("21.00"), "currency": "EUR"},
                    {"type": "Tax", "amount": Decimal("3.99"), "currency": "EUR"},
                    {"type": "ShippingTax", "amount": Decimal("0.50"), "currency": "EUR"},
                    {"type": "SomethingNew", "amount": Decimal("1.00"), "currency": "EUR"},
                ],
                "promotions": [
                    {"promotion_ids": "P1, P2", "item_promotion_discount": Decimal("-2.00")},
                    {"promotion_ids": None, "ship_promotion_discount": Decimal("0.50")},
                ],
            },
            {
                "amazon_order_item_code": "22222222222222",
                "product_name": "抹茶ボウル",
                "sku": "A-1",  # the same SKU again: a line of its own
                "item_status": "Cancelled",
                "quantity": 1,
                "item_price": [],
            },
        ],
    }
    order = order_from_report(element, DE)
    assert order["fulfillment"] == {
        "fulfillmentStatus": "SHIPPED",
        "fulfilledBy": "AMAZON",
        "fulfillmentServiceLevel": "EXPEDITED",
    }
    # Not a business order, and the report says nothing of PRIME: unknown, not [].
    assert order["programs"] is None and "orderAliases" not in order
    first, second = order["orderItems"]
    assert [first["orderItemId"], second["orderItemId"]] == ["11111111111111", "22222222222222"]
    assert first["product"]["price"]["unitPrice"] == {"amount": "10.50", "currencyCode": "EUR"}
    assert first["fulfillment"] == {"quantityFulfilled": 2, "quantityUnfulfilled": 0}
    assert {b["type"]: b["subtotal"]["amount"] for b in first["proceeds"]["breakdowns"]} == {
        "ITEM": "21.00",
        "TAX": "4.49",
        "OTHER": "1.00",
        "DISCOUNT": "-2.50",
    }
    assert first["promotion"] == {"breakdowns": [{"promotionId": "P1"}, {"promotionId": "P2"}]}
    assert second["fulfillment"] == {"quantityFulfilled": 0, "quantityUnfulfilled": 0}
    assert "proceeds" not in second and second["product"]["title"] == "抹茶ボウル"
    assert order["proceeds"]["grandTotal"] == {"amount": "23.99", "currencyCode": "EUR"}
    business = order_from_report({**element, "is_business_order": True}, DE)
    assert business["programs"] == ["AMAZON_BUSINESS"]


def _asserted_leaves(value: object, path: str = "") -> list[str]:
    """Paths of the values in a record that assert something: all but null and the ids."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _asserted_leaves(v, f"{path}.{k}")]
    if isinstance(value, list):
        if not value:
            return [f"{path} = []"]
        return [p for i, v in enumerate(value) for p in _asserted_leaves(v, f"{path}[{i}]")]
    return [] if value is None else [f"{path} = {value!r}"]


# What each mapping is given besides ids: nothing. Every other field must come out null.
_IDS = {".orderId", ".orderItems[0].orderItemId", ".salesChannel.marketplaceId"}


def test_a_bare_report_order_asserts_nothing_it_was_not_told() -> None:
    element = {"amazon_order_id": "028-1", "order_items": [{"amazon_order_item_code": "1"}]}
    order = order_from_report(element, DE)
    asserted = {p.split(" = ")[0] for p in _asserted_leaves(order)}
    assert asserted == _IDS, _asserted_leaves(order)


def test_a_bare_v0_order_asserts_nothing_it_was_not_told() -> None:
    order = order_from_v0({"AmazonOrderId": "028-1", "MarketplaceId": DE}, [{"OrderItemId": "1"}])
    asserted = {p.split(" = ")[0] for p in _asserted_leaves(order)}
    assert asserted == _IDS, _asserted_leaves(order)
    told = order_from_v0(
        {"AmazonOrderId": "028-1", "IsPrime": "false", "IsBusinessOrder": False}, []
    )
    assert told["programs"] == []  # both flags given, both false: known to be none


def test_a_report_item_without_its_id_is_a_shape_error_not_a_nameless_line() -> None:
    # A DocumentError: the marketplace stops at that window, its bookmarks held (as for a
    # FATAL report, tested above).
    with pytest.raises(ReportShapeError, match=r"028-1.*AmazonOrderItemCode"):
        order_from_report({"amazon_order_id": "028-1", "order_items": [{"sku": "A"}]}, DE)


def test_without_the_2026_api_the_tail_falls_back_to_v0(caplog: pytest.LogCaptureFixture) -> None:
    simulator = Simulator(SimulatorConfig(time_scale=FAST, orders_2026_regions={"na"}))
    with simulator.running(), caplog.at_level(logging.WARNING):
        result = run_sync(
            config(simulator, orders_source="api", include_pii=True), catalog=select(*FAMILY)
        )
        expected = truth(simulator)
    assert "Orders API v0" in caplog.text
    assert_matches(result.records, expected)
    de_orders = [i for i, o in expected.items() if o.marketplace_id == DE]
    # v0 costs one getOrderItems call per order: the reason it is only the fallback.
    # (A call throttled on a busy machine is retried: count the answered ones.)
    answered = (
        simulator.calls["ordersV0.getOrderItems"] - simulator.throttled["ordersV0.getOrderItems"]
    )
    assert answered == len(de_orders)
    de_buyers = [b for b in result.records["order_buyer_info"] if b["marketplace_id"] == DE]
    assert all(b["buyerEmail"] for b in de_buyers)  # PII through an RDT for the v0 path
    items = [i for i in result.records["order_items"] if i["marketplace_id"] == DE]
    assert all(i["orderItemId"] for i in items)


def test_a_refused_included_data_value_is_given_up_and_said(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    # Amazon's August 2026 defect, here in EU: a 400 naming nothing for FULFILLMENT.
    sim.faults.refused_included_data = {"FULFILLMENT@eu"}
    with caplog.at_level(logging.WARNING):
        result = run_sync(config(sim, orders_source="api"), catalog=select(*FAMILY))
    expected = truth(sim)
    assert Counter(o["orderId"] for o in result.records["orders"]) == Counter(list(expected))
    by_market = {
        m: [o for o in result.records["orders"] if o["marketplace_id"] == m] for m in (US, DE)
    }
    assert all(o["fulfillment"]["fulfillmentStatus"] for o in by_market[US])
    assert all(o.get("fulfillment") is None for o in by_market[DE])  # unknown, not guessed
    assert all(a["city"] for a in result.records["order_address"])  # the rest still there
    warning = [r.getMessage() for r in caplog.records if "refused includedData" in r.getMessage()]
    assert len(warning) == 1 and "region eu" in warning[0] and "FULFILLMENT" in warning[0]


def test_a_400_no_dataset_explains_fails_the_marketplace_as_it_came(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    sim.faults.script["orders_2026-01-01.searchOrders"] = [400] * 20
    with caplog.at_level(logging.WARNING):
        result = run_sync(
            config(sim, marketplaces=["US"], orders_source="api"), catalog=select(*FAMILY)
        )
    assert "orders" not in result.records
    assert "could not be read" in caplog.text and "refused includedData" not in caplog.text
    # Asked with every dataset, then giving them up one at a time: 7 calls, then it stops.
    assert sim.calls["orders_2026-01-01.searchOrders"] == 7
