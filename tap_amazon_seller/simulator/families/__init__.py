"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import (
    catalog,
    feeds,
    inventory,
    listings,
    reports,
    sellers,
    vendor,
)

MODULES = (sellers, reports, inventory, feeds, vendor, catalog, listings)

__all__ = ["MODULES", "catalog", "feeds", "inventory", "listings", "reports", "sellers", "vendor"]
