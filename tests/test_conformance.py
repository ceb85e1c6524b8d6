"""The simulator and the shipped usage-plan table must agree with Amazon's models.

Reads ../shared/sp-api/models (tests may; the installed package never does).
Every answer of the simulator is validated against the response schema the model
declares for that operation and status, with `additionalProperties: false` added to
every object, so that the simulator can neither drop a required field nor invent one.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests

from sp_api_simulator import Simulator
from sp_api_simulator.server import simulated_operations
from tap_amazon_seller import clock
from tap_amazon_seller.rate_limits import operations
from tap_amazon_seller.streams.replenishment import DAILY_METRICS, ROLLING_METRICS
from tests.conftest import shared_models

ROOT = Path(__file__).resolve().parents[1]

US = "ATVPDKIKX0DER"
REPORT = {"reportType": "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA", "marketplaceIds": [US]}


def _report_id(sim: Simulator) -> str:
    """A report made through the API, finished (the simulator runs 1000x faster)."""
    answer = call(sim, "reports_2021-06-30.createReport", "na", {}, {}, access_token(sim), REPORT)
    report_id = answer.json()["reportId"]
    time.sleep(0.1)
    return report_id


def _document_id(sim: Simulator) -> str:
    report = call(
        sim,
        "reports_2021-06-30.getReport",
        "na",
        {"reportId": _report_id(sim)},
        {},
        access_token(sim),
    ).json()
    return report["reportDocumentId"]


def _last_week(days: int = 0, *, posted: bool = False) -> dict[str, str]:
    from datetime import timedelta

    end = clock.now() - timedelta(days=days, minutes=5)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    names = ("postedAfter", "postedBefore") if posted else ("createdAfter", "createdBefore")
    return {names[0]: (end - timedelta(days=7)).strftime(fmt), names[1]: end.strftime(fmt)}


# Per simulated operation: a function giving valid requests (region, path params, query, body)
# and the success status. A new operation without an entry fails test_every_operation_is_covered.
Case = tuple[str, dict[str, str], dict[str, Any], Any]
CONFORMANCE_REQUESTS: dict[str, tuple[int, Callable[[Simulator], list[Case]]]] = {
    "sellers.getMarketplaceParticipations": (
        200,
        lambda sim: [("na", {}, {}, None), ("eu", {}, {}, None), ("fe", {}, {}, None)],
    ),
    "sellers.getAccount": (200, lambda sim: [("eu", {}, {}, None)]),
    "reports_2021-06-30.createReport": (202, lambda sim: [("na", {}, {}, REPORT)]),
    "reports_2021-06-30.getReport": (
        200,
        lambda sim: [("na", {"reportId": _report_id(sim)}, {}, None)],
    ),
    "reports_2021-06-30.getReports": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {"reportTypes": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", "pageSize": 2},
                None,
            ),
            (
                "eu",
                {},
                {
                    "reportTypes": "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2,GET_LEDGER_DETAIL_VIEW_DATA",
                    "processingStatuses": "DONE,CANCELLED",
                    "marketplaceIds": "A1PA6795UKMFR9",
                },
                None,
            ),
        ],
    ),
    "fbaInventory.getInventorySummaries": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {
                    "details": "true",
                    "granularityType": "Marketplace",
                    "granularityId": US,
                    "marketplaceIds": US,
                },
                None,
            ),
            (
                "fe",
                {},
                {
                    "granularityType": "Marketplace",
                    "granularityId": "A1VC38T7YXB528",
                    "marketplaceIds": "A1VC38T7YXB528",
                },
                None,
            ),
        ],
    ),
    "awd_2024-05-09.listInventory": (
        200,
        lambda sim: [("na", {}, {"details": "SHOW", "maxResults": 5}, None), ("na", {}, {}, None)],
    ),
    "feeds_2021-06-30.getFeeds": (
        200,
        lambda sim: [
            ("eu", {}, {"feedTypes": "JSON_LISTINGS_FEED,POST_PRODUCT_DATA", "pageSize": 3}, None)
        ],
    ),
    "vendorOrders.getPurchaseOrders": (
        200,
        lambda sim: [
            ("na", {}, {"limit": 5}, None),
            ("na", {}, {"changedAfter": "2026-01-01T00:00:00Z", "includeDetails": "true"}, None),
        ],
    ),
    "catalogItems_2022-04-01.searchCatalogItems": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {
                    "identifiers": ",".join(p.asin for p in sim.data.products(US)[:3]),
                    "identifiersType": "ASIN",
                    "marketplaceIds": US,
                    "includedData": "attributes,identifiers,images,salesRanks,summaries,productTypes",
                },
                None,
            )
        ],
    ),
    "listingsItems_2021-08-01.searchListingsItems": (
        200,
        lambda sim: [
            (
                "eu",
                {"sellerId": sim.config.seller_id},
                {
                    "marketplaceIds": "A1PA6795UKMFR9",
                    "pageSize": 2,
                    "includedData": "summaries,attributes,issues,offers,fulfillmentAvailability",
                },
                None,
            )
        ],
    ),
    "listingsItems_2021-08-01.getListingsItem": (
        200,
        lambda sim: [
            (
                "eu",
                {
                    "sellerId": sim.config.seller_id,
                    "sku": sim.data.products("A1PA6795UKMFR9")[0].sku,
                },
                {
                    "marketplaceIds": "A1PA6795UKMFR9",
                    "includedData": "summaries,attributes,issues,offers,fulfillmentAvailability",
                },
                None,
            )
        ],
    ),
    "vendorDirectFulfillmentOrders_2021-12-28.getOrders": (
        200,
        lambda sim: [("na", {}, {**_last_week(), "limit": 5, "includeDetails": "true"}, None)],
    ),
    "vendorDirectFulfillmentShipping_2021-12-28.getCustomerInvoices": (
        200,
        lambda sim: [("na", {}, {**_last_week(days=10), "limit": 5}, None)],
    ),
    # -- Direct Fulfillment Shipping labels and packing slips (cov-replenish) --
    "vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels": (
        200,
        lambda sim: [
            ("na", {}, {**_last_week(days=10), "limit": 5, "sortOrder": "DESC"}, None),
            ("na", {}, {**_last_week(), "shipFromPartyId": "WHSE1"}, None),
        ],
    ),
    "vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips": (
        200,
        lambda sim: [("na", {}, {**_last_week(days=10), "limit": 5}, None)],
    ),
    "vendorShipments.GetShipmentDetails": (200, lambda sim: [("na", {}, {"limit": 5}, None)]),
    "financesV0.listFinancialEvents": (
        200,
        lambda sim: [
            (
                "eu",
                {},
                {
                    "PostedAfter": "2026-10-01T00:00:00Z",
                    "PostedBefore": "2026-11-01T00:00:00Z",
                    "MaxResultsPerPage": 20,
                },
                None,
            )
        ],
    ),
    "financesV0.listFinancialEventGroups": (
        200,
        lambda sim: [("na", {}, {"FinancialEventGroupStartedAfter": "2026-08-01T00:00:00Z"}, None)],
    ),
    "finances_2024-06-19.listTransactions": (
        200,
        lambda sim: [("na", {}, {**_last_week(posted=True), "marketplaceId": US}, None)],
    ),
    "reports_2021-06-30.getReportDocument": (
        200,
        lambda sim: [("na", {"reportDocumentId": _document_id(sim)}, {}, None)],
    ),
    "orders_2026-01-01.searchOrders": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {
                    "lastUpdatedAfter": "2026-10-01T00:00:00Z",
                    "marketplaceIds": US,
                    "includedData": ",".join(ALL_ORDER_DATA),
                    "maxResultsPerPage": 5,
                },
                None,
            ),
            ("eu", {}, {**_last_week(), "fulfilledBy": "MERCHANT"}, None),
        ],
    ),
    "orders_2026-01-01.getOrder": (
        200,
        lambda sim: [
            ("na", {"orderId": _order_id(sim)}, {"includedData": ",".join(ALL_ORDER_DATA)}, None)
        ],
    ),
    "ordersV0.getOrders": (
        200,
        lambda sim: [
            ("na", {}, {"MarketplaceIds": US, "LastUpdatedAfter": "2026-10-01T00:00:00Z"}, None)
        ],
    ),
    "ordersV0.getOrderItems": (200, lambda sim: [("na", {"orderId": _order_id(sim)}, {}, None)]),
    "ordersV0.getOrder": (200, lambda sim: [("na", {"orderId": _order_id(sim)}, {}, None)]),
    # -- Replenishment API (cov-replenish) --
    "replenishment-2022-11-07.getSellingPartnerMetrics": (
        200,
        lambda sim: [
            ("na", {}, {}, _sns_body(_sns_days(30, 1), metrics=list(DAILY_METRICS))),
            ("eu", {}, {}, _sns_body(_sns_days(70, 1), "A1PA6795UKMFR9", frequency="WEEK")),
            ("na", {}, {}, _sns_body(_sns_days(1, 1), metrics=list(ROLLING_METRICS))),
            (
                "fe",
                {},
                {},
                _sns_body(
                    _sns_days(-1, -7),
                    "A1VC38T7YXB528",
                    metrics=["SHIPPED_SUBSCRIPTION_UNITS"],
                    frequency=None,
                ),
            ),
        ],
    ),
    "replenishment-2022-11-07.listOfferMetrics": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {},
                {"filters": _sns_body(_sns_days(3, 3)), "pagination": {"limit": 500, "offset": 0}},
            ),
            (
                "eu",
                {},
                {},
                {
                    "filters": _sns_body(_sns_days(20, 20), "A1F83G8C2ARO7P", frequency="WEEK"),
                    "pagination": {"limit": 2, "offset": 2},
                    "sort": {"order": "DESC", "key": "TOTAL_SUBSCRIPTIONS_REVENUE"},
                },
            ),
            (
                "na",
                {},
                {},
                {
                    "filters": _sns_body(_sns_days(-1, -7), frequency=None),
                    "pagination": {"limit": 10, "offset": 0},
                },
            ),
        ],
    ),
    "replenishment-2022-11-07.listOffers": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {},
                {
                    "filters": {"marketplaceId": US, "programTypes": ["SUBSCRIBE_AND_SAVE"]},
                    "pagination": {"limit": 100, "offset": 0},
                },
            ),
            (
                "eu",
                {},
                {},
                {
                    "filters": {
                        "marketplaceId": "A1PA6795UKMFR9",
                        "programTypes": ["SUBSCRIBE_AND_SAVE"],
                        "eligibilities": ["ELIGIBLE", "SUSPENDED"],
                    },
                    "pagination": {"limit": 3, "offset": 1},
                    "sort": {"order": "DESC", "key": "PRICE"},
                },
            ),
        ],
    ),
    "tokens_2021-03-01.createRestrictedDataToken": (
        200,
        lambda sim: [
            (
                "na",
                {},
                {},
                {
                    "restrictedResources": [
                        {
                            "method": "GET",
                            "path": "/orders/2026-01-01/orders",
                            "dataElements": ["buyerInfo", "shippingAddress"],
                        }
                    ]
                },
            )
        ],
    ),
}
ALL_ORDER_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PROMOTION", "CANCELLATION")


# -- Replenishment API (cov-replenish) --


def _sns_days(first_ago: int, last_ago: int) -> tuple[str, str]:
    """(startDate, endDate) of whole days this many days ago (negative: ahead)."""
    from datetime import timedelta

    today = clock.today()
    return tuple(f"{today - timedelta(days=n)}T00:00:00Z" for n in (first_ago, last_ago))  # type: ignore[return-value]


def _sns_body(
    days: tuple[str, str],
    marketplace_id: str = US,
    metrics: list[str] | None = None,
    frequency: str | None = "DAY",
) -> dict[str, Any]:
    """A getSellingPartnerMetrics body, or listOfferMetrics filters: PERFORMANCE by
    `frequency`, or FORECAST when `frequency` is None."""
    body: dict[str, Any] = {
        "marketplaceId": marketplace_id,
        "programTypes": ["SUBSCRIBE_AND_SAVE"],
        "timePeriodType": "PERFORMANCE" if frequency else "FORECAST",
        "timeInterval": {"startDate": days[0], "endDate": days[1]},
    }
    if frequency:
        body["aggregationFrequency"] = frequency
    if metrics:
        body["metrics"] = metrics
    return body


def _order_id(sim: Simulator) -> str:
    from datetime import timedelta

    now = clock.now()
    return sim.data.orders.updated_between(US, now - timedelta(days=20), now)[0].order_id


def load_model(name: str) -> dict[str, Any]:
    return json.loads((shared_models() / f"{name}.json").read_text(encoding="utf-8"))


def strict(node: Any) -> Any:
    """A copy of a schema where every object with properties allows no others."""
    if isinstance(node, dict):
        out = {k: strict(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


def response_validator(operation_name: str, status: int) -> jsonschema.Draft4Validator:
    model_name = operation_name.split(".", 1)[0]
    model = load_model(model_name)
    op = operations()[operation_name]
    spec = model["paths"][op.path][op.method.lower()]
    response = spec["responses"].get(str(status))
    assert response is not None, f"{operation_name} has no {status} response in the model"
    schema = {
        "definitions": strict(copy.deepcopy(model["definitions"])),
        **strict(response["schema"]),
    }
    return jsonschema.Draft4Validator(schema)


def call(
    sim: Simulator,
    operation_name: str,
    region: str,
    path_params: dict,
    query: dict,
    token: str | None,
    body: Any = None,
) -> requests.Response:
    op = operations()[operation_name]
    headers = {"x-amz-access-token": token} if token else {}
    return requests.request(
        op.method,
        f"{sim.url}/{region}{op.url_path(path_params)}",
        params=query,
        json=body,
        headers=headers,
        timeout=10,
    )


def access_token(sim: Simulator) -> str:
    answer = requests.post(
        f"{sim.url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": sim.config.refresh_token,
            "client_id": sim.config.client_id,
            "client_secret": sim.config.client_secret,
        },
        timeout=10,
    )
    return answer.json()["access_token"]


def load_script(name: str) -> Any:
    """One of scripts/ (not a package), loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_usage_plan_table_matches_the_models() -> None:
    script = load_script("update_usage_plans")
    shipped = json.loads((ROOT / "sp_api_facts" / "usage_plans.json").read_text())
    assert shipped == script.read_usage_plans(shared_models())


