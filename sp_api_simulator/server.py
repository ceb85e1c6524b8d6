"""The SP-API simulator's HTTP server: routing, auth, usage plans and fault switches.

Each API family lives in its own module (`sellers.py`, ...) and registers
handlers by operation name (`<model>.<operationId>`, the names of
`sp_api_facts/usage_plans.json`, which are read off Amazon's models), so the paths, the
methods and the default usage plans are Amazon's, not the tap's guesses.

Written on the standard library's http.server so that the simulator needs no
dependency beyond the tap's own and starts in a thread inside a test. It imports nothing
of the tap (tests/test_simulator_package.py holds it to that).
"""

from __future__ import annotations

import json
import logging
import random
import re
import socket
import ssl
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sp_api_simulator import clock, lwa
from sp_api_simulator.data import SellerData
from sp_api_simulator.usage_plans import Bucket, Operation, operations

LOGGER = logging.getLogger("sp_api_simulator")
REGIONS = ("na", "eu", "fe")
LWA_PATH = "/auth/o2/token"
ADMIN_PREFIX = "/_simulator"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    region: str = "na"
    operation: str = ""
    path_params: dict[str, str] = field(default_factory=dict)

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def param_list(self, name: str) -> list[str]:
        """An array parameter, sent as `a,b` (Amazon's csv format) or repeated."""
        return [item for value in self.query.get(name, []) for item in value.split(",") if item]

    def unsimulated(self, refused: frozenset[str]) -> Response | None:
        """A 400 naming the first of `refused` the request carries: parameters of Amazon's
        model the handler does not apply (a filter ignored would answer more than was
        asked). Other unknown parameters are ignored, as Amazon ignores them (clients add
        some, such as python-amazon-sp-api's MarketplaceId)."""
        asked = sorted(refused & set(self.query))
        if not asked:
            return None
        return error_response(
            400,
            "InvalidInput",
            f"The parameter {asked[0]} is not simulated by sp-api-simulator: it would be "
            "ignored, so the answer would not be Amazon's. Leave it out.",
        )

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int
    body: Any = None  # dict/list -> JSON, bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False
    #: Send only this many bytes of the body (after a full Content-Length), then close.
    cut_after: int | None = None


def error_response(status: int, code: str, message: str, details: str = "") -> Response:
    error = {"code": code, "message": message}
    if details:
        error["details"] = details
    return Response(status, {"errors": [error]})


def not_simulated(what: str) -> Response:
    """501 for something of Amazon's the simulator does not serve (an operation, a report
    type): never an answer Amazon could give, so a client cannot take it for a real "no"."""
    return error_response(
        501,
        "NotSimulated",
        f"{what} is not simulated by sp-api-simulator.",
        "Amazon offers more than the simulator serves; see its README for what it does.",
    )


def _misshapen(body: Any) -> Any:
    """The same answer with the wrong shape: strings turned into numbers, anything else
    (lists, objects) into strings."""
    if isinstance(body, dict):
        return {key: 7 if isinstance(value, str) else "unexpected" for key, value in body.items()}
    return "unexpected"


