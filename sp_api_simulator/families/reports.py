"""Reports API 2021-06-30 (models/reports_2021-06-30.json) and the document host.

Reports go IN_QUEUE -> IN_PROGRESS -> DONE (or CANCELLED when there is no data,
or FATAL) over `report_seconds` of simulated time; documents are GZIP'd, in
each region's charset, behind pre-signed URLs that expire. Settlement reports
are made by "Amazon" every 14 days and can only be listed.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import itertools
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sp_api_simulator import clock

# brand analytics, promotions, coupons (JSON): the options and ranges Amazon refuses
from sp_api_simulator import report_documents_analytics as analytics
from sp_api_simulator.report_documents import (
    RENDERERS,
    SETTLEMENT_TYPE,
    SETTLEMENT_V1_TYPE,
    WINDOWED,
    Rendered,
    marketplace,
    settlement,
    settlement_of,
    settlement_v1,
)
from sp_api_simulator.report_documents_fba import MIN_DATA_RANGE, OPTION_VALUES
from sp_api_simulator.server import (
    Request,
    Response,
    Simulator,
    error_response,
    not_simulated,
    route,
)

DOCUMENTS_PATH = "/_documents/"
#: How Amazon names its report types (GET_MERCHANT_LISTINGS_ALL_DATA).
REPORT_TYPE_NAME = re.compile(r"^GET_[A-Z0-9_]+$")
# Report types Amazon has removed (its deprecation schedule): createReport refuses them
# from that day on, as Amazon does, whatever the simulator could still render.
REMOVED_ON = {
    "GET_FBA_SNS_FORECAST_DATA": datetime(2025, 12, 11, tzinfo=UTC),
    "GET_FBA_SNS_PERFORMANCE_DATA": datetime(2025, 12, 11, tzinfo=UTC),
}
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
# Roles per report type family (Amazon's "Report Type Values" pages list them).
ROLE_OF_TYPE = {
    "GET_MERCHANT_LISTINGS_ALL_DATA": "Product Listing",
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": "Inventory and Order Tracking",
    "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL": "Inventory and Order Tracking",
    "GET_SALES_AND_TRAFFIC_REPORT": "Brand Analytics",
    "GET_VENDOR_SALES_REPORT": "Brand Analytics",
    "GET_VENDOR_INVENTORY_REPORT": "Brand Analytics",
    "GET_VENDOR_TRAFFIC_REPORT": "Brand Analytics",
    "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT": "Brand Analytics",
    "GET_VENDOR_REAL_TIME_SALES_REPORT": "Brand Analytics",
    "GET_VENDOR_REAL_TIME_INVENTORY_REPORT": "Brand Analytics",
    "GET_VENDOR_REAL_TIME_TRAFFIC_REPORT": "Brand Analytics",
    "GET_VENDOR_FORECASTING_REPORT": "Brand Analytics",
    SETTLEMENT_TYPE: "Finance and Accounting",
    SETTLEMENT_V1_TYPE: "Finance and Accounting",
    "GET_MERCHANT_LISTINGS_DATA": "Product Listing",
    "GET_MERCHANT_LISTINGS_DATA_BACK_COMPAT": "Product Listing",
    "GET_MERCHANT_LISTINGS_INACTIVE_DATA": "Product Listing",
    "GET_MERCHANT_CANCELLED_LISTINGS_DATA": "Product Listing",
    "GET_MERCHANTS_LISTINGS_FYP_REPORT": "Product Listing",
    "GET_MERCHANT_LISTINGS_DEFECT_DATA": "Product Listing",
    "GET_SELLER_FEEDBACK_DATA": "Selling Partner Insights",
    "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE": "Inventory and Order Tracking",
    "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING": "Inventory and Order Tracking",
}
ROLE_OF_TYPE.update(analytics.ROLES)  # brand analytics, promotions, coupons
DEFAULT_ROLE = "Amazon Fulfillment"
ANY_REPORT_ROLE = (
    "Amazon Fulfillment",
    "Product Listing",
    "Inventory and Order Tracking",
    "Brand Analytics",
    "Finance and Accounting",
    "Selling Partner Insights",
)

# -- XML reports: their renderers register on import; their roles join the table --------
from sp_api_simulator.report_documents_xml import (  # noqa: E402
    SETTLEMENT_XML_TYPE,
    XML_REPORT_ROLES,
    settlement_xml,
)

ROLE_OF_TYPE.update(XML_REPORT_ROLES)
# "Deprecation Reminders - September 2025": the first settlement flat file and the XML
# were removed on 2026-11-11; settlements made from then on are the _V2 flat file alone.
REMOVED_ON.update(
    dict.fromkeys((SETTLEMENT_V1_TYPE, SETTLEMENT_XML_TYPE), datetime(2026, 11, 11, tzinfo=UTC))
)

SETTLEMENT_DAYS = 14
#: Amazon makes each settlement as these documents, each type until its REMOVED_ON day.
SETTLEMENT_RENDERERS = {
    SETTLEMENT_TYPE: settlement,
    SETTLEMENT_V1_TYPE: settlement_v1,
    SETTLEMENT_XML_TYPE: settlement_xml,
}
RETENTION = timedelta(days=90)
# Data older than this cancels the Sales and Traffic report (Amazon keeps two years).
SALES_TRAFFIC_HISTORY = timedelta(days=730)


@dataclass
class SimReport:
    report_id: str
    report_type: str
    marketplace_ids: list[str]
    created: datetime
    started: float  # monotonic
    outcome: str  # the status it ends in
    data_start: datetime | None = None
    data_end: datetime | None = None
    options: dict[str, str] = field(default_factory=dict)
    document_id: str | None = None

    def status(self, sim: Simulator) -> str:
        elapsed = (time.monotonic() - self.started) * sim.config.time_scale
        total = sim.config.report_seconds
        if elapsed < total / 3:
            return "IN_QUEUE"
        if elapsed < total:
            return "IN_PROGRESS"
        return self.outcome

    def as_model(self, sim: Simulator) -> dict[str, Any]:
        status = self.status(sim)
        body: dict[str, Any] = {
            "reportId": self.report_id,
            "reportType": self.report_type,
            "marketplaceIds": self.marketplace_ids,
            "createdTime": _iso(self.created),
            "processingStatus": status,
        }
        if self.data_start:
            body["dataStartTime"] = _iso(self.data_start)
        if self.data_end:
            body["dataEndTime"] = _iso(self.data_end)
        if status in ("DONE", "FATAL") and self.document_id:
            body["reportDocumentId"] = self.document_id
        if status != "IN_QUEUE":
            body["processingStartTime"] = _iso(self.created)
        if status in ("DONE", "FATAL", "CANCELLED"):
            body["processingEndTime"] = _iso(self.created)
        return body


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# Reports holding buyer PII (Amazon's "restricted reports"): their documents need an RDT.
RESTRICTED_REPORT_TYPES = frozenset(
    (
        "GET_FLAT_FILE_ACTIONABLE_ORDER_DATA_SHIPPING",
        "GET_ORDER_REPORT_DATA_SHIPPING",
        "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_INVOICING",
        "GET_AMAZON_FULFILLED_SHIPMENTS_DATA_TAX",
        "GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING",
        "GET_FLAT_FILE_ORDER_REPORT_DATA_INVOICING",
        "GET_FLAT_FILE_ORDER_REPORT_DATA_TAX",
        "GET_ORDER_REPORT_DATA_INVOICING",
        "GET_ORDER_REPORT_DATA_TAX",
    )
)


class ReportStore:
    """The simulated seller's reports and documents."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.reports: dict[str, SimReport] = {}
        self.documents: dict[str, tuple[bytes, str]] = {}
        self.rendered: dict[str, Rendered] = {}  # document id -> what it holds, for tests
        self.broken: set[str] = set()  # document ids cut short at every download
        self.tokens: dict[str, tuple[list[dict[str, Any]], int, int]] = {}
        self.secret = hashlib.sha256(f"simulator-{sim.config.seed}".encode()).digest()
        self._ids = itertools.count(50_000_000_000 + sim.config.seed * 1000)
        self._lock = threading.Lock()
        #: Per marketplace, where its next settlement period starts (scheduled up to now).
        self._next_settlement: dict[str, datetime] = {}
        self._settling = threading.Lock()  # getReports calls come on several threads

    def next_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def store_document(self, rendered: Rendered, *, gzipped: bool = True) -> str:
        document_id = f"amzn1.spdoc.1.4.na.{self.next_id()}"
        payload, content_type = rendered.encode()
        self.documents[document_id] = (gzip.compress(payload) if gzipped else payload, content_type)
        self.rendered[document_id] = rendered
        return document_id

    def ensure_settlements(self) -> None:
        """Amazon's own settlement reports: one per 14 days per participating marketplace,
        each made a day after its period ends (those the clock has reached since last time)."""
        with self._settling:
            self._schedule_settlements(clock.now())

    def _schedule_settlements(self, now: datetime) -> None:
        anchor = datetime(2026, 1, 1, tzinfo=UTC)
        for profile in self.sim.data.marketplaces():
            if not profile.participating:
                continue
            start = self._next_settlement.get(profile.id, anchor)
            while start + timedelta(days=SETTLEMENT_DAYS + 1) <= now:
                end = start + timedelta(days=SETTLEMENT_DAYS)
                created = end + timedelta(days=1)
                if now - created <= RETENTION:
                    period = settlement_of(self.sim.data, profile, start, end)
                    for report_type, render in SETTLEMENT_RENDERERS.items():
                        removed = REMOVED_ON.get(report_type)
                        if removed and created >= removed:
                            continue
                        rendered = render(period, profile)
                        report = SimReport(
                            report_id=self.next_id(),
                            report_type=report_type,
                            marketplace_ids=[profile.id],
                            created=created,
                            started=0.0,
                            outcome="DONE",
                            data_start=start,
                            data_end=end,
                            document_id=self.store_document(rendered),
                        )
                        self.reports[report.report_id] = report
                start = end
            self._next_settlement[profile.id] = start


