"""Every report stream the tap ships, one declarative entry each.

Columns, date formats, windows and options follow Amazon's report type pages
("Report Type Values", "Inventory / FBA / Returns / Settlement reports
attributes", the Vendor and Seller analytics JSON schemas). Unknown columns are
kept in `extra_columns`, so a column Amazon adds never breaks a sync.
"""

from __future__ import annotations

from typing import Any

from tap_amazon_seller.auth import PII_ROLE
from tap_amazon_seller.reports.spec import (
    JsonRecords,
    Listed,
    Periods,
    ReportSpec,
    Snapshot,
    Windows,
    XmlField,
    XmlRecords,
    columns,
    xml_fields,
)

# Cadences (ReportSpec.cadence_hours): how soon a new report can hold new data. Amazon's
# "Fulfillment by Amazon (FBA) Reports" page: a near real-time FBA report is generated at
# most once every 30 minutes, a daily one at most once every four hours; the four All
# Orders reports are not limited. Which FBA report is which ("Content updated in near
# real-time" / "daily") is quoted from Amazon's reportType values page (its January 2022
# copy in amzn/selling-partner-api-docs). Where Amazon documents no refresh (the listings
# reports among others) the comment says so, and the cadence is the tap's choice: All
# Listings hourly, the others daily (README: Scheduling).
EVERY_RUN = 0.0
NEAR_REAL_TIME = 0.5
DAILY = 24.0
WEEKLY = 168.0

FBA_ROLE = "Amazon Fulfillment"
ORDERS_ROLE = "Inventory and Order Tracking"
LISTINGS_ROLE = "Product Listing"
FINANCE_ROLE = "Finance and Accounting"
ANALYTICS_ROLE = "Brand Analytics (or Selling Partner Insights)"
VENDOR_ROLE = "Brand Analytics (vendor account)"

# Vendor Retail Analytics by day: at most 15 days a report, data final about 72 hours after
# a day closes (so the last 3 days are read again).
_VENDOR_DAILY: dict[str, Any] = {
    "role": VENDOR_ROLE,
    "keys": ("startDate", "asin"),
    "timing": Windows(days=15, whole_days=True, lookback_days=3),
    "end_lag_minutes": 72 * 60,
    "options": {"reportPeriod": "DAY"},
}
# The vendor sales and inventory reports' views (Amazon's defaults are the tap's too).
_VENDOR_VIEW = {"distributorView": "MANUFACTURING", "sellingProgram": "RETAIL"}
_SALES_TRAFFIC: dict[str, Any] = {
    "option_defaults": {"dateGranularity": "DAY", "asinGranularity": "CHILD"},
    "allowed_options": {
        "dateGranularity": ("DAY", "WEEK", "MONTH"),
        "asinGranularity": ("PARENT", "CHILD", "SKU"),
    },
}

# The All Orders reports' columns (by last update and by order date): one row per order item.
_ORDER_COLUMNS = columns(
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date:date-time",
    "last-updated-date:date-time",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity:integer",
    "currency",
    "item-price:number",
    "item-tax:number",
    "shipping-price:number",
    "shipping-tax:number",
    "gift-wrap-price:number",
    "gift-wrap-tax:number",
    "item-promotion-discount:number",
    "ship-promotion-discount:number",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order:boolean",
    "purchase-order-number",
    "price-designation",
)

# The Manage FBA Inventory reports' columns (unsuppressed, and all with archived listings).
_MYI_COLUMNS = columns(
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "your-price:number",
    "mfn-listing-exists:boolean",
    "mfn-fulfillable-quantity:integer",
    "afn-listing-exists:boolean",
    "afn-warehouse-quantity:integer",
    "afn-fulfillable-quantity:integer",
    "afn-unsellable-quantity:integer",
    "afn-reserved-quantity:integer",
    "afn-total-quantity:integer",
    "per-unit-volume:number",
    "afn-inbound-working-quantity:integer",
    "afn-inbound-shipped-quantity:integer",
    "afn-inbound-receiving-quantity:integer",
    "afn-researching-quantity:integer",
    "afn-reserved-future-supply:integer",
    "afn-future-supply-buyable:integer",
    "store",
)

# The listings reports' columns (All, Active, Inactive, Cancelled, back-compat).
_LISTING_COLUMNS = columns(
    "item-name",
    "item-description",
    "listing-id",
    "seller-sku",
    "price:number",
    "quantity:integer",
    # "2026-11-20 10:00:00 PST" in North America, "07/08/2024 07:31:42 MESZ" (day first, the
    # zone named in German) in Germany: the marketplace's own way.
    "open-date:local-date-time",
    "image-url",
    "item-is-marketplace:boolean",
    "product-id-type",
    "zshop-shipping-fee:number",
    "item-note",
    "item-condition",
    "zshop-category1",
    "zshop-browse-path",
    "zshop-storefront-feature",
    "asin1",
    "asin2",
    "asin3",
    "will-ship-internationally",
    "expedited-shipping",
    "zshop-boldface",
    "product-id",
    "bid-for-featured-placement",
    "add-delete",
    "pending-quantity:integer",
    "fulfillment-channel",
    "merchant-shipping-group",
)
# Listings snapshots: keyed by SKU, headers in English whatever the marketplace.
_LISTINGS: dict[str, Any] = {
    "role": LISTINGS_ROLE,
    "records": _LISTING_COLUMNS,
    "keys": ("seller_sku",),
    "options": {"preferredReportDocumentLocale": "en_US"},
}
# -- XML reports: the fields of their record elements ----------------------------------

# One Order element of the XML All Orders report: the flat file's columns, nested. Amounts
# are price components (Principal, Tax, Shipping, ShippingTax, GiftWrap, ...) each with
# its currency attribute; dates are ISO 8601.
_XML_ORDER_FIELDS = xml_fields(
    "AmazonOrderID",
    "MerchantOrderID",
    "PurchaseDate:date-time",
    "LastUpdatedDate:date-time",
    "OrderStatus",
    "SalesChannel",
    "fulfillment_channel=FulfillmentData/FulfillmentChannel",
    "ship_service_level=FulfillmentData/ShipServiceLevel",
    "ship_city=FulfillmentData/Address/City",
    "ship_state=FulfillmentData/Address/State",
    "ship_postal_code=FulfillmentData/Address/PostalCode",
    "ship_country=FulfillmentData/Address/Country",
    "IsBusinessOrder:boolean",
    "PurchaseOrderNumber",
    "PriceDesignation",
    XmlField(
        "order_items",
        "OrderItem",
        repeated=True,
        fields=xml_fields(
            "AmazonOrderItemCode",
            "ASIN",
            "SKU",
            "ItemStatus",
            "ProductName",
            "Quantity:integer",
            XmlField(
                "item_price",
                "ItemPrice/Component",
                repeated=True,
                fields=xml_fields("Type", "Amount:number", "currency=Amount/@currency"),
            ),
            XmlField(
                "promotions",
                "Promotion",
                repeated=True,
                fields=xml_fields(
                    "promotion_ids=PromotionIDs",
                    "ItemPromotionDiscount:number",
                    "ShipPromotionDiscount:number",
                ),
            ),
        ),
    ),
)

