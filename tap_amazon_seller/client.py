"""The one SP-API HTTP client every stream calls through.

python-amazon-sp-api's clients are bypassed for the HTTP calls themselves: they
retry per call without a shared view of each operation's bucket, do not pace by
`x-amzn-RateLimit-Limit`, and build hosts from a module-level environment
switch, where the tap needs per-region buckets, a shared retry policy and
endpoint overrides (simulator, proxies). Retry timing comes from `backoff`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterator
from decimal import Decimal
from typing import Any

import backoff
import requests

from tap_amazon_seller import __version__, clock, shapes
from tap_amazon_seller.auth import LwaAuth
from tap_amazon_seller.errors import (
    AccessDeniedError,
    AnswerShapeError,
    SpApiError,
    ThrottledError,
)
from tap_amazon_seller.rate_limits import Operation, RateLimiter, operation, parse_rate_limit_header

LOGGER = logging.getLogger("tap_amazon_seller.client")
USER_AGENT = f"tap-amazon-seller/{__version__} (Language=Python)"
_RETRY_STATUSES = {429, 500, 502, 503, 504}


class _Retryable(Exception):
    """A transient failure (429, 5xx, dropped connection) worth another try."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None,
        retry_after: float | None = None,
        errors: list[dict] | None = None,
        misshapen: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.errors = errors or []
        #: A success answer not in the shape of Amazon's model (see shapes.py).
        self.misshapen = misshapen


# Refreshes of the access token for one call refused because of the token itself.
TOKEN_REFRESHES = 3


class _Unauthorized(Exception):
    """403: the access token may have expired early; worth one refresh."""

    def __init__(self, token: str, errors: list[dict]) -> None:
        super().__init__("unauthorized")
        self.token = token
        self.errors = errors


def _retry_waits(factor: float, max_value: float) -> Generator[float, Any, None]:
    """Exponential backoff with full jitter, never shorter than the server's Retry-After.

    `backoff` sends each failure into this generator, which is how Retry-After is honoured.
    """
    exponential = backoff.expo(factor=factor, max_value=max_value)
    next(exponential)  # expo's priming zero
    failure = yield 0.0
    while True:
        delay = backoff.full_jitter(next(exponential))
        retry_after = getattr(failure, "retry_after", None)
        if retry_after:
            delay = max(delay, min(retry_after, max_value))
        failure = yield delay


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, (parsed - clock.now()).total_seconds())


def _error_list(response: requests.Response) -> list[dict]:
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _describe(errors: list[dict]) -> str:
    parts = [
        f"{e.get('code', '?')}: {e.get('message', '')}".strip()
        + (f" ({e['details']})" if e.get("details") else "")
        for e in errors
    ]
    return "; ".join(parts) or "no error body"


