"""Sellers API v1 (models/sellers.json): marketplace participations and the account."""

from __future__ import annotations

from sp_api_simulator.server import Request, Response, Simulator, route

# Amazon's "Roles for the Sellers API v1" (NA and EU; FE accepts more roles).
PARTICIPATION_ROLES = ("Product Listing", "Selling Partner Insights")
ACCOUNT_ROLES = ("Account Information Service Provider", "Finance and Accounting")


@route("sellers.getMarketplaceParticipations", PARTICIPATION_ROLES)
def get_marketplace_participations(sim: Simulator, request: Request) -> Response:
    return Response(200, {"payload": sim.data.participations(request.region)})


@route("sellers.getAccount", ACCOUNT_ROLES, regions=("eu",))
def get_account(sim: Simulator, request: Request) -> Response:
    return Response(200, {"payload": sim.data.account(request.region)})
