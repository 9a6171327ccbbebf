"""Requests the app refuses before any view: too large (413), for a host it does not serve (400
when TRUSTED_HOSTS is set), with a method the address does not take (405 with Allow)."""

import pytest

from tests.api.conftest import assert_error
from tests.conftest import csrf_token

ELEVEN_MB = 11 * 1024 * 1024


def test_a_form_larger_than_ten_megabytes_gets_413_on_the_apps_page(client) -> None:
    page = client.get("/auth/login").text
    response = client.post(
        "/auth/login",
        data={"email": "a@example.cn", "password": "x" * ELEVEN_MB, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 413
    assert '<html lang="zh-CN">' in response.text
    assert "提交的内容过大。" in response.text


def test_the_limit_is_a_setting(other_app) -> None:
    client = other_app(MAX_CONTENT_LENGTH=2048).test_client()
    response = client.post("/auth/login", data={"email": "a@example.cn", "password": "x" * 4096})
    assert response.status_code == 413


@pytest.fixture
def one_host(other_app):
    return other_app(TRUSTED_HOSTS=["czg.example.cn"]).test_client()


def test_a_forged_host_gets_400_when_trusted_hosts_are_set(one_host) -> None:
    for path in ("/", "/auth/login"):
        refused = one_host.get(path, headers={"Host": "evil.example"})
        assert refused.status_code == 400, path
        assert '<html lang="zh-CN">' in refused.text
        assert "无法处理该请求。" in refused.text
        assert "evil.example" not in refused.text
    posted = one_host.post("/auth/login", headers={"Host": "evil.example"}, data={"email": "x"})
    assert posted.status_code == 400 and "无法处理该请求。" in posted.text  # before the CSRF check
    api = one_host.get("/api/v1/zones", headers={"Host": "evil.example"})
    assert_error(api, 400, "bad_request")


def test_the_trusted_host_is_served_with_or_without_a_port(one_host) -> None:
    assert one_host.get("/auth/login", headers={"Host": "czg.example.cn"}).status_code == 200
    assert one_host.get("/auth/login", headers={"Host": "czg.example.cn:8443"}).status_code == 200
    assert one_host.get("/healthz", headers={"Host": "czg.example.cn"}).status_code == 200


def test_trusted_hosts_from_the_environment_may_be_a_comma_separated_list(other_app) -> None:
    client = other_app(TRUSTED_HOSTS="czg.example.cn, www.czg.example.cn").test_client()
    assert client.get("/auth/login", headers={"Host": "www.czg.example.cn"}).status_code == 200
    assert client.get("/auth/login", headers={"Host": "czg.example.cn"}).status_code == 200
    assert client.get("/auth/login", headers={"Host": "example.cn"}).status_code == 400


def test_without_trusted_hosts_any_host_is_served(client) -> None:
    assert client.get("/auth/login", headers={"Host": "192.168.1.20:5000"}).status_code == 200


def test_a_wrong_method_gets_405_with_allow_on_the_page_and_in_the_api(client) -> None:
    page = client.delete("/auth/login")
    assert page.status_code == 405
    assert set(page.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert "此处不支持该操作。" in page.text

    api = client.delete("/api/v1/zones")
    assert_error(api, 405, "bad_request")
    assert set(api.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