# One OrderReport element of the order report for shipping: the buyer, the ship-to address
# and each item's price components.
_XML_SHIPPING_ORDER_FIELDS = xml_fields(
    "AmazonOrderID",
    "OrderDate:date-time",
    "OrderPostedDate:date-time",
    "buyer_email=BillingData/BuyerEmailAddress",
    "buyer_name=BillingData/BuyerName",
    "buyer_phone=BillingData/BuyerPhoneNumber",
    "fulfillment_method=FulfillmentData/FulfillmentMethod",
    "ship_service_level=FulfillmentData/FulfillmentServiceLevel",
    "ship_name=FulfillmentData/Address/Name",
    "ship_address_1=FulfillmentData/Address/AddressFieldOne",
    "ship_address_2=FulfillmentData/Address/AddressFieldTwo",
    "ship_address_3=FulfillmentData/Address/AddressFieldThree",
    "ship_city=FulfillmentData/Address/City",
    "ship_state=FulfillmentData/Address/StateOrRegion",
    "ship_postal_code=FulfillmentData/Address/PostalCode",
    "ship_country=FulfillmentData/Address/CountryCode",
    "ship_phone=FulfillmentData/Address/PhoneNumber",
    "IsBusinessOrder:boolean",
    XmlField(
        "items",
        "Item",
        repeated=True,
        fields=xml_fields(
            "AmazonOrderItemCode",
            "SKU",
            "Title",
            "Quantity:integer",
            "ProductTaxCode",
            XmlField(
                "item_price",
                "ItemPrice/Component",
                repeated=True,
                fields=xml_fields("Type", "Amount:number", "currency=Amount/@currency"),
            ),
        ),
    ),
)

# One Node element of the Browse Tree Report. Paths are comma-separated, by id and by name
# (names may hold commas themselves, so only the id path is split into a list).
_XML_BROWSE_NODE_FIELDS = xml_fields(
    "browseNodeId",
    "browseNodeName",
    "browseNodeStoreContextName",
    "browsePathById",
    "browsePathByName",
    XmlField("browse_path_ids", "browsePathById", split=","),
    "hasChildren:boolean",
    "child_node_count=childNodes/@count:integer",
    XmlField("child_node_ids", "childNodes/id", repeated=True),
    "productTypeDefinitions",
    XmlField(
        "browse_node_attributes",
        "browseNodeAttributes/attribute",
        repeated=True,
        fields=xml_fields("name=@name", "value=."),
    ),
    "refinement_count=refinementsInformation/@count:integer",
    XmlField(
        "refinements",
        "refinementsInformation/refinementName",
        repeated=True,
        fields=(
            *xml_fields("name=@name"),
            XmlField(
                "fields",
                "refinementField",
                repeated=True,
                fields=xml_fields(
                    "refinementAttribute",
                    "hasModifier:boolean",
                    "modifiers",
                    "acceptedValues",
                ),
            ),
        ),
    ),
)