def test_every_operation_is_covered() -> None:
    assert set(simulated_operations()) == set(CONFORMANCE_REQUESTS)


@pytest.mark.parametrize("operation_name", sorted(CONFORMANCE_REQUESTS))
def test_success_answers_match_the_model(simulator: Simulator, operation_name: str) -> None:
    status, cases = CONFORMANCE_REQUESTS[operation_name]
    for region, path_params, query, body in cases(simulator):
        answer = call(
            simulator, operation_name, region, path_params, query, access_token(simulator), body
        )
        assert answer.status_code == status, answer.text
        errors = sorted(
            response_validator(operation_name, status).iter_errors(answer.json()), key=str
        )
        assert not errors, "\n".join(e.message for e in errors[:10])
        assert float(answer.headers["x-amzn-RateLimit-Limit"]) > 0


@pytest.mark.parametrize("operation_name", sorted(CONFORMANCE_REQUESTS))
def test_error_answers_match_the_model(simulator: Simulator, operation_name: str) -> None:
    region, path_params, query, body = CONFORMANCE_REQUESTS[operation_name][1](simulator)[0]
    denied = call(simulator, operation_name, region, path_params, query, "Atza|not-issued", body)
    assert denied.status_code == 403
    assert not list(response_validator(operation_name, 403).iter_errors(denied.json()))

    simulator.faults.script[operation_name] = [429, 503]
    token = access_token(simulator)
    for status in (429, 503):
        answer = call(simulator, operation_name, region, path_params, query, token, body)
        assert answer.status_code == status
        assert not list(response_validator(operation_name, status).iter_errors(answer.json()))
        assert answer.json()["errors"][0]["code"] in ("QuotaExceeded", "InternalFailure")


