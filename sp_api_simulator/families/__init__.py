"""The simulator's API families, one module each; importing them registers their routes."""

from types import ModuleType

from sp_api_simulator.families import (
    catalog,
    feeds,
    finances,
    inventory,
    listings,
    orders,
    replenishment,
    reports,
    sellers,
    tokens,
    vendor,
)

MODULES: tuple[ModuleType, ...] = (
    sellers,
    reports,
    inventory,
    feeds,
    vendor,
    catalog,
    listings,
    finances,
    orders,
    tokens,
)
# -- Replenishment API (cov-replenish) --
MODULES += (replenishment,)

__all__ = [
    "MODULES",
    "catalog",
    "feeds",
    "finances",
    "inventory",
    "listings",
    "orders",
    "replenishment",
    "reports",
    "sellers",
    "tokens",
    "vendor",
]
