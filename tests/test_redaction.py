"""No secret reaches the logs: refresh token, client secret, access tokens, signed URLs."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from sp_api_simulator import Simulator
from tap_amazon_seller import redaction
from tests.conftest import run_sync, select


def secrets_of(sim: Simulator) -> list[str]:
    return [sim.config.refresh_token, sim.config.client_secret, *sim.tokens.issued_tokens]


def test_debug_logs_of_a_sync_with_retries_hold_no_secret(
    simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    simulator.faults.script["sellers.getMarketplaceParticipations"] = [503, 0]
    simulator.tokens.expire_all()
    with caplog.at_level(logging.DEBUG):
        result = run_sync(
            simulator.tap_config(marketplaces=["US", "DE"]),
            catalog=select("marketplaces", "account", "warehouse_inventory", "fba_returns"),
        )
    assert result.records["marketplaces"]
    assert simulator.tokens.issued_tokens, "the sync used no access token?"
    text = caplog.text
    assert "sellers.getMarketplaceParticipations" in text  # the request lines were captured
    assert "getReportDocument" in text  # and the document downloads (pre-signed URLs)
    assert "X-Amz-Signature=" not in text
    for secret in secrets_of(simulator):
        assert secret not in text


def test_cli_stderr_at_debug_holds_no_secret(simulator: Simulator, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(simulator.tap_config(marketplaces=["DE"])))
    result = subprocess.run(
        [sys.executable, "-m", "tap_amazon_seller", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "LOGLEVEL": "DEBUG"},
    )
    assert result.returncode == 0, result.stderr
    assert "DEBUG" in result.stderr
    for secret in secrets_of(simulator):
        assert secret not in result.stderr
        assert secret not in result.stdout


def test_redaction_masks_tokens_urls_and_registered_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redaction.install()
    redaction.register_secret("s3cr3t-value")
    logger = logging.getLogger("tap_amazon_seller.test")
    with caplog.at_level(logging.INFO):
        logger.info(
            "token %s for %s", "Atza|IwEBIabc", "https://doc.example/x?X-Amz-Signature=ab&y=1"
        )
        try:
            raise RuntimeError("failed with s3cr3t-value inside")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text
    for leaked in ("Atza|IwEBIabc", "X-Amz-Signature=ab", "s3cr3t-value"):
        assert leaked not in text
    assert text.count(redaction.MASK) >= 3


def test_a_secret_of_the_wrong_type_is_named_not_shown(tmp_path: Path) -> None:
    """The schema check names the setting and the type it wants, never the value: a
    refresh token given as a list and a numeric client secret look like no Amazon token."""
    config = {
        "refresh_token": ["plainrefresh-LIST-0123456789 is not a token"],
        "lwa_client_id": "amzn1.application-oa2-client.example",
        "lwa_client_secret": 987654321012,
        "marketplaces": ["US"],
    }
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tap_amazon_seller", "--config", str(tmp_path / "config.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "config['refresh_token']: expected string" in output
    assert "config['lwa_client_secret']: expected string or null" in output
    assert "plainrefresh" not in output and "987654321012" not in output
