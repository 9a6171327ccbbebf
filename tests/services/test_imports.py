"""Importing companies, spaces and leases from real XLSX and CSV files: every row checked by the
services' rules, all stored or none, a second import of the same file changing nothing."""

import io
import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEntry, Company, Lease, Role, Space, SpaceKind, Stage
from app.services.importing import ImportRefused, import_kind, run_import
from app.services.importing.files import UnreadableFile, read_sheet, template_bytes
from tests.fixtures.factories import (
    make_company,
    make_lease,
    make_space,
    make_user,
    make_zone,
    valid_uscc,
)
from tests.fixtures.spreadsheets import csv_file, xlsx_file

COMPANY_HEADER = ["企业名称", "统一社会信用代码", "阶段", "入驻日期", "联系电话", "联系邮箱"]
LEASE_HEADER = ["企业名称", "统一社会信用代码", "空间编号", "起租日期", "到期日期", "备注"]


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def imported(kind: str, filename: str, data: bytes, actor=None, dry_run: bool = False):
    """Import like the confirm button: commit when stored, roll back when refused."""
    try:
        report = run_import(actor, kind, read_sheet(filename, data), dry_run=dry_run)
    except ImportRefused as refused:
        db.session.rollback()
        return refused.report
    db.session.commit()
    return report


def errors_of(report) -> dict[int, list[tuple[str | None, str]]]:
    """Each failing row's (column, message), the messages in English."""
    with force_locale("en"):
        return {
            row.number: [(error.column, str(error.message)) for error in row.errors]
            for row in report.failed_rows
        }


def company_rows(n: int, start: int = 0) -> list[list]:
    return [
        [f"乐山导入测试科技有限公司{i}", valid_uscc(500_000 + i), "在孵企业", "2025-03-01",
         f"1380000{i:04d}", f"contact{i}@example.cn"]
        for i in range(start, start + n)
    ]  # fmt: skip


@pytest.mark.parametrize("kind", ["companies", "spaces", "leases"])
def test_template_has_chinese_headers_and_an_example_row_refused_as_such(app, kind) -> None:
    data = template_bytes(import_kind(kind))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert all(any("\u4e00" <= char <= "\u9fff" for char in str(text)) for text in header)
    assert any(cell.value for cell in sheet[2]), "the template shows an example row"
    make_zone(code="INC")
    report = imported(kind, "模板.xlsx", data)
    assert report.counts["error"] == 1
    assert "example row" in errors_of(report)[2][0][1]


def test_companies_from_an_openpyxl_workbook_with_date_and_number_cells(app) -> None:
    data = xlsx_file(
        COMPANY_HEADER + ["行业"],
        [["四川护能科技有限公司", valid_uscc(1), "加速企业", datetime(2024, 7, 1), 13800001111,
          "Li@HuNeng.example.cn", "新能源材料"],
         ["乐山光启团队", None, "创业团队", date(2025, 2, 3), None, None, None]],
    )  # fmt: skip
    report = imported("companies", "企业.xlsx", data)
    assert report.ok and report.stored, errors_of(report)
    assert report.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 0, "total": 2}
    huneng = db.session.scalars(sa.select(Company).where(Company.uscc == valid_uscc(1))).one()
    assert huneng.stage == Stage.ACCELERATING
    assert huneng.joined_on == date(2024, 7, 1)
    assert huneng.contact_phone == "13800001111"  # not 13800001111.0
    assert huneng.contact_email == "li@huneng.example.cn"
    assert huneng.industry == "新能源材料"
    team = db.session.scalars(sa.select(Company).where(Company.name == "乐山光启团队")).one()
    assert team.uscc is None and team.stage == Stage.TEAM


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_companies_from_csv_in_the_encodings_excel_writes(app, encoding) -> None:
    data = csv_file(COMPANY_HEADER, company_rows(3), encoding=encoding)
    report = imported("companies", "企业.csv", data)
    assert report.ok, errors_of(report)
    names = set(db.session.scalars(sa.select(Company.name)))
    assert names == {f"乐山导入测试科技有限公司{i}" for i in range(3)}