def store(sim: Simulator) -> ReportStore:
    return sim.family_state("reports", ReportStore)


@route("reports_2021-06-30.createReport", ANY_REPORT_ROLE)
def create_report(sim: Simulator, request: Request) -> Response:
    body = request.json() or {}
    report_type = body.get("reportType")
    marketplace_ids = body.get("marketplaceIds") or []
    if not isinstance(marketplace_ids, list) or not 1 <= len(marketplace_ids) <= 25:
        return error_response(
            400, "InvalidInput", "marketplaceIds must hold 1 to 25 marketplace ids."
        )
    removed = REMOVED_ON.get(str(report_type))
    if report_type not in RENDERERS or (removed and clock.now() >= removed):
        if report_type in ROLE_OF_TYPE:  # settlements
            return error_response(
                400, "InvalidInput", f"Report type {report_type} cannot be requested."
            )
        if isinstance(report_type, str) and REPORT_TYPE_NAME.match(report_type) and not removed:
            # Written as Amazon writes its types: the simulator cannot tell whether Amazon
            # offers it, only that it does not make it.
            return not_simulated(f"The report type {report_type}")
        return error_response(400, "InvalidInput", f"Invalid reportType {report_type!r}.")
    if not sim.has_role(ROLE_OF_TYPE.get(report_type, DEFAULT_ROLE)):
        return error_response(403, "Unauthorized", "Access to requested resource is denied.")
    for marketplace_id in marketplace_ids:
        profile = sim.data_marketplace(marketplace_id)
        if profile is None or profile.region != request.region:
            return error_response(
                400, "InvalidInput", f"Invalid marketplaceId {marketplace_id} for this region."
            )
    now = clock.now()
    try:
        start = _parse(body.get("dataStartTime"))
        end = _parse(body.get("dataEndTime"))
    except ValueError:
        return error_response(
            400, "InvalidInput", "dataStartTime and dataEndTime must be ISO 8601 date-times."
        )
    if (start and start > now + timedelta(minutes=1)) or (end and end > now + timedelta(minutes=1)):
        return error_response(
            400, "InvalidInput", "dataStartTime and dataEndTime must not be in the future."
        )
    if start and end and start > end:
        return error_response(400, "InvalidInput", "dataStartTime must not be after dataEndTime.")
    # Options Amazon requires (brand analytics, promotions, coupons).
    options = {str(k): str(v) for k, v in (body.get("reportOptions") or {}).items()}
    refused = analytics.refusal(report_type, marketplace_ids, options, now)
    if refused:
        return error_response(400, "InvalidInput", refused)
    # -- FBA flat files (report_documents_fba): option values Amazon accepts --------------
    for option, value in (body.get("reportOptions") or {}).items():
        allowed = OPTION_VALUES.get((report_type, option))
        if allowed is not None and value not in allowed:
            return error_response(
                400,
                "InvalidInput",
                f"Invalid reportOptions value {value!r} for {option}: one of {', '.join(allowed)}.",
            )
    reports = store(sim)
    report = SimReport(
        report_id=reports.next_id(),
        report_type=report_type,
        marketplace_ids=list(marketplace_ids),
        created=now,
        started=time.monotonic(),
        outcome="DONE",
        data_start=start,
        data_end=end,
        options={str(k): str(v) for k, v in (body.get("reportOptions") or {}).items()},
    )
    report.outcome = _decide_outcome(sim, reports, report, now)
    reports.reports[report.report_id] = report
    return Response(202, {"reportId": report.report_id})


