"""What every kind of import shares: a row's plan, the comparison with what is stored.

A row is matched to what is stored already (a company by its credit code, a space by its code, a
lease by company, space and first day), compared, and only then handed to the same service the
forms use: a new row is created, a changed one updated (and audited by that service), an
unchanged one left alone, so importing a file twice changes nothing the second time.
"""

from dataclasses import dataclass, field
from typing import Any, ClassVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Company, User
from app.services.errors import RuleViolation
from app.services.importing import columns as cols

NOTES_LENGTH = 2000  # as the forms allow
EXAMPLE_USCC = "91511100MA6EXAMPLW"  # a row left with it is refused as the example


def length(column: Any) -> int:
    """The length of a model's string column, so the import allows what the table holds."""
    return int(column.property.columns[0].type.length)


@dataclass
class Plan:
    """What a row comes to: ``create``, ``update`` or ``unchanged``, and the fields it changes."""

    action: str
    label: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def differences(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose wanted value differs from the stored one, as (old, new)."""
    return {
        key: (current.get(key), value)
        for key, value in wanted.items()
        if (current.get(key) if current.get(key) is not None else "")
        != (value if value is not None else "")
    }


class ImportKind:
    """One kind of row; subclasses say which columns and how a row is stored."""

    name: ClassVar[str]
    title: ClassVar[Any]
    sheet_title: ClassVar[str]
    matching: ClassVar[Any]  # how a row finds the record it updates, for the import page
    # Service field names that differ from the column's key (RuleViolation("space_id") → space).
    field_columns: ClassVar[dict[str, str]] = {}
    # The column a Conflict (an overlap, which names no field) is shown beside.
    conflict_column: ClassVar[str | None] = None
    # The column a refusal (NotAllowed: the actor may not do this, e.g. invite a manager) is about.
    refusal_column: ClassVar[str | None] = None
    # Whether rows are stored in someone's name (invitations): the CLI must then say whose.
    needs_actor: ClassVar[bool] = False

    def __init__(self) -> None:
        self.columns = self.build_columns()

    def build_columns(self) -> list[cols.Column]:
        """The columns, in the template's order."""
        raise NotImplementedError

    def identity(self, values: dict[str, Any]) -> Any:
        """What makes two rows of one file the same record (a second one is an error)."""
        raise NotImplementedError

    def example_identity(self) -> Any:
        """The identity of the template's example row."""
        return self.identity({c.key: c.parse(c.example) for c in self.columns})

    def prepare(self) -> None:
        """Load what rows are matched against, once per import."""

    def apply(self, actor: User | None, values: dict[str, Any]) -> Plan:
        """Store one row through the service (or leave it when nothing changed)."""
        raise NotImplementedError

    def column_of(self, service_field: str | None) -> str | None:
        """The column a service's error is about."""
        if service_field is None:
            return None
        key = self.field_columns.get(service_field, service_field)
        return key if any(c.key == key for c in self.columns) else None


def company_columns(hint: Any) -> list[cols.Column]:
    """The two columns by which a row names its company (read by ``CompanyLookup.find``)."""
    return [
        cols.Column(
            "company",
            "企业名称",
            ("Company", "企业"),
            cols.text(length(Company.name)),
            example="乐山示例新能源科技有限公司",
            hint=hint,
        ),
        cols.Column(
            "company_uscc",
            "统一社会信用代码",
            ("USCC", "credit code", "信用代码"),
            cols.uscc,
            text_format=True,
        ),
    ]


class CompanyLookup:
    """The companies a row names by credit code or by name (leases, people), loaded once."""

    def __init__(self) -> None:
        companies = list(db.session.scalars(sa.select(Company)))
        self.by_uscc = {c.uscc: c for c in companies if c.uscc}
        self.by_name = {c.name: c for c in companies}

    def find(self, name: str, code: str | None) -> Company:
        """The company with credit code ``code`` (which must then be called ``name``, if
        given), else the one called ``name``; RuleViolation on the column that is wrong."""
        if code:
            company = self.by_uscc.get(code)
            if company is None:
                raise RuleViolation(
                    "company_uscc", _l("No company has the credit code %(code)s.", code=code)
                )
            if name and name != company.name:
                raise RuleViolation(
                    "company", _l("The credit code belongs to %(name)s.", name=company.name)
                )
            return company
        if not name:
            raise RuleViolation("company", _l("Name the company or give its credit code."))
        found = self.by_name.get(name)
        if found is None:
            raise RuleViolation("company", _l("No company is called %(name)s.", name=name))
        return found
