"""Orders: `orders`, `order_items`, `order_buyer_info` and `order_address`, from one read.

Amazon's per-order design (getOrders, then getOrderItems once per order at 0.5 a
second) takes days for a large seller. Here no call is made per order:

- a backfill reads the XML orders report (GET_XML_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL):
  one report per 30 days of last updates, whatever the number of orders, each order
  with its items and their ids, requested together with every other report of the sync;
- the fresh tail (the last `orders_api_tail_hours`) reads Orders API 2026-01-01
  searchOrders, items and the other datasets inline (`includedData`), 100 orders a call.

Both sources give records of one schema per stream (the 2026-01-01 model's `Order`,
`OrderItem`, `Buyer` and `CustomerAddress`), keyed the same way, so an order read from
the report and again from the API upserts. `orders` reads; the three others are its
child streams and get the items, buyers and addresses of each batch of orders it read.

Bookmarks (one per marketplace and stream) are the latest `lastUpdatedTime` emitted,
never "now"; a window the source confirmed empty moves them to its end. A failed
window stops the marketplace there, with the bookmarks held before it.
"""

from __future__ import annotations

import functools
import itertools
import typing as t
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tap_amazon_seller import clock
from tap_amazon_seller.auth import PII_ROLE, RestrictedDataTokens
from tap_amazon_seller.casting import as_bool
from tap_amazon_seller.errors import AccessDeniedError, SpApiError
from tap_amazon_seller.reports import planner, reader
from tap_amazon_seller.reports.documents import Document, DocumentError
from tap_amazon_seller.reports.engine import ReportEngine, ReportJob, iso, parse_time
from tap_amazon_seller.reports.registry import ORDERS_REPORT
from tap_amazon_seller.reports.xml_records import iter_xml_records
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PendingReports, SpApiStream, describe_partition

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

ORDERS_ROLE = ORDERS_REPORT.role  # one home: the orders report's spec
SEARCH = "orders_2026-01-01.searchOrders"
GET_ORDER = "orders_2026-01-01.getOrder"
SEARCH_PATH = "/orders/2026-01-01/orders"
# The fallback where Orders API 2026-01-01 is not offered.
GET_ORDERS_V0 = "ordersV0.getOrders"
GET_ORDER_ITEMS_V0 = "ordersV0.getOrderItems"
V0_PATH = "/orders/v0/orders"
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PROMOTION", "CANCELLATION")
# What records lack without each dataset, and the order they are given up in when
# searchOrders refuses includedData: Amazon's 400 does not say which value it refused
# (amzn/selling-partner-api-models#5365: FULFILLMENT in the FE region, August 2026), so the
# known culprit goes first and the buyer and address last.
WITHOUT_DATASET = {
    "FULFILLMENT": "fulfilment status, service level and item quantities",
    "CANCELLATION": "cancellations",
    "PROMOTION": "items' promotions",
    "PROCEEDS": "proceeds (order and item totals)",
    "RECIPIENT": "delivery addresses (order_address)",
    "BUYER": "buyers (order_buyer_info)",
}
PII_ELEMENTS = ("buyerInfo", "shippingAddress")
#: Where an order read from a source other than searchOrders came from ("report", "v0"): a
#: key of the order as read, never of a record. searchOrders answers whole, so what its
#: order leaves out is not there; the report and v0 carry less of the model, so what their
#: mapped order leaves out is unknown (hotglue's v0 flags read it, hotglue/orders_v0.py).
SOURCE = "_source"
# Amazon wants lastUpdatedBefore (and dataEndTime) at least two minutes in the past.
LAG = timedelta(minutes=2)
# Orders handed to the child streams at once: bounds memory, and each hand-over is one
# child sync (a SCHEMA message and a log line), so not one per order.
CHILD_BATCH = 500

_PARTITION: dict[str, t.Any] = {
    "marketplace_id": {"type": ["string"]},
    "region": {"type": ["string", "null"]},
}
_ORDER_REF: dict[str, t.Any] = {
    "orderId": {"type": ["string"]},
    "lastUpdatedTime": {"type": ["string"], "format": "date-time"},
    **_PARTITION,
}


def _order_schema() -> dict[str, t.Any]:
    schema = model_schema("orders_2026-01-01.Order", **_PARTITION)
    for child_part in ("orderItems", "buyer", "recipient"):  # the child streams' records
        schema["properties"].pop(child_part)
    return schema


