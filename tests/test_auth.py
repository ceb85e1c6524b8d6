"""LWA auth: clear errors naming the setting, caching, and the tap's exit on bad credentials."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sp_api_simulator import Simulator
from tap_amazon_seller.auth import LwaAuth
from tap_amazon_seller.errors import AuthError


def auth_for(sim: Simulator, **overrides: str) -> LwaAuth:
    values = {
        "client_id": sim.config.client_id,
        "client_secret": sim.config.client_secret,
        "refresh_token": sim.config.refresh_token,
        "token_url": f"{sim.url}/auth/o2/token",
    }
    values.update(overrides)
    return LwaAuth(**values)


def test_valid_credentials_give_a_cached_token(simulator: Simulator) -> None:
    auth = auth_for(simulator)
    token = auth.access_token()
    assert token.startswith("Atza|")
    assert auth.access_token() == token
    assert simulator.tokens.issued == 1


def test_token_is_refreshed_before_expiry(simulator: Simulator) -> None:
    now = [0.0]
    auth = auth_for(simulator)
    auth._clock = lambda: now[0]
    first = auth.access_token()
    now[0] = 3600 - 30  # inside the safety margin before LWA's expiry
    assert auth.access_token() != first


def test_invalid_refresh_token_names_the_setting(simulator: Simulator) -> None:
    with pytest.raises(AuthError) as raised:
        auth_for(simulator, refresh_token="Atzr|wrong").access_token()
    message = str(raised.value)
    assert message.startswith("refresh_token is not valid for this LWA client")
    assert "invalid_grant" in message


def test_invalid_client_names_the_settings(simulator: Simulator) -> None:
    with pytest.raises(AuthError) as raised:
        auth_for(simulator, client_secret="wrong-secret").access_token()
    assert "lwa_client_id / lwa_client_secret were rejected" in str(raised.value)
    assert "wrong-secret" not in str(raised.value)


def test_unreachable_token_endpoint_is_a_clear_error() -> None:
    auth = LwaAuth(
        client_id="c",
        client_secret="s",
        refresh_token="r",
        token_url="http://127.0.0.1:9/auth/o2/token",
        attempts=1,
    )
    with pytest.raises(AuthError) as raised:
        auth.access_token()
    assert "could not reach the LWA token endpoint" in str(raised.value)


def test_revoked_refresh_token_stops_the_tap_with_a_clear_message(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.tokens.revoked = True
    config = tmp_path / "config.json"
    config.write_text(json.dumps(simulator.tap_config()))
    result = subprocess.run(
        [sys.executable, "-m", "tap_amazon_seller", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "refresh_token is not valid for this LWA client" in result.stderr
    assert simulator.config.refresh_token not in result.stderr
    assert '"type":"RECORD"' not in result.stdout.replace(" ", "")
