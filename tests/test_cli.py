"""The tap as users run it from cron or hotglue: --about, --discover, then --config/--catalog/--state."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sp_api_simulator import Simulator
from tap_amazon_seller import clock

TAP = [sys.executable, "-m", "tap_amazon_seller"]


def tap(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([*TAP, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def messages(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_about_lists_every_setting_and_capability() -> None:
    about = json.loads(tap("--about", "--format=json").stdout)
    assert {"state", "catalog", "discover", "stream-maps", "batch"} <= set(about["capabilities"])
    assert {"refresh_token", "marketplaces", "orders_source", "include_pii"} <= set(
        about["settings"]["properties"]
    )


def test_discover_then_sync_with_catalog_and_state_files(
    simulator: Simulator, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(simulator.tap_config(marketplaces=["US"], orders_source="api")), encoding="utf-8"
    )
    catalog = json.loads(tap("--config", str(config), "--discover").stdout)
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in (
                    "orders",
                    "marketplaces",
                )
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(catalog), encoding="utf-8")

    first = messages(tap("--config", str(config), "--catalog", str(catalog_file)).stdout)
    streams = {m["stream"] for m in first if m["type"] == "RECORD"}
    assert streams == {"orders", "marketplaces"}  # only the selected streams
    state = next(m["value"] for m in reversed(first) if m["type"] == "STATE")
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(state), encoding="utf-8")

    second = messages(
        tap(
            "--config", str(config), "--catalog", str(catalog_file), "--state", str(state_file)
        ).stdout
    )
    first_orders = [m for m in first if m["type"] == "RECORD" and m["stream"] == "orders"]
    second_orders = [m for m in second if m["type"] == "RECORD" and m["stream"] == "orders"]
    assert len(first_orders) > 20
    assert len(second_orders) <= 2  # only what sits at the bookmark's second


@pytest.mark.edges
def test_a_tap_process_started_by_a_test_keeps_the_test_clock() -> None:
    """At an edge instant, a subprocess's clock is the test's (tests/clock_shim), so a sync
    run as a command agrees with the expectations the test computes."""
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tap_amazon_seller import clock; print(clock.now().isoformat())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert abs(datetime.fromisoformat(child.stdout.strip()) - clock.now()) < timedelta(seconds=30)
