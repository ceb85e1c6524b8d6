"""SP-API usage plans and the token buckets that keep the tap inside them.

Amazon meters each operation with a token bucket per selling partner and
region: `rate` tokens a second refill it up to `burst`. The tap keeps a
mirror of each bucket, waits for a token before every call, follows the rate
Amazon reports in `x-amzn-RateLimit-Limit`, and empties its mirror on a 429
so the next call waits a full refill instead of hammering.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from sp_api_facts import usage_plans

# Operations whose model says "see docs" get this conservative plan.
FALLBACK_RATE = 0.5
FALLBACK_BURST = 1


@dataclass(frozen=True)
class Operation:
    """One SP-API operation, named `<model>.<operationId>` after Amazon's model file."""

    name: str
    method: str
    path: str
    rate: float
    burst: int

    def url_path(self, path_params: dict[str, str] | None = None) -> str:
        path = self.path
        for key, value in (path_params or {}).items():
            path = path.replace("{" + key + "}", quote(str(value), safe=""))
        return path


@cache
def operations() -> dict[str, Operation]:
    """Every operation of Amazon's models with its default usage plan (sp_api_facts)."""
    raw = usage_plans()
    return {
        name: Operation(
            name=name,
            method=spec["method"],
            path=spec["path"],
            rate=spec["rate"] if spec["rate"] is not None else FALLBACK_RATE,
            burst=spec["burst"] if spec["burst"] is not None else FALLBACK_BURST,
        )
        for name, spec in raw.items()
    }


def operation(name: str) -> Operation:
    try:
        return operations()[name]
    except KeyError:
        raise KeyError(f"unknown SP-API operation {name!r} (see sp_api_facts)") from None


class TokenBucket:
    """A mirror of one of Amazon's buckets. `acquire` blocks until a token is free."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def seconds_until_available(self) -> float:
        with self._lock:
            self._refill()
            return max(0.0, (1 - self._tokens) / self.rate)

    def available(self) -> float:
        """Tokens in the bucket now (fractions count toward the next)."""
        with self._lock:
            self._refill()
            return self._tokens

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                self._refill()
                if self._tokens >= 1:
                    self._tokens -= 1
                    return waited
                wait = (1 - self._tokens) / self.rate
            self._sleep(wait)
            waited += wait

    def set_rate(self, rate: float) -> None:
        if rate > 0:
            with self._lock:
                self._refill()
                self.rate = rate

    def drain(self) -> None:
        """Amazon's bucket is empty (we got a 429): make ours empty too."""
        with self._lock:
            self._refill()
            self._tokens = min(self._tokens, 0.0)


class RateLimiter:
    """One bucket per (region, operation), created from the operation's default plan."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def bucket(self, region: str, op: Operation) -> TokenBucket:
        key = (region, op.name)
        with self._lock:
            if key not in self._buckets:
                self._buckets[key] = TokenBucket(
                    op.rate, op.burst, clock=self._clock, sleep=self._sleep
                )
            return self._buckets[key]


def parse_rate_limit_header(value: str | None) -> float | None:
    """`x-amzn-RateLimit-Limit` carries the applied rate in requests per second."""
    if not value:
        return None
    try:
        rate = float(value.strip())
    except ValueError:
        return None
    return rate if rate > 0 else None
