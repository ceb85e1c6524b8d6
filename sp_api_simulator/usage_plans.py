"""The usage plans the simulator enforces, as Amazon's servers do: a token bucket per
selling partner, region and operation; a call without a token is answered 429.

Built on the facts of Amazon's models (sp_api_facts), not on the tap's rate limiter: the
tap's buckets wait for a token, these refuse the call, and the two are checked against
each other only because neither borrows the other's code.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cache

from sp_api_facts import usage_plans

# Amazon's models say "see docs" for a few operations (their plans vary by seller): the
# simulator holds them to the lowest plan Amazon documents for such operations.
SEE_DOCS_RATE = 0.5
SEE_DOCS_BURST = 1


@dataclass(frozen=True)
class Operation:
    """One SP-API operation, `<model>.<operationId>`, with its method, path template and
    default usage plan."""

    name: str
    method: str
    path: str
    rate: float
    burst: int


@cache
def operations() -> dict[str, Operation]:
    return {
        name: Operation(
            name=name,
            method=plan["method"],
            path=plan["path"],
            rate=plan["rate"] if plan["rate"] is not None else SEE_DOCS_RATE,
            burst=plan["burst"] if plan["burst"] is not None else SEE_DOCS_BURST,
        )
        for name, plan in usage_plans().items()
    }


class Bucket:
    """Amazon's side of a usage plan: `rate` tokens a second refill it up to `burst`; a
    call takes one or is refused. Timed by the monotonic clock (the plan is real time)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._tokens = float(self.burst)
        self._updated = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Take a token if one is there (True), else refuse (False)."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True