REPORT_SPECS: tuple[ReportSpec, ...] = (
    # -- inventory ----------------------------------------------------------------------
    ReportSpec(
        stream="warehouse_inventory",
        cadence_hours=NEAR_REAL_TIME,  # near real-time FBA inventory
        report_type="GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA",
        description="FBA Manage Inventory: current stock per SKU (snapshot).",
        role=FBA_ROLE,
        records=_MYI_COLUMNS,
        keys=("sku",),
        timing=Snapshot(reuse_minutes=30),
    ),
    ReportSpec(
        stream="warehouse_inventory_all",
        cadence_hours=NEAR_REAL_TIME,  # near real-time FBA inventory
        report_type="GET_FBA_MYI_ALL_INVENTORY_DATA",
        description=(
            "FBA Manage Inventory, archived listings included: stock per SKU (snapshot), the "
            "SKUs no longer listed too."
        ),
        role=FBA_ROLE,
        records=_MYI_COLUMNS,
        keys=("sku",),
        timing=Snapshot(reuse_minutes=30),  # near real-time, as the unsuppressed report
    ),
    ReportSpec(
        stream="afn_inventory_country",
        cadence_hours=NEAR_REAL_TIME,  # near real-time FBA inventory
        report_type="GET_AFN_INVENTORY_DATA_BY_COUNTRY",
        description="FBA Multi-Country Inventory: stock per SKU per EU country (snapshot, EU only).",
        role=FBA_ROLE,
        records=columns(
            "seller-sku",
            "fulfillment-channel-sku",
            "asin",
            "condition-type",
            "country",
            "quantity-for-local-fulfillment:integer",
        ),
        keys=("seller_sku", "country", "condition_type"),
        regions=("eu",),
        timing=Snapshot(reuse_minutes=30),
    ),
    ReportSpec(
        stream="fba_inventory_ledger",
        cadence_hours=DAILY,  # undocumented; dated events, the tap's choice
        report_type="GET_LEDGER_DETAIL_VIEW_DATA",
        description="Inventory Ledger, detailed view: every inventory event (incremental).",
        role=FBA_ROLE,
        records=columns(
            "Date:date",
            "FNSKU",
            "ASIN",
            "MSKU",
            "Title",
            "Event Type",
            "Reference ID",
            "Quantity:integer",
            "Fulfillment Center",
            "Disposition",
            "Reason",
            "Country",
            "Reconciled Quantity:integer",
            "Unreconciled Quantity:integer",
            "Date and Time:date-time",
        ),
        timing=Windows(),
        allowed_options={
            "eventType": (
                "Adjustments",
                "CustomerReturns",
                "Receipts",
                "Shipments",
                "VendorReturns",
                "WhseTransfers",
            )
        },
    ),
    ReportSpec(
        stream="fba_inventory_planning",
        cadence_hours=DAILY,  # undocumented; its predecessor was updated daily
        report_type="GET_FBA_INVENTORY_PLANNING_DATA",
        description="FBA Manage Inventory Health: ageing, excess and recommendations (daily snapshot).",
        role=FBA_ROLE,
        records=columns(
            "snapshot-date:date",
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "condition",
            "available:integer",
            "pending-removal-quantity:integer",
            "inv-age-0-to-90-days:integer",
            "inv-age-91-to-180-days:integer",
            "inv-age-181-to-270-days:integer",
            "inv-age-271-to-365-days:integer",
            "inv-age-365-plus-days:integer",
            "currency",
            "units-shipped-t7:integer",
            "units-shipped-t30:integer",
            "units-shipped-t60:integer",
            "units-shipped-t90:integer",
            "alert",
            "your-price:number",
            "sales-price:number",
            "lowest-price-new-plus-shipping:number",
            "lowest-price-used:number",
            "recommended-action",
            "healthy-inventory-level:integer",
            "recommended-sales-price:number",
            "recommended-sale-duration-days:integer",
            "recommended-removal-quantity:integer",
            "estimated-cost-savings-of-recommended-actions:number",
            "sell-through:number",
            "item-volume:number",
            "volume-unit-measurement",
            "storage-type",
            "storage-volume:number",
            "marketplace",
            "product-group",
            "sales-rank:integer",
            "days-of-supply:integer",
            "estimated-excess-quantity:integer",
            "weeks-of-cover-t30:number",
            "weeks-of-cover-t90:number",
            "featuredoffer-price:number",
            "inbound-quantity:integer",
            "reserved-quantity:integer",
            "unfulfillable-quantity:integer",
        ),
        keys=("snapshot_date", "sku", "condition"),
        timing=Snapshot(reuse_minutes=240),
    ),
    ReportSpec(
        stream="reserved_inventory",
        cadence_hours=NEAR_REAL_TIME,  # near real-time FBA inventory
        report_type="GET_RESERVED_INVENTORY_DATA",
        description="FBA Reserved Inventory: units reserved per SKU and reason (snapshot).",
        role=FBA_ROLE,
        records=columns(
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "reserved_qty:integer",
            "reserved_customerorders:integer",
            "reserved_fc-transfers:integer",
            "reserved_fc-processing:integer",
        ),
        keys=("sku",),
        timing=Snapshot(reuse_minutes=30),
    ),
    # -- listings -----------------------------------------------------------------------
    ReportSpec(
        stream="products_inventory",
        cadence_hours=1.0,  # undocumented; All Listings, the one read hourly
        report_type="GET_MERCHANT_LISTINGS_ALL_DATA",
        description="All Listings: every listing with price, quantity and status (snapshot).",
        role=LISTINGS_ROLE,
        records=(*_LISTING_COLUMNS, *columns("status")),
        keys=("seller_sku",),
        # Without it, Amazon may answer with headers in the marketplace's language.
        options={"preferredReportDocumentLocale": "en_US"},
    ),
    # -- shipments and returns -----------------------------------------------------------
    ReportSpec(
        stream="fba_customer_shipment_sales",
        cadence_hours=NEAR_REAL_TIME,  # Amazon: 'Content updated near real-time'
        report_type="GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_SALES_DATA",
        description="FBA Customer Shipment Sales: units shipped by Amazon, by shipment date.",
        role=FBA_ROLE,
        records=columns(
            "shipment-date:date-time",
            "sku",
            "fnsku",
            "asin",
            "fulfillment-center-id",
            "quantity:integer",
            "amazon-order-id",
            "currency",
            "item-price-per-unit:number",
            "shipping-price:number",
            "gift-wrap-price:number",
            "ship-city",
            "ship-state",
            "ship-postal-code",
        ),
        timing=Windows(),
    ),
    ReportSpec(
        stream="amazon_fulfilled_shipments",
        cadence_hours=NEAR_REAL_TIME,  # 'Content updated in near real-time'
        report_type="GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL",
        description="Amazon Fulfilled Shipments: every shipped order item (at most a month a report).",
        role=FBA_ROLE,
        records=columns(
            "amazon-order-id",
            "merchant-order-id",
            "shipment-id",
            "shipment-item-id",
            "amazon-order-item-id",
            "merchant-order-item-id",
            "purchase-date:date-time",
            "payments-date:date-time",
            "shipment-date:date-time",
            "reporting-date:date-time",
            "buyer-email",
            "buyer-name",
            "buyer-phone-number",
            "sku",
            "product-name",
            "quantity-shipped:integer",
            "currency",
            "item-price:number",
            "item-tax:number",
            "shipping-price:number",
            "shipping-tax:number",
            "gift-wrap-price:number",
            "gift-wrap-tax:number",
            "ship-service-level",
            "recipient-name",
            "ship-address-1",
            "ship-address-2",
            "ship-address-3",
            "ship-city",
            "ship-state",
            "ship-postal-code",
            "ship-country",
            "ship-phone-number",
            "bill-address-1",
            "bill-address-2",
            "bill-address-3",
            "bill-city",
            "bill-state",
            "bill-postal-code",
            "bill-country",
            "item-promotion-discount:number",
            "ship-promotion-discount:number",
            "carrier",
            "tracking-number",
            "estimated-arrival-date:date-time",
            "fulfillment-center-id",
            "fulfillment-channel",
            "sales-channel",
            "points-granted:integer",
        ),
        keys=("shipment_item_id",),
        timing=Windows(),
    ),
    ReportSpec(
        stream="fba_returns",
        cadence_hours=DAILY,  # Amazon: 'Content updated daily'
        report_type="GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        description="FBA customer returns, by return date.",
        role=FBA_ROLE,
        records=columns(
            "return-date:date-time",
            "order-id",
            "sku",
            "asin",
            "fnsku",
            "product-name",
            "quantity:integer",
            "fulfillment-center-id",
            "detailed-disposition",
            "reason",
            "status",
            "license-plate-number",
            "customer-comments",
        ),
        timing=Windows(),
    ),
    ReportSpec(
        stream="returns",
        cadence_hours=DAILY,  # undocumented; returns by whole days
        report_type="GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        description="Merchant-fulfilled returns, by return request date (at most 60 days a report).",
        role=ORDERS_ROLE,
        records=columns(
            "Order ID",
            "Order date:date",
            "Return request date:date",
            "Return request status",
            "Amazon RMA ID",
            "Merchant RMA ID",
            "Label type",
            "Label cost:number",
            "Currency code",
            "Return carrier",
            "Tracking ID",
            "Label to be paid by",
            "A-to-Z Claim:boolean",
            "Is prime:boolean",
            "ASIN",
            "Merchant SKU",
            "Item Name",
            "Return quantity:integer",
            "Return Reason",
            "In policy:boolean",
            "Return type",
            "Resolution",
            "Invoice number",
            "Return delivery date:date",
            "Order Amount:number",
            "Order quantity:integer",
            "SafeT Action reason",
            "SafeT claim id",
            "SafeT claim state",
            "SafeT claim creation time:date-time",
            "SafeT claim reimbursement amount:number",
            "Refunded Amount:number",
            "Category",
        ),
        keys=("amazon_rma_id", "merchant_sku"),
        timing=Windows(days=60),
    ),
    # -- settlements: generated by Amazon on its own schedule, listed, never requested ------
    ReportSpec(
        stream="settlement_reports",
        cadence_hours=EVERY_RUN,  # listed, never requested: no createReport
        report_type="GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2",
        timing=Listed(also_list=("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE",)),
        description=(
            "Settlement reports (flat file V2, and V1 until Amazon removed it in November 2026): "
            "every settlement line, incremental on the report's creation time."
        ),
        role=FINANCE_ROLE,
        records=columns(
            "settlement-id",
            "settlement-start-date:date-time",
            "settlement-end-date:date-time",
            "deposit-date:date-time",
            "total-amount:number",
            "currency",
            "transaction-type",
            "order-id",
            "merchant-order-id",
            "adjustment-id",
            "shipment-id",
            "marketplace-name",
            "amount-type",
            "amount-description",
            "amount:number",
            "fulfillment-id",
            "posted-date:date",
            "posted-date-time:date-time",
            "order-item-code",
            "merchant-order-item-id",
            "merchant-adjustment-item-id",
            "sku",
            "quantity-purchased:integer",
            "promotion-id",
            # V1 only:
            "shipment-fee-type",
            "shipment-fee-amount:number",
            "order-fee-type",
            "order-fee-amount:number",
            "price-type",
            "price-amount:number",
            "item-related-fee-type",
            "item-related-fee-amount:number",
            "misc-fee-amount:number",
            "other-fee-amount:number",
            "other-fee-reason-description",
            "promotion-type",
            "promotion-amount:number",
            "direct-payment-type",
            "direct-payment-amount:number",
            "other-amount:number",
        ),
    ),
    # -- analytics (JSON) -----------------------------------------------------------------
    ReportSpec(
        stream="sales_traffic_report",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_SALES_AND_TRAFFIC_REPORT",
        description="Sales and Traffic by date (one record per day, week or month).",
        role=ANALYTICS_ROLE,
        records=JsonRecords(
            "sellerSalesAndTrafficReport.json", "salesAndTrafficByDate", "SalesAndTrafficByDate"
        ),
        keys=("date",),
        timing=Windows(lookback_days=3, whole_days=True),
        **_SALES_TRAFFIC,
    ),
    ReportSpec(
        stream="sales_traffic_by_asin",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_SALES_AND_TRAFFIC_REPORT",
        description=(
            "Sales and Traffic by ASIN and day (Amazon totals ASIN rows over a report's whole "
            "range, so this stream asks one report per day and marketplace)."
        ),
        role=ANALYTICS_ROLE,
        records=JsonRecords(
            "sellerSalesAndTrafficReport.json", "salesAndTrafficByAsin", "SalesAndTrafficByAsin"
        ),
        keys=("report_start_date", "parentAsin", "childAsin", "sku"),
        timing=Windows(days=1, lookback_days=3, whole_days=True),
        **_SALES_TRAFFIC,
    ),
    ReportSpec(
        stream="vendor_sales_report",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_VENDOR_SALES_REPORT",
        description="Vendor Retail Analytics sales by ASIN and day.",
        records=JsonRecords("vendorSalesReport.json", "salesByAsin", "SalesByAsin"),
        option_defaults=_VENDOR_VIEW,
        allowed_options={
            "distributorView": ("MANUFACTURING", "SOURCING"),
            "sellingProgram": ("RETAIL", "BUSINESS", "FRESH"),
        },
        **_VENDOR_DAILY,
    ),
    ReportSpec(
        stream="vendor_inventory_report",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_VENDOR_INVENTORY_REPORT",
        description="Vendor Retail Analytics inventory by ASIN and day.",
        records=JsonRecords("vendorInventoryReport.json", "inventoryByAsin", "InventoryByAsin"),
        option_defaults=_VENDOR_VIEW,
        allowed_options={
            "distributorView": ("MANUFACTURING", "SOURCING"),
            "sellingProgram": ("RETAIL", "FRESH"),
        },
        **_VENDOR_DAILY,
    ),
    ReportSpec(
        stream="vendor_traffic_report",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_VENDOR_TRAFFIC_REPORT",
        description="Vendor Retail Analytics glance views by ASIN and day.",
        records=JsonRecords("vendorTrafficReport.json", "trafficByAsin", "TrafficByAsin"),
        **_VENDOR_DAILY,  # the traffic report takes reportPeriod only
    ),
    # -- FBA: reimbursements, removals, stock by condition ----------------------------------
    ReportSpec(
        stream="fba_reimbursements",
        cadence_hours=DAILY,  # Amazon: 'Content updated daily'
        report_type="GET_FBA_REIMBURSEMENTS_DATA",
        description="FBA reimbursements, by approval date.",
        role=FBA_ROLE,
        records=columns(
            "approval-date:date-time",
            "reimbursement-id",
            "case-id",
            "amazon-order-id",
            "reason",
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "condition",
            "currency-unit",
            "amount-per-unit:number",
            "amount-total:number",
            "quantity-reimbursed-cash:integer",
            "quantity-reimbursed-inventory:integer",
            "quantity-reimbursed-total:integer",
            "original-reimbursement-id",
            "original-reimbursement-type",
        ),
        # One reimbursement may cover several SKUs: the id alone is not unique.
        keys=("reimbursement_id", "sku"),
        timing=Windows(),
    ),
    ReportSpec(
        stream="fba_removal_orders",
        cadence_hours=NEAR_REAL_TIME,  # Amazon: 'Content updated in near real-time'
        report_type="GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA",
        description="FBA removal orders (returns to the seller and disposals), by request date.",
        role=FBA_ROLE,
        records=columns(
            "request-date:date-time",
            "order-id",
            "order-source",
            "order-type",
            "service-speed",
            "order-status",
            "last-updated-date:date-time",
            "sku",
            "fnsku",
            "disposition",
            "requested-quantity:integer",
            "cancelled-quantity:integer",
            "disposed-quantity:integer",
            "shipped-quantity:integer",
            "in-process-quantity:integer",
            "removal-fee:number",
            "currency",
        ),
        keys=("order_id", "fnsku", "disposition"),
        # A removal order changes status for weeks after its request: re-read a month.
        timing=Windows(lookback_days=30),
    ),
    ReportSpec(
        stream="fba_removal_shipments",
        cadence_hours=NEAR_REAL_TIME,  # Amazon: 'Content updated in near real-time'
        report_type="GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA",
        description="Shipments of FBA removal orders back to the seller.",
        role=FBA_ROLE,
        records=columns(
            "request-date:date-time",
            "order-id",
            "shipment-date:date-time",
            "sku",
            "fnsku",
            "disposition",
            "shipped-quantity:integer",
            "carrier",
            "tracking-number",
            "removal-order-type",
        ),
        timing=Windows(),
    ),
    ReportSpec(
        stream="afn_inventory",
        cadence_hours=NEAR_REAL_TIME,  # near real-time FBA inventory
        report_type="GET_AFN_INVENTORY_DATA",
        description="FBA stock per SKU and warehouse condition (snapshot).",
        role=FBA_ROLE,
        records=columns(
            "seller-sku",
            "fulfillment-channel-sku",
            "asin",
            "condition-type",
            "Warehouse-Condition-code",
            "Quantity Available:integer",
        ),
        keys=("seller_sku", "warehouse_condition_code"),
        timing=Snapshot(reuse_minutes=30),
    ),
    ReportSpec(
        stream="fba_stranded_inventory",
        cadence_hours=NEAR_REAL_TIME,  # Amazon: 'Content updated in near real-time'
        report_type="GET_STRANDED_INVENTORY_UI_DATA",
        description="FBA stranded inventory: units without an active offer, and what to do.",
        role=FBA_ROLE,
        records=columns(
            "primary-action",
            "date-stranded:date-time",
            "Date-to-take-auto-removal:date-time",
            "status-primary",
            "status-secondary",
            "error-message",
            "stranded-reason",
            "asin",
            "sku",
            "fnsku",
            "product-name",
            "condition",
            "fulfilled-by",
            "fulfillable-qty:integer",
            "your-price:number",
            "unfulfillable-qty:integer",
            "reserved-quantity:integer",
            "inbound-shipped-qty:integer",
        ),
        keys=("sku",),
        timing=Snapshot(reuse_minutes=30),
    ),
    ReportSpec(
        stream="fba_restock_recommendations",
        cadence_hours=NEAR_REAL_TIME,  # Amazon: 'Content updated in near real-time'
        report_type="GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT",
        description="FBA restock recommendations per SKU (days of supply may read '365+').",
        role=FBA_ROLE,
        records=columns(
            "Country",
            "Product Name",
            "FNSKU",
            "Merchant SKU",
            "ASIN",
            "Condition",
            "Supplier",
            "Supplier part no.",
            "Currency code",
            "Price:number",
            "Sales last 30 days:number",
            "Units Sold Last 30 Days:integer",
            "Total Units:integer",
            "Inbound:integer",
            "Available:integer",
            "FC transfer:integer",
            "FC Processing:integer",
            "Customer Order:integer",
            "Unfulfillable:integer",
            "Working:integer",
            "Shipped:integer",
            "Receiving:integer",
            "Fulfilled by",
            "Total Days of Supply (including units from open shipments):integer",
            "Days of Supply at Amazon Fulfillment Network:integer",
            "Alert",
            "Recommended replenishment qty:integer",
            "Recommended ship date:date",
            "Recommended action",
            "Unit storage size",
        ),
        keys=("merchant_sku",),
        timing=Snapshot(reuse_minutes=30),
    ),
    # -- listings and orders (flat files) --------------------------------------------------
    ReportSpec(
        stream="open_listings",
        cadence_hours=DAILY,  # undocumented; All Listings has its rows hourly
        report_type="GET_FLAT_FILE_OPEN_LISTINGS_DATA",
        description="Open listings: SKU, ASIN, price and quantity, with business prices (snapshot).",
        role=LISTINGS_ROLE,
        records=columns(
            "sku",
            "asin",
            "price:number",
            "quantity:integer",
            "Business Price:number",
            "Quantity Price Type",
            "Quantity Lower Bound 1:integer",
            "Quantity Price 1:number",
            "Quantity Lower Bound 2:integer",
            "Quantity Price 2:number",
            "Quantity Lower Bound 3:integer",
            "Quantity Price 3:number",
            "Quantity Lower Bound 4:integer",
            "Quantity Price 4:number",
            "Quantity Lower Bound 5:integer",
            "Quantity Price 5:number",
            "Progressive Price Type",
            "Progressive Lower Bound 1:integer",
            "Progressive Price 1:number",
            "Progressive Lower Bound 2:integer",
            "Progressive Price 2:number",
            "Progressive Lower Bound 3:integer",
            "Progressive Price 3:number",
        ),
        keys=("sku",),
        allowed_options={"custom": ("true", "false")},
    ),
    ReportSpec(
        stream="orders_by_order_date_report",
        cadence_hours=EVERY_RUN,  # an All Orders report: not limited
        report_type="GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        description=(
            "All Orders by order date, as Amazon's flat file has them: one row per order item, "
            "as the item stood when the report was made (the `orders` streams follow changes)."
        ),
        role=ORDERS_ROLE,
        records=(*_ORDER_COLUMNS, *columns("cpf")),
        keys=("amazon_order_id", "sku"),
        repeats_within="amazon_order_id",  # no order-item-id: two lines of one SKU
        timing=Windows(),
    ),
    ReportSpec(
        stream="vendor_net_pure_product_margin_report",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT",
        description="Vendor Retail Analytics net pure product margin by ASIN and day.",
        records=JsonRecords(
            "vendorNetPureProductMarginReport.json",
            "netPureProductMarginByAsin",
            "NetPureProductMarginDetailsByAsin",
        ),
        # Margins settle later than sales: Amazon publishes a day about four days after it.
        **{
            **_VENDOR_DAILY,
            "end_lag_minutes": 96 * 60,
            "timing": Windows(days=15, whole_days=True, lookback_days=4),
        },
    ),
    *(
        ReportSpec(
            stream=f"vendor_real_time_{kind}_report",
            cadence_hours=1.0,  # hourly data
            report_type=f"GET_VENDOR_REAL_TIME_{kind.upper()}_REPORT",
            description=f"Vendor Rapid Retail Analytics: {kind} by ASIN and hour.",
            records=JsonRecords(schema_file, "reportData", definition),
            role=VENDOR_ROLE,
            keys=("startTime", "asin"),
            # Hourly data of the last 30 days, a few minutes behind; a week a report (Amazon's
            # pages give no maximum: a week keeps documents small), the last hours re-read.
            timing=Windows(days=7, lookback_days=1, history_days=30),
            end_lag_minutes=15,
        )
        for kind, schema_file, definition in (
            ("sales", "vendorRealTimeSalesReport.json", "reportData"),
            ("inventory", "vendorRealTimeInventoryReport.json", "ReportData"),
            ("traffic", "vendorRealTimeTrafficReport.json", "ReportData"),
        )
    ),
    *(
        ReportSpec(
            stream=f"vendor_forecasting_{program.lower()}_report",
            cadence_hours=WEEKLY,  # weekly forecasts
            report_type="GET_VENDOR_FORECASTING_REPORT",
            description=f"Vendor demand forecast by ASIN and week ({program} program).",
            records=JsonRecords("vendorForecastingReport.json", "forecastByAsin", "ForecastByAsin"),
            role=VENDOR_ROLE,
            keys=("forecastGenerationDate", "asin", "startDate"),
            options={"sellingProgram": program},
            # getReports does not tell a RETAIL forecast from a FRESH one, so a report found
            # there is never taken for the other program: each sync requests its own.
            timing=Snapshot(reuse_minutes=0),
        )
        for program in ("RETAIL", "FRESH")
    ),
    # -- listings, seller feedback, archived and unshipped orders ----------------------------
    ReportSpec(
        stream="active_listings",
        cadence_hours=DAILY,  # undocumented; All Listings has its rows hourly
        report_type="GET_MERCHANT_LISTINGS_DATA",
        description="Active listings (snapshot).",
        **_LISTINGS,
    ),
    ReportSpec(
        stream="active_listings_back_compat",
        cadence_hours=DAILY,  # undocumented; All Listings has its rows hourly
        report_type="GET_MERCHANT_LISTINGS_DATA_BACK_COMPAT",
        description="Active listings in the older layout some integrations expect (snapshot).",
        **_LISTINGS,
    ),
    ReportSpec(
        stream="inactive_listings",
        cadence_hours=DAILY,  # undocumented; All Listings has its rows hourly
        report_type="GET_MERCHANT_LISTINGS_INACTIVE_DATA",
        description="Inactive listings: out of stock or closed (snapshot).",
        **_LISTINGS,
    ),
    ReportSpec(
        stream="cancelled_listings",
        cadence_hours=DAILY,  # undocumented; the tap's choice
        report_type="GET_MERCHANT_CANCELLED_LISTINGS_DATA",
        description="Cancelled listings (snapshot).",
        **{**_LISTINGS, "records": (*_LISTING_COLUMNS, *columns("status"))},
    ),
    ReportSpec(
        stream="suppressed_listings",
        cadence_hours=DAILY,  # undocumented; the tap's choice
        report_type="GET_MERCHANTS_LISTINGS_FYP_REPORT",
        description="Suppressed listings (Seller Central's Fix Your Products), with the reason.",
        role=LISTINGS_ROLE,
        records=columns(
            "Status",
            "Reason",
            "SKU",
            "ASIN",
            "Product name",
            "Condition",
            "Status Change Date:local-date",
            "Issue Description",
        ),
        keys=("sku",),
    ),
    ReportSpec(
        stream="seller_feedback",
        cadence_hours=DAILY,  # data by whole days
        report_type="GET_SELLER_FEEDBACK_DATA",
        description="Seller feedback left by buyers, by the date it was left.",
        role="Selling Partner Insights",
        # Written in the marketplace's language: headers have a spelling per language and
        # dates are written the way the marketplace's site writes them.
        records=columns(
            "Date|Datum|Fecha|日付:local-date",
            "Rating|Bewertung|Évaluation|Valoración|評価:integer",
            "Comments|Kommentare|Commentaires|Comentarios|コメント",
            "Response|Ihre Antwort|Réponse|Respuesta|回答",
            "Order ID|Bestellnummer|Numéro de commande|Número de pedido|注文番号",
            "Rater Email|E-Mail des Bewerters|E-mail de l'évaluateur"
            "|Correo electrónico del evaluador|評価者のEメール",
        ),
        keys=("order_id",),
        # A window is read by day of the feedback: Amazon's dates carry no time.
        timing=Windows(whole_days=True),
    ),
    ReportSpec(
        stream="archived_orders_report",
        cadence_hours=DAILY,  # orders over 18 months old change rarely
        report_type="GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE",
        description=(
            "Archived orders (placed more than 18 months ago) by order date, one row per item: "
            "the orders the other orders reports no longer hold."
        ),
        role=ORDERS_ROLE,
        records=_ORDER_COLUMNS,
        keys=("amazon_order_id", "sku"),
        repeats_within="amazon_order_id",  # no order-item-id: two lines of one SKU
        timing=Windows(),
        # Orders are archived about 18 months (548 days) after purchase, on Amazon's own
        # schedule: windows stop two days short of that, so every order in them is archived.
        end_lag_minutes=550 * 24 * 60,
    ),
    ReportSpec(
        stream="unshipped_orders",
        cadence_hours=EVERY_RUN,  # orders waiting to ship: every run
        report_type="GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING",
        description=(
            "Seller-fulfilled order items still to ship, with the buyer and ship-to address "
            "(restricted: needs include_pii)."
        ),
        role=f"{ORDERS_ROLE}, and {PII_ROLE} for the document",
        records=columns(
            "order-id",
            "order-item-id",
            "purchase-date:date-time",
            "payments-date:date-time",
            "reporting-date:date-time",
            "promise-date:date-time",
            "days-past-promise:integer",
            "buyer-email",
            "buyer-name",
            "buyer-phone-number",
            "sku",
            "product-name",
            "quantity-purchased:integer",
            "quantity-shipped:integer",
            "quantity-to-ship:integer",
            "ship-service-level",
            "recipient-name",
            "ship-address-1",
            "ship-address-2",
            "ship-address-3",
            "ship-city",
            "ship-state",
            "ship-postal-code",
            "ship-country",
            "is-business-order:boolean",
            "purchase-order-number",
            "price-designation",
            "is-prime:boolean",
        ),
        keys=("order_item_id",),
        restricted=True,
        # Orders change by the minute: a report is never reused.
        timing=Snapshot(reuse_minutes=0),
    ),
    # -- brand analytics, promotions, coupons (JSON) --
    # Brand Analytics: the data range must start on the first day of a reportPeriod and end
    # on the last day of one (WEEK: Sunday..Saturday; MONTH, QUARTER: calendar), or the
    # report ends FATAL. Windows follow the period (default WEEK, set another with
    # `report_options`); a period is asked once it is over and Amazon had three days to
    # publish it, so the bookmark always sits on a period edge. Keys hold the period's end
    # too, so a WEEK and a MONTH starting on the same day are different records.
    ReportSpec(
        stream="brand_analytics_search_terms",
        cadence_hours=DAILY,  # a period ends each day at the shortest
        report_type="GET_BRAND_ANALYTICS_SEARCH_TERMS_REPORT",
        description=(
            "Brand Analytics search terms: the top three clicked ASINs per search term and "
            "department, one report per period (Amazon refuses a range spanning periods)."
        ),
        role="Brand Analytics",
        records=JsonRecords(
            "sellingPartnerSearchTermsReport.json",
            "dataByDepartmentAndSearchTerm",
            "DetailsByDepartmentAndSearchTerm",
        ),
        keys=(
            "report_start_date",
            "report_end_date",
            "departmentName",
            "searchTerm",
            "clickedAsin",
        ),
        timing=Periods(option="reportPeriod", spans=False),
        end_lag_minutes=72 * 60,
        options={"reportPeriod": "WEEK"},
        allowed_options={"reportPeriod": ("DAY", "WEEK", "MONTH", "QUARTER")},
    ),
    ReportSpec(
        stream="brand_analytics_market_basket",
        cadence_hours=DAILY,  # a period ends each day at the shortest
        report_type="GET_BRAND_ANALYTICS_MARKET_BASKET_REPORT",
        description="Brand Analytics market basket: what is bought with each ASIN, per period.",
        role="Brand Analytics",
        records=JsonRecords(
            "sellingPartnerMarketBasketAnalysisReport.json", "dataByAsin", "DetailsByAsin"
        ),
        keys=("startDate", "endDate", "asin", "purchasedWithAsin"),
        timing=Periods(option="reportPeriod", days=92),  # several periods, up to a quarter
        end_lag_minutes=72 * 60,
        options={"reportPeriod": "WEEK"},
        allowed_options={"reportPeriod": ("DAY", "WEEK", "MONTH", "QUARTER")},
    ),
    ReportSpec(
        stream="brand_analytics_repeat_purchase",
        cadence_hours=DAILY,  # a period ends each day at the shortest
        report_type="GET_BRAND_ANALYTICS_REPEAT_PURCHASE_REPORT",
        description="Brand Analytics repeat purchase: orders and repeat customers per ASIN and period.",
        role="Brand Analytics",
        records=JsonRecords("sellingPartnerRepeatPurchaseReport.json", "dataByAsin", "DataByAsin"),
        keys=("startDate", "endDate", "asin"),
        timing=Periods(option="reportPeriod", days=92),
        end_lag_minutes=72 * 60,
        options={"reportPeriod": "WEEK"},
        allowed_options={"reportPeriod": ("WEEK", "MONTH", "QUARTER")},
    ),
    ReportSpec(
        stream="brand_analytics_search_catalog_performance",
        cadence_hours=DAILY,  # a period ends each day at the shortest
        report_type="GET_BRAND_ANALYTICS_SEARCH_CATALOG_PERFORMANCE_REPORT",
        description=(
            "Brand Analytics search catalog performance: impressions, clicks, cart adds and "
            "purchases per ASIN, one report per period (all brand ASINs, or `asins`)."
        ),
        role="Brand Analytics",
        records=JsonRecords(
            "sellingPartnerSearchCatalogPerformanceReport.json",
            "dataByAsin",
            "SearchCatalogPerformanceData",
        ),
        keys=("startDate", "endDate", "asin"),
        timing=Periods(option="reportPeriod", spans=False),
        end_lag_minutes=72 * 60,
        options={"reportPeriod": "WEEK"},
        allowed_options={"reportPeriod": ("WEEK", "MONTH", "QUARTER"), "asins": ()},
        option_max_length={"asins": 200},
    ),
    ReportSpec(
        stream="brand_analytics_search_query_performance",
        cadence_hours=DAILY,  # a period ends each day at the shortest
        report_type="GET_BRAND_ANALYTICS_SEARCH_QUERY_PERFORMANCE_REPORT",
        description=(
            "Brand Analytics search query performance: each search query's funnel for the "
            "ASINs of the required `asin` option, one report per period."
        ),
        role="Brand Analytics",
        records=JsonRecords(
            "sellingPartnerSearchQueryPerformanceReport.json",
            "dataByAsin",
            "SearchQueryPerformanceData",
            lifted=("searchQueryData.searchQuery",),
        ),
        keys=("startDate", "endDate", "asin", "searchQuery"),
        timing=Periods(option="reportPeriod", spans=False),
        end_lag_minutes=72 * 60,
        options={"reportPeriod": "WEEK"},
        allowed_options={"reportPeriod": ("WEEK", "MONTH", "QUARTER"), "asin": ()},
        required_options=("asin",),  # space-separated ASINs
        option_max_length={"asin": 200},
    ),
    # Promotions and coupons are selected by their start time, sent as report options;
    # Amazon keeps two years. Their figures grow while they run, so recent starts are read
    # again: promotions (deals last days to weeks) 30 days back, coupons (up to 90 days) 90.
    ReportSpec(
        stream="promotion_performance",
        cadence_hours=DAILY,  # Amazon: 'updated on a daily basis'
        report_type="GET_PROMOTION_PERFORMANCE_REPORT",
        description="Promotion performance (deals, discounts) with the products of each promotion.",
        role="Selling Partner Insights (sellers) or Brand Analytics (vendors)",
        records=JsonRecords("promotionReport.json", "promotions", "DetailsByPromotion"),
        keys=("promotionId",),
        timing=Windows(
            lookback_days=30,
            history_days=729,
            options=("promotionStartDateFrom", "promotionStartDateTo"),
        ),
    ),
    ReportSpec(
        stream="coupon_performance",
        cadence_hours=DAILY,  # undocumented; the tap's choice
        report_type="GET_COUPON_PERFORMANCE_REPORT",
        description="Coupon performance of a seller account, one record per coupon.",
        role="Selling Partner Insights",
        records=JsonRecords("sellerCouponReport.json", "coupons", "CouponDetails"),
        keys=("couponId",),
        timing=Windows(
            lookback_days=90, history_days=729, options=("couponStartDateFrom", "couponStartDateTo")
        ),
    ),
    ReportSpec(
        stream="vendor_coupon_performance",
        cadence_hours=DAILY,  # undocumented; the tap's choice
        report_type="GET_COUPON_PERFORMANCE_REPORT",
        description="Coupon performance of a vendor account, one record per campaign.",
        role=VENDOR_ROLE,
        records=JsonRecords("vendorCouponReport.json", "campaigns", "DetailsByCampaign"),
        keys=("campaignId",),
        timing=Windows(
            lookback_days=90,
            history_days=729,
            options=("campaignStartDateFrom", "campaignStartDateTo"),
        ),
    ),
    # -- XML reports --------------------------------------------------------------------
    # Read element by element (reports/xml_records.py); paths and names follow Amazon's XML
    # order report (AmazonEnvelope/Message/Order) and Browse Tree Report guide (Result/Node).
    ReportSpec(
        stream="orders_xml_report",
        cadence_hours=EVERY_RUN,  # an All Orders report: not limited
        report_type="GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
        description=(
            "All Orders by order date, as Amazon's XML report has them: one record per order "
            "with its items, their price components and promotions."
        ),
        role=ORDERS_ROLE,
        records=XmlRecords("Message/Order", _XML_ORDER_FIELDS),
        keys=("amazon_order_id",),
        timing=Windows(),
    ),
    ReportSpec(
        stream="browse_tree",
        cadence_hours=DAILY,  # undocumented; browse trees change slowly
        report_type="GET_XML_BROWSE_TREE_DATA",
        description=(
            "The marketplace's browse tree (snapshot): one record per browse node with its "
            "path, child node ids, attributes and refinements."
        ),
        role=LISTINGS_ROLE,
        records=XmlRecords("Node", _XML_BROWSE_NODE_FIELDS, root="Result"),
        keys=("browse_node_id",),
        marketplace_option="MarketplaceId",
        # Amazon: with both, RootNodesOnly wins; BrowseNodeId gives that node's subtree.
        allowed_options={"RootNodesOnly": ("true", "false"), "BrowseNodeId": ()},
        # getReports does not say which options a listed report was made with (the whole
        # tree, its roots, or a subtree): a report found there is never taken for this one.
        timing=Snapshot(reuse_minutes=0),
    ),
    ReportSpec(
        stream="shipping_orders_xml_report",
        cadence_hours=EVERY_RUN,  # orders waiting to ship: every run
        report_type="GET_ORDER_REPORT_DATA_SHIPPING",
        description=(
            "Seller-fulfilled orders with the buyer and ship-to address, as the XML order "
            "report for shipping software has them (restricted: needs include_pii)."
        ),
        role=f"{ORDERS_ROLE}, and {PII_ROLE} for the document",
        records=XmlRecords("Message/OrderReport", _XML_SHIPPING_ORDER_FIELDS),
        keys=("amazon_order_id",),
        timing=Windows(),
        restricted=True,
    ),
    # -- FBA: fees, promotions, replacements, Subscribe & Save, storage, ledger summary --
    ReportSpec(
        stream="fba_estimated_fees",
        cadence_hours=72.0,  # Amazon: 'updated at least once every 72 hours'
        report_type="GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA",
        description=(
            "FBA Fee Preview: estimated selling and fulfilment fees per SKU with an active "
            "offer (snapshot; Amazon refreshes it about every 72 hours)."
        ),
        role=FBA_ROLE,
        records=columns(
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "product-group",
            "brand",
            "fulfilled-by",
            "has-local-inventory:boolean",
            "your-price:number",
            "sales-price:number",
            "longest-side:number",
            "median-side:number",
            "shortest-side:number",
            "length-and-girth:number",
            "unit-of-dimension",
            "item-package-weight:number",
            "unit-of-weight",
            "product-size-tier",
            "product-size-weight-band",
            "currency",
            "estimated-fee-total:number",
            "estimated-referral-fee-per-unit:number",
            "estimated-variable-closing-fee:number",
            "estimated-order-handling-fee-per-order:number",
            "estimated-pick-pack-fee-per-unit:number",
            "estimated-weight-handling-fee-per-unit:number",
            # NA files spell it "fulfillment", EU files "fulfilment" (and add EFN fees).
            "expected-fulfillment-fee-per-unit:number",
            "expected-domestic-fulfilment-fee-per-unit:number",
            "expected-efn-fulfilment-fee-per-unit-uk:number",
            "expected-efn-fulfilment-fee-per-unit-de:number",
            "expected-efn-fulfilment-fee-per-unit-fr:number",
            "expected-efn-fulfilment-fee-per-unit-it:number",
            "expected-efn-fulfilment-fee-per-unit-es:number",
            "expected-efn-fulfilment-fee-per-unit-se:number",
        ),
        keys=("sku",),
        # "Specify a StartDate at least 72 hours before now and EndDate now", else FATAL.
        # The data changes every 72 hours and Amazon makes this report at most daily.
        timing=Snapshot(reuse_minutes=24 * 60, min_range_hours=72),
    ),
    ReportSpec(
        stream="fba_promotions",
        cadence_hours=DAILY,  # Amazon: 'Content updated daily'
        report_type="GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_PROMOTION_DATA",
        description="FBA promotions applied to shipped order items, by shipment date.",
        role=FBA_ROLE,
        records=columns(
            "shipment-date:date-time",
            "currency",
            "item-promotion-discount:number",
            "item-promotion-id",
            "description",
            "promotion-rule-value",
            "amazon-order-id",
            "shipment-id",
            "shipment-item-id",
        ),
        # An item may carry several promotions.
        keys=("shipment_item_id", "item_promotion_id"),
        timing=Windows(),
    ),
    ReportSpec(
        stream="fba_replacements",
        cadence_hours=DAILY,  # Amazon: 'Content updated daily'
        report_type="GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA",
        description="FBA free replacement shipments, by shipment date.",
        role=FBA_ROLE,
        records=columns(
            "shipment-date:date-time",
            "sku",
            "asin",
            "fulfillment-center-id",
            "original-fulfillment-center-id",
            "quantity:integer",
            "replacement-reason-code",
            # Amazon's attribute page says replacement-amazon-order-id; files also come with
            # replacement-customer-order-id. Both are read into the same column.
            "replacement-amazon-order-id|replacement-customer-order-id",
            "original-amazon-order-id",
        ),
        keys=("replacement_amazon_order_id", "sku"),
        timing=Windows(),
    ),
    ReportSpec(
        stream="fba_sns_forecast",
        cadence_hours=WEEKLY,  # a weekly snapshot
        report_type="GET_FBA_SNS_FORECAST_DATA",
        description=(
            "Subscribe & Save forecast: scheduled units per SKU for the next 8 weeks (weekly "
            "snapshot). Amazon deprecated this type: empty since 2025-07-25, removed 2025-12-11."
        ),
        role=FBA_ROLE,
        records=columns(
            "offer-state",
            "snapshot-date:date",
            "sku",
            "fnsku",
            "asin",
            "estimated-avg-sns-discount-next-8-weeks:number",
            "product-name",
            "country",
            "active-subscriptions:integer",
            "week-1-start-date:date",
            *(f"scheduled-sns-units-week-{week}:integer" for week in range(1, 9)),
        ),
        keys=("snapshot_date", "sku"),
        timing=Snapshot(reuse_minutes=24 * 60),
    ),
    ReportSpec(
        stream="fba_sns_performance",
        cadence_hours=WEEKLY,  # a weekly snapshot
        report_type="GET_FBA_SNS_PERFORMANCE_DATA",
        description=(
            "Subscribe & Save performance per SKU over the last 4 weeks (weekly snapshot). "
            "Amazon deprecated this type: empty since 2025-07-25, removed 2025-12-11."
        ),
        role=FBA_ROLE,
        records=columns(
            "offer-state",
            "snapshot-date:date",
            "sku",
            "fnsku",
            "asin",
            "product-name",
            "country",
            "week-1-start-date:date",
            *(
                f"{metric}-week-{week}:{kind}"
                for week in range(1, 5)
                for metric, kind in (
                    ("sns-units-shipped", "integer"),
                    ("oos-rate", "number"),
                    ("sns-sale-price", "number"),
                    ("sns-discount", "number"),
                )
            ),
        ),
        keys=("snapshot_date", "sku"),
        timing=Snapshot(reuse_minutes=24 * 60),
    ),
    ReportSpec(
        stream="fba_storage_fees",
        cadence_hours=DAILY,  # a month's estimate, revised daily at most
        report_type="GET_FBA_STORAGE_FEE_CHARGES_DATA",
        description=(
            "FBA monthly storage fees per ASIN and fulfilment centre (headers in snake_case); "
            "a month's estimate is revised until it is charged, so the last month is re-read."
        ),
        role=FBA_ROLE,
        records=columns(
            "asin",
            "fnsku",
            "product_name",
            "fulfillment_center",
            "country_code",
            "longest_side:number",
            "median_side:number",
            "shortest_side:number",
            "measurement_units",
            "weight:number",
            "weight_units",
            "item_volume:number",
            "volume_units",
            "product_size_tier",
            "average_quantity_on_hand:number",
            "average_quantity_pending_removal:number",
            "average_quantity_customer_orders:number",
            "estimated_total_item_volume:number",
            "month_of_charge:date",  # "2026-10": the month's first day
            "storage_rate:number",
            "base_rate:number",
            "utilization_surcharge_rate:number",
            "storage_utilization_ratio:number",
            "storage_utilization_ratio_units",
            "currency",
            "estimated_monthly_storage_fee:number",
            "dangerous_goods_storage_type",
            "eligible_for_inventory_discount",
            "qualifies_for_inventory_discount",
            "total_incentive_fee_amount:number",
            "breakdown_incentive_fee_amount",
        ),
        keys=("month_of_charge", "asin", "fnsku", "fulfillment_center"),
        # A month a report; the month before the bookmark's is read again (fees charged
        # in the following month revise its estimate).
        timing=Periods(period="MONTHLY", reads="running", days=31, lookback_periods=1),
    ),
    ReportSpec(
        stream="fba_inventory_ledger_summary",
        cadence_hours=DAILY,  # undocumented; sums by day at the finest
        report_type="GET_LEDGER_SUMMARY_VIEW_DATA",
        description=(
            "Inventory Ledger, summary view: balances and movements per FNSKU, disposition and "
            "country or fulfilment centre, by day, week or month (report_options)."
        ),
        role=FBA_ROLE,
        records=columns(
            # MM/DD/YYYY by day or week, MM/YYYY by month (read as the month's first day).
            "Date:date",
            "FNSKU",
            "ASIN",
            "MSKU",
            "Title",
            "Disposition",
            # Amazon's attribute page writes these without spaces; files have them spaced.
            "Starting Warehouse Balance:integer",
            "In Transit Between Warehouses:integer",
            "Receipts:integer",
            "Customer Shipments:integer",
            "Customer Returns:integer",
            "Vendor Returns:integer",
            "Warehouse Transfer In/Out:integer",
            "Found:integer",
            "Lost:integer",
            "Damaged:integer",
            "Disposed:integer",
            "Other Events:integer",
            "Ending Warehouse Balance:integer",
            "Unknown Events:integer",
            "Location",
        ),
        keys=(
            "aggregated_by_time_period",
            "aggregate_by_location",
            "date",
            "fnsku",
            "msku",
            "disposition",
            "location",
        ),
        timing=Periods(option="aggregatedByTimePeriod", reads="running", days=30),
        options={"aggregateByLocation": "COUNTRY", "aggregatedByTimePeriod": "DAILY"},
        allowed_options={
            "aggregateByLocation": ("COUNTRY", "FC"),
            "aggregatedByTimePeriod": ("DAILY", "WEEKLY", "MONTHLY"),
        },
        option_fields=("aggregatedByTimePeriod", "aggregateByLocation"),
    ),
)