JSON_REPORTS = {
    "GET_SALES_AND_TRAFFIC_REPORT": "sellerSalesAndTrafficReport.json",
    "GET_VENDOR_SALES_REPORT": "vendorSalesReport.json",
    "GET_VENDOR_INVENTORY_REPORT": "vendorInventoryReport.json",
    "GET_VENDOR_TRAFFIC_REPORT": "vendorTrafficReport.json",
    "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT": "vendorNetPureProductMarginReport.json",
    "GET_VENDOR_REAL_TIME_SALES_REPORT": "vendorRealTimeSalesReport.json",
    "GET_VENDOR_REAL_TIME_INVENTORY_REPORT": "vendorRealTimeInventoryReport.json",
    "GET_VENDOR_REAL_TIME_TRAFFIC_REPORT": "vendorRealTimeTrafficReport.json",
    "GET_VENDOR_FORECASTING_REPORT": "vendorForecastingReport.json",
}


def test_shipped_report_schemas_are_amazons() -> None:
    shipped = ROOT / "tap_amazon_seller" / "data" / "report_schemas"
    for name in JSON_REPORTS.values():
        original = shared_models().parent / "schemas" / "reports" / name
        assert json.loads((shipped / name).read_text()) == json.loads(original.read_text())


@pytest.mark.parametrize("report_type", sorted(JSON_REPORTS))
def test_simulated_json_reports_match_amazons_report_schemas(report_type: str) -> None:
    from datetime import timedelta

    from sp_api_simulator.data import MARKETPLACES_BY_ID, SellerData
    from sp_api_simulator.report_documents import RENDERERS

    schema_path = shared_models().parent / "schemas" / "reports" / JSON_REPORTS[report_type]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    end = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    options = {
        "reportPeriod": "DAY",
        "distributorView": "MANUFACTURING",
        "sellingProgram": "RETAIL",
    }
    if report_type in ("GET_VENDOR_TRAFFIC_REPORT", "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT"):
        options = {"reportPeriod": "DAY"}
    if report_type.startswith("GET_VENDOR_REAL_TIME"):
        options = {}
    if report_type == "GET_VENDOR_FORECASTING_REPORT":
        options = {"sellingProgram": "FRESH"}
    if report_type == "GET_SALES_AND_TRAFFIC_REPORT":
        options = {"dateGranularity": "DAY", "asinGranularity": "CHILD"}
    rendered = RENDERERS[report_type](
        SellerData(), MARKETPLACES_BY_ID["ATVPDKIKX0DER"], end - timedelta(days=5), end, options
    )
    payload, _ = rendered.encode()
    document = json.loads(payload)
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:10])


