"""The manager console: companies, people, zones, spaces and leases.

Every page of it is for managers and admins: one guard before each request (sign in first,
tenants get 403), so no view can forget it.
"""

from flask import Blueprint

from app.web import staff_only

bp = Blueprint("manage", __name__, url_prefix="/manage")
bp.before_request(staff_only)

from app.manage import (  # noqa: E402, F401
    approvals,
    audit,
    calendar,
    closures,
    companies,
    dashboard,
    door_displays,
    imports,
    invitations,
    leases,
    people,
    policies,
    reports,
    spaces,
    workdays,
)
