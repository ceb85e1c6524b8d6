"""The streams `hotglue_compatible` offers: hotglue's names and record shapes over this
tap's own reads.

Each is a view of one of the tap's streams: the same calls and reports (no per-order or
per-ASIN call, nothing read twice), its records reshaped (records.py, orders_v0.py) to the
schema hotglue's tap declares for that name (data/hotglue_schemas.json). A record carries
its schema's properties and nothing else, as hotglue's do (the partition keys the tap adds
to its own records are not added), except where hotglue declares no bookmark or key that
would keep a run from reading everything again or a target from merging two rows: there
the tap's own (the order's LastUpdateDate, a window's end, a row's key) is one more property.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing as t
from collections.abc import Iterable, Iterator
from importlib import resources

from tap_amazon_seller.hotglue import orders_v0, records
from tap_amazon_seller.reports.registry import REPORT_SPECS_BY_STREAM
from tap_amazon_seller.reports.spec import JsonRecords
from tap_amazon_seller.streams.base import SpApiStream
from tap_amazon_seller.streams.catalog import BATCH, ProductDetailsStream
from tap_amazon_seller.streams.finances import OrderFinancialEventsStream
from tap_amazon_seller.streams.inventory import AwdInventoryStream, FbaInventorySummariesStream
from tap_amazon_seller.streams.orders import (
    OrderAddressStream,
    OrderBuyerInfoStream,
    OrderItemsStream,
    OrdersStream,
)
from tap_amazon_seller.streams.replenishment import (
    ReplenishmentDailyMetricsStream,
    ReplenishmentOfferForecastStream,
    ReplenishmentOfferMetricsStream,
    ReplenishmentRollingMetricsStream,
)
from tap_amazon_seller.streams.reports import ReportStream
from tap_amazon_seller.streams.sellers import AccountStream, MarketplacesStream
from tap_amazon_seller.streams.vendor import (
    VendorCustomerInvoicesStream,
    VendorDirectFulfillmentOrdersStream,
    VendorPurchaseOrdersStream,
)

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.tap import TapAmazonSeller

#: The order's last update on each record of the orders' child streams: hotglue declares
#: none, but it is their bookmark (read with the orders, they resume where the orders do).
LAST_UPDATE = "LastUpdateDate"
_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
# The ids a child stream's rows carry from `orders` (streams/orders.py _OrderPartStream).
_ORDER_REF = ("orderId", "lastUpdatedTime", "marketplace_id", "region")
#: Marks the record that hands a batch to child streams (as the orders stream does).
CHILD_BATCH = "_child_batch"


@functools.cache
def _schemas() -> dict[str, t.Any]:
    text = resources.files("tap_amazon_seller").joinpath("data/hotglue_schemas.json").read_text()
    return t.cast(dict[str, t.Any], json.loads(text))


def schema_of(name: str, **extra: dict[str, t.Any]) -> dict[str, t.Any]:
    """hotglue's schema of stream `name` (with `extra` properties of this tap's)."""
    schema = json.loads(json.dumps(_schemas()[name]))
    schema["properties"].update(extra)
    return t.cast(dict[str, t.Any], schema)


def _extras(name: str, schema: dict[str, t.Any], fields: Iterable[str | None]) -> dict:
    """The properties of `fields` (the tap's bookmark and key) that hotglue's schema of
    stream `name` lacks, as the tap's `schema` declares them."""
    declared = _schemas()[name]["properties"]
    return {f: schema["properties"][f] for f in fields if f and f not in declared}


class HotglueView(SpApiStream):
    """A stream of the tap under hotglue's name, its records in hotglue's shape."""

    #: Properties of the tap's that hotglue's schema lacks: its bookmark or key.
    extra_properties: t.ClassVar[dict[str, t.Any]] = {}

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        """The hotglue record of one of the tap's records (None: not one of hotglue's)."""
        return row

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        batch = row.pop(CHILD_BATCH, None)
        shaped = self.reshape(row, context)
        if shaped is None:
            return None
        shaped = super().post_process(shaped, context)
        if shaped is not None and batch is not None:
            shaped[CHILD_BATCH] = batch
        return shaped

    def _process_record(
        self,
        record: dict,
        child_context: Context | None = None,
        partition_context: Context | None = None,
    ) -> None:
        # No partition keys (region, the marketplace's id) added: not in hotglue's records.
        super()._process_record(record, child_context, None)

    def apply_catalog(self, catalog: t.Any) -> None:
        # hotglue's catalogs give its streams' keys and say FULL_TABLE where its stream had
        # no bookmark (orderitems, the vendor streams): this stream keeps its own, or every
        # run would read everything since start_date again.
        declared = self.replication_key
        super().apply_catalog(catalog)
        if declared and not self.replication_key:
            self.replication_key = declared
            self.forced_replication_method = "INCREMENTAL"
        if self._input_schema is not None:  # hotglue's schema, without the tap's extras
            for name, schema in self.extra_properties.items():
                self._input_schema["properties"].setdefault(name, dict(schema))


class FittedView(HotglueView):
    """A view whose records are `records.fitted` to hotglue's schema (`special` makes the
    properties that are not one of the tap's fields, by name or snake_case name)."""

    special: t.ClassVar[records.Special] = {}

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        return records.fitted(row, self.declared_schema, self.special)

    @functools.cached_property
    def declared_schema(self) -> dict[str, t.Any]:
        return schema_of(self.name, **self.extra_properties)


def api_view(
    name: str, base: type[SpApiStream], keys: list[str], special: records.Special | None = None
) -> type[SpApiStream]:
    """hotglue's stream `name` as a view of the tap's API stream `base`."""
    # Class attributes of the tap's stream classes (singer-sdk types them as properties).
    declared_schema = t.cast(dict[str, t.Any], base.schema)
    bookmark = base.replication_key if isinstance(base.replication_key, str) else None
    extra = _extras(name, declared_schema, [bookmark, *keys])
    attributes = {
        "name": name,
        "primary_keys": keys,
        "schema": schema_of(name, **extra),
        "extra_properties": extra,
        "special": special or {},
    }
    return type(f"Hotglue_{name}", (FittedView, base), attributes)


def report_view(
    name: str,
    primary_keys: list[str],
    special: records.Special | None = None,
    *,
    source: str | None = None,
    rows: t.Callable[[dict], bool] | None = None,
    **changes: t.Any,
) -> t.Callable[[TapAmazonSeller], SpApiStream]:
    """hotglue's stream `name` as a view of the tap's report stream `source` (by default
    of that name), of its rows that `rows` keeps (by default all); `changes` to its spec
    (how hotglue asks the report) as dataclasses.replace takes them."""
    spec = dataclasses.replace(REPORT_SPECS_BY_STREAM[source or name], stream=name, **changes)
    bookmark = spec.bookmark_field if spec.incremental else None
    extra = _extras(name, spec.schema(), [bookmark, *primary_keys])

    class View(FittedView, ReportStream):
        extra_properties = extra

        def __init__(self, tap: TapAmazonSeller) -> None:
            super().__init__(tap, spec)
            self._schema = schema_of(name, **extra)
            self.primary_keys = primary_keys

        def reshape(self, row: dict, context: Context | None) -> dict | None:
            return super().reshape(row, context) if rows is None or rows(row) else None

        @functools.cached_property
        def conform_schema(self) -> dict[str, t.Any]:
            # A JSON report's values fit Amazon's types (the tap's schema) first: hotglue
            # types its report lists as bare arrays, which would leave "12" a string.
            return spec.schema()

    View.special = special or {}
    View.__name__ = f"Hotglue_{name}"
    return View


# -- marketplaces --------------------------------------------------------------------------


class HotglueMarketplaces(HotglueView, MarketplacesStream):
    """hotglue's `marketplaces`: the marketplaces the sync reads, by country code."""

    name = "marketplaces"
    primary_keys: t.ClassVar[list[str]] = ["id"]
    schema = schema_of("marketplaces")

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        if not row.get("isParticipating"):
            return None
        configured = self.amazon.settings.marketplaces
        if configured and row.get("id") not in {m.id for m in configured}:
            return None
        return records.marketplace(row)


# -- orders ----------------------------------------------------------------------------------


class HotglueOrders(HotglueView, OrdersStream):
    """hotglue's `orders`: Orders v0 names (AmazonOrderId, OrderTotal.Amount...)."""

    name = "orders"
    primary_keys: t.ClassVar[list[str]] = ["AmazonOrderId"]
    replication_key = LAST_UPDATE
    schema = schema_of("orders")

    def order_record(self, order: dict) -> dict:
        return orders_v0.order(order)


class _HotglueOrderPart(HotglueView):
    """A child of `orders` keyed by the order, with the order's last update as bookmark."""

    parent_stream_type = HotglueOrders
    primary_keys: t.ClassVar[list[str]] = ["AmazonOrderId"]
    replication_key = LAST_UPDATE
    extra_properties: t.ClassVar[dict[str, t.Any]] = {LAST_UPDATE: _DATE_TIME}

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        part = {k: v for k, v in row.items() if k not in _ORDER_REF}
        return {
            "AmazonOrderId": row["orderId"],
            **self.shape_part(part),
            LAST_UPDATE: row["lastUpdatedTime"],
        }

    def shape_part(self, part: dict) -> dict:
        raise NotImplementedError


class HotglueOrderItems(_HotglueOrderPart, OrderItemsStream):
    """hotglue's `orderitems`: one record per order with all its `OrderItems` (every
    line, read with the order: no getOrderItems call, no page left out)."""

    name = "orderitems"
    schema = schema_of("orderitems", **_HotglueOrderPart.extra_properties)

    def parts(self, order: dict) -> Iterable[dict]:
        yield {
            "OrderItems": [
                orders_v0.order_item(order, item) for item in order.get("orderItems") or []
            ]
        }

    def shape_part(self, part: dict) -> dict:
        return part


class HotglueOrderBuyerInfo(_HotglueOrderPart, OrderBuyerInfoStream):
    """hotglue's `orderbuyerinfo` (names and email only with include_pii)."""

    name = "orderbuyerinfo"
    schema = schema_of("orderbuyerinfo", **_HotglueOrderPart.extra_properties)

    def shape_part(self, part: dict) -> dict:
        return orders_v0.buyer_info(part) or {}


class HotglueOrderAddress(_HotglueOrderPart, OrderAddressStream):
    """hotglue's `orderaddress` (street, name and phone only with include_pii)."""

    name = "orderaddress"
    schema = schema_of("orderaddress", **_HotglueOrderPart.extra_properties)

    def shape_part(self, part: dict) -> dict:
        return {"ShippingAddress": orders_v0.address(part)}


# -- products --------------------------------------------------------------------------------


class HotglueProductDetails(HotglueView, ProductDetailsStream):
    """hotglue's `product_details`: Catalog Items v0 names (Identifiers, SalesRankings),
    from the 2022-04-01 items the tap reads; hands each batch to product_catalog_details."""

    name = "product_details"
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "ASIN"]
    schema = schema_of("product_details")

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._batch: list[dict] = []

    def get_records(self, context: Context | None) -> Iterator[dict]:
        batch: list[dict] = []
        for item in super().get_records(context):
            batch.append(item)
            if len(batch) == BATCH:
                yield from self._hand_over(batch)
                batch = []
        yield from self._hand_over(batch)

    def _hand_over(self, items: list[dict]) -> Iterator[dict]:
        # One child sync per batch of items, not per item; only the newest batch is kept.
        wants = any(child.selected for child in self.child_streams)
        self._batch = list(items) if wants else []
        for position, item in enumerate(items):
            last = position == len(items) - 1
            yield {**item, CHILD_BATCH: 1} if wants and last else item

    def generate_child_contexts(self, record: dict, context: Context | None) -> Iterable[dict]:
        if record.pop(CHILD_BATCH, None) is not None and context is not None:
            yield {"marketplace_id": context["marketplace_id"], "region": context["region"]}

    @property
    def batch(self) -> list[dict]:
        return self._batch

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        return records.catalog_item_v0(row)