def test_stream_schemas_shipped_from_the_models_are_current() -> None:
    script = load_script("update_model_schemas")
    shipped = json.loads(
        (ROOT / "tap_amazon_seller" / "data" / "model_schemas.json").read_text(encoding="utf-8")
    )
    assert shipped == script.build(shared_models())


# -- brand analytics, promotions, coupons (JSON) --
# (report type, schema, options): the coupon report has one schema for sellers, another for
# vendors (told apart by the options they are asked with).
ANALYTICS_JSON_REPORTS = [
    ("GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT", "sellingPartnerSearchTermsReport.json", {}),
    (
        "GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT",
        "sellingPartnerMarketBasketAnalysisReport.json",
        {},
    ),
    ("GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT", "sellingPartnerRepeatPurchaseReport.json", {}),
    (
        "GET_BRAND_ANALYTICS_SEARCH_CATALOG_PERFORMANCE_REPORT",
        "sellingPartnerSearchCatalogPerformanceReport.json",
        {},
    ),
    (
        "GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT",
        "sellingPartnerSearchQueryPerformanceReport.json",
        {"asin": "ASINS"},
    ),
    ("GET_PROMOTION_PERFORMANCE_REPORT", "promotionReport.json", {"promotion": "StartDate"}),
    ("GET_COUPON_PERFORMANCE_REPORT", "sellerCouponReport.json", {"coupon": "StartDate"}),
    ("GET_COUPON_PERFORMANCE_REPORT", "vendorCouponReport.json", {"campaign": "StartDate"}),
]


