"""People from a spreadsheet become invitations: one mail per new address, none for a second
import of the same file, a new one when the row's company or role changed."""

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEntry, Invitation, OutgoingMail, Role
from tests.fixtures.factories import make_company, make_user, valid_uscc
from tests.fixtures.spreadsheets import csv_file, xlsx_file
from tests.services.test_imports import count, errors_of, imported

HEADER = ["邮箱", "姓名", "角色", "企业名称", "统一社会信用代码", "语言"]


def test_people_are_invited_once_and_again_only_when_their_row_changes(app) -> None:
    manager = make_user(role=Role.MANAGER)
    huneng = make_company(name="四川护能科技有限公司", uscc=valid_uscc(1))
    yuecheng = make_company(name="四川越成科技有限公司", uscc=valid_uscc(2))
    db.session.commit()
    rows = [
        ["Zhang.Wei@HuNeng.example.cn", "张伟", "租户", "四川护能科技有限公司", "", "中文"],
        ["li.na@yuecheng.example.cn", "李娜", "", "", valid_uscc(2), "English"],
        ["wang.fang@huneng.example.cn", "", "Tenant", "", valid_uscc(1), ""],
    ]
    report = imported("people", "人员.xlsx", xlsx_file(HEADER, rows), actor=manager)
    assert report.stored and report.counts["create"] == 3, errors_of(report)
    invitations = {i.email: i for i in db.session.scalars(sa.select(Invitation))}
    assert set(invitations) == {
        "zhang.wei@huneng.example.cn",
        "li.na@yuecheng.example.cn",
        "wang.fang@huneng.example.cn",
    }
    assert invitations["li.na@yuecheng.example.cn"].company_id == yuecheng.id
    assert invitations["li.na@yuecheng.example.cn"].locale == "en"
    assert invitations["zhang.wei@huneng.example.cn"].company_id == huneng.id
    assert all(i.invited_by_id == manager.id for i in invitations.values())
    assert count(OutgoingMail) == 3

    again = imported("people", "人员.xlsx", xlsx_file(HEADER, rows), actor=manager)
    assert again.counts["unchanged"] == 3
    assert count(OutgoingMail) == 3, "no second mail for the same file"

    rows[2][4] = valid_uscc(2)  # 王芳 moves to 越成
    moved = imported("people", "人员.xlsx", xlsx_file(HEADER, rows), actor=manager)
    assert moved.counts["update"] == 1
    changed = next(row for row in moved.rows if row.action == "update")
    assert changed.changes == {"企业名称": ("四川护能科技有限公司", "四川越成科技有限公司")}
    db.session.refresh(invitations["wang.fang@huneng.example.cn"])
    assert invitations["wang.fang@huneng.example.cn"].company_id == yuecheng.id
    assert count(OutgoingMail) == 4
    resent = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "invitation.resent")
    ).one()
    assert resent.after["company_id"] == yuecheng.id


def test_people_rows_are_refused_by_row_and_column(app) -> None:
    manager = make_user(role=Role.MANAGER)
    company = make_company(name="四川护能科技有限公司")
    make_user(email="has.account@huneng.example.cn", role=Role.TENANT, company=company)
    make_user(email="elsewhere@huneng.example.cn", role=Role.TENANT)
    db.session.commit()
    rows = [
        ["new.person@huneng.example.cn", "新人", "租户", "四川护能科技有限公司", "", ""],
        ["not-an-address", "", "租户", "四川护能科技有限公司", "", ""],
        ["boss@czg.example.cn", "", "管理人员", "", "", ""],
        ["nobody@huneng.example.cn", "", "租户", "不存在的公司", "", ""],
        ["NEW.person@huneng.example.cn", "", "租户", "四川护能科技有限公司", "", ""],
        ["has.account@huneng.example.cn", "", "租户", "四川护能科技有限公司", "", ""],
        ["elsewhere@huneng.example.cn", "", "租户", "四川护能科技有限公司", "", "法语"],
        ["elsewhere@huneng.example.cn", "", "租户", "四川护能科技有限公司", "", ""],
    ]
    report = imported("people", "人员.csv", csv_file(HEADER, rows, "gb18030"), actor=manager)
    errors = errors_of(report)
    assert errors[3] == [("邮箱", "This is not an e-mail address.")]
    assert errors[4] == [("角色", "Only an administrator can manage managers and administrators.")]
    assert errors[5] == [("企业名称", "No company is called 不存在的公司.")]
    assert "Row 2" in errors[6][0][1]  # the same address, whatever its case
    assert 7 not in errors, "an account with the row's company is left alone"
    assert errors[8] == [("语言", "Write one of: 中文、English.")]
    assert errors[9] == [("邮箱", "This e-mail address already has an account.")]
    assert count(Invitation) == 0 and count(OutgoingMail) == 0


def test_a_people_file_needs_someone_who_invites(app, tmp_path) -> None:
    make_company(name="四川护能科技有限公司")
    db.session.commit()
    path = tmp_path / "人员.csv"
    path.write_bytes(
        csv_file(HEADER, [["a@huneng.example.cn", "", "", "四川护能科技有限公司", "", ""]])
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "people", str(path)])
    assert result.exit_code == 1
    assert "file: 请说明由哪位管理人员发出邀请。" in result.output
    make_user(email="manager@czg.example.cn", role=Role.MANAGER)
    db.session.commit()
    result = runner.invoke(
        args=["import", "people", str(path), "--actor", "manager@czg.example.cn"]
    )
    assert result.exit_code == 0, result.output
    assert count(Invitation) == 1
