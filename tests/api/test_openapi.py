"""The OpenAPI document matches the routes: every route documented, every documented route real."""

import re
from typing import Any

from tests.api.conftest import assert_error

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def documented_path(rule: str) -> str:
    """``/bookings/<int(max=…):booking_id>`` as OpenAPI writes it: ``/bookings/{booking_id}``."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>:]+)>", r"{\1}", rule)


def routes(app, prefix: str = "/") -> set[tuple[str, str]]:
    return {
        (documented_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(prefix) and rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def test_the_document_is_public_json(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_every_api_route_is_documented_with_its_method(app, client) -> None:
    documented = operations(client.get("/api/v1/openapi.json").get_json())
    missing = routes(app, "/api/v1") - documented
    assert not missing, f"routes missing from openapi.json: {sorted(missing)}"


def test_every_documented_operation_exists(app, client) -> None:
    documented = operations(client.get("/api/v1/openapi.json").get_json())
    stale = documented - routes(app)
    assert not stale, f"openapi.json documents routes that do not exist: {sorted(stale)}"


def test_path_parameters_and_references_are_consistent(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    text = str(document)
    for ref in set(re.findall(r"'\$ref': '#/components/(\w+)/(\w+)'", text)):
        assert ref[1] in document["components"][ref[0]], ref
    for path, item in document["paths"].items():
        for method, operation in item.items():
            in_path = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert in_path == set(re.findall(r"{(\w+)}", path)), (path, method)
            assert any(status.startswith("2") for status in operation["responses"]), path
            if operation.get("security", document["security"]):
                assert "401" in operation["responses"], (path, method)


def test_documented_errors_use_the_error_shape(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "details"]
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(client.delete("/api/v1/bookings"), 405, "bad_request")
