"""docs/api/openapi.yaml against the live hub (SQLite): schemathesis finds no server error and
no response that breaks the schema; the hub serves the same file at /openapi.yaml."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
import schemathesis
import yaml
from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from hub.seed import DEMO_DESK_TOKEN
from hub.testing import running_hub

SPEC = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SPEC)
REFUSES_VALID_DATA = {"POST /v1/identity/verify", "POST /v1/submissions",
                      "POST /v1/desk/help-requests/{request_id}/acknowledge"}


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory, private_key_file):
    from tests.hub.conftest import TODAY

    with running_hub(data_dir=tmp_path_factory.mktemp("schemathesis"),
                     private_key_path=private_key_file, today=TODAY,
                     open311_posts_per_hour=0) as hub:  # rate limits: test_open311_guard.py
        yield hub


def test_the_hub_serves_this_spec(live_hub):
    response = requests.get(f"{live_hub.url}/openapi.yaml", timeout=30)
    assert response.status_code == 200
    assert response.content == SPEC.read_bytes()
    assert yaml.safe_load(response.text)["openapi"] == "3.1.0"


def schema_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(path, method) of each APIRoute of the app meant for the schema (not the HTML pages)."""
    try:  # FastAPI 0.16x includes routers lazily: their routes are reached through contexts
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes holds the included routes themselves
        found = [(route, route) for route in app.routes]
    else:
        found = [(context.original_route, context)
                 for context in iter_route_contexts(app.routes)]
    return {(where.path, method.lower()) for route, where in found
            if isinstance(route, APIRoute) and where.include_in_schema
            for method in where.methods}


def test_the_spec_covers_every_route_of_the_app(live_hub):
    spec = yaml.safe_load(SPEC.read_text())["paths"]
    served = schema_routes(live_hub.app)  # the demo hub's: /v1/demo/last-code too
    assert ("/v1/usage", "post") in served and ("/usage", "get") not in served
    assert served == {(path, method) for path, methods in spec.items() for method in methods}


@schema.parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_conforms_to_its_schema(case, live_hub):
    # The contract answers some well-formed requests 422 (a wrong code; an envelope that was
    # not sealed to this hub; a helper name with no readable character): random data cannot
    # be "accepted" there, only answered right.
    excluded = [positive_data_acceptance] if case.operation.label in REFUSES_VALID_DATA else []
    if (case.headers and "Idempotency-Key" in case.headers and case.meta
            and case.meta.generation.mode.is_positive):
        case.headers["Idempotency-Key"] = str(uuid.uuid4())  # a new request: a new key
    # Each operation gets the token its security names (a desk's calls the demo desk's), but
    # not a case made to go without one: that one must be refused, not let in by our token.
    needs = case.operation.definition.raw.get("security") or []
    token = DEMO_DESK_TOKEN if any("deskToken" in need for need in needs) else live_hub.token
    headers = ({} if case.operation.schema.is_security_param_negated(case)
               else {"Authorization": f"Bearer {token}"})
    case.call_and_validate(base_url=live_hub.url, excluded_checks=excluded, headers=headers)
