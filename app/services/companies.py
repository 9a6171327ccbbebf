"""Companies: the credit code, stages and the company list."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from app.extensions import db
from app.models import Company, Stage, User
from app.services import audit
from app.services.errors import RuleViolation

AUDITED_FIELDS = [
    "name",
    "uscc",
    "stage",
    "industry",
    "contact_name",
    "contact_phone",
    "contact_email",
    "joined_on",
    "graduated_on",
    "status",
    "notes",
]


def normalise_uscc(raw: str | None) -> str | None:
    """Validate a Unified Social Credit Code (GB 32100-2015) and return it upper-case.

    Spaces and lower case, as people type them on a phone, are accepted. Empty means none.
    """
    code = stdnum_uscc.compact(raw or "")
    if not code:
        return None
    try:
        return str(stdnum_uscc.validate(code))
    except InvalidLength:
        raise RuleViolation(
            "uscc", _l("A credit code has 18 characters; this one has %(count)d.", count=len(code))
        ) from None
    except InvalidChecksum:
        raise RuleViolation(
            "uscc", _l("The check character (the last one) is wrong: please check for a typo.")
        ) from None
    except ValidationError:
        raise RuleViolation(
            "uscc",
            _l("Only digits and the capital letters A–Y except I, O, S, V and Z can appear."),
        ) from None


def _check(company: Company) -> None:
    if company.uscc is None and company.stage != Stage.TEAM:
        raise RuleViolation("uscc", _l("A registered company needs its credit code."))
    if company.graduated_on and company.graduated_on < company.joined_on:
        raise RuleViolation("graduated_on", _l("Graduation cannot come before joining."))
    clash = db.session.scalars(
        sa.select(Company).where(Company.id != company.id, Company.name == company.name)
    ).first()
    if clash:
        raise RuleViolation("name", _l("Another company already has this name."))
    if company.uscc:
        clash = db.session.scalars(
            sa.select(Company).where(Company.id != company.id, Company.uscc == company.uscc)
        ).first()
        if clash:
            raise RuleViolation(
                "uscc", _l("This credit code belongs to %(name)s already.", name=clash.name)
            )


def save_company(actor: User | None, company: Company | None, **values: Any) -> Company:
    """Create a company (``company`` None) or update one, after checking its fields."""
    values["uscc"] = normalise_uscc(values.get("uscc"))
    values["name"] = (values.get("name") or "").strip()
    creating = company is None
    if company is None:
        company = Company()
        before = None
    else:
        before = audit.snapshot(company, AUDITED_FIELDS)
    for key, value in values.items():
        setattr(company, key, value)
    with db.session.no_autoflush:
        _check(company)
    db.session.add(company)
    db.session.flush()
    audit.record(
        actor,
        "company.created" if creating else "company.updated",
        company,
        before,
        audit.snapshot(company, AUDITED_FIELDS),
    )
    return company
