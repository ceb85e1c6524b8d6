"""The exit-code contract, row by row, from the command line (README: "Running it on a
schedule"): 0 when every selected stream was read in full or skipped for a reason the
config implies, 2 when the sync finished but some partitions were not read in full, 1
when nothing could start (tests/test_operator.py), 128 + N when a signal stopped it.

Each row: its exit code, its summary line, the final STATE, and no secret in stdout or
stderr. The faults are the bundled simulator's switches, set in this process while the
tap runs in its own.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller.tap import EXIT_PARTIAL, EXIT_SIGNALLED_BASE
from tests.conftest import FAST, select
from tests.instants import days_ago
from tests.test_first_contact import ROOT, VENDOR_ROLES, every_role, recent, run_cli

US = "ATVPDKIKX0DER"
CREATE = "reports_2021-06-30.createReport"
MYI = "GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    # One seller a test: reports one test made would be reused by the next.
    simulator = Simulator(SimulatorConfig(time_scale=FAST, enforce_rate_limits=False))
    with simulator.running():
        yield simulator


def run(sim: Simulator, tmp_path: Path, *streams: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(sim.tap_config(marketplaces=["US"], start_date=recent(40))))
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(select(*streams)))
    done = run_cli(config, "--catalog", str(catalog))
    said = done.stdout + done.stderr
    secrets = [sim.config.refresh_token, sim.config.client_secret, *sim.tokens.issued_tokens]
    assert not [s for s in secrets if s in said], "a secret is in the output"
    assert "X-Amz-Signature" not in said, "a pre-signed URL is in the output"
    assert "Traceback" not in done.stderr
    # The final STATE: singer-sdk writes one only when the state changed, so a snapshot
    # stream's records may come after it.
    assert any(json.loads(line)["type"] == "STATE" for line in done.stdout.splitlines())
    return done


def rows(done: subprocess.CompletedProcess[str]) -> Counter[str]:
    messages = (json.loads(line) for line in done.stdout.splitlines())
    return Counter(m["stream"] for m in messages if m["type"] == "RECORD")


def summary(done: subprocess.CompletedProcess[str], level: str) -> list[str]:
    return [line for line in done.stderr.splitlines() if f"| {level}" in line]


def test_a_fatal_report_exits_2_and_is_listed_as_not_read(sim: Simulator, tmp_path: Path) -> None:
    sim.faults.fatal_report_types = {"GET_LEDGER_DETAIL_VIEW_DATA"}
    done = run(sim, tmp_path, "fba_inventory_ledger", "warehouse_inventory")
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]
    assert any("ended FATAL" in line for line in summary(done, "ERROR"))
    assert any(
        f"not fully read: fba_inventory_ledger (marketplace {US})" in line
        for line in summary(done, "ERROR")
    )
    assert rows(done)["warehouse_inventory"] == len(sim.data.products(US))


def test_a_cancelled_snapshot_report_exits_2_and_is_listed_as_not_read(
    sim: Simulator, tmp_path: Path
) -> None:
    """CANCELLED means "no data" for a window; a snapshot has no window to be empty."""
    sim.faults.cancelled_report_types = {MYI}
    done = run(sim, tmp_path, "warehouse_inventory", "fba_inventory_ledger")
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]
    errors = summary(done, "ERROR")
    assert any("CANCELLED by Amazon, so this snapshot has no rows" in line for line in errors)
    assert any(f"not fully read: warehouse_inventory (marketplace {US})" in line for line in errors)
    assert rows(done)["fba_inventory_ledger"] > 0


def test_a_cancelled_window_is_no_data_and_exits_0(sim: Simulator, tmp_path: Path) -> None:
    sim.faults.cancelled_report_types = {"GET_LEDGER_DETAIL_VIEW_DATA"}
    done = run(sim, tmp_path, "fba_inventory_ledger")
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"fba_inventory_ledger +0 records", done.stderr)
    state = json.loads(done.stdout.splitlines()[-1])["value"]
    (partition,) = state["bookmarks"]["fba_inventory_ledger"]["partitions"]
    # The empty windows are complete: the bookmark is at the last one's end.
    assert datetime.fromisoformat(partition["replication_key_value"]) > days_ago(3)


def test_a_document_that_stays_truncated_is_recovered_by_a_new_report(
    sim: Simulator, tmp_path: Path
) -> None:
    sim.faults.broken_document_report_types = {MYI}
    created = sim.calls[CREATE]
    done = run(sim, tmp_path, "warehouse_inventory")
    assert done.returncode == 0, done.stderr[-3000:]
    assert rows(done)["warehouse_inventory"] == len(sim.data.products(US))
    assert "requesting a new report for the same window" in done.stderr
    assert sim.calls[CREATE] - created == 2
    assert not summary(done, "ERROR")


def test_a_document_truncated_in_the_new_report_too_exits_2(sim: Simulator, tmp_path: Path) -> None:
    # Each pattern breaks the first report it matches: the first report and its successor.
    sim.faults.broken_document_report_types = {MYI, f"{MYI}@{US}"}
    created = sim.calls[CREATE]
    done = run(sim, tmp_path, "warehouse_inventory", "fba_inventory_ledger")
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]
    assert sim.calls[CREATE] - created == 2 + 2  # no third MYI report; two ledger windows
    errors = summary(done, "ERROR")
    assert any("document not downloaded whole" in line for line in errors)
    assert any(f"not fully read: warehouse_inventory (marketplace {US})" in line for line in errors)
    assert "warehouse_inventory" not in rows(done)
    assert rows(done)["fba_inventory_ledger"] > 0


def test_a_role_the_app_lacks_is_a_skip_and_exits_0(sim: Simulator, tmp_path: Path) -> None:
    sim.config.roles = every_role() - VENDOR_ROLES
    done = run(sim, tmp_path, "vendor_purchase_orders", "warehouse_inventory")
    assert done.returncode == 0, done.stderr[-3000:]
    warnings = summary(done, "WARNING")
    assert any("skipped: vendor_purchase_orders" in line for line in warnings), warnings
    assert not [line for line in summary(done, "ERROR") if "not fully read" in line]
    assert rows(done)["warehouse_inventory"] == len(sim.data.products(US))


def test_a_report_type_amazon_removed_is_never_requested_and_exits_0(
    sim: Simulator, tmp_path: Path
) -> None:
    # GET_FBA_SNS_FORECAST_DATA, removed 2025-12-11: the simulator refuses it as Amazon does,
    # so a request would end this run with a 400.
    done = run(sim, tmp_path, "fba_sns_forecast", "warehouse_inventory")
    assert done.returncode == 0, done.stderr[-3000:]
    said = [line for line in done.stderr.splitlines() if "Stream fba_sns_forecast skipped" in line]
    assert len(said) == 1 and "| WARNING" in said[0], said
    assert "Amazon removed GET_FBA_SNS_FORECAST_DATA on 2025-12-11" in said[0]
    warnings = summary(done, "WARNING")
    assert any(
        f"skipped: fba_sns_forecast (marketplace {US}): removed by Amazon on 2025-12-11" in line
        for line in warnings
    ), warnings
    assert sim.calls[CREATE] == 1  # warehouse_inventory's report only
    assert rows(done)["warehouse_inventory"] == len(sim.data.products(US))


def test_a_run_stopped_by_sigterm_exits_143_after_a_state(sim: Simulator, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(sim.tap_config(marketplaces=["US"], start_date=recent(40))))
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(select("fba_inventory_ledger")))
    reports = sim.config.report_seconds
    sim.config.report_seconds = 10**9  # the report never finishes: the tap waits for it
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    created = sim.calls[CREATE]
    command = [sys.executable, "-m", "tap_amazon_seller", "--config", str(config)]
    process = subprocess.Popen(
        [*command, "--catalog", str(catalog)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while sim.calls[CREATE] == created and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # its id is in the state by now
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        sim.config.report_seconds = reports
        if process.poll() is None:
            process.kill()
    assert process.returncode == EXIT_SIGNALLED_BASE + signal.SIGTERM, stderr[-3000:]
    assert "Stopped by signal 15 before the end of the sync" in stderr
    last = json.loads(stdout.splitlines()[-1])
    assert last["type"] == "STATE"
    (partition,) = last["value"]["bookmarks"]["fba_inventory_ledger"]["partitions"]
    assert partition["pending_reports"], "the next run polls the report instead of a new one"


def test_an_unexpected_error_exits_2_and_the_rest_is_read(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A bug or an answer nobody foresaw, through the command line in this process (so the
    stream can be broken): the partition stops, the exit code says so."""
    from tap_amazon_seller.streams.inventory import FbaInventorySummariesStream
    from tap_amazon_seller.tap import TapAmazonSeller

    def broken(self, client, context, params):  # type: ignore[no-untyped-def]
        raise KeyError("a field nobody foresaw")
        yield

    monkeypatch.setattr(FbaInventorySummariesStream, "fetch_pages", broken)
    config = tmp_path / "config.json"
    config.write_text(json.dumps(sim.tap_config(marketplaces=["US"], start_date=recent(40))))
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps(select("fba_inventory_summaries", "warehouse_inventory")))
    with pytest.raises(SystemExit) as stopped:
        TapAmazonSeller.cli(["--config", str(config), "--catalog", str(catalog)])
    assert stopped.value.code == EXIT_PARTIAL
    messages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    delivered = Counter(m["stream"] for m in messages if m["type"] == "RECORD")
    assert delivered == {"warehouse_inventory": len(sim.data.products(US))}


def test_product_details_without_its_listings_report_is_listed_as_not_read(
    sim: Simulator, tmp_path: Path
) -> None:
    """It used to log the FATAL report and deliver an empty table with exit 0."""
    sim.faults.fatal_report_types = {"GET_MERCHANT_LISTINGS_ALL_DATA"}
    done = run(sim, tmp_path, "product_details", "warehouse_inventory")
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]
    errors = summary(done, "ERROR")
    assert any(f"not fully read: product_details (marketplace {US})" in e for e in errors), errors
    assert rows(done)["warehouse_inventory"] == len(sim.data.products(US))
