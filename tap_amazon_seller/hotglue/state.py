"""A state file hotglue's tap wrote, read by this tap (with `hotglue_compatible`).

hotglue's partitions name a marketplace by its country code (`{"marketplace_id": "US"}`)
where this tap names it by Amazon's id and region; the orders' child streams have no
bookmark there (they were read with the orders, up to the orders' bookmark). A bookmark
that cannot be mapped without guessing (one for a whole stream this tap reads per
marketplace, or on another field) is refused before any call, naming what to do.
A state this tap wrote is left as it is.
"""

from __future__ import annotations

import copy
import typing as t
from datetime import UTC, datetime

from singer_sdk.streams import Stream

from tap_amazon_seller.regions import resolve_marketplace

#: The orders' child streams: without their own bookmark they resume where the orders do.
ORDER_PARTS = ("orderitems", "orderbuyerinfo", "orderaddress")
#: The orders' events, a child of orders in hotglue's tap and read by posted date here.
ORDER_EVENTS = "orderfinancialevents"
# What a partition of hotglue's keeps (not the progress keys of a run that stopped).
_BOOKMARK_KEYS = ("replication_key", "replication_key_value")


def _context(context: dict, stream: Stream) -> dict:
    """This tap's partition context for one of hotglue's (one that names a marketplace by
    country code); any other, this tap's own among them, as it is."""
    value = context.get("marketplace_id")
    marketplace = resolve_marketplace(value) if isinstance(value, str) else None
    if marketplace is None or marketplace.id == value:
        return context
    mapped = {"region": marketplace.region, "marketplace_id": marketplace.id}
    keys = stream.state_partitioning_keys
    return {k: v for k, v in mapped.items() if k in keys} if keys else mapped


def _partitions(name: str, entry: dict, stream: Stream, errors: list[str]) -> list[dict]:
    partitions = []
    for partition in entry.get("partitions") or []:
        if not isinstance(partition, dict):
            continue
        context = _context(partition.get("context") or {}, stream)
        key, value = partition.get("replication_key"), partition.get("replication_key_value")
        if value is not None and key != stream.replication_key:
            errors.append(
                f"bookmarks.{name} partition {partition.get('context')}: the bookmark is on "
                f"{key!r}, but this tap's {name} resumes on {stream.replication_key!r}. "
                f"Remove that partition (it then starts at start_date; set start_date to "
                f"{value} to start where it stood)"
            )
            continue
        if context is partition.get("context"):
            partitions.append(partition)  # this tap's own, with all it keeps (pending reports)
            continue
        kept = {k: partition[k] for k in _BOOKMARK_KEYS if partition.get(k) is not None}
        partitions.append({"context": context, **kept})
    return partitions


def _partitioned(stream: Stream) -> bool:
    """Whether the stream keeps its bookmarks per partition (told without a call: its
    partitions may need one, such as the seller's marketplaces)."""
    return stream.parent_stream_type is not None or type(stream).partitions is not Stream.partitions


def from_hotglue(state: dict, streams: t.Mapping[str, Stream]) -> tuple[dict, list[str]]:
    """`state` with hotglue's bookmarks in this tap's terms, and what cannot be mapped."""
    result = copy.deepcopy(state)
    bookmarks = result.get("bookmarks") or {}
    errors: list[str] = []
    for name, entry in bookmarks.items():
        stream = streams.get(name)
        if stream is None or not isinstance(entry, dict):
            continue
        if _partitioned(stream) and entry.get("replication_key_value") is not None:
            errors.append(
                f"bookmarks.{name} is one bookmark for the whole stream "
                f"({entry.get('replication_key')} {entry['replication_key_value']}), but this "
                f"tap keeps one per marketplace and cannot tell which marketplaces it stands "
                f"for. Remove bookmarks.{name} (the stream then starts at start_date; set "
                f"start_date to {entry['replication_key_value']} to start where it stood)"
            )
            continue
        if "partitions" in entry:
            entry["partitions"] = _partitions(name, entry, stream, errors)
    orders = bookmarks.get("orders") or {}
    for part in ORDER_PARTS:
        stream = streams.get(part)
        entry = bookmarks.get(part)
        # hotglue writes `{"partitions": []}` for each of them; this tap's own state has the
        # children's bookmarks, or none for one never read (which then starts at start_date).
        if stream is None or not orders.get("partitions") or entry != {"partitions": []}:
            continue
        keys = stream.state_partitioning_keys
        bookmarks[part] = {
            "partitions": [
                {**p, "context": {k: v for k, v in p["context"].items() if not keys or k in keys}}
                for p in orders["partitions"]
                if p.get("replication_key_value") is not None
            ]
        }
    _seed_order_events(bookmarks, streams)
    return result, errors


def _seed_order_events(bookmarks: dict, streams: t.Mapping[str, Stream]) -> None:
    """hotglue's orderfinancialevents read each order's events when the order was read, so
    it has no bookmark; this tap's reads them by posted date per region. It starts at the
    earliest orders' bookmark of the region: events posted before it were read with their
    orders (the stream re-reads the days behind its bookmark that Amazon posts late)."""
    stream = streams.get(ORDER_EVENTS)
    if stream is None or bookmarks.get(ORDER_EVENTS) != {"partitions": []}:
        return
    earliest: dict[str, datetime | None] = {}
    for partition in (bookmarks.get("orders") or {}).get("partitions") or []:
        region = (partition.get("context") or {}).get("region")
        if not region:
            continue
        moment = _moment(partition.get("replication_key_value"))
        # A region with a marketplace not yet read (or a bookmark not a time) starts at
        # start_date: no later bookmark may stand for it.
        if moment is None or earliest.get(region, moment) is None:
            earliest[region] = None
        else:
            earliest[region] = min(moment, earliest.get(region) or moment)
    bookmarks[ORDER_EVENTS] = {
        "partitions": [
            {
                "context": {"region": region},
                "replication_key": stream.replication_key,
                "replication_key_value": moment.isoformat().replace("+00:00", "Z"),
            }
            for region, moment in sorted(earliest.items())
            if moment is not None
        ]
    }


def _moment(value: t.Any) -> datetime | None:
    """A bookmark's time (hotglue's may lack a zone: singer-sdk wrote UTC)."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
