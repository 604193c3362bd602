"""docs/api/openapi.yaml is the truth: a valid OpenAPI 3.1 document, served by the hub, covering
every route, and the schemathesis CLI (all checks) finds no failure against live hubs on
SQLite and PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import requests
import yaml
from fastapi import FastAPI
from fastapi.routing import APIRoute
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from hub.remote.relay import HOLD_S
from hub.routes.open311 import CONTROL, LIMITS, MEDIA_URL

SPEC = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
MAX_EXAMPLES = 10  # per operation and phase: 10-30 s per database, with the stateful phase


def test_the_spec_is_valid_openapi():
    document, _ = read_from_filename(str(SPEC))
    validate(document)  # raises, naming the place, when it is not

    def walk(node, where: str) -> None:  # a quoted schema ('{type: string}') is valid YAML
        if isinstance(node, dict):
            for name, schema in (node.get("properties") or {}).items():
                assert isinstance(schema, dict), f"{where}.properties.{name} is not a schema"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{where}[{n}]")

    walk(document, "#")


def test_the_open311_form_limits_are_the_servers():
    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    form = schemas["Open311RequestForm"]
    assert form["properties"]["media_url"]["pattern"] == f"^({MEDIA_URL.pattern})?$"
    assert schemas["Open311Text"]["pattern"] == f"^[^{CONTROL.pattern[1:-1]}]*$"
    lengths = {name: schema["maxLength"] for name, schema in form["properties"].items()
               if "maxLength" in schema}
    assert lengths == {name: n for name, n in LIMITS.items() if name != "service_code"}


def test_the_hub_serves_this_spec(shared_hub):
    response = requests.get(f"{shared_hub.url}/openapi.yaml", timeout=30)
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


def test_the_spec_covers_every_route_of_the_app(shared_hub):
    spec = yaml.safe_load(SPEC.read_text())["paths"]
    served = schema_routes(shared_hub.app)  # the demo hub's: /v1/demo/last-code too
    assert ("/v1/usage", "post") in served and ("/usage", "get") not in served
    assert ("/open311/v2/requests.{format}", "get") in served
    assert served == {(path, method) for path, methods in spec.items() for method in methods}


def test_schemathesis_cli_finds_no_failure(shared_hub, tmp_path):
    """The CLI a third party would run, on the shipped file, every check and phase. Tokens
    per security scheme and the few documented refusals of random data: schemathesis.toml."""
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
               str(SPEC), "--url", shared_hub.url, "--checks", "all",
               "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none",
               "--no-color", "--request-timeout", "30"]
    relay = shared_hub.app.state.relay
    relay.hold_s = 1.0  # a live call's long poll ends empty after 1 s, not 20 (schemathesis.toml)
    try:
        run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    finally:
        relay.hold_s = HOLD_S
    output = run.stdout + run.stderr
    summary = re.search(r"Test cases:\s+(\d+) generated", output)
    assert run.returncode == 0 and summary, output[-6000:]
    assert int(summary.group(1)) > 500, output[-3000:]  # it really ran
