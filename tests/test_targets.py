"""The tap into real databases: DuckDB (target-duckdb) and PostgreSQL (a real server, Debian's
`postgresql` package, started here; MeltanoLabs' target-postgres), then SQL that checks rows
and keys against the simulator's data after a full and an incremental run (which upserts)."""

from __future__ import annotations

import glob
import json
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller import clock
from tests.conftest import select

ROOT = Path(__file__).resolve().parents[1]
US, DE = "ATVPDKIKX0DER", "A1PA6795UKMFR9"
STREAMS = ("orders", "order_items", "warehouse_inventory", "financial_events")


def target_venv(name: str, executable: str | None = None) -> Path:
    """A virtualenv under .cache/ holding the target `name` from tests/target-requirements.txt."""
    venv = ROOT / ".cache" / f"{name}-venv"
    if not (venv / "bin" / (executable or name)).exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        requirement = next(
            line.strip()
            for line in (ROOT / "tests" / "target-requirements.txt").read_text().splitlines()
            if line.startswith(name)
        )
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", requirement], check=True)
    return venv


@pytest.fixture(scope="module")
def duckdb_venv() -> Path:
    return target_venv("target-duckdb")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=1000))
    with simulator.running():
        yield simulator


def load(
    tmp: Path,
    config: dict,
    target: list[str],
    target_config: dict,
    state: dict | None,
) -> dict:
    """tap | target, as a pipeline runs them; returns the last state the target confirmed."""
    (tmp / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (tmp / "catalog.json").write_text(json.dumps(select(*STREAMS)), encoding="utf-8")
    (tmp / "target.json").write_text(json.dumps(target_config), encoding="utf-8")
    args = [
        sys.executable,
        "-m",
        "tap_amazon_seller",
        "--config",
        str(tmp / "config.json"),
        "--catalog",
        str(tmp / "catalog.json"),
    ]
    if state:
        (tmp / "state.json").write_text(json.dumps(state), encoding="utf-8")
        args += ["--state", str(tmp / "state.json")]
    tap = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    loaded = subprocess.run(
        [*target, "--config", str(tmp / "target.json")],
        stdin=tap.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert tap.wait() == 0
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    states = [json.loads(line) for line in loaded.stdout.splitlines() if line.strip()]
    return states[-1] if states else {}


def query(venv: Path, database: Path, sql: str) -> list:
    script = (
        "import duckdb, json, sys; "
        f"print(json.dumps(duckdb.connect({str(database)!r}, read_only=True).sql(sys.argv[1]).fetchall(), default=str))"
    )
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_full_then_incremental_load_into_duckdb(
    duckdb_venv: Path, sim: Simulator, tmp_path: Path
) -> None:
    start = (clock.now() - timedelta(days=40)).replace(microsecond=0)
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat())
    database = tmp_path / "warehouse.duckdb"
    target_config = {"filepath": str(database), "default_target_schema": "amazon"}

    def truth() -> dict:
        now = clock.now() + timedelta(hours=1)
        return {
            o.order_id: o for m in (US, DE) for o in sim.data.orders.updated_between(m, start, now)
        }

    target = [str(duckdb_venv / "bin" / "target-duckdb")]
    state = load(tmp_path, config, target, target_config, None)
    expected = truth()
    assert query(
        duckdb_venv, database, "select count(*), count(distinct orderid) from amazon.orders"
    ) == [[len(expected), len(expected)]]
    items = sum(len(o.lines) for o in expected.values())
    assert query(
        duckdb_venv,
        database,
        "select count(*), count(distinct orderid || '|' || orderitemid) from amazon.order_items",
    ) == [[items, items]]
    assert query(
        duckdb_venv,
        database,
        "select count(*), count(distinct marketplace_id || sku) from amazon.warehouse_inventory",
    ) == [[len(sim.data.products(US)) + len(sim.data.products(DE))] * 2]
    events = query(
        duckdb_venv,
        database,
        "select count(*), count(distinct event_key) from amazon.financial_events",
    )
    assert events[0][0] == events[0][1] > 0

    touched = sim.mutate_orders(marketplace_ids=[US, DE], new=2, advance=2, cancel=1)
    load(tmp_path, config, target, target_config, state)
    after = truth()
    rows = dict(
        query(
            duckdb_venv,
            database,
            "select orderid, json_extract_string(fulfillment, '$.fulfillmentStatus') from amazon.orders",
        )
    )
    assert set(rows) == set(after) == set(expected) | set(touched["new"])  # upserted, no duplicate
    assert all(rows[i] == after[i].status for i in after)
    assert query(duckdb_venv, database, "select count(*) from amazon.order_items") == [
        [sum(len(o.lines) for o in after.values())]
    ]


# -- PostgreSQL ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict]:
    """A PostgreSQL server of Debian's package (installed if missing), on a free local port."""
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "postgresql"], check=True, capture_output=True
        )
    bin_dir = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))[-1]).parent
    # Not under pytest's temporary folder: the server runs as `postgres`, which cannot enter it.
    data = Path(tempfile.mkdtemp(prefix="tap-amazon-seller-pg-"))
    shutil.chown(data, "postgres", "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield {"host": "127.0.0.1", "port": port, "user": "postgres", "database": "postgres"}
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


def psql(server: dict, sql: str) -> list[list[str]]:
    result = subprocess.run(
        [
            "psql",
            "-h",
            server["host"],
            "-p",
            str(server["port"]),
            "-U",
            server["user"],
            "-d",
            server["database"],
            "-At",
            "-F",
            "\t",
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_full_then_incremental_load_into_postgres(
    postgres: dict, sim: Simulator, tmp_path: Path
) -> None:
    venv = target_venv("meltanolabs-target-postgres", "target-postgres")
    start = (clock.now() - timedelta(days=40)).replace(microsecond=0)
    config = sim.tap_config(marketplaces=["US", "DE"], start_date=start.isoformat())
    target_config = {
        **postgres,
        "password": "",
        "default_target_schema": "amazon",
        "load_method": "upsert",
    }
    target = [str(venv / "bin" / "target-postgres")]

    def truth() -> dict:
        now = clock.now() + timedelta(hours=1)
        return {
            o.order_id: o for m in (US, DE) for o in sim.data.orders.updated_between(m, start, now)
        }

    state = load(tmp_path, config, target, target_config, None)
    expected = truth()
    assert psql(postgres, 'select count(*), count(distinct "orderId") from amazon.orders') == [
        [str(len(expected))] * 2
    ]
    items = sum(len(o.lines) for o in expected.values())
    assert psql(postgres, "select count(*) from amazon.order_items") == [[str(items)]]
    products = len(sim.data.products(US)) + len(sim.data.products(DE))
    assert psql(
        postgres, "select count(*) from amazon.warehouse_inventory where _sdc_deleted_at is null"
    ) == [[str(products)]]
    events = psql(
        postgres, "select count(*), count(distinct event_key) from amazon.financial_events"
    )
    assert events[0][0] == events[0][1] != "0"

    touched = sim.mutate_orders(marketplace_ids=[US, DE], new=2, advance=2, cancel=1)
    load(tmp_path, config, target, target_config, state)
    after = truth()
    rows = dict(
        (row[0], row[1])
        for row in psql(
            postgres, "select \"orderId\", fulfillment->>'fulfillmentStatus' from amazon.orders"
        )
    )
    assert set(rows) == set(after) == set(expected) | set(touched["new"])  # upserted
    assert psql(postgres, 'select count(*), count(distinct "orderId") from amazon.orders') == [
        [str(len(after))] * 2
    ]
    assert all(rows[i] == after[i].status for i in after)
    assert psql(postgres, "select count(*) from amazon.order_items") == [
        [str(sum(len(o.lines) for o in after.values()))]
    ]
