"""The tap's streams, one module per SP-API family (report streams come from the registry)."""

from tap_amazon_seller.streams.catalog import ProductDetailsStream
from tap_amazon_seller.streams.feeds import FeedsStream
from tap_amazon_seller.streams.finances import (
    FinanceTransactionsStream,
    FinancialEventGroupsStream,
    FinancialEventsStream,
    OrderFinancialEventsStream,
)
from tap_amazon_seller.streams.inventory import AwdInventoryStream, FbaInventorySummariesStream
from tap_amazon_seller.streams.listings import ListingsItemsStream
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
    ReplenishmentOffersStream,
    ReplenishmentRollingMetricsStream,
)
from tap_amazon_seller.streams.sellers import AccountStream, MarketplacesStream
from tap_amazon_seller.streams.vendor import (
    VendorCustomerInvoicesStream,
    VendorDirectFulfillmentOrdersStream,
    VendorPackingSlipsStream,
    VendorPurchaseOrdersStream,
    VendorShipmentsStream,
    VendorShippingLabelsStream,
)

STREAM_TYPES = [
    MarketplacesStream,
    AccountStream,
    OrdersStream,
    OrderItemsStream,
    OrderBuyerInfoStream,
    OrderAddressStream,
    FbaInventorySummariesStream,
    AwdInventoryStream,
    FeedsStream,
    VendorPurchaseOrdersStream,
    VendorDirectFulfillmentOrdersStream,
    VendorCustomerInvoicesStream,
    VendorShippingLabelsStream,
    VendorPackingSlipsStream,
    VendorShipmentsStream,
    ProductDetailsStream,
    ListingsItemsStream,
    FinancialEventGroupsStream,
    FinancialEventsStream,
    OrderFinancialEventsStream,
    FinanceTransactionsStream,
    # -- Replenishment API (cov-replenish) --
    ReplenishmentDailyMetricsStream,
    ReplenishmentRollingMetricsStream,
    ReplenishmentOfferMetricsStream,
    ReplenishmentOfferForecastStream,
    ReplenishmentOffersStream,
]

__all__ = ["STREAM_TYPES"]