def stamp(moment: datetime) -> str:
    """The one spelling of timestamps in records and bookmarks: ISO 8601, UTC, +00:00."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def utc(value: t.Any) -> str | None:
    """A timestamp as ISO 8601 UTC with an explicit offset, whichever way Amazon wrote it."""
    moment = parse_time(value) if isinstance(value, str) else None
    return stamp(moment) if moment else value


# -- the report's rows in the Orders API's shape ----------------------------------------

_STATUS = {
    "pending": "PENDING",
    "pendingavailability": "PENDING_AVAILABILITY",
    "unshipped": "UNSHIPPED",
    "partiallyshipped": "PARTIALLY_SHIPPED",
    "shipping": "UNSHIPPED",
    "shipped": "SHIPPED",
    "cancelled": "CANCELLED",
    "canceled": "CANCELLED",
    "unfulfillable": "UNFULFILLABLE",
}
_SERVICE_LEVEL = {
    "standard": "STANDARD",
    "expedited": "EXPEDITED",
    "secondday": "SECOND_DAY",
    "nextday": "NEXT_DAY",
    "freeeconomy": "FREE_ECONOMY",
    "priority": "PRIORITY",
    "sameday": "SAME_DAY",
    "scheduled": "SCHEDULED",
}


def _squash(text: str | None) -> str:
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def _money(amount: Decimal | None, currency: str | None) -> dict[str, str] | None:
    if amount is None or not currency:
        return None
    return {"amount": str(amount), "currencyCode": currency}


def _sum(*values: Decimal | None) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


_FULFILLED_BY = {"amazon": "AMAZON", "afn": "AMAZON", "merchant": "MERCHANT", "mfn": "MERCHANT"}


def _sales_channel(name: str | None, marketplace_id: str | None) -> dict[str, t.Any]:
    channel = None  # no channel named: unknown, not "NON_AMAZON"
    if name:
        channel = "AMAZON" if name.lower().startswith("amazon") else "NON_AMAZON"
    return {
        "channelName": channel,
        "marketplaceId": marketplace_id,
        "marketplaceName": name,
    }


def _fulfillment(status: str | None, channel: str | None, level: str | None) -> dict[str, t.Any]:
    """The model's OrderFulfillment from the report's or v0's spellings (`Shipped`, `AFN`,
    `SecondDay`); a value the tap does not know is kept as Amazon wrote it."""
    return {
        "fulfillmentStatus": _STATUS.get(_squash(status)) or status,
        "fulfilledBy": _FULFILLED_BY.get(_squash(channel), channel),
        "fulfillmentServiceLevel": _SERVICE_LEVEL.get(_squash(level)) or level,
    }


def _proceeds(
    breakdowns: list[tuple[str, Decimal]], currency: str | None, total: str
) -> dict[str, t.Any]:
    """Proceeds as the model shapes them: `total` (proceedsTotal, grandTotal) and breakdowns."""
    return {
        total: _money(sum((v for _, v in breakdowns), Decimal(0)), currency),
        "breakdowns": [
            {"type": kind, "subtotal": _money(value, currency)} for kind, value in breakdowns
        ],
    }


def _unit_price(price: Decimal, quantity: int, currency: str | None) -> dict[str, str] | None:
    # Amazon gives the line's price; the unit price keeps the line's decimals.
    return _money((price / quantity).quantize(price), currency)


# The XML report's price components in the model's ItemProceedsBreakdown types; a
# component the tap does not know is counted as OTHER, never dropped.
_COMPONENT_TYPE = {
    "principal": "ITEM",
    "shipping": "SHIPPING",
    "giftwrap": "GIFT_WRAP",
    "codfee": "COD_FEE",
    "tax": "TAX",
    "shippingtax": "TAX",
    "giftwraptax": "TAX",
    "codfeetax": "TAX",
}


def _report_breakdowns(item: dict[str, t.Any]) -> list[tuple[str, Decimal]]:
    """(type, subtotal) of an item of the XML report, summed per model type."""
    totals: dict[str, Decimal] = {}
    for component in item.get("item_price") or []:
        amount = component.get("amount")
        if amount is not None:
            kind = _COMPONENT_TYPE.get(_squash(component.get("type")), "OTHER")
            totals[kind] = totals.get(kind, Decimal(0)) + Decimal(str(amount))
    discounts = [
        Decimal(str(value))
        for promotion in item.get("promotions") or []
        for value in (
            promotion.get("item_promotion_discount"),
            promotion.get("ship_promotion_discount"),
        )
        if value is not None
    ]
    if any(discounts):
        # A discount lowers the proceeds whichever sign the report writes it with.
        totals["DISCOUNT"] = -sum((abs(d) for d in discounts), Decimal(0))
    return list(totals.items())


def _item_fulfillment(status: str | None, quantity: int | None) -> dict[str, int | None]:
    """Units fulfilled and not, from the item's status; unknown (null) for a status the tap
    does not know or a line without a quantity."""
    if quantity is None:
        return {"quantityFulfilled": None, "quantityUnfulfilled": None}
    split = {
        "shipped": (quantity, 0),
        "cancelled": (0, 0),
        "canceled": (0, 0),
        "unshipped": (0, quantity),
        "pending": (0, quantity),
    }.get(_squash(status), (None, None))
    return {"quantityFulfilled": split[0], "quantityUnfulfilled": split[1]}


class ReportShapeError(DocumentError):
    """An order of the report lacks what Amazon's report always carries."""


