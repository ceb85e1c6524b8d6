"""python-amazon-sp-api through its own API classes, one SP-API family per call:
`python families.py FAMILY JSON_ARGS` prints what it read as JSON. No patch, no endpoint:
the environment (`source env.sh` of `sp-api-simulator --tls`) points it at the simulator.
Pages are followed with the client's own `next_token`."""

import json
import sys
import time

from sp_api.api import (
    CatalogItemsV20220401,
    Feeds,
    FinancesV0,
    Inventories,
    ListingsItemsV20210801,
    OrdersV0,
    OrdersV20260101,
    Reports,
    Tokens,
    VendorOrders,
)
from sp_api.base import Marketplaces


def pages(call, token_name, **kwargs):
    """Every page's payload, following the token the client hands back with the first
    call's arguments, as Amazon's models ask ("include the same arguments")."""
    first = kwargs
    while True:
        response = call(**kwargs)
        yield response.payload
        token = response.next_token
        if not token:
            return
        kwargs = {**first, token_name: token}


def orders_v0(args):
    ids = []
    for payload in pages(
        OrdersV0(marketplace=Marketplaces.US).get_orders,
        "NextToken",
        CreatedAfter=args["after"],
        CreatedBefore=args["before"],
        MarketplaceIds=[args["marketplace"]],
    ):
        ids += [o["AmazonOrderId"] for o in payload["Orders"]]
    return {"ids": ids}


def one_order(args):
    order = OrdersV0(marketplace=Marketplaces.US).get_order(args["id"]).payload
    return {"id": order["AmazonOrderId"], "status": order["OrderStatus"]}


def orders_2026(args):
    ids, lines = [], 0
    client = OrdersV20260101(marketplace=Marketplaces.US)
    kwargs = {
        "createdAfter": args["after"],
        "createdBefore": args["before"],
        "marketplaceIds": [args["marketplace"]],
        "includedData": ["BUYER", "RECIPIENT"],
        "maxResultsPerPage": 10,
    }
    while True:
        response = client.search_orders(**kwargs)
        for order in response.payload["orders"]:
            ids.append(order["orderId"])
            lines += len(order.get("orderItems") or [])
        token = response.next_token
        if not token:
            return {"ids": ids, "lines": lines}
        kwargs = {**kwargs, "paginationToken": token}


def reports(args):
    client = Reports(marketplace=Marketplaces.US)
    report_id = client.create_report(
        reportType=args["type"],
        marketplaceIds=[args["marketplace"]],
        dataStartTime=args["after"],
        dataEndTime=args["before"],
    ).payload["reportId"]
    for _ in range(600):
        report = client.get_report(report_id).payload
        if report["processingStatus"] in ("DONE", "FATAL", "CANCELLED"):
            break
        time.sleep(0.1)
    listed = client.get_reports(reportTypes=[args["type"]]).payload["reports"]
    document = client.get_report_document(report["reportDocumentId"], download=True).payload
    return {
        "status": report["processingStatus"],
        "listed": [r["reportId"] for r in listed],
        "report_id": report_id,
        "lines": document["document"].splitlines(),
    }


def finances(args):
    kinds = {}
    for payload in pages(
        FinancesV0(marketplace=Marketplaces.US).list_financial_events,
        "NextToken",
        PostedAfter=args["after"],
        PostedBefore=args["before"],
        MaxResultsPerPage=20,
    ):
        for name, events in payload["FinancialEvents"].items():
            kinds[name] = kinds.get(name, 0) + len(events)
    return {"counts": kinds}


def inventory(args):
    skus = {}
    for payload in pages(
        Inventories(marketplace=Marketplaces.US).get_inventory_summary_marketplace,
        "nextToken",
        details=True,
        granularityType="Marketplace",
        granularityId=args["marketplace"],
        marketplaceIds=[args["marketplace"]],
    ):
        for summary in payload["inventorySummaries"]:
            skus[summary["sellerSku"]] = summary["totalQuantity"]
    return {"skus": skus}


def catalog(args):
    payload = (
        CatalogItemsV20220401(marketplace=Marketplaces.US)
        .search_catalog_items(
            identifiers=args["asins"],
            identifiersType="ASIN",
            marketplaceIds=[args["marketplace"]],
            includedData=["summaries", "identifiers"],
        )
        .payload
    )
    return {"asins": sorted(item["asin"] for item in payload["items"])}


def listings(args):
    skus = []
    for payload in pages(
        ListingsItemsV20210801(marketplace=Marketplaces.US).search_listings_items,
        "pageToken",
        sellerId=args["seller"],
        marketplaceIds=[args["marketplace"]],
        includedData=["summaries"],
    ):
        skus += [item["sku"] for item in payload["items"]]
    return {"skus": skus}


def one_listing(args):
    item = (
        ListingsItemsV20210801(marketplace=Marketplaces.US)
        .get_listings_item(
            args["seller"],
            args["sku"],
            marketplaceIds=[args["marketplace"]],
            includedData=["summaries"],
        )
        .payload
    )
    return {"sku": item["sku"], "asin": item["summaries"][0]["asin"]}


def feeds(args):
    payload = Feeds(marketplace=Marketplaces.US).get_feeds(feedTypes=args["types"]).payload
    return {"feeds": [f["feedId"] for f in payload["feeds"]]}


def vendor_orders(args):
    numbers = []
    for payload in pages(
        VendorOrders(marketplace=Marketplaces.US).get_purchase_orders,
        "nextToken",
        createdAfter=args["after"],
        createdBefore=args["before"],
    ):
        numbers += [o["purchaseOrderNumber"] for o in payload["orders"]]
    return {"numbers": numbers}


def restricted_data_token(args):
    payload = (
        Tokens(marketplace=Marketplaces.US)
        .create_restricted_data_token(
            restrictedResources=[
                {"method": "GET", "path": args["path"], "dataElements": ["buyerInfo"]}
            ]
        )
        .payload
    )
    return {"token": bool(payload["restrictedDataToken"]), "expires": payload["expiresIn"]}


if __name__ == "__main__":
    family, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(globals()[family](arguments)))
