"""Each kind of audit entry reads as a sentence, with labelled, formatted changes."""

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.manage.audit_texts import AuditLine, Change, describe_entries
from app.models import AuditEntry, Role, SpaceKind, Stage
from app.services import audit, policy, tokens
from app.services.audit_log import load_context
from app.services.leases import save_lease
from app.services.policy import KindLimits
from app.services.users import change_password, save_user
from tests.fixtures.factories import PASSWORD, make_company, make_space, make_user


@pytest.fixture
def manager(app):
    return make_user(role=Role.MANAGER, name="王敏")


def read(*entries: AuditEntry, locale: str = "zh_CN") -> list[AuditLine]:
    db.session.flush()
    with force_locale(locale):
        return describe_entries(list(entries), load_context(list(entries)), locale)


def latest() -> AuditEntry:
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()


def test_a_policy_change_in_hours_and_words(manager) -> None:
    policy.save_limits(manager, SpaceKind.MEETING_ROOM, KindLimits(180, 30, 0, True, True))
    (line,) = read(latest())
    assert line.sentence == "王敏 修改了 会议室 的预订限制"
    assert line.changes == [
        Change("单次最长预订时长（小时）", "4", "3"),
        Change("最多可提前预订（天）", "60", "30"),
    ]
    assert line.note == ""


def test_a_new_person_with_company_role_and_language(manager) -> None:
    company = make_company(name="四川越成科技有限公司")
    save_user(
        manager,
        None,
        email="zhang@example.cn",
        name="张伟",
        role=Role.TENANT,
        company=company,
        locale="en",
        password=PASSWORD,
    )
    (line,) = read(latest())
    assert line.sentence == "王敏 新增了 张伟"
    assert Change("企业", None, "四川越成科技有限公司") in line.changes
    assert Change("角色", None, "租户") in line.changes
    assert Change("语言", None, "English") in line.changes
    assert Change("可登录", None, "是") in line.changes
    (english,) = read(latest(), locale="en")
    assert english.sentence == "王敏 added 张伟"
    assert Change("Can sign in", None, "yes") in english.changes


def test_a_password_change_shows_no_secret(manager) -> None:
    change_password(manager, PASSWORD, "another-horse-10", None)
    (line,) = read(latest())
    assert line.sentence == "王敏 修改了 王敏 的密码"
    assert line.changes == []


def test_a_token_and_a_space_change(manager) -> None:
    tokens.issue_token(manager, "门禁系统")
    token_entry = latest()
    space = make_space(kind=SpaceKind.MEETING_ROOM, code="MTG-02", name="会议室二")
    before = audit.snapshot(space, ["capacity", "equipment", "bookable"])
    space.capacity, space.equipment = 20, ["投影仪", "白板"]
    audit.record(manager, "space.updated", space, before, audit.snapshot(space, list(before)))
    space_entry = latest()
    space_line, token_line = read(space_entry, token_entry)
    assert token_line.sentence == "王敏 创建了 王敏 的 API 令牌“门禁系统”"
    assert space_line.sentence == "王敏 修改了 MTG-02 会议室二"
    assert space_line.changes == [
        Change("座位数", "10", "20"),
        Change("设备", "—", "投影仪, 白板"),
    ]


def test_a_working_calendar_day(manager) -> None:
    entry = AuditEntry(
        actor=manager,
        action="calendar.set",
        object_type="calendarday",
        object_id=20261010,
        before={"working": False, "name": ""},
        after={"working": True, "name": "国庆节调休上班"},
    )
    db.session.add(entry)
    (line,) = read(entry)
    assert line.sentence == "王敏 设置了 工作日历 2026-10-10"
    assert line.changes == [Change("是否工作日", "否", "是"), Change("名称", "—", "国庆节调休上班")]
    cleared = AuditEntry(
        action="calendar.cleared",
        object_type="calendarday",
        object_id=20261010,
        before={"day": "2026-10-10", "working": True},
    )
    db.session.add(cleared)
    (line,) = read(cleared, locale="en")
    assert (
        line.sentence == "system cleared the manual setting of the working calendar on 2026-10-10"
    )
    assert line.changes == [
        Change("Date", "2026-10-10", None),
        Change("Is a working day", "yes", None),
    ]


def test_a_stage_allowance_and_an_unknown_action(manager) -> None:
    policy.save_allowance(manager, Stage.TEAM, 12 * 60)
    allowance = latest()
    odd = AuditEntry(actor=manager, action="door.opened", object_type="door", object_id=7)
    db.session.add(odd)
    allowance_line, odd_line = read(allowance, odd)
    assert allowance_line.sentence == "王敏 修改了 创业团队 的每月免费时长"
    assert allowance_line.changes == [Change("免费时长", "8", "12")]
    assert odd_line.sentence == "王敏：door.opened，door #7"


def test_lease_dates_and_times_are_local(manager) -> None:
    company = make_company(name="乐山光伏科技有限公司")
    office = make_space(kind=SpaceKind.OFFICE, code="ACC-01", name="加速办公室一")
    lease = save_lease(
        manager, None, company=company, space=office, starts_on=date(2026, 1, 1), ends_on=None
    )
    created = latest()
    save_lease(
        manager,
        lease,
        company=company,
        space=office,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    updated = latest()
    updated_line, created_line = read(updated, created)
    assert created_line.sentence == "王敏 新增了 乐山光伏科技有限公司 的 ACC-01 租约"
    assert updated_line.sentence == "王敏 修改了 乐山光伏科技有限公司 的 ACC-01 租约"
    assert updated_line.changes == [Change("截止日期（含当天）", "—", "2026-12-31")]
    assert Change("空间", None, "ACC-01 加速办公室一") in created_line.changes