def test_every_row_error_is_reported_by_row_and_column_and_nothing_is_stored(app) -> None:
    make_company(name="四川越成科技有限公司", uscc=valid_uscc(77))
    db.session.commit()
    bad_check = valid_uscc(2)[:-1] + ("0" if valid_uscc(2)[-1] != "0" else "1")
    rows = company_rows(1) + [
        ["乐山错码科技有限公司", bad_check, "在孵企业", "2025-03-01", "", ""],
        ["", valid_uscc(3), "在孵企业", "2025-03-01", "", ""],
        ["乐山日期科技有限公司", valid_uscc(4), "孵化中", "下个月", "", "not-an-address"],
        ["四川越成科技有限公司", valid_uscc(5), "在孵企业", "2025-03-01", "", ""],
        ["乐山重复科技有限公司", valid_uscc(500_000), "在孵企业", "2025-03-01", "", ""],
    ]
    data = xlsx_file(COMPANY_HEADER, rows)
    preview = imported("companies", "企业.xlsx", data, dry_run=True)
    errors = errors_of(preview)
    assert errors[3] == [("统一社会信用代码", errors[3][0][1])]
    assert "check character" in errors[3][0][1]
    assert errors[4] == [("企业名称", "This column must be filled in.")]
    assert {column for column, _message in errors[5]} == {"阶段", "入驻日期", "联系邮箱"}
    assert errors[6] == [("企业名称", "Another company already has this name.")]
    assert "Row 2" in errors[7][0][1]  # the same credit code as row 2
    assert 2 not in errors
    assert preview.counts["create"] == 1 and not preview.stored

    refused = imported("companies", "企业.xlsx", data)
    assert not refused.stored and errors_of(refused) == errors
    assert count(Company) == 1, "the good row is not stored either: all or nothing"
    assert count(AuditEntry) == 0


def test_a_file_without_a_needed_column_is_refused_as_a_whole(app) -> None:
    report = imported("companies", "a.csv", csv_file(["企业名称", "备注"], [["甲公司", ""]]))
    with force_locale("en"):
        problems = [str(problem) for problem in report.problems]
    assert problems == [
        "The column 阶段 is missing (see the template).",
        "The column 入驻日期 is missing (see the template).",
    ]
    assert report.rows == [] and count(Company) == 0


@pytest.mark.parametrize(
    ("filename", "data"),
    [("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100), ("broken.xlsx", b"PK\x03\x04 not a zip"),
     ("notes.pdf", b"%PDF-1.4"), ("empty.csv", b"\xef\xbb\xbf\r\n\r\n")],
)  # fmt: skip
def test_files_that_are_not_spreadsheets_are_refused(app, filename, data) -> None:
    with pytest.raises(UnreadableFile):
        read_sheet(filename, data)


def test_importing_the_same_file_again_changes_nothing(app) -> None:
    data = xlsx_file(COMPANY_HEADER, company_rows(5))
    assert imported("companies", "企业.xlsx", data).counts["create"] == 5
    entries = count(AuditEntry)
    again = imported("companies", "企业.xlsx", data)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 5, "error": 0, "total": 5}
    assert count(Company) == 5 and count(AuditEntry) == entries


def test_changed_fields_are_updated_and_audited_by_the_importing_manager(app) -> None:
    manager = make_user(role=Role.MANAGER)
    db.session.commit()
    rows = company_rows(3)
    imported("companies", "企业.xlsx", xlsx_file(COMPANY_HEADER, rows), actor=manager)
    rows[1][4] = "0833-2345678"
    rows[1][2] = "加速企业"
    report = imported("companies", "企业.xlsx", xlsx_file(COMPANY_HEADER, rows), actor=manager)
    assert report.counts["update"] == 1 and report.counts["unchanged"] == 2
    changed = next(row for row in report.rows if row.action == "update")
    assert changed.number == 3
    assert changed.changes == {
        "阶段": (Stage.INCUBATED, Stage.ACCELERATING),
        "联系电话": ("13800000001", "0833-2345678"),
    }
    company = db.session.scalars(sa.select(Company).where(Company.uscc == rows[1][1])).one()
    assert company.contact_phone == "0833-2345678"
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "company.updated")
    ).one()
    assert entry.actor_id == manager.id and entry.object_id == company.id
    assert entry.before == {"stage": "incubated", "contact_phone": "13800000001"}
    assert entry.after == {"stage": "accelerating", "contact_phone": "0833-2345678"}