class SpApiClient:
    """Calls SP-API operations of one region, inside their usage plans."""

    def __init__(
        self,
        *,
        region: str,
        base_url: str,
        auth: LwaAuth,
        limiter: RateLimiter | None = None,
        max_retries: int = 8,
        session: requests.Session | None = None,
        backoff_factor: float = 1.0,
        max_backoff: float = 60.0,
        timeout: float = 120.0,
    ) -> None:
        self.region = region
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.limiter = limiter or RateLimiter()
        self.max_retries = max_retries
        self.session = session or requests.Session()
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self.timeout = timeout
        # Per operation: calls sent, retries, 429s. Read by the end-of-sync summary.
        self.stats: dict[str, Counter[str]] = defaultdict(Counter)

    def call(
        self,
        operation_name: str,
        *,
        path_params: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        token: Callable[[], str] | None = None,
    ) -> dict[str, Any]:
        """Call one operation and return its JSON body; raise SpApiError when it cannot succeed.

        `token` supplies the access token instead of LWA (a Restricted Data Token for PII).
        """
        op = operation(operation_name)
        url = self.base_url + op.url_path(path_params)
        refreshes = 0
        while True:
            try:
                return self._call_with_retries(op, url, params, json_body, token)
            except _Unauthorized as denied:
                # Amazon says when the access token itself is the problem ("The access token
                # you provided is revoked, malformed or invalid."): a token can expire between
                # its refresh and its use, so that is worth a few refreshes; a 403 without it
                # is a role or an authorisation, and one refresh settles it.
                about_token = "access token" in _describe(denied.errors).lower()
                if refreshes >= (TOKEN_REFRESHES if about_token else 1):
                    raise AccessDeniedError(
                        f"{op.name} was refused in region {self.region} (HTTP 403: "
                        f"{_describe(denied.errors)}) even with a fresh access token: the app "
                        "lacks the role this operation needs, or the seller has not authorised "
                        "it for this region.",
                        operation=op.name,
                        status=403,
                        errors=denied.errors,
                    ) from None
                LOGGER.info(
                    "%s: HTTP 403, refreshing the access token and trying once more", op.name
                )
                self.auth.invalidate(denied.token)
                refreshes += 1

    def pages(
        self,
        operation_name: str,
        *,
        params: dict[str, Any] | None = None,
        path_params: dict[str, str] | None = None,
        token_path: tuple[str, ...] = ("nextToken",),
        token_param: str = "nextToken",
        token_alone: bool = False,
        token: Callable[[], str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every page of a paged operation: the one paginator of all SP-API styles.

        `token_path` is where the next-page token is in an answer (`nextToken`,
        `pagination.nextToken`, `payload.NextToken`, ...), `token_param` the parameter it
        goes back in, and `token_alone` is for operations (getReports, getFeeds) whose
        later pages must carry the token and nothing else.
        """
        query = dict(params or {})
        while True:
            page = self.call(operation_name, path_params=path_params, params=query, token=token)
            yield page
            next_page: Any = page
            for key in token_path:
                next_page = next_page.get(key) if isinstance(next_page, dict) else None
            if not next_page:
                return
            query = {token_param: next_page} if token_alone else {**query, token_param: next_page}

    def _call_with_retries(
        self,
        op: Operation,
        url: str,
        params: dict[str, Any] | None,
        json_body: Any,
        token: Callable[[], str] | None,
    ) -> dict[str, Any]:
        try:
            for attempt in backoff.retry_context(
                _Retryable,
                _retry_waits,
                max_tries=self.max_retries + 1,
                jitter=None,
                on_backoff=lambda details: self._log_backoff(op, details),
                logger=None,
                factor=self.backoff_factor,
                max_value=self.max_backoff,
            ):
                with attempt:
                    return self._send_once(op, url, params, json_body, token)
        except _Retryable as failure:
            if failure.misshapen:
                raise AnswerShapeError(
                    f"{op.name} answered in region {self.region} in a shape Amazon's model does "
                    f"not allow, {self.max_retries + 1} times: {failure}. Its records cannot be "
                    "trusted, so none are read from it (this is never taken as 'no data').",
                    operation=op.name,
                    status=failure.status,
                ) from None
            error_class = ThrottledError if failure.status == 429 else SpApiError
            raise error_class(
                f"{op.name} failed in region {self.region} after {self.max_retries + 1} tries: "
                f"{failure}. Amazon may be degraded; run the tap again later (the bookmark has "
                "not moved past data that was not emitted).",
                operation=op.name,
                status=failure.status,
                errors=failure.errors,
            ) from None
        raise AssertionError("unreachable: retry_context returns or raises")

    def _log_backoff(self, op: Operation, details: dict[str, Any]) -> None:
        self.stats[op.name]["retries"] += 1
        LOGGER.warning(
            "%s: %s; retry %d of %d in %.1f s",
            op.name,
            details["exception"],
            details["tries"],
            self.max_retries,
            details["wait"],
        )

    def _send_once(
        self,
        op: Operation,
        url: str,
        params: dict[str, Any] | None,
        json_body: Any,
        token_source: Callable[[], str] | None,
    ) -> dict[str, Any]:
        bucket = self.limiter.bucket(self.region, op)
        waited = bucket.acquire()
        token = token_source() if token_source else self.auth.access_token()
        headers = {
            "x-amz-access-token": token,
            "x-amz-date": clock.now().strftime("%Y%m%dT%H%M%SZ"),
            "user-agent": USER_AGENT,
            "accept": "application/json",
        }
        started = time.monotonic()
        self.stats[op.name]["calls"] += 1
        try:
            response = self.session.request(
                op.method, url, params=params, json=json_body, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            LOGGER.debug("%s %s -> no answer in %g s", op.method, op.name, self.timeout)
            raise _Retryable(
                f"no answer within request_timeout={self.timeout:g} s", status=None
            ) from None
        except requests.RequestException as exc:
            # Never str(exc): requests puts the URL (and its query) into its messages.
            LOGGER.debug("%s %s -> %s", op.method, op.name, type(exc).__name__)
            raise _Retryable(f"connection failed ({type(exc).__name__})", status=None) from None
        LOGGER.debug(
            "%s %s [%s] -> %d in %.2f s (waited %.2f s for the rate limit)",
            op.method,
            op.name,
            self.region,
            response.status_code,
            time.monotonic() - started,
            waited,
        )
        rate = parse_rate_limit_header(response.headers.get("x-amzn-RateLimit-Limit"))
        if rate is not None:
            bucket.set_rate(rate)
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return {}
            try:
                # Decimals, not floats: money must keep its exact digits.
                body = json.loads(response.content, parse_float=Decimal)
            except ValueError:
                raise _Retryable("answer was not JSON", status=status) from None
            found = shapes.problems(op.name, body)
            if found:
                raise _Retryable("; ".join(found), status=status, misshapen=True)
            return body if isinstance(body, dict) else {"payload": body}
        errors = _error_list(response)
        if status in _RETRY_STATUSES:
            if status == 429:
                self.stats[op.name]["throttled"] += 1
                bucket.drain()
            raise _Retryable(
                f"HTTP {status} ({_describe(errors)})",
                status=status,
                retry_after=_parse_retry_after(response.headers.get("Retry-After")),
                errors=errors,
            )
        if status in (401, 403):
            raise _Unauthorized(token, errors)
        raise SpApiError(
            f"{op.name} was rejected in region {self.region} (HTTP {status}: {_describe(errors)}). "
            "Retrying cannot fix this; check the settings the message names.",
            operation=op.name,
            status=status,
            errors=errors,
        )