@dataclass
class Faults:
    """Switches for fault-injection tests; all off by default."""

    #: Fraction of SP-API calls answered 500 or 503.
    error_rate: float = 0.0
    #: Fraction of SP-API calls whose connection is closed without an answer.
    drop_rate: float = 0.0
    #: Fraction of SP-API calls answered 429 even with tokens in the bucket.
    throttle_rate: float = 0.0
    #: Seconds added before every SP-API answer.
    latency: float = 0.0
    #: Scripted answers: operation name -> statuses for its next calls, in order.
    script: dict[str, list[int]] = field(default_factory=dict)
    #: Retry-After header (seconds) sent with 429s, if set.
    retry_after: float | None = None
    #: Reports that end FATAL (with an error document) / CANCELLED: "TYPE",
    #: "TYPE@MARKETPLACE" or "TYPE@MARKETPLACE@YYYY-MM-DD" (the report's data start day).
    fatal_report_types: set[str] = field(default_factory=set)
    cancelled_report_types: set[str] = field(default_factory=set)
    #: Fraction of requested reports that end FATAL.
    fatal_rate: float = 0.0
    #: Lifetime of pre-signed document URLs, in simulated seconds (Amazon: 5 minutes).
    url_ttl: float = 300.0
    #: Seconds the document host waits before answering.
    document_latency: float = 0.0
    #: How many of the next document downloads are cut short (a truncated GZIP).
    truncate_documents: int = 0
    #: Reports whose document is cut short at every download ("TYPE", "TYPE@MARKETPLACE" or
    #: "TYPE@MARKETPLACE@YYYY-MM-DD"): each pattern breaks the first report it matches only,
    #: so a report requested again for the same window is whole.
    broken_document_report_types: set[str] = field(default_factory=set)
    #: How many of the next document URLs are refused as expired.
    expire_urls: int = 0
    #: Wrong-shaped success answers: operation name (`orders_2026-01-01.searchOrders`) ->
    #: how many of its next 200s carry a body whose top-level values have the wrong type.
    misshapen: dict[str, int] = field(default_factory=dict)
    #: Answers of an operation served as usual before its `misshapen` ones begin.
    misshapen_after: dict[str, int] = field(default_factory=dict)
    #: includedData values searchOrders refuses with Amazon's generic 400 InvalidInput, as
    #: Amazon did for FULFILLMENT in the FE region in August 2026
    #: (amzn/selling-partner-api-models#5365): "VALUE" or "VALUE@region".
    refused_included_data: set[str] = field(default_factory=set)

    def update(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise ValueError(f"unknown fault switch {key!r}")
            if isinstance(getattr(self, key), set):
                value = set(value)
            setattr(self, key, value)


@dataclass
class SimulatorConfig:
    seed: int = 1
    size: str = "small"
    #: >1 speeds up rate limits (and report delays) by this factor.
    time_scale: float = 1.0
    client_id: str = "amzn1.application-oa2-client.simulator"
    client_secret: str = "amzn1.oa2-cs.v1.simulatorsecret"
    refresh_token: str = "Atzr|simulator-refresh-token"
    #: Lifetime of access tokens, in real seconds.
    token_ttl: float = 3600.0
    #: SP-API roles the simulated app has; None means every role.
    roles: set[str] | None = None
    #: Regions the simulated seller authorised the app in.
    authorized_regions: set[str] = field(default_factory=lambda: set(REGIONS))
    #: Enforce usage plans with 429s (off only for tests that are not about rate limits).
    enforce_rate_limits: bool = True
    #: Simulated seconds a report takes from createReport to DONE (a third of it IN_QUEUE).
    report_seconds: float = 45.0
    #: Smaller pages than Amazon's for every paged operation (tests page through small data).
    page_size: int | None = None
    #: The simulated seller's merchant token (sellerId of the Listings Items API).
    seller_id: str = "A2SIMULATED0SELLER"
    #: Regions where Orders API 2026-01-01 answers (elsewhere searchOrders is a 404, as for an
    #: API version not rolled out there): tests of the tap's fallback to Orders API v0.
    orders_2026_regions: set[str] = field(default_factory=lambda: set(REGIONS))
    #: Merchant-fulfilled orders per marketplace and day (default: a few, by size).
    orders_per_day: int | None = None
    #: The orders stand as they were this many minutes before the simulator started;
    #: later changes come from `mutate_orders` (stamped 3 minutes in the past, so a tap
    #: that reads up to Amazon's two-minute lag sees them at once).
    orders_frozen_minutes: float = 10.0
    #: Amazon: "it may take up to 48 hours for orders to appear in your financial events".
    #: With this, the order events posted in the 48 hours before the simulator
    #: started are held back until `finances.release_late_events` (tests of the tap's
    #: re-reading); without it, every event shows as soon as it is posted.
    late_financial_events: bool = False
    #: Where clients reach the simulator's document host (`https://host[:port]`): the links
    #: getReportDocument gives. None: the address the simulator serves on. Never the
    #: request's Host header, which a client may send for another name.
    public_url: str | None = None


Handler = Callable[["Simulator", Request], Response]
_HANDLERS: dict[str, tuple[frozenset[str], frozenset[str], Handler]] = {}


def route(
    operation_name: str, roles: tuple[str, ...], regions: tuple[str, ...] = REGIONS
) -> Callable[[Handler], Handler]:
    """Register a family module's handler for one operation of Amazon's models.

    `roles`: the app needs at least one of them (Amazon's "Roles for the ... API" tables);
    `regions`: where Amazon offers the operation (elsewhere it answers 403).
    """
    if operation_name not in operations():
        raise KeyError(f"{operation_name} is not an operation of Amazon's models")

    def register(handler: Handler) -> Handler:
        _HANDLERS[operation_name] = (frozenset(roles), frozenset(regions), handler)
        return handler

    return register


def simulated_operations() -> list[str]:
    """Names of the operations the simulator serves (every family module registered)."""
    from sp_api_simulator import families  # noqa: F401  (registers handlers)

    return sorted(_HANDLERS)


def _compile(op: Operation) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(op.path))
    return re.compile(f"^{pattern}$")


