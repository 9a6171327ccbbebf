"""Leases from a spreadsheet, matched by company, space and first day."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Lease, Space, User
from app.services.errors import RuleViolation
from app.services.importing import columns as cols
from app.services.importing.kinds import (
    NOTES_LENGTH,
    CompanyLookup,
    ImportKind,
    Plan,
    company_columns,
    differences,
    length,
)
from app.services.leases import save_lease


class LeaseImport(ImportKind):
    name = "leases"
    title = _l("Leases")
    sheet_title = "租约"
    matching = _l("A row updates the lease of the same company and space starting the same day.")
    field_columns = {"space_id": "space", "company_id": "company"}
    conflict_column = "space"

    def build_columns(self) -> list[cols.Column]:
        return [
            *company_columns(_l("The company's name, or give its credit code in the next column.")),
            cols.Column(
                "space",
                "空间编号",
                ("Space", "Code", "编号"),
                cols.text(length(Space.code)),
                required=True,
                example="INC-999",
                text_format=True,
                hint=_l("An office, desk, booth or shop, by its code."),
            ),
            cols.Column(
                "starts_on",
                "起租日期",
                ("From", "Starts on", "起租日"),
                cols.day,
                required=True,
                example=date(2025, 3, 1),
                hint=_l("With company and space, it identifies the lease."),
            ),
            cols.Column(
                "ends_on",
                "到期日期",
                ("Until", "Ends on", "到期日"),
                cols.day,
                example=date(2027, 2, 28),
                hint=_l("The last day, included; empty for an open-ended lease."),
            ),
            cols.Column("notes", "备注", ("Notes",), cols.text(NOTES_LENGTH)),
        ]

    def identity(self, values: dict[str, Any]) -> Any:
        company = values.get("company_uscc") or values.get("company")
        return (company, (values.get("space") or "").upper(), values.get("starts_on"))

    def prepare(self) -> None:
        self.companies = CompanyLookup()
        self.spaces = {s.code.upper(): s for s in db.session.scalars(sa.select(Space))}
        self.leases = {
            (lease.company_id, lease.space_id, lease.starts_on): lease
            for lease in db.session.scalars(sa.select(Lease))
        }

    def apply(self, actor: User | None, values: dict[str, Any]) -> Plan:
        company = self.companies.find(values.pop("company", ""), values.pop("company_uscc", None))
        code = values.pop("space").upper()
        space = self.spaces.get(code)
        if space is None:
            raise RuleViolation("space", _l("No space has the code %(code)s.", code=code))
        label = f"{code} · {company.name} · {values['starts_on'].isoformat()}"
        found = self.leases.get((company.id, space.id, values["starts_on"]))
        if found is None:
            values.setdefault("ends_on", None)
            values.setdefault("notes", "")
            lease = save_lease(actor, None, company=company, space=space, **values)
            self.leases[(company.id, space.id, lease.starts_on)] = lease
            return Plan("create", label)
        changes = differences({key: getattr(found, key) for key in values}, values)
        if not changes:
            return Plan("unchanged", label)
        current = {"ends_on": found.ends_on, "notes": found.notes}
        save_lease(actor, found, company=company, space=space, **(current | values))
        return Plan("update", label, changes)
