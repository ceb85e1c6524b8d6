"""Kill the tap at random points and run it again from the last state it emitted.

The union of what the killed run and its successor emitted must hold every record of one
clean run, key by key (nothing lost); a key emitted twice is an upsert of the same row.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from sp_api_simulator import Simulator
from tests import instants
from tests.conftest import run_sync, select

# Dates decide what these tests read: each also runs at the edge instants (tests/instants.py).
pytestmark = pytest.mark.edges

STREAMS = (
    "orders",
    "order_items",
    "fba_customer_shipment_sales",
    "warehouse_inventory",
    "financial_events",
    "finance_transactions",
    "feeds",
)


def keyed(messages: list[dict], keys: dict[str, list[str]]) -> Counter[tuple]:
    return Counter(
        (m["stream"], *(json.dumps(m["record"].get(k), sort_keys=True) for k in keys[m["stream"]]))
        for m in messages
        if m["type"] == "RECORD"
    )


def run_cli(
    config: Path, catalog: Path, state: dict | None, kill_after: int | None, tmp: Path
) -> list[dict]:
    """The tap as a process; SIGKILLed after `kill_after` output lines if given."""
    args = [
        sys.executable,
        "-m",
        "tap_amazon_seller",
        "--config",
        str(config),
        "--catalog",
        str(catalog),
    ]
    if state is not None:
        state_file = tmp / "state.json"
        state_file.write_text(json.dumps(state), encoding="utf-8")
        args += ["--state", str(state_file)]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    messages = []
    for line in process.stdout:
        messages.append(json.loads(line))
        if kill_after is not None and len(messages) >= kill_after:
            process.kill()
            break
    process.wait()
    if kill_after is None:
        assert process.returncode == 0
    return messages


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_killed_and_resumed_run_loses_nothing(
    simulator: Simulator, tmp_path: Path, seed: int
) -> None:
    config = simulator.tap_config(
        marketplaces=["US", "DE"], start_date=instants.days_ago(75).isoformat()
    )
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    catalog = select(*STREAMS)
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(catalog), encoding="utf-8")
    keys = {e["tap_stream_id"]: e["key_properties"] for e in catalog["streams"]}

    clean = run_sync(config, catalog=catalog)
    clean_keys = Counter(
        (stream, *(json.dumps(r.get(k), sort_keys=True) for k in keys[stream]))
        for stream, records in clean.records.items()
        for r in records
    )
    assert set(s for s, *_ in clean_keys) == set(STREAMS)

    total = len(run_cli(config_file, catalog_file, None, None, tmp_path))
    kill_after = random.Random(seed).randrange(5, total)
    killed = run_cli(config_file, catalog_file, None, kill_after, tmp_path)
    states = [m["value"] for m in killed if m["type"] == "STATE"]
    resumed = run_cli(config_file, catalog_file, states[-1] if states else None, None, tmp_path)

    union = keyed(killed, keys) + keyed(resumed, keys)
    lost = set(clean_keys) - set(union)
    assert not lost, f"killed after {kill_after} of {total} lines: lost {sorted(lost)[:5]}"
    # Anything emitted twice is a key of the clean run (an upsert), never a new row.
    assert set(union) <= set(clean_keys)
    assert len(killed) == kill_after < total  # the first run really was cut short


def test_refresh_token_revoked_mid_sync_stops_clearly_and_loses_nothing(
    simulator: Simulator, tmp_path: Path
) -> None:
    config = simulator.tap_config(
        marketplaces=["US", "DE"], start_date=instants.days_ago(75).isoformat()
    )
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    catalog = select(*STREAMS)
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(catalog), encoding="utf-8")
    keys = {e["tap_stream_id"]: e["key_properties"] for e in catalog["streams"]}
    clean = keyed(run_cli(config_file, catalog_file, None, None, tmp_path), keys)

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tap_amazon_seller",
            "--config",
            str(config_file),
            "--catalog",
            str(catalog_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    messages = []
    for line in process.stdout:
        messages.append(json.loads(line))
        if len(messages) == 300:  # mid-sync: the seller revokes the app, tokens die
            simulator.tokens.revoked = True
            simulator.tokens.expire_all()
    stderr = process.stderr.read()
    assert process.wait() != 0
    assert "refresh_token is not valid for this LWA client" in stderr
    assert simulator.config.refresh_token not in stderr
    states = [m["value"] for m in messages if m["type"] == "STATE"]

    simulator.tokens.revoked = False  # the seller authorises the app again
    resumed = run_cli(config_file, catalog_file, states[-1] if states else None, None, tmp_path)
    union = keyed(messages, keys) + keyed(resumed, keys)
    assert not set(clean) - set(union)
    assert set(union) <= set(clean)
