"""The incubator's data model, one module per aggregate."""

from app.models.audit import AuditEntry
from app.models.booking import (
    HOLDING_STATUSES,
    Booking,
    BookingHold,
    BookingSeries,
    BookingStatus,
)
from app.models.calendar_day import CalendarDay, DaySource
from app.models.closure import Closure
from app.models.company import Company, CompanyStatus, Stage
from app.models.door_display import DoorDisplay
from app.models.feed import CalendarFeed, FeedKind
from app.models.invitation import Invitation, PasswordReset
from app.models.lease import Lease
from app.models.notification import (
    MailStatus,
    Notification,
    NotificationPreference,
    OutgoingMail,
)
from app.models.policy import KindRule, StageAllowance
from app.models.revision import ReferenceRevision
from app.models.space import LEASABLE_KINDS, Space, SpaceKind
from app.models.token import ApiToken
from app.models.user import Role, User, UserSession
from app.models.zone import Zone

__all__ = [
    "HOLDING_STATUSES",
    "LEASABLE_KINDS",
    "ApiToken",
    "AuditEntry",
    "Booking",
    "BookingHold",
    "BookingSeries",
    "BookingStatus",
    "CalendarDay",
    "CalendarFeed",
    "Closure",
    "DoorDisplay",
    "KindRule",
    "StageAllowance",
    "Company",
    "DaySource",
    "CompanyStatus",
    "FeedKind",
    "Invitation",
    "Lease",
    "MailStatus",
    "Notification",
    "NotificationPreference",
    "OutgoingMail",
    "PasswordReset",
    "ReferenceRevision",
    "Role",
    "Space",
    "SpaceKind",
    "Stage",
    "User",
    "UserSession",
    "Zone",
]