def test_a_thousand_companies_take_seconds(app, capsys) -> None:
    data = csv_file(COMPANY_HEADER, company_rows(1000), encoding="gb18030")
    started = time.perf_counter()
    report = imported("companies", "企业.csv", data)
    first = time.perf_counter() - started
    assert report.counts["create"] == 1000 and count(Company) == 1000
    started = time.perf_counter()
    again = imported("companies", "企业.csv", data)
    second = time.perf_counter() - started
    assert again.counts["unchanged"] == 1000
    with capsys.disabled():
        print(f"\n1000 companies on {db.engine.dialect.name}: {first:.2f} s, again {second:.2f} s")
    assert first < 30 and second < 10


@pytest.fixture
def building(app) -> dict:
    inc = make_zone(code="INC", name="孵化空间")
    offices = [make_space(zone=inc, code=f"INC-{n}", kind=SpaceKind.OFFICE, bookable=False)
               for n in range(301, 306)]  # fmt: skip
    company = make_company(name="四川护能科技有限公司", uscc=valid_uscc(10))
    other = make_company(name="四川越成科技有限公司", uscc=valid_uscc(11))
    db.session.commit()
    return {"zone": inc, "offices": offices, "company": company, "other": other}


def test_leases_name_unknown_spaces_and_companies_and_overlaps_by_column(app, building) -> None:
    make_lease(company=building["other"], space=building["offices"][0],
               starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))  # fmt: skip
    db.session.commit()
    rows = [
        ["四川护能科技有限公司", "", "INC-302", "2025-03-01", "2027-02-28", ""],
        ["四川护能科技有限公司", "", "INC-999", "2025-03-01", "", ""],
        ["不存在的公司", "", "INC-303", "2025-03-01", "", ""],
        ["", valid_uscc(10), "INC-301", "2026-06-01", "", "已被越成租用"],
        ["", valid_uscc(11), "INC-302", "2026-01-01", "", "与第 2 行重叠"],
        ["四川越成科技有限公司", valid_uscc(10), "INC-304", "2025-03-01", "2025-01-01", ""],
    ]
    report = imported("leases", "租约.xlsx", xlsx_file(LEASE_HEADER, rows))
    errors = errors_of(report)
    assert errors[3] == [("空间编号", "No space has the code INC-999.")]
    assert errors[4] == [("企业名称", "No company is called 不存在的公司.")]
    assert errors[5][0][0] == "空间编号" and "四川越成科技有限公司" in errors[5][0][1]
    assert errors[6][0][0] == "空间编号" and "四川护能科技有限公司" in errors[6][0][1]
    assert errors[7] == [("企业名称", "The credit code belongs to 四川护能科技有限公司.")]
    assert 2 not in errors
    assert count(Lease) == 1


def test_leases_again_change_nothing_and_a_new_end_is_updated_and_audited(app, building) -> None:
    rows = [
        [building["company"].name, "", f"INC-{301 + n}", date(2025, 3, 1), date(2027, 2, 28), ""]
        for n in range(5)
    ]
    data = xlsx_file(LEASE_HEADER, rows)
    assert imported("leases", "租约.xlsx", data).counts["create"] == 5
    assert imported("leases", "租约.xlsx", data).counts["unchanged"] == 5
    rows[2][4] = date(2028, 2, 29)
    report = imported("leases", "租约.xlsx", xlsx_file(LEASE_HEADER, rows))
    assert report.counts["update"] == 1
    lease = db.session.scalars(
        sa.select(Lease).join(Lease.space).where(Space.code == "INC-303")
    ).one()
    assert lease.ends_on == date(2028, 2, 29)
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "lease.updated")
    ).one()
    assert entry.before == {"ends_on": "2027-02-28"} and entry.after == {"ends_on": "2028-02-29"}


def test_about_180_leases_take_seconds(app, capsys) -> None:
    seed = make_zone(code="SEED", name="创业苗圃")
    for n in range(1, 181):
        make_space(zone=seed, code=f"SEED-D{n:03d}", kind=SpaceKind.DESK, bookable=False)
    companies = [make_company(name=f"乐山苗圃团队{n}", uscc=valid_uscc(700 + n)) for n in range(60)]
    db.session.commit()
    rows = [
        [companies[n % 60].name, "", f"SEED-D{n + 1:03d}", "2025-07-01", "2026-06-30", ""]
        for n in range(180)
    ]
    data = csv_file(LEASE_HEADER, rows, encoding="gb18030")
    started = time.perf_counter()
    report = imported("leases", "租约.csv", data)
    seconds = time.perf_counter() - started
    assert report.counts["create"] == 180, errors_of(report)
    with capsys.disabled():
        print(f"\n180 leases on {db.engine.dialect.name}: {seconds:.2f} s")
    assert seconds < 20


