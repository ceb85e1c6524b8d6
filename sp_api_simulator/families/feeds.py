"""Feeds 2021-06-30 (models/feeds_2021-06-30.json): the seller's feeds, read only."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sp_api_simulator import clock
from sp_api_simulator.paging import page_of
from sp_api_simulator.server import Request, Response, Simulator, error_response, route

ROLES = ("Product Listing", "Pricing", "Amazon Fulfillment", "Inventory and Order Tracking")
FEED_TYPES = (
    "JSON_LISTINGS_FEED",
    "POST_PRODUCT_DATA",
    "POST_INVENTORY_AVAILABILITY_DATA",
    "POST_PRODUCT_PRICING_DATA",
)
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")


def feeds_of(sim: Simulator, region: str) -> list[dict[str, Any]]:
    """About one feed a day per participating marketplace over the last 60 days, newest first."""

    def make(_: Simulator) -> list[dict[str, Any]]:
        rng = random.Random(f"{sim.config.seed}:feeds:{region}")
        today = clock.midnight()
        feeds = []
        for profile in sim.data.marketplaces(region):
            if not profile.participating:
                continue
            for day in range(60 * sim.data.scale):
                created = today - timedelta(days=day % 60, seconds=rng.randrange(86400))
                status = (
                    "IN_PROGRESS"
                    if day == 0
                    else rng.choice(("DONE", "DONE", "DONE", "FATAL", "CANCELLED"))
                )
                feed: dict[str, Any] = {
                    "feedId": str(rng.randrange(10**11)),
                    "feedType": rng.choice(FEED_TYPES),
                    "marketplaceIds": [profile.id],
                    "createdTime": created.isoformat().replace("+00:00", "Z"),
                    "processingStatus": status,
                }
                if status != "IN_QUEUE":
                    feed["processingStartTime"] = (
                        (created + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")
                    )
                if status in ("DONE", "FATAL", "CANCELLED"):
                    feed["processingEndTime"] = (
                        (created + timedelta(minutes=3)).isoformat().replace("+00:00", "Z")
                    )
                if status in ("DONE", "FATAL"):
                    feed["resultFeedDocumentId"] = f"amzn1.tortuga.4.{region}.{feed['feedId']}"
                feeds.append(feed)
        return sorted(feeds, key=lambda f: f["createdTime"], reverse=True)

    return sim.family_state(f"feeds:{region}", make)


@route("feeds_2021-06-30.getFeeds", ROLES)
def get_feeds(sim: Simulator, request: Request) -> Response:
    token = request.param("nextToken")
    if token is not None and len(request.query) > 1:
        return error_response(400, "InvalidInput", "nextToken must be the only parameter.")
    if token is None:
        types = request.param_list("feedTypes")
        if not types:
            return error_response(400, "InvalidInput", "feedTypes or nextToken is required.")
        if len(types) > 10:
            return error_response(400, "InvalidInput", "feedTypes takes at most 10 feed types.")
        statuses = request.param_list("processingStatuses")
        if any(s not in STATUSES for s in statuses):
            return error_response(400, "InvalidInput", "Invalid processingStatuses.")
        markets = set(request.param_list("marketplaceIds"))
        try:
            size = int(request.param("pageSize") or 10)
            since = datetime.fromisoformat(
                (request.param("createdSince") or "1970-01-01T00:00:00Z").replace("Z", "+00:00")
            )
            until = datetime.fromisoformat(
                (request.param("createdUntil") or "2999-01-01T00:00:00Z").replace("Z", "+00:00")
            )
        except ValueError:
            return error_response(
                400, "InvalidInput", "Invalid pageSize, createdSince or createdUntil."
            )
        if not 1 <= size <= 100:
            return error_response(400, "InvalidInput", "pageSize must be between 1 and 100.")
        matches = [
            f
            for f in feeds_of(sim, request.region)
            if f["feedType"] in types
            and (not statuses or f["processingStatus"] in statuses)
            and (not markets or markets & set(f["marketplaceIds"]))
            and since <= datetime.fromisoformat(f["createdTime"].replace("Z", "+00:00")) <= until
        ]
        state = sim.family_state("feeds:queries", lambda _: {})
        page, next_token = page_of(sim, "feeds", matches, None, size)
        if next_token:
            state[next_token] = (matches, size)
    else:
        state = sim.family_state("feeds:queries", lambda _: {})
        if token not in state:
            return error_response(400, "InvalidInput", "Invalid nextToken.")
        matches, size = state.pop(token)
        page, next_token = page_of(sim, "feeds", matches, token, size)
        if next_token:
            state[next_token] = (matches, size)
    body: dict[str, Any] = {"feeds": page or []}
    if next_token:
        body["nextToken"] = next_token
    return Response(200, body)
