"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import reports, sellers

MODULES = (sellers, reports)

__all__ = ["MODULES", "reports", "sellers"]
