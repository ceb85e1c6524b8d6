"""`hotglue_compatible`: a job written for hotglue's tap-amazon-seller runs on this tap.

With the setting on, the streams hotglue's tap has are offered under its names, with its
record shapes (streams.py), and a state file hotglue's tap wrote is read (state.py). The
tap's own streams that the hotglue ones are views of stay, unselected by default.
"""

from __future__ import annotations

import typing as t

from tap_amazon_seller.hotglue.streams import VIEWS, HotglueOrders
from tap_amazon_seller.streams.orders import OrdersStream

if t.TYPE_CHECKING:
    from tap_amazon_seller.streams.base import SpApiStream
    from tap_amazon_seller.tap import TapAmazonSeller

#: The tap's streams whose data a hotglue stream carries in its own shape: kept, but not
#: selected by default (a catalog that selects one reads it, from the same calls).
TWINS = (
    "order_items",
    "order_buyer_info",
    "order_address",
    "fba_inventory_summaries",
    "order_financial_events",
)
__all__ = ["TWINS", "VIEWS", "compatible_streams"]


def compatible_streams(tap: TapAmazonSeller, streams: list[SpApiStream]) -> list[SpApiStream]:
    """The tap's streams with hotglue's in place of those of the same name (the tap's own
    `warehouse_inventory`, the MYI report, and `reports`, the getReports list, are then not
    offered: hotglue's names are the FBA inventory summaries and the inventory ledger);
    the twins of hotglue's streams not selected by default."""
    kept = [s for s in streams if s.name not in VIEWS]
    for position, stream in enumerate(kept):
        if stream.parent_stream_type is OrdersStream:
            # singer-sdk finds a child's parent by its exact type: hotglue's `orders` is
            # the parent of the tap's own order streams too.
            kept[position] = stream = _child_of(type(stream), HotglueOrders)(tap=tap)
        if stream.name in TWINS:
            stream.selected_by_default = False
    return kept + [make(tap) for make in VIEWS.values()]


def _child_of(stream_type: type[SpApiStream], parent: type[SpApiStream]) -> type[SpApiStream]:
    return type(stream_type.__name__, (stream_type,), {"parent_stream_type": parent})
