"""End-to-end demo: start the bundled simulator, run a sync against it, show the records.

    python -m tap_amazon_seller.demo [--out demo-output]

No Amazon account is needed: the simulator plays SP-API and LWA on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller import clock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tap_amazon_seller.demo")
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    # A 1000x faster clock so the demo does not wait out Amazon's one-call-a-minute plans
    # (the tap's pacing is unchanged: it follows the rates the simulator announces).
    with Simulator(SimulatorConfig(time_scale=1000)).running() as sim:
        config_path = args.out / "config.json"
        start = clock.now() - timedelta(days=14)
        config = sim.tap_config(
            marketplaces=["US", "DE"],
            start_date=start.strftime("%Y-%m-%dT00:00:00Z"),
            # The opt-in streams too: the restricted reports (buyer PII) and Brand Analytics
            # search query performance, which reports on the ASINs it is given.
            include_pii=True,
            report_options={
                "brand_analytics_search_query_performance": {
                    "asin": " ".join(p.asin for p in sim.data.products("ATVPDKIKX0DER")[:3])
                }
            },
        )
        config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
        output_path = args.out / "output.jsonl"
        print(f"Simulator on {sim.url}; running: tap-amazon-seller --config {config_path}")
        with output_path.open("w", encoding="utf-8") as output:
            result = subprocess.run(
                [sys.executable, "-m", "tap_amazon_seller", "--config", str(config_path)],
                stdout=output,
                check=False,
            )
    if result.returncode != 0:
        print(f"The tap failed with exit code {result.returncode}; see the log above.")
        return result.returncode

    counts: Counter[str] = Counter()
    for line in output_path.read_text(encoding="utf-8").splitlines():
        message = json.loads(line)
        if message.get("type") == "RECORD":
            counts[message["stream"]] += 1
            if counts[message["stream"]] == 1:  # one sample record per stream
                sample = json.dumps(message["record"], ensure_ascii=False)
                print(f"{message['stream']}: {sample[:400]}{'...' if len(sample) > 400 else ''}")
    print()
    for stream, count in sorted(counts.items()):
        print(f"{count:7d} records in {stream}")
    print(f"Singer output in {output_path}; the tap config in {config_path}.")
    return 0 if counts else 1


if __name__ == "__main__":
    sys.exit(main())
