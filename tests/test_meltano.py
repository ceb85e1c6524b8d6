"""`meltano install`, `meltano invoke` and `meltano run tap-amazon-seller target-jsonl` with the
repo's meltano.yml against the simulator, checked against the simulator's orders.

Meltano is installed from tests/meltano-requirements.txt into its own virtualenv under
.cache/ (made once, reused by later runs), as users install it with pipx.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller import clock

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".cache" / "meltano-venv"
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"


@pytest.fixture(scope="module")
def meltano() -> Path:
    executable = VENV / "bin" / "meltano"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [
                str(VENV / "bin" / "pip"),
                "install",
                "-q",
                "-r",
                str(ROOT / "tests" / "meltano-requirements.txt"),
            ],
            check=True,
        )
    return executable


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=1000))
    with simulator.running():
        yield simulator


def run(meltano: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(meltano), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_meltano_install_invoke_and_run_into_target_jsonl(
    meltano: Path, sim: Simulator, tmp_path: Path
) -> None:
    start = (clock.now() - timedelta(days=20)).replace(microsecond=0)
    env = {
        **os.environ,
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_AMAZON_SELLER_API_BASE_URL": f"{sim.url}/{{region}}",
        "TAP_AMAZON_SELLER_LWA_TOKEN_URL": f"{sim.url}/auth/o2/token",
        "TAP_AMAZON_SELLER_START_DATE": start.isoformat(),
        "TAP_AMAZON_SELLER__SELECT": json.dumps(
            ["orders.*", "order_items.*", "warehouse_inventory.*"]
        ),
        "TARGET_JSONL_DESTINATION_PATH": str(tmp_path),
    }
    run(meltano, env, "install")
    about = run(meltano, env, "invoke", "tap-amazon-seller", "--about", "--format=json")
    assert "orders_source" in json.loads(about.stdout)["settings"]["properties"]

    run(meltano, env, "--environment=simulator", "run", "tap-amazon-seller", "target-jsonl")
    now = clock.now()
    expected = {
        o.order_id: o for m in (US, DE) for o in sim.data.orders.updated_between(m, start, now)
    }
    orders = read(tmp_path / "orders.jsonl")
    assert sorted(o["orderId"] for o in orders) == sorted(expected)
    items = read(tmp_path / "order_items.jsonl")
    assert len(items) == sum(len(o.lines) for o in expected.values())
    stock = read(tmp_path / "warehouse_inventory.jsonl")
    assert {(r["marketplace_id"], r["sku"]) for r in stock} == {
        (m, p.sku) for m in (US, DE) for p in sim.data.products(m)
    }

    # An incremental run from the state Meltano kept: the changes, each once.
    touched = sim.mutate_orders(marketplace_ids=[US, DE], new=1, advance=1, cancel=1)
    run(meltano, env, "--environment=simulator", "run", "tap-amazon-seller", "target-jsonl")
    second = read(tmp_path / "orders.jsonl")[len(orders) :]
    changed = {i for ids in touched.values() for i in ids}
    assert changed <= {o["orderId"] for o in second}
    assert len(second) <= len(changed) + 2  # plus the order(s) at each bookmark's second
    latest = {o["orderId"]: o for o in orders + second}
    after = {
        o.order_id: o
        for m in (US, DE)
        for o in sim.data.orders.updated_between(m, start, now + timedelta(hours=1))
    }
    assert set(latest) == set(after)
    assert all(latest[i]["fulfillment"]["fulfillmentStatus"] == after[i].status for i in after)
