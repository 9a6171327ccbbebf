"""A manager on a phone: picks a space out of 200 by typing part of its code or name, and
imports companies from a spreadsheet through the preview."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Company, Lease, Role, SpaceKind
from tests.e2e.test_booking_flows import sign_in
from tests.e2e.test_sign_in import no_sideways_scroll
from tests.fixtures.factories import make_company, make_space, make_user, make_zone, valid_uscc
from tests.fixtures.spreadsheets import xlsx_file


def test_lease_form_picks_a_space_out_of_200_by_typing(app, live_server, phone_page) -> None:
    incubation = make_zone(code="INC", name="孵化空间", name_en="Incubation Space")
    seedbed = make_zone(code="SEED", name="创业苗圃", name_en="Startup Seedbed")
    for n in range(1, 121):
        desk = {"code": f"SEED-D{n:03d}", "name": f"工位 {n}", "kind": SpaceKind.DESK}
        make_space(zone=seedbed, bookable=False, **desk)
    for n in range(301, 381):
        office = {"code": f"INC-{n}", "name": f"孵化办公室 {n}", "kind": SpaceKind.OFFICE}
        make_space(zone=incubation, bookable=False, name_en=f"Incubation Office {n}", **office)
    for n in range(40):
        make_company(name=f"乐山测试企业{n:02d}有限公司")
    make_company(name="四川护能科技有限公司", uscc=valid_uscc(4242))
    make_user(role=Role.MANAGER, email="manager@czg.example.cn")
    db.session.commit()

    page = phone_page
    sign_in(page, live_server, "manager@czg.example.cn")
    page.goto(f"{live_server}/manage/leases/new")
    company = page.get_by_role("combobox", name="企业")
    company.fill(valid_uscc(4242)[-6:])  # the end of the credit code is enough
    page.get_by_role("option", name="四川护能科技有限公司").click()
    assert company.input_value() == "四川护能科技有限公司"

    space = page.get_by_role("combobox", name="空间")
    space.fill("孵化 317")
    options = page.get_by_role("option")
    assert options.count() == 1, "two words narrow 200 spaces to one"
    options.first.click()
    assert space.input_value().startswith("INC-317 孵化办公室 317")
    assert no_sideways_scroll(page)
    page.locator("#starts_on").fill("2027-03-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    db.session.rollback()
    lease = db.session.scalars(sa.select(Lease)).one()
    assert (lease.space.code, lease.company.name) == ("INC-317", "四川护能科技有限公司")


def test_import_companies_through_the_preview(
    app, live_server, phone_page, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(app, "instance_path", str(tmp_path))  # the upload stays out of the checkout
    make_user(role=Role.MANAGER, email="manager@czg.example.cn")
    db.session.commit()
    path = tmp_path / "企业.xlsx"
    path.write_bytes(
        xlsx_file(
            ["企业名称", "统一社会信用代码", "阶段", "入驻日期"],
            [
                ["四川护能科技有限公司", valid_uscc(1), "在孵企业", "2024-07-01"],
                ["乐山光启团队", "", "创业团队", "2025-02-03"],
            ],
        )  # fmt: skip
    )
    page = phone_page
    sign_in(page, live_server, "manager@czg.example.cn")
    page.goto(f"{live_server}/manage/imports")
    page.locator("#file-companies").set_input_files(str(path))
    page.locator("#import-companies button[type=submit]").click()
    page.wait_for_load_state()
    counts = page.locator(".import-counts")
    assert "2\n行" in counts.inner_text() and "2\n新增" in counts.inner_text()
    assert no_sideways_scroll(page)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Company.id))) == 0, "a preview stores nothing"
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    assert page.url.endswith("/manage/companies")
    assert "导入完成：新增 2 条" in page.locator(".flash").inner_text()
    db.session.rollback()
    names = set(db.session.scalars(sa.select(Company.name)))
    assert names == {"四川护能科技有限公司", "乐山光启团队"}
