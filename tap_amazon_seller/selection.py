"""Which streams discovery selects by default, and why the others are not.

A default run (no catalog, or a catalog from `--discover` as it comes) reads the streams a
typical account needs on every run; each stream left out is one a typical account cannot
read (a role it lacks, a removed report type), or one that repeats another stream's data
at the cost of createReport calls (Amazon allows one a minute after a burst of 15). Any of
them is read once selected in the catalog (README: "Scheduling").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Flat-file data delivered again in another form: a back-compat twin, an XML twin, a
#: superset of a default stream's rows.
DUPLICATES = {
    "active_listings_back_compat": "the back-compat twin of active_listings",
    "orders_xml_report": "the XML twin of orders_by_order_date_report",
    "warehouse_inventory_all": "warehouse_inventory with archived listings too",
}
#: Brand Analytics reports: only for a brand owner in Amazon's Brand Registry.
BRAND_REGISTRY_PREFIX = "brand_analytics_"
VENDOR_PREFIX = "vendor_"
#: Streams any account can read, whatever `account_type` says.
SHARED = {"marketplaces", "reports"}


def not_by_default(name: str, stream: Any, config: Mapping[str, Any]) -> str | None:
    """Why discovery leaves stream `name` unselected by default (None: it selects it)."""
    account = str(config.get("account_type") or "seller")
    vendor = name.startswith(VENDOR_PREFIX)
    if vendor and account == "seller":
        return "a vendor stream, and account_type is seller"
    if not vendor and account == "vendor" and name not in SHARED:
        return "a seller stream, and account_type is vendor"
    if name in DUPLICATES:
        return DUPLICATES[name]
    if name.startswith(BRAND_REGISTRY_PREFIX):
        return "Brand Analytics needs the Brand Registry role"
    spec = getattr(stream, "spec", None)
    if spec is not None and spec.restricted and not config.get("include_pii"):
        return "a restricted report (buyer PII), read only with include_pii"
    return None
