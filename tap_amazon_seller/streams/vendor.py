"""Vendor (1P) APIs: Vendor Orders v1, Direct Fulfillment Orders and Shipping 2021-12-28,
Vendor Shipments v1."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from tap_amazon_seller import clock
from tap_amazon_seller.reports.engine import iso, parse_time
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PagedApiStream, WindowedApiStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

VENDOR_ROLE = "Inventory and Order Management (vendor)"
# Amazon wants changedBefore in the past; the same two-minute margin as the Orders API.
LAG = timedelta(minutes=2)


class VendorPurchaseOrdersStream(PagedApiStream):
    """getPurchaseOrders by change time, per region, incremental on `changedDate`.

    `changedDate` is the latest of the order's creation, change and state-change dates,
    so an order is emitted again (and upserted by purchaseOrderNumber) each time it changes.
    """

    name = "vendor_purchase_orders"
    primary_keys: t.ClassVar[list[str]] = ["purchaseOrderNumber"]
    replication_key = "changedDate"
    is_sorted = False
    required_role = VENDOR_ROLE
    per_marketplace = False
    operation = "vendorOrders.getPurchaseOrders"
    records_path = ("payload", "orders")
    token_path = ("payload", "pagination", "nextToken")
    schema = model_schema(
        "vendorOrders.Order",
        region={"type": ["string"]},
        changedDate={"type": ["string"], "format": "date-time"},
    )

    def params(self, context: Context | None) -> dict[str, t.Any]:
        since = self.amazon.settings.start_date
        bookmark = parse_time(self.get_starting_replication_key_value(context))
        if bookmark:
            since = max(since, bookmark)
        until = clock.now() - LAG
        if self.amazon.settings.end_date:
            until = min(until, self.amazon.settings.end_date)
        return {
            "changedAfter": iso(since),
            "changedBefore": iso(until),
            "includeDetails": "true",
            "limit": 100,
            "sortOrder": "ASC",
        }

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        params = self.params(context)
        for order in self.fetch_pages(client, context, params):
            details = order.get("orderDetails") or {}
            dates = [
                parse_time(details.get(key))
                for key in (
                    "purchaseOrderDate",
                    "purchaseOrderChangedDate",
                    "purchaseOrderStateChangedDate",
                )
            ]
            known = [d for d in dates if d is not None]
            # An order without any of its dates (Amazon's own example has none) was listed
            # as changed before `changedBefore`: the latest moment the tap can vouch for,
            # which keeps the bookmark from passing it.
            order["changedDate"] = iso(max(known)) if known else params["changedBefore"]
            yield order


_WINDOW: dict[str, t.Any] = {
    "region": {"type": ["string"]},
    "windowEnd": {"type": ["string"], "format": "date-time"},
}


class VendorDirectFulfillmentOrdersStream(WindowedApiStream):
    """Direct Fulfillment getOrders, 7-day creation windows, per region."""

    name = "vendor_fulfilment_purchase_orders"
    primary_keys: t.ClassVar[list[str]] = ["purchaseOrderNumber"]
    required_role = "Direct-to-Consumer Shipping (vendor)"
    per_marketplace = False
    operation = "vendorDirectFulfillmentOrders_2021-12-28.getOrders"
    records_path = ("orders",)
    token_path = ("pagination", "nextToken")
    schema = model_schema("vendorDirectFulfillmentOrders_2021-12-28.Order", **_WINDOW)

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {"includeDetails": "true", "limit": 100, "sortOrder": "ASC"}


class DirectFulfillmentShippingStream(WindowedApiStream):
    """A Direct Fulfillment Shipping list operation: 7-day creation windows (Amazon's
    maximum), `pagination.nextToken`, one record per purchase order, per region.

    Subclasses name the operation, the list in the answer and the model definition.
    """

    primary_keys: t.ClassVar[list[str]] = ["purchaseOrderNumber"]
    required_role = "Direct-to-Consumer Shipping (vendor)"
    per_marketplace = False
    token_path = ("pagination", "nextToken")

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {"limit": 100, "sortOrder": "ASC"}


class VendorCustomerInvoicesStream(DirectFulfillmentShippingStream):
    """Direct Fulfillment getCustomerInvoices."""

    name = "vendor_fulfilment_customer_invoices"
    operation = "vendorDirectFulfillmentShipping_2021-12-28.getCustomerInvoices"
    records_path = ("customerInvoices",)
    schema = model_schema("vendorDirectFulfillmentShipping_2021-12-28.CustomerInvoice", **_WINDOW)


class VendorShippingLabelsStream(DirectFulfillmentShippingStream):
    """Direct Fulfillment getShippingLabels: each label's `content` stays Amazon's Base64."""

    name = "vendor_fulfilment_shipping_labels"
    operation = "vendorDirectFulfillmentShipping_2021-12-28.getShippingLabels"
    records_path = ("shippingLabels",)
    schema = model_schema("vendorDirectFulfillmentShipping_2021-12-28.ShippingLabel", **_WINDOW)


class VendorPackingSlipsStream(DirectFulfillmentShippingStream):
    """Direct Fulfillment getPackingSlips: `content` stays Amazon's Base64 PDF."""

    name = "vendor_fulfilment_packing_slips"
    operation = "vendorDirectFulfillmentShipping_2021-12-28.getPackingSlips"
    records_path = ("packingSlips",)
    schema = model_schema("vendorDirectFulfillmentShipping_2021-12-28.PackingSlip", **_WINDOW)


class VendorShipmentsStream(WindowedApiStream):
    """Vendor Shipments GetShipmentDetails by creation time, per region."""

    name = "vendor_shipments"
    primary_keys: t.ClassVar[list[str]] = ["vendorShipmentIdentifier"]
    required_role = VENDOR_ROLE
    per_marketplace = False
    operation = "vendorShipments.GetShipmentDetails"
    records_path = ("payload", "shipments")
    token_path = ("payload", "pagination", "nextToken")
    schema = model_schema("vendorShipments.Shipment", **_WINDOW)

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {"limit": 50, "sortOrder": "ASC"}
