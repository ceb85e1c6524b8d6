"""The simulator's API families, one module each; importing them registers their routes."""

from tap_amazon_seller.simulator.families import sellers

__all__ = ["sellers"]