def order_from_report(
    report_order: dict[str, t.Any], marketplace_id: str, report: str = "orders report"
) -> dict[str, t.Any]:
    """An order in the 2026-01-01 model's shape from its element of the XML orders report.

    What the report does not carry is null, never an empty list, 0 or false: it has no
    PII, no payment, no tax breakdown, and of the order's programs only says whether it
    is an Amazon Business order (`programs` is `["AMAZON_BUSINESS"]` or null, since PRIME
    and the others are unknown). Amounts are exact, summed per breakdown type. An item
    without its AmazonOrderItemCode is not the report Amazon documents: ReportShapeError.
    """
    items = report_order.get("order_items") or []
    currency = next(
        (c["currency"] for i in items for c in i.get("item_price") or [] if c.get("currency")),
        None,
    )
    purchase_order = report_order.get("purchase_order_number")
    order: dict[str, t.Any] = {
        "orderId": report_order["amazon_order_id"],
        "createdTime": report_order.get("purchase_date"),
        "lastUpdatedTime": report_order.get("last_updated_date"),
        "programs": ["AMAZON_BUSINESS"] if report_order.get("is_business_order") else None,
        "salesChannel": _sales_channel(report_order.get("sales_channel"), marketplace_id),
        "fulfillment": _fulfillment(
            report_order.get("order_status"),
            report_order.get("fulfillment_channel"),
            report_order.get("ship_service_level"),
        ),
        "buyer": {"buyerPurchaseOrderNumber": purchase_order} if purchase_order else {},
        "recipient": {
            "deliveryAddress": {
                "city": report_order.get("ship_city"),
                "stateOrRegion": report_order.get("ship_state"),
                "postalCode": report_order.get("ship_postal_code"),
                "countryCode": report_order.get("ship_country"),
            }
        },
        "orderItems": [],
    }
    if report_order.get("merchant_order_id"):
        order["orderAliases"] = [
            {"aliasId": report_order["merchant_order_id"], "aliasType": "SELLER_ORDER_ID"}
        ]
    totals: dict[str, Decimal] = {}
    for item in items:
        item_id = item.get("amazon_order_item_code")
        if not item_id:
            raise ReportShapeError(
                f"{report}: an item of order {order['orderId']} has no AmazonOrderItemCode, "
                "which Amazon's XML order report always carries; the report is not read"
            )
        quantity = item.get("quantity")
        breakdowns = _report_breakdowns(item)
        for kind, value in breakdowns:
            totals[kind] = totals.get(kind, Decimal(0)) + value
        entry: dict[str, t.Any] = {
            "orderItemId": item_id,
            "quantityOrdered": quantity,
            "product": {
                "asin": item.get("asin"),
                "title": item.get("product_name"),
                "sellerSku": item.get("sku"),
            },
            "fulfillment": _item_fulfillment(item.get("item_status"), quantity),
        }
        price = dict(breakdowns).get("ITEM")
        if price is not None and quantity:
            entry["product"]["price"] = {"unitPrice": _unit_price(price, quantity, currency)}
        if report_order.get("price_designation"):
            entry["product"].setdefault("price", {})["priceDesignation"] = report_order[
                "price_designation"
            ]
        if breakdowns:
            entry["proceeds"] = _proceeds(breakdowns, currency, "proceedsTotal")
        promotion_ids = [
            part.strip()
            for promotion in item.get("promotions") or []
            for part in str(promotion.get("promotion_ids") or "").split(",")
            if part.strip()
        ]
        if promotion_ids:
            entry["promotion"] = {"breakdowns": [{"promotionId": p} for p in promotion_ids]}
        order["orderItems"].append(entry)
    if totals:
        order["proceeds"] = _proceeds(list(totals.items()), currency, "grandTotal")
    return order


def _v0_money(money: dict | None) -> tuple[Decimal | None, str | None]:
    if not money or money.get("Amount") in (None, ""):
        return None, None
    return Decimal(str(money["Amount"])), money.get("CurrencyCode")


def _v0_count(value: t.Any) -> int | None:
    return None if value in (None, "") else int(value)


