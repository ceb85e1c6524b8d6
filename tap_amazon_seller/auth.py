"""Login with Amazon (LWA): exchange the refresh token for short-lived access tokens.

Written against `requests` rather than python-amazon-sp-api's AccessTokenClient:
that client hard-codes api.amazon.com (the tap must reach a simulator or proxy
through `lwa_token_url`) and keeps its cache in a module-global TTL cache that
cannot be invalidated for one credential when SP-API rejects a token early.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import requests

from tap_amazon_seller import redaction
from tap_amazon_seller.errors import AuthError

if TYPE_CHECKING:
    from tap_amazon_seller.client import SpApiClient

LOGGER = logging.getLogger("tap_amazon_seller.auth")

# Refresh this long before LWA's expiry, so a token never dies in flight.
EXPIRY_MARGIN_SECONDS = 60
_TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


class LwaAuth:
    """Hands out a valid access token; thread-safe; one per set of credentials."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        token_url: str,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = 30.0,
        attempts: int = 4,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self._token_url = token_url
        self._session = session or requests.Session()
        self._clock = clock
        self._timeout = timeout
        self._attempts = max(1, attempts)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.refresh_count = 0
        redaction.register_secret(client_secret)
        redaction.register_secret(refresh_token)

    def access_token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._refresh()
            assert self._token is not None
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget `token` (SP-API said it is expired or invalid) unless already replaced."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _refresh(self) -> None:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self._refresh_token,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        response = None
        for attempt in range(self._attempts):
            try:
                response = self._session.post(self._token_url, data=form, timeout=self._timeout)
            except requests.Timeout:
                failure = f"the LWA token endpoint gave no answer within {self._timeout:g} s"
            except requests.RequestException as exc:
                failure = f"could not reach the LWA token endpoint ({type(exc).__name__})"
            else:
                if response.status_code not in _TRANSIENT_STATUSES:
                    break
                failure = f"the LWA token endpoint answered HTTP {response.status_code}"
            if attempt + 1 == self._attempts:
                raise AuthError(
                    f"LWA token refresh failed: {failure}. Check lwa_token_url and retry."
                )
            time.sleep(min(2**attempt, 10))
        assert response is not None
        payload = _json_or_empty(response)
        if response.status_code != 200 or "access_token" not in payload:
            raise AuthError(_explain_lwa_error(response.status_code, payload))
        token = str(payload["access_token"])
        redaction.register_secret(token)
        lifetime = float(payload.get("expires_in", 3600))
        self._token = token
        self._expires_at = self._clock() + max(lifetime - EXPIRY_MARGIN_SECONDS, lifetime / 2)
        self.refresh_count += 1
        LOGGER.debug("LWA access token refreshed; valid for %.0f s", lifetime)


# The role an app needs for Restricted Data Tokens (buyer and address PII, restricted reports).
PII_ROLE = "Direct-to-Consumer Shipping (restricted)"


class RestrictedDataTokens:
    """Restricted Data Tokens (Tokens API) for PII, one per region and resource, cached.

    One RDT covers a bulk path (e.g. every searchOrders page) for its lifetime, so PII
    costs one createRestrictedDataToken call per region and hour, never one per order.
    """

    OPERATION = "tokens_2021-03-01.createRestrictedDataToken"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}

    def token(
        self, client: SpApiClient, method: str, path: str, data_elements: tuple[str, ...]
    ) -> str:
        """An RDT for `method path` in the client's region; raises SpApiError if refused."""
        key = (client.region, method, path)
        with self._lock:
            cached = self._tokens.get(key)
            if cached and self._clock() < cached[1]:
                return cached[0]
        resource: dict[str, object] = {"method": method, "path": path}
        if data_elements:  # Orders paths name them; a restricted report's document none
            resource["dataElements"] = list(data_elements)
        answer = client.call(self.OPERATION, json_body={"restrictedResources": [resource]})
        token = str(answer["restrictedDataToken"])
        redaction.register_secret(token)
        lifetime = float(answer.get("expiresIn", 3600))
        with self._lock:
            self._tokens[key] = (
                token,
                self._clock() + max(lifetime - EXPIRY_MARGIN_SECONDS, lifetime / 2),
            )
        return token


def _json_or_empty(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _explain_lwa_error(status: int, payload: dict) -> str:
    code = payload.get("error", "")
    description = payload.get("error_description", "")
    said = f" (LWA said {code}: {description})" if code else f" (HTTP {status})"
    if code == "invalid_grant":
        return (
            f"refresh_token is not valid for this LWA client{said}. It was revoked, expired, "
            "or issued to another app: authorise the app again and set the new refresh_token."
        )
    if code in ("invalid_client", "unauthorized_client"):
        return (
            f"lwa_client_id / lwa_client_secret were rejected by LWA{said}. Copy both from your "
            "app's LWA credentials in Seller Central's Developer Central (the secret may have "
            "been rotated)."
        )
    if code == "invalid_request":
        return f"LWA rejected the token request{said}. Check refresh_token and lwa_client_id."
    return f"LWA token refresh failed{said}. Check lwa_token_url and the LWA credentials."
