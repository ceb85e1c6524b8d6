"""Finances v0 and Finances 2024-06-19: event groups, financial events, transactions.

Money stays exact: the client parses every JSON number as a Decimal.
"""

from __future__ import annotations

import hashlib
import json
import typing as t
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, timedelta

from tap_amazon_seller.reports.engine import parse_time
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PagedApiStream, WindowedApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

# Amazon's models: "Orders from the last 48 hours might not be included in financial
# events" (v0), "Financial events might not include orders from the last 48 hours"
# (2024-06-19). Such late ones carry their own posted date, behind the bookmark: each run
# reads the 48 hours behind it again, and records upsert by their keys.
LATE_POSTING = timedelta(hours=48)
FINANCE_ROLE = "Finance and Accounting"
_REGION = {"region": {"type": ["string"]}}


class FinancialEventGroupsStream(PagedApiStream):
    """listFinancialEventGroups per region, incremental on the group's start.

    Groups still Open are read again on later runs until they close: the state keeps
    the start of the earliest open group (`earliest_open_start`), and the next run
    lists from there.
    """

    name = "financial_event_groups"
    primary_keys: t.ClassVar[list[str]] = ["FinancialEventGroupId"]
    replication_key = "FinancialEventGroupStart"
    is_sorted = False
    required_role = FINANCE_ROLE
    per_marketplace = False
    operation = "financesV0.listFinancialEventGroups"
    records_path = ("payload", "FinancialEventGroupList")
    token_path = ("payload", "NextToken")
    token_param = "NextToken"
    schema = model_schema("financesV0.FinancialEventGroup", **_REGION)

    def params(self, context: Context | None) -> dict[str, t.Any]:
        start = self.amazon.settings.start_date
        bookmark = parse_time(self.get_starting_replication_key_value(context))
        if bookmark:
            start = max(start, bookmark)
        earliest_open = parse_time(self.get_context_state(context).get("earliest_open_start"))
        if earliest_open:
            start = min(start, earliest_open)
        return {
            "FinancialEventGroupStartedAfter": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "MaxResultsPerPage": 100,
        }

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        open_starts = []
        for group in super().fetch(client, context):
            if group.get("ProcessingStatus") == "Open" and group.get("FinancialEventGroupStart"):
                open_starts.append(group["FinancialEventGroupStart"])
            yield group
        state = self.get_context_state(context)
        if open_starts:
            state["earliest_open_start"] = min(open_starts)
        else:
            state.pop("earliest_open_start", None)


class FinancialEventsStream(WindowedApiStream):
    """listFinancialEvents over posted-date windows (at most 180 days), one record per event.

    `event_key` is a digest of the event's type and content plus its occurrence within
    the window, so a window read again upserts and two identical events stay two.

    Some event types carry no PostedDate (ServiceFee, DebtRecovery, LoanServicing, ...):
    Amazon returns each in the one window its posting falls in (its Solutions Architects:
    "within ... your postedAfter and postedBefore"), but two identical ones of different
    windows (a monthly subscription fee) have the same content. Their key adds the start of
    the window they were read in: a window read again from the same start (a run resumed
    after a crash, a retried page) gives the same keys, and windows start on UTC midnights
    or at the bookmark, so runs from any start time of a day agree. The re-read behind the
    bookmark is asked apart (`reread_apart`) and skips them: the window that ended at the
    bookmark read them already.
    """

    name = "financial_events"
    primary_keys: t.ClassVar[list[str]] = ["event_key"]
    required_role = FINANCE_ROLE
    per_marketplace = False
    operation = "financesV0.listFinancialEvents"
    token_path = ("payload", "NextToken")
    token_param = "NextToken"
    window_params = ("PostedAfter", "PostedBefore")
    window_days = 179  # "more than 180 days apart: the response is empty"
    lookback = LATE_POSTING
    reread_apart = True
    whole_days = True  # windows start on midnights (or the bookmark): undated events' keys
    records_path = ("payload", "FinancialEvents")
    schema: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "properties": {
            "event_key": {"type": ["string"]},
            "event_type": {"type": ["string"], "description": "ShipmentEvent, RefundEvent, ..."},
            "posted_date": {"type": ["string", "null"], "format": "date-time"},
            "amazon_order_id": {"type": ["string", "null"]},
            "region": {"type": ["string"]},
            "windowEnd": {"type": ["string"], "format": "date-time"},
            "event": {"type": ["object"], "description": "The event as Amazon's model shapes it."},
        },
    }

    def params(self, context: Context | None) -> dict[str, t.Any]:
        return {"MaxResultsPerPage": 100}

    def window_records(
        self,
        client: SpApiClient,
        context: Context | None,
        params: dict[str, t.Any],
        *,
        rereading: bool,
    ) -> Iterable[dict]:
        seen: Counter[str] = Counter()
        for list_name, event in self.window_events(client, params):
            undated = not event.get("PostedDate")
            if undated and rereading:
                continue
            event_type = list_name.removesuffix("List")
            digest = hashlib.sha1(
                f"{client.region}|{event_type}|{json.dumps(event, sort_keys=True, default=str)}".encode()
            ).hexdigest()[:32]
            seen[digest] += 1
            key = f"{digest}:{seen[digest]}"
            if undated:
                key = f"{digest}@{params[self.window_params[0]]}:{seen[digest]}"
            yield {
                "event_key": key,
                "event_type": event_type,
                "posted_date": event.get("PostedDate"),
                "amazon_order_id": event.get("AmazonOrderId"),
                "region": client.region,
                "event": event,
            }

    def window_events(
        self, client: SpApiClient, params: dict[str, t.Any]
    ) -> Iterator[tuple[str, dict]]:
        """(list name, event) of every event of one window, page by page."""
        for page in client.pages(
            self.operation, params=params, token_path=self.token_path, token_param=self.token_param
        ):
            lists = (page.get("payload") or {}).get("FinancialEvents") or {}
            for list_name, events in lists.items():
                if not isinstance(events, list):  # a field Amazon added that is no list
                    continue
                for event in events:
                    if isinstance(event, dict):  # a null in the list is no event
                        yield list_name, event