def order_from_v0(order: dict[str, t.Any], items: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    """An Orders API v0 order and its getOrderItems answer in the 2026-01-01 model's shape."""
    buyer_info = order.get("BuyerInfo") or {}
    address = order.get("ShippingAddress") or {}
    total, currency = _v0_money(order.get("OrderTotal"))
    flags = (("IsBusinessOrder", "AMAZON_BUSINESS"), ("IsPrime", "PRIME"))
    programs: list[str] | None = [
        name
        for flag, name in flags
        if as_bool(order.get(flag))  # Amazon sends some of these as "false" strings
    ]
    if not programs and any(order.get(flag) is None for flag, _ in flags):
        programs = None  # a flag not given: unknown, not "no programs"
    result: dict[str, t.Any] = {
        "orderId": order["AmazonOrderId"],
        "createdTime": order.get("PurchaseDate"),
        "lastUpdatedTime": order.get("LastUpdateDate"),
        "programs": programs,
        "salesChannel": _sales_channel(order.get("SalesChannel"), order.get("MarketplaceId")),
        "fulfillment": _fulfillment(
            order.get("OrderStatus"),
            order.get("FulfillmentChannel"),
            order.get("ShipServiceLevel"),
        ),
        "buyer": {
            key: buyer_info[v0_key]
            for key, v0_key in (
                ("buyerName", "BuyerName"),
                ("buyerEmail", "BuyerEmail"),
                ("buyerPurchaseOrderNumber", "PurchaseOrderNumber"),
            )
            if buyer_info.get(v0_key)
        },
        "recipient": {
            "deliveryAddress": {
                key: address[v0_key]
                for key, v0_key in (
                    ("name", "Name"),
                    ("addressLine1", "AddressLine1"),
                    ("addressLine2", "AddressLine2"),
                    ("city", "City"),
                    ("stateOrRegion", "StateOrRegion"),
                    ("postalCode", "PostalCode"),
                    ("countryCode", "CountryCode"),
                    ("phone", "Phone"),
                )
                if address.get(v0_key)
            }
        },
        "orderItems": [],
    }
    if order.get("SellerOrderId"):
        result["orderAliases"] = [
            {"aliasId": order["SellerOrderId"], "aliasType": "SELLER_ORDER_ID"}
        ]
    if total is not None:
        result["proceeds"] = {"grandTotal": _money(total, currency)}
    for item in items:
        quantity = _v0_count(item.get("QuantityOrdered"))
        shipped = _v0_count(item.get("QuantityShipped"))
        price, item_currency = _v0_money(item.get("ItemPrice"))
        tax = _sum(_v0_money(item.get("ItemTax"))[0], _v0_money(item.get("ShippingTax"))[0])
        shipping = _v0_money(item.get("ShippingPrice"))[0]
        breakdowns = [
            (k, v)
            for k, v in (("ITEM", price), ("SHIPPING", shipping), ("TAX", tax))
            if v is not None
        ]
        cancelled = result["fulfillment"]["fulfillmentStatus"] == "CANCELLED"
        entry: dict[str, t.Any] = {
            "orderItemId": item.get("OrderItemId"),
            "quantityOrdered": quantity,
            "product": {
                "asin": item.get("ASIN"),
                "title": item.get("Title"),
                "sellerSku": item.get("SellerSKU"),
            },
            "fulfillment": {
                "quantityFulfilled": shipped,
                "quantityUnfulfilled": 0
                if cancelled
                else (quantity - shipped if quantity is not None and shipped is not None else None),
            },
        }
        if price is not None and quantity:
            entry["product"]["price"] = {"unitPrice": _unit_price(price, quantity, item_currency)}
        if breakdowns:
            entry["proceeds"] = _proceeds(breakdowns, item_currency, "proceedsTotal")
        result["orderItems"].append(entry)
    return result


# -- the streams ------------------------------------------------------------------------


@dataclass
class Segment:
    """A stretch of last-update time read from one source."""

    source: t.Literal["report", "api"]
    start: datetime
    end: datetime
    job: ReportJob | None = None


class OrdersStream(PendingReports):
    """`orders`: one record per order and change, per marketplace."""

    name = "orders"
    primary_keys: t.ClassVar[list[str]] = ["orderId"]
    replication_key = "lastUpdatedTime"
    is_sorted = False  # neither source promises any order
    required_role = ORDERS_ROLE
    schema = _order_schema()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._segments: dict[str, list[Segment]] = {}
        self._batches: dict[int, list[dict]] = {}
        self._batch_ids = itertools.count(1)
        self._rdt = RestrictedDataTokens()
        self._pii_refused: set[str] = set()
        self._by_id: dict[str, dict[str, dict]] = {}
        self._v0_regions: set[str] = set()  # regions without Orders API 2026-01-01
        self._included: dict[str, tuple[str, ...]] = {}  # includedData a region accepts

    @property
    def partitions(self) -> list[dict] | None:
        return self.amazon.marketplace_partitions()

    # -- which streams of the family are read, and from where ------------------------

    def family(self) -> list[SpApiStream]:
        members = [self, *t.cast("list[SpApiStream]", self.child_streams)]
        return [s for s in members if s.selected] or [self]

    def _start(self, context: Context) -> datetime:
        """The earliest bookmark among the selected streams of the family (or start_date)."""
        start_date = self.amazon.settings.start_date
        starts = []
        for stream in self.family():
            state = stream.get_context_state(context)
            bookmark = None
            if state.get("replication_key") == self.replication_key:
                bookmark = parse_time(state.get("replication_key_value"))
            starts.append(max(bookmark, start_date) if bookmark else start_date)
        return min(starts)

    def _end(self) -> datetime:
        settings = self.amazon.settings
        end = clock.now().replace(microsecond=0) - LAG
        return min(end, settings.end_date) if settings.end_date else end

    def _report_until(self, start: datetime, end: datetime) -> datetime:
        settings = self.amazon.settings
        if settings.orders_source == "api":
            return start
        if settings.orders_source == "report":
            return end
        return end - timedelta(hours=settings.orders_api_tail_hours)

    def segments(self, context: Context, engine: ReportEngine | None = None) -> list[Segment]:
        start, end = self._start(context), self._end()
        report_until = self._report_until(start, end)
        segments: list[Segment] = []
        pending = list(self.get_context_state(context).get("pending_reports") or [])
        partition = planner.Partition(
            region=str(context["region"]),
            marketplace_id=str(context["marketplace_id"]),
            options=(),
            start_date=start,
            limit=report_until,
            pending=tuple(pending),
        )
        if report_until - start >= planner.MIN_WINDOW:
            # The report's windows, each reusing a report of an interrupted run or of the
            # last day; the Orders API reads on from where they end.
            remember = functools.partial(self._remember_pending, context)
            for job in (
                reader.plan(engine, ORDERS_REPORT, partition, remember)
                if engine is not None
                else [p.job for p in planner.plan(ORDERS_REPORT, partition, planner.NOTHING_LISTED)]
            ):
                assert job.data_start is not None and job.data_end is not None
                segments.append(Segment("report", job.data_start, job.data_end, job))
                start = job.data_end
        if self.amazon.settings.orders_source != "report" and start < end:
            segments.append(Segment("api", start, end))
        return segments

    # -- report planning (with every other report of the sync) ------------------------

    @property
    def planned_report_types(self) -> list[str]:
        settings = self.amazon.settings
        if settings.order_ids or settings.orders_source == "api":
            return []
        return [ORDERS_REPORT.report_type]

    def plan(self, engine: ReportEngine) -> None:
        if self.amazon.settings.order_ids:
            return
        for context in self.partitions or []:
            self._segments[str(context["marketplace_id"])] = self.segments(context, engine)

    # -- reading -----------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterator[dict]:
        assert context is not None
        marketplace = str(context["marketplace_id"])
        if self.amazon.settings.order_ids:
            yield from self._batched(self._orders_by_id(context), context)
            return
        segments = self._segments.get(marketplace)
        if segments is None:
            segments = self.segments(context)
            if any(s.source == "report" for s in segments):
                self.amazon.report_engine()  # plans this stream's reports with the others
                segments = self._segments.get(marketplace) or []
        held: str | None = None  # the bookmark every segment read so far allows
        previous_edge: set[str] = set()
        for segment in segments:
            latest: list[str] = []
            edge: set[str] = set()
            try:
                orders = self._read(segment, context)
                fresh = self._skip_edge(orders, segment, previous_edge, latest, edge)
                yield from self._batched(fresh, context)
            except (SpApiError, DocumentError, reader.ReportNotRead, reader.ReportDeferred) as exc:
                self._stop(context, segment, exc, held)
                return
            if not latest:
                # The source confirmed the window empty: the bookmarks may move to its end.
                for stream in self.family():
                    stream._increment_stream_state(
                        {t.cast(str, stream.replication_key): stamp(segment.end)},
                        context=context,
                    )
            reached = latest[0] if latest else stamp(segment.end)
            held = max(held, reached) if held else reached
            previous_edge = edge

    def _skip_edge(
        self,
        orders: Iterable[dict],
        segment: Segment,
        previous_edge: set[str],
        latest: list[str],
        edge: set[str],
    ) -> Iterator[dict]:
        """Orders of a segment, less those the previous segment already gave on the shared edge
        (both sources include both edges); notes the latest update and this segment's edge."""
        start, end = stamp(segment.start), stamp(segment.end)
        for order in orders:
            updated = order.get("lastUpdatedTime")
            if updated == start and order["orderId"] in previous_edge:
                continue
            if updated == end:
                edge.add(order["orderId"])
            if updated and (not latest or updated > latest[0]):
                latest[:] = [updated]
            yield order

    def _read(self, segment: Segment, context: Context) -> Iterator[dict]:
        if segment.source == "api":
            return self._search(segment, context)
        return self._report(segment, context)

    def _stop(
        self, context: Context, segment: Segment, failure: Exception, held: str | None
    ) -> None:
        """Stop this marketplace at `segment`: bookmarks stay where every earlier one allows."""
        for stream in self.family():
            state = stream.get_context_state(context)
            markers = state.get("progress_markers")
            if not markers:
                continue
            value = markers.get("replication_key_value")
            if held is None:
                state.pop("progress_markers", None)
            elif value and str(value) > held:
                markers["replication_key_value"] = held
        self.amazon.note_error(
            ", ".join(s.name for s in self.family()),
            describe_partition(context),
            failure,
            f"{segment.source} {iso(segment.start)}..{iso(segment.end)}: {failure}",
        )
        if isinstance(failure, reader.ReportDeferred):
            self.logger.info(
                "Streams %s, marketplace %s: orders from %s on deferred to the next run by "
                "max_run_minutes; their bookmarks stay before them.",
                ", ".join(s.name for s in self.family()),
                context["marketplace_id"],
                iso(segment.start),
            )
            return
        hint = (
            f" The app needs the role '{self.required_role}'."
            if isinstance(failure, AccessDeniedError)
            else ""
        )
        self.logger.error(
            "Streams %s, marketplace %s: %s orders from %s to %s could not be read: %s%s "
            "Their bookmarks stay before this window; the next run reads it again. The other "
            "marketplaces and streams go on.",
            ", ".join(s.name for s in self.family()),
            context["marketplace_id"],
            segment.source,
            iso(segment.start),
            iso(segment.end),
            failure,
            hint,
        )

    # -- the two sources ----------------------------------------------------------------

    def _search(self, segment: Segment, context: Context) -> Iterator[dict]:
        client = self.amazon.client(str(context["region"]))
        if client.region in self._v0_regions:
            yield from self._search_v0(client, segment, context)
            return
        params = {
            "marketplaceIds": context["marketplace_id"],
            "lastUpdatedAfter": iso(segment.start),
            "lastUpdatedBefore": iso(segment.end),
            "maxResultsPerPage": 100,
        }
        try:
            first, pages = self._first_search_page(client, params)
        except SpApiError as exc:
            if exc.status != 404:
                raise
            # Orders API 2026-01-01 not offered here (yet): the v0 API, with its per-order
            # getOrderItems calls, is the fallback; logged, as it is far slower.
            self._v0_regions.add(client.region)
            self.logger.warning(
                "searchOrders (Orders API 2026-01-01) is not available in region %s (%s); "
                "reading orders with Orders API v0 there: one getOrderItems call per order, "
                "at 0.5 a second.",
                client.region,
                exc,
            )
            yield from self._search_v0(client, segment, context)
            return
        for page in itertools.chain([first] if first else [], pages):
            yield from page.get("orders") or []

    def _first_search_page(
        self, client: SpApiClient, params: dict[str, t.Any]
    ) -> tuple[dict | None, Iterator[dict]]:
        """searchOrders' first page, and the pages after it. Where Amazon refuses the
        includedData (a 400), it is asked again giving datasets up one at a time; what is
        given up is logged with what the records lack, and kept for the region's other
        searches. A 400 that no dataset explains is raised as it came."""
        region = client.region
        included = list(self._included.get(region, INCLUDED_DATA))
        refusal: SpApiError | None = None
        while True:
            pages = client.pages(
                SEARCH,
                params={**params, "includedData": ",".join(included)} if included else params,
                token_path=("pagination", "nextToken"),
                token_param="paginationToken",
                token=self._pii_token(client, SEARCH_PATH),
            )
            try:
                first = next(pages, None)
            except SpApiError as exc:
                if exc.status != 400:
                    raise
                if not included:  # every dataset given up: the 400 was about something else
                    raise refusal or exc from None
                refusal = refusal or exc
                included.remove(next(d for d in WITHOUT_DATASET if d in included))
                continue
            if refusal is not None:
                given_up = [
                    d for d in self._included.get(region, INCLUDED_DATA) if d not in included
                ]
                self._included[region] = tuple(included)
                self.logger.warning(
                    "searchOrders in region %s refused includedData (%s); it answers without "
                    "%s, so orders read from it there lack: %s. The fresh tail goes on; the "
                    "orders report and a later run fill what it can.",
                    region,
                    refusal,
                    ", ".join(given_up),
                    "; ".join(WITHOUT_DATASET[d] for d in given_up),
                )
            return first, pages

    def _search_v0(self, client: SpApiClient, segment: Segment, context: Context) -> Iterator[dict]:
        params = {
            "MarketplaceIds": context["marketplace_id"],
            "LastUpdatedAfter": iso(segment.start),
            "LastUpdatedBefore": iso(segment.end),
            "MaxResultsPerPage": 100,
        }
        for page in client.pages(
            GET_ORDERS_V0,
            params=params,
            token_path=("payload", "NextToken"),
            token_param="NextToken",
            token=self._pii_token(client, V0_PATH),
        ):
            for order in (page.get("payload") or {}).get("Orders") or []:
                # Every page of the order's items: a large order's lines go on past the first.
                items = [
                    item
                    for answer in client.pages(
                        GET_ORDER_ITEMS_V0,
                        path_params={"orderId": order["AmazonOrderId"]},
                        token_path=("payload", "NextToken"),
                        token_param="NextToken",
                    )
                    for item in (answer.get("payload") or {}).get("OrderItems") or []
                ]
                yield {**order_from_v0(order, items), SOURCE: "v0"}

    def _pii_token(self, client: SpApiClient, path: str) -> t.Callable[[], str] | None:
        """The RDT source for searchOrders when PII is wanted (None: the plain access token)."""
        if not self.amazon.settings.include_pii or client.region in self._pii_refused:
            return None
        try:
            self._rdt.token(client, "GET", path, PII_ELEMENTS)
        except SpApiError as exc:
            self._pii_refused.add(client.region)
            self.logger.error(
                "include_pii: Amazon refused a Restricted Data Token in region %s (%s). The "
                "orders streams go on without buyer names, emails and address lines; give the "
                "app the role '%s' and authorise it again to get them.",
                client.region,
                exc,
                PII_ROLE,
            )
            return None
        return lambda: self._rdt.token(client, "GET", path, PII_ELEMENTS)

    def _report(self, segment: Segment, context: Context) -> Iterator[dict]:
        engine = self.amazon.report_engine()
        job = segment.job
        assert job is not None, "report segments are planned with the report engine"
        orders_of = functools.partial(
            self._report_orders, marketplace=str(context["marketplace_id"])
        )
        keep_pending = False
        try:
            # CANCELLED is Amazon's "no orders updated in this window": nothing to read.
            yield from reader.read_report(engine, job, orders_of, window=True)
        except reader.ReportNotRead as exc:
            keep_pending = exc.keep_pending  # a report still running: the next run polls it
            raise
        finally:
            if not keep_pending:
                self._forget_window(context, job)
            engine.release(job)

    def _report_orders(
        self, document: Document, job: ReportJob, marketplace: str
    ) -> Iterator[dict]:
        problems = reader.Problems(self.logger, job.describe(), "order")
        assert ORDERS_REPORT.xml_records is not None
        for element in iter_xml_records(
            document, ORDERS_REPORT.xml_records, job.describe(), problems
        ):
            if element.get("amazon_order_id"):
                yield {**order_from_report(element, marketplace, job.describe()), SOURCE: "report"}
        problems.summarise()

    def _orders_by_id(self, context: Context) -> Iterator[dict]:
        """`order_ids`: getOrder for each id, once per region; emitted in its marketplace."""
        region = str(context["region"])
        if region not in self._by_id:
            client = self.amazon.client(region)
            found: dict[str, dict] = {}
            for order_id in self.amazon.settings.order_ids:
                try:
                    answer = client.call(
                        GET_ORDER,
                        path_params={"orderId": order_id},
                        params={"includedData": ",".join(INCLUDED_DATA)},
                    )
                except SpApiError as exc:
                    if exc.status == 404:
                        continue
                    raise
                order = answer.get("order") or {}
                if order.get("orderId"):
                    found[order_id] = order
            missing = [o for o in self.amazon.settings.order_ids if o not in found]
            if missing:
                self.logger.info("order_ids not found in region %s: %s", region, ", ".join(missing))
            self._by_id[region] = found
        for order in self._by_id[region].values():
            if (order.get("salesChannel") or {}).get("marketplaceId") == context["marketplace_id"]:
                yield order

    # -- handing orders to the records and to the child streams ------------------------

    def _batched(self, orders: Iterable[dict], context: Context) -> Iterator[dict]:
        """Order records; the last of every CHILD_BATCH carries the batch for the children."""
        records: list[dict] = []
        children: list[dict] = []
        wants_children = any(s.selected for s in self.child_streams)
        for order in orders:
            records.append(self.order_record(order))
            if wants_children:
                children.append({**order, "lastUpdatedTime": utc(order.get("lastUpdatedTime"))})
            if len(records) >= CHILD_BATCH:
                yield from self._flush(records, children)
                records, children = [], []
        if records:
            yield from self._flush(records, children)

    def order_record(self, order: dict) -> dict:
        """The `orders` record of an order as read (its items, buyer and address are the
        child streams' records)."""
        record = {
            k: v for k, v in order.items() if k not in ("orderItems", "buyer", "recipient", SOURCE)
        }
        record["createdTime"] = utc(record.get("createdTime"))
        record["lastUpdatedTime"] = utc(record.get("lastUpdatedTime"))
        return record

    def _flush(self, records: list[dict], children: list[dict]) -> Iterator[dict]:
        # Every child stream reads the batch while the SDK processes its carrier record,
        # before the next batch is made: only the newest is kept.
        self._batches.clear()
        if children:
            batch = next(self._batch_ids)
            self._batches[batch] = children
            records[-1]["_child_batch"] = batch
        yield from records

    def generate_child_contexts(self, record: dict, context: Context | None) -> Iterable[dict]:
        batch = record.pop("_child_batch", None)
        if batch is not None and context is not None:
            # Only the batch's number travels in the context: the SDK logs contexts.
            yield {
                "marketplace_id": context["marketplace_id"],
                "region": context["region"],
                "batch": batch,
            }

    def batch(self, number: int) -> list[dict]:
        return self._batches.get(number, [])

    def _increment_stream_state(
        self, latest_record: dict, *, context: Context | None = None
    ) -> None:
        if not self.amazon.settings.order_ids:  # order_ids runs leave bookmarks untouched
            super()._increment_stream_state(latest_record, context=context)


class _OrderPartStream(SpApiStream):
    """A child of `orders`: records derived from each batch of orders it read."""

    parent_stream_type = OrdersStream
    replication_key = "lastUpdatedTime"
    is_sorted = False
    required_role = ORDERS_ROLE
    state_partitioning_keys: t.ClassVar[list[str]] = ["marketplace_id"]

    def parts(self, order: dict) -> Iterable[dict]:
        raise NotImplementedError

    def get_records(self, context: Context | None) -> Iterator[dict]:
        assert context is not None
        parent = t.cast(OrdersStream, self.amazon.streams["orders"])
        for order in parent.batch(int(context["batch"])):
            ref = {
                "orderId": order["orderId"],
                "lastUpdatedTime": order["lastUpdatedTime"],
                "marketplace_id": context["marketplace_id"],
                "region": context["region"],
            }
            for part in self.parts(order):
                yield {**part, **ref}

    def _increment_stream_state(
        self, latest_record: dict, *, context: Context | None = None
    ) -> None:
        if not self.amazon.settings.order_ids:
            super()._increment_stream_state(latest_record, context=context)


class OrderItemsStream(_OrderPartStream):
    """`order_items`: one record per order item, keyed by order and order item id, which
    every source carries (two lines of one SKU are two records). `sellerSku` is the
    item's SKU at the top level, for joins."""

    name = "order_items"
    primary_keys: t.ClassVar[list[str]] = ["orderId", "orderItemId"]
    schema = model_schema(
        "orders_2026-01-01.OrderItem", **_ORDER_REF, sellerSku={"type": ["string", "null"]}
    )

    def parts(self, order: dict) -> Iterable[dict]:
        for item in order.get("orderItems") or []:
            yield {**item, "sellerSku": (item.get("product") or {}).get("sellerSku")}


class OrderBuyerInfoStream(_OrderPartStream):
    """`order_buyer_info`: the buyer of each order (name and email with `include_pii`)."""

    name = "order_buyer_info"
    primary_keys: t.ClassVar[list[str]] = ["orderId"]
    schema = model_schema("orders_2026-01-01.Buyer", **_ORDER_REF)

    def parts(self, order: dict) -> Iterable[dict]:
        yield dict(order.get("buyer") or {})


class OrderAddressStream(_OrderPartStream):
    """`order_address`: where each order goes (street, name and phone with `include_pii`)."""

    name = "order_address"
    primary_keys: t.ClassVar[list[str]] = ["orderId"]
    schema = model_schema("orders_2026-01-01.CustomerAddress", **_ORDER_REF)

    def parts(self, order: dict) -> Iterable[dict]:
        yield dict((order.get("recipient") or {}).get("deliveryAddress") or {})