def test_shipped_analytics_report_schemas_are_amazons() -> None:
    shipped = ROOT / "tap_amazon_seller" / "data" / "report_schemas"
    for _, name, _ in ANALYTICS_JSON_REPORTS:
        original = shared_models().parent / "schemas" / "reports" / name
        assert json.loads((shipped / name).read_text()) == json.loads(original.read_text())


@pytest.mark.parametrize(("report_type", "schema_file", "kind"), ANALYTICS_JSON_REPORTS)
def test_simulated_analytics_reports_match_amazons_report_schemas(
    report_type: str, schema_file: str, kind: dict[str, str]
) -> None:
    from datetime import timedelta

    from sp_api_simulator import report_documents_analytics
    from sp_api_simulator.data import MARKETPLACES_BY_ID, SellerData
    from sp_api_simulator.report_documents import RENDERERS

    assert report_type in report_documents_analytics.ROLES  # its renderers are registered
    schema_path = shared_models().parent / "schemas" / "reports" / schema_file
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data = SellerData()
    # A whole week, Sunday to Saturday, some weeks back; a quarter of promotion starts.
    today = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    sunday = today - timedelta(days=today.isoweekday() % 7 + 14)
    start, end = sunday, sunday + timedelta(days=6, hours=23, minutes=59, seconds=59)
    options = {"reportPeriod": "WEEK"}
    if "asin" in kind:
        options["asin"] = " ".join(p.asin for p in data.products(US)[:3])
    for prefix in ("promotion", "coupon", "campaign"):
        if prefix in kind:
            fmt = "%Y-%m-%dT%H:%M:%SZ"
            options = {
                f"{prefix}StartDateFrom": (today - timedelta(days=90)).strftime(fmt),
                f"{prefix}StartDateTo": today.strftime(fmt),
            }
    rendered = RENDERERS[report_type](data, MARKETPLACES_BY_ID[US], start, end, options)
    document = json.loads(rendered.encode()[0])
    assert not rendered.empty
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=str)
    assert not errors, "\n".join(e.message for e in errors[:10])


