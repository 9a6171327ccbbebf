"""How the pages name the app's enumerations, in the reader's language."""

from flask_babel import lazy_gettext as _l

from app.models import BookingStatus, CompanyStatus, Role, SpaceKind, Stage

STAGE_LABELS = {
    Stage.TEAM: _l("Startup team"),
    Stage.INCUBATED: _l("Incubated"),
    Stage.ACCELERATING: _l("Accelerating"),
    Stage.GRADUATED: _l("Graduated"),
}
STATUS_LABELS = {CompanyStatus.ACTIVE: _l("In the building"), CompanyStatus.LEFT: _l("Moved out")}
ROLE_LABELS = {Role.TENANT: _l("Tenant"), Role.MANAGER: _l("Manager"), Role.ADMIN: _l("Admin")}
KIND_LABELS = {
    SpaceKind.OFFICE: _l("Office"),
    SpaceKind.DESK: _l("Desk"),
    SpaceKind.BOOTH: _l("Booth"),
    SpaceKind.SHOP: _l("Shop"),
    SpaceKind.MEETING_ROOM: _l("Meeting room"),
    SpaceKind.HALL: _l("Hall"),
    SpaceKind.EVENT_AREA: _l("Event area"),
    SpaceKind.TABLE: _l("Table"),
}
BOOKING_STATUS_LABELS = {
    BookingStatus.PENDING: _l("Pending"),
    BookingStatus.CONFIRMED: _l("Confirmed"),
    BookingStatus.REJECTED: _l("Rejected"),
    BookingStatus.CANCELLED: _l("Cancelled"),
}
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
