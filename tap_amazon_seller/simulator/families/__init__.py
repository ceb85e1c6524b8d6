"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import feeds, inventory, reports, sellers, vendor

MODULES = (sellers, reports, inventory, feeds, vendor)

__all__ = ["MODULES", "feeds", "inventory", "reports", "sellers", "vendor"]
