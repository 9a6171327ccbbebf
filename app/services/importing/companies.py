"""Companies and teams from a spreadsheet, matched by credit code (a team: by name)."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Company, CompanyStatus, User
from app.services.companies import save_company
from app.services.importing import columns as cols
from app.services.importing.kinds import (
    EXAMPLE_USCC,
    NOTES_LENGTH,
    ImportKind,
    Plan,
    differences,
    length,
)
from app.web.labels import STAGE_LABELS, STATUS_LABELS


class CompanyImport(ImportKind):
    name = "companies"
    title = _l("Companies")
    sheet_title = "企业"
    matching = _l("A row updates the company with its credit code (a team without one: its name).")

    def build_columns(self) -> list[cols.Column]:
        stage, stages = cols.labelled(STAGE_LABELS)
        status, statuses = cols.labelled(STATUS_LABELS)
        return [
            cols.Column(
                "name",
                "企业名称",
                ("name", "Company", "Company or team name", "名称"),
                cols.text(length(Company.name)),
                required=True,
                example="乐山示例新能源科技有限公司",
                hint=_l("Unique; teams use their team name."),
            ),
            cols.Column(
                "uscc",
                "统一社会信用代码",
                ("USCC", "credit code", "信用代码"),
                cols.uscc,
                example=EXAMPLE_USCC,
                text_format=True,
                hint=_l(
                    "18 characters; a team may leave it empty. "
                    "Rows are matched to stored companies by it."
                ),
            ),
            cols.Column(
                "stage",
                "阶段",
                ("Stage",),
                stage,
                required=True,
                example=stages[1],
                choices=stages,
                hint=_l("One of the stages in the drop-down."),
            ),
            cols.Column(
                "industry",
                "行业",
                ("Industry",),
                cols.text(length(Company.industry)),
                example="新能源材料",
            ),
            cols.Column(
                "contact_name",
                "联系人",
                ("Contact", "Contact person"),
                cols.text(length(Company.contact_name)),
                example="张伟",
            ),
            cols.Column(
                "contact_phone",
                "联系电话",
                ("Phone", "Contact phone"),
                cols.text(length(Company.contact_phone)),
                example="13800000000",
                text_format=True,
            ),
            cols.Column(
                "contact_email",
                "联系邮箱",
                ("E-mail", "Contact e-mail", "邮箱"),
                cols.email,
                example="zhangwei@example.cn",
            ),
            cols.Column(
                "joined_on",
                "入驻日期",
                ("Joined on", "Joined"),
                cols.day,
                required=True,
                example=date(2025, 3, 1),
                hint=_l("A date, e.g. 2025-03-01."),
            ),
            cols.Column(
                "graduated_on",
                "毕业日期",
                ("Graduated on",),
                cols.day,
                hint=_l("A date; empty while the company is not graduated."),
            ),
            cols.Column(
                "status",
                "状态",
                ("Status",),
                status,
                example=statuses[0],
                choices=statuses,
                hint=_l("Empty means in the building."),
            ),
            cols.Column("notes", "备注", ("Notes",), cols.text(NOTES_LENGTH)),
        ]

    def identity(self, values: dict[str, Any]) -> Any:
        return ("uscc", values["uscc"]) if values.get("uscc") else ("name", values.get("name"))

    def prepare(self) -> None:
        companies = list(db.session.scalars(sa.select(Company)))
        self.by_uscc = {c.uscc: c for c in companies if c.uscc}
        self.by_name = {c.name: c for c in companies}

    def apply(self, actor: User | None, values: dict[str, Any]) -> Plan:
        label = values["name"]
        if values.get("status") is None:
            values.pop("status", None)
        found = self.by_uscc.get(values["uscc"]) if values.get("uscc") else self.by_name.get(label)
        if found is None:
            values.setdefault("status", CompanyStatus.ACTIVE)
            company = save_company(actor, None, **values)
            self.by_name[company.name] = company
            if company.uscc:
                self.by_uscc[company.uscc] = company
            return Plan("create", label)
        if not values.get("uscc"):
            values.pop("uscc", None)  # found by name: an empty cell does not erase a stored code
        changes = differences({key: getattr(found, key) for key in values}, values)
        if not changes:
            return Plan("unchanged", label)
        save_company(actor, found, **{**values, "uscc": values.get("uscc", found.uscc)})
        return Plan("update", label, changes)