class FinanceTransactionsStream(WindowedApiStream):
    """Finances 2024-06-19 listTransactions per marketplace over posted-date windows.

    A DEFERRED transaction is released later under the same transactionId: the state
    keeps the posted date of the earliest one still deferred (`earliest_deferred`) and the
    next run reads again from there, so its release upserts it.
    """

    name = "finance_transactions"
    primary_keys: t.ClassVar[list[str]] = ["transactionId"]
    required_role = FINANCE_ROLE
    operation = "finances_2024-06-19.listTransactions"
    records_path = ("payload", "transactions")
    token_path = ("payload", "nextToken")
    window_params = ("postedAfter", "postedBefore")
    window_days = 179
    lookback = LATE_POSTING
    schema = model_schema(
        "finances_2024-06-19.Transaction",
        marketplace_id={"type": ["string"]},
        region={"type": ["string", "null"]},
        windowEnd={"type": ["string"], "format": "date-time"},
    )

    def params(self, context: Context | None) -> dict[str, t.Any]:
        assert context is not None
        return {"marketplaceId": context["marketplace_id"]}

    def window_start(self, context: Context | None) -> t.Any:
        start = super().window_start(context)
        deferred = parse_time(self.get_context_state(context).get("earliest_deferred"))
        return min(start, deferred) if deferred else start

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        deferred = []
        for transaction in super().fetch(client, context):
            if transaction.get("transactionStatus") == "DEFERRED" and transaction.get("postedDate"):
                deferred.append(transaction["postedDate"])
            yield transaction
        state = self.get_context_state(context)
        if deferred:
            state["earliest_deferred"] = min(deferred)
        else:
            state.pop("earliest_deferred", None)


class OrderFinancialEventsStream(FinancialEventsStream):
    """hotglue's `order_financial_events`: the events of each order, grouped from the
    windowed listFinancialEvents call (never one listFinancialEventsByOrderId per order).

    One record per order and UTC day of posting (`amazon_order_id`, `posted_day`), holding
    Amazon's event lists of that order posted that day. Windows are whole days and re-read
    the two days Amazon may show events late, so a day read again is read whole and its
    record replaces the earlier one: no event is lost or counted twice. An order whose
    events were posted on several days (shipped one day, refunded another) has a record
    for each. An order's events without a posted date (some service fees) are gathered
    over the run into one record with `posted_day` "", emitted once at the run's end.
    """

    name = "order_financial_events"
    primary_keys: t.ClassVar[list[str]] = ["amazon_order_id", "posted_day"]
    window_days = 30
    whole_days = True
    reread_apart = False  # a day is read whole; undated events are gathered per run instead
    schema: t.ClassVar[dict[str, t.Any]] = {
        "type": "object",
        "properties": {
            "amazon_order_id": {"type": ["string"]},
            "posted_day": {"type": ["string"], "description": "UTC date (YYYY-MM-DD) or ''."},
            "region": {"type": ["string"]},
            "windowEnd": {"type": ["string"], "format": "date-time"},
            "event_count": {"type": ["integer"]},
            "events": {
                "type": ["object"],
                "description": "Amazon's FinancialEvents lists (ShipmentEventList, ...) for this "
                "order and day.",
            },
        },
    }

    def window_records(
        self,
        client: SpApiClient,
        context: Context | None,
        params: dict[str, t.Any],
        *,
        rereading: bool,
    ) -> Iterable[dict]:
        groups: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._last_window_end = params[self.window_params[1]]
        for list_name, event in self.window_events(client, params):
            order_id = event.get("AmazonOrderId")
            if not order_id:
                continue
            day = _utc_day(event.get("PostedDate"))
            if not day:
                # Undated: gathered over the whole run and emitted once at its end (below).
                self._undated_groups.setdefault(order_id, {}).setdefault(list_name, []).append(
                    event
                )
                continue
            groups.setdefault((order_id, day), {}).setdefault(list_name, []).append(event)
        for (order_id, day), events in groups.items():
            yield self._record(client, order_id, day, events)

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        self._undated_groups: dict[str, dict[str, list[dict]]] = {}
        yield from super().fetch(client, context)
        for order_id, events in self._undated_groups.items():
            # Bookmarked by the run's last window: the run has read them all by then.
            record = self._record(client, order_id, "", events)
            yield {**record, "windowEnd": self._last_window_end}

    @staticmethod
    def _record(
        client: SpApiClient, order_id: str, day: str, events: dict[str, list[dict]]
    ) -> dict:
        return {
            "amazon_order_id": order_id,
            "posted_day": day,
            "region": client.region,
            "event_count": sum(len(v) for v in events.values()),
            "events": events,
        }


def _utc_day(posted: t.Any) -> str:
    """The UTC date of a PostedDate ("" when there is none)."""
    moment = parse_time(str(posted)) if posted else None
    return moment.astimezone(UTC).date().isoformat() if moment else ""