REPORT_SPECS_BY_STREAM = {spec.stream: spec for spec in REPORT_SPECS}

# The orders report, read by the Orders family (streams/orders.py) for backfills: each
# order becomes `orders`, `order_items`, `order_buyer_info` and `order_address` records in
# the Orders API's shape, so it is not a stream of its own. Orders select on their last
# update; at most 30 days a report. The XML report, not the flat file of the same name:
# only the XML one carries each item's id (AmazonOrderItemCode), which joins a line to
# financial events and settlements and tells two lines of one SKU apart, for the same
# one report a window.
ORDERS_REPORT = ReportSpec(
    stream="orders",
    report_type="GET_XML_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL",
    description="All Orders by last update (XML): one element per order, with its items.",
    role=ORDERS_ROLE,
    records=XmlRecords("Message/Order", _XML_ORDER_FIELDS),
    timing=Windows(),
)


def generic_spec(report_type: str) -> ReportSpec:
    """A stream for a report type the registry does not know (the `report_types` setting):
    one report per marketplace and run over start_date..now, every column kept as text in
    `extra_columns`."""
    return ReportSpec(
        stream=report_type.lower(),
        report_type=report_type,
        description=f"{report_type}, read generically: every column as a string.",
        role="the role Amazon's Report Type Values page lists for this type",
        timing=Snapshot(reuse_minutes=0, full_range=True),
        allowed_options=None,  # a type the tap does not know: any option Amazon takes
    )


def specs_for(report_types: tuple[str, ...]) -> list[ReportSpec]:
    """The registry, plus a generic stream for each configured type it does not cover."""
    known = {spec.report_type for spec in (*REPORT_SPECS, ORDERS_REPORT)} | {
        t for spec in REPORT_SPECS for t in spec.also_list
    }
    extra = [generic_spec(t) for t in dict.fromkeys(report_types) if t not in known]
    return [*REPORT_SPECS, *extra]