# -- XML reports -------------------------------------------------------------------------
# Amazon ships no schema for its XML reports; these are the element names its XML order
# report and Browse Tree Report guide document. The simulator must use only these, and
# write each document in the charset that both its Content-Type and its declaration name.
XML_REPORT_ELEMENTS = {
    "GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL": {
        *("AmazonEnvelope", "Header", "DocumentVersion", "MessageType", "Message", "Order"),
        *("AmazonOrderID", "MerchantOrderID", "PurchaseDate", "LastUpdatedDate", "OrderStatus"),
        *("SalesChannel", "FulfillmentData", "FulfillmentChannel", "ShipServiceLevel"),
        *("Address", "City", "State", "PostalCode", "Country", "IsBusinessOrder"),
        *("PurchaseOrderNumber", "PriceDesignation", "OrderItem", "AmazonOrderItemCode"),
        *("ASIN", "SKU", "ItemStatus", "ProductName", "Quantity", "ItemPrice", "Component"),
        *("Type", "Amount", "Promotion", "PromotionIDs", "ItemPromotionDiscount"),
        "ShipPromotionDiscount",
    },
    "GET_ORDER_REPORT_DATA_SHIPPING": {
        *("AmazonEnvelope", "Header", "DocumentVersion", "MessageType", "Message", "MessageID"),
        *("OrderReport", "AmazonOrderID", "OrderDate", "OrderPostedDate", "BillingData"),
        *("BuyerEmailAddress", "BuyerName", "BuyerPhoneNumber", "FulfillmentData"),
        *("FulfillmentMethod", "FulfillmentServiceLevel", "Address", "Name", "AddressFieldOne"),
        *("AddressFieldTwo", "AddressFieldThree", "City", "StateOrRegion", "PostalCode"),
        *("CountryCode", "PhoneNumber", "IsBusinessOrder", "Item", "AmazonOrderItemCode", "SKU"),
        *("Title", "Quantity", "ProductTaxCode", "ItemPrice", "Component", "Type", "Amount"),
    },
    "GET_XML_BROWSE_TREE_DATA": {
        *("Result", "Node", "browseNodeId", "browseNodeAttributes", "attribute"),
        *("browseNodeName", "browseNodeStoreContextName", "browsePathById", "browsePathByName"),
        *("hasChildren", "childNodes", "id", "productTypeDefinitions", "refinementsInformation"),
        *("refinementName", "refinementField", "acceptedValues", "hasModifier", "modifiers"),
        "refinementAttribute",
    },
}


