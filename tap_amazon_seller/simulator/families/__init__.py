"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import (
    catalog,
    feeds,
    finances,
    inventory,
    listings,
    orders,
    reports,
    sellers,
    tokens,
    vendor,
)

MODULES = (sellers, reports, inventory, feeds, vendor, catalog, listings, finances, orders, tokens)

__all__ = [
    "MODULES",
    "catalog",
    "feeds",
    "finances",
    "inventory",
    "listings",
    "orders",
    "reports",
    "sellers",
    "tokens",
    "vendor",
]
