"""What the pages of every blueprint share (portal, manage, auth): who is asking, the bridge to
the services, paging, pickers, labels, formatting and the wiring of sign-in and headers."""

from app.web.access import SESSION_TOKEN_KEY, current_actor, is_safe_next, staff_only
from app.web.bridge import Outcome, service_call
from app.web.formatting import format_date, format_datetime_local, today_local
from app.web.labels import (
    BOOKING_STATUS_LABELS,
    KIND_LABELS,
    LANGUAGE_NAMES,
    ROLE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
)
from app.web.paging import page_args
from app.web.pickers import blank_choice, company_choices, optional_id
from app.web.setup import bound_routes, register

__all__ = [
    "BOOKING_STATUS_LABELS",
    "KIND_LABELS",
    "LANGUAGE_NAMES",
    "ROLE_LABELS",
    "SESSION_TOKEN_KEY",
    "STAGE_LABELS",
    "STATUS_LABELS",
    "Outcome",
    "blank_choice",
    "bound_routes",
    "company_choices",
    "current_actor",
    "format_date",
    "format_datetime_local",
    "is_safe_next",
    "optional_id",
    "page_args",
    "register",
    "service_call",
    "staff_only",
    "today_local",
]
