"""The simulator and the shipped usage-plan table must agree with Amazon's models.

Reads ../shared/sp-api/models (tests may; the installed package never does).
Every answer of the simulator is validated against the response schema the model
declares for that operation and status, with `additionalProperties: false` added to
every object, so that the simulator can neither drop a required field nor invent one.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests

from tap_amazon_seller.rate_limits import operations
from tap_amazon_seller.simulator import Simulator
from tap_amazon_seller.simulator.server import simulated_operations
from tests.conftest import shared_models

ROOT = Path(__file__).resolve().parents[1]

# One or more valid requests per simulated operation: (region, path params, query).
# A new simulated operation without an entry here fails test_every_operation_is_covered.
CONFORMANCE_REQUESTS: dict[str, list[tuple[str, dict[str, str], dict[str, Any]]]] = {
    "sellers.getMarketplaceParticipations": [("na", {}, {}), ("eu", {}, {}), ("fe", {}, {})],
    "sellers.getAccount": [("eu", {}, {})],
}


def load_model(name: str) -> dict[str, Any]:
    return json.loads((shared_models() / f"{name}.json").read_text(encoding="utf-8"))


def strict(node: Any) -> Any:
    """A copy of a schema where every object with properties allows no others."""
    if isinstance(node, dict):
        out = {k: strict(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


def response_validator(operation_name: str, status: int) -> jsonschema.Draft4Validator:
    model_name = operation_name.split(".", 1)[0]
    model = load_model(model_name)
    op = operations()[operation_name]
    spec = model["paths"][op.path][op.method.lower()]
    response = spec["responses"].get(str(status))
    assert response is not None, f"{operation_name} has no {status} response in the model"
    schema = {
        "definitions": strict(copy.deepcopy(model["definitions"])),
        **strict(response["schema"]),
    }
    return jsonschema.Draft4Validator(schema)


def call(
    sim: Simulator,
    operation_name: str,
    region: str,
    path_params: dict,
    query: dict,
    token: str | None,
) -> requests.Response:
    op = operations()[operation_name]
    headers = {"x-amz-access-token": token} if token else {}
    return requests.request(
        op.method,
        f"{sim.url}/{region}{op.url_path(path_params)}",
        params=query,
        headers=headers,
        timeout=10,
    )


def access_token(sim: Simulator) -> str:
    answer = requests.post(
        f"{sim.url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": sim.config.refresh_token,
            "client_id": sim.config.client_id,
            "client_secret": sim.config.client_secret,
        },
        timeout=10,
    )
    return answer.json()["access_token"]


def test_usage_plan_table_matches_the_models() -> None:
    spec = importlib.util.spec_from_file_location(
        "update_usage_plans", ROOT / "scripts" / "update_usage_plans.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = json.loads((ROOT / "tap_amazon_seller" / "data" / "usage_plans.json").read_text())
    assert shipped == script.read_usage_plans(shared_models())


def test_every_operation_is_covered() -> None:
    assert set(simulated_operations()) == set(CONFORMANCE_REQUESTS)


@pytest.mark.parametrize(
    ("operation_name", "region", "path_params", "query"),
    [(name, *case) for name, cases in CONFORMANCE_REQUESTS.items() for case in cases],
)
def test_success_answers_match_the_model(
    simulator: Simulator, operation_name: str, region: str, path_params: dict, query: dict
) -> None:
    answer = call(simulator, operation_name, region, path_params, query, access_token(simulator))
    assert answer.status_code == 200, answer.text
    errors = sorted(response_validator(operation_name, 200).iter_errors(answer.json()), key=str)
    assert not errors, "\n".join(e.message for e in errors[:10])
    assert float(answer.headers["x-amzn-RateLimit-Limit"]) > 0


@pytest.mark.parametrize("operation_name", sorted(CONFORMANCE_REQUESTS))
def test_error_answers_match_the_model(simulator: Simulator, operation_name: str) -> None:
    region, path_params, query = CONFORMANCE_REQUESTS[operation_name][0]
    denied = call(simulator, operation_name, region, path_params, query, token="Atza|not-issued")
    assert denied.status_code == 403
    assert not list(response_validator(operation_name, 403).iter_errors(denied.json()))

    simulator.faults.script[operation_name] = [429, 503]
    token = access_token(simulator)
    for status in (429, 503):
        answer = call(simulator, operation_name, region, path_params, query, token)
        assert answer.status_code == status
        assert not list(response_validator(operation_name, status).iter_errors(answer.json()))
        assert answer.json()["errors"][0]["code"] in ("QuotaExceeded", "InternalFailure")
