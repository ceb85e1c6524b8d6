"""The shared SP-API client against the simulator: pacing, retries, errors, token refresh."""

from __future__ import annotations

import pytest

from sp_api_simulator import Simulator
from tap_amazon_seller.auth import LwaAuth
from tap_amazon_seller.client import SpApiClient
from tap_amazon_seller.errors import AccessDeniedError, SpApiError, ThrottledError
from tap_amazon_seller.rate_limits import RateLimiter, operation

OP = "sellers.getMarketplaceParticipations"


def make_client(sim: Simulator, region: str = "na", **kwargs) -> SpApiClient:
    cfg = sim.config
    auth = LwaAuth(
        client_id=cfg.client_id,
        client_secret=cfg.client_secret,
        refresh_token=cfg.refresh_token,
        token_url=f"{sim.url}/auth/o2/token",
    )
    kwargs.setdefault("backoff_factor", 0.01)
    return SpApiClient(region=region, base_url=f"{sim.url}/{region}", auth=auth, **kwargs)


def test_success_returns_payload_and_follows_rate_header(simulator: Simulator) -> None:
    client = make_client(simulator)
    body = client.call(OP)
    assert [p["marketplace"]["countryCode"] for p in body["payload"]] == ["US", "CA", "MX"]
    bucket = client.limiter.bucket("na", operation(OP))
    # The simulator runs 1000x faster and says so in x-amzn-RateLimit-Limit.
    assert bucket.rate == pytest.approx(operation(OP).rate * 1000)
    assert client.stats[OP]["calls"] == 1


@pytest.mark.parametrize(
    "statuses", [[429, 429], [500, 503], [0, 502]], ids=["429", "5xx", "dropped"]
)
def test_transient_failures_are_retried(simulator: Simulator, statuses: list[int]) -> None:
    simulator.faults.script[OP] = list(statuses)
    client = make_client(simulator)
    body = client.call(OP)
    assert len(body["payload"]) == 3
    assert client.stats[OP]["calls"] == len(statuses) + 1
    assert client.stats[OP]["retries"] == len(statuses)
    assert simulator.calls[OP] == len(statuses) + 1


def test_a_call_without_an_answer_in_request_timeout_is_retried_then_named(
    simulator: Simulator,
) -> None:
    client = make_client(simulator)
    client.call(OP)  # the token is fetched before the simulator slows down
    simulator.faults.latency = 0.5
    slow = make_client(simulator, max_retries=1, timeout=0.1)
    slow.auth = client.auth
    with pytest.raises(SpApiError) as raised:
        slow.call(OP)
    assert slow.stats[OP]["calls"] == 2
    assert "no answer within request_timeout=0.1 s" in str(raised.value)


def test_retries_are_bounded_by_max_retries(simulator: Simulator) -> None:
    simulator.faults.script[OP] = [503] * 10
    client = make_client(simulator, max_retries=2)
    with pytest.raises(SpApiError) as raised:
        client.call(OP)
    assert simulator.calls[OP] == 3
    assert raised.value.status == 503
    assert "after 3 tries" in str(raised.value)


def test_429_storm_raises_throttled_error_naming_the_operation(simulator: Simulator) -> None:
    simulator.faults.script[OP] = [429] * 5
    client = make_client(simulator, max_retries=3)
    with pytest.raises(ThrottledError) as raised:
        client.call(OP)
    assert OP in str(raised.value)
    assert client.stats[OP]["throttled"] == 4


def test_retry_after_is_honoured(simulator: Simulator) -> None:
    simulator.faults.script[OP] = [429]
    simulator.faults.retry_after = 0.3
    client = make_client(simulator)
    waits: list[float] = []
    original = client._log_backoff
    client._log_backoff = lambda op, details: (waits.append(details["wait"]), original(op, details))
    client.call(OP)
    assert waits and waits[0] >= 0.3


def test_client_error_is_not_retried_and_carries_amazons_errors(simulator: Simulator) -> None:
    simulator.faults.script[OP] = [400]
    client = make_client(simulator)
    with pytest.raises(SpApiError) as raised:
        client.call(OP)
    assert simulator.calls[OP] == 1
    assert raised.value.status == 400
    assert raised.value.codes == ["InvalidInput"]
    assert "Retrying cannot fix this" in str(raised.value)


def test_missing_role_is_access_denied_after_one_token_refresh(simulator: Simulator) -> None:
    simulator.config.roles = {"Finance and Accounting"}
    client = make_client(simulator)
    with pytest.raises(AccessDeniedError) as raised:
        client.call(OP)
    assert simulator.calls[OP] == 2  # the first try, and one with a fresh token
    assert simulator.tokens.issued == 2
    assert "role" in str(raised.value)


def test_expired_access_token_is_refreshed_once(simulator: Simulator) -> None:
    client = make_client(simulator)
    client.call(OP)
    simulator.tokens.expire_all()  # LWA's token died before its announced expiry
    assert len(client.call(OP)["payload"]) == 3
    assert simulator.tokens.issued == 2


def test_a_fresh_token_that_expires_before_its_use_is_refreshed_again(
    simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amazon names the token in its 403 ("revoked, malformed or invalid"): not a role."""
    client = make_client(simulator)
    issue = client.auth.access_token
    dying = iter([True, True, False])  # the first two tokens die before they are used

    def token_that_may_expire() -> str:
        token = issue()
        if next(dying, False):
            simulator.tokens.expire_all()
        return token

    monkeypatch.setattr(client.auth, "access_token", token_that_may_expire)
    assert len(client.call(OP)["payload"]) == 3
    assert simulator.calls[OP] == 3 and simulator.tokens.issued == 3


def test_token_is_cached_between_calls(simulator: Simulator) -> None:
    client = make_client(simulator)
    for _ in range(3):
        client.call(OP)
    assert simulator.tokens.issued == 1


def test_calls_wait_for_the_bucket_instead_of_hitting_429(simulator: Simulator) -> None:
    # Burst 15 at the default plan; with the simulator's real rate limits (no time scale
    # given to the tap), 20 calls must all succeed without a single 429.
    limiter = RateLimiter()
    client = make_client(simulator, limiter=limiter)
    for _ in range(20):
        client.call(OP)
    assert client.stats[OP]["throttled"] == 0
    assert simulator.calls[OP] == 20
