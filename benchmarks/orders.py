"""Orders benchmarks; prints figures, asserts nothing.

    python benchmarks/orders.py backfill [--orders 100000] [--days 730] [--source auto]
    python benchmarks/orders.py hourly [--orders 100000]
    python benchmarks/orders.py v0 [--days 60] [--orders 100000]

backfill: a first sync of orders, order_items, buyer info and addresses for one marketplace
  holding --orders orders over --days days, from `--source` (auto, report or api).
hourly: the backfill, then one hour of changes (new orders, status updates, cancellations at
  the seller's daily rate / 24) and an incremental run from the backfill's state.
v0: the per-order design (Orders v0 getOrders, then getOrderItems once per order) on the same
  data over --days days, extrapolated per order to --orders.

Each prints calls per operation, the sync's wall time converted to Amazon time, and the
rate-limit floor (the time Amazon's default usage plans alone impose on those calls).

The simulator runs in its own process at --time-scale (rate limits and report delays that
much faster). Amazon time = (wall - tap CPU - simulator CPU) x time-scale + tap CPU: the
waiting scales with the rate limits, the tap's own work does not, and the simulator's work
(generating and rendering data) is not Amazon's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from contextlib import redirect_stdout
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

US = "ATVPDKIKX0DER"
FAMILY = ("orders", "order_items", "order_buyer_info", "order_address")


class SimulatorProcess:
    def __init__(self, time_scale: float, orders_per_day: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sp_api_simulator",
                "--port",
                "0",
                "--time-scale",
                str(time_scale),
                "--orders-per-day",
                str(orders_per_day),
                "--log-level",
                "WARNING",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().rsplit(" ", 1)[1].strip()
        self.config: dict[str, Any] = json.loads(self.process.stdout.readline())

    def post(self, action: str, body: dict | None = None) -> Any:
        return requests.post(f"{self.url}/_simulator/{action}", json=body or {}, timeout=600).json()

    def calls(self) -> dict[str, int]:
        return requests.get(f"{self.url}/_simulator/calls", timeout=60).json()["calls"]

    def cpu(self) -> float:
        """Seconds of CPU the simulator process used so far (user + system)."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Timer:
    """Wall and CPU of a block, converted to Amazon time."""

    def __init__(self, sim: SimulatorProcess, time_scale: float) -> None:
        self.sim, self.time_scale = sim, time_scale

    def __enter__(self) -> Timer:
        self.wall0, self.cpu0, self.sim0 = time.perf_counter(), time.process_time(), self.sim.cpu()
        self.calls0 = self.sim.calls()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0
        self.sim_cpu = self.sim.cpu() - self.sim0
        waiting = max(0.0, self.wall - self.cpu - self.sim_cpu)
        self.amazon = waiting * self.time_scale + self.cpu
        after = self.sim.calls()
        self.calls = {
            k: v - self.calls0.get(k, 0) for k, v in after.items() if v - self.calls0.get(k, 0)
        }


def floor_seconds(calls: dict[str, int], report_seconds: float = 45.0) -> float:
    """The least time Amazon's default usage plans allow for these calls (one region).

    Every operation's calls beyond its burst come at its rate; reports also take
    report_seconds (the simulator's processing time) after their request.
    """
    from tap_amazon_seller.rate_limits import operation

    floors = [0.0]
    for name, count in calls.items():
        if name.startswith("documentHost") or "/" in name:
            continue
        op = operation(name)
        floor = max(0, count - op.burst) / op.rate
        if name.endswith("createReport"):
            floor += report_seconds
        floors.append(floor)
    return max(floors)


def run_tap(config: dict[str, Any], state: dict | None = None) -> tuple[dict[str, int], dict]:
    from tap_amazon_seller.tap import TapAmazonSeller

    tap = TapAmazonSeller(config=config, state=state)
    for name, stream in tap.streams.items():
        stream.selected = name in FAMILY
    with redirect_stdout(io.StringIO()) as output:
        tap.sync_all()
    records: dict[str, int] = {}
    last_state: dict = {}
    for line in output.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            records[message["stream"]] = records.get(message["stream"], 0) + 1
        elif message["type"] == "STATE":
            last_state = message["value"]
    return records, last_state


def report(title: str, timer: Timer, records: dict[str, int] | None = None) -> None:
    floor = floor_seconds(timer.calls)
    print(f"== {title}")
    if records is not None:
        print(f"records: {records}")
    print(f"calls: {dict(sorted(timer.calls.items()))}")
    print(f"rate-limit floor of these calls: {floor / 60:.1f} min")
    if timer.time_scale == 1:
        print(
            f"wall time at Amazon's pace (time-scale 1): {timer.wall / 60:.1f} min (tap CPU "
            f"{timer.cpu:.1f} s)" + (f" = {timer.wall / floor:.2f}x the floor" if floor else "")
        )
    else:
        print(
            f"wall {timer.wall:.1f} s at time-scale {timer.time_scale:g} (tap CPU {timer.cpu:.1f} s, "
            f"simulator CPU {timer.sim_cpu:.1f} s); Amazon-time estimate "
            f"{timer.amazon / 60:.1f} min (the waiting scaled back, the tap's work not; it "
            "overstates when local latency adds up and understates when work and waiting "
            "overlap: run with --time-scale 1 for a measured figure)"
        )