class HotglueProductCatalogDetails(HotglueView):
    """hotglue's `product_catalog_details`: the 2022-04-01 items' identifiers (EAN, UPC,
    SKU...) and attributes, from the same searchCatalogItems calls as product_details."""

    name = "product_catalog_details"
    parent_stream_type = HotglueProductDetails
    primary_keys: t.ClassVar[list[str]] = ["marketplace_id", "ASIN"]
    replication_key = None
    state_partitioning_keys: t.ClassVar[list[str]] = ["marketplace_id"]
    required_role = ProductDetailsStream.required_role
    schema = schema_of("product_catalog_details")

    def get_records(self, context: Context | None) -> Iterator[dict]:
        parent = t.cast(HotglueProductDetails, self.amazon.streams["product_details"])
        yield from parent.batch

    def reshape(self, row: dict, context: Context | None) -> dict | None:
        return records.catalog_item(row)


#: Every stream hotglue's tap has that this tap offers in its shape, by hotglue's name.
#: Keys: hotglue's, with the marketplace where hotglue's leave it out (one SKU in two
#: marketplaces is two rows), and a row's key where hotglue's is none or not unique.
VIEWS: dict[str, t.Callable[[TapAmazonSeller], SpApiStream]] = {
    "marketplaces": HotglueMarketplaces,
    "orders": HotglueOrders,
    "orderitems": HotglueOrderItems,
    "orderbuyerinfo": HotglueOrderBuyerInfo,
    "orderaddress": HotglueOrderAddress,
    "warehouse_inventory": api_view(
        "warehouse_inventory",
        FbaInventorySummariesStream,
        ["marketplace_id", "asin", "fnSku", "sellerSku"],
        records.INVENTORY_SUMMARY,
    ),
    "products_inventory": report_view(
        "products_inventory", ["marketplace_id", "seller_sku"], records.LISTING
    ),
    # hotglue's asks listFinancialEventsByOrderId for every order read; this reads the
    # same events from the posted-date windows of listFinancialEvents: one record per order
    # and UTC day of posting (posted_day, one more key), as an order's events come in days
    # apart (shipped, then refunded) and a record must not replace an earlier day's.
    "orderfinancialevents": api_view(
        "orderfinancialevents",
        OrderFinancialEventsStream,
        ["AmazonOrderId", "posted_day"],
        records.order_events(schema_of("orderfinancialevents")["properties"]),
    ),
    "product_details": HotglueProductDetails,
    "product_catalog_details": HotglueProductCatalogDetails,
    "account": api_view("account", AccountStream, []),
    "awd_inventory": api_view("awd_inventory", AwdInventoryStream, ["sku"]),
    "replenishment_daily_metrics": api_view(
        "replenishment_daily_metrics",
        ReplenishmentDailyMetricsStream,
        ["marketplace_id", "report_end_date"],
    ),
    "replenishment_offer_metrics": api_view(
        "replenishment_offer_metrics",
        ReplenishmentOfferMetricsStream,
        ["marketplace_id", "asin", "sku", "fulfillmentChannelType", "report_end_date"],
    ),
    "replenishment_offer_forecast": api_view(
        "replenishment_offer_forecast",
        ReplenishmentOfferForecastStream,
        ["marketplace_id", "asin", "sku", "fulfillmentChannelType"],
        records.FORECAST,
    ),
    "replenishment_rolling_metrics": api_view(
        "replenishment_rolling_metrics",
        ReplenishmentRollingMetricsStream,
        ["marketplace_id", "interval_start_date", "interval_end_date"],
        records.INTERVAL,
    ),
    "vendor_purchase_orders": api_view(
        "vendor_purchase_orders", VendorPurchaseOrdersStream, ["purchaseOrderNumber"]
    ),
    "vendor_fulfilment_purchase_orders": api_view(
        "vendor_fulfilment_purchase_orders",
        VendorDirectFulfillmentOrdersStream,
        ["purchaseOrderNumber"],
    ),
    "vendor_fulfilment_customer_invoices": api_view(
        "vendor_fulfilment_customer_invoices",
        VendorCustomerInvoicesStream,
        ["purchaseOrderNumber"],
    ),
    "afn_inventory_country": report_view(
        "afn_inventory_country", ["marketplace_id", "seller-sku", "country", "condition-type"]
    ),
    "fba_customer_shipment_sales": report_view("fba_customer_shipment_sales", ["row_key"]),
    # hotglue's `reports` is the inventory ledger's rows (the report it requests when it
    # finds none listed); its `fba_inventory_ledger_detailed` the ledger's adjustments. Both
    # read the same reports as the tap's fba_inventory_ledger, every event type asked once.
    # hotglue's is one record per report document (its date and ASIN lists together), the
    # ASIN rows totalled over the document's range: here each document is one day of one
    # marketplace (keys marketplace_id, report_start_date), so the ASIN rows are that day's
    # and a day read again replaces its record instead of overlapping another. PARENT:
    # the granularity hotglue asks (Amazon's default).
    "sales_traffic_report": report_view(
        "sales_traffic_report",
        ["marketplace_id", "report_start_date"],
        records.REPORT_DOCUMENT,
        source="sales_traffic_by_asin",
        records=JsonRecords.whole_document("sellerSalesAndTrafficReport.json"),
        keys=("report_start_date",),
        option_defaults={"dateGranularity": "DAY", "asinGranularity": "PARENT"},
    ),
    "reports": report_view(
        "reports", ["row_key"], records.LEDGER_AS_LISTED, source="fba_inventory_ledger"
    ),
    "fba_inventory_ledger_detailed": report_view(
        "fba_inventory_ledger_detailed",
        ["row_key"],
        source="fba_inventory_ledger",
        rows=lambda row: row.get("event_type") == "Adjustments",
    ),
}
