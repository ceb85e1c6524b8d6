"""tap-amazon-seller: settings, shared SP-API clients, and the stream list."""

from __future__ import annotations

import threading
import typing as t
from functools import cached_property

from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError

from tap_amazon_seller import redaction
from tap_amazon_seller.auth import LwaAuth
from tap_amazon_seller.client import SpApiClient
from tap_amazon_seller.rate_limits import RateLimiter
from tap_amazon_seller.settings import (
    CONFIG_SCHEMA,
    Settings,
    SettingsError,
    log_ignored_settings,
    parse_settings,
)
from tap_amazon_seller.streams import STREAM_TYPES
from tap_amazon_seller.streams.base import SpApiStream

redaction.install()


class TapAmazonSeller(Tap):
    """Singer tap for Amazon's Selling Partner API."""

    name = "tap-amazon-seller"
    package_name = "tap-amazon-seller"
    config_jsonschema = CONFIG_SCHEMA

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self._clients: dict[str, SpApiClient] = {}
        self._limiter = RateLimiter()  # one set of buckets for the whole run
        self._lock = threading.Lock()
        self._participations: dict[str, list[dict]] = {}
        super().__init__(*args, **kwargs)

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        errors = super()._validate_config(raise_errors=raise_errors)
        try:
            parse_settings(dict(self.config))
        except SettingsError as exc:
            errors.extend(exc.errors)
            if raise_errors:
                raise ConfigValidationError(
                    "Config validation failed", errors=exc.errors, schema=self.config_jsonschema
                ) from None
        return errors

    @cached_property
    def settings(self) -> Settings:
        try:
            settings = parse_settings(dict(self.config))
        except SettingsError as exc:
            raise ConfigValidationError(
                "Config validation failed", errors=exc.errors, schema=self.config_jsonschema
            ) from None
        log_ignored_settings(settings, self.logger)
        return settings

    @cached_property
    def auth(self) -> LwaAuth:
        s = self.settings
        return LwaAuth(
            client_id=s.lwa_client_id,
            client_secret=s.lwa_client_secret,
            refresh_token=s.refresh_token,
            token_url=s.lwa_token_url,
        )

    def client(self, region: str) -> SpApiClient:
        """The SP-API client of `region`; one per region, sharing one LWA token."""
        with self._lock:
            if region not in self._clients:
                self._clients[region] = SpApiClient(
                    region=region,
                    base_url=self.settings.base_url(region),
                    auth=self.auth,
                    limiter=self._limiter,
                    max_retries=self.settings.max_retries,
                )
            return self._clients[region]

    def participations(self, region: str) -> list[dict]:
        """`getMarketplaceParticipations` of `region`, called at most once per run."""
        if region not in self._participations:
            page = self.client(region).call("sellers.getMarketplaceParticipations")
            payload = page.get("payload")
            self._participations[region] = payload if isinstance(payload, list) else []
        return self._participations[region]

    def discover_streams(self) -> list[SpApiStream]:
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]
