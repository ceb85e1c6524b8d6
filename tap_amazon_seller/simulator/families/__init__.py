"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import (
    catalog,
    feeds,
    finances,
    inventory,
    listings,
    reports,
    sellers,
    vendor,
)

MODULES = (sellers, reports, inventory, feeds, vendor, catalog, listings, finances)

__all__ = [
    "MODULES",
    "catalog",
    "feeds",
    "finances",
    "inventory",
    "listings",
    "reports",
    "sellers",
    "vendor",
]
