"""The simulator's Login with Amazon token endpoint and the access tokens it issued."""

from __future__ import annotations

import secrets
import threading
import time
import typing as t
from urllib.parse import parse_qs

if t.TYPE_CHECKING:
    from sp_api_simulator.server import Request, Response, SimulatorConfig


class TokenStore:
    """Issues `Atza|...` access tokens for the one valid credential set, and checks them."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.revoked = False  # the seller revoked the app's authorisation
        self.issued = 0
        self.issued_tokens: list[str] = []
        self._expiry: dict[str, float] = {}
        #: Restricted Data Tokens: token -> {(method, path): data elements granted}.
        self.restricted: dict[str, dict[tuple[str, str], frozenset[str]]] = {}
        self.rdts_issued = 0
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        from sp_api_simulator.server import Response

        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8")).items()}
        if form.get("grant_type") != "refresh_token":
            return Response(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "The authorization grant type is not supported",
                },
            )
        if (
            form.get("client_id") != self.config.client_id
            or form.get("client_secret") != self.config.client_secret
        ):
            return Response(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        if self.revoked or form.get("refresh_token") != self.config.refresh_token:
            return Response(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "The request has an invalid grant parameter : refresh_token",
                },
            )
        token = "Atza|" + secrets.token_urlsafe(24)
        with self._lock:
            self._expiry[token] = time.monotonic() + self.config.token_ttl
            self.issued += 1
            self.issued_tokens.append(token)
        return Response(
            200,
            {
                "access_token": token,
                "refresh_token": self.config.refresh_token,
                "token_type": "bearer",
                "expires_in": int(self.config.token_ttl),
            },
        )

    def issue_restricted(self, resources: dict[tuple[str, str], frozenset[str]]) -> str:
        """A Restricted Data Token for `resources`; it lives as long as an access token."""
        token = "Atz.sprdt|" + secrets.token_urlsafe(24)
        with self._lock:
            self._expiry[token] = time.monotonic() + self.config.token_ttl
            self.restricted[token] = resources
            self.rdts_issued += 1
            self.issued_tokens.append(token)
        return token

    def restricted_elements(self, token: str, method: str, path: str) -> frozenset[str]:
        """The PII data elements `token` grants for `method path` (none for a plain token).

        A resource path may name one order (`/orders/v0/orders/123-...`) or the bulk
        operation (`/orders/v0/orders`); an RDT for a bulk path covers that path only.
        """
        if not self.is_valid(token):
            return frozenset()
        with self._lock:
            return self.restricted.get(token, {}).get((method, path), frozenset())

    def grants(self, token: str, method: str, path: str) -> bool:
        """Whether `token` is a valid Restricted Data Token for `method path`."""
        if not self.is_valid(token):
            return False
        with self._lock:
            return (method, path) in self.restricted.get(token, {})

    def is_valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._expiry.get(token)
        return expiry is not None and time.monotonic() < expiry

    def expire_all(self) -> None:
        """Make every issued token expire now, as if a long sync outlived them."""
        with self._lock:
            self._expiry = dict.fromkeys(self._expiry, 0.0)
