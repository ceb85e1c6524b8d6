"""Feeds 2021-06-30: the status of the seller's feeds (read only)."""

from __future__ import annotations

import typing as t
from datetime import timedelta

from tap_amazon_seller import clock
from tap_amazon_seller.reports.engine import iso, parse_time
from tap_amazon_seller.schemas import model_schema
from tap_amazon_seller.streams.base import PagedApiStream

if t.TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context

    from tap_amazon_seller.client import SpApiClient

# Amazon keeps feeds for 90 days; the day before the bookmark is read again so a feed
# listed while IN_PROGRESS is listed again once DONE (it upserts by feedId).
FEED_HORIZON = timedelta(days=89)
RE_READ = timedelta(days=1)


class FeedsStream(PagedApiStream):
    """getFeeds per region, incremental on createdTime."""

    name = "feeds"
    primary_keys: t.ClassVar[list[str]] = ["feedId"]
    replication_key = "createdTime"
    is_sorted = False
    required_role = "Product Listing (or any role that submits feeds)"
    per_marketplace = False
    operation = "feeds_2021-06-30.getFeeds"
    records_path = ("feeds",)
    token_alone = True  # Amazon wants nextToken alone on later pages
    schema = model_schema("feeds_2021-06-30.Feed", region={"type": ["string"]})

    def fetch(self, client: SpApiClient, context: Context | None) -> Iterable[dict]:
        since = self.amazon.settings.start_date
        bookmark = parse_time(self.get_starting_replication_key_value(context))
        if bookmark:
            since = max(since, bookmark - RE_READ)
        since = max(since, clock.now() - FEED_HORIZON)
        types = self.amazon.settings.feed_types
        for start in range(0, len(types), 10):  # getFeeds takes ten feed types a call
            query = {
                "feedTypes": ",".join(types[start : start + 10]),
                "createdSince": iso(since),
                "pageSize": 100,
            }
            yield from self.fetch_pages(client, context, query)
