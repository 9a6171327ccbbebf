"""People from a spreadsheet: each new address is invited to create its account.

A row is matched by e-mail. An address with an open invitation that says the same is left alone
(no second mail); one whose name, role, company or language changed is invited again with the new
choices. An address that has an account already is left alone when the account has the row's role
and company; otherwise the invitation service refuses it, and the row shows why.
"""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Company, Invitation, Role, User
from app.services.importing import columns as cols
from app.services.importing.kinds import (
    CompanyLookup,
    ImportKind,
    Plan,
    company_columns,
    differences,
    length,
)
from app.services.invitations import invite, open_invitation
from app.web.labels import LANGUAGE_NAMES, ROLE_LABELS

LANGUAGES = (
    {cols.header_key(name): code for code, name in LANGUAGE_NAMES.items()}
    | {cols.header_key(code): code for code in LANGUAGE_NAMES}
    | {"chinese": "zh_CN", "英文": "en", "英语": "en", "zh": "zh_CN", "zh-cn": "zh_CN"}
)


def language(cell: cols.Cell) -> str | None:
    """中文 or English (or zh_CN, en); empty is None (Chinese)."""
    value = cols.header_key(cell)
    if not value:
        return None
    if value not in LANGUAGES:
        raise cols.CellError(
            _l("Write one of: %(choices)s.", choices="、".join(LANGUAGE_NAMES.values()))
        )
    return LANGUAGES[value]


class PeopleImport(ImportKind):
    name = "people"
    title = _l("People")
    sheet_title = "人员"
    matching = _l(
        "A row is matched by e-mail; each new address gets an invitation to create its account."
    )
    field_columns = {"company_id": "company", "language": "locale"}
    refusal_column = "role"
    needs_actor = True

    def build_columns(self) -> list[cols.Column]:
        role, roles = cols.labelled(ROLE_LABELS)
        return [
            cols.Column(
                "email",
                "邮箱",
                ("E-mail", "email", "电子邮箱", "邮件"),
                cols.email,
                required=True,
                example="zhangwei@example.cn",
                hint=_l("Unique; the invitation is sent there."),
            ),
            cols.Column(
                "name",
                "姓名",
                ("Name",),
                cols.text(length(User.name)),
                example="张伟",
            ),
            cols.Column(
                "role",
                "角色",
                ("Role",),
                role,
                example=roles[0],
                choices=roles,
                hint=_l("Empty means tenant; only an administrator invites managers."),
            ),
            *company_columns(
                _l("A tenant's company, by name or by credit code in the next column.")
            ),
            cols.Column(
                "locale",
                "语言",
                ("Language",),
                language,
                example="中文",
                choices=tuple(LANGUAGE_NAMES.values()),
                hint=_l("The language of the invitation and of the app; empty means Chinese."),
            ),
        ]

    def identity(self, values: dict[str, Any]) -> Any:
        return values.get("email")

    def prepare(self) -> None:
        self.companies = CompanyLookup()
        self.accounts = {u.email: u for u in db.session.scalars(sa.select(User))}

    def apply(self, actor: User | None, values: dict[str, Any]) -> Plan:
        email = values["email"]
        role = values.get("role") or Role.TENANT
        name_cell, code = values.get("company", ""), values.get("company_uscc")
        company = self.companies.find(name_cell, code) if role == Role.TENANT else None
        locale = values.get("locale") or "zh_CN"
        account = self.accounts.get(email)
        if (
            account is not None
            and account.role == role
            and account.company_id == (company.id if company else None)
        ):
            return Plan("unchanged", email)
        wanted = {"role": role, "company_id": company.id if company else None, "locale": locale}
        if values.get("name"):
            wanted["name"] = values["name"]
        pending = open_invitation(email) if account is None else None
        shown: dict[str, tuple[Any, Any]] = {}
        if pending is not None:
            changes = differences({key: getattr(pending, key) for key in wanted}, wanted)
            if not changes:
                return Plan("unchanged", email)
            shown = _named(changes, company, pending)
        assert actor is not None  # the import refuses a file of people without one
        invite(
            actor,
            email=email,
            name=values.get("name") or "",
            role=role,
            company_id=company.id if company else None,
            language=locale,
        )
        if pending is None:
            return Plan("create", email)
        return Plan("update", email, shown)


def _named(
    changes: dict[str, tuple[Any, Any]], company: Company | None, pending: Invitation
) -> dict[str, tuple[Any, Any]]:
    """Changes of company shown by name, not id."""
    if "company_id" in changes:
        before = pending.company.name if pending.company else None
        changes["company"] = (before, company.name if company else None)
        del changes["company_id"]
    return changes
