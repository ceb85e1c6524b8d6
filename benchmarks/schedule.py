"""What a scheduled sync costs in Amazon's createReport budget, with the default selection.

    python benchmarks/schedule.py [--marketplaces US,CA] [--time-scale 1000] [--cadence S=H ...]

Runs the tap with its default catalog (no catalog file, as a new user does) against the
bundled simulator three times from one state: a first run, a run one hour later and a run
one day after the first, the later ones moved by the clock seam (time-machine moves the
process clock the tap and the simulator both read). Prints, per run and region, the
createReport and getReportDocument calls the simulator answered, and the least time
Amazon's own limits (createReport and getReportDocument: 15 at once, then one a minute)
would need for them. The simulator runs `--time-scale` times faster than Amazon, which
changes how long the run takes here, not what it asks for: the floors are Amazon's.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import json
import logging
import os
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CREATE = "reports_2021-06-30.createReport"
DOCUMENT = "reports_2021-06-30.getReportDocument"


def run(config: dict, state: dict) -> tuple[dict, list[str], Any]:
    """One sync with the default catalog; its last state, the streams it sent, the tap."""
    from tap_amazon_seller.tap import TapAmazonSeller

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        tap = TapAmazonSeller(config=config, state=copy.deepcopy(state))
        tap.sync_all()
    last, streams = state, Counter()
    for line in output.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "STATE":
            last = message["value"]
        elif message["type"] == "RECORD":
            streams[message["stream"]] += 1
    return last, sorted(streams), tap


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--marketplaces", default="US,CA")
    parser.add_argument("--time-scale", type=float, default=1000)
    parser.add_argument(
        "--cadence",
        action="append",
        default=[],
        metavar="STREAM=HOURS",
        help="a report_cadence_hours entry (repeatable)",
    )
    args = parser.parse_args()
    os.environ.setdefault("LOGLEVEL", "WARNING")
    logging.disable(logging.CRITICAL)  # the figures below are the output

    import time_machine

    from sp_api_simulator import Simulator, SimulatorConfig
    from tap_amazon_seller import clock
    from tap_amazon_seller.rate_limits import operation
    from tap_amazon_seller.reports import schedule

    sim = Simulator(SimulatorConfig(time_scale=args.time_scale))
    marketplaces = args.marketplaces.split(",")
    start = clock.now()
    runs = (("first run", timedelta(0)), ("an hour later", timedelta(hours=1)))
    runs += (("a day after the first", timedelta(hours=24)),)
    with sim.running():
        config = sim.tap_config(marketplaces=marketplaces)
        cadences = dict(entry.split("=", 1) for entry in args.cadence)
        if cadences:
            config["report_cadence_hours"] = {k: float(v) for k, v in cadences.items()}
        state: dict = {}
        selected = None
        for label, offset in runs:
            before = Counter((op, region) for op, region, _ in sim.call_log)
            with time_machine.travel(start + offset, tick=True):
                state, streams, tap = run(config, state)
            after = Counter((op, region) for op, region, _ in sim.call_log)
            if selected is None:
                selected = [name for name, stream in tap.streams.items() if stream.selected]
                print(
                    f"default selection: {len(selected)} streams, marketplaces "
                    f"{', '.join(marketplaces)}; {len(streams)} sent records on the first run"
                )
            print(f"{label}:")
            regions = sorted({region for _, region in after})
            for region in regions:
                created = after[(CREATE, region)] - before[(CREATE, region)]
                fetched = after[(DOCUMENT, region)] - before[(DOCUMENT, region)]
                floor = max(
                    schedule.floor_seconds(created, operation(CREATE)).seconds,
                    schedule.floor_seconds(fetched, operation(DOCUMENT)).seconds,
                )
                print(
                    f"  {region}: {created} createReport, {fetched} getReportDocument; "
                    f"floor {schedule.describe_seconds(floor)}"
                    f"{' (within the burst of 15: no wait)' if created <= 15 else ''}"
                )
            not_due = len(tap.not_due)
            print(f"  partitions not due: {not_due}; failed: {len(tap.failed)}")


if __name__ == "__main__":
    main()