@pytest.mark.parametrize("report_type", sorted(XML_REPORT_ELEMENTS))
@pytest.mark.parametrize("marketplace", [US, "A1PA6795UKMFR9", "A1VC38T7YXB528"])
def test_simulated_xml_reports_use_amazons_elements_and_declare_their_charset(
    report_type: str, marketplace: str
) -> None:
    import re
    import xml.etree.ElementTree as ET
    from datetime import timedelta

    from sp_api_simulator.data import MARKETPLACES_BY_ID, SellerData
    from sp_api_simulator.report_documents import RENDERERS

    end = clock.now() - timedelta(hours=1)
    rendered = RENDERERS[report_type](
        SellerData(), MARKETPLACES_BY_ID[marketplace], end - timedelta(days=5), end, {}
    )
    payload, content_type = rendered.encode()
    declared = re.match(rb'<\?xml version="1.0" encoding="([^"]+)"\?>\n', payload)
    assert declared and content_type.startswith("text/xml")
    charset = content_type.partition("charset=")[2] or "ISO-8859-1"  # NA: none, Latin-1
    # The same charset under Java's and IANA's names (Cp1252 is windows-1252).
    same = {"Cp1252": "windows-1252"}.get(charset, charset)
    assert declared[1].decode() == same
    codec = {"Shift_JIS": "cp932"}.get(same, same)
    root = ET.fromstring(payload.decode(codec))
    used = {element.tag for element in root.iter()}
    assert used <= XML_REPORT_ELEMENTS[report_type], used - XML_REPORT_ELEMENTS[report_type]
    records = root.findall("Message/Order") or root.findall("Message/OrderReport")
    assert rendered.records == len(records or root.findall("Node")) > 0


# -- Replenishment API (cov-replenish): the requests the tap makes are ones the model allows --

REPLENISHMENT_STREAMS = (
    "replenishment_daily_metrics",
    "replenishment_rolling_metrics",
    "replenishment_offer_metrics",
    "replenishment_offer_forecast",
    "replenishment_offers",
)


def request_validator(operation_name: str) -> jsonschema.Draft4Validator:
    """The model's body schema of an operation, objects closed to fields it does not name."""
    model = load_model(operation_name.split(".", 1)[0])
    op = operations()[operation_name]
    (body,) = [
        p for p in model["paths"][op.path][op.method.lower()]["parameters"] if p["in"] == "body"
    ]
    schema = {"definitions": strict(copy.deepcopy(model["definitions"])), **strict(body["schema"])}
    return jsonschema.Draft4Validator(schema)


def test_replenishment_requests_of_the_tap_follow_the_model() -> None:
    from datetime import date, timedelta

    from sp_api_simulator import SimulatorConfig
    from sp_api_simulator.families.replenishment import requests_seen
    from tests.conftest import run_sync, select

    sim = Simulator(SimulatorConfig(time_scale=1000.0, page_size=3, enforce_rate_limits=False))
    today = clock.today()
    with sim.running():
        # Two years and more of the period metrics (Amazon's history is two years) ...
        run_sync(
            sim.tap_config(marketplaces=["US", "JP"], start_date="2023-06-01T00:00:00Z"),
            catalog=select(
                *(s for s in REPLENISHMENT_STREAMS if s != "replenishment_offer_metrics")
            ),
        )
        # ... and a week of the offers' metrics, one call per day.
        run_sync(
            sim.tap_config(
                marketplaces=["GB"], start_date=f"{today - timedelta(days=7)}T00:00:00Z"
            ),
            catalog=select("replenishment_offer_metrics"),
        )
        seen = requests_seen(sim)
        assert all(status == 200 for op, _, status in sim.call_log if "replenishment" in op)
    assert {op for op, _ in seen} == {
        "replenishment-2022-11-07.getSellingPartnerMetrics",
        "replenishment-2022-11-07.listOfferMetrics",
        "replenishment-2022-11-07.listOffers",
    }

    def day(value: str) -> date:
        # "Only the date is required, but you must pass the complete date and time value."
        assert value.endswith("T00:00:00Z"), value
        return date.fromisoformat(value[:10])

    for operation_name, body in seen:
        errors = sorted(request_validator(operation_name).iter_errors(body), key=str)
        assert not errors, f"{operation_name}: " + "; ".join(e.message for e in errors[:5])
        query = body if operation_name.endswith("getSellingPartnerMetrics") else body["filters"]
        assert query["programTypes"] == ["SUBSCRIBE_AND_SAVE"]
        interval = query.get("timeInterval")
        if interval is None:
            continue  # listOffers
        first, last = day(interval["startDate"]), day(interval["endDate"])
        assert first <= last
        if query["timePeriodType"] == "FORECAST":
            # aggregationFrequency "is only valid for the PERFORMANCE time period type".
            assert "aggregationFrequency" not in query
            assert set(query.get("metrics", [])) <= {
                "TOTAL_SUBSCRIPTIONS_REVENUE",
                "SHIPPED_SUBSCRIPTION_UNITS",
            }
            continue
        assert first >= today - timedelta(days=730)  # "data for the trailing 2 years"
        assert last < today  # whole days only
        if operation_name.endswith("getSellingPartnerMetrics"):
            assert query["aggregationFrequency"] == "DAY"
            assert (last - first).days + 1 <= 31  # "cannot exceed 31 days"
        else:
            # listOfferMetrics: "a single unit of the aggregation frequency".
            assert query["aggregationFrequency"] == "DAY" and first == last