class Simulator:
    """An SP-API lookalike: start it, point the tap's api_base_url/lwa_token_url at it."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        from sp_api_simulator import families

        simulated = simulated_operations()
        self.config = config or SimulatorConfig()
        self.data = SellerData(
            seed=self.config.seed,
            size=self.config.size,
            orders_as_of=clock.now() - timedelta(minutes=self.config.orders_frozen_minutes),
            orders_per_day=self.config.orders_per_day,
        )
        self.faults = Faults()
        self.tokens = lwa.TokenStore(self.config)
        self.calls: Counter[str] = Counter()
        #: Of those, the ones answered 429 (a test counting the calls that did work).
        self.throttled: Counter[str] = Counter()
        self.call_log: list[tuple[str, str, int]] = []
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._random = random.Random(self.config.seed)
        self._lock = threading.RLock()
        # The operations served first; then every other operation of Amazon's models, which
        # is answered 501 NotSimulated, so a client tells "not simulated" from Amazon's "no".
        served = [op for op in operations().values() if op.name in simulated]
        others = [op for op in operations().values() if op.name not in simulated]
        self._routes = [(op.method, _compile(op), op.name) for op in served + others]
        self._simulated = frozenset(simulated)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._raw_routes: list[tuple[str, Handler]] = []
        self._family_state: dict[str, Any] = {}
        self.url = ""
        for family in families.MODULES:
            if hasattr(family, "register"):
                family.register(self)

    # -- helpers for the family modules ----------------------------------------------

    def add_raw_route(self, prefix: str, handler: Handler) -> None:
        """Serve paths under `prefix` without SP-API auth or usage plans (e.g. documents)."""
        self._raw_routes.append((prefix, handler))

    def family_state(self, name: str, factory: Callable[[Simulator], Any]) -> Any:
        with self._lock:
            if name not in self._family_state:
                self._family_state[name] = factory(self)
            return self._family_state[name]

    def has_role(self, role: str) -> bool:
        return self.config.roles is None or role in self.config.roles

    def data_marketplace(self, marketplace_id: str) -> Any:
        from sp_api_simulator.data import MARKETPLACES_BY_ID

        return MARKETPLACES_BY_ID.get(marketplace_id)

    def chance(self, rate: float) -> bool:
        return self._chance(rate)

    def count(self, name: str) -> None:
        with self._lock:
            self.calls[name] += 1

    def take_fault(self, name: str) -> bool:
        """Use up one of a counted fault (e.g. truncate_documents); True if there was one."""
        with self._lock:
            left = getattr(self.faults, name)
            if left > 0:
                setattr(self.faults, name, left - 1)
                return True
            return False

    def mutate_orders(self, **kwargs: Any) -> dict[str, list[str]]:
        """New orders, status changes and cancellations, as between two runs of a tap.

        Stamped `at` (default: 3 minutes ago, inside the window a tap may read, and never
        before the previous change); keyword arguments as OrderBook.mutate.
        """
        book = self.data.orders
        at = kwargs.pop("at", None) or clock.now() - timedelta(minutes=3)
        if isinstance(at, str):
            at = datetime.fromisoformat(at.replace("Z", "+00:00"))
        latest = max((o.last_updated for o in book.changed.values()), default=book.as_of)
        at = max(at, latest + timedelta(seconds=1))
        return book.mutate(at.replace(microsecond=0), **kwargs)

    # -- lifecycle -----------------------------------------------------------------

    def start(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> str:
        server = ThreadingHTTPServer((host, port), _make_handler_class(self))
        server.daemon_threads = True
        if tls is not None:
            server.socket = tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://{host}:{server.server_address[1]}"
        return self.url

    @property
    def documents_url(self) -> str:
        """The base of the document links (public_url, else the address served on)."""
        return (self.config.public_url or self.url).rstrip("/")

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[Simulator]:
        self.start(host, port)
        try:
            yield self
        finally:
            self.stop()

    def tap_config(self, **overrides: Any) -> dict[str, Any]:
        """A tap config that points at this simulator with its valid credentials."""
        config: dict[str, Any] = {
            "refresh_token": self.config.refresh_token,
            "lwa_client_id": self.config.client_id,
            "lwa_client_secret": self.config.client_secret,
            "api_base_url": f"{self.url}/{{region}}",
            "lwa_token_url": f"{self.url}{LWA_PATH}",
            "marketplaces": ["US", "CA", "DE", "FR", "GB"],
            # Amazon's default is a poll every 30 s; the simulator's reports are faster.
            "report_poll_interval": 30 / self.config.time_scale,
            "seller_id": self.config.seller_id,
        }
        config.update(overrides)
        return config

    # -- dispatch --------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        if request.path == LWA_PATH and request.method == "POST":
            return self.tokens.handle(request)
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin(request)
        for prefix, raw_handler in self._raw_routes:
            if request.path.startswith(prefix):
                return raw_handler(self, request)
        self._resolve_region(request)
        for method, pattern, name in self._routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                request.operation, request.path_params = name, match.groupdict()
                break
        else:
            return error_response(404, "NotFound", "Resource not found.")
        if request.operation not in self._simulated:
            return not_simulated(f"The operation {request.operation}")
        response = self._serve_operation(request)
        with self._lock:
            self.calls[request.operation] += 1
            self.call_log.append((request.operation, request.region, response.status))
        return response

    def _resolve_region(self, request: Request) -> None:
        """Region from a `/na|/eu|/fe` path prefix (api_base_url with {region}), else the host."""
        head, _, rest = request.path.lstrip("/").partition("/")
        if head in REGIONS:
            request.region, request.path = head, "/" + rest
            return
        host = request.headers.get("host", "")
        request.region = next((r for r in REGIONS if f"-{r}." in host), "na")

    def _serve_operation(self, request: Request) -> Response:
        op = operations()[request.operation]
        roles, regions, handler = _HANDLERS[request.operation]
        if not self.tokens.is_valid(request.headers.get("x-amz-access-token", "")):
            return error_response(
                403,
                "Unauthorized",
                "Access to requested resource is denied.",
                "The access token you provided is revoked, malformed or invalid.",
            )
        if (
            (self.config.roles is not None and not roles & self.config.roles)
            or request.region not in self.config.authorized_regions
            or request.region not in regions
        ):
            return error_response(403, "Unauthorized", "Access to requested resource is denied.")
        scripted = self._scripted_status(request.operation)
        if self.faults.latency:
            time.sleep(self.faults.latency)
        if scripted == 0 or self._chance(self.faults.drop_rate):
            return Response(0, drop_connection=True)
        rate = op.rate * self.config.time_scale
        if (
            scripted == 429
            or self._chance(self.faults.throttle_rate)
            or not self._take_token(request.region, op, rate)
        ):
            with self._lock:
                self.throttled[request.operation] += 1
            return self._throttled(rate)
        if (scripted is not None and scripted >= 500) or self._chance(self.faults.error_rate):
            status = scripted or self._random.choice((500, 503))
            return error_response(status, "InternalFailure", "We encountered an internal error.")
        if scripted is not None and scripted >= 400:
            return error_response(scripted, "InvalidInput", "Scripted client error.")
        response = handler(self, request)
        if response.status < 300 and self._take_misshapen(request.operation):
            response.body = _misshapen(response.body)
        response.headers.setdefault("x-amzn-RateLimit-Limit", f"{rate:g}")
        return response

    def _throttled(self, rate: float) -> Response:
        response = error_response(
            429, "QuotaExceeded", "You exceeded your quota for the requested resource."
        )
        response.headers["x-amzn-RateLimit-Limit"] = f"{rate:g}"
        if self.faults.retry_after is not None:
            response.headers["Retry-After"] = f"{self.faults.retry_after:g}"
        return response

    def _take_misshapen(self, operation_name: str) -> bool:
        with self._lock:
            left = self.faults.misshapen.get(operation_name, 0)
            if left > 0 and self.faults.misshapen_after.get(operation_name, 0) > 0:
                self.faults.misshapen_after[operation_name] -= 1
                return False
            if left > 0:
                self.faults.misshapen[operation_name] = left - 1
            return left > 0

    def _scripted_status(self, operation_name: str) -> int | None:
        with self._lock:
            queue = self.faults.script.get(operation_name)
            return queue.pop(0) if queue else None

    def _chance(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._random.random() < rate

    def _take_token(self, region: str, op: Operation, rate: float) -> bool:
        if not self.config.enforce_rate_limits:
            return True
        with self._lock:
            key = (region, op.name)
            if key not in self._buckets:
                self._buckets[key] = Bucket(rate, op.burst)
            bucket = self._buckets[key]
        return bucket.take()

    # -- admin endpoints, for tests and CI that run the simulator as a process --------

    def _admin(self, request: Request) -> Response:
        action = request.path[len(ADMIN_PREFIX) :].strip("/")
        if action == "calls" and request.method == "GET":
            return Response(200, {"calls": dict(self.calls)})
        if action == "faults" and request.method == "POST":
            try:
                self.faults.update(request.json() or {})
            except ValueError as exc:
                return Response(400, {"error": str(exc)})
            return Response(200, {"faults": self.faults.__dict__})
        if action == "warm-orders" and request.method == "POST":
            # Generate the orders of these marketplaces and days now, not inside a timed call.
            body = request.json() or {}
            now = clock.now()
            days = timedelta(days=int(body.get("days", 30)))
            for marketplace_id in body.get("marketplace_ids") or []:
                self.data.orders.updated_between(marketplace_id, now - days, now)
            return Response(200, {})
        if action == "mutate-orders" and request.method == "POST":
            return Response(200, self.mutate_orders(**(request.json() or {})))
        if action == "expire-tokens" and request.method == "POST":
            self.tokens.expire_all()
            return Response(200, {})
        if action == "revoke-refresh-token" and request.method == "POST":
            self.tokens.revoked = True
            return Response(200, {})
        return Response(404, {"error": f"unknown admin action {action!r}"})


def _json_default(value: Any) -> Any:
    """Decimals (money) as JSON numbers; their shortest float form keeps two-decimal values exact."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def _make_handler_class(simulator: Simulator) -> type[BaseHTTPRequestHandler]:
    class SimulatorRequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "SP-API-Simulator"
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
        # the client's delayed ACK hold every keep-alive answer back by about 40 ms.
        disable_nagle_algorithm = True

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("content-length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            try:
                response = simulator.dispatch(request)
            except Exception:  # a simulator bug must not look like a network fault
                LOGGER.exception("simulator error on %s %s", self.command, parts.path)
                response = error_response(500, "InternalFailure", "Simulator error.")
            if response.drop_connection:
                self.close_connection = True
                self.wfile.flush()
                self.connection.close()
                return
            self._write(response)

        def _write(self, response: Response) -> None:
            body = response.body
            content_type = response.headers.pop("content-type", "application/json")
            if isinstance(body, bytes):
                payload = body
            else:
                payload = json.dumps(
                    body if body is not None else {}, default=_json_default
                ).encode("utf-8")
            self.send_response(response.status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(payload)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            for key, value in response.headers.items():
                self.send_header(key, value)
            self.end_headers()
            if response.cut_after is not None:
                self.wfile.write(payload[: response.cut_after])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            LOGGER.debug("%s - %s", self.address_string(), format % args)

    return SimulatorRequestHandler
