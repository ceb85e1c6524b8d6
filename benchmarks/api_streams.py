"""Calls per 1,000 records of every API stream, and finances against the per-order design.

    python benchmarks/api_streams.py [--days 730] [--size medium]

Each stream is synced alone (US and DE, --days of history) against the simulator at
Amazon's page sizes; the figures are the simulator's call counts per operation. For the
finance streams it also prints what the per-order design (listFinancialEventsByOrderId for
every order) would need for the same events, and the rate-limit floor of both.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
from collections import Counter
from contextlib import redirect_stdout
from datetime import timedelta

API_STREAMS = (
    "marketplaces",
    "account",
    "orders",
    "fba_inventory_summaries",
    "awd_inventory",
    "feeds",
    "listings_items",
    "product_details",
    "vendor_purchase_orders",
    "vendor_fulfilment_purchase_orders",
    "vendor_fulfilment_customer_invoices",
    "vendor_shipments",
    "vendor_fulfilment_shipping_labels",
    "vendor_fulfilment_packing_slips",
    "replenishment_daily_metrics",
    "replenishment_rolling_metrics",
    "replenishment_offer_metrics",
    "replenishment_offer_forecast",
    "replenishment_offers",
    "financial_event_groups",
    "financial_events",
    "order_financial_events",
    "finance_transactions",
    "reports",
)


def floor_hours(calls: dict[str, int]) -> float:
    from tap_amazon_seller.rate_limits import operation

    return max(
        [0.0]
        + [
            max(0, n - operation(name).burst) / operation(name).rate / 3600
            for name, n in calls.items()
            if "." in name and not name.startswith("documentHost")
        ]
    )


def main() -> None:
    from sp_api_simulator import Simulator, SimulatorConfig
    from tap_amazon_seller.tap import TapAmazonSeller

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--size", default="medium")
    args = parser.parse_args()
    sim = Simulator(SimulatorConfig(time_scale=1000, size=args.size))
    sim.start()
    from tap_amazon_seller import clock

    start = (clock.now() - timedelta(days=args.days)).replace(microsecond=0)
    config = sim.tap_config(
        marketplaces=["US", "DE"], start_date=start.isoformat(), orders_source="api"
    )
    print(f"{args.days} days, size {args.size}, US + DE, Amazon's page sizes")
    print(f"{'stream':38} {'records':>8}  calls per operation (per 1,000 records)")
    finance_orders: set[str] = set()
    for stream in API_STREAMS:
        before = Counter(sim.calls)
        tap = TapAmazonSeller(config=config)
        for name, entry in tap.streams.items():
            entry.selected = name == stream
        with redirect_stdout(io.StringIO()) as output:
            tap.sync_all()
        records = [
            m["record"]
            for m in map(json.loads, output.getvalue().splitlines())
            if m["type"] == "RECORD" and m["stream"] == stream
        ]
        if stream == "financial_events":
            finance_orders = {r["amazon_order_id"] for r in records if r.get("amazon_order_id")}
        calls = {k: v - before.get(k, 0) for k, v in sim.calls.items() if v - before.get(k, 0)}
        per_thousand = ", ".join(
            f"{name.split('.', 1)[1]} {count}"
            + (f" ({1000 * count / len(records):.1f})" if records else "")
            for name, count in sorted(calls.items())
            if "." in name
        )
        print(f"{stream:38} {len(records):8d}  {per_thousand}")
        if stream in ("financial_events", "order_financial_events"):
            print(f"{'':38} {'':8}  rate-limit floor {floor_hours(calls) * 60:.1f} min")
    per_order = {"financesV0.listFinancialEventsByOrderId": len(finance_orders)}
    print(
        f"per-order design for the same events: {len(finance_orders)} listFinancialEventsByOrderId "
        f"calls (one per order, at least), rate-limit floor {floor_hours(per_order) * 60:.1f} min; "
        f"for 100,000 orders {floor_hours({'financesV0.listFinancialEventsByOrderId': 100_000}):.1f} h"
    )
    sim.stop()


if __name__ == "__main__":
    main()