def _matches(report: SimReport, patterns: set[str]) -> bool:
    """Fault patterns: "TYPE", "TYPE@MARKETPLACE" or "TYPE@MARKETPLACE@YYYY-MM-DD" (data start)."""
    start = report.data_start.date().isoformat() if report.data_start else ""
    for pattern in patterns:
        parts = pattern.split("@")
        if parts[0] != report.report_type:
            continue
        if len(parts) > 1 and parts[1] not in report.marketplace_ids:
            continue
        if len(parts) > 2 and parts[2] != start:
            continue
        return True
    return False


def _decide_outcome(sim: Simulator, reports: ReportStore, report: SimReport, now: datetime) -> str:
    faults = sim.faults
    if _matches(report, faults.fatal_report_types) or sim.chance(faults.fatal_rate):
        report.document_id = reports.store_document(
            Rendered(
                header=["Error"], rows=[["The report could not be generated (simulated FATAL)."]]
            )
        )
        return "FATAL"
    if _matches(report, faults.cancelled_report_types):
        return "CANCELLED"
    # Ranges Amazon cannot make a report of (brand analytics periods, promotion history).
    fatal = analytics.fatal_reason(
        report.report_type,
        report.marketplace_ids,
        report.data_start,
        report.data_end,
        report.options,
        now,
    )
    if fatal:
        report.document_id = reports.store_document(Rendered(header=["Error"], rows=[[fatal]]))
        return "FATAL"
    # -- FBA flat files (report_documents_fba): reports Amazon makes only for a long range --
    shortest = MIN_DATA_RANGE.get(report.report_type)
    if shortest is not None and (
        not report.data_start
        or not report.data_end
        or report.data_end - report.data_start < shortest
    ):
        report.document_id = reports.store_document(
            Rendered(
                header=["Error"],
                rows=[
                    [
                        f"{report.report_type} needs dataStartTime at least "
                        f"{shortest.total_seconds() / 3600:g} hours before dataEndTime."
                    ]
                ],
            )
        )
        return "FATAL"
    if report.report_type == "GET_SALES_AND_TRAFFIC_REPORT":
        if len(report.marketplace_ids) != 1:
            return "FATAL"
        if report.data_start and report.data_start < now - SALES_TRAFFIC_HISTORY:
            return "CANCELLED"
    profile = marketplace(report.marketplace_ids[0])
    start = report.data_start or now - timedelta(days=30)
    end = report.data_end or now
    rendered = RENDERERS[report.report_type](sim.data, profile, start, end, report.options)
    if rendered.empty and report.report_type in WINDOWED:
        return "CANCELLED"  # Amazon's way of saying "no data" for these types
    report.document_id = reports.store_document(
        rendered, gzipped=report.report_type != "GET_MERCHANT_LISTINGS_ALL_DATA"
    )
    broken = faults.broken_document_report_types
    for pattern in sorted(broken):
        if _matches(report, {pattern}):
            broken.discard(pattern)  # only the first matching report: a new one is whole
            reports.broken.add(report.document_id)
            break
    return "DONE"