def test_replenishment_metric_fields_cover_the_model() -> None:
    from tap_amazon_seller.streams.replenishment import METRIC_FIELDS

    model = load_model("replenishment-2022-11-07")
    assert set(METRIC_FIELDS) == set(model["definitions"]["Metric"]["enum"])
    fields = [f for names in METRIC_FIELDS.values() for f in names]
    assert len(fields) == len(set(fields))  # each field from one metric
    declared = set(model["definitions"]["GetSellingPartnerMetricsResponseMetric"]["properties"])
    assert set(fields) == declared - {"timeInterval", "currencyCode"}


def test_answer_shape_table_matches_the_models() -> None:
    script = load_script("update_answer_shapes")
    shipped = json.loads((ROOT / "tap_amazon_seller" / "data" / "answer_shapes.json").read_text())
    assert shipped == script.read_answer_shapes(shared_models())


def model_examples() -> list[tuple[str, object]]:
    """Amazon's own success answers: each model's `examples` and sandbox static responses."""
    found = []
    for path in sorted(shared_models().glob("*.json")):
        model = json.loads(path.read_text(encoding="utf-8"))
        for item in model["paths"].values():
            for method, op in item.items():
                if method not in ("get", "post", "put", "patch", "delete"):
                    continue
                for code, response in op.get("responses", {}).items():
                    if not code.startswith("2"):
                        continue
                    name = f"{path.stem}.{op['operationId']}"
                    example = response.get("examples", {}).get("application/json")
                    if example is not None:
                        found.append((name, example))
                    for case in response.get("x-amzn-api-sandbox", {}).get("static", []):
                        if "response" in case:
                            found.append((name, case["response"]))
    return found


def test_amazons_example_answers_pass_the_answer_shape_check() -> None:
    """The shape check refuses only what Amazon's models refuse: every example answer
    Amazon ships (196 of them, for 142 operations) passes it."""
    from tap_amazon_seller import shapes

    examples = model_examples()
    assert len(examples) > 150
    refused = [(name, shapes.problems(name, body)) for name, body in examples]
    assert [r for r in refused if r[1]] == []


@pytest.mark.parametrize("operation", sorted(CONFORMANCE_REQUESTS))
def test_a_wrong_shaped_answer_of_every_simulated_operation_is_refused(operation: str) -> None:
    """The simulator's `misshapen` switch turns an answer of any operation it serves into
    one the shape check refuses (so the fault tests test what they say)."""
    from sp_api_simulator.server import _misshapen
    from tap_amazon_seller import shapes

    if not shapes.answer_shapes().get(operation, {}).get(
        "properties"
    ) and not shapes.answer_shapes().get(operation, {}).get("required"):
        pytest.skip(f"Amazon's model gives {operation} no envelope to check")
    examples = [body for name, body in model_examples() if name == operation]
    if not examples:
        pytest.skip(f"Amazon's model has no example answer of {operation}")
    for body in examples:
        assert shapes.problems(operation, body) == []
        assert shapes.problems(operation, _misshapen(body)) != [], body
