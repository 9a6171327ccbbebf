"""The OpenAPI document matches the routes: every route documented, every documented route real."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jsonschema_rs

from app.api.parsing import FIRST_YEAR, LAST_YEAR, MAX_PAGE, MAX_PER_PAGE
from app.models import BookingStatus
from app.render.exports import XLSX_MIMETYPE
from app.sqltypes import utcnow
from tests.api.conftest import (
    Api,
    World,
    assert_error,
    bearer,
    booking_body,
    booking_day,
    insert_booking,
    local,
)

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
    assert document["servers"] == [{"url": "/"}]


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
            if path != "/api/v1/openapi.json":  # everything else reads the database
                assert "503" in operation["responses"], (path, method)


def test_documented_errors_use_the_error_shape(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    error = document["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "details"]
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(client.delete("/api/v1/bookings"), 405, "bad_request")


def test_every_operation_is_named_after_its_view_function(app, client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    views = {
        (documented_path(rule.rule), method.lower()): app.view_functions[rule.endpoint].__name__
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    names = [
        (path, method, operation.get("operationId"))
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert [(path, method, views[path, method]) for path, method, _ in names] == names
    assert len({name for _, _, name in names}) == len(names)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dictionary in a JSON document, depth first."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from walk(child)


def reachable(document: dict[str, Any], schema: Any) -> Iterator[dict[str, Any]]:
    """Every node of ``schema`` and of the component schemas it refers to, each once."""
    seen: set[str] = set()
    todo = [schema]
    while todo:
        for node in walk(todo.pop()):
            yield node
            name = node.get("$ref", "").rpartition("/")[2]
            if name and name not in seen:
                seen.add(name)
                todo.append(document["components"]["schemas"][name])


def test_request_times_are_local_times_not_date_time(client) -> None:
    """A client that validates its requests against the document may send local times."""
    document = client.get("/api/v1/openapi.json").get_json()
    inputs = [
        (path, part.get("schema", part.get("content")))
        for path, item in document["paths"].items()
        for operation in item.values()
        for part in [*operation.get("parameters", []), operation.get("requestBody", {"schema": {}})]
    ]
    patterns = 0
    for path, schema in inputs:
        for node in reachable(document, schema):
            assert node.get("format") != "date-time", (path, node)
            if "pattern" in node:
                patterns += 1
                examples = node.get("examples", []) + [node[k] for k in ["example"] if k in node]
                assert all(re.search(node["pattern"], example) for example in examples), path
    assert patterns >= 10


ACCEPTED = [
    "2026-12-01",
    "2026-12-01T09:00",
    "2026-12-01T09:00:30",
    "2026-12-01T09:00:30.5",
    "2026-12-01T09:00:00+08:00",
    "2026-12-01T01:00:00Z",
    f"{FIRST_YEAR}-01-01",
    f"{LAST_YEAR}-12-31T23:59",
]
REFUSED = [f"{FIRST_YEAR - 1}-12-31", f"{LAST_YEAR + 1}-01-01T00:00", "2026-13-01", "tomorrow"]


def test_the_time_patterns_and_the_api_agree(world: World, client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    moment = schemas["BookingRequest"]["properties"]["start"]["pattern"]
    assert re.search(moment, "2026-12-01T09:00") and not re.search(moment, "2026-12-01")
    for path in ["/api/v1/bookings", "/api/v1/audit", "/api/v1/calendar"]:
        parameters = document["paths"][path]["get"]["parameters"]
        pattern = next(p["schema"]["pattern"] for p in parameters if p["name"] == "from")
        for text in ACCEPTED + REFUSED:
            if path == "/api/v1/calendar" and "T" in text:
                continue  # the calendar takes days
            documented = re.search(pattern, text) is not None
            answer = world.manager.get(path, {"from": text})
            assert documented == (text in ACCEPTED), (path, text)
            assert answer.status_code == (200 if documented else 400), (path, text, answer.text)


def test_paging_bounds_are_the_ones_the_api_keeps(world: World, client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ["/api/v1/bookings", "/api/v1/calendar", "/api/v1/audit"]:
        schemas = {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}
        assert (schemas["page"]["maximum"], schemas["per_page"]["maximum"]) == (
            MAX_PAGE,
            MAX_PER_PAGE,
        )
        last = world.manager.get(path, page=MAX_PAGE, per_page=MAX_PER_PAGE)
        assert last.status_code == 200, last.text
        assert last.get_json()["items"] == []
        assert_error(world.manager.get(path, page=MAX_PAGE + 1), 400, "bad_request")
        assert_error(world.manager.get(path, per_page=0), 400, "bad_request")


def documented_answer(document: dict[str, Any], path: str, method: str, status: int) -> Any:
    answers = document["paths"][path][method]["responses"]
    assert str(status) in answers, f"{method.upper()} {path} does not document {status}"
    answer = answers[str(status)]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].rpartition("/")[2]]
    return answer


def assert_documented(document: dict[str, Any], path: str, method: str, response: Any) -> Any:
    """The status and content type are documented, and a JSON body matches its schema."""
    answer = documented_answer(document, path, method, response.status_code)
    assert response.mimetype in answer["content"], (path, response.mimetype)
    if response.mimetype == "application/json":
        schema = answer["content"]["application/json"]["schema"]
        validator = jsonschema_rs.validator_for(
            {**schema, "components": document["components"]}, validate_formats=True
        )
        errors = [error.message for error in validator.iter_errors(response.get_json())]
        assert not errors, (path, response.status_code, errors)
    return response


def test_real_answers_match_the_documented_schemas(world: World, client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    tenant, manager, day = world.tenant_a, world.manager, booking_day()

    def check(api: Api, method: str, path: str, route: str | None = None, *args: Any) -> Any:
        """The answer to the request, checked against the route's documented answers."""
        response = getattr(api, method)(path, *args)
        return assert_documented(document, route or path, method, response)

    # A booking made with local times without offset, as a client validating requests sends.
    body = booking_body(world.room, day) | {"start": f"{day}T10:00", "end": f"{day}T11:00"}
    made = check(tenant, "post", "/api/v1/bookings", None, body).get_json()
    assert made["start"] == local(day, "10:00")
    series = booking_body(world.room, day, "14:00", "15:00")
    series["recurrence"] = {"freq": "weekly", "count": 2}
    assert len(check(tenant, "post", "/api/v1/bookings", None, series).get_json()["bookings"]) == 2
    assert check(tenant, "post", "/api/v1/bookings", None, body).status_code == 409

    one, booking = "/api/v1/bookings/{booking_id}", f"/api/v1/bookings/{made['id']}"
    listed = check(tenant, "get", "/api/v1/bookings", None, {"from": str(day)})
    assert listed.get_json()["total"] == 3
    assert check(tenant, "get", booking, one).get_json() == made | {"no_show": False}
    assert check(world.tenant_b, "get", booking, one).status_code == 403
    assert check(tenant, "get", "/api/v1/bookings/2147483647", one).status_code == 404
    assert check(tenant, "get", f"{booking}/ics", one + "/ics").mimetype == "text/calendar"
    now = utcnow()
    begun = insert_booking(
        world.approval_room, world.company_b, world.ids["tenant_b"], now - timedelta(hours=1),
        now + timedelta(hours=1), BookingStatus.PENDING,
    )  # fmt: skip
    approve = one + "/approve"
    assert (
        check(manager, "post", f"/api/v1/bookings/{begun.id}/approve", approve).status_code == 422
    )
    assert check(manager, "post", f"{booking}/approve", approve).status_code == 409
    assert check(tenant, "post", f"{booking}/cancel", one + "/cancel", {}).status_code == 200
    assert check(tenant, "post", f"{booking}/check-in", one + "/check-in").status_code == 422

    days = check(tenant, "get", "/api/v1/calendar", None, {"from": str(day), "to": str(day)})
    assert [item["date"] for item in days.get_json()["items"]] == [str(day)]
    assert check(manager, "get", "/api/v1/audit").get_json()["total"] >= 3
    assert check(tenant, "get", "/api/v1/audit").status_code == 403
    for path in ["/api/v1/me", "/api/v1/spaces", "/api/v1/zones"]:
        check(tenant, "get", path)
    availability = f"/api/v1/spaces/{world.room}/availability"
    busy = check(
        world.tenant_b,
        "get",
        availability,
        "/api/v1/spaces/{space_id}/availability",
        {"date": str(day)},
    ).get_json()["busy"]
    assert busy and all("title" not in slot for slot in busy)

    for kind, mimetype in [("csv", "text/csv"), ("xlsx", XLSX_MIMETYPE)]:
        report = client.get(  # read inside the request, as a WSGI server reads a stream
            "/api/v1/reports/bookings.csv",
            query_string={"format": kind},
            headers=bearer(manager.token),
            buffered=True,
        )
        assert assert_documented(document, "/api/v1/reports/bookings.csv", "get", report)
        assert report.mimetype == mimetype
