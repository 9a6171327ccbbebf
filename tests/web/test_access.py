"""Who may open which page: anonymous, tenant, another company's tenant, manager, admin."""

import pytest

from app.extensions import db
from app.models import Company, Role, SpaceKind
from tests.fixtures.factories import make_company, make_lease, make_space, make_user


@pytest.fixture
def world(app):
    """Two companies, a lease, a manager and an admin, with ids for the URLs."""
    company = make_company(name="四川越成科技有限公司")
    lease = make_lease(company=company, space=make_space(kind=SpaceKind.OFFICE))
    manager = make_user(role=Role.MANAGER)
    admin = make_user(role=Role.ADMIN)
    tenant = make_user(role=Role.TENANT, company=company)
    db.session.commit()
    return {
        "company": company.id,
        "lease": lease.id,
        "zone": lease.space.zone_id,
        "space": lease.space_id,
        "tenant": tenant.id,
        "manager": manager.id,
        "admin": admin.id,
    }


STAFF_PAGES = [
    "/manage/",
    "/manage/companies",
    "/manage/companies/new",
    "/manage/companies/{company}",
    "/manage/companies/{company}/edit",
    "/manage/people",
    "/manage/people/new",
    "/manage/people/{tenant}/edit",
    "/manage/zones",
    "/manage/zones/{zone}/edit",
    "/manage/spaces",
    "/manage/spaces/new",
    "/manage/spaces/{space}/edit",
    "/manage/leases",
    "/manage/leases/new",
    "/manage/leases/{lease}/edit",
    "/manage/closures",
    "/manage/policies",
]
TENANT_PAGES = ["/company", "/profile", "/auth/password"]


def _client_for(app, signed_in, who: str, world):
    if who == "anonymous":
        return app.test_client()
    if who == "tenant":
        return signed_in(Role.TENANT, company=db.session.get(Company, world["company"]))[0]
    if who == "other tenant":
        return signed_in(Role.TENANT, company=make_company())[0]
    return signed_in(Role(who))[0]


@pytest.mark.parametrize("who", ["anonymous", "tenant", "other tenant", "manager", "admin"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_console_pages(app, signed_in, world, who, path) -> None:
    client = _client_for(app, signed_in, who, world)
    response = client.get(path.format(**world))
    expected = {"anonymous": 302, "tenant": 403, "other tenant": 403, "manager": 200, "admin": 200}
    assert response.status_code == expected[who]
    if who == "anonymous":
        assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("who", ["anonymous", "tenant", "other tenant", "manager", "admin"])
@pytest.mark.parametrize("path", TENANT_PAGES)
def test_personal_pages(app, signed_in, world, who, path) -> None:
    client = _client_for(app, signed_in, who, world)
    response = client.get(path)
    if who == "anonymous":
        assert response.status_code == 302
    elif path == "/company" and who in ("manager", "admin"):
        assert response.status_code == 404  # staff belong to no company
    else:
        assert response.status_code == 200


def test_tenant_sees_only_their_own_company(app, signed_in, world) -> None:
    other = make_company(name="乐山晶硅新材料科技有限公司")
    client, _user = signed_in(Role.TENANT, company=other)
    page = client.get("/company").text
    assert "乐山晶硅新材料科技有限公司" in page
    assert "四川越成科技有限公司" not in page


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("admin", 200)])
def test_only_admins_manage_managers(app, signed_in, world, who, status) -> None:
    client, _user = signed_in(Role(who))
    assert client.get(f"/manage/people/{world['manager']}/edit").status_code == status
    assert client.get(f"/manage/people/{world['admin']}/edit").status_code == status


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_pages_are_a_translated_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<html" in response.text