def setup(args: argparse.Namespace) -> tuple[SimulatorProcess, dict[str, Any]]:
    per_day = max(1, round(args.orders / 730))
    sim = SimulatorProcess(args.time_scale, per_day)
    sim.post("warm-orders", {"marketplace_ids": [US], "days": args.days + 5})
    from tap_amazon_seller import clock

    start = (clock.now() - timedelta(days=args.days)).replace(microsecond=0)
    config = {
        **sim.config,
        "marketplaces": ["US"],
        "start_date": start.isoformat(),
        "orders_source": getattr(args, "source", "auto"),
        "report_poll_interval": 30 / args.time_scale,
    }
    return sim, config


def backfill(args: argparse.Namespace) -> dict:
    sim, config = setup(args)
    try:
        with Timer(sim, args.time_scale) as timer:
            records, state = run_tap(config)
        report(f"backfill: {args.days} days, source {args.source}", timer, records)
        return {"sim": sim, "config": config, "state": state}
    except BaseException:
        sim.stop()
        raise


def hourly(args: argparse.Namespace) -> None:
    args.source = "auto"
    result = backfill(args)
    sim, config = result["sim"], result["config"]
    try:
        per_hour = max(1, round(args.orders / 730 / 24))
        sim.post(
            "mutate-orders",
            {"marketplace_ids": [US], "new": per_hour, "advance": per_hour, "cancel": 1},
        )
        with Timer(sim, args.time_scale) as timer:
            records, _ = run_tap(config, result["state"])
        report("hourly incremental run", timer, records)
    finally:
        sim.stop()


def per_order_v0(args: argparse.Namespace) -> None:
    """getOrders pages, then getOrderItems for each order: the design the tap avoids."""
    from tap_amazon_seller.auth import LwaAuth
    from tap_amazon_seller.client import SpApiClient

    sim, config = setup(args)
    try:
        auth = LwaAuth(
            client_id=config["lwa_client_id"],
            client_secret=config["lwa_client_secret"],
            refresh_token=config["refresh_token"],
            token_url=config["lwa_token_url"],
        )
        client = SpApiClient(
            region="na", base_url=config["api_base_url"].replace("{region}", "na"), auth=auth
        )
        from tap_amazon_seller import clock

        end = clock.now() - timedelta(minutes=3)
        orders = items = 0
        with Timer(sim, args.time_scale) as timer:
            for page in client.pages(
                "ordersV0.getOrders",
                params={
                    "MarketplaceIds": US,
                    "LastUpdatedAfter": config["start_date"],
                    "LastUpdatedBefore": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "MaxResultsPerPage": 100,
                },
                token_path=("payload", "NextToken"),
                token_param="NextToken",
            ):
                for order in page["payload"]["Orders"]:
                    orders += 1
                    answer = client.call(
                        "ordersV0.getOrderItems", path_params={"orderId": order["AmazonOrderId"]}
                    )
                    items += len(answer["payload"]["OrderItems"])
        report(f"v0 per-order design: {args.days} days, {orders} orders, {items} items", timer)
        scale = args.orders / max(orders, 1)
        extrapolated = {k: round(v * scale) for k, v in timer.calls.items()}
        print(
            f"extrapolated to {args.orders} orders: calls {extrapolated}; rate-limit floor "
            f"{floor_seconds(extrapolated) / 3600:.1f} h (getOrders and getOrderItems one after "
            "the other, as the design does)"
        )
        from tap_amazon_seller.rate_limits import operation

        sequential = sum(
            max(0, n - operation(k).burst) / operation(k).rate for k, n in extrapolated.items()
        )
        print(f"sequential floor: {sequential / 3600:.1f} h")
    finally:
        sim.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, default_scale in (("backfill", 1000.0), ("hourly", 1000.0), ("v0", 20000.0)):
        command = sub.add_parser(name)
        command.add_argument("--orders", type=int, default=100_000)
        command.add_argument("--days", type=int, default=60 if name == "v0" else 730)
        command.add_argument("--time-scale", type=float, default=default_scale)
        if name == "backfill":
            command.add_argument("--source", choices=("auto", "report", "api"), default="auto")
    args = parser.parse_args()
    if args.command == "backfill":
        backfill(args)["sim"].stop()
    elif args.command == "hourly":
        hourly(args)
    else:
        per_order_v0(args)


if __name__ == "__main__":
    main()
