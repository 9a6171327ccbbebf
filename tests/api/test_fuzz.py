"""No input makes the API fail: random JSON and query strings get a 2xx or a 4xx error JSON."""

from datetime import datetime, time, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api, booking_body, booking_day

QUARTER = timedelta(minutes=15)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
moments = (
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
        datetime.isoformat
    )
    | st.dates().map(str)
    | st.sampled_from(["2026-12-01T10:00", "2026-12-01T10:00:00+08:00", "24:00", "T", "Z"])
    | json_values
)
recurrences = st.fixed_dictionaries(
    {},
    optional={
        "freq": st.sampled_from(["daily", "weekly", "monthly"]) | json_values,
        "interval": st.integers(-5, 10**6) | json_values,
        "count": st.integers(-5, 10**9) | json_values,
        "until": moments,
        "weekdays": st.lists(st.integers(-2, 9)) | json_values,
        "exclude": st.lists(moments, max_size=3) | json_values,
    },
)


def near_slot(space_id: int, days: int, quarter: int, quarters: int, extra: dict) -> dict:
    """A request for a slot near the booking day (local times without offset), plus extras."""
    start = datetime.combine(booking_day() + timedelta(days=days), time()) + quarter * QUARTER
    end = start + quarters * QUARTER
    body = {"space_id": space_id, "start": start.isoformat(), "end": end.isoformat()}
    return body | {"title": "周会"} | extra


def booking_bodies(space_id: int) -> st.SearchStrategy[Any]:
    """Bodies shaped like a booking request whose members hold anything."""
    shaped = st.fixed_dictionaries(
        {},
        optional={
            "space_id": st.just(space_id) | st.integers() | json_values,
            "company_id": st.integers(-1, 5) | json_values,
            "start": moments,
            "end": moments,
            "title": st.text(max_size=130) | json_values,
            "attendees": st.integers(-3, 12) | json_values,
            "recurrence": recurrences | json_values,
        },
    )
    near = st.builds(
        near_slot,
        st.just(space_id),
        st.integers(-1, 14),
        st.integers(28, 90),
        st.integers(-1, 18),
        st.fixed_dictionaries(
            {},
            optional={
                "recurrence": st.fixed_dictionaries(
                    {"freq": st.sampled_from(["daily", "weekly"]), "count": st.integers(1, 5)}
                )
                | recurrences,
                "attendees": st.integers(0, 12),
            },
        ),
    )
    return st.one_of(near, near, shaped, json_values)


def assert_answered(response: Any) -> None:
    """Below 500, and any 4xx in the API's error shape."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.get_json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message", "details"}, body
        assert isinstance(body["error"]["details"], dict)


def test_random_booking_requests(world) -> None:
    @FUZZ
    @given(body=booking_bodies(world.room))
    def run(body: Any) -> None:
        response = world.tenant_a.post("/api/v1/bookings", body)
        assert_answered(response)

    run()


def test_random_bytes_as_a_body(world) -> None:
    @FUZZ
    @given(raw=st.binary(max_size=200) | json_values.map(repr))
    def run(raw: bytes | str) -> None:
        assert_answered(world.tenant_a.post_data("/api/v1/bookings", raw))

    run()


def test_random_cancel_and_reject_bodies(world) -> None:
    day = booking_day()
    confirmed = world.tenant_a.post("/api/v1/bookings", booking_body(world.room, day)).get_json()
    pending = world.tenant_a.post(
        "/api/v1/bookings", booking_body(world.approval_room, day)
    ).get_json()
    bodies = (
        st.fixed_dictionaries(
            {},
            optional={
                "reason": st.text(max_size=20) | json_values,
                "scope": st.sampled_from(["this", "following", "series", "all"]) | json_values,
            },
        )
        | json_values
    )

    @FUZZ
    @given(body=bodies, who=st.sampled_from(["tenant_a", "tenant_b", "manager"]))
    def run(body: Any, who: str) -> None:
        api: Api = getattr(world, who)
        assert_answered(api.post(f"/api/v1/bookings/{confirmed['id']}/cancel", body))
        assert_answered(api.post(f"/api/v1/bookings/{pending['id']}/reject", body))

    run()


def test_random_token_requests(client, world) -> None:
    bodies = (
        st.fixed_dictionaries(
            {},
            optional={"email": json_values, "password": json_values, "name": json_values},
        )
        | json_values
    )

    @settings(FUZZ, max_examples=30)
    @given(body=bodies)
    def run(body: Any) -> None:
        assert_answered(client.post("/api/v1/auth/token", json=body))

    run()


QUERY_KEYS = ["page", "per_page", "from", "to", "space_id", "status", "zone", "bookable", "date"]


def test_random_query_strings(world) -> None:
    paths = [
        "/api/v1/me",
        "/api/v1/zones",
        "/api/v1/spaces",
        f"/api/v1/spaces/{world.room}/availability",
        "/api/v1/bookings",
        "/api/v1/openapi.json",
    ]
    values = st.text(max_size=30) | st.integers().map(str) | moments.map(str)

    @FUZZ
    @given(
        path=st.sampled_from(paths),
        query=st.dictionaries(st.sampled_from(QUERY_KEYS) | st.text(max_size=5), values),
    )
    def run(path: str, query: dict[str, str]) -> None:
        response = world.manager.get(path, query)
        assert_answered(response)

    run()
