"""Tokens API 2021-03-01 (models/tokens_2021-03-01.json): Restricted Data Tokens for PII.

An RDT is issued for up to 50 restricted resources (method, path, dataElements) and
is then used instead of the access token on those paths. Only the Orders paths are
restricted here (the ones the tap reads); an app without a restricted role is refused.
"""

from __future__ import annotations

import re

from sp_api_simulator.server import Request, Response, Simulator, error_response, route

# Amazon: PII needs a restricted role; any role may call the Tokens API itself.
PII_ROLES = ("Direct-to-Consumer Shipping (restricted)", "Tax Invoicing (restricted)")
ANY_ROLE = (
    "Inventory and Order Tracking",
    "Product Listing",
    "Amazon Fulfillment",
    "Finance and Accounting",
    *PII_ROLES,
)
_RESTRICTED = re.compile(
    r"^/orders/(v0|2026-01-01)/orders(/[0-9A-Za-z-]+(/orderItems)?)?$"
    r"|^/reports/2021-06-30/documents/[0-9A-Za-z.-]+$"  # restricted reports' documents
)
DATA_ELEMENTS = frozenset(("buyerInfo", "shippingAddress", "buyerTaxInformation"))


@route("tokens_2021-03-01.createRestrictedDataToken", ANY_ROLE)
def create_restricted_data_token(sim: Simulator, request: Request) -> Response:
    try:
        body = request.json() or {}
    except ValueError:
        return error_response(400, "InvalidInput", "The request body is not JSON.")
    resources = body.get("restrictedResources")
    if not isinstance(resources, list) or not 1 <= len(resources) <= 50:
        return error_response(
            400, "InvalidInput", "restrictedResources must hold 1 to 50 resources."
        )
    granted: dict[tuple[str, str], frozenset[str]] = {}
    for resource in resources:
        method, path = resource.get("method"), resource.get("path")
        if method not in ("GET", "PUT", "POST", "DELETE") or not isinstance(path, str):
            return error_response(400, "InvalidInput", "Each resource needs a method and a path.")
        if not _RESTRICTED.match(path):
            return error_response(400, "InvalidInput", f"{path} is not a restricted resource.")
        elements = frozenset(resource.get("dataElements") or ())
        if elements - DATA_ELEMENTS or (path.startswith("/orders/") and not elements):
            return error_response(
                400,
                "InvalidInput",
                "dataElements must be given for Orders API paths: buyerInfo, shippingAddress, "
                "buyerTaxInformation.",
            )
        granted[(method, path)] = elements
    if not any(sim.has_role(role) for role in PII_ROLES):
        return error_response(
            403,
            "Unauthorized",
            "Access to requested resource is denied.",
            "The application is not authorized for the restricted data requested.",
        )
    token = sim.tokens.issue_restricted(granted)
    return Response(200, {"restrictedDataToken": token, "expiresIn": int(sim.config.token_ttl)})
