"""What a scheduler and an operator see from the command line: exit codes, and a bad
file or credential named in one line, with no traceback and no secret."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sp_api_simulator import Simulator, SimulatorConfig
from tap_amazon_seller.tap import EXIT_CANNOT_START
from tests.conftest import FAST
from tests.test_first_contact import recent, run_cli


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator(SimulatorConfig(time_scale=FAST))
    with simulator.running():
        yield simulator


@pytest.fixture
def config(sim: Simulator, tmp_path: Path) -> Path:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(sim.tap_config(marketplaces=["US"], start_date=recent())))
    return path


def errors_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "| ERROR" in line]


@pytest.mark.parametrize(
    ("option", "content", "said"),
    [
        ("--state", "not json", "is not JSON (Expecting value: line 1 column 1 (char 0))"),
        (
            "--state",
            "[1, 2]",
            'holds a JSON list; it must be an object (a Singer state, {"bookmarks"',
        ),
        ("--catalog", "{", "is not JSON"),
        ("--catalog", '"streams"', "holds a JSON str; it must be an object (a Singer catalog)"),
    ],
)
def test_a_bad_state_or_catalog_file_is_named_in_one_line_and_exits_1(
    config: Path, tmp_path: Path, option: str, content: str, said: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    done = run_cli(config, option, str(bad))
    assert done.returncode == EXIT_CANNOT_START
    (error,) = errors_of(done.stderr)
    assert f"{option} {bad} " in error and said in error and f"run without {option}" in error
    assert "Traceback" not in done.stderr
    assert '"type": "RECORD"' not in done.stdout and '"type":"RECORD"' not in done.stdout


def test_a_state_the_tap_cannot_resume_from_exits_1_without_a_traceback(
    config: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps({"bookmarks": {"orders": {"replication_key_value": "last tuesday"}}})
    )
    done = run_cli(config, "--state", str(state))
    assert done.returncode == EXIT_CANNOT_START
    assert any("'last tuesday' is not an ISO 8601 date-time" in e for e in errors_of(done.stderr))
    assert "Traceback" not in done.stderr


def test_credentials_lwa_refuses_stop_the_run_with_exit_1_and_one_reason(
    sim: Simulator, config: Path
) -> None:
    sim.tokens.revoked = True
    try:
        done = run_cli(config)
    finally:
        sim.tokens.revoked = False
    assert done.returncode == EXIT_CANNOT_START
    reasons = [e for e in errors_of(done.stderr) if "refresh_token is not valid" in e]
    assert len(reasons) == 1, errors_of(done.stderr)
    assert "Traceback" not in done.stderr
    assert sim.config.refresh_token not in done.stderr + done.stdout
    # The run stops at the first stream: no other stream is tried with credentials that
    # cannot work.
    assert len(errors_of(done.stderr)) == 1


def test_an_unknown_setting_is_warned_about_with_the_closest_name(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tap_amazon_seller.tap import TapAmazonSeller

    config = {**sim.tap_config(marketplaces=["US"]), "start_dte": recent(), "marketplace": "US"}
    config["colour"] = "blue"
    with caplog.at_level(logging.WARNING):
        TapAmazonSeller(config=config).settings  # noqa: B018  (read once, at the start)
    said = caplog.text
    assert "unknown setting 'start_dte' is ignored; did you mean 'start_date'?" in said
    assert "unknown setting 'marketplace' is ignored; did you mean 'marketplaces'?" in said
    assert "unknown setting 'colour' is ignored; see the README's settings table." in said
    assert sim.config.refresh_token not in said


def test_a_catalog_asking_for_a_replication_key_the_stream_cannot_use_is_refused_first(
    sim: Simulator, config: Path, tmp_path: Path
) -> None:
    """`marketplaces` (full table) set INCREMENTAL on `id` used to be accepted: the tap wrote
    `"replication_key_value": "ATVPDKIKX0DER"` and its next run refused that state."""
    from tests.conftest import select

    catalog = select("marketplaces", "orders")
    for entry in catalog["streams"]:
        if entry["tap_stream_id"] == "marketplaces":
            entry["replication_method"] = "INCREMENTAL"
            entry["replication_key"] = "id"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    calls = sum(sim.calls.values())
    done = run_cli(config, "--catalog", str(path))
    assert done.returncode == EXIT_CANNOT_START
    (error,) = errors_of(done.stderr)
    assert "stream marketplaces is set to replicate INCREMENTAL on 'id'" in error
    assert "it can be read FULL_TABLE" in error
    assert sum(sim.calls.values()) == calls, "refused before any call"
    assert "Traceback" not in done.stderr


def test_every_state_a_default_sync_writes_is_read_back_by_the_next_run(sim: Simulator) -> None:
    from tests.conftest import run_sync

    config = sim.tap_config(marketplaces=["US", "DE"], start_date=recent())
    first = run_sync(config)
    assert first.tap is not None and first.tap.failed == []
    for state in (first.states[len(first.states) // 2], first.states[-1]):
        again = run_sync(config, state=state)  # refused (StateError) if it could not be read
        assert again.tap is not None and again.tap.failed == []


def test_catalog_entries_for_streams_the_tap_does_not_have_are_named(
    config: Path, tmp_path: Path
) -> None:
    from tests.conftest import select

    catalog = select("marketplaces")
    for entry in catalog["streams"]:
        if entry["tap_stream_id"] == "marketplaces":
            stray = json.loads(json.dumps(entry))
    stray["tap_stream_id"] = stray["stream"] = "orderitems"  # hotglue's older name
    catalog["streams"].append(stray)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    done = run_cli(config, "--catalog", str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (
        "--catalog: stream 'orderitems' is not a stream of this tap and is ignored; did you mean 'order_items'?"
        in done.stderr
    )
    # Only such streams selected: nothing would be read, which is refused.
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == [] and entry["tap_stream_id"] == "marketplaces":
                metadata["metadata"]["selected"] = False
    path.write_text(json.dumps(catalog))
    done = run_cli(config, "--catalog", str(path))
    assert done.returncode == EXIT_CANNOT_START
    assert any("--catalog selects none of this tap's streams" in e for e in errors_of(done.stderr))


def test_numbers_and_booleans_given_as_strings_are_taken_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from tap_amazon_seller.tap import TapAmazonSeller

    base = {"refresh_token": "Atzr|x", "lwa_client_id": "c", "lwa_client_secret": "s"}
    config = {
        **base,
        "marketplaces": ["US"],
        "report_poll_interval": "30",
        "include_pii": "false",
        "max_retries": "3",
    }
    with caplog.at_level(logging.WARNING):
        settings = TapAmazonSeller(config=config).settings
    assert settings.report_poll_interval == 30
    assert settings.include_pii is False
    assert settings.max_retries == 3
    assert (
        "config: report_poll_interval is the string '30'; read as 30. Write it without "
        'quotes: "report_poll_interval": 30.' in caplog.text
    )
    assert "include_pii is the string 'false'; read as false" in caplog.text


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        (
            "report_poll_interval",
            "thirty",
            "'thirty' is not a number; write one without quotes, e.g. \"report_poll_interval\": 30.",
        ),
        (
            "include_pii",
            "maybe",
            "'maybe' is not a boolean; write one without quotes, e.g. \"include_pii\": true.",
        ),
        (
            "max_retries",
            "3.5",
            "'3.5' is not an integer; write one without quotes, e.g. \"max_retries\": 8.",
        ),
    ],
)
def test_a_string_that_means_no_number_or_boolean_is_refused_with_an_example(
    name: str, value: str, said: str
) -> None:
    from singer_sdk.exceptions import ConfigValidationError

    from tap_amazon_seller.tap import TapAmazonSeller

    base = {"refresh_token": "Atzr|x", "lwa_client_id": "c", "lwa_client_secret": "s"}
    with pytest.raises(ConfigValidationError) as refused:
        TapAmazonSeller(config={**base, "marketplaces": ["US"], name: value})
    assert any(said in error for error in refused.value.errors), refused.value.errors
