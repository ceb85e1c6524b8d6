"""`reports`: the metadata of the account's reports, as getReports lists them."""

from __future__ import annotations

import typing as t
from collections.abc import Iterator
from datetime import timedelta

from singer_sdk import typing as th

from tap_amazon_seller import clock
from tap_amazon_seller.reports import planner
from tap_amazon_seller.reports.engine import iso, list_reports, parse_time
from tap_amazon_seller.reports.registry import REPORT_SPECS
from tap_amazon_seller.reports.retirements import Retirement, removal
from tap_amazon_seller.streams.base import SpApiStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient


class ReportListStream(SpApiStream):
    """`reports`: the metadata of the account's reports (getReports), per region.

    Lists the types of `report_types` (default: every type the tap knows), created since
    the bookmark less a day (a report listed while IN_PROGRESS is listed again once DONE
    and upserts by reportId), at most 90 days back as Amazon keeps no older ones.
    """

    name = "reports"
    primary_keys: t.ClassVar[list[str]] = ["reportId"]
    replication_key = "createdTime"
    is_sorted = False
    required_role = "any role that can read reports"
    schema = th.PropertiesList(
        th.Property("reportId", th.StringType, required=True),
        th.Property("region", th.StringType),
        th.Property("reportType", th.StringType),
        th.Property("marketplaceIds", th.ArrayType(th.StringType)),
        th.Property("dataStartTime", th.DateTimeType),
        th.Property("dataEndTime", th.DateTimeType),
        th.Property("reportScheduleId", th.StringType),
        th.Property("createdTime", th.DateTimeType, required=True),
        th.Property("processingStatus", th.StringType),
        th.Property("processingStartTime", th.DateTimeType),
        th.Property("processingEndTime", th.DateTimeType),
        th.Property("reportDocumentId", th.StringType),
    ).to_dict()

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._warned: set[str] = set()

    @property
    def partitions(self) -> list[dict] | None:
        return [{"region": region} for region in self.amazon.settings.regions]

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterator[dict]:
        settings = self.amazon.settings
        since = settings.start_date
        bookmark = parse_time(self.get_starting_replication_key_value(context))
        if bookmark:
            since = max(since, bookmark - timedelta(days=1))
        since = max(since, clock.now() - timedelta(days=planner.LISTING_HORIZON_DAYS - 1))
        given = list(settings.report_types) or sorted(
            {s.report_type for s in REPORT_SPECS} | {t for s in REPORT_SPECS for t in s.also_list}
        )
        # Types Amazon has removed are left out: getReports would refuse the whole call.
        today = clock.today()
        types = [kind for kind in given if not removal(kind, today)]
        for gone in sorted(set(settings.report_types) - set(types) - self._warned):
            self._warned.add(gone)  # once a run, not once a region
            self.logger.warning(
                "reports: %s is not listed: %s. Take it out of report_types.",
                gone,
                t.cast(Retirement, removal(gone, today)).describe(),
            )
        for start in range(0, len(types), 10):
            params = {
                "reportTypes": ",".join(types[start : start + 10]),
                "createdSince": iso(since),
                "pageSize": 100,
            }
            for report in list_reports(client, params):
                yield {**report, "region": client.region}
