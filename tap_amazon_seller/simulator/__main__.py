"""Run the SP-API simulator as a process: `python -m tap_amazon_seller.simulator --help`."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import ssl
import sys
import threading
from pathlib import Path

from tap_amazon_seller.simulator.data import SIZES
from tap_amazon_seller.simulator.server import REGIONS, Simulator, SimulatorConfig


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sp-api-simulator",
        description="A local imitation of Amazon's Selling Partner API and LWA, for tests and demos.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=8123, help="port (default 8123; 0 picks a free one)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the generated data (default 1)"
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small", help="data volume")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="speed up rate limits and report delays by this factor (default 1: Amazon's pace)",
    )
    parser.add_argument(
        "--orders-per-day",
        type=int,
        help="merchant-fulfilled orders per marketplace and day (default: a few, by --size)",
    )
    parser.add_argument("--token-ttl", type=float, default=3600, help="access token lifetime, s")
    parser.add_argument(
        "--roles", nargs="*", help="SP-API roles of the simulated app (default: all)"
    )
    parser.add_argument(
        "--regions", nargs="*", default=list(REGIONS), help="regions the seller authorised"
    )
    parser.add_argument("--tls-cert", type=Path, help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", type=Path, help="private key of --tls-cert (PEM)")
    parser.add_argument("--write-config", type=Path, help="write a tap config for this simulator")
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    simulator = Simulator(
        SimulatorConfig(
            seed=args.seed,
            size=args.size,
            time_scale=args.time_scale,
            token_ttl=args.token_ttl,
            orders_per_day=args.orders_per_day,
            roles=set(args.roles) if args.roles is not None else None,
            authorized_regions=set(args.regions),
        )
    )
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    url = simulator.start(args.host, args.port, tls=tls)
    config = simulator.tap_config()
    if args.write_config:
        args.write_config.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"SP-API simulator listening on {url}", flush=True)
    print(json.dumps(config), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    simulator.stop()


if __name__ == "__main__":
    main()
