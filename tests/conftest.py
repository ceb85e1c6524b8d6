"""Shared fixtures: the test clock, a fresh simulator per test, and a helper to run a sync
in-process.

The clock: every test starts at an instant set with time-machine (the real one unless
`--instant` says otherwise); tests marked `edges` run again at each edge instant that
`--edges` chooses (see tests/instants.py). Subprocesses that a test starts follow the
same clock through tests/clock_shim.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import os
import sys
import tempfile
import typing as t
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import _time_machine
import pytest
import time_machine

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller import clock
from tap_amazon_seller.tap import TapAmazonSeller
from tests import instants

SHARED = Path(__file__).resolve().parents[2] / "shared" / "sp-api"
# Rate limits 1000x faster than Amazon's: the tap's own pacing logic runs unchanged.
FAST = 1000.0
#: The shim's variable: seconds the test clock is ahead of the real one (tests/clock_shim).
OFFSET_ENV = "TAP_TEST_CLOCK_OFFSET"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("clock", "the instant the tests run at")
    group.addoption(
        "--instant",
        help="Run the whole suite from this instant (ISO 8601, e.g. 2027-01-01T00:00:05Z): "
        "the process clock starts there and runs on, like faketime, subprocesses included.",
    )
    group.addoption(
        "--edges",
        default="rotate",
        help="Edge instants the tests marked `edges` also run at: rotate (default: "
        f"{', '.join(instants.ALWAYS)} and {instants.ROTATING} more picked by the real date), "
        "all, none, or names from tests/instants.py separated by commas.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "edges: also run at the edge instants of tests/instants.py (--edges)"
    )
    instant = config.getoption("--instant")
    if instant:
        moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.stash[_SESSION_TRAVEL] = traveller
        _pass_clock_on(os.environ)


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_SESSION_TRAVEL, None)
    if traveller is not None:
        traveller.stop()


def pytest_terminal_summary(terminalreporter: t.Any) -> None:
    """How many fuzzed documents and generated answers the property tests ran."""
    counts: Counter[str] = Counter()
    for name in ("tests.test_document_fuzz", "tests.test_generated_answers"):
        module = sys.modules.get(name)
        if module is not None:
            counts.update(module.RUN)
    if counts:
        terminalreporter.write_line(
            "property tests ran: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("edges") is None:
        return
    real_day = _process_clock().date().toordinal()
    names = instants.choose_edges(metafunc.config.getoption("--edges"), real_day)
    metafunc.parametrize("test_clock", ["now", *names], indirect=True)


@pytest.fixture(autouse=True)
def test_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Sets the test's clock (autouse, so before the simulator and the tap start): the
    session's instant, or the edge instant this run of an `edges` test is for."""
    name = getattr(request, "param", "now")
    if name == "now":
        instants.begin_test()
        yield name
        return
    with time_machine.travel(instants.EDGES[name], tick=True):
        _pass_clock_on(monkeypatch)
        instants.begin_test()
        yield name


def _process_clock() -> datetime:
    """The process's own clock, under any time-machine travel (faketime's, if it runs
    under faketime)."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.datetime.datetime.now(UTC)
    return datetime.now(UTC)


@functools.cache
def _shim_path() -> Path:
    """A folder holding only the shim and time-machine, to put first on PYTHONPATH."""
    links = Path(tempfile.mkdtemp(prefix="tap-test-clock-"))
    (links / "sitecustomize.py").symlink_to(_SHIM / "sitecustomize.py")
    (links / "time_machine").symlink_to(Path(time_machine.__file__).parent)
    (links / Path(_time_machine.__file__).name).symlink_to(_time_machine.__file__)
    return links


_SESSION_TRAVEL = pytest.StashKey[time_machine.travel]()
_SHIM = Path(__file__).resolve().parent / "clock_shim"


def _pass_clock_on(environ: t.Any) -> None:
    """Make Python subprocesses started from here keep the test clock: the shim's
    sitecustomize moves their clock by the same offset, with a time-machine of its own
    (linked from this environment, so a Meltano or target virtualenv needs none)."""
    offset = (clock.now() - _process_clock()).total_seconds()
    links = _shim_path()
    path = os.environ.get("PYTHONPATH", "")
    setenv = environ.setenv if isinstance(environ, pytest.MonkeyPatch) else environ.__setitem__
    setenv("PYTHONPATH", f"{links}{os.pathsep}{path}" if path else str(links))
    setenv(OFFSET_ENV, f"{offset:.6f}")


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A running simulator at the default test settings (modules needing others, such as
    smaller pages, define their own `sim`)."""
    simulator = Simulator(SimulatorConfig(time_scale=FAST))
    with simulator.running():
        yield simulator


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    sim = Simulator(SimulatorConfig(time_scale=FAST))
    with sim.running():
        yield sim


@dataclass
class SyncResult:
    records: dict[str, list[dict]] = field(default_factory=dict)
    states: list[dict] = field(default_factory=list)
    tap: TapAmazonSeller | None = None


def run_sync(config: dict[str, Any], **tap_kwargs: Any) -> SyncResult:
    """A full sync in this process (no record limit, unlike the SDK's dry-run runner)."""
    output = io.StringIO()
    if isinstance(tap_kwargs.get("state"), dict):  # the tap updates its state in place
        tap_kwargs["state"] = copy.deepcopy(tap_kwargs["state"])
    with contextlib.redirect_stdout(output):
        tap = TapAmazonSeller(config=config, **tap_kwargs)
        tap.sync_all()
    result = SyncResult(tap=tap)
    for line in output.getvalue().splitlines():
        message = json.loads(line)
        if message["type"] == "RECORD":
            result.records.setdefault(message["stream"], []).append(message["record"])
        elif message["type"] == "STATE":
            result.states.append(message["value"])
    return result


def select(*streams: str, config: dict | None = None) -> dict:
    """A catalog selecting only `streams`, as a user's catalog file would (`config` for
    the streams that settings add, such as the generic ones of `report_types`)."""
    catalog = TapAmazonSeller(config=config or {}, validate_config=False).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def _plain(value: Any) -> Any:
    """A record as a target receives it: Decimals as JSON numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return float(value) if isinstance(value, Decimal) else value


def schema_errors(validator: Any, record: dict) -> list[str]:
    """What makes `record` invalid for a jsonschema `validator` of its stream's schema."""
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(_plain(record))]


def shared_models() -> Path:
    models = SHARED / "models"
    if not models.is_dir():
        pytest.skip("../shared/sp-api is not beside this checkout")
    return models
