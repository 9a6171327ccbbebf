"""Words of the audit log: one sentence per action, a label per recorded field, group names."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# One sentence per action, with the actor and the object described in the reader's language.
ACTION_SENTENCES: dict[str, LazyString] = {
    "booking.created": _l("%(actor)s created %(object)s"),
    "booking.requested": _l("%(actor)s requested %(object)s"),
    "booking.confirmed": _l("%(actor)s approved %(object)s"),
    "booking.rejected": _l("%(actor)s declined %(object)s"),
    "booking.cancelled": _l("%(actor)s cancelled %(object)s"),
    "booking.pending": _l("%(actor)s sent %(object)s back for approval"),
    "booking.checked_in": _l("%(actor)s checked in for %(object)s"),
    "closure.created": _l("%(actor)s closed %(object)s"),
    "closure.removed": _l("%(actor)s lifted the closure of %(object)s"),
    "user.password_changed": _l("%(actor)s changed the password of %(object)s"),
    "user.password_reset_requested": _l("A link to choose a new password was mailed to %(object)s"),
    "user.password_reset": _l("%(actor)s chose a new password through the mailed link"),
    "invitation.sent": _l("%(actor)s sent %(object)s"),
    "invitation.resent": _l("%(actor)s sent %(object)s again"),
    "invitation.revoked": _l("%(actor)s withdrew %(object)s"),
    "invitation.accepted": _l("%(actor)s accepted %(object)s and created their account"),
    "token.issued": _l("%(actor)s created %(object)s"),
    "token.revoked": _l("%(actor)s revoked %(object)s"),
    "feed.created": _l("%(actor)s created %(object)s"),
    "feed.regenerated": _l("%(actor)s gave %(object)s a new address"),
    "space.door_display_created": _l("%(actor)s set up the door display of %(object)s"),
    "space.door_display_regenerated": _l(
        "%(actor)s gave the door display of %(object)s a new address"
    ),
    "policy.limits": _l("%(actor)s changed %(object)s"),
    "policy.allowance": _l("%(actor)s changed %(object)s"),
    "calendar.set": _l("%(actor)s set %(object)s"),
    "calendar.cleared": _l("%(actor)s cleared the manual setting of %(object)s"),
}
# Any other action by the last part of its name ("lease.created", "space.updated", …).
VERB_SENTENCES: dict[str, LazyString] = {
    "created": _l("%(actor)s added %(object)s"),
    "updated": _l("%(actor)s changed %(object)s"),
    "removed": _l("%(actor)s removed %(object)s"),
    "deleted": _l("%(actor)s removed %(object)s"),
}
UNKNOWN_ACTION = _l("%(actor)s: %(action)s, %(object)s")

# Labels of recorded fields: those of one kind of object first, then the common ones.
COMMON_FIELDS: dict[str, LazyString] = {
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "code": _l("Code"),
    "status": _l("Status"),
    "notes": _l("Notes"),
    "reason": _l("Reason"),
    "kind": _l("Kind"),
    "company_id": _l("Company"),
    "space_id": _l("Space"),
    "zone_id": _l("Zone"),
    "user_id": _l("Person"),
    "area_m2": _l("Area (m²)"),
}
FIELDS_OF: dict[str, dict[str, LazyString]] = {
    "company": {
        "name": _l("Company or team name"),
        "uscc": _l("Unified Social Credit Code"),
        "stage": _l("Stage"),
        "industry": _l("Industry"),
        "contact_name": _l("Contact person"),
        "contact_phone": _l("Contact phone"),
        "contact_email": _l("Contact e-mail"),
        "joined_on": _l("Joined on"),
        "graduated_on": _l("Graduated on"),
    },
    "user": {
        "email": _l("E-mail"),
        "phone": _l("Phone"),
        "role": _l("Role"),
        "locale": _l("Language"),
        "active": _l("Can sign in"),
    },
    "lease": {"starts_on": _l("From"), "ends_on": _l("Until (included)")},
    "space": {
        "name": _l("Name (Chinese)"),
        "parent_id": _l("Part of"),
        "capacity": _l("Seats"),
        "equipment": _l("Equipment"),
        "bookable": _l("Tenants can book it"),
        "requires_approval": _l("Bookings need a manager's approval"),
        "active": _l("In use"),
    },
    "zone": {
        "name": _l("Name (Chinese)"),
        "description": _l("Description"),
        "sort_order": _l("Position in lists"),
        "opens_at": _l("Opens at"),
        "closes_at": _l("Closes at"),
        "working_days_only": _l("Open on working days only (statutory calendar)"),
    },
    "closure": {"start_at": _l("Start"), "end_at": _l("End")},
    "booking": {
        "checked_in_at": _l("Checked in"),
        "start_at": _l("Start"),
        "end_at": _l("End"),
        "title": _l("Title"),
        "attendees": _l("Number of people"),
    },
    "kindrule": {
        "max_minutes": _l("Longest booking (hours)"),
        "advance_days": _l("Bookable up to (days ahead)"),
        "buffer_minutes": _l("Set-up and tear-down buffer (minutes)"),
        "requires_check_in": _l("Check-in required (no-shows are released)"),
        "counts_against_allowance": _l("Uses the free monthly hours"),
    },
    "stageallowance": {"monthly_minutes": _l("Free hours")},
    "calendarday": {
        "day": _l("Date"),
        "working": _l("Is a working day"),
        "source": _l("Source of the day"),
        "provisional": _l("Provisional (arrangement not yet published)"),
    },
}
# Recorded in minutes, shown in hours (as the forms that set them ask for hours).
MINUTES_AS_HOURS = {"max_minutes", "monthly_minutes"}

# The "what" filter: groups of app.services.audit_log.OBJECT_GROUPS, in menu order.
GROUP_LABELS: dict[str, LazyString] = {
    "bookings": _l("Room and hall bookings"),
    "companies": _l("Companies"),
    "leases": _l("Leases"),
    "spaces": _l("Spaces"),
    "zones": _l("Zones"),
    "people": _l("People"),
    "closures": _l("Closures"),
    "policies": _l("Policies"),
    "calendar": _l("Working calendar days"),
    "tokens": _l("API tokens"),
    "feeds": _l("Calendar feeds"),
}