@route("reports_2021-06-30.getReport", ANY_REPORT_ROLE)
def get_report(sim: Simulator, request: Request) -> Response:
    report = store(sim).reports.get(request.path_params["reportId"])
    if report is None:
        return error_response(404, "NotFound", "The report was not found.")
    return Response(200, report.as_model(sim))


@route("reports_2021-06-30.getReports", ANY_REPORT_ROLE)
def get_reports(sim: Simulator, request: Request) -> Response:
    reports = store(sim)
    reports.ensure_settlements()
    token = request.param("nextToken")
    if token is not None:
        if len(request.query) > 1:
            return error_response(400, "InvalidInput", "nextToken must be the only parameter.")
        if token not in reports.tokens:
            return error_response(400, "InvalidInput", "Invalid nextToken.")
        matches, offset, page_size = reports.tokens.pop(token)
        return _page(reports, matches, offset, page_size)
    types = request.param_list("reportTypes")
    if not types:
        return error_response(400, "InvalidInput", "reportTypes or nextToken is required.")
    if len(types) > 10:
        return error_response(400, "InvalidInput", "reportTypes takes at most 10 report types.")
    statuses = request.param_list("processingStatuses")
    if any(s not in STATUSES for s in statuses):
        return error_response(400, "InvalidInput", f"Invalid processingStatuses {statuses}.")
    markets = set(request.param_list("marketplaceIds"))
    try:
        page_size = int(request.param("pageSize") or 10)
        since = _parse(request.param("createdSince")) or clock.now() - RETENTION
        until = _parse(request.param("createdUntil")) or clock.now()
    except ValueError:
        return error_response(
            400, "InvalidInput", "Invalid pageSize, createdSince or createdUntil."
        )
    if not 1 <= page_size <= 100:
        return error_response(400, "InvalidInput", "pageSize must be between 1 and 100.")
    matches = []
    for report in sorted(reports.reports.values(), key=lambda r: r.created, reverse=True):
        model = report.as_model(sim)
        if (
            report.report_type in types
            and (not statuses or model["processingStatus"] in statuses)
            and (not markets or markets & set(report.marketplace_ids))
            and since <= report.created <= until
            and sim.data_marketplace(report.marketplace_ids[0]).region == request.region
        ):
            matches.append(model)
    return _page(reports, matches, 0, page_size)


