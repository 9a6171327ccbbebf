"""Crafted paging numbers and redirect targets get an answer, never a server error."""

import pytest

from app.models import Role
from tests.conftest import csrf_token


@pytest.mark.parametrize(
    "query",
    [
        "page=100000000000000000000",
        "page=-3",
        "page=0",
        "per_page=0",
        "per_page=-7",
        "per_page=100000000000000000000",
        "page=abc&per_page=xyz",
    ],
)
def test_crafted_paging_on_a_list_is_not_a_server_error(signed_in, query) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = client.get(f"/manage/companies?{query}")
    assert response.status_code in (200, 404), response.status_code


def test_a_page_beyond_the_last_is_an_empty_page_not_an_error(signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = client.get("/manage/companies?page=100000000000000000000")
    assert response.status_code == 404
    assert "页面不存在" in response.text


@pytest.mark.parametrize(
    "target",
    ["/\r\nSet-Cookie: stolen=1", "/timeline\nX: y", "//evil.example/", "https://evil.example/"],
)
def test_the_language_switch_never_redirects_off_site_or_splits_headers(client, target) -> None:
    page = client.get("/auth/login")
    response = client.post(
        "/auth/language",
        data={"locale": "en", "next": target, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]
    assert "stolen" not in response.headers.get("Set-Cookie", "")
