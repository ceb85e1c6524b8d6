"""Errors the tap raises, each with a message a user can act on (and no secret in it)."""

from __future__ import annotations


class TapError(Exception):
    """Base of the tap's own errors."""


class AuthError(TapError):
    """LWA refused the credentials: retrying cannot help, the settings must change."""


class SpApiError(TapError):
    """SP-API answered an error that retrying cannot fix (or retries ran out)."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        status: int | None = None,
        errors: list[dict] | None = None,
    ) -> None:
        super().__init__(message)
        self.operation = operation
        self.status = status
        self.errors = errors or []

    @property
    def codes(self) -> list[str]:
        return [str(e.get("code")) for e in self.errors if e.get("code")]


class AccessDeniedError(SpApiError):
    """403 that a fresh access token did not cure: the app lacks a role for this operation,
    or the seller has not authorised it in this region/marketplace."""


class AnswerShapeError(SpApiError):
    """A success answer whose envelope is not what Amazon's model says (a records list
    that is a string, a required field missing, an unknown status), after every retry."""


class ThrottledError(SpApiError):
    """Still throttled (429) after every retry."""


class StateError(TapError):
    """The state file given with --state cannot be resumed from."""


class CatalogError(TapError):
    """The --catalog file cannot be used."""
