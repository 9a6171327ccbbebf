"""Who may reach what, beyond the route-by-route table of ``test_authorization_matrix.py``:
a tenant's own company, managers and administrators, and the answers that need no sign-in.
"""

import pytest

from app.extensions import db
from app.models import Role
from tests.fixtures.factories import make_company, make_user


def test_tenant_sees_only_their_own_company(app, signed_in) -> None:
    make_company(name="四川越成科技有限公司")
    other = make_company(name="乐山晶硅新材料科技有限公司")
    client, _user = signed_in(Role.TENANT, company=other)
    page = client.get("/company").text
    assert "乐山晶硅新材料科技有限公司" in page
    assert "四川越成科技有限公司" not in page


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("admin", 200)])
def test_only_admins_manage_managers(app, signed_in, who, status) -> None:
    manager = make_user(role=Role.MANAGER)
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    client, _user = signed_in(Role(who))
    assert client.get(f"/manage/people/{manager.id}/edit").status_code == status
    assert client.get(f"/manage/people/{admin.id}/edit").status_code == status


def test_admins_reach_the_console_like_managers(app, signed_in) -> None:
    client, _user = signed_in(Role.ADMIN)
    for path in ("/manage/", "/manage/approvals", "/manage/people", "/manage/policies"):
        assert client.get(path).status_code == 200


def test_options_is_answered_without_signing_in(client) -> None:
    response = client.options("/manage/companies")
    assert response.status_code == 200
    assert "GET" in response.headers["Allow"]


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_pages_are_a_translated_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<html" in response.text
