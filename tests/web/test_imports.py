"""The import pages: a template to download, a preview of every row's errors before anything is
stored, and a confirmation that stores the previewed file (kept on the server) all or nothing."""

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEntry, Company, Role
from tests.conftest import csrf_token
from tests.fixtures.factories import make_company, valid_uscc
from tests.fixtures.spreadsheets import csv_file, xlsx_file

HEADER = ["企业名称", "统一社会信用代码", "阶段", "入驻日期", "联系电话"]
GOOD = [
    ["四川护能科技有限公司", valid_uscc(1), "加速企业", "2024-07-01", "13800001111"],
    ["乐山光启团队", "", "创业团队", "2025-02-03", ""],
]


@pytest.fixture
def uploads(app, monkeypatch, tmp_path) -> Path:
    """Keep uploads in a temporary instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "imports"


def companies() -> set[str]:
    db.session.rollback()  # see what the requests committed
    return set(db.session.scalars(sa.select(Company.name)))


def upload(client, data: bytes, filename: str, kind: str = "companies"):
    token = csrf_token(client.get("/manage/imports").text)
    return client.post(
        f"/manage/imports/{kind}",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, preview: str, **extra):
    """Press the preview's confirm button (what the form sends: its CSRF token and ticket)."""
    action = re.search(r'action="(/manage/imports/companies/confirm)"', preview)
    ticket = re.search(r'name="ticket" type="hidden" value="([^"]+)"', preview)
    assert action and ticket, "no confirm button on the preview"
    data = {"csrf_token": csrf_token(preview), "ticket": ticket.group(1), **extra}
    return client.post(action.group(1), data=data, content_type="multipart/form-data")


