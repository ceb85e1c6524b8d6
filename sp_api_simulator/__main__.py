"""Run the SP-API simulator as a process: `python -m sp_api_simulator --help`."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import ssl
import sys
import tempfile
import threading
from pathlib import Path

from sp_api_simulator.data import SIZES
from sp_api_simulator.server import REGIONS, Simulator, SimulatorConfig


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
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS under Amazon's host names with a certificate from a new local CA "
        "(see --env-file)",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        help="with --tls: write shell `export` lines that make an unmodified Python client "
        "(python-amazon-sp-api, requests, httpx) reach the simulator under Amazon's host names "
        "(the CA files go in a folder beside it)",
    )
    parser.add_argument(
        "--public-url",
        help="base URL of the report document links (default: the simulator's address; "
        "with --tls, Amazon's document host)",
    )
    parser.add_argument("--tls-cert", type=Path, help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", type=Path, help="private key of --tls-cert (PEM)")
    parser.add_argument("--write-config", type=Path, help="write a tap config for this simulator")
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.env_file and not args.tls:
        parser.error("--env-file needs --tls (the env file points clients at Amazon's names)")
    if args.tls and args.tls_cert:
        parser.error("--tls makes its own certificate: give --tls or --tls-cert, not both")
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    public_url = args.public_url
    certificates = None
    if args.tls:
        from sp_api_simulator import tls as local_tls  # trustme, only when asked for

        folder = (
            args.env_file.with_name(args.env_file.name + ".tls")
            if args.env_file
            else Path(tempfile.mkdtemp(prefix="sp-api-simulator-"))
        )
        certificates = local_tls.make_certificates(folder)
        public_url = public_url or f"https://{local_tls.DOCUMENT_HOST}"
    simulator = Simulator(
        SimulatorConfig(
            seed=args.seed,
            size=args.size,
            time_scale=args.time_scale,
            token_ttl=args.token_ttl,
            orders_per_day=args.orders_per_day,
            roles=set(args.roles) if args.roles is not None else None,
            authorized_regions=set(args.regions),
            public_url=public_url,
        )
    )
    tls = certificates.context if certificates else None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    url = simulator.start(args.host, args.port, tls=tls)
    config = simulator.tap_config()
    if args.write_config:
        args.write_config.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    if certificates is not None:
        from sp_api_simulator import tls as local_tls

        lines = local_tls.env_lines(
            address=url.split("://", 1)[1],
            bundle=certificates.bundle,
            refresh_token=simulator.config.refresh_token,
            client_id=simulator.config.client_id,
            client_secret=simulator.config.client_secret,
        )
        if args.env_file:
            # Whole or not at all (a script waits for the file, then sources it).
            partial = args.env_file.with_name(args.env_file.name + ".partial")
            partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
            partial.replace(args.env_file)
            print(f"Environment for clients written to {args.env_file}", flush=True)
        else:
            print("\n".join(lines), flush=True)
    print(f"SP-API simulator listening on {url}", flush=True)
    print(json.dumps(config), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    simulator.stop()


if __name__ == "__main__":
    main()