def _page(
    reports: ReportStore, matches: list[dict[str, Any]], offset: int, page_size: int
) -> Response:
    page = matches[offset : offset + page_size]
    body: dict[str, Any] = {"reports": page}
    if offset + page_size < len(matches):
        token = hashlib.sha1(f"{id(matches)}:{offset}:{time.monotonic()}".encode()).hexdigest()
        reports.tokens[token] = (matches, offset + page_size, page_size)
        body["nextToken"] = token
    return Response(200, body)


@route("reports_2021-06-30.getReportDocument", ANY_REPORT_ROLE)
def get_report_document(sim: Simulator, request: Request) -> Response:
    reports = store(sim)
    document_id = request.path_params["reportDocumentId"]
    if document_id not in reports.documents:
        return error_response(404, "NotFound", "The report document was not found.")
    expires = time.monotonic() + sim.faults.url_ttl / sim.config.time_scale
    signature = _sign(reports, document_id, expires)
    url = f"{sim.documents_url}{DOCUMENTS_PATH}{document_id}?" + urlencode(
        {"X-Amz-Expires": f"{expires:.3f}", "X-Amz-Signature": signature}
    )
    body: dict[str, Any] = {"reportDocumentId": document_id, "url": url}
    report_type = next(
        (r.report_type for r in reports.reports.values() if r.document_id == document_id), ""
    )
    if report_type in RESTRICTED_REPORT_TYPES and not sim.tokens.grants(
        request.headers.get("x-amz-access-token", ""), "GET", request.path
    ):
        # Amazon: a restricted report's document is only given for a Restricted Data Token.
        return error_response(
            403,
            "Unauthorized",
            "Access to requested resource is denied.",
            "A restricted report's document needs a Restricted Data Token for its path.",
        )
    payload, _ = reports.documents[document_id]
    if payload[:2] == b"\x1f\x8b":
        body["compressionAlgorithm"] = "GZIP"
    return Response(200, body)


def _sign(reports: ReportStore, document_id: str, expires: float) -> str:
    return hmac.new(
        reports.secret, f"{document_id}:{expires:.3f}".encode(), hashlib.sha256
    ).hexdigest()


def serve_document(sim: Simulator, request: Request) -> Response:
    """The "S3" side: pre-signed, expiring URLs; faults truncate or slow documents."""
    reports = store(sim)
    document_id = request.path[len(DOCUMENTS_PATH) :]
    expires_text = request.param("X-Amz-Expires") or "0"
    signature = request.param("X-Amz-Signature") or ""
    try:
        expires = float(expires_text)
    except ValueError:
        expires = 0.0
    denied = Response(
        403,
        b'<?xml version="1.0"?><Error><Code>AccessDenied</Code>'
        b"<Message>Request has expired</Message></Error>",
        {"content-type": "application/xml"},
    )
    if sim.take_fault("expire_urls"):
        return denied
    if (
        document_id not in reports.documents
        or time.monotonic() > expires
        or not hmac.compare_digest(signature, _sign(reports, document_id, float(f"{expires:.3f}")))
    ):
        return denied
    payload, content_type = reports.documents[document_id]
    sim.count("documentHost.download")
    if sim.faults.document_latency:
        time.sleep(sim.faults.document_latency)
    if document_id in reports.broken or sim.take_fault("truncate_documents"):
        # As a dropped download looks: the full Content-Length, three fifths of the body,
        # then the connection closes.
        return Response(
            200, payload, {"content-type": content_type}, cut_after=max(1, len(payload) * 3 // 5)
        )
    return Response(200, payload, {"content-type": content_type})


def register(sim: Simulator) -> None:
    sim.add_raw_route(DOCUMENTS_PATH, serve_document)