def test_template_download_is_a_workbook_with_chinese_headers(app, signed_in) -> None:
    client, _manager = signed_in(Role.MANAGER)
    page = client.get("/manage/imports")
    assert page.status_code == 200
    assert "/manage/imports/leases/template.xlsx" in page.text
    response = client.get("/manage/imports/companies/template.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E4%BC%81%E4%B8%9A" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert sheet["A1"].value == "企业名称*" and sheet["B1"].value == "统一社会信用代码"
    assert client.get("/manage/imports/tenants/template.xlsx").status_code == 404


def test_preview_lists_each_rows_errors_by_row_and_column_and_stores_nothing(
    app, signed_in, uploads
) -> None:
    client, _manager = signed_in(Role.MANAGER)
    rows = [*GOOD, ["乐山错码科技有限公司", valid_uscc(2)[:-1] + "X", "在孵企业", "2025-03-01", ""]]
    rows.append(["乐山无日期科技有限公司", valid_uscc(3), "在孵企业", "", ""])
    response = upload(client, csv_file(HEADER, rows, encoding="gb18030"), "企业.csv")
    assert response.status_code == 200
    page = response.text
    errors = re.findall(
        r'<td data-label="行号">(\d+).*?</td>\s*<td data-label="列">(.*?)</td>\s*'
        r'<td data-label="问题">(.*?)</td>',
        page,
        re.S,
    )
    assert [(row, column) for row, column, _message in errors] == [
        ("4", "统一社会信用代码"),
        ("5", "入驻日期"),
    ]
    assert "校验码" in errors[0][2] and "必须填写" in errors[1][2]
    assert "确认导入" not in page, "no import while rows have errors"
    assert companies() == set()


def test_preview_then_confirm_stores_the_file_kept_on_the_server(app, signed_in, uploads) -> None:
    client, manager = signed_in(Role.MANAGER)
    response = upload(client, xlsx_file(HEADER, GOOD), "企业.xlsx")
    assert response.status_code == 200
    assert companies() == set(), "the preview stores nothing"
    assert len(list(uploads.glob("*.data"))) == 1
    confirmed = confirm(client, response.text)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/manage/companies"
    assert companies() == {"四川护能科技有限公司", "乐山光启团队"}
    assert list(uploads.glob("*")) == [], "the upload is removed once imported"
    actions = db.session.scalars(sa.select(AuditEntry.actor_id)).all()
    assert actions == [manager.id, manager.id]
    listing = client.get("/manage/companies").text
    assert "导入完成：新增 2 条，更新 0 条，未变 0 条。" in listing

    again = upload(client, xlsx_file(HEADER, GOOD), "企业.xlsx")
    assert "文件中的内容都已保存，无需导入。" in again.text


def test_another_manager_cannot_confirm_an_upload(app, signed_in, uploads) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = upload(client, xlsx_file(HEADER, GOOD), "企业.xlsx")
    other, _other = signed_in(Role.MANAGER)
    their_page = other.get("/manage/imports").text
    refused = confirm(other, response.text, csrf_token=csrf_token(their_page))
    assert refused.status_code == 302 and refused.headers["Location"] == "/manage/imports"
    assert "请重新上传" in other.get("/manage/imports").text
    assert companies() == set()
    ticket = re.search(r'name="ticket" type="hidden" value="([^"]+)"', response.text)
    assert ticket
    forged = ticket.group(1)[:-4] + ("AAAA" if not ticket.group(1).endswith("AAAA") else "BBBB")
    data = {"csrf_token": csrf_token(response.text), "ticket": forged}
    assert client.post("/manage/imports/companies/confirm", data=data).status_code == 302
    as_spaces = client.post("/manage/imports/spaces/confirm", data={**data, "ticket": ticket[1]})
    assert as_spaces.status_code == 302, "a ticket is for its kind only"
    assert companies() == set()


def test_a_server_without_the_file_asks_for_the_same_file_again(app, signed_in, uploads) -> None:
    client, _manager = signed_in(Role.MANAGER)
    checked = xlsx_file(HEADER, GOOD)  # the bytes themselves: a workbook written later differs
    response = upload(client, checked, "企业.xlsx")
    for path in uploads.glob("*.data"):
        path.unlink()  # the confirmation reaches another machine
    asked = confirm(client, response.text)
    assert asked.status_code == 200 and "企业.xlsx" in asked.text
    other_file = (io.BytesIO(xlsx_file(HEADER, GOOD[:1])), "企业.xlsx")
    wrong = confirm(client, asked.text, file=other_file)
    assert wrong.status_code == 200 and "不是您检查过的文件" in wrong.text
    assert companies() == set()
    same = confirm(client, asked.text, file=(io.BytesIO(checked), "企业.xlsx"))
    assert same.status_code == 302
    assert companies() == {"四川护能科技有限公司", "乐山光启团队"}


def test_confirm_checks_again_and_stores_nothing_when_a_row_fails_now(
    app, signed_in, uploads
) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = upload(client, xlsx_file(HEADER, GOOD), "企业.xlsx")
    make_company(name="四川护能科技有限公司", uscc=valid_uscc(99))  # typed in meanwhile
    db.session.commit()
    confirmed = confirm(client, response.text)
    assert confirmed.status_code == 200
    assert re.search(r'data-label="行号">2\b.*?data-label="列">企业名称<', confirmed.text, re.S)
    assert companies() == {"四川护能科技有限公司"}, "the good row is not stored either"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("企业.pdf", b"%PDF-1.4", "请上传 .xlsx 或 .csv 文件。"),
        ("企业.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64, "不支持旧版 .xls 工作簿"),
        ("企业.csv", csv_file(["企业名称"], [["甲"]]), "缺少“阶段”列"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(
    app, signed_in, uploads, filename, data, message
) -> None:
    client, _manager = signed_in(Role.MANAGER)
    response = upload(client, data, filename)
    assert response.status_code == 200
    assert message in response.text


def test_preview_shows_each_changed_field_old_and_new_in_words(app, signed_in, uploads) -> None:
    make_company(name="四川护能科技有限公司", uscc=valid_uscc(1), contact_phone="13800001111")
    db.session.commit()
    client, _manager = signed_in(Role.MANAGER)
    rows = [["四川护能科技有限公司", valid_uscc(1), "加速企业", "2025-01-01", "0833-1234567"]]
    page = upload(client, xlsx_file(HEADER, rows), "企业.xlsx").text
    assert "阶段： <del>在孵企业</del> → <ins>加速企业</ins>" in page
    assert "联系电话： <del>13800001111</del> → <ins>0833-1234567</ins>" in page
    changes = re.search(r'<table class="list import-changes">.*?</table>', page, re.S)
    assert changes and "入驻日期" not in changes[0], "an unchanged field is not listed"
