"""Managers read every change in the audit log as sentences, with filters; nobody can edit it."""

import html
import re
from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import AuditEntry, Role, SpaceKind, Stage
from app.services import audit, policy
from app.services.bookings import approve, cancel
from app.services.closures import add_closure, remove_closure
from app.services.companies import save_company
from app.services.leases import save_lease
from tests.conftest import sign_in
from tests.fixtures.bookings import DAY, NOW, book, hall, local, tenant
from tests.fixtures.factories import make_company, make_space, make_user, make_zone
from tests.fixtures.queries import recorded_statements


@pytest.fixture
def manager(app):
    user = make_user(role=Role.MANAGER, name="王敏")
    db.session.commit()
    return user


@pytest.fixture
def trail(app, manager):
    """A hall request by a tenant of 四川护能, approved by 王敏, then cancelled by the tenant."""
    booker = tenant(name="四川护能科技有限公司")
    booker.name = "李娜"
    space = hall(code="RSH-A", name="多功能路演厅")
    (booking,) = book(booker, space, local(DAY, "14:00"), local(DAY, "16:00"))
    approve(manager, booking, now=NOW)
    cancel(booker, booking, "改期", now=NOW)
    db.session.commit()
    return booking


def manager_client(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    db.session.rollback()
    return client


def sentences(page: str) -> list[str]:
    """The entries' sentences, in page order, without their times and markup."""
    found = re.findall(r'<p class="audit-sentence">(.*?)</p>', page, re.S)
    return [html.unescape(re.sub(r"<time[^>]*>.*?</time>\s*", "", item)).strip() for item in found]


def test_a_bookings_life_reads_newest_first_in_chinese(app, manager, trail) -> None:
    client = manager_client(app, manager)
    page = client.get(f"/manage/audit?object_type=booking&object_id={trail.id}")
    assert page.status_code == 200
    what = "四川护能科技有限公司 的 RSH-A 预订 2026-09-08 14:00–16:00"
    assert sentences(page.text) == [
        f"李娜 取消了 {what}",
        f"王敏 批准了 {what}",
        f"李娜 申请了 {what}",
    ]
    text = html.unescape(page.text)
    assert "状态" in text and "待审批" in text and "已确认" in text and "已取消" in text
    assert "原因：改期" in text
    assert "需管理人员审批" in text  # why the request waited
    assert '{"status"' not in text  # never raw JSON
    assert f"{what} 的变更" in text  # whose history this is


def test_in_english_when_the_reader_chose_english(app, trail) -> None:
    reader = make_user(role=Role.MANAGER, name="Anna", locale="en")
    db.session.commit()
    client = manager_client(app, reader)
    page = client.get(f"/manage/audit?object_type=booking&object_id={trail.id}")
    what = "四川护能科技有限公司's booking of RSH-A, 2026-09-08 14:00–16:00"
    assert sentences(page.text) == [
        f"李娜 cancelled {what}",
        f"王敏 approved {what}",
        f"李娜 requested {what}",
    ]
    text = html.unescape(page.text)
    assert "Pending" in text and "Confirmed" in text and "Reason: 改期" in text


def test_the_booking_pages_link_to_its_history(app, manager, trail) -> None:
    client = manager_client(app, manager)
    link = f"/manage/audit?object_type=booking&amp;object_id={trail.id}"
    assert link in client.get(f"/bookings/{trail.id}").text
    assert link in client.get("/manage/calendar?date=2026-09-08&status=all").text
    tenant_client = app.test_client()
    assert sign_in(tenant_client, trail.user).status_code == 302
    assert "/manage/audit" not in tenant_client.get(f"/bookings/{trail.id}").text


def test_a_tenant_is_refused(app, trail) -> None:
    client = app.test_client()
    assert sign_in(client, trail.user).status_code == 302
    assert client.get("/manage/audit").status_code == 403
    assert "/manage/audit" not in client.get("/").text


def test_the_menu_links_the_log_for_managers(app, manager) -> None:
    page = manager_client(app, manager).get("/manage/audit").text
    assert 'href="/manage/audit">审计日志</a>' in page


def test_nobody_can_change_or_delete_an_entry(app, manager, trail) -> None:
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    client = manager_client(app, manager)
    assert client.post("/manage/audit").status_code in (400, 405)  # CSRF or no such method
    assert client.delete("/manage/audit").status_code == 405


def test_other_changes_read_as_sentences(app, manager) -> None:
    company = make_company(name="乐山晶硅新材料科技有限公司", stage=Stage.INCUBATED)
    save_company(manager, company, name=company.name, uscc=company.uscc, stage=Stage.ACCELERATING)
    office = make_space(kind=SpaceKind.OFFICE, code="INC-101", name="孵化办公室101")
    save_lease(
        manager, None, company=company, space=office, starts_on=date(2026, 1, 1), ends_on=None
    )
    room = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-01", name="会议室一")
    closure = add_closure(
        manager,
        start=local("2026-10-01", "08:00"),
        end=local("2026-10-01", "12:00"),
        reason="设备检修",
        space=room,
    )
    add_closure(
        manager, start=local("2026-10-02"), end=local("2026-10-03"), reason="国庆节", zone=None
    )
    db.session.flush()
    remove_closure(manager, closure)
    policy.save_allowance(manager, Stage.INCUBATED, 600)
    db.session.commit()
    page = manager_client(app, manager).get("/manage/audit")
    assert sentences(page.text) == [
        "王敏 修改了 在孵企业 的每月免费时长",
        "王敏 撤销了关闭：MTG-01 会议室一 2026-10-01 08:00–12:00（设备检修）",
        "王敏 关闭了 整栋楼 2026-10-02 00:00 – 2026-10-03 00:00（国庆节）",
        "王敏 关闭了 MTG-01 会议室一 2026-10-01 08:00–12:00（设备检修）",
        "王敏 新增了 乐山晶硅新材料科技有限公司 的 INC-101 租约",
        "王敏 修改了 乐山晶硅新材料科技有限公司",
    ]
    text = html.unescape(page.text)
    assert re.search(r"阶段</span>\s*<del>在孵企业</del> → <ins>加速企业</ins>", text)
    assert re.search(r"免费时长</span>\s*<del>\d+</del> → <ins>10</ins>", text)
    assert re.search(r"起始日期</span>\s*2026-01-01", text)  # the new lease's first day
    assert "INC-101 孵化办公室101" in text  # its space, by code and name, not by id


def test_the_company_page_shows_and_links_its_history(app, manager) -> None:
    company = make_company(name="四川越成科技有限公司", stage=Stage.INCUBATED)
    save_company(manager, company, name=company.name, uscc=company.uscc, stage=Stage.ACCELERATING)
    db.session.commit()
    page = manager_client(app, manager).get(f"/manage/companies/{company.id}")
    assert f'href="/manage/audit?object_type=company&amp;object_id={company.id}"' in page.text
    assert sentences(page.text) == ["王敏 修改了 四川越成科技有限公司"]
    assert '{"stage"' not in html.unescape(page.text)


def test_edit_pages_link_to_their_history(app, manager) -> None:
    company = make_company()
    office = make_space(kind=SpaceKind.OFFICE)
    lease = save_lease(
        manager, None, company=company, space=office, starts_on=date(2026, 1, 1), ends_on=None
    )
    person = make_user(role=Role.TENANT, company=company)
    db.session.commit()
    client = manager_client(app, manager)
    pages = {
        f"/manage/leases/{lease.id}/edit": f"object_type=lease&amp;object_id={lease.id}",
        f"/manage/spaces/{office.id}/edit": f"object_type=space&amp;object_id={office.id}",
        f"/manage/zones/{office.zone_id}/edit": f"object_type=zone&amp;object_id={office.zone_id}",
        f"/manage/people/{person.id}/edit": f"object_type=user&amp;object_id={person.id}",
    }
    for path, query in pages.items():
        assert f"/manage/audit?{query}" in client.get(path).text, path
    assert (
        f"/manage/audit?actor_id={person.id}" in client.get(f"/manage/people/{person.id}/edit").text
    )


def _entry(actor, action: str, obj, at: datetime, **values) -> AuditEntry:
    entry = audit.record(actor, action, obj, **values)
    entry.at = at
    return entry


def test_filters_by_what_which_who_and_when(app, manager) -> None:
    other = make_user(role=Role.ADMIN, name="刘洋")
    first, second = make_company(name="甲科技有限公司"), make_company(name="乙科技有限公司")
    zone = make_zone(code="MTG", name="会议区")
    _entry(manager, "company.updated", first, local("2026-03-01", "10:00"))
    _entry(other, "company.updated", second, local("2026-03-05", "10:00"))
    _entry(other, "zone.updated", zone, local("2026-03-05", "11:00"))
    db.session.commit()
    client = manager_client(app, manager)

    def shown(query: str) -> list[str]:
        return sentences(client.get(f"/manage/audit?{query}").text)

    everything = shown("")
    assert everything == [
        "刘洋 修改了 区域 MTG 会议区",
        "刘洋 修改了 乙科技有限公司",
        "王敏 修改了 甲科技有限公司",
    ]
    assert shown("object_type=companies") == everything[1:]
    assert shown("object_type=company") == everything[1:]
    assert shown("object_type=zones") == everything[:1]
    assert shown(f"object_type=company&object_id={first.id}") == everything[2:]
    assert shown(f"actor_id={manager.id}") == everything[2:]
    assert shown("from=2026-03-02") == everything[:2]
    assert shown("to=2026-03-01") == everything[2:]
    assert shown("from=2026-03-05&to=2026-03-05&object_type=companies") == everything[1:2]
    assert shown("object_type=leases") == []
    page = client.get(f"/manage/audit?object_type=company&object_id={first.id}").text
    assert "甲科技有限公司 的变更" in page  # the object's history says whose it is
    assert '<option value="companies" selected>' in page


def test_the_list_is_paged(app, manager) -> None:
    company = make_company(name="甲科技有限公司")
    for n in range(3):
        _entry(manager, "company.updated", company, datetime(2026, 3, 1, n, tzinfo=NOW.tzinfo))
    db.session.commit()
    client = manager_client(app, manager)
    page = client.get("/manage/audit?per_page=2").text
    assert len(sentences(page)) == 2
    assert "第 1 页，共 2 页" in page and "共 3 条" in page
    assert len(sentences(client.get("/manage/audit?per_page=2&page=2").text)) == 1


def _fill(manager, count: int, start: int) -> None:
    """``count`` entries about different bookings, companies, leases, spaces and people."""
    zone = make_zone()
    for n in range(start, start + count):
        company = make_company()
        person = make_user(role=Role.TENANT, company=company)
        space = make_space(kind=SpaceKind.MEETING_ROOM, zone=zone)
        office = make_space(kind=SpaceKind.OFFICE, zone=zone)
        kind = n % 5
        if kind == 0:
            (booking,) = book(person, space, local(DAY, "10:00"), local(DAY, "11:00"))
        elif kind == 1:
            save_company(manager, company, name=company.name, uscc=company.uscc, stage=Stage.TEAM)
        elif kind == 2:
            save_lease(
                manager,
                None,
                company=company,
                space=office,
                starts_on=date(2026, 1, 1),
                ends_on=None,
            )
        elif kind == 3:
            audit.record(
                person,
                "space.updated",
                space,
                {"zone_id": zone.id, "capacity": 4},
                {"zone_id": zone.id, "capacity": 8},
            )
        else:
            audit.record(
                manager, "user.updated", person, {"company_id": None}, {"company_id": company.id}
            )
    db.session.commit()


def test_the_page_loads_names_in_bulk(app, manager) -> None:
    client = manager_client(app, manager)

    def queries() -> int:
        with recorded_statements() as statements:
            page = client.get("/manage/audit?per_page=100")
        assert page.status_code == 200
        return len(statements)

    _fill(manager, 25, 0)
    with_25 = queries()
    _fill(manager, 25, 25)
    with_50 = queries()
    assert len(sentences(client.get("/manage/audit?per_page=100").text)) == 50
    assert with_50 == with_25, (with_25, with_50)
    assert with_50 < 25