def test_spaces_created_updated_and_checked_by_the_space_rules(app) -> None:
    make_zone(code="MTG", name="座谈会议室")
    db.session.commit()
    header = ["空间编号", "区域", "名称", "类型", "面积（m²）", "座位数", "设备", "可预订"]
    header += ["所属空间"]
    rows = [
        ["MTG-201", "MTG", "会议室 201", "会议室", 20, 6, "电视屏、白板", "是", ""],
        ["mtg-202", "座谈会议室", "会议室 202", "Meeting room", 24, 8, "", "是", ""],
        ["MTG-203", "XYZ", "会议室 203", "会议室", 24, 8, "", "是", ""],
        ["MTG-204", "MTG", "办公室", "办公室", 24, 8, "", "是", ""],
        ["MTG-205", "MTG", "会议室 205", "会议室", -3, 8.5, "", "也许", "MTG-999"],
    ]
    report = imported("spaces", "空间.xlsx", xlsx_file(header, rows))
    errors = errors_of(report)
    assert errors[4] == [("区域", "No zone is called XYZ.")]
    assert errors[5] == [("可预订", "Offices, desks, booths and shops are leased, never booked.")]
    assert {column for column, _m in errors[6]} == {"面积（m²）", "座位数", "可预订"}
    assert count(Space) == 0
    report = imported("spaces", "空间.xlsx", xlsx_file(header, rows[:2]))
    assert report.stored and report.counts["create"] == 2
    room = db.session.scalars(sa.select(Space).where(Space.code == "MTG-202")).one()
    assert room.kind == SpaceKind.MEETING_ROOM and room.bookable and room.capacity == 8
    rows[0][5] = 8
    again = imported("spaces", "空间.xlsx", xlsx_file(header, rows[:2]))
    assert again.counts == {"create": 0, "update": 1, "unchanged": 1, "error": 0, "total": 2}
    assert next(r for r in again.rows if r.action == "update").changes == {"座位数": (6, 8)}


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [([], 0, "2 rows: 2 new"), (["--dry-run"], 0, "dry run, nothing stored")],
)
def test_cli_imports_a_file(app, tmp_path, args, code, expected) -> None:
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_file(COMPANY_HEADER, company_rows(2)))
    result = app.test_cli_runner().invoke(args=["import", "companies", str(path), *args])
    assert result.exit_code == code, result.output
    assert expected in result.output
    assert count(Company) == (0 if args else 2)


def test_cli_exits_non_zero_with_the_row_errors_and_stores_nothing(app, tmp_path) -> None:
    path = tmp_path / "企业.csv"
    rows = company_rows(2) + [
        ["乐山错日科技有限公司", valid_uscc(9), "在孵企业", "2025-13-40", "", ""]
    ]
    path.write_bytes(csv_file(COMPANY_HEADER, rows, encoding="gb18030"))
    runner = app.test_cli_runner()
    for args in ([], ["--dry-run"]):
        result = runner.invoke(args=["import", "companies", str(path), *args])
        assert result.exit_code == 1
        assert "row 4, 入驻日期: 不是日期" in result.output
        assert count(Company) == 0
    assert runner.invoke(args=["import", "tenants", str(path)]).exit_code == 2


def test_a_row_without_a_credit_code_keeps_the_stored_one(app) -> None:
    make_company(name="乐山光启科技有限公司", uscc=valid_uscc(8), stage=Stage.INCUBATED)
    db.session.commit()
    rows = [["乐山光启科技有限公司", "", "加速企业", "2025-01-01", "", ""]]
    report = imported("companies", "企业.xlsx", xlsx_file(COMPANY_HEADER, rows))
    assert report.counts["update"] == 1, errors_of(report)
    company = db.session.scalars(sa.select(Company)).one()
    assert company.uscc == valid_uscc(8) and company.stage == Stage.ACCELERATING
