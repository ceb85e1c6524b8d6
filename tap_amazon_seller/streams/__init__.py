"""The tap's streams, one module per SP-API family."""

from tap_amazon_seller.streams.sellers import AccountStream, MarketplacesStream

STREAM_TYPES = [MarketplacesStream, AccountStream]

__all__ = ["STREAM_TYPES", "AccountStream", "MarketplacesStream"]
