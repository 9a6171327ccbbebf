"""The incubator's data model, one module per aggregate."""

from app.models.audit import AuditEntry
from app.models.company import Company, CompanyStatus, Stage
from app.models.lease import Lease
from app.models.space import LEASABLE_KINDS, Space, SpaceKind
from app.models.user import Role, User, UserSession
from app.models.zone import Zone

__all__ = [
    "LEASABLE_KINDS",
    "AuditEntry",
    "Company",
    "CompanyStatus",
    "Lease",
    "Role",
    "Space",
    "SpaceKind",
    "Stage",
    "User",
    "UserSession",
    "Zone",
]
